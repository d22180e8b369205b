"""Who may read what the service writes in DATA_DIR: only the service's own user.

The message log, the conversation state, the hash key and the index cache are private: files
0600, folders 0700. New files are created with these modes (os.open, mkstemp; sqlite gives its
-wal and -shm files the mode of the database file), and `make_private` corrects the modes of
files an older version, or a hand-copied backup, left readable by others.
"""
from __future__ import annotations

import logging
import os
import stat
import tempfile
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700

log = logging.getLogger("bot.store")


def create_private(path: Path) -> None:
    """Create `path` empty with mode 0600 unless it exists (two workers may race: both succeed)."""
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, PRIVATE_FILE))


def write_private(path: Path, text: str) -> None:
    """Replace `path` by `text` atomically (readers see the old or the new file), mode 0600."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")  # mkstemp: 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def make_private(directory: Path) -> int:
    """Give `directory`, and every folder and file under it, the private modes; returns how many
    modes were changed. A file this user cannot change (another owner) is logged, not fatal."""
    changed = 0
    for path in [Path(directory), *Path(directory).rglob("*")]:
        try:
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode):
                continue
            wanted = PRIVATE_DIR if stat.S_ISDIR(mode) else PRIVATE_FILE
            if stat.S_IMODE(mode) != wanted:
                path.chmod(wanted)
                changed += 1
        except FileNotFoundError:  # a temporary file gone meanwhile
            continue
        except OSError as exc:
            log.warning("cannot make %s private (%s): others may read it", path.name, exc.strerror or exc)
    return changed
