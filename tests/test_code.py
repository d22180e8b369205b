"""The code's own checks, run with the suite so CI enforces them: ruff is clean, and no
function is rated D or worse (cyclomatic complexity above 20) by radon."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
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


# Which bot packages each layer may import: the tree says what runs on a message, and a
# new import that breaks the direction (content needing the engine, the engine needing a
# staff command) fails here instead of turning into a cycle later.
ALLOWED_IMPORTS = {
    "language": {"language"},
    "content": {"content", "language", "parallel"},
    "search": {"search", "content", "language", "parallel"},
    "store": {"store"},
    "answer": {"answer", "search", "content", "language", "store", "config"},
    "staff": {"staff", "answer", "search", "content", "language", "store", "config"},
}
RUNTIME = [ROOT / "server.py", *sorted((ROOT / "handlers").glob("*.py"))]


def _bot_imports(path: Path) -> set[str]:
    """The bot sub-packages (or top modules) a file imports: `from bot.answer.x import y` → answer."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = [node.module or ""] if isinstance(node, ast.ImportFrom) else \
            [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
        found |= {name.split(".")[1] for name in names if name.startswith("bot.")}
    return found


@pytest.mark.parametrize("layer", sorted(ALLOWED_IMPORTS))
def test_each_layer_imports_only_what_is_below_it(layer):
    wrong = {f"{path.relative_to(ROOT)} → bot.{name}" for path in sorted((ROOT / "bot" / layer).glob("*.py"))
             for name in _bot_imports(path) - ALLOWED_IMPORTS[layer]}
    assert wrong == set()


def test_what_runs_on_a_message_never_imports_staff_commands():
    assert {str(path.relative_to(ROOT)) for path in RUNTIME if "staff" in _bot_imports(path)} == set()
