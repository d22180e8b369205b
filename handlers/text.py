"""Text: keyword rules and the FAQ, both inside engine.ask (which also logs)."""
from . import handler, metrics
from .service import reply_text


@handler("text")
def on_text(engine, message, msg_type):
    reply = engine.ask(message.content or "", user=message.source, channel="wechat", msg_type="text")
    metrics.record_message("wechat", msg_type, reply.kind)
    return reply_text(reply)  # a card with REPLY_FORMAT=news, or the 客服 hand-off
