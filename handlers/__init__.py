"""Message handlers, WeRoBot style: one small function per message type or event.

A handler gets the engine, the parsed wechatpy message and its type (the registry key below,
logged in the message log's msg_kind column), and returns the reply text; "" means no reply
(WeChat gets `success`). Handlers register themselves:

    @handler("text")              # MsgType
    @handler("event:click")       # MsgType "event", Event (lower case, as wechatpy names it)
"""
from __future__ import annotations

from collections.abc import Callable

from . import metrics

REGISTRY: dict[str, Callable] = {}


def handler(*msg_types: str):
    def register(func: Callable) -> Callable:
        for msg_type in msg_types:
            REGISTRY[msg_type] = func
        return func
    return register


def msg_type_of(message) -> str:
    """Registry key: wechatpy's type, or "event:<event>" (subscribe with qrscene_ is subscribe_scan)."""
    if message.type == "event":
        return f"event:{message.event}"
    if message.type == "unknown":
        raw = message._data  # wechatpy keeps unknown pushes as raw fields
        if str(raw.get("MsgType", "")).lower() == "event":
            return f"event:{str(raw.get('Event', '')).lower()}"
        return str(raw.get("MsgType", "unknown")).lower()
    return message.type


def dispatch(engine, message) -> str:
    msg_type = msg_type_of(message)
    func = REGISTRY.get(msg_type)
    if func is None:
        # Users sending files and the like get a hint; unknown platform events get no text.
        func = REGISTRY["event:*"] if msg_type.startswith("event:") else REGISTRY["*"]
    try:
        return func(engine, message, msg_type)
    except Exception:
        metrics.record_message("wechat", msg_type, "error")
        raise


def log(engine, message, msg_type: str, outcome: str, detail: str = "") -> None:
    """Log (and count) a push that did not go through engine.ask (which logs itself)."""
    engine.store.log_message(user=engine.hash_user(message.source or ""), channel="wechat",
                             msg_type=msg_type, text=detail, outcome=outcome)
    metrics.record_message("wechat", msg_type, outcome)


# Importing the modules registers their handlers.
from . import click, service, silent, subscribe, text, unsupported, voice  # noqa: E402,F401
