"""The store under load and faults (issues 11 and 12): no scans or purges on the reply path, the
message log off it, abandoned retry claims taken over, and replies that go out whatever the file does."""
from __future__ import annotations

import logging
import sqlite3
import subprocess
import threading
import time

import pytest

from bot.store import retries, sqlite
from bot.store.conversation import Conversation
from bot.store.sqlite import Store
from tests.helpers import TOKEN, WeChat

OLD_SCHEMA = """
create table messages (id integer primary key, ts float, user text, text text);
create table conversations (user text primary key, updated float, state text);
create table replies (key text primary key, created float, status text, reply text);
insert into replies values ('old', 1.0, 'done', '答复');
insert into conversations values ('u', 1.0, '{}');
"""


def plan(store: Store, sql: str) -> str:
    return " ".join(row[-1] for row in store.db().conn.execute("explain query plan " + sql, [0]))


def test_an_older_file_gets_the_indexes_and_keeps_its_rows(tmp_path):
    path = tmp_path / "bot.sqlite"
    with sqlite3.connect(path) as db:
        db.executescript(OLD_SCHEMA)
    store = Store(path)
    assert store.read("", "select key, reply, owner from replies", []) == [("old", "答复", None)]
    assert "idx_replies_created" in plan(store, "delete from replies where created < ?")
    assert "idx_conversations_updated" in plan(store, "delete from conversations where updated < ?")


def test_two_workers_opening_a_fresh_file_at_once_both_succeed(tmp_path):
    errors = []

    def open_store():
        try:
            Store(tmp_path / "bot.sqlite")
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=open_store) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors


def test_the_reply_path_does_not_purge_the_background_does(tmp_path):
    store = Store(tmp_path / "bot.sqlite")
    long_ago = time.time() - 2 * retries.TTL
    store.db().conn.executemany("insert into replies (key, created, status, reply) values (?, ?, 'done', '')",
                                [(f"k{i}", long_ago) for i in range(2500)] + [("fresh", time.time())])
    store.db().conn.execute("insert into conversations values ('old', ?, '{}')", [long_ago])
    assert retries.claim(store, "new")
    store.save_state("u", Conversation(category="城铁出行"))
    assert store.read("", "select count(*) from replies", []) == [(2502,)]  # nothing deleted on the way
    assert store.purge() == 2501  # in batches of 1000, on the index
    assert {k for (k,) in store.read("", "select key from replies", [])} == {"fresh", "new"}
    assert store.read("", "select user from conversations", []) == [("u",)]


def test_the_log_writer_purges_once_a_minute(tmp_path, monkeypatch):
    store = Store(tmp_path / "bot.sqlite")
    calls = []
    monkeypatch.setattr(store._log, "_chore", lambda: calls.append(1))
    for _ in range(3):
        store.log_message(user="h", msg_type="text", text="你好", outcome="rule")
        store.flush()
    assert calls == [1]


def test_the_message_log_is_written_in_the_background_within_a_second(tmp_path):
    store = Store(tmp_path / "bot.sqlite")
    for i in range(20):
        store.log_message(user="h", msg_type="text", text=f"问题{i}", outcome="answer")
    other = sqlite3.connect(tmp_path / "bot.sqlite")
    deadline = time.monotonic() + 3
    while other.execute("select count(*) from messages").fetchone()[0] < 20 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert other.execute("select count(*) from messages").fetchone()[0] == 20  # flushed without asking
    store.log_message(user="h", msg_type="text", text="最后", outcome="answer")
    assert store.messages()[-1]["text"] == "最后"  # readers flush first


