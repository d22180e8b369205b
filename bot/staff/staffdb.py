"""The console's own sqlite file, DATA_DIR/staff.sqlite: staff accounts, wrong-password counts,
pending and published changes of the FAQ, and the file versions a conflict is explained with.

Apart from bot.sqlite on purpose: the console's writes never hold a lock the citizens' replies
wait for. Every gunicorn worker opens the same file, so what one worker counts (a wrong
password) or stores (a pending change) the others see. Mode 0600, like the bot's own file.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from bot.store.files import create_private

FILE_NAME = "staff.sqlite"
BUSY_MS = 5000

SCHEMA = {
    "accounts": ({"name": str, "role": str, "categories": str, "password_hash": str, "created": float,
                  "password_changed": float}, "name"),
    # key: "user:NAME" or "ip:ADDRESS"; failures since the last success, the lock they earned
    "login_failures": ({"key": str, "failures": int, "last": float, "locked_until": float}, "key"),
    "changes": ({"id": int, "created": float, "author": str, "op": str, "file": str, "category": str,
                 "entry_id": str, "old_entry_id": str, "values": str, "base_entry_digest": str,
                 "summary": str, "status": str, "reviewer": str, "reviewed": float, "reason": str,
                 "old_values": str, "diff": str, "git_commit": str, "rollback_of": int}, "id"),
    # what a form loaded, by digest: a refused save shows what changed since
    "versions": ({"digest": str, "text": str, "stored": float}, "digest"),
}
INDEXES = {"changes": ["status", "entry_id"]}


def path_of(data_dir: Path) -> Path:
    return Path(data_dir) / FILE_NAME


def open_db(data_dir: Path) -> sqlite_utils.Database:
    """The file, created (0600) with its tables on first use; one connection per call."""
    path = path_of(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    create_private(path)
    conn = sqlite3.connect(path, timeout=BUSY_MS / 1000, isolation_level=None, check_same_thread=False)
    conn.execute(f"pragma busy_timeout={BUSY_MS}")
    db = sqlite_utils.Database(conn)
    for table, (columns, pk) in SCHEMA.items():
        if not db[table].exists():
            db[table].create(columns, pk=pk, if_not_exists=True)
    for table, cols in INDEXES.items():
        for col in cols:
            db[table].create_index([col], if_not_exists=True)
    return db
