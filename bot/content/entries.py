"""Topic files (`*.yaml` with `category` and `entries`): each entry is read field by field, one
row of FIELDS per field, so that adding a field means adding a row (and the Entry attribute)."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.content.model import ASK_LABELS, Entry, Problem
from bot.content.yamlread import as_date, line_of, str_list
from bot.language.asks import ALL_ASKS

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LINK_PATTERN = re.compile(r"^https?://\S+$")
SOURCE_FIELDS = ("report", "title", "date")
TOPIC_FIELDS = {"category", "entries"}
# The reply (answer + source line + link) must stay under 2000 UTF-8 bytes.
ANSWER_MAX_BYTES = 1200
ANSWER_SOFT_CHARS = 200


class Invalid(ValueError):
    """A field's value cannot be read as written. `value` is what the entry's later checks see
    instead; `messages` say why, when the field's row does not say it already."""

    def __init__(self, value: Any, *messages: str):
        super().__init__(*messages)
        self.value = value
        self.messages = messages


# ---------------------------------------------------------------- how each kind of value is read

def _identifier(value) -> str:
    entry_id = str(value or "").strip()
    if entry_id and not ID_PATTERN.match(entry_id):
        raise Invalid(entry_id)
    return entry_id


def _text(value) -> str:
    text = str(value or "").strip()
    if value is not None and not isinstance(value, (str, int, float)):
        raise Invalid(text)
    return text


def _words(value) -> list[str]:
    words = str_list(value)
    if words is None:
        raise Invalid([])
    return words


def _states(value) -> list[str]:
    states = _words(value)
    unknown = [s for s in states if s not in ALL_ASKS]
    if unknown:
        choices = "、".join(f"{k}（{v}）" for k, v in ASK_LABELS.items())
        raise Invalid(states, f"states 中的“{'、'.join(unknown)}”不是可用的值（可用：{choices}）")
    return states


def _source(value) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise Invalid({})
    messages = [f"source 缺少“{key}”" for key in SOURCE_FIELDS if not str(value.get(key) or "").strip()]
    messages += [f"source 中的未知字段“{key}”" for key in value if key not in SOURCE_FIELDS]
    date = as_date(value.get("date"))
    if value.get("date") is not None and date is None:
        messages.append("source.date 应为日期，如 2024-12-25")
    if messages:
        raise Invalid(value, *messages)
    return {k: date.isoformat() if k == "date" else str(v).strip() for k, v in value.items()}


def _date(value):
    if value is None:
        return None
    date = as_date(value)
    if date is None:
        raise Invalid(None)
    return date


# ---------------------------------------------------------------- the fields of an entry

@dataclass(frozen=True)
class Field:
    name: str
    read: Callable[[Any], Any]  # the value as Entry holds it; raises Invalid when it cannot be read
    message: str                # what staff are told then, unless Invalid says more
    required: bool = False


# In the order staff are told about problems.
FIELDS = (
    Field("id", _identifier, "id 只能使用小写字母、数字和连字符（如 ms2025-elderly-canteen）", required=True),
    Field("question", _text, "字段“question”应为一段文字", required=True),
    Field("answer", _text, "字段“answer”应为一段文字", required=True),
    Field("detail", _text, "字段“detail”应为一段文字"),
    Field("link", _text, "字段“link”应为一段文字"),
    Field("alternates", _words, "字段“alternates”应为文字列表，如 [说法一, 说法二]"),
    Field("keywords", _words, "字段“keywords”应为文字列表，如 [说法一, 说法二]"),
    Field("examples", _words, "字段“examples”应为文字列表，如 [说法一, 说法二]"),
    Field("states", _states, "字段“states”应为文字列表，如 [说法一, 说法二]"),
    Field("source", _source, "source 应写成 {report: 报告文件名, title: 标题, date: 日期}", required=True),
    Field("valid_until", _date, "valid_until 应为日期，如 2025-12-31"),
)
ENTRY_FIELDS = {f.name for f in FIELDS}

