"""Retry claims and replies, conversation state and rate counters in Redis, for several instances.

One key per push, `zhuzhou:push:<hashed key>`, holds either a claim or the reply:

* the first delivery claims it with SET NX PX: "pending|<owner>" for CLAIM_LEASE_MS. Exactly one
  delivery wins, on whichever instance. The lease is WeChat's wait for one delivery: a claim
  older than that was abandoned (its instance died, or it is so slow WeChat stopped listening),
  and the key's expiry lets the next delivery claim it. A claim of a dead process on this
  machine is taken over at once (compare-and-set in a Lua script), as with sqlite.
* the reply overwrites the claim as "done|<reply>" for REPLY_TTL_MS, so the later deliveries
  send the same reply; the others poll the key meanwhile.

Conversations are JSON under `zhuzhou:conv:<hashed user>`, expiring after CONVERSATION_TTL
like the sqlite store's. Rate counters are INCR + EXPIRE on `zhuzhou:rate:<key>:<window>`.

Redis must never cost a reply: each command waits at most TIMEOUT_S, a failure is reported
(logged once a minute, counted) and Redis is left alone for RETRY_AFTER_S; meanwhile every
delivery answers (a double answer beats silence), conversations are kept in this process's
memory and rate counters counted here. No Flask here.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from bot.store import retries
from bot.store.conversation import NEW_CONVERSATION, Conversation
from bot.store.shared import WindowCounter
from bot.store.sqlite import CONVERSATION_TTL, FALLBACK_USERS

PREFIX = "zhuzhou:"
CLAIM_LEASE_MS = 5_000      # WeChat stops waiting for a delivery after 5 s
REPLY_TTL_MS = 300_000      # a push older than 5 min is refused as stale (handlers/security.py)
TIMEOUT_S = 0.5             # the most one Redis command may add to a reply
RETRY_AFTER_S = 5.0         # after a failure, answer without Redis this long
PENDING, DONE = "pending|", "done|"
_FAILED = object()

# Replace the claim only if it still is the dead owner's: of several deliveries, one wins.
TAKE_OVER = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  redis.call('set', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0
"""


class RedisShared:
    def __init__(self, url: str, on_failure: Callable[[str, Exception], object]):
        self.redis = redis.Redis.from_url(url, socket_timeout=TIMEOUT_S, socket_connect_timeout=TIMEOUT_S,
                                          retry=Retry(NoBackoff(), 0), decode_responses=True)
        self._take_over = self.redis.register_script(TAKE_OVER)
        self._on_failure = on_failure
        self._skip_until = 0.0
        self._counter = WindowCounter()  # while Redis is unreachable
        self._states: OrderedDict[str, tuple[float, str]] = OrderedDict()  # likewise
        self._states_lock = threading.Lock()

    def _call(self, what: str, command: Callable[[], object]) -> object:
        """Run one Redis command; _FAILED (reported) when Redis cannot be reached now."""
        if time.monotonic() < self._skip_until:
            return _FAILED
        try:
            return command()
        except redis.RedisError as exc:
            self._skip_until = time.monotonic() + RETRY_AFTER_S
            self._on_failure(what, exc)
            return _FAILED

    # -------------------------------------------------------------- retry claims

    def claim(self, key: str) -> bool:
        name = PREFIX + "push:" + key
        won = self._call("redis_claim", lambda: self.redis.set(name, PENDING + retries.owner(),
                                                               nx=True, px=CLAIM_LEASE_MS))
        if won is _FAILED or won:
            return True
        value = self._call("redis_claim", lambda: self.redis.get(name))
        if value is _FAILED:
            return True
        return self._take_over_dead(name, value)

    def _take_over_dead(self, name: str, value: object) -> bool:
        if not isinstance(value, str) or not value.startswith(PENDING) or retries.owner_alive(value[len(PENDING):]):
            return False
        taken = self._call("redis_claim", lambda: self._take_over(
            keys=[name], args=[value, PENDING + retries.owner(), CLAIM_LEASE_MS]))
        if taken == 1:
            retries.log.info("taking over a push whose first delivery's process is gone")
        return taken is _FAILED or taken == 1

    def wait_for_reply(self, key: str, timeout: float = retries.WAIT_SECONDS,
                       poll: float = retries.POLL_SECONDS) -> str | None:
        """Poll until the claiming delivery has answered. None after `timeout`, or at once when
        the claim is gone (lease ran out) or its process died: then `claim` takes the push over."""
        name = PREFIX + "push:" + key
        deadline = time.monotonic() + timeout
        while True:
            value = self._call("redis_wait", lambda: self.redis.get(name))
            if isinstance(value, str) and value.startswith(DONE):
                return value[len(DONE):]
            if not isinstance(value, str) or not retries.owner_alive(value[len(PENDING):]) \
                    or time.monotonic() >= deadline:
                return None
            time.sleep(poll)

    def finish(self, key: str, reply: str) -> None:
        self._call("redis_finish", lambda: self.redis.set(PREFIX + "push:" + key, DONE + reply, px=REPLY_TTL_MS))

    # -------------------------------------------------------------- conversation state

    def load_state(self, user: str) -> Conversation:
        kept = self._states.get(user)
        if kept is not None:
            conversation = Conversation.from_json(kept[1])
            return NEW_CONVERSATION if time.time() > conversation.expires(kept[0], CONVERSATION_TTL) else conversation
        text = self._call("redis_load_state", lambda: self.redis.get(PREFIX + "conv:" + user))
        return Conversation.from_json(text) if isinstance(text, str) else NEW_CONVERSATION

    def save_state(self, user: str, conversation: Conversation) -> None:
        text = conversation.to_json()
        now = time.time()
        keep = max(1, round(conversation.expires(now, CONVERSATION_TTL) - now))
        saved = self._call("redis_save_state",
                           lambda: self.redis.set(PREFIX + "conv:" + user, text, ex=keep))
        if saved is not _FAILED and not self._states:
            return
        with self._states_lock:
            if saved is _FAILED:
                self._states[user] = (time.time(), text)
                self._states.move_to_end(user)
                if len(self._states) > FALLBACK_USERS:
                    self._states.popitem(last=False)
            else:
                self._states.pop(user, None)

    # -------------------------------------------------------------- rate counters

    def hit(self, key: str, window: int) -> int:
        slot = int(time.time() // window)
        name = f"{PREFIX}rate:{key}:{slot}"

        def count() -> int:
            pipe = self.redis.pipeline(transaction=False)
            pipe.incr(name)
            pipe.expire(name, window + 1)
            return pipe.execute()[0]

        counted = self._call("redis_rate", count)
        return self._counter.hit(key, window) if counted is _FAILED else int(counted)
