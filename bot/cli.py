"""`python -m bot …`: the same operations as the Python API, for staff and operators."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.config import Config


def _engine(args):
    from bot.answer.engine import Engine

    return Engine(_config(args))


def _config(args) -> Config:
    config = Config.from_env()
    if getattr(args, "faq_dir", None):
        config = config.replace(faq_dir=Path(args.faq_dir))
    return config


def cmd_ask(args) -> int:
    engine = _engine(args)
    reply = engine.ask(args.text, user=args.user or "", channel="cli", log_it=bool(args.user))
    if args.json:
        print(json.dumps(reply.to_json(args.text), ensure_ascii=False, indent=2))
    else:
        print(reply.text)
    return 0


def cmd_faq_check(args) -> int:
    from bot.content import checks as validate
    from bot.content.faq import load_faq

    config = _config(args)
    faq = load_faq(config.faq_dir)
    problems = list(faq.problems)
    problems += validate.check_alternates(faq) + validate.check_expiry(faq) + validate.check_needs_terms(faq)
    if args.sources:
        problems += validate.check_sources(faq, Path(args.sources))
    if not faq.errors and not args.no_examples:
        problems += validate.check_examples_of(faq, config)
    errors = [p for p in problems if p.level == "error"]
    warnings = [p for p in problems if p.level == "warning"]
    for problem in errors + (warnings if not args.quiet else []):
        print(problem)
    print(f"检查完成：{len(faq.entries)} 个条目，{len(errors)} 个错误，{len(warnings)} 个警告。")
    return 1 if errors else 0


def cmd_faq_export(args) -> int:
    from bot.content.faq import load_faq

    if args.csv:
        from bot.staff.commands import cmd_faq_export_csv

        return cmd_faq_export_csv(args)
    faq = load_faq(_config(args).faq_dir)
    for entry in faq.entries:
        print(json.dumps(entry.to_dict(), ensure_ascii=False))
    return 1 if faq.errors else 0


def cmd_eval(args) -> int:
    from bot.staff.evaluate import evaluate, format_report, load_items, self_check

    engine = _engine(args)
    if args.self_check:
        lines = []
        if args.outscope:
            lines = [l.strip() for l in Path(args.outscope).read_text(encoding="utf-8").splitlines()
                     if l.strip() and not l.startswith("#")]
        result = self_check(engine, lines)
        if args.json:
            print(json.dumps(result, ensure_ascii=False, indent=2))
        else:
            counts = result["counts"]
            total = sum(v for k, v in counts.items() if not k.startswith("out_"))
            print(f"留一法：{total} 个说法，答对 {counts.get('correct', 0)}，答错 {counts.get('wrong', 0)}，"
                  f"反问 {counts.get('clarified', 0) + counts.get('clarified_wrong', 0)}，兜底 {counts.get('missed', 0)}")
            if lines:
                answered = counts.get("out_answer", 0)
                print(f"范围外：{len(lines)} 句，直接回答 {answered} 句")
        return 0
    if not args.files:
        print("请给出题集文件，或用 --self 做留一法自检。")
        return 2
    items = load_items(args.files)
    if args.fit:
        from bot.answer import matcher
        from bot.staff import calibrate

        fitted = calibrate.fit(engine, items)
        print(f"在调参的一半上搜索了 {fitted['points']} 组阈值，最优（效用 {fitted['utility']:.1f}）："
              + "，".join(f"{k}={v:g}" for k, v in fitted["best"].items()))
        print(f"已写入 {calibrate.THRESHOLDS_FILE}")
        for name, value in fitted["best"].items():
            setattr(matcher, name, value)
    report = evaluate(items, engine.respond)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(format_report(report, show_failures=not args.quiet))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="株洲政务信息机器人：命令行工具")
    parser.add_argument("--faq-dir", help="FAQ 目录（默认取环境变量 FAQ_DIR 或 faq_data/）")
    sub = parser.add_subparsers(dest="command", required=True)

    ask = sub.add_parser("ask", help="问一个问题，打印市民会收到的回复")
    ask.add_argument("text")
    ask.add_argument("--json", action="store_true", help="输出与 /api/ask 相同的 JSON")
    ask.add_argument("--user", help="用户标识（用于多轮对话）")
    ask.set_defaults(func=cmd_ask)

    faq = sub.add_parser("faq", help="FAQ 文件：检查、导出")
    faq_sub = faq.add_subparsers(dest="faq_command", required=True)
    check = faq_sub.add_parser("check", help="检查 faq_data/ 中的所有文件")
    check.add_argument("--sources", help="报告目录：核对答案中的每个数字都出自所引报告")
    check.add_argument("--no-examples", action="store_true", help="跳过示例问题回归检查")
    check.add_argument("--quiet", action="store_true", help="只显示错误")
    check.set_defaults(func=cmd_faq_check)
    export = faq_sub.add_parser("export", help="导出全部条目（JSON Lines，或 --csv 供 Excel 使用）")
    export.add_argument("--csv", action="store_true", help="导出为 Excel 可直接打开的 CSV（UTF-8 带BOM）")
    export.add_argument("--out", help="写入文件（默认输出到屏幕）")
    export.set_defaults(func=cmd_faq_export)

    from bot.staff import commands as staffcli  # their commands live beside their code

    staffcli.register(sub, faq_sub)

    ev = sub.add_parser("eval", help="用评测题集打分（格式见 shared/eval/README.md）")
    ev.add_argument("files", nargs="*")
    ev.add_argument("--self", dest="self_check", action="store_true",
                    help="留一法自检：每条的每个说法去掉后，看用它还能不能找回本条")
    ev.add_argument("--outscope", help="与 --self 一起：范围外问题文件（一行一句），检查它们不被直接回答")
    ev.add_argument("--fit", action="store_true",
                    help="在题集调参的一半上拟合判定阈值，写入 bot/answer/thresholds.json，再给出两半的成绩")
    ev.add_argument("--json", action="store_true")
    ev.add_argument("--quiet", action="store_true", help="不列出未通过的题目")
    ev.set_defaults(func=cmd_eval)
    return parser


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
