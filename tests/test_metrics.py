"""/metrics (Prometheus) moves with the traffic, also summed over gunicorn workers; JSON log lines."""
from __future__ import annotations

import concurrent.futures
import io
import json
import logging
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.config import Config
from handlers import metrics
from handlers.logs import JsonFormatter
from tests.helpers import ROOT, TOKEN, WeChat, make_faq_dir
from tests.test_server import free_port, stop


def parse(text: str) -> dict:
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def scrape(client) -> dict:
    response = client.get("/metrics")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    return parse(response.get_data(as_text=True))


def value(samples: dict, name: str, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def moved(before: dict, after: dict, name: str, **labels) -> float:
    return value(after, name, **labels) - value(before, name, **labels)


TEXT_ANSWER = {"channel": "wechat", "msg_type": "text", "outcome": "answer"}


def test_a_text_push_counts_a_message_and_its_latency(plain):
    before = scrape(plain.client)
    _, reply = plain.send("text", Content="城铁末班车几点")
    after = scrape(plain.client)
    assert "23时25分" in reply["Content"]
    assert moved(before, after, "zhuzhou_messages_total", **TEXT_ANSWER) == 1
    assert moved(before, after, "zhuzhou_reply_duration_seconds_count", channel="wechat") == 1
    assert moved(before, after, "zhuzhou_reply_duration_seconds_bucket", channel="wechat", le="5.0") == 1
    assert moved(before, after, "zhuzhou_reply_duration_seconds_sum", channel="wechat") > 0


def test_events_rules_and_the_api_are_counted_by_kind(plain):
    before = scrape(plain.client)
    plain.send("text", Content="你好")
    plain.send("event", Event="subscribe")
    plain.send("image", PicUrl="http://x/y.jpg", MediaId="m")
    plain.client.get("/api/ask", query_string={"q": "城铁末班车几点"})
    after = scrape(plain.client)
    assert moved(before, after, "zhuzhou_messages_total", channel="wechat", msg_type="text", outcome="rule") == 1
    assert moved(before, after, "zhuzhou_messages_total", channel="wechat", msg_type="event:subscribe",
                 outcome="event") == 1
    assert moved(before, after, "zhuzhou_messages_total", channel="wechat", msg_type="image",
                 outcome="unsupported") == 1
    assert moved(before, after, "zhuzhou_messages_total", channel="api", msg_type="text", outcome="answer") == 1
    assert moved(before, after, "zhuzhou_reply_duration_seconds_count", channel="api") == 1


def _bad_signature(wx):
    url, body = wx.request(wx.fields("text", Content="你好"))
    return url.replace("signature=", "signature=0"), body


def _stale(wx):
    return wx.request(wx.fields("text", Content="你好"), timestamp=int(time.time()) - 3600)


@pytest.mark.parametrize("push, reason", [
    (_bad_signature, "bad_signature"),
    (_stale, "stale_timestamp"),
    (lambda wx: wx.request(xml="<xml><ToUserName>a</ToUserName"), "bad_xml"),
    (lambda wx: wx.request(wx.fields("text", Content="城" * 22000)), "too_large"),
    (lambda wx: wx.request(xml="<xml><Content>hi</Content></xml>"), "bad_message"),
])
def test_a_rejected_push_is_counted_by_reason(plain, push, reason):
    before = scrape(plain.client)
    response = plain.post(*push(plain))
    # signed but unreadable: `success` for WeChat (a reply, and timed as one), still counted here
    unusable = reason in ("bad_xml", "bad_message")
    assert (response.data == b"success") if unusable else response.status_code >= 400
    after = scrape(plain.client)
    assert moved(before, after, "zhuzhou_rejected_requests_total", reason=reason) == 1
    assert sum(moved(before, after, "zhuzhou_rejected_requests_total", reason=r) for r in
               {name for _, name in metrics.REJECT_REASONS} | {"other"}) == 1
    assert moved(before, after, "zhuzhou_reply_duration_seconds_count", channel="wechat") == (1 if unusable else 0)


def test_a_retry_is_answered_from_the_stored_reply_and_counted(safe):
    before = scrape(safe.client)
    fields = safe.fields("text", Content="城铁末班车几点")
    first, again = (safe.read(safe.post(*safe.request(fields)), fields)["Content"] for _ in range(2))
    after = scrape(safe.client)
    assert first == again
    assert moved(before, after, "zhuzhou_retries_deduplicated_total", result="stored_reply") == 1
    assert moved(before, after, "zhuzhou_messages_total", **TEXT_ANSWER) == 1  # processed once
    assert moved(before, after, "zhuzhou_reply_duration_seconds_count", channel="wechat") == 2


def test_faq_reloads_and_entries(make_app, tmp_path):
    faq_dir = make_faq_dir(tmp_path / "faq")
    app = make_app(faq_dir=faq_dir)
    engine, client = app.extensions["engine"], app.test_client()
    before = scrape(client)
    assert value(before, "zhuzhou_faq_entries") == 3
    path = faq_dir / "chengtie.yaml"
    path.write_text(path.read_text(encoding="utf-8").split("  - id: ct-shoubanche")[0], encoding="utf-8")
    assert engine.reload() is True
    path.write_text("category: x\nentries: [\n", encoding="utf-8")
    assert engine.reload() is False and engine.reload() is False  # one broken edit, polled twice
    after = scrape(client)
    assert moved(before, after, "zhuzhou_faq_reloads_total", result="success") == 1
    assert moved(before, after, "zhuzhou_faq_reloads_total", result="failure") == 1
    assert value(after, "zhuzhou_faq_entries") == 2


def test_store_write_failures_are_counted(plain):
    before = scrape(plain.client)
    metrics.record_store_failure("log_message")
    metrics.record_store_failure()
    after = scrape(plain.client)
    assert moved(before, after, "zhuzhou_store_write_failures_total", operation="log_message") == 1
    assert moved(before, after, "zhuzhou_store_write_failures_total", operation="write") == 1


def test_metrics_can_be_switched_off_or_need_a_token(make_app):
    assert make_app(metrics_enabled=False).test_client().get("/metrics").status_code == 404
    client = make_app(metrics_token="s3cret").test_client()
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
    response = client.get("/metrics", headers={"Authorization": "Bearer s3cret"})
    assert response.status_code == 200 and b"zhuzhou_messages_total" in response.data


def test_metrics_and_log_settings_from_the_environment():
    config = Config.from_env({"METRICS_ENABLED": "0", "METRICS_TOKEN": "t", "LOG_FORMAT": "json"}, "/nonexistent")
    assert (config.metrics_enabled, config.metrics_token, config.log_format) == (False, "t", "json")
    assert Config.from_env({}, "/nonexistent").metrics_enabled is True
    assert Config.from_env({"METRICS_ENABLED": "yes"}, "/nonexistent").metrics_enabled is True


# ---------------------------------------------------------------- JSON log lines

OPENID = "oAbCdEfGhIjKlMnOpQrStUvWxYz1"  # 28 characters, as WeChat's


def test_json_log_lines_parse_and_never_show_an_openid():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("test.jsonlog")
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.INFO)
    try:
        logger.warning("rejected POST /wechat from %s: %s", "10.0.0.1", "bad signature")
        logger.info("回复 %s", OPENID, extra={"msg_type": "text", "sender": OPENID, "ms": 3.5})
        try:
            raise ValueError(f"user {OPENID}")
        except ValueError:
            logger.exception("webhook failed")
    finally:
        logger.removeHandler(handler)
    lines = stream.getvalue().splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == 3
    for record in records:
        assert {"ts", "level", "logger", "message"} <= set(record) and record["logger"] == "test.jsonlog"
    assert records[0]["level"] == "WARNING" and "bad signature" in records[0]["message"]
    assert records[1]["msg_type"] == "text" and records[1]["ms"] == 3.5 and records[1]["message"].startswith("回复")
    assert "ValueError" in records[2]["exc"]
    assert OPENID not in stream.getvalue()