# A problem found in an entry: (message, the key it is about or None, "error" or "warning").
Finding = tuple[str, str | None, str]


# ---------------------------------------------------------------- checks once every field is read

def _link_is_url(values: dict) -> Finding | None:
    if values["link"] and not LINK_PATTERN.match(values["link"]):
        return "link 应为以 http:// 或 https:// 开头的网址", "link", "error"
    return None


def _answer_fits(values: dict) -> Finding | None:
    answer = values["answer"]
    size = len(answer.encode("utf-8"))
    if size > ANSWER_MAX_BYTES:
        return f"answer 过长（{size}字节，上限{ANSWER_MAX_BYTES}字节）；请把补充内容移到 detail", "answer", "error"
    if len(answer) > ANSWER_SOFT_CHARS:
        return f"answer 有{len(answer)}个字，建议不超过{ANSWER_SOFT_CHARS}字", "answer", "warning"
    return None


RULES = (_link_is_url, _answer_fits)


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_fields(raw: dict) -> tuple[dict[str, Any], list[Finding]]:
    """Each field of FIELDS as Entry holds it, and what is wrong with the entry."""
    findings: list[Finding] = [(f"未知字段“{key}”（可用字段：{'、'.join(sorted(ENTRY_FIELDS))}）", key, "error")
                               for key in raw if key not in ENTRY_FIELDS]
    findings += [(f"缺少必填字段“{f.name}”或内容为空", f.name if f.name in raw else None, "error")
                 for f in FIELDS if f.required and _is_blank(raw.get(f.name))]
    values = {}
    for f in FIELDS:
        try:
            values[f.name] = f.read(raw.get(f.name))
        except Invalid as bad:
            values[f.name] = bad.value
            findings += [(message, f.name, "error") for message in bad.messages or (f.message,)]
    findings += [found for rule in RULES if (found := rule(values))]
    return values, findings


def parse_entry(raw, file: str, category: str, problems: list[Problem], shared: dict) -> Entry | None:
    """The entry, or None when it has an error (recorded in `problems`, as are warnings).
    `shared` holds the values entries of one file share: one copy of each source and keyword."""
    if not isinstance(raw, dict):
        problems.append(Problem(file, line_of(raw), "每个条目必须是“字段: 内容”的形式（以“- id: …”开头）"))
        return None
    entry_id = str(raw.get("id") or "").strip() or None
    values, findings = read_fields(raw)
    problems.extend(Problem(file, line_of(raw, key), message, entry_id, level) for message, key, level in findings)
    if any(level == "error" for _, _, level in findings):
        return None
    # Entries of a file mostly cite the same report and share keywords: one copy of each.
    source = shared.setdefault(tuple(values["source"].items()), values["source"])
    keywords = [shared.setdefault(k, k) for k in values["keywords"]]
    return Entry(**values | {"id": entry_id, "source": source, "keywords": keywords},
                 category=category, file=file, line=line_of(raw) or 0)


def load_topic(path: Path, data, problems: list[Problem]) -> list[Entry]:
    """The entries of a topic file's parsed document."""
    file = path.name
    if data is None:
        problems.append(Problem(file, None, "文件为空", level="warning"))
        return []
    if not isinstance(data, dict):
        problems.append(Problem(file, 1, "文件应以“category: 分类名”和“entries:”开头"))
        return []
    for key in data:
        if key not in TOPIC_FIELDS:
            problems.append(Problem(file, line_of(data, key), f"未知的顶层字段“{key}”（应为 category 和 entries）"))
    category = str(data.get("category") or "").strip()
    if not category:
        problems.append(Problem(file, line_of(data, "category"), "缺少“category”（分类名）"))
    raw_entries = data.get("entries")
    if not isinstance(raw_entries, list):
        problems.append(Problem(file, line_of(data, "entries"), "缺少“entries”条目列表"))
        return []
    shared: dict = {}
    entries = [parse_entry(raw, file, category, problems, shared) for raw in raw_entries]
    return [e for e in entries if e is not None]
