"""Reply texts: the answer with its source and link, clarifications, and the byte limit."""
from __future__ import annotations

import re
from collections.abc import Collection
from itertools import islice

from bot.content.model import Entry
from bot.language.asks import SOFT_ASKS, stated
from bot.language.textcache import MB, text_cached

# WeChat rejects text replies near 2048 bytes; stay well under.
REPLY_MAX_BYTES = 2000
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;\n])")


def detail_link(entry: Entry, public_base_url: str) -> str:
    """The staff's own link when given, else our detail page for the entry."""
    if entry.link:
        return entry.link
    return f"{public_base_url.rstrip('/')}/faq/{entry.id}"


def source_line(entry: Entry) -> str:
    title = entry.source.get("title", "")
    date = entry.source.get("date", "")
    return f"（来源：{title}，{date}）" if date else f"（来源：{title}）"


_SEGMENT_END = re.compile(r"(?<=[。！？；;!?\n])")
_QUOTE_MARKS = re.compile(r"[“”‘’\"「」『』]")


def _without_quote_marks(text: str) -> str:
    """The text without its quotation marks, their words kept (asks._unquoted masks the words)."""
    return _QUOTE_MARKS.sub("", text)


_WHOLE_SENTENCE_END = re.compile(r"(?<=[。！？!?\n])")


def relevant_detail(entry: Entry, asked_words: list[str], asks: frozenset = frozenset(),
                    answer_states: Collection[str] | None = None) -> str:
    """Parts of the detail on what the question narrows to: "三一株洲基地算不算十大产业项目"
    gets the detail's line on 三一, which the short list in the answer only names; and the part
    that states what is asked when the answer does not ("哪四项工作": the detail lists them).
    `answer_states`: what the answer states, when the index has it (Record.answer_states). A
    stating part that holds none of the words the question narrows to gives way to the part that
    does ("台长叫什么名字": the line on the 台长, not the forecast table, which lists places)."""
    detail = _without_quote_marks(entry.detail)  # "垒土计划" is the detail's “垒土”计划
    words = [w for w in asked_words if len(w) >= 2 and w not in entry.question and w in detail]
    stating, narrowing = _stating(entry, asks, answer_states), _narrowing(entry, words)
    named = [w for w in words if not w.isdigit()]  # a year narrows to no line
    if stating and narrowing and named and not any(w in stating for w in named):
        return narrowing
    return stating or narrowing


@text_cached(2 * MB)
def _stated(text: str) -> frozenset:
    """asks.stated of an entry's answer or detail sentence (the FAQ's texts: a bounded set)."""
    return stated(text)


def _stating(entry: Entry, asks: frozenset, answer_states: Collection[str] | None = None) -> str:
    """The detail's sentences (whole: a list runs on over its semicolons) that state an asked
    item the answer does not."""
    asked = frozenset(asks) - SOFT_ASKS
    if not (asked and entry.detail):
        return ""
    missing = asked - (_stated(entry.answer) if answer_states is None else frozenset(answer_states))
    if not missing:
        return ""
    sentences = (p.strip() for p in _WHOLE_SENTENCE_END.split(entry.detail))
    # the first two that state it: the sentences after them are not read (stated is costly)
    return "".join(islice((s for s in sentences if s and missing & _stated(s)), 2))


def _narrowing(entry: Entry, narrowing: list[str]) -> str:
    """The detail's parts holding most of the narrowing words (asked, and not in the entry's question)."""
    if not narrowing:
        return ""
    parts = [p.strip() for p in _SEGMENT_END.split(entry.detail) if p.strip() and p.strip() not in entry.answer]
    hits = [(sum(w in plain for w in narrowing), part) for part in parts for plain in [_without_quote_marks(part)]]
    best = max((n for n, _ in hits), default=0)
    return "".join([part for n, part in hits if n == best and n > 0][:2])


