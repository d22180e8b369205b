"""转人工: "人工", "转人工", "投诉", two fallbacks in a row or "0" in a "您是想问" list lead to the
contact text staff wrote (never a made-up number) with the question to copy, logged for staff;
with WECHAT_KF_TRANSFER the webhook hands the citizen to WeChat's 客服 and stays silent until
the session closes."""
from __future__ import annotations

import time

import pytest

from bot.answer import services
from bot.content.faq import load_faq
from bot.content.model import DEFAULT_TEXTS
from bot.store.conversation import Conversation
from bot.store.sqlite import CONVERSATION_TTL, Store
from tests.citizen_helpers import cli_engine, engine_of, faq_with, own_engine, raw_reply, report_output, rows, send_raw
from tests.helpers import TOKEN, WeChat

CONTACT = "请联系株洲市政务服务中心（测试用文字）。"


@pytest.fixture(params=["plain", "safe"])
def kf(request, make_app, aes_key):
    """The webhook of an account that uses WeChat's own 客服."""
    if request.param == "plain":
        return WeChat(make_app(wechat_kf_transfer="1").test_client(), TOKEN)
    return WeChat(make_app(wechat_kf_transfer="1", wechat_aes_key=aes_key).test_client(), TOKEN, aes_key)


# ---------------------------------------------------------------- the contact text

@pytest.mark.parametrize("word", ["人工", "转人工", "人工客服", "投诉", "我要投诉！"])
def test_words_lead_to_a_person_with_the_question_repeated(wx, word):
    wx.send("text", Content="城铁票价多少钱")
    _, reply = wx.send("text", Content=word)
    assert reply["Content"].startswith(DEFAULT_TEXTS["human"])  # the tiny FAQ has no `human:` of its own
    assert "您的问题是：\n城铁票价多少钱\n" in reply["Content"]
    [handoff] = rows(engine_of(wx.client), "handoffs")
    assert (handoff["trigger"], handoff["question"]) == ("市民要求转人工", "城铁票价多少钱")
    assert handoff["user"] == engine_of(wx.client).hash_user(wx.openid)


def test_a_longer_complaint_is_still_read_as_a_message(plain):
    _, reply = plain.send("text", Content="投诉B市新华驾校无门")
    assert not reply["Content"].startswith(DEFAULT_TEXTS["human"])
    assert rows(engine_of(plain.client), "handoffs") == []


def test_zero_in_a_clarification(wx):
    _, reply = wx.send("text", Content="城铁几点")
    assert reply["Content"].startswith("您是想问：") and reply["Content"].endswith(services.ZERO_LINE)
    _, reply = wx.send("text", Content="0")
    assert reply["Content"].startswith(DEFAULT_TEXTS["human"]) and "城铁几点" in reply["Content"]
    assert rows(engine_of(wx.client), "handoffs")[0]["trigger"] == "“您是想问”列表中回复0"


def test_zero_elsewhere_is_no_hand_off(plain):
    _, reply = plain.send("text", Content="0")
    assert not reply["Content"].startswith(DEFAULT_TEXTS["human"])
    plain.send("text", Content="城铁末班车几点")
    _, reply = plain.send("text", Content="0")
    assert rows(engine_of(plain.client), "handoffs") == []


def test_two_fallbacks_in_a_row(wx):
    _, first = wx.send("text", Content="火星上明天下雨吗")
    assert DEFAULT_TEXTS["human"] not in first["Content"]
    _, second = wx.send("text", Content="公积金贷款利率是多少")
    assert DEFAULT_TEXTS["fallback"].splitlines()[0] in second["Content"]
    assert DEFAULT_TEXTS["human"] in second["Content"] and "您的问题是：\n公积金贷款利率是多少" in second["Content"]
    assert rows(engine_of(wx.client), "handoffs")[0]["trigger"] == "连续两次没答上"
    _, third = wx.send("text", Content="社保怎么交")  # counted afresh
    assert DEFAULT_TEXTS["human"] not in third["Content"]


def test_staff_contact_text_and_the_placeholder(tmp_path):
    written = own_engine(tmp_path / "a", faq_with(tmp_path / "a", {"keywords.yaml": f"human: {CONTACT}\n"}))
    assert written.ask("人工", user="u").text.startswith(CONTACT)
    placeholder = "human: 【待填写】部门、热线号码和服务时间\n"
    faq = faq_with(tmp_path / "b", {"keywords.yaml": placeholder})
    [warning] = load_faq(faq).problems
    assert warning.level == "warning" and warning.line == 1 and "占位文字" in warning.message
    unwritten = own_engine(tmp_path / "b", faq)
    assert unwritten.ask("人工", user="u").text.startswith(DEFAULT_TEXTS["human"])  # never the placeholder


