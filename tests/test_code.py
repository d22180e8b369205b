"""The code's own checks, run with the suite so CI enforces them: ruff is clean, and no
function is rated D or worse (cyclomatic complexity above 20) by radon."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from radon.complexity import cc_rank, cc_visit

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [*sorted((ROOT / "bot").rglob("*.py")), *sorted((ROOT / "handlers").rglob("*.py")), ROOT / "server.py"]


def test_ruff_check_is_clean():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--output-format", "concise", str(ROOT)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_function_is_rated_d_or_worse():
    complex_ones = [f"{path.relative_to(ROOT)}:{block.lineno} {block.fullname} {cc_rank(block.complexity)}"
                    f"({block.complexity})"
                    for path in SOURCES for block in cc_visit(path.read_text(encoding="utf-8"))
                    if cc_rank(block.complexity) not in "ABC"]
    assert complex_ones == []
