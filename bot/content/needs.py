"""Loading `faq_data/needs.yaml`: how citizens describe a need → the FAQ's words for it
(bot.language.needs has what a need is and how it is matched).

Each need is read field by field, one row of NEED_FIELDS per field. Messages are in Chinese for
the staff and name the file and line, like the FAQ loader's."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from bot.content.yamlread import describe_yaml_error
from bot.language.needs import Need

_NULL_TAG = "tag:yaml.org,2002:null"
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# A problem: the line it is on, and what is wrong.
Finding = tuple[int, str]


def _where(file: str, line: int | None) -> str:
    return f"{file} 第{line}行" if line else file


def _line(node) -> int:
    return node.start_mark.line + 1


def _is_null(node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == _NULL_TAG


def _words(node) -> list[str] | None:
    """A list of words ([a, b] or a lone word); None when it is something else."""
    if _is_null(node):
        return []
    if isinstance(node, yaml.ScalarNode):
        return [node.value.strip()] if node.value.strip() else []
    if isinstance(node, yaml.SequenceNode) and all(isinstance(n, yaml.ScalarNode) for n in node.value):
        return [n.value.strip() for n in node.value if not _is_null(n) and n.value.strip()]
    return None


# ---------------------------------------------------------------- the fields of a need
# Each is read from its node (None when the need does not have it) and the need's line.

def _terms(node, line: int) -> tuple[tuple[str, ...], list[Finding]]:
    terms = _words(node) if node is not None else []
    if terms is None:
        return (), [(_line(node), "terms 应为词语列表，如 [加装电梯, 老旧小区]")]
    if not terms:
        return (), [(_line(node) if node is not None else line, "terms 不能为空")]
    return tuple(dict.fromkeys(terms)), []


def _when(node, line: int) -> tuple[tuple[tuple[tuple[str, ...], ...], tuple[int, ...]], list[Finding]]:
    """The cue rows and the line of each."""
    if node is None or _is_null(node):
        return ((), ()), []
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        return ((), ()), [(_line(node), "when 应为几行提示词，每行写成“- [词1, 词2]”（见文件开头的格式示例）")]
    if all(isinstance(n, yaml.ScalarNode) for n in node.value):
        one_row = ", ".join(n.value for n in node.value)
        return ((), ()), [(_line(node), f"when 的每一行都应写成列表“- [词1, 词2]”；"
                                        f"如果这些词任意一个出现即可，请写成一行：- [{one_row}]")]
    rows, lines, findings = [], [], []
    for row_node in node.value:
        row = _words(row_node) if isinstance(row_node, yaml.SequenceNode) else None
        if row is None:
            findings.append((_line(row_node), "when 的每一行都应写成列表，如 - [没电梯, 爬楼]"))
        elif not row:
            findings.append((_line(row_node), "when 的这一行是空的，请写上提示词或删掉这一行"))
        else:
            rows.append(tuple(dict.fromkeys(row)))
            lines.append(_line(row_node))
    return (tuple(rows), tuple(lines)), findings


def _note(node, line: int) -> tuple[None, list[Finding]]:
    if node is not None and _words(node) is None:
        return None, [(_line(node), "note 应为一段说明文字")]
    return None, []


NEED_FIELDS: dict[str, Callable[[Any, int], tuple[Any, list[Finding]]]] = {
    "terms": _terms, "when": _when, "note": _note,
}


def _field_nodes(node: yaml.MappingNode) -> tuple[dict[str, yaml.Node], list[Finding]]:
    """The value node of each known field, and the unknown or repeated keys."""
    fields: dict[str, yaml.Node] = {}
    findings: list[Finding] = []
    for key_node, value_node in node.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
        if key not in NEED_FIELDS:
            findings.append((_line(key_node), f"未知字段“{key}”（可用字段：{'、'.join(NEED_FIELDS)}）"))
            continue
        if key in fields:
            findings.append((_line(key_node), f"这条需求的“{key}”写了两次，请合并成一个"))
        fields[key] = value_node
    return fields, findings


def _parse_need(node, file: str, problems: list[str]) -> Need | None:
    if not isinstance(node, yaml.MappingNode):
        problems.append(f"{_where(file, _line(node))}：每条需求应以“- terms: [FAQ里的词]”开头，"
                        f"下面写 when（几行提示词）")
        return None
    line = _line(node)
    fields, findings = _field_nodes(node)
    values = {}
    for name, read in NEED_FIELDS.items():
        values[name], more = read(fields.get(name), line)
        findings += more
    problems.extend(f"{_where(file, at)}：{message}" for at, message in findings)
    if findings:
        return None
    rows, row_lines = values["when"]
    return Need(terms=values["terms"], when=rows, line=line, when_lines=row_lines)


# ---------------------------------------------------------------- the file

def _read_text(path: Path) -> tuple[str | None, list[str]]:
    """The file's text (None if there is none to read), and why it cannot be read."""
    try:
        return path.read_text(encoding="utf-8-sig"), []  # Notepad may add a BOM
    except FileNotFoundError:
        return None, []
    except UnicodeDecodeError as exc:
        return None, [f"{path.name}：文件不是UTF-8编码（{exc.reason}），请另存为UTF-8"]
    except OSError as exc:
        return None, [f"{path.name}：无法读取（{exc.strerror or exc}）"]


def _yaml_error(file: str, text: str, exc: yaml.YAMLError) -> str:
    try:  # libyaml words its errors differently: the pure-Python parser's are the ones described
        yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as python_exc:
        exc = python_exc
    line, message = describe_yaml_error(text, exc)
    return f"{_where(file, line)}：{message}"


def _needs_node(root, file: str) -> tuple[yaml.SequenceNode | None, list[str]]:
    """The list under `needs:` (None when there is none to read), and what is wrong around it."""
    if root is None or _is_null(root):
        return None, []
    problems: list[str] = []
    items = None
    if isinstance(root, yaml.MappingNode):
        for key_node, value_node in root.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else ""
            if key == "needs":
                items = value_node
            else:
                problems.append(f"{_where(file, _line(key_node))}：未知的顶层字段“{key}”（只应有 needs）")
        if items is not None and _is_null(items):
            return None, problems  # `needs:` with nothing under it yet
    if items is None:
        problems.append(f"{_where(file, _line(root))}：文件应以“needs:”开头，下面每条需求以“- terms:”开始")
        return None, problems
    if not isinstance(items, yaml.SequenceNode):
        problems.append(f"{_where(file, _line(items))}：needs 下面应是需求列表，每条以“- terms:”开始")
        return None, problems
    return items, problems


def load_needs(path: Path) -> tuple[list[Need], list[str]]:
    """Parse needs.yaml; the second item is a list of problems as Chinese messages naming the
    file and line, e.g. "needs.yaml 第12行：terms 不能为空". A missing file gives ([], []); a need
    with a problem is left out (the others still load)."""
    path = Path(path)
    text, problems = _read_text(path)
    if text is None:
        return [], problems
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        return [], [_yaml_error(path.name, text, exc)]
    items, problems = _needs_node(root, path.name)
    if items is None:
        return [], problems
    needs = [need for node in items.value if (need := _parse_need(node, path.name, problems)) is not None]
    return needs, problems
