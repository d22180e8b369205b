"""`python -m tests.bench.shared`: what the shared state costs a message, sqlite against Redis.

Times the work of one WeChat text message on the shared state exactly as the webhook and
Engine.ask do it through `engine.shared` — rate counter, retry claim, conversation load and
save, retry finish — for the embedded default (SqliteShared over a fresh bot.sqlite) and for
Redis (RedisShared). Redis: `--redis-url URL`, else a `redis-server` started here on a free
127.0.0.1 port (the Debian package; apt-get install redis-server). Median of the runs' medians.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from bot.store.conversation import Conversation
from bot.store.redis import RedisShared
from bot.store.shared import SqliteShared
from bot.store.sqlite import Store
from tests.bench.bench import free_port

CONVERSATION = Conversation(category="城铁出行", last_id="ct2021-mobanche", last_query="城铁末班车几点")


def one_message(shared, i: int) -> float:
    user, key = f"u{i % 500:031x}", f"m{i:031x}"
    started = time.perf_counter()
    shared.hit("rate|" + user, 60)
    if shared.claim(key):
        shared.load_state(user)
        shared.save_state(user, CONVERSATION)
        shared.finish(key, "答复" * 60)
    return time.perf_counter() - started


def measure(name: str, shared, messages: int, runs: int) -> dict:
    medians, worst = [], 0.0
    for run in range(runs):
        times = [one_message(shared, run * messages + i) for i in range(messages)]
        medians.append(statistics.median(times))
        worst = max(worst, max(times))
    return {"backend": name, "median_ms": statistics.median(medians) * 1000,
            "spread_ms": (max(medians) - min(medians)) * 1000, "worst_ms": worst * 1000}


def start_redis(workdir: Path) -> tuple[str, subprocess.Popen]:
    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("redis-server is not installed (apt-get install redis-server), or pass --redis-url")
    port = free_port()
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(workdir),
                             "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL)
    time.sleep(0.3)
    return f"redis://127.0.0.1:{port}/0", proc


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1000, help="messages per run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--redis-url", default="", help="an existing Redis (its zhuzhou: keys are written)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        url, proc = (args.redis_url, None) if args.redis_url else start_redis(Path(tmp))
        try:
            store = Store(Path(tmp) / "bot.sqlite")
            results = [measure("sqlite (default)", SqliteShared(store), args.messages, args.runs),
                       measure("redis", RedisShared(url, on_failure=store.failed), args.messages, args.runs)]
        finally:
            if proc is not None:
                proc.kill()
                proc.wait()
    print(f"| backend | ms/message (median of {args.runs}) | spread | worst |")
    print("|---|---:|---:|---:|")
    for r in results:
        print(f"| {r['backend']} | {r['median_ms']:.3f} | {r['spread_ms']:.3f} | {r['worst_ms']:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
