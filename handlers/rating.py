"""好差评 on the detail page `/faq/<id>`: the same levels as on WeChat, as buttons; a bad
rating asks, in one line, what was wrong, and goes to the staff queue like one from WeChat.

The page is anonymous: the rating is stored under a keyed hash of the client IP in the "page"
channel, and each IP may post RATE_LIMIT_PER_IP times a minute.
"""
from __future__ import annotations

from flask import Blueprint, current_app, render_template_string, request

from bot.answer import services

from . import ratelimit
from .security import SECURITY_HEADERS

bp = Blueprint("rating", __name__)
# The detail page and these pages may post their own forms (everything else stays 'none').
FORM_HEADERS = {"Content-Security-Policy": SECURITY_HEADERS["Content-Security-Policy"].replace(
    "form-action 'none'", "form-action 'self'")}
MAX_REASON = 300

RESULT = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>评价 - 株洲市政务信息</title>
<style>body { margin: 0; padding: 16px; font: 16px/1.7 -apple-system, "PingFang SC", "Microsoft YaHei", sans-serif;
background: #f6f7f9; } main { max-width: 720px; margin: 0 auto; background: #fff; border-radius: 8px;
padding: 16px 20px; } textarea { width: 100%; box-sizing: border-box; font-size: 15px; }
button { font-size: 15px; padding: 4px 14px; margin-top: 8px; }</style></head>
<body><main>
<p>{{ message }}</p>
{% if ask_reason %}<form method="post" action="/faq/{{ faq_id }}/rating">
  <input type="hidden" name="rating_id" value="{{ rating_id }}">
  <textarea name="reason" rows="3" maxlength="300" placeholder="哪里不对？一句话即可"></textarea>
  <button type="submit">提交</button>
</form>{% endif %}
<p><a href="/faq/{{ faq_id }}">返回</a></p>
</main></body></html>
"""


def _engine():
    return current_app.extensions["engine"]


def levels(engine) -> list[str]:
    return list(services.LEVELS[services.levels_of(engine.index.service)])


def _page(status: int = 200, **values):
    return render_template_string(RESULT, **values), status, FORM_HEADERS


@bp.post("/faq/<faq_id>/rating")
def rate(faq_id: str):
    engine, config = _engine(), current_app.config["BOT_CONFIG"]
    ip = request.remote_addr or ""
    if engine.entry(faq_id) is None:
        return _page(404, message="未找到该条目。", faq_id=faq_id)
    if ratelimit.exceeded(engine, [("page_ip", ip, config.rate_limit_per_ip)]):
        return _page(429, message=ratelimit.API_ERROR, faq_id=faq_id)
    user = engine.user_key(ip, "page")
    rating_id, reason = request.form.get("rating_id", "").strip(), request.form.get("reason", "").strip()
    if rating_id:  # the one line on what was wrong
        if reason:
            engine.record([("reason", {"rating_id": rating_id[:32], "reason": reason[:MAX_REASON]})], user, "page")
        return _page(message=f"谢谢您的意见，已转给工作人员处理（编号 {rating_id[:32]}）。", faq_id=faq_id)
    found = services.rating_of(request.form.get("level", ""), services.levels_of(engine.index.service), False)
    if found is None:
        return _page(400, message="请选择一个评价。", faq_id=faq_id)
    level, score, bad = found
    event, text = services.rate(services.Act("rating", level=level, score=score, bad=bad), faq_id, "",
                                engine.service_context())
    engine.record([("rating", event)], user, "page")
    return _page(message=text.replace("（直接回复即可）", ""), ask_reason=bad, faq_id=faq_id,
                 rating_id=event["rating_id"])
