"""The web server: WeChat webhook, JSON API, health check and FAQ detail pages.

    python server.py                                   # HOST:PORT, 127.0.0.1:8000 by default
    gunicorn -w 2 -b 0.0.0.0:8000 -c python:server 'server:create_app()'

`-c python:server` makes gunicorn read this module's settings: only the hooks on_starting and
child_exit (for /metrics in multiprocess mode) are named like gunicorn settings, keep it so.
"""
from __future__ import annotations

import hashlib
import logging
import signal
import time
import urllib.parse

from flask import Flask, Response, jsonify
from werkzeug.serving import WSGIRequestHandler

from bot.answer.engine import Engine
from bot.config import Config
from handlers import logs, metrics, pages, webhook
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
    app.after_request(add_security_headers)
    metrics.init_app(app, serve=config.metrics_enabled)
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


def main() -> None:
    config = Config.from_env()
    app = create_app(config)
    base = f"http://{config.host}:{config.port}"
    mode = "安全模式 (AES)" if config.wechat_aes_key else "明文模式"
    print(f"株洲政务信息机器人：{base}  （微信接口 {base}/wechat，{mode}）", flush=True)
    for command in sample_commands(base, config.wechat_token):
        print(f"  {command}", flush=True)
    # `kill -HUP <pid>` reloads the FAQ at once (gunicorn's own SIGHUP restarts its workers).
    signal.signal(signal.SIGHUP, lambda *_: app.extensions["engine"].reload())
    app.run(host=config.host, port=config.port, threaded=True, request_handler=PathOnlyLogHandler)


if __name__ == "__main__":
    main()
