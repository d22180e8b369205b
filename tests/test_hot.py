"""热点问题: counted from the message log (answers on WeChat, last 7 days), pinned and hidden
by staff in hot.yaml, sent for 热点, a menu key, under the welcome text and in a fallback, and
picked by number through the one pick of decision.py."""
from __future__ import annotations

import time

from bot.answer.hot import HotQuestions
from bot.content.faq import load_faq
from bot.store.sqlite import Store
from tests.citizen_helpers import cli_engine, engine_of, faq_with, own_engine, report_output, rows
from tests.helpers import WeChat


def _asked(wx: WeChat, question: str, times: int) -> None:
    for _ in range(times):
        WeChat(wx.client, wx.token, wx.aes_key).send("text", Content=question)  # a citizen each


def _counted(engine) -> None:
    engine.store.flush()
    engine.hot.refresh()


# ---------------------------------------------------------------- counting

def _log(store: Store, faq_id: str, channel: str = "wechat", ts: float | None = None) -> None:
    store.db().conn.execute("insert into messages (ts, user, channel, msg_kind, text, outcome, faq_id) "
                            "values (?, 'u', ?, 'text', 'q', 'answer', ?)", [ts or time.time(), channel, faq_id])


def test_most_asked_of_the_last_seven_days_on_wechat(shared_index, tmp_path):
    store = Store(tmp_path / "bot.sqlite")
    for faq_id, n in (("ct-shoubanche", 3), ("yl-canteen", 2), ("ct-mobanche", 1)):
        for _ in range(n):
            _log(store, faq_id)
    for _ in range(5):
        _log(store, "ct-mobanche", channel="api")                     # not citizens
        _log(store, "ct-mobanche", ts=time.time() - 8 * 86400)        # too old
    _log(store, "no-longer-served")
    hot = HotQuestions(store)
    assert hot.ids(shared_index) == ["ct-shoubanche", "yl-canteen", "ct-mobanche"]
    assert hot.ids(shared_index, size=2) == ["ct-shoubanche", "yl-canteen"]


def test_the_count_is_cached_and_recounted_in_the_background(shared_index, tmp_path):
    store = Store(tmp_path / "bot.sqlite")
    _log(store, "yl-canteen")
    hot = HotQuestions(store, ttl=3600)
    assert hot.ids(shared_index) == ["yl-canteen"]
    for _ in range(3):
        _log(store, "ct-mobanche")
    assert hot.ids(shared_index) == ["yl-canteen"]  # no scan of the log per message
    hot.ttl = 0.0
    hot.ids(shared_index)  # stale: served as it is, recounted by a thread
    deadline = time.monotonic() + 5
    while hot.ids(shared_index)[0] != "ct-mobanche" and time.monotonic() < deadline:
        time.sleep(0.02)
    assert hot.ids(shared_index) == ["ct-mobanche", "yl-canteen"]


HOT_YAML = """\
pin: [yl-canteen]
hide: [ct-shoubanche]
"""


def test_staff_pin_and_hide(tmp_path):
    engine = own_engine(tmp_path, faq_with(tmp_path, {"hot.yaml": HOT_YAML}))
    for faq_id in ("ct-shoubanche", "ct-shoubanche", "ct-mobanche"):
        _log(engine.store, faq_id)
    assert engine.hot.ids(engine.index) == ["yl-canteen", "ct-mobanche"]


def test_faq_check_names_a_wrong_id_with_its_line(tmp_path):
    faq = load_faq(faq_with(tmp_path, {"hot.yaml": "pin: [yl-canteen]\nhide: [ct-nosuch]\n"}))
    [problem] = faq.errors
    assert (problem.file, problem.line) == ("hot.yaml", 2) and "ct-nosuch" in problem.message
    faq = load_faq(faq_with(tmp_path, {"hot.yaml": "pin: yl-canteen\nshow: [x]\n"}))
    assert [p.message for p in faq.errors] == ["未知字段“show”（可用：pin、hide）"]


