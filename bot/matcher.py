"""From a citizen's question to a decision: understand → retrieve → score → decide.

Each step is a plain function over plain data so it can be tested and tuned on its own.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz

from .features import sound_bigrams, sound_string
from .index import Index, Record, idf

# Calibrated on the FAQ's own alternates (leave-one-out) and a set of out-of-scope questions;
# see README "匹配与阈值".
ANSWER_THRESHOLD = 62.0
CLARIFY_THRESHOLD = 50.0
CLOSE_MARGIN = 6.0
CANDIDATES = 20

@dataclass
class Query:
    raw: str
    text: str                  # normalised, fillers dropped, synonyms canonical
    words: list[str]           # content words
    search_words: list[str]
    grams: list[str]           # sound bigrams
    sounds: str
    word_df: dict[str, int] = field(default_factory=dict)

@dataclass
class Scored:
    record: Record
    score: float
    similarity: float
    coverage: float
    keyword_hit: bool
    retrieval: float = 0.0

    @property
    def entry(self):
        return self.record.entry

@dataclass
class Decision:
    kind: str                  # answer | clarify | fallback
    scored: list[Scored]
    reason: str
    chosen: Scored | None = None
    offered: list[Scored] = field(default_factory=list)

def understand(index: Index, raw: str) -> Query:
    text = index.normalize(raw)
    words = index.segmenter.words(text)
    search_words = index.segmenter.search_words(text)
    query = Query(raw=raw, text=text, words=words, search_words=search_words,
                  grams=sound_bigrams(text.replace(" ", "")), sounds=sound_string(text))
    query.word_df = index.document_frequency(sorted(set(words)))
    return query

def retrieve(index: Index, query: Query, limit: int = CANDIDATES, category: str | None = None) -> list[tuple[Record, float]]:
    hits = index.search(query.search_words, query.grams, limit=limit, category=category)
    return [(index.record(rowid), rank) for rowid, rank in hits]

def _covered(word: str, record: Record) -> bool:
    if word in record.words or word in record.text:
        return True
    if len(word) >= 2:
        return f" {sound_string(word)} " in f" {record.text_sounds} "
    return False

def score(index: Index, query: Query, record: Record, retrieval: float = 0.0) -> Scored:
    """0–100: how well the entry answers the question, from phrasing and from content words."""
    similarity = 0.0
    for variant, variant_sounds in zip(record.variants, record.variant_sounds):
        similarity = max(similarity, fuzz.ratio(query.text, variant),
                         0.95 * fuzz.ratio(query.sounds, variant_sounds))
    total = covered = 0.0
    for word in query.words:
        weight = idf(query.word_df.get(word, 0), index.size) * (1.0 if len(word) > 1 else 0.5)
        total += weight
        if _covered(word, record):
            covered += weight
    coverage = covered / total if total else 0.0
    keyword_hit = any(k and (k in query.text or (len(k) > 1 and sound_string(k) in query.sounds))
                      for k in record.keywords)
    value = 0.45 * similarity + 0.55 * 100 * coverage + (6.0 if keyword_hit else 0.0)
    return Scored(record, min(100.0, value), similarity, coverage, keyword_hit, retrieval)

def rank(index: Index, query: Query, category: str | None = None, limit: int = CANDIDATES) -> list[Scored]:
    scored = [score(index, query, record, r) for record, r in retrieve(index, query, limit, category)
              if not record.entry.is_expired()]
    return sorted(scored, key=lambda s: (-s.score, -s.retrieval))

def decide(scored: list[Scored]) -> Decision:
    if not scored or scored[0].score < CLARIFY_THRESHOLD:
        return Decision("fallback", scored, "没有足够接近的条目")
    top = scored[0]
    close = [s for s in scored[:3] if top.score - s.score < CLOSE_MARGIN]
    if top.score >= ANSWER_THRESHOLD and len(close) == 1:
        return Decision("answer", scored, f"最高分{top.score:.0f}≥{ANSWER_THRESHOLD:.0f}且领先第二名", chosen=top)
    if len(close) == 1:
        close = [s for s in scored[:3] if top.score - s.score < 2 * CLOSE_MARGIN]
    if len(close) == 1:
        return Decision("fallback", scored, f"最高分{top.score:.0f}低于回答阈值{ANSWER_THRESHOLD:.0f}，也没有可供选择的相近条目")
    return Decision("clarify", scored, f"{len(close)}个条目分数相近，请用户选择", offered=close)
