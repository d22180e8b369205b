"""Repairing pinyin-input and speech slips against the FAQ's own words.

成铁 → 城铁, 雨污分留 → 雨污分流, 工作对 → 工作队: a stretch of the question that sounds like a
word the FAQ uses, but is written differently and is not a word itself, is read as that word.
A real word ("时光", "作对") is left alone unless a longer stretch around it is the slip.
"""
from __future__ import annotations

import re

from bot.language import lexicon
from bot.language.facts import fact_types_asked
from bot.language.features import STOPWORDS, char_sound, plain_sound

MAX_LEN, MIN_LEN = 6, 2
# A stretch starting or ending in a function character is grammar, not a slipped word
# ("是干嘛的" must not become "实干").
_FUNCTION_CHARS = lexicon.FUNCTION_CHARS
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")


def _windows(run: str):
    """(start, stretch, its sound string), longest first. The sounds are joined from the run's
    syllables: caching each stretch's sound filled the sound cache with one-off strings."""
    syllables = [char_sound(c) for c in run]
    for size in range(min(MAX_LEN, len(run)), MIN_LEN - 1, -1):
        for start in range(len(run) - size + 1):
            yield start, run[start:start + size], " ".join(syllables[start:start + size])


# Words of grammar, not of things: a stretch overlapping one is no slip ("目前已经" is not "目千亿经").
_FUNCTION_WORDS = re.compile("|".join(sorted(
    {w for w in STOPWORDS if len(w) >= 2} | lexicon.ASPECT_WORDS,
    key=len, reverse=True)))


def _function_words(run: str) -> list[bool]:
    """Which characters of the run belong to a function word, and so are settled."""
    settled = [False] * len(run)
    for match in _FUNCTION_WORDS.finditer(run):
        for i in range(match.start(), match.end()):
            settled[i] = True
    return settled


def _asks(word: str) -> bool:
    return word in STOPWORDS or bool(fact_types_asked(word))


def correct(text: str, words_by_sound, is_word) -> str:
    """`words_by_sound(list of sound strings) -> {sound: faq word}`; `is_word(str) -> bool`."""
    out = []
    last = 0
    for match in _HAN_RUN.finditer(text):
        run = match.group(0)
        windows = list(_windows(run))
        known = words_by_sound([sound for _, _, sound in windows])
        fixed = list(run)
        taken = _function_words(run)
        for start, window, sound in windows:  # longest first, never overlapping an earlier repair
            word = known.get(sound)
            end = start + len(window)
            if not word:
                # most stretches sound like no FAQ word: only a word of three characters or more
                # settles its characters ("公积金": its "积金" is no slip of "基金")
                if len(window) >= 3 and True not in taken[start:end] and is_word(window):
                    taken[start:end] = [True] * len(window)
                continue
            if True in taken[start:end]:
                continue
            if word == window:  # already the FAQ's word: its characters are settled
                taken[start:end] = [True] * len(window)
                continue
            if is_word(window) or window[0] in _FUNCTION_CHARS or window[-1] in _FUNCTION_CHARS:
                continue
            if _asks(word):  # a slip is of a thing, not of a question word (祭典 is not 几点)
                continue
            # Two characters are too little to trust a merely similar sound (往上/晚上).
            if len(window) == 2 and plain_sound(window) != plain_sound(word):
                continue
            fixed[start:end] = list(word)
            taken[start:end] = [True] * len(window)
        out.append(text[last:match.start()] + "".join(fixed))
        last = match.end()
    out.append(text[last:])
    return "".join(out)
