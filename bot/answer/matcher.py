"""From a citizen's question to a decision: understand → retrieve → score → decide.

Each step is a plain function over plain data so it can be tested and tuned on its own.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import accumulate, compress
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process

from bot.answer.outcome import Outcome
from bot.language import lexicon, spelling
from bot.language.asks import Ask, asked, asked_parts, asking_clauses, names_asked_of, stated_and_disclaimer_clauses
from bot.language.facts import asked_and_cited_years, entry_years, fact_types_asked, years
from bot.language.features import bigrams, sound_string, sounds
from bot.language.specifics import is_verb, specific_names
from bot.language.textnorm import normalize, without_closing
from bot.search.index import Index
from bot.search.record import Record, entry_of

THRESHOLDS_FILE = Path(__file__).with_name("thresholds.json")


def _fitted() -> dict[str, float]:
    """The thresholds and score weights fitted on the tune half of the question sets (bot/staff/calibrate.py)."""
    try:
        fitted = json.loads(THRESHOLDS_FILE.read_text(encoding="utf-8"))
        return {**fitted.get("weights", {}), **fitted["thresholds"]}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


_FIT = _fitted()
ANSWER_THRESHOLD = _FIT.get("ANSWER_THRESHOLD", 62.0)
CLARIFY_THRESHOLD = _FIT.get("CLARIFY_THRESHOLD", 50.0)
CLOSE_MARGIN = _FIT.get("CLOSE_MARGIN", 8.0)
CANDIDATES = 12
W_SIMILARITY = _FIT.get("W_SIMILARITY", 0.20)
W_COVERAGE = _FIT.get("W_COVERAGE", 0.50)
W_PRECISION = _FIT.get("W_PRECISION", 0.30)
KEYWORD_BONUS = _FIT.get("KEYWORD_BONUS", 3.0)
FACT_TYPE_BONUS = _FIT.get("FACT_TYPE_BONUS", 8.0)
# A clear winner may be answered below ANSWER_THRESHOLD: long, indirect questions score lower
# against every entry, but still far better against the right one.
CLEAR_WIN_THRESHOLD = _FIT.get("CLEAR_WIN_THRESHOLD", 55.0)
CLEAR_WIN_MARGIN = _FIT.get("CLEAR_WIN_MARGIN", 12.0)
# Close entries whose best scores this high: the best is answered and the others are listed one
# number away. On the development data the best of such a close set was the right entry every
# time; asking back would make the citizen pick what the bot already knows.
BEST_OF_CLOSE_THRESHOLD = _FIT.get("BEST_OF_CLOSE_THRESHOLD", 101.0)
YEAR_CONFLICT_PENALTY = 15.0
# Entries this near the best may take its place when they fit the question better: about its
# most specific word (about_before_passing), or stating what the best lacks (decision).
NEAR_MARGIN_FACTOR = 3.0
# A word found only in the answer or detail counts for less than one in the entry's phrasings.
TEXT_ONLY_CREDIT = 0.6
# A fallback names the nearest FAQ questions when they are at least this close: the citizen
# sees what can be asked nearby, and no fact is asserted.
RELATED_MIN_SCORE = 40.0

@dataclass
class Query:
    raw: str
    text: str                  # normalised, fillers dropped, synonyms canonical
    words: list[str]           # content words
    search_words: list[str]
    grams: list[str]           # sound bigrams
    sounds: str
    fact_types: frozenset = frozenset()
    asks: frozenset = frozenset()  # what it asks for (bot.language.asks.asked)
    names: tuple[str, ...] = ()    # the specific things it names, normalised (bot.language.specifics)
    name_parts: tuple[tuple[str, ...], ...] = ()  # each name's words of two characters or more
    names_asked: tuple[str, bool] | None = None    # the kind of thing whose names it asks (asks.names_asked_of)
    parts: frozenset = frozenset()  # a part of a whole it asks: 几个人, 第三条 (bot.language.asks.asked_parts)
    # Filled by _prepare and _mark_present for scoring:
    weights: dict[str, float] = field(default_factory=dict)  # idf weight per word
    asked: list | None = None  # (word, weight, padded sound)
    total: float = 0.0         # sum of the weights
    unknown: float = 1.0       # share of the weight in words the FAQ never uses
    present: dict[str, bool] = field(default_factory=dict)
    own: dict[str, frozenset[str]] = field(default_factory=dict)  # per entry id: own_words
    word_df: dict[str, int] = field(default_factory=dict)
    holdout: bool = False      # calibration: ignore a variant identical to the question
    padded_sounds: str = ""    # sounds with a space at each end, for whole-syllable search
    years: frozenset = frozenset()  # the years the question asks of (filled by _prepare)
    cited_years: frozenset = frozenset()  # the years of the reports it cites ("根据2021年党代会报告")
    core: str = ""             # a story's asking clauses, normalised: "…，到底开几家？"
    asking: str = ""           # its asking clauses as written, without what was heard (asks.asking_clauses)
    normalize: Callable[[str], str] = normalize  # the index's (with the FAQ's synonyms), to compare texts as asked
    need_only: frozenset = frozenset()  # the FAQ's words for a need described, not written in the question
    names_no_thing: bool = False  # a short question of an action alone: "什么时候搞完", "要多久"
    verbs: frozenset = frozenset()  # its subject words the dictionary tags as verbs (了解, 搞完)

    def __post_init__(self):
        self.padded_sounds = f" {self.sounds} "

@dataclass
class Scored:
    record: Record
    score: float
    similarity: float
    coverage: float
    keyword_hit: bool
    retrieval: float = 0.0
    precision: float = 0.0
    unknown: float = 0.0       # share of the question (idf-weighted) in words the FAQ never uses
    same_fact_type: bool = False    # the entry is phrased for the kind of answer asked (number, time …)
    other_year: bool = False   # the question names a year, the entry is about other years

    @property
    def entry(self):
        return self.record.entry

@dataclass
class Decision:
    kind: Outcome              # answer | clarify | fallback
    scored: list[Scored]
    reason: str
    chosen: Scored | None = None
    offered: list[Scored] = field(default_factory=list)
    also: Scored | None = None  # a second entry answered together ("首班车和末班车分别几点")
    older: list[Scored] = field(default_factory=list)  # the same subject in earlier years


# The weight of a story's words beside the question's ("我家是低保户，日子紧巴巴的，" before
# "今年低保标准会不会调？"). On the tune half of the eval sets, 0.6–1.0 score alike and 0.5 or
# less loses answers; 0.7, the middle, gains two indirect questions on the report half.
STORY_WEIGHT = 0.7
YEAR_WEIGHT = 0.3
_THIS_YEAR = re.compile(r"今年|本年度|这一年")
_OWN_SCOPE = re.compile(r"株洲|全市|市里|本市|按规定|一般")
_CLAUSES = re.compile(r"[，,。；;！!？?\n]")
_FRAMING = re.compile(r"(?:市|株洲市?)?(?:\d{4}年)?(?:的)?(?:政府工作报告|党代会报告|工作报告|名词解释|报告)"
                      r"(?:名词解释)?(?:里面|里|中|上)(?:的|提到的|提出的|说的|讲的|所说的)?(?=\S)"
                      r"|(?:政府工作报告|党代会报告|名词解释)(?:提到的|提出的|说的|讲的)(?=\S)")


def _repaired(index: Index, raw: str) -> str:
    """The text normalised, with its slips repaired before synonyms are made canonical (城际贴路 →
    城际铁路 → 城铁), and never into a synonym's sound-alike (收班 is 末班, not 首班). Remembered
    by the index: the same questions and names come again."""
    return index.repaired_texts.remembered(raw, lambda: _repair(index, raw))


def _repair(index: Index, raw: str) -> str:
    def settled(word: str) -> bool:
        return index.segmenter.is_word(word) or index.normalize.is_synonym(word)

    plain = spelling.latin_slips_repaired(index.normalize.plain(raw), index.segmenter.latin_words)
    return index.normalize.synonyms(spelling.correct(plain, index.faq_sounds, settled, index.segmenter.cut))


def _name_parts(index: Index, name: str) -> tuple[str, ...]:
    """The words an entry must hold to mention a name: its words, with a run of characters the
    dictionary does not know kept as one word (株醴 + 城铁: an entry on 城铁 alone does not name it)."""
    parts, run = [], ""
    for word in index.segmenter.tokenizer.lcut(name, HMM=False):
        if len(word) == 1:
            run += word
            continue
        parts += [run] if len(run) >= 2 else []
        parts.append(word)
        run = ""
    parts += [run] if len(run) >= 2 else []
    return tuple(parts) or (name,)


def _faq_words_holding(index: Index, name_parts: tuple[tuple[str, ...], ...]) -> list[str]:
    """The FAQ's own words that hold a name's unknown run: a citizen shortens or re-heads a name
    (株醴城际 for the 株醴线), and the run is the part jieba could not read."""
    runs = [part for parts in name_parts for part in parts if not index.segmenter.tokenizer.FREQ.get(part)]
    return [word for run in runs for word in index.user_words if run in word and word != run]


def _slip_of_a_faq_word(index: Index, name: str) -> bool:
    """A "name" that is only a slip for one of the FAQ's words (成际铁路 → 城铁) names nothing of
    its own; the place a slip stands for (湘谭 → 湘潭) is found in the repaired text."""
    repaired = _repaired(index, name)
    return repaired != name and bool(index.document_frequency([repaired]))


# "根据2021年株洲市党代会报告，……", "据株洲日报报道，……": where the citizen read it, before the question;
# its year is kept, as the year of the report cited (facts.asked_and_cited_years)
# "据市里有关部门介绍，", "按照市政府的规划，": who said it, in a clause of its own before the question
_CITATION = re.compile(r"^(?:请问|请教一下|想问一下)?[，,]?(?:根据|据|按照|依据|按)(?P<name>[^，,。？?：:]{0,40}?"
                       r"(?:报告|报道|访谈|纲要|名词解释|会议精神))(?:中|里|上)?(?:的|提到的|提出的|显示|指出|介绍)?[，,：:]"
                       r"|^(?:请问|请教一下|想问一下)?[，,]?(?:根据|据|按照|依据|按)(?P<said>[^，,。？?：:]{0,20}?)的?"
                       r"(?:介绍|透露|表示|规划|部署|安排|统计)[，,：:]")


def _without_citation(raw: str) -> str:
    match = _CITATION.match(raw.strip())
    if match is None:
        return raw
    year = re.search(r"\d{4}年", match.group("name") or match.group("said"))
    return f"{year.group(0) + '报告，' if year else ''}{raw.strip()[match.end():]}"


def understand(index: Index, raw: str, this_year: bool = True) -> Query:
    """`this_year` False: "今年" is read as no year (the latest figure the reports have, of any year)."""
    raw = without_closing(raw)  # "……有哪些盼复": 盼复 is no kind of thing whose names are asked
    text = _repaired(index, _without_citation(raw))
    if index.latest_year:  # "今年" asks for the facts of the newest report's year
        text = _THIS_YEAR.sub(f"{index.latest_year}年" if this_year else "", text)
    # "政府工作报告里的X", "名词解释中提到的X": where the citizen read of X, not what is asked
    text = _FRAMING.sub(" ", text).strip() or text
    needs = index.needs.terms_for(text)
    core = asking_clauses(raw, with_heard=True)
    # a need only the story describes is context: the question may name a subject of its own
    asked_needs = set(index.needs.terms_for(_repaired(index, core))) if core != raw else set(needs)
    need_only = frozenset(term for term in needs if term not in text and term not in asked_needs)
    if needs:  # "老楼没电梯爬楼累": the FAQ's words for the need described (faq_data/needs.yaml)
        text = f"{text} {' '.join(needs)}"
    words, search_words = index.segmenter.words_and_search_words(text)
    names, name_parts = _names(index, raw, core)
    # 株醴城际: the entries on the FAQ's 株醴线 are among those retrieved
    search_words = [*search_words, *_faq_words_holding(index, name_parts)]
    asks = asked(raw)
    syllables = sounds(text)  # spaces have no sound: the bigrams run across them
    tokenizer = index.segmenter.tokenizer
    query = Query(raw=raw, text=text, words=words, search_words=search_words,
                  grams=bigrams(syllables), sounds=" ".join(syllables),
                  fact_types=fact_types_asked(normalize(raw)), asks=asks, names=names, name_parts=name_parts,
                  names_asked=names_asked_of(raw) if Ask.NAMES in asks else None, parts=asked_parts(raw),
                  normalize=index.normalize, need_only=need_only, asking=asking_clauses(raw),
                  verbs=frozenset(w for w in subject_words(words) if is_verb(w, tokenizer)))
    query.names_no_thing = (bool(asks) and len(query.text.replace(" ", "")) <= _SHORT_FOLLOW_UP
                            and all(w in query.verbs or _EVENT_WORD.fullmatch(w) for w in subject_words(words)))
    if core != raw:  # the FAQ's words for a need described anywhere count as asked
        query.core = " ".join([index.normalize(core), *needs])
    terms = sorted({*words, *search_words, *query.grams})
    query.word_df = dict.fromkeys(terms, 0)  # every term looked up, known or not
    query.word_df.update(index.document_frequency(terms))
    return query


def _names(index: Index, raw: str, core: str) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """The specific things the message names, as written and as its slips mean them, with each
    name's words. A story's places do not scope a question whose last clause names its own
    scope ("我外婆以前往长沙跑……2020年株洲老百姓县域内就诊率到了多少")."""
    last = [c for c in _CLAUSES.split(core) if c.strip()][-1:]
    named = core if core != raw and last and _OWN_SCOPE.search(last[0]) else raw
    tokenizer = index.segmenter.tokenizer
    as_written = [n for n in specific_names(index.normalize(named), tokenizer) if not _slip_of_a_faq_word(index, n)]
    # and a place written with a slip, which jieba does not read as one (湘谭 → 湘潭)
    names = tuple(dict.fromkeys([*as_written, *specific_names(_repaired(index, named), tokenizer)]))
    return names, tuple(_name_parts(index, name) for name in names)


def retrieve(index: Index, query: Query, limit: int = CANDIDATES,
             category: str | None = None) -> list[tuple[Record, float]]:
    hits = index.search(query.search_words, query.grams, limit=limit, category=category, df=query.word_df)
    exact = None if query.holdout or category else index.exact(query.text)
    if exact is not None and all(rowid != exact for rowid, _ in hits):
        hits = [(exact, hits[0][1] if hits else 0.0), *hits[:limit - 1]]  # a phrasing typed as written
    records = index.records([rowid for rowid, _ in hits])
    return [(record, rank) for record, (_, rank) in zip(records, hits, strict=False)]

def _present(word: str, text: str, padded_sounds: str, padded_word: str | None = None) -> bool:
    """A word is present when written the same, or (two characters or more) sounding the same.
    `padded_sounds` has a space at each end, so only whole syllables match; `padded_word`, the
    word's own padded sounds when the caller has them."""
    if word in text:
        return True
    return len(word) >= 2 and (padded_word or f" {sound_string(word)} ") in padded_sounds


