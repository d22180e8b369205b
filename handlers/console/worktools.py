"""What the work pages (试问, 待处理问题, 从报告起草, 概览) share: the period asked for, the
message log of it, the entry an action is about (an 编辑 only acts in their categories), and
adding a phrasing through bot.staff.changes."""
from __future__ import annotations

from flask import abort, flash, request

from bot.content.model import Entry
from bot.staff import changes
from bot.staff import queue as work_queue
from handlers.console.auth import current_staff
from handlers.console.common import engine, faq_on_disk, published, settings


def period_arg() -> str:
    period = request.values.get("period", work_queue.DEFAULT_PERIOD)
    return period if period in work_queue.PERIODS else work_queue.DEFAULT_PERIOD


def include_api_arg() -> bool:
    return request.values.get("include_api") == "1"


def messages_since(since: float) -> list[dict]:
    """The message log from `since` (this worker's queued rows written first)."""
    return engine().store.messages(since)


def entry_to_edit(faq_id: str) -> Entry:
    """The entry on disk that the signed-in account may edit: 404 if none, 403 if not theirs."""
    entry = faq_on_disk().by_id().get((faq_id or "").strip())
    if entry is None:
        abort(404, f"条目 {faq_id} 不存在")
    if not current_staff().may_edit(entry.category):
        abort(403, f"条目 {entry.id} 属于“{entry.category}”，不在您负责的分类中")
    return entry


def editable(category: str) -> bool:
    account = current_staff()
    return account is not None and account.may_edit(category)


def add_phrasing(faq_id: str, text: str) -> bool:
    """Propose `text` as a phrasing of the entry; flashes the outcome. True when stored."""
    entry = entry_to_edit(faq_id)
    try:
        text = work_queue.phrasing_text(text)
        change = published(changes.add_phrasing(settings(), entry.id, text, current_staff()))
    except changes.ChangeRefused as refused:
        flash_refused(refused)
        return False
    except ValueError as error:
        flash(str(error), "error")
        return False
    if change.status == "published":
        flash(f"已发布：“{text}”已加为条目 {entry.id} 的问法，市民现在这样问就能得到该条目的回答", "ok")
    else:
        flash(f"已提交审核：把“{text}”加为条目 {entry.id} 的问法（审核通过后才对市民生效）", "ok")
    return True


def flash_refused(refused: changes.ChangeRefused) -> None:
    details = "；".join(message for _, message, level in refused.problems if level == "error")
    flash(refused.message + (f"：{details}" if details else ""), "error")


def new_entry_url(question: str, alternates: list[str]) -> str | None:
    """The entry form of a new entry, prefilled (question, alternates one a line); None while
    the console has no such form."""
    from flask import current_app, url_for

    if "console.new_entry" not in current_app.view_functions:
        return None
    others = [a for a in alternates if a != question]
    return url_for("console.new_entry", question=question, alternates="\n".join(others))