# ---------------------------------------------------------------- where citizens see it

def test_hot_keyword_lists_them_and_a_number_picks_one(wx):
    _asked(wx, "城铁首班车几点", 2)
    _asked(wx, "老年食堂有几个", 1)
    engine = engine_of(wx.client)
    _counted(engine)
    _, reply = wx.send("text", Content="热点")
    assert reply["Content"] == ("大家最近常问：\n1. 长株潭城铁首班车几点开？\n2. 株洲有多少个老年食堂？\n回复数字即可。")
    _, reply = wx.send("text", Content="2")
    assert "老年食堂" in reply["Content"] and "120" in reply["Content"]
    [pick] = rows(engine, "picks")
    assert (pick["kind"], pick["faq_id"], pick["user"]) == ("hot", "yl-canteen", engine.hash_user(wx.openid))


def test_fallback_offers_them(wx):
    _asked(wx, "城铁首班车几点", 1)
    _counted(engine_of(wx.client))
    _, reply = wx.send("text", Content="火星上明天下雨吗")
    assert reply["Content"].endswith("大家最近常问：\n1. 长株潭城铁首班车几点开？\n回复数字即可。")
    _, reply = wx.send("text", Content="1")
    assert "6时" in reply["Content"]


def test_welcome_and_menu_key_show_them(wx):
    _asked(wx, "城铁首班车几点", 1)
    _counted(engine_of(wx.client))
    _, reply = wx.send("event", Event="subscribe")
    assert reply["Content"].startswith("您好，欢迎关注") and "大家最近常问：\n1. 长株潭城铁首班车几点开？" in reply["Content"]
    _, reply = wx.send("text", Content="1")
    assert "6时" in reply["Content"]
    _, reply = wx.send("event", Event="CLICK", EventKey="MENU_HOT")
    assert reply["Content"].startswith("大家最近常问：")


def test_without_any_count_yet(plain):
    _, reply = plain.send("text", Content="热点问题")
    assert reply["Content"].startswith("最近的提问还不多。")
    _, reply = plain.send("text", Content="1")
    assert "最近的提问" not in reply["Content"] and rows(engine_of(plain.client), "picks") == []


def test_a_number_in_a_fresh_conversation_is_no_pick(plain):
    _asked(plain, "城铁首班车几点", 1)
    _counted(engine_of(plain.client))
    _, reply = plain.send("text", Content="1")
    assert "6时" not in reply["Content"]


def test_hot_through_the_api(plain, plain_app):
    _asked(plain, "城铁首班车几点", 1)
    _counted(engine_of(plain_app))
    client = plain_app.test_client()
    listed = client.get("/api/ask", query_string={"q": "热门问题", "user": "t"}).get_json()
    assert listed["kind"] == "hot" and "1. 长株潭城铁首班车几点开？" in listed["reply"]
    picked = client.get("/api/ask", query_string={"q": "1", "user": "t"}).get_json()
    assert picked["faq_id"] == "ct-shoubanche"


def test_report_shows_hot_picks(plain, monkeypatch, faq_dir):
    engine = cli_engine(plain, monkeypatch, faq_dir)
    _asked(plain, "城铁首班车几点", 1)
    _counted(engine)
    plain.send("text", Content="热点")
    plain.send("text", Content="1")
    rows(engine, "picks")
    out = report_output()
    assert "热点问题：1 次（长株潭城铁首班车几点开？ 1 次）" in out


def test_an_empty_count_is_recounted_sooner(shared_index, tmp_path, monkeypatch):
    from bot.answer import hot as hot_module

    store = Store(tmp_path / "bot.sqlite")
    hot = HotQuestions(store, ttl=3600)
    assert hot.ids(shared_index) == []
    _log(store, "yl-canteen")
    monkeypatch.setattr(hot_module, "EMPTY_TTL", 0.0)
    hot.ids(shared_index)
    deadline = time.monotonic() + 5
    while not hot.ids(shared_index) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert hot.ids(shared_index) == ["yl-canteen"]
