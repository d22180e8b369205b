"""HTTP endpoints besides the webhook: the JSON API, the health check and the FAQ detail page."""
from __future__ import annotations

import datetime as dt
import hmac

from flask import Blueprint, current_app, jsonify, render_template_string, request

from bot.answer.engine import MAX_QUERY_CHARS

from . import metrics, rating

bp = Blueprint("pages", __name__)


def _engine():
    return current_app.extensions["engine"]


@bp.get("/api/ask")
def ask():
    query = request.args.get("q", "").strip()
    if not query:
        return jsonify(error="缺少参数 q：请提供要问的问题，例如 /api/ask?q=城铁末班车几点"), 400
    if len(query) > MAX_QUERY_CHARS:
        return jsonify(error=f"问题太长，请不要超过{MAX_QUERY_CHARS}个字"), 400
    reply = _engine().ask(query, user=request.args.get("user", ""), channel="api")
    metrics.record_message("api", "text", reply.kind)
    return jsonify(reply.to_json(query))


@bp.get("/healthz")
def healthz():
    """Liveness, public: 200 while the FAQ on disk is served whole; 503 and the problems in
    Chinese when it is not (missing, empty or broken FAQ_DIR, an edit that did not load), so
    that an orchestrator and staff see it. The figures are at /healthz/details."""
    problems = _engine().problems()
    if problems:
        return jsonify(status="error", problems=problems), 503
    return jsonify(status="ok")


LOCAL_ADDRESSES = {"127.0.0.1", "::1"}


@bp.get("/healthz/details")
def health_details():
    """Entries, last reload, store failures: with HEALTH_TOKEN set only to `Authorization:
    Bearer <token>`, else only from this machine (behind a proxy on the same host, set a token)."""
    token = current_app.config["BOT_CONFIG"].health_token
    if token:
        allowed = hmac.compare_digest(request.headers.get("Authorization", "").encode(), f"Bearer {token}".encode())
    else:
        allowed = request.remote_addr in LOCAL_ADDRESSES
    if not allowed:
        return jsonify(error="仅限本机访问；从其他机器访问请配置 HEALTH_TOKEN 并携带 Authorization 头"), 403
    details = _engine().health()
    return jsonify(details), 503 if details["load_errors"] else 200


PAGE = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} - 株洲市政务信息</title>
<style>
body { margin: 0; padding: 16px; font: 16px/1.7 -apple-system, "PingFang SC", "Microsoft YaHei", sans-serif;
       color: #222; background: #f6f7f9; }
main { max-width: 720px; margin: 0 auto; background: #fff; border-radius: 8px; padding: 16px 20px; }
h1 { font-size: 20px; line-height: 1.4; margin: 0 0 8px; }
h2 { font-size: 16px; margin: 20px 0 4px; color: #555; }
p { margin: 0; white-space: pre-line; word-break: break-word; }
.category { display: inline-block; font-size: 13px; color: #1a6; border: 1px solid #1a6;
            border-radius: 4px; padding: 0 6px; margin-bottom: 8px; }
.source { font-size: 14px; color: #666; }
a { color: #1a5fb4; word-break: break-all; }
.rating button { font-size: 15px; padding: 4px 14px; margin: 6px 6px 0 0; }
textarea { width: 100%; box-sizing: border-box; font-size: 15px; }
</style>
</head>
<body>
<main>
{% if entry %}
  {% if entry.category %}<span class="category">{{ entry.category }}</span>{% endif %}
  <h1>{{ entry.question }}</h1>
  <h2>答复</h2>
  <p>{{ entry.answer }}</p>
  {% if entry.detail %}<h2>详细说明</h2>
  <p>{{ entry.detail }}</p>{% endif %}
  {% if entry.link %}<h2>相关链接</h2>
  <p><a href="{{ entry.link }}" rel="noopener noreferrer">{{ entry.link }}</a></p>{% endif %}
  <h2>来源</h2>
  <p class="source">{{ entry.source.title }}{% if source_date %}（{{ source_date }}）{% endif %}</p>
  {% if levels %}<form class="rating" method="post" action="/faq/{{ entry.id }}/rating">
    <h2>这条回答对您有帮助吗？</h2>
    {% for level in levels %}<button type="submit" name="level" value="{{ level }}">{{ level }}</button> {% endfor %}
  </form>{% endif %}
{% else %}
  <h1>未找到该条目</h1>
  <p>您要查看的内容不存在或已下线。请回到公众号直接提问，发送“帮助”查看可以问的内容。</p>
{% endif %}
</main>
</body>
</html>
"""


def _chinese_date(iso: str) -> str:
    """2024-12-25 → 2024年12月25日; the report's file name is internal and never shown."""
    try:
        day = dt.date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{day.year}年{day.month}月{day.day}日"


@bp.get("/faq/<faq_id>")
def faq_page(faq_id: str):
    entry = _engine().entry(faq_id)
    html = render_template_string(PAGE, entry=entry, title=entry.question if entry else "未找到",
                                  source_date=_chinese_date(entry.source.get("date", "")) if entry else "",
                                  levels=rating.levels(_engine()) if entry else [])
    # headers (CSP: only the inline style): security.add_security_headers; the rating form posts here
    return html, 200 if entry else 404, rating.FORM_HEADERS
