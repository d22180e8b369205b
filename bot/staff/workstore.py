"""What the console's work pages keep between requests, in DATA_DIR/console_work.sqlite:
dismissed question groups (with who and why) and uploaded reports with their submitted drafts.

Apart from the message log (bot.sqlite), so that staff work never takes a lock the citizens'
path waits for. One short connection per call: staff pages are few and far between.
"""
from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import sqlite_utils

from bot.store.files import create_private

FILE_NAME = "console_work.sqlite"
BUSY_MS = 5000

SCHEMA = {
    # A dismissed group: the question keys it held then (JSON list), so that only a new,
    # different question brings it back.
    "dismissals": {"id": int, "ts": float, "staff": str, "reason": str, "example": str, "keys": str},
    "draft_uploads": {"id": int, "ts": float, "staff": str, "name": str, "text": str},
    # A draft sent for review: which upload and draft, and the change it became.
    "draft_submissions": {"id": int, "upload_id": int, "draft": int, "ts": float, "staff": str, "change": str},
}


def path_in(data_dir: str | Path) -> Path:
    return Path(data_dir) / FILE_NAME


@contextlib.contextmanager
def opened(data_dir: str | Path) -> Iterator[sqlite_utils.Database]:
    """The work file, tables created on first use (mode 0600 like the rest of DATA_DIR)."""
    path = path_in(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    create_private(path)
    conn = sqlite3.connect(path, timeout=BUSY_MS / 1000)
    try:
        db = sqlite_utils.Database(conn)
        for name, columns in SCHEMA.items():
            if not db[name].exists():
                db[name].create(columns, pk="id")
        yield db
        conn.commit()
    finally:
        conn.close()
