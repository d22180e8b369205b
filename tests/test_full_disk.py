"""A really full disk under real gunicorn (issue 12 item 1, from outside): DATA_DIR is a small
tmpfs of its own, filled to the last byte while the server runs. Every signed push still gets
its real answer (not `success`, not 5xx), a retry of the same MsgId the same one; /healthz/details
counts the failed writes; and once the big file is gone the store writes again by itself.

Mounting needs root (the tests run as root here and in CI); elsewhere the test is skipped.
"""
from __future__ import annotations

import json
import sqlite3
import time
import urllib.request

import pytest

from bot.store.sqlite import RETRY_AFTER, UserHasher
from tests.bench.faults import MountRefused, fill_disk, tmpfs
from tests.helpers import TOKEN

pytestmark = pytest.mark.slow

HASH_KEY = "full-disk-key"
QUESTION, ANSWER = "城铁末班车几点", "23时25分"


@pytest.fixture
def small_disk(tmp_path):
    """An 8 MB tmpfs where the gunicorn fixture puts the DATA_DIR of a server named `disk`."""
    try:
        with tmpfs(tmp_path / "data-disk", "8m") as path:
            yield path
    except MountRefused as exc:
        pytest.skip(f"cannot mount a tmpfs here (the test needs root): {exc}")


def ask(wx, fields=None) -> tuple[dict, dict]:
    fields = fields or wx.fields("text", Content=QUESTION)
    reply = wx.read(wx.post(*wx.request(fields)), fields)  # asserts HTTP 200
    assert reply is not None, "the push got `success`: a citizen left without an answer"
    assert ANSWER in reply["Content"], reply["Content"]
    return fields, reply


def store_write_failures(server) -> int:
    """The largest count over a few GETs: each of the two workers counts its own."""
    seen = 0
    for _ in range(6):
        with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/healthz/details", timeout=5) as response:
            seen = max(seen, json.load(response)["store_write_failures"])
    return seen


def rows_since(server, since: float, user: str) -> int:
    with sqlite3.connect(server.data_dir / "bot.sqlite", timeout=5) as db:
        return db.execute("select count(*) from messages where ts >= ? and user = ?", [since, user]).fetchone()[0]


def test_a_full_disk_answers_every_push_and_the_store_recovers(small_disk, gunicorn, wechat_at):
    server = gunicorn("disk", WECHAT_TOKEN=TOKEN, USER_HASH_KEY=HASH_KEY)
    assert server.data_dir == small_disk
    ask(wechat_at(server, "oBeforeTheDiskFilled"))
    big = fill_disk(small_disk)
    assert big.stat().st_size > 4 << 20  # most of the 8 MB: the disk, not a quota, is full

    for i in range(20):
        wx = wechat_at(server, f"oFullDisk{i:04d}")
        fields, reply = ask(wx)
        _, again = ask(wx, fields)  # WeChat's retry of the same MsgId
        assert again["Content"] == reply["Content"]
    assert store_write_failures(server) > 0, "the failed writes do not show in /healthz/details"

    big.unlink()
    freed_at, hasher = time.time(), UserHasher(HASH_KEY.encode())
    deadline, written = time.monotonic() + RETRY_AFTER + 10, False
    while not written and time.monotonic() < deadline:
        openid = f"oAfterTheDiskFreed{time.monotonic_ns()}"
        ask(wechat_at(server, openid))
        time.sleep(1.5)  # the log writer commits within a second
        written = rows_since(server, freed_at, hasher(openid)) == 1
    assert written, "no new message reached bot.sqlite after the disk had room again"
    assert "Traceback" not in server.log_tail(100_000)
