"""The search index: sqlite FTS5 over words and sound bigrams, cached by the FAQ's content.

Building means segmenting every question and alternate with jieba and pypinyin, which costs
seconds at 10k entries and tens of seconds at 100k, so the built index is kept in a sqlite file
named by the FAQ files' fingerprint: a restart, or another gunicorn worker, opens it instead of
rebuilding. The file holds everything a query needs (entries, match data, texts, rules), so a
cached start does not parse YAML at all.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import sqlite3
import threading
import time
from collections import Counter, OrderedDict
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from .faq import Entry, Faq, Problem, Rule
from .features import Segmenter, sound_bigrams, sound_string
from .textnorm import Normalizer

def _code_version() -> str:
    """The index depends on how text is normalised and segmented: a change to that code
    must not reuse an index built by the old code."""
    digest = hashlib.sha256()
    for name in ("textnorm.py", "features.py", "spelling.py", "index.py"):
        digest.update((Path(__file__).parent / name).read_bytes())
    return digest.hexdigest()[:8]


INDEX_VERSION = _code_version()


def cache_path(cache_dir: Path, faq_fingerprint: str) -> Path:
    """Where the index of FAQ content with this fingerprint is kept."""
    return Path(cache_dir) / f"index-{faq_fingerprint[:20]}-v{INDEX_VERSION}.sqlite"
WORD_WEIGHT, SOUND_WEIGHT = 1.0, 0.6
RECORD_CACHE_SIZE = 4096
COMMON_TERM_DF = 300  # see Index.search


@dataclass
class Record:
    """One entry with what scoring needs, decoded from the index."""

    rowid: int
    entry: Entry
    variants: list[str]        # normalised question + alternates
    variant_sounds: list[str]  # their sound strings
    variant_words: list[list[str]]  # their content words
    keywords: list[str]        # normalised keywords
    text: str                  # normalised question + alternates + keywords + answer + detail
    text_sounds: str           # its sounds, padded with spaces so " word " finds whole syllables
    about: str = ""            # question + alternates + keywords: what the entry is about
    about_sounds: str = ""     # padded like text_sounds


def _entry_from_dict(data: dict) -> Entry:
    import datetime as dt

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
        payload = json.loads(meta["payload"])
        self.texts: dict[str, str] = payload["texts"]
        self.menu: dict[str, str] = payload["menu"]
        self.rules = [Rule(**r) for r in payload["rules"]]
        self.synonyms: list[list[str]] = payload["synonyms"]
        self.user_words: list[str] = payload["user_words"]
        self.categories: list[str] = payload["categories"]
        self.problems = [Problem(**p) for p in payload["problems"]]
        self.normalize = Normalizer(self.synonyms)
        self.segmenter = segmenter or Segmenter(self.user_words)
        self._records: OrderedDict[int, Record] = OrderedDict()  # LRU of decoded entries
        self._records_lock = threading.Lock()

    # -------------------------------------------------------------- building

    @classmethod
    def build(cls, faq: Faq, path: Path) -> "Index":
        """Write the index for `faq` to `path` (atomically) and open it."""
        started = time.perf_counter()
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        normalize = Normalizer(faq.synonyms)
        user_words = sorted({*faq.user_words, *(normalize(k) for e in faq.entries for k in e.keywords)})
        segmenter = Segmenter(user_words)
        db = sqlite_utils.Database(tmp, recreate=True)
        db.conn.execute("pragma journal_mode=off")
        db.conn.execute("pragma synchronous=off")
        # Rows are written in batches as they are made: holding every entry's JSON until the
        # end cost ~4 KB per entry (~450 MB at 100k entries).
        entries_table = db["entries"].create(
            {"rowid": int, "id": str, "category": str, "data": str, "match": str}, pk="rowid")
        docs_table = db["docs"].create({"rowid": int, "words": str, "sounds": str}, pk="rowid")
        # Every normalised question and alternate → its entry: an exact hit needs no search.
        phrasings_table = db["phrasings"].create({"text": str, "rowid": int}, pk="text")
        df: Counter[str] = Counter()
        size = 0
        for start in range(0, len(faq.entries), 2000):
            rows, docs, phrasings = [], [], []
            for rowid, entry in enumerate(faq.entries[start:start + 2000], start=start + 1):
                match = _match_data(entry, normalize, segmenter)
                words = match.pop("index_words")
                grams = match.pop("index_sounds")
                rows.append({"rowid": rowid, "id": entry.id, "category": entry.category,
                             "data": json.dumps(entry.to_dict(), ensure_ascii=False),
                             "match": json.dumps(match, ensure_ascii=False)})
                df.update(set(words) | set(grams))
                docs.append({"rowid": rowid, "words": " ".join(words), "sounds": " ".join(grams)})
                phrasings.extend({"text": v, "rowid": rowid} for v in match["variants"])
            entries_table.insert_all(rows, batch_size=2000)
            docs_table.insert_all(docs, batch_size=2000)
            phrasings_table.insert_all(phrasings, batch_size=2000, ignore=True)  # first entry wins
            size += len(rows)
        db["entries"].create_index(["id"], unique=True)
        db["docs"].enable_fts(["words", "sounds"], tokenize="unicode61 remove_diacritics 0")
        db["vocab"].insert_all(({"term": t, "df": n} for t, n in df.items()), pk="term", batch_size=5000)
        db["spellings"].insert_all(_spellings(df), pk="sound", batch_size=5000)
        payload = {
            "texts": faq.texts, "menu": faq.menu,
            "rules": [{"keywords": r.keywords, "reply": r.reply, "match": r.match} for r in faq.rules],
            "synonyms": faq.synonyms, "user_words": user_words,
            "categories": sorted({e.category for e in faq.entries if e.category}),
            "problems": [p.__dict__ for p in faq.problems],
        }
        meta = {"fingerprint": faq.fingerprint, "version": INDEX_VERSION, "size": str(size),
                "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "build_seconds": f"{time.perf_counter() - started:.3f}",
                "payload": json.dumps(payload, ensure_ascii=False)}
        db["meta"].insert_all(({"key": k, "value": v} for k, v in meta.items()), pk="key")
        db.conn.commit()
        db.close()
        os.replace(tmp, path)
        return cls(path, segmenter=segmenter)  # the same words: no second jieba start

    @classmethod
    def open_or_build(cls, faq_dir: Path, cache_dir: Path, load=None) -> "Index":
        """Open the cached index of this FAQ content, building it first when there is none."""
        from .faq import fingerprint, load_faq

        cache_dir = Path(cache_dir)
        path = cache_path(cache_dir, fingerprint(Path(faq_dir)))
        if path.exists():
            try:
                return cls(path)
            except (sqlite3.DatabaseError, KeyError, json.JSONDecodeError):
                path.unlink(missing_ok=True)  # a damaged cache is rebuilt, never trusted
        faq = (load or load_faq)(faq_dir)
        index = cls.build(faq, path)
        _remove_stale(cache_dir, keep=path)
        return index

    # -------------------------------------------------------------- querying

    def _db(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            self._local.conn = conn
        return conn

    def exact(self, text: str) -> int | None:
        """The entry one of whose phrasings is exactly this normalised text."""
        row = self._db().execute("select rowid from phrasings where text = ?", (text,)).fetchone()
        return row["rowid"] if row else None

    def words_by_sound(self, sounds: list[str]) -> dict[str, str]:
        """FAQ words that sound like each of `sounds` (fuzzy toneless pinyin strings)."""
        if not sounds:
            return {}
        marks = ",".join("?" * len(sounds))
        rows = self._db().execute(f"select sound, term from spellings where sound in ({marks})", sounds)
        return {row["sound"]: row["term"] for row in rows}

    def document_frequency(self, terms: list[str]) -> dict[str, int]:
        if not terms:
            return {}
        marks = ",".join("?" * len(terms))
        rows = self._db().execute(f"select term, df from vocab where term in ({marks})", terms).fetchall()
        return {row["term"]: row["df"] for row in rows}

    def search(self, words: list[str], grams: list[str], limit: int = 20,
               category: str | None = None, df: dict[str, int] | None = None) -> list[tuple[int, float]]:
        """BM25 candidates: (rowid, score), best first.

        Terms in many entries barely rank, yet cost their whole posting lists: they are left
        out while rarer terms find enough; otherwise entries holding several of the rarest
        common terms together are looked up (an AND is cheap to rank). `df` may bring the
        terms' document frequencies when the caller has them already."""
        terms = sorted({*words, *grams})
        if df is None or any(t not in df for t in terms):
            df = self.document_frequency(terms)
        columns = {**{g: "sounds" for g in grams}, **{w: "words" for w in words}}
        known = sorted((t for t in columns if df.get(t)), key=df.get)
        rare = [t for t in known if df[t] <= COMMON_TERM_DF]
        hits = self._fts(" OR ".join(_column_term(t, columns) for t in rare), limit, category) if rare else []
        common = [t for t in known if df[t] > COMMON_TERM_DF]
        for size in (3, 2):
            if len(hits) >= limit or len(common) < size:
                continue
            together = self._fts(" AND ".join(_column_term(t, columns) for t in common[:size]), limit, category)
            seen = {rowid for rowid, _ in hits}
            hits += [hit for hit in together if hit[0] not in seen]
        if not hits and common:
            hits = self._fts(_column_term(common[0], columns), limit, category)
        return hits[:limit]

    def _fts(self, expression: str, limit: int, category: str | None) -> list[tuple[int, float]]:
        sql = (f"select docs_fts.rowid as rowid, bm25(docs_fts, {WORD_WEIGHT}, {SOUND_WEIGHT}) as rank "
               "from docs_fts")
        params: list = [expression]
        if category:
            sql += " join entries on entries.rowid = docs_fts.rowid where docs_fts match ? and entries.category = ?"
            params.append(category)
        else:
            sql += " where docs_fts match ?"
        sql += " order by rank limit ?"
        params.append(limit)
        return [(row["rowid"], -row["rank"]) for row in self._db().execute(sql, params).fetchall()]

    def records(self, rowids: list[int]) -> list[Record]:
        """Decoded entries, from the LRU or, all missing ones at once, from sqlite."""
        with self._records_lock:
            found = {r: self._records[r] for r in rowids if r in self._records}
            for rowid in found:
                self._records.move_to_end(rowid)
        missing = [r for r in rowids if r not in found]
        if missing:
            marks = ",".join("?" * len(missing))
            rows = self._db().execute(f"select rowid, data, match from entries where rowid in ({marks})", missing)
            fresh = {row["rowid"]: _decode(row) for row in rows}
            found.update(fresh)
            with self._records_lock:
                self._records.update(fresh)
                while len(self._records) > RECORD_CACHE_SIZE:
                    self._records.popitem(last=False)
        return [found[r] for r in rowids]

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


