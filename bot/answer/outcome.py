"""What the bot does with a message: the one meaning of `Decision.kind` and `Reply.kind`."""
from __future__ import annotations

from enum import StrEnum


class Outcome(StrEnum):
    """A StrEnum: each value is the very string the message log, `/api/ask` JSON and `eval` show."""
    RULE = "rule"            # a keyword rule's reply (你好, 谢谢 …)
    ANSWER = "answer"        # one entry answered (or two asked together)
    CLARIFY = "clarify"      # close entries offered for the citizen to pick by number
    FALLBACK = "fallback"    # no entry answers: the fallback reply, saying why
    # citizen services (bot/answer/services.py): never the reply to a question
    HANDOFF = "handoff"      # 转人工: the contact text, or WeChat's 客服 (transfer_customer_service)
    RATING = "rating"        # 好差评 of the answer just given
    FEEDBACK = "feedback"    # what was wrong, after a bad rating
    HOT = "hot"              # the hot questions, asked for (热点)
