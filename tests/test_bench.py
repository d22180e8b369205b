"""The bench's FAQ generator and a tiny bench run (no server, a few queries)."""
from __future__ import annotations

import json

import pytest

from bot.content.faq import load_faq
from tests.bench import bench


def _files(directory):
    return {p.name: p.read_bytes() for p in sorted(directory.glob("*.yaml"))}


def test_generator_is_deterministic_and_loads(tmp_path):
    a = bench.generate_faq(tmp_path / "a", 1500, seed=3)
    b = bench.generate_faq(tmp_path / "b", 1500, seed=3)
    assert _files(a) == _files(b)
    assert _files(a) != _files(bench.generate_faq(tmp_path / "c", 1500, seed=4))
    assert len(_files(a)) == len(bench.TOPICS)  # 150 entries per topic file

    faq = load_faq(a)
    assert faq.problems == []
    assert len(faq.entries) == 1500
    assert len({e.category for e in faq.entries}) == len(bench.TOPICS)
    entry = faq.entries[0]
    assert entry.alternates and entry.keywords and entry.source["date"] and entry.line > 0

    entries = [(0, {"id": e.id, "question": e.question, "alternates": e.alternates}) for e in faq.entries]
    queries = bench.generate_queries(entries, 40)
    assert queries == bench.generate_queries(entries, 40)
    assert {q["query_type"] for q in queries} == {"exact", "typo", "oos"}


@pytest.mark.slow
def test_tiny_bench_prints_table(tmp_path, capsys):
    assert bench.main(["--sizes", "30", "--queries", "8", "--repeat", "1", "--no-server",
                 "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "| 条目数 |" in out and "| 30 |" in out
    report = json.loads((tmp_path / "bench.json").read_text(encoding="utf-8"))
    row = report["rows"][0]
    assert row["entries"] == 30 and row["p99_ms"] > 0 and row["cold_cached_s"] > 0 and row["rss_cold_mb"] > 0
