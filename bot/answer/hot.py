"""热点问题: the entries citizens asked most in the last 7 days, with staff's pins and hides
(faq_data/hot.yaml).

Counted from the message log (answers on WeChat), cached: the first list is counted when first
needed, later ones are recounted in a background thread once the cache is older than TTL, the
stale list serving meanwhile, so no reply waits for a scan of the log.
"""
from __future__ import annotations

import logging
import threading
import time

from bot.search.index import Index
from bot.store.sqlite import Store

log = logging.getLogger("bot.hot")

DAYS = 7
TTL = 600.0        # seconds a count is used before it is recounted
EMPTY_TTL = 30.0   # an empty count (a fresh deployment) is recounted sooner
SIZE = 5           # questions listed (a number picks one: 1–5)
COUNTED = 50       # most-asked entries kept from a count, before hides and expired ones are taken out
CHANNELS = ("wechat",)  # citizens' questions; /api/ask and the CLI are not what citizens ask

COUNT_SQL = (f"select faq_id, count(*) from messages where ts >= ? and outcome = 'answer' and faq_id is not null "
             f"and channel in ({', '.join('?' * len(CHANNELS))}) group by faq_id order by count(*) desc, faq_id "
             f"limit {COUNTED}")


class HotQuestions:
    def __init__(self, store: Store, ttl: float = TTL, days: int = DAYS):
        self.store, self.ttl, self.days = store, ttl, days
        self._counts: list[tuple[str, int]] | None = None
        self._counted_at = 0.0
        self._lock = threading.Lock()
        self._refreshing = False

    def refresh(self) -> list[tuple[str, int]]:
        """Count now (the background thread, and tests)."""
        rows = self.store.read("hot_questions", COUNT_SQL, [time.time() - self.days * 86400, *CHANNELS])
        counts = [(faq_id, n) for faq_id, n in rows] if rows is not None else (self._counts or [])
        with self._lock:
            self._counts, self._counted_at, self._refreshing = counts, time.monotonic(), False
        return counts

    def counts(self) -> list[tuple[str, int]]:
        """The last count; a recount is started when it is stale."""
        if self._counts is None:
            return self.refresh()
        ttl = self.ttl if self._counts else min(self.ttl, EMPTY_TTL)
        with self._lock:
            stale = time.monotonic() - self._counted_at > ttl and not self._refreshing
            if stale:
                self._refreshing = True
        if stale:
            threading.Thread(target=self._refresh_quietly, name="hot-questions", daemon=True).start()
        return self._counts

    def _refresh_quietly(self) -> None:
        try:
            self.refresh()
        except Exception:  # a failed recount keeps the last list
            log.exception("热点问题统计失败")
            with self._lock:
                self._refreshing = False

    def ids(self, index: Index, size: int = SIZE) -> list[str]:
        """Pinned entries first (in staff's order), then the most asked; hidden and no longer
        served entries left out."""
        service = index.service
        hidden = set(service.get("hot_hide", []))
        chosen: list[str] = []
        for faq_id in [*service.get("hot_pin", []), *(faq_id for faq_id, _ in self.counts())]:
            if len(chosen) >= size:
                break
            if faq_id in hidden or faq_id in chosen:
                continue
            entry = index.entry(faq_id)
            if entry is not None and not entry.is_expired():
                chosen.append(faq_id)
        return chosen
