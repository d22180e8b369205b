"""Two live instances behind one Redis (issue 11, "several instances"): two gunicorns as production
runs them, each with its own DATA_DIR, and one real redis-server. WeChat's retry reaching the other
instance gets one processing and the same reply, a follow-up there keeps its context, and when
Redis goes away both still answer."""
from __future__ import annotations

import sqlite3
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.helpers import TOKEN

pytestmark = pytest.mark.slow

QUESTION, ANSWER = "城铁末班车几点", "23时25分"


@pytest.fixture
def instances(gunicorn, redis_server):
    # USER_HASH_KEY alike on all instances: one citizen, one hash, whichever instance answers.
    # TEST_REPLY_DELAY keeps each first delivery in flight long enough for a retry to overlap it.
    env = {"REDIS_URL": redis_server.url, "USER_HASH_KEY": "one-key-for-all-instances", "TEST_REPLY_DELAY": "0.5",
           "WECHAT_TOKEN": TOKEN}
    return gunicorn("a", **env), gunicorn("b", **env)


def metrics_of(server) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/metrics", timeout=5) as response:
        return response.read().decode()


def logged_messages(server, wait: float = 1.5) -> int:
    """Rows in the instance's own message log (written within a second)."""
    time.sleep(wait)
    with sqlite3.connect(server.data_dir / "bot.sqlite") as db:
        return db.execute("select count(*) from messages").fetchone()[0]


def test_a_retry_and_a_follow_up_at_the_other_instance(instances, wechat_at):
    a, b = instances
    at_a, at_b = wechat_at(a, "oCitizenOne"), wechat_at(b, "oCitizenOne")
    fields = at_a.fields("text", Content=QUESTION)
    replies = {}

    def deliver(name, wx):
        replies[name] = wx.read(wx.post(*wx.request(fields)), fields)["Content"]

    first = threading.Thread(target=deliver, args=("a", at_a))
    first.start()
    time.sleep(0.2)  # the retry arrives while A is still answering
    deliver("b", at_b)
    first.join(10)
    deliver("b again", at_b)  # and once more after A has answered
    assert ANSWER in replies["a"] and replies["b"] == replies["a"] == replies["b again"]
    assert logged_messages(a) + logged_messages(b, wait=0) == 1

    # A burst: each of 10 pushes delivered to both instances at once, processed once in all.
    jobs = []
    for i in range(10):
        wx_a, wx_b = wechat_at(a, f"oBurst{i}"), wechat_at(b, f"oBurst{i}")
        burst_fields = wx_a.fields("text", Content=QUESTION)
        jobs += [(wx_a, burst_fields), (wx_b, burst_fields)]
    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(lambda job: job[0].read(job[0].post(*job[0].request(job[1]))), jobs))
    assert all(r is not None and ANSWER in r["Content"] for r in got)
    assert logged_messages(a) + logged_messages(b, wait=0) == 1 + 10

    # A follow-up answered by the other instance keeps the context of the question A answered.
    offers = wechat_at(a, "oCitizenTwo").send("text", Content="城铁几点")[1]["Content"]
    assert "1." in offers and "2." in offers  # 末班车 or 首班车?
    picked = wechat_at(b, "oCitizenTwo").send("text", Content="2")[1]["Content"]
    assert "6时整点开出" in picked  # the second offer A made, read by B


def test_both_instances_answer_when_redis_goes_away(instances, wechat_at, redis_server):
    a, b = instances
    assert ANSWER in wechat_at(a, "oCitizenThree").send("text", Content=QUESTION)[1]["Content"]
    redis_server.stop()
    for server in (a, b, a, b):
        started = time.monotonic()
        _, reply = wechat_at(server, "oCitizenThree").send("text", Content=QUESTION)
        assert reply is not None and ANSWER in reply["Content"]
        assert time.monotonic() - started < 2.5  # the delay of 0.5 s, and no waiting for Redis
    failures = [line for line in metrics_of(a).splitlines() if line.startswith("zhuzhou_store_write_failures_total")]
    assert any('operation="redis_claim"' in line for line in failures), failures
