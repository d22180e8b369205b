"""Answer cards: an answer as one article (图文) — title, description, link — instead of text.

Optional (REPLY_FORMAT=news); text is the default. Only a reply that answers with one entry and
nothing after it becomes a card: two entries asked together, the numbered "您可能还想问" list and
every clarification, fallback and rule stay text, so the card never drops part of what the bot
says (a citizen's "2" must still find the list it refers to). The card says what the text says
up to its description limit; the full answer is one tap away on the detail page.

No WeChat here: the webhook renders the card as a news reply (handlers/cards.py).
"""
from __future__ import annotations

import urllib.parse
from dataclasses import asdict, dataclass

from bot.answer import compose
from bot.content.model import Entry

# WeChat's passive-reply documentation gives no length for an article's Title or Description;
# its answer for the draft API is "the limits of the 公众号 editor": a title of 64 characters and
# a summary of 120. Counted in UTF-8 bytes as the text limit is (3 bytes a 汉字).
TITLE_MAX_BYTES = 64 * 3
DESCRIPTION_MAX_BYTES = 120 * 3
FORMATS = ("text", "news")
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}


@dataclass(frozen=True)
class Card:
    title: str
    description: str
    url: str
    image: str = ""  # PicUrl; none of the reports has pictures

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Card:
        return cls(**{k: str(data.get(k) or "") for k in ("title", "description", "url", "image")})


def public_base(url: str) -> str | None:
    """The base of the detail links a citizen's phone can open: http(s) and not this machine
    (the default http://HOST:PORT is only reachable from the server itself); else None."""
    parts = urllib.parse.urlsplit((url or "").strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.hostname in LOCAL_HOSTS:
        return None
    return url.strip().rstrip("/")


def setting_problem(reply_format: str, public_base_url: str) -> str | None:
    """Why the configured REPLY_FORMAT cannot be used as set, in Chinese for staff (None: fine)."""
    if reply_format not in FORMATS:
        return f"REPLY_FORMAT 只能是 text（文字，默认）或 news（图文卡片），现在是“{reply_format}”：按 text 回复"
    if reply_format == "news" and public_base(public_base_url) is None:
        return (f"REPLY_FORMAT=news 需要 PUBLIC_BASE_URL 设为市民手机能打开的公网地址（现在是“{public_base_url}”）："
                "卡片没有可以指向的详情页，回答仍以文字发送")
    return None


def enabled(reply_format: str, public_base_url: str) -> bool:
    return reply_format == "news" and public_base(public_base_url) is not None


def answer_card(entry: Entry, extra: str, public_base_url: str) -> Card:
    """The card of one entry's answer: its question, the answer (and the part of the detail the
    question narrowed to) with year and source, and its detail page."""
    body = f"{entry.answer}\n{extra}" if extra else entry.answer
    return Card(title=compose.fit(entry.question, limit=TITLE_MAX_BYTES),
                description=compose.fit(body, compose.source_line(entry), limit=DESCRIPTION_MAX_BYTES),
                url=f"{public_base(public_base_url)}/faq/{urllib.parse.quote(entry.id)}")
