"""Text normalisation shared by the FAQ and the citizen's question.

Whatever is done to a question is done to the FAQ too, so both meet in the same form:
full/half width, case, traditional → simplified, Chinese numerals → digits, punctuation and
speech-recognition debris, filler words, and the staff's synonyms.
"""
from __future__ import annotations

import re
import unicodedata

import cn2an
import zhconv

from bot.language import lexicon
from bot.language.textcache import MB, TextCache, text_cached

_NUMERAL_CHARS = lexicon.NUMERAL_CHARS
# A lone numeral is converted only before a unit, so names such as 十大、一江八港 stay words.
_UNITS = lexicon.NUMERAL_UNITS
_NUMERAL_RUN = re.compile(
    rf"百分之[{_NUMERAL_CHARS}]+(?:点[{_NUMERAL_CHARS}]+)?"
    rf"|第[{_NUMERAL_CHARS}]+"
    rf"|[{_NUMERAL_CHARS}]{{2,}}(?:点[零〇一二三四五六七八九]++(?![分刻十百千]))?(?=[{_UNITS}以左多余]| |$)"
    rf"|(?!一点)[{_NUMERAL_CHARS}](?=[{_UNITS}])"
)
# Speech recognition and chat debris (lexicon.FILLERS), dropped anywhere.
FILLERS = lexicon.FILLERS
# Particles end a clause: dropped only there, so that 干嘛、吗啡 keep their characters.
_PARTICLE_RE = re.compile(rf"(?<![什怎那这多要])[{lexicon.SENTENCE_PARTICLES}]+(?= |$)")  # 什么 keeps its 么
_FILLER_RE = re.compile(lexicon.longest_first(FILLERS))
_LEADING_THAT = re.compile(r"^(那么|那)(?=[\u4e00-\u9fff])")
_NOT_WORD = re.compile(r"[^0-9a-z\u4e00-\u9fff.%:+]+")
# A formula of digits is one code: "3+3+2" is not "3+5+2" with a digit missing; speech
# recognition writes it "三加三加二". A + elsewhere (5G+制造业) separates words.
_SPOKEN_FORMULA = re.compile(rf"[{lexicon.CN_DIGITS}两](?:加[{lexicon.CN_DIGITS}两])+(?![{lexicon.CN_DIGITS}两])")
_DIGIT_FORMULA = re.compile(r"(?<=\d) *(?:\+|加) *(?=\d)")
_LOOSE_PLUS = re.compile(r"(?<![0-9])\+|\+(?![0-9])")
_LOOSE_DOTS = re.compile(r"(?<![0-9])[.:]|[.:](?![0-9])")


def _numeral_to_digits(match: re.Match) -> str:
    text = match.group(0)
    prefix = ""
    if text.startswith("第"):
        prefix, text = "第", text[1:]
    try:
        if text.startswith("百分之"):
            return prefix + cn2an.cn2an(text[3:].replace("〇", "零"), "smart").__str__().removesuffix(".0") + "%"
        value = cn2an.cn2an(text.replace("〇", "零"), "smart")
    except (ValueError, KeyError, IndexError):
        return match.group(0)
    return prefix + (str(value).removesuffix(".0") if isinstance(value, float) else str(value))


_SHORT_YEAR = re.compile(r"(?<![0-9])([12][0-9])年(?!代|级|前|后|底|初|来)")
# 千亿 is 一千亿 without its 一 (cn2an reads neither 千 nor 百 alone): both become 1000亿, so that
# "搞到一千亿" meets "突破千亿". Not after another numeral (几千亿, 数百亿 are no amount).
# After a number, 忆 is 亿 typed by sound (千忆, 1500忆): no word has 忆 after a numeral.
_YI_SLIP = re.compile(rf"(?<=[0-9{_NUMERAL_CHARS}万])忆")
_BARE_HUNDRED_MILLIONS = re.compile(rf"(?<![0-9{_NUMERAL_CHARS}几数])([千百])(?=亿)")


def numerals_to_digits(text: str) -> str:
    """二零二一年 → 2021年, 21年 → 2021年, 九点半 → 9点半, 百分之八十一 → 81%, 千亿 → 1000亿;
    names such as 十大、一江八港、三一集团、三百工程 stay as they are."""
    text = _NUMERAL_RUN.sub(_numeral_to_digits, _YI_SLIP.sub("亿", text))
    text = _BARE_HUNDRED_MILLIONS.sub(lambda m: "1000" if m.group(1) == "千" else "100", text)
    return _SHORT_YEAR.sub(r"20\1年", text)


def _changed_chars() -> frozenset[str]:
    """Characters that zhconv's traditional → simplified table would change."""
    zhconv.convert("测", "zh-cn")  # loads the table
    changed = set()
    for trad, simp in zhconv.zhconv.zhcdicts["zh2Hans"].items():
        if len(trad) != len(simp):
            changed.update(trad)
        else:
            changed.update(t for t, s in zip(trad, simp, strict=True) if t != s)
    return frozenset(changed)


_TRADITIONAL = _changed_chars()


def to_simplified(text: str) -> str:
    """zhconv, skipped for the usual already-simplified text (it is slow on long texts)."""
    if _TRADITIONAL.isdisjoint(text):
        return text
    return zhconv.convert(text, "zh-cn")


