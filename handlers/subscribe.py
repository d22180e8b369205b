"""Follow (with or without a QR scene) and scanning a QR code when already following."""
from . import handler, log


@handler("event:subscribe", "event:subscribe_scan", "event:scan")
def on_subscribe(engine, message, msg_type):
    log(engine, message, msg_type, "event", getattr(message, "scene_id", "") or "")
    return engine.hot_reply(engine.texts["welcome"], user=message.source or "")  # hot questions under it
