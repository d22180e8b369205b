"""The bundled FAQ itself: loads cleanly, every number stands in its cited report, every
question and example still reaches its own entry."""
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import PROJECT_ROOT

REPORTS = PROJECT_ROOT.parent / "shared" / "reports"


def test_bundled_faq_passes_check_with_examples(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FAQ_DIR", str(PROJECT_ROOT / "faq_data"))
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    assert main(["faq", "check", "--quiet"]) == 0, capsys.readouterr().out


@pytest.mark.skipif(not REPORTS.is_dir(), reason="the source reports (../shared/reports) are not beside this checkout")
def test_every_number_in_the_bundled_faq_stands_in_its_report(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FAQ_DIR", str(PROJECT_ROOT / "faq_data"))
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    assert main(["faq", "check", "--sources", str(REPORTS), "--no-examples", "--quiet"]) == 0, capsys.readouterr().out


def test_no_invented_links_or_phone_numbers():
    for path in Path(PROJECT_ROOT / "faq_data").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert "http" not in text, path  # the reports give no URLs
        assert "12306" not in text and "12345" not in text, path
