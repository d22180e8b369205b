"""`python -m tests.bench.webhook`: load benchmark of the real webhook, gunicorn driven by wrk.

Each app runs alone (the bench machine may have few cores) under gunicorn with the Dockerfile's
CMD flags, on a free port of 127.0.0.1, with its own temporary DATA_DIR and WECHAT_TOKEN:

* echo     – tests/bench/echo_app.py: the webhook's checks and parsing, one fixed reply; the
             ceiling of this stack, which the bot is compared with;
* bot      – server:create_app() on the bundled faq_data/;
* bot 10k  – the same on a generated FAQ (tests/bench/bench.py's generator), its index built
             first with `python -m bot faq reload --no-examples`, as the Docker image does.

wrk (`apt-get install wrk`; nothing is installed here) POSTs plaintext text pushes to /wechat
with tests/bench/webhook.lua: unique senders and MsgIds, the FAQ's questions in turn, and
counts of non-200 answers and of `success` bodies (for the bot: a question left unanswered).
After a warm-up, each run also gives the CPU time of gunicorn's processes per request. Last,
without load, GET /healthz and GET /api/ask are timed one after another on the bundled bot.

    python -m tests.bench.webhook                     # 50 connections, 20 s, 3 runs: a few minutes
    python -m tests.bench.webhook --quick --no-10k    # seconds (what the test runs)
"""
from __future__ import annotations

import argparse
import contextlib
import hashlib
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import yaml

from bot.config import PROJECT_ROOT
from tests.bench.bench import free_port, generate_faq, percentile

LUA_SCRIPT = Path(__file__).with_name("webhook.lua")
ECHO_APP, BOT_APP = "tests.bench.echo_app:create_app()", "server:create_app()"
WRK_TIMEOUT_S = 5  # WeChat gives up on a reply after 5 s: a slower one is an error
PRESETS = {
    "full": {"duration": 20, "connections": 50, "threads": 2, "runs": 3, "warmup": 5, "sequential": 300},
    "quick": {"duration": 2, "connections": 10, "threads": 2, "runs": 1, "warmup": 1, "sequential": 50},
}


# ---------------------------------------------------------------- servers

