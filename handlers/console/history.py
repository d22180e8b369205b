"""History: every published change (who, when, which entry, the diff of the YAML), newest
first, and its one-click rollback (a new change, checked like any save; an 编辑's rollback
waits for review like its other saves).

    GET  /console/history?entry=<id>
    GET  /console/history/<n>
    POST /console/history/<n>/rollback
"""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for

from bot.staff import changes
from handlers.console import bp
from handlers.console.auth import current_staff, login_required
from handlers.console.common import diff_lines, published, render, settings


@bp.get("/history")
@login_required()
def history():
    entry = request.args.get("entry", "").strip() or None
    return render("console/history.html", title="修改历史", rows=changes.history(settings(), entry), entry=entry,
                  ops=changes.OPS)


@bp.get("/history/<int:change_id>")
@login_required()
def change(change_id: int):
    found = changes.get(settings(), change_id)
    if found is None:
        abort(404)
    return render("console/change.html", title=f"修改 #{change_id}", c=found, lines=diff_lines(found.diff),
                  ops=changes.OPS, statuses=changes.STATUSES)


@bp.post("/history/<int:change_id>/rollback")
@login_required()
def rollback(change_id: int):
    try:
        done = published(changes.rollback(settings(), change_id, current_staff()))
    except changes.ChangeRefused as refused:
        flash(f"未回滚：{refused.message}" + "".join(f"；{m}" for _, m, _ in refused.problems), "error")
        return redirect(url_for("console.change", change_id=change_id))
    if done.status == "published":
        flash(f"已回滚修改 #{change_id}（新的修改 #{done.id}）", "ok")
    else:
        flash(f"已提交回滚修改 #{change_id}，等待审核（#{done.id}）", "ok")
    return redirect(url_for("console.history"))
