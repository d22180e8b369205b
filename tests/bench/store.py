"""`python -m tests.bench.store`: what the store costs a message, with 0, 100k and 1M stored rows.

Times the store work of one WeChat text message exactly as the webhook and Engine.ask do it —
retry claim, conversation load and save, message log, retry finish — per message, over a
`bot.sqlite` pre-filled with live rows in messages, conversations and replies (the rows a city
account's day leaves). The cost must not grow with the rows. `--root DIR` imports `bot.store`
from another tree (e.g. HEAD's files copied with `git show`) to get the figure before a change.
"""
from __future__ import annotations

import argparse
import importlib
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_ROWS = (0, 100_000, 1_000_000)


def fill(path: Path, rows: int, now: float) -> None:
    """Live rows, written by one executemany per table (seconds, not minutes, for 1M)."""
    if not rows:
        return
    rng = random.Random(rows)
    db = sqlite3.connect(path)
    with db:
        db.executemany("insert into messages (ts, user, channel, msg_kind, text, outcome) values (?,?,?,?,?,?)",
                       ((now - rng.random() * 86400, f"{i:032x}", "wechat", "text", "城铁末班车几点", "answer")
                        for i in range(rows)))
        db.executemany("insert into conversations (user, updated, state) values (?,?,?)",
                       ((f"{i:032x}", now - rng.random() * 600, '{"category": "城铁出行"}') for i in range(rows)))
        db.executemany("insert into replies (key, created, status, reply) values (?,?,?,?)",
                       ((f"k{i:031x}", now - rng.random() * 86000, "done", "答复") for i in range(rows)))
    db.close()


def one_message(store, retries, conversation, i: int) -> float:
    """Seconds of store work for message i, as the reply path does it."""
    user, key = f"u{i % 500:031x}", f"m{i:031x}"
    started = time.perf_counter()
    if retries.claim(store, key):
        store.load_state(user)
        store.save_state(user, conversation)
        store.log_message(user=user, msg_type="text", text="城铁末班车几点", outcome="answer", latency_ms=1.0)
        retries.finish(store, key, "答复")
    return time.perf_counter() - started


def measure(rows: int, messages: int, runs: int) -> dict:
    sqlite_mod = importlib.import_module("bot.store.sqlite")
    retries = importlib.import_module("bot.store.retries")
    conversation = importlib.import_module("bot.store.conversation").Conversation(category="城铁出行")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bot.sqlite"
        sqlite_mod.Store(path)  # the schema
        fill(path, rows, time.time())
        opened = time.perf_counter()
        store = sqlite_mod.Store(path)  # opening an old file: indexes are created here
        open_s = time.perf_counter() - opened
        medians, worst = [], 0.0
        for run in range(runs):
            times = [one_message(store, retries, conversation, run * messages + i) for i in range(messages)]
            medians.append(statistics.median(times))
            worst = max(worst, max(times))
        getattr(store, "flush", lambda: None)()
    return {"rows": rows, "open_s": open_s, "median_ms": statistics.median(medians) * 1000,
            "spread_ms": (max(medians) - min(medians)) * 1000, "worst_ms": worst * 1000}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="*", default=list(DEFAULT_ROWS))
    parser.add_argument("--messages", type=int, default=300, help="messages per run")
    parser.add_argument("--runs", type=int, default=3, help="runs per size (median of the runs' medians)")
    parser.add_argument("--root", help="import bot.store from this tree instead")
    args = parser.parse_args(argv)
    if args.root:
        sys.path.insert(0, str(Path(args.root).resolve()))
    print(f"bot.store from {Path(importlib.import_module('bot.store').__file__).parent}")
    print(f"{'stored rows':>12} {'open s':>7} {'ms/message (median)':>20} {'spread ms':>10} {'worst ms':>9}")
    for rows in args.rows:
        r = measure(rows, args.messages, args.runs)
        print(f"{r['rows']:>12,} {r['open_s']:>7.2f} {r['median_ms']:>20.3f} {r['spread_ms']:>10.3f} "
              f"{r['worst_ms']:>9.1f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
