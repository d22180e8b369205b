"""Fitting the score weights and the decision thresholds on data, not by hand:
`python -m bot eval --fit FILES`.

Two searches over grids, each point scored on the *tune* half of the question sets
(evaluate.half) by a utility where a wrong answer costs far more than a missed one, because a
citizen acts on it. First the weights of matcher.score (similarity, coverage, precision and the
two bonuses), with the thresholds as they are; then, with the best weights, the thresholds of
matcher.choose (answer, clarify, margins). A point under which any entry's own question or
example no longer reaches the entry is not considered: `faq check` must keep passing. The best
point of each is written to bot/answer/thresholds.json, which the matcher reads at start; the
report half is then scored with it, so the figures in README say what a new question gets.

Ranking does not depend on the thresholds, so understand/rank are memoised for the threshold
search: only the cheap decision step runs again at each grid point.
"""
from __future__ import annotations

import itertools
import json
from functools import cache

from bot.answer import matcher
from bot.staff.evaluate import evaluate, half

THRESHOLDS_FILE = matcher.THRESHOLDS_FILE
GRID = {
    "ANSWER_THRESHOLD": [58.0, 62.0, 65.0, 68.0],
    "CLARIFY_THRESHOLD": [46.0, 50.0, 54.0],
    "CLOSE_MARGIN": [6.0, 8.0, 10.0],
    "CLEAR_WIN_THRESHOLD": [40.0, 45.0, 50.0, 55.0],
    "CLEAR_WIN_MARGIN": [8.0, 11.0, 14.0],
    "BEST_OF_CLOSE_THRESHOLD": [62.0, 68.0, 75.0, 85.0, 101.0],
}
# The weights of matcher.score: similarity + coverage + precision = 1 (the score stays 0–100).
WEIGHT_NAMES = ("W_SIMILARITY", "W_COVERAGE", "W_PRECISION", "KEYWORD_BONUS", "FACT_TYPE_BONUS")
WEIGHT_GRID = [dict(zip(WEIGHT_NAMES, (sim, cov, round(1.0 - sim - cov, 2), kw, fact), strict=True))
               for sim in (0.1, 0.2, 0.3) for cov in (0.4, 0.5, 0.6) if 1.0 - sim - cov > 0.05
               for kw in (0.0, 3.0, 6.0) for fact in (4.0, 8.0, 12.0)]
# What each outcome is worth to a citizen: a wrong answer costs five missed ones.
UTILITY = {("inscope", "correct"): 1.0, ("inscope", "clarified"): 0.3, ("inscope", "wrong"): -5.0,
           ("outscope", "wrong"): -5.0, ("outscope", "clarified"): -0.3,
           ("real", "wrong"): -5.0, ("multiturn", "correct"): 1.0, ("multiturn", "wrong"): -1.0}


TIE = 1.0
CONSERVATIVE = ("ANSWER_THRESHOLD", "BEST_OF_CLOSE_THRESHOLD", "CLEAR_WIN_THRESHOLD", "CLEAR_WIN_MARGIN",
                "CLOSE_MARGIN", "CLARIFY_THRESHOLD")


def utility(results: list[dict]) -> float:
    return sum(UTILITY.get((r["set"], r["outcome"]), 0.0) for r in results)


def _memoised(engine):
    """Replace matcher.understand and matcher.rank by memoised versions for the search."""
    understand, rank = matcher.understand, matcher.rank

    @cache
    def understand_once(index, raw, this_year=True):
        return understand(index, raw, this_year=this_year)

    def rank_once(index, query, category=None, limit=matcher.CANDIDATES):
        key = (query.raw, query.holdout, category, limit)
        if key not in ranked:
            ranked[key] = rank(index, query, category, limit)
        return list(ranked[key])

    ranked: dict = {}
    return understand_once, rank_once, (understand, rank)


def _breaks_an_example(engine, examples: list[tuple[str, str]]) -> bool:
    return any(engine.respond(text)[0].faq_id != faq_id for faq_id, text in examples)


def fit(engine, items: list[dict], write: bool = True) -> dict:
    """Fit the weights, then the thresholds; write both (unless `write` is False) and leave
    matcher as it was. Returns the best thresholds and weights, their utility and the points tried."""
    tune = [item for item in items if half(str(item.get("id"))) == "tune"]
    examples = [(entry.id, text) for entry in engine.index.entries() if not entry.is_expired()
                for text in (entry.question, *entry.examples)]
    saved = {name: getattr(matcher, name) for name in (*GRID, *WEIGHT_NAMES)}
    try:
        weights, weight_points = _fit_weights(engine, tune, examples)
        _set(weights)
        best_utility, best, rows = _fit_thresholds(engine, tune, examples)
    finally:
        _set(saved)
    if write:
        THRESHOLDS_FILE.write_text(json.dumps({"thresholds": best, "weights": weights,
                                               "utility_on_tune_half": best_utility, "tune_items": len(tune)},
                                              ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return {"best": best, "weights": weights, "utility": best_utility, "top": rows[:5], "points": len(rows),
            "weight_points": weight_points}


def _set(values: dict) -> None:
    for name, value in values.items():
        setattr(matcher, name, value)


def _fit_weights(engine, tune: list[dict], examples) -> tuple[dict, int]:
    """The weights of the best utility on the tune half; a tie keeps the weights in use, then the earlier point."""
    current = {name: getattr(matcher, name) for name in WEIGHT_NAMES}
    rows = []
    for point in WEIGHT_GRID:
        _set(point)
        if _breaks_an_example(engine, examples):
            continue
        rows.append((utility(evaluate(tune, engine.respond)["results"]), point == current, point))
    _set(current)
    if not rows:
        return current, 0
    best = max(row[0] for row in rows)
    ties = [row for row in rows if row[0] >= best - TIE]
    return next((row[2] for row in ties if row[1]), ties[0][2]), len(rows)


def _fit_thresholds(engine, tune: list[dict], examples) -> tuple[float, dict, list]:
    understand_once, rank_once, originals = _memoised(engine)
    matcher.understand, matcher.rank = understand_once, rank_once
    rows = []
    try:
        for values in itertools.product(*GRID.values()):
            point = dict(zip(GRID, values, strict=True))
            if point["CLARIFY_THRESHOLD"] >= point["ANSWER_THRESHOLD"]:
                continue
            _set(point)
            if _breaks_an_example(engine, examples):
                continue  # staff's own questions must keep reaching their entries (faq check)
            rows.append((utility(evaluate(tune, engine.respond)["results"]), point))
    finally:
        matcher.understand, matcher.rank = originals
    rows.sort(key=lambda row: -row[0])
    # Points within one answer of the best are a tie on this much data: the one that answers
    # least directly wins it, since a wrong answer costs most.
    ties = [row for row in rows if row[0] >= rows[0][0] - TIE]
    best_utility, best = max(ties, key=lambda row: tuple(row[1][name] for name in CONSERVATIVE))
    return best_utility, best, rows
