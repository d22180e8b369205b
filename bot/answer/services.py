"""Citizen services around the answers: ratings (好差评), hot questions (热点问题), related
questions (知识推荐) and reaching a person (转人工).

Two halves, both pure (no store, no clock but `now`):

* `intent`: what a message means because of what the bot just offered, before it is read as a
  question (decision.decide calls it first). A rating word or digit counts only right after the
  bot asked for a rating, "0" only after a "您是想问" list, the next message as the reason only
  right after a bad rating: in a fresh conversation each is read as a question, as before.
* `Services.finish`: the reply to a decision, with what goes around it — related questions and
  the rating prompt under an answer, the hot list and, on a second fallback in a row, the
  hand-off under a fallback — each only where the whole reply still fits WeChat's byte limit,
  and the conversation after it. The engine records the events it lists (bot/store/citizen.py).

No item here changes which entry answers a question: the decision is `decide`'s.
"""
from __future__ import annotations

import datetime as dt
import secrets
import time
from dataclasses import dataclass, replace

from bot.answer import compose
from bot.answer.outcome import Outcome
from bot.content.model import DEFAULT_TEXTS
from bot.content.service import PLACEHOLDER
from bot.language.textnorm import normalize, strip_particles
from bot.store.conversation import Conversation
from bot.store.workdays import add_workdays

HANDOFF_WORDS = frozenset({"人工", "转人工", "人工客服", "转人工客服", "人工服务", "找人工", "要人工", "我要人工",
                           "真人", "真人客服", "投诉", "我要投诉", "我想投诉"})
HOT_WORDS = frozenset({"热点", "热门", "热点问题", "热门问题", "热门话题", "大家都在问", "大家都在问什么",
                       "大家最近常问", "常见问题"})
ZERO = frozenset({"0", "零"})

# level → (score 1–5, bad)
LEVELS = {
    2: {"满意": (5, False), "不满意": (1, True)},
    5: {"非常满意": (5, False), "满意": (4, False), "基本满意": (3, False), "不满意": (2, True),
        "非常不满意": (1, True)},
}
ALIASES = {
    2: {"好评": "满意", "很满意": "满意", "非常满意": "满意", "差评": "不满意", "不太满意": "不满意",
        "非常不满意": "不满意", "很不满意": "不满意"},
    5: {"好评": "满意", "很满意": "非常满意", "比较满意": "基本满意", "还行": "基本满意", "一般": "基本满意",
        "差评": "不满意", "不太满意": "不满意", "很不满意": "非常不满意"},
}
HANDOFF_TRIGGERS = {"word": "市民要求转人工", "zero": "“您是想问”列表中回复0", "fallbacks": "连续两次没答上",
                    "session": "人工客服会话中"}


@dataclass
class Act:
    """What a message is besides a question: `what` is handoff, rating, reason, hot or pick."""
    what: str
    trigger: str = ""        # handoff: a HANDOFF_TRIGGERS key
    level: str = ""          # rating
    score: int = 0
    bad: bool = False
    kind: str = ""           # pick: hot or related


def levels_of(service: dict) -> int:
    return service.get("rating_levels", 2)


def rating_of(text: str, levels: int, digits: bool) -> tuple[str, int, bool] | None:
    """(level, score, bad) of a rating reply, or None."""
    word = strip_particles(normalize(text)).replace(" ", "")
    names = list(LEVELS[levels])
    if digits and word.isdigit() and 1 <= int(word) <= len(names):
        word = names[int(word) - 1]
    word = ALIASES[levels].get(word, word)
    if word not in LEVELS[levels]:
        return None
    return (word, *LEVELS[levels][word])


def intent(service: dict, text: str, conversation: Conversation,
           now: float | None = None) -> tuple[Outcome, str, Act] | None:
    """(kind, reason for staff, act) when the message is a service request, else None."""
    now = time.time() if now is None else now
    word = strip_particles(normalize(text)).replace(" ", "")
    if conversation.human_until > now:
        return Outcome.HANDOFF, "人工客服会话进行中：消息转给客服，机器人不回答", Act("handoff", "session")
    if word in HANDOFF_WORDS:
        return Outcome.HANDOFF, "市民要求转人工", Act("handoff", "word")
    if word in ZERO and conversation.offered and not conversation.last_id:
        return Outcome.HANDOFF, "“您是想问”列表中回复0：都不是，转人工", Act("handoff", "zero")
    if conversation.rate_id:
        rating = rating_of(text, levels_of(service), conversation.rate_digits)
        if rating is not None:
            level, score, bad = rating
            return Outcome.RATING, f"市民评价上一条回答：{level}", Act("rating", level=level, score=score, bad=bad)
    if word in HOT_WORDS:
        return Outcome.HOT, "市民要看热点问题", Act("hot")
    if conversation.reason_for and word:
        return Outcome.FEEDBACK, "市民说明不满意的原因", Act("reason")
    return None


