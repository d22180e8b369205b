"""The search index: BM25 over words and sound bigrams (bot/bm25.py), cached by the FAQ's content.

Building means segmenting every question and alternate with jieba and pypinyin, which costs
seconds at 10k entries and tens of seconds at 100k, so the built index is kept in a sqlite file
named by the FAQ files' fingerprint: a restart, or another gunicorn worker, opens it instead of
rebuilding. The file holds everything a query needs (entries, match data, texts, rules), so a
cached start does not parse YAML at all.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import itertools
import json
import math
import os
import sqlite3
import sys
import threading
import time
import types
from collections import Counter, OrderedDict
from functools import lru_cache
from pathlib import Path
from sys import intern
from typing import NamedTuple

import numpy as np
import sqlite_utils

from bot.content.faq import Entry, Faq, Problem, Rule
from bot.language.asks import Ask, asked, stated, without_disclaimers
from bot.language.features import Segmenter, sound_string, sounds
from bot.language.kinds import answer_kinds, ask_kinds, years
from bot.language.needs import Need, NeedMatcher
from bot.language.textnorm import Normalizer
from bot.parallel import can_fork, fork_map
from bot.search.bm25 import Bm25, PostingsWriter


def cache_path(cache_dir: Path, faq_fingerprint: str) -> Path:
    """Where the index of FAQ content with this fingerprint is kept."""
    return Path(cache_dir) / f"index-{faq_fingerprint[:20]}-v{index_version()}.sqlite"
RECORD_CACHE_SIZE = 4096
# FAQs up to this size are kept decoded whole once warmed up (~6 KB an entry: 60 MB at 10k).
PRELOAD_MAX_ENTRIES = 20_000
COMMON_TERM_DF = 300  # see Index.search
# of entries, beside the match JSON
_TEXT_COLUMNS = ("text", "text_sounds", "about", "about_sounds", "stated", "stated_norm")


class Record(NamedTuple):
    """One entry with what scoring needs, decoded from the index (see Index._decode): only
    strings, numbers and tuples of them. The entry itself is decoded when asked for: most
    candidates are scored and dropped."""

    rowid: int
    faq_id: str
    question: str
    data: str                        # the entry, as JSON
    variants: tuple[str, ...]        # normalised question + alternates
    variant_sounds: tuple[str, ...]  # their sound strings
    variant_words: tuple[tuple[str, ...], ...]      # their distinct content words
    variant_weights: tuple[tuple[float, ...], ...]  # the words' Index.word_weight
    variant_totals: tuple[float, ...]               # the sum of each variant's weights
    variant_kinds: tuple[tuple[str, ...], ...]     # what kind of answer each is phrased for (kinds.ask_kinds)
    keywords: tuple[str, ...]        # normalised keywords
    words: tuple[str, ...]           # every word of the phrasings, and the keywords
    text: str                        # normalised question + alternates + keywords + answer + detail
    text_sounds: str                 # its sounds, padded with spaces so " word " finds whole syllables
    about: str                       # question + alternates + keywords: what the entry is about
    about_sounds: str                # padded like text_sounds
    answer_kinds: tuple[str, ...]    # what kinds of question the answer serves (kinds.answer_kinds)
    years: tuple[str, ...]           # years its phrasings and source title name
    states: tuple[str, ...]          # what its answer and detail state (bot.language.asks.stated, and staff's `states`)
    stated: str                      # answer and detail without their disclaimers (asks.without_disclaimers)
    stated_norm: str                 # the same, normalised as questions are (with the FAQ's synonyms)
    valid_until: str | None

    @property
    def entry(self) -> Entry:
        return _entry_of(self.data)

    def is_expired(self, today: dt.date | None = None) -> bool:
        return self.valid_until is not None and dt.date.fromisoformat(self.valid_until) < (today or dt.date.today())


_SHARED: dict[tuple, tuple] = {}


def _shared(value: tuple) -> tuple:
    """One copy of each kinds or years tuple (a handful of distinct values): fewer new objects
    per decoded record for the garbage collector to look at."""
    return _SHARED.setdefault(value, value) if len(_SHARED) < 10_000 else value


@lru_cache(maxsize=256)
def _entry_of(data: str) -> Entry:
    return _entry_from_dict(json.loads(data))


def _entry_from_dict(data: dict) -> Entry:
    data = dict(data)
    if data.get("valid_until"):
        data["valid_until"] = dt.date.fromisoformat(data["valid_until"])
    return Entry(**data)


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
        self.synonyms: list[list[str]] = payload["synonyms"]
        self.user_words: list[str] = payload["user_words"]
        self.categories: list[str] = payload["categories"]
        self.problems = [Problem(**p) for p in payload["problems"]]
        self.normalize = Normalizer(self.synonyms)
        self.needs = NeedMatcher([Need(tuple(terms), tuple(map(tuple, when)), line)
                                  for terms, when, line in payload.get("needs", [])], normalize=self.normalize)
        self.segmenter = segmenter or Segmenter(self.user_words)
        self._records: OrderedDict[int, tuple] = OrderedDict()  # LRU of decoded entries (_decode)
        self._records_lock = threading.Lock()
        self._capacity = RECORD_CACHE_SIZE
        self._bm25 = Bm25(self._db)
        # Held in memory: every query looks up a few dozen of them (a few MB even at 100k entries).
        self._vocab: dict[str, int] = dict(self._db().execute("select term, df from vocab").fetchall())
        self._spellings: dict[str, str] = dict(self._db().execute("select sound, term from spellings").fetchall())
        self._weights = {term: self._weight(term, df) for term, df in self._vocab.items()}  # word_weight
        self._in_category: dict[str, np.ndarray] = {}

    # -------------------------------------------------------------- building

    @classmethod
    def build(cls, faq: Faq, path: Path, consume: bool = False) -> Index:
        """Write the index for `faq` to `path` (atomically) and open it. With `consume`, the
        entries are taken off `faq.entries` as they are indexed: a 100k-entry FAQ is then not
        held whole beside the index being built (~250 MB)."""
        started = time.perf_counter()
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        normalize = Normalizer(faq.synonyms)
        user_words = sorted({*faq.user_words, *(normalize(k) for e in faq.entries for k in e.keywords)})
        segmenter = Segmenter(user_words)
        # Keywords and stock phrasings recur across entries: each is normalised and cut once.
        normalize_once = lru_cache(maxsize=4096)(normalize)
        cut_once = lru_cache(maxsize=4096)(segmenter.words_and_search_words)
        db = sqlite_utils.Database(tmp, recreate=True)
        db.conn.execute("pragma journal_mode=off")
        db.conn.execute("pragma synchronous=off")
        # Rows are written in batches as they are made: holding every entry's JSON until the
        # end cost ~4 KB per entry (~450 MB at 100k entries).
        db["entries"].create({"rowid": int, "id": str, "category": str, "data": str, "match": str,
                              **{key: str for key in _TEXT_COLUMNS}}, pk="rowid")
        postings = PostingsWriter()
        # Every normalised question and alternate → its entry: an exact hit needs no search.
        db["phrasings"].create({"text": str, "rowid": int}, pk="text")
        df: Counter[str] = Counter()
        categories = sorted({e.category for e in faq.entries if e.category})
        size = latest_year = 0
        for chunk, matches in _matched_chunks(faq.entries, consume, normalize_once, cut_once):
            rows, phrasings = [], []
            for rowid, entry, match in zip(itertools.count(size + 1), chunk, matches):
                words = match.pop("index_words")
                grams = match.pop("index_sounds")
                # the long texts stay out of the JSON: decoding them costs most
                texts = [match.pop(key) for key in _TEXT_COLUMNS]
                rows.append((rowid, entry.id, entry.category, json.dumps(entry.to_dict(), ensure_ascii=False),
                             json.dumps(match, ensure_ascii=False), *texts))
                df.update(set(words) | set(grams))
                postings.add(rowid, "words", words)
                postings.add(rowid, "sounds", grams)
                phrasings.extend((v, rowid) for v in match["variants"])
                date_year = str(entry.source.get("date", ""))[:4]
                latest_year = max(latest_year, int(date_year) if date_year.isdigit() else 0)
            # executemany, not insert_all: sqlite-utils' per-row checks cost ~10% of the build
            db.conn.executemany(f"insert into entries values ({', '.join('?' * (5 + len(_TEXT_COLUMNS)))})", rows)
            db.conn.executemany("insert or ignore into phrasings values (?, ?)", phrasings)  # first entry wins
            size += len(rows)
        db["entries"].create_index(["id"], unique=True)
        postings.write(db.conn)
        del postings
        db["vocab"].insert_all(({"term": t, "df": n} for t, n in df.items()), pk="term", batch_size=5000)
        db["spellings"].insert_all(_spellings(df), pk="sound", batch_size=5000)
        payload = {
            "texts": faq.texts, "menu": faq.menu,
            "rules": [{"keywords": r.keywords, "reply": r.reply, "match": r.match} for r in faq.rules],
            "synonyms": faq.synonyms, "user_words": user_words,
            "needs": [[list(n.terms), [list(row) for row in n.when], n.line] for n in faq.needs],
            "categories": categories,
            "problems": [p.__dict__ for p in faq.problems],
        }
        meta = {"fingerprint": faq.fingerprint, "version": index_version(), "size": str(size),
                "latest_year": str(latest_year),
                "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "build_seconds": f"{time.perf_counter() - started:.3f}",
                "payload": json.dumps(payload, ensure_ascii=False)}
        db["meta"].insert_all(({"key": k, "value": v} for k, v in meta.items()), pk="key")
        db.conn.commit()
        db.close()
        os.replace(tmp, path)
        return cls(path, segmenter=segmenter)  # the same words: no second jieba start

    @classmethod
    def open_or_build(cls, faq_dir: Path, cache_dir: Path, load=None) -> Index:
        """Open the cached index of this FAQ content, building it first when there is none."""
        from bot.content.faq import fingerprint, load_faq

        cache_dir = Path(cache_dir)
        path = cache_path(cache_dir, fingerprint(Path(faq_dir)))
        if path.exists():
            try:
                return cls(path)
            except (sqlite3.DatabaseError, KeyError, json.JSONDecodeError):
                path.unlink(missing_ok=True)  # a damaged cache is rebuilt, never trusted
        # Loaded here, the FAQ is ours to consume; a caller's own (`load`) is left whole.
        index = cls.build((load or load_faq)(faq_dir), path, consume=load is None)
        _remove_stale(cache_dir, keep=path)
        return index

    # -------------------------------------------------------------- querying

    def _db(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            conn.execute("pragma mmap_size = 1073741824")  # reads without a syscall and copy per page
            conn.row_factory = sqlite3.Row
            self._local.conn = conn
        return conn

    def exact(self, text: str) -> int | None:
        """The entry one of whose phrasings is exactly this normalised text."""
        row = self._db().execute("select rowid from phrasings where text = ?", (text,)).fetchone()
        return row["rowid"] if row else None

    def words_by_sound(self, sounds: list[str]) -> dict[str, str]:
        """FAQ words that sound like each of `sounds` (fuzzy toneless pinyin strings)."""
        spellings = self._spellings
        return {sound: spellings[sound] for sound in sounds if sound in spellings}

    def document_frequency(self, terms: list[str]) -> dict[str, int]:
        vocab = self._vocab
        return {term: vocab[term] for term in terms if term in vocab}

    def search(self, words: list[str], grams: list[str], limit: int = 20,
               category: str | None = None, df: dict[str, int] | None = None) -> list[tuple[int, float]]:
        """BM25 candidates: (rowid, score), best first.

        Terms in many entries barely rank, yet cost their whole posting lists: they are left
        out while rarer terms find enough; otherwise entries holding several of the rarest
        common terms together are looked up (few entries hold them all). `df` may bring the
        terms' document frequencies when the caller has them already."""
        terms = sorted({*words, *grams})
        if df is None or any(t not in df for t in terms):
            df = self.document_frequency(terms)
        columns = {**{g: "sounds" for g in grams}, **{w: "words" for w in words}}
        known = sorted((t for t in columns if df.get(t)), key=df.get)
        rare = [t for t in known if df[t] <= COMMON_TERM_DF]
        hits = self._rank(rare, columns, limit, category) if rare else []
        common = [t for t in known if df[t] > COMMON_TERM_DF]
        for size in (3, 2):
            if len(hits) >= limit or len(common) < size:
                continue
            together = self._rank(common[:size], columns, limit, category, require_all=True)
            seen = {rowid for rowid, _ in hits}
            hits += [hit for hit in together if hit[0] not in seen]
        if not hits and common:
            hits = self._rank(common[:1], columns, limit, category)
        return hits[:limit]

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

    def records(self, rowids: list[int]) -> list[Record]:
        """Decoded entries, from the LRU or, all missing ones at once, from sqlite."""
        with self._records_lock:
            found = {r: self._records[r] for r in rowids if r in self._records}
            for rowid in found:
                self._records.move_to_end(rowid)
        missing = [r for r in rowids if r not in found]
        if missing:
            marks = ",".join("?" * len(missing))
            rows = self._db().execute(f"select rowid, id, data, match, {', '.join(_TEXT_COLUMNS)} from entries "
                                      f"where rowid in ({marks})", missing)
            fresh = {row["rowid"]: self._decode(row) for row in rows}
            found.update(fresh)
            with self._records_lock:
                self._records.update(fresh)
                while len(self._records) > self._capacity:
                    self._records.popitem(last=False)
        return [Record._make(found[r]) for r in rowids]

    def preload(self, batch: int = 100, pause: float = 0.001) -> int:
        """Decode every entry into the cache, when the FAQ is small enough to keep whole, so that
        no question waits for sqlite and JSON. Meant for a background thread at start-up: it
        works in small batches and pauses between them, so questions asked meanwhile are
        answered at once (they decode what they need themselves). Returns the entries decoded."""
        if self.size > PRELOAD_MAX_ENTRIES:
            return 0
        self._capacity = max(RECORD_CACHE_SIZE, self.size)
        decoded = 0
        for start in range(1, self.size + 1, batch):
            self.records(list(range(start, min(start + batch, self.size + 1))))
            decoded += min(batch, self.size + 1 - start)
            time.sleep(pause)
        return decoded

    def _decode(self, row) -> tuple:
        """A Record's fields as a plain tuple, for the cache: only strings, numbers and tuples
        of them (no list, dict or set, and not the Record subclass), which the garbage collector
        stops tracking after a pass or two. Cached as objects, thousands of records made its
        passes take milliseconds in the middle of queries."""
        match = json.loads(row["match"])
        weights, weight = self._weights, self.word_weight
        # Interned: the same words recur in thousands of records kept in memory.
        variant_words = tuple(tuple(intern(w) for w in dict.fromkeys(words)) for words in match["variant_words"])
        variant_weights = tuple(tuple(weights[w] if w in weights else weight(w) for w in words)
                                for words in variant_words)
        keywords = tuple(intern(k) for k in match["keywords"])
        variant_kinds = _shared(tuple(_shared(tuple(kinds)) for kinds in match["variant_kinds"]))
        words = (*(w for words in variant_words for w in words), *keywords)
        return tuple(Record(
            rowid=row["rowid"], faq_id=row["id"], question=match["question"], data=row["data"],
            variants=tuple(match["variants"]), variant_sounds=tuple(match["variant_sounds"]),
            variant_words=variant_words, variant_weights=variant_weights,
            variant_totals=tuple(sum(ws) for ws in variant_weights),
            variant_kinds=variant_kinds, keywords=keywords, words=words,
            text=row["text"], text_sounds=row["text_sounds"], about=row["about"], about_sounds=row["about_sounds"],
            stated=row["stated"], stated_norm=row["stated_norm"],
            answer_kinds=_shared(tuple(match["answer_kinds"])), years=_shared(tuple(match["years"])),
            states=_shared(tuple(match["states"])),
            valid_until=match["valid_until"]))

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
        row = self._db().execute("select rowid from entries where id = ?", (faq_id,)).fetchone()
        return row["rowid"] if row else None

    def entry(self, faq_id: str) -> Entry | None:
        rowid = self.rowid_of(faq_id)
        return self.record(rowid).entry if rowid else None

    def entries(self):
        for row in self._db().execute("select data from entries order by rowid"):
            yield _entry_from_dict(json.loads(row["data"]))

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None


