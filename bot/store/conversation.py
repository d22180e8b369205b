"""The conversation a citizen's next message is read in: what the bot last answered or offered.

Kept per user by the store (bot/store/sqlite.py) as JSON with the keys "offered", "category",
"last_id" and "last_query"; a field left empty is not written, so rows written before this type
existed and rows written now are the same JSON.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields, replace

from bot.store.privacy import mask_personal_numbers


@dataclass(frozen=True)
class Conversation:
    offered: tuple[str, ...] = ()   # entry ids listed last turn, picked by number ("2", "第二个")
    category: str = ""              # the topic a follow-up is read within ("那末班车呢")
    last_id: str = ""               # the entry last answered
    last_query: str = ""            # the citizen's last question, read together with an elliptical one ("湘潭呢")

    def to_json(self) -> str:
        """The stored form; the citizen's last question with phone and ID-card numbers masked,
        as in the message log (a follow-up is read the same without them)."""
        state = {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items() if v}
        if "last_query" in state:
            state["last_query"] = mask_personal_numbers(state["last_query"])
        return json.dumps(state, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Conversation:
        state = json.loads(text)
        known = {f.name: state[f.name] for f in fields(cls) if state.get(f.name)}
        if "offered" in known:
            known["offered"] = tuple(known["offered"])
        return cls(**known)

    def without_offers(self) -> Conversation:
        """The same topic, with nothing left to pick by number."""
        return replace(self, offered=())


NEW_CONVERSATION = Conversation()
