"""The staff's side of the citizen services: the queue of bad ratings (好差评 follow-up, with a
due date N working days on), satisfaction per entry, hand-offs (转人工) and hot/related picks.

Plain functions over DATA_DIR/bot.sqlite (tables of bot/store/citizen.py), called by
`python -m bot feedback`, `python -m bot report` and the staff web console. Users are keyed
hashes: the queue shows what was asked and what was wrong, never who.
"""
from __future__ import annotations

import datetime as dt
import time
from collections import Counter, defaultdict
from pathlib import Path

import sqlite_utils

from bot.staff.report import _SafeWriter
from bot.store.citizen import DONE, PENDING, create_tables
from bot.store.sqlite import BACKGROUND_BUSY_MS, connect
from bot.store.workdays import workdays_between

RESOLUTION_KINDS = {"reply": "答复市民", "faq": "修改FAQ"}
CHANNEL_LABELS = {"wechat": "微信", "api": "接口", "cli": "命令行", "page": "详情页"}


def open_db(data_dir: str | Path) -> sqlite_utils.Database:
    """The bot's sqlite file with the citizen tables (made if missing: a fresh DATA_DIR)."""
    path = Path(data_dir) / "bot.sqlite"
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = connect(path, BACKGROUND_BUSY_MS)
    create_tables(conn)
    return sqlite_utils.Database(conn)


def queue(db: sqlite_utils.Database, open_only: bool = False, today: dt.date | None = None) -> list[dict]:
    """The bad ratings, oldest due first, each with its reasons (in order) and the working days
    left until it is due (negative: overdue)."""
    today = today or dt.date.today()
    where = "bad = 1" + (" and status = ?" if open_only else "")
    rows = list(db.query(f"select * from ratings where {where} order by due, ts", [PENDING] if open_only else []))
    reasons: dict[str, list[str]] = defaultdict(list)
    if rows:
        marks = ",".join("?" * len(rows))
        for r in db.query(f"select rating_id, reason from rating_reasons where rating_id in ({marks}) order by ts",
                          [row["id"] for row in rows]):
            reasons[r["rating_id"]].append(r["reason"])
    for row in rows:
        row["reasons"] = reasons.get(row["id"], [])
        row["days_left"] = workdays_between(today, dt.date.fromisoformat(row["due"])) if row["due"] else None
    return rows


def find(db: sqlite_utils.Database, rating_id: str) -> list[dict]:
    """The bad ratings whose id starts with `rating_id` (staff type the first few characters)."""
    return list(db.query("select * from ratings where bad = 1 and id like ? || '%'", [rating_id.strip()]))


def resolve(db: sqlite_utils.Database, rating_id: str, kind: str, text: str, now: float | None = None) -> dict:
    """Mark one bad rating 已处理 with the reply given or the FAQ change made. Raises ValueError
    (in Chinese) for an unknown or ambiguous id, an unknown kind or an empty text."""
    if kind not in RESOLUTION_KINDS:
        raise ValueError(f"处理方式只能是：{'、'.join(f'{k}（{v}）' for k, v in RESOLUTION_KINDS.items())}")
    if not text.strip():
        raise ValueError("请写明答复的内容或对FAQ做的修改")
    found = find(db, rating_id)
    if not found:
        raise ValueError(f"没有编号为“{rating_id}”的差评：用 python -m bot feedback 查看编号")
    if len(found) > 1:
        raise ValueError(f"编号“{rating_id}”对应 {len(found)} 条差评，请多写几位")
    row = found[0]
    db.conn.execute("update ratings set status = ?, resolution_kind = ?, resolution = ?, resolved_ts = ? where id = ?",
                    [DONE, kind, text.strip(), time.time() if now is None else now, row["id"]])
    return next(db.query("select * from ratings where id = ?", [row["id"]]))


CITIZEN_CHANNELS = ("wechat", "page")  # what `report` counts unless --include-api


def _in(channels: tuple[str, ...] | None) -> tuple[str, list]:
    """An `and channel in (...)` clause and its parameters; none for every channel."""
    if channels is None:
        return "", []
    return f" and channel in ({','.join('?' * len(channels))})", list(channels)


def satisfaction(db: sqlite_utils.Database, since: float = 0.0,
                 channels: tuple[str, ...] | None = None) -> list[dict]:
    """Ratings per entry since `since`: counts, the share satisfied and the mean score (1–5),
    the most rated first."""
    clause, params = _in(channels)
    rows = db.query("select faq_id, count(*) as ratings, sum(bad = 0) as good, sum(bad) as bad, avg(score) as score "
                    f"from ratings where ts >= ?{clause} group by faq_id order by count(*) desc, faq_id",
                    [since, *params])
    return [{**r, "satisfied_rate": round(100.0 * r["good"] / r["ratings"], 1), "score": round(r["score"], 2)}
            for r in rows]


def handoffs(db: sqlite_utils.Database, since: float = 0.0, channels: tuple[str, ...] | None = None) -> dict:
    """The hand-offs since `since`: how many, by trigger, and the latest questions handed on."""
    clause, params = _in(channels)
    rows = list(db.query(f"select * from handoffs where ts >= ?{clause} order by ts desc", [since, *params]))
    return {"count": len(rows), "by_trigger": dict(Counter(r["trigger"] for r in rows)),
            "latest": [{"ts": r["ts"], "trigger": r["trigger"], "question": r["question"]} for r in rows[:10]]}