def _prepare(index: Index, query: Query) -> None:
    """What scoring needs of the question alone, computed once for all its candidates: its
    words with their weights and padded sounds (None under two characters, as in _present)."""
    if query.asked is not None:
        return
    # a year says which year, which the year gate checks; as a word it would make any entry that
    # names 2018 the answer to "2018年株洲交通投资多少"
    query.weights = {word: index.word_weight(word) * (YEAR_WEIGHT if _YEAR_NUMBER.match(word) else 1.0)
                     for word in query.words}
    if query.core:  # a story before the question: its words weigh less than the question's
        query.weights = {w: weight if w in query.core else STORY_WEIGHT * weight
                         for w, weight in query.weights.items()}
    query.asked = [(word, weight, f" {sound_string(word)} " if len(word) >= 2 else None)
                   for word, weight in query.weights.items()]
    query.total = sum(query.weights.values())
    query.years, query.cited_years = asked_and_cited_years(query.text)
    unknown = sum(w for word, w in query.weights.items() if not query.word_df.get(word))
    query.unknown = unknown / query.total if query.total else 1.0


def _mark_present(index: Index, query: Query, words) -> dict[str, bool]:
    """Which of these entry words the question holds (_present, inlined: ~300 words a question),
    memoised: candidates share most words. A word's sounds are looked up only when needed."""
    present, text, padded_sounds, padded_sound = query.present, query.text, query.padded_sounds, index.padded_sound
    for word in words:
        if word not in present:
            present[word] = word in text or (len(word) >= 2 and padded_sound(word) in padded_sounds)
    return present