# Segmenting is most of a build: FAQs of this size or less are segmented in forked worker
# processes when the machine has cores to spare. Larger ones are not (each worker's copy of
# the FAQ would cost hundreds of MB), and their builds run once per edit, in the background.
PARALLEL_BUILD_ENTRIES = (2_000, 30_000)
_MATCH_FUNCTIONS: tuple | None = None  # (normalize, cut), for the forked workers


def _matched_chunks(entries: list, consume: bool, normalize, cut):
    """(chunk of entries, their _match_data), in order."""
    global _MATCH_FUNCTIONS
    low, high = PARALLEL_BUILD_ENTRIES
    if not (can_fork() and low <= len(entries) <= high):
        for chunk in _chunks(entries, 2000, consume):
            yield chunk, [_match_data(entry, normalize, cut) for entry in chunk]
        return
    chunks = list(_chunks(entries, 500, consume))
    _MATCH_FUNCTIONS = (normalize, cut)
    try:
        yield from zip(chunks, fork_map(_match_chunk, chunks))
    finally:
        _MATCH_FUNCTIONS = None


def _match_chunk(chunk: list[Entry]) -> list[dict]:
    return [_match_data(entry, *_MATCH_FUNCTIONS) for entry in chunk]


def _chunks(entries: list, size: int, consume: bool):
    if not consume:
        yield from (entries[start:start + size] for start in range(0, len(entries), size))
        return
    while entries:
        chunk = entries[:size]
        del entries[:size]
        yield chunk


