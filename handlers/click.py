"""Menu click: the reply configured for the key in keywords.yaml, else the help text."""
from . import handler, log


@handler("event:click")
def on_click(engine, message, msg_type):
    key = message.key or ""
    log(engine, message, msg_type, "event", key)
    return engine.menu_reply(key)
