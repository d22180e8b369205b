"""Answer a re-delivered WeChat push once, whichever worker process receives it.

WeChat re-sends a push it got no answer to within 5 s (3 deliveries in all). The first
delivery claims the push's key in the shared sqlite `replies` table (INSERT OR IGNORE, so
exactly one process wins); the others wait for the winner's reply and send the same one.
Keys contain the OpenID, so callers pass them through `hashed_key` before using them here.
No Flask and no WeChat imports: plain functions over a `Store`.
"""
from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

from bot.store.sqlite import Store

TTL = 24 * 3600          # rows older than a day can no longer be retries
WAIT_SECONDS = 4.5       # a waiting delivery must still answer inside WeChat's 5 s
POLL_SECONDS = 0.05

PENDING, DONE = "pending", "done"


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


def claim(store: Store, key: str, now: float | None = None) -> bool:
    """True for the one caller that should process this push; expired rows are purged first."""
    now = time.time() if now is None else now
    db = store.db()
    db.execute("delete from replies where created < ?", [now - TTL])
    cursor = db.execute("insert or ignore into replies (key, created, status, reply) values (?, ?, ?, ?)",
                        [key, now, PENDING, ""])
    return cursor.rowcount == 1


def finish(store: Store, key: str, reply: str) -> None:
    """Record the reply ('' means WeChat gets `success`) for the deliveries still to come."""
    store.db().execute("update replies set status = ?, reply = ? where key = ?", [DONE, reply, key])


def stored_reply(store: Store, key: str) -> str | None:
    """The finished reply, or None while the push is still being answered (or unknown)."""
    rows = store.db().execute("select status, reply from replies where key = ?", [key]).fetchall()
    if rows and rows[0][0] == DONE:
        return rows[0][1]
    return None


def wait_for_reply(store: Store, key: str, timeout: float = WAIT_SECONDS,
                   poll: float = POLL_SECONDS) -> str | None:
    """Poll the shared table until the first delivery has answered; None after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        reply = stored_reply(store, key)
        if reply is not None or time.monotonic() >= deadline:
            return reply
        time.sleep(poll)
