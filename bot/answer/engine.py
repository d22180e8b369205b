"""The bot as one object: FAQ index + store + conversation, answering a text for a user.

No Flask and no WeChat here: the webhook, the JSON API and the CLI all call `Engine.ask`.
"""
from __future__ import annotations

import datetime as dt
import gc
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from bot.answer import cards, compose, services
from bot.answer.decision import Decision, conversation_after, decide
from bot.answer.hot import HotQuestions
from bot.answer.outcome import Outcome
from bot.answer.related import Related
from bot.config import Config
from bot.content.checks import reports_digest
from bot.content.faq import fingerprint, load_faq
from bot.content.model import Entry, Faq
from bot.language import scope
from bot.language.asks import MISSING_TEXT
from bot.language.specifics import specific_names
from bot.language.textcache import MB, TextCache
from bot.search.cache import open_or_build
from bot.search.index import Index
from bot.store.citizen import CitizenLog
from bot.store.conversation import NEW_CONVERSATION, Conversation
from bot.store.files import make_private
from bot.store.shared import open_shared
from bot.store.sqlite import Store, UserHasher

log = logging.getLogger("bot")

# What /healthz says (in Chinese, without paths) when the FAQ cannot be served as staff wrote it.
NO_FAQ_DIR = "FAQ目录不存在或不是目录：请检查 FAQ_DIR 设置"
NO_ENTRIES = "FAQ中没有可以回答的条目：所有问题暂时只能得到兜底回复"
# What is matched of a message, for every channel: /api/ask refuses longer questions, the webhook
# matches their beginning (a 20,000-character message cost up to 0.8 s of CPU uncut).
MAX_QUERY_CHARS = 500


@dataclass
class Reply:
    kind: Outcome
    text: str
    faq_id: str | None = None
    score: float | None = None
    candidates: list[dict] = field(default_factory=list)
    reason: str = ""
    card: cards.Card | None = None  # with REPLY_FORMAT=news: what WeChat sends instead of `text`
    # citizen services: what to record (bot/store/citizen.py) and WeChat's 客服 hand-off
    events: list[tuple[str, dict]] = field(default_factory=list)
    transfer: bool = False

    def to_json(self, query: str) -> dict:
        data = {"query": query, "kind": self.kind, "faq_id": self.faq_id,
                "score": None if self.score is None else round(self.score, 1),
                "reply": self.text, "candidates": self.candidates}
        if self.card is not None:
            data["card"] = self.card.to_json()
        return data


def index_dir(config: Config) -> Path:
    """Where the index cache is kept: an index whose numbers were checked against one set of
    reports (REPORTS_DIR) is kept apart from one checked against others, or against none."""
    digest = reports_digest(config.reports_dir)
    return Path(config.data_dir) / "index" / (f"checked-{digest}" if digest else "")


def faq_loader(config: Config) -> Callable[[Path], Faq] | None:
    """How the index builder loads the FAQ: with the number check when REPORTS_DIR is set (None:
    the builder's own load, which may consume the entries as it indexes them)."""
    if config.reports_dir is None:
        return None
    return lambda faq_dir: load_faq(faq_dir, config.reports_dir)


