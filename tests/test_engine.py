"""The engine around the matcher: live reload, the index cache, storage and privacy."""
import concurrent.futures
import json
import sqlite3
import threading
import time

import pytest
import sqlite_utils

from bot.answer.engine import Engine
from bot.config import Config
from bot.search.build import build_index
from bot.search.index import Index
from bot.search.record import STORED, from_cache
from bot.store.conversation import Conversation
from bot.store.sqlite import Store
from tests.helpers import make_faq_dir

NEW_ENTRY = """\
category: 政务服务
entries:
  - id: zw-night
    question: 网上政务服务晚上能办吗？
    alternates: [半夜能不能网上办事, 网上办事几点关门, 政务服务不打烊]
    keywords: [不打烊]
    answer: 据2021年报道，株洲提供“24小时不打烊”的在线政务服务。
    source: {report: r.txt, title: 株洲日报, date: 2021-01-01}
"""


@pytest.fixture
def engine(tmp_path):
    faq = make_faq_dir(tmp_path / "faq")
    return Engine(Config(faq_dir=faq, data_dir=tmp_path / "data", public_base_url="https://x.cn"))


def test_reload_serves_a_good_edit_and_keeps_serving_through_a_broken_one(engine):
    faq_dir = engine.config.faq_dir
    assert engine.ask("政务服务不打烊吗").kind != "answer"
    (faq_dir / "zhengwu.yaml").write_text(NEW_ENTRY, encoding="utf-8")
    assert engine.reload() is True
    assert engine.ask("网上政务服务晚上能办吗？").faq_id == "zw-night"

    (faq_dir / "zhengwu.yaml").write_text(NEW_ENTRY.replace("  - id: zw-night", "  - id: zw-night\n  oops: [", 1))
    assert engine.reload() is False
    health = engine.health()
    assert health["serving_previous_version"] and "zhengwu.yaml" in health["load_errors"][0]
    assert engine.ask("网上政务服务晚上能办吗？").faq_id == "zw-night"  # the previous FAQ still answers
    assert engine.reload() is False  # the same broken files are not re-read and re-logged

    (faq_dir / "zhengwu.yaml").unlink()
    assert engine.reload() is True
    assert not engine.health()["load_errors"] and engine.ask("网上政务服务晚上能办吗？").faq_id != "zw-night"


def test_a_broken_edit_saved_again_with_the_same_errors_is_logged_once(engine, caplog):
    # Also what a folder moved away between two looks at it gives: two fingerprints, one problem.
    faq_dir = engine.config.faq_dir
    broken = NEW_ENTRY.replace("  - id: zw-night", "  - id: zw-night\n  oops: [", 1)
    (faq_dir / "zhengwu.yaml").write_text(broken, encoding="utf-8")
    assert engine.reload() is False
    (faq_dir / "zhengwu.yaml").write_text(broken + "\n# 再保存一次\n", encoding="utf-8")
    assert engine.reload() is False
    assert [r.message for r in caplog.records].count(caplog.records[-1].message) == 1
    assert sum("FAQ 修改有错误" in r.message for r in caplog.records) == 1
    assert engine.health()["serving_previous_version"]


@pytest.mark.slow
def test_answers_keep_flowing_while_the_faq_reloads(engine):
    faq_dir = engine.config.faq_dir
    failures, slowest = [], [0.0]

    def ask_repeatedly():
        for _ in range(40):
            started = time.perf_counter()
            reply = engine.ask("长株潭城铁末班车是几点？")
            slowest[0] = max(slowest[0], time.perf_counter() - started)
            if reply.faq_id != "ct-mobanche":
                failures.append(reply)

    worker = threading.Thread(target=ask_repeatedly)
    worker.start()
    for i in range(3):
        (faq_dir / "zhengwu.yaml").write_text(NEW_ENTRY.replace("zw-night", f"zw-night-{i}"), encoding="utf-8")
        engine.reload()
        (faq_dir / "broken.yaml").write_text("entries: [", encoding="utf-8")
        engine.reload()
        (faq_dir / "broken.yaml").unlink()
    worker.join()
    assert failures == [] and slowest[0] < 5


