"""Reading the YAML staff write: every mapping remembers its line, and the line of each key, so
that a problem can name the line to fix; and the plain values fields hold (lists of words, dates)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from bot.content.model import Problem


class _LineDict(dict):
    line: int = 0
    key_lines: dict


def _construct_line_mapping(self, node, deep=False):
    """A mapping that remembers its own line and the line of each of its keys."""
    mapping = _LineDict(yaml.constructor.SafeConstructor.construct_mapping(self, node, deep=deep))
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {k.value: k.start_mark.line + 1 for k, _ in node.value
                         if isinstance(k, yaml.ScalarNode)}
    return mapping


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that remembers the line of every mapping and of each of its keys."""

    construct_mapping = _construct_line_mapping


# libyaml's parser gives the same nodes and marks ~4x faster; the pure-Python loader stays as
# the fallback (no libyaml) and words the error message when a file does not parse.
_FastLineLoader = type("_FastLineLoader", (yaml.CSafeLoader,), {"construct_mapping": _construct_line_mapping}) \
    if getattr(yaml, "__with_libyaml__", False) else _LineLoader

# SafeConstructor builds `{}` and fills it from construct_mapping; build our dict instead so that
# every mapping (the file, each entry, each source) carries its line numbers.
for _loader in {_LineLoader, _FastLineLoader}:
    _loader.add_constructor("tag:yaml.org,2002:map", lambda loader, node: loader.construct_mapping(node))


UNREADABLE = object()  # what read_yaml gives for a file that does not parse


def read_yaml(path: Path, problems: list[Problem]):
    """The parsed document, or UNREADABLE after recording why."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        problems.append(Problem(path.name, None, f"文件不是UTF-8编码（{exc.reason}），请另存为UTF-8"))
        return UNREADABLE
    try:
        return yaml.load(text, Loader=_FastLineLoader)
    except yaml.YAMLError:
        pass
    try:  # the pure-Python parser, for its error message and line
        return yaml.load(text, Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        reason = getattr(exc, "problem", None) or str(exc)
        problems.append(Problem(path.name, line, f"YAML格式错误：{reason}"
                                                 f"（常见原因：缩进不一致、冒号后缺空格、引号未闭合）"))
        return UNREADABLE


def line_of(mapping, key=None) -> int | None:
    """The line of `key` in a mapping read by read_yaml, else of the mapping itself (None if unknown)."""
    if key is not None and isinstance(mapping, _LineDict) and key in mapping.key_lines:
        return mapping.key_lines[key]
    return getattr(mapping, "line", None)


def str_list(value) -> list[str] | None:
    """A list of words ([a, b] or a lone word, blanks left out); None when it is something else."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        return [str(v).strip() for v in value if str(v).strip()]
    return None


def as_date(value) -> dt.date | None:
    """A date as YAML reads it (2024-12-25) or as text; None when it is not one."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None