def score(index: Index, query: Query, record: Record, retrieval: float = 0.0,
          similarity: float | None = None) -> Scored:
    """0–100: how well the entry answers the question.

    similarity: the whole phrasing against the closest question or alternate (characters and sounds);
    coverage:   how much of what the citizen asked the entry talks about (idf-weighted);
    precision:  how much of the closest phrasing the citizen actually asked, so that a
                general question prefers the general entry and a specific one the specific entry.
    `similarity`: the entry's, when the caller worked it out for all candidates at once (_similarities).
    """
    _prepare(index, query)
    variants = ([variant for variant in record.phrasings if variant.text != query.text] if query.holdout
                else record.phrasings)
    about, about_sounds, text, text_sounds = _entry_text(query, record, variants)
    coverage = _coverage(query, about, about_sounds, text, text_sounds)
    present = _mark_present(index, query, record.words)
    if similarity is None:
        similarity = _similarity(query, variants)
    precision = _precision(variants, present)
    keyword_hit = any(present[k] for k in record.keywords if k)
    same_fact_type = bool(query.fact_types) and (
        any(not query.fact_types.isdisjoint(types) for *_, types in variants)
        or not query.fact_types.isdisjoint(record.fact_types_given))
    value = (W_SIMILARITY * similarity + W_COVERAGE * 100 * coverage + W_PRECISION * 100 * precision
             + (KEYWORD_BONUS if keyword_hit else 0.0) + (FACT_TYPE_BONUS if same_fact_type else 0.0))
    other_year = _other_year(query, record, about)
    if other_year:  # a question about 2021 is not answered with 2020's figures
        value -= YEAR_CONFLICT_PENALTY
    return Scored(record, min(100.0, value), similarity, coverage, keyword_hit, retrieval, precision,
                  query.unknown, same_fact_type, other_year)


