"""Loading and validating the files staff edit: every problem with file, line and entry id."""
import datetime as dt
import json
import subprocess
import sys
import textwrap

from bot.config import PROJECT_ROOT
from bot.content import checks as validate
from bot.content.faq import load_faq
from bot.content.model import DEFAULT_TEXTS

GOOD = """\
category: 民生实事
entries:
  - id: ms-canteen
    question: 2025年要建多少家长者餐厅？
    alternates: [长者餐厅建几家, 老人吃饭的食堂有几个, 助餐点多少]
    keywords: [长者餐厅]
    answer: 2025年建设“幸福食光”长者餐厅40家。
    source: {report: r.txt, title: 2025年株洲市政府工作报告, date: 2024-12-25}
"""


def write(tmp_path, name, text):
    (tmp_path / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


def messages(faq):
    return [str(p) for p in faq.problems]


def test_topic_file_only_loads_with_default_texts(tmp_path):
    faq = load_faq(write(tmp_path, "ms.yaml", GOOD))
    assert not faq.problems
    [entry] = faq.entries
    assert entry.id == "ms-canteen" and entry.category == "民生实事" and entry.line == 3
    assert entry.source == {"report": "r.txt", "title": "2025年株洲市政府工作报告", "date": "2024-12-25"}
    assert faq.texts == DEFAULT_TEXTS and faq.rules == [] and faq.menu == {}


def test_keywords_file_gives_rules_menu_and_texts(tmp_path):
    write(tmp_path, "ms.yaml", GOOD)
    write(tmp_path, "keywords.yaml", """\
        welcome: 欢迎！
        rules:
          - keywords: [帮助, 菜单]
            match: exact
            reply: 可以问民生实事。
        menu:
          MENU_A: 菜单A的回复
        """)
    faq = load_faq(tmp_path)
    assert not faq.problems
    assert faq.texts["welcome"] == "欢迎！" and faq.texts["help"] == DEFAULT_TEXTS["help"]
    assert faq.rules[0].keywords == ["帮助", "菜单"] and faq.menu == {"MENU_A": "菜单A的回复"}


def test_yaml_syntax_error_names_file_and_line(tmp_path):
    write(tmp_path, "bad.yaml", "category: 住房\nentries:\n  - id: a\n    question: [未闭合\n    answer: x\n")
    faq = load_faq(tmp_path)
    [problem] = faq.errors
    assert problem.file == "bad.yaml" and problem.line is not None and problem.line >= 4
    assert "YAML格式错误" in str(problem)


def test_missing_empty_unknown_fields_and_bad_id(tmp_path):
    write(tmp_path, "t.yaml", """\
        category: 住房
        entries:
          - id: Bad_ID
            question: ""
            answr: 拼错的字段
            source: {report: r.txt, title: 标题}
        """)
    text = "\n".join(messages(load_faq(tmp_path)))
    assert "t.yaml 第3行 [Bad_ID]" in text
    assert "未知字段“answr”" in text and "第5行" in text
    assert "缺少必填字段“question”" in text and "缺少必填字段“answer”" in text
    assert "source 缺少“date”" in text
    assert "id 只能使用小写字母" in text


def test_duplicate_id_and_duplicate_question_across_files(tmp_path):
    write(tmp_path, "a.yaml", GOOD)
    write(tmp_path, "b.yaml", GOOD.replace("category: 民生实事", "category: 养老"))
    write(tmp_path, "c.yaml", GOOD.replace("ms-canteen", "ms-canteen-2"))
    faq = load_faq(tmp_path)
    text = "\n".join(messages(faq))
    assert "id 重复：已在 a.yaml 第3行使用" in text
    assert "问题与 a.yaml 第3行的条目“ms-canteen”相同" in text
    assert [e.id for e in faq.entries].count("ms-canteen") == 1


def test_answer_over_byte_limit_is_an_error(tmp_path):
    write(tmp_path, "t.yaml", GOOD.replace("2025年建设“幸福食光”长者餐厅40家。", "很长的回答。" * 150))
    [problem] = load_faq(tmp_path).errors
    assert "answer 过长" in problem.message and problem.line == 7


def test_sources_check_finds_numbers_missing_from_the_report(tmp_path):
    faq_dir = tmp_path / "faq"
    faq_dir.mkdir()
    write(faq_dir, "ms.yaml", GOOD.replace("40家", "41家"))
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "r.txt").write_text("④提升养老服务水平，建设“幸福食光”长者餐厅 4 0家。", encoding="utf-8")
    problems = validate.check_sources(load_faq(faq_dir), reports)
    assert [p.message for p in problems] == ["answer 中的数字“41”在报告 r.txt 中找不到，请核对原文"]
    # The report splits "4 0"; whitespace is ignored, and the year comes from the citation.
    (faq_dir / "ms.yaml").write_text(GOOD, encoding="utf-8")
    assert validate.check_sources(load_faq(faq_dir), reports) == []


def test_expiry_warnings_and_expired_entries_are_not_served(tmp_path):
    soon = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    write(tmp_path, "ms.yaml", GOOD.replace("    source:", f"    valid_until: {soon}\n    source:"))
    faq = load_faq(tmp_path)
    [warning] = validate.check_expiry(faq)
    assert warning.level == "warning" and "还有10天" in warning.message
    assert faq.served_entries() and not faq.served_entries(dt.date.today() + dt.timedelta(days=11))
    later = dt.date.today() + dt.timedelta(days=40)
    assert "已于" in validate.check_expiry(faq, today=later)[0].message


def test_non_utf8_file_is_reported(tmp_path):
    (tmp_path / "gbk.yaml").write_bytes(GOOD.encode("gbk"))
    [problem] = load_faq(tmp_path).errors
    assert problem.file == "gbk.yaml" and "UTF-8" in problem.message


# Run in a process of its own: forking needs a process with no other thread (bot/parallel.py),
# and earlier tests of this session leave daemon threads (reload watchers, log writers) behind.
_PARALLEL_LOAD = """
import concurrent.futures, json, sys
import bot.content.faq as faq
faq.PARALLEL_YAML_BYTES = 1
used = []
real_pool = concurrent.futures.ProcessPoolExecutor
concurrent.futures.ProcessPoolExecutor = lambda *a, **k: used.append(1) or real_pool(*a, **k)
loaded = faq.load_faq(sys.argv[1])
print(json.dumps({"workers": len(used), "entries": [e.to_dict() for e in loaded.entries],
                  "problems": sorted(str(p) for p in loaded.problems)}, ensure_ascii=False, default=str))
"""


def test_large_faqs_are_parsed_in_worker_processes_with_the_same_result(tmp_path):
    write(tmp_path, "a.yaml", GOOD)
    write(tmp_path, "b.yaml", GOOD.replace("ms-canteen", "ms-other").replace("多少家", "几家新的")
          .replace("  - id: ms-other", "  - id: ms-other\n    oops: 1"))
    write(tmp_path, "c.yaml", "category: [")
    alone = load_faq(tmp_path)
    done = subprocess.run([sys.executable, "-c", _PARALLEL_LOAD, str(tmp_path)], capture_output=True, text=True,
                          cwd=PROJECT_ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    together = json.loads(done.stdout)
    assert together["workers"], "the worker processes were not used"
    assert together["entries"] == json.loads(json.dumps([e.to_dict() for e in alone.entries], default=str))
    assert together["problems"] == sorted(str(p) for p in alone.problems) and len(alone.errors) == 2
