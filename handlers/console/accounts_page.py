"""Accounts, for 管理员 only: the same operations as `python -m bot staff …`
(bot.staff.accounts), in the browser.

    GET  /console/accounts
    POST /console/accounts                     add (name, role, categories, password)
    POST /console/accounts/<name>/role         role and categories
    POST /console/accounts/<name>/password     a new password (that account's sessions end)
    POST /console/accounts/<name>/remove       not one's own account
"""
from __future__ import annotations

from flask import flash, redirect, request, url_for

from bot.staff import accounts
from handlers.console import bp
from handlers.console.auth import current_staff, login_required
from handlers.console.common import faq_on_disk, render, settings


@bp.get("/accounts")
@login_required("admin")
def accounts_list():
    return render("console/accounts.html", title="账号", users=accounts.list_users(settings().data_dir),
                  roles=accounts.ROLES, categories=sorted({e.category for e in faq_on_disk().entries}))


def _done(action, message: str):
    try:
        action()
    except accounts.AccountError as exc:
        flash(str(exc), "error")
    else:
        flash(message, "ok")
    return redirect(url_for("console.accounts_list"))


@bp.post("/accounts")
@login_required("admin")
def add_account():
    form = request.form
    name = form.get("name", "").strip()
    return _done(lambda: accounts.add_user(settings().data_dir, name, form.get("role", ""), form.get("password", ""),
                                           form.getlist("categories")), f"已创建用户 {name}")


@bp.post("/accounts/<name>/role")
@login_required("admin")
def set_account_role(name: str):
    return _done(lambda: accounts.set_role(settings().data_dir, name, request.form.get("role", ""),
                                           request.form.getlist("categories")), f"已修改 {name} 的角色和分类")


@bp.post("/accounts/<name>/password")
@login_required("admin")
def set_account_password(name: str):
    return _done(lambda: accounts.set_password(settings().data_dir, name, request.form.get("password", "")),
                 f"已修改 {name} 的密码，其已登录的会话需要重新登录")


@bp.post("/accounts/<name>/remove")
@login_required("admin")
def remove_account(name: str):
    def remove():
        if name == current_staff().name:
            raise accounts.AccountError("不能删除自己正在使用的账号")
        accounts.remove_user(settings().data_dir, name)
    return _done(remove, f"已删除用户 {name}")
