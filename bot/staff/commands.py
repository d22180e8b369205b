"""Staff commands (faq test/reload/draft/import, report): registered into `python -m bot`."""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

KIND_LABELS = {"answer": "直接回答", "clarify": "反问澄清（让用户选择）", "fallback": "无法回答（兜底回复）",
               "rule": "关键词规则回复"}


def _config(args):
    from bot.cli import _config  # cli imports this module while building its parser

    return _config(args)


# ---------------------------------------------------------------- faq test

def cmd_faq_test(args) -> int:
    """How the bot decides on one question, without logging it or touching any conversation."""
    from bot.answer.decision import decide
    from bot.answer.engine import Engine

    engine = Engine(_config(args))
    decision = decide(engine.index, args.text)
    reply = engine.reply_for(decision)
    query = decision.query
    candidates = [{"faq_id": s.entry.id, "question": s.entry.question, "score": round(s.score, 1), **_score_parts(s)}
                  for s in decision.scored[:5]]
    if args.json:
        out = reply.to_json(args.text) | {"reason": reply.reason, "normalized": query.text if query else "",
                                         "words": query.words if query else [], "candidates": candidates,
                                         "thresholds": _thresholds()}
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    print(f"问题：{args.text}")
    if query is not None:
        print(f"规范化后：{query.text}　　分词：{' / '.join(query.words) or '（无）'}")
    print(f"判定：{KIND_LABELS.get(reply.kind, reply.kind)}" + (f" → {reply.faq_id}" if reply.faq_id else ""))
    if reply.reason:
        print(f"原因：{reply.reason}")
    print("候选条目（前5）：")
    for i, c in enumerate(candidates, start=1):
        extra = ""
        if "similarity" in c:
            extra = f"  [句子相似{c['similarity']:.0f} 词语覆盖{c['coverage']:.0f}%{' 关键词命中' if c['keyword_hit'] else ''}]"
        print(f"  {i}. {c['score']:>5.1f}  {c['faq_id']}  {c['question']}{extra}")
    if not candidates:
        print("  （无）" if reply.kind != "rule" else "  （命中关键词规则，不做检索）")
    t = _thresholds()
    print(f"阈值：≥{t['answer']:.0f}分且领先第二名{t['margin']:.0f}分以上才直接回答；≥{t['clarify']:.0f}分可反问澄清；更低则兜底。")
    print("市民将收到：")
    print("┌" + "─" * 40)
    for line in reply.text.splitlines():
        print(f"│ {line}")
    print("└" + "─" * 40)
    return 0


def _score_parts(scored) -> dict:
    if scored is None:
        return {}
    return {"similarity": round(scored.similarity, 1), "coverage": round(100 * scored.coverage, 1),
            "keyword_hit": scored.keyword_hit}


def _thresholds() -> dict:
    from bot.answer import matcher

    return {"answer": matcher.ANSWER_THRESHOLD, "clarify": matcher.CLARIFY_THRESHOLD, "margin": matcher.CLOSE_MARGIN}


# ---------------------------------------------------------------- faq reload

def cmd_faq_reload(args) -> int:
    """Check the files; if clean, build the index cache so running servers swap in at once."""
    from bot.content import checks as validate
    from bot.content.faq import load_faq
    from bot.search.index import Index, cache_path

    config = _config(args)
    faq_dir, cache_dir = Path(config.faq_dir), Path(config.data_dir) / "index"
    faq = load_faq(faq_dir)
    if faq.errors:
        _print_problems(faq.errors)
        print(f"FAQ 有 {len(faq.errors)} 个错误，未重新加载：索引未更新，运行中的服务继续使用上一版。请修改后再运行。")
        return 1
    before = _newest_index(cache_dir)
    existed = cache_path(cache_dir, faq.fingerprint).exists()
    started = time.perf_counter()
    problems = validate.check_alternates(faq) + validate.check_expiry(faq)
    if not args.no_examples:  # checks on the very index the servers will swap in (built here)
        problems += validate.check_examples_of(faq, config)
    # A server reloads any file that loads, so a failing example cannot stop the swap: refusing
    # here would only make it slower. It is shown loudly; --strict refuses anyway (for scripts).
    regressions = [p for p in problems if p.level == "error"]
    if regressions:
        _print_problems(regressions)
        if args.strict:
            print(f"有 {len(regressions)} 个示例问题不再匹配到自己的条目（--strict，退出码1）。"
                  f"注意：文件本身可以加载，运行中的服务仍会自动换上这些修改。")
            return 1
        print(f"注意：有 {len(regressions)} 个示例问题不再匹配到自己的条目（见上），请尽快修正。")
    index = Index.open_or_build(faq_dir, cache_dir, load=lambda _: faq)
    if existed:
        print(f"FAQ 内容与现有索引相同，无需重建：{index.path}")
    else:
        print(f"已重建索引：{index.path.name}（{index.size} 个条目，用时 {time.perf_counter() - started:.1f} 秒）")
    _print_changes(before, faq)
    warnings = [p for p in problems if p.level == "warning"]
    if warnings:  # e.g. fewer than 3 alternates: not worth a screenful here
        print(f"另有 {len(warnings)} 个警告（用 python -m bot faq check 查看）。")
    interval = config.faq_reload_interval
    print(f"运行中的服务每 {interval:g} 秒检查一次 FAQ 文件，将在 {interval:g} 秒内换上这一版（无需重启）。")
    return 0


