"""One entry as the index keeps it, defined once: what the build writes, the file stores and
scoring reads (bot.answer.matcher) are the fields of `Record` and `Variant`.

A record is stored as one row of the `entries` table: the fields of COLUMNS in columns of their
own (the long texts, whose decoding from JSON cost most, and what entries are looked up by), the
rest as one JSON object keyed by field name; what the reader derives (`words`, each phrasing's
word weights) is not stored. Decoded records are cached as plain tuples (`decode`) and made
Records again when read (`from_cache`).
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from functools import lru_cache
from sys import intern
from typing import NamedTuple

from bot.content.model import Entry


class Variant(NamedTuple):
    """One phrasing of an entry (its question or an alternate), normalised."""

    text: str
    sounds: str                  # its sound string
    words: tuple[str, ...]       # its distinct content words
    weights: tuple[float, ...]   # the words' Index.word_weight: known when read, () when built
    total: float                 # the sum of the weights
    fact_types: tuple[str, ...]  # the types of fact it is phrased to ask for (facts.fact_types_asked)


class Record(NamedTuple):
    """One entry with what scoring needs: only strings, numbers and tuples of them. The entry
    itself is decoded when asked for: most candidates are scored and dropped."""

    rowid: int
    faq_id: str
    category: str
    question: str
    data: str                        # the entry, as JSON
    keywords: tuple[str, ...]        # normalised keywords
    words: tuple[str, ...]           # every word of the phrasings, and the keywords (derived)
    text: str                        # normalised question + alternates + keywords + answer + detail
    text_sounds: str                 # its sounds, padded with spaces so " word " finds whole syllables
    about: str                       # question + alternates + keywords: what the entry is about
    about_sounds: str                # padded like text_sounds
    fact_types_given: tuple[str, ...]  # the types of fact the answer gives (facts.fact_types_given)
    years: tuple[str, ...]           # years its phrasings and source title name
    states: tuple[str, ...]          # what its answer and detail state (bot.language.asks.stated, and staff's `states`)
    answer_states: tuple[str, ...]   # what its answer alone states (asks.stated): the reply adds detail on the rest
    stated: str                      # answer and detail without their disclaimers (asks.without_disclaimers)
    stated_norm: str                 # the same, normalised as questions are (with the FAQ's synonyms)
    valid_until: str | None
    phrasings: tuple[Variant, ...]   # the normalised question and alternates (last: see from_cache)

    @property
    def entry(self) -> Entry:
        return entry_of(self.data)

    def is_expired(self, today: dt.date | None = None) -> bool:
        return self.valid_until is not None and dt.date.fromisoformat(self.valid_until) < (today or dt.date.today())


# Fields stored in columns of their own; `match` holds the others but the derived ones.
COLUMNS = ("rowid", "faq_id", "category", "data", "text", "text_sounds", "about", "about_sounds",
           "stated", "stated_norm")
_DERIVED = ("words",)
_IN_MATCH = tuple(name for name in Record._fields if name not in COLUMNS and name not in _DERIVED)
STORED = (*COLUMNS, "match")  # the entries table's columns, in the order of encode's values


def encode(record: Record) -> tuple:
    """The record's row of the entries table, in the order of STORED."""
    match = {name: getattr(record, name) for name in _IN_MATCH}
    match["phrasings"] = [(v.text, v.sounds, v.words, v.fact_types) for v in record.phrasings]
    return (*(getattr(record, name) for name in COLUMNS), json.dumps(match, ensure_ascii=False))


def decode(row, weight: Callable[[str], float]) -> tuple:
    """A Record's fields from its row (with the STORED columns), as a plain tuple for the cache:
    only strings, numbers and tuples of them (no list, dict or set, and no NamedTuple), which the
    garbage collector stops tracking after a pass or two. Cached as objects, thousands of records
    made its passes take milliseconds in the middle of queries. `weight`: Index.word_weight."""
    fields = json.loads(row["match"])
    fields.update((name, row[name]) for name in COLUMNS)
    phrasings = tuple(_decode_variant(*stored, weight) for stored in fields["phrasings"])
    keywords = tuple(intern(k) for k in fields["keywords"])
    fields.update(phrasings=phrasings, keywords=keywords,
                  words=(*(w for variant in phrasings for w in variant[2]), *keywords),
                  fact_types_given=_shared(tuple(fields["fact_types_given"])), years=_shared(tuple(fields["years"])),
                  states=_shared(tuple(fields["states"])), answer_states=_shared(tuple(fields["answer_states"])))
    return tuple(Record(**fields))


def _decode_variant(text: str, sounds: str, words: list[str], fact_types: list[str], weight) -> tuple:
    words = tuple(intern(w) for w in words)  # the same words recur in thousands of records kept in memory
    weights = tuple(weight(w) for w in words)
    return text, sounds, words, weights, sum(weights), _shared(tuple(fact_types))


def from_cache(values: tuple) -> Record:
    """The Record of decode's tuple (made as Record._make and Variant._make would, without their
    checks of the length: a dozen records for each question)."""
    return _new(Record, (*values[:-1], tuple([_new(Variant, v) for v in values[-1]])))


_new = tuple.__new__


_SHARED: dict[tuple, tuple] = {}


def _shared(value: tuple) -> tuple:
    """One copy of each fact-types or years tuple (a handful of distinct values): fewer new objects
    per decoded record for the garbage collector to look at."""
    return _SHARED.setdefault(value, value) if len(_SHARED) < 10_000 else value


def decode_entry(data: str) -> Entry:
    """The entry of a record's `data`."""
    fields = json.loads(data)
    if fields.get("valid_until"):
        fields["valid_until"] = dt.date.fromisoformat(fields["valid_until"])
    return Entry(**fields)


# The entries of a question's candidates, decoded once for all the checks that read them.
entry_of = lru_cache(maxsize=256)(decode_entry)
