"""WeChat re-delivers a push it got no answer to within 5 s: process once, answer each delivery alike."""
from __future__ import annotations

import threading
import time

from bot.store import retries
from tests.helpers import TOKEN, WeChat


def count_asks(engine, monkeypatch, delay: float = 0.0) -> list:
    """Wrap the real engine.ask to count calls (and slow it down like a busy worker)."""
    calls, real = [], engine.ask

    def ask(*args, **kwargs):
        calls.append(args)
        time.sleep(delay)
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "ask", ask)
    return calls


def test_repeated_message_is_processed_once(safe, monkeypatch):
    engine = safe.client.application.extensions["engine"]
    calls = count_asks(engine, monkeypatch)
    fields = safe.fields("text", Content="城铁末班车几点")
    # WeChat may replay the identical request, or re-sign it: both are the same push.
    replies = [safe.read(safe.post(*safe.request(fields)), fields)["Content"] for _ in range(3)]
    assert len(calls) == 1
    assert replies[0] == replies[1] == replies[2] and "23时25分" in replies[0]
    assert len(engine.store.messages()) == 1


def test_same_msgid_from_another_user_is_a_different_push(plain, plain_app, monkeypatch):
    calls = count_asks(plain_app.extensions["engine"], monkeypatch)
    other = WeChat(plain_app.test_client(), TOKEN)
    fields = plain.fields("text", Content="城铁末班车几点")
    plain.read(plain.post(*plain.request(fields)))
    other.read(other.post(*other.request(dict(fields, FromUserName=other.openid))))
    assert len(calls) == 2


def test_repeated_event_is_processed_once(plain):
    engine = plain.client.application.extensions["engine"]
    fields = plain.fields("event", Event="subscribe", EventKey="qrscene_9")
    first = plain.read(plain.post(*plain.request(fields)))
    again = plain.read(plain.post(*plain.request(fields)))
    assert first["Content"] == again["Content"]
    assert len(engine.store.messages()) == 1
    later = plain.read(plain.post(*plain.request(dict(fields, CreateTime=fields["CreateTime"] + 1))))
    assert later["Content"] == first["Content"] and len(engine.store.messages()) == 2


def test_silent_event_repeat_also_gets_success(plain):
    fields = plain.fields("event", Event="unsubscribe")
    assert plain.post(*plain.request(fields)).data == b"success"
    assert plain.post(*plain.request(fields)).data == b"success"


def test_concurrent_deliveries_wait_for_the_first(safe, safe_app, aes_key, monkeypatch):
    engine = safe_app.extensions["engine"]
    calls = count_asks(engine, monkeypatch, delay=1.0)
    fields = safe.fields("text", Content="城铁末班车几点")
    results: dict[int, dict] = {}

    def deliver(i: int):
        wx = WeChat(safe_app.test_client(), TOKEN, aes_key, openid=safe.openid)
        results[i] = wx.read(wx.post(*wx.request(fields)), fields)

    threads = [threading.Thread(target=deliver, args=(i,)) for i in range(3)]
    started = time.monotonic()
    for t in threads:
        t.start()
        time.sleep(0.1)
    for t in threads:
        t.join(10)
    assert time.monotonic() - started < 4.5
    assert len(calls) == 1
    assert {r["Content"] for r in results.values()} == {results[0]["Content"]}
    assert "23时25分" in results[0]["Content"]


def test_two_apps_share_the_claim_like_two_gunicorn_workers(make_app, monkeypatch):
    # Two apps = two workers: separate engines and stores, one DATA_DIR.
    apps = [make_app(), make_app()]
    calls = [count_asks(app.extensions["engine"], monkeypatch, delay=0.5) for app in apps]
    wxs = [WeChat(app.test_client(), TOKEN, openid="oSameUser") for app in apps]
    fields = wxs[0].fields("text", Content="城铁首班车几点")
    results = {}

    def deliver(i):
        results[i] = wxs[i].read(wxs[i].post(*wxs[i].request(fields)))["Content"]

    threads = [threading.Thread(target=deliver, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert sum(len(c) for c in calls) == 1
    assert results[0] == results[1] and "6时" in results[0]


# ---------------------------------------------------------------- bot/retries.py on its own

def test_claim_finish_wait(plain_app):
    store = plain_app.extensions["engine"].store
    key = retries.hashed_key("msg|oUser|1")
    assert "oUser" not in key
    assert retries.claim(store, key)
    assert not retries.claim(store, key)
    assert retries.wait_for_reply(store, key, timeout=0.1) is None  # still pending
    retries.finish(store, key, "答复")
    assert retries.wait_for_reply(store, key, timeout=0.1) == "答复"


def test_rows_expire_after_a_day(plain_app):
    store = plain_app.extensions["engine"].store
    assert retries.claim(store, "k", now=1000.0)
    assert retries.claim(store, "k", now=1000.0 + retries.TTL + 1)  # the old row was purged


def test_message_key():
    assert retries.message_key({"FromUserName": "o1", "MsgId": "5"}) == "msg|o1|5"
    event = {"FromUserName": "o1", "CreateTime": "9", "Event": "CLICK", "EventKey": "K"}
    assert retries.message_key(event) == "event|o1|9|CLICK|K"
    assert retries.message_key({"MsgId": "5"}) is None
