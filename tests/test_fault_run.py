"""The bounded fault run of tests/bench/faults.py at a reduced size: real gunicorn on a real
tmpfs, a worker SIGKILLed mid-request, the disk filled, bot.sqlite locked, while signed pushes
and their re-deliveries come from several threads. No message may be lost or processed twice
(twice is allowed only while bot.sqlite cannot be written: then every delivery answers)."""
from __future__ import annotations

import pytest

from tests.bench.faults import MountRefused, fault_run

pytestmark = pytest.mark.slow


def test_a_small_fault_run_loses_and_doubles_nothing(tmp_path):
    try:
        summary = fault_run(tmp_path, count=120, duration=12, threads=6, hold_s=2.5)
    except MountRefused as exc:
        pytest.skip(f"cannot mount a tmpfs here (the run needs root): {exc}")
    events = "\n".join(summary["events"])
    assert "SIGKILL" in events and "磁盘写满" in events and "BEGIN EXCLUSIVE" in events, events
    outcomes = summary["outcomes"]
    assert summary["lost"] == 0, summary
    assert summary["doubled"] == 0, summary["doubled_lines"]
    assert outcomes.get("5xx", 0) == 0 and outcomes.get("success", 0) == 0, summary
    assert summary["dropped_answered"] == summary["dropped_messages"], summary  # WeChat's retry answered
    assert summary["store_write_failures"] > 0, summary  # the disk and the lock were felt
