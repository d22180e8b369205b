"""`python -m tests.bench.faults`: a bounded fault run of the real webhook under real gunicorn.

gunicorn runs as production does (the Dockerfile's CMD: 2 sync workers, server.py's hooks) with
its DATA_DIR on a small tmpfs of its own and the tests' tiny FAQ. Several threads send a fixed
number of signed plaintext WeChat text pushes, each from its own sender with its own MsgId; about
a third are re-delivered 1–3 times as WeChat does, some while the first delivery is still in
flight. During the run three faults are injected, one after another:

* kill   – SIGKILL of the worker holding a pending claim (a request in flight); gunicorn starts a
           new one. The connection of that request drops: WeChat retries, so do we;
* disk   – the tmpfs filled to the last byte for a few seconds, then freed;
* lock   – bot.sqlite held by `BEGIN EXCLUSIVE` from another connection for a few seconds.

Then it prints a table: deliveries, distinct messages, 5xx, dropped connections (and whether
WeChat's retry of each was answered), replies later than WeChat's 5 s, `success` where the FAQ
has an answer, lost messages (no delivery got the answer), doubled processing (a message logged
more than once in bot.sqlite's `messages`, or two different replies to one MsgId), latency.

    python -m tests.bench.faults                          # 600 messages, about 30 s (root: mount)
    python -m tests.bench.faults --messages 150 --duration 12
"""
from __future__ import annotations

import argparse
import contextlib
import errno
import http.client
import json
import os
import random
import re
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import xmltodict

from bot.store.sqlite import RETRY_AFTER, UserHasher
from tests.bench.bench import percentile
from tests.bench.webhook import BOT_APP, Server
from tests.helpers import WeChat, make_faq_dir

HASH_KEY = "fault-run-key"      # USER_HASH_KEY: lets the run find each sender's rows in `messages`
WECHAT_WAIT_S = 5.0             # WeChat drops a reply later than this and re-delivers
WECHAT_DELIVERIES = 3           # WeChat delivers a push at most this many times when unanswered
# what the tiny FAQ of tests/helpers.py answers, and a piece of each answer
QUESTIONS = {
    "城铁末班车几点": "23时25分",
    "城铁首班车几点开": "6时整点",
    "株洲有多少个老年食堂": "120",
    "你好": "请直接发送您的问题",
}


# ---------------------------------------------------------------- a small disk of our own

class MountRefused(RuntimeError):
    """tmpfs cannot be mounted here (not root, or in a container without CAP_SYS_ADMIN)."""


@contextlib.contextmanager
def tmpfs(path: Path, size: str = "16m"):
    """A tmpfs of `size` mounted on `path` for the block; always unmounted after it."""
    path.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(path)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise MountRefused(done.stderr.strip() or f"mount exited with {done.returncode}")
    try:
        yield path
    finally:
        if subprocess.run(["umount", str(path)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(path)], capture_output=True)  # a process still holds a file


def fill_disk(directory: Path) -> Path:
    """Write zeros into `directory/fill.bin` until the file system has no byte left (ENOSPC)."""
    path = directory / "fill.bin"
    with open(path, "wb", buffering=0) as fh:
        chunk = 1 << 20
        while chunk:
            try:
                fh.write(b"\0" * chunk)
            except OSError as exc:
                if exc.errno != errno.ENOSPC:
                    raise
                chunk //= 2  # the last pages: smaller and smaller writes, down to one byte
    return path


# ---------------------------------------------------------------- deliveries

@dataclass
class Message:
    openid: str
    msg_id: int
    question: str
    expected: str
    redeliveries: int         # planned re-deliveries, as WeChat makes after a slow reply
    concurrent: bool          # the first re-delivery goes out while the first is in flight
    results: list = field(default_factory=list)  # Delivery, in the order they came back
    started: float = 0.0      # seconds into the run when its first delivery went out


@dataclass
class Delivery:
    outcome: str              # answer, success, other, 5xx, dropped, late
    content: str | None
    latency_ms: float
    after_error: bool = False  # a WeChat retry because no reply came
    concurrent: bool = False   # sent while the first delivery was in flight


def plan(count: int, seed: int = 12) -> list[Message]:
    rng = random.Random(seed)
    messages = []
    for i in range(count):
        question = rng.choice(sorted(QUESTIONS))
        again = rng.random() < 1 / 3
        messages.append(Message(openid=f"oFault{seed:02d}{i:06d}", msg_id=10 ** 16 + i, question=question,
                                expected=QUESTIONS[question], redeliveries=rng.randint(1, 3) if again else 0,
                                concurrent=again and rng.random() < 0.5))
    return messages