def _entry_text(query: Query, record: Record, variants: list) -> tuple[str, str, str, str]:
    """What the entry is about and its full text, each with its sounds."""
    if not query.holdout:
        return record.about, record.about_sounds, record.text, record.text_sounds
    # calibration: the held-out phrasing must not vouch for itself
    about = " ".join([*(v for v, *_ in variants), *record.keywords])
    about_sounds = " " + " ".join([*(vs for _, vs, *_ in variants), *map(sound_string, record.keywords)]) + " "
    return about, about_sounds, record.text.replace(query.text, " "), record.text_sounds.replace(query.sounds, " ")


def _coverage(query: Query, about: str, about_sounds: str, text: str, text_sounds: str) -> float:
    """The weighted share of the asked words the entry's subject holds (its answer only counts in part)."""
    covered = covered_elsewhere = unneeded = 0.0
    for word, weight, sound in query.asked:
        if word in about or (sound and sound in about_sounds):
            covered += weight
        elif word in text or (sound and sound in text_sounds):
            covered_elsewhere += weight
        elif word in query.need_only:
            unneeded += weight  # a need's word helps the entries that hold it, and costs no other
    total = query.total - unneeded
    return (covered + TEXT_ONLY_CREDIT * covered_elsewhere) / total if total else 0.0


def _similarity(query: Query, variants: list) -> float:
    """Similarity to the closest phrasing, by characters or (a little less) by sounds."""
    similarity = 0.0
    text, text_sounds, ratio = query.text, query.sounds, fuzz.ratio
    for variant, variant_sounds, *_ in variants:
        similarity = max(similarity, ratio(text, variant), 0.95 * ratio(text_sounds, variant_sounds))
    return similarity


def _similarities(query: Query, records: list[Record]) -> list[float]:
    """_similarity of each record's phrasings, for all candidates in two rapidfuzz calls (the
    same ratios, as float64, and the same maxima; a call per phrasing cost a third more)."""
    counts = [len(record.phrasings) for record in records]
    if not records or 0 in counts:
        return [_similarity(query, record.phrasings) for record in records]
    phrasings = [variant for record in records for variant in record.phrasings]
    by_text = process.cdist([query.text], [v[0] for v in phrasings], scorer=fuzz.ratio, dtype=np.float64)[0]
    by_sound = process.cdist([query.sounds], [v[1] for v in phrasings], scorer=fuzz.ratio, dtype=np.float64)[0]
    starts = list(accumulate(counts[:-1], initial=0))  # np.cumsum of a short list cost more than the sums
    return np.maximum.reduceat(np.maximum(by_text, 0.95 * by_sound), starts).tolist()


