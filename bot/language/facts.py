"""What kind of answer a question asks for, and what kinds an answer can serve.

A question asking 多少 is best served by an entry phrased for a number, or whose answer holds
one; a question about 2021 must not get 2020's figures. These are computed for every phrasing
when the index is built, and for the citizen's question at each query.

Both are read by tables of named rows (ASK_RULES, ANSWER_RULES): a text is of a kind when any
of that kind's rows matches it. Each row can be tested on its own (RULES_BY_NAME[name].matches).
"""
from __future__ import annotations

import re
from typing import NamedTuple

from bot.language import lexicon


class KindRule(NamedTuple):
    """One named row: `pattern` found anywhere in the text makes it of `kind`."""
    name: str
    kind: str
    pattern: re.Pattern[str]

    def matches(self, text: str) -> bool:
        return self.pattern.search(text) is not None


def _row(name: str, kind: str, pattern: str) -> KindRule:
    return KindRule(name, kind, re.compile(pattern))


# What kind of answer a question wants; an entry phrased for the same kind fits better.
ASK_RULES: tuple[KindRule, ...] = (
    # "有多少家", "几多", "多长", "百分之几", "比例", "覆盖率"
    _row("quantity_how_many", "quantity", r"多少|几多"),
    _row("quantity_how_many_units", "quantity", rf"几[{lexicon.HOW_MANY_UNITS}]"),
    _row("quantity_size", "quantity", r"多长|多大|多高|多远"),
    _row("quantity_share", "quantity", r"百分之|比例|率"),
    # keyword questions: "驻村工作队 总数", "长者餐厅 数量"
    _row("quantity_total", "quantity", r"总数|数量|人数|户数|个数|次数|里程"),
    # "几点", "什么时候", "多久", "开放时间"
    _row("time_clock_or_date", "time", r"几点|几号|几月"),
    _row("time_when", "time", r"什么时候|啥时候|何时|哪天"),
    _row("time_how_long", "time", r"多久|时间"),
    # "有哪些", "都有什么", "包括"
    _row("list_which", "list", r"哪些|哪几"),
    _row("list_what_there_is", "list", r"有什么|有啥|都有"),
    _row("list_parts", "list", r"包括|包含|分别"),
    # "在哪里", "哪个站", "什么地方", "位置"
    _row("place_where", "place", r"哪里|哪儿|在哪|什么地方"),
    _row("place_which_station", "place", r"哪个站"),
    _row("place_location", "place", r"地点|位置"),
    # "是什么", "什么意思", "干嘛的"
    _row("definition_what_is", "definition", r"是什么|是啥|指什么|是指"),
    _row("definition_meaning", "definition", r"什么意思|啥意思"),
    _row("definition_what_for", "definition", r"干嘛的|干什么的"),
    # "吗", "有没有", "……不"
    # "编一本什么书", "专题片叫什么": the title of a work
    _row("title_of_a_work", "title", r"(?:什么|哪本|哪部|哪首|啥|么子)(?:书|书籍|刊物|杂志|专题片|纪录片|电影|片子|歌)"
                                      r"|书名|片名|歌名"),
    _row("yesno_particle", "yesno", r"吗"),
    _row("yesno_a_not_a", "yesno", r"有没有|是不是|能不能|会不会|可不可以|算不算|要不要"),
    _row("yesno_trailing_negation", "yesno", r"没有?$|不$"),
)

# What an answer must hold to serve each kind of ask, whatever its phrasings look like.
ANSWER_RULES: tuple[KindRule, ...] = (
    _row("holds_figure", "quantity", rf"\d[\d.,]*\s*({lexicon.alternation(lexicon.ANSWER_FIGURE_UNITS)})"),
    _row("holds_clock_time", "time", r"\d+\s*(时|点|:|：)"),
    _row("holds_date", "time", r"\d+\s*月\s*\d+\s*日"),
    _row("holds_enumeration", "list", r"、.+、"),
    _row("holds_semicolon_list", "list", r"；.+；"),
    _row("holds_definition", "definition", r"即|是指|指的是|就是|是.{2,}的"),
    _row("holds_place_word", "place", r"站|位于|区|县"),
    _row("holds_title", "title", r"《[^》]{2,}》"),
)

