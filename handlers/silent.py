"""Events that need no answer: unfollow, menu links, location reports, unknown events."""
from . import handler, log


@handler("event:unsubscribe", "event:view", "event:location", "event:*")
def on_silent(engine, message, msg_type):
    log(engine, message, msg_type, "event")
    return ""
