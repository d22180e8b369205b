"""Rate limits: requests per minute per citizen and per client IP (issue 12 item 9).

The limits come from the configuration (RATE_LIMIT_PER_USER, RATE_LIMIT_PER_IP,
RATE_LIMIT_WECHAT_PER_IP; 0 turns one off). Counts are kept by `engine.shared.hit` — in Redis
with REDIS_URL, so every instance counts together, else in each worker's memory — under a
keyed hash of who is counted: neither OpenIDs nor IPs reach a store. Over a limit, a citizen on
WeChat gets a short polite reply (as the answer of that push, so its retries get it too), an
API caller HTTP 429 with a Chinese message; both count in /metrics as rejected requests.
"""
from __future__ import annotations

import logging

from flask import current_app, jsonify, request

from . import metrics

WINDOW_S = 60
WECHAT_REPLY = "您发消息有点快，请稍等一分钟再问我，谢谢理解。"
API_ERROR = "请求太频繁，请一分钟后再试"

log = logging.getLogger("ratelimit")


def exceeded(engine, counted: list[tuple[str, str, int]]) -> str:
    """Count this request for each (scope, who, limit) and return the first scope over its
    limit ('' when none is). An empty `who` or a limit of 0 is not counted."""
    over = ""
    for scope, who, limit in counted:
        if limit > 0 and who and engine.shared.hit(engine.hash_user(f"rate|{scope}|{who}"), WINDOW_S) > limit:
            over = over or scope
    return over


def wechat_reply(engine, message) -> str:
    """The polite reply for a citizen's message over a limit, or '' to answer it as usual.
    Events (subscribe, menu clicks) are not limited."""
    if message.type == "event":
        return ""
    config = engine.config
    scope = exceeded(engine, [("user", message.source or "", config.rate_limit_per_user),
                              ("wechat_ip", request.remote_addr or "", config.rate_limit_wechat_per_ip)])
    if not scope:
        return ""
    log.info("rate limit (%s) reached on /wechat: replying with the wait notice", scope)
    metrics.record_rate_limited(scope)
    return WECHAT_REPLY


def init_app(app) -> None:
    """Limit /api/ask per client IP and per `user` before it is answered."""

    @app.before_request
    def limit_api():
        if request.endpoint != "pages.ask":
            return None
        engine, config = current_app.extensions["engine"], current_app.config["BOT_CONFIG"]
        scope = exceeded(engine, [("ip", request.remote_addr or "", config.rate_limit_per_ip),
                                  ("api_user", request.args.get("user", ""), config.rate_limit_per_user)])
        if not scope:
            return None
        metrics.record_rate_limited(scope)
        response = jsonify(error=API_ERROR)
        response.status_code = 429
        response.headers["Retry-After"] = str(WINDOW_S)
        return response
