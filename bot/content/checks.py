"""`faq check`: everything that can be wrong in faq_data/ files, each with file, line and entry id.

The check that needs the running bot (each example question still reaches its entry) is
bot/staff/examples.py: content stays below the answering code."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from bot.content.model import Faq, Problem
from bot.language.needs import check_needs, faq_words
from bot.language.textnorm import Normalizer

EXPIRY_WARNING_DAYS = 30
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_YEAR = re.compile(r"^(19|20)\d\d$")


def _cited_years(entry) -> set[str]:
    """A report need not print its own year (the 2025 work report never says "2025"): the
    years of its citation — title and date — may be stated too, and only years."""
    cited = f"{entry.source.get('title', '')} {entry.source.get('date', '')}"
    return {n for n in _NUMBER.findall(cited) if _YEAR.match(n)}


def check_sources(faq: Faq, reports_dir: Path) -> list[Problem]:
    """Every number in an answer or detail must stand in the report the entry cites."""
    reports_dir = Path(reports_dir)
    texts: dict[str, str | None] = {}
    problems = []
    for entry in faq.entries:
        name = entry.source.get("report", "")
        if name not in texts:
            path = reports_dir / name
            # The OCR splits numbers ("1000 亿", "5 G"): compare without whitespace.
            texts[name] = re.sub(r"\s+", "", path.read_text(encoding="utf-8")) if path.is_file() else None
        report = texts[name]
        if report is None:
            problems.append(Problem(entry.file, entry.line, f"引用的报告文件“{name}”不在 {reports_dir} 中", entry.id))
            continue
        years = _cited_years(entry)
        for field in ("answer", "detail"):
            for number in _NUMBER.findall(getattr(entry, field)):
                if number not in report and number not in years:
                    problems.append(Problem(entry.file, entry.line,
                                            f"{field} 中的数字“{number}”在报告 {name} 中找不到，请核对原文", entry.id))
    return problems


def check_expiry(faq: Faq, today: dt.date | None = None) -> list[Problem]:
    today = today or dt.date.today()
    problems = []
    for entry in faq.entries:
        if entry.valid_until is None:
            continue
        days = (entry.valid_until - today).days
        if days < 0:
            problems.append(Problem(entry.file, entry.line, f"已于 {entry.valid_until} 过期，机器人不再回复此条",
                                    entry.id, "warning"))
        elif days <= EXPIRY_WARNING_DAYS:
            problems.append(Problem(entry.file, entry.line, f"将于 {entry.valid_until} 过期（还有{days}天）",
                                    entry.id, "warning"))
    return problems


def check_alternates(faq: Faq) -> list[Problem]:
    return [Problem(e.file, e.line, f"只有{len(e.alternates)}个 alternates，建议至少3个不同说法", e.id, "warning")
            for e in faq.entries if len(e.alternates) < 3]


def check_needs_terms(faq: Faq) -> list[Problem]:
    """Warnings for needs.yaml: a term no entry uses, a cue too short to mean anything."""
    normalize = Normalizer(faq.synonyms)
    warnings = check_needs(faq.needs, faq_words(faq.entries, normalize), normalize)
    return [Problem("needs.yaml", None, w.removeprefix("needs.yaml").lstrip("：").strip(), level="warning")
            for w in warnings]
