"""`python -m bot faq …`: check, export, test, reload, draft and import the FAQ files."""
from __future__ import annotations

import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path

from bot.answer import cards
from bot.answer.engine import index_dir
from bot.answer.outcome import Outcome
from bot.content import checks as validate
from bot.content.faq import load_faq
from bot.content.model import Problem
from bot.search.cache import cache_path, open_or_build
from bot.search.index import Index
from bot.staff import examples
from bot.staff.common import config_for, engine_for
from bot.staff.csvio import export_csv, import_csv
from bot.staff.draft import draft_report
from bot.staff.trying import candidate_detail, outcome_label, thresholds_text, try_question
from bot.store.files import write_private

# ---------------------------------------------------------------- faq check

def cmd_faq_check(args) -> int:
    config = config_for(args)
    if args.sources:
        config = config.replace(reports_dir=Path(args.sources))
    faq = load_faq(config.faq_dir, config.reports_dir)  # with REPORTS_DIR, the number check too
    problems = list(faq.problems)
    problems += validate.check_alternates(faq) + validate.check_expiry(faq) + validate.check_needs_terms(faq)
    if not faq.errors and not args.no_examples:
        problems += examples.check_examples_of(faq, config)
    if setting := cards.setting_problem(config.reply_format, config.public_base_url):
        problems.append(Problem("环境变量", None, setting, level="warning"))
    errors = [p for p in problems if p.level == "error"]
    warnings = [p for p in problems if p.level == "warning"]
    for problem in errors + (warnings if not args.quiet else []):
        print(problem)
    print(f"检查完成：{len(faq.entries)} 个条目，{len(errors)} 个错误，{len(warnings)} 个警告。")
    return 1 if errors else 0


# ---------------------------------------------------------------- faq export [--csv]

def cmd_faq_export(args) -> int:
    if args.csv:
        return cmd_faq_export_csv(args)
    faq = load_faq(config_for(args).faq_dir)
    for entry in faq.entries:
        print(json.dumps(entry.to_dict(), ensure_ascii=False))
    return 1 if faq.errors else 0


def cmd_faq_export_csv(args) -> int:
    """`faq export --csv [--out FILE]`."""
    faq = load_faq(config_for(args).faq_dir)
    out = getattr(args, "out", None)
    if out:
        count = export_csv(faq, out)
        print(f"已导出 {count} 个条目到 {out}（UTF-8 带BOM，可直接用 Excel 打开；列表项之间用“ | ”分隔）。")
    else:
        with tempfile.NamedTemporaryFile(suffix=".csv", delete=False) as tmp:
            export_csv(faq, tmp.name)
        sys.stdout.buffer.write(Path(tmp.name).read_bytes())
        Path(tmp.name).unlink()
    for problem in faq.errors:
        print(problem, file=sys.stderr)
    return 1 if faq.errors else 0


# ---------------------------------------------------------------- faq test

def cmd_faq_test(args) -> int:
    """How the bot decides on one question, without logging it or touching any conversation."""
    data = try_question(engine_for(args), args.text)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    print(f"问题：{args.text}")
    if data["normalized"] or data["words"]:
        print(f"规范化后：{data['normalized']}　　分词：{' / '.join(data['words']) or '（无）'}")
    print(f"判定：{outcome_label(data['kind'])}" + (f" → {data['faq_id']}" if data["faq_id"] else ""))
    if data["reason"]:
        print(f"原因：{data['reason']}")
    _print_candidates(data["candidates"], data["kind"])
    print(f"阈值：{thresholds_text(data['thresholds'])}")
    print("市民将收到：")
    print("┌" + "─" * 40)
    for line in data["reply"].splitlines():
        print(f"│ {line}")
    print("└" + "─" * 40)
    return 0


def _print_candidates(candidates: list[dict], outcome: Outcome) -> None:
    print("候选条目（前5）：")
    for i, c in enumerate(candidates, start=1):
        print(f"  {i}. {c['score']:>5.1f}  {c['faq_id']}  {c['question']}  [{candidate_detail(c)}]")
    if not candidates:
        print("  （无）" if outcome != Outcome.RULE else "  （命中关键词规则，不做检索）")


