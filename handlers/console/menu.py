"""自定义菜单 /console/menu (管理员 only): faq_data/menu.yaml's menu with its `faq check` problems,
the live menu read from WeChat (`python -m bot menu show`), and 发布到微信 (`menu push`). The
logic is the command's: bot/staff/menu_command.py `menu_plan`, handlers/wechat_api.py
`get_menu` / `create_menu`. Without WECHAT_APPSECRET the page says so and offers no button."""
from __future__ import annotations

from flask import flash, redirect, url_for

from bot.content.menu import FILE, describe, normalized
from bot.staff.menu_command import menu_plan
from handlers import wechat_api
from handlers.console import bp
from handlers.console.auth import login_required
from handlers.console.common import render, settings


def _configured() -> bool:
    return bool(settings().wechat_appid and settings().wechat_appsecret)


def _live() -> tuple[dict | None, str]:
    """The menu on WeChat now (None: none set) and the error reading it ("" when read)."""
    if not _configured():
        return None, ""
    try:
        return wechat_api.get_menu(settings()), ""
    except wechat_api.WeChatApiError as exc:
        return None, f"读取失败：{exc}"


@bp.get("/menu")
@login_required("admin")
def menu():
    planned, problems = menu_plan(settings())
    live, error = _live()
    same = planned is not None and live is not None and normalized(planned) == normalized(live)
    return render("console/menu.html", title="自定义菜单", file=FILE, planned=describe(planned) if planned else [],
                  problems=problems, errors=[p for p in problems if p.level == "error"], live=describe(live),
                  has_live=live is not None, error=error, same=same, configured=_configured(),
                  can_push=planned is not None and _configured())


@bp.post("/menu/push")
@login_required("admin")
def menu_push():
    planned, _ = menu_plan(settings())
    if not _configured():
        flash("没有设置 WECHAT_APPID、WECHAT_APPSECRET，不能发布", "error")
    elif planned is None:
        flash(f"{FILE} 有错误，没有发布", "error")
    else:
        _push(planned)
    return redirect(url_for("console.menu"))


def _push(planned: dict) -> None:
    try:
        live = wechat_api.create_menu(settings(), planned)
    except wechat_api.WeChatApiError as exc:
        flash(f"发布失败：{exc}", "error")
        return
    if normalized(live) == normalized(planned):
        flash("已发布到微信。读回的菜单与 menu.yaml 一致。"
              "微信客户端会在用户进入公众号时刷新菜单（最多约 5 分钟）。", "ok")
    else:
        flash("已发布到微信，但读回的菜单与 menu.yaml 不同，请看下面“微信上现在的菜单”。", "warning")