class Engine:
    def __init__(self, config: Config, index: Index | None = None):
        self.config = config
        self.data_dir = Path(config.data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if config.redis_url and not config.user_hash_key:
            # Each DATA_DIR would make its own key: one citizen, a different hash per instance.
            raise ValueError("设置了 REDIS_URL 时必须同时设置 USER_HASH_KEY，并且所有实例相同："
                             "否则各实例算出的匿名用户标识不同，重发去重和多轮对话无法跨实例")
        make_private(self.data_dir)  # files an older version left readable by others
        # the message log, always this instance's
        self.store = Store(self.data_dir / "bot.sqlite", log_retention_days=config.log_retention_days)
        # Retry claims, conversations and rate counters: in Redis with REDIS_URL, else in `store`.
        self.shared = open_shared(self.store, config.redis_url)
        self.hash_user = UserHasher.for_data_dir(self.data_dir, config.user_hash_key)
        # ratings, hand-offs and picks (same file, written off the reply path), hot and related questions
        self.citizen = CitizenLog(self.store)
        self.hot = HotQuestions(self.store)
        self.related = Related()
        self._lock = threading.Lock()
        self.index = index or open_or_build(Path(config.faq_dir), index_dir(config), load=faq_loader(config))
        self.loaded_at = dt.datetime.now(dt.UTC)
        self.reload_errors: list[str] = []
        self._rejected_fingerprint = ""
        self._warm = False
        # the long-lived heap (jieba's dictionary, the decoded FAQ) kept out of the collector's
        # full passes once loaded: see freeze_heap
        self._heap = {"freeze": False, "loaded": False}
        self._heap_lock = threading.Lock()
        # Told of each reload that served new files (True) or refused a broken edit (False),
        # with the entries now served; e.g. a metrics counter.
        self.on_reload: Callable[[bool, int], object] | None = None
        # First messages' replies, by text: after a mass send or a news event, thousands of citizens
        # send the same few questions within minutes, and a fresh conversation's reply depends on
        # the text alone.
        self._first_replies = TextCache(config.first_reply_cache_mb * MB)
        if problem := cards.setting_problem(config.reply_format, config.public_base_url):
            log.warning(problem)

    # -------------------------------------------------------------- live reload

    def reload(self) -> bool:
        """Serve the FAQ files as they are now, if they changed and load without errors.

        A broken edit is not loaded: the previous index keeps serving and the errors are
        logged once and shown by health() until the files are fixed. Requests never wait:
        the new index is built aside and swapped in with one assignment.
        """
        faq_dir = Path(self.config.faq_dir)
        current = fingerprint(faq_dir) if faq_dir.is_dir() else "no FAQ_DIR"
        if current in (self.index.fingerprint, self._rejected_fingerprint):
            if current == self.index.fingerprint:
                self.reload_errors = []
            return False
        with self._lock:
            faq = load_faq(faq_dir, self.config.reports_dir)
            errors = [str(p) for p in faq.errors] if faq_dir.is_dir() else [NO_FAQ_DIR]
            if errors:
                self._rejected_fingerprint = current
                if errors != self.reload_errors:  # the folder can vanish between two looks at it
                    self.reload_errors = errors
                    log.error("FAQ 修改有错误，未加载，继续使用上一版：%s", "；".join(errors))
                    self._reloaded(False)
                return False
            self.index = open_or_build(faq_dir, index_dir(self.config), load=lambda _: faq)
            self._heap_loaded(False)  # the old index may be freed now, cycles included
            if self._warm:
                self._start_preload(self.index)
            self.loaded_at = dt.datetime.now(dt.UTC)
            self.reload_errors, self._rejected_fingerprint = [], ""
            log.info("FAQ 已重新加载：%d 个条目", self.index.size)
            self._reloaded(True)
            return True

    def _reloaded(self, ok: bool) -> None:
        if self.on_reload is not None:
            self.on_reload(ok, self.index.size)

    def warm_up(self) -> None:
        """Keep the index (and any reloaded one) decoded in memory, from a background thread:
        a server answers from the start, and after a second or so without touching sqlite."""
        self._warm = True
        self._start_preload(self.index)

    def _start_preload(self, index: Index) -> threading.Thread:
        def preload():
            specific_names("株洲", index.segmenter.tokenizer)  # its tagger takes ~0.3 s to build
            index.preload()
            self.related.prepare(index)
            if index is self.index:
                self._heap_loaded(True)

        thread = threading.Thread(target=preload, name="faq-preload", daemon=True)
        thread.start()
        return thread

    def freeze_heap(self) -> None:
        """For a server process (gunicorn's post_worker_init): once the FAQ is decoded, move every
        object then alive to the collector's permanent generation (gc.freeze), so that its full
        passes, which otherwise walk the whole FAQ every few seconds under load (about 0.07 ms a
        message and a pause of up to 100 ms), only walk what was made since. A reload unfreezes
        first, so the index it replaces is freed, and freezes again once the new one is decoded."""
        with self._heap_lock:
            self._heap["freeze"] = True
            if self._heap["loaded"]:
                gc.freeze()

    def _heap_loaded(self, loaded: bool) -> None:
        with self._heap_lock:
            self._heap["loaded"] = loaded
            if self._heap["freeze"] and loaded:
                gc.freeze()
            elif self._heap["freeze"]:
                gc.unfreeze()

    def start_watching(self, interval: float | None = None) -> threading.Thread:
        """Poll the FAQ files in a daemon thread (every worker process runs its own)."""
        interval = interval or self.config.faq_reload_interval

        def watch():
            while True:
                time.sleep(interval)
                try:
                    self.reload()
                except FileNotFoundError as exc:  # a file removed while it was read: staff are editing
                    log.warning("FAQ 文件在读取时被删除或改名（%s），下次检查时重试", Path(exc.filename or "").name)
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

    def problems(self) -> list[str]:
        """What keeps the FAQ on disk from being served whole, in Chinese: the errors of an edit
        not loaded (the previous version serves), else those of the served files, and that no
        entry at all is served (a missing, empty or all-broken FAQ_DIR)."""
        index = self.index
        if self.reload_errors:
            found = list(self.reload_errors)
        elif not Path(self.config.faq_dir).is_dir():
            found = [NO_FAQ_DIR]
        else:
            found = [str(p) for p in index.problems if p.level == "error"]
        return found + ([NO_ENTRIES] if index.size == 0 else [])

    def health(self) -> dict:
        """Details for staff (no paths: this may be shown outside the machine)."""
        index, problems = self.index, self.problems()
        return {
            "status": "error" if problems else "ok", "entries": index.size,
            "loaded_at": self.loaded_at.isoformat(timespec="seconds"), "index_built_at": index.built_at,
            "fingerprint": index.fingerprint[:12], "load_errors": problems,
            "serving_previous_version": bool(self.reload_errors),
            "store_write_failures": self.store.write_failures,
        }

    # -------------------------------------------------------------- answering

    def ask(self, text: str, user: str = "", *, channel: str = "api", msg_type: str = "text",
            log_it: bool = True) -> Reply:
        """The reply a citizen gets for `text`. `user` is any stable id; it is hashed here.
        `msg_type`: the WeChat message type it came as (text, voice)."""
        started = time.perf_counter()
        user_key = self.user_key(user, channel) if user else ""
        conversation = self.shared.load_state(user_key) if user_key else NEW_CONVERSATION
        transfer = channel == "wechat" and self.config.wechat_kf_transfer
        if conversation == NEW_CONVERSATION and self._first_replies.max_bytes:
            reply, after = self._respond_first(text, transfer)
        else:
            reply, after = self.respond(text, conversation, transfer=transfer)
        if user_key:
            self.shared.save_state(user_key, after)
        if log_it:
            self.record(reply.events, user_key, channel)
            self.store.log_message(user=user_key, channel=channel, msg_type=msg_type, text=text,
                                   outcome=reply.kind, faq_id=reply.faq_id, score=reply.score,
                                   latency_ms=round((time.perf_counter() - started) * 1000, 2))
        return reply

    def user_key(self, user: str, channel: str) -> str:
        """The stored id of a user: a WeChat OpenID's keyed hash; a user named by an API (or CLI)
        caller is hashed in that channel's own namespace, so `/api/ask?user=<OpenID>` can
        neither read nor overwrite that citizen's conversation."""
        return self.hash_user(user if channel == "wechat" else f"{channel}:{user}")

    def respond(self, text: str, conversation: Conversation = NEW_CONVERSATION,
                transfer: bool = False) -> tuple[Reply, Conversation]:
        """Pure decision for one message in the conversation so far; returns the conversation after it
        (the hot list it may show is the one last counted). `transfer`: hand off to WeChat's 客服."""
        text = text[:MAX_QUERY_CHARS]
        return self.finish(decide(self.index, text, conversation), text, conversation, transfer)

    def finish(self, decision: Decision, text: str, conversation: Conversation = NEW_CONVERSATION,
               transfer: bool = False) -> tuple[Reply, Conversation]:
        """The reply the citizen receives for a decision, with the related questions, rating prompt,
        hot list or 转人工 around it (bot/answer/services.py), and the conversation after it."""
        after = conversation_after(decision, text, conversation)
        return services.finish(decision, self.reply_for(decision), after, conversation, text,
                               self.service_context(transfer))

    def service_context(self, transfer: bool = False) -> services.Context:
        index, config = self.index, self.config
        # a 客服 session is forgotten after at most an hour: the store purges older conversations
        return services.Context(index=index, hot_ids=lambda: self.hot.ids(index),
                                related_of=lambda entry, shown: self.related.of(index, entry, shown),
                                transfer=transfer, human_minutes=min(config.human_session_minutes, 60.0),
                                due_days=config.feedback_due_days)

    def record(self, events: list[tuple[str, dict]], user_key: str, channel: str) -> None:
        """Queue what a reply lists for the staff's tables (ratings, reasons, hand-offs, picks)."""
        for what, data in events:
            if what == "rating":
                self.citizen.rating(user=user_key, channel=channel, **data)
            elif what == "reason":
                self.citizen.reason(**data)
            elif what == "handoff":
                self.citizen.handoff(user=user_key, channel=channel, **data)
            elif what == "pick":
                self.citizen.pick(user=user_key, channel=channel, **data)

    def hot_reply(self, intro: str, user: str = "", channel: str = "wechat") -> str:
        """`intro` (the welcome text, a menu reply) with the hot questions under it, to be picked
        by number: the conversation remembers them."""
        text, ids = services.hot_reply(self.service_context(), intro)
        if user and ids:
            user_key = self.user_key(user, channel)
            conversation = self.shared.load_state(user_key).without_offers()
            self.shared.save_state(user_key, replace(conversation, suggested=ids, suggested_kind="hot"))
        return text

    def human_session_closed(self, user: str, channel: str = "wechat") -> None:
        """WeChat's 客服 closed the session (event kf_close_session): the bot answers again."""
        user_key = self.user_key(user, channel)
        conversation = self.shared.load_state(user_key)
        if conversation.human_until:
            self.shared.save_state(user_key, replace(conversation, human_until=0.0))

    def _respond_first(self, text: str, transfer: bool = False) -> tuple[Reply, Conversation]:
        """`respond` to a first message (a fresh conversation), remembered by its text: keyed by the
        index served and the ten minutes (entries expire by date, the hot list is recounted), so a
        reload or midnight never serves an old reply. A reply that records something (a hand-off)
        or opens a 客服 session (until a time) is not remembered; a copy, so that no caller can
        change the remembered one."""
        now = time.time()
        key = (self.index.fingerprint, dt.date.today().toordinal(), int(now // 600), transfer, text[:MAX_QUERY_CHARS])
        remembered = self._first_replies.get(key)
        if remembered is None:
            remembered = self.respond(text, NEW_CONVERSATION, transfer=transfer)
            reply, after = remembered
            if reply.events or after.human_until:
                return remembered
            self._first_replies.put(key, remembered)
        reply, after = remembered
        return replace(reply, candidates=list(reply.candidates)), after

    def _card(self, decision: Decision, words, asks) -> cards.Card | None:
        """The answer as a card, when cards are on and the answer is one entry with nothing after it."""
        config = self.config
        if not cards.enabled(config.reply_format, config.public_base_url) or len(decision.answered) != 1 \
                or decision.see_also or decision.other_years or decision.lead:
            return None
        entry = decision.answered[0]
        detail = compose.relevant_detail(entry, list(words), asks, _answer_states(decision))
        return cards.answer_card(entry, detail, config.public_base_url)

    def reply_for(self, decision: Decision) -> Reply:
        """What the citizen receives for a decision (a citizen service's text is services.finish's)."""
        candidates = [{"faq_id": s.record.faq_id, "question": s.record.question, "score": round(s.score, 1)}
                      for s in decision.scored[:5]]
        if decision.act is not None and decision.kind != Outcome.ANSWER:
            return Reply(decision.kind, "", reason=decision.reason)
        if decision.kind == Outcome.RULE:
            return Reply(Outcome.RULE, compose.fit(decision.rule_reply), reason=decision.reason)
        if decision.kind == Outcome.ANSWER:
            single = decision.query and len(decision.answered) == 1
            words, asks = (decision.query.words, decision.query.asks) if single else ((), frozenset())
            text = compose.answer_text(decision.answered, self.config.public_base_url, words, asks,
                                       _answer_states(decision) if single else None, decision.lead)
            text = compose.with_see_also(text, [e.question for e in decision.see_also + decision.other_years],
                                         "其他年份的情况：" if decision.other_years and not decision.see_also else "")
            return Reply(Outcome.ANSWER, text, decision.entry.id, decision.score, candidates, decision.reason,
                         self._card(decision, words, asks))
        if decision.kind == Outcome.CLARIFY:
            body = compose.clarify_text([e.question for e in decision.offered])
            return Reply(Outcome.CLARIFY, body, None, decision.score, candidates, decision.reason)
        return Reply(Outcome.FALLBACK, self._fallback_body(decision), None, decision.score, candidates, decision.reason)

    def _fallback_body(self, decision: Decision) -> str:
        """Why not, with the related fact when there is one, then what the bot can answer."""
        fallback, base_url = self.texts["fallback"], self.config.public_base_url
        if decision.missing or decision.absent_names or decision.missing_words:
            lacking = [MISSING_TEXT[m] for m in decision.missing] + [f"“{w}”" for w in decision.missing_words]
            return compose.lacking_text(fallback, decision.nearest, lacking, decision.absent_names, base_url)
        if decision.note == "year" and decision.nearest is not None:
            return compose.year_text(fallback, scope.NOTES["year"], decision.nearest,
                                     [e.question for e in decision.related if e is not decision.nearest], base_url)
        return compose.fallback_text(fallback, scope.NOTES.get(decision.note, decision.note),
                                     [e.question for e in decision.related])


def _answer_states(decision: Decision) -> tuple[str, ...] | None:
    """What the answered entry's answer states, as its index record has it (None when the entry
    was not ranked, e.g. picked by number: compose works it out)."""
    faq_id = decision.entry.id
    return next((s.record.answer_states for s in decision.scored if s.record.faq_id == faq_id), None)
