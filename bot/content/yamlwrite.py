"""Writing YAML in the house style, as staff write it by hand: lists indented under their key,
multi-line text as literal blocks, and short lists and sources on one line (wrap them in Flow).
Used by the CSV import (bot.staff.csvio) and the report drafts (bot.staff.draft)."""
from __future__ import annotations

import yaml


class Flow:
    """Marks a list or mapping to be written on one line: keywords: [a, b], source: {…}."""

    def __init__(self, value):
        self.value = value


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)  # "entries:\n  - id:", as staff write it


def _represent_str(dumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_flow(dumper, value: Flow):
    if isinstance(value.value, dict):
        return dumper.represent_mapping("tag:yaml.org,2002:map", value.value.items(), flow_style=True)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value.value, flow_style=True)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(Flow, _represent_flow)


def dump_yaml(data) -> str:
    """`data` as YAML in the house style (Chinese as written, keys in their order, no line wrapping)."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000,
                     default_flow_style=False)


def topic_yaml(category: str, entries: list[dict]) -> str:
    """A topic file: `category`, then the entries separated by blank lines."""
    lines = dump_yaml({"category": category, "entries": entries}).splitlines()
    out = []
    for i, line in enumerate(lines):
        if line.startswith("  - ") and i > 0 and lines[i - 1] != "entries:":
            out.append("")
        out.append(line)
    return "\n".join(out) + "\n"
