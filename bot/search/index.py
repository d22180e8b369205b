"""Reading the search index: BM25 over words and sound bigrams (bm25.py), and the entries'
match data (record.py), from the sqlite file build.py writes and cache.py keeps.

The file holds everything a query needs (entries, match data, texts, rules), so opening it does
not parse YAML at all.
"""
from __future__ import annotations

import json
import math
import sqlite3
import sys
import threading
import time
from collections import OrderedDict
from pathlib import Path

import numpy as np

from bot.content.model import Entry, Problem, Rule
from bot.language.features import Segmenter, sound_string
from bot.language.needs import Need, NeedMatcher
from bot.language.spelling import FaqSounds
from bot.language.textcache import MB, TextCache, size_of
from bot.language.textnorm import Normalizer, normalize, strip_particles
from bot.search.bm25 import Bm25
from bot.search.record import STORED, Record, decode, decode_entry, from_cache

RECORD_CACHE_SIZE = 4096
# FAQs up to this size are kept decoded whole once warmed up (~6 KB an entry: 60 MB at 10k).
PRELOAD_MAX_ENTRIES = 20_000
COMMON_TERM_DF = 300  # see Index.search
_SELECTED = ", ".join(STORED)


class Index:
    def __init__(self, path: Path, segmenter: Segmenter | None = None):
        self.path = Path(path)
        self._local = threading.local()
        meta = {row["key"]: row["value"] for row in self._db().execute("select key, value from meta").fetchall()}
        self.fingerprint = meta["fingerprint"]
        self.built_at = meta["built_at"]
        self.build_seconds = float(meta.get("build_seconds", 0))
        self.size = int(meta["size"])
        # The year of the newest report: what "今年" means to the FAQ.
        self.latest_year = int(meta.get("latest_year") or 0)
        payload = json.loads(meta["payload"])
        self.texts: dict[str, str] = payload["texts"]
        self.menu: dict[str, str] = payload["menu"]
        self.rules = [Rule(**r) for r in payload["rules"]]
        # each rule's keywords as a message is compared with them (decision.keyword_rule)
        self.rule_keys = [(rule, [strip_particles(normalize(k)) for k in rule.keywords]) for rule in self.rules]
        self.synonyms: list[list[str]] = payload["synonyms"]
        self.user_words: list[str] = payload["user_words"]
        self.categories: list[str] = payload["categories"]
        self.problems = [Problem(**p) for p in payload["problems"]]
        self.service: dict = payload.get("service", {})  # hot pins/hides, rating levels (bot.content.service)
        self.normalize = Normalizer(self.synonyms)
        self.needs = NeedMatcher([Need(tuple(terms), tuple(map(tuple, when)), line)
                                  for terms, when, line in payload.get("needs", [])], normalize=self.normalize)
        self.segmenter = segmenter or Segmenter(self.user_words)
        self._records: OrderedDict[int, tuple] = OrderedDict()  # LRU of decoded entries (record.decode)
        self._records_lock = threading.Lock()
        self._capacity = RECORD_CACHE_SIZE
        self._bm25 = Bm25(self._db)
        # Held in memory: every query looks up a few dozen of them (a few MB even at 100k entries).
        self._vocab: dict[str, int] = dict(self._db().execute("select term, df from vocab").fetchall())
        self.faq_sounds = FaqSounds(dict(self._db().execute("select sound, term from spellings").fetchall()))
        self._weights = {term: self._weight(term, df) for term, df in self._vocab.items()}  # word_weight
        self._in_category: dict[str, np.ndarray] = {}
        # The FAQ's own words' sounds, padded for whole-syllable search (matcher._present): asked
        # ~130 times a question, and bounded by the FAQ's vocabulary, so a plain dict without a lock.
        self._padded_sounds: dict[str, str] = {}
        # The phrasings table in memory once the FAQ is preloaded (normalised text → rowid): a
        # dict of strings the decoded records hold already, instead of a query for every question.
        self._exact: dict[str, int] | None = None
        self.repaired_texts = TextCache(2 * MB)  # a question's slips repaired (bot.answer.matcher), by text
        self._searched = TextCache(2 * MB)  # search's candidates, by its terms

    def _db(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            conn.execute("pragma mmap_size = 1073741824")  # reads without a syscall and copy per page
            conn.row_factory = sqlite3.Row
            self._local.conn = conn
        return conn

    # -------------------------------------------------------------- searching

    def exact(self, text: str) -> int | None:
        """The entry one of whose phrasings is exactly this normalised text."""
        if self._exact is not None:
            return self._exact.get(text)
        row = self._db().execute("select rowid from phrasings where text = ?", (text,)).fetchone()
        return row["rowid"] if row else None

    def padded_sound(self, word: str) -> str:
        """" <toneless pinyin of word> ", for a word of the FAQ's entries (not of citizens' text)."""
        padded = self._padded_sounds.get(word)
        if padded is None:
            padded = self._padded_sounds[word] = f" {sound_string(word)} "
        return padded

    def document_frequency(self, terms: list[str]) -> dict[str, int]:
        vocab = self._vocab
        return {term: vocab[term] for term in terms if term in vocab}

    def search(self, words: list[str], grams: list[str], limit: int = 20,
               category: str | None = None, df: dict[str, int] | None = None) -> list[tuple[int, float]]:
        """BM25 candidates: (rowid, score), best first.

        Terms in many entries barely rank, yet cost their whole posting lists: they are left
        out while rarer terms find enough; otherwise entries holding several of the rarest
        common terms together are looked up (few entries hold them all). `df` may bring the
        terms' document frequencies when the caller has them already. Remembered by the terms:
        the same questions come again."""
        key = _terms_key(words, grams, limit, category)
        if key is None:
            return self._search(words, grams, limit, category, df)
        return list(self._searched.remembered(key, lambda: tuple(self._search(words, grams, limit, category, df)),
                                              lambda hits: size_of(key) + sys.getsizeof(hits) + len(hits) * _HIT_BYTES))

    def _search(self, words: list[str], grams: list[str], limit: int, category: str | None,
                df: dict[str, int] | None) -> list[tuple[int, float]]:
        terms = sorted({*words, *grams})
        if df is None or any(t not in df for t in terms):
            df = self.document_frequency(terms)
        columns = {**{g: "sounds" for g in grams}, **{w: "words" for w in words}}
        known = sorted((t for t in columns if df.get(t)), key=df.get)
        rare = [t for t in known if df[t] <= COMMON_TERM_DF]
        common = [t for t in known if df[t] > COMMON_TERM_DF]
        hits = self._rank(rare, columns, limit, category) if rare else []
        if len(hits) < limit:
            hits = self._with_common(hits, common, columns, limit, category)
        return hits[:limit]

    def _with_common(self, hits: list[tuple[int, float]], common: list[str], columns: dict[str, str], limit: int,
                     category: str | None) -> list[tuple[int, float]]:
        """`hits` and then the entries holding the three, else two, rarest common terms together;
        with no hit at all, the entries holding the rarest one."""
        for size in (3, 2):
            if len(hits) >= limit or len(common) < size:
                continue
            together = self._rank(common[:size], columns, limit, category, require_all=True)
            seen = {rowid for rowid, _ in hits}
            hits = hits + [hit for hit in together if hit[0] not in seen]
        if not hits and common:
            hits = self._rank(common[:1], columns, limit, category)
        return hits

    def _rank(self, terms: list[str], columns: dict[str, str], limit: int, category: str | None,
              require_all: bool = False) -> list[tuple[int, float]]:
        return self._bm25.rank([(columns[t], t) for t in terms], limit, require_all=require_all,
                               allowed=self._category_mask(category) if category else None)

    def _category_mask(self, category: str) -> np.ndarray:
        mask = self._in_category.get(category)
        if mask is None:
            mask = np.zeros(self.size + 1, dtype=bool)
            rowids = [row[0] for row in self._db().execute("select rowid from entries where category = ?", (category,))]
            mask[rowids] = True
            self._in_category[category] = mask
        return mask

    # -------------------------------------------------------------- reading entries

    def records(self, rowids: list[int]) -> list[Record]:
        """Decoded entries, from the LRU or, all missing ones at once, from sqlite."""
        found, cached = {}, self._records
        if self._exact is not None:  # preloaded whole: every entry is held, none is dropped, no order to keep
            return [from_cache(cached[rowid]) for rowid in rowids]
        with self._records_lock:
            for rowid in rowids:
                values = cached.get(rowid)
                if values is not None:
                    found[rowid] = values
                    cached.move_to_end(rowid)
        missing = [r for r in rowids if r not in found]
        if missing:
            marks = ",".join("?" * len(missing))
            rows = self._db().execute(f"select {_SELECTED} from entries where rowid in ({marks})", missing)
            fresh = {row["rowid"]: self._decode(row) for row in rows}
            found.update(fresh)
            with self._records_lock:
                self._records.update(fresh)
                while len(self._records) > self._capacity:
                    self._records.popitem(last=False)
        return [from_cache(found[r]) for r in rowids]

    def _decode(self, row) -> tuple:
        return decode(row, self.word_weight)

    def preload(self, batch: int = 100, pause: float = 0.001) -> int:
        """Decode every entry into the cache, and rank every term's postings (Bm25.preload), when
        the FAQ is small enough to keep whole, so that no question waits for sqlite and JSON.
        Meant for a background thread at start-up: it works in small batches and pauses between
        them, so questions asked meanwhile are answered at once (they decode what they need
        themselves). Returns the entries decoded."""
        if self.size > PRELOAD_MAX_ENTRIES:
            return 0
        self._capacity = max(RECORD_CACHE_SIZE, self.size)
        decoded = 0
        for start in range(1, self.size + 1, batch):
            self.records(list(range(start, min(start + batch, self.size + 1))))
            decoded += min(batch, self.size + 1 - start)
            time.sleep(pause)
        self._exact = self._phrasings_held()
        self._bm25.preload(pause=pause)
        return decoded

    def _phrasings_held(self) -> dict[str, int] | None:
        """The phrasings table from the decoded records: each text to the first entry (in rowid
        order) with that phrasing, as the build's insert-or-ignore kept it; None if any is missing."""
        with self._records_lock:
            held = [self._records.get(rowid) for rowid in range(1, self.size + 1)]
        if None in held:
            return None
        exact: dict[str, int] = {}
        for rowid, values in enumerate(held, start=1):
            for variant in values[-1]:
                exact.setdefault(variant[0], rowid)
        return exact

    def word_weight(self, word: str) -> float:
        """How much a word says (idf); words the FAQ never uses count half, as indirect
        questions are full of them, and a single character less than half."""
        weight = self._weights.get(word)
        return self._weight(word, 0) if weight is None else weight

    def _weight(self, word: str, df: int) -> float:
        weight = idf(df, self.size) if df else 0.5 * idf(0, self.size)
        return weight if len(word) > 1 else 0.4 * weight

    def record(self, rowid: int) -> Record:
        return self.records([rowid])[0]

    def rowid_of(self, faq_id: str) -> int | None:
        row = self._db().execute("select rowid from entries where faq_id = ?", (faq_id,)).fetchone()
        return row["rowid"] if row else None

    def entry(self, faq_id: str) -> Entry | None:
        rowid = self.rowid_of(faq_id)
        return self.record(rowid).entry if rowid else None

    def entries(self):
        for row in self._db().execute("select data from entries order by rowid"):
            yield decode_entry(row["data"])

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None


_TERMS_JOINER = "\x1f"
_HIT_BYTES = sys.getsizeof((1, 1.0)) + sys.getsizeof(1) + sys.getsizeof(1.0)  # one (rowid, score) as kept


def _terms_key(words: list[str], grams: list[str], limit: int, category: str | None) -> tuple | None:
    """The search's arguments as a key of two strings (a tuple of thirty terms cost more to
    measure than the search saved): the lists joined, with their lengths; None when a term holds
    the joiner (never in normalised text), which would make two lists one key."""
    joined_words, joined_grams = _TERMS_JOINER.join(words), _TERMS_JOINER.join(grams)
    if (joined_words.count(_TERMS_JOINER) != max(len(words) - 1, 0)
            or joined_grams.count(_TERMS_JOINER) != max(len(grams) - 1, 0)):
        return None
    return len(words), joined_words, len(grams), joined_grams, limit, category


def idf(df: int, size: int) -> float:
    return math.log(1 + (size - df + 0.5) / (df + 0.5))
