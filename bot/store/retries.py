"""Answer a re-delivered WeChat push once, whichever worker process receives it.

WeChat re-sends a push it got no answer to within 5 s (3 deliveries in all, about 5 s apart).
The first delivery claims the push's key in the shared sqlite `replies` table (INSERT OR IGNORE,
so exactly one process wins); the others wait for the winner's reply and send the same one.
A claim whose process died (a worker killed mid-request) or that is older than the retry window
is taken over by the next delivery with one conditional UPDATE, so the message is still answered.
When the file cannot be written, every delivery answers: a double answer beats silence.
Keys contain the OpenID, so callers pass them through `hashed_key` before using them here.
No Flask and no WeChat imports: plain functions over a `Store`.
"""
from __future__ import annotations

import hashlib
import logging
import os
import socket
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from bot.store.sqlite import REPLY_TTL, Store

TTL = REPLY_TTL          # rows older than a day can no longer be retries
LEASE = 15.0             # a claim still pending after WeChat's last retry was abandoned
WAIT_SECONDS = 4.5       # a waiting delivery must still answer inside WeChat's 5 s
POLL_SECONDS = 0.05

PENDING, DONE = "pending", "done"
log = logging.getLogger("bot.store")


def _machine() -> str:
    """Host name and boot id: a pid means the same process only on the same machine and boot."""
    boot = Path("/proc/sys/kernel/random/boot_id")
    return f"{socket.gethostname()}/{boot.read_text().strip() if boot.exists() else ''}"


MACHINE = _machine()


def owner() -> str:
    """This process, as stored with its claims (read per call: gunicorn forks workers)."""
    return f"{MACHINE}/{os.getpid()}"


def owner_alive(claimed_by: str | None) -> bool:
    """False only for a process of this machine that is gone; claims made elsewhere (another
    container, an older file without owners) are left to the lease."""
    machine, _, pid = (claimed_by or "").rpartition("/")
    if machine != MACHINE or not pid.isdigit():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except OSError:  # e.g. PermissionError: it exists
        return True
    return True


def message_key(fields: dict) -> str | None:
    """The identity of a push: sender + MsgId for messages, sender + time + event for events."""
    sender = str(fields.get("FromUserName") or "")
    if not sender:
        return None
    msg_id = str(fields.get("MsgId") or "")
    if msg_id and msg_id != "0":
        return f"msg|{sender}|{msg_id}"
    return "event|" + "|".join([sender, str(fields.get("CreateTime") or ""),
                                str(fields.get("Event") or ""), str(fields.get("EventKey") or "")])


def hashed_key(key: str, hasher: Callable[[str], str] | None = None) -> str:
    """The stored form of a key: keyed hash when given (the engine's user hasher), else sha256."""
    if hasher is not None:
        return hasher(key)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class _Remembered:
    """This process's own claims and replies while the file cannot be written (a full disk, a
    lock): a re-delivery reaching the same worker then gets the reply already given instead of
    a second processing. Bounded, and only as long as WeChat re-sends (about 15 s)."""
    KEEP_SECONDS, MAX_KEYS = 60.0, 10_000

    def __init__(self):
        self._items: OrderedDict[str, tuple[float, str | None]] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, key: str, reply: str | None) -> None:
        with self._lock:
            self._items[key] = (time.monotonic(), reply)
            self._items.move_to_end(key)
            while len(self._items) > self.MAX_KEYS:
                self._items.popitem(last=False)

    def get(self, key: str) -> tuple[bool, str | None]:
        """(known, reply): reply None while the claiming delivery is still answering."""
        with self._lock:
            item = self._items.get(key)
            if item is None or time.monotonic() - item[0] > self.KEEP_SECONDS:
                return False, None
            return True, item[1]


_REMEMBERED = _Remembered()


def claim(store: Store, key: str, now: float | None = None) -> bool:
    """True for the one delivery that should answer this push: the first, or the one taking
    over an abandoned claim. When the file cannot be written, True unless this process has
    already claimed the push (a double answer beats silence, but one answer beats two)."""
    now = time.time() if now is None else now
    inserted = store.write("claim", "insert or ignore into replies (key, created, status, reply, owner) "
                           "values (?, ?, ?, '', ?)", [key, now, PENDING, owner()])
    if inserted is None:
        if _REMEMBERED.get(key)[0]:
            return False
        _REMEMBERED.add(key, None)
        return True
    return inserted == 1 or _take_over(store, key, now)


def _take_over(store: Store, key: str, now: float) -> bool:
    """Claim an expired row, or a pending one whose process is gone or whose lease ran out;
    one conditional UPDATE, so of several deliveries exactly one wins."""
    rows = store.read("read_claim", "select owner from replies where key = ? and status = ?", [key, PENDING])
    dead = next((who for (who,) in rows or () if not owner_alive(who)), None)
    taken = store.write("take_over",
                        "update replies set created = ?, status = ?, reply = '', owner = ? where key = ? and "
                        "(created < ? or (status = ? and (created < ? or owner = ?)))",
                        [now, PENDING, owner(), key, now - TTL, PENDING, now - LEASE, dead])
    if taken == 1 and dead is not None:
        log.info("taking over a push whose first delivery's process is gone")
    return taken is None or taken == 1


def finish(store: Store, key: str, reply: str) -> None:
    """Record the reply ('' means WeChat gets `success`) for the deliveries still to come."""
    written = store.write("finish", "update replies set status = ?, reply = ? where key = ?", [DONE, reply, key])
    if written is None or _REMEMBERED.get(key)[0]:
        _REMEMBERED.add(key, reply)


def wait_for_reply(store: Store, key: str, timeout: float = WAIT_SECONDS,
                   poll: float = POLL_SECONDS) -> str | None:
    """Poll the shared table until the first delivery has answered. None after `timeout`, or
    at once when the first delivery's process is gone (then `claim` takes the push over)."""
    deadline = time.monotonic() + timeout
    while True:
        known, remembered = _REMEMBERED.get(key)
        if known:  # claimed by this process while the file could not be written
            if remembered is not None or time.monotonic() >= deadline:
                return remembered
            time.sleep(poll)
            continue
        rows = store.read("read_reply", "select status, reply, owner from replies where key = ?", [key])
        if rows and rows[0][0] == DONE:
            return rows[0][1]
        if not rows or not owner_alive(rows[0][2]) or time.monotonic() >= deadline:
            return None
        time.sleep(poll)
