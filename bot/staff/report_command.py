"""`python -m bot report`: message statistics from the log."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from bot.content.faq import load_faq
from bot.staff import feedback as fb
from bot.staff import report as rep
from bot.staff.common import config_for
from bot.store.sqlite import Store


def cmd_report(args) -> int:
    config = config_for(args)
    try:
        since = rep.parse_since(args.since)
    except ValueError as exc:
        print(exc)
        return 2
    db_path = Path(config.data_dir) / "bot.sqlite"
    messages = Store(db_path).messages(since) if db_path.exists() else []
    left_out = 0 if args.include_api else sum(not rep.from_wechat(m) for m in messages)
    if not args.include_api:
        messages = [m for m in messages if rep.from_wechat(m)]
    questions = {e.id: e.question for e in load_faq(config.faq_dir).entries}
    data = rep.build_report(messages, since, questions, top=args.top)
    data["services"] = fb.services_report(fb.open_db(config.data_dir), since,  # 好差评, 转人工, picks
                                          None if args.include_api else fb.CITIZEN_CHANNELS)
    if args.csv:
        rep.write_csv(data, args.csv)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(rep.format_text(data, limit=args.top * 2))
        print(fb.format_services(data["services"], questions, top=args.top))
    if left_out:
        print(f"（未计入 API/命令行调用 {left_out} 条；加 --include-api 可计入）",
              file=sys.stderr if args.json else sys.stdout)
    if args.csv:
        print(f"已写入 {args.csv}（UTF-8 带BOM，可直接用 Excel 打开）。", file=sys.stderr if args.json else sys.stdout)
    return 0


def register(cli) -> None:
    """Add `report` to the `bot.cli.Commands` registry."""
    report = cli.command("report", cmd_report, "消息统计：每日提问量、回答率、热门条目、待补充的问题")
    report.add_argument("--since", default="7d", help="时间范围：7d、24h 或日期 2026-11-01（默认 7d）")
    report.add_argument("--json", action="store_true", help="输出 JSON")
    report.add_argument("--csv", metavar="FILE", help="同时写入 CSV 文件（Excel 可直接打开）")
    report.add_argument("--top", type=int, default=10, help="热门条目显示条数（默认 10）")
    report.add_argument("--include-api", action="store_true",
                        help="也统计 /api/ask 与命令行的提问（默认只统计微信用户的消息）")
