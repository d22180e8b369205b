"""Images, video, locations, links, files and anything unknown: say what we understand."""
from . import handler, log


@handler("image", "video", "shortvideo", "location", "link", "file", "unknown", "*")
def on_unsupported(engine, message, msg_type):
    log(engine, message, msg_type, "unsupported")
    return engine.texts["unsupported"]