def _newest_index(cache_dir: Path):
    files = sorted(cache_dir.glob("index-*.sqlite"), key=lambda p: p.stat().st_mtime)
    if not files:
        return None
    from bot.search.index import Index

    try:
        return {e.id: e for e in Index(files[-1]).entries()}
    except Exception:  # an old or damaged cache only loses the "what changed" line
        return None


def _print_changes(before: dict | None, faq) -> None:
    if before is None:
        return
    now = faq.by_id()
    added = sorted(set(now) - set(before))
    removed = sorted(set(before) - set(now))
    changed = sorted(i for i in set(now) & set(before) if now[i].to_dict() != before[i].to_dict())
    if not (added or removed or changed):
        print("与上一版相比：条目内容没有变化。")
        return
    print(f"与上一版相比：新增 {len(added)} 条，修改 {len(changed)} 条，删除 {len(removed)} 条。")
    for label, ids in (("新增", added), ("修改", changed), ("删除", removed)):
        if ids:
            print(f"  {label}：{'、'.join(ids[:10])}" + (" 等" if len(ids) > 10 else ""))


def _print_problems(problems) -> None:
    for problem in problems:
        print(problem)


# ---------------------------------------------------------------- faq draft

def cmd_faq_draft(args) -> int:
    from bot.staff.draft import draft_report

    report = Path(args.report)
    if not report.is_file():
        print(f"找不到报告文件：{report}")
        return 1
    text, drafts = draft_report(report, _config(args).faq_dir)
    kinds = {k: sum(1 for d in drafts if d.kind == k) for k in ("term", "item", "figure")}
    summary = (f"从 {report.name} 生成 {len(drafts)} 条草稿：名词解释 {kinds['term']} 条，列举项 {kinds['item']} 条，"
               f"含数字的句子 {kinds['figure']} 条。")
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"{summary}\n已写入 {args.out}。请逐条核对原文、填写 TODO，再移入主题文件并运行 python -m bot faq check。")
    else:
        sys.stdout.write(text)
        print(f"# {summary}", file=sys.stderr)
    return 0


# ---------------------------------------------------------------- faq export --csv / faq import

def cmd_faq_export_csv(args) -> int:
    """`faq export --csv [--out FILE]` (the lead routes it here from cli.cmd_faq_export)."""
    from bot.content.faq import load_faq
    from bot.staff.csvio import export_csv

    faq = load_faq(_config(args).faq_dir)
    out = getattr(args, "out", None)
    if out:
        count = export_csv(faq, out)
        print(f"已导出 {count} 个条目到 {out}（UTF-8 带BOM，可直接用 Excel 打开；列表项之间用“ | ”分隔）。")
    else:
        import tempfile

        with tempfile.NamedTemporaryFile(suffix=".csv", delete=False) as tmp:
            export_csv(faq, tmp.name)
        sys.stdout.buffer.write(Path(tmp.name).read_bytes())
        Path(tmp.name).unlink()
    for problem in faq.errors:
        print(problem, file=sys.stderr)
    return 1 if faq.errors else 0


