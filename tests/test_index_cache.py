"""A damaged index cache is never trusted (issue 12, item 4): whatever happened to the file on
disk, the next open rebuilds it and every question gets the right answer."""
from __future__ import annotations

import logging
import os
import shutil
import sqlite3

import pytest

from bot.answer.engine import Engine
from bot.search.cache import cache_path, file_sum, open_or_build
from bot.search.index import Index

QUESTIONS = {"城铁末班车几点": "ct-mobanche", "城铁首班车几点": "ct-shoubanche", "株洲有多少个老年食堂": "yl-canteen"}


def _truncate(path):
    with open(path, "r+b") as fh:
        fh.truncate(os.path.getsize(path) // 2)


def _overwrite_middle(path):
    with open(path, "r+b") as fh:
        fh.seek(os.path.getsize(path) // 2)
        fh.write(os.urandom(4096))


def _zero_bytes(path):
    path.write_bytes(b"")


def _zeroed_pages(path):
    path.write_bytes(bytes(os.path.getsize(path)))


def _wrong_tables(path):
    path.unlink()
    conn = sqlite3.connect(path)
    conn.execute("create table meta (key text, value text)")
    conn.execute("create table other (x)")
    conn.commit()
    conn.close()


def _edited_answer(path):
    """Still a perfectly good sqlite file, with another answer in it."""
    conn = sqlite3.connect(path)
    conn.execute("update entries set data = replace(data, '23时25分', '25时99分')")
    conn.commit()
    conn.close()


def _checksum_lost(path):
    path.with_name(path.name + ".sum").unlink()


DAMAGE = [_truncate, _overwrite_middle, _zero_bytes, _zeroed_pages, _wrong_tables, _edited_answer, _checksum_lost]


@pytest.fixture
def cached(faq_dir, tmp_path):
    """A fresh cache of the test FAQ, and the path of its index file."""
    cache_dir = tmp_path / "index"
    open_or_build(faq_dir, cache_dir).close()
    path = next(cache_dir.glob("index-*.sqlite"))
    assert path == cache_path(cache_dir, Index(path).fingerprint)
    return cache_dir, path


def _answers(index, base_config) -> dict[str, str | None]:
    engine = Engine(base_config, index=index)
    return {question: engine.ask(question).faq_id for question in QUESTIONS}


def test_a_whole_cache_is_opened_not_rebuilt(cached, faq_dir, caplog):
    cache_dir, path = cached
    before = path.stat().st_ino, file_sum(path)
    with caplog.at_level(logging.WARNING):
        open_or_build(faq_dir, cache_dir).close()
    assert (path.stat().st_ino, file_sum(path)) == before and "损坏" not in caplog.text


@pytest.mark.slow
@pytest.mark.parametrize("damage", DAMAGE, ids=lambda f: f.__name__.strip("_"))
def test_a_damaged_cache_is_rebuilt_and_answers_right(cached, faq_dir, base_config, damage, caplog):
    cache_dir, path = cached
    damage(path)
    with caplog.at_level(logging.WARNING, logger="bot.search"):
        index = open_or_build(faq_dir, cache_dir)
    assert "索引缓存文件已损坏，正在重建" in caplog.text
    assert path.with_name(path.name + ".sum").read_text().strip() == file_sum(path)
    assert _answers(index, base_config) == QUESTIONS
    assert "23时25分" in Engine(base_config, index=index).ask("城铁末班车几点").text
    open_or_build(faq_dir, cache_dir).close()  # and the rebuilt file is trusted from then on


def test_a_copied_cache_with_its_checksum_is_trusted(cached, faq_dir, tmp_path):
    """The checksum is of the content, not of where the file is: a copied DATA_DIR keeps its cache."""
    cache_dir, path = cached
    copy = tmp_path / "copy"
    shutil.copytree(cache_dir, copy)
    copied = next(copy.glob("index-*.sqlite"))
    inode = copied.stat().st_ino
    open_or_build(faq_dir, copy).close()
    assert copied.stat().st_ino == inode
