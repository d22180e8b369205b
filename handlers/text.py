"""Text: keyword rules and the FAQ, both inside engine.ask (which also logs)."""
from . import handler


@handler("text")
def on_text(engine, message, msg_type):
    return engine.ask(message.content or "", user=message.source, channel="wechat", msg_type="text").text