def cmd_faq_import(args) -> int:
    from bot.staff.csvio import import_csv

    faq_dir = Path(_config(args).faq_dir)
    result = import_csv(args.file, faq_dir, dry_run=args.dry_run)
    if not result.ok:
        for error in result.errors:
            print(f"错误：{error}")
        print(f"导入失败：{len(result.errors)} 个错误（行号为表格中的行号，第1行是表头），FAQ 文件没有任何改动。")
        return 1
    what = "检查通过（试运行，未写入）" if args.dry_run else "导入完成"
    print(f"{what}：共 {result.rows} 行；新增 {len(result.added)} 条，修改 {len(result.changed)} 条，"
          f"删除 {len(result.removed)} 条。")
    for label, ids in (("新增", result.added), ("修改", result.changed), ("删除", result.removed)):
        if ids:
            print(f"  {label}：{'、'.join(ids[:10])}" + (" 等" if len(ids) > 10 else ""))
    if result.files:
        verb = "将改写" if args.dry_run else "已改写"
        print(f"{verb}文件：{'、'.join(sorted(result.files))}（这些文件中的注释不会保留）")
        if not args.dry_run:
            print("运行中的服务会在几秒内自动换上新内容；也可运行 python -m bot faq reload 立即建立索引。")
    else:
        print("内容与现有文件相同，没有改动任何文件。")
    return 0


# ---------------------------------------------------------------- report

def cmd_report(args) -> int:
    from bot.content.faq import load_faq
    from bot.staff import report as rep
    from bot.store.sqlite import Store

    config = _config(args)
    try:
        since = rep.parse_since(args.since)
    except ValueError as exc:
        print(exc)
        return 2
    db_path = Path(config.data_dir) / "bot.sqlite"
    messages = Store(db_path).messages(since) if db_path.exists() else []
    questions = {e.id: e.question for e in load_faq(config.faq_dir).entries}
    data = rep.build_report(messages, since, questions, top=args.top)
    if args.csv:
        rep.write_csv(data, args.csv)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(rep.format_text(data, limit=args.top * 2))
    if args.csv:
        print(f"已写入 {args.csv}（UTF-8 带BOM，可直接用 Excel 打开）。", file=sys.stderr if args.json else sys.stdout)
    return 0


# ---------------------------------------------------------------- registration

def register(sub, faq_sub) -> None:
    """Add the staff subcommands to the top-level and `faq` subparsers."""
    test = faq_sub.add_parser("test", help="试问一个问题：显示候选条目、分数、判定理由和市民收到的回复")
    test.add_argument("text")
    test.add_argument("--json", action="store_true", help="输出 JSON")
    test.set_defaults(func=cmd_faq_test)

    reload = faq_sub.add_parser("reload", help="检查 FAQ 并立即建立索引，运行中的服务随即换上新版本")
    reload.add_argument("--no-examples", action="store_true", help="跳过示例问题回归检查")
    reload.add_argument("--strict", action="store_true", help="示例问题不匹配时也视为错误，不建立索引")
    reload.set_defaults(func=cmd_faq_reload)

    draft = faq_sub.add_parser("draft", help="根据新报告生成 FAQ 条目草稿（YAML），供人工审核")
    draft.add_argument("report", help="报告文本文件")
    draft.add_argument("--out", help="写入的 YAML 文件（默认输出到屏幕）")
    draft.set_defaults(func=cmd_faq_draft)

    imp = faq_sub.add_parser("import", help="从 Excel 编辑过的 CSV 导入条目（先整体检查，有错误则不做任何修改）")
    imp.add_argument("file", help="CSV 文件（faq export --csv 导出的格式）")
    imp.add_argument("--dry-run", action="store_true", help="只检查并显示将要做的改动，不写文件")
    imp.set_defaults(func=cmd_faq_import)

    report = sub.add_parser("report", help="消息统计：每日提问量、回答率、热门条目、待补充的问题")
    report.add_argument("--since", default="7d", help="时间范围：7d、24h 或日期 2026-11-01（默认 7d）")
    report.add_argument("--json", action="store_true", help="输出 JSON")
    report.add_argument("--csv", metavar="FILE", help="同时写入 CSV 文件（Excel 可直接打开）")
    report.add_argument("--top", type=int, default=10, help="热门条目显示条数（默认 10）")
    report.set_defaults(func=cmd_report)
