"""What the instances of the bot must see alike, behind one small interface: retry claims and
replies (a WeChat push answered once), conversation state (a follow-up read in its context) and
rate-limit counters.

Two implementations, chosen in `open_shared` and nowhere else:

* `SqliteShared` (no REDIS_URL, the embedded default): the claims and conversations in the
  instance's sqlite file (bot/store/retries.py, bot/store/sqlite.py), which its gunicorn workers
  share; rate counters in each process's memory.
* `RedisShared` (bot/store/redis.py, with REDIS_URL): all three in one Redis that every instance
  uses, so a retry or a follow-up reaching another machine finds what the first one left.

Keys and users are keyed hashes (see `UserHasher`): no OpenID reaches either store.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Protocol

from bot.store import retries
from bot.store.conversation import Conversation
from bot.store.sqlite import Store

COUNTED_KEYS = 100_000  # rate counters kept in memory; the least recently counted are dropped first


class Shared(Protocol):
    def claim(self, key: str) -> bool:
        """True for the one delivery of a push that should answer it."""

    def wait_for_reply(self, key: str) -> str | None:
        """The reply of the delivery that claimed the push; None when it will not come."""

    def finish(self, key: str, reply: str) -> None:
        """Record the reply ('' means `success`) for the deliveries still to come."""

    def load_state(self, user: str) -> Conversation:
        """The user's conversation, or a new one."""

    def save_state(self, user: str, conversation: Conversation) -> None:
        """Keep the conversation for the user's next message."""

    def hit(self, key: str, window: int) -> int:
        """Count one request for `key` in the current `window`-second window; the count so far."""


class WindowCounter:
    """Requests per key in fixed time windows, in this process's memory, bounded in keys."""

    def __init__(self, keys: int = COUNTED_KEYS):
        self._counts: OrderedDict[str, tuple[int, int]] = OrderedDict()
        self._keys = keys
        self._lock = threading.Lock()

    def hit(self, key: str, window: int, now: float | None = None) -> int:
        slot = int((time.time() if now is None else now) // window)
        with self._lock:
            start, count = self._counts.pop(key, (slot, 0))
            count = count + 1 if start == slot else 1
            self._counts[key] = (slot, count)
            if len(self._counts) > self._keys:
                self._counts.popitem(last=False)
        return count


class SqliteShared:
    """The embedded default: this instance's sqlite file, rate counters in this process."""

    def __init__(self, store: Store):
        self.store = store
        self._counter = WindowCounter()

    def claim(self, key: str) -> bool:
        return retries.claim(self.store, key)

    def wait_for_reply(self, key: str) -> str | None:
        return retries.wait_for_reply(self.store, key)

    def finish(self, key: str, reply: str) -> None:
        retries.finish(self.store, key, reply)

    def load_state(self, user: str) -> Conversation:
        return self.store.load_state(user)

    def save_state(self, user: str, conversation: Conversation) -> None:
        self.store.save_state(user, conversation)

    def hit(self, key: str, window: int) -> int:
        return self._counter.hit(key, window)


def open_shared(store: Store, redis_url: str = "") -> Shared:
    """Redis when a URL is configured, else the instance's own sqlite `store`. Redis failures
    are reported like the store's own (`store.failed`: logged once a minute, counted)."""
    if not redis_url:
        return SqliteShared(store)
    from bot.store.redis import RedisShared  # redis-py is imported only by deployments that use it

    return RedisShared(redis_url, on_failure=store.failed)
