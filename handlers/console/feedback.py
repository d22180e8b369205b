"""差评处理 /console/feedback: the queue of bad ratings of `python -m bot feedback` (bot/staff/feedback.py):
filter 待处理 / 全部, the due date (overdue marked), and per open item one form marking it 已处理
with the reply given to the citizen or the FAQ change made. An 编辑 sees and resolves only the
items whose entry is in their categories; 审核 and 管理员 all. Below, satisfaction per entry."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for

from bot.staff import feedback as fb
from handlers.console import bp
from handlers.console.auth import current_staff, login_required
from handlers.console.common import engine, render, settings


def _entry_of(faq_id: str):
    return engine().index.entry(faq_id)


def _category(faq_id: str) -> str:
    entry = _entry_of(faq_id)
    return entry.category if entry is not None else ""


def _visible(row: dict) -> bool:
    """An 编辑's items: those of entries in their categories (a deleted entry's: reviewers only)."""
    return current_staff().may_edit(_category(row["faq_id"]))


def _item(row: dict) -> dict:
    entry = _entry_of(row["faq_id"])
    return row | {"entry_question": entry.question if entry else "（条目已删除）",
                  "category": entry.category if entry else "", "due_text": fb.due_label(row),
                  "overdue": row["status"] == fb.PENDING and (row["days_left"] or 0) < 0}


def _satisfaction(db) -> list[dict]:
    rows = [r for r in fb.satisfaction(db, channels=fb.CITIZEN_CHANNELS) if _visible(r)]
    return [r | {"question": (e.question if (e := _entry_of(r["faq_id"])) else "（条目已删除）")} for r in rows]


@bp.get("/feedback")
@login_required()
def feedback():
    open_only = request.args.get("show", "open") != "all"
    db = fb.open_db(settings().data_dir)
    items = [_item(r) for r in fb.queue(db, open_only=open_only) if _visible(r)]
    return render("console/feedback.html", title="差评处理", items=items, open_only=open_only,
                  pending=sum(1 for i in items if i["status"] == fb.PENDING),
                  overdue=sum(1 for i in items if i["overdue"]), kinds=fb.RESOLUTION_KINDS,
                  satisfaction=_satisfaction(db))


@bp.post("/feedback/<rating_id>")
@login_required()
def feedback_resolve(rating_id: str):
    db = fb.open_db(settings().data_dir)
    found = [r for r in fb.find(db, rating_id) if r["id"] == rating_id]
    if not found:
        abort(404, f"没有编号为“{rating_id}”的差评")
    if not _visible(found[0]):
        abort(403, "这条差评的条目不在您负责的分类中")
    try:
        fb.resolve(db, rating_id, request.form.get("kind", ""), request.form.get("text", ""))
    except ValueError as error:
        flash(str(error), "error")
    else:
        flash(f"已标记为已处理：差评 {rating_id[:8]}（条目 {found[0]['faq_id']}）", "ok")
    return redirect(url_for("console.feedback", show=request.form.get("show", "open")))
