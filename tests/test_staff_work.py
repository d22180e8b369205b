"""The logic behind the console's work pages, as plain functions: trying a question, the queue of
unanswered questions with its dismissals, drafts from a report, and the overview's figures.
On the tiny FAQ of tests/helpers.py, a real Engine and real sqlite files."""
from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import stat
import time

import pytest

from bot.answer.engine import MAX_QUERY_CHARS, Engine
from bot.cli import main
from bot.content.faq import load_faq
from bot.staff import drafting, overview, queue, trying, workstore


@pytest.fixture
def engine(base_config, shared_index):
    engine = Engine(base_config, index=shared_index)
    yield engine
    engine.store.close()


def ask_all(engine, questions, channel="wechat"):
    """Citizens asking through the engine: real log rows in bot.sqlite."""
    for i, text in enumerate(questions):
        engine.ask(text, user=f"citizen-{i % 3}", channel=channel)
    return engine.store.messages(0)


# ---------------------------------------------------------------- try a question

def test_try_question_gives_candidates_decision_reason_and_the_citizens_reply(engine):
    data = trying.try_question(engine, "城铁最晚一班几点")
    assert data["kind"] == "answer" and data["faq_id"] == "ct-mobanche"
    assert data["reason"] and data["normalized"] and data["words"]
    first, second = data["candidates"][:2]
    assert first["faq_id"] == "ct-mobanche" and first["category"] == "城铁出行"
    assert first["score"] > second["score"] and {"similarity", "coverage", "keyword_hit"} <= set(first)
    assert data["reply"] == engine.respond("城铁最晚一班几点")[0].text  # exactly what the citizen gets
    assert engine.store.messages(0) == []  # nothing logged


def test_try_question_cuts_the_question_where_citizens_are_cut(engine):
    long_text = "城铁末班车几点" + "啊" * (MAX_QUERY_CHARS + 50)
    data = trying.try_question(engine, long_text)
    assert len(data["query"]) == MAX_QUERY_CHARS
    assert data["reply"] == engine.respond(long_text)[0].text


def test_try_question_on_a_rule_and_a_miss(engine):
    rule = trying.try_question(engine, "你好")
    assert rule["kind"] == "rule" and rule["candidates"] == [] and "您好" in rule["reply"]
    miss = trying.try_question(engine, "明天天气怎么样")
    assert miss["kind"] == "fallback" and miss["faq_id"] is None and miss["reply"]
    assert trying.outcome_label(miss["kind"]) == "无法回答（兜底回复）"


