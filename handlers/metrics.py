"""Figures an operator can watch: Prometheus metrics, served at /metrics.

Every metric is defined here and recorded through the plain functions below; nothing else
imports prometheus_client. Under gunicorn each worker counts for itself: with
`PROMETHEUS_MULTIPROC_DIR` set (read by prometheus_client when it is imported), workers write
their figures to files there and /metrics sums them over all workers (multiprocess mode).
"""
from __future__ import annotations

import glob
import hmac
import os
import time
from collections.abc import Callable

from flask import Blueprint, Response, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

MULTIPROC_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
if MULTIPROC_DIR:  # the gauge below opens its file there at once
    os.makedirs(MULTIPROC_DIR, exist_ok=True)

MESSAGES = Counter("zhuzhou_messages", "Messages handled, by channel, message type and outcome",
                   ["channel", "msg_type", "outcome"])
REPLY_SECONDS = Histogram("zhuzhou_reply_duration_seconds", "Time to answer a message (HTTP 200 replies)",
                          ["channel"], buckets=(.002, .005, .01, .025, .05, .1, .25, .5, 1, 2, 3, 5))
REJECTED = Counter("zhuzhou_rejected_requests", "Requests to /wechat (and /api/ask over a rate limit) refused, "
                   "by reason", ["reason"])
RETRIES = Counter("zhuzhou_retries_deduplicated", "Repeated deliveries of a push not processed again, "
                  "by what they got (the stored reply, or success while the first was still busy)", ["result"])
RELOADS = Counter("zhuzhou_faq_reloads", "FAQ reloads after an edit, by result", ["result"])
ENTRIES = Gauge("zhuzhou_faq_entries", "FAQ entries being served", multiprocess_mode="livemostrecent")
STORE_FAILURES = Counter("zhuzhou_store_write_failures", "Writes to the store that failed", ["operation"])

# Rejected.reason carries details (byte counts, seconds); the label is its first words.
REJECT_REASONS = (
    ("missing signature", "missing_signature"), ("bad signature", "bad_signature"),
    ("bad msg_signature", "bad_signature"), ("timestamp off", "stale_timestamp"),
    ("timestamp not", "bad_timestamp"),
    ("XML with DTD", "xml_dtd"), ("malformed XML", "bad_xml"), ("root element", "bad_xml"),
    ("no Encrypt", "bad_xml"), ("unusable message", "bad_message"), ("body", "too_large"),
    ("cannot decrypt", "cannot_decrypt"), ("plaintext push refused", "plaintext_refused"),
    ("WECHAT_TOKEN", "not_configured"),
)
TIMED_ENDPOINTS = {"wechat.receive": "wechat", "pages.ask": "api"}


# ---------------------------------------------------------------- recording

def _child(metric, labels: dict) -> Callable:
    """The labelled child of `metric` for a label tuple, looked up once: `labels()` takes a lock
    and checks its arguments on every call. Children live as long as their metric."""
    def child(*values):
        found = labels.get(values)
        if found is None:
            found = labels[values] = metric.labels(*values)
        return found
    return child


_MESSAGE_COUNTS = _child(MESSAGES, {})
_REPLY_TIMES = _child(REPLY_SECONDS, {})


def record_message(channel: str, msg_type: str, outcome: str) -> None:
    _MESSAGE_COUNTS(channel, msg_type, str(outcome)).inc()


def record_rejected(reason: str) -> None:
    label = next((name for prefix, name in REJECT_REASONS if reason.startswith(prefix)), "other")
    REJECTED.labels(label).inc()


def record_rate_limited(scope: str) -> None:
    """A request over a rate limit (handlers/ratelimit.py): user, wechat_ip, ip or api_user."""
    REJECTED.labels(f"rate_limit_{scope}").inc()


def record_retry(answered: bool) -> None:
    RETRIES.labels("stored_reply" if answered else "still_busy").inc()


def record_store_failure(operation: str = "write") -> None:
    """For the store's callers: one failed write (log_message, save_state, a retry claim …)."""
    STORE_FAILURES.labels(operation).inc()


def observe(engine) -> None:
    """Count what the engine and its store report: reloads, entries served, failed writes."""
    ENTRIES.set(engine.index.size)
    engine.on_reload = record_reload
    engine.store.on_failure = record_store_failure


def record_reload(ok: bool, entries: int) -> None:
    """For Engine.on_reload: a reload that served new files, or refused a broken edit."""
    RELOADS.labels("success" if ok else "failure").inc()
    ENTRIES.set(entries)


# ---------------------------------------------------------------- the web side

bp = Blueprint("metrics", __name__)


@bp.get("/metrics")
def metrics():
    token = current_app.config["BOT_CONFIG"].metrics_token
    given = request.headers.get("Authorization", "")
    if token and not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return Response("forbidden", 403, mimetype="text/plain")
    registry = REGISTRY
    if MULTIPROC_DIR:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)


def init_app(app, serve: bool = True) -> None:
    """Time the replies of the webhook and /api/ask; serve /metrics unless told not to."""
    if serve:
        app.register_blueprint(bp)

    @app.before_request
    def start_clock():
        g.metrics_started = time.perf_counter()

    @app.after_request
    def stop_clock(response):
        channel = TIMED_ENDPOINTS.get(request.endpoint or "")
        if channel and response.status_code == 200 and "metrics_started" in g:
            _REPLY_TIMES(channel).observe(time.perf_counter() - g.metrics_started)
        return response


# ---------------------------------------------------------------- gunicorn hooks (see server.py)

def clear_multiproc_dir() -> None:
    """At server start: figures of a previous run would otherwise be summed in."""
    if MULTIPROC_DIR:
        for path in glob.glob(os.path.join(MULTIPROC_DIR, "*.db")):
            os.remove(path)


def worker_gone(pid: int) -> None:
    if MULTIPROC_DIR:
        multiprocess.mark_process_dead(pid, MULTIPROC_DIR)
