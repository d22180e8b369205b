"""试问 /console/try over the Flask test client: what `faq test` shows, and adding the question as
a phrasing of an entry, with the permissions of each role."""
from __future__ import annotations

import pytest

from bot.answer.engine import MAX_QUERY_CHARS
from bot.staff import trying
from tests.console_work_helpers import engine_of, entry_on_disk, files_of, text_of


def test_signed_out_sees_nothing(console):
    client = console.client()
    response = client.get("/console/try?q=城铁几点收班")
    assert response.status_code == 302 and "/console/login" in response.headers["Location"]
    assert "ct-mobanche" not in response.get_data(as_text=True)
    before = files_of(console)
    response = client.post("/console/try/phrasing", {"faq_id": "ct-mobanche", "text": "城铁夜里最后一趟"})
    assert response.status_code == 302 and "/console/login" in response.headers["Location"]
    assert files_of(console) == before


def test_the_page_shows_what_faq_test_shows(console):
    page = console.client("editor").get("/console/try?q=城铁最晚一班几点")
    assert page.status_code == 200
    html = text_of(page)
    data = trying.try_question(engine_of(console), "城铁最晚一班几点")
    assert "判定：直接回答 → ct-mobanche" in html and f"原因：{data['reason']}" in html
    assert data["reply"] in html  # exactly what the citizen receives
    for c in data["candidates"]:
        assert c["faq_id"] in html and f"{c['score']:.1f}" in html
    assert trying.thresholds_text() in html
    assert engine_of(console).store.messages(0) == []  # trying is not logged


def test_a_miss_and_a_too_long_question(console):
    client = console.client("editor")
    assert "判定：无法回答" in text_of(client.get("/console/try?q=明天天气怎么样"))
    html = text_of(client.get("/console/try?q=" + "城" * (MAX_QUERY_CHARS + 1)))
    assert "问题太长" in html and "判定：" not in html


def test_phrasing_buttons_only_for_entries_of_ones_categories(console):
    query = "/console/try?q=老年食堂和城铁末班车"
    editor = text_of(console.client("editor").get(query))
    editor2 = text_of(console.client("editor2").get(query))
    reviewer = text_of(console.client("reviewer").get(query))
    assert "把这句加为条目 ct-mobanche 的问法" in editor and "把这句加为条目 yl-canteen 的问法" not in editor
    assert "把这句加为条目 yl-canteen 的问法" in editor2 and "把这句加为条目 ct-mobanche 的问法" not in editor2
    assert "把这句加为条目 ct-mobanche 的问法" in reviewer and "把这句加为条目 yl-canteen 的问法" in reviewer


def test_an_editor_cannot_add_to_another_category(console):
    before = files_of(console)
    response = console.client("editor2").post("/console/try/phrasing", {"faq_id": "ct-mobanche", "text": "城铁夜里最后一趟"})
    assert response.status_code == 403 and "不在您负责的分类中" in text_of(response)
    assert files_of(console) == before


def test_unknown_entry_and_missing_csrf(console):
    client = console.client("editor")
    assert client.post("/console/try/phrasing", {"faq_id": "no-such", "text": "城铁"}).status_code == 404
    before = files_of(console)
    response = client.post("/console/try/phrasing", {"faq_id": "ct-mobanche", "text": "城铁夜里最后一趟"}, csrf=False)
    assert response.status_code == 400 and files_of(console) == before


def test_an_editors_phrasing_waits_for_review(console):
    client = console.client("editor")
    response = client.post("/console/try/phrasing", {"faq_id": "ct-mobanche", "text": "城铁夜里最后一趟几点"},
                           follow_redirects=True)
    assert "已提交审核" in text_of(response)
    assert "城铁夜里最后一趟几点" not in entry_on_disk(console, "ct-mobanche").alternates  # not published yet


@pytest.mark.parametrize("name", ["reviewer", "admin"])
def test_a_reviewers_phrasing_is_published_and_answers(console, name):
    question = "城铁夜里最后一趟几点"
    response = console.client(name).post("/console/try/phrasing", {"faq_id": "ct-mobanche", "text": question},
                                         follow_redirects=True)
    html = text_of(response)
    assert "已发布" in html and "判定：直接回答 → ct-mobanche" in html
    assert question in entry_on_disk(console, "ct-mobanche").alternates
    assert engine_of(console).ask(question).faq_id == "ct-mobanche"
