"""`python -m bot faq draft REPORT.txt`: FAQ entry drafts from a new report, for staff to review.

A draft is only a starting point: the text is copied from the report (numbers exactly as
printed), the question comes from a template, and every draft carries the report line it came
from so the reviewer can check it against the original. Three things in a report make entries:

* 名词解释 terms ("**18. 十大重点民生实事:**…") → "X是什么？" / "X包括哪些？"
* enumerated items (①…⑩, (一)…, 1. …) → one entry per item
* sentences with figures ("362支驻村工作队…") → "…多少…？"
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from pypinyin import lazy_pinyin

from bot.content.faq import load_faq
from bot.content.yamlwrite import Flow, dump_yaml
from bot.language import lexicon
from bot.language.textnorm import normalize

TODO = "TODO"
ANSWER_CHARS = 120
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
CN_DIGITS = lexicon.CN_DIGITS

_HEADING = re.compile(r"^(#{1,6})\s*(.+?)\s*$")
_TERM = re.compile(r"^(?:-\s*)?(?:\*\*)?\s*(?:(\d{1,2})\.\s*)?([^*:：]{2,40}?)\s*[:：]\s*\*\*\s*(.*)$")
_SPLIT_BOLD = re.compile(r"^\*\*\d{1,2}\.[^:：]*\*\*$")          # "**8. 北斗…“十**" cut by the column
_ENUM = re.compile(rf"^(?:[(（]([{CN_DIGITS}]+)[)）]|(\d{{1,2}})[.、．](?!\d)\s*|([{CIRCLED}]))")
_FULL_DATE = re.compile(r"((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
# A figure is a number with a unit of quantity; dates and clock times are not facts to ask about.
_QUANTITY = re.compile(rf"(\d+(?:\.\d+)?)\s*(?:余|多)?\s*({lexicon.alternation(lexicon.REPORT_FIGURE_UNITS)})")
# Clock times matter for timetables ("首发列车均在6时整点开出" → "几点").
_CLOCK = re.compile(r"(?<![\d.])\d{1,2}(?:时(?:\d{1,2}分)?(?:整点?)?|:\d{2})")
_SENTENCE = re.compile(r"(?<=[。！？!?])")
_CONTINUES_NOT = re.compile(rf"^(#|-\s|\*\*|株洲日报|[{CIRCLED}]|[(（][{CN_DIGITS}]+[)）]|\d{{1,2}}[.、．](?!\d))")
_BYLINE = re.compile(r"^株洲日报[^（]{0,12}讯（[^）]*）\s*")
_LIST_NAME = re.compile(rf"(^|[^第])([{CN_DIGITS}两]+|\d+)(大|项|个|件|张|中心|走|看|认|美|百)|、|”“")


@dataclass
class Paragraph:
    line: int          # first line in the report (1-based)
    text: str
    section: str       # the nearest heading above it


@dataclass
class Draft:
    origin: str        # what in the report made it: term | item | figure
    name: str
    question: str
    alternates: list[str]
    keywords: list[str]
    answer: str
    detail: str
    line: int
    original: str
    title: str
    date: str
    notes: list[str] = field(default_factory=list)
    id: str = ""


# ---------------------------------------------------------------- reading the report

def _clean(text: str) -> str:
    """Markdown bold gone, Chinese punctuation, no spaces inside Chinese (numbers untouched)."""
    text = text.replace("**", "")
    text = re.sub(r"(?<!\d);|;(?!\d)", "；", text.replace(";", "；"))
    text = re.sub(r",(?!\d)|(?<!\d),", "，", text)
    text = re.sub(r"(?<!\d):|:(?!\d)", "：", text)
    text = text.replace("(", "（").replace(")", "）")
    text = re.sub(r"(?<=[\u4e00-\u9fff“”（）：，；])\s+|\s+(?=[\u4e00-\u9fff“”（）：，；])", "", text)
    return text.strip()


def _join(left: str, right: str) -> str:
    """Join a paragraph cut by a column break; the OCR often repeats a word at the cut."""
    for k in range(6, 1, -1):
        if len(left) > k and left[-k:] == right[:k]:
            return left + right[k:]
    return left + right


def paragraphs(text: str) -> list[Paragraph]:
    """Non-empty paragraphs with their first line, column breaks rejoined."""
    raw: list[tuple[int, str]] = [(n, line.strip()) for n, line in enumerate(text.splitlines(), start=1)
                                  if line.strip()]
    merged: list[tuple[int, str]] = []
    for number, line in raw:
        if merged:
            prev_no, prev = merged[-1]
            if _SPLIT_BOLD.match(prev) and line.startswith("**"):
                merged[-1] = (prev_no, prev[:-2] + line[2:])
                continue
            if _continues(prev, line):
                merged[-1] = (prev_no, _join(prev, line))
                continue
        merged.append((number, line))
    result, section = [], ""
    for number, line in merged:
        heading = _HEADING.match(line)
        if heading:
            section = heading.group(2).strip()
            result.append(Paragraph(number, "#" * len(heading.group(1)) + " " + section, section))
        else:
            result.append(Paragraph(number, line, section))
    return result


def _continues(prev: str, line: str) -> bool:
    """A paragraph that stops mid-sentence goes on in the next one (the OCR's column breaks)."""
    if prev.startswith("#") or _CONTINUES_NOT.match(line) or "◀" in line or "▶" in line:
        return False
    # A closing quote only ends a paragraph after a full stop: '“一带”即“两山”' goes on.
    return not re.search(r"[。！？!?][”」）)]?$", prev) and len(prev) > 8 and not prev.endswith("**")


def guess_title(paras: list[Paragraph]) -> str:
    for p in paras:
        if p.text.startswith("# "):
            return p.text[2:].strip()
    return ""  # a newspaper page has no title of its own: each article's heading is used


def guess_date(text: str) -> str:
    """The first full date in the report's opening lines (a speech's or article's date), else TODO."""
    head = "\n".join(text.splitlines()[:15])
    match = _FULL_DATE.search(head)
    if not match:
        return TODO
    try:
        return dt.date(*map(int, match.groups())).isoformat()
    except ValueError:
        return TODO


# ---------------------------------------------------------------- finding facts

def _split_circled(body: str) -> list[tuple[str, str]]:
    """'①A；a1。②B；b1' → [('①', 'A；a1。'), ('②', 'B；b1')]."""
    parts = re.split(rf"([{CIRCLED}])", body)
    return [(parts[i], parts[i + 1].strip()) for i in range(1, len(parts) - 1, 2) if parts[i + 1].strip()]


def _item_name(text: str) -> str:
    return re.split(r"[。；：:，！？]", text, maxsplit=1)[0].strip(" 　")


def _has_figure(text: str) -> bool:
    return bool(_QUANTITY.search(text))


def _shorten(text: str, limit: int = ANSWER_CHARS) -> str:
    """At most `limit` characters, cut after a clause so no number is split."""
    if len(text) <= limit:
        return text
    cut = max(text.rfind(mark, 0, limit) for mark in "。；，、")
    return (text[:cut] if cut > limit // 2 else text[:limit]).rstrip("，、；") + "……"


def _how_many(clause: str) -> str | None:
    """'我市362支驻村工作队分赴驻地' → '株洲市多少支驻村工作队分赴驻地？' (the last figure asked about)."""
    clause = _focus(clause)
    figures = list(_QUANTITY.finditer(clause))
    if not figures:
        clocks = list(_CLOCK.finditer(clause))
        if not clocks:
            return None
        last = clocks[-1]
        asked = clause[:last.start()] + "几点" + clause[last.end():]
        return asked.replace("我市", "株洲市").rstrip("。；，、 ") + "？"
    last = figures[-1]
    unit = last.group(2)
    how_many = "多少" + unit if unit != "%" else "百分之多少"
    asked = clause[:last.start()] + how_many + clause[last.end():]
    asked = asked.replace("我市", "株洲市").rstrip("。；，、 ")
    return asked + "？"


def _focus(clause: str, longest: int = 30) -> str:
    """A long enumeration ('长沙往返石门县北9对、长沙往返黔江1对、…') is asked about its first figure."""
    if len(clause) <= longest:
        return clause
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(clause):
        depth += ch in "（(" and 1 or (ch in "）)" and -1 or 0)
        if ch == "、" and depth == 0:
            parts.append(clause[start:i])
            start = i + 1
    parts.append(clause[start:])
    return next((p for p in parts if _has_figure(p)), clause)


def _keywords(*texts: str) -> list[str]:
    import jieba.posseg

    words = []
    for text in texts:
        for token in jieba.posseg.cut(text):
            if token.flag in ("n", "nz", "ns", "nt", "vn", "nr") and len(token.word) >= 2 and token.word not in words:
                words.append(token.word)
    return words[:4]


def _balance_quotes(term: str) -> str:
    """'“一江八港十湖”“环线两厢”综合治理”' (a quote cut by the OCR) → without the stray ”."""
    while term.count("”") > term.count("“") and "”" in term:
        i = term.rfind("”")
        term = term[:i] + term[i + 1:]
    while term.count("“") > term.count("”"):
        i = term.find("“")
        term = term[:i] + term[i + 1:]
    return term.strip()


def _quoted(term: str) -> str:
    return term if "“" in term else f"“{term}”"


def _term_drafts(p: Paragraph, match: re.Match, title: str, date: str) -> list[Draft]:
    term = _balance_quotes(_clean(match.group(2)))
    body = _clean(match.group(3))
    items = _split_circled(body)
    is_list = bool(items) or bool(_LIST_NAME.search(term))
    source = f"据{title}名词解释" if title else "据报告名词解释"
    if items:
        summary = "；".join(f"{mark}{_item_name(text)}" for mark, text in items)
        answer = _shorten(f"{source}，{_quoted(term)}是：{summary}。", 200)
    else:
        joiner = "" if body.startswith("即") else ("：" if body.startswith("“") else "即")
        answer = _shorten(f"{source}，{_quoted(term)}{joiner}{body}")
    question = f"{term}包括哪些？" if is_list else f"{term}是什么？"
    alternates = ([f"{term}有哪些", f"{term} 清单", f"{term}是哪几项"] if is_list
                  else [f"{term}指什么", f"什么叫{term}", f"{term} 意思"])
    drafts = [Draft("term", term, question, alternates, [term], answer, body, p.line, p.text, title, date)]
    for mark, text in items:
        drafts.append(_item_draft(p, term, mark, text, title, date, source))
    return drafts


def _item_draft(p: Paragraph, list_name: str, mark: str, text: str, title: str, date: str,
                source: str) -> Draft:
    name = _item_name(text)
    if len(name) <= 5:  # "2021年，四项工作…": a bare year or word names nothing
        name = _item_name(text[len(name):].lstrip("。；：:，")) and re.split(r"[。；：:！？]", text, maxsplit=1)[0]
    rest = text[len(name):].lstrip("。；：:，")
    number = CIRCLED.index(mark) + 1 if mark in CIRCLED else mark
    answer = _shorten(f"{source}，{list_name}第{mark}项是{name}" + (f"：{rest}" if rest else "。"))
    alternates = [name, f"{list_name} {name}", f"{name}具体要做什么"]
    how_many = _how_many(_first_figure_clause(rest))
    if how_many:
        alternates.insert(0, how_many)
    question = f"{list_name}中的“{name}”具体是什么？".replace("我市", "株洲")
    item = Draft("item", name, question, alternates, [name, list_name][: 2], answer, text, p.line,
                 f"{list_name} 第{number}项：{text}", title, date)
    return item


def _first_figure_clause(text: str) -> str:
    """The first clause with a quantity, else the first with a clock time."""
    clauses = re.split(r"[。；，！？]", text)
    return (next((c for c in clauses if _has_figure(c)), "")
            or next((c for c in clauses if _CLOCK.search(c)), ""))


def _enum_drafts(group: list[tuple[Paragraph, str, str]], list_name: str, title: str, date: str) -> list[Draft]:
    """Paragraph-level lists: (一)…, 1. …, ①… at the start of consecutive paragraphs."""
    # Long numbered paragraphs without a single figure are policy prose, not facts to ask about.
    if not any(_has_figure(text) for _, _, text in group):
        return []
    source = f"据{title}" if title else "据报告"
    return [_item_draft(p, list_name, mark, text, title, date, source) for p, mark, text in group]


def _figure_drafts(p: Paragraph, title: str, date: str) -> list[Draft]:
    drafts = []
    text = _BYLINE.sub("", _clean(p.text.lstrip("- ")))
    for sentence in _SENTENCE.split(text):
        sentence = sentence.strip().lstrip("”")
        clause = _first_figure_clause(sentence)
        if not clause or len(sentence) < 12 or sentence.startswith(("“", "（")) or "：“" in sentence:
            continue  # quotations are someone's words or hopes, not facts to answer with
        question = _how_many(_trim_subject(clause))
        source = f"据{title}" if title else "据报告"
        answer = _shorten(f"{source}，{sentence.replace('我市', '株洲市')}")
        alternates = [question.replace("株洲市", "").rstrip("？"), " ".join(_keywords(clause)) or clause,
                      f"{p.section}有多少" if p.section else clause]
        drafts.append(Draft("figure", clause, question, alternates, _keywords(clause), answer, sentence, p.line,
                            sentence, title, date))
    return drafts


def _trim_subject(clause: str) -> str:
    """Drop a leading time or reporter phrase ('去年，', '5月7日，'): the question is about the fact."""
    return re.sub(r"^(?:\d+月\d+日|去年|今年|近日|目前|截至\d+年底)[，,]?", "", clause)


# ---------------------------------------------------------------- the whole report

def _section_source(paras: list[Paragraph], index: int, doc_title: str, doc_date: str) -> tuple[str, str]:
    """A newspaper page holds several articles: an article's own heading is its title, and its
    date is TODO unless the article gives a full date (staff know the issue's date)."""
    p = paras[index]
    section = p.section
    start = next((i for i in range(index, -1, -1) if paras[i].text.startswith("## ")), None)
    article = paras[start:start + 4] if start is not None else []
    # Once a newspaper byline has appeared, the rest of the file is the newspaper's page.
    is_news = any("株洲日报" in a.text for a in paras[:index + 1])
    if not is_news:
        return doc_title or section or TODO, doc_date
    heading = _clean(paras[start].text.lstrip("# ").strip()) if start is not None else TODO
    dated = next((_FULL_DATE.search(a.text) for a in article if _FULL_DATE.search(a.text)), None)
    date = TODO
    if dated:
        date = dt.date(*map(int, dated.groups())).isoformat()
    return f"株洲日报：{heading}", date


def find_drafts(text: str) -> list[Draft]:
    paras = paragraphs(text)
    doc_title, doc_date = guess_title(paras), guess_date(text)
    drafts: list[Draft] = []
    group: list[tuple[Paragraph, str, str]] = []
    group_name = ""

    def flush():
        nonlocal group
        if group:
            title, date = _section_source(paras, paras.index(group[0][0]), doc_title, doc_date)
            drafts.extend(_enum_drafts(group, group_name, title, date))
        group = []

    for i, p in enumerate(paras):
        if p.text.startswith("#"):
            flush()
            continue
        title, date = _section_source(paras, i, doc_title, doc_date)
        term = _TERM.match(p.text)
        if term and (term.group(1) or p.text.startswith("-")):
            flush()
            drafts.extend(_term_drafts(p, term, title, date))
            continue
        enum = _ENUM.match(p.text)
        if enum:
            if not group:
                group_name = _list_name(paras, i)
            mark = enum.group(1) and f"（{enum.group(1)}）" or enum.group(2) or enum.group(3)
            group.append((p, mark, _clean(p.text[enum.end():])))
            continue
        flush()
        drafts.extend(_figure_drafts(p, title, date))
    flush()
    return drafts


def _list_name(paras: list[Paragraph], index: int) -> str:
    section = paras[index].section
    return _clean(re.sub(r"^[一二三四五六七八九十]+、", "", section)) or "报告"


# ---------------------------------------------------------------- ids and YAML

def _slug(text: str, syllables: int = 5) -> str:
    parts = [p for p in lazy_pinyin(re.sub(r"[^\u4e00-\u9fffA-Za-z0-9]", "", text)) if p.isascii() and p.isalnum()]
    return "-".join(parts[:syllables]).lower() or "x"


def assign_ids(drafts: list[Draft], report_name: str, taken: set[str]) -> None:
    """ids unique against the existing FAQ and each other: draft-<report no>-<pinyin of the name>."""
    prefix = "d" + (re.match(r"\d+", report_name) or re.match(r"", "")).group(0)
    used = set(taken)
    for d in drafts:
        base = f"{prefix}-{_slug(d.name)}".strip("-")
        candidate, n = base, 2
        while candidate in used:
            candidate, n = f"{base}-{n}", n + 1
        d.id = candidate
        used.add(candidate)


def dedupe_questions(drafts: list[Draft], existing: set[str]) -> None:
    """The checker rejects two entries with the same question: number the repeats."""
    seen = set(existing)
    for d in drafts:
        question, n = d.question, 2
        while normalize(question) in seen:
            question, n = f"{d.question.rstrip('？')}（{n}）？", n + 1
        d.question = question
        seen.add(normalize(question))
        d.alternates = list(dict.fromkeys(a for a in d.alternates if a and a != question))


_ORIGIN_LABELS = {"term": "名词解释", "item": "列举项", "figure": "数字"}


def to_yaml(drafts: list[Draft], report_name: str, category: str = "待分类") -> str:
    lines = [
        f"# 由 `python -m bot faq draft` 根据 {report_name} 自动生成的条目草稿，共 {len(drafts)} 条。",
        "# 请逐条核对原文（每条上方注明了原文行号）：改写问题和答案、补充说法、删除不需要的条目，",
        "# 把 TODO 改成实际内容，再移入对应的主题文件，最后运行 python -m bot faq check 检查。",
        f"category: {category}",
        "entries:",
    ]
    for d in drafts:
        entry = entry_fields(d, report_name)
        entry["keywords"], entry["source"] = Flow(entry["keywords"]), Flow(entry["source"])
        lines.append("")
        lines.append(f"  # [{_ORIGIN_LABELS[d.origin]}] 原文第{d.line}行：{_one_line(d.original)}")
        if d.date == TODO:
            lines.append("  # TODO: 原文没有完整日期，请填写 source.date（如 2021-05-08）")
        dumped = dump_yaml([entry])
        lines.extend("  " + line for line in dumped.splitlines())
    return "\n".join(lines) + "\n"


def entry_fields(d: Draft, report_name: str) -> dict:
    """The entry a draft proposes, as the FAQ files hold it."""
    return {
        "id": d.id, "question": d.question, "alternates": d.alternates[:5],
        "keywords": list(d.keywords or [d.name]), "answer": d.answer,
        "detail": d.detail,  # the line number stays in the comment: its digits are not in the report
        "source": {"report": report_name, "title": d.title or TODO, "date": _date(d.date)},
    }


def _date(value: str):
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return value


def _one_line(text: str, limit: int = 90) -> str:
    text = re.sub(r"\s+", " ", text)
    return text if len(text) <= limit else text[:limit] + "…"


def draft_report(report: str | Path, faq_dir: str | Path | None = None) -> tuple[str, list[Draft]]:
    """The YAML text of the drafts for `report`, ids and questions unique against `faq_dir`."""

    report = Path(report)
    entries = load_faq(faq_dir).entries if faq_dir is not None else []
    drafts = drafts_for(report.read_text(encoding="utf-8"), report.name, entries)
    return to_yaml(drafts, report.name), drafts


def drafts_for(text: str, report_name: str, entries) -> list[Draft]:
    """The drafts of a report's text, ids and questions unique against the existing `entries`."""
    drafts = find_drafts(text)
    assign_ids(drafts, report_name, {e.id for e in entries})
    dedupe_questions(drafts, {normalize(e.question) for e in entries})
    return drafts
