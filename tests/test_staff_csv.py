"""CSV for Excel: export → import → export is lossless; a bad row is refused with its row number."""
from __future__ import annotations

import argparse
import csv
from pathlib import Path

import pytest

from bot.cli import main
from bot.content.faq import load_faq
from bot.staff.csvio import COLUMNS, export_csv, import_csv
from bot.staff.faq_commands import cmd_faq_export_csv

TOPIC = """\
category: 城铁出行
entries:
  # a comment staff wrote
  - id: ct-mobanche
    question: 长株潭城铁末班车是几点？
    alternates:
      - 城铁最晚一班几点
      - 末班车 城铁
      - 晚上回株洲还有城际吗
    keywords: [末班车, 城铁]
    answer: 2021年5月8日起执行的运行图：末班车终到长沙为23时25分。
    detail: |
      第一行：长沙、株洲南、湘潭每日首发列车均在6时整点开出。
      第二行："引号" 与 | 竖线以外的符号：#、: 都要保留。
    examples:
      - 城际末班几点
    valid_until: 2030-12-31
    source: {report: 004_8a5375f89ad1b52e.txt, title: 株洲日报：城铁新运行图, date: 2021-05-08}
"""
OTHER = """\
category: 养老
entries:
  - id: ms-zhangzhe-canting
    question: 2025年株洲要建多少家长者餐厅？
    alternates: [长者餐厅 数量, 老人食堂建几家, '2025']
    answer: 据2025年株洲市政府工作报告，要建设“幸福食光”长者餐厅40家。
    source: {report: 003_3035eeaa2abfbad2.txt, title: 2025年株洲市政府工作报告, date: 2024-12-25}
"""


@pytest.fixture
def faq_dir(tmp_path):
    d = tmp_path / "faq"
    d.mkdir()
    (d / "chengtie.yaml").write_text(TOPIC, encoding="utf-8")
    (d / "yanglao.yaml").write_text(OTHER, encoding="utf-8")
    (d / "synonyms.yaml").write_text("synonyms:\n  - [末班车, 收班]\n", encoding="utf-8")
    return d


def _rows(path: Path) -> list[dict]:
    return list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines(keepends=True)))


def test_export_has_bom_and_one_row_per_entry(faq_dir, tmp_path):
    out = tmp_path / "faq.csv"
    assert export_csv(load_faq(faq_dir), out) == 2
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = _rows(out)
    assert list(rows[0]) == COLUMNS
    assert rows[0]["alternates"] == "城铁最晚一班几点 | 末班车 城铁 | 晚上回株洲还有城际吗"
    assert (rows[0]["source_report"], rows[0]["source_date"]) == ("004_8a5375f89ad1b52e.txt", "2021-05-08")


def test_round_trip_is_lossless(faq_dir, tmp_path):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    export_csv(load_faq(faq_dir), first)
    # Force a rewrite of every file: the round trip must survive our own YAML writer.
    for name in ("chengtie.yaml", "yanglao.yaml"):
        (faq_dir / name).write_text((faq_dir / name).read_text(encoding="utf-8") + "\n", encoding="utf-8")
    rows = first.read_text(encoding="utf-8-sig")
    edited = tmp_path / "edited.csv"
    edited.write_text(rows.replace("要建设“幸福食光”", "要建设“幸福食光” "), encoding="utf-8-sig")
    result = import_csv(edited, faq_dir)
    assert result.ok, result.errors
    assert result.changed == ["ms-zhangzhe-canting"] and "yanglao.yaml" in result.files
    result = import_csv(first, faq_dir)  # and back
    assert result.ok, result.errors
    export_csv(load_faq(faq_dir), second)
    assert first.read_bytes() == second.read_bytes()
    assert load_faq(faq_dir).errors == []


def test_unchanged_files_are_not_rewritten(faq_dir, tmp_path):
    out = tmp_path / "a.csv"
    export_csv(load_faq(faq_dir), out)
    result = import_csv(out, faq_dir)
    assert result.ok and result.files == {}
    assert "# a comment staff wrote" in (faq_dir / "chengtie.yaml").read_text(encoding="utf-8")


def test_import_adds_a_new_category_file(faq_dir, tmp_path, capsys, monkeypatch):
    out = tmp_path / "a.csv"
    export_csv(load_faq(faq_dir), out)
    rows = _rows(out)
    rows.append(dict(rows[1], id="jy-gongyi-gangwei", category="就业", question="公益性岗位安置多少人？",
                     answer="据2025年株洲市政府工作报告，开发公益性岗位托底安置就业困难人员、脱贫劳动力2000人以上。"))
    _write(out, rows)
    monkeypatch.setenv("FAQ_DIR", str(faq_dir))
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    assert main(["faq", "import", str(out), "--dry-run"]) == 0
    assert "新增 1 条" in capsys.readouterr().out and not (faq_dir / "jiuye.yaml").exists()
    assert main(["faq", "import", str(out)]) == 0
    faq = load_faq(faq_dir)
    assert not faq.errors and faq.by_id()["jy-gongyi-gangwei"].file == "jiuye.yaml"


def test_import_rejects_a_bad_row_and_changes_nothing(faq_dir, tmp_path, capsys, monkeypatch):
    out = tmp_path / "a.csv"
    export_csv(load_faq(faq_dir), out)
    rows = _rows(out)
    rows[1]["id"] = "Bad ID"            # row 3 of the sheet
    rows[0]["source_date"] = "明年"      # row 2
    _write(out, rows)
    before = {p.name: p.read_bytes() for p in faq_dir.iterdir()}
    monkeypatch.setenv("FAQ_DIR", str(faq_dir))
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    assert main(["faq", "import", str(out)]) == 1
    text = capsys.readouterr().out
    assert "第3行 [Bad ID]" in text and "id 只能使用小写字母" in text
    assert "第2行 [ct-mobanche]" in text and "source.date" in text
    assert "没有任何改动" in text
    assert {p.name: p.read_bytes() for p in faq_dir.iterdir()} == before


def test_import_rejects_a_wrong_header(faq_dir, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("编号,问题\nx,y\n", encoding="utf-8-sig")
    result = import_csv(bad, faq_dir)
    assert not result.ok and any("缺少列“id”" in e for e in result.errors)


def test_export_csv_command(faq_dir, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "x.csv"
    args = argparse.Namespace(faq_dir=str(faq_dir), out=str(out), csv=True)
    assert cmd_faq_export_csv(args) == 0
    assert "已导出 2 个条目" in capsys.readouterr().out and len(_rows(out)) == 2


def _write(path: Path, rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
