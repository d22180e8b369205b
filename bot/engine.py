"""The bot as one object: FAQ index + store + conversation, answering a text for a user.

No Flask and no WeChat here: the webhook, the JSON API and the CLI all call `Engine.ask`.
"""
from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import compose, matcher, scope
from .textnorm import normalize, strip_particles
from .config import Config
from .faq import Entry, fingerprint, load_faq
from .index import Index
from .store import Store, UserHasher

log = logging.getLogger("bot")
# A fallback names the nearest FAQ questions when they are at least this close: the citizen
# sees what can be asked nearby, and no fact is asserted.
RELATED_MIN_SCORE = 40.0


@dataclass
class Reply:
    kind: str                       # answer | rule | clarify | fallback
    text: str
    faq_id: str | None = None
    score: float | None = None
    candidates: list[dict] = field(default_factory=list)
    reason: str = ""

    def to_json(self, query: str) -> dict:
        return {"query": query, "kind": self.kind, "faq_id": self.faq_id,
                "score": None if self.score is None else round(self.score, 1),
                "reply": self.text, "candidates": self.candidates}


class Engine:
    def __init__(self, config: Config, index: Index | None = None):
        self.config = config
        self.data_dir = Path(config.data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.store = Store(self.data_dir / "bot.sqlite")
        self.hash_user = UserHasher.for_data_dir(self.data_dir, config.user_hash_key)
        self._lock = threading.Lock()
        self.index = index or Index.open_or_build(Path(config.faq_dir), self.data_dir / "index")
        self.loaded_at = dt.datetime.now(dt.timezone.utc)
        self.reload_errors: list[str] = []
        self._rejected_fingerprint = ""
        self._warm = False

    # -------------------------------------------------------------- live reload

    def reload(self) -> bool:
        """Serve the FAQ files as they are now, if they changed and load without errors.

        A broken edit is not loaded: the previous index keeps serving and the errors are
        logged once and shown by health() until the files are fixed. Requests never wait:
        the new index is built aside and swapped in with one assignment.
        """
        faq_dir = Path(self.config.faq_dir)
        current = fingerprint(faq_dir) if faq_dir.is_dir() else ""
        if current in (self.index.fingerprint, self._rejected_fingerprint):
            if current == self.index.fingerprint:
                self.reload_errors = []
            return False
        with self._lock:
            faq = load_faq(faq_dir)
            if faq.errors or not faq_dir.is_dir():
                self._rejected_fingerprint = current
                self.reload_errors = [str(p) for p in faq.errors]
                log.error("FAQ 修改有错误，未加载，继续使用上一版：%s", "；".join(self.reload_errors))
                return False
            self.index = Index.open_or_build(faq_dir, self.data_dir / "index", load=lambda _: faq)
            if self._warm:
                self._start_preload(self.index)
            self.loaded_at = dt.datetime.now(dt.timezone.utc)
            self.reload_errors, self._rejected_fingerprint = [], ""
            log.info("FAQ 已重新加载：%d 个条目", self.index.size)
            return True

    def warm_up(self) -> None:
        """Keep the index (and any reloaded one) decoded in memory, from a background thread:
        a server answers from the start, and after a second or so without touching sqlite."""
        self._warm = True
        self._start_preload(self.index)

    @staticmethod
    def _start_preload(index: Index) -> threading.Thread:
        thread = threading.Thread(target=index.preload, name="faq-preload", daemon=True)
        thread.start()
        return thread

    def start_watching(self, interval: float | None = None) -> threading.Thread:
        """Poll the FAQ files in a daemon thread (every worker process runs its own)."""
        interval = interval or self.config.faq_reload_interval

        def watch():
            while True:
                time.sleep(interval)
                try:
                    self.reload()
                except Exception:  # a watcher that dies would silently stop reloads
                    log.exception("FAQ 重新加载失败")

        thread = threading.Thread(target=watch, name="faq-watcher", daemon=True)
        thread.start()
        return thread

    # -------------------------------------------------------------- the FAQ

    @property
    def texts(self) -> dict[str, str]:
        return self.index.texts

    def menu_reply(self, key: str) -> str:
        return self.index.menu.get(key) or self.texts["help"]

    def entry(self, faq_id: str) -> Entry | None:
        """A served entry (expired ones are no longer served)."""
        entry = self.index.entry(faq_id)
        return None if entry is None or entry.is_expired() else entry

    def health(self) -> dict:
        index = self.index
        return {
            "status": "ok", "entries": index.size, "faq_dir": str(Path(self.config.faq_dir).resolve()),
            "loaded_at": self.loaded_at.isoformat(timespec="seconds"), "index_built_at": index.built_at,
            "fingerprint": index.fingerprint[:12],
            "load_errors": self.reload_errors or [str(p) for p in index.problems if p.level == "error"],
            "serving_previous_version": bool(self.reload_errors),
        }

    # -------------------------------------------------------------- answering

    def ask(self, text: str, user: str = "", *, channel: str = "api", msg_kind: str = "text",
            log_it: bool = True) -> Reply:
        """The reply a citizen gets for `text`. `user` is any stable id; it is hashed here."""
        started = time.perf_counter()
        user_key = self.hash_user(user) if user else ""
        state = self.store.load_state(user_key) if user_key else {}
        reply, new_state = self.respond(text, state)
        if user_key:
            self.store.save_state(user_key, new_state)
        if log_it:
            self.store.log_message(user=user_key, channel=channel, msg_kind=msg_kind, text=text,
                                   outcome=reply.kind, faq_id=reply.faq_id, score=reply.score,
                                   latency_ms=round((time.perf_counter() - started) * 1000, 2))
        return reply

    def respond(self, text: str, state: dict) -> tuple[Reply, dict]:
        """Pure decision for one message given the conversation state; returns the new state."""
        index = self.index
        rule = self._rule(text)
        if rule is not None:
            return Reply("rule", compose.fit(rule)), state
        picked = self._pick_offered(text, state)
        if picked is not None:
            return self._answer(picked), self._state_after(picked, text)
        query = matcher.understand(index, text)
        refusal = scope.unanswerable(query.raw)
        if refusal:  # weather, personal cases, opinions: no entry can answer, none is searched
            return self._reply_for(matcher.Decision("fallback", [], refusal[0]), text, state, query, refusal[1])
        decision = matcher.decide(matcher.rank(index, query), query)
        if decision.kind != "answer" and state.get("category"):
            decision, query = self._follow_up(text, state, decision)
        note = ""
        if decision.kind == "answer" and decision.chosen.other_year:
            # "2023年的十大民生实事" is not answered with 2025's: the reports hold no 2023 list.
            decision = matcher.Decision("fallback", decision.scored, "问的年份资料中没有，最接近的条目是别的年份")
            note = "year"
        if decision.kind == "answer" and scope.misses_asked_detail(query.raw, decision.chosen.entry):
            decision = matcher.Decision("fallback", decision.scored, "问的细节（电话、地址、时间等）不在资料中")
            note = "detail"
        if decision.kind == "clarify":
            offered = [s for s in decision.offered
                       if not s.other_year and not scope.misses_asked_detail(query.raw, s.entry)]
            if not offered:
                note = "year" if all(s.other_year for s in decision.offered) else "detail"
                decision = matcher.Decision("fallback", decision.scored, "相近条目都是别的年份，或都没有所问的细节")
            decision.offered = offered
        return self._reply_for(decision, text, state, query, note)

    def _reply_for(self, decision: matcher.Decision, text: str, state: dict,
                   query: matcher.Query, note: str = "") -> tuple[Reply, dict]:
        candidates = [{"faq_id": s.record.faq_id, "question": s.record.question, "score": round(s.score, 1)}
                      for s in decision.scored[:5]]
        if decision.kind == "answer":
            also = decision.also.entry if decision.also else None
            reply = self._answer(decision.chosen.entry, decision.chosen.score, also, asked_words=query.words)
            reply.candidates, reply.reason = candidates, decision.reason
            return reply, self._state_after(decision.chosen.entry, text)
        if decision.kind == "clarify" and matcher.is_bare_topic(query) \
                and decision.offered[0].score >= matcher.ANSWER_THRESHOLD:
            # A bare topic ("棚改") gets the closest entry, with the neighbours one number away.
            offered = decision.offered[:3]
            reply = self._answer(offered[0].entry, offered[0].score)
            reply.text = compose.with_see_also(reply.text, [s.entry.question for s in offered[1:]])
            reply.candidates, reply.reason = candidates, "只给了话题词：回答最接近的一条，并列出相近问题"
            return reply, {**self._state_after(offered[0].entry, text), "offered": [s.entry.id for s in offered]}
        if decision.kind == "clarify":
            offered = decision.offered[:3]
            body = compose.clarify_text([s.entry.question for s in offered])
            reply = Reply("clarify", body, None, offered[0].score, candidates, decision.reason)
            return reply, {"offered": [s.entry.id for s in offered], "last_query": text,
                           "category": offered[0].entry.category}
        top = decision.scored[0].score if decision.scored else None
        related = ([s.entry.question for s in decision.scored[:2] if s.score >= RELATED_MIN_SCORE]
                   if note in ("", "year") else [])
        body = compose.fallback_text(self.texts["fallback"], scope.NOTES.get(note, ""), related)
        reply = Reply("fallback", body, None, top, candidates, decision.reason)
        return reply, {k: v for k, v in state.items() if k != "offered"}

    def _answer(self, entry: Entry, score: float | None = 100.0, also: Entry | None = None,
                asked_words: list[str] = ()) -> Reply:
        entries = [entry, also] if also else [entry]
        text = compose.answer_text(entries, self.config.public_base_url, asked_words)
        return Reply("answer", text, entry.id, score)

    @staticmethod
    def _state_after(entry: Entry, text: str) -> dict:
        return {"last_id": entry.id, "category": entry.category, "last_query": text}

    def _rule(self, text: str) -> str | None:
        """The reply of the first keyword rule that fits, compared in normalised form and without
        closing particles ("谢谢！", "你好啊"), but with fillers kept: 谢谢 is a rule's keyword."""
        norm = strip_particles(normalize(text))
        for rule in self.index.rules:
            for keyword in rule.keywords:
                key = strip_particles(normalize(keyword))
                if key and (norm == key if rule.match == "exact" else key in norm):
                    return rule.reply
        return None

    def _pick_offered(self, text: str, state: dict) -> Entry | None:
        """After a clarification, "2" or "第二个" picks the second offer."""
        offered = state.get("offered") or []
        if not offered:
            return None
        choice = scope.choice_number(text, len(offered))
        if choice is None:
            return None
        return self.entry(offered[choice - 1])

    def _follow_up(self, text: str, state: dict, decision: matcher.Decision):
        """A follow-up is read within the last topic: first on its own ("那末班车呢"), then
        together with the previous question ("湘潭呢" after "城铁首班车几点"). After a
        clarification, a more specific phrase chooses among the entries offered."""
        index, category = self.index, state["category"]
        offered = set(state.get("offered") or [])
        own = matcher.understand(index, text)
        combined = matcher.understand(index, f"{state.get('last_query', '')} {text}")
        fallback_clarify = None
        for query in (own, combined):
            ranked = matcher.rank(index, query, category=category)
            if offered:
                ranked = [s for s in ranked if s.entry.id in offered] or ranked
            followed = matcher.decide(ranked, query)
            if followed.kind == "answer":
                followed.reason = "接着上一轮的话题理解：" + followed.reason
                return followed, query
            if followed.kind == "clarify" and fallback_clarify is None:
                fallback_clarify = (followed, query)
        if decision.kind == "fallback" and fallback_clarify is not None:
            return fallback_clarify
        return decision, own