def test_index_is_cached_by_content(tmp_path, engine):
    again = Engine(engine.config)
    assert again.index.path == engine.index.path and again.index.built_at == engine.index.built_at
    (engine.config.faq_dir / "zhengwu.yaml").write_text(NEW_ENTRY, encoding="utf-8")
    assert Engine(engine.config).index.path != engine.index.path


def test_a_damaged_index_cache_is_rebuilt(engine):
    path = engine.index.path
    engine.index.close()
    path.write_bytes(b"not a database")
    assert Engine(engine.config).index.size == 3


def test_message_log_keeps_only_a_keyed_hash_of_the_openid(engine, tmp_path):
    openid = "oUSER_openid_1234567890abcdef"
    engine.ask("城铁末班车几点", user=openid, channel="wechat")
    rows = engine.store.messages()
    assert rows[-1]["user"] == engine.hash_user(openid) != openid
    assert rows[-1]["outcome"] == "answer" and rows[-1]["faq_id"] == "ct-mobanche"
    for path in (tmp_path / "data").rglob("*"):
        if path.is_file():
            assert openid.encode() not in path.read_bytes(), path
    other = Engine(engine.config.replace(user_hash_key="another-key"))
    assert other.hash_user(openid) != engine.hash_user(openid)


def test_opening_an_older_store_keeps_its_rows(tmp_path):
    path = tmp_path / "bot.sqlite"
    db = sqlite_utils.Database(path)
    db["messages"].insert({"id": 1, "ts": 1.0, "user": "h", "text": "旧消息"}, pk="id")
    db.close()
    store = Store(path)
    [row] = store.messages()
    assert row["text"] == "旧消息" and "latency_ms" in row
    assert "conversations" in sqlite_utils.Database(path).table_names()


def test_conversation_state_expires(tmp_path):
    store = Store(tmp_path / "bot.sqlite")
    store.save_state("u", Conversation(offered=("a", "b")))
    assert store.load_state("u") == Conversation(offered=("a", "b"))
    assert store.load_state("u", now=time.time() + 601) == Conversation()


def test_conversation_is_stored_as_the_json_it_always_was(tmp_path):
    store = Store(tmp_path / "bot.sqlite")
    old = {"last_id": "ct-mobanche", "category": "城铁出行", "last_query": "城铁末班车几点", "offered": ["x", "y"]}
    store.db()["conversations"].upsert({"user": "u", "updated": time.time(), "state": json.dumps(old)}, pk="user")
    conversation = store.load_state("u")
    assert conversation == Conversation(offered=("x", "y"), category="城铁出行", last_id="ct-mobanche",
                                        last_query="城铁末班车几点")
    store.save_state("u", conversation)
    [row] = store.db().query("select state from conversations")
    assert json.loads(row["state"]) == old
    store.save_state("u", Conversation(category="城铁出行"))
    [row] = store.db().query("select state from conversations")
    assert json.loads(row["state"]) == {"category": "城铁出行"}  # empty fields are not written, as before


