"""Editing one entry of a topic file the way staff would by hand: the ruamel.yaml round trip
keeps every comment, blank line and quoting of the entries not touched (and of the untouched
fields of the one edited), and the result is checked as `faq check` checks it before it is
written (atomically: a temp file renamed over the old one).

Values of an entry ("values"): its fields as written to YAML, plain Python — strings, lists
of strings, `source` {report, title, date}, dates as "2024-12-25". Only fields with a value.
"""
from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import io
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

from bot.content import checks
from bot.content.entries import FIELDS, read_fields
from bot.content.faq import SPECIAL_FILES, USER_DICT, load_faq
from bot.content.model import Entry, Faq, Problem
from bot.content.yamlread import as_date
from bot.content.yamlwrite import dump_yaml

# The order fields are written in, as the house style has them (faq_data/*.yaml).
ORDER = ("id", "question", "alternates", "keywords", "answer", "detail", "link", "examples", "states",
         "valid_until", "source")
LIST_FIELDS = ("alternates", "keywords", "examples", "states")
FLOW_LISTS = ("keywords", "states")  # short lists on one line; alternates and examples one per line
TOPIC_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*\.yaml$")
SOURCE_KEYS = ("report", "title", "date")

# A finding: (the field it is about or None, the message, "error" or "warning").
Finding = tuple[str | None, str, str]


class EditError(ValueError):
    """An edit that cannot be applied to the file as it is (gone entry, unreadable file …)."""


def _yaml() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 100_000  # never wrap a long answer
    yaml.indent(mapping=2, sequence=4, offset=2)  # "entries:\n  - id: …", as staff write it
    return yaml


# ---------------------------------------------------------------- reading

def topic_files(faq_dir: Path) -> list[str]:
    return sorted(p.name for p in Path(faq_dir).glob("*.yaml") if p.name not in SPECIAL_FILES)


def load_doc(text: str):
    try:
        doc = _yaml().load(text)
    except Exception as exc:  # ruamel raises many kinds; the file is then not editable here
        raise EditError(f"文件不是有效的YAML，请先在服务器上修正（faq check 会给出行号）：{str(exc)[:200]}") from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("entries"), list):
        raise EditError("文件应以“category: 分类名”和“entries:”开头")
    return doc


def read_text(faq_dir: Path, file: str) -> str:
    path = Path(faq_dir) / file
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def plain(value):
    """A YAML value as plain Python (ruamel's types and dates to str/list/dict/ISO date)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    if isinstance(value, str):
        return str(value)
    return value


def find(doc, entry_id: str) -> tuple[int, CommentedMap] | None:
    for i, raw in enumerate(doc["entries"]):
        if isinstance(raw, dict) and str(raw.get("id") or "").strip() == entry_id:
            return i, raw
    return None


def entry_values(faq_dir: Path, file: str, entry_id: str) -> dict | None:
    """The entry's values as the file has them now, or None."""
    text = read_text(faq_dir, file)
    found = find(load_doc(text), entry_id) if text else None
    return plain(found[1]) if found else None


def digest(values: dict | None) -> str:
    """What an edit form carries of the entry as it loaded it: a save finding another digest
    in the file is refused (someone changed the entry meanwhile)."""
    if values is None:
        return ""
    return hashlib.sha256(json.dumps(values, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:16]


def entry_yaml(values: dict | None) -> str:
    return dump_yaml(values).rstrip("\n") if values else ""


# ---------------------------------------------------------------- changing

def _yaml_value(name: str, value, old=None):
    """`value` as it is written: dates unquoted, multi-line text as a block, lists styled."""
    if name in LIST_FIELDS:
        seq = CommentedSeq(list(value))
        flow = old.fa.flow_style() if isinstance(old, CommentedSeq) else name in FLOW_LISTS
        if flow:
            seq.fa.set_flow_style()
        else:
            seq.fa.set_block_style()
        return seq
    if name == "source" and isinstance(value, dict):
        source = CommentedMap()
        for key, item in value.items():
            source[key] = as_date(item) if key == "date" and as_date(item) else item
        source.fa.set_flow_style()
        return source
    if name == "valid_until" and as_date(value):
        return as_date(value)
    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value.rstrip("\n") + "\n")
    return value


def _update(raw: CommentedMap, values: dict) -> None:
    """Change only the fields whose value differs; remove the entry's fields left empty."""
    known = {f.name for f in FIELDS}
    for key in [k for k in raw if k in known and k not in values]:
        del raw[key]
    for name in [n for n in ORDER if n in values] + [n for n in values if n not in ORDER]:
        value = values[name]
        if name in raw and plain(raw[name]) == value:
            continue
        new = _yaml_value(name, value, raw.get(name))
        if name in raw:
            raw[name] = new
        else:
            position = sum(1 for k in raw if k in ORDER and ORDER.index(k) < ORDER.index(name)) \
                if name in ORDER else len(raw)
            raw.insert(position, name, new)


def _new_map(values: dict) -> CommentedMap:
    raw = CommentedMap()
    _update(raw, values)
    return raw


