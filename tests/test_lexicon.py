"""bot/language/lexicon.py: the shared vocabulary, how its parts relate, and that the modules
build on it instead of keeping their own copies."""
from __future__ import annotations

import re

import pytest

from bot.language import facts, features, forms, lexicon, scope, specifics, spelling, textnorm

_MEASURE_PARTS = ["NUMERAL_UNITS", "HOW_MANY_UNITS", "ASKING_UNITS", "ANSWER_FIGURE_UNITS", "COUNT_UNITS",
                  "REPORT_FIGURE_UNITS", "NAME_MEASURE_CHARS", "CHOICE_MEASURES"]
_ORDERED = ["ANSWER_FIGURE_UNITS", "COUNT_UNITS", "REPORT_FIGURE_UNITS", "CHOICE_MEASURES", "QUESTION_PARTICLES",
            "CHOICE_ENDINGS", "GREETINGS", "FILLERS", "QUESTION_OPENERS", "WHAT_WORDS", "KIN_WORDS", "HOME_PREFIXES",
            "ZHUZHOU_DISTRICTS"]


@pytest.mark.parametrize("name", _MEASURE_PARTS)
def test_each_measure_list_is_part_of_the_measure_words(name):
    part = getattr(lexicon, name)
    assert part and set(part) <= lexicon.MEASURE_WORDS


@pytest.mark.parametrize("name", [*_ORDERED, "NUMERAL_UNITS", "HOW_MANY_UNITS", "ASKING_UNITS", "NAME_MEASURE_CHARS",
                                  "SENTENCE_PARTICLES", "CN_DIGITS", "NUMERAL_CHARS"])
def test_no_list_repeats_a_word(name):
    words = list(getattr(lexicon, name))
    assert len(words) == len(set(words)), [w for w in words if words.count(w) > 1]


@pytest.mark.parametrize("name", ["COUNT_UNITS", "WHAT_WORDS", "HOME_PREFIXES"])
def test_ordered_alternations_put_a_longer_word_before_its_prefix(name):
    # these are read as "first alternative that matches wins": 人次 must not be read as 人
    words = getattr(lexicon, name)
    for i, word in enumerate(words):
        assert not any(longer.startswith(word) and longer != word for longer in words[i + 1:]), word


def test_the_units_a_count_is_asked_with_are_measure_words_not_clock_units():
    assert not set("点时号月") & set(lexicon.HOW_MANY_UNITS)   # 几点 asks a time, not a quantity
    assert set("点号月") <= set(lexicon.ASKING_UNITS)            # …but it asks something


def test_particles_and_fillers():
    assert set(lexicon.QUESTION_PARTICLES) <= set(lexicon.SENTENCE_PARTICLES)
    assert set(lexicon.CHOICE_ENDINGS) - {"的"} <= set(lexicon.SENTENCE_PARTICLES)
    assert set(lexicon.GREETINGS) <= set(lexicon.FILLERS)
    assert set(lexicon.QUESTION_OPENERS) - {"想问"} <= set(lexicon.FILLERS)
    # needs names the first filler found in a cue: a longer filler comes before a word inside it
    for i, word in enumerate(lexicon.FILLERS):
        assert not any(word in longer and word != longer for longer in lexicon.FILLERS[i + 1:]), word


def test_stopwords():
    assert lexicon.QUESTION_WORDS <= lexicon.STOPWORDS
    assert {"请问", "一下"} <= lexicon.STOPWORDS
    assert not lexicon.ASPECT_WORDS & lexicon.STOPWORDS
    assert all(len(char) == 1 for char in lexicon.FUNCTION_CHARS)
    # the city's names are topics, never stopwords
    assert not (lexicon.HOME_NAMES | set(lexicon.ZHUZHOU_DISTRICTS)) & lexicon.STOPWORDS


def test_numerals():
    assert set(lexicon.CN_DIGITS) <= set(lexicon.NUMERAL_CHARS)
    assert set(lexicon.CN_DIGITS) <= lexicon.NAME_NUMERAL_CHARS
    assert set(lexicon.CHOICE_NUMBERS) <= set(lexicon.NUMERAL_CHARS)
    assert sorted(set(lexicon.CHOICE_NUMBERS.values())) == [1, 2, 3, 4, 5]


def test_places():
    assert lexicon.CITY in lexicon.HOME_NAMES
    assert not lexicon.HOME_NAMES & set(lexicon.ZHUZHOU_DISTRICTS)
    assert not lexicon.HOME_NAMES & lexicon.WIDER_AREAS
    assert all(p in lexicon.HOME_NAMES | lexicon.WIDER_AREAS for p in lexicon.HOME_PREFIXES)
    assert len(lexicon.ZHUZHOU_DISTRICTS) == 10


def test_alternations():
    assert lexicon.alternation(("人次", "人", "%")) == "人次|人|%"
    assert lexicon.longest_first(("一下", "请问一下", "请问")) == "请问一下|一下|请问"
    assert re.fullmatch(lexicon.alternation(("a.b",)), "a.b") and not re.fullmatch(lexicon.alternation(("a.b",)), "axb")


def test_the_modules_build_on_the_lexicon():
    assert textnorm.FILLERS is lexicon.FILLERS
    assert features.STOPWORDS is lexicon.STOPWORDS
    assert spelling._FUNCTION_CHARS is lexicon.FUNCTION_CHARS
    assert specifics.HOME_NAMES is lexicon.HOME_NAMES
    assert specifics.ZHUZHOU_DISTRICTS is lexicon.ZHUZHOU_DISTRICTS
    assert facts.RULES_BY_NAME["quantity_how_many_units"].pattern.pattern == f"几[{lexicon.HOW_MANY_UNITS}]"
    kin = forms._KIN_WORDS
    assert kin == "|".join(lexicon.KIN_WORDS)


@pytest.mark.parametrize("text, expected", [
    ("请问一下你好城铁几点啊", "城铁几点"),
    ("我想问那个公积金怎么取呢", "公积金怎么取"),
    ("谢谢 末班车呢", "末班车"),
])
def test_textnorm_drops_the_lexicons_fillers_and_particles(text, expected):
    assert textnorm.Normalizer()(text) == expected


def test_choice_reads_the_lexicons_measure_words_and_endings():
    for measure in lexicon.CHOICE_MEASURES:
        for ending in ("", *lexicon.CHOICE_ENDINGS):
            assert scope.choice_number(f"第二{measure}{ending}", 3) == 2