def test_index_can_be_read_from_several_threads(engine):
    index: Index = engine.index
    results = []
    threads = [threading.Thread(target=lambda: results.append(index.entry("ct-mobanche").id)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == ["ct-mobanche"] * 8
    with pytest.raises(sqlite3.OperationalError):
        index._db().execute("delete from entries")  # opened read-only: a request cannot damage it


def test_preloading_decodes_every_entry_once_and_answers_stay_the_same(engine):
    index: Index = engine.index
    before = engine.respond("城铁末班车几点")[0]
    assert index.preload(pause=0) == index.size == len(index._records)
    fresh = [from_cache(index._decode(row))
             for row in index._db().execute(f"select {', '.join(STORED)} from entries order by rowid")]
    assert index.records(list(range(1, index.size + 1))) == fresh
    assert engine.respond("城铁末班车几点")[0] == before


def test_a_warmed_up_engine_preloads_in_the_background_and_again_after_a_reload(engine):
    engine.warm_up()
    deadline = time.time() + 10
    while len(engine.index._records) < engine.index.size and time.time() < deadline:
        time.sleep(0.01)
    assert len(engine.index._records) == engine.index.size
    (engine.config.faq_dir / "zhengwu.yaml").write_text(NEW_ENTRY, encoding="utf-8")
    assert engine.reload()
    while len(engine.index._records) < engine.index.size and time.time() < deadline:
        time.sleep(0.01)
    assert engine.index.size == 4 and len(engine.index._records) == 4


def test_a_server_engine_freezes_its_heap_once_decoded_and_unfreezes_it_for_a_reload(engine, monkeypatch):
    calls = []
    monkeypatch.setattr("bot.answer.engine.gc.freeze", lambda: calls.append("freeze"))
    monkeypatch.setattr("bot.answer.engine.gc.unfreeze", lambda: calls.append("unfreeze"))
    engine.warm_up()
    engine.freeze_heap()  # gunicorn's post_worker_init: before or after the preload ends
    deadline = time.time() + 10
    while calls != ["freeze"] and time.time() < deadline:
        time.sleep(0.01)
    assert calls == ["freeze"]
    (engine.config.faq_dir / "zhengwu.yaml").write_text(NEW_ENTRY, encoding="utf-8")
    assert engine.reload()
    while calls != ["freeze", "unfreeze", "freeze"] and time.time() < deadline:
        time.sleep(0.01)
    assert calls == ["freeze", "unfreeze", "freeze"] and len(engine.index._records) == engine.index.size == 4


def test_large_faqs_are_not_preloaded(engine, monkeypatch):
    monkeypatch.setattr("bot.search.index.PRELOAD_MAX_ENTRIES", engine.index.size - 1)
    assert engine.index.preload() == 0 and not engine.index._records


def test_an_index_built_in_worker_processes_is_the_same(engine, tmp_path, monkeypatch):
    from bot.content.faq import load_faq

    faq = load_faq(engine.config.faq_dir)
    monkeypatch.setattr("bot.search.build.PARALLEL_BUILD_ENTRIES", (1, 1000))
    pools = []
    real_pool = concurrent.futures.ProcessPoolExecutor
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor",
                        lambda *a, **k: pools.append(a) or real_pool(*a, **k))
    forked = build_index(faq, tmp_path / "forked.sqlite")
    assert pools, "the worker processes were not used"
    tables = ["entries", "postings", "vocab", "phrasings", "spellings"]
    dump = lambda index: {t: index._db().execute(f"select * from {t} order by 1").fetchall() for t in tables}  # noqa: E731
    assert {t: list(map(tuple, rows)) for t, rows in dump(forked).items()} == \
        {t: list(map(tuple, rows)) for t, rows in dump(engine.index).items()}


def test_a_first_message_is_decided_once_and_its_reply_cannot_be_changed_by_a_caller(engine):
    first = engine.ask("城铁末班车几点", user="a")
    first.candidates.clear()
    first.text = "changed by a caller"
    again = engine.ask("城铁末班车几点", user="b")
    assert len(engine._first_replies) == 1
    assert again.text != "changed by a caller" and again.candidates
    assert again == engine.respond("城铁末班车几点")[0]
    engine.ask("长者餐厅今年建几家", user="c")
    assert len(engine._first_replies) == 2


def test_remembered_first_replies_are_not_served_by_another_index(engine):
    before = engine.ask("政务服务不打烊吗", user="a")
    (engine.config.faq_dir / "zhengwu_extra.yaml").write_text(NEW_ENTRY, encoding="utf-8")
    assert engine.reload()
    after = engine.ask("政务服务不打烊吗", user="b")
    assert before.kind != "answer" and (after.kind, after.faq_id) == ("answer", "zw-night")


def test_a_follow_up_is_decided_in_its_conversation_not_remembered(engine):
    engine.ask("城铁末班车几点", user="a")
    engine.ask("湘潭呢", user="a")
    assert len(engine._first_replies) == 1


def test_first_replies_are_not_remembered_when_switched_off(tmp_path):
    faq = make_faq_dir(tmp_path / "faq")
    engine = Engine(Config(faq_dir=faq, data_dir=tmp_path / "data", first_reply_cache_mb=0))
    engine.ask("城铁末班车几点", user="a")
    assert len(engine._first_replies) == 0
    assert Config.from_env({"FIRST_REPLY_CACHE_MB": "0"}).first_reply_cache_mb == 0


def test_a_reply_that_records_something_is_not_remembered(engine):
    # a hand-off is logged for each citizen, and a 客服 session lasts from its own message
    engine.ask("转人工", user="a", channel="wechat")
    engine.ask("转人工", user="b", channel="wechat")
    assert len(engine._first_replies) == 0
