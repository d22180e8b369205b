"""The queue of what citizens asked and did not get: the groups of unanswered (fallback,
clarify) and low-confidence questions of `report`, each with the entries nearest to it, and
the groups staff dismissed (with a reason), which stay hidden until a new, different question
joins them.
"""
from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field

from bot.answer.decision import decide
from bot.staff import report as rep
from bot.staff import workstore

PERIODS = {"7d": "最近7天", "30d": "最近30天", "90d": "最近90天"}
DEFAULT_PERIOD = "30d"
MAX_GROUPS = 50          # shown at once: the biggest groups matter first
NEAREST = 3              # entries offered for "add as a phrasing"
MAX_REASON = 200
MAX_PHRASING = 100       # a phrasing is a question, not a paragraph


@dataclass
class Group:
    id: str                  # stable while the group holds the same wordings
    example: str
    count: int
    users: int
    outcomes: dict
    variants: list[str]
    keys: list[str]
    new_keys: list[str]      # not in any dismissal: what brought a dismissed group back
    was_dismissed: bool      # some of its wordings were dismissed before
    nearest: list[dict] = field(default_factory=list)


@dataclass
class Queue:
    since: float
    period: str
    groups: list[Group]      # shown
    hidden: int              # dismissed groups with nothing new
    total: int               # all groups before dismissals and the MAX_GROUPS cut
    questions: int           # questions needing attention in the period


def group_id(keys: list[str]) -> str:
    return hashlib.sha256(json.dumps(sorted(keys), ensure_ascii=False).encode()).hexdigest()[:16]


def period_start(period: str, now: float | None = None) -> float:
    if period not in PERIODS:
        raise ValueError(f"无法识别的时间范围“{period}”：可选 {'、'.join(PERIODS.values())}")
    return rep.parse_since(period, now)


def build_queue(messages: list[dict], dismissed: set[str], index=None, period: str = DEFAULT_PERIOD,
                since: float = 0.0, include_api: bool = False, limit: int = MAX_GROUPS) -> Queue:
    """The groups of `messages` needing attention, dismissed ones left out; with `index`, each
    shown group gets the entries nearest to its example."""
    asked = [m for m in messages if rep.needs_attention(m) and (include_api or rep.from_wechat(m))]
    groups, hidden = [], 0
    clusters = rep.cluster_questions(asked, with_keys=True)
    for c in clusters:
        new = [k for k in c["keys"] if k not in dismissed]
        if not new:
            hidden += 1
            continue
        groups.append(Group(group_id(c["keys"]), c["example"], c["count"], c["users"], c["outcomes"], c["variants"],
                            c["keys"], new, len(new) < len(c["keys"])))
    groups = groups[:limit]
    if index is not None:
        for g in groups:
            g.nearest = nearest_entries(index, g.example)
    return Queue(since, period, groups, hidden, len(clusters), len(asked))


def nearest_entries(index, text: str, count: int = NEAREST) -> list[dict]:
    """The entries the matcher ranks first for `text` (what `faq test` lists as candidates)."""
    decision = decide(index, text)
    return [{"faq_id": s.entry.id, "question": s.entry.question, "category": s.entry.category,
             "score": round(s.score, 1)} for s in decision.scored[:count]]


def find_group(queue: Queue, gid: str) -> Group:
    for g in queue.groups:
        if g.id == gid:
            return g
    raise LookupError("这组问题已经变了（有新的提问，或已被别人处理）：请刷新页面后再操作")


# ---------------------------------------------------------------- dismissals

def dismissed_keys(data_dir) -> set[str]:
    with workstore.opened(data_dir) as db:
        return {k for row in db["dismissals"].rows for k in json.loads(row["keys"])}


def dismiss(data_dir, group: Group, reason: str, staff: str) -> int:
    """Hide `group` until a new wording joins it; the reason is required."""
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("请填写忽略的原因（例如：与政务无关、报告里没有、已转交其他部门）")
    if len(reason) > MAX_REASON:
        raise ValueError(f"原因太长：最多 {MAX_REASON} 个字")
    with workstore.opened(data_dir) as db:
        return db["dismissals"].insert({"ts": time.time(), "staff": staff, "reason": reason, "example": group.example,
                                        "keys": json.dumps(group.keys, ensure_ascii=False)}).last_pk


def dismissals(data_dir, limit: int = 20) -> list[dict]:
    """The latest dismissals, newest first."""
    with workstore.opened(data_dir) as db:
        return list(db["dismissals"].rows_where(order_by="ts desc", limit=limit,
                                                select="id, ts, staff, reason, example"))


# ---------------------------------------------------------------- add as a phrasing

def phrasing_text(text: str) -> str:
    """A citizen's wording as a phrasing: one line, checked for length."""
    text = " ".join((text or "").split())
    if not text:
        raise ValueError("问法是空的")
    if len(text) > MAX_PHRASING:
        raise ValueError(f"问法太长（{len(text)} 字）：最多 {MAX_PHRASING} 字，请改短后再加")
    return text