def answer_text(entries: Entry | list[Entry], public_base_url: str, asked_words: list[str] = (),
                asks: frozenset = frozenset(), answer_states: Collection[str] | None = None, lead: str = "") -> str:
    """One answer, or two asked together, each with its source and detail link (`answer_states`:
    relevant_detail's, for one answer; `lead`: a line before it, on which year it is of)."""
    entries = [entries] if isinstance(entries, Entry) else entries
    if len(entries) == 1:
        entry = entries[0]
        extra = relevant_detail(entry, list(asked_words), asks, answer_states)
        body = f"{entry.answer}\n{extra}" if extra else entry.answer
        body = f"{lead}\n{body}" if lead else body
        return fit(body, f"{source_line(entry)}\n详情：{detail_link(entry, public_base_url)}")
    parts = [f"{i}. {e.answer}{source_line(e)}" for i, e in enumerate(entries, start=1)]
    links = "\n".join(f"详情{i}：{detail_link(e, public_base_url)}" for i, e in enumerate(entries, start=1))
    return fit("\n".join(parts), links)


def with_see_also(answer: str, questions: list[str], heading: str = "") -> str:
    """An answer followed by neighbouring questions, numbered from 2 (1 is the one answered)."""
    if not questions:
        return answer
    lines = [f"{i}. {q}" for i, q in enumerate(questions, start=2)]
    tail = (heading or "您可能还想问：") + "\n" + "\n".join(lines) + "\n回复数字即可。"
    return fit(answer, tail)


def fallback_text(fallback: str, note: str = "", related: list[str] = ()) -> str:
    """The "I don't know" reply: why (when known), what the bot can answer, questions nearby."""
    parts = [note] if note else []
    parts.append(fallback)
    if related:
        parts.append("相近的问题可以这样问：\n" + "\n".join(f"· {q}" for q in related))
    return fit("\n".join(parts))


def lacking_text(fallback: str, entry: Entry | None, missing: list[str], absent_names: list[str],
                 public_base_url: str) -> str:
    """The fallback when the entry on the subject does not state what was asked: which detail
    the reports lack, then the related fact with its source, then what the bot can answer."""
    if absent_names:
        first = f"公开报告里没有关于“{'、'.join(absent_names)}”的内容。"
    else:
        first = f"公开报告里没有写您问的{'、'.join(missing)}。"
    parts = [first]
    if entry is not None:
        parts.append(f"报告里相关的内容是：{entry.answer}{source_line(entry)}\n"
                     f"详情：{detail_link(entry, public_base_url)}")
    parts.append(fallback)
    return fit("\n".join(parts))


def year_text(fallback: str, note: str, entry: Entry, related: list[str], public_base_url: str) -> str:
    """The fallback when the year asked has no entry on the very thing, but one on the subject:
    that year's related fact with its source, then the other questions nearby."""
    fact = f"那一年报告里相关的内容是：{entry.answer}{source_line(entry)}\n详情：{detail_link(entry, public_base_url)}"
    parts = [note.split("，")[0] + "。", fact, fallback]
    if related:
        parts.append("相近的问题可以这样问：\n" + "\n".join(f"· {q}" for q in related))
    return fit("\n".join(parts))


def clarify_text(questions: list[str]) -> str:
    lines = ["您是想问："]
    lines += [f"{i}. {q}" for i, q in enumerate(questions, start=1)]
    lines.append("回复数字即可。")
    return fit("\n".join(lines))


def fit(body: str, tail: str = "", limit: int = REPLY_MAX_BYTES) -> str:
    """body + tail within `limit` UTF-8 bytes; a long body is cut at a sentence boundary."""
    joiner = "\n" if tail else ""
    if len((body + joiner + tail).encode("utf-8")) <= limit:
        return body + joiner + tail
    room = limit - len((joiner + tail + "…").encode("utf-8"))
    kept = ""
    for sentence in _SENTENCE_END.split(body):
        if len((kept + sentence).encode("utf-8")) > room:
            break
        kept += sentence
    if not kept:  # no sentence fits: cut at a character, never inside one
        kept = body.encode("utf-8")[:max(room, 0)].decode("utf-8", errors="ignore")
    return kept.rstrip() + "…" + joiner + tail


def with_related(text: str, questions: list[str], start: int = 1) -> str:
    """An answer followed by related questions (知识推荐), numbered from `start` (after the
    neighbours with_see_also listed), with one "回复数字即可。" at the end."""
    ending = "\n回复数字即可。"
    body = text[:-len(ending)] if text.endswith(ending) else text
    lines = [f"{i}. {q}" for i, q in enumerate(questions, start=start)]
    return f"{body}\n相关问题：\n" + "\n".join(lines) + ending