def _precision(variants: list, present: dict[str, bool]) -> float:
    """The best share of a phrasing's words the question holds."""
    precision, held_by = 0.0, present.__getitem__
    for _, _, vwords, vweights, vtotal, _ in variants:
        if vtotal:  # the weights of the words held, summed in order as a loop would (C-level iteration)
            precision = max(precision, sum(compress(vweights, map(held_by, vwords))) / vtotal)
    return precision


def _other_year(query: Query, record: Record, about: str) -> bool:
    """The question names years and the entry states only other ones."""
    asked_years = query.years
    if not asked_years and query.cited_years:
        # "根据2021年党代会报告，株洲计划到哪一年基本建成现代化": an entry of that report, or of that year
        report_year = str(record.entry.source.get("date", ""))[:4]
        return report_year not in query.cited_years and query.cited_years.isdisjoint(record.years)
    if not asked_years:
        return False  # most questions: the entry itself (JSON, decoded on demand) is not read
    held = entry_years(about, record.entry.answer, record.entry.source) if query.holdout else record.years
    return bool(held) and asked_years.isdisjoint(held)


_FIGURE = re.compile(r"\d+(?:\.\d+)?")


def _figures(text: str) -> frozenset[str]:
    """The figures of a text, years left out (every 2025 entry shares "2025")."""
    return frozenset(n for n in _FIGURE.findall(text) if not _YEAR_NUMBER.match(n))


@lru_cache(maxsize=4096)
def _answer_figures(data: str) -> frozenset[str]:
    """_figures of an entry's answer, by the entry's JSON (Record.data): memoised, as the close
    entries of one question are those of the next."""
    return _figures(entry_of(data).answer)


_YEAR_NUMBER = re.compile(r"^(19|20)\d\d$")


def _nested(a: Scored, b: Scored) -> bool:
    """One answer's figures all stand in the other answer: an item and the list holding it
    ("托养服务1740人" inside "残疾人关爱服务"), so either answer states the same facts."""
    fa, fb = _answer_figures(a.record.data), _answer_figures(b.record.data)
    return bool(fa and fb) and (fa <= fb or fb <= fa)


def is_bare_topic(query: Query) -> bool:
    """Just a topic, in the FAQ's own words ("棚改", "老旧小区改造"): no question asked."""
    return (not query.fact_types and 2 <= len(query.text.replace(" ", "")) <= 8
            and bool(query.words) and all(query.word_df.get(w) for w in query.words))


def names_only_a_time(query: Query) -> bool:
    """Its words are only a year or a special day ("2020年", "周末"): alone, no topic."""
    return bool(query.words) and all(_YEAR_NUMBER.match(w) or w == "年" or w in lexicon.SPECIAL_DAYS
                                     for w in query.words)


def is_elliptical(query: Query) -> bool:
    """Only a place or a year ("湘潭呢", "那2021年的呢"), another time of the same thing ("调图前呢",
    "改造以后呢"), or a short question of an action with no thing named ("什么时候搞完", "要多久"):
    the rest of the question is the previous one."""
    return (all(w in query.names or w.isdigit() or w == "年" for w in query.words)
            or bool(_AT_ANOTHER_TIME.match(query.raw.strip())) or query.names_no_thing)


_SHORT_FOLLOW_UP = 8  # characters
# Events the dictionary tags as nouns: "什么时候开学" asks when of the thing just spoken of
_EVENT_WORD = re.compile(r"开学|开业|开张|开园|开馆|开放|营业|开工|通车|竣工|完工|投用|上线|放假|报名|截止|交房")
_AT_ANOTHER_TIME = re.compile(r"^(?:那|那么)?(?:[\u4e00-\u9fff]{1,6}?(?:以前|以后|之前|之后|前|后)|"
                              + "|".join(lexicon.SPECIAL_DAYS) + r")(?:的)?(?:呢|嘞|咧|咯)[?？]?$")


# "这个店在哪里", "它几点关门", "那家医院呢": the thing just spoken of, asked again
_REFERS_BACK = re.compile(r"^(?:那|那么|请问|那请问)?(?:这个|这家|这所|这条|这座|这项|这里|这儿|"
                          r"那个|那家|那所|那条|那座|那项|那里|那儿|该|它|它们)")


def refers_back(query: Query) -> bool:
    """The message opens on a word pointing back at the previous question's subject."""
    return bool(_REFERS_BACK.match(query.raw.strip()))


def own_words(query: Query, scored: Scored) -> frozenset[str]:
    """The question's words that the entry's own phrasings hold (memoised: several rules ask)."""
    record = scored.record
    own = query.own.get(record.faq_id)
    if own is None:
        own = query.own[record.faq_id] = frozenset(
            w for w in query.words if _held_by_phrasings(w, record.phrasings))
    return own


def _held_by_phrasings(word: str, phrasings) -> bool:
    """_present in any of the phrasings, the word's sounds computed once for all of them."""
    if any(word in v for v, *_ in phrasings):
        return True
    padded = f" {sound_string(word)} " if len(word) >= 2 else None
    return padded is not None and any(padded in f" {vs} " for _, vs, *_ in phrasings)


