"""从报告起草 /console/drafts: upload a report (UTF-8 .txt, or paste its text), get the drafts of
`faq draft` beside the report lines they came from, edit each and submit it for review
(bot.staff.changes.new_entry: an 审核 publishes it)."""
from __future__ import annotations

from pathlib import Path

from flask import abort, flash, redirect, request, url_for

from bot.staff import changes, drafting
from handlers.console import bp
from handlers.console.auth import current_staff, login_required
from handlers.console.common import faq_on_disk, published, render, settings
from handlers.console.entries import form_values
from handlers.console.worktools import flash_refused

# The upload's body may exceed the app's limit for webhook pushes (64 KB), up to a report's size.
UPLOAD_BODY_BYTES = drafting.MAX_REPORT_BYTES + 64 * 1024


@bp.url_value_preprocessor
def _larger_body_for_uploads(endpoint, values):
    """Before the CSRF check reads the form: a report upload may be larger than a push."""
    if endpoint == "console.drafts_upload":
        request.max_content_length = UPLOAD_BODY_BYTES
        request.max_form_memory_size = UPLOAD_BODY_BYTES


def _categories() -> dict[str, str]:
    """category → its topic file, for the categories the signed-in account may add to."""
    files: dict[str, str] = {}
    for e in faq_on_disk().entries:
        files.setdefault(e.category, e.file)
    return {c: f for c, f in sorted(files.items()) if current_staff().may_edit(c)}


@bp.get("/drafts")
@login_required()
def drafts():
    return render("console/drafts.html", title="从报告起草", uploads=drafting.uploads(settings().data_dir),
                  max_kb=drafting.MAX_REPORT_BYTES // 1000, upload=None)


@bp.post("/drafts")
@login_required()
def drafts_upload():
    file = request.files.get("report")
    try:
        if file is not None and file.filename:
            name, text = drafting.report_name(file.filename), drafting.read_report(file.read())
        else:
            name = drafting.report_name(request.form.get("name", ""))
            text = drafting.read_report(request.form.get("text", "").encode("utf-8"))
    except ValueError as error:
        flash(str(error), "error")
        return redirect(url_for("console.drafts"))
    upload_id = drafting.save_upload(settings().data_dir, name, text, current_staff().name)
    return redirect(url_for("console.draft_list", upload_id=upload_id))


def _upload(upload_id: int) -> dict:
    try:
        return drafting.upload(settings().data_dir, upload_id)
    except LookupError as error:
        abort(404, str(error))


def _page(upload: dict, edited: dict | None = None, problems: dict | None = None, status: int = 200):
    items = drafting.drafts_with_sources(upload["text"], upload["name"], faq_on_disk().entries)
    reports_dir = settings().reports_dir
    missing = reports_dir is not None and not (Path(reports_dir) / upload["name"]).is_file()
    return render("console/drafts.html", title="从报告起草", upload=upload, items=items, not_in_reports=missing,
                  done=drafting.submitted(settings().data_dir, upload["id"]), categories=_categories(),
                  edited=edited or {}, problems=problems or {}, origins=ORIGINS), status


ORIGINS = {"term": "名词解释", "item": "列举项", "figure": "含数字的句子"}


@bp.get("/drafts/<int:upload_id>")
@login_required()
def draft_list(upload_id: int):
    return _page(_upload(upload_id))


@bp.post("/drafts/<int:upload_id>/<int:number>")
@login_required()
def draft_submit(upload_id: int, number: int):
    upload = _upload(upload_id)
    category = request.form.get("category", "")
    files = _categories()
    if category not in files:
        abort(403, f"分类“{category}”不在您负责的分类中")
    values = form_values(request.form)  # the fields of the entry form, read the one way
    try:
        change = published(changes.new_entry(settings(), files[category], values, current_staff()))
    except changes.ChangeRefused as refused:
        flash_refused(refused)
        return _page(upload, {number: request.form}, {number: refused.problems}, 400)
    drafting.record_submission(settings().data_dir, upload_id, number, current_staff().name, str(change.id))
    what = "已发布" if change.status == "published" else "已提交审核（审核通过后才对市民生效）"
    flash(f"{what}：新条目 {change.entry_id}（{category}）", "ok")
    return redirect(url_for("console.draft_list", upload_id=upload_id) + f"#d{number}")
