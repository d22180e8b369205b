"""The web server: WeChat webhook, JSON API, health check and FAQ detail pages.

    gunicorn -w 2 -b 0.0.0.0:8000 -c python:server 'server:create_app()'   # production (Dockerfile)
    python server.py --gunicorn --default-token dev-token   # the same on HOST:PORT (make run)
    python server.py                                         # one process, Werkzeug's server (tests)

`-c python:server` makes gunicorn read this module's settings: only the hooks on_starting and
child_exit (for /metrics in multiprocess mode) and post_worker_init (the worker's long-lived heap
out of the garbage collector's way) are named like gunicorn settings, keep it so.
"""
from __future__ import annotations

import argparse
import hashlib
import logging
import os
import signal
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

from flask import Flask, Response, jsonify
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.serving import WSGIRequestHandler

from bot.answer.engine import Engine
from bot.config import Config
from handlers import logs, metrics, pages, ratelimit, rating, webhook
from handlers.security import MAX_BODY_BYTES, CryptoRing, add_security_headers

log = logging.getLogger("server")


def create_app(config: Config | None = None, *, engine: Engine | None = None) -> Flask:
    """The app; `engine` lets tests share one built index (jieba takes seconds to start)."""
    config = config or Config.from_env()
    logs.configure(config.log_format)
    app = Flask(__name__)
    app.config.update(WECHAT_TOKEN=config.wechat_token, MAX_CONTENT_LENGTH=MAX_BODY_BYTES,
                      BOT_CONFIG=config)
    app.json.ensure_ascii = False  # readable Chinese in /api/ask
    engine = engine or Engine(config)
    engine.warm_up()
    metrics.observe(engine)
    if config.faq_reload_interval > 0:
        engine.start_watching()
    app.extensions["engine"] = engine
    app.extensions["wechat_crypto"] = _crypto_ring(config)
    if not config.wechat_token:
        log.warning("WECHAT_TOKEN is not set: /wechat refuses every request")
    app.register_blueprint(webhook.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(rating.bp)  # 好差评 on the detail page
    if config.console_enabled:  # the staff web console under /console/ (handlers/console)
        from handlers import console
        console.init_app(app, config)
    app.after_request(add_security_headers)
    metrics.init_app(app, serve=config.metrics_enabled)
    ratelimit.init_app(app)
    if config.proxy_hops:  # the client IP (rate limits, logs) is the one the proxies saw
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=config.proxy_hops)
    app.register_error_handler(404, lambda e: (jsonify(error="页面不存在"), 404))
    app.register_error_handler(405, lambda e: (jsonify(error="不支持的请求方法"), 405))
    app.register_error_handler(413, lambda e: Response("too large", 413, mimetype="text/plain"))
    app.register_error_handler(500, lambda e: (jsonify(error="服务器内部错误"), 500))
    return app


def on_starting(server) -> None:
    """gunicorn hook, in the master: forget the metrics files of a previous run."""
    metrics.clear_multiproc_dir()


def child_exit(server, worker) -> None:
    """gunicorn hook, in the master: a dead worker's gauges leave /metrics (its counts stay)."""
    metrics.worker_gone(worker.pid)


def post_worker_init(worker) -> None:
    """gunicorn hook, in each worker once its app is loaded: see Engine.freeze_heap."""
    app = getattr(worker, "wsgi", None)
    engine = getattr(app, "extensions", {}).get("engine")
    if engine is not None:
        engine.freeze_heap()


def _crypto_ring(config: Config) -> CryptoRing | None:
    """Safe mode when an EncodingAESKey is configured; no key means plaintext mode."""
    keys = [k for k in (config.wechat_aes_key, config.wechat_aes_key_previous) if k]
    if not config.wechat_aes_key:
        return None
    return CryptoRing(config.wechat_token, config.wechat_appid, keys)


def sample_commands(base: str, token: str) -> list[str]:
    """Copy-paste commands for a developer: ask the API, and verify the webhook with a signature
    (signed now: it expires after 5 minutes, as a WeChat one does)."""
    ts, nonce = str(int(time.time())), "12345"
    signature = hashlib.sha1("".join(sorted([token, ts, nonce])).encode()).hexdigest()
    question = urllib.parse.quote("城铁末班车几点")
    return [f"curl '{base}/api/ask?q={question}'",
            f"curl '{base}/wechat?signature={signature}&timestamp={ts}&nonce={nonce}&echostr=hello'"]


class PathOnlyLogHandler(WSGIRequestHandler):
    """Access log without the query string: WeChat puts the sender's OpenID in it."""

    def log_request(self, code="-", size="-") -> None:
        path = self.path.split("?", 1)[0]
        self.log("info", '"%s %s" %s %s', self.command, path, getattr(code, "value", code), size)


# The Dockerfile's CMD less its bind address (tests/test_gunicorn_run.py keeps the two alike).
GUNICORN_ARGS = ["-w", "2", "--timeout", "30", "--no-control-socket", "--access-logfile", "-",
                 "--access-logformat", '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss', "-c", "python:server",
                 "server:create_app()"]


def gunicorn_command(config: Config) -> list[str]:
    return [sys.executable, "-m", "gunicorn", "-b", f"{config.host}:{config.port}", *GUNICORN_ARGS]


def gunicorn_env(config: Config, default_token: str = "") -> dict[str, str]:
    """The environment for gunicorn: WECHAT_TOKEN as configured (environment, then .env), else
    `default_token`; a metrics directory for its workers unless one is configured."""
    env = dict(os.environ, WECHAT_TOKEN=config.wechat_token or default_token)
    env.setdefault("PROMETHEUS_MULTIPROC_DIR", str(Path(tempfile.gettempdir()) / f"zhuzhou-metrics-{config.port}"))
    return env


def print_banner(config: Config, token: str) -> None:
    base = f"http://{config.host}:{config.port}"
    mode = "安全模式 (AES)" if config.wechat_aes_key else "明文模式"
    print(f"株洲政务信息机器人：{base}  （微信接口 {base}/wechat，{mode}）", flush=True)
    for command in sample_commands(base, token):
        print(f"  {command}", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="株洲政务信息机器人")
    parser.add_argument("--gunicorn", action="store_true",
                        help="用与生产相同的 gunicorn（Dockerfile 的参数和本文件的钩子）在 HOST:PORT 上运行")
    parser.add_argument("--default-token", default="", help="环境变量和 .env 都没有 WECHAT_TOKEN 时使用的 Token")
    args = parser.parse_args(argv)
    config = Config.from_env()
    if args.gunicorn:
        env = gunicorn_env(config, args.default_token)
        print_banner(config, env["WECHAT_TOKEN"])
        command = gunicorn_command(config)
        os.execve(command[0], command, env)
    config = config.replace(wechat_token=config.wechat_token or args.default_token)
    app = create_app(config)
    print_banner(config, config.wechat_token)
    # `kill -HUP <pid>` reloads the FAQ at once (gunicorn's own SIGHUP restarts its workers).
    signal.signal(signal.SIGHUP, lambda *_: app.extensions["engine"].reload())
    app.run(host=config.host, port=config.port, threaded=True, request_handler=PathOnlyLogHandler)


if __name__ == "__main__":
    main()
