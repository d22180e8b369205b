"""The search index package: its records, and the cache version that covers its code."""
from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from bot.search import cache
from bot.search.cache import index_version, used_modules
from bot.search.index import Index
from bot.search.record import COLUMNS, STORED, Record, Variant, decode, encode, from_cache

ROOT = Path(__file__).resolve().parent.parent
SEARCH = sorted((ROOT / "bot" / "search").glob("*.py"))


def _stored_row(index: Index, rowid: int) -> dict:
    row = index._db().execute(f"select {', '.join(STORED)} from entries where rowid = ?", (rowid,)).fetchone()
    return {name: row[name] for name in STORED}


def test_a_stored_row_is_its_records_encoding(shared_index):
    for rowid in range(1, shared_index.size + 1):
        row = _stored_row(shared_index, rowid)
        record = from_cache(decode(row, shared_index.word_weight))
        assert record == shared_index.record(rowid) and record.rowid == rowid
        assert encode(record) == tuple(row.values())


def test_records_are_decoded_with_the_index_word_weights(shared_index):
    record = shared_index.record(1)
    assert record.phrasings and all(isinstance(v, Variant) for v in record.phrasings)
    for variant in record.phrasings:
        assert variant.weights == tuple(shared_index.word_weight(w) for w in variant.words)
        assert variant.total == sum(variant.weights)
        assert len(set(variant.words)) == len(variant.words)
    assert record.words == (*(w for v in record.phrasings for w in v.words), *record.keywords)


def test_the_cached_form_of_a_record_holds_only_plain_tuples(shared_index):
    row = _stored_row(shared_index, 1)
    cached = decode(row, shared_index.word_weight)

    def plain(value):
        return type(value) is tuple and all(plain(v) for v in value) or isinstance(value, str | int | float | None)

    assert plain(cached) and len(cached) == len(Record._fields)


def test_every_record_field_is_stored_or_derived():
    assert set(COLUMNS) <= set(Record._fields)
    assert len(STORED) == len(set(STORED))


def _bot_imports(path: Path) -> set[str]:
    """The bot modules a source file imports (a name imported from a package may be a module)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("bot."):
            names.update(f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in sys.modules else node.module
                         for a in node.names)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names if a.name.startswith("bot."))
    return names


def test_the_index_version_covers_every_module_the_index_uses():
    used = used_modules(cache.__name__)
    search = {f"bot.search.{path.stem}" for path in SEARCH if path.stem != "__init__"}
    assert search <= used
    for name in sorted(search):
        assert _bot_imports(Path(sys.modules[name].__file__)) <= used, name
    assert {"bot.language.textnorm", "bot.language.features", "bot.parallel", "bot.content.model"} <= used


@pytest.mark.parametrize("path", [*SEARCH, ROOT / "bot" / "parallel.py"], ids=lambda p: p.name)
def test_no_import_hides_inside_a_function(path):
    """index_version follows module-level names: an import in a function would not be seen."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    hidden = [f"{path.name}:{node.lineno}" for function in ast.walk(tree)
              if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
              for node in ast.walk(function) if isinstance(node, ast.Import | ast.ImportFrom)]
    assert hidden == []


@pytest.mark.parametrize("module", ["bot.search.record", "bot.search.build", "bot.language.textnorm"])
def test_the_index_version_changes_with_the_source_of_a_used_module(module, tmp_path, monkeypatch):
    before = index_version.__wrapped__()
    assert before == index_version()
    changed = tmp_path / "changed.py"
    changed.write_bytes(Path(sys.modules[module].__file__).read_bytes() + b"\n# changed\n")
    monkeypatch.setattr(sys.modules[module], "__file__", str(changed))
    assert index_version.__wrapped__() != before
    monkeypatch.undo()
    assert index_version.__wrapped__() == before


def test_the_cache_file_is_named_by_the_version(tmp_path):
    assert cache.cache_path(tmp_path, "f" * 40).name == f"index-{'f' * 20}-v{index_version()}.sqlite"
