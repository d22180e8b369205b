"""Review and publish: the pending changes with their diffs; an 审核 approves (the YAML is
written and reload serves it) or rejects with a reason. An 编辑 sees the queue and its own
recent changes (with the reasons of those sent back), but cannot publish.

    GET  /console/review
    POST /console/review/<n>/approve      审核, 管理员
    POST /console/review/<n>/reject       审核, 管理员 (reason)
"""
from __future__ import annotations

from flask import flash, redirect, request, url_for

from bot.staff import changes
from handlers.console import bp
from handlers.console.auth import current_staff, login_required
from handlers.console.common import diff_lines, published, render, settings


@bp.get("/review")
@login_required()
def review():
    account = current_staff()
    waiting = changes.pending(settings())
    mine = [c for c in changes.of_author(settings(), account.name, 20) if c.status != "pending"]
    return render("console/review.html", title="审核发布", waiting=waiting, mine=mine, diff_lines=diff_lines,
                  ops=changes.OPS, statuses=changes.STATUSES, may_publish=account.may_publish)


@bp.post("/review/<int:change_id>/approve")
@login_required("reviewer")
def approve(change_id: int):
    try:
        change = published(changes.approve(settings(), change_id, current_staff()))
    except changes.ChangeRefused as refused:
        flash(f"修改 #{change_id} 未发布：{refused.message}" + "".join(f"；{m}" for _, m, _ in refused.problems),
              "error")
    else:
        flash(f"已发布修改 #{change.id}：{changes.OPS[change.op]}条目 {change.entry_id}", "ok")
    return redirect(url_for("console.review"))


@bp.post("/review/<int:change_id>/reject")
@login_required("reviewer")
def reject(change_id: int):
    try:
        changes.reject(settings(), change_id, current_staff(), request.form.get("reason", ""))
    except changes.ChangeRefused as refused:
        flash(f"修改 #{change_id}：{refused.message}", "error")
    else:
        flash(f"已退回修改 #{change_id}", "ok")
    return redirect(url_for("console.review"))