def lock(path) -> sqlite3.Connection:
    """Another connection holding the write lock, as a stuck process or a backup would."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("begin exclusive")
    return conn


def test_a_locked_file_delays_a_reply_by_at_most_a_second(plain, plain_app, caplog, monkeypatch):
    monkeypatch.setattr("bot.store.background._last_logged", {})
    engine = plain_app.extensions["engine"]
    locker = lock(engine.store.path)
    started = time.monotonic()
    _, reply = plain.send("text", Content="城铁末班车几点")
    _, again = plain.send("text", Content="城铁末班车几点")
    assert time.monotonic() - started < 1.5
    assert "23时25分" in reply["Content"] and again["Content"] == reply["Content"]
    # The conversation lives in memory meanwhile; the failure is logged once, without the OpenID.
    assert engine.store.load_state(engine.hash_user(plain.openid)).last_id == "ct-mobanche"
    failures = [r for r in caplog.records if r.name == "bot.store"]
    assert len(failures) == 1 and plain.openid not in failures[0].getMessage()
    locker.rollback()


def test_the_store_recovers_by_itself(tmp_path, monkeypatch):
    monkeypatch.setattr(sqlite, "RETRY_AFTER", 0.0)
    store = Store(tmp_path / "bot.sqlite")
    locker = lock(store.path)
    store.save_state("u", Conversation(category="城铁出行"))
    assert store.write_failures == 1 and store.load_state("u").category == "城铁出行"
    locker.rollback()
    store.save_state("u", Conversation(category="公积金"))
    assert store.read("", "select state from conversations", []) == [('{"category": "公积金"}',)]
    assert not store._fallback and store.load_state("u").category == "公积金"


def test_a_full_disk_still_gets_answers(plain_app):
    engine = plain_app.extensions["engine"]
    db = engine.store.db().conn
    db.execute(f"pragma max_page_count = {db.execute('pragma page_count').fetchone()[0]}")  # no more pages
    with pytest.raises(sqlite3.OperationalError, match="full"):
        for i in range(100_000):
            db.execute("insert into replies values (?, 1, 'done', '', '')", [f"filling{i:08}"])
    assert retries.claim(engine.store, "a key that cannot be written")  # answered anyway
    assert engine.store.write_failures == 1
    reply = engine.ask("城铁末班车几点", user="alice", channel="wechat")
    assert reply.faq_id == "ct-mobanche"
    assert engine.store.load_state(engine.hash_user("alice")).last_id == "ct-mobanche"


def test_with_a_full_disk_a_redelivery_to_the_same_process_gets_the_reply_given(plain_app):
    store = plain_app.extensions["engine"].store
    db = store.db().conn
    db.execute(f"pragma max_page_count = {db.execute('pragma page_count').fetchone()[0]}")
    with pytest.raises(sqlite3.OperationalError, match="full"):
        for i in range(100_000):
            db.execute("insert into replies values (?, 1, 'done', '', '')", [f"filling{i:08}"])
    assert retries.claim(store, "push-1")          # nothing can be written: answer
    assert not retries.claim(store, "push-1")      # but this process already answers it
    retries.finish(store, "push-1", "末班车23时25分")
    assert retries.wait_for_reply(store, "push-1", timeout=0.5) == "末班车23时25分"
    assert retries.claim(store, "push-2")          # another push is still answered


# ---------------------------------------------------------------- abandoned retry claims

def dead_owner() -> str:
    process = subprocess.Popen(["true"])
    process.wait()  # reaped: its pid names no process now
    return f"{retries.MACHINE}/{process.pid}"


def pending(store: Store, key: str, owner: str | None, age: float = 1.0) -> None:
    store.db().conn.execute("insert into replies values (?, ?, 'pending', '', ?)", [key, time.time() - age, owner])


def test_a_pending_claim_of_a_dead_worker_is_taken_over_and_answered(plain, plain_app):
    engine = plain_app.extensions["engine"]
    fields = plain.fields("text", Content="城铁末班车几点")
    key = retries.hashed_key(retries.message_key({k: str(v) for k, v in fields.items()}), engine.hash_user)
    pending(engine.store, key, dead_owner())  # the first delivery's worker was killed mid-request
    started = time.monotonic()
    reply = plain.read(plain.post(*plain.request(fields)))
    assert time.monotonic() - started < 1 and "23时25分" in reply["Content"]
    again = plain.read(plain.post(*plain.request(fields)))  # and the next retry gets the same
    assert again["Content"] == reply["Content"] and len(engine.store.messages()) == 1


def test_which_claims_are_taken_over(tmp_path):
    store = Store(tmp_path / "bot.sqlite")
    pending(store, "dead", dead_owner())
    pending(store, "old lease", retries.owner(), age=retries.LEASE + 1)
    pending(store, "alive", retries.owner())
    pending(store, "elsewhere", "other-host/boot/1")
    pending(store, "before owners", None)
    assert retries.claim(store, "dead") and not retries.claim(store, "dead")  # exactly one winner
    assert retries.claim(store, "old lease")
    assert not retries.claim(store, "alive")
    assert not retries.claim(store, "elsewhere") and not retries.claim(store, "before owners")


def test_a_waiting_delivery_stops_waiting_when_the_first_worker_dies(tmp_path):
    store = Store(tmp_path / "bot.sqlite")
    pending(store, "k", dead_owner())
    started = time.monotonic()
    assert retries.wait_for_reply(store, "k") is None and time.monotonic() - started < 0.5
    assert retries.claim(store, "k")


def test_store_failures_are_logged_once_a_minute(tmp_path, caplog, monkeypatch):
    monkeypatch.setattr(sqlite, "RETRY_AFTER", 0.0)
    monkeypatch.setattr("bot.store.background._last_logged", {})
    store = Store(tmp_path / "bot.sqlite")
    counted = []
    store.on_failure = counted.append  # what the web layer's metrics hook into
    locker = lock(store.path)
    with caplog.at_level(logging.WARNING, logger="bot.store"):
        for _ in range(2):
            store.save_state("u", Conversation())
    locker.rollback()
    assert store.write_failures == 2 and counted == ["save_state"] * 2 and len(caplog.records) == 1


def test_two_workers_see_each_others_conversations(make_app):
    # Follow-ups may reach the other worker: the file, not a worker's memory, is the truth.
    apps = [make_app(), make_app()]
    wxs = [WeChat(app.test_client(), TOKEN, openid="oSameUser") for app in apps]
    wxs[0].send("text", Content="城铁末班车几点")
    engine = apps[1].extensions["engine"]
    assert engine.store.load_state(engine.hash_user("oSameUser")).last_id == "ct-mobanche"
