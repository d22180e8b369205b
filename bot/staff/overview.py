"""The console's overview: questions per day, answer rate, top entries, entries expiring soon
and entries never asked, from the message log and the FAQ (the figures of `report`)."""
from __future__ import annotations

import datetime as dt

from bot.content.model import Entry
from bot.staff import report as rep

EXPIRY_DAYS = 30


def build_overview(messages: list[dict], entries: list[Entry], since: float, include_api: bool = False,
                   today: dt.date | None = None, top: int = 10) -> dict:
    today = today or dt.date.today()
    messages = [m for m in messages if include_api or rep.from_wechat(m)]
    data = rep.build_report(messages, since, {e.id: e.question for e in entries}, top=top)
    served = [e for e in entries if not e.is_expired(today)]
    return {
        "questions": data["questions"], "users": data["users"], "answer_rate": data["answer_rate"],
        "clarify_rate": data["clarify_rate"], "fallback_rate": data["fallback_rate"],
        "low_confidence_answers": data["low_confidence_answers"],
        "per_day": every_day(data["per_day"], dt.datetime.fromtimestamp(since).date(), today),
        "top_entries": data["top_entries"],
        "expiring": expiring(served, today),
        "never_asked": never_asked(served, messages),
        "entries": len(served),
    }


def every_day(per_day: list[dict], first: dt.date, last: dt.date) -> list[dict]:
    """The report's days with the quiet days filled in, so a chart shows time as it passed."""
    known = {d["date"]: d for d in per_day}
    days, day = [], first
    while day <= last:
        key = day.isoformat()
        days.append(known.get(key) or {"date": key, "messages": 0, "questions": 0, "answer": 0, "clarify": 0,
                                       "fallback": 0, "answer_rate": 0.0})
        day += dt.timedelta(days=1)
    return days


def expiring(entries: list[Entry], today: dt.date, days: int = EXPIRY_DAYS) -> list[dict]:
    """Served entries whose valid_until falls within `days`, soonest first."""
    until = today + dt.timedelta(days=days)
    soon = sorted((e for e in entries if e.valid_until and today <= e.valid_until <= until),
                  key=lambda e: (e.valid_until, e.id))
    return [{"faq_id": e.id, "question": e.question, "category": e.category,
             "valid_until": e.valid_until.isoformat(), "days_left": (e.valid_until - today).days} for e in soon]


def never_asked(entries: list[Entry], messages: list[dict]) -> list[dict]:
    """Served entries no message of the period was answered with, by category."""
    answered = {m.get("faq_id") for m in messages if m.get("outcome") == "answer"}
    return [{"faq_id": e.id, "question": e.question, "category": e.category}
            for e in sorted(entries, key=lambda e: (e.category, e.id)) if e.id not in answered]
