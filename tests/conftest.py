"""Fixtures: the tiny FAQ of tests/helpers.py, a temp DATA_DIR, Flask apps in plaintext and
safe mode with a real Engine over one shared index, and a real redis-server."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import types
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.answer.engine import Engine  # noqa: E402
from bot.config import Config  # noqa: E402
from bot.search.cache import open_or_build  # noqa: E402
from bot.search.index import Index  # noqa: E402
from server import create_app  # noqa: E402
from tests.bench.bench import free_port  # noqa: E402
from tests.helpers import APPID, TOKEN, WeChat, make_faq_dir, new_aes_key  # noqa: E402


@pytest.fixture(scope="session")
def faq_dir(tmp_path_factory) -> Path:
    return make_faq_dir(tmp_path_factory.mktemp("faq"))


@pytest.fixture
def data_dir(tmp_path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def base_config(faq_dir, data_dir) -> Config:
    return Config(faq_dir=faq_dir, data_dir=data_dir, wechat_token=TOKEN, wechat_appid=APPID,
                  public_base_url="https://bot.example.cn", faq_reload_interval=0)


@pytest.fixture
def aes_key() -> str:
    return new_aes_key()


@pytest.fixture(scope="session")
def shared_index(faq_dir, tmp_path_factory) -> Index:
    """Built once: every Engine would otherwise start jieba again (over a second each)."""
    return open_or_build(faq_dir, tmp_path_factory.mktemp("index"))


@pytest.fixture
def make_app(base_config, shared_index):
    """An app like create_app(config) makes, with a real Engine over the shared index."""
    def make(**changes):
        config = base_config.replace(**changes)
        app = create_app(config, engine=Engine(config, index=shared_index))
        app.testing = True
        return app
    return make


@pytest.fixture
def plain_app(make_app):
    return make_app()


@pytest.fixture
def safe_app(make_app, aes_key):
    return make_app(wechat_aes_key=aes_key)


@pytest.fixture
def plain(plain_app):
    return WeChat(plain_app.test_client(), TOKEN)


@pytest.fixture
def safe(safe_app, aes_key):
    return WeChat(safe_app.test_client(), TOKEN, aes_key)


@pytest.fixture(params=["plain", "safe"])
def wx(request):
    """The webhook as WeChat pushes to it, in plaintext and in safe (AES) mode (only the app of
    the mode at hand is made)."""
    return request.getfixturevalue(request.param)


# ---------------------------------------------------------------- a real redis-server

class RedisServer:
    """`redis-server` on a free 127.0.0.1 port with its files in a temp dir; stop() and start()
    again (same port, empty) let a test take Redis away mid-run."""

    def __init__(self, binary: str, workdir: Path):
        self.binary, self.workdir, self.port = binary, workdir, free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen([self.binary, "--port", str(self.port), "--bind", "127.0.0.1",
                                      "--dir", str(self.workdir), "--save", "", "--appendonly", "no"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.02)
        self.stop()
        pytest.fail("redis-server did not come up")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(10)
            self.proc = None


@pytest.fixture
def redis_server(tmp_path):
    """A fresh redis-server for one test. Skipped only where the binary is missing on a
    developer's machine; in CI (.ci/run installs the Debian package) a missing one fails."""
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is not installed: .ci/run should apt-get install redis-server")
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    server = RedisServer(binary, tmp_path)
    server.start()
    yield server
    server.stop()


# ---------------------------------------------------------------- live gunicorn servers

@pytest.fixture
def gunicorn(tmp_path, faq_dir):
    """Start gunicorn as production does (the Dockerfile's CMD, server.py's hooks, 2 workers) on
    the tiny FAQ: `gunicorn(name, **env)` returns the running tests.bench.webhook.Server (its
    `token`, `port`, `data_dir`); every one started is stopped after the test."""
    from tests.bench.webhook import BOT_APP, Server

    started = []

    def start(name: str = "bot", **env: str):
        server = Server(name, BOT_APP, tmp_path, faq_dir)
        server.env.update(PROMETHEUS_MULTIPROC_DIR=str(tmp_path / f"metrics-{name}"), **env)
        server.token = server.env["WECHAT_TOKEN"]
        started.append(server)
        server.start(timeout=120)
        return server

    yield start
    for server in started:
        server.stop()


class _Http:
    """The bit of Flask's test client that tests/helpers.WeChat uses, over real HTTP."""

    def __init__(self, base: str):
        self.base = base

    def post(self, url: str, data: bytes, content_type: str):
        request = urllib.request.Request(self.base + url, data=data, method="POST",
                                         headers={"Content-Type": content_type})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return types.SimpleNamespace(status_code=response.status, data=response.read())
        except urllib.error.HTTPError as exc:
            return types.SimpleNamespace(status_code=exc.code, data=exc.read())


@pytest.fixture
def wechat_at():
    """`wechat_at(server, openid)`: the WeChat platform pushing to a live server over HTTP."""
    return lambda server, openid=None: WeChat(_Http(f"http://127.0.0.1:{server.port}"), server.token, openid=openid)


# ---------------------------------------------------------------- the staff web console
# Its fixtures (console, console_direct, browser, live_console, artifacts): tests/console_helpers.py.
from tests.console_helpers import artifacts, browser, console, console_direct, live_console  # noqa: E402, F401
