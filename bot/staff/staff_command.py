"""`python -m bot staff …`: the accounts of the web console (bot.staff.accounts).

The password is asked twice on a terminal; piped in (`echo 密码 | python -m bot staff add-user …`)
its first line is read, so that a script can create accounts.
"""
from __future__ import annotations

import getpass
import sys

from bot.staff import accounts
from bot.staff.common import config_for


def _password(prompt: str = "密码：") -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(prompt)
    if getpass.getpass("再输入一次：") != first:
        raise accounts.AccountError("两次输入的密码不一致")
    return first


def _categories(text: str | None) -> list[str] | None:
    if text is None:
        return None
    return [c for c in text.replace("，", ",").replace("、", ",").split(",") if c.strip()]


def _run(action) -> int:
    try:
        message = action()
    except accounts.AccountError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    print(message)
    return 0


def _describe(account: accounts.Account) -> str:
    if account.categories:
        scope = "、".join(account.categories)
    else:
        scope = "全部分类" if account.role != "editor" else "（无）"
    return f"{account.name}\t{account.role_label}（{account.role}）\t分类：{scope}"


def cmd_add_user(args) -> int:
    data_dir = config_for(args).data_dir

    def add():
        account = accounts.add_user(data_dir, args.name, args.role, _password(), _categories(args.categories) or ())
        return f"已创建用户：{_describe(account)}"
    return _run(add)


def cmd_list(args) -> int:
    users = accounts.list_users(config_for(args).data_dir)
    for account in users:
        print(_describe(account))
    print(f"共 {len(users)} 个用户。")
    return 0


def cmd_passwd(args) -> int:
    data_dir = config_for(args).data_dir

    def change():
        if accounts.get_user(data_dir, args.name) is None:
            raise accounts.AccountError(f"用户“{args.name}”不存在")
        accounts.set_password(data_dir, args.name, _password("新密码："))
        return f"已修改 {args.name} 的密码；已登录的会话需要重新登录。"
    return _run(change)


def cmd_set_role(args) -> int:
    data_dir = config_for(args).data_dir

    def change():
        account = accounts.set_role(data_dir, args.name, args.role, _categories(args.categories))
        return f"已修改：{_describe(account)}"
    return _run(change)


def cmd_remove(args) -> int:
    data_dir = config_for(args).data_dir

    def remove():
        accounts.remove_user(data_dir, args.name)
        return f"已删除用户 {args.name}。"
    return _run(remove)


def register(cli) -> None:
    """Add `staff …` to the `bot.cli.Commands` registry."""
    cli.group("staff", "网页后台（/console/）的工作人员账号")
    roles = list(accounts.ROLES)
    roles_help = "、".join(f"{k}={v}" for k, v in accounts.ROLES.items())
    add = cli.command("add-user", cmd_add_user, "新建账号（从终端输入密码，或从管道读第一行）", group="staff")
    add.add_argument("name", help="用户名")
    add.add_argument("--role", required=True, choices=roles, help=f"角色：{roles_help}")
    add.add_argument("--categories", help="编辑负责的分类，逗号分隔，如 城铁出行,养老救助")
    cli.command("list", cmd_list, "列出账号", group="staff")
    passwd = cli.command("passwd", cmd_passwd, "修改密码", group="staff")
    passwd.add_argument("name")
    role = cli.command("set-role", cmd_set_role, "修改角色和负责的分类", group="staff")
    role.add_argument("name")
    role.add_argument("--role", required=True, choices=roles)
    role.add_argument("--categories", help="编辑负责的分类，逗号分隔（不写则不变）")
    remove = cli.command("remove", cmd_remove, "删除账号", group="staff")
    remove.add_argument("name")
