"""`python -m bot menu push [--dry-run]` and `menu show`: publish faq_data/menu.yaml as the
account's custom menu, and read the live one back.

The checks and WeChat's JSON are bot/content/menu.py; the calls to WeChat are
handlers/wechat_api.py (imported when a command runs: no other command needs wechatpy).
"""
from __future__ import annotations

import json

from bot.answer.cards import public_base
from bot.config import Config
from bot.content.faq import load_faq
from bot.content.menu import FILE, MenuError, describe, menu_json, normalized
from bot.content.model import Problem
from bot.staff.common import config_for


def menu_plan(config: Config) -> tuple[dict | None, list[Problem]]:
    """WeChat's JSON for faq_data/menu.yaml, or None, and the menu's problems (errors first)."""
    faq = load_faq(config.faq_dir)
    problems = [p for p in faq.problems if p.file == FILE or (p.file == "keywords.yaml" and "menu" in p.message)]
    problems.sort(key=lambda p: p.level != "error")
    if faq.buttons is None:
        return None, [Problem(FILE, None, f"没有找到 {config.faq_dir}/{FILE}："
                                          "请先按 README 的“menu.yaml（公众号自定义菜单）”一节写好菜单")]
    if any(p.level == "error" for p in problems):
        return None, problems
    try:
        return menu_json(faq.buttons, public_base(config.public_base_url)), problems
    except MenuError as exc:
        return None, [*problems, Problem(FILE, None, str(exc))]


def cmd_menu_push(args) -> int:
    config = config_for(args)
    menu, problems = menu_plan(config)
    for problem in problems:
        print(problem)
    if menu is None:
        print("菜单有错误，没有发布。")
        return 1
    print(f"{FILE} 的菜单：")
    print("\n".join(describe(menu)))
    if args.dry_run:
        print("\n将发送给微信 menu/create 的内容（--dry-run：没有连接微信）：")
        print(json.dumps(menu, ensure_ascii=False, indent=2))
        return 0
    from handlers import wechat_api
    try:
        live = wechat_api.create_menu(config, menu)
    except wechat_api.WeChatApiError as exc:
        print(f"错误：发布失败：{exc}")
        return 1
    same = normalized(live) == normalized(menu)
    print("已发布到微信。" + ("读回的菜单与 menu.yaml 一致。" if same
                            else "但读回的菜单与 menu.yaml 不同，请运行 menu show 查看。"))
    print("微信客户端会在用户进入公众号时刷新菜单（最多约 5 分钟；取消关注再关注可立即看到）。")
    return 0 if same else 1


def cmd_menu_show(args) -> int:
    config = config_for(args)
    from handlers import wechat_api
    try:
        live = wechat_api.get_menu(config)
    except wechat_api.WeChatApiError as exc:
        print(f"错误：读取失败：{exc}")
        return 1
    if live is None:
        print("公众号目前没有自定义菜单。运行 python -m bot menu push 发布 menu.yaml 的菜单。")
        return 0
    print("微信上现在的菜单：")
    print("\n".join(describe(live)))
    planned, _ = menu_plan(config)
    if planned is None:
        print(f"（{FILE} 有错误或缺失，无法比较：运行 python -m bot faq check 查看）")
    elif normalized(planned) == normalized(live):
        print(f"与 {FILE} 一致。")
    else:
        print(f"与 {FILE} 不同（{FILE} 里是下面的菜单）：运行 python -m bot menu push 发布。")
        print("\n".join(describe(planned)))
    return 0


def register(cli) -> None:
    """Add `menu push` and `menu show` to the `bot.cli.Commands` registry."""
    cli.group("menu", "公众号自定义菜单：发布 faq_data/menu.yaml、查看微信上的菜单")
    push = cli.command("push", cmd_menu_push,
                       "检查 menu.yaml 并发布为公众号菜单（需要 WECHAT_APPID、WECHAT_APPSECRET）", group="menu")
    push.add_argument("--dry-run", action="store_true", help="只检查并显示将发送的内容，不连接微信")
    cli.command("show", cmd_menu_show, "显示微信上现在的菜单，并与 menu.yaml 比较", group="menu")
