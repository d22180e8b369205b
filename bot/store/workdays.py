"""Working days with China's public holidays and make-up working days (chinese-calendar), for
the due date of a bad rating's follow-up (local rules: 5–15 working days)."""
from __future__ import annotations

import datetime as dt

import chinese_calendar


def is_workday(day: dt.date) -> tuple[bool, bool]:
    """(a working day?, known?) — a year the library has no holiday data for yet counts
    Monday to Friday, and says so (upgrade chinesecalendar when the State Council publishes it)."""
    try:
        return chinese_calendar.is_workday(day), True
    except NotImplementedError:
        return day.weekday() < 5, False


def add_workdays(start: dt.date, days: int) -> tuple[dt.date, bool]:
    """The date `days` working days after `start` (the day itself not counted), and whether
    every day on the way was in the holiday data (False: an estimate)."""
    day, counted, known = start, 0, True
    while counted < days:
        day += dt.timedelta(days=1)
        workday, in_data = is_workday(day)
        known = known and in_data
        counted += workday
    return day, known


def workdays_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end`; negative when `end` is earlier."""
    if end < start:
        return -workdays_between(end, start)
    day, counted = start, 0
    while day < end:
        day += dt.timedelta(days=1)
        counted += is_workday(day)[0]
    return counted