def subject_words(words) -> list[str]:
    """The words that name a subject: a year ("2021"), a question word ("几点", "几家") or a
    number of things ("一本", "3个") names none."""
    return [w for w in words if not _YEAR_NUMBER.match(w) and not asked(w) and not _NUMBER_OF.match(w)]


_NUMBER_OF = re.compile(rf"^[\d{lexicon.NUMERAL_CHARS}]+[{lexicon.NAME_MEASURE_CHARS}本部首份册篇]$")


def on_the_same_subject(query: Query, best: Scored, other: Scored) -> bool:
    """The other entry's text holds every subject word of the question that the best one's
    phrasings hold: the same subject, perhaps in another year."""
    return holds_words(other.record, subject_words(own_words(query, best)))


def holds_words(record: Record, words) -> bool:
    """The entry's text holds each of these words of two characters or more (written or sounding the same)."""
    padded = f" {record.text_sounds} "
    return all(_present(w, record.text, padded) for w in words if len(w) >= 2)


def opposite_end(query: Query, scored: Scored) -> str | None:
    """The end of the timetable the question asks (末班) when the entry is about the other only (首班)."""
    text, about = query.normalize(query.raw), scored.record.about  # as written: a need may add both ends
    for asked_end, other_end in (lexicon.OPPOSITE_ENDS, lexicon.OPPOSITE_ENDS[::-1]):
        asked_word = next((w for w in asked_end if w in text), None)
        if (asked_word and not any(w in text for w in other_end) and any(w in about for w in other_end)
                and not any(w in about for w in asked_end)):
            return asked_word
    return None


def names_its_topic(query: Query, scored: Scored) -> bool:
    """Some word of a bare topic, places aside, is a word (not a part of one: 满意 of 满意度) of the
    entry's phrasings or keywords, or the topic as typed, four characters or more, stands in them."""
    record = scored.record
    words = {w for _, _, vwords, *_ in record.phrasings for w in vwords} | set(record.keywords)
    typed = normalize(query.raw).replace(" ", "")
    # the topic beside a place: "萍乡长者餐厅" is not named by an entry that names only 萍乡
    topic = [w for w in query.words if w not in query.names] or query.words
    return (any(w in words for w in topic)
            or len(typed) >= 4 and any(typed in text for text in (*(v[0] for v in record.phrasings), *record.keywords)))


def own_weight(query: Query, scored: Scored) -> float:
    """How much of the question (idf-weighted) the entry's own phrasings hold."""
    return sum(query.weights.get(w, 0.0) for w in own_words(query, scored))


def _distinct_asks(query: Query, pair: list[Scored]) -> bool:
    """Each entry's own phrasing covers a part of the question the other's does not."""
    first, second = own_words(query, pair[0]), own_words(query, pair[1])
    return bool(first - second) and bool(second - first)


def absent_names(query: Query, scored: Scored) -> list[str]:
    """The specific things the question names (a road, an estate, another city …) that the entry
    never mentions, except to say the report does not give them ("报道未列湘潭方向"). A name is
    mentioned when each of its words stands in the entry written the same or sounding the same
    ("荷塘富家小区" is in "荷塘区富家小区")."""
    if not query.names:
        return []
    body = f"{scored.record.about} {scored.record.stated_norm}"
    if all(part in body for parts in query.name_parts for part in parts):
        return []  # every name written in the entry: its sounds (hundreds of characters) are not needed
    body_sounds = f" {' '.join(sounds(body))} "
    return [name for name, parts in zip(query.names, query.name_parts, strict=True)
            if not all(_present(part, body, body_sounds) for part in parts) and not _locates(name, query, scored)]


# An administrative area, and a place named right after it: 宋家桥街道 + 富家小区, 白关镇 + 新华村
_AREA = re.compile(r"(?:街道|镇|乡)$")
_PLACE_AFTER = re.compile(r"^[\u4e00-\u9fff]{2,6}?(?:小区|社区|村|路|街|巷|站|公园|片区|园区)")


def _locates(name: str, query: Query, scored: Scored) -> bool:
    """The name is the area that locates the place the entry is about: "荷塘区宋家桥街道富家小区" for
    the entry on 富家小区 that never names the 街道 (a district's name is never this: a district's
    figures are its own)."""
    if not _AREA.search(name):
        return False
    text = query.normalize(query.raw)
    at = text.find(name)
    place = _PLACE_AFTER.match(text[at + len(name):]) if at >= 0 else None
    return place is not None and place.group(0) in scored.record.about


def disclaimed_words(query: Query, scored: Scored) -> list[str]:
    """The question's words that the entry holds only where it says the report does not give
    them ("IGBT三期投资" and "报告未写投资额"): asked, and known to be missing."""
    record = scored.record
    elsewhere = f"{record.about} {record.stated_norm}"
    # "想申请免费的辅助器具。…计划服务多少人次": the story's words are not what is asked
    asking = query.normalize(query.asking)
    held_only_there = [w for w in dict.fromkeys(query.words) if len(w) >= 2 and w in asking and w in record.text
                       and w not in elsewhere and not _only_whom_to_ask(w, record.entry)]
    return held_only_there + [n for n in _disclaimed_names(query, scored) if n not in held_only_there]


# "请以各场馆公布为准", "可咨询所在区县住建部门": whom to ask for the detail, not the detail missing
# ("请咨询当地燃气企业或住建部门": two of them)
_WHOM_TO_ASK = r"(?:以|向|咨询|联系|请到|到)(?:各|所在|当地)?[\u4e00-\u9fff]{0,9}?"