def _spellings(df: Counter) -> list[dict]:
    """The FAQ's words by sound (the most used word for each), to repair pinyin slips."""
    best: dict[str, tuple[int, str]] = {}
    for term, count in df.items():
        if 2 <= len(term) <= 8 and all("\u4e00" <= ch <= "\u9fff" for ch in term):
            key = sound_string(term)
            if count > best.get(key, (0, ""))[0]:
                best[key] = (count, term)
    return [{"sound": key, "term": term} for key, (_, term) in best.items()]


def _match_data(entry: Entry, normalize, cut) -> dict:
    """What scoring needs of an entry, and what the full-text index holds of it. Only the
    phrasings and keywords are segmented (`cut`: Segmenter.words_and_search_words); the answer
    and detail are searched as text."""
    variants = list(dict.fromkeys(v for v in (normalize(t) for t in entry.variants()) if v))
    keywords = list(dict.fromkeys(k for k in (normalize(k) for k in entry.keywords) if k))
    answer, detail = normalize(entry.answer), normalize(entry.detail)
    kept = without_disclaimers(f"{entry.answer}\n{entry.detail}")
    phrases = [*variants, *keywords]
    cuts = {phrase: cut(phrase) for phrase in phrases}
    # Each text's syllables once (not sound_string: its cache would fill with one-off texts).
    syllables = {phrase: sounds(phrase) for phrase in phrases}
    variant_sounds = [" ".join(syllables[v]) for v in variants]
    about = " ".join(phrases)
    about_sounds = " ".join([*variant_sounds, *(" ".join(syllables[k]) for k in keywords)])
    return {
        "question": entry.question,
        "variants": variants, "variant_sounds": variant_sounds,
        "variant_words": [cuts[v][0] for v in variants],
        "variant_kinds": [sorted(ask_kinds(v)) for v in variants],
        "keywords": keywords,
        "text": " ".join([about, answer, detail]),
        "text_sounds": " " + " ".join(filter(None, [about_sounds, " ".join(sounds(answer)),
                                                    " ".join(sounds(detail))])) + " ",
        "about": about, "about_sounds": f" {about_sounds} ",
        "stated": kept, "stated_norm": normalize(kept),
        "answer_kinds": sorted(answer_kinds(entry.answer)),
        # What the answer states, and what staff declared; an entry phrased as "X是什么" is the
        # reports' account of X, whatever its wording.
        "states": sorted({*stated(entry.answer, entry.detail), *entry.states,
                          *(["definition"] if any(Ask.DEFINITION in asked(v) for v in entry.variants()) else [])}),
        # the years it speaks of: its phrasings, its report's title, and its answer ("2024年12月25日")
        "years": sorted(years(" ".join([about, entry.source.get("title", ""), answer, detail]))),
        "valid_until": entry.valid_until.isoformat() if entry.valid_until else None,
        "index_words": [w for phrase in cuts.values() for w in phrase[1]],
        "index_sounds": [g for phrase in phrases for g in _bigrams(syllables[phrase])],
    }


