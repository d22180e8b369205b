"""A topic file that does not parse: staff are told the file, the line where the mistake starts
(not where PyYAML gave up) and what to change, in Chinese (issue 12 item 17)."""
from __future__ import annotations

import re

import pytest

from bot.cli import main
from bot.content.faq import load_faq

ENTRY = """\
  - id: e{n}
    question: 第{n}个问题是什么？
    alternates: [说法{n}, "另一种说法{n}"]
    answer: "第{n}个答案。"
    source: {{report: r.txt, title: 报告, date: 2025-01-01}}
"""


def topic(count: int = 3) -> list[str]:
    """A valid topic file, as lines (1-based line n is lines[n - 1])."""
    text = "category: 测试\nentries:\n" + "".join(ENTRY.format(n=n) for n in range(count))
    return text.splitlines()


def _problem(tmp_path, lines: list[str], name: str = "topic.yaml"):
    (tmp_path / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    [problem] = load_faq(tmp_path).errors
    assert problem.file == name
    assert not re.search(r"[A-Za-z]{4,} [a-z]{3,}", problem.message), problem.message  # no English sentence
    return problem


def _line_of(lines: list[str], text: str) -> int:
    return next(i for i, line in enumerate(lines, start=1) if text in line)


def test_unclosed_quote_is_reported_where_it_opens_not_where_yaml_gives_up(tmp_path):
    lines = topic(100)
    at = _line_of(lines, "第30个答案")
    lines[at - 1] = '    answer: "第30个答案。'  # the closing quote forgotten; the next entry's quotes pair up
    problem = _problem(tmp_path, lines)
    assert problem.line == at and "引号没有闭合" in problem.message


def test_fullwidth_colon(tmp_path):
    lines = topic()
    at = _line_of(lines, "第1个问题")
    lines[at - 1] = "    question：第1个问题是什么？"
    problem = _problem(tmp_path, lines)
    assert problem.line == at and "全角冒号" in problem.message


def test_tab_indentation(tmp_path):
    lines = topic()
    at = _line_of(lines, "第2个答案")
    lines[at - 1] = "\tanswer: 第2个答案。"
    problem = _problem(tmp_path, lines)
    assert problem.line == at and "Tab" in problem.message and "空格" in problem.message


def test_wrong_indentation(tmp_path):
    lines = topic()
    at = _line_of(lines, "第1个答案")
    lines[at - 1] = "      answer: 第1个答案。"  # two spaces too many
    problem = _problem(tmp_path, lines)
    assert problem.line == at and "缩进" in problem.message


def test_list_item_out_of_line(tmp_path):
    lines = topic()
    at = _line_of(lines, "id: e2")
    lines[at - 1] = " - id: e2"
    problem = _problem(tmp_path, lines)
    assert problem.line == at and "缩进" in problem.message


def test_no_space_after_colon(tmp_path):
    lines = topic()
    at = _line_of(lines, "第0个问题")
    lines[at - 1] = "    question:第0个问题是什么？"
    problem = _problem(tmp_path, lines)
    assert problem.line == at and "冒号后缺空格" in problem.message


def test_unclosed_bracket(tmp_path):
    lines = topic()
    at = _line_of(lines, "说法1,")
    lines[at - 1] = '    alternates: [说法1, "另一种说法1"'
    problem = _problem(tmp_path, lines)
    assert problem.line == at and "方括号没有闭合" in problem.message


def test_unclosed_brace(tmp_path):
    lines = topic()
    at = _line_of(lines, "source:")
    lines[at - 1] = "    source: {report: r.txt, title: 报告, date: 2025-01-01"
    problem = _problem(tmp_path, lines)
    assert problem.line == at and "花括号没有闭合" in problem.message


def test_colon_inside_an_unquoted_value(tmp_path):
    lines = topic()
    at = _line_of(lines, "第2个答案")
    lines[at - 1] = "    answer: 办理时间: 工作日"
    problem = _problem(tmp_path, lines)
    assert problem.line == at and "引号括起来" in problem.message


@pytest.mark.parametrize("name", ["keywords.yaml", "needs.yaml"])
def test_the_other_files_are_described_alike(tmp_path, name):
    (tmp_path / name).write_text("rules:\n  - keywords: [你好\n    reply: 您好\n" if name == "keywords.yaml"
                                 else "needs:\n  - terms: [加装电梯\n    when:\n      - [老楼]\n", encoding="utf-8")
    [problem] = load_faq(tmp_path).errors
    assert problem.file == name and "第2行" in str(problem) and "方括号没有闭合" in str(problem)


def test_faq_check_prints_it(tmp_path, monkeypatch, capsys):
    lines = topic()
    at = _line_of(lines, "第1个问题")
    lines[at - 1] = "    question：第1个问题是什么？"
    (tmp_path / "faq").mkdir()
    (tmp_path / "faq" / "zhufang.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setenv("FAQ_DIR", str(tmp_path / "faq"))
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    assert main(["faq", "check", "--no-examples"]) == 1
    assert f"错误：zhufang.yaml 第{at}行：YAML格式错误：字段名后面用了全角冒号" in capsys.readouterr().out
