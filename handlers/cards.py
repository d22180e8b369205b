"""Answer cards on WeChat: the news (图文) reply XML of a card, and a card's stored form.

A handler returns a reply text, or a `Card` (bot/answer/cards.py) when the answer goes out as
one. Re-deliveries of a push get the stored reply of the first (engine.shared holds strings),
so a card is stored as a marked JSON string that no reply text starts with.
"""
from __future__ import annotations

import json
import time

from wechatpy.replies import ArticlesReply

from bot.answer.cards import Card

from .security import cdata

STORED_PREFIX = "\x1enews\x1e"  # a control character: YAML texts and citizens' replies never hold it

Reply = str | Card


def stored(reply: Reply) -> str:
    """The string engine.shared keeps for the re-deliveries."""
    if isinstance(reply, Card):
        return STORED_PREFIX + json.dumps(reply.to_json(), ensure_ascii=False)
    return reply


def restored(value: str) -> Reply:
    """The reply a stored string stands for."""
    if value.startswith(STORED_PREFIX):
        return Card.from_json(json.loads(value[len(STORED_PREFIX):]))
    return value


def news_xml(card: Card, message) -> str:
    """The passive news reply: exactly one article, as WeChat allows in reply to a user's message.
    wechatpy's template wraps each value in CDATA unescaped: every value goes through cdata()."""
    article = {"title": cdata(card.title), "description": cdata(card.description),
               "image": cdata(card.image), "url": cdata(card.url)}
    return ArticlesReply(source=cdata(message.target or ""), target=cdata(message.source or ""),
                         time=int(time.time()), articles=[article]).render()
