"""What the tests of the console's work pages (试问, 待处理问题, 从报告起草, 概览) share."""
from __future__ import annotations

import html

from bot.content.faq import load_faq


def engine_of(site):
    return site.app.extensions["engine"]


def citizens_ask(site, questions, channel="wechat"):
    """Questions asked through the site's engine, logged as the webhook logs them."""
    engine = engine_of(site)
    for i, text in enumerate(questions):
        engine.ask(text, user=f"openid-{i % 4}", channel=channel)
    engine.store.flush()


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def entry_on_disk(site, faq_id):
    return load_faq(site.faq_dir).by_id().get(faq_id)


def files_of(site) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(site.faq_dir.glob("*.yaml"))}
