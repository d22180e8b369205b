"""The entry list (search by words as the matcher understands them, filters) and the edit
form of every field, with the `faq check` messages inline; saving goes through
bot.staff.changes (an 编辑's save waits for review unless direct publish is on).

    GET  /console/entries                 list: q, category, report, expiry, no_examples
    GET  /console/entries/<id>            the edit form (read only outside an 编辑's categories)
    POST /console/entries/<id>            save
    POST /console/entries/<id>/delete     delete the entry
    GET  /console/entries/new?file=…      a new entry; POST saves it
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from flask import abort, redirect, request, url_for

from bot.answer import matcher
from bot.content.checks import EXPIRY_WARNING_DAYS
from bot.content.model import ASK_LABELS
from bot.staff import changes, editing
from handlers.console import bp
from handlers.console.auth import current_staff, login_required
from handlers.console.common import engine, faq_on_disk, render, settings, submit

SEARCH_LIMIT = 200
LIST_LIMIT = 500  # rows one page shows: narrow a large FAQ down with the search and filters
EXPIRY_FILTERS = {"": "全部", "expired": "已过期", "soon": f"{EXPIRY_WARNING_DAYS}天内过期", "dated": "设有有效期",
                  "undated": "未设有效期"}
_SPLIT_WORDS = re.compile(r"[\n,，、;；]+")


# ---------------------------------------------------------------- the list

def search_ids(q: str) -> list[str]:
    """Entry ids for the words of `q`, best first, as the bot's retrieval finds them (the
    index's segmenter, synonyms and sounds), and any whose id contains `q`."""
    index = engine().index
    found = [record.faq_id for record, _ in matcher.retrieve(index, matcher.understand(index, q), limit=SEARCH_LIMIT)]
    return list(dict.fromkeys(found))


def _expiry_state(entry, today: dt.date) -> str:
    if entry.valid_until is None:
        return "undated"
    if entry.valid_until < today:
        return "expired"
    return "soon" if (entry.valid_until - today).days <= EXPIRY_WARNING_DAYS else "dated"


def _filtered(entries, args, today: dt.date):
    category, report, expiry = args.get("category", ""), args.get("report", ""), args.get("expiry", "")
    for entry in entries:
        state = _expiry_state(entry, today)
        if category and entry.category != category or report and entry.source.get("report") != report:
            continue
        if expiry and not (state == expiry or (expiry == "dated" and state in ("soon", "expired"))):
            continue
        if args.get("no_examples") and entry.examples:
            continue
        yield entry, state


@bp.get("/entries")
@login_required()
def entries():
    faq, today, q = faq_on_disk(), dt.date.today(), request.args.get("q", "").strip()
    listed = faq.entries
    if q:
        by_id = faq.by_id()
        ids = [i for i in by_id if q.lower() in i] + search_ids(q)
        listed = [by_id[i] for i in dict.fromkeys(ids) if i in by_id]
    rows = list(_filtered(listed, request.args, today))
    pending = {c.old_entry_id or c.entry_id for c in changes.pending(settings())}
    return render("console/entries.html", title="条目", rows=rows[:LIST_LIMIT], matched=len(rows), q=q,
                  args=request.args, limit=LIST_LIMIT,
                  categories=sorted({e.category for e in faq.entries}),
                  reports=sorted({e.source.get("report", "") for e in faq.entries} - {""}),
                  expiry_filters=EXPIRY_FILTERS, pending=pending, total=len(faq.entries),
                  broken=[p for p in faq.errors if p.entry_id], files=editing.topic_files(settings().faq_dir))


# ---------------------------------------------------------------- the form

def form_values(form) -> dict:
    """The entry's values from the edit form, as they are written to YAML (empty ones left out)."""
    def lines(name):
        return [line.strip() for line in form.get(name, "").splitlines() if line.strip()]

    values = {
        "id": form.get("id", "").strip(), "question": form.get("question", "").strip(),
        "alternates": lines("alternates"),
        "keywords": [w.strip() for w in _SPLIT_WORDS.split(form.get("keywords", "")) if w.strip()],
        "answer": form.get("answer", "").strip().replace("\r\n", "\n"),
        "detail": form.get("detail", "").strip().replace("\r\n", "\n"),
        "link": form.get("link", "").strip(), "examples": lines("examples"),
        "states": form.getlist("states"), "valid_until": form.get("valid_until", "").strip(),
        "source": {k: form.get(f"source_{k}", "").strip() for k in editing.SOURCE_KEYS},
    }
    if not any(values["source"].values()):
        values["source"] = {}
    return {k: v for k, v in values.items() if v not in ("", [], {})}


