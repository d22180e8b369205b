"""Building the search index of a FAQ: the sqlite file index.py reads.

Building means segmenting every question and alternate with jieba and pypinyin, which costs
seconds at 10k entries and tens of seconds at 100k (cache.py keeps the file, so it is done once
per FAQ content); FAQs of a middling size are segmented in forked worker processes.
"""
from __future__ import annotations

import itertools
import json
import os
import threading
import time
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import sqlite_utils

from bot.content.model import Entry, Faq
from bot.language.asks import Ask, asked, stated, without_disclaimers
from bot.language.facts import entry_years, fact_types_asked, fact_types_given
from bot.language.features import Segmenter, sound_string, sounds
from bot.language.textnorm import Normalizer
from bot.parallel import can_fork, fork_map
from bot.search.bm25 import PostingsWriter
from bot.search.index import Index
from bot.search.record import STORED, Record, Variant, encode

# Segmenting is most of a build: FAQs of this size or less are segmented in forked worker
# processes when the machine has cores to spare. Larger ones are not (each worker's copy of
# the FAQ would cost hundreds of MB), and their builds run once per edit, in the background.
PARALLEL_BUILD_ENTRIES = (2_000, 30_000)
_MATCH_FUNCTIONS: tuple | None = None  # (normalize, cut), for the forked workers


class _Matched(NamedTuple):
    """What the build makes of an entry: its record, and the terms the BM25 postings hold of it."""

    record: Record
    words: list[str]   # the search words of its phrasings and keywords
    grams: list[str]   # their sound bigrams


def build_index(faq: Faq, path: Path, consume: bool = False, meta: dict[str, str] | None = None) -> Index:
    """Write the index for `faq` to `path` (atomically) and open it. With `consume`, the
    entries are taken off `faq.entries` as they are indexed: a 100k-entry FAQ is then not
    held whole beside the index being built (~250 MB). `meta`: more to note in the meta table."""
    started = time.perf_counter()
    path = Path(path)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    normalize = Normalizer(faq.synonyms)
    user_words = sorted({*faq.user_words, *(normalize(k) for e in faq.entries for k in e.keywords)})
    segmenter = Segmenter(user_words)
    categories = sorted({e.category for e in faq.entries if e.category})
    db = sqlite_utils.Database(tmp, recreate=True)
    db.conn.execute("pragma journal_mode=off")
    db.conn.execute("pragma synchronous=off")
    # Keywords and stock phrasings recur across entries: each is normalised and cut once.
    size, latest_year = _write_entries(db, faq, consume, lru_cache(maxsize=4096)(normalize),
                                       lru_cache(maxsize=4096)(segmenter.segment), normalize.canonical)
    payload = {
        "texts": faq.texts, "menu": faq.menu,
        "rules": [{"keywords": r.keywords, "reply": r.reply, "match": r.match} for r in faq.rules],
        "synonyms": faq.synonyms, "user_words": user_words,
        "needs": [[list(n.terms), [list(row) for row in n.when], n.line] for n in faq.needs],
        "categories": categories,
        "problems": [p.__dict__ for p in faq.problems],
        "service": faq.service,
    }
    meta = {"fingerprint": faq.fingerprint, **(meta or {}), "size": str(size), "latest_year": str(latest_year),
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "build_seconds": f"{time.perf_counter() - started:.3f}",
            "payload": json.dumps(payload, ensure_ascii=False)}
    db["meta"].insert_all(({"key": k, "value": v} for k, v in meta.items()), pk="key")
    db.conn.commit()
    db.close()
    os.chmod(tmp, 0o600)  # DATA_DIR is private to the service (bot/store/files.py)
    os.replace(tmp, path)
    return Index(path, segmenter=segmenter)  # the same words: no second jieba start


def _write_entries(db: sqlite_utils.Database, faq: Faq, consume: bool, normalize, cut,
                   synonyms: dict[str, str]) -> tuple[int, int]:
    """The entries, their phrasings, postings, vocabulary and spellings: (entries, the latest year of their reports)."""
    # Rows are written in batches as they are made: holding every entry's JSON until the
    # end cost ~4 KB per entry (~450 MB at 100k entries).
    db["entries"].create({name: int if name == "rowid" else str for name in STORED}, pk="rowid")
    # Every normalised question and alternate → its entry: an exact hit needs no search.
    db["phrasings"].create({"text": str, "rowid": int}, pk="text")
    insert = f"insert into entries ({', '.join(STORED)}) values ({', '.join('?' * len(STORED))})"
    postings = PostingsWriter()
    df: Counter[str] = Counter()
    size = latest_year = 0
    for chunk, matched in _matched_chunks(faq.entries, consume, normalize, cut):
        rows, phrasings = [], []
        for rowid, entry, (record, words, grams) in zip(itertools.count(size + 1), chunk, matched, strict=False):
            rows.append(encode(record._replace(rowid=rowid)))
            df.update(set(words) | set(grams))
            postings.add(rowid, "words", words)
            postings.add(rowid, "sounds", grams)
            phrasings.extend((variant.text, rowid) for variant in record.phrasings)
            date_year = str(entry.source.get("date", ""))[:4]
            latest_year = max(latest_year, int(date_year) if date_year.isdigit() else 0)
        # executemany, not insert_all: sqlite-utils' per-row checks cost ~10% of the build
        db.conn.executemany(insert, rows)
        db.conn.executemany("insert or ignore into phrasings values (?, ?)", phrasings)  # first entry wins
        size += len(rows)
    db["entries"].create_index(["faq_id"], unique=True)
    postings.write(db.conn)
    del postings
    # Created even when empty: a FAQ without entries (missing, empty or all broken) still
    # makes an index that answers every question with the fallback.
    db["vocab"].create({"term": str, "df": int}, pk="term")
    db["spellings"].create({"sound": str, "term": str}, pk="sound")
    db["vocab"].insert_all(({"term": t, "df": n} for t, n in df.items()), pk="term", batch_size=5000)
    db["spellings"].insert_all(_spellings(df, synonyms), pk="sound", batch_size=5000)
    return size, latest_year


