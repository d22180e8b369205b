"""The bot's own sqlite file: message log, conversation state, and WeChat retry replies.

OpenIDs never reach this file: callers pass a keyed hash (see `UserHasher`).
Tables are created on first use and new columns and indexes are added to older files, keeping their rows.

A reply must come within WeChat's 5 s whatever the disk does, so the reply path (`write`,
`read`) waits at most REPLY_BUSY_MS for a lock, and a write that fails (locked, disk full) is
skipped: the reply goes out, the conversation is kept in memory meanwhile, the failure is
logged once a minute, and the store is tried again RETRY_AFTER seconds later. The message log
and the purge of expired rows run in a background thread (bot/store/background.py).
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

import sqlite_utils

from bot.store.background import BatchWriter, delete_expired, log_failure
from bot.store.conversation import NEW_CONVERSATION, Conversation
from bot.store.files import create_private
from bot.store.privacy import mask_personal_numbers

CONVERSATION_TTL = 600        # seconds: a follow-up later than this starts afresh
CONVERSATION_KEEP = 3600      # older conversation rows are purged
REPLY_TTL = 24 * 3600         # older retry rows can no longer be retries, and are purged
REPLY_BUSY_MS = 1000          # the most a reply-path statement waits for a lock
BACKGROUND_BUSY_MS = 10_000   # the log writer and purger may wait longer: nobody waits for them
RETRY_AFTER = 5.0             # after a failed write, the reply path leaves the file alone this long
FALLBACK_USERS = 10_000       # conversations kept in memory while the file cannot be written

SCHEMA = {
    "messages": {
        "id": "integer primary key", "ts": "float", "user": "text", "channel": "text", "msg_kind": "text",
        "text": "text", "outcome": "text", "faq_id": "text", "score": "float", "latency_ms": "float",
    },
    "conversations": {"user": "text primary key", "updated": "float", "state": "text"},
    # owner: the process answering a pending claim (bot/store/retries.py)
    "replies": {"key": "text primary key", "created": "float", "status": "text", "reply": "text", "owner": "text"},
}
INDEXES = {"messages": "ts", "conversations": "updated", "replies": "created"}
EXPIRY = (("replies", "created", REPLY_TTL), ("conversations", "updated", CONVERSATION_KEEP))
LOG_RETENTION_DAYS = 180      # message log rows older than this are purged (Config.log_retention_days)
LOG_COLUMNS = ("ts", "user", "channel", "msg_kind", "text", "outcome", "faq_id", "score", "latency_ms")


def connect(path: Path, busy_ms: int) -> sqlite3.Connection:
    """An autocommit connection that waits at most `busy_ms` for another writer."""
    conn = sqlite3.connect(path, timeout=busy_ms / 1000, isolation_level=None, check_same_thread=False)
    conn.execute(f"pragma busy_timeout={int(busy_ms)}")
    conn.execute("pragma synchronous=normal")  # WAL: a power cut may lose the last commits, never the file
    return conn


def create_file(path: Path) -> None:
    """A fresh file is made aside, schema and WAL mode included, then linked into place: workers
    starting at once on an empty DATA_DIR race only for the link (one wins, the others open its
    file), not for sqlite's first change of journal mode, which fails at once as "locked"."""
    if path.exists():
        return
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    create_private(tmp)  # before sqlite creates it 0644: the linked file, its -wal and -shm keep 0600
    conn = connect(tmp, BACKGROUND_BUSY_MS)
    try:
        create_schema(conn)
    finally:
        conn.close()
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            leftover.unlink(missing_ok=True)


def create_schema(conn: sqlite3.Connection) -> None:
    """Tables, columns and indexes missing from the file, in one transaction, so two workers
    opening a fresh or older file at once both succeed."""
    conn.execute("pragma journal_mode=wal")  # kept by the file: readers never wait for a writer
    conn.execute("begin immediate")
    try:
        for table, columns in SCHEMA.items():
            _create_table(conn, table, columns)
        conn.execute("commit")
    except BaseException:
        conn.execute("rollback")
        raise


def _create_table(conn: sqlite3.Connection, table: str, columns: dict[str, str]) -> None:
    definition = ", ".join(f"[{column}] {col_type}" for column, col_type in columns.items())
    conn.execute(f"create table if not exists [{table}] ({definition})")
    present = {row[1] for row in conn.execute(f"pragma table_info([{table}])")}
    for column, col_type in columns.items():
        if column not in present:
            conn.execute(f"alter table [{table}] add column [{column}] {col_type}")
    column = INDEXES[table]
    conn.execute(f"create index if not exists [idx_{table}_{column}] on [{table}] ([{column}])")


class UserHasher:
    """Keyed hash of an OpenID: stable for one deployment, useless without its key."""

    def __init__(self, key: bytes):
        self._key = key
        self._keyed = hmac.new(key, digestmod=hashlib.sha256)  # copied per call: the key is prepared once

    @classmethod
    def for_data_dir(cls, data_dir: Path, configured: str = "") -> UserHasher:
        if configured:
            return cls(configured.encode())
        key_file = Path(data_dir) / "user_hash.key"
        if not key_file.exists():
            _create_key(key_file)
        key = key_file.read_text().strip()
        if not key:
            raise ValueError(f"{key_file.name} 是空文件：请恢复原来的密钥文件（删除它会使已记录的用户无法对应）")
        return cls(key.encode())

    def __call__(self, user: str) -> str:
        mac = self._keyed.copy()  # the same digest as hmac.new(key, user, sha256), at a third of the cost
        mac.update(user.encode())
        return mac.hexdigest()[:32]


