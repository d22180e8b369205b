"""The custom menu as configuration: menu.yaml checked against WeChat's limits (Chinese, file and
line) by `faq check`; `menu push/show` against a fake WeChat API on 127.0.0.1 (token fetched
once and shared by processes, renewed when WeChat rejects it, WeChat's errors in Chinese); and
the bundled menu's CLICK buttons answered through the webhook in plain and safe mode."""
from __future__ import annotations

import os
import shutil
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main as run_cli
from bot.config import Config
from bot.content import menu as menu_mod
from bot.content.faq import load_faq
from server import create_app
from tests import fake_wechat
from tests.helpers import ROOT, TOKEN, WeChat, make_faq_dir, wait_for_log_writers

BASE = "https://bot.example.cn"


@pytest.fixture(autouse=True, scope="module")
def _store_writers_done():
    yield
    wait_for_log_writers()
GOOD_MENU = """\
buttons:
  - name: 城铁
    type: click
    key: MENU_TRAIN
  - name: 说明
    type: click
    key: MENU_LONG
  - name: 详情
    sub_buttons:
      - name: 末班车
        type: view
        faq: ct-mobanche
      - name: 首班车几点开
        type: view
        url: https://bot.example.cn/faq/ct-shoubanche
"""
GOOD_JSON = {"button": [
    {"type": "click", "name": "城铁", "key": "MENU_TRAIN"},
    {"type": "click", "name": "说明", "key": "MENU_LONG"},
    {"name": "详情", "sub_button": [{"type": "view", "name": "末班车", "url": f"{BASE}/faq/ct-mobanche"},
                                   {"type": "view", "name": "首班车几点开", "url": f"{BASE}/faq/ct-shoubanche"}]}]}


def faq_with_menu(path: Path, menu_yaml: str, keywords: str | None = None) -> Path:
    faq = make_faq_dir(path)
    (faq / "menu.yaml").write_text(menu_yaml, encoding="utf-8")
    if keywords is not None:
        (faq / "keywords.yaml").write_text(keywords, encoding="utf-8")
    return faq


def problems_of(faq_dir: Path) -> list[str]:
    return [str(p) for p in load_faq(faq_dir).problems]


# ---------------------------------------------------------------- menu.yaml checks

def test_the_bundled_menu_is_clean_and_within_wechats_limits():
    faq = load_faq(ROOT / "faq_data")
    assert [str(p) for p in faq.problems if p.level == "error" or p.file == "menu.yaml"] == []
    menu = menu_mod.menu_json(faq.buttons, BASE)
    assert fake_wechat.menu_error(menu) is None and 1 <= len(menu["button"]) <= 3
    leaves = [leaf for top in faq.buttons for leaf in top.leaves()]
    # every reply has a button, and back (the hot questions are the bot's own)
    assert {b.key for b in leaves if b.type == "click"} == set(faq.menu) | menu_mod.ANSWERED_BY_THE_BOT
    # VIEW buttons only open this service's detail pages of existing entries: no URL of our own making
    assert all(b.faq in faq.by_id() and not b.url for b in leaves if b.type == "view")


def test_a_good_menu_loads_into_wechats_json(tmp_path):
    faq = load_faq(faq_with_menu(tmp_path / "faq", GOOD_MENU))
    assert [str(p) for p in faq.problems] == []
    assert menu_mod.menu_json(faq.buttons, BASE) == GOOD_JSON


FOUR_BUTTONS = GOOD_MENU + "  - name: 第四个\n    type: click\n    key: MENU_TRAIN\n"
SIX_SUBS = "buttons:\n  - name: 详情\n    sub_buttons:\n" + "".join(
    f"      - name: 子{i}\n        type: click\n        key: MENU_TRAIN\n" for i in range(6))


