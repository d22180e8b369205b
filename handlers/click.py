"""Menu click: the reply configured for the key in keywords.yaml, else the help text."""
from bot.content.menu import HOT_MENU_KEY

from . import handler, log


@handler("event:click")
def on_click(engine, message, msg_type):
    key = message.key or ""
    log(engine, message, msg_type, "event", key)
    if key == HOT_MENU_KEY:  # 热点问题: the button's text (if any) with the list, picked by number
        return engine.hot_reply(engine.index.menu.get(key, ""), user=message.source or "")
    return engine.menu_reply(key)
