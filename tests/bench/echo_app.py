"""The echo app of `python -m tests.bench.webhook`: the webhook without the bot.

It checks and parses a plaintext push exactly as handlers/webhook.py does (the same signature,
freshness and safe-XML functions, then wechatpy's parse_message) and always answers one fixed
text reply, so its throughput under gunicorn is the ceiling of this stack: Flask, gunicorn sync
workers, the WeChat checks and the reply rendering, with no engine, no sqlite and no search.

    WECHAT_TOKEN=… gunicorn 'tests.bench.echo_app:create_app()'
"""
from __future__ import annotations

import os
import time

from flask import Flask, Response, jsonify, request
from wechatpy import parse_message
from wechatpy.replies import TextReply

from handlers.security import MAX_BODY_BYTES, Rejected, check_fresh, check_signature, parse_xml

REPLY = "收到"


def create_app() -> Flask:
    app = Flask(__name__)
    app.config.update(WECHAT_TOKEN=os.environ.get("WECHAT_TOKEN", ""), MAX_CONTENT_LENGTH=MAX_BODY_BYTES)

    @app.get("/healthz")
    @app.get("/healthz/details")
    def healthz():
        return jsonify(status="ok")

    @app.post("/wechat")
    def receive():
        try:
            check_signature(app.config["WECHAT_TOKEN"], request.args)
            check_fresh(request.args.get("timestamp", ""))
            body = request.get_data(cache=False)
            parse_xml(body)
            message = parse_message(body)
        except Rejected as exc:
            return Response("rejected", status=exc.status, mimetype="text/plain")
        xml = TextReply(content=REPLY, message=message, time=int(time.time())).render()
        return Response(xml, mimetype="application/xml")

    return app