# ---------------------------------------------------------------- faq reload

def cmd_faq_reload(args) -> int:
    """Check the files; if clean, build the index cache so running servers swap in at once."""
    config = config_for(args)
    faq_dir, cache_dir = Path(config.faq_dir), index_dir(config)
    faq = load_faq(faq_dir, config.reports_dir)
    if faq.errors:
        _print_problems(faq.errors)
        print(f"FAQ 有 {len(faq.errors)} 个错误，未重新加载：索引未更新，运行中的服务继续使用上一版。请修改后再运行。")
        return 1
    before = _published_before(cache_dir, faq.fingerprint)
    existed = cache_path(cache_dir, faq.fingerprint).exists()
    started = time.perf_counter()
    problems = validate.check_alternates(faq) + validate.check_expiry(faq)
    if not args.no_examples:  # checks on the very index the servers will swap in (built here)
        problems += examples.check_examples_of(faq, config)
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
    index = open_or_build(faq_dir, cache_dir, load=lambda _: faq)
    if existed:
        print(f"FAQ 内容与现有索引相同，无需重建：{index.path}")
    else:
        print(f"已重建索引：{index.path.name}（{index.size} 个条目，用时 {time.perf_counter() - started:.1f} 秒）")
    _print_changes(before, faq)
    _record_published(cache_dir, faq)
    warnings = [p for p in problems if p.level == "warning"]
    if warnings:  # e.g. fewer than 3 alternates: not worth a screenful here
        print(f"另有 {len(warnings)} 个警告（用 python -m bot faq check 查看）。")
    interval = config.faq_reload_interval
    print(f"运行中的服务每 {interval:g} 秒检查一次 FAQ 文件，将在 {interval:g} 秒内换上这一版（无需重启）。")
    return 0


# What the last `faq reload` published, by entry: "what changed" is told against it. Not the
# newest index file: `faq check` builds the index of the files as they are now (so that a reload
# finds it ready), and that index would make every edit look like "no change".
PUBLISHED = "published.json"


def _entry_digests(entries) -> dict[str, str]:
    return {e.id: hashlib.sha256(json.dumps(e.to_dict(), ensure_ascii=False, sort_keys=True).encode()).hexdigest()
            for e in entries}


def _published_before(cache_dir: Path, current: str) -> dict[str, str] | None:
    """The entries last published, else those of the newest index of other content; None if unknown."""
    try:
        return json.loads((cache_dir / PUBLISHED).read_text(encoding="utf-8"))["entries"]
    except (OSError, ValueError, KeyError):
        pass
    others = [p for p in cache_dir.glob("index-*.sqlite") if p != cache_path(cache_dir, current)]
    if not others:
        return None
    try:
        return _entry_digests(Index(max(others, key=lambda p: p.stat().st_mtime)).entries())
    except Exception:  # an old or damaged cache only loses the "what changed" line
        return None


def _record_published(cache_dir: Path, faq) -> None:
    data = {"fingerprint": faq.fingerprint, "entries": _entry_digests(faq.entries)}
    write_private(cache_dir / PUBLISHED, json.dumps(data, ensure_ascii=False))


def _print_changes(before: dict[str, str] | None, faq) -> None:
    if before is None:
        return
    now = _entry_digests(faq.entries)
    added = sorted(set(now) - set(before))
    removed = sorted(set(before) - set(now))
    changed = sorted(i for i in set(now) & set(before) if now[i] != before[i])
    if not (added or removed or changed):
        print("与上一版相比：条目内容没有变化。")
        return
    print(f"与上一版相比：新增 {len(added)} 条，修改 {len(changed)} 条，删除 {len(removed)} 条。")
    _print_ids(added, changed, removed)


def _print_ids(added, changed, removed) -> None:
    for label, ids in (("新增", added), ("修改", changed), ("删除", removed)):
        if ids:
            print(f"  {label}：{'、'.join(ids[:10])}" + (" 等" if len(ids) > 10 else ""))


def _print_problems(problems) -> None:
    for problem in problems:
        print(problem)


# ---------------------------------------------------------------- faq draft