def human_text(texts: dict) -> str:
    """The contact text staff wrote (department, hotline, hours), or the safe default while it
    is missing or still the placeholder: the bot never makes up a number."""
    text = texts.get("human", "")
    return DEFAULT_TEXTS["human"] if not text or PLACEHOLDER in text else text


def handoff_text(texts: dict, asked: str) -> str:
    parts = [human_text(texts)]
    if asked:
        parts.append(f"您的问题是：\n{asked}\n（可复制后直接告诉工作人员）")
    return "\n".join(parts)


def rating_prompt(levels: int, digits: bool) -> str:
    names = list(LEVELS[levels])
    if digits:
        return "评价这条回答：" + "，".join(f"回复{i}{n}" for i, n in enumerate(names, start=1))
    return "评价这条回答：回复" + "/".join(f"“{n}”" for n in names)


def hot_block(questions: list[str], heading: str = "大家最近常问：") -> str:
    lines = [f"{i}. {q}" for i, q in enumerate(questions, start=1)]
    return heading + "\n" + "\n".join(lines) + "\n回复数字即可。"


def fits(text: str) -> bool:
    return len(text.encode("utf-8")) <= compose.REPLY_MAX_BYTES


def chinese_day(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# ---------------------------------------------------------------- the reply and what goes around it

@dataclass
class Context:
    """What `finish` needs besides the decision: the FAQ, the hot list, related entries, settings."""
    index: object                                  # bot.search.index.Index
    hot_ids: object                                # () -> list[str]
    related_of: object                             # (entry, shown ids) -> list of related.Suggestion
    transfer: bool = False                         # hand off with WeChat's transfer_customer_service
    human_minutes: float = 30.0                    # a 客服 session is taken as open this long at most
    due_days: int = 5                              # working days to follow a bad rating up
    today: dt.date | None = None
    now: float | None = None


def finish(decision, reply, after: Conversation, before: Conversation, text: str, ctx: Context):
    """The reply to `decision` with what goes around it, and the conversation after it."""
    now = time.time() if ctx.now is None else ctx.now
    human_until = before.human_until if before.human_until > now else 0.0
    kind = decision.kind
    if kind == Outcome.RULE:
        return reply, replace(after, human_until=human_until)
    # one replace (a dataclass copy costs a few µs): the session kept, the last turn's prompts dropped
    after = replace(after, human_until=human_until, rate_id="", rate_digits=False, reason_for="", suggested=(),
                    suggested_kind="")
    handler = {Outcome.HANDOFF: _handoff, Outcome.RATING: _rating, Outcome.FEEDBACK: _feedback,
               Outcome.HOT: _hot, Outcome.ANSWER: _answered, Outcome.CLARIFY: _clarified,
               Outcome.FALLBACK: _fell_back}[kind]
    return handler(decision, reply, after, before, text, ctx, now)


def _handoff(decision, reply, after, before, text, ctx, now):
    trigger = decision.act.trigger
    events = [] if trigger == "session" else [("handoff", {"trigger": HANDOFF_TRIGGERS[trigger],
                                                             "question": before.asked, "faq_id": before.last_id})]
    after = after.without_offers()
    if ctx.transfer:
        after = replace(after, human_until=now + ctx.human_minutes * 60)
        return replace(reply, text="", transfer=True, events=events), after
    body = compose.fit(handoff_text(ctx.index.texts, before.asked))
    return replace(reply, text=body, events=events), replace(after, fallbacks=0)


THANKS = "感谢您的评价！还有其他问题随时发给我。"


def rate(act: Act, faq_id: str, question: str, ctx: Context) -> tuple[dict, str]:
    """The rating row to record (a bad one due `ctx.due_days` working days on) and its reply."""
    due, known = add_workdays(ctx.today or dt.date.today(), ctx.due_days) if act.bad else (None, True)
    event = {"rating_id": secrets.token_hex(6), "faq_id": faq_id, "question": question, "level": act.level,
             "score": act.score, "bad": act.bad, "due": due.isoformat() if due else "", "due_estimated": not known}
    if not act.bad:
        return event, THANKS
    when = f"{chinese_day(due)}前" if known else f"{ctx.due_days}个工作日内"
    return event, f"抱歉这条回答没能帮到您。请用一句话告诉我们哪里不对（直接回复即可），工作人员将在{when}处理。"


def _rating(decision, reply, after, before, text, ctx, now):
    event, body = rate(decision.act, before.rate_id, before.asked, ctx)
    after = replace(after.without_offers(), reason_for=event["rating_id"] if event["bad"] else "")
    return replace(reply, text=body, events=[("rating", event)]), after


def _feedback(decision, reply, after, before, text, ctx, now):
    rating_id = before.reason_for
    body = f"谢谢您的意见，已转给工作人员处理（编号 {rating_id}）。如需继续提问，直接发送问题即可。"
    return replace(reply, text=body, events=[("reason", {"rating_id": rating_id, "reason": text})]), \
        after.without_offers()


def hot_reply(ctx: Context, intro: str = "") -> tuple[str, tuple[str, ...]]:
    """The hot list (under `intro` when given) and the ids it numbers; without a list yet,
    `intro`, or the help text when there is no intro either."""
    ids = tuple(ctx.hot_ids())
    questions = [ctx.index.entry(i).question for i in ids]
    block = hot_block(questions) if ids else ""
    if intro:
        joined = f"{intro}\n{block}" if block else intro
        return (joined, ids) if fits(joined) else (compose.fit(intro), ())
    if not ids:
        return compose.fit("最近的提问还不多。\n" + ctx.index.texts["help"]), ()
    return compose.fit(block), ids


def _hot(decision, reply, after, before, text, ctx, now):
    body, ids = hot_reply(ctx)
    after = replace(after.without_offers(), suggested=ids, suggested_kind="hot" if ids else "")
    return replace(reply, text=body), after


def _answered(decision, reply, after, before, text, ctx, now):
    entry = decision.entry
    act = decision.act
    events = [("pick", {"kind": act.kind, "faq_id": entry.id})] if act and act.kind in ("hot", "related") else []
    asked = entry.question if act else text
    if reply.card is not None:
        # A card (REPLY_FORMAT=news) holds one article: no lines under it, and its detail page
        # has the rating buttons.
        return replace(reply, events=events), replace(after, suggested=(), suggested_kind="", asked=asked, fallbacks=0)
    body = reply.text
    suggested: tuple[str, ...] = ()
    if len(decision.answered) == 1:
        shown = set(after.offered) | {entry.id}
        related = ctx.related_of(entry, shown)
        if related:
            start = len(after.offered) + 1 if after.offered else 1
            with_related = compose.with_related(body, [e.question for e in related], start)
            if fits(with_related):
                body, suggested = with_related, tuple(e.id for e in related)
    rating = {}
    if len(decision.answered) == 1:
        digits = not (after.offered or suggested)
        levels = levels_of(ctx.index.service)
        rated = f"{body}\n{rating_prompt(levels, digits)}"
        if fits(rated):
            body, rating = rated, {"rate_id": entry.id, "rate_digits": digits}
    after = replace(after, suggested=suggested, suggested_kind="related" if suggested else "", asked=asked, fallbacks=0,
                    **rating)
    return replace(reply, text=body, events=events), after


ZERO_LINE = "都不是？回复0联系人工服务。"


def _clarified(decision, reply, after, before, text, ctx, now):
    body = f"{reply.text}\n{ZERO_LINE}"
    return replace(reply, text=body if fits(body) else reply.text), replace(after, asked=text, fallbacks=0)


def _fell_back(decision, reply, after, before, text, ctx, now):
    body, events = reply.text, []
    fallbacks = before.fallbacks + 1
    if fallbacks >= 2:  # two in a row: the way to a person, with the question to copy
        tail = handoff_text(ctx.index.texts, text)
        if ctx.transfer:
            tail += "\n回复“人工”转人工客服。"
        body = compose.fit(body, tail)
        events.append(("handoff", {"trigger": HANDOFF_TRIGGERS["fallbacks"], "question": text, "faq_id": ""}))
        fallbacks = 0
    after = replace(after, asked=text, fallbacks=fallbacks)
    ids = tuple(ctx.hot_ids())
    if ids:
        listed = f"{body}\n{hot_block([ctx.index.entry(i).question for i in ids])}"
        if fits(listed):
            body, after = listed, replace(after, suggested=ids, suggested_kind="hot")
    return replace(reply, text=body, events=events), after