class Sender:
    """Signs, posts and classifies the deliveries of one message (one HTTP connection each)."""

    def __init__(self, port: int, token: str):
        self.port, self.token = port, token

    def deliver(self, message: Message, after_error: bool = False) -> Delivery:
        wx = WeChat(None, self.token, openid=message.openid)
        fields = dict(wx.fields("text", Content=message.question), MsgId=message.msg_id)
        url, body = wx.request(fields)
        started = time.monotonic()
        try:
            status, data = self._post(url, body)
        except (OSError, http.client.HTTPException):  # reset, refused or cut short: its worker was killed
            return Delivery("dropped", None, (time.monotonic() - started) * 1000, after_error)
        latency_ms = (time.monotonic() - started) * 1000
        content = _reply_content(data) if status == 200 else None
        return Delivery(_outcome(status, content, message.expected, latency_ms), content, latency_ms, after_error)

    def _post(self, url: str, body: bytes) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2 * WECHAT_WAIT_S)
        try:
            conn.request("POST", url, body=body, headers={"Content-Type": "text/xml"})
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def run(self, message: Message) -> None:
        """The planned deliveries, then WeChat's retries while none of them was answered."""
        second = None
        if message.concurrent:
            second = threading.Thread(target=lambda: message.results.append(self._delayed(message)))
            second.start()
        message.results.append(self.deliver(message))
        if second is not None:
            second.join()
        for _ in range(message.redeliveries - message.concurrent):
            message.results.append(self.deliver(message))
        retries = 0
        while not any(d.outcome == "answer" for d in message.results) and retries < WECHAT_DELIVERIES - 1:
            retries += 1
            time.sleep(0.2)
            message.results.append(self.deliver(message, after_error=True))

    def _delayed(self, message: Message) -> Delivery:
        time.sleep(random.uniform(0.0, 0.05))
        delivery = self.deliver(message)
        delivery.concurrent = True
        return delivery


def _reply_content(data: bytes) -> str | None:
    if data == b"success":
        return None
    with contextlib.suppress(Exception):
        return xmltodict.parse(data)["xml"]["Content"]
    return "<unparsable reply>"


def _outcome(status: int, content: str | None, expected: str, latency_ms: float) -> str:
    if status >= 500:
        return "5xx"
    if latency_ms > WECHAT_WAIT_S * 1000:
        return "late"
    if content is None:
        return "success"
    return "answer" if expected in content else "other"


# ---------------------------------------------------------------- faults

class Faults:
    """Injects the faults one after another at fixed points of the run; notes what it did."""

    def __init__(self, server: Server, hold_s: float, t0: float):
        self.server, self.hold_s, self._t0 = server, hold_s, t0
        self.db_path = server.data_dir / "bot.sqlite"
        self.events: list[str] = []
        self.unwritable: list[tuple[float, float]] = []  # (from, to) s into the run: disk full, locked

    def now(self) -> float:
        return time.monotonic() - self._t0

    def note(self, text: str) -> None:
        self.events.append(f"{self.now():6.1f} s  {text}")

    def store_unwritable(self, when: float) -> bool:
        """Whether bot.sqlite could not be written around `when`: in a fault window, or in the
        RETRY_AFTER seconds after it in which a worker that saw a failure leaves the file alone."""
        return any(start - 1 <= when <= end + RETRY_AFTER + 1 for start, end in self.unwritable)

    def kill_a_worker(self, attempts: int = 10) -> None:
        """SIGKILL the worker of a pending claim, and check that the claim is still pending after
        it: the worker died with a request honestly in flight. A request may finish between the
        look and the kill (a reply takes milliseconds): then try again, a few times."""
        for _ in range(attempts):
            claim = self._pending_claim()
            pid = int(claim[1].rpartition("/")[2]) if claim else None
            if pid is None or pid not in self.server._workers():
                continue
            os.kill(pid, signal.SIGKILL)
            in_flight = self._pending_claim(claim[0]) == claim
            self.note(f"SIGKILL worker {pid}（{'它正在处理一条消息' if in_flight else '它刚处理完，再杀一次'}）")
            if in_flight:
                return
            time.sleep(0.5)

    def _pending_claim(self, key: str | None = None, wait: float = 2.0) -> tuple[str, str] | None:
        """(key, owner) of a pending claim (of `key`, when given), polled for up to `wait` s."""
        deadline = time.monotonic() + wait
        sql, params = "select key, owner from replies where status = 'pending'", []
        if key is not None:
            sql, params, deadline = sql + " and key = ?", [key], time.monotonic()  # one look
        while True:
            with contextlib.suppress(sqlite3.Error), contextlib.closing(sqlite3.connect(self.db_path, timeout=0.2)) \
                    as db:
                row = db.execute(sql, params).fetchone()
                if row:
                    return row[0], row[1]
            if time.monotonic() >= deadline:
                return None

    def fill_the_disk(self) -> None:
        """Truncate the WAL first (as it is after a restart): a full-size WAL is rewritten in
        place and would let small writes through a full disk; then fill every byte."""
        start = self.now()
        with contextlib.closing(sqlite3.connect(self.db_path, timeout=2)) as db:
            busy = db.execute("pragma wal_checkpoint(truncate)").fetchone()[0]
        big = fill_disk(self.server.data_dir)
        wal = self.db_path.with_name("bot.sqlite-wal")
        wal_kib = wal.stat().st_size // 1024 if wal.exists() else 0
        self.note(f"磁盘写满（{big.stat().st_size // 1024} KiB 的大文件；WAL {'未能截断' if busy else '先截断'}，"
                  f"现 {wal_kib} KiB）")
        time.sleep(self.hold_s)
        big.unlink(missing_ok=True)
        self.note("大文件删除，磁盘有空间了")
        self.unwritable.append((start, self.now()))

    def lock_the_database(self) -> None:
        start = self.now()
        db = sqlite3.connect(self.db_path, timeout=10, isolation_level=None)
        try:
            db.execute("begin exclusive")
            self.note("bot.sqlite 被另一个连接 BEGIN EXCLUSIVE 锁住")
            time.sleep(self.hold_s)
            db.execute("rollback")
            self.note("锁释放")
        finally:
            db.close()
        self.unwritable.append((start, self.now()))

    def run(self, duration: float) -> None:
        """At 20 %, 40 % and 70 % of the run: kill, disk, lock."""
        steps = ((0.20, self.kill_a_worker), (0.40, self.fill_the_disk), (0.70, self.lock_the_database))
        for at, fault in steps:
            time.sleep(max(0.0, self._t0 + at * duration - time.monotonic()))
            fault()


