"""What the console's pages share: rendering with the nav bar, the engine and settings, the
FAQ as it is on disk, and `submit`, which stores a change and makes a published one visible.

    render(template, title=..., **values)   a page extending console/base.html
    settings()                               the bot's Config
    engine()                                 the citizens' Engine (its index; never its lock)
    faq_on_disk()                            bot.content.model.Faq of FAQ_DIR now (cached by fingerprint)
    submit(proposal) -> Change               bot.staff.changes.propose by the signed-in account;
                                             reloads this worker's engine when it was published
    published(change)                        the same reload, after changes.approve / rollback
"""
from __future__ import annotations

import threading
import time

from flask import current_app, flash, render_template, url_for

from bot.content.faq import fingerprint, load_faq
from bot.content.model import Faq
from bot.staff import changes
from handlers.console import NAV, bp
from handlers.console.auth import current_staff

_faq_cache: dict[str, Faq] = {}
_faq_lock = threading.Lock()


def settings():
    return current_app.config["BOT_CONFIG"]


def engine():
    return current_app.extensions["engine"]


def nav_items() -> list[tuple[str, str]]:
    account = current_staff()
    views = current_app.view_functions
    return [(url_for(endpoint), label) for endpoint, label, roles in NAV
            if endpoint in views and account is not None and (not roles or account.has_role(*roles))]


def render(template: str, **values):
    values.setdefault("title", "")
    return render_template(template, staff=current_staff(), nav=nav_items(), **values)


def faq_on_disk() -> Faq:
    """The FAQ files as they are now, without the number check (the console runs it per save)."""
    faq_dir = settings().faq_dir
    key = f"{faq_dir}:{fingerprint(faq_dir)}"
    with _faq_lock:
        faq = _faq_cache.get(key)
        if faq is None:
            faq = load_faq(faq_dir)
            _faq_cache.clear()
            _faq_cache[key] = faq
    return faq


def published(change: changes.Change) -> changes.Change:
    """Serve a published change in this worker now (the others reload at their next poll)."""
    if change.status == "published":
        engine().reload()
    return change


def submit(proposal: changes.Proposal) -> changes.Change:
    """Propose as the signed-in account; raises changes.ChangeRefused. Flashes what happened."""
    change = published(changes.propose(settings(), proposal, current_staff()))
    if change.status == "published":
        flash(f"已发布：{changes.OPS[change.op]}条目 {change.entry_id}", "ok")
    else:
        flash(f"已提交审核：{changes.OPS[change.op]}条目 {change.entry_id}（审核通过后才对市民生效）", "ok")
    return change


@bp.app_template_filter("console_time")
def console_time(ts: float) -> str:
    """A stored time as staff read it: local time, to the minute."""
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(ts)) if ts else ""


def diff_lines(diff: str) -> list[tuple[str, str]]:
    """A unified diff's lines with their kind (add, del, at, ""), for the template to colour."""
    kinds = []
    for line in diff.splitlines():
        if line.startswith(("+++", "---")):
            kinds.append(("at", line))
        elif line.startswith("+"):
            kinds.append(("add", line))
        elif line.startswith("-"):
            kinds.append(("del", line))
        else:
            kinds.append(("at" if line.startswith("@@") else "", line))
    return kinds