@pytest.mark.parametrize("menu_yaml, expected", [
    (FOUR_BUTTONS, "错误：menu.yaml 第1行：一级菜单应有1到3个，现在有4个"),
    (SIX_SUBS, "错误：menu.yaml 第3行：“详情”的二级菜单应有1到5个，现在有6个"),
    ("buttons:\n  - name: 城铁出行服务\n    type: click\n    key: MENU_TRAIN\n",
     "错误：menu.yaml 第2行：一级菜单名称“城铁出行服务”有18个字节，微信最多16个字节（约5个汉字）：请改短"),
    ("buttons:\n  - name: 城铁出行啊\n    type: click\n    key: MENU_TRAIN\n",
     "警告：menu.yaml 第2行：一级菜单名称“城铁出行啊”超过4个汉字，微信只显示前4个，其余显示为“...”"),
    ("buttons:\n  - name: 详情\n    sub_buttons:\n      - name: " + "长" * 21 + "\n        type: click\n"
     "        key: MENU_TRAIN\n", "错误：menu.yaml 第4行：二级菜单名称“" + "长" * 21 + "”有63个字节，微信最多60个字节"),
    ("buttons:\n  - name: 城铁\n    type: click\n    key: MENU_NONE\n",
     "错误：menu.yaml 第2行：菜单“城铁”的 key“MENU_NONE”在 keywords.yaml 的 menu 里没有回复"),
    ("buttons:\n  - name: 城铁\n    type: click\n    key: MENU_TRAIN\n",
     "警告：keywords.yaml 第7行：menu 里的“MENU_LONG”没有对应的菜单按钮（menu.yaml）：市民点不到它"),
    ("buttons:\n  - name: 网页\n    type: view\n    url: ftp://example.cn/x\n",
     "错误：menu.yaml 第2行：菜单“网页”的网址“ftp://example.cn/x”应以 http:// 或 https:// 开头"),
    ("buttons:\n  - name: 网页\n    type: view\n    url: https://example.cn/" + "a" * 1010 + "\n",
     "错误：menu.yaml 第2行：菜单“网页”的网址有1029个字节，微信最多1024个"),
    ("buttons:\n  - name: 城铁\n    type: click\n    key: " + "K" * 129 + "\n",
     "错误：menu.yaml 第2行：菜单“城铁”的 key 有129个字节，微信最多128个"),
    ("buttons:\n  - name: 城铁\n    type: view\n    faq: ct-nothing\n",
     "错误：menu.yaml 第2行：菜单“城铁”要打开的条目“ct-nothing”不存在"),
    ("buttons:\n  - name: 城铁\n    type: scancode_push\n    key: MENU_TRAIN\n",
     "错误：menu.yaml 第2行：菜单“城铁”的 type 应为 click（点击后回复文字）、view（打开网页），现在是“scancode_push”"),
    ("buttons:\n  - name: 城铁\n    type: click\n    key: MENU_TRAIN\n    reply: 你好\n",
     "错误：menu.yaml 第5行：未知字段“reply”"),
    ("buttons:\n  - name: 详情\n    type: click\n    key: MENU_TRAIN\n    sub_buttons:\n      - name: 子\n"
     "        type: click\n        key: MENU_TRAIN\n", "错误：menu.yaml 第2行：“详情”有二级菜单，点它只会展开二级菜单"),
    ("buttons:\n  - name: 详情\n    sub_buttons:\n      - name: 子\n        sub_buttons: []\n",
     "错误：menu.yaml 第5行：二级菜单下不能再有 sub_buttons：微信菜单只有两级"),
    ("button:\n  - name: 城铁\n", "错误：menu.yaml 第1行：menu.yaml 应以“buttons:”开头"),
    ("buttons:\n  - name: 城铁\n    type: click\n", "错误：menu.yaml 第2行：菜单“城铁”是 click，缺少 key"),
])
def test_faq_check_reports_what_wechat_would_refuse(tmp_path, menu_yaml, expected):
    found = problems_of(faq_with_menu(tmp_path / "faq", menu_yaml))
    assert any(p.startswith(expected) for p in found), found


def test_faq_check_prints_menu_errors_with_file_and_line(tmp_path, capsys):
    faq = faq_with_menu(tmp_path / "faq", FOUR_BUTTONS)
    assert run_cli(["--faq-dir", str(faq), "faq", "check", "--no-examples"]) == 1
    out = capsys.readouterr().out
    assert "错误：menu.yaml 第1行：一级菜单应有1到3个，现在有4个" in out and "1 个错误" in out


def test_without_menu_yaml_nothing_about_the_menu_is_checked(faq_dir):
    faq = load_faq(faq_dir)
    assert faq.buttons is None and [str(p) for p in faq.problems] == []


# ---------------------------------------------------------------- push and show against a fake WeChat

@pytest.fixture
def fake():
    server = fake_wechat.FakeWeChat().start()
    yield server
    server.stop()


@pytest.fixture
def menu_env(tmp_path, fake, monkeypatch):
    """The environment `python -m bot menu …` runs in: the fake API, its AppID and AppSecret."""
    env = {"FAQ_DIR": str(faq_with_menu(tmp_path / "faq", GOOD_MENU)), "DATA_DIR": str(tmp_path / "data"),
           "WECHAT_APPID": fake_wechat.APPID, "WECHAT_APPSECRET": fake_wechat.SECRET,
           "WECHAT_API_BASE": fake.base, "PUBLIC_BASE_URL": BASE}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    return env


def menu(*args: str) -> int:
    return run_cli(["menu", *args])


def test_dry_run_shows_the_json_and_calls_nobody(menu_env, fake, capsys):
    assert menu("push", "--dry-run") == 0
    out = capsys.readouterr().out
    assert "--dry-run：没有连接微信" in out and '"url": "https://bot.example.cn/faq/ct-mobanche"' in out
    assert "3. 详情\n   3.1 末班车　打开 https://bot.example.cn/faq/ct-mobanche" in out
    assert fake.calls == []


