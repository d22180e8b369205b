"""`faq test` and `faq reload` through the real CLI, on a tiny FAQ of our own in tmp_path."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main

CHENGTIE = """\
category: 城铁出行
entries:
  - id: ct-mobanche
    question: 长株潭城铁末班车是几点？
    alternates:
      - 城铁最晚一班几点
      - 末班车 城铁 长沙
      - 晚上加班回株洲还有城际吗
    keywords: [末班车, 城铁]
    answer: 2021年5月8日起执行的长株潭城际铁路运行图：末班车终到长沙为23时25分。现行时刻请以铁路12306查询为准。
    source: {report: 004_8a5375f89ad1b52e.txt, title: 株洲日报：长株潭城际铁路新运行图, date: 2021-05-08}

  - id: ct-shoubanche
    question: 长株潭城铁早上首班车几点开？
    alternates:
      - 城铁最早一班几点
      - 首班车 城铁 株洲南
      - 早上赶去长沙上班城际最早几点
    keywords: [首班车, 城铁]
    answer: 2021年5月8日起执行的长株潭城际铁路运行图：长沙、株洲南、湘潭每日首发列车均在6时整点开出。\
现行时刻请以铁路12306查询为准。
    source: {report: 004_8a5375f89ad1b52e.txt, title: 株洲日报：长株潭城际铁路新运行图, date: 2021-05-08}
"""
YANGLAO = """\
category: 养老
entries:
  - id: ms-zhangzhe-canting
    question: 2025年株洲要建多少家“幸福食光”长者餐厅？
    alternates:
      - 老人吃饭的食堂今年建几家
      - 长者餐厅 数量
      - 家里老人做饭不方便，有没有助餐的地方
    keywords: [长者餐厅, 幸福食光]
    answer: 据2025年株洲市政府工作报告，2025年要建设“幸福食光”长者餐厅40家。
    source: {report: 003_3035eeaa2abfbad2.txt, title: 2025年株洲市政府工作报告, date: 2024-12-25}
"""


def make_faq(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    (path / "chengtie.yaml").write_text(CHENGTIE, encoding="utf-8")
    (path / "yanglao.yaml").write_text(YANGLAO, encoding="utf-8")
    (path / "synonyms.yaml").write_text("synonyms:\n  - [末班车, 收班, 最晚一班]\n", encoding="utf-8")
    return path


@pytest.fixture
def env(tmp_path, monkeypatch):
    faq_dir = make_faq(tmp_path / "faq")
    data_dir = tmp_path / "data"
    monkeypatch.setenv("FAQ_DIR", str(faq_dir))
    monkeypatch.setenv("DATA_DIR", str(data_dir))
    monkeypatch.chdir(tmp_path)  # no stray .env from the checkout
    return faq_dir, data_dir


def test_faq_test_shows_candidates_decision_and_reply(env, capsys):
    assert main(["faq", "test", "城铁几点收班"]) == 0
    out = capsys.readouterr().out
    assert "判定：直接回答 → ct-mobanche" in out
    assert "原因：" in out and "候选条目（前5）" in out
    assert "ct-shoubanche" in out  # the runner-up is shown with its score
    assert "市民将收到：" in out and "23时25分" in out and "（来源：株洲日报" in out


def test_faq_test_json(env, capsys):
    assert main(["faq", "test", "城铁几点收班", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["kind"] == "answer" and data["faq_id"] == "ct-mobanche"
    assert data["reason"] and data["candidates"][0]["faq_id"] == "ct-mobanche"
    assert {"similarity", "coverage", "keyword_hit"} <= set(data["candidates"][0])
    assert data["candidates"][0]["score"] > data["candidates"][1]["score"]


def test_faq_test_fallback_is_explained(env, capsys):
    main(["faq", "test", "明天天气怎么样"])
    out = capsys.readouterr().out
    assert "判定：无法回答" in out and "抱歉" in out


@pytest.mark.slow
def test_reload_builds_the_index_cache(env, capsys):
    faq_dir, data_dir = env
    assert main(["faq", "reload"]) == 0
    out = capsys.readouterr().out
    assert "已重建索引" in out and "3 个条目" in out
    assert len(list((data_dir / "index").glob("index-*.sqlite"))) == 1
    # A second run finds the cache; an edit is reported as a change.
    text = (faq_dir / "yanglao.yaml").read_text(encoding="utf-8").replace("长者餐厅40家", "长者餐厅40家（新）")
    (faq_dir / "yanglao.yaml").write_text(text, encoding="utf-8")
    assert main(["faq", "reload"]) == 0
    out = capsys.readouterr().out
    assert "修改 1 条" in out and "ms-zhangzhe-canting" in out


def test_reload_refuses_a_broken_edit(env, capsys):
    faq_dir, data_dir = env
    (faq_dir / "yanglao.yaml").write_text(YANGLAO.replace("    question:", "    question 没有冒号"), encoding="utf-8")
    assert main(["faq", "reload"]) == 1
    out = capsys.readouterr().out
    assert "错误：yanglao.yaml 第" in out and "未重新加载" in out
    assert not list((data_dir / "index").glob("index-*.sqlite")) if (data_dir / "index").exists() else True


def test_reload_strict_refuses_an_example_regression(env, capsys):
    faq_dir, data_dir = env
    text = YANGLAO.replace("    source:", "    examples:\n      - 城铁末班车几点\n    source:")
    (faq_dir / "yanglao.yaml").write_text(text, encoding="utf-8")
    assert main(["faq", "reload", "--strict"]) == 1
    out = capsys.readouterr().out
    assert "示例问题“城铁末班车几点”没有匹配到本条" in out and "--strict" in out
