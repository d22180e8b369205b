"""`python -m tests.bench.long_questions`: memory and time over many distinct long questions.

Issue 12 (item 8): caches bounded by count grew with every distinct long question (212 → 486 MB
over 21,000 questions) and an uncut 20,000-character message cost up to 0.8 s. This asks an
in-process Engine over the bundled FAQ `--count` different questions of `--min-chars` to
`--max-chars` characters (an FAQ question buried in filler, deterministic for a seed) and prints
the process's RSS before, along the way and after, and the time per question.

    python -m tests.bench.long_questions                    # 20,000 questions, 300–3000 chars
    python -m tests.bench.long_questions --count 2000 --json
"""
from __future__ import annotations

import argparse
import gc
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bot.answer.engine import Engine
from bot.config import PROJECT_ROOT, Config

# Common characters of citizens' messages, and the words that make them look like questions.
FILLER = ("我们家里老人想问一下现在这个事情到底怎么办才好已经等了很久没有人管社区说去街道街道说去区里"
          "请问政府能不能帮忙解决一下谢谢你们辛苦了天气很热小孩上学公交车站太远了每天早上六点就要出门")


def rss_mb() -> float:
    """Resident memory now (not the peak), from /proc."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def questions(engine: Engine, count: int, low: int, high: int, seed: int) -> list[str]:
    """`count` distinct texts: a served question at a random place in shuffled filler and digits."""
    rng = random.Random(seed)
    served = [entry.question for entry in engine.index.entries()] or ["城铁末班车几点"]
    out = []
    for number in range(count):
        length = rng.randint(low, high)
        filler = "".join(rng.choices(FILLER, k=length)) + str(number)  # the number keeps them distinct
        cut = rng.randint(0, len(filler))
        out.append((filler[:cut] + rng.choice(served) + filler[cut:])[:max(length, 1)])
    return out


def run(count: int, low: int, high: int, seed: int, steps: int = 10) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        engine = Engine(Config(faq_dir=PROJECT_ROOT / "faq_data", data_dir=Path(tmp)))
        engine.index.preload(pause=0)  # what a warmed-up server holds anyway
        for entry in list(engine.index.entries())[:200]:
            engine.ask(entry.question, log_it=False)
        texts = questions(engine, count, low, high, seed)
        gc.collect()
        before = rss_mb()
        times, curve = [], []
        started = time.perf_counter()
        for number, text in enumerate(texts, 1):
            t0 = time.perf_counter()
            engine.ask(text, log_it=False)
            times.append((time.perf_counter() - t0) * 1000)
            if number % max(1, count // steps) == 0:
                curve.append({"questions": number, "rss_mb": round(rss_mb(), 1)})
                print(f"  {number:>6} 个问题：RSS {curve[-1]['rss_mb']:.0f} MB", file=sys.stderr, flush=True)
        gc.collect()
        after = rss_mb()
    times.sort()
    return {"questions": count, "chars": [low, high], "seconds": round(time.perf_counter() - started, 1),
            "rss_before_mb": round(before, 1), "rss_after_mb": round(after, 1),
            "rss_growth_mb": round(after - before, 1), "curve": curve,
            "p50_ms": round(statistics.median(times), 2), "p99_ms": round(times[int(0.99 * (len(times) - 1))], 2),
            "max_ms": round(times[-1], 2)}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="很多不同的长问题：内存和每题耗时")
    p.add_argument("--count", type=int, default=20_000)
    p.add_argument("--min-chars", type=int, default=300)
    p.add_argument("--max-chars", type=int, default=3000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    result = run(args.count, args.min_chars, args.max_chars, args.seed)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        r = result
        print(f"{r['questions']} 个不同的问题（{args.min_chars}–{args.max_chars} 字），用时 {r['seconds']} s："
              f"RSS {r['rss_before_mb']:.0f} → {r['rss_after_mb']:.0f} MB（增长 {r['rss_growth_mb']:.0f} MB），"
              f"每题 p50 {r['p50_ms']} ms，p99 {r['p99_ms']} ms，最长 {r['max_ms']} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