def test_push_creates_the_menu_and_show_reads_it_back(menu_env, fake, capsys):
    assert menu("show") == 0
    assert "公众号目前没有自定义菜单" in capsys.readouterr().out
    assert menu("push") == 0
    assert "已发布到微信。读回的菜单与 menu.yaml 一致。" in capsys.readouterr().out
    assert fake.menu == GOOD_JSON
    assert menu("show") == 0
    out = capsys.readouterr().out
    assert "1. 城铁　点击 → 回复 MENU_TRAIN" in out and "与 menu.yaml 一致。" in out
    assert fake.token_fetches == 1  # one token for the whole session, kept in DATA_DIR
    token_file = Path(menu_env["DATA_DIR"]) / "wechat_token.sqlite"
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600


def test_show_tells_when_the_live_menu_differs(menu_env, fake, capsys):
    fake.menu = {"button": [{"type": "click", "name": "旧菜单", "key": "OLD"}]}
    assert menu("show") == 0
    out = capsys.readouterr().out
    assert "1. 旧菜单　点击 → 回复 OLD" in out and "与 menu.yaml 不同" in out


def test_push_refuses_a_menu_with_errors_without_calling_wechat(menu_env, fake, capsys):
    Path(menu_env["FAQ_DIR"], "menu.yaml").write_text(FOUR_BUTTONS, encoding="utf-8")
    assert menu("push") == 1
    out = capsys.readouterr().out
    assert "错误：menu.yaml 第1行：一级菜单应有1到3个" in out and "没有发布" in out
    assert fake.calls == []


def test_push_without_menu_yaml_says_where_it_is_expected(menu_env, fake, capsys):
    Path(menu_env["FAQ_DIR"], "menu.yaml").unlink()
    assert menu("push", "--dry-run") == 1
    assert "menu.yaml：没有找到" in capsys.readouterr().out and fake.calls == []


def test_bot_has_no_wechat_client_inside():
    """The core stays free of wechatpy: only the menu command reaches handlers/wechat_api.py, when it runs."""
    offenders = [str(path.relative_to(ROOT)) for path in (ROOT / "bot").rglob("*.py")
                 if "import wechatpy" in path.read_text(encoding="utf-8")
                 or "from wechatpy" in path.read_text(encoding="utf-8")]
    assert offenders == []
    probe = "import sys, bot.cli; bot.cli.build_parser(); print('wechatpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_detail_page_buttons_need_a_public_base_url(menu_env, fake, monkeypatch, capsys):
    monkeypatch.setenv("PUBLIC_BASE_URL", "http://127.0.0.1:8000")
    assert menu("push") == 1
    assert "需要把 PUBLIC_BASE_URL 设为市民手机能打开的公网地址" in capsys.readouterr().out
    assert fake.calls == []


def test_a_rejected_token_is_renewed_once(menu_env, fake, capsys):
    assert menu("push") == 0
    fake.revoke_tokens()  # WeChat no longer takes the cached token (40001)
    assert menu("show") == 0 and "与 menu.yaml 一致" in capsys.readouterr().out
    assert fake.token_fetches == 2
    assert fake.calls[-3:] == ["/cgi-bin/menu/get", "/cgi-bin/token", "/cgi-bin/menu/get"]


def test_a_token_wechat_keeps_rejecting_ends_with_an_error(menu_env, fake, capsys):
    fake.tokens = type("Never", (dict,), {"get": lambda self, key, default=None: None})()  # accepts none
    assert menu("show") == 1
    out = capsys.readouterr().out
    assert "错误：读取失败：" in out and "errcode=40014" in out
    assert fake.token_fetches == 2


@pytest.mark.parametrize("path, error, shown", [
    ("/cgi-bin/token", {"errcode": 40164, "errmsg": "invalid ip 203.0.113.7 ipv6 ::ffff:203.0.113.7, not in whitelist"},
     "本机的出口 IP 不在公众号的 IP 白名单里"),
    ("/cgi-bin/menu/create", {"errcode": 45009, "errmsg": "reach max api daily quota limit"},
     "今天调用这个接口的次数已用完"),
    ("/cgi-bin/menu/create", {"errcode": 45010, "errmsg": "create menu limit"}, "创建菜单的次数超过限制"),
    ("/cgi-bin/menu/create", {"errcode": 45011, "errmsg": "api minute-quota reach limit, must slower"},
     "调用太频繁"),
    ("/cgi-bin/menu/create", {"errcode": 48001, "errmsg": "api unauthorized"}, "公众号没有这个接口的权限"),
    ("/cgi-bin/menu/create", {"errcode": -1, "errmsg": "system error"}, "微信系统繁忙"),
])
def test_wechats_errors_reach_the_operator_in_chinese(menu_env, fake, capsys, path, error, shown):
    fake.fail[path] = error
    assert menu("push") == 1
    out = capsys.readouterr().out
    assert f"错误：发布失败：{shown}" in out and f"errcode={error['errcode']}" in out
    assert fake.menu is None


