"""知识推荐: up to two questions really related to an answered entry — the same subject in
another year or another aspect — from the entries' own data, not whatever ranks next.

Two entries are on the same subject when they share a keyword (staff's 专有名词) that few
entries have: 长者餐厅 links the 2025 target, the 2021 plan and the 养老 project that names it;
a keyword half the FAQ carries links nothing. The closest share the rarest keywords; among
equals another year comes first, then the same category.
"""
from __future__ import annotations

import math
import threading
from collections import defaultdict
from itertools import islice
from typing import NamedTuple

from bot.content.model import Entry
from bot.language.facts import years
from bot.language.lexicon import HOME_NAMES, ZHUZHOU_DISTRICTS
from bot.language.textnorm import normalize
from bot.search.index import PRELOAD_MAX_ENTRIES, Index

LIMIT = 2
# A keyword more entries than this carry names a field (城铁, 株洲南), not one subject.
MAX_SHARED = 8
# Places are where things happen, not what they are: 攸县 links the county's projects to nothing.
PLACES = {normalize(p) for p in (*ZHUZHOU_DISTRICTS, *HOME_NAMES)}


def fact_year(entry: Entry) -> int:
    named = years(entry.question)
    if named:
        return int(max(named))
    date = str(entry.source.get("date", ""))
    return int(date[:4]) if date[:4].isdigit() else 0


class Suggestion(NamedTuple):
    """A related entry as a reply lists it."""
    id: str
    question: str


class Related:
    """The related entries of each entry of one index, worked out once per index: the rare
    keywords' holders and each entry's year and category, not the entries themselves (100k
    decoded entries would hold several hundred MB); the few suggested are read from the index."""

    def __init__(self):
        self._lock = threading.Lock()
        self._fingerprint = ""
        self._by_keyword: dict[str, list[str]] = {}
        self._facts: dict[str, tuple[int, str, int]] = {}  # id: (fact year, category, rowid in the index)
        # id: the other entries on its subject, closest first: the same for every answer of it
        self._ranked: dict[str, tuple[str, ...]] = {}

    def prepare(self, index: Index) -> None:
        """Read every entry's keywords once, and rank each entry's related ones (the first answer
        of each entry would otherwise rank its own). Not for an FAQ too large to be held decoded
        (index.PRELOAD_MAX_ENTRIES): reading all of a 100k index maps 500 MB of it into memory
        and takes over a second; such an FAQ suggests no related questions."""
        with self._lock:
            if self._fingerprint == index.fingerprint:
                return
            if index.size > PRELOAD_MAX_ENTRIES:
                self._facts, self._by_keyword, self._ranked, self._fingerprint = {}, {}, {}, index.fingerprint
                return
            facts: dict[str, tuple[int, str, int]] = {}
            by_keyword: dict[str, list[str]] = defaultdict(list)
            keywords: dict[str, set[str]] = {}
            for rowid, entry in enumerate(index.entries(), start=1):  # rowids are 1…size (build.py)
                facts[entry.id] = (fact_year(entry), entry.category, rowid)
                keywords[entry.id] = {normalize(k) for k in entry.keywords}
                for word in keywords[entry.id] - PLACES:
                    by_keyword[word].append(entry.id)
            self._facts, self._by_keyword = facts, dict(by_keyword)
            self._ranked = {faq_id: self._closest(faq_id, words, *facts[faq_id][:2])
                            for faq_id, words in keywords.items()}
            self._fingerprint = index.fingerprint

    def of(self, index: Index, entry: Entry, shown: set[str], limit: int = LIMIT) -> list[Suggestion]:
        """Entries on the subject of `entry`, none of those already `shown`, served ones only."""
        if self._fingerprint != index.fingerprint:  # set last, once the index is prepared
            self.prepare(index)
        ranked_of = self._ranked
        ranked = ranked_of.get(entry.id)
        if ranked is None:
            ranked = ranked_of[entry.id] = self._ranked_for(entry)
        ids = [i for i in ranked if i not in shown]
        # each read from the index (by rowid: no lookup by id) only until `limit` are found, and
        # not decoded: the record has the question and the date it is served until
        found = (index.record(self._facts[i][2]) for i in ids)
        return [Suggestion(r.faq_id, r.question) for r in islice((r for r in found if not r.is_expired()), limit)]

    def _ranked_for(self, entry: Entry) -> tuple[str, ...]:
        """The entries sharing a rare keyword with `entry`, closest first (the order `of` keeps)."""
        return self._closest(entry.id, {normalize(k) for k in entry.keywords}, fact_year(entry), entry.category)

    def _closest(self, faq_id: str, words: set[str], year: int, category: str) -> tuple[str, ...]:
        """_ranked_for of the entry with this id, normalised keywords, fact year and category."""
        size = max(len(self._facts), 2)
        scores: dict[str, float] = defaultdict(float)
        for word in words:
            holders = self._by_keyword.get(word, [])
            if 1 < len(holders) <= MAX_SHARED:
                for holder in holders:
                    scores[holder] += math.log(size / len(holders))
        ids = [i for i in scores if i != faq_id and i in self._facts]
        ids.sort(key=lambda i: (-round(scores[i], 6), self._facts[i][0] == year, self._facts[i][1] != category, i))
        return tuple(ids)
