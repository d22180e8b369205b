"""Signing in to the console: the sign-in and sign-out pages, `login_required(*roles)`,
`current_staff()`, session expiry, the session key and CSRF protection.

The session (Flask's signed cookie "console_session") holds only the account name and two
times: when it signed in and when it was last used. Each request reads the account from
DATA_DIR/staff.sqlite again, so a removed account or a changed password (`staff passwd`)
ends its sessions at once, and a session unused for CONSOLE_SESSION_MINUTES ends too.

Wrong passwords are slowed down by bot.staff.accounts (per account and per IP, counted in the
sqlite file every worker shares): the page says how long to wait, with status 429.

The key signing the cookie: SECRET_KEY, else DATA_DIR/console_secret.key, created once
(random, 0600, written aside and linked into place, as the OpenID hash key is) so that every
gunicorn worker signs with the same key.
"""
from __future__ import annotations

import functools
import time
from pathlib import Path

from flask import abort, current_app, g, redirect, request, session, url_for
from flask_wtf.csrf import CSRFError, CSRFProtect

from bot.staff import accounts
from bot.store.sqlite import _create_key  # the hash key's writer: one key wins among racing workers
from handlers.console import bp

SECRET_FILE = "console_secret.key"
csrf = CSRFProtect()


def init_auth(app, config) -> None:
    app.secret_key = config.secret_key or _secret_from(Path(config.data_dir))
    app.config.update(
        SESSION_COOKIE_NAME="console_session", SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=config.public_base_url.startswith("https://"),
        PERMANENT_SESSION_LIFETIME=config.console_session_minutes * 60,
        # Checked only by the console's own before_request (handlers/console/__init__.py).
        WTF_CSRF_CHECK_DEFAULT=False, WTF_CSRF_TIME_LIMIT=None,
        WTF_CSRF_SSL_STRICT=False)  # behind a proxy the Referer check would refuse every form
    csrf.init_app(app)
    app.register_error_handler(CSRFError, _csrf_refused)


def _secret_from(data_dir: Path) -> str:
    key_file = data_dir / SECRET_FILE
    if not key_file.exists():
        _create_key(key_file)
    key = key_file.read_text().strip()
    if not key:
        raise ValueError(f"{key_file.name} 是空文件：请删除它（所有人需要重新登录）或设置 SECRET_KEY")
    return key


def _csrf_refused(error):
    from handlers.console.common import render

    return render("console/message.html", title="请求被拒绝",
                  message="表单已过期或缺少安全校验（CSRF），请返回上一页刷新后重新提交。"), 400


def _settings():
    return current_app.config["BOT_CONFIG"]


def current_staff() -> accounts.Account | None:
    """The signed-in account of this request, or None (signed out, expired, removed, or its
    password changed since it signed in)."""
    if "staff" in g:
        return g.staff
    g.staff = None
    name = session.get("staff")
    if not name:
        return None
    now = time.time()
    if now - session.get("seen", 0) > _settings().console_session_minutes * 60:
        session.clear()
        return None
    account = accounts.get_user(_settings().data_dir, name)
    if account is None or account.password_changed > session.get("since", 0):
        session.clear()
        return None
    session["seen"] = now
    g.staff = account
    return account


def login_required(*roles: str):
    """A view for signed-in staff having one of `roles` (none given: any role; admin always);
    others get 403. Signed out, the blueprint already sent them to the sign-in page."""
    def wrap(view):
        @functools.wraps(view)
        def guarded(*args, **kwargs):
            account = current_staff()
            if account is None:
                return redirect(url_for("console.login", next=request.full_path.rstrip("?")))
            if roles and not account.has_role(*roles):
                abort(403, "您的角色没有权限打开此页面")
            return view(*args, **kwargs)
        return guarded
    return wrap


def _safe_next(target: str | None) -> str:
    """Only a path of the console: never an open redirect to another site."""
    if target and target.startswith("/console/") and not target.startswith("//"):
        return target
    return url_for("console.index" if "console.index" in current_app.view_functions else "console.overview")


@bp.route("/login", methods=["GET", "POST"])
def login():
    from handlers.console.common import render

    error, status = "", 200
    if request.method == "POST":
        name = request.form.get("name", "").strip()
        try:
            account = accounts.authenticate(_settings().data_dir, name, request.form.get("password", ""),
                                            ip=request.remote_addr or "")
        except accounts.LoginRefused as refused:
            error, status = str(refused), 429 if refused.wait > 0 else 401
        else:
            session.clear()
            now = time.time()
            session.update(staff=account.name, since=now, seen=now)
            session.permanent = True
            return redirect(_safe_next(request.args.get("next")))
    return render("console/login.html", title="登录", error=error,
                  next=request.args.get("next", "")), status


@bp.post("/logout")
def logout():
    session.clear()
    return redirect(url_for("console.login"))


@bp.app_errorhandler(403)
def _forbidden(error):
    if not request.path.startswith("/console/"):
        return {"error": "没有权限"}, 403
    from handlers.console.common import render

    return render("console/message.html", title="没有权限",
                  message=getattr(error, "description", "") or "您的角色没有权限进行此操作"), 403