def test_project_contact_text_makes_up_no_number():
    """faq_data/keywords.yaml: the reports give no hotline, so the text is still the placeholder."""
    from bot.config import PROJECT_ROOT
    faq = load_faq(PROJECT_ROOT / "faq_data")
    human = faq.texts["human"]
    assert services.PLACEHOLDER in human and not any(ch.isdigit() for ch in services.human_text(faq.texts))


def test_hand_off_through_the_api(plain_app):
    client = plain_app.test_client()
    client.get("/api/ask", query_string={"q": "城铁票价多少钱", "user": "h"})
    got = client.get("/api/ask", query_string={"q": "转人工", "user": "h"}).get_json()
    assert got["kind"] == "handoff" and "城铁票价多少钱" in got["reply"]


# ---------------------------------------------------------------- WeChat's own 客服

def test_transfer_to_wechat_customer_service_and_silence_until_closed(kf):
    reply = send_raw(kf, "text", Content="人工")
    assert reply["MsgType"] == "transfer_customer_service"
    assert (reply["ToUserName"], reply["FromUserName"]) == (kf.openid, "gh_0123456789ab")
    # while the session is open every message goes to the 客服, the bot answers none
    assert send_raw(kf, "text", Content="城铁末班车几点")["MsgType"] == "transfer_customer_service"
    assert send_raw(kf, "voice", MediaId="m", Format="amr", Recognition="城铁末班车几点")["MsgType"] \
        == "transfer_customer_service"
    assert send_raw(kf, "event", Event="kf_close_session", KfAccount="test1@gh") is None
    after = send_raw(kf, "text", Content="城铁末班车几点")
    assert after["MsgType"] == "text" and "23时25分" in after["Content"]
    engine = engine_of(kf.client)
    assert [h["trigger"] for h in rows(engine, "handoffs")] == ["市民要求转人工"]
    outcomes = [m["outcome"] for m in engine.store.messages()]
    assert outcomes == ["handoff", "handoff", "handoff", "event", "answer"]


def test_a_retried_transfer_is_the_same_and_logged_once(kf):
    url, body = kf.request(kf.fields("text", Content="转人工"))
    replies = [kf.post(url, body) for _ in range(2)]
    assert [raw_reply(kf, r)["MsgType"] for r in replies] == ["transfer_customer_service"] * 2
    assert len(rows(engine_of(kf.client), "handoffs")) == 1


def test_transfer_is_only_for_wechat(make_app):
    client = make_app(wechat_kf_transfer="1").test_client()
    got = client.get("/api/ask", query_string={"q": "人工", "user": "k"}).get_json()
    assert got["kind"] == "handoff" and got["reply"].startswith(DEFAULT_TEXTS["human"])


def test_an_open_session_outlives_the_conversation_ttl(tmp_path):
    store = Store(tmp_path / "bot.sqlite")
    now = time.time()
    store.save_state("u", Conversation(human_until=now + 1800))
    assert store.load_state("u", now=now + CONVERSATION_TTL + 60).human_until == now + 1800
    assert store.load_state("u", now=now + 1801).human_until == 0.0
    store.save_state("v", Conversation(category="城铁出行"))
    assert store.load_state("v", now=now + CONVERSATION_TTL + 60).category == ""


def test_report_counts_hand_offs(plain, monkeypatch, faq_dir):
    engine = cli_engine(plain, monkeypatch, faq_dir)
    plain.send("text", Content="城铁票价多少钱")
    plain.send("text", Content="人工")
    rows(engine, "handoffs")
    out = report_output()
    assert "转人工：1 次（市民要求转人工 1）" in out and "城铁票价多少钱" in out


def test_an_open_session_outlives_the_conversation_ttl_in_redis(redis_server):
    from bot.store.redis import PREFIX, RedisShared

    shared = RedisShared(redis_server.url, on_failure=lambda *a: None)
    shared.save_state("u", Conversation(human_until=time.time() + 1800))
    assert shared.redis.ttl(PREFIX + "conv:u") > CONVERSATION_TTL
    assert shared.load_state("u").human_until > time.time()
    shared.save_state("v", Conversation(category="城铁出行"))
    assert shared.redis.ttl(PREFIX + "conv:v") <= CONVERSATION_TTL


def test_hand_offs_are_purged_with_the_message_log(tmp_path):
    from bot.store.citizen import CitizenLog

    store = Store(tmp_path / "bot.sqlite", log_retention_days=1)
    log = CitizenLog(store)
    log.handoff(user="u", channel="wechat", trigger="市民要求转人工", question="q")
    log.pick(user="u", channel="wechat", kind="hot", faq_id="x")
    log.flush()
    store.purge(now=time.time() + 2 * 86400)
    assert store.db().execute("select count(*) from handoffs").fetchone()[0] == 0
    assert store.db().execute("select count(*) from picks").fetchone()[0] == 0