def _create_key(key_file: Path) -> None:
    """Written whole to a private temporary file (O_EXCL, 0600), then linked into place: workers
    starting at once all end up reading the one key that won, never a half-written one."""
    key_file.parent.mkdir(parents=True, exist_ok=True)
    tmp = key_file.with_name(f".{key_file.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
            fh.flush()
            os.fsync(fh.fileno())
        os.link(tmp, key_file)
    except FileExistsError:  # another worker's key won
        pass
    finally:
        tmp.unlink(missing_ok=True)


class Store:
    def __init__(self, path: Path, log_retention_days: float = LOG_RETENTION_DAYS):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if log_retention_days <= 0:
            raise ValueError(f"LOG_RETENTION_DAYS 应为正数（消息日志保留的天数，如 180），现在是 {log_retention_days}")
        self.expiry = (*EXPIRY, ("messages", "ts", log_retention_days * 86400))
        self._local = threading.local()
        self._skip_until = 0.0
        self.write_failures = 0
        self.on_failure: Callable[[str], object] | None = None  # e.g. a metrics counter, by operation
        self._fallback: OrderedDict[str, tuple[float, str]] = OrderedDict()
        self._fallback_lock = threading.Lock()
        create_file(self.path)
        schema_conn = connect(self.path, 30_000)  # another worker may be indexing a large old file
        try:
            create_schema(schema_conn)
        finally:
            schema_conn.close()
        placeholders = ", ".join("?" * len(LOG_COLUMNS))
        self._log = BatchWriter(lambda: connect(self.path, BACKGROUND_BUSY_MS),
                                f"insert into messages ({', '.join(LOG_COLUMNS)}) values ({placeholders})",
                                chore=self.purge, on_error=self.failed)

    def db(self) -> sqlite_utils.Database:
        """This thread's reply-path connection (autocommit), opened on first use and kept: a
        message costs a few statements, not a few connections."""
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = sqlite_utils.Database(connect(self.path, REPLY_BUSY_MS))
        return db

    def write(self, what: str, sql: str, params: list) -> int | None:
        """One reply-path write (`what`: the operation, as logged and counted): its row count,
        or None when the file cannot be written now."""
        if time.monotonic() < self._skip_until:
            return None
        try:
            count = self.db().conn.execute(sql, params).rowcount
        except sqlite3.Error as exc:
            self._skip_until = time.monotonic() + RETRY_AFTER
            self.failed(what, exc)
            return None
        return count

    def failed(self, operation: str, exc: Exception) -> None:
        """Count and log (once a minute) a failed write; `on_failure` lets the web layer count it too."""
        self.write_failures += 1
        log_failure(operation, exc)
        if self.on_failure is not None:
            self.on_failure(operation)

    def read(self, what: str, sql: str, params: list) -> list[tuple] | None:
        """One reply-path query: its rows, or None when the file cannot be read."""
        try:
            return self.db().conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            log_failure(what, exc)
            return None

    def purge(self, now: float | None = None) -> int:
        """Delete expired retry and conversation rows, and log rows past the retention period
        (the log writer calls this once a minute)."""
        now = time.time() if now is None else now
        conn = connect(self.path, BACKGROUND_BUSY_MS)
        try:
            return sum(delete_expired(conn, table, column, now - keep) for table, column, keep in self.expiry)
        finally:
            conn.close()

    def flush(self) -> None:
        """Write the queued message log now (tests, shutdown; readers of the log call it)."""
        self._log.flush()

    def close(self) -> None:
        self.flush()
        db = getattr(self._local, "db", None)
        if db is not None:
            db.conn.close()
            self._local.db = None

    # -------------------------------------------------------------- message log

    def log_message(self, *, user: str, msg_type: str, text: str, outcome: str,
                    faq_id: str | None = None, score: float | None = None,
                    latency_ms: float | None = None, channel: str = "wechat") -> None:
        """Queue one log row (written within a second), with phone and ID-card numbers masked.
        `msg_type`: the WeChat message type or event (text, voice, event:click …), in the column msg_kind."""
        self._log.put((time.time(), user, channel, msg_type, mask_personal_numbers(text[:500]), outcome, faq_id,
                       score, latency_ms))

    def messages(self, since: float = 0.0) -> list[dict]:
        self.flush()
        return list(self.db().query("select * from messages where ts >= ? order by ts", [since]))

    # -------------------------------------------------------------- conversation state

    def load_state(self, user: str, now: float | None = None) -> Conversation:
        """The user's conversation, or a new one when there is none or it is older than CONVERSATION_TTL."""
        now = time.time() if now is None else now
        row = self._fallback.get(user) or self._stored_state(user)
        if row is None:
            return NEW_CONVERSATION
        conversation = Conversation.from_json(row[1])
        return NEW_CONVERSATION if now > conversation.expires(row[0], CONVERSATION_TTL) else conversation

    def _stored_state(self, user: str) -> tuple[float, str] | None:
        rows = self.read("load_state", "select updated, state from conversations where user = ?", [user])
        return rows[0] if rows else None

    def save_state(self, user: str, conversation: Conversation) -> None:
        """One indexed upsert; kept in memory instead while the file cannot be written."""
        row = (time.time(), conversation.to_json())
        written = self.write("save_state",
                             "insert into conversations (user, updated, state) values (?, ?, ?) on conflict (user) "
                             "do update set updated = excluded.updated, state = excluded.state", [user, *row])
        if written is not None and not self._fallback:
            return
        with self._fallback_lock:
            if written is None:
                self._fallback[user] = row
                self._fallback.move_to_end(user)
                if len(self._fallback) > FALLBACK_USERS:
                    self._fallback.popitem(last=False)
            else:
                self._fallback.pop(user, None)
