"""`make run` runs what production runs (issue 11; issue 12 item 15): gunicorn with the Dockerfile's
flags and server.py's hooks, on HOST:PORT, with WECHAT_TOKEN from the environment or `.env`."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

import server
from bot.config import Config
from tests.bench import webhook
from tests.bench.bench import free_port
from tests.helpers import ROOT, sign


def without_bind(command: list[str]) -> list[str]:
    at = command.index("-b")
    return command[:at] + command[at + 2:]


def test_the_flags_are_the_dockerfiles():
    config = Config(host="127.0.0.1", port=8123)
    assert without_bind(server.gunicorn_command(config)) == without_bind(webhook.gunicorn_command(webhook.BOT_APP, 1))
    assert server.gunicorn_command(config)[3:5] == ["-b", "127.0.0.1:8123"]


def test_make_run_starts_gunicorn_with_the_dev_token_as_a_default_only():
    dry_run = subprocess.run(["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True).stdout
    assert "server.py --gunicorn --default-token dev-token" in dry_run and "WECHAT_TOKEN=" not in dry_run
    assert server.gunicorn_env(Config(wechat_token=""), "dev-token")["WECHAT_TOKEN"] == "dev-token"
    assert server.gunicorn_env(Config(wechat_token="from-dotenv"), "dev-token")["WECHAT_TOKEN"] == "from-dotenv"


def verify(base: str, token: str) -> int:
    ts, nonce = str(int(time.time())), "42"  # fresh: an old signature is a replay
    url = f"{base}/wechat?signature={sign(token, ts, nonce)}&timestamp={ts}&nonce={nonce}&echostr=ok"
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:  # not listening yet
        return 0


def children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == pid:
                found.append(int(entry))
    return found


@pytest.mark.slow
def test_run_serves_under_gunicorn_reading_dotenv(tmp_path, faq_dir):
    port = free_port()
    (tmp_path / ".env").write_text(f"WECHAT_TOKEN=from-dotenv\nPORT={port}\nFAQ_DIR={faq_dir}\n"
                                   f"DATA_DIR={tmp_path / 'data'}\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("WECHAT_TOKEN", "PORT", "HOST", "FAQ_DIR", "DATA_DIR")}
    env.update(PYTHONPATH=str(ROOT), PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "metrics"))
    proc = subprocess.Popen([sys.executable, str(ROOT / "server.py"), "--gunicorn", "--default-token", "dev-token"],
                            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while verify(base, "from-dotenv") != 200:
            assert proc.poll() is None and time.monotonic() < deadline, "the server did not come up"
            time.sleep(0.2)
        assert verify(base, "dev-token") == 403  # .env's token, not the default
        assert "gunicorn" in Path(f"/proc/{proc.pid}/cmdline").read_text()  # server.py became gunicorn
        assert len(children(proc.pid)) == 2  # its two workers
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        output = proc.communicate(timeout=30)[0]
    assert f"株洲政务信息机器人：{base}" in output and "curl" in output
