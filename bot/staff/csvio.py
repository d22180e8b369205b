"""The FAQ as one spreadsheet: export to CSV for Excel, import an edited CSV back to YAML.

Staff who do not edit YAML work in Excel. Excel needs UTF-8 *with BOM* to show Chinese, and
one row per entry, so lists are joined with " | " and `source` becomes three columns.
Import rewrites the topic files the CSV touches, but only after the result loads cleanly in a
scratch copy of the FAQ directory: a bad row changes nothing.
"""
from __future__ import annotations

import csv
import datetime as dt
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import jieba
from pypinyin import lazy_pinyin

from bot.content.faq import load_faq
from bot.content.model import Entry, Faq
from bot.content.yamlwrite import Flow, topic_yaml

LIST_SEPARATOR = " | "
COLUMNS = ["id", "category", "question", "alternates", "keywords", "answer", "detail", "link",
           "examples", "valid_until", "states", "source_report", "source_title", "source_date"]
LIST_COLUMNS = ("alternates", "keywords", "examples", "states")
REQUIRED_COLUMNS = ("id", "category", "question", "answer")
# YAML field order, as in the format spec.
YAML_ORDER = ("id", "question", "alternates", "keywords", "answer", "detail", "link", "examples",
              "valid_until", "states", "source")


# ---------------------------------------------------------------- export

def entry_row(entry: Entry) -> dict[str, str]:
    data = entry.to_dict()
    row = {c: data.get(c) or "" for c in COLUMNS if c in data}
    for column in LIST_COLUMNS:
        row[column] = LIST_SEPARATOR.join(data[column])
    for key in ("report", "title", "date"):
        row[f"source_{key}"] = entry.source.get(key, "")
    return row


def export_csv(faq: Faq, path: str | Path) -> int:
    """Write every entry to `path` (UTF-8 with BOM); returns the number of rows."""
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        for entry in faq.entries:
            writer.writerow(entry_row(entry))
    return len(faq.entries)


# ---------------------------------------------------------------- import

@dataclass
class ImportResult:
    errors: list[str] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)   # file name -> new YAML text
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def read_rows(path: str | Path) -> tuple[list[dict[str, str]], list[str]]:
    """The CSV's rows (each with its spreadsheet row number in "_row") and any errors."""
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's plain "CSV" saves in the system code page (GBK on Chinese Windows).
        text = raw.decode("gb18030", errors="replace")
    reader = csv.DictReader(text.splitlines(keepends=True))
    header = [h.strip() for h in reader.fieldnames or []]
    errors = [f"第1行（表头）：缺少列“{c}”" for c in REQUIRED_COLUMNS if c not in header]
    errors += [f"第1行（表头）：未知的列“{c}”（可用：{'、'.join(COLUMNS)}）" for c in header if c and c not in COLUMNS]
    rows = []
    for number, row in enumerate(reader, start=2):
        clean = {(k or "").strip(): (v or "").strip() for k, v in row.items() if k}
        if any(clean.values()):  # Excel leaves empty rows at the end
            clean["_row"] = number
            rows.append(clean)
    return rows, errors


def row_entry(row: dict) -> dict:
    """A CSV row as a YAML entry mapping, empty optional fields left out."""
    entry: dict = {}
    for key in YAML_ORDER:
        if key == "source":
            source = {k: row.get(f"source_{k}", "") for k in ("report", "title", "date")}
            source["date"] = _date_or_text(source["date"])
            entry["source"] = Flow(source)
        elif key in LIST_COLUMNS:
            items = [s.strip() for s in row.get(key, "").split("|") if s.strip()]
            if items:
                entry[key] = Flow(items) if key == "keywords" else items
        elif key == "detail" and "\n" in row.get(key, ""):
            entry[key] = row[key] + "\n"  # a literal block "|", as staff write it
        elif row.get(key):
            entry[key] = row[key]
    return entry


