"""What the FAQ is once loaded: entries, auto-reply rules, texts, and the problems found in the files."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

# The values of an entry's `states`, for staff: what each means.
ASK_LABELS = {"count": "数量", "date": "日期或时间", "duration": "时长", "place": "地点", "names": "名单",
              "who": "负责部门或人", "how": "办理或申请办法", "progress": "目前进展", "price": "价格或收费",
              "yesno": "是或否", "definition": "定义"}

DEFAULT_TEXTS = {
    "welcome": "您好，欢迎关注株洲市政务信息服务号！\n您可以直接发文字或语音提问，例如：\n"
               "· 2025年十大民生实事有哪些\n· 城铁首班车几点\n发送“帮助”查看可以问的内容。",
    "help": "我可以回答株洲市公开报告中的问题，例如：民生实事、长株潭城铁时刻、住房与老旧小区改造、"
            "医疗卫生、养老与救助、就业、政务服务等。\n请直接发送您的问题，如“城铁末班车几点”。",
    "fallback": "抱歉，这个问题我暂时无法准确回答。\n我可以回答：民生实事、城铁出行、住房改造、医疗养老、"
                "就业、政务服务等方面的问题。发送“帮助”查看示例。",
    "unsupported": "抱歉，我目前只能看懂文字和语音消息。请直接发文字提问，发送“帮助”查看可以问的内容。",
    "voice_empty": "抱歉，没有听清您的语音，请再说一遍或直接输入文字提问。",
    # 转人工 (bot/answer/services.py): staff write the department, hotline and hours in keywords.yaml.
    "human": "个人事务、投诉和具体办理，请联系相关部门或当地政务服务热线。",
}


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    message: str
    entry_id: str | None = None
    level: str = "error"  # or "warning"

    def __str__(self) -> str:
        where = f"{self.file}" + (f" 第{self.line}行" if self.line else "")
        who = f" [{self.entry_id}]" if self.entry_id else ""
        label = "错误" if self.level == "error" else "警告"
        return f"{label}：{where}{who}：{self.message}"


@dataclass(slots=True)  # no per-entry __dict__: a 100k-entry FAQ is held whole while indexed
class Entry:
    id: str
    question: str
    answer: str
    source: dict
    category: str = ""
    alternates: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    detail: str = ""
    link: str = ""
    examples: list[str] = field(default_factory=list)
    valid_until: dt.date | None = None
    states: list[str] = field(default_factory=list)  # what the answer states, declared by staff (bot.language.asks)
    file: str = ""
    line: int = 0

    def variants(self) -> list[str]:
        """The phrasings the matcher compares a question against."""
        return [self.question, *self.alternates]

    def is_expired(self, today: dt.date | None = None) -> bool:
        return self.valid_until is not None and self.valid_until < (today or dt.date.today())

    def to_dict(self) -> dict:
        return {
            "id": self.id, "category": self.category, "question": self.question,
            "alternates": list(self.alternates), "keywords": list(self.keywords),
            "answer": self.answer, "detail": self.detail, "link": self.link,
            "source": dict(self.source), "examples": list(self.examples),
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
            "states": list(self.states), "file": self.file,
        }


@dataclass
class Rule:
    keywords: list[str]
    reply: str
    match: str = "exact"  # or "contains"


@dataclass
class Faq:
    directory: Path
    entries: list[Entry] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    menu: dict[str, str] = field(default_factory=dict)
    menu_lines: dict[str, int | None] = field(default_factory=dict)  # keywords.yaml line of each menu key
    buttons: list | None = None  # menu.yaml's bot.content.menu.Button list; None: there is no menu.yaml
    texts: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_TEXTS))
    synonyms: list[list[str]] = field(default_factory=list)
    user_words: list[str] = field(default_factory=list)
    needs: list = field(default_factory=list)  # bot.language.needs.Need: how citizens describe a need
    service: dict = field(default_factory=dict)  # hot pins/hides, rating levels (bot.content.service)
    fingerprint: str = ""
    loaded_at: dt.datetime | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]

    def by_id(self) -> dict[str, Entry]:
        return {e.id: e for e in self.entries}

    def served_entries(self, today: dt.date | None = None) -> list[Entry]:
        return [e for e in self.entries if not e.is_expired(today)]
