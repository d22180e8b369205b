"""The conversation a citizen's next message is read in: what the bot last answered or offered.

Kept per user by the store (bot/store/sqlite.py) as JSON with the keys "offered", "category",
"last_id" and "last_query", and those of the citizen services (bot/answer/services.py); a field
left empty is not written, so rows written before this type existed and rows written now are
the same JSON.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, fields, replace

from bot.store.privacy import mask_personal_numbers


@dataclass(frozen=True)
class Conversation:
    offered: tuple[str, ...] = ()   # entry ids listed last turn, picked by number ("2", "第二个")
    category: str = ""              # the topic a follow-up is read within ("那末班车呢")
    last_id: str = ""               # the entry last answered
    last_query: str = ""            # the citizen's last question, read together with an elliptical one ("湘潭呢")
    # citizen services (bot/answer/services.py)
    suggested: tuple[str, ...] = ()  # hot or related questions listed after `offered`, picked by number too
    suggested_kind: str = ""        # "hot" or "related": what the suggested ones are
    rate_id: str = ""               # the entry the citizen was just asked to rate
    rate_digits: bool = False       # the rating prompt offered digits (no numbered list was shown)
    reason_for: str = ""            # a bad rating whose "what was wrong" is the next message
    fallbacks: int = 0              # fallbacks in a row (two lead to 转人工)
    asked: str = ""                 # the citizen's last question, repeated back on 转人工
    human_until: float = 0.0        # a WeChat 客服 session is open until then (the bot stays silent)

    def to_json(self) -> str:
        """The stored form; the citizen's last question with phone and ID-card numbers masked,
        as in the message log (a follow-up is read the same without them)."""
        values = ((f.name, getattr(self, f.name)) for f in _FIELDS)  # not asdict: it deep-copies each field
        state = {k: list(v) if isinstance(v, tuple) else v for k, v in values if v}
        for key in ("last_query", "asked"):
            if key in state:
                state[key] = mask_personal_numbers(state[key])
        return _ENCODE(state)

    @classmethod
    def from_json(cls, text: str) -> Conversation:
        state = json.loads(text)
        known = {f.name: state[f.name] for f in _FIELDS if state.get(f.name)}
        for key in ("offered", "suggested"):
            if key in known:
                known[key] = tuple(known[key])
        return cls(**known)

    @property
    def choices(self) -> tuple[str, ...]:
        """What a number picks: the offered entries, then the suggested ones."""
        return self.offered + self.suggested

    def expires(self, updated: float, ttl: float) -> float:
        """When the stored conversation is forgotten: `ttl` after its last message, or later
        while a 客服 session is open (the bot must stay silent until it ends)."""
        return max(updated + ttl, self.human_until)

    def without_offers(self) -> Conversation:
        """The same topic, with nothing left to pick by number."""
        return replace(self, offered=(), suggested=(), suggested_kind="")


_FIELDS = fields(Conversation)
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps(…, ensure_ascii=False) makes one per call
NEW_CONVERSATION = Conversation()
