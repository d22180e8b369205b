"""待处理问题 /console/queue: the groups of what citizens asked and did not get (fallback,
clarify, low-confidence answers) of `report`, each with one-click actions: add as a phrasing of
a near entry, start a new entry, dismiss with a reason."""
from __future__ import annotations

from flask import flash, redirect, request, url_for

from bot.staff import queue as work_queue
from handlers.console import bp
from handlers.console.auth import current_staff, login_required
from handlers.console.common import engine, render, settings
from handlers.console.worktools import (
    add_phrasing,
    editable,
    include_api_arg,
    messages_since,
    new_entry_url,
    period_arg,
)

OUTCOME_LABELS = {"answer": "低分回答", "clarify": "反问澄清", "fallback": "无法回答"}


def _queue(with_nearest: bool = True) -> work_queue.Queue:
    period = period_arg()
    since = work_queue.period_start(period)
    return work_queue.build_queue(messages_since(since), work_queue.dismissed_keys(settings().data_dir),
                                  engine().index if with_nearest else None, period=period, since=since,
                                  include_api=include_api_arg())


def _back():
    args = {"period": period_arg()} | ({"include_api": "1"} if include_api_arg() else {})
    return redirect(url_for("console.queue", **args))


def _group():
    """The group a form acts on, as it is now; None (flashed) if it changed meanwhile."""
    try:
        return work_queue.find_group(_queue(with_nearest=False), request.form.get("group", ""))
    except LookupError as gone:
        flash(str(gone), "error")
        return None


@bp.get("/queue")
@login_required()
def queue():
    q = _queue()
    return render("console/queue.html", title="待处理问题", q=q, periods=work_queue.PERIODS,
                  include_api=include_api_arg(), editable=editable, labels=OUTCOME_LABELS, new_entry_url=new_entry_url,
                  dismissed=work_queue.dismissals(settings().data_dir, limit=10))


@bp.post("/queue/phrasing")
@login_required()
def queue_add_phrasing():
    group = _group()
    if group is not None:
        text = request.form.get("text") or group.example
        if text not in group.variants:
            flash("只能把这组里市民问过的说法加为问法", "error")
        elif add_phrasing(request.form.get("faq_id", ""), text):
            # Handled: the group leaves the queue, and comes back only with a new wording.
            work_queue.dismiss(settings().data_dir, group, f"已加为条目 {request.form.get('faq_id')} 的问法",
                               current_staff().name)
    return _back()


@bp.post("/queue/dismiss")
@login_required()
def queue_dismiss():
    group = _group()
    if group is not None:
        try:
            work_queue.dismiss(settings().data_dir, group, request.form.get("reason", ""), current_staff().name)
        except ValueError as error:
            flash(str(error), "error")
        else:
            flash(f"已忽略“{group.example}”这组问题（{group.count} 次）；有新的不同问法时会重新出现", "ok")
    return _back()