def _reports() -> list[str]:
    reports_dir = settings().reports_dir
    if reports_dir is None or not Path(reports_dir).is_dir():
        return []
    return sorted(p.name for p in Path(reports_dir).iterdir() if p.is_file())


def _form_page(values: dict, *, file: str, entry_id: str | None, base: str, errors=(), warnings=(),
               message: str = "", conflict: str = "", status: int = 200):
    account = current_staff()
    category = editing.category_of(editing.read_text(settings().faq_dir, file))
    by_field: dict[str, list[str]] = {}
    for name, text, _ in errors:
        by_field.setdefault(name or "", []).append(text)
    warn_field: dict[str, list[str]] = {}
    for name, text, _ in warnings:
        warn_field.setdefault(name or "", []).append(text)
    files = [f for f in editing.topic_files(settings().faq_dir)
             if account.may_edit(editing.category_of(editing.read_text(settings().faq_dir, f)))]
    history = changes.history(settings(), entry_id) if entry_id else []
    return render("console/edit.html", title=f"编辑 {entry_id}" if entry_id else "新增条目", v=values,
                  file=file, category=category, entry_id=entry_id, base=base, errors=list(errors),
                  by_field=by_field, warn_field=warn_field, message=message, conflict=conflict,
                  may_edit=account.may_edit(category), files=files, reports=_reports(), asks=ASK_LABELS,
                  history=history, direct=account.may_publish or settings().console_direct_publish), status


def _file_or_404(entry_id: str) -> str:
    try:
        return changes.file_of(settings(), entry_id)
    except changes.ChangeRefused:
        abort(404)


@bp.get("/entries/<entry_id>")
@login_required()
def edit_entry(entry_id: str):
    file = _file_or_404(entry_id)
    values = editing.entry_values(settings().faq_dir, file, entry_id)
    checked = editing.check(settings().faq_dir, file, editing.read_text(settings().faq_dir, file), entry_id, values,
                            settings().reports_dir)  # what `faq check` says of it now, shown before any edit
    return _form_page(values, file=file, entry_id=entry_id, base=editing.digest(values), errors=checked.errors,
                      warnings=checked.warnings)


def _save(proposal: changes.Proposal, values: dict, file: str, entry_id: str | None):
    if not current_staff().may_edit(editing.category_of(editing.read_text(settings().faq_dir, file))):
        abort(403, "您只能修改自己负责的分类")
    try:
        change = submit(proposal)
    except changes.ChangeRefused as refused:
        return _form_page(values, file=file, entry_id=entry_id, base=proposal.base_entry_digest,
                          errors=refused.problems, message=refused.message, conflict=refused.diff, status=422)
    if change.status != "published":
        return redirect(url_for("console.review"))
    return redirect(url_for("console.edit_entry", entry_id=change.entry_id) if change.values
                    else url_for("console.entries"))


@bp.post("/entries/<entry_id>")
@login_required()
def save_entry(entry_id: str):
    file = _file_or_404(entry_id)
    values = form_values(request.form)
    proposal = changes.Proposal("edit", file, entry_id, values, request.form.get("base", ""),
                                request.form.get("summary", "").strip())
    return _save(proposal, values, file, entry_id)


@bp.post("/entries/<entry_id>/delete")
@login_required()
def delete_entry(entry_id: str):
    file = _file_or_404(entry_id)
    proposal = changes.Proposal("delete", file, entry_id, None, request.form.get("base", ""), "删除条目")
    values = editing.entry_values(settings().faq_dir, file, entry_id)
    return _save(proposal, values, file, entry_id)


@bp.route("/entries/new", methods=["GET", "POST"])
@login_required()
def new_entry():
    files = editing.topic_files(settings().faq_dir)
    file = request.values.get("file", "")
    if file not in files:
        file = next((f for f in files if current_staff().may_edit(
            editing.category_of(editing.read_text(settings().faq_dir, f)))), "")
        if not file:
            abort(403, "您没有可以新增条目的分类")
    if request.method == "GET":  # prefilled from the query (the queue's 新建条目: question, alternates)
        return _form_page(form_values(request.args), file=file, entry_id=None, base="")
    values = form_values(request.form)
    proposal = changes.Proposal("new", file, None, values, "", request.form.get("summary", "").strip())
    return _save(proposal, values, file, None)
