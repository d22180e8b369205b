"""`python -m bot …`: the same operations as the Python API, for staff and operators.

One parser, and a registry the command modules add their subcommands to: each module has a
`register(cli)` that calls `cli.group(...)` and `cli.command(...)` on the `Commands` below.
The modules import nothing from here; this module lists them, in the order `--help` shows them.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from bot.staff import ask_command, eval_command, faq_commands, report_command, staff_command

COMMAND_MODULES = (ask_command, faq_commands, report_command, eval_command, staff_command)


class Commands:
    """The top-level parser, its subcommands and groups of subcommands (`faq check`, `faq test` …)."""

    def __init__(self) -> None:
        self.parser = argparse.ArgumentParser(prog="python -m bot", description="株洲政务信息机器人：命令行工具")
        self.parser.add_argument("--faq-dir", help="FAQ 目录（默认取环境变量 FAQ_DIR 或 faq_data/）")
        self._sub = self.parser.add_subparsers(dest="command", required=True)
        self._groups: dict[str, argparse._SubParsersAction] = {}

    def group(self, name: str, help: str) -> None:
        """A command whose subcommands are `python -m bot NAME SUBCOMMAND`."""
        group = self._sub.add_parser(name, help=help)
        self._groups[name] = group.add_subparsers(dest=f"{name}_command", required=True)

    def command(self, name: str, func: Callable[[argparse.Namespace], int], help: str,
                group: str | None = None) -> argparse.ArgumentParser:
        """A subcommand (of `group`, if given) run by `func(args)`; returns its parser for the arguments."""
        parser = (self._groups[group] if group else self._sub).add_parser(name, help=help)
        parser.set_defaults(func=func)
        return parser


def build_parser() -> argparse.ArgumentParser:
    commands = Commands()
    for module in COMMAND_MODULES:
        module.register(commands)
    return commands.parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