# ---------------------------------------------------------------- the run

def send_all(server: Server, messages: list[Message], duration: float, threads: int, t0: float) -> None:
    """Start the messages evenly over `duration` seconds (from `t0`) from `threads` threads."""
    sender = Sender(server.port, server.token)
    gap = duration / max(1, len(messages))

    def one(i: int) -> None:
        time.sleep(max(0.0, t0 + i * gap - time.monotonic()))
        messages[i].started = time.monotonic() - t0
        sender.run(messages[i])

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(one, range(len(messages))))


def store_write_failures(port: int, samples: int = 6) -> int:
    """The most /healthz/details reports over a few GETs: each worker counts its own failures,
    and a GET lands on either worker."""
    seen = 0
    for _ in range(samples):
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/details", timeout=5) as response:
            seen = max(seen, json.load(response)["store_write_failures"])
    return seen


def failures_by_operation(port: int) -> dict[str, int]:
    """zhuzhou_store_write_failures_total from /metrics: all workers, the killed ones too."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
        text = response.read().decode()
    found = re.findall(r'^zhuzhou_store_write_failures_total\{operation="([^"]+)"\} ([0-9.e+]+)$', text, re.M)
    return {operation: int(float(value)) for operation, value in found}


def logged_counts(data_dir: Path, messages: list[Message]) -> Counter:
    """How many rows of bot.sqlite's `messages` each of our senders has."""
    hasher = UserHasher(HASH_KEY.encode())
    ours = {hasher(m.openid): m.openid for m in messages}
    with contextlib.closing(sqlite3.connect(data_dir / "bot.sqlite", timeout=10)) as db:
        rows = db.execute("select user from messages").fetchall()
    return Counter(ours[user] for (user,) in rows if user in ours)


def summarise(messages: list[Message], logged: Counter, unwritable: Callable[[float], bool]) -> dict:
    deliveries = [d for m in messages for d in m.results]
    answered = [m for m in messages if any(d.outcome == "answer" for d in m.results)]
    dropped = [m for m in messages if any(d.outcome == "dropped" for d in m.results)]
    doubled = [m for m in messages if logged[m.openid] > 1 or len(_replies(m)) > 1]
    latencies = [d.latency_ms for d in deliveries if d.outcome != "dropped"]
    return {
        "deliveries": len(deliveries), "messages": len(messages),
        "outcomes": dict(Counter(d.outcome for d in deliveries)),
        "dropped_messages": len(dropped), "dropped_answered": sum(m in answered for m in dropped),
        "lost": len(messages) - len(answered), "not_logged": sum(logged[m.openid] == 0 for m in messages),
        "doubled": sum(not unwritable(m.started) for m in doubled),
        "doubled_unwritable": sum(unwritable(m.started) for m in doubled),
        "doubled_lines": [_describe(m, logged) for m in doubled],
        "p50_ms": statistics.median(latencies) if latencies else 0.0,
        "p99_ms": percentile(latencies, 0.99) if latencies else 0.0,
        "max_ms": max(latencies, default=0.0),
    }


