"""The bot's own sqlite file: message log, conversation state, and WeChat retry replies.

OpenIDs never reach this file: callers pass a keyed hash (see `UserHasher`).
Tables are created on first use and new columns are added to older files, keeping their rows.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
import threading
import time
from pathlib import Path

import sqlite_utils

from bot.store.conversation import NEW_CONVERSATION, Conversation

CONVERSATION_TTL = 600  # seconds: a follow-up later than this starts afresh

SCHEMA = {
    "messages": {
        "id": int, "ts": float, "user": str, "channel": str, "msg_kind": str, "text": str,
        "outcome": str, "faq_id": str, "score": float, "latency_ms": float,
    },
    "conversations": {"user": str, "updated": float, "state": str},
    "replies": {"key": str, "created": float, "status": str, "reply": str},
}
PRIMARY_KEYS = {"messages": "id", "conversations": "user", "replies": "key"}


class UserHasher:
    """Keyed hash of an OpenID: stable for one deployment, useless without its key."""

    def __init__(self, key: bytes):
        self._key = key

    @classmethod
    def for_data_dir(cls, data_dir: Path, configured: str = "") -> UserHasher:
        if configured:
            return cls(configured.encode())
        key_file = Path(data_dir) / "user_hash.key"
        if not key_file.exists():
            key_file.parent.mkdir(parents=True, exist_ok=True)
            try:
                with open(key_file, "x") as fh:  # "x": two workers starting at once keep one key
                    fh.write(secrets.token_hex(32))
                key_file.chmod(0o600)
            except FileExistsError:
                pass
        return cls(key_file.read_text().strip().encode())

    def __call__(self, user: str) -> str:
        return hmac.new(self._key, user.encode(), hashlib.sha256).hexdigest()[:32]


class Store:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        db = self.db()
        db.execute("pragma journal_mode=wal")  # kept by the file: readers never wait for a writer
        with db.conn:
            for name, columns in SCHEMA.items():
                table = db[name]
                if not table.exists():
                    table.create(columns, pk=PRIMARY_KEYS[name])
                else:
                    missing = {c: t for c, t in columns.items() if c not in table.columns_dict}
                    for column, col_type in missing.items():
                        table.add_column(column, col_type)
            db["messages"].create_index(["ts"], if_not_exists=True)

    def db(self) -> sqlite_utils.Database:
        """This thread's connection (autocommit), opened on first use and kept: a message costs
        three statements, not three connections."""
        db = getattr(self._local, "db", None)
        if db is None:
            conn = sqlite3.connect(self.path, timeout=10, isolation_level=None, check_same_thread=False)
            conn.execute("pragma busy_timeout=10000")
            conn.execute("pragma synchronous=normal")
            db = self._local.db = sqlite_utils.Database(conn)
        return db

    # -------------------------------------------------------------- message log

    def log_message(self, *, user: str, msg_type: str, text: str, outcome: str,
                    faq_id: str | None = None, score: float | None = None,
                    latency_ms: float | None = None, channel: str = "wechat") -> None:
        """`msg_type`: the WeChat message type or event (text, voice, event:click …), in the column msg_kind."""
        self.db()["messages"].insert({
            "ts": time.time(), "user": user, "channel": channel, "msg_kind": msg_type,
            "text": text[:500], "outcome": outcome, "faq_id": faq_id, "score": score,
            "latency_ms": latency_ms,
        })

    def messages(self, since: float = 0.0) -> list[dict]:
        return list(self.db().query("select * from messages where ts >= ? order by ts", [since]))

    # -------------------------------------------------------------- conversation state

    def load_state(self, user: str, now: float | None = None) -> Conversation:
        """The user's conversation, or a new one when there is none or it is older than CONVERSATION_TTL."""
        now = time.time() if now is None else now
        rows = list(self.db().query("select updated, state from conversations where user = ?", [user]))
        if not rows or now - rows[0]["updated"] > CONVERSATION_TTL:
            return NEW_CONVERSATION
        return Conversation.from_json(rows[0]["state"])

    def save_state(self, user: str, conversation: Conversation) -> None:
        db = self.db()
        db["conversations"].upsert(
            {"user": user, "updated": time.time(), "state": conversation.to_json()}, pk="user")
        db.execute("delete from conversations where updated < ?", [time.time() - CONVERSATION_TTL * 6])
