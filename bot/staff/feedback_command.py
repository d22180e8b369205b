"""`python -m bot feedback`: the queue of bad ratings (好差评), and marking one 已处理."""
from __future__ import annotations

from bot.content.faq import load_faq
from bot.staff import feedback as fb
from bot.staff.common import config_for


def _questions(config) -> dict[str, str]:
    return {e.id: e.question for e in load_faq(config.faq_dir).entries}


def cmd_feedback(args) -> int:
    config = config_for(args)
    db = fb.open_db(config.data_dir)
    rows = fb.queue(db, open_only=args.open)
    questions = _questions(config)
    print(fb.format_queue(rows, questions, args.open))
    if args.csv:
        fb.write_csv(rows, questions, args.csv)
        print(f"已写入 {args.csv}（UTF-8 带BOM，可直接用 Excel 打开）。")
    return 0


def cmd_feedback_done(args) -> int:
    config = config_for(args)
    kind, text = ("faq", args.faq_change) if args.faq_change else ("reply", args.reply or "")
    try:
        row = fb.resolve(fb.open_db(config.data_dir), args.id, kind, text)
    except ValueError as exc:
        print(f"错误：{exc}")
        return 1
    print(f"已标记为已处理：[{row['id']}] {row['faq_id']}（{fb.RESOLUTION_KINDS[kind]}：{row['resolution']}）")
    return 0


def register(cli) -> None:
    """Add `feedback` (and `feedback done`) to the `bot.cli.Commands` registry."""
    feedback = cli.command("feedback", cmd_feedback, "好差评：差评待处理队列（截止日期按工作日计算）")
    feedback.add_argument("--open", action="store_true", help="只列出待处理的差评")
    feedback.add_argument("--csv", metavar="FILE", help="同时写入 CSV 文件（Excel 可直接打开）")
    sub = feedback.add_subparsers(dest="feedback_command")
    done = sub.add_parser("done", help="把一条差评标记为已处理，写明答复或对FAQ的修改")
    done.set_defaults(func=cmd_feedback_done)
    done.add_argument("id", help="差评编号（python -m bot feedback 列出的，写前几位即可）")
    how = done.add_mutually_exclusive_group(required=True)
    how.add_argument("--reply", help="给市民的答复")
    how.add_argument("--faq-change", help="对 FAQ 做的修改（如：更新 ms2025-xxx 的答案）")
