"""Drafts from a report uploaded in the console: the text read safely, the drafts of
`faq draft` with the report lines each came from, and a draft turned into an entry."""
from __future__ import annotations

import re
import time
from pathlib import PurePath

from bot.staff import workstore
from bot.staff.draft import drafts_for, entry_fields, paragraphs

MAX_REPORT_BYTES = 2_000_000
_REPORT_NAME = re.compile(r"^[\w\u4e00-\u9fff.\-（）()]{1,80}$")


def read_report(data: bytes) -> str:
    """An uploaded report as text: UTF-8 (with or without BOM), not empty, not too big."""
    if len(data) > MAX_REPORT_BYTES:
        raise ValueError(f"文件太大（{len(data) // 1024} KB）：最多 {MAX_REPORT_BYTES // 1_000_000} MB 的纯文本")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError("文件不是 UTF-8 编码的纯文本：请在记事本里“另存为”UTF-8 编码的 .txt 文件后再上传") from None
    if "\x00" in text:
        raise ValueError("文件不是纯文本（像是 Word 或 PDF）：请先另存为 .txt 再上传")
    if not text.strip():
        raise ValueError("报告是空的")
    return text


def report_name(name: str) -> str:
    """The report's file name as `source.report` cites it (no folders)."""
    name = PurePath((name or "").replace("\\", "/")).name.strip()
    if not name:
        raise ValueError("请填写报告文件名（例如 003_3035eeaa2abfbad2.txt），条目的出处会引用它")
    if not _REPORT_NAME.match(name):
        raise ValueError("报告文件名只能包含文字、字母、数字、点、连字符和下划线，最长 80 个字")
    return name


def source_lines(text: str) -> dict[int, list[tuple[int, str]]]:
    """For each paragraph's first line, the report lines it spans (numbered, blank lines left out)."""
    lines = text.splitlines()
    starts = [p.line for p in paragraphs(text)]
    spans = {}
    for i, start in enumerate(starts):
        end = starts[i + 1] - 1 if i + 1 < len(starts) else len(lines)
        spans[start] = [(n, lines[n - 1]) for n in range(start, end + 1) if lines[n - 1].strip()]
    return spans


def drafts_with_sources(text: str, name: str, entries) -> list[dict]:
    """Each draft (numbered from 0) with the entry it proposes and the report lines it came from."""
    spans = source_lines(text)
    out = []
    for number, d in enumerate(drafts_for(text, name, entries)):
        out.append({"number": number, "origin": d.origin, "notes": d.notes, "line": d.line,
                    "entry": entry_fields(d, name), "source_lines": spans.get(d.line, [(d.line, d.original)])})
    return out


# ---------------------------------------------------------------- uploads kept for the session of work

def save_upload(data_dir, name: str, text: str, staff: str) -> int:
    with workstore.opened(data_dir) as db:
        return db["draft_uploads"].insert({"ts": time.time(), "staff": staff, "name": name, "text": text}).last_pk


def upload(data_dir, upload_id: int) -> dict:
    with workstore.opened(data_dir) as db:
        rows = list(db["draft_uploads"].rows_where("id = ?", [upload_id]))
    if not rows:
        raise LookupError("找不到这份上传的报告：请重新上传")
    return rows[0]


def uploads(data_dir, limit: int = 10) -> list[dict]:
    with workstore.opened(data_dir) as db:
        return list(db["draft_uploads"].rows_where(order_by="ts desc", limit=limit, select="id, ts, staff, name"))


def record_submission(data_dir, upload_id: int, draft: int, staff: str, change: str) -> None:
    with workstore.opened(data_dir) as db:
        db["draft_submissions"].insert({"upload_id": upload_id, "draft": draft, "ts": time.time(), "staff": staff,
                                        "change": change})


def submitted(data_dir, upload_id: int) -> dict[int, str]:
    """draft number → the change it was submitted as."""
    with workstore.opened(data_dir) as db:
        return {r["draft"]: r["change"] for r in db["draft_submissions"].rows_where("upload_id = ?", [upload_id])}
