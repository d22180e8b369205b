"""知识推荐: under an answer, up to two questions on the same subject (another year or aspect),
chosen from the entries' keywords, never what see_also already lists, none past the byte limit,
picked by number through decision.py's one pick."""
from __future__ import annotations

import re

import pytest

from bot.answer import compose
from bot.answer.related import Related
from tests.citizen_helpers import engine_of, own_engine, rows
from tests.helpers import TOKEN, WeChat

SOURCE = "source: {report: r.txt, title: 2025年株洲市政府工作报告, date: 2024-12-25}"
LONG = "加油站长者服务点是在加油站为老年人提供休息和饮水的服务站点。" * 12  # 1,116 bytes (the limit is 1,200)
LINK = "    link: https://example.cn/" + "a" * 790 + "\n"  # with it, the reply leaves no room for a list


def _entry(faq_id, question, keywords, answer="据报告，有关内容见原文。", extra=""):
    return (f"  - id: {faq_id}\n    question: {question}\n    alternates: [{question}吗]\n"
            f"    keywords: [{', '.join(keywords)}]\n    answer: {answer}\n    {SOURCE}\n{extra}")


FILES = {
    "yanglao.yaml": "category: 民生实事\nentries:\n" + "".join([
        _entry("ms2025-canting", "2025年株洲要建多少家幸福食光长者餐厅？", ["长者餐厅", "幸福食光"],
               "2025年建设长者餐厅40家。"),
        _entry("yj2021-canting", "2021年株洲民政部门有没有建长者餐厅的计划？", ["长者餐厅", "民政局"]),
        _entry("ms2025-yanglao", "2025年株洲提高养老服务水平要办什么实事？", ["养老服务", "长者餐厅"]),
        _entry("ms2025-dibao", "2025年株洲城乡低保标准会提高吗？", ["低保"]),
        _entry("old-canting", "2019年长者餐厅试点有几个？", ["长者餐厅"], extra="    valid_until: 2020-01-01\n"),
    ]),
    "jingji.yaml": "category: 经济\nentries:\n" + "".join([
        _entry("youxian-shishi", "攸县要撤县设市吗？", ["攸县", "撤县设市"]),
        _entry("youxian-xuneng", "攸县要建抽水蓄能电站吗？", ["攸县", "抽水蓄能"]),
        _entry("jiayou-long", "加油站长者服务点是什么？", ["加油站长者服务点"], LONG, extra=LINK),
        _entry("jiayou-other", "加油站长者服务点由哪个部门负责？", ["加油站长者服务点"]),
    ]),
}


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("related")
    faq = tmp / "faq"
    faq.mkdir()
    for name, text in FILES.items():
        (faq / name).write_text(text, encoding="utf-8")
    return own_engine(tmp, faq)


def _related(engine, faq_id, shown=()):
    return [e.id for e in Related().of(engine.index, engine.entry(faq_id), set(shown))]


def test_same_subject_other_year_or_aspect(engine):
    assert _related(engine, "ms2025-canting") == ["yj2021-canting", "ms2025-yanglao"]  # another year first
    assert _related(engine, "ms2025-canting", shown={"yj2021-canting"}) == ["ms2025-yanglao"]


def test_no_neighbour_without_a_shared_subject(engine):
    assert _related(engine, "ms2025-dibao") == []       # same category, nothing in common
    assert _related(engine, "youxian-shishi") == []     # a place is no subject


def test_an_faq_too_large_to_hold_decoded_suggests_nothing(engine, monkeypatch):
    # reading every entry of a 100k index would map 500 MB of it into memory on the reply path
    monkeypatch.setattr("bot.answer.related.PRELOAD_MAX_ENTRIES", 1)
    assert _related(engine, "ms2025-canting") == []


def test_expired_entries_are_not_suggested(engine):
    assert "old-canting" not in _related(engine, "yj2021-canting")


def test_answer_lists_them_and_a_number_picks_one(engine):
    reply = engine.ask("2025年要建多少家幸福食光长者餐厅", user="u")
    assert reply.faq_id == "ms2025-canting"
    assert ("相关问题：\n1. 2021年株洲民政部门有没有建长者餐厅的计划？\n"
            "2. 2025年株洲提高养老服务水平要办什么实事？\n回复数字即可。") in reply.text
    picked = engine.ask("第二个", user="u")
    assert picked.faq_id == "ms2025-yanglao" and picked.kind == "answer"
    [pick] = rows(engine, "picks")
    assert (pick["kind"], pick["faq_id"]) == ("related", "ms2025-yanglao")


def test_numbers_continue_after_see_also_and_nothing_is_listed_twice(engine):
    """A bare topic is answered with its neighbours (or other years) as 2, 3 …; related ones follow."""
    reply = engine.ask("长者餐厅", user="v")
    listed = re.findall(r"^(\d)\. (.+)$", reply.text, flags=re.M)
    assert len(listed) >= 2 and [int(n) for n, _ in listed] == list(range(2, len(listed) + 2))
    assert len({q for _, q in listed}) == len(listed) and reply.text.count("回复数字即可。") == 1
    last_number, last_question = listed[-1]
    assert engine.entry(engine.ask(last_number, user="v").faq_id).question == last_question


def test_none_when_the_reply_would_exceed_the_byte_limit(engine):
    reply = engine.ask("加油站长者服务点是什么", user="w")
    assert reply.faq_id == "jiayou-long" and "相关问题" not in reply.text
    listed = compose.with_related(reply.text, [engine.entry("jiayou-other").question])
    assert len(reply.text.encode()) <= compose.REPLY_MAX_BYTES < len(listed.encode())
    assert _related(engine, "jiayou-long") == ["jiayou-other"]
    assert engine.ask("1", user="w").faq_id != "jiayou-other"


@pytest.mark.parametrize("mode", ["plain", "safe"])
def test_related_through_the_webhook(mode, plain_app, safe_app, aes_key):
    app = plain_app if mode == "plain" else safe_app
    wx = WeChat(app.test_client(), TOKEN, aes_key if mode == "safe" else None)
    _, reply = wx.send("text", Content="城铁末班车几点")
    assert "相关问题：\n1. 长株潭城铁首班车几点开？" in reply["Content"]
    _, reply = wx.send("text", Content="1")
    assert "6时" in reply["Content"]
    assert rows(engine_of(app), "picks")[0]["kind"] == "related"


def test_related_through_the_api(plain_app):
    client = plain_app.test_client()
    first = client.get("/api/ask", query_string={"q": "城铁末班车几点", "user": "r"}).get_json()
    assert "相关问题" in first["reply"]
    assert client.get("/api/ask", query_string={"q": "1", "user": "r"}).get_json()["faq_id"] == "ct-shoubanche"