def apply(text: str, op: str, entry_id: str | None, values: dict | None, category: str = "") -> str:
    """The file's text after the change. `text` "" with op "new": a new topic file of `category`."""
    if not text:
        if op != "new":
            raise EditError("文件不存在")
        doc = CommentedMap([("category", category), ("entries", CommentedSeq())])
    else:
        doc = load_doc(text)
    entries = doc["entries"]
    if op == "new":
        if values is None:
            raise EditError("新条目没有内容")
        entries.append(_new_map(values))
    else:
        found = find(doc, entry_id or "")
        if found is None:
            raise EditError(f"条目“{entry_id}”已不在文件中（可能已被他人删除或改了id）")
        if op == "delete":
            del entries[found[0]]
        else:
            _update(found[1], values or {})
    out = io.StringIO()
    _yaml().dump(doc, out)
    result = out.getvalue()
    if op == "new" and "\n\n  - " in text:  # entries separated by a blank line: the new one too
        new_id = re.escape(str(values.get("id", "")))
        result = re.sub(rf"(?<!\n\n)(?<=\n)(  - id: {new_id}\n)", r"\n\1", result, count=1)
    return result


def category_of(text: str) -> str:
    try:
        return str(load_doc(text).get("category") or "").strip() if text else ""
    except EditError:
        return ""


def file_diff(old: str, new: str, file: str) -> str:
    return "".join(difflib.unified_diff(old.splitlines(True), new.splitlines(True), f"a/{file}", f"b/{file}"))


# ---------------------------------------------------------------- checking, as `faq check` does

@dataclass
class Checked:
    errors: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)


_FIELD_OF = [(re.compile(r"^(?:字段“)?(id|question|answer|detail|link|alternates|keywords|examples|states|"
                         r"valid_until)\b"), None),
             (re.compile(r"^source"), "source"), (re.compile(r"^引用的报告文件"), "source"),
             (re.compile(r"^问题与"), "question"), (re.compile(r"^id 重复"), "id"),
             (re.compile(r"^(?:已于|将于).*过期"), "valid_until"), (re.compile(r"^只有\d+个 alternates"), "alternates")]


def field_of(message: str) -> str | None:
    """Which field of the form a `faq check` message is about."""
    for pattern, name in _FIELD_OF:
        match = pattern.match(message)
        if match:
            return name or match.group(1)
    return None


def _load_with(faq_dir: Path, file: str, text: str) -> Faq:
    """The whole FAQ as it would be with `file` replaced by `text` (the others linked, not copied)."""
    with tempfile.TemporaryDirectory(prefix="console-check-") as tmp:
        for path in Path(faq_dir).iterdir():
            if path.name != file and path.is_file() and (path.suffix in (".yaml", ".yml") or path.name == USER_DICT):
                os.symlink(path.resolve(), Path(tmp) / path.name)
        if text:
            (Path(tmp) / file).write_text(text, encoding="utf-8")
        return load_faq(tmp)


def _key(p: Problem) -> tuple:
    return p.file, p.entry_id, re.sub(r"第\d+行", "", p.message)


def check(faq_dir: Path, file: str, new_text: str, entry_id: str | None, values: dict | None,
          reports_dir: Path | None, today: dt.date | None = None) -> Checked:
    """What `faq check` would say of the change: the entry's own fields (each with its field),
    the errors the new file brings into the FAQ (duplicates …), and with REPORTS_DIR every number
    of the answer and detail against the cited report. Warnings: soft limits and expiry."""
    result = Checked()
    if values is not None:
        _, findings = read_fields(values)
        for message, key, level in findings:
            (result.errors if level == "error" else result.warnings).append((key, message, level))
    seen = {m for _, m, _ in result.errors + result.warnings}
    before = {_key(p) for p in _load_with(faq_dir, file, read_text(faq_dir, file)).errors}
    after = _load_with(faq_dir, file, new_text)
    for problem in after.errors:
        if _key(problem) not in before and problem.message not in seen:
            # another entry's problem caused by this one (a duplicate question) says which entry
            text = problem.message if problem.entry_id == entry_id else str(problem).removeprefix("错误：")
            result.errors.append((field_of(problem.message), text, "error"))
    entry = next((e for e in after.entries if e.id == entry_id and e.file == file), None)
    if entry is not None:
        _entry_checks(after, entry, reports_dir, today, result)
    return result


def _entry_checks(faq: Faq, entry: Entry, reports_dir: Path | None, today, result: Checked) -> None:
    only = Faq(directory=faq.directory, entries=[entry])
    if reports_dir is not None:
        problems = checks.check_sources(only, Path(reports_dir), cited_from=faq.entries)
        result.errors += [(field_of(p.message), p.message, "error") for p in problems if p.level == "error"]
    for problem in checks.check_expiry(only, today) + checks.check_alternates(only):
        result.warnings.append((field_of(problem.message), problem.message, "warning"))


# ---------------------------------------------------------------- writing

def write_atomic(path: Path, text: str) -> None:
    """Readers (the reload poll, `faq check`) see the old file or the new one, never half of it."""
    path = Path(path)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