def _replies(message: Message) -> set[str]:
    return {d.content for d in message.results if d.content is not None}


def _describe(message: Message, logged: Counter) -> str:
    outcomes = ", ".join(("并发 " if d.concurrent else "") + d.outcome for d in message.results)
    return (f"{message.started:5.1f} s 发出，{len(message.results)} 次投递（{outcomes}），"
            f"日志 {logged[message.openid]} 行，{len(_replies(message))} 种回复")


def format_table(s: dict) -> str:
    o = s["outcomes"]
    rows = [
        ("投递次数（含重发）", s["deliveries"]), ("不同的消息", s["messages"]),
        ("HTTP 5xx", o.get("5xx", 0)),
        ("连接断开（投到被杀的 worker）", f"{o.get('dropped', 0)} 次，涉及 {s['dropped_messages']} 条消息"),
        ("　其中重发后得到回答的消息", s["dropped_answered"]),
        ("超过 5 秒的回复", o.get("late", 0)),
        ("该答却回 success（沉默）", o.get("success", 0)), ("答非所问", o.get("other", 0)),
        ("丢失的消息（没有一次投递得到回答）", s["lost"]),
        ("重复处理（日志多于 1 行，或同一 MsgId 两种回复）", s["doubled"]),
        ("　另：存储不可写的几秒内重复处理（每次投递都回答，见下）", s["doubled_unwritable"]),
        ("没记进日志的消息（进程被杀或写盘失败时丢的日志）", s["not_logged"]),
        ("延迟 p50 / p99 / 最大 ms", f"{s['p50_ms']:.0f} / {s['p99_ms']:.0f} / {s['max_ms']:.0f}"),
    ]
    return "\n".join(["| 项目 | 数 |", "|---|---:|", *(f"| {name} | {value} |" for name, value in rows)])


def fault_run(workdir: Path, count: int, duration: float, threads: int, hold_s: float) -> dict:
    """Everything: tmpfs, gunicorn, deliveries with faults, the figures (and the events)."""
    faq_dir = make_faq_dir(workdir / "faq")
    with tmpfs(workdir / "data-fault"):
        server = Server("fault", BOT_APP, workdir, faq_dir)
        server.env.update(USER_HASH_KEY=HASH_KEY, PROMETHEUS_MULTIPROC_DIR=str(workdir / "metrics"))
        try:
            server.start(timeout=120)
            t0 = time.monotonic()
            faults = Faults(server, hold_s, t0)
            injector = threading.Thread(target=faults.run, args=(duration,))
            messages = plan(count)
            injector.start()
            send_all(server, messages, duration, threads, t0)
            injector.join()
            time.sleep(2.5)  # each worker writes its log within a second
            summary = summarise(messages, logged_counts(server.data_dir, messages), faults.store_unwritable)
            summary.update(events=faults.events, log_problems=server.log_problems(),
                           store_write_failures=store_write_failures(server.port),
                           failures_by_operation=failures_by_operation(server.port))
            return summary
        finally:
            server.stop()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description="有限规模的故障演练：真实 gunicorn、tmpfs 上的 DATA_DIR、三种故障")
    parser.add_argument("--messages", type=int, default=600, help="不同消息的条数")
    parser.add_argument("--duration", type=float, default=30.0, help="消息在多少秒内发完")
    parser.add_argument("--threads", type=int, default=8, help="并发发送的线程数")
    parser.add_argument("--hold", type=float, default=3.0, help="磁盘写满、数据库锁住各持续几秒")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = "python -m tests.bench.faults " + " ".join(argv if argv is not None else sys.argv[1:])
    with tempfile.TemporaryDirectory(prefix="zhuzhou-faults-") as tmp:
        try:
            summary = fault_run(Path(tmp), args.messages, args.duration, args.threads, args.hold)
        except MountRefused as exc:
            print(f"无法挂载 tmpfs（需要 root）：{exc}", file=sys.stderr)
            return 2
    print(f"$ {command.strip()}")
    print("\n".join(summary["events"]))
    print(format_table(summary))
    print(f"/healthz/details 报告的存储写入失败次数（两个 worker 中较大者）：{summary['store_write_failures']}；"
          f"服务器日志里的 ERROR/Traceback 行：{len(summary['log_problems'])}")
    by_operation = "，".join(f"{op} {n}" for op, n in sorted(summary["failures_by_operation"].items()))
    print(f"zhuzhou_store_write_failures_total（所有 worker）：{by_operation or '无'}")
    for line in [*summary["doubled_lines"], *summary["log_problems"][:10]]:
        print("  " + line)
    bad = summary["lost"] or summary["doubled"]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
