"""Citizen services on WeChat: WeChat's own 客服 (transfer_customer_service) and its session
events, and the hot questions under the welcome text and behind a menu key."""
from __future__ import annotations

from . import handler, log

# A handler's "reply" that means: hand this message to WeChat's 客服 (handlers/webhook.py renders
# it as transfer_customer_service). Stored like any reply, so a retried delivery is handed over too;
# no text a citizen receives starts with a NUL.
TRANSFER = "\x00transfer_customer_service"


def reply_text(reply) -> str:
    """What a handler returns for the engine's reply: the 客服 hand-off, a card (REPLY_FORMAT=news) or text."""
    return TRANSFER if reply.transfer else (reply.card or reply.text)


@handler("event:kf_close_session")
def on_kf_close(engine, message, msg_type):
    """The 客服 closed the session: the bot answers this citizen again."""
    engine.human_session_closed(message.source or "")
    log(engine, message, msg_type, "event")
    return ""
