"""The webhook load benchmark, really run: gunicorn and wrk for a few seconds (needs `wrk`)."""
from __future__ import annotations

import json
import shutil

import pytest

from tests.bench import webhook


def test_gunicorn_command_follows_the_dockerfile():
    cmd = webhook.gunicorn_command(webhook.ECHO_APP, 8123)
    assert cmd[-1] == webhook.ECHO_APP and "gunicorn" in cmd
    assert cmd[cmd.index("-b") + 1] == "127.0.0.1:8123" and cmd[cmd.index("-w") + 1] == "2"


@pytest.mark.slow
def test_quick_webhook_bench(tmp_path, capsys):
    assert shutil.which("wrk"), "wrk is not installed: apt-get install wrk (.ci/run does)"
    out = tmp_path / "webhook.json"
    assert webhook.main(["--quick", "--no-10k", "--json", str(out)]) == 0
    table = capsys.readouterr().out
    assert "| app | req/s" in table and "| echo |" in table and "/api/ask p50" in table

    report = json.loads(out.read_text(encoding="utf-8"))
    echo, bot, decided = report["apps"]
    assert echo["app"] == "echo" and bot["app"].startswith("bot, bundled FAQ")
    assert "FIRST_REPLY_CACHE_MB=0" in decided["app"]
    for app in (echo, bot, decided):
        assert app["requests"] > 0 and app["rps_median"] > 0, app
        assert app["errors"] == 0, app
        assert app["p50_ms"] > 0 and app["p99_ms"] >= app["p50_ms"] and app["cpu_ms_per_request"] > 0
    assert bot["success"] == decided["success"] == 0  # a `success` instead of an answer is a question left unanswered
    assert report["sequential"]["ask_p50_ms"] > 0 and report["sequential"]["healthz_p50_ms"] > 0
