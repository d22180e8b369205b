"""试问 /console/try: what `faq test` shows (candidates with scores, the decision and why, the
reply the citizen would receive), and "add this as a phrasing of entry X"."""
from __future__ import annotations

from flask import redirect, request, url_for

from bot.answer.engine import MAX_QUERY_CHARS
from bot.staff import trying
from handlers.console import bp
from handlers.console.auth import login_required
from handlers.console.common import engine, render
from handlers.console.worktools import add_phrasing, editable


@bp.get("/try")
@login_required()
def try_question():
    text = request.args.get("q", "").strip()
    error, result = "", None
    if len(text) > MAX_QUERY_CHARS:
        error = f"问题太长（{len(text)} 字）：市民的问题只取前 {MAX_QUERY_CHARS} 字，请不要超过 {MAX_QUERY_CHARS} 字"
    elif text:
        result = trying.try_question(engine(), text)
    return render("console/try.html", title="试问", text=text, error=error, result=result,
                  label=trying.outcome_label, detail=trying.candidate_detail, editable=editable,
                  thresholds=trying.thresholds_text(), max_chars=MAX_QUERY_CHARS)


@bp.post("/try/phrasing")
@login_required()
def try_add_phrasing():
    text = request.form.get("text", "").strip()
    add_phrasing(request.form.get("faq_id", ""), text)
    return redirect(url_for("console.try_question", q=text))
