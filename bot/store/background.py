"""Store work kept off the reply path: the message-log writer, which also purges expired rows.

A reply must never wait for either: the log is queued and written in batches by one thread per
store (one per worker process), which also runs the purge once a minute, with its own sqlite
connection. The thread runs while messages arrive and ends soon after, so CLI commands that
only read start none, and a process that forks (bot/parallel.py) finds no thread left behind.
"""
from __future__ import annotations

import atexit
import logging
import queue
import sqlite3
import threading
import time
import weakref
from collections.abc import Callable

log = logging.getLogger("bot.store")

LOG_EVERY = 60.0        # a failing disk logs once a minute, not once a message
_last_logged: dict[str, float] = {}


def log_failure(what: str, exc: object) -> None:
    """Log a store failure at most once a minute per operation (sqlite's messages hold no OpenID)."""
    now = time.monotonic()
    if now - _last_logged.get(what, -LOG_EVERY) >= LOG_EVERY:
        _last_logged[what] = now
        log.warning("store: %s failed (%s); replies go on without it", what, exc)


_FLUSH = object()  # queued by flush(): write what came before it now, don't wait for the second


class BatchWriter:
    """Rows queued by any thread, inserted by one writer thread in one transaction per batch.

    A batch is committed at the latest `every` seconds after its first row (a crash loses at
    most that) or at `rows` rows. A failed batch is dropped and logged, never retried at a
    reply's expense; a full queue drops new rows. The thread ends after `idle` quiet seconds
    and the next row starts another, so idle stores (tests, CLI) hold no thread or connection.
    Between batches it calls `chore` (the purge) every `chore_every` seconds.
    """

    def __init__(self, connect: Callable[[], sqlite3.Connection], sql: str, *, every: float = 1.0,
                 rows: int = 500, limit: int = 50_000, idle: float = 0.5,
                 chore: Callable[[], object] | None = None, chore_every: float = 60.0,
                 on_error: Callable[[str, Exception], object] = log_failure):
        self._connect, self._sql, self._on_error = connect, sql, on_error
        self._every, self._rows, self._idle = every, rows, idle
        self._chore, self._chore_every, self._chore_due = chore, chore_every, 0.0
        self._queue: queue.Queue = queue.Queue(limit)
        # Set by flush() and a full batch: the writer sleeps through a batch's second instead of
        # waking for each row (a wake-up per message cost the reply path ~0.05 ms of CPU).
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        _WRITERS.add(self)

    def put(self, row: tuple) -> None:
        try:
            self._queue.put_nowait(row)
        except queue.Full:
            self._on_error("log_message", OverflowError("queue full"))
            return
        if self._queue.qsize() >= self._rows:
            self._wake.set()
        self._ensure_thread()

    def flush(self) -> None:
        """Return once every row queued before the call is written (or dropped as failed)."""
        if self._queue.unfinished_tasks:
            self._queue.put(_FLUSH)
            self._wake.set()
            self._ensure_thread()
            self._queue.join()

    def _ensure_thread(self) -> None:
        with self._lock:
            # is_alive(): after a fork the parent's thread is gone from the child
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="store-log-writer", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        conn = self._connect()
        try:
            while (batch := self._next_batch()) is not None:
                self._write(conn, [row for row in batch if row is not _FLUSH])
                self._run_chore()
                for _ in batch:
                    self._queue.task_done()
        finally:
            conn.close()

    def _next_batch(self) -> list | None:
        """The rows of the next transaction; None when idle, and this thread should end."""
        try:
            batch = [self._queue.get(timeout=self._idle)]
        except queue.Empty:
            with self._lock:  # a put() now either sees the thread gone or is seen here
                if self._queue.empty():
                    self._thread = None
                    return None
            return []
        deadline = time.monotonic() + self._every
        while batch[-1] is not _FLUSH and len(batch) < self._rows:
            try:
                batch.append(self._queue.get_nowait())
                continue
            except queue.Empty:
                pass
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            # a row put after the queue was found empty is taken on the next pass; clearing
            # after the wait loses no flush: its marker is in the queue already
            self._wake.wait(remaining)
            self._wake.clear()
        return batch

    def _run_chore(self) -> None:
        if self._chore is None or time.monotonic() < self._chore_due:
            return
        self._chore_due = time.monotonic() + self._chore_every
        try:
            self._chore()
        except sqlite3.Error as exc:
            self._on_error("purge", exc)

    def _write(self, conn: sqlite3.Connection, rows: list) -> None:
        if not rows:
            return
        try:
            with conn:
                conn.executemany(self._sql, rows)
        except sqlite3.Error as exc:
            self._on_error("log_message", exc)


_WRITERS: weakref.WeakSet[BatchWriter] = weakref.WeakSet()


@atexit.register
def _flush_all() -> None:
    """At shutdown (gunicorn stopping a worker, a CLI command ending) write what is queued."""
    for writer in list(_WRITERS):
        writer.flush()


def delete_expired(conn: sqlite3.Connection, table: str, column: str, before: float,
                   batch: int = 1000) -> int:
    """Delete rows with `column` < `before` on its index, `batch` rows per transaction, so a
    reply's write never waits behind a long delete."""
    deleted = 0
    while True:
        count = conn.execute(f"delete from [{table}] where rowid in "
                             f"(select rowid from [{table}] where [{column}] < ? limit ?)", [before, batch]).rowcount
        deleted += count
        if count < batch:
            return deleted
        time.sleep(0.005)  # room for the reply path's writes between batches