def _decode(row) -> Record:
    match = json.loads(row["match"])
    return Record(rowid=row["rowid"], entry=_entry_from_dict(json.loads(row["data"])),
                  variants=match["variants"], variant_sounds=match["variant_sounds"],
                  variant_words=match["variant_words"],
                  keywords=match["keywords"],
                  text=match["text"], text_sounds=f" {match['text_sounds']} ",
                  about=" ".join([*match["variants"], *match["keywords"]]),
                  about_sounds=" " + " ".join([*match["variant_sounds"],
                                               *(sound_string(k) for k in match["keywords"])]) + " ")


def _spellings(df: Counter) -> list[dict]:
    """The FAQ's words by sound (the most used word for each), to repair pinyin slips."""
    best: dict[str, tuple[int, str]] = {}
    for term, count in df.items():
        if 2 <= len(term) <= 8 and all("\u4e00" <= ch <= "\u9fff" for ch in term):
            key = sound_string(term)
            if count > best.get(key, (0, ""))[0]:
                best[key] = (count, term)
    return [{"sound": key, "term": term} for key, (_, term) in best.items()]


def _column_term(term: str, columns: dict[str, str]) -> str:
    return f"{columns[term]} : {_quote(term)}"


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _match_data(entry: Entry, normalize: Normalizer, segmenter: Segmenter) -> dict:
    """What scoring needs of an entry, and what the full-text index holds of it. Only the
    phrasings and keywords are segmented; the answer and detail are searched as text."""
    variants = list(dict.fromkeys(v for v in (normalize(t) for t in entry.variants()) if v))
    keywords = list(dict.fromkeys(k for k in (normalize(k) for k in entry.keywords) if k))
    text = " ".join([*variants, *keywords, normalize(entry.answer), normalize(entry.detail)])
    cuts = {phrase: segmenter.words_and_search_words(phrase) for phrase in [*variants, *keywords]}
    return {
        "variants": variants, "variant_sounds": [sound_string(v) for v in variants],
        "variant_words": [cuts[v][0] for v in variants],
        "keywords": keywords,
        "text": text, "text_sounds": sound_string(text),
        "index_words": [w for phrase in cuts.values() for w in phrase[1]],
        "index_sounds": [g for phrase in cuts for g in sound_bigrams(phrase.replace(" ", ""))],
    }


def _remove_stale(cache_dir: Path, keep: Path) -> None:
    """Old index files are dropped once a newer one exists (a worker may still read one: unlink is safe)."""
    for old in cache_dir.glob("index-*.sqlite"):
        if old != keep and time.time() - old.stat().st_mtime > 60:
            old.unlink(missing_ok=True)


def idf(df: int, size: int) -> float:
    return math.log(1 + (size - df + 0.5) / (df + 0.5))
