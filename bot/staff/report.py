"""`python -m bot report`: what citizens asked, how the bot did, and what staff should add next.

Everything is computed from the message log (`messages` in DATA_DIR/bot.sqlite). The log only
holds keyed hashes of users, so the report can show how many people asked, never who.
"""
from __future__ import annotations

import csv
import datetime as dt
import re
import time
from collections import Counter, defaultdict
from pathlib import Path

from rapidfuzz import fuzz, process

from bot.answer.matcher import ANSWER_THRESHOLD
from bot.language.textnorm import normalize, strip_fillers

QUESTION_OUTCOMES = ("answer", "clarify", "fallback")
# An answer only just over the threshold is worth a staff look: it may be the wrong entry.
LOW_CONFIDENCE = ANSWER_THRESHOLD + 8
# Two questions belong together when their normalised texts are this similar (0–100).
CLUSTER_SIMILARITY = 70
OUTCOME_LABELS = {"answer": "已回答", "clarify": "反问澄清", "fallback": "无法回答", "rule": "关键词规则"}

_SINCE = re.compile(r"^\s*(\d+)\s*([dhm])\s*$", re.IGNORECASE)


def parse_since(value: str, now: float | None = None) -> float:
    """'7d', '24h', '30m' (before now) or an ISO date '2026-11-01' (local midnight) → epoch seconds."""
    now = time.time() if now is None else now
    match = _SINCE.match(value or "")
    if match:
        amount, unit = int(match.group(1)), match.group(2).lower()
        return now - amount * {"d": 86400, "h": 3600, "m": 60}[unit]
    try:
        day = dt.date.fromisoformat(value.strip())
    except (ValueError, AttributeError):
        # a plain message for the staff member who typed it, not a chain of parser errors
        raise ValueError(f"无法识别的时间范围“{value}”："
                         "请写 7d（7天）、24h（24小时）或 2026-11-01 这样的日期") from None
    return dt.datetime.combine(day, dt.time()).timestamp()


def _day(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts).date().isoformat()


