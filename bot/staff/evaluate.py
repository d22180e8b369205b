"""Scoring question sets in the format of `shared/eval/` exactly as its README defines.

in-scope: correct (answer/rule and every regex holds), clarified, wrong (a direct answer where
a regex fails), missed (fallback). out-of-scope: abstained (fallback; for chitchat also a rule),
clarified, wrong (any direct FAQ answer). multi-turn: correct when every regex holds on the
reply to the last turn. real messages (`expect` "decline" or "related"): declined (fallback),
clarified, wrong (any direct answer). Every figure is also given for each half of `half()`.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

from bot.answer.decision import decide
from bot.answer.outcome import Outcome
from bot.store.conversation import NEW_CONVERSATION


def _holds(pattern: str, text: str) -> bool:
    return bool(re.search(pattern, text) or re.search(pattern, re.sub(r"\s+", "", text)))


def half(item_id: str) -> str:
    """"tune" or "report": a fixed split of every question set by the hash of its id. Thresholds
    and weights are fitted on the tune half only; the report half shows what a new question gets."""
    return "tune" if hashlib.sha256(item_id.encode("utf-8")).digest()[0] % 2 == 0 else "report"


def load_items(paths: list[str | Path]) -> list[dict]:
    items = []
    for path in paths:
        for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                item = json.loads(line)
                item["_file"], item["_line"] = Path(path).name, number
                items.append(item)
    return items


def classify(item: dict, respond) -> dict:
    """`respond(text, conversation) -> (reply, conversation after)`; returns the item's outcome.
    An item's "kind" is the question set's category of out-of-scope question (chitchat …)."""
    if "turns" in item:
        conversation = NEW_CONVERSATION
        reply = None
        for turn in item["turns"]:
            reply, conversation = respond(turn, conversation)
        ok = all(_holds(p, reply.text) for p in item["expect_last"])
        return {"set": "multiturn", "outcome": "correct" if ok else "wrong", "reply": reply}
    reply, _ = respond(item["q"], NEW_CONVERSATION)
    if isinstance(item.get("expect"), str):
        # A real message ("decline" or "related"): any direct answer states a reported fact as
        # if it answered a different question; asking back about the message is acceptable.
        outcome = {Outcome.FALLBACK: "declined", Outcome.CLARIFY: "clarified"}.get(reply.kind, "wrong")
        return {"set": "real", "outcome": outcome, "reply": reply}
    if "expect" in item:
        if reply.kind in (Outcome.ANSWER, Outcome.RULE):
            failed = [p for p in item["expect"] if not _holds(p, reply.text)]
            outcome = "wrong" if failed else "correct"
        else:
            outcome = {Outcome.CLARIFY: "clarified", Outcome.FALLBACK: "missed"}[reply.kind]
        return {"set": "inscope", "outcome": outcome, "reply": reply}
    if reply.kind == Outcome.FALLBACK or (reply.kind == Outcome.RULE and item.get("kind") == "chitchat"):
        outcome = "abstained"
    else:
        outcome = {Outcome.CLARIFY: "clarified"}.get(reply.kind, "wrong")
    return {"set": "outscope", "outcome": outcome, "reply": reply}


def evaluate(items: list[dict], respond) -> dict:
    results = []
    for item in items:
        result = classify(item, respond)
        reply = result.pop("reply")
        result.update(id=item.get("id"), style=item.get("style"), kind=reply.kind, faq_id=reply.faq_id,
                      question=item.get("q") or " / ".join(item.get("turns", [])), reply=reply.text,
                      score=reply.score, reason=reply.reason, file=item["_file"], line=item["_line"],
                      half=half(str(item.get("id") or f"{item['_file']}:{item['_line']}")))
        results.append(result)
    return {"summary": summarize(results),
            "halves": {name: summarize([r for r in results if r["half"] == name]) for name in ("tune", "report")},
            "results": results}


def _pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def summarize(results: list[dict]) -> dict:
    by_set: dict[str, Counter] = defaultdict(Counter)
    by_style: dict[str, Counter] = defaultdict(Counter)
    for r in results:
        by_set[r["set"]][r["outcome"]] += 1
        if r["set"] == "inscope":
            by_style[r["style"]][r["outcome"]] += 1
    ins, outs, multi, real = by_set["inscope"], by_set["outscope"], by_set["multiturn"], by_set["real"]
    n_in, n_out, n_multi, n_real = (sum(c.values()) for c in (ins, outs, multi, real))
    return {
        "inscope": {"total": n_in, **ins, "correct_pct": _pct(ins["correct"], n_in),
                    "wrong_pct": _pct(ins["wrong"], n_in)},
        "outscope": {"total": n_out, **outs, "abstained_pct": _pct(outs["abstained"], n_out)},
        "multiturn": {"total": n_multi, **multi, "correct_pct": _pct(multi["correct"], n_multi)},
        "real": {"total": n_real, **real, "answered_pct": _pct(real["wrong"], n_real)},
        "styles": {style: {"total": sum(c.values()), "correct_pct": _pct(c["correct"], sum(c.values())), **c}
                   for style, c in sorted(by_style.items())},
    }


def _summary_lines(s: dict) -> list[str]:
    lines = []
    if s["styles"]:
        lines.append("按问法：" + "  ".join(f"{k} {v['correct_pct']}% ({v.get('correct', 0)}/{v['total']})"
                                        for k, v in s["styles"].items()))
    i, o, m, r = s["inscope"], s["outscope"], s["multiturn"], s["real"]
    if i["total"]:
        lines.append(f"in-scope:     {i['total']} questions, correct {i['correct_pct']}%, wrong {i['wrong_pct']}%, "
                     f"clarified {i.get('clarified', 0)}, missed {i.get('missed', 0)}")
    if o["total"]:
        lines.append(f"out-of-scope: {o['total']} questions, abstained {o['abstained_pct']}%, "
                     f"wrong {o.get('wrong', 0)}, clarified {o.get('clarified', 0)}")
    if m["total"]:
        lines.append(f"multi-turn:   {m['total']} dialogues, correct {m['correct_pct']}%")
    if r["total"]:
        lines.append(f"real:         {r['total']} messages, answered (wrong) {r.get('wrong', 0)} "
                     f"({r['answered_pct']}%), clarified {r.get('clarified', 0)}, declined {r.get('declined', 0)}")
    return lines


def format_report(report: dict, show_failures: bool = True) -> str:
    lines = []
    if show_failures:
        bad = [r for r in report["results"] if r["outcome"] not in ("correct", "abstained", "declined")
               and not (r["set"] == "real" and r["outcome"] == "clarified")]
        if bad:
            lines.append("未通过：")
        for r in bad:
            reply = r["reply"].replace("\n", " ")[:70]
            lines.append(f"  [{r['set']}/{r['outcome']}] {r['id']} ({r['style'] or '-'}) {r['question']}"
                         f" → {r['kind']} {r['faq_id'] or ''} {r['score'] or ''} | {reply}")
    halves = report.get("halves", {})
    if halves:
        for name, label in (("tune", "调参用的一半 (tune)"), ("report", "未参与调参的一半 (report)")):
            lines.append(f"— {label}：")
            lines += ["  " + line for line in _summary_lines(halves[name])]
        lines.append("— 全部：")
    lines += _summary_lines(report["summary"])
    return "\n".join(lines)


def self_check(engine, extra_outscope: list[str] = ()) -> dict:
    """Leave-one-out on the FAQ's own phrasings: each alternate and example, with the identical
    variant ignored, must still reach its entry. Out-of-scope lines must not be answered.
    This measures matching on thousands of phrasings no evaluation file contains."""
    index = engine.index
    counts: Counter = Counter()
    failures = []
    for entry in index.entries():
        for phrase in [*entry.alternates, *entry.examples]:
            decision = decide(index, phrase, holdout=True)
            if decision.kind == Outcome.ANSWER:
                outcome = "correct" if decision.entry.id == entry.id else "wrong"
            elif decision.kind == Outcome.CLARIFY:
                outcome = "clarified" if entry.id in {e.id for e in decision.offered} else "clarified_wrong"
            else:
                outcome = "missed"
            counts[outcome] += 1
            if outcome != "correct":
                failures.append({"entry": entry.id, "phrase": phrase, "outcome": outcome,
                                 "got": decision.entry.id if decision.entry else None})
    for line in extra_outscope:
        reply, _ = engine.respond(line)
        counts["out_" + reply.kind] += 1
        if reply.kind == Outcome.ANSWER:
            failures.append({"entry": None, "phrase": line, "outcome": "answered_outscope", "got": reply.faq_id})
    return {"counts": dict(counts), "failures": failures}
