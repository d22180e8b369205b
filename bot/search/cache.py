"""The built index kept on disk, by the FAQ's content and the code's version.

A build costs seconds at 10k entries (build.py), so the index is kept in a sqlite file named by
the FAQ files' fingerprint and by `index_version`: a restart, or another gunicorn worker, opens
it instead of rebuilding, and a change to the code that builds or reads it is never served an
index the old code built.

A file damaged on disk (truncated, overwritten, replaced) is never trusted: its size and CRC-32
are written beside it (`.sum`) once it is built, and checked when it is opened (~0.2 s for the
600 MB index of 100k entries); a file that fails is rebuilt. One process builds at a time (a lock
file beside it): another worker starting meanwhile waits and opens the finished file.
"""
from __future__ import annotations

import fcntl
import functools
import hashlib
import json
import logging
import os
import sqlite3
import sys
import time
import types
import zlib
from collections.abc import Callable
from pathlib import Path

from bot.content.faq import fingerprint, load_faq
from bot.content.model import Faq
from bot.search.build import build_index
from bot.search.index import Index

log = logging.getLogger("bot.search")
CHUNK = 1 << 20


def cache_path(cache_dir: Path, faq_fingerprint: str) -> Path:
    """Where the index of FAQ content with this fingerprint is kept."""
    return Path(cache_dir) / f"index-{faq_fingerprint[:20]}-v{index_version()}.sqlite"


def open_or_build(faq_dir: Path, cache_dir: Path, load: Callable[[Path], Faq] | None = None) -> Index:
    """Open the cached index of this FAQ content, building it first when there is none or the
    file on disk is not the one that was built."""
    cache_dir = Path(cache_dir)
    path = cache_path(cache_dir, fingerprint(Path(faq_dir)))
    index = _open_verified(path)
    if index is not None:
        return index
    cache_dir.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # DATA_DIR/index/checked-…: private
    cache_dir.mkdir(mode=0o700, exist_ok=True)
    lock_fd = os.open(path.with_name(path.name + ".lock"), os.O_CREAT | os.O_WRONLY, 0o600)
    with os.fdopen(lock_fd, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        index = _open_verified(path)  # another process may have built it while we waited
        if index is not None:
            return index
        if path.exists():
            log.warning("索引缓存文件已损坏，正在重建：%s", path.name)
        # Loaded here, the FAQ is ours to consume; a caller's own (`load`) is left whole.
        index = build_index((load or load_faq)(faq_dir), path, consume=load is None,
                            meta={"version": index_version()})
        _write_sum(path)
    _remove_stale(cache_dir, keep=path)
    return index


def _open_verified(path: Path) -> Index | None:
    """The index at `path` when it is whole (the checksum written at build time matches and it
    opens), else None."""
    try:
        if _sum_path(path).read_text().strip() != file_sum(path):
            return None
        return Index(path)
    except (OSError, sqlite3.DatabaseError, KeyError, ValueError, TypeError, json.JSONDecodeError):
        return None


def file_sum(path: Path) -> str:
    """Size and CRC-32 of a file: enough to tell a damaged file (this is no defence against
    someone who can write DATA_DIR, who could write the checksum too)."""
    crc = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            crc = zlib.crc32(chunk, crc)
    return f"{os.path.getsize(path)} {crc:08x}"


def _sum_path(path: Path) -> Path:
    return path.with_name(path.name + ".sum")


def _write_sum(path: Path) -> None:
    tmp = path.with_name(f".{path.name}.sum.{os.getpid()}.tmp")
    with os.fdopen(os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600), "w") as out:  # private, as DATA_DIR
        out.write(file_sum(path) + "\n")
    os.replace(tmp, _sum_path(path))


def _remove_stale(cache_dir: Path, keep: Path) -> None:
    """Old index files are dropped once a newer one exists (a worker may still read one: unlink is safe)."""
    for old in cache_dir.glob("index-*.sqlite"):
        if old != keep and time.time() - old.stat().st_mtime > 60:
            for stale in (old, _sum_path(old), old.with_name(old.name + ".lock")):
                stale.unlink(missing_ok=True)


@functools.cache
def index_version() -> str:
    """A digest of the source of this module and of every bot module it uses (the builder, the
    reader, and what they use in turn): a change to how text is normalised, segmented or stored
    must not reuse an index built by the old code, and a module moved or added is covered
    without a list of file names to keep up to date."""
    digest = hashlib.sha256()
    for name in sorted(used_modules(__name__)):
        digest.update(name.encode() + b"\0" + Path(sys.modules[name].__file__).read_bytes())
    return digest.hexdigest()[:8]


def used_modules(root: str) -> set[str]:
    """`root` and the bot modules it uses, found by following what each module's names come
    from (which is why no module here imports inside a function)."""
    seen, todo = set(), [root]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for value in vars(sys.modules[name]).values():
            origin = value.__name__ if isinstance(value, types.ModuleType) else getattr(value, "__module__", None)
            if isinstance(origin, str) and origin.startswith("bot.") and origin in sys.modules:
                todo.append(origin)
    return seen
