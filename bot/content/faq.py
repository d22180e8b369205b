"""Loading the files staff edit in `faq_data/`, with file and line for every problem.

A directory holds topic files (`*.yaml` with `category` and `entries`, bot.content.entries), and
optionally `keywords.yaml` (auto-reply rules, menu replies, welcome/help/fallback texts) and
`synonyms.yaml` (bot.content.keywords), `menu.yaml` (the custom menu's buttons, bot.content.menu),
`needs.yaml` (bot.content.needs) and `userdict.txt` (extra words for jieba). What they load into
is in bot.content.model.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from bot.content.checks import check_sources
from bot.content.entries import load_topic
from bot.content.keywords import load_keywords, load_synonyms
from bot.content.menu import check_menu, load_menu
from bot.content.model import Entry, Faq, Problem
from bot.content.needs import load_needs
from bot.content.service import check_hot_ids, load_hot
from bot.content.yamlread import UNREADABLE, read_yaml
from bot.language.textnorm import normalize
from bot.parallel import can_fork, fork_map

USER_DICT = "userdict.txt"
# The files that are not topic files, and what reads each one's parsed document.
SETTINGS_FILES = {"keywords.yaml": load_keywords, "synonyms.yaml": load_synonyms, "menu.yaml": load_menu,
                  "hot.yaml": load_hot}
SPECIAL_FILES = {*SETTINGS_FILES, "needs.yaml"}

# Topic files are parsed in parallel once there is this much YAML: libyaml takes ~0.2 s per MB,
# most of a cold start on a 10k-entry FAQ; below it, starting processes costs more than it saves.
PARALLEL_YAML_BYTES = 4_000_000


def fingerprint(directory: Path) -> str:
    """A hash of every file's name and content: the key for caches and reload checks."""
    digest = hashlib.sha256()
    for path in _faq_files(directory):
        try:
            content = path.read_bytes()
        except FileNotFoundError:  # deleted while we listed the folder: staff are editing it
            continue
        digest.update(path.name.encode())
        digest.update(content)
    return digest.hexdigest()


def _faq_files(directory: Path) -> list[Path]:
    return sorted([*directory.glob("*.yaml"), *directory.glob("*.yml"), *directory.glob(USER_DICT)])


def load_faq(directory: str | Path, reports_dir: str | Path | None = None) -> Faq:
    """Read every file; problems are collected on `faq.problems`, never raised. With
    `reports_dir` (REPORTS_DIR), an entry whose numbers its cited report does not bear out is
    left out, with an error naming it, as an entry with a broken field is."""
    directory = Path(directory)
    faq = Faq(directory=directory, loaded_at=dt.datetime.now(dt.UTC))
    problems = faq.problems
    if not directory.is_dir():
        problems.append(Problem(str(directory), None, "FAQ目录不存在"))
        return faq
    faq.fingerprint = fingerprint(directory)
    paths = _faq_files(directory)
    topics = [p for p in paths if p.name not in SPECIAL_FILES and p.name != USER_DICT]
    for entries, file_problems in _map_topics(topics):
        faq.entries.extend(entries)
        problems.extend(file_problems)
    for path in paths:
        if path.name == USER_DICT:
            faq.user_words = _load_user_words(path, problems)
        elif path.name == "needs.yaml":
            faq.needs, messages = load_needs(path)
            problems.extend(Problem(path.name, None, m.removeprefix(path.name).lstrip("：").strip())
                            for m in messages)
        elif path.name in SETTINGS_FILES and (data := read_yaml(path, problems)) is not UNREADABLE:
            SETTINGS_FILES[path.name](path, data, faq, problems)
    check_menu(faq)
    _check_duplicates(faq)
    check_hot_ids(faq)
    if reports_dir is not None:
        _drop_unsupported(faq, Path(reports_dir))
    return faq


def _drop_unsupported(faq: Faq, reports_dir: Path) -> None:
    """Leave out the entries whose numbers their cited report does not bear out."""
    problems = check_sources(faq, reports_dir)
    faq.problems.extend(problems)
    failed = {p.entry_id for p in problems if p.entry_id and p.level == "error"}
    faq.entries = [e for e in faq.entries if e.id not in failed]


def _load_topic_file(path: Path) -> tuple[list[Entry], list[Problem]]:
    problems: list[Problem] = []
    data = read_yaml(path, problems)
    return ([] if data is UNREADABLE else load_topic(path, data, problems)), problems


def _map_topics(paths: list[Path]):
    """_load_topic_file over the files, in order; in worker processes when they are large."""
    if can_fork() and len(paths) > 1 and sum(p.stat().st_size for p in paths) >= PARALLEL_YAML_BYTES:
        return fork_map(_load_topic_file, paths)
    return map(_load_topic_file, paths)


def _load_user_words(path: Path, problems: list[Problem]) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[:exc.start].count(b"\n") + 1
        problems.append(Problem(path.name, line, "不是UTF-8编码：请用记事本“另存为”UTF-8后再保存"))
        return []
    words = []
    for line in text.splitlines():
        word = line.split("#", 1)[0].strip().split(" ")[0]
        if word:
            words.append(word)
    return words


def _check_duplicates(faq: Faq) -> None:
    seen_ids: dict[str, Entry] = {}
    seen_questions: dict[str, Entry] = {}
    for entry in faq.entries:
        if entry.id in seen_ids:
            first = seen_ids[entry.id]
            faq.problems.append(Problem(entry.file, entry.line, f"id 重复：已在 {first.file} 第{first.line}行使用",
                                        entry.id))
        seen_ids.setdefault(entry.id, entry)
        key = normalize(entry.question)
        if key in seen_questions and seen_questions[key].id != entry.id:
            first = seen_questions[key]
            faq.problems.append(Problem(entry.file, entry.line,
                                        f"问题与 {first.file} 第{first.line}行的条目“{first.id}”相同", entry.id))
        seen_questions.setdefault(key, entry)
    if faq.errors:
        # Keep only the first entry of a duplicated id so the bot stays deterministic.
        unique: dict[str, Entry] = {}
        for entry in faq.entries:
            unique.setdefault(entry.id, entry)
        faq.entries = list(unique.values())
