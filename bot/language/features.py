"""Words and sounds of a normalised text: what retrieval indexes and scoring compares.

Citizens type with pinyin input methods and speak through speech recognition, so a slip
usually keeps the sound (成铁/城铁, 长着/长者, 改照/改造). Every text is therefore seen twice:
as jieba words, and as a sequence of toneless, fuzzy pinyin syllables.
"""
from __future__ import annotations

import logging
import re
from functools import lru_cache
from math import log

import jieba
from pypinyin import Style, lazy_pinyin

from bot.language import lexicon
from bot.language.textcache import MB, TextCache, text_cached

jieba.setLogLevel(logging.WARNING)

# Words that carry no topic (question forms, pronouns, particles): kept out of the index.
STOPWORDS = lexicon.STOPWORDS
_CJK = re.compile(r"[\u4e00-\u9fff]")
# Fuzzy pinyin: the slips of southern speakers and pinyin input (zh/z, ch/c, sh/s, n/l, -ng/-n).
_FUZZY = [(re.compile(r"^zh"), "z"), (re.compile(r"^ch"), "c"), (re.compile(r"^sh"), "s"),
          (re.compile(r"^n(?=[aeiou])"), "l"), (re.compile(r"(?<=[aeiou])ng$"), "n")]


@lru_cache(maxsize=65536)  # one character a key: bounded in bytes too
def char_sound(char: str) -> str:
    """The fuzzy toneless syllable of one character (its most common reading)."""
    if not _CJK.match(char):
        return char
    syllable = lazy_pinyin(char, style=Style.NORMAL)[0]
    for pattern, replacement in _FUZZY:
        syllable = pattern.sub(replacement, syllable)
    return syllable


@lru_cache(maxsize=65536)
def _plain_char_sound(char: str) -> str:
    return lazy_pinyin(char, style=Style.NORMAL)[0] if _CJK.match(char) else char


def plain_sound(text: str) -> str:
    """Exact toneless pinyin, without the fuzzy merges."""
    return " ".join(map(_plain_char_sound, text.replace(" ", "")))


def sounds(text: str) -> list[str]:
    """One fuzzy syllable per Chinese character; digits and latin letters as they are (spaces
    have none). map: the loop over the characters in C (a long entry text has hundreds)."""
    return list(map(char_sound, text.replace(" ", "")))


@text_cached(8 * MB)
def sound_string(text: str) -> str:
    return " ".join(sounds(text))


# A question's passes (slips, words, names as written and repaired) cut four or five sentences.
_RECENT_SENTENCES = 6


class _Tokenizer(jieba.Tokenizer):
    """jieba's tokenizer remembering its last few sentences' DAGs and routes: a question is cut
    for its slips (bot.language.spelling), into words (Segmenter) and for its names
    (bot.language.specifics), as written and repaired, and the same sentence comes back after
    another one in between. One tuple, replaced whole: threads never see a route of another DAG."""

    _recent: tuple = ()  # (sentence, its DAG, its route or None until calc), newest first

    def get_DAG(self, sentence):
        for seen, dag, _ in self._recent:
            if seen == sentence:
                return dag
        dag = self._dag(sentence)
        self._recent = ((sentence, dag, None), *self._recent[:_RECENT_SENTENCES - 1])
        return dag

    def _dag(self, sentence: str) -> dict[int, list[int]]:
        """jieba's get_DAG (each position → the ends of the dictionary words starting there),
        with one dictionary lookup a fragment instead of two: the same DAG, ~2/3 of the time."""
        self.check_initialized()
        frequency = self.FREQ.get
        dag = {}
        size = len(sentence)
        for start in range(size):
            ends = []
            end = start
            fragment = sentence[start]
            while (count := frequency(fragment)) is not None:  # a word, or a prefix of one (count 0)
                if count:
                    ends.append(end)
                end += 1
                if end >= size:
                    break
                fragment = sentence[start:end + 1]
            dag[start] = ends or [start]
        return dag

    def calc(self, sentence, DAG, route):
        recent = self._recent
        for at, (seen, dag, known) in enumerate(recent):
            if dag is DAG:
                if known is not None:
                    route.update(known)
                    return
                self._route(sentence, DAG, route)
                self._recent = (*recent[:at], (seen, dag, route), *recent[at + 1:])
                return
        self._route(sentence, DAG, route)

    def _route(self, sentence: str, dag: dict[int, list[int]], route: dict) -> None:
        """jieba's calc (the most probable cut, right to left), the same sums in the same order,
        without a generator where a position starts one word only (most positions)."""
        size = len(sentence)
        route[size] = (0, 0)
        logtotal = log(self.total)
        frequency = self.FREQ.get
        for start in range(size - 1, -1, -1):
            ends = dag[start]
            if len(ends) == 1:
                end = ends[0]
                route[start] = (log(frequency(sentence[start:end + 1]) or 1) - logtotal + route[end + 1][0], end)
            else:
                route[start] = max((log(frequency(sentence[start:end + 1]) or 1) - logtotal + route[end + 1][0], end)
                                   for end in ends)

    def add_word(self, word, freq=None, tag=None):
        self._recent = ()  # a new word may change any sentence's DAG
        super().add_word(word, freq, tag)