def gunicorn_command(app: str, port: int) -> list[str]:
    """The Dockerfile's CMD with another app and address, so the bench runs what production runs."""
    text = (PROJECT_ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    match = re.search(r"^CMD\s+(\[.*\])\s*$", text, re.M)
    cmd = json.loads(match.group(1)) if match else []
    if cmd[:1] != ["gunicorn"] or "-b" not in cmd:
        raise RuntimeError("the Dockerfile's CMD is no longer `gunicorn … -b ADDRESS … APP`")
    cmd[cmd.index("-b") + 1] = f"127.0.0.1:{port}"
    return [sys.executable, "-m", "gunicorn", *cmd[1:-1], app]


def _stat(pid: int) -> tuple[int, int]:
    """(utime+stime+cutime+cstime in clock ticks, parent pid) from /proc/PID/stat."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()  # after the command name, which may hold spaces
    return sum(int(x) for x in fields[11:15]), int(fields[1])


class Server:
    """One gunicorn in its own session, so that stopping it reaches its workers too."""

    def __init__(self, name: str, app: str, workdir: Path, faq_dir: Path, env: dict | None = None):
        self.name, self.port, self.token = name, free_port(), secrets.token_hex(8)
        self.data_dir = workdir / f"data-{name}"
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.env = dict(os.environ, DATA_DIR=str(self.data_dir), FAQ_DIR=str(faq_dir), WECHAT_TOKEN=self.token,
                        WECHAT_AES_KEY="", WECHAT_AES_KEY_PREVIOUS="", PYTHONUNBUFFERED="1",
                        # every request comes from 127.0.0.1: the API's per-IP limit would stop the timing
                        RATE_LIMIT_PER_IP="0", **(env or {}))
        self.app, self.log_path, self.proc = app, workdir / f"{name}.log", None

    def start(self, timeout: float = 300) -> dict:
        """Start and wait until GET /healthz answers 200; /healthz/details is returned."""
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(gunicorn_command(self.app, self.port), cwd=PROJECT_ROOT, env=self.env,
                                         stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name}: gunicorn exited\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2) as resp:
                    if resp.status == 200:  # the figures are in the details (local only)
                        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz/details", timeout=2) as d:
                            return json.load(d)
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"{self.name}: /healthz not 200 within {timeout:.0f} s\n{self.log_tail()}")

    def cpu_seconds(self) -> float:
        """CPU time of the master and its workers, children included (a replaced worker is in
        the master's cutime)."""
        ticks = 0
        pids = [self.proc.pid, *self._workers()]
        for pid in pids:
            with contextlib.suppress(OSError):
                ticks += _stat(pid)[0]
        return ticks / os.sysconf("SC_CLK_TCK")

    def _workers(self) -> list[int]:
        workers = []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                with contextlib.suppress(OSError, IndexError, ValueError):
                    if _stat(int(entry))[1] == self.proc.pid:
                        workers.append(int(entry))
        return workers

    def stop(self) -> None:
        """SIGTERM (gunicorn stops its workers), then SIGKILL to the whole session after 15 s."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def log_tail(self, chars: int = 2000) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-chars:]

    def log_problems(self) -> list[str]:
        """Error lines of the server's log (tracebacks, worker timeouts): what the counts don't show."""
        lines = self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()
        return [line for line in lines if any(m in line for m in (" ERROR ", "[ERROR]", "[CRITICAL]", "Traceback"))]


def build_index(faq_dir: Path, data_dir: Path) -> None:
    """The index cache, built before the server starts as in the Docker image (fast startup)."""
    env = dict(os.environ, FAQ_DIR=str(faq_dir), DATA_DIR=str(data_dir))
    done = subprocess.run([sys.executable, "-m", "bot", "faq", "reload", "--no-examples"], cwd=PROJECT_ROOT,
                          env=env, capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        raise RuntimeError(f"python -m bot faq reload failed:\n{(done.stdout + done.stderr)[-2000:]}")


# ---------------------------------------------------------------- load

def faq_questions(faq_dir: Path) -> list[str]:
    """Every entry's `question`: the load asks what the FAQ answers."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    questions = []
    for path in sorted(Path(faq_dir).glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}
        for entry in data.get("entries") or []:
            if isinstance(entry, dict) and entry.get("question"):
                questions.append(" ".join(str(entry["question"]).split()))
    if not questions:
        raise RuntimeError(f"no questions in {faq_dir}")
    return questions


def signed_path(token: str) -> str:
    """/wechat with a fresh plaintext signature: sha1 of sorted token, timestamp and nonce."""
    timestamp, nonce = str(int(time.time())), secrets.token_hex(4)
    signature = hashlib.sha1("".join(sorted([token, timestamp, nonce])).encode()).hexdigest()
    return "/wechat?" + urllib.parse.urlencode(
        {"signature": signature, "timestamp": timestamp, "nonce": nonce, "openid": "bench"})


def run_wrk(server: Server, questions_file: Path, run: int, seconds: int, settings: dict) -> dict:
    """One wrk run (signed just before: pushes older than 5 minutes are refused) and its figures."""
    url = f"http://127.0.0.1:{server.port}{signed_path(server.token)}"
    cmd = ["wrk", "-t", str(settings["threads"]), "-c", str(settings["connections"]), "-d", f"{seconds}s",
           "--timeout", f"{WRK_TIMEOUT_S}s", "-s", str(LUA_SCRIPT), url, "--", str(questions_file), str(run)]
    cpu_before = server.cpu_seconds()
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60)
    cpu = server.cpu_seconds() - cpu_before
    lines = [line for line in done.stdout.splitlines() if line.startswith("WRK_JSON ")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"wrk failed on {server.name}:\n{done.stdout[-1000:]}{done.stderr[-1000:]}")
    figures = json.loads(lines[0].removeprefix("WRK_JSON "))
    requests = figures["requests"]
    figures.update(rps=requests / (figures["duration_us"] / 1e6), cpu_s=cpu,
                   cpu_ms_per_request=cpu * 1000 / requests if requests else None,
                   errors=figures["non200"] + figures["socket_errors"] + figures["timeouts"])
    return figures


def load_app(server: Server, label: str, questions_file: Path, settings: dict, log) -> dict:
    """A warm-up run (both workers up, the index decoded), then the measured runs."""
    run_wrk(server, questions_file, 0, settings["warmup"], settings)
    runs = []
    for n in range(1, settings["runs"] + 1):
        runs.append(run_wrk(server, questions_file, n, settings["duration"], settings))
        r = runs[-1]
        log(f"[{label}] run {n}: {r['rps']:.0f} req/s, p50 {r['p50_us'] / 1000:.1f} ms, "
            f"p99 {r['p99_us'] / 1000:.1f} ms, {r['errors']} errors, {r['success']} success")
    rps = [r["rps"] for r in runs]
    median = statistics.median
    return {"app": label, "runs": runs, "requests": sum(r["requests"] for r in runs),
            "rps_median": median(rps), "rps_min": min(rps), "rps_max": max(rps),
            "p50_ms": median(r["p50_us"] for r in runs) / 1000, "p99_ms": median(r["p99_us"] for r in runs) / 1000,
            "cpu_ms_per_request": median(r["cpu_ms_per_request"] or 0 for r in runs),
            "errors": sum(r["errors"] for r in runs), "success": sum(r["success"] for r in runs)}


def sequential(server: Server, questions: list[str], count: int) -> dict:
    """p50 of GET /healthz and GET /api/ask one request at a time: the answer's own cost, no queue."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)  # reconnects when gunicorn closes

    def timed(path: str) -> float:
        started = time.perf_counter()
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"GET {path} answered {response.status}")
        return (time.perf_counter() - started) * 1000

    try:
        health = [timed("/healthz") for _ in range(count)]
        asked = [(timed("/api/ask?" + urllib.parse.urlencode({"q": q})), q)
                 for q in (questions[i % len(questions)] for i in range(count))]
    finally:
        conn.close()
    ask_ms = [ms for ms, _ in asked]
    return {"requests": count, "healthz_p50_ms": percentile(health, 0.5), "ask_p50_ms": percentile(ask_ms, 0.5),
            "ask_p99_ms": percentile(ask_ms, 0.99), "slowest_asks": sorted(asked, reverse=True)[:3]}


# ---------------------------------------------------------------- the run

def write_questions(path: Path, questions: list[str]) -> Path:
    path.write_text("\n".join(questions) + "\n", encoding="utf-8")
    return path


def bench(settings: dict, size: int, log) -> dict:
    """Echo, bundled bot and (size > 0) generated bot, one after the other; servers always stopped."""
    bundled = PROJECT_ROOT / "faq_data"
    apps, problems = [], {}
    with tempfile.TemporaryDirectory(prefix="zzbot-webhook-bench-") as tmp, contextlib.ExitStack() as stack:
        work = Path(tmp)
        bundled_q = write_questions(work / "questions-bundled.txt", faq_questions(bundled))

        def serve(name: str, app: str, faq_dir: Path, label: str, questions_file: Path,
                  env: dict | None = None) -> Server:
            server = Server(name, app, work, faq_dir, env)
            stack.callback(server.stop)
            if app == BOT_APP:
                build_index(faq_dir, server.data_dir)
            health = server.start()
            label = label.format(entries=health.get("entries", "?"))
            log(f"[{label}] serving on 127.0.0.1:{server.port}")
            apps.append(load_app(server, label, questions_file, settings, log))
            return server

        serve("echo", ECHO_APP, bundled, "echo", bundled_q).stop()
        bot = serve("bot", BOT_APP, bundled, "bot, bundled FAQ ({entries} entries)", bundled_q)
        calm = sequential(bot, faq_questions(bundled), settings["sequential"])
        bot.stop()
        problems["bot"] = bot.log_problems()
        # the load repeats the FAQ's questions: here each one is matched anew, as distinct questions are
        fresh = serve("bot-decided", BOT_APP, bundled, "bot, bundled FAQ, every message matched "
                      "(FIRST_REPLY_CACHE_MB=0)", bundled_q, {"FIRST_REPLY_CACHE_MB": "0"})
        fresh.stop()
        problems[fresh.name] = fresh.log_problems()
        if size:
            faq_dir = generate_faq(work / f"faq-{size}", size)
            big_q = write_questions(work / f"questions-{size}.txt", faq_questions(faq_dir))
            big = serve(f"bot-{size}", BOT_APP, faq_dir, "bot, generated FAQ ({entries} entries)", big_q)
            big.stop()
            problems[big.name] = big.log_problems()
            big = serve(f"bot-{size}-decided", BOT_APP, faq_dir, "bot, generated FAQ ({entries} entries), "
                        "every message matched (FIRST_REPLY_CACHE_MB=0)", big_q, {"FIRST_REPLY_CACHE_MB": "0"})
            big.stop()
            problems[big.name] = big.log_problems()
    return {"settings": settings, "cpus": os.cpu_count(), "apps": apps, "sequential": calm,
            "log_problems": problems}


def format_report(report: dict) -> str:
    s, apps = report["settings"], report["apps"]
    echo = apps[0]["rps_median"] or float("nan")
    lines = [f"wrk -t{s['threads']} -c{s['connections']} -d{s['duration']}s, {s['runs']} run(s) after a "
             f"{s['warmup']} s warm-up; gunicorn as in the Dockerfile; {report['cpus']} CPUs, "
             f"load average {report['loadavg_before']:.1f} before",
             "",
             f"| app | req/s (median of {s['runs']}, min–max) | % of echo | p50 ms | p99 ms | CPU ms/request "
             "| errors | success-instead-of-answer |",
             "|---|---|---|---|---|---|---|---|"]
    for a in apps:
        lines.append(f"| {a['app']} | {a['rps_median']:.0f} ({a['rps_min']:.0f}–{a['rps_max']:.0f}) "
                     f"| {100 * a['rps_median'] / echo:.0f}% | {a['p50_ms']:.1f} | {a['p99_ms']:.1f} "
                     f"| {a['cpu_ms_per_request']:.2f} | {a['errors']} | {a['success']} |")
    q = report["sequential"]
    lines += ["", f"Without load ({q['requests']} sequential requests each, bundled-FAQ bot): /api/ask p50 "
              f"{q['ask_p50_ms']:.1f} ms (p99 {q['ask_p99_ms']:.1f} ms) vs /healthz p50 {q['healthz_p50_ms']:.1f} ms; "
              "slowest /api/ask: " + ", ".join(f"{ms:.0f} ms {text}" for ms, text in q["slowest_asks"])]
    for name, found in report["log_problems"].items():
        if found:
            lines.append(f"{name} log: {len(found)} error line(s), first: {found[0][:200]}")
    return "\n".join(lines)


def _progress(*parts) -> None:
    print(*parts, file=sys.stderr, flush=True)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m tests.bench.webhook",
                                description="Load benchmark of /wechat under gunicorn with wrk (127.0.0.1 only).")
    p.add_argument("--quick", action="store_true", help="2 s, 1 run, 10 connections (the test's setting)")
    p.add_argument("--duration", type=int, help="seconds per run (default 20)")
    p.add_argument("--connections", type=int, help="wrk connections (default 50)")
    p.add_argument("--threads", type=int, help="wrk threads (default 2)")
    p.add_argument("--runs", type=int, help="measured runs per app (default 3)")
    p.add_argument("--warmup", type=int, help="seconds of unmeasured load first (default 5)")
    p.add_argument("--sequential", type=int, help="requests of the no-load /healthz and /api/ask timing (default 300)")
    p.add_argument("--size", type=int, default=10_000, help="entries of the generated FAQ (default 10000)")
    p.add_argument("--no-10k", action="store_true", help="skip the generated FAQ")
    p.add_argument("--json", metavar="FILE", help="also write the figures to FILE")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install wrk", file=sys.stderr)
        return 2
    settings = dict(PRESETS["quick" if args.quick else "full"])
    settings.update({k: v for k, v in vars(args).items() if k in settings and v is not None})
    loadavg = os.getloadavg()[0]
    try:
        report = bench(settings, 0 if args.no_10k else args.size, _progress)
    except KeyboardInterrupt:
        print("interrupted: every server was stopped", file=sys.stderr)
        return 130
    report["loadavg_before"] = loadavg
    if args.json:
        Path(args.json).write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    print(format_report(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