def _bigrams(syllables: list[str]) -> list[str]:
    """features.sound_bigrams of a text, from its syllables."""
    return syllables if len(syllables) == 1 else [a + b for a, b in zip(syllables, syllables[1:])]


def _remove_stale(cache_dir: Path, keep: Path) -> None:
    """Old index files are dropped once a newer one exists (a worker may still read one: unlink is safe)."""
    for old in cache_dir.glob("index-*.sqlite"):
        if old != keep and time.time() - old.stat().st_mtime > 60:
            old.unlink(missing_ok=True)


def idf(df: int, size: int) -> float:
    return math.log(1 + (size - df + 0.5) / (df + 0.5))


@functools.cache
def index_version() -> str:
    """A digest of the source of this module and of every bot module it uses, found by following
    what each module's names come from: a change to how text is normalised, segmented or stored
    must not reuse an index built by the old code, and a module moved or added is covered without
    a list of file names to keep up to date."""
    seen, todo = set(), [__name__]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for value in vars(sys.modules[name]).values():
            origin = value.__name__ if isinstance(value, types.ModuleType) else getattr(value, "__module__", None)
            if isinstance(origin, str) and origin.startswith("bot.") and origin in sys.modules:
                todo.append(origin)
    digest = hashlib.sha256()
    for name in sorted(seen):
        digest.update(name.encode() + b"\0" + Path(sys.modules[name].__file__).read_bytes())
    return digest.hexdigest()[:8]