def test_faq_test_prints_what_try_question_returns(engine, faq_dir, monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("FAQ_DIR", str(faq_dir))
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "cli-data"))
    monkeypatch.setenv("PUBLIC_BASE_URL", engine.config.public_base_url)
    monkeypatch.chdir(tmp_path)
    assert main(["faq", "test", "--json", "城铁最晚一班几点"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == json.loads(json.dumps(trying.try_question(engine, "城铁最晚一班几点"), ensure_ascii=False))
    assert main(["faq", "test", "城铁最晚一班几点"]) == 0
    out = capsys.readouterr().out
    assert f"阈值：{trying.thresholds_text()}" in out and "判定：直接回答 → ct-mobanche" in out


# ---------------------------------------------------------------- the queue

MISSES = ["城铁票价多少", "城铁票价多少钱", "请问城铁票价是多少", "公积金怎么提取", "城铁几点开"]


def test_queue_groups_the_misses_with_counts_examples_and_nearest_entries(engine):
    messages = ask_all(engine, [*MISSES, "长株潭城铁末班车是几点？", "你好"])
    q = queue.build_queue(messages, set(), engine.index)
    fare = next(g for g in q.groups if "票价" in g.example)
    assert fare.count == 3 and fare.users == 3 and set(fare.variants) == set(MISSES[:3])
    assert fare.outcomes and not fare.was_dismissed
    assert fare.nearest and fare.nearest[0]["faq_id"].startswith("ct-")  # the train entries are nearest
    assert not any("末班车是几点" in g.example for g in q.groups)  # answered well: not in the queue
    assert not any(g.example == "你好" for g in q.groups)  # a keyword rule is no question
    assert q.groups[0] is fare  # biggest first


def test_queue_leaves_out_api_questions_unless_asked(engine):
    messages = ask_all(engine, ["公积金怎么提取"], channel="api")
    assert queue.build_queue(messages, set()).groups == []
    assert [g.example for g in queue.build_queue(messages, set(), include_api=True).groups] == ["公积金怎么提取"]


def test_a_dismissed_group_stays_hidden_until_a_new_different_question_arrives(engine, data_dir):
    messages = ask_all(engine, MISSES)
    fare = next(g for g in queue.build_queue(messages, set()).groups if "票价" in g.example)
    with pytest.raises(ValueError, match="原因"):
        queue.dismiss(data_dir, fare, "  ", "editor1")
    queue.dismiss(data_dir, fare, "票价由铁路部门定，报告里没有", "editor1")
    assert queue.dismissals(data_dir)[0]["reason"] == "票价由铁路部门定，报告里没有"

    messages = ask_all(engine, ["城铁票价多少"])  # the same wording again: still hidden
    q = queue.build_queue(messages, queue.dismissed_keys(data_dir))
    assert not any("票价" in g.example for g in q.groups) and q.hidden == 1

    messages = ask_all(engine, ["城铁票价大概多少"])  # a new wording: back, marked
    back = next(g for g in queue.build_queue(messages, queue.dismissed_keys(data_dir)).groups if "票价" in g.example)
    assert back.was_dismissed and len(back.new_keys) == 1 and "大概" in back.new_keys[0]
    assert back.id != fare.id


def test_dismissals_are_kept_in_a_private_sqlite_file(engine, data_dir):
    fare = queue.build_queue(ask_all(engine, MISSES[:1]), set()).groups[0]
    queue.dismiss(data_dir, fare, "与政务无关", "editor1")
    path = workstore.path_in(data_dir)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    with sqlite3.connect(path) as db:
        reason, staff, keys = db.execute("select reason, staff, keys from dismissals").fetchone()
    assert (reason, staff) == ("与政务无关", "editor1") and json.loads(keys) == fare.keys


def test_find_group_refuses_a_group_that_changed(engine):
    q = queue.build_queue(ask_all(engine, MISSES[:2]), set())
    assert queue.find_group(q, q.groups[0].id) is q.groups[0]
    with pytest.raises(LookupError, match="刷新"):
        queue.find_group(q, "0" * 16)


def test_phrasing_text_is_one_line_and_short():
    assert queue.phrasing_text("  城铁 夜里\n最后一趟 ") == "城铁 夜里 最后一趟"
    with pytest.raises(ValueError, match="太长"):
        queue.phrasing_text("城" * 101)
    with pytest.raises(ValueError, match="空"):
        queue.phrasing_text(" ")


def test_period_start():
    now = time.time()
    assert queue.period_start("7d", now) == now - 7 * 86400
    with pytest.raises(ValueError, match="时间范围"):
        queue.period_start("1y", now)


# ---------------------------------------------------------------- drafts from a report

REPORT = """\
# 2025年株洲市政府工作报告
2024年12月25日

## 名词解释
**18. 十大重点民生实事:**①提升困难群众救助水平；提高城乡低保标准。②提高养老服务水平；建设“幸福食光”长者餐厅40家。

我市362支驻村工作队
继续开展帮扶工作。
"""


def test_drafts_come_with_the_report_lines_they_came_from(faq_dir):
    drafts = drafting.drafts_with_sources(REPORT, "003_report.txt", load_faq(faq_dir).entries)
    assert drafts and [d["number"] for d in drafts] == list(range(len(drafts)))
    figure = next(d for d in drafts if d["origin"] == "figure")
    assert figure["source_lines"] == [(7, "我市362支驻村工作队"), (8, "继续开展帮扶工作。")]
    assert "362" in figure["entry"]["answer"]
    term = next(d for d in drafts if d["origin"] == "term")
    assert term["source_lines"][0][0] == 5 and term["entry"]["source"]["report"] == "003_report.txt"
    assert term["entry"]["source"]["date"] == dt.date(2024, 12, 25)
    assert len({d["entry"]["id"] for d in drafts}) == len(drafts)


def test_read_report_refuses_what_is_not_utf8_text():
    assert drafting.read_report("\ufeff报告".encode()) == "报告"
    with pytest.raises(ValueError, match="UTF-8"):
        drafting.read_report("报告".encode("gbk"))
    with pytest.raises(ValueError, match="纯文本"):
        drafting.read_report(b"PK\x03\x04\x00\x00")
    with pytest.raises(ValueError, match="空"):
        drafting.read_report(b"  \n")
    with pytest.raises(ValueError, match="太大"):
        drafting.read_report(b"a" * (drafting.MAX_REPORT_BYTES + 1))


def test_report_name():
    assert drafting.report_name("C:\\Users\\me\\003_报告.txt") == "003_报告.txt"
    for bad in ("", "a b.txt", "x" * 81):
        with pytest.raises(ValueError):
            drafting.report_name(bad)


def test_uploads_and_submissions_are_kept(data_dir):
    upload_id = drafting.save_upload(data_dir, "003.txt", REPORT, "editor1")
    assert drafting.upload(data_dir, upload_id)["text"] == REPORT
    drafting.record_submission(data_dir, upload_id, 2, "editor1", "change-7")
    assert drafting.submitted(data_dir, upload_id) == {2: "change-7"}
    assert drafting.uploads(data_dir)[0]["name"] == "003.txt"
    with pytest.raises(LookupError):
        drafting.upload(data_dir, upload_id + 1)


# ---------------------------------------------------------------- overview

def test_overview_figures(engine, faq_dir):
    messages = ask_all(engine, ["长株潭城铁末班车是几点？", "城铁最晚一班几点", "城铁票价多少", "你好"])
    entries = load_faq(faq_dir).entries
    today = dt.date.today()
    entries[0].valid_until = today + dt.timedelta(days=10)
    entries[1].valid_until = today + dt.timedelta(days=40)
    data = overview.build_overview(messages, entries, time.time() - 6 * 86400, today=today)
    assert data["questions"] == 3 and data["answer_rate"] == pytest.approx(66.7)
    assert len(data["per_day"]) == 7 and data["per_day"][-1]["questions"] == 3
    assert data["per_day"][0]["questions"] == 0  # quiet days are shown too
    assert data["top_entries"][0] == {"faq_id": "ct-mobanche", "question": entries[0].question, "count": 2}
    assert [e["faq_id"] for e in data["expiring"]] == [entries[0].id] and data["expiring"][0]["days_left"] == 10
    never = {e["faq_id"] for e in data["never_asked"]}
    assert "ct-mobanche" not in never and {"ct-shoubanche", "yl-canteen"} <= never
