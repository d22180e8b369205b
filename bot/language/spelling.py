"""Repairing pinyin-input and speech slips against the FAQ's own words.

成铁 → 城铁, 雨污分留 → 雨污分流, 工作对 → 工作队: a stretch of the question that sounds like a
word the FAQ uses, but is written differently and is not a word itself, is read as that word.
A real word ("时光", "作对") is left alone unless a longer stretch around it is the slip.
"""
from __future__ import annotations

import re

from rapidfuzz.distance import OSA

from bot.language import lexicon
from bot.language.facts import fact_types_asked
from bot.language.features import STOPWORDS, char_sound, plain_sound

MAX_LEN, MIN_LEN = 6, 2
# A stretch starting or ending in a function character is grammar, not a slipped word
# ("是干嘛的" must not become "实干").
_FUNCTION_CHARS = lexicon.FUNCTION_CHARS
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")


def _windows(size: int):
    """(start, end) of a run's stretches, longest first."""
    for length in range(min(MAX_LEN, size), MIN_LEN - 1, -1):
        for start in range(size - length + 1):
            yield start, start + length


class FaqSounds:
    """The FAQ's words by their sound strings (the index's `spellings`), with every leading run of
    two syllables or more of those sounds: a question's stretches are looked up from each start
    only while they can still lead to a word's sound (most stop at two syllables), instead of
    joining the sounds of every stretch."""

    def __init__(self, words_by_sound: dict[str, str]):
        self.words = words_by_sound
        leads = set()
        for sound in words_by_sound:
            syllables = sound.split(" ")
            leads.update(" ".join(syllables[:n]) for n in range(MIN_LEN, len(syllables) + 1))
        self._leads = frozenset(leads)

    def stretches(self, run: str) -> dict[tuple[int, int], str]:
        """(start, end) → the FAQ word, for each stretch of MIN_LEN to MAX_LEN characters of
        the run that sounds like one."""
        syllables = list(map(char_sound, run))
        words, leads, found = self.words, self._leads, {}
        for start in range(len(run) - MIN_LEN + 1):
            sound = syllables[start]
            for end in range(start + 1, min(start + MAX_LEN, len(run))):
                sound = f"{sound} {syllables[end]}"
                if sound not in leads:
                    break
                word = words.get(sound)
                if word is not None:
                    found[start, end + 1] = word
        return found


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


def _word_edges(run: str, cut, is_word) -> set[int]:
    """The positions inside a common word of the run (between its first and last character):
    a stretch that starts or ends there cuts the word, and is no slip ("想咨询" holds no 巷子)."""
    inside: set[int] = set()
    position = 0
    for token in cut(run):
        if len(token) >= 2 and is_word(token):
            inside.update(range(position + 1, position + len(token)))
        position += len(token)
    return inside


def correct(text: str, faq_sounds: FaqSounds, is_word, cut) -> str:
    """`faq_sounds`: the FAQ's words by sound; `is_word(str) -> bool`; `cut(str) -> list of
    words`, the tokenizer whose common words a repair must not cut."""
    out = []
    last = 0
    for match in _HAN_RUN.finditer(text):
        run = match.group(0)
        out.append(text[last:match.start()] + _corrected_run(run, faq_sounds, is_word, cut))
        last = match.end()
    out.append(text[last:])
    return "".join(out)


def _corrected_run(run: str, faq_sounds: FaqSounds, is_word, cut) -> str:
    known = faq_sounds.stretches(run)
    if all(word == run[start:end] for (start, end), word in known.items()):
        # No stretch sounds like an FAQ word written otherwise: nothing can be repaired, so the
        # function words and the cut (a jieba pass, most of this function's cost) are not needed.
        return run
    fixed = list(run)
    taken = _function_words(run)
    inside = _word_edges(run, cut, is_word)
    for start, end in _windows(len(run)):  # longest first, never overlapping an earlier repair
        window = run[start:end]
        word = known.get((start, end))
        if True in taken[start:end] or start in inside or end in inside:
            continue
        if not word:
            # most stretches sound like no FAQ word: only a word of three characters or more
            # settles its characters ("公积金": its "积金" is no slip of "基金")
            if len(window) >= 3 and is_word(window):
                taken[start:end] = [True] * len(window)
            continue
        if word != window and not _is_slip(window, word, is_word):
            continue
        if word != window:
            fixed[start:end] = list(word)
        taken[start:end] = [True] * len(window)  # the FAQ's word, as written or repaired: settled
    return "".join(fixed)


def _is_slip(window: str, word: str, is_word) -> bool:
    """Whether a stretch that sounds like the FAQ's `word` is a slip for it."""
    if is_word(window) or window[0] in _FUNCTION_CHARS or window[-1] in _FUNCTION_CHARS:
        return False
    if _asks(word):  # a slip is of a thing, not of a question word (祭典 is not 几点)
        return False
    # Two characters are too little to trust a merely similar sound (往上/晚上).
    return not (len(window) == 2 and plain_sound(window) != plain_sound(word))


_LATIN_RUN = re.compile(r"(?<![a-z])[a-z]{3,8}(?![a-z])")


def latin_slips_repaired(text: str, known: frozenset[str]) -> str:
    """A code in Latin letters the FAQ does not know, one slip (two letters swapped, one wrong)
    from exactly one code it knows, is that code: "lrp" → "lpr". Letters are typed, not spoken:
    the sound-alike repair does not reach them."""
    def repaired(m: re.Match) -> str:
        word = m.group(0)
        if word in known:
            return word
        # three letters: only swapped ones ("apq" is not "app"); longer codes may have one wrong
        near = [k for k in known if len(k) == len(word) and OSA.distance(word, k) == 1
                and (len(word) > 3 or sorted(k) == sorted(word))]
        return near[0] if len(near) == 1 else word
    return _LATIN_RUN.sub(repaired, text) if known else text
