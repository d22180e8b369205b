"""差评处理 /console/feedback over the Flask test client: bad ratings made through /api/ask (a
question, "不满意", a reason), listed with their due date, resolved with a reply or an FAQ change;
an 编辑 sees and resolves only their categories' items; `python -m bot feedback --open` agrees."""
from __future__ import annotations

import io
from contextlib import redirect_stdout

from bot.cli import main as run_cli
from bot.staff import feedback as fb
from tests.citizen_helpers import rows
from tests.console_work_helpers import engine_of, text_of


def rate_badly(site, question: str, reason: str, user: str) -> str:
    """A bad rating through the real path; its id."""
    client = site.app.test_client()
    for q in (question, "不满意", reason):
        assert client.get("/api/ask", query_string={"q": q, "user": user}).status_code == 200
    rows(engine_of(site), "ratings")
    return next(r["id"] for r in fb.queue(fb.open_db(site.data_dir)) if reason in r["reasons"])


def cli_open_queue(site, monkeypatch) -> str:
    monkeypatch.setenv("DATA_DIR", str(site.data_dir))
    monkeypatch.setenv("FAQ_DIR", str(site.faq_dir))
    out = io.StringIO()
    with redirect_stdout(out):
        assert run_cli(["feedback", "--open"]) == 0
    return out.getvalue()


def test_signed_out_sees_nothing(console):
    rating = rate_badly(console, "城铁末班车几点", "没写湘潭方向", "u1")
    client = console.client()
    for response in (client.get("/console/feedback"),
                     client.post(f"/console/feedback/{rating}", {"kind": "reply", "text": "x"})):
        assert response.status_code == 302 and "/console/login" in response.headers["Location"]
    assert fb.queue(fb.open_db(console.data_dir), open_only=True)[0]["id"] == rating


def test_resolving_needs_the_csrf_token(console):
    rating = rate_badly(console, "城铁末班车几点", "没写湘潭方向", "u1")
    response = console.client("reviewer").post(f"/console/feedback/{rating}", {"kind": "reply", "text": "x"},
                                               csrf=False)
    assert response.status_code == 400
    assert len(fb.queue(fb.open_db(console.data_dir), open_only=True)) == 1


def test_the_queue_shows_question_due_date_reasons_and_edit_link(console):
    rate_badly(console, "城铁末班车几点", "没写湘潭方向", "u1")
    html = text_of(console.client("reviewer").get("/console/feedback"))
    assert "长株潭城铁末班车是几点？" in html and "没写湘潭方向" in html and "不满意" in html
    assert "截止 " in html and "个工作日" in html and "待处理 1 条" in html
    assert 'href="/console/entries/ct-mobanche"' in html
    assert "满意度（按条目）" in html  # the table: /api ratings are not the citizens' channel
    assert "差评处理" in html  # in the nav


def test_overdue_items_are_marked(console):
    rating = rate_badly(console, "城铁末班车几点", "没写湘潭方向", "u1")
    db = fb.open_db(console.data_dir)
    db.conn.execute("update ratings set due = '2020-01-06' where id = ?", [rating])
    db.conn.commit()
    html = text_of(console.client("reviewer").get("/console/feedback"))
    assert "其中已逾期 1 条" in html and "已逾期" in html and 'class="tag bad"' in html


def test_editors_see_and_resolve_only_their_categories(console):
    train = rate_badly(console, "城铁末班车几点", "没写湘潭方向", "u1")
    canteen = rate_badly(console, "株洲有多少个老年食堂", "没说在哪里", "u2")
    editor = console.client("editor")  # 城铁出行
    html = text_of(editor.get("/console/feedback"))
    assert "没写湘潭方向" in html and "没说在哪里" not in html
    refused = editor.post(f"/console/feedback/{canteen}", {"kind": "reply", "text": "已答复"})
    assert refused.status_code == 403
    assert {r["id"] for r in fb.queue(fb.open_db(console.data_dir), open_only=True)} == {train, canteen}
    assert "没说在哪里" in text_of(console.client("editor2").get("/console/feedback"))
    both = text_of(console.client("reviewer").get("/console/feedback"))
    assert "没写湘潭方向" in both and "没说在哪里" in both


def test_a_resolved_item_leaves_the_open_queue_and_the_cli_agrees(console, monkeypatch):
    rating = rate_badly(console, "城铁末班车几点", "没写湘潭方向", "u1")
    assert "待处理 1 条" in cli_open_queue(console, monkeypatch)
    editor = console.client("editor")
    empty = text_of(editor.post(f"/console/feedback/{rating}", {"kind": "reply", "text": " "}, follow_redirects=True))
    assert "请写明答复的内容或对FAQ做的修改" in empty
    done = text_of(editor.post(f"/console/feedback/{rating}", {"kind": "faq", "text": "ct-mobanche 补充湘潭方向"},
                               follow_redirects=True))
    assert "已标记为已处理" in done and "没有待处理的差评" in done
    assert "共 0 条" in cli_open_queue(console, monkeypatch)
    everything = text_of(editor.get("/console/feedback?show=all"))
    assert "修改FAQ：ct-mobanche 补充湘潭方向" in everything and "已处理" in everything
    [row] = fb.queue(fb.open_db(console.data_dir))
    assert row["resolution_kind"] == "faq" and row["status"] == fb.DONE


def test_an_unknown_rating_is_404(console):
    assert console.client("reviewer").post("/console/feedback/zzzz", {"kind": "reply", "text": "x"}).status_code == 404


def test_satisfaction_per_entry_counts_the_citizens_ratings(console):
    engine = engine_of(console)
    for i, word in enumerate(("满意", "不满意")):
        engine.ask("城铁末班车几点", user=f"wx-{i}", channel="wechat")
        engine.ask(word, user=f"wx-{i}", channel="wechat")
    rows(engine, "ratings")
    html = text_of(console.client("editor").get("/console/feedback"))
    table = html[html.index("满意度（按条目）"):]
    assert "长株潭城铁末班车是几点？" in table and "50.0%" in table
    assert "50.0%" not in text_of(console.client("editor2").get("/console/feedback"))  # not their category
