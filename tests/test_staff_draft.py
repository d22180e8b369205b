"""`faq draft`: entry drafts from a report. Report 003 is the issue's acceptance case."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.cli import main
from bot.content.faq import load_faq
from bot.staff.draft import find_drafts

REPORT_003 = Path(__file__).resolve().parents[2] / "shared" / "reports" / "003_3035eeaa2abfbad2.txt"
EXISTING = """\
category: 名词解释
entries:
  - id: d003-san-bai-gong-cheng
    question: 三百工程包括哪些？
    alternates: [三百工程, 百村洁净, 百村幸福]
    answer: 据2025年株洲市政府工作报告名词解释，三百工程即百村洁净、百村美丽、百村幸福工程。
    source: {report: 003_3035eeaa2abfbad2.txt, title: 2025年株洲市政府工作报告, date: 2024-12-25}
"""
MINI = """\
# 某区2026年工作报告

——2026年1月5日在某区人民代表大会上

## 名词解释

**1. 三个一:**一张图、一张网、一平台。

**2. 五件实事:**①建设社区食堂12家;新增托育位300个。②改造老旧小区

老旧小区45个。③新建公园3处。④新增停车位2000个。⑤培训技工1500人次。

## 其他

全区新建5G基站 1500 座，城区公交线路增加到36条。
"""


@pytest.fixture
def env(tmp_path, monkeypatch):
    faq = tmp_path / "faq"
    faq.mkdir()
    (faq / "mingci.yaml").write_text(EXISTING, encoding="utf-8")
    monkeypatch.setenv("FAQ_DIR", str(faq))
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_mini_report_kinds_numbers_and_sources(env, capsys):
    report = env / "009_mini.txt"
    report.write_text(MINI, encoding="utf-8")
    out = env / "draft.yaml"
    assert main(["faq", "draft", str(report), "--out", str(out)]) == 0
    assert "生成" in capsys.readouterr().out
    text = out.read_text(encoding="utf-8")
    assert "原文第7行" in text  # the source line, as a comment
    data = yaml.safe_load(text)
    entries = data["entries"]
    questions = [e["question"] for e in entries]
    assert "三个一包括哪些？" in questions and "五件实事包括哪些？" in questions
    items = [e for e in entries if e["question"].startswith("五件实事中的")]
    assert len(items) == 5
    assert "老旧小区45个" in items[1]["answer"]  # the OCR's repeated word at the cut is dropped
    assert any("多少座" in e["question"] for e in entries)  # "5G基站 1500 座" → 多少座
    assert any("1500座" in e["answer"] for e in entries)  # numbers copied exactly
    for e in entries:
        assert len(e["alternates"]) >= 3
        assert e["source"] == {"report": "009_mini.txt", "title": "某区2026年工作报告", "date": __import__("datetime").date(2026, 1, 5)}
    loaded = load_faq(_only(out, env))
    assert loaded.errors == [] and len(loaded.entries) == len(entries)


def test_date_left_as_todo_when_the_text_has_none():
    drafts = find_drafts("## 新闻\n\n株洲日报讯（记者/某） 5月7日，我市362支驻村工作队分赴驻地。\n")
    assert drafts and drafts[0].date == "TODO" and drafts[0].title == "株洲日报：新闻"
    assert drafts[0].question == "株洲市多少支驻村工作队分赴驻地？"


@pytest.mark.skipif(not REPORT_003.is_file(), reason=f"report 003 not found at {REPORT_003} (shared reports absent)")
def test_report_003_proposes_all_ten_livelihood_items_and_terms(env, capsys):
    out = env / "draft003.yaml"
    assert main(["faq", "draft", str(REPORT_003), "--out", str(out)]) == 0
    entries = yaml.safe_load(out.read_text(encoding="utf-8"))["entries"]
    items = [e for e in entries if e["question"].startswith("十大重点民生实事中的")]
    assert [e["answer"].split("第")[1][0] for e in items] == list("①②③④⑤⑥⑦⑧⑨⑩")
    by_question = {e["question"]: e for e in entries}
    for term in ("八大行动", "十大产业项目", "十大基础设施项目", "四中心一基地", "十大技术攻关项目", "四走四看",
                 "十大重点民生实事", "三医联动、六医协同"):
        assert f"{term}包括哪些？" in by_question, term
    assert "LPR是什么？" in by_question
    assert "长者餐厅40家" in by_question["十大重点民生实事中的“提高养老服务水平”具体是什么？"]["answer"]
    assert any("3885户" in e["answer"] for e in items)
    ids = [e["id"] for e in entries]
    assert len(ids) == len(set(ids)) and "d003-san-bai-gong-cheng" not in ids  # unique against the FAQ
    assert all(e["source"]["report"] == REPORT_003.name for e in entries)
    # What the government report part proposes loads cleanly as it is; news items need a date.
    faq = load_faq(_only(out, env))
    report_part = [p for p in faq.errors if "date" not in p.message]
    assert report_part == []
    assert len(faq.entries) >= 29


def _only(draft: Path, env: Path) -> Path:
    """The draft alone in a directory, as load_faq reads a FAQ directory."""
    d = env / "draft_only"
    d.mkdir(exist_ok=True)
    (d / "draft.yaml").write_text(draft.read_text(encoding="utf-8"), encoding="utf-8")
    return d