def cmd_faq_draft(args) -> int:
    report = Path(args.report)
    if not report.is_file():
        print(f"找不到报告文件：{report}")
        return 1
    text, drafts = draft_report(report, config_for(args).faq_dir)
    found = {k: sum(1 for d in drafts if d.origin == k) for k in ("term", "item", "figure")}
    summary = (f"从 {report.name} 生成 {len(drafts)} 条草稿：名词解释 {found['term']} 条，列举项 {found['item']} 条，"
               f"含数字的句子 {found['figure']} 条。")
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"{summary}\n已写入 {args.out}。"
              "请逐条核对原文、填写 TODO，再移入主题文件并运行 python -m bot faq check。")
    else:
        sys.stdout.write(text)
        print(f"# {summary}", file=sys.stderr)
    return 0


# ---------------------------------------------------------------- faq import

def cmd_faq_import(args) -> int:
    faq_dir = Path(config_for(args).faq_dir)
    result = import_csv(args.file, faq_dir, dry_run=args.dry_run)
    if not result.ok:
        for error in result.errors:
            print(f"错误：{error}")
        print(f"导入失败：{len(result.errors)} 个错误（行号为表格中的行号，第1行是表头），FAQ 文件没有任何改动。")
        return 1
    what = "检查通过（试运行，未写入）" if args.dry_run else "导入完成"
    print(f"{what}：共 {result.rows} 行；新增 {len(result.added)} 条，修改 {len(result.changed)} 条，"
          f"删除 {len(result.removed)} 条。")
    _print_ids(result.added, result.changed, result.removed)
    if result.files:
        verb = "将改写" if args.dry_run else "已改写"
        print(f"{verb}文件：{'、'.join(sorted(result.files))}（这些文件中的注释不会保留）")
        if not args.dry_run:
            print("运行中的服务会在几秒内自动换上新内容；也可运行 python -m bot faq reload 立即建立索引。")
    else:
        print("内容与现有文件相同，没有改动任何文件。")
    return 0


# ---------------------------------------------------------------- registration

def register(cli) -> None:
    """Add the `faq` group and its subcommands to the `bot.cli.Commands` registry."""
    cli.group("faq", "FAQ 文件：检查、导出")

    check = cli.command("check", cmd_faq_check, "检查 faq_data/ 中的所有文件", group="faq")
    check.add_argument("--sources", help="报告目录：核对答案中的每个数字都出自所引报告")
    check.add_argument("--no-examples", action="store_true", help="跳过示例问题回归检查")
    check.add_argument("--quiet", action="store_true", help="只显示错误")

    export = cli.command("export", cmd_faq_export, "导出全部条目（JSON Lines，或 --csv 供 Excel 使用）", group="faq")
    export.add_argument("--csv", action="store_true", help="导出为 Excel 可直接打开的 CSV（UTF-8 带BOM）")
    export.add_argument("--out", help="写入文件（默认输出到屏幕）")

    test = cli.command("test", cmd_faq_test, "试问一个问题：显示候选条目、分数、判定理由和市民收到的回复", group="faq")
    test.add_argument("text")
    test.add_argument("--json", action="store_true", help="输出 JSON")

    reload = cli.command("reload", cmd_faq_reload, "检查 FAQ 并立即建立索引，运行中的服务随即换上新版本", group="faq")
    reload.add_argument("--no-examples", action="store_true", help="跳过示例问题回归检查")
    reload.add_argument("--strict", action="store_true", help="示例问题不匹配时也视为错误，不建立索引")

    draft = cli.command("draft", cmd_faq_draft, "根据新报告生成 FAQ 条目草稿（YAML），供人工审核", group="faq")
    draft.add_argument("report", help="报告文本文件")
    draft.add_argument("--out", help="写入的 YAML 文件（默认输出到屏幕）")

    imp = cli.command("import", cmd_faq_import, "从 Excel 编辑过的 CSV 导入条目（先整体检查，有错误则不做任何修改）",
                      group="faq")
    imp.add_argument("file", help="CSV 文件（faq export --csv 导出的格式）")
    imp.add_argument("--dry-run", action="store_true", help="只检查并显示将要做的改动，不写文件")