RULES_BY_NAME: dict[str, KindRule] = {rule.name: rule for rule in (*ASK_RULES, *ANSWER_RULES)}
assert len(RULES_BY_NAME) == len(ASK_RULES) + len(ANSWER_RULES), "rule names must be unique"


def _by_kind(rules: tuple[KindRule, ...]) -> dict[str, re.Pattern[str]]:
    """One regex per kind, its rows' patterns as alternatives (one search per kind, not per row)."""
    kinds: dict[str, list[str]] = {}
    for rule in rules:
        kinds.setdefault(rule.kind, []).append(rule.pattern.pattern)
    return {kind: re.compile("|".join(patterns)) for kind, patterns in kinds.items()}


_ASK_KINDS = _by_kind(ASK_RULES)
_ANSWERS_KIND = _by_kind(ANSWER_RULES)

_YEAR = re.compile(r"(?<![0-9])(19[5-9][0-9]|20[0-9]{2})(?=年)")


def years(text: str) -> frozenset[str]:
    return frozenset(_YEAR.findall(text))


# "根据2021年株洲市党代会报告，……", "2025年政府工作报告里": the year of the report the question
# cites, not (only) of the facts it asks.
_CITED_REPORT_YEAR = re.compile(r"((?:19|20)\d\d)年(?:\d{1,2}月(?:\d{1,2}日)?)?"
                                r"(?=[^，,。；;？?\s]{0,10}?(?:报告|党代会|日报|报道))")


def asked_and_cited_years(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """The years a question asks of, and the years of the reports it cites (when one year is
    both, it is asked: "2025年政府工作报告提出2025年建几家")."""
    cited = frozenset(m.group(1) for m in _CITED_REPORT_YEAR.finditer(text))
    return years(_CITED_REPORT_YEAR.sub(" ", text)), cited


# Another report's date, not a year its facts are of: "另有2021年5月株洲日报关于2020年…的报道"
# in an entry sourced from December 2020.
_REPORTED_ON = re.compile(r"((?:19|20)\d\d)年(?:初|底|末|\d{1,2}月(?:\d{1,2}日)?)(?:召开的|的)?"
                          r"(?=[^，,。；;]{0,14}?(?:日报|报道|访谈|会议|通报|发布|新闻|报告))")


# A five-year plan's period: what it achieved or aims at stands as of its last year ("“十三五”
# 期间连续十次荣获" answers "截至2020年连续多少次").
_PLAN_PERIOD_ENDS = {"十三五": "2020", "十四五": "2025", "十五五": "2030"}
_PLAN_PERIOD = re.compile("|".join(_PLAN_PERIOD_ENDS))


def entry_years(about: str, answer: str, source: dict) -> frozenset[str]:
    """The years an entry speaks of: its phrasings, its report's title and its answer
    ("2024年12月25日"); a year only the detail names is a side fact ("同一报道提到，2021年计划……").
    When the phrasings name the year, the date of the entry's own report is not a year of its facts
    ("2020年…多少家" and "据2021年初株洲日报…访谈，2020年…": no answer to a question on 2021)."""
    own_date = "" if years(about) else source.get("date", "")
    # a plan period its answer states its facts of (an article's title "谈“十四五”工作" is no fact)
    periods = {_PLAN_PERIOD_ENDS[m.group(0)] for m in _PLAN_PERIOD.finditer(answer)}
    return fact_years(" ".join([about, source.get("title", ""), answer]), own_date) | periods


def fact_years(text: str, source_date: str = "") -> frozenset[str]:
    """The years an entry's facts are of: its text's years, less those it names only as the date
    of a report other than its own source (a question on 2021 is not answered by 2020's figure
    because the entry points to a 2021 article); its own report's date is often its news's year."""
    own = str(source_date)[:4]
    return years(_REPORTED_ON.sub(lambda m: m.group(0) if m.group(1) == own else " ", text))


def fact_types_given(answer: str) -> frozenset[str]:
    """The types of fact an answer states (quantity, time, list, definition, place)."""
    return frozenset(kind for kind, pattern in _ANSWERS_KIND.items() if pattern.search(answer))


def fact_types_asked(text: str) -> frozenset[str]:
    """The types of fact a question asks for (quantity, time, list, place, definition, yesno)."""
    return frozenset(kind for kind, pattern in _ASK_KINDS.items() if pattern.search(text))