class Segmenter:
    """A private jieba tokenizer carrying the FAQ's own words (no global jieba state)."""

    def __init__(self, words: list[str] = ()):
        self._jieba = _Tokenizer()
        self._jieba.initialize()
        for word in words:
            if len(word) >= 2:
                self._jieba.add_word(word, freq=max(2000, 500 * len(word)))
        # the FAQ's codes in Latin letters (lpr, app, igbt), which a typo can only swap or miss
        self.latin_words = frozenset(w for w in words if len(w) >= 3 and w.isascii() and w.isalpha())
        # the questions' segments, remembered: citizens ask the same questions again and again
        self._segments = TextCache(2 * MB)

    @property
    def tokenizer(self) -> jieba.Tokenizer:
        """The jieba tokenizer itself, for part-of-speech tagging (bot.language.specifics)."""
        return self._jieba

    def cut(self, text: str) -> list[str]:
        """The words of a text, dictionary words only (no guessing of new words)."""
        return self._jieba.lcut(text, HMM=False)

    def is_word(self, text: str) -> bool:
        """A word in common use (jieba's dictionary lists rare abbreviations such as 成铁 too)."""
        return self._jieba.FREQ.get(text, 0) >= 20

    def words_and_search_words(self, text: str) -> tuple[list[str], list[str]]:
        """`segment` of a question, remembered (new lists each time: the caller's to keep)."""
        words, search = self._segments.remembered(text, lambda: tuple(map(tuple, self.segment(text))))
        return list(words), list(search)

    def segment(self, text: str) -> tuple[list[str], list[str]]:
        """Content words (stopwords dropped), and the same plus the known 2- and 3-grams inside
        longer words for recall in retrieval (jieba's own cut_for_search rule), from one jieba pass."""
        words, search = [], []
        freq = self._jieba.FREQ
        for w in _formulas_joined(self._jieba.lcut(text, HMM=False)):
            if not w.strip() or w in STOPWORDS:
                continue
            if len(w) > 2:
                search.extend(g for g in (w[i:i + 2] for i in range(len(w) - 1)) if freq.get(g) and g not in STOPWORDS)
            if len(w) > 3:
                search.extend(g for g in (w[i:i + 3] for i in range(len(w) - 2)) if freq.get(g) and g not in STOPWORDS)
            search.append(w)
            words.append(w)
        return words, search


def _formulas_joined(tokens: list[str]) -> list[str]:
    """jieba cuts "3+3+2" at each +: the formula is one word (textnorm keeps + only inside one)."""
    if "+" not in tokens:
        return tokens
    out: list[str] = []
    for i, token in enumerate(tokens):
        if out and (token == "+" or tokens[i - 1] == "+"):
            out[-1] += token
        else:
            out.append(token)
    return out


def sound_bigrams(text: str) -> list[str]:
    return bigrams(sounds(text))


def bigrams(syllables: list[str]) -> list[str]:
    """The sound bigrams of a text's syllables (`sounds`): a single syllable stands alone."""
    if len(syllables) == 1:
        return syllables
    return [a + b for a, b in zip(syllables, syllables[1:], strict=False)]