# The polite closing of a letter ("……建几家？盼复！", "望回复，谢谢", "感谢！"): no part of what is
# asked (left on, "盼复" was read as the kind of thing counted in "建几家盼复").
_CLOSING = re.compile(r"[，,\s]*(?:盼复|盼回复|望回复|请回复|望答复|请答复|请予答复|敬请回复|烦请回复"
                      r"|请尽快回复|期待(?:您的)?(?:回复|答复)|(?:非常|万分|十分)?感谢(?:您|你们?)?|谢谢(?:您|你们?|了)?|多谢"
                      r"|辛苦了|麻烦了|急+|在线等)[。.!！~～\s]*$")
_STOPS = "。.!！~～ "


# The salutation of a letter ("领导好！", "尊敬的领导：", "各位领导您好"): whom it is written to, not
# what it asks ("领导" is read as asking who). An addressee by name ("尊敬的市卫健委：") stays: it names the subject.
_SALUTATION = re.compile(r"^\s*(?:(?:各位|尊敬的)?(?:领导|书记|市长|局长|主任|工作人员|同志)们?(?:您|你)?好"
                         r"|尊敬的(?:各位)?领导们?)[：:，,！!。\s]*")


def without_closing(text: str) -> str:
    """The message without the salutation at its start and the polite closings at its end (a
    closing alone is left as it is; the question mark before it stays)."""
    text = _SALUTATION.sub("", text, count=1) or text
    while (found := _CLOSING.search(text)) and found.start() > 0:
        text = text[:found.start()].rstrip(_STOPS)
    return text


@text_cached(2 * MB)  # a question's is needed twice: by normalize and by Normalizer (with the synonyms)
def _spaced(text: str) -> str:
    """Normalised, with a space where punctuation or spacing separated the parts."""
    text = without_closing(unicodedata.normalize("NFKC", text or "").lower())
    text = to_simplified(text)
    text = _SPOKEN_FORMULA.sub(_formula_to_digits, text)
    text = numerals_to_digits(text)
    text = _DIGIT_FORMULA.sub("+", text)
    text = _NOT_WORD.sub(" ", text)
    text = _LOOSE_PLUS.sub(" ", text)
    text = _LOOSE_DOTS.sub(" ", text)
    return re.sub(r" {2,}", " ", text).strip()


def _formula_to_digits(match: re.Match) -> str:
    return "+".join(str(cn2an.cn2an(c.replace("两", "二"), "smart")) for c in match.group(0).split("加"))


def _compact(text: str) -> str:
    # Spaces only matter between latin words or digits; between Chinese characters they are noise.
    return re.sub(r"(?<=[\u4e00-\u9fff]) +|(?<=\S) +(?=[\u4e00-\u9fff])", "", text).strip()


@text_cached(2 * MB)
def normalize(text: str) -> str:
    """The canonical form of a text, before synonyms: compact, lowercase, simplified, digits."""
    return _compact(_spaced(text))


def strip_particles(text: str) -> str:
    """Sentence-final particles only: "你好啊" → "你好"."""
    return _PARTICLE_RE.sub("", text).strip()


def strip_fillers(text: str) -> str:
    """Drop filler words anywhere and sentence-final particles (before a break or the end)."""
    text = _FILLER_RE.sub("", text)
    text = _PARTICLE_RE.sub("", text)
    return _LEADING_THAT.sub("", text.strip()).strip()


class Normalizer:
    """normalize() plus the staff's synonyms (each group's first word is the canonical one)."""

    def __init__(self, synonym_groups: list[list[str]] | None = None):
        self.canonical: dict[str, str] = {}
        for group in synonym_groups or []:
            words = [normalize(w) for w in group if normalize(w)]
            for word in words[1:]:
                if word != words[0]:
                    self.canonical.setdefault(word, words[0])
        # Canonical words match themselves, so that "株洲南站" is not read as "株洲南" + "站".
        for word in set(self.canonical.values()):
            self.canonical.setdefault(word, word)
        variants = sorted(self.canonical, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, variants))) if variants else None
        self._cache = TextCache(4 * MB)

    def synonyms(self, text: str) -> str:
        if self._pattern is None:
            return text
        return self._pattern.sub(lambda m: self.canonical[m.group(0)], text)

    def is_synonym(self, word: str) -> bool:
        """A word of the synonym table, variant or canonical: a slip repair must leave it alone."""
        return word in self.canonical

    def plain(self, text: str) -> str:
        """Normalised and fillers dropped, the synonyms as written."""
        return self._forms(text)[0]

    def __call__(self, text: str) -> str:
        """The form used for matching: normalised, fillers dropped, synonyms canonical."""
        return self._forms(text)[1]

    def _forms(self, text: str) -> tuple[str, str]:
        """(plain, for matching) of a text, remembered together: a question is asked for both
        (its slips are repaired in the plain form, its names read in the other)."""
        cached = self._cache.get(text)
        if cached is None:
            plain = _compact(strip_fillers(_spaced(text)))
            cached = (plain, self.synonyms(plain))
            self._cache.put(text, cached)
        return cached
