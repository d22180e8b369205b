"""`faq check`: everything that can be wrong in faq_data/ files, each with file, line and entry id.

The check that needs the running bot (each example question still reaches its entry) is
bot/staff/examples.py: content stays below the answering code."""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

from bot.content.model import Faq, Problem
from bot.language.needs import check_needs, faq_words
from bot.language.textnorm import Normalizer

EXPIRY_WARNING_DAYS = 30
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_YEAR = re.compile(r"^(19|20)\d\d$")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")

# A number must stand in its report within this many characters (whitespace left out) of a word
# of the entry's subject: the same clause or the next, not another paragraph.
NEAR_CHARS = 30
# A word found all over a report ("株洲", "建设") says nothing about where a subject is: the
# report is cut into stretches of STRETCH_CHARS, and a word in more than COMMON_SHARE of them
# (and in more than MIN_COMMON stretches, so that a short report has no common words) is not used.
STRETCH_CHARS = 200
COMMON_SHARE = 0.05
MIN_COMMON = 3


class Report:
    """One source report as the number check reads it: its text without whitespace (the OCR
    splits numbers, "1000 亿", "4 0家"), where each number stands, and which words are rare in it."""

    def __init__(self, text: str):
        self.text = re.sub(r"\s+", "", text)
        self._positions = self._number_positions(self.text)
        stretches = len(self.text) // STRETCH_CHARS + 1
        self._common_over = max(MIN_COMMON, COMMON_SHARE * stretches)
        # The stretches each two-character word stands in, counted once per report.
        self._stretches: dict[str, set[int]] = {}
        for i in range(len(self.text) - 1):
            self._stretches.setdefault(self.text[i:i + 2], set()).add(i // STRETCH_CHARS)

    @staticmethod
    def _number_positions(text: str) -> dict[str, list[int]]:
        """Where each whole number stands ("40" not inside "2040" or "40.5"). The OCR joins a
        list's numbering to a year, "6.2016年": the digits after a dot are a number too."""
        found: dict[str, list[int]] = {}
        for match in _NUMBER.finditer(text):
            found.setdefault(match.group(), []).append(match.start())
            whole, dot, fraction = match.group().partition(".")
            if dot:
                found.setdefault(fraction, []).append(match.start() + len(whole) + 1)
        return found

    @classmethod
    def read(cls, path: Path) -> Report | None:
        return cls(path.read_text(encoding="utf-8")) if path.is_file() else None

    def positions(self, number: str) -> list[int]:
        """Where `number` stands in the report as a whole number."""
        return self._positions.get(number, [])

    def is_specific(self, bigram: str) -> bool:
        """In the report, and in few of its stretches."""
        return 0 < len(self._stretches.get(bigram, ())) <= self._common_over

    def stands_near(self, number: str, keywords: set[str], words: set[str]) -> bool:
        """Whether `number` stands within NEAR_CHARS of one of the entry's `keywords` (chosen by
        staff, so used however often the report says them) or of one of the two-character
        `words` that is specific."""
        specific = [w for w in keywords if w in self.text] + [w for w in words if self.is_specific(w)]
        for at in self.positions(number):
            window = self.text[max(0, at - NEAR_CHARS):at + len(number) + NEAR_CHARS]
            if any(word in window for word in specific):
                return True
        return False


def subject_words(entry) -> set[str]:
    """What an entry is about, as the report words it: every two-character piece of its
    keywords and question (the report says "长者餐厅" where the question says "长者餐厅有几家";
    a bigram needs no segmenter that would split OCR text differently)."""
    return _bigrams(entry.question, *entry.keywords)


def _bigrams(*texts: str) -> set[str]:
    return {run[i:i + 2] for text in texts for run in _CJK_RUN.findall(text) for i in range(len(run) - 1)}


def _clause(text: str, start: int, end: int) -> str:
    """The clause of `text` around text[start:end]: an overview lists many items in one answer,
    and a number's own subject is the item it stands in ("……长者餐厅40家；")."""
    before = max(text.rfind(mark, 0, start) for mark in _CLAUSE_ENDS)
    after = [i for i in (text.find(mark, end) for mark in _CLAUSE_ENDS) if i >= 0]
    return text[before + 1:min(after, default=len(text))]


_CLAUSE_ENDS = ("。", "；", ";", "！", "？", "\n", "：", "，", ",")


def _cited_spans(text: str, cited_dates: re.Pattern) -> list[tuple[int, int]]:
    """Where `text` states the date of one of the FAQ's sources ("据2021年5月株洲日报报道",
    "2024年12月25日", which a report need not print) or refers to the report's numbering: the
    numbers there are citations, not figures to check."""
    return [match.span() for pattern in (cited_dates, _OWN_NUMBERING) for match in pattern.finditer(text)]


def source_dates(entries) -> re.Pattern:
    """The publication dates of the FAQ's sources, as an answer writes them."""
    days, months, month_days = set(), set(), set()
    for entry in entries:
        try:
            day = dt.date.fromisoformat(entry.source.get("date", ""))
        except ValueError:
            continue
        y, m, d = day.year, f"0?{day.month}", f"0?{day.day}"
        days.add(f"{y}年{m}月{d}日")
        months.add(f"{y}年{m}月")
        month_days.add(rf"(?<!\d){m}月{d}日")
    # The whole date before its month: "2021年5月8日", not "2021年5月" and a day left to check.
    return re.compile("|".join([*sorted(days), *sorted(months), *sorted(month_days)]) or r"(?!x)x")


# "名词解释第5、6、10条": the report's own numbering of its items, not a figure it states.
_OWN_NUMBERING = re.compile(r"第[\d、，,和至到\-]+[条项]")


def _cited_years(entry) -> set[str]:
    """A report need not print its own year (the 2025 work report never says "2025"): the
    years of its citation — title and date — may be stated too, and only years."""
    cited = f"{entry.source.get('title', '')} {entry.source.get('date', '')}"
    return {n for n in _NUMBER.findall(cited) if _YEAR.match(n)}


def _number_problem(entry, field: str, match: re.Match, report: Report, name: str) -> str | None:
    """Why the number `match` of the entry's `field` is not borne out by the report, or None."""
    number = match.group()
    if not report.positions(number):
        return f"{field} 中的数字“{number}”在报告 {name} 中找不到，请核对原文"
    if _YEAR.match(number):  # a year frames the facts ("2020年完成……") and stands all over a report
        return None
    text = getattr(entry, field)
    keywords = {k for k in entry.keywords if len(k) >= 2}
    # The citation ("据2025年株洲市政府工作报告") says which report, not what the number is about.
    words = (subject_words(entry) | _bigrams(_clause(text, *match.span()))) - _bigrams(entry.source.get("title", ""))
    if report.stands_near(number, keywords, words):
        return None
    about = "、".join(entry.keywords[:3]) or entry.question
    return (f"{field} 中的数字“{number}”在报告 {name} 中只出现在与本条无关的地方"
            f"（前后{NEAR_CHARS}字内没有“{about}”等本条的词，也没有这句话里的词），请核对原文")


def _number_problems(entry, report: Report, name: str, cited_dates: re.Pattern) -> list[Problem]:
    """Each number of the answer and detail that the report does not state near its subject."""
    years = _cited_years(entry)
    problems, seen = [], set()
    for field in ("answer", "detail"):
        text = getattr(entry, field)
        cited = _cited_spans(text, cited_dates)
        for match in _NUMBER.finditer(text):
            number = match.group()
            if number in years or (field, number) in seen or any(a <= match.start() < b for a, b in cited):
                continue
            seen.add((field, number))
            message = _number_problem(entry, field, match, report, name)
            if message:
                problems.append(Problem(entry.file, entry.line, message, entry.id))
    return problems


def check_sources(faq: Faq, reports_dir: Path, cited_from=None) -> list[Problem]:
    """Every number in an answer or detail must stand in the report the entry cites, near the
    entry's subject (its keywords or question words), not just somewhere in the report.
    `cited_from`: the entries whose source dates count as citations (default: faq's own); the
    console checks one entry with the dates of the whole FAQ, as `faq check` does."""
    reports_dir = Path(reports_dir)
    if not reports_dir.is_dir():
        return [Problem(str(reports_dir), None, "报告目录（REPORTS_DIR）不存在，无法核对答案中的数字")]
    reports: dict[str, Report | None] = {}
    cited_dates = source_dates(faq.entries if cited_from is None else cited_from)
    problems = []
    for entry in faq.entries:
        name = entry.source.get("report", "")
        if name not in reports:
            reports[name] = Report.read(reports_dir / name) if name else None
        if reports[name] is None:
            problems.append(Problem(entry.file, entry.line, f"引用的报告文件“{name}”不在 {reports_dir} 中", entry.id))
            continue
        problems += _number_problems(entry, reports[name], name, cited_dates)
    return problems


def reports_digest(reports_dir: Path | None) -> str:
    """A hash of the reports' names and texts ("" without reports): an index checked against
    one set of reports is not reused for another."""
    if reports_dir is None or not Path(reports_dir).is_dir():
        return ""
    digest = hashlib.sha256()
    for path in sorted(Path(reports_dir).iterdir()):
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


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
