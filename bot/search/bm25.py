"""BM25 over postings stored in sqlite, scored with numpy.

SQLite's FTS5 ranks matches with bm25() one row at a time: a question's dozen terms match a
few thousand entries at 10k, and that ranking was half of a query's time. Here each term's
postings are one blob (uint32: rowid << 8 | term count) fetched with one SQL for all terms,
and ranked in a few vector operations. The formula is FTS5's (k1 = 1.2, b = 0.75, its idf),
with a weight per column: words, and sound bigrams.
"""
from __future__ import annotations

import sqlite3
import threading
import time
from array import array
from collections import Counter, OrderedDict, defaultdict
from typing import NamedTuple

import numpy as np

K1, B = 1.2, 0.75
COLUMN_WEIGHTS = {"words": 1.0, "sounds": 0.6}
_TF_BITS = 8
_TF_MASK = (1 << _TF_BITS) - 1
# Postings kept in memory, each term's as its entries and their scores (12 bytes a posting, _TermScores):
# all of a 10k-entry FAQ's (7.2 MB), the most asked of larger ones.
POSTINGS_CACHE_BYTES = 24 << 20
# Up to this many entries, the scores are summed in arrays of the FAQ's size (bincount over rowids);
# beyond it in arrays of the postings' size: fresh arrays over glibc's mmap threshold (128 KB) are
# page-faulted anew at every question (~0.9 ms at 100k entries, against ~20 µs sorting the rowids).
SIZED_ARRAYS_MAX_ENTRIES = 16_000
# A stored posting (uint32) takes three times its bytes once ranked (an int32 rowid, a float64 score).
_RANKED_BYTES_PER_STORED = 3
_COLUMN_OF_KEY = {column[0]: column for column in COLUMN_WEIGHTS}


def _key(column: str, term: str) -> str:
    return f"{column[0]}:{term}"


class PostingsWriter:
    """Collects postings while the index is built; rowids must come in increasing order."""

    def __init__(self):
        self._lists: dict[str, array] = defaultdict(lambda: array("I"))
        self._lengths = {column: array("H", [0]) for column in COLUMN_WEIGHTS}  # rowid 0 is unused

    def add(self, rowid: int, column: str, terms: list[str]) -> None:
        lengths = self._lengths[column]
        lengths.extend([0] * (rowid + 1 - len(lengths)))
        lengths[rowid] = min(len(terms), 0xFFFF)
        for term, count in Counter(terms).items():
            self._lists[_key(column, term)].append(rowid << _TF_BITS | min(count, _TF_MASK))

    def write(self, conn: sqlite3.Connection) -> None:
        conn.execute("create table postings (key text primary key, data blob) without rowid")
        conn.execute("create table arrays (name text primary key, data blob)")
        conn.executemany("insert into postings values (?, ?)",
                         ((key, values.tobytes()) for key, values in self._lists.items()))
        size = max(len(lengths) for lengths in self._lengths.values())
        conn.executemany("insert into arrays values (?, ?)",
                         ((f"length_{column}", (lengths + array("H", [0] * (size - len(lengths)))).tobytes())
                          for column, lengths in self._lengths.items()))


class _TermScores(NamedTuple):
    """One term's postings as rank adds them: its entries' rowids and the score it gives each."""

    ids: np.ndarray     # int32 rowids, increasing
    scores: np.ndarray  # float64

    @property
    def nbytes(self) -> int:
        return self.ids.nbytes + self.scores.nbytes


