"""What kind of answer a question asks for, and what kinds an answer can serve.

A question asking 多少 is best served by an entry phrased for a number, or whose answer holds
one; a question about 2021 must not get 2020's figures. These are computed for every phrasing
when the index is built, and for the citizen's question at each query.
"""
from __future__ import annotations

import re

# What kind of answer a question wants; an entry phrased for the same kind fits better.
_ASK_KINDS = {
    "quantity": re.compile(r"多少|几[个家户人对趟支项台套场次所条座万天年]|几多|多长|多大|多高|多远|百分之|比例|率"),
    "time": re.compile(r"几点|什么时候|啥时候|何时|哪天|几号|几月|多久|时间"),
    "list": re.compile(r"哪些|哪几|有什么|有啥|都有|包括|包含|分别"),
    "place": re.compile(r"哪里|哪儿|在哪|哪个站|什么地方|地点|位置"),
    "definition": re.compile(r"是什么|是啥|什么意思|啥意思|指什么|是指|干嘛的|干什么的"),
    "yesno": re.compile(r"吗|有没有|是不是|能不能|会不会|可不可以|算不算|要不要|没有?$|不$"),
}


_YEAR = re.compile(r"(?<![0-9])(19[5-9][0-9]|20[0-9]{2})(?=年)")


def years(text: str) -> frozenset[str]:
    return frozenset(_YEAR.findall(text))


# What an answer must hold to serve each kind of ask, whatever its phrasings look like.
_ANSWERS_KIND = {
    "quantity": re.compile(r"\d[\d.,]*\s*(名|人|个|户|家|万|亿|%|对|趟|项|台|套|场|次|支|所|处|公里|千米|吨|元|天|分钟|倍|座|辆|条|张)"),
    "time": re.compile(r"\d+\s*(时|点|:|：)|\d+\s*月\s*\d+\s*日"),
    "list": re.compile(r"、.+、|；.+；"),
    "definition": re.compile(r"即|是指|指的是|就是|是.{2,}的"),
    "place": re.compile(r"站|位于|区|县"),
}


def answer_kinds(answer: str) -> frozenset[str]:
    return frozenset(kind for kind, pattern in _ANSWERS_KIND.items() if pattern.search(answer))


def ask_kinds(text: str) -> frozenset[str]:
    return frozenset(kind for kind, pattern in _ASK_KINDS.items() if pattern.search(text))
