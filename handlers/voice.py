"""Voice: WeChat's speech recognition text is answered like typed text."""
from . import handler, log, metrics
from .service import reply_text


@handler("voice")
def on_voice(engine, message, msg_type):
    spoken = (message.recognition or "").strip()
    if not spoken:  # recognition off, or nothing understood
        log(engine, message, msg_type, "voice_empty")
        return engine.texts["voice_empty"]
    reply = engine.ask(spoken, user=message.source, channel="wechat", msg_type="voice")
    metrics.record_message("wechat", msg_type, reply.kind)
    return reply_text(reply)  # a card with REPLY_FORMAT=news, or the 客服 hand-off
