"""待处理问题 /console/queue over the Flask test client: the groups of unanswered questions from
the message log, and their actions (add as a phrasing, start a new entry, dismiss with a
reason), with the permissions of each role."""
from __future__ import annotations

import re

from bot.staff import queue as work_queue
from tests.console_work_helpers import citizens_ask, engine_of, entry_on_disk, files_of, text_of

MISSES = ["城铁票价多少", "城铁票价多少钱", "请问城铁票价是多少", "公积金怎么提取"]


def group_id(site, example_part: str) -> str:
    messages = engine_of(site).store.messages(0)
    q = work_queue.build_queue(messages, work_queue.dismissed_keys(site.data_dir))
    return next(g.id for g in q.groups if example_part in g.example)


def test_signed_out_sees_nothing(console):
    citizens_ask(console, MISSES)
    client = console.client()
    for response in (client.get("/console/queue"), client.post("/console/queue/dismiss", {"group": "x", "reason": "r"}),
                     client.post("/console/queue/phrasing", {"group": "x", "faq_id": "ct-mobanche"})):
        assert response.status_code == 302 and "/console/login" in response.headers["Location"]
        assert "票价" not in text_of(response)
    assert work_queue.dismissals(console.data_dir) == []


def test_the_queue_shows_the_groups_with_counts_examples_and_nearest_entries(console):
    citizens_ask(console, [*MISSES, "长株潭城铁末班车是几点？"])
    html = text_of(console.client("editor").get("/console/queue"))
    fare = html.index("城铁票价多少</h2>")
    assert "3 次，3 人（无法回答 3）" in html[fare:]
    assert "请问城铁票价是多少" in html and "公积金怎么提取" in html
    assert html.index("城铁票价多少</h2>") < html.index("公积金怎么提取</h2>")  # biggest first
    assert "长株潭城铁末班车是几点？</h2>" not in html  # answered well
    assert "最接近的条目" in html and "ct-mobanche" in html


def test_api_questions_are_left_out_unless_asked_for(console):
    citizens_ask(console, ["公积金怎么提取"], channel="api")
    client = console.client("editor")
    assert "公积金怎么提取</h2>" not in text_of(client.get("/console/queue"))
    assert "公积金怎么提取</h2>" in text_of(client.get("/console/queue?include_api=1"))


def test_phrasing_buttons_and_new_entry_links_follow_the_categories(console):
    citizens_ask(console, ["城铁票价多少"])
    editor = text_of(console.client("editor").get("/console/queue"))
    editor2 = text_of(console.client("editor2").get("/console/queue"))
    assert 'name="faq_id" value="ct-mobanche"' in editor
    assert 'name="faq_id" value="ct-mobanche"' not in editor2  # not their category
    assert "试问" in editor and "忽略这组问题" in editor2  # dismissing concerns no entry


def test_dismiss_needs_a_reason_then_hides_the_group_until_a_new_wording(console):
    citizens_ask(console, MISSES)
    client = console.client("editor")
    gid = group_id(console, "票价")
    refused = text_of(client.post("/console/queue/dismiss", {"group": gid, "reason": " "}, follow_redirects=True))
    assert "请填写忽略的原因" in refused and "城铁票价多少</h2>" in refused
    done = text_of(client.post("/console/queue/dismiss", {"group": gid, "reason": "票价由铁路部门定"},
                               follow_redirects=True))
    assert "已忽略" in done and "城铁票价多少</h2>" not in done
    assert "票价由铁路部门定" in done  # listed under 最近忽略的, with who
    assert work_queue.dismissals(console.data_dir)[0]["staff"] == "editor"
    citizens_ask(console, ["城铁票价多少"])  # the same question again
    assert "城铁票价多少</h2>" not in text_of(client.get("/console/queue"))
    citizens_ask(console, ["城铁票价大概多少"])  # a new wording brings the group back
    back = text_of(client.get("/console/queue"))
    assert "城铁票价多少</h2>" in back and "曾被忽略，又有新问法" in back


def test_acting_on_a_group_that_changed_meanwhile_is_refused(console):
    citizens_ask(console, MISSES)
    client = console.client("editor")
    gid = group_id(console, "票价")
    citizens_ask(console, ["城铁票价大概多少"])  # the group now holds another wording: another id
    html = text_of(client.post("/console/queue/dismiss", {"group": gid, "reason": "无关"}, follow_redirects=True))
    assert "请刷新页面" in html and work_queue.dismissals(console.data_dir) == []


def test_missing_csrf_is_refused(console):
    citizens_ask(console, MISSES)
    gid = group_id(console, "票价")
    response = console.client("editor").post("/console/queue/dismiss", {"group": gid, "reason": "无关"}, csrf=False)
    assert response.status_code == 400 and work_queue.dismissals(console.data_dir) == []


def test_an_editor_cannot_add_a_phrasing_to_another_category(console):
    citizens_ask(console, MISSES)
    before = files_of(console)
    response = console.client("editor2").post("/console/queue/phrasing",
                                              {"group": group_id(console, "票价"), "faq_id": "ct-mobanche",
                                               "text": "城铁票价多少"})
    assert response.status_code == 403 and files_of(console) == before


def test_only_a_wording_of_the_group_can_be_added(console):
    citizens_ask(console, MISSES)
    html = text_of(console.client("reviewer").post(
        "/console/queue/phrasing", {"group": group_id(console, "票价"), "faq_id": "ct-mobanche", "text": "随便什么话"},
        follow_redirects=True))
    assert "只能把这组里市民问过的说法加为问法" in html
    assert "随便什么话" not in entry_on_disk(console, "ct-mobanche").alternates


def test_a_reviewer_turns_the_group_into_a_phrasing_and_the_question_is_answered(console):
    question = "城铁晚上几点停运"
    citizens_ask(console, [question, "公积金怎么提取"])
    gid = group_id(console, "停运")
    assert engine_of(console).ask(question, log_it=False).kind != "answer"  # 停运 is no word of the FAQ yet
    html = text_of(console.client("reviewer").post(
        "/console/queue/phrasing", {"group": gid, "faq_id": "ct-mobanche", "text": question}, follow_redirects=True))
    assert "已发布" in html and f"{question}</h2>" not in html  # handled: out of the queue
    assert work_queue.dismissals(console.data_dir)[0]["reason"] == "已加为条目 ct-mobanche 的问法"
    assert question in entry_on_disk(console, "ct-mobanche").alternates
    assert engine_of(console).ask(question).faq_id == "ct-mobanche"


def test_new_entry_link_is_prefilled_from_the_group(console):
    citizens_ask(console, MISSES[:3])
    html = console.client("editor").get("/console/queue").get_data(as_text=True)
    link = re.search(r'href="(/console/entries/new\?[^"]+)"', html)
    assert link, "a 新建条目 link to the entry form"
    page = console.client("editor").get(link.group(1).replace("&amp;", "&"))
    assert page.status_code == 200 and "城铁票价多少" in text_of(page)
