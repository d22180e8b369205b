"""`python -m bot eval`: score question sets, check each phrasing finds its entry, fit the thresholds."""
from __future__ import annotations

import json
from pathlib import Path

from bot.answer import matcher
from bot.staff import calibrate
from bot.staff.common import engine_for
from bot.staff.evaluate import evaluate, format_report, load_items, self_check


def cmd_eval(args) -> int:
    engine = engine_for(args)
    if args.self_check:
        return _self_check(args, engine)
    if not args.files:
        print("请给出题集文件，或用 --self 做留一法自检。")
        return 2
    items = load_items(args.files)
    if args.fit:
        _fit(engine, items)
    report = evaluate(items, engine.respond)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(format_report(report, show_failures=not args.quiet))
    return 0


def _self_check(args, engine) -> int:
    lines = []
    if args.outscope:
        lines = [line.strip() for line in Path(args.outscope).read_text(encoding="utf-8").splitlines()
                 if line.strip() and not line.startswith("#")]
    result = self_check(engine, lines)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    counts = result["counts"]
    total = sum(v for k, v in counts.items() if not k.startswith("out_"))
    print(f"留一法：{total} 个说法，答对 {counts.get('correct', 0)}，答错 {counts.get('wrong', 0)}，"
          f"反问 {counts.get('clarified', 0) + counts.get('clarified_wrong', 0)}，兜底 {counts.get('missed', 0)}")
    if lines:
        answered = counts.get("out_answer", 0)
        print(f"范围外：{len(lines)} 句，直接回答 {answered} 句")
    return 0


def _fit(engine, items: list[dict]) -> None:
    """Fit the thresholds on the tune half, write them, and score with them from now on."""
    fitted = calibrate.fit(engine, items)
    print(f"在调参的一半上搜索了 {fitted['weight_points']} 组打分权重，最优："
          + "，".join(f"{k}={v:g}" for k, v in fitted["weights"].items()))
    print(f"再搜索了 {fitted['points']} 组阈值，最优（效用 {fitted['utility']:.1f}）："
          + "，".join(f"{k}={v:g}" for k, v in fitted["best"].items()))
    print(f"已写入 {calibrate.THRESHOLDS_FILE}")
    for name, value in {**fitted["weights"], **fitted["best"]}.items():
        setattr(matcher, name, value)


def register(cli) -> None:
    """Add `eval` to the `bot.cli.Commands` registry."""
    ev = cli.command("eval", cmd_eval, "用评测题集打分（格式见 shared/eval/README.md）")
    ev.add_argument("files", nargs="*")
    ev.add_argument("--self", dest="self_check", action="store_true",
                    help="留一法自检：每条的每个说法去掉后，看用它还能不能找回本条")
    ev.add_argument("--outscope", help="与 --self 一起：范围外问题文件（一行一句），检查它们不被直接回答")
    ev.add_argument("--fit", action="store_true",
                    help="在题集调参的一半上拟合打分权重和判定阈值，写入 bot/answer/thresholds.json，再给出两半的成绩")
    ev.add_argument("--json", action="store_true")
    ev.add_argument("--quiet", action="store_true", help="不列出未通过的题目")