# ---------------------------------------------------------------- gunicorn, two workers

def post(base: str, wx: WeChat, fields: dict, **request) -> int:
    url, body = wx.request(fields, **request)
    request = urllib.request.Request(base + url, data=body, method="POST", headers={"Content-Type": "text/xml"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def live_metrics(base: str) -> dict:
    with urllib.request.urlopen(base + "/metrics", timeout=10) as response:
        return parse(response.read().decode())


def worker_pids(prom_dir: Path) -> set[int]:
    return {int(path.stem.rsplit("_", 1)[1]) for path in prom_dir.glob("counter_*.db")}


@pytest.fixture
def gunicorn(tmp_path):
    prom_dir, port = tmp_path / "prom", free_port()
    env = dict(os.environ, WECHAT_TOKEN=TOKEN, WECHAT_AES_KEY="", FAQ_DIR=str(make_faq_dir(tmp_path / "faq")),
               DATA_DIR=str(tmp_path / "data"), FAQ_RELOAD_INTERVAL="0", PROMETHEUS_MULTIPROC_DIR=str(prom_dir),
               LOG_FORMAT="json")
    log = (tmp_path / "gunicorn.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}",
                             "-c", "python:server", "server:create_app()"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1).read()
            break
        except OSError:
            assert proc.poll() is None, (tmp_path / "gunicorn.log").read_text()
            assert time.monotonic() < deadline, "gunicorn did not come up"
            time.sleep(0.2)
    yield base, prom_dir, tmp_path / "gunicorn.log"
    stop(proc)
    log.close()


@pytest.mark.slow
def test_gunicorn_workers_are_summed_in_metrics(gunicorn):
    base, prom_dir, log_path = gunicorn
    sent, deadline = 0, time.monotonic() + 90
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        # Until both workers have taken some: each loads the app itself, and on a busy CI machine
        # the second can still be loading after hundreds of replies from the first.
        while len(worker_pids(prom_dir)) < 2 and time.monotonic() < deadline:
            pushes = [(wx, wx.fields("text", Content="你好")) for wx in (WeChat(None, TOKEN) for _ in range(40))]
            assert set(pool.map(lambda p: post(base, *p), pushes)) == {200}
            sent += len(pushes)
    assert len(worker_pids(prom_dir)) == 2
    wx = WeChat(None, TOKEN)
    retried = wx.fields("text", Content="城铁末班车几点")
    assert [post(base, wx, retried) for _ in range(3)] == [200] * 3  # repeats may reach either worker
    assert post(base, wx, wx.fields("text", Content="x"), timestamp=int(time.time()) - 3600) == 400

    rule = {"channel": "wechat", "msg_type": "text", "outcome": "rule"}
    for _ in range(4):  # whichever worker serves /metrics, it shows both workers' counts
        figures = live_metrics(base)
        assert value(figures, "zhuzhou_messages_total", **rule) == sent
        assert value(figures, "zhuzhou_messages_total", **TEXT_ANSWER) == 1
        assert value(figures, "zhuzhou_retries_deduplicated_total", result="stored_reply") == 2
        assert value(figures, "zhuzhou_rejected_requests_total", reason="stale_timestamp") == 1
        assert value(figures, "zhuzhou_reply_duration_seconds_count", channel="wechat") == sent + 3
        assert value(figures, "zhuzhou_faq_entries") == 3

    # A worker that dies: gunicorn's child_exit (server.py) drops its gauge, its counts stay summed.
    victim = min(worker_pids(prom_dir))
    os.kill(victim, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while list(prom_dir.glob(f"gauge_*_{victim}.db")):
        assert time.monotonic() < deadline, "child_exit did not mark the dead worker"
        time.sleep(0.1)
    assert value(live_metrics(base), "zhuzhou_messages_total", **rule) == sent

    lines = [json.loads(line) for line in log_path.read_text().splitlines() if line.startswith("{")]
    rejected = [line for line in lines if line["logger"] == "webhook" and line["level"] == "WARNING"]
    assert rejected and "timestamp off" in rejected[0]["message"]
    assert wx.openid not in log_path.read_text()
