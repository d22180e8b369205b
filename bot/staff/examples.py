"""The staff examples as a regression check: every entry's question and `examples` must still
reach that entry through the same decision citizens get (`faq check`, `faq reload --strict`)."""
from __future__ import annotations

from pathlib import Path

from bot.answer.engine import Engine, index_dir
from bot.content.model import Faq, Problem
from bot.search.cache import open_or_build


def check_examples_of(faq: Faq, config) -> list[Problem]:
    """check_examples on the index a server would build for these files (built now if new,
    so that the server, or a reload, finds it ready)."""
    index = open_or_build(Path(config.faq_dir), index_dir(config), load=lambda _: faq)
    try:
        return check_examples(faq, Engine(config, index=index))
    finally:
        index.close()


def check_examples(faq: Faq, engine) -> list[Problem]:
    """Each example question (and the question itself) must still reach its own entry."""
    problems = []
    for entry in faq.served_entries():
        for example in [entry.question, *entry.examples]:
            reply, _ = engine.respond(example)
            if reply.faq_id != entry.id:
                got = reply.faq_id or {"clarify": "反问澄清", "fallback": "无法回答", "rule": "关键词规则"}[reply.kind]
                problems.append(Problem(entry.file, entry.line,
                                        f"示例问题“{example}”没有匹配到本条，而是得到：{got}", entry.id))
    return problems