def _date_or_text(value: str):
    """An ISO date is written unquoted (date: 2024-12-25), anything else as typed."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return value


def import_csv(path: str | Path, faq_dir: str | Path, dry_run: bool = False) -> ImportResult:
    """Turn the CSV into topic files; write them only if the whole FAQ then loads without errors."""
    faq_dir = Path(faq_dir)
    result = ImportResult()
    rows, result.errors = read_rows(path)
    result.rows = len(rows)
    if result.errors:
        return result
    current = load_faq(faq_dir)
    placed = _place_rows(rows, current)
    for name, file_rows in placed.items():
        result.files[name] = topic_yaml(file_rows[0]["category"], [row_entry(r) for r in file_rows])
    result.errors = _validate(faq_dir, placed, result.files)
    if result.errors:
        return result
    _summarise(result, rows, current, placed)
    result.files = {name: text for name, text in result.files.items()
                    if _file_changed(name, placed[name], current)}
    if not dry_run:
        for name, text in result.files.items():
            _write_atomic(faq_dir / name, text)
    return result


def _place_rows(rows: list[dict], current: Faq) -> dict[str, list[dict]]:
    """Which topic file each row goes to: its entry's file if the category is unchanged, else the
    category's existing file, else a new file named by the category's pinyin."""
    by_id = current.by_id()
    category_file: dict[str, str] = {}
    for entry in current.entries:
        category_file.setdefault(entry.category, entry.file)
    placed: dict[str, list[dict]] = {}
    for row in rows:
        old = by_id.get(row.get("id", ""))
        if old is not None and old.category == row["category"]:
            name = old.file
        else:
            name = category_file.setdefault(row["category"], _slug_file(row["category"], category_file.values()))
        placed.setdefault(name, []).append(row)
    return placed


def _slug_file(category: str, taken) -> str:
    # House style: a word's syllables together, words apart (民生实事 → minsheng_shishi).
    words = ("".join(p for p in lazy_pinyin(w) if p.isascii() and p.isalnum()) for w in jieba.cut(category))
    slug = "_".join(w for w in words if w).lower() or "topic"
    name, n = f"{slug}.yaml", 2
    while name in set(taken):
        name, n = f"{slug}_{n}.yaml", n + 1
    return name


def _validate(faq_dir: Path, placed: dict[str, list[dict]], files: dict[str, str]) -> list[str]:
    """Load the FAQ as it would be after import, in a scratch copy; map problems to CSV rows."""
    with tempfile.TemporaryDirectory(prefix="faq-import-") as scratch:
        scratch_dir = Path(scratch) / "faq"
        shutil.copytree(faq_dir, scratch_dir) if faq_dir.is_dir() else scratch_dir.mkdir()
        for name, text in files.items():
            (scratch_dir / name).write_text(text, encoding="utf-8")
        problems = load_faq(scratch_dir).errors
    errors = []
    for problem in problems:
        row = _row_of(problem, placed, files)
        where = f"第{row}行" if row else f"{problem.file}" + (f" 第{problem.line}行" if problem.line else "")
        who = f" [{problem.entry_id}]" if problem.entry_id else ""
        errors.append(f"{where}{who}：{problem.message}")
    return errors


def _row_of(problem, placed: dict[str, list[dict]], files: dict[str, str]) -> int | None:
    """The CSV row of the entry a problem points into (entries start with "  - " in our YAML)."""
    if problem.file not in files or not problem.line:
        return None
    starts = [n for n, line in enumerate(files[problem.file].splitlines(), start=1) if line.startswith("  - ")]
    before = [i for i, start in enumerate(starts) if start <= problem.line]
    return placed[problem.file][before[-1]]["_row"] if before else None


def _summarise(result: ImportResult, rows: list[dict], current: Faq, placed: dict[str, list[dict]]) -> None:
    old = {e.id: entry_row(e) for e in current.entries}
    new_ids = {r["id"] for r in rows}
    for row in rows:
        before = old.get(row["id"])
        if before is None:
            result.added.append(row["id"])
        elif any(before.get(c, "") != _canonical(row, c) for c in COLUMNS):
            result.changed.append(row["id"])
    rewritten = set(placed)
    result.removed = [e.id for e in current.entries if e.file in rewritten and e.id not in new_ids]


def _file_changed(name: str, rows: list[dict], current: Faq) -> bool:
    """Unchanged topic files are not rewritten, so their comments and layout survive."""
    before = [entry_row(e) for e in current.entries if e.file == name]
    after = [{c: _canonical(r, c) for c in COLUMNS} for r in rows]
    return [{c: b.get(c, "") for c in COLUMNS} for b in before] != after


def _canonical(row: dict, column: str) -> str:
    if column in LIST_COLUMNS:
        return LIST_SEPARATOR.join(s.strip() for s in row.get(column, "").split("|") if s.strip())
    return row.get(column, "")


def _write_atomic(path: Path, text: str) -> None:
    # A running server polls these files every 2 s: it must never read a half-written one.
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
