"""keywords.yaml (auto-reply rules, menu replies, welcome/help/fallback texts) and synonyms.yaml."""
from __future__ import annotations

from pathlib import Path

from bot.content.model import DEFAULT_TEXTS, Faq, Problem, Rule
from bot.content.service import load_service_keys
from bot.content.yamlread import line_of, str_list

KEYWORDS_FIELDS = {"rules", "menu", *DEFAULT_TEXTS, "rating_levels"}
RULE_MATCHES = ("exact", "contains")


def load_keywords(path: Path, data, faq: Faq, problems: list[Problem]) -> None:
    """keywords.yaml's parsed document into faq.texts, faq.rules and faq.menu."""
    if data is None:
        return
    if not isinstance(data, dict):
        problems.append(Problem(path.name, 1, "keywords.yaml 应包含 rules、menu 和各段文字（welcome、help、fallback）"))
        return
    _load_texts(path.name, data, faq, problems)
    for raw in data.get("rules") or []:
        rule = _rule(raw)
        if rule is None:
            problems.append(Problem(path.name, line_of(raw), "规则需要 keywords（列表）、reply（回复文字），"
                                                             "match 只能是 exact 或 contains"))
        else:
            faq.rules.append(rule)
    _load_menu(path.name, data, faq, problems)
    load_service_keys(path.name, data, faq, problems)


def _load_texts(file: str, data: dict, faq: Faq, problems: list[Problem]) -> None:
    for key, value in data.items():
        if key not in KEYWORDS_FIELDS:
            known = "、".join(sorted(KEYWORDS_FIELDS))
            problems.append(Problem(file, line_of(data, key), f"未知字段“{key}”（可用：{known}）"))
        elif key in DEFAULT_TEXTS:
            if not isinstance(value, str) or not value.strip():
                problems.append(Problem(file, line_of(data, key), f"“{key}”应为一段非空文字"))
            else:
                faq.texts[key] = value.strip()


def _rule(raw) -> Rule | None:
    if not isinstance(raw, dict):
        return None
    keywords = str_list(raw.get("keywords"))
    reply = str(raw.get("reply") or "").strip()
    match = str(raw.get("match") or "exact").strip()
    if not keywords or not reply or match not in RULE_MATCHES:
        return None
    return Rule(keywords=keywords, reply=reply, match=match)


def _load_menu(file: str, data: dict, faq: Faq, problems: list[Problem]) -> None:
    menu = data.get("menu") or {}
    if not isinstance(menu, dict):
        problems.append(Problem(file, line_of(data, "menu"), "menu 应为“菜单KEY: 回复文字”的列表"))
        return
    for key, reply in menu.items():
        if isinstance(reply, dict):
            reply = reply.get("reply")
        if not isinstance(reply, str) or not reply.strip():
            problems.append(Problem(file, line_of(menu, key), f"菜单“{key}”缺少回复文字"))
            continue
        faq.menu[str(key)] = reply.strip()
        faq.menu_lines[str(key)] = line_of(menu, key)


def load_synonyms(path: Path, data, faq: Faq, problems: list[Problem]) -> None:
    """synonyms.yaml's parsed document (a list of groups, or `synonyms:` and the list) into faq.synonyms."""
    groups = data.get("synonyms") if isinstance(data, dict) else data
    if groups is None:
        return
    if not isinstance(groups, list):
        problems.append(Problem(path.name, 1, "synonyms.yaml 应为同义词组列表，如 - [城铁, 城际铁路]"))
        return
    for group in groups:
        words = str_list(group)
        if not words or len(words) < 2:
            problems.append(Problem(path.name, line_of(data), f"同义词组至少需要两个词：{group}"))
            continue
        faq.synonyms.append(words)