def _only_whom_to_ask(word: str, entry) -> bool:
    """Every mention of the word in the entry's answer and detail names whom to ask, as a disclaimer ends."""
    text = f"{entry.answer}\n{entry.detail}"
    mentions = text.count(word)
    return mentions > 0 and len(re.findall(_WHOM_TO_ASK + re.escape(word), text)) == mentions


def _disclaimed_names(query: Query, scored: Scored) -> list[str]:
    """The question's names of which the entry says the report does not give what is asked
    ("城铁最后一班从株洲南几点开" and "报道未列株洲南、湘潭方向末班发车时刻"), even where it names them
    elsewhere (the 大站直达 trains from 株洲南)."""
    if not query.names:
        return []
    stated, disclaimers = _entry_clauses(scored.record.data)
    if not disclaimers:
        return []  # most entries disclaim nothing
    others = {w[:2] for w in subject_words(query.words) if len(w) >= 2 and w not in query.names}

    def with_the_subject(name: str, clauses: list[str]) -> bool:
        place = name.removesuffix("站")
        # a subject word that is part of the name (株洲 of 株洲南站) stands wherever the name does
        subject = [w for w in others if w not in place]
        return any(place in c and any(w in c for w in subject) for c in clauses)

    # "末班车终到长沙" states the 长沙 end, whatever "没有给出从长沙开往…的末班车时刻" adds
    return [n for n in query.names if with_the_subject(n, disclaimers) and not with_the_subject(n, stated)]


