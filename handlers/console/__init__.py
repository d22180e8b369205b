"""The staff web console under /console/: Flask blueprint `bp`, Jinja templates in
handlers/templates/console/, the logic in bot/staff/ (accounts, changes, editing).

Switched on with CONSOLE_ENABLED=1 (Config.console_enabled, default off: an existing
deployment exposes no sign-in page until an operator decides to). server.create_app registers
`bp` through `init_app(app, config)`, which also sets the session key and CSRF protection.

Pages (endpoint → URL), each a module of this package that adds its views to `bp`:
    auth.py        console.login /console/login, console.logout /console/logout
    entries.py     console.entries /console/entries, console.edit_entry /console/entries/<id>,
                   console.new_entry /console/entries/new
    review.py      console.review /console/review (pending changes; approve / reject)
    history.py     console.history /console/history, console.change /console/history/<n>
    accounts_page.py console.accounts_list /console/accounts (管理员: accounts, as `staff …` does)
    try_question.py  console.try_question /console/try       (PART B) 试问
    queue.py         console.queue /console/queue           (PART B) 待处理问题
    drafts.py        console.drafts /console/drafts        (PART B) 从报告起草
    overview.py      console.overview /console/            (PART B) 概览
    feedback.py      console.feedback /console/feedback    差评处理 (`feedback`, `feedback done`)
    csvpage.py       console.csv_page /console/csv         表格导入导出 (`faq export --csv`, `faq import`)
    menu.py          console.menu /console/menu            自定义菜单 (管理员: `menu show`, `menu push`)
The pages of OPTIONAL_PAGES are imported when present; without overview.py,
/console/ redirects to the entry list. A page module only does:

    from handlers.console import bp
    from handlers.console.auth import login_required, current_staff
    from handlers.console.common import render, submit

    @bp.get("/try")
    @login_required("editor", "reviewer")      # admin may always
    def try_question():
        return render("console/try.html", title="试问", ...)

Templates extend "console/base.html" (blocks: title, content) and put
`<input type="hidden" name="csrf_token" value="{{ csrf_token() }}">` in every POST form: a
POST without it is refused (400). NAV below lists the nav bar; an entry whose endpoint is not
registered is left out.

Every view needs a signed-in account (`_signed_in_only` below: default deny, the sign-in page
is the only exception), so nothing of the console is reachable signed out.
"""
from __future__ import annotations

import importlib
import importlib.util

from flask import Blueprint, redirect, request, url_for

bp = Blueprint("console", __name__, url_prefix="/console", template_folder="../templates")

# (endpoint, label, roles that see it; () = everyone signed in)
NAV = (
    ("console.overview", "概览", ()),
    ("console.entries", "条目", ()),
    ("console.try_question", "试问", ()),
    ("console.queue", "待处理问题", ()),
    ("console.drafts", "从报告起草", ()),
    ("console.feedback", "差评处理", ()),
    ("console.csv_page", "表格导入导出", ()),
    ("console.review", "审核发布", ()),
    ("console.history", "修改历史", ()),
    ("console.menu", "自定义菜单", ("admin",)),
    ("console.accounts_list", "账号", ("admin",)),
)
OPTIONAL_PAGES = ("try_question", "queue", "drafts", "overview", "feedback", "csvpage", "menu")
# The console's pages may post forms to themselves and use their own inline style.
CONSOLE_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; "
               "frame-ancestors 'none'; base-uri 'none'")
PUBLIC_ENDPOINTS = {"console.login"}


@bp.before_request
def _signed_in_only():
    from handlers.console.auth import csrf, current_staff

    if request.method not in ("GET", "HEAD", "OPTIONS"):
        csrf.protect()  # only here: the webhook and /api take no tokens
    if request.endpoint not in PUBLIC_ENDPOINTS and current_staff() is None:
        return redirect(url_for("console.login", next=request.full_path.rstrip("?")))
    return None


@bp.after_request
def _console_headers(response):
    response.headers["Content-Security-Policy"] = CONSOLE_CSP
    response.headers["Cache-Control"] = "no-store"  # staff pages are never cached by a shared proxy
    return response


def _load_pages() -> set[str]:
    from handlers.console import accounts_page, auth, entries, history, review  # noqa: F401 - they register views

    present = set()
    for name in OPTIONAL_PAGES:
        if importlib.util.find_spec(f"{__name__}.{name}") is not None:
            importlib.import_module(f"{__name__}.{name}")
            present.add(name)
    if "overview" not in present:
        bp.add_url_rule("/", "index", lambda: redirect(url_for("console.entries")))
    return present


PAGES = _load_pages()


def init_app(app, config) -> None:
    """Register the console on `app` (server.create_app calls it when CONSOLE_ENABLED)."""
    from handlers.console.auth import init_auth

    init_auth(app, config)
    app.register_blueprint(bp)
