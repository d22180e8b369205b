"""Reading the YAML staff write: every mapping remembers its line, and the line of each key, so
that a problem can name the line to fix; and the plain values fields hold (lists of words, dates)."""
from __future__ import annotations

import datetime as dt
import re
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
        line, message = describe_yaml_error(text, exc)
        problems.append(Problem(path.name, line, message))
        return UNREADABLE


# ---------------------------------------------------------------- a file that does not parse
# PyYAML names the line where it gave up, in English: an unclosed quote on line 147 is reported
# where the next quote happens to close it, hundreds of lines on. Staff are told, in Chinese,
# the line where the mistake starts and what to change there.

HINT_TAB = "这一行用了 Tab 缩进：YAML 只能用空格缩进，请把 Tab 换成空格（每层 2 个空格）"
HINT_FULLWIDTH_COLON = "字段名后面用了全角冒号“：”：请改成英文冒号“:”，后面再加一个空格"
HINT_QUOTE = "引号没有闭合：这一行开头的引号在本行没有配对的另一半，请补上或把引号都删掉"
HINT_NO_SPACE = "冒号后缺空格：字段名后面要写英文冒号和一个空格，如“question: 内容”"
HINT_BRACKET = "方括号没有闭合：列表要写成 [说法一, 说法二]，并在同一行以“]”结束"
HINT_BRACE = "花括号没有闭合：要写成 {report: 文件名, title: 标题, date: 日期}，并在同一行以“}”结束"
HINT_COLON_IN_VALUE = ("这一行的冒号位置不对：如果是缩进与上一行没对齐，请对齐（同一层的字段左边空格数相同）；"
                       "如果内容本身含有“: ”，请把整段内容用引号括起来")
HINT_INDENT = "缩进不一致：同一层的字段、同一列表的每一项“- ”，左边的空格数要相同"
HINT_SPECIAL_START = "内容不能以 @、` 或 % 开头：请把整段内容用引号括起来"

_KEY = r"^\s*(?:-\s+)?[A-Za-z_][A-Za-z0-9_]*"
# Mistakes seen on one line, checked from the top: (pattern, hint).
LINE_MISTAKES = (
    (re.compile(r"^ *\t"), HINT_TAB),
    (re.compile(_KEY + r"\s*："), HINT_FULLWIDTH_COLON),
    (re.compile(_KEY + r":\s*(?:\"(?:[^\"\\]|\\.)*|'(?:[^']|'')*)$"), HINT_QUOTE),
    (re.compile(r"^\s*-\s+(?:\"(?:[^\"\\]|\\.)*|'(?:[^']|'')*)$"), HINT_QUOTE),
    (re.compile(_KEY + r":(?![\s/])\S"), HINT_NO_SPACE),
)
# What PyYAML was reading when it gave up ("while scanning a quoted scalar"): the mistake is at
# the start of that (the context mark), with this hint.
CONTEXT_HINTS = {
    "while scanning a quoted scalar": HINT_QUOTE,
    "while parsing a flow sequence": HINT_BRACKET,
    "while parsing a flow mapping": HINT_BRACE,
    "while scanning a simple key": HINT_NO_SPACE,
}
# PyYAML's problem, when its own line is the one to fix.
PROBLEM_HINTS = (
    ("mapping values are not allowed", HINT_COLON_IN_VALUE),
    ("expected <block end>", HINT_INDENT),
    ("did not find expected key", HINT_INDENT),
    ("did not find expected '-'", HINT_INDENT),
    ("cannot start any token", HINT_SPECIAL_START),
)


def describe_yaml_error(text: str, exc: yaml.YAMLError) -> tuple[int | None, str]:
    """The line where the mistake starts (1-based) and what to do about it, in Chinese."""
    problem_mark = getattr(exc, "problem_mark", None)
    gave_up = problem_mark.line + 1 if problem_mark else None
    for number, line in enumerate(text.splitlines()[:gave_up], start=1):
        hint = next((h for pattern, h in LINE_MISTAKES if pattern.search(line)), None)
        if hint:
            return number, f"YAML格式错误：{hint}"
    context, context_mark = getattr(exc, "context", None) or "", getattr(exc, "context_mark", None)
    if context in CONTEXT_HINTS and context_mark is not None:
        return context_mark.line + 1, f"YAML格式错误：{CONTEXT_HINTS[context]}"
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    hint = next((h for words, h in PROBLEM_HINTS if words in problem), None)
    if hint is None:  # rare: keep PyYAML's words for whoever helps staff
        hint = f"无法解析（{problem}）；常见原因：缩进不一致、冒号后缺空格、引号或括号未闭合"
    return gave_up, f"YAML格式错误：{hint}"


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