@lru_cache(maxsize=4096)
def _entry_clauses(data: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The clauses of an entry's answer and detail that state something, and those that disclaim
    (asks.stated_and_disclaimer_clauses), by the entry's JSON (Record.data): memoised, as the
    same entries are gated question after question."""
    entry = entry_of(data)
    stated, disclaimers = stated_and_disclaimer_clauses(f"{entry.answer}\n{entry.detail}")
    return tuple(stated), tuple(disclaimers)


def fact_year(record: Record) -> int:
    """The year an entry's facts are of: the latest its phrasings name, else its report's date."""
    named = years(record.about)
    if named:
        return int(max(named))
    date = record.entry.source.get("date", "")
    return int(str(date)[:4]) if str(date)[:4].isdigit() else 0


def latest_of_years(scored: list[Scored], query: Query) -> tuple[list[Scored], list[Scored]]:
    """A question naming no year ("长者餐厅", "今年低保标准") is about the latest facts: among the
    close candidates that hold the same words of the question and differ only in year, the
    latest stands for them all, with the best of their scores. Returns the ranking with the
    older ones taken out, and the older ones (to be named as the other years' entries)."""
    if len(scored) < 2 or years(query.text):
        return scored, []
    top = scored[0]
    own = own_words(query, top)
    group = [top] + [s for s in scored[1:4] if top.score - s.score < CLOSE_MARGIN and own_words(query, s) == own]
    if len(group) < 2 or len({fact_year(s.record) for s in group}) < 2:
        return scored, []
    latest = max(group, key=lambda s: (fact_year(s.record), s.score))
    if not set(top.record.fact_types_given) <= set(latest.record.fact_types_given):
        return scored, []  # the latest must state at least what the best match states (a figure …)
    older = [s for s in group if s is not latest and fact_year(s.record) < fact_year(latest.record)]
    if not older:
        return scored, []
    kept = [replace(latest, score=top.score), *(s for s in scored if s is not latest and s not in older)]
    return kept, older


def rank(index: Index, query: Query, category: str | None = None, limit: int = CANDIDATES) -> list[Scored]:
    found = [(record, r) for record, r in retrieve(index, query, limit, category) if not record.is_expired()]
    if query.holdout:  # calibration: each record's phrasings are filtered (score)
        scored = [score(index, query, record, r) for record, r in found]
    else:
        similarities = _similarities(query, [record for record, _ in found])
        scored = [score(index, query, record, r, s) for (record, r), s in zip(found, similarities, strict=True)]
    return sorted(scored, key=lambda s: (-s.score, -s.retrieval))

_BOTH = re.compile(r"[和跟与及、]|分别|还有|以及|各")


def most_specific_word(query: Query) -> str | None:
    """The question's word that says most (highest idf) among the words the FAQ uses."""
    known = [w for w in query.words if len(w) >= 2 and query.word_df.get(w)]
    return max(known, key=lambda w: query.weights.get(w, 0.0), default=None)


def about_before_passing(scored: list[Scored], query: Query) -> list[Scored]:
    """An entry that is about the question's most specific word ranks before one that mentions
    it only in passing ("困难群众救助方面的民生实事": the project itself, not the list of ten that
    names it) or not at all, when the two are near and the other names every word the best is
    about ("德尔塔疫情…确诊病例": not the 2020 entry on 确诊病例, which never names 德尔塔): they
    swap places and scores."""
    word = most_specific_word(query) if len(scored) > 1 else None
    top = scored[0] if scored else None
    if word is None or word in own_words(query, top):
        return scored
    # one that never names the word at all ("2020年新冠" for "德尔塔疫情") gives way only when close
    margin = NEAR_MARGIN_FACTOR * CLOSE_MARGIN if word in top.record.text else CLOSE_MARGIN
    about = next((s for s in scored[1:3] if top.score - s.score < margin and word in own_words(query, s)
                  and holds_words(s.record, own_words(query, top))), None)
    if about is None:
        return scored
    rest = [s for s in scored[1:] if s is not about]
    return [replace(about, score=top.score), replace(top, score=about.score), *rest]


def choose(scored: list[Scored], query: Query | None = None) -> Decision:
    """The decision by scores alone; bot.answer.decision.decide checks what it picks against the question."""
    if query is not None:
        scored = about_before_passing(scored, query)
        scored, older = latest_of_years(scored, query)
        decision = _choose(scored, query)
        decision.older = older
        return decision
    return _choose(scored, query)


def _choose(scored: list[Scored], query: Query | None) -> Decision:
    if not scored or scored[0].score < CLARIFY_THRESHOLD:
        return Decision(Outcome.FALLBACK, scored, "没有足够接近的条目")
    close = [s for s in scored[:3] if scored[0].score - s.score < CLOSE_MARGIN]
    for rule in _ANSWER_RULES:
        decision = rule(scored, close, query)
        if decision is not None:
            return decision
    return _clarify_or_fallback(scored, close)


def _exact_phrasing(scored: list[Scored], close: list[Scored], query: Query | None) -> Decision | None:
    if query is None or query.holdout:
        return None
    exact = [s for s in scored if any(v.text == query.text for v in s.record.phrasings)]
    if len(exact) == 1:
        return Decision(Outcome.ANSWER, scored, "与条目的问法完全一致", chosen=exact[0])
    return None


def _two_things_asked(scored: list[Scored], close: list[Scored], query: Query | None) -> Decision | None:
    if (query is not None and len(scored) > 1 and _BOTH.search(query.raw)
            and scored[1].score >= ANSWER_THRESHOLD and _distinct_asks(query, scored[:2])):
        return Decision(Outcome.ANSWER, scored, "问题同时问了两件事，两个条目一并回答",
                        chosen=scored[0], also=scored[1])
    return None


def _clear_lead(scored: list[Scored], close: list[Scored], query: Query | None) -> Decision | None:
    top = scored[0]
    lead = top.score - scored[1].score if len(scored) > 1 else top.score
    if top.score >= ANSWER_THRESHOLD and len(close) == 1:
        return Decision(Outcome.ANSWER, scored, f"最高分{top.score:.0f}≥{ANSWER_THRESHOLD:.0f}且领先第二名", chosen=top)
    if top.score >= CLEAR_WIN_THRESHOLD and lead >= CLEAR_WIN_MARGIN and not _names_other_subjects(query, scored):
        return Decision(Outcome.ANSWER, scored, f"最高分{top.score:.0f}领先第二名{lead:.0f}分", chosen=top)
    return None


def _names_other_subjects(query: Query | None, scored: list[Scored]) -> bool:
    """A list of the FAQ's words, asking nothing, names another candidate's keyword that the best
    entry never mentions ("城铁 电梯 低保"): a lead below the answer threshold does not settle which
    subject it is."""
    if query is None or query.asks or query.fact_types or not all(query.word_df.get(w) for w in query.words):
        return False
    top = scored[0]
    keywords = {k for s in scored[1:] for k in s.record.keywords}
    return any(w in keywords and not holds_words(top.record, [w]) for w in query.words if len(w) >= 2)


def _one_group_of_facts(scored: list[Scored], close: list[Scored], query: Query | None) -> Decision | None:
    top = scored[0]
    if top.score >= ANSWER_THRESHOLD and all(_nested(top, other) for other in close[1:]):
        return Decision(Outcome.ANSWER, scored, "相近条目是同一组事实（一项与包含它的总条目），回答最高分的一条",
                        chosen=top)
    return None


def _best_of_close(scored: list[Scored], close: list[Scored], query: Query | None) -> Decision | None:
    top = scored[0]
    if top.score < BEST_OF_CLOSE_THRESHOLD or query is None or is_elliptical(query):
        return None
    # "城铁几点": the close entries hold the same words of the question, which does not say
    # whether it means the first or the last train; the best must hold something the others lack.
    own = own_words(query, top)
    if all(own - own_words(query, other) for other in close[1:]):
        return Decision(Outcome.ANSWER, scored, f"相近条目中最高分{top.score:.0f}≥{BEST_OF_CLOSE_THRESHOLD:.0f}："
                        "回答它，并列出其余相近问题", chosen=top, offered=close[1:])
    return None


# Tried in order; the first that answers decides. Otherwise the bot asks back or falls back.
_ANSWER_RULES = (_exact_phrasing, _two_things_asked, _clear_lead, _one_group_of_facts, _best_of_close)


def _clarify_or_fallback(scored: list[Scored], close: list[Scored]) -> Decision:
    top = scored[0]
    if len(close) == 1:
        close = [s for s in scored[:3] if top.score - s.score < 2 * CLOSE_MARGIN]
    if len(close) == 1:
        return Decision(Outcome.FALLBACK, scored,
                        f"最高分{top.score:.0f}低于回答阈值{ANSWER_THRESHOLD:.0f}，也没有可供选择的相近条目")
    return Decision(Outcome.CLARIFY, scored, f"{len(close)}个条目分数相近，请用户选择", offered=close)
