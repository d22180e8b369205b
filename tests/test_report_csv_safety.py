"""`python -m bot report --csv` must never hand staff a live formula (OWASP CSV injection): the
questions in it are whatever citizens typed."""
from __future__ import annotations

import csv

import pytest

from bot.cli import main
from bot.staff.report import spreadsheet_text
from bot.store.sqlite import Store

HOSTILE = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1:A2)", "\tTAB", "\r=1+1"]


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_starts_are_quoted(text):
    assert spreadsheet_text(text) == "'" + text


@pytest.mark.parametrize("value", ["城铁票价多少", "a=b", "", 42, -3.5, None])
def test_other_cells_are_left_alone(value):
    assert spreadsheet_text(value) == value


def test_report_csv_has_no_formula_cell(tmp_path, monkeypatch):
    monkeypatch.setenv("FAQ_DIR", str(tmp_path / "nofaq"))
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    store = Store(tmp_path / "data" / "bot.sqlite")
    for text in HOSTILE + ["城铁票价多少"]:
        store.log_message(user="a" * 32, msg_type="text", text=text, outcome="fallback", score=10.0)
    store.close()
    out = tmp_path / "report.csv"
    assert main(["report", "--csv", str(out)]) == 0
    with open(out, encoding="utf-8-sig", newline="") as fh:
        cells = [cell for row in csv.reader(fh) for cell in row]
    assert "'@SUM(A1:A2)" in cells
    assert "'=HYPERLINK(\"http://x\",\"y\")" in cells
    assert "城铁票价多少" in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
