"""表格导入导出 /console/csv: the FAQ as one CSV for Excel (what `python -m bot faq export --csv`
writes, bot/staff/csvio.py) and an edited CSV imported back (`faq import`).

Design: a whole-file import rewrites topic files at once (entries added, changed, moved between
categories, removed), which bot.staff.changes cannot express as one reviewable change. So
importing is for 审核 and 管理员 only (the people who publish anyway), in two steps: the upload
is checked first (`import_csv(..., dry_run=True)`: every problem in Chinese with its row, or
what would change), and only a checked upload can be imported. The import checks again, writes
only if the whole FAQ then loads, and reloads this worker (the others at their next poll). It
is not an entry of 修改历史 (changes.py keeps one entry per change); the server log records who
imported what. Everyone signed in may download."""
from __future__ import annotations

import logging
import re
import secrets
import tempfile
from pathlib import Path

from flask import Response, abort, flash, redirect, request, url_for

from bot.staff import csvio
from handlers.console import bp
from handlers.console.auth import current_staff, login_required
from handlers.console.common import engine, faq_on_disk, render, settings

log = logging.getLogger("bot.staff")
MAX_CSV_BYTES = 5 * 1000 * 1000
UPLOAD_BODY_BYTES = MAX_CSV_BYTES + 64 * 1024
UPLOADS = "csv_imports"
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


@bp.url_value_preprocessor
def _larger_body_for_csv(endpoint, values):
    """Before the CSRF check reads the form: a CSV may be larger than a webhook push."""
    if endpoint == "console.csv_check":
        request.max_content_length = UPLOAD_BODY_BYTES
        request.max_form_memory_size = UPLOAD_BODY_BYTES


def _upload_path(token: str) -> Path:
    if not _TOKEN.match(token or ""):
        abort(404, "没有这个上传的表格，请重新上传")
    path = Path(settings().data_dir) / UPLOADS / f"{token}.csv"
    if not path.is_file():
        abort(404, "没有这个上传的表格（可能已经导入），请重新上传")
    return path


def _save_upload(data: bytes) -> str:
    folder = Path(settings().data_dir) / UPLOADS
    folder.mkdir(mode=0o700, exist_ok=True)
    token = secrets.token_hex(16)
    (folder / f"{token}.csv").write_bytes(data)
    return token


@bp.get("/csv")
@login_required()
def csv_page():
    return render("console/csv.html", title="表格导入导出", entries=len(faq_on_disk().entries),
                  max_mb=MAX_CSV_BYTES // 1000 // 1000, result=None)


@bp.get("/csv/faq.csv")
@login_required()
def csv_export():
    with tempfile.TemporaryDirectory(prefix="faq-export-") as folder:
        path = Path(folder) / "faq.csv"
        csvio.export_csv(faq_on_disk(), path)
        data = path.read_bytes()
    return Response(data, mimetype="text/csv", headers={"Content-Disposition": "attachment; filename=faq.csv"})


def _uploaded_bytes() -> bytes | None:
    file = request.files.get("csv")
    if file is None or not file.filename:
        flash("请选择要导入的 CSV 文件", "error")
        return None
    data = file.read(MAX_CSV_BYTES + 1)
    if len(data) > MAX_CSV_BYTES:
        flash(f"文件太大：最大 {MAX_CSV_BYTES // 1000 // 1000} MB", "error")
        return None
    return data


@bp.post("/csv/check")
@login_required("reviewer")
def csv_check():
    data = _uploaded_bytes()
    if data is None:
        return redirect(url_for("console.csv_page"))
    token = _save_upload(data)
    result = csvio.import_csv(_upload_path(token), settings().faq_dir, dry_run=True)
    importable = result.ok and bool(result.files)
    if not importable:  # nothing to import: the upload is not kept
        _upload_path(token).unlink()
    return render("console/csv.html", title="表格导入导出", entries=len(faq_on_disk().entries),
                  max_mb=MAX_CSV_BYTES // 1000 // 1000, result=result, token=token if importable else "",
                  filename=request.files["csv"].filename), 200 if result.ok else 422


@bp.post("/csv/import")
@login_required("reviewer")
def csv_import():
    path = _upload_path(request.form.get("token", ""))
    result = csvio.import_csv(path, settings().faq_dir)
    path.unlink()
    if not result.ok:  # the FAQ changed since the check
        flash("导入失败，FAQ 文件没有任何改动：" + "；".join(result.errors), "error")
        return redirect(url_for("console.csv_page"))
    engine().reload()
    log.info("CSV 导入：%s 新增 %s 修改 %s 删除 %s", current_staff().name, result.added, result.changed, result.removed)
    flash(f"已导入：共 {result.rows} 行；新增 {len(result.added)} 条，修改 {len(result.changed)} 条，"
          f"删除 {len(result.removed)} 条；改写文件：{'、'.join(result.files) or '无'}", "ok")
    return redirect(url_for("console.csv_page"))
