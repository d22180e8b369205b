"""Trying a question as staff: how the bot decides on it and what the citizen receives.

One function for `python -m bot faq test` and the console's 试问 page: nothing is logged and no
conversation is touched, and the question is cut where the citizens' path cuts it.
"""
from __future__ import annotations

from bot.answer import matcher
from bot.answer.decision import decide
from bot.answer.engine import MAX_QUERY_CHARS
from bot.answer.outcome import Outcome

OUTCOME_LABELS = {Outcome.ANSWER: "直接回答", Outcome.CLARIFY: "反问澄清（让用户选择）",
                  Outcome.FALLBACK: "无法回答（兜底回复）", Outcome.RULE: "关键词规则回复"}
CANDIDATES = 5


def try_question(engine, text: str) -> dict:
    """The decision on `text` as plain data (what `faq test --json` prints): kind, faq_id, score,
    reason, the exact reply text, the normalised query and its words, the top candidates with
    the parts of their scores, and the thresholds."""
    text = text[:MAX_QUERY_CHARS]
    decision = decide(engine.index, text)
    reply, _ = engine.finish(decision, text)  # with the lines around it (related questions, rating …)
    query = decision.query
    candidates = [{"faq_id": s.entry.id, "question": s.entry.question, "category": s.entry.category,
                   "score": round(s.score, 1), **score_parts(s)}
                  for s in decision.scored[:CANDIDATES]]
    return reply.to_json(text) | {"reason": reply.reason, "normalized": query.text if query else "",
                                  "words": query.words if query else [], "candidates": candidates,
                                  "thresholds": thresholds()}


def outcome_label(kind: str) -> str:
    return OUTCOME_LABELS.get(kind, kind)


def score_parts(scored) -> dict:
    return {"similarity": round(scored.similarity, 1), "coverage": round(100 * scored.coverage, 1),
            "keyword_hit": scored.keyword_hit}


def thresholds() -> dict:
    return {"answer": matcher.ANSWER_THRESHOLD, "clarify": matcher.CLARIFY_THRESHOLD, "margin": matcher.CLOSE_MARGIN,
            "best_of_close": matcher.BEST_OF_CLOSE_THRESHOLD}


def thresholds_text(t: dict | None = None) -> str:
    """The thresholds in one sentence, for staff."""
    t = t or thresholds()
    return (f"≥{t['answer']:.0f}分且领先第二名{t['margin']:.0f}分以上才直接回答；"
            f"分数相近时最高分≥{t['best_of_close']:.0f}且它写了别的条目没有的问题词也直接回答；"
            f"≥{t['clarify']:.0f}分可反问澄清；更低则兜底。")


def candidate_detail(c: dict) -> str:
    """'句子相似71 词语覆盖100% 关键词命中'."""
    hit = " 关键词命中" if c["keyword_hit"] else ""
    return f"句子相似{c['similarity']:.0f} 词语覆盖{c['coverage']:.0f}%{hit}"
