"""What citizens did besides asking, in the bot's sqlite file: ratings (好差评) and what was wrong
with a bad one, hand-offs to a person (转人工), and picks from the hot and related questions.

Written like the message log, off the reply path: each row is queued and written by a
background thread (bot/store/background.py) in the request that caused it, so a WeChat retry,
which gets the first delivery's stored reply, never records anything twice. Rows are only ever
inserted by the reply path; a bad rating's reason is a row of its own, joined when read, since
it may reach another worker before the rating is written. Users are keyed hashes, and the
citizens' texts have phone and ID-card numbers masked, as in the message log.
"""
from __future__ import annotations

import secrets
import sqlite3
import time

from bot.store.background import BatchWriter
from bot.store.privacy import mask_personal_numbers
from bot.store.sqlite import BACKGROUND_BUSY_MS, Store, connect

PENDING, DONE = "待处理", "已处理"

# table: (columns, indexed columns)
TABLES = {
    "ratings": ({"id": "text primary key", "ts": "float", "user": "text", "channel": "text", "faq_id": "text",
                 "question": "text", "level": "text", "score": "integer", "bad": "integer", "due": "text",
                 "due_estimated": "integer", "status": "text", "resolution_kind": "text", "resolution": "text",
                 "resolved_ts": "float"},
                ("ts", "faq_id", "status")),
    "rating_reasons": ({"rating_id": "text", "ts": "float", "reason": "text"}, ("rating_id",)),
    "handoffs": ({"id": "integer primary key", "ts": "float", "user": "text", "channel": "text",
                  "trigger": "text", "question": "text", "faq_id": "text"}, ("ts",)),
    "picks": ({"id": "integer primary key", "ts": "float", "user": "text", "channel": "text", "kind": "text",
               "faq_id": "text"}, ("ts",)),
}
MAX_TEXT = 500


class StatementWriter(BatchWriter):
    """A BatchWriter whose rows are (sql, params): several tables in one writer thread."""

    def _write(self, conn: sqlite3.Connection, rows: list) -> None:
        if not rows:
            return
        try:
            with conn:
                for sql, params in rows:
                    conn.execute(sql, params)
        except sqlite3.Error as exc:
            self._on_error("citizen_log", exc)


def create_tables(conn: sqlite3.Connection) -> None:
    """The tables and indexes missing from the file, in one transaction (workers start at once)."""
    conn.execute("begin immediate")
    try:
        for table, (columns, indexed) in TABLES.items():
            definition = ", ".join(f"[{c}] {t}" for c, t in columns.items())
            conn.execute(f"create table if not exists [{table}] ({definition})")
            present = {row[1] for row in conn.execute(f"pragma table_info([{table}])")}
            for column, col_type in columns.items():
                if column not in present:  # a file made by an older version keeps its rows
                    conn.execute(f"alter table [{table}] add column [{column}] {col_type}")
            for column in indexed:
                conn.execute(f"create index if not exists [idx_{table}_{column}] on [{table}] ([{column}])")
        conn.execute("commit")
    except BaseException:
        conn.execute("rollback")
        raise


def _text(value: str) -> str:
    return mask_personal_numbers((value or "")[:MAX_TEXT])


class CitizenLog:
    """The reply path's side: queue a row. Staff's side (reading, resolving) is bot/staff/feedback.py."""

    def __init__(self, store: Store):
        self.path = store.path
        conn = connect(self.path, 30_000)
        try:
            create_tables(conn)
        finally:
            conn.close()
        self._writer = StatementWriter(lambda: connect(self.path, BACKGROUND_BUSY_MS), "", on_error=store.failed)
        # hand-offs and picks go with the message log (LOG_RETENTION_DAYS); ratings are the
        # staff's record of each follow-up and stay
        keep = dict((table, seconds) for table, _, seconds in store.expiry)["messages"]
        store.expiry = (*store.expiry, ("handoffs", "ts", keep), ("picks", "ts", keep))

    def _put(self, sql: str, params: list) -> None:
        self._writer.put((sql, params))

    def flush(self) -> None:
        self._writer.flush()

    @staticmethod
    def new_id() -> str:
        """A rating's id, made before it is written, so its reason can name it."""
        return secrets.token_hex(6)

    def rating(self, *, rating_id: str, user: str, channel: str, faq_id: str, question: str, level: str,
               score: int, bad: bool, due: str = "", due_estimated: bool = False) -> None:
        self._put("insert or ignore into ratings (id, ts, user, channel, faq_id, question, level, score, bad, due, "
                  "due_estimated, status) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  [rating_id, time.time(), user, channel, faq_id, _text(question), level, score, int(bad),
                   due, int(due_estimated), PENDING if bad else ""])

    def reason(self, rating_id: str, reason: str) -> None:
        self._put("insert into rating_reasons (rating_id, ts, reason) values (?, ?, ?)",
                  [rating_id, time.time(), _text(reason)])

    def handoff(self, *, user: str, channel: str, trigger: str, question: str, faq_id: str = "") -> None:
        self._put("insert into handoffs (ts, user, channel, trigger, question, faq_id) values (?, ?, ?, ?, ?, ?)",
                  [time.time(), user, channel, trigger, _text(question), faq_id])

    def pick(self, *, user: str, channel: str, kind: str, faq_id: str) -> None:
        self._put("insert into picks (ts, user, channel, kind, faq_id) values (?, ?, ?, ?, ?)",
                  [time.time(), user, channel, kind, faq_id])
