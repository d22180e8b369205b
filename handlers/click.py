"""Menu click: the reply configured for the key in keywords.yaml, else the help text."""
from . import handler, log


@handler("event:click")
def on_click(engine, message, kind):
    key = message.key or ""
    log(engine, message, kind, "event", key)
    return engine.menu_reply(key)
