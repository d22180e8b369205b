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


def _questions_terms(index: Index) -> list[tuple[list[str], list[str]]]:
    from bot.answer.matcher import understand
    return [(q.search_words, q.grams) for q in (understand(index, e.question) for e in index.entries())]


def test_bm25_sums_the_same_floats_in_arrays_of_the_postings_size(shared_index, monkeypatch):
    """Large FAQs sum each entry's scores over the sorted rowids instead of arrays of the FAQ's
    size (bm25.SIZED_ARRAYS_MAX_ENTRIES): the same candidates and the same scores, bit for bit."""
    from bot.search import bm25
    pairs = [[*(("words", w) for w in words), *(("sounds", g) for g in grams)]
             for words, grams in _questions_terms(shared_index)]
    mask = shared_index._category_mask(shared_index.categories[0])
    def ranked():
        engine = shared_index._bm25
        return [(engine.rank(p, 12), engine.rank(p, 12, require_all=True), engine.rank(p, 5, allowed=mask))
                for p in pairs]
    sized = ranked()
    monkeypatch.setattr(bm25, "SIZED_ARRAYS_MAX_ENTRIES", 0)
    assert ranked() == sized and any(hits for hits, _, _ in sized)


def test_a_search_asked_again_is_remembered_and_the_same(shared_index):
    for words, grams in _questions_terms(shared_index)[:50]:
        first = shared_index.search(words, grams, limit=12)
        assert shared_index.search(words, grams, limit=12) == first == shared_index._search(words, grams, 12, None, None)
    assert len(shared_index._searched) >= 1


def test_search_terms_keys_tell_every_pair_of_term_lists_apart():
    from bot.search.index import _terms_key
    assert _terms_key([], ["a"], 12, None) != _terms_key([""], ["a"], 12, None)
    assert _terms_key(["a", "b"], [], 12, None) != _terms_key(["a b"], [], 12, None)
    assert _terms_key(["a\x1fb"], [], 12, None) is None  # would read as ["a", "b"]: not remembered


def test_a_records_answer_states_are_what_its_answer_states(shared_index):
    from bot.language.asks import stated
    for rowid in range(1, shared_index.size + 1):
        record = shared_index.record(rowid)
        assert frozenset(record.answer_states) == stated(record.entry.answer)


def test_a_preloaded_index_finds_exact_phrasings_as_the_table_does(shared_index):
    table = dict(shared_index._db().execute("select text, rowid from phrasings").fetchall())
    shared_index.preload(pause=0)
    assert shared_index._exact == table
    assert all(shared_index.exact(text) == rowid for text, rowid in list(table.items())[:100])


def test_preloaded_postings_rank_as_those_read_when_asked(shared_index):
    """Index.preload ranks every term's postings into memory (Bm25.preload): the same candidates
    and scores, bit for bit, as postings read from sqlite when a question first needs them."""
    from bot.search.bm25 import Bm25
    pairs = [[*(("words", w) for w in words), *(("sounds", g) for g in grams)]
             for words, grams in _questions_terms(shared_index)]
    asked = Bm25(shared_index._db)
    read_when_asked = [asked.rank(p, 12) for p in pairs]
    preloaded = Bm25(shared_index._db)
    assert preloaded.preload(pause=0) == shared_index._db().execute("select count(*) from postings").fetchone()[0]
    assert [preloaded.rank(p, 12) for p in pairs] == read_when_asked and any(read_when_asked)