def _rate(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def needs_attention(message: dict) -> bool:
    """Not answered, or answered with a score so low the answer may be wrong."""
    outcome = message.get("outcome")
    if outcome in ("fallback", "clarify"):
        return True
    score = message.get("score")
    return outcome == "answer" and score is not None and score < LOW_CONFIDENCE


def from_wechat(message: dict) -> bool:
    """Citizens' messages; /api/ask and `bot ask --user` are logged with their own channel."""
    return message.get("channel") in (None, "wechat")


def question_key(text: str) -> str:
    """What two wordings of one question share: normalised, fillers left out."""
    return strip_fillers(normalize(text or ""))


def cluster_questions(messages: list[dict], similarity: float = CLUSTER_SIMILARITY,
                      with_keys: bool = False) -> list[dict]:
    """Group similar questions; biggest group first, each with its count and most common wording
    (with_keys: also the question_key of every wording in the group, as "keys").

    Greedy: the most frequent wording founds a group, later wordings join the most similar
    founder above `similarity`. Good enough for the hundreds of misses a week brings.
    """
    by_text: dict[str, list[dict]] = defaultdict(list)
    for message in messages:
        key = question_key(message.get("text"))
        if key:
            by_text[key].append(message)
    founders: list[str] = []
    groups: dict[str, list[str]] = {}
    for key in sorted(by_text, key=lambda k: (-len(by_text[k]), k)):
        best = process.extractOne(key, founders, scorer=fuzz.ratio, score_cutoff=similarity) if founders else None
        if best is None:
            founders.append(key)
            groups[key] = [key]
        else:
            groups[best[0]].append(key)
    clusters = []
    for keys in groups.values():
        members = [m for k in keys for m in by_text[k]]
        wordings = Counter((m.get("text") or "").strip() for m in members)
        clusters.append({
            "example": wordings.most_common(1)[0][0],
            "count": len(members),
            "users": len({m["user"] for m in members if m.get("user")}),
            "outcomes": dict(Counter(m.get("outcome") for m in members)),
            "variants": [w for w, _ in wordings.most_common(5)],
        } | ({"keys": sorted(keys)} if with_keys else {}))
    return sorted(clusters, key=lambda c: (-c["count"], c["example"]))


def build_report(messages: list[dict], since: float, questions_by_id: dict[str, str] | None = None,
                 top: int = 10) -> dict:
    """The whole report as plain data (what --json prints)."""
    outcomes = Counter(m.get("outcome") for m in messages)
    asked = sum(outcomes[o] for o in QUESTION_OUTCOMES)
    scores = [m["score"] for m in messages if m.get("outcome") == "answer" and m.get("score") is not None]
    return {
        "since": dt.datetime.fromtimestamp(since).isoformat(timespec="minutes"),
        "until": dt.datetime.now().isoformat(timespec="minutes"),
        "messages": len(messages),
        "questions": asked,
        "users": len({m["user"] for m in messages if m.get("user")}),
        "outcomes": dict(outcomes),
        "answer_rate": _rate(outcomes["answer"], asked),
        "clarify_rate": _rate(outcomes["clarify"], asked),
        "fallback_rate": _rate(outcomes["fallback"], asked),
        "low_confidence_answers": sum(1 for s in scores if s < LOW_CONFIDENCE),
        "per_day": _per_day(messages),
        "top_entries": _top_entries(messages, questions_by_id or {}, top),
        "to_add": cluster_questions([m for m in messages if needs_attention(m)]),
    }


def _per_day(messages: list[dict]) -> list[dict]:
    """Each day's messages, questions and outcomes, oldest day first."""
    per_day: dict[str, Counter] = defaultdict(Counter)
    for m in messages:
        per_day[_day(m["ts"])][m.get("outcome") or "other"] += 1
    days = []
    for day in sorted(per_day):
        counts = per_day[day]
        day_asked = sum(counts[o] for o in QUESTION_OUTCOMES)
        days.append({"date": day, "messages": sum(counts.values()), "questions": day_asked,
                     "answer": counts["answer"], "clarify": counts["clarify"], "fallback": counts["fallback"],
                     "answer_rate": _rate(counts["answer"], day_asked)})
    return days


def _top_entries(messages: list[dict], questions_by_id: dict[str, str], top: int) -> list[dict]:
    """The entries answered most often, with their question (empty for a deleted entry)."""
    answered = Counter(m["faq_id"] for m in messages if m.get("outcome") == "answer" and m.get("faq_id"))
    return [{"faq_id": faq_id, "question": questions_by_id.get(faq_id, ""), "count": n}
            for faq_id, n in answered.most_common(top)]


def format_text(report: dict, limit: int = 20) -> str:
    """The report for a terminal, in Chinese."""
    lines = [
        f"消息统计：{report['since']} 至 {report['until']}",
        f"  消息 {report['messages']} 条，其中提问 {report['questions']} 条，"
        f"提问用户 {report['users']} 人（按匿名用户标识去重）",
        f"  回答率 {report['answer_rate']}%，反问澄清率 {report['clarify_rate']}%，无法回答 {report['fallback_rate']}%"
        f"；低置信度回答（分数<{LOW_CONFIDENCE:.0f}）{report['low_confidence_answers']} 条",
        "",
        "每日提问量：",
        "  日期          消息  提问  回答  澄清  无法回答  回答率",
    ]
    for d in report["per_day"]:
        lines.append(f"  {d['date']}  {d['messages']:>4}  {d['questions']:>4}  {d['answer']:>4}  {d['clarify']:>4}"
                     f"  {d['fallback']:>8}  {d['answer_rate']:>5}%")
    if not report["per_day"]:
        lines.append("  （这段时间没有消息）")
    lines += ["", "最常被问到的条目："]
    for i, t in enumerate(report["top_entries"], start=1):
        lines.append(f"  {i}. {t['question'] or '（条目已删除）'} [{t['faq_id']}] — {t['count']} 次")
    if not report["top_entries"]:
        lines.append("  （无）")
    lines += ["", "没答上或把握不大的问题（相似问法已合并，建议优先补充靠前的）："]
    for i, c in enumerate(report["to_add"][:limit], start=1):
        how = "、".join(f"{OUTCOME_LABELS.get(o, o)}{n}" for o, n in sorted(c["outcomes"].items(), key=lambda x: -x[1]))
        lines.append(f"  {i}. {c['example']} — {c['count']} 次，{c['users']} 人（{how}）")
        others = [v for v in c["variants"] if v != c["example"]][:3]
        if others:
            lines.append(f"     其他问法：{' / '.join(others)}")
    if not report["to_add"]:
        lines.append("  （无）")
    elif len(report["to_add"]) > limit:
        lines.append(f"  ……另有 {len(report['to_add']) - limit} 组，完整列表请用 --csv 导出")
    return "\n".join(lines)


# A cell starting with one of these is read by Excel or LibreOffice as a formula (OWASP "CSV
# injection"): a citizen's question "=HYPERLINK(…)" must stay text in the staff's sheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value):
    """A cell value that no spreadsheet runs: text starting like a formula gets a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _SafeWriter:
    """csv.writer whose every text cell goes through spreadsheet_text."""

    def __init__(self, fh):
        self._out = csv.writer(fh)

    def writerow(self, row) -> None:
        self._out.writerow([spreadsheet_text(value) for value in row])


def write_csv(report: dict, path: str | Path) -> None:
    """One sheet with three tables; UTF-8 with BOM so Excel shows the Chinese correctly. Cells
    hold citizens' text, so none may start like a formula."""
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        out = _SafeWriter(fh)
        out.writerow(["每日统计", f"{report['since']} 至 {report['until']}"])
        out.writerow(["日期", "消息数", "提问数", "回答", "反问澄清", "无法回答", "回答率%"])
        for d in report["per_day"]:
            out.writerow([d["date"], d["messages"], d["questions"], d["answer"], d["clarify"], d["fallback"],
                          d["answer_rate"]])
        out.writerow(["合计", report["messages"], report["questions"], report["outcomes"].get("answer", 0),
                      report["outcomes"].get("clarify", 0), report["outcomes"].get("fallback", 0),
                      report["answer_rate"]])
        out.writerow([])
        out.writerow(["最常被问到的条目"])
        out.writerow(["条目id", "问题", "次数"])
        for t in report["top_entries"]:
            out.writerow([t["faq_id"], t["question"], t["count"]])
        out.writerow([])
        out.writerow(["没答上或把握不大的问题"])
        out.writerow(["示例问法", "次数", "用户数", "已回答(低分)", "反问澄清", "无法回答", "其他问法"])
        for c in report["to_add"]:
            o = c["outcomes"]
            others = " | ".join(v for v in c["variants"] if v != c["example"])
            out.writerow([c["example"], c["count"], c["users"], o.get("answer", 0), o.get("clarify", 0),
                          o.get("fallback", 0), others])
