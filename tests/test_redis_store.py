"""The Redis store (bot/store/redis.py) against a real redis-server: claims, replies,
conversations and rate counters, exactly once across instances, and answers when Redis is gone."""
from __future__ import annotations

import logging
import subprocess
import threading
import time

import pytest
import yaml

from bot.answer.engine import Engine
from bot.store import redis as redis_store
from bot.store import retries
from bot.store.conversation import NEW_CONVERSATION, Conversation
from bot.store.redis import RedisShared
from bot.store.shared import SqliteShared, open_shared
from bot.store.sqlite import CONVERSATION_TTL, Store
from tests.helpers import ROOT, TOKEN, WeChat


@pytest.fixture
def failures():
    return []


@pytest.fixture
def shared(redis_server, failures) -> RedisShared:
    return RedisShared(redis_server.url, on_failure=lambda what, exc: failures.append(what))


def dead_owner() -> str:
    process = subprocess.Popen(["true"])
    process.wait()
    return f"{retries.MACHINE}/{process.pid}"


def test_open_shared_picks_redis_only_with_a_url(tmp_path, redis_server):
    store = Store(tmp_path / "bot.sqlite")
    assert isinstance(open_shared(store), SqliteShared)
    assert isinstance(open_shared(store, redis_server.url), RedisShared)


def test_claim_wait_finish(shared):
    assert shared.claim("k")
    assert not shared.claim("k")  # the second delivery, on whichever instance
    assert shared.wait_for_reply("k", timeout=0.1) is None  # still pending
    shared.finish("k", "答复")
    assert shared.wait_for_reply("k", timeout=0.1) == "答复"
    assert not shared.claim("k")  # a retry after the answer gets the answer, not a second run
    shared.claim("silent")
    shared.finish("silent", "")
    assert shared.wait_for_reply("silent", timeout=0.1) == ""  # `success` is a reply too


def test_the_claim_is_a_lease_and_the_reply_lives_for_the_retry_window(shared, monkeypatch):
    monkeypatch.setattr(redis_store, "CLAIM_LEASE_MS", 200)
    assert shared.claim("k")
    assert 0 < shared.redis.pttl("zhuzhou:push:k") <= 200
    time.sleep(0.3)  # the claiming instance died without answering: the lease runs out
    assert shared.wait_for_reply("k", timeout=1) is None
    assert shared.claim("k")
    shared.finish("k", "答复")
    assert redis_store.REPLY_TTL_MS - 1000 < shared.redis.pttl("zhuzhou:push:k") <= redis_store.REPLY_TTL_MS


def test_a_dead_process_claim_is_taken_over_by_exactly_one(shared):
    shared.redis.set("zhuzhou:push:k", redis_store.PENDING + dead_owner(), px=60_000)
    started = time.monotonic()
    assert shared.wait_for_reply("k") is None and time.monotonic() - started < 0.5
    assert shared.claim("k") and not shared.claim("k")
    shared.redis.set("zhuzhou:push:alive", redis_store.PENDING + retries.owner(), px=60_000)
    shared.redis.set("zhuzhou:push:elsewhere", redis_store.PENDING + "other-host/boot/1", px=60_000)
    assert not shared.claim("alive") and not shared.claim("elsewhere")  # left to the lease


def test_one_of_many_instances_wins_a_claim(redis_server):
    instances = [RedisShared(redis_server.url, on_failure=print) for _ in range(16)]
    won, start = [], threading.Barrier(len(instances))

    def deliver(shared):
        start.wait()
        won.append(shared.claim("the-push"))

    threads = [threading.Thread(target=deliver, args=(s,)) for s in instances]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(won) == [False] * 15 + [True]


def test_conversation_state_expires_like_sqlite(shared, redis_server):
    assert shared.load_state("u") == NEW_CONVERSATION
    shared.save_state("u", Conversation(category="城铁出行", last_id="ct-shoubanche"))
    assert shared.load_state("u") == Conversation(category="城铁出行", last_id="ct-shoubanche")
    assert CONVERSATION_TTL - 2 <= shared.redis.ttl("zhuzhou:conv:u") <= CONVERSATION_TTL
    other_instance = RedisShared(redis_server.url, on_failure=print)
    assert other_instance.load_state("u").last_id == "ct-shoubanche"


def test_rate_counters_count_per_key_and_window(shared):
    assert [shared.hit("a", 60) for _ in range(3)] == [1, 2, 3]
    assert shared.hit("b", 60) == 1
    assert 0 < max(shared.redis.ttl(k) for k in shared.redis.keys("zhuzhou:rate:a:*")) <= 61
    while time.time() % 1 > 0.8:  # not at the edge of a second
        time.sleep(0.05)
    assert shared.hit("c", 1) == 1 and shared.hit("c", 1) == 2
    time.sleep(1.0)
    assert shared.hit("c", 1) == 1  # a new window