def _matched_chunks(entries: list, consume: bool, normalize, cut):
    """(chunk of entries, their _match), in order."""
    global _MATCH_FUNCTIONS
    low, high = PARALLEL_BUILD_ENTRIES
    if not (can_fork() and low <= len(entries) <= high):
        for chunk in _chunks(entries, 2000, consume):
            yield chunk, [_match(entry, normalize, cut) for entry in chunk]
        return
    chunks = list(_chunks(entries, 500, consume))
    _MATCH_FUNCTIONS = (normalize, cut)
    try:
        yield from zip(chunks, fork_map(_match_chunk, chunks), strict=True)
    finally:
        _MATCH_FUNCTIONS = None


def _match_chunk(chunk: list[Entry]) -> list[_Matched]:
    return [_match(entry, *_MATCH_FUNCTIONS) for entry in chunk]


def _chunks(entries: list, size: int, consume: bool):
    if not consume:
        yield from (entries[start:start + size] for start in range(0, len(entries), size))
        return
    while entries:
        chunk = entries[:size]
        del entries[:size]
        yield chunk


def _spellings(df: Counter, synonyms) -> list[dict]:
    """The FAQ's words by sound (the most used word for each), to repair pinyin slips; then the
    words of the synonym table where no FAQ word sounds the same (成际 → 城际, which becomes 城铁:
    slips are repaired before synonyms are made canonical)."""
    best: dict[str, tuple[int, str]] = {}
    for term, count in [*df.items(), *((word, 0) for word in synonyms)]:
        if 2 <= len(term) <= 8 and all("\u4e00" <= ch <= "\u9fff" for ch in term):
            key = sound_string(term)
            if key not in best or count > best[key][0]:
                best[key] = (count, term)
    return [{"sound": key, "term": term} for key, (_, term) in best.items()]


def _match(entry: Entry, normalize, cut) -> _Matched:
    """What scoring needs of an entry, and what the full-text index holds of it. Only the
    phrasings and keywords are segmented (`cut`: Segmenter.segment); the answer
    and detail are searched as text. The record's rowid is given when it is written."""
    variants = list(dict.fromkeys(v for v in (normalize(t) for t in entry.variants()) if v))
    keywords = tuple(dict.fromkeys(k for k in (normalize(k) for k in entry.keywords) if k))
    answer, detail = normalize(entry.answer), normalize(entry.detail)
    kept = without_disclaimers(f"{entry.answer}\n{entry.detail}")
    phrases = [*variants, *keywords]
    cuts = {phrase: cut(phrase) for phrase in phrases}
    # Each text's syllables once (not sound_string: its cache would fill with one-off texts).
    syllables = {phrase: sounds(phrase) for phrase in phrases}
    phrasings = tuple(Variant(text=v, sounds=" ".join(syllables[v]), words=tuple(dict.fromkeys(cuts[v][0])),
                              weights=(), total=0.0, fact_types=tuple(sorted(fact_types_asked(v))))
                      for v in variants)
    about = " ".join(phrases)
    about_sounds = " ".join([*(v.sounds for v in phrasings), *(" ".join(syllables[k]) for k in keywords)])
    record = Record(
        rowid=0, faq_id=entry.id, category=entry.category, question=entry.question,
        data=json.dumps(entry.to_dict(), ensure_ascii=False), phrasings=phrasings, keywords=keywords,
        words=(*(w for v in phrasings for w in v.words), *keywords),
        text=" ".join([about, answer, detail]),
        text_sounds=f" {' '.join(filter(None, [about_sounds, ' '.join(sounds(answer)), ' '.join(sounds(detail))]))} ",
        about=about, about_sounds=f" {about_sounds} ",
        stated=kept, stated_norm=normalize(kept),
        fact_types_given=tuple(sorted(fact_types_given(entry.answer))),
        states=_states(entry),
        answer_states=tuple(sorted(stated(entry.answer))),  # ~0.2 ms an entry: once here, not per reply
        years=tuple(sorted(entry_years(about, answer, entry.source))),
        valid_until=entry.valid_until.isoformat() if entry.valid_until else None)
    return _Matched(record, words=[w for phrase in cuts.values() for w in phrase[1]],
                    grams=[g for phrase in phrases for g in _bigrams(syllables[phrase])])


def _states(entry: Entry) -> tuple[str, ...]:
    """What the answer states, and what staff declared; an entry phrased as "X是什么" is the
    reports' account of X, whatever its wording."""
    definition = ["definition"] if any(Ask.DEFINITION in asked(v) for v in entry.variants()) else []
    return tuple(sorted({*stated(entry.answer, entry.detail), *entry.states, *definition}))


def _bigrams(syllables: list[str]) -> list[str]:
    """features.sound_bigrams of a text, from its syllables."""
    return syllables if len(syllables) == 1 else [a + b for a, b in itertools.pairwise(syllables)]
