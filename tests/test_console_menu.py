"""自定义菜单 /console/menu over the Flask test client against the fake WeChat API
(tests/fake_wechat.py on 127.0.0.1): menu.yaml's menu and its problems, the live menu, and
发布到微信, for 管理员 only; without WECHAT_APPSECRET the page says so and offers no button."""
from __future__ import annotations

import pytest

from bot.answer.engine import Engine
from bot.config import Config
from bot.content.menu import normalized
from server import create_app
from tests import fake_wechat
from tests.console_helpers import ConsoleSite, StaffClient, make_site_dirs
from tests.console_work_helpers import text_of

MENU = """\
buttons:
  - name: 城铁
    type: click
    key: MENU_TRAIN
  - name: 更多
    sub_buttons:
      - name: 城铁说明
        type: click
        key: MENU_LONG
"""
MENU_JSON = {"button": [{"type": "click", "name": "城铁", "key": "MENU_TRAIN"},
                        {"name": "更多", "sub_button": [{"type": "click", "name": "城铁说明", "key": "MENU_LONG"}]}]}


@pytest.fixture
def fake():
    server = fake_wechat.FakeWeChat().start()
    yield server
    server.stop()


def menu_site(tmp_path, shared_index, menu_yaml: str = MENU, **changes) -> ConsoleSite:
    faq_dir, reports_dir, data_dir = make_site_dirs(tmp_path / "site")
    (faq_dir / "menu.yaml").write_text(menu_yaml, encoding="utf-8")
    config = Config(faq_dir=faq_dir, data_dir=data_dir, reports_dir=reports_dir, wechat_appid=fake_wechat.APPID,
                    public_base_url="http://127.0.0.1:8000", faq_reload_interval=0, console_enabled=True, **changes)
    app = create_app(config, engine=Engine(config, index=shared_index))
    app.testing = True
    return ConsoleSite(app, config, faq_dir, data_dir, reports_dir)


@pytest.fixture
def site(tmp_path, shared_index, fake):
    return menu_site(tmp_path, shared_index, wechat_appsecret=fake_wechat.SECRET, wechat_api_base=fake.base)


def test_signed_out_sees_nothing(site, fake):
    client = StaffClient(site.app.test_client())
    for response in (client.get("/console/menu"), client.post("/console/menu/push")):
        assert response.status_code == 302 and "/console/login" in response.headers["Location"]
    assert fake.calls == [] and fake.menu is None


def test_only_admins_open_or_push(site, fake):
    for name in ("editor", "reviewer"):
        client = site.client(name)
        assert "自定义菜单" not in text_of(client.get("/console/entries"))  # not in their nav
        assert client.get("/console/menu").status_code == 403
        assert client.post("/console/menu/push").status_code == 403
    assert fake.menu is None and "/cgi-bin/menu/create" not in fake.calls


def test_pushing_needs_the_csrf_token(site, fake):
    assert site.client("admin").post("/console/menu/push", csrf=False).status_code == 400
    assert fake.menu is None


def test_the_page_shows_the_planned_and_the_live_menu(site, fake):
    fake.menu = {"button": [{"type": "click", "name": "旧菜单", "key": "OLD"}]}
    html = text_of(site.client("admin").get("/console/menu"))
    assert "1. 城铁" in html and "2.1 城铁说明" in html
    assert "旧菜单" in html and "与 menu.yaml 不同" in html and "发布到微信" in html


def test_the_pushed_menu_reads_back_equal(site, fake):
    client = site.client("admin")
    assert "公众号目前没有自定义菜单" in text_of(client.get("/console/menu"))
    done = text_of(client.post("/console/menu/push", follow_redirects=True))
    assert "已发布到微信。读回的菜单与 menu.yaml 一致" in done and "与 menu.yaml 一致" in done
    assert normalized(fake.menu) == normalized(MENU_JSON)


def test_a_menu_with_errors_is_shown_and_not_pushed(tmp_path, shared_index, fake):
    bad = MENU.replace("key: MENU_TRAIN", "key: NO_SUCH_KEY")
    site = menu_site(tmp_path, shared_index, bad, wechat_appsecret=fake_wechat.SECRET, wechat_api_base=fake.base)
    client = site.client("admin")
    html = text_of(client.get("/console/menu"))
    assert "菜单有错误，不能发布" in html and "NO_SUCH_KEY" in html and 'action="/console/menu/push"' not in html
    assert "menu.yaml 有错误，没有发布" in text_of(client.post("/console/menu/push", follow_redirects=True))
    assert fake.menu is None


def test_without_an_appsecret_the_page_says_so_and_offers_no_button(tmp_path, shared_index, fake):
    site = menu_site(tmp_path, shared_index, wechat_api_base=fake.base)
    client = site.client("admin")
    html = text_of(client.get("/console/menu"))
    assert "没有设置 WECHAT_APPID、WECHAT_APPSECRET" in html and "1. 城铁" in html
    assert 'action="/console/menu/push"' not in html
    assert "不能发布" in text_of(client.post("/console/menu/push", follow_redirects=True))
    assert fake.calls == []


def test_wechats_errors_are_shown_in_chinese(tmp_path, shared_index, fake):
    site = menu_site(tmp_path, shared_index, wechat_appsecret="wrong", wechat_api_base=fake.base)
    html = text_of(site.client("admin").get("/console/menu"))
    assert "读取失败：AppSecret 无效" in html