def picks(db: sqlite_utils.Database, since: float = 0.0, channels: tuple[str, ...] | None = None) -> dict:
    """Questions picked by number from the hot and related lists since `since`."""
    clause, params = _in(channels)
    rows = list(db.query(f"select kind, faq_id, count(*) as n from picks where ts >= ?{clause} "
                         "group by kind, faq_id order by n desc, faq_id", [since, *params]))
    return {kind: [{"faq_id": r["faq_id"], "count": r["n"]} for r in rows if r["kind"] == kind]
            for kind in ("hot", "related")}


def _when(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M")


def due_label(row: dict) -> str:
    if row["status"] == DONE:
        return f"已于 {_when(row['resolved_ts'])} 处理"
    left = row["days_left"]
    estimate = "（按周一至周五估算：节假日数据未收入）" if row.get("due_estimated") else ""
    if left is None:
        return ""
    if left < 0:
        return f"截止 {row['due']}，已逾期 {-left} 个工作日{estimate}"
    return f"截止 {row['due']}（还有 {left} 个工作日）{estimate}"


def format_queue(rows: list[dict], questions: dict[str, str], open_only: bool) -> str:
    """The queue for a terminal, in Chinese."""
    pending = [r for r in rows if r["status"] == PENDING]
    overdue = sum(1 for r in pending if (r["days_left"] or 0) < 0)
    title = "差评待处理" if open_only else "差评处理情况"
    lines = [f"{title}：共 {len(rows)} 条，待处理 {len(pending)} 条，其中已逾期 {overdue} 条"]
    for r in rows:
        channel = CHANNEL_LABELS.get(r["channel"], r["channel"])
        lines.append(f"  [{r['id']}] {_when(r['ts'])} {channel}  {r['status']}  {due_label(r)}")
        lines.append(f"     条目：{r['faq_id']} {questions.get(r['faq_id'], '（条目已删除）')}")
        if r["question"]:
            lines.append(f"     市民的问题：{r['question']}")
        reasons = "；".join(r["reasons"]) or "（市民没有说明）"
        lines.append(f"     评价：{r['level']}　原因：{reasons}")
        if r["status"] == DONE:
            lines.append(f"     处理：{RESOLUTION_KINDS.get(r['resolution_kind'], '')}：{r['resolution']}")
    if not rows:
        lines.append("  （无）")
    return "\n".join(lines)


def write_csv(rows: list[dict], questions: dict[str, str], path: str | Path) -> None:
    """The queue as a sheet (UTF-8 with BOM for Excel); citizens' text never starts a formula."""
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        out = _SafeWriter(fh)
        out.writerow(["编号", "时间", "渠道", "条目id", "条目问题", "市民的问题", "评价", "原因", "截止日期",
                      "剩余工作日", "状态", "处理方式", "处理内容"])
        for r in rows:
            out.writerow([r["id"], _when(r["ts"]), CHANNEL_LABELS.get(r["channel"], r["channel"]), r["faq_id"],
                          questions.get(r["faq_id"], ""), r["question"], r["level"], "；".join(r["reasons"]),
                          r["due"], r["days_left"], r["status"], RESOLUTION_KINDS.get(r["resolution_kind"] or "", ""),
                          r["resolution"] or ""])


def services_report(db: sqlite_utils.Database, since: float,
                    channels: tuple[str, ...] | None = CITIZEN_CHANNELS) -> dict:
    """What `report` adds about the citizen services (its --json key "services")."""
    return {"satisfaction": satisfaction(db, since, channels), "handoffs": handoffs(db, since, channels),
            "picks": picks(db, since, channels), "open_feedback": len(queue(db, open_only=True))}


def format_services(data: dict, questions: dict[str, str], top: int = 10) -> str:
    """The report's section on ratings, hand-offs and picks, in Chinese."""
    lines = ["", "满意度（好差评，按条目）："]
    rated = data["satisfaction"]
    for i, r in enumerate(rated[:top], start=1):
        lines.append(f"  {i}. {questions.get(r['faq_id'], '（条目已删除）')} [{r['faq_id']}] — 评价 {r['ratings']} 次，"
                     f"满意 {r['good']}，不满意 {r['bad']}，满意率 {r['satisfied_rate']}%")
    if not rated:
        lines.append("  （无）")
    total = sum(r["ratings"] for r in rated)
    good = sum(r["good"] for r in rated)
    if total:
        lines.append(f"  合计：评价 {total} 次，满意率 {round(100.0 * good / total, 1)}%；"
                     f"待处理差评 {data['open_feedback']} 条（python -m bot feedback --open）")
    hand = data["handoffs"]
    lines += ["", f"转人工：{hand['count']} 次" + ("（" + "，".join(f"{k} {n}" for k, n in hand["by_trigger"].items())
                                                   + "）" if hand["count"] else "")]
    for h in hand["latest"][:5]:
        lines.append(f"  {_when(h['ts'])} {h['trigger']}：{h['question'] or '（没有问题）'}")
    lines += ["", "从列表中选择的问题（回复数字）："]
    for kind, label in (("hot", "热点问题"), ("related", "相关问题")):
        chosen = data["picks"][kind]
        listed = "，".join(f"{questions.get(p['faq_id'], p['faq_id'])} {p['count']} 次" for p in chosen[:top])
        lines.append(f"  {label}：{sum(p['count'] for p in chosen)} 次" + (f"（{listed}）" if chosen else ""))
    return "\n".join(lines)
