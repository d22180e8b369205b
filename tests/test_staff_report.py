"""`python -m bot report` on a real message log (Store.log_message into a sqlite file)."""
from __future__ import annotations

import csv
import datetime as dt
import json
import sqlite3
import time

import pytest

from bot.cli import main
from bot.staff.report import cluster_questions, parse_since
from bot.store.sqlite import Store

FAQ = """\
category: 城铁出行
entries:
  - id: ct-mobanche
    question: 长株潭城铁末班车是几点？
    alternates: [城铁最晚一班几点, 末班车 城铁, 晚上回株洲还有城际吗]
    answer: 2021年5月8日起执行的运行图：末班车终到长沙为23时25分。
    source: {report: 004_8a5375f89ad1b52e.txt, title: 株洲日报：城铁新运行图, date: 2021-05-08}
"""
USER_A, USER_B = "a" * 32, "b" * 32  # keyed hashes, as the log holds them


@pytest.fixture
def env(tmp_path, monkeypatch):
    (tmp_path / "faq").mkdir()
    (tmp_path / "faq" / "chengtie.yaml").write_text(FAQ, encoding="utf-8")
    monkeypatch.setenv("FAQ_DIR", str(tmp_path / "faq"))
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    store = Store(tmp_path / "data" / "bot.sqlite")
    log = [
        ("城铁末班车几点", "answer", "ct-mobanche", 90.0, USER_A),
        ("城铁最晚一班几点", "answer", "ct-mobanche", 85.0, USER_B),
        ("末班车几点", "answer", "ct-mobanche", 64.0, USER_A),      # low confidence
        ("城铁票价多少", "fallback", None, 30.0, USER_A),
        ("城铁票价多少钱", "fallback", None, 35.0, USER_B),
        ("请问城铁票价是多少", "fallback", None, 33.0, USER_B),
        ("公积金怎么提取", "fallback", None, 12.0, USER_A),
        ("城铁几点", "clarify", None, 58.0, USER_B),
        ("你好", "rule", None, None, USER_A),
    ]
    for text, outcome, faq_id, score, user in log:
        store.log_message(user=user, msg_type="text", text=text, outcome=outcome, faq_id=faq_id, score=score,
                          latency_ms=3.0)
    # One older message, on another day and outside --since 24h.
    store.log_message(user=USER_A, msg_type="text", text="城铁票价", outcome="fallback", score=20.0)
    store.flush()  # the log is written by a background thread
    with sqlite3.connect(tmp_path / "data" / "bot.sqlite") as db:
        db.execute("update messages set ts = ? where id = (select max(id) from messages)", [time.time() - 3 * 86400])
    return tmp_path


def test_parse_since():
    now = 1_000_000.0
    assert parse_since("7d", now) == now - 7 * 86400
    assert parse_since("24h", now) == now - 86400
    assert parse_since("2026-11-01") == dt.datetime(2026, 11, 1).timestamp()
    with pytest.raises(ValueError):
        parse_since("last week")


def test_report_rates_top_entries_and_groups(env, capsys):
    assert main(["report", "--since", "24h", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["messages"] == 9 and data["questions"] == 8 and data["users"] == 2
    assert data["answer_rate"] == 37.5 and data["clarify_rate"] == 12.5 and data["fallback_rate"] == 50.0
    assert data["top_entries"] == [{"faq_id": "ct-mobanche", "question": "长株潭城铁末班车是几点？", "count": 3}]
    assert data["low_confidence_answers"] == 1
    groups = {g["example"]: g for g in data["to_add"]}
    fare = next(g for g in data["to_add"] if "票价" in g["example"])
    assert fare["count"] == 3 and fare["users"] == 2  # three wordings, one group
    assert "公积金怎么提取" in groups and groups["公积金怎么提取"]["count"] == 1
    assert any(g["outcomes"].get("answer") for g in data["to_add"])  # the low-score answer is listed
    assert data["to_add"][0] is fare or data["to_add"][0]["count"] >= 3
    assert not any(USER_A in json.dumps(g) for g in data["to_add"])  # counts only, never user keys


def test_report_since_takes_older_days(env, capsys):
    main(["report", "--since", "7d", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert data["messages"] == 10 and len(data["per_day"]) == 2
    fare = next(g for g in data["to_add"] if "票价" in g["example"])
    assert fare["count"] == 4


def test_report_text_and_csv_with_bom(env, capsys):
    out_csv = env / "report.csv"
    assert main(["report", "--csv", str(out_csv)]) == 0
    text = capsys.readouterr().out
    assert "回答率" in text and "城铁票价多少" in text and "— 4 次" in text
    raw = out_csv.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel needs the BOM to read UTF-8
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0][0] == "每日统计"
    assert any(r and r[0].startswith("城铁票价") and r[1] == "4" for r in rows)


def test_report_on_an_empty_log(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("FAQ_DIR", str(tmp_path / "nofaq"))
    monkeypatch.chdir(tmp_path)
    assert main(["report"]) == 0
    assert "这段时间没有消息" in capsys.readouterr().out


def test_clustering_keeps_different_questions_apart():
    msgs = [{"text": t, "user": "u", "outcome": "fallback"} for t in
            ["城铁票价多少", "城铁票价是多少钱", "公积金怎么提取", "公积金提取流程", "医保报销比例"]]
    groups = cluster_questions(msgs)
    assert len(groups) == 3