def test_redis_going_away_costs_no_answer(shared, redis_server, failures, monkeypatch, caplog):
    shared.save_state("u", Conversation(category="城铁出行"))
    redis_server.stop()
    started = time.monotonic()
    with caplog.at_level(logging.INFO):
        assert shared.claim("k") and shared.claim("k")  # every delivery answers: better twice than never
        shared.finish("k", "答复")
        assert shared.wait_for_reply("k", timeout=0.2) is None
        shared.save_state("u", Conversation(category="公积金"))
        assert shared.load_state("u").category == "公积金"  # kept in memory meanwhile
        assert [shared.hit("a", 60) for _ in range(3)] == [1, 2, 3]  # counted in memory meanwhile
    assert time.monotonic() - started < 1.5
    assert failures == ["redis_claim"]  # reported once, then Redis is left alone for a while
    redis_server.start()  # back, empty
    monkeypatch.setattr(redis_store, "RETRY_AFTER_S", 0.0)
    shared._skip_until = 0.0
    shared.save_state("u", Conversation(category="医保"))
    assert shared.redis.get("zhuzhou:conv:u") is not None and not shared._states
    assert shared.load_state("u").category == "医保"
    assert shared.claim("k2") and not shared.claim("k2")


def test_unreachable_redis_is_reported_like_a_store_failure(tmp_path, caplog, monkeypatch):
    monkeypatch.setattr("bot.store.background._last_logged", {})
    store = Store(tmp_path / "bot.sqlite")
    counted = []
    store.on_failure = counted.append  # what metrics.observe hooks in
    shared = open_shared(store, "redis://127.0.0.1:1/0")  # nothing listens there
    with caplog.at_level(logging.WARNING, logger="bot.store"):
        assert shared.claim("k")
    assert counted == ["redis_claim"] and store.write_failures == 1
    assert len(caplog.records) == 1 and "redis_claim" in caplog.records[0].getMessage()


# ---------------------------------------------------------------- through the webhook

@pytest.fixture
def instances(make_app, redis_server, tmp_path):
    """Two apps with their own DATA_DIR and one Redis: two instances behind a load balancer."""
    return [make_app(data_dir=tmp_path / name, redis_url=redis_server.url, user_hash_key="shared-secret")
            for name in ("a", "b")]


def test_a_retry_at_the_other_instance_gets_the_same_reply(instances):
    wx = [WeChat(app.test_client(), TOKEN, openid="oCitizen") for app in instances]
    fields = wx[0].fields("text", Content="城铁末班车几点")
    first = wx[0].read(wx[0].post(*wx[0].request(fields)))
    again = wx[1].read(wx[1].post(*wx[1].request(fields)))
    assert "23时25分" in first["Content"] and again["Content"] == first["Content"]
    logged = [app.extensions["engine"].store.messages() for app in instances]
    assert [len(rows) for rows in logged] == [1, 0]  # processed once; the log stays per instance


def pick_the_second_offer(apps) -> str:
    """Ask A something it answers with two offers, pick "2" at B: only the conversation A
    kept says what "2" is (on its own it is no question at all)."""
    wx = [WeChat(app.test_client(), TOKEN, openid="oCitizen") for app in apps]
    assert "1." in wx[0].send("text", Content="城铁几点")[1]["Content"]  # 末班车 or 首班车?
    return wx[1].send("text", Content="2")[1]["Content"]


def test_a_follow_up_at_the_other_instance_keeps_its_context(instances):
    assert "6时整点开出" in pick_the_second_offer(instances)


def test_without_redis_the_other_instance_has_no_context(make_app, tmp_path):
    # The control: two instances with their own sqlite only, as before this backend.
    apps = [make_app(data_dir=tmp_path / name) for name in ("a", "b")]
    assert "6时整点开出" not in pick_the_second_offer(apps)


def test_redis_holds_no_openid(instances, redis_server):
    wx = WeChat(instances[0].test_client(), TOKEN, openid="oPrivateOpenId123")
    wx.send("text", Content="城铁首班车几点")
    client = instances[0].extensions["engine"].shared.redis
    keys = client.keys("*")
    assert keys and not any("oPrivate" in k or "oPrivate" in (client.get(k) or "") for k in keys)


def test_redis_needs_one_hash_key_for_all_instances(base_config, shared_index, redis_server):
    with pytest.raises(ValueError, match="USER_HASH_KEY"):
        Engine(base_config.replace(redis_url=redis_server.url), index=shared_index)


def test_the_readmes_compose_example_shares_redis_and_one_hash_key():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = "# docker-compose.yml" + text.split("```yaml\n# docker-compose.yml", 1)[1].split("```", 1)[0]
    compose = yaml.safe_load(block)
    bots = {name: service for name, service in compose["services"].items() if service.get("image") == "zhuzhou-bot"}
    assert len(bots) == 2 and "redis" in compose["services"]
    assert {bot["environment"]["REDIS_URL"] for bot in bots.values()} == {"redis://redis:6379/0"}
    assert {bot["environment"]["USER_HASH_KEY"] for bot in bots.values()} == {"${USER_HASH_KEY}"}
    assert len({bot["volumes"][0] for bot in bots.values()}) == 2  # a DATA_DIR each
