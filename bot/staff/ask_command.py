"""`python -m bot ask`: the reply a citizen would get."""
from __future__ import annotations

import json

from bot.staff.common import engine_for


def cmd_ask(args) -> int:
    engine = engine_for(args)
    reply = engine.ask(args.text, user=args.user or "", channel="cli", log_it=bool(args.user))
    if args.json:
        print(json.dumps(reply.to_json(args.text), ensure_ascii=False, indent=2))
    else:
        print(reply.text)
    return 0


def register(cli) -> None:
    """Add `ask` to the `bot.cli.Commands` registry."""
    ask = cli.command("ask", cmd_ask, "问一个问题，打印市民会收到的回复")
    ask.add_argument("text")
    ask.add_argument("--json", action="store_true", help="输出与 /api/ask 相同的 JSON")
    ask.add_argument("--user", help="用户标识（用于多轮对话）")