def test_a_wrong_appsecret_is_named(menu_env, fake, monkeypatch, capsys):
    monkeypatch.setenv("WECHAT_APPSECRET", "wrong")
    assert menu("show") == 1
    assert "AppSecret 无效：请核对 WECHAT_APPSECRET" in capsys.readouterr().out


def test_missing_credentials_and_unreachable_api(menu_env, monkeypatch, capsys):
    monkeypatch.delenv("WECHAT_APPSECRET")
    assert menu("show") == 1
    assert "没有设置 WECHAT_APPSECRET" in capsys.readouterr().out
    monkeypatch.setenv("WECHAT_APPSECRET", fake_wechat.SECRET)
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    monkeypatch.setenv("WECHAT_API_BASE", f"http://127.0.0.1:{closed}/cgi-bin/")
    assert menu("show") == 1
    assert "无法连接微信接口（ConnectionError）" in capsys.readouterr().out


def _command(env: dict, tmp_path: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "bot", "menu", *args], cwd=tmp_path,
                            env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_processes_share_one_token(menu_env, fake, tmp_path):
    """Two commands at once, then a third: like gunicorn workers, one token for all of them."""
    fake.menu = GOOD_JSON
    fake.token_delay = 2.0  # the second asks while the first is still fetching
    started = [_command(menu_env, tmp_path, "show") for _ in range(2)]
    outputs = [p.communicate(timeout=60)[0] for p in started]
    assert all("与 menu.yaml 一致" in out for out in outputs), outputs
    assert fake.token_fetches == 1
    third = _command(menu_env, tmp_path, "push")
    assert "读回的菜单与 menu.yaml 一致" in third.communicate(timeout=60)[0]
    assert fake.token_fetches == 1 and fake.calls.count("/cgi-bin/token") == 1


def test_instances_share_one_token_in_redis(menu_env, fake, tmp_path, redis_server, monkeypatch, capsys):
    """With REDIS_URL the token is every instance's: two DATA_DIRs, one fetch."""
    monkeypatch.setenv("REDIS_URL", redis_server.url)
    assert menu("push") == 0
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "other-instance"))
    assert menu("show") == 0 and "与 menu.yaml 一致" in capsys.readouterr().out
    assert fake.token_fetches == 1
    assert not (tmp_path / "other-instance" / "wechat_token.sqlite").exists()


# ---------------------------------------------------------------- the bundled menu on the webhook

@pytest.fixture(scope="module")
def bundled_index(tmp_path_factory):
    from bot.search.cache import open_or_build
    faq = tmp_path_factory.mktemp("bundled") / "faq"
    shutil.copytree(ROOT / "faq_data", faq)
    return faq, open_or_build(faq, tmp_path_factory.mktemp("bundled-index"))


@pytest.mark.parametrize("mode", ["plain", "safe"])
def test_every_click_button_of_the_bundled_menu_gets_its_reply(bundled_index, tmp_path, aes_key, mode):
    from bot.answer.engine import Engine
    faq_dir, index = bundled_index
    config = Config(faq_dir=faq_dir, data_dir=tmp_path / "data", wechat_token=TOKEN, wechat_appid=fake_wechat.APPID,
                    public_base_url=BASE, faq_reload_interval=0, wechat_aes_key=aes_key if mode == "safe" else "")
    app = create_app(config, engine=Engine(config, index=index))
    wechat = WeChat(app.test_client(), TOKEN, aes_key if mode == "safe" else None, appid=fake_wechat.APPID)
    faq = load_faq(faq_dir)
    clicks = [leaf for top in faq.buttons for leaf in top.leaves() if leaf.type == "click"]
    assert len(clicks) == 6
    for button in clicks:
        _, reply = wechat.send("event", Event="CLICK", EventKey=button.key)
        if button.key == menu_mod.HOT_MENU_KEY:  # no one asked yet: the help text
            assert reply["Content"].startswith("最近的提问还不多")
        else:
            assert reply["Content"] == faq.menu[button.key]
    # A VIEW click is WeChat opening the page: the push it sends gets `success`, no message.
    view = next(leaf for top in faq.buttons for leaf in top.leaves() if leaf.type == "view")
    url = menu_mod.detail_url(view.faq, BASE)
    assert wechat.send("event", Event="VIEW", EventKey=url)[1] is None
    assert app.test_client().get(url.removeprefix(BASE)).status_code == 200  # the page it opens exists