class Bm25:
    """Ranks entries for a set of (column, term) pairs, reading postings from `conn()`."""

    def __init__(self, conn):
        self._conn = conn
        self._columns = list(COLUMN_WEIGHTS)
        norms = []
        for column in self._columns:
            row = conn().execute("select data from arrays where name = ?", (f"length_{column}",)).fetchone()
            lengths = np.frombuffer(row[0], dtype=np.uint16).astype(np.float32)
            average = float(lengths[1:].mean()) if lengths[1:].any() else 1.0
            norms.append(K1 * (1 - B + B * lengths / average))
        self._norm = np.stack(norms)  # [column, rowid] → the length part of BM25's denominator
        self.size = self._norm.shape[1] - 1
        # Postings read before, by key, as ranked (_term_scores): a question's terms are mostly common
        # ones (sound bigrams, everyday words), and one SQL lookup of a dozen keys cost a tenth of answering.
        self._cache: OrderedDict[str, _TermScores] = OrderedDict()
        self._cache_bytes = 0
        self._lock = threading.Lock()

    def postings(self, pairs: list[tuple[str, str]]) -> list[_TermScores]:
        """Each found term's postings as ranked (_term_scores), in the sorted order of their keys:
        the order sqlite returns them in, which fixes the order (and so the floats) of rank's sums."""
        keys = {_key(column, term): column for column, term in pairs}
        found = self._cached(keys)
        missing = [key for key in keys if key not in found]
        if missing:
            marks = ",".join("?" * len(missing))
            rows = self._conn().execute(f"select key, data from postings where key in ({marks})", missing)
            fetched = {key: self._term_scores(keys[key], data) for key, data in rows.fetchall()}
            self._keep(fetched)
            found.update(fetched)
        return [found[key] for key in sorted(found)]

    def preload(self, batch: int = 500, pause: float = 0.001) -> int:
        """Rank every term's postings into the cache when all of them fit its budget (a 10k-entry
        FAQ's take 7.2 MB): from then on no question waits for sqlite or works out a term's scores,
        as one that meets a term for the first time did. In batches, pausing between them (see
        Index.preload). Returns the terms read."""
        conn = self._conn()
        stored = conn.execute("select coalesce(sum(length(data)), 0) from postings").fetchone()[0]
        if stored * _RANKED_BYTES_PER_STORED > POSTINGS_CACHE_BYTES:
            return 0
        rows = conn.execute("select key, data from postings")
        read = 0
        while chunk := rows.fetchmany(batch):
            self._keep({key: self._term_scores(_COLUMN_OF_KEY[key[0]], data) for key, data in chunk})
            read += len(chunk)
            time.sleep(pause)
        return read

    def _term_scores(self, column: str, data: bytes) -> _TermScores:
        """One term's entries and the BM25 score it gives each: a function of the term alone,
        worked out when its postings are read rather than at every question (a third of ranking).
        Element by element the same float operations as over all terms' postings at once."""
        values = np.frombuffer(data, dtype=np.uint32)
        ids = (values >> _TF_BITS).astype(np.int32)
        tf = (values & _TF_MASK).astype(np.float32)
        size = np.array([len(values)])
        idf = np.log(np.maximum((self.size - size + 0.5) / (size + 0.5), 1.0 + 1e-6))
        weight = [COLUMN_WEIGHTS[column]] * idf
        scores = weight * tf * (K1 + 1) / (tf + self._norm[self._columns.index(column), ids])
        return _TermScores(ids, scores)

    def _cached(self, keys) -> dict[str, _TermScores]:
        cache, found = self._cache, {}
        with self._lock:
            for key in keys:
                term = cache.get(key)
                if term is not None:
                    found[key] = term
                    cache.move_to_end(key)
        return found

    def _keep(self, fetched: dict[str, _TermScores]) -> None:
        """Remember fetched postings, the least recently used going first beyond the budget."""
        with self._lock:
            for key, term in fetched.items():
                if key not in self._cache:
                    self._cache[key] = term
                    self._cache_bytes += term.nbytes
            while self._cache_bytes > POSTINGS_CACHE_BYTES and self._cache:
                self._cache_bytes -= self._cache.popitem(last=False)[1].nbytes

    def rank(self, pairs: list[tuple[str, str]], limit: int, require_all: bool = False,
             allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """The best `limit` entries holding any (or, with require_all, every) term: (rowid, score)."""
        terms = self.postings(pairs)
        if not terms or (require_all and len(terms) < len(set(pairs))):
            return []
        ids = np.concatenate([term.ids for term in terms])  # the lists end to end
        scores = np.concatenate([term.scores for term in terms])
        ids, total, counts = self._per_entry(ids, scores, counted=require_all)
        keep = None
        if require_all:
            keep = counts == len(terms)
        if allowed is not None:
            keep = allowed[ids] if keep is None else keep & allowed[ids]
        if keep is not None:
            ids, total = ids[keep], total[keep]
        if len(ids) > limit:
            # np.argpartition(-total, …) is this method call (the same selection), past numpy's wrappers
            best = np.negative(total).argpartition(limit - 1)[:limit]
            ids, total = ids[best], total[best]
        order = np.lexsort((ids, -total))
        return list(zip(ids[order].tolist(), total[order].tolist(), strict=True))

    def _per_entry(self, ids: np.ndarray, scores: np.ndarray,
                   counted: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """The entries present (increasing rowids), their summed scores, and (`counted`) how many
        lists hold each. Either way bincount adds each entry's scores in the lists' order, so the
        floats are the same; it costs less than np.unique's sort (a third of a query's ranking)."""
        if self.size <= SIZED_ARRAYS_MAX_ENTRIES:  # rowids are < size + 1
            summed = np.bincount(ids, weights=scores)
            # every posting scores above 0 (idf ≥ 1e-6, a count ≥ 1): an entry is present where its sum
            # is, and the postings need no second count unless every term is required
            present = (summed > 0).nonzero()[0]  # a bool array's nonzero: a fifth of the int array's time
            return present, summed[present], np.bincount(ids)[present] if counted else None
        order = np.argsort(ids)
        ordered = ids[order]
        first = np.empty(len(ordered), dtype=bool)  # where each entry's run starts in rowid order
        first[:1] = True
        np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
        entry_of = np.empty(len(ordered), dtype=np.intp)  # each posting's entry, numbered 0, 1 … in rowid order
        entry_of[order] = np.cumsum(first) - 1
        return ordered[first], np.bincount(entry_of, weights=scores), np.bincount(entry_of) if counted else None
