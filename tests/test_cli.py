"""`python -m bot …` as staff and operators run it."""
import json
import subprocess
import sys

import pytest

from bot.cli import main
from tests.helpers import ROOT, make_faq_dir


@pytest.fixture
def env(tmp_path, monkeypatch):
    faq = make_faq_dir(tmp_path / "faq")
    monkeypatch.setenv("FAQ_DIR", str(faq))
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://x.cn")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_ask_prints_the_reply_and_json(env, capsys):
    assert main(["ask", "长株潭城铁末班车是几点？"]) == 0
    assert "23时25分" in capsys.readouterr().out
    assert main(["ask", "长株潭城铁末班车是几点？", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"query", "kind", "faq_id", "score", "reply", "candidates"}
    assert data["kind"] == "answer" and data["faq_id"] == "ct-mobanche"
    assert data["candidates"][0] == {"faq_id": "ct-mobanche", "question": "长株潭城铁末班车是几点？",
                                     "score": data["score"]}


def test_faq_check_passes_then_fails_with_file_and_line(env, capsys):
    assert main(["faq", "check"]) == 0
    assert "0 个错误" in capsys.readouterr().out
    (env / "faq" / "bad.yaml").write_text("category: 测试\nentries:\n  - id: x\n    question: 问\n", encoding="utf-8")
    assert main(["faq", "check"]) == 1
    out = capsys.readouterr().out
    assert "错误：bad.yaml 第3行 [x]：缺少必填字段“answer”" in out


def test_faq_check_sources(env, capsys):
    reports = env / "reports"
    reports.mkdir()
    (reports / "report-004.txt").write_text("末班车终到长沙23时25分。首发列车均在6时整点开出。详询12306。",
                                            encoding="utf-8")
    (reports / "report-001.txt").write_text("老年食堂12 0个。", encoding="utf-8")
    assert main(["faq", "check", "--sources", str(reports)]) == 0
    (reports / "report-001.txt").write_text("老年食堂若干。", encoding="utf-8")
    assert main(["faq", "check", "--sources", str(reports)]) == 1
    assert "数字“120”在报告 report-001.txt 中找不到" in capsys.readouterr().out


def test_faq_check_catches_an_example_that_no_longer_reaches_its_entry(env, capsys):
    path = env / "faq" / "chengtie.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "    keywords: [首班车, 城铁]", "    keywords: [首班车, 城铁]\n    examples: [明天天气怎么样]"),
        encoding="utf-8")
    assert main(["faq", "check"]) == 1
    assert "示例问题“明天天气怎么样”没有匹配到本条" in capsys.readouterr().out


def test_faq_export_is_json_lines_with_every_field(env, capsys):
    assert main(["faq", "export"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {r["id"] for r in rows} == {"ct-mobanche", "ct-shoubanche", "yl-canteen"}
    first = rows[0]
    assert {"question", "alternates", "keywords", "answer", "detail", "link", "source", "category"} <= set(first)
    assert isinstance(first["source"], dict) and first["source"]["date"] == "2021-05-08"


def test_eval_scores_question_files(env, capsys):
    items = env / "set.jsonl"
    items.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in [
        {"id": "a", "q": "城铁最晚一班几点", "style": "colloquial", "expect": ["23\\s*时\\s*25"]},
        {"id": "b", "q": "城铁最晚一班几点", "style": "keyword", "expect": ["不会出现的内容"]},
        {"id": "c", "q": "明天天气怎么样", "style": "colloquial", "kind": "current-events"},
        {"id": "d", "turns": ["城铁最早一班几点", "那末班车呢"], "expect_last": ["23\\s*时"]},
    ]), encoding="utf-8")
    assert main(["eval", str(items), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)["summary"]
    assert summary["inscope"]["correct"] == 1 and summary["inscope"]["wrong"] == 1
    assert summary["outscope"]["abstained_pct"] == 100.0
    assert summary["multiturn"]["correct_pct"] == 100.0
    assert main(["eval", str(items)]) == 0
    out = capsys.readouterr().out
    assert "in-scope:     2 questions, correct 50.0%, wrong 50.0%" in out and "[inscope/wrong] b" in out


def test_module_entry_point_runs(env):
    result = subprocess.run([sys.executable, "-m", "bot", "ask", "你好"], cwd=ROOT, capture_output=True,
                            text=True, timeout=120, env={**__import__("os").environ})
    assert result.returncode == 0 and result.stdout.strip()
