"""How many wrong numbers the REPORTS_DIR check catches (issue 12 item 16), on the bundled FAQ.

    python -m tests.bench.number_check [--reports ../shared/reports] [--rounds 3]

Each round replaces one number of every answer (not a year, not a citation date) by another
number of the same report, as a slip or a stale copy would, and counts the entries the check
rejects; the old check ("the number is somewhere in the report") is counted alongside. It also
prints how many correct entries the check rejects (it should be none).
"""
from __future__ import annotations

import argparse
import copy
import random
from pathlib import Path

from bot.content import checks
from bot.content.faq import load_faq
from bot.content.model import Faq

ROOT = Path(__file__).resolve().parents[2]


def _figures(entry, report: checks.Report, dates) -> tuple[list, list[str]]:
    numbers = [m for m in checks._NUMBER.finditer(entry.answer) if not checks._YEAR.match(m.group())
               and not any(a <= m.start() < b for a, b in checks._cited_spans(entry.answer, dates))]
    others = sorted({n for n in checks._NUMBER.findall(report.text) if not checks._YEAR.match(n)})
    return numbers, others


def mutation_round(faq: Faq, reports_dir: Path, seed: int) -> tuple[int, int, int]:
    """(mutated entries, caught by the new check, caught by the old one)."""
    rng, dates, reports = random.Random(seed), checks.source_dates(faq.entries), {}
    mutated = caught = caught_before = 0
    for entry in copy.deepcopy(faq.entries):
        name = entry.source["report"]
        report = reports.setdefault(name, checks.Report((reports_dir / name).read_text(encoding="utf-8")))
        numbers, others = _figures(entry, report, dates)
        if not numbers:
            continue
        match = rng.choice(numbers)
        wrong = rng.choice([n for n in others if n != match.group()])
        entry.answer = entry.answer[:match.start()] + wrong + entry.answer[match.end():]
        mutated += 1
        caught += bool(checks.check_sources(Faq(directory=faq.directory, entries=[entry]), reports_dir))
        caught_before += not report.positions(wrong)
    return mutated, caught, caught_before


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", default=str(ROOT.parent / "shared" / "reports"))
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    faq, reports_dir = load_faq(ROOT / "faq_data"), Path(args.reports)
    rejected = {p.entry_id for p in checks.check_sources(faq, reports_dir)}
    print(f"correct entries rejected: {len(rejected)} of {len(faq.entries)} {sorted(rejected)}")
    totals = [mutation_round(faq, reports_dir, seed) for seed in range(1, args.rounds + 1)]
    mutated, caught, before = (sum(t[i] for t in totals) for i in range(3))
    print(f"wrong numbers caught: {caught} of {mutated} ({100 * caught / mutated:.0f}%); "
          f"by the old anywhere-in-the-report check: {before}")


if __name__ == "__main__":
    main()
