"""Loading the files staff edit in `faq_data/`, with file and line for every problem.

A directory holds topic files (`*.yaml` with `category` and `entries`), and optionally
`keywords.yaml` (auto-reply rules, menu replies, welcome/help/fallback texts),
`synonyms.yaml` and `userdict.txt` (extra words for jieba).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.language.asks import ALL_ASKS
from bot.language.needs import load_needs
from bot.parallel import can_fork, fork_map

ENTRY_FIELDS = {
    "id", "question", "alternates", "keywords", "answer", "detail", "link", "source",
    "examples", "valid_until", "states",
}
# The values of `states`, for staff: what each means.
ASK_LABELS = {"count": "数量", "date": "日期或时间", "duration": "时长", "place": "地点", "names": "名单",
              "who": "负责部门或人", "how": "办理或申请办法", "progress": "目前进展", "price": "价格或收费",
              "yesno": "是或否", "definition": "定义"}
REQUIRED_FIELDS = ("id", "question", "answer", "source")
SOURCE_FIELDS = ("report", "title", "date")
TOPIC_FIELDS = {"category", "entries"}
SPECIAL_FILES = {"keywords.yaml", "synonyms.yaml", "needs.yaml"}
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# The reply (answer + source line + link) must stay under 2000 UTF-8 bytes.
ANSWER_MAX_BYTES = 1200
ANSWER_SOFT_CHARS = 200

DEFAULT_TEXTS = {
    "welcome": "您好，欢迎关注株洲市政务信息服务号！\n您可以直接发文字或语音提问，例如：\n"
               "· 2025年十大民生实事有哪些\n· 城铁首班车几点\n发送“帮助”查看可以问的内容。",
    "help": "我可以回答株洲市公开报告中的问题，例如：民生实事、长株潭城铁时刻、住房与老旧小区改造、"
            "医疗卫生、养老与救助、就业、政务服务等。\n请直接发送您的问题，如“城铁末班车几点”。",
    "fallback": "抱歉，这个问题我暂时无法准确回答。\n我可以回答：民生实事、城铁出行、住房改造、医疗养老、"
                "就业、政务服务等方面的问题。发送“帮助”查看示例。",
    "unsupported": "抱歉，我目前只能看懂文字和语音消息。请直接发文字提问，发送“帮助”查看可以问的内容。",
    "voice_empty": "抱歉，没有听清您的语音，请再说一遍或直接输入文字提问。",
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
    texts: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_TEXTS))
    synonyms: list[list[str]] = field(default_factory=list)
    user_words: list[str] = field(default_factory=list)
    needs: list = field(default_factory=list)  # bot.language.needs.Need: how citizens describe a need
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


# ---------------------------------------------------------------- YAML with line numbers

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


_UNREADABLE = object()


def _read_yaml(path: Path, problems: list[Problem]):
    """The parsed document, or _UNREADABLE after recording why."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        problems.append(Problem(path.name, None, f"文件不是UTF-8编码（{exc.reason}），请另存为UTF-8"))
        return _UNREADABLE
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
        problems.append(Problem(path.name, line, f"YAML格式错误：{reason}（常见原因：缩进不一致、冒号后缺空格、引号未闭合）"))
        return _UNREADABLE


def _line_of(mapping, key=None) -> int | None:
    if key is not None and isinstance(mapping, _LineDict) and key in mapping.key_lines:
        return mapping.key_lines[key]
    return getattr(mapping, "line", None)


def _str_list(value) -> list[str] | None:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        return [str(v).strip() for v in value if str(v).strip()]
    return None


def _as_date(value) -> dt.date | None:
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


# ---------------------------------------------------------------- topic files

def _parse_entry(raw, file: str, category: str, problems: list[Problem], shared: dict) -> Entry | None:
    if not isinstance(raw, dict):
        problems.append(Problem(file, _line_of(raw), "每个条目必须是“字段: 内容”的形式（以“- id: …”开头）"))
        return None
    entry_id = str(raw.get("id") or "").strip() or None
    start = len(problems)

    def problem(message, key=None, level="error"):
        problems.append(Problem(file, _line_of(raw, key), message, entry_id, level))

    for key in raw:
        if key not in ENTRY_FIELDS:
            problem(f"未知字段“{key}”（可用字段：{'、'.join(sorted(ENTRY_FIELDS))}）", key)
    for key in REQUIRED_FIELDS:
        value = raw.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            problem(f"缺少必填字段“{key}”或内容为空", key if key in raw else None)
    if entry_id and not ID_PATTERN.match(entry_id):
        problem("id 只能使用小写字母、数字和连字符（如 ms2025-elderly-canteen）", "id")
    for key in ("question", "answer", "detail", "link"):
        if key in raw and raw[key] is not None and not isinstance(raw[key], (str, int, float)):
            problem(f"字段“{key}”应为一段文字", key)
    lists = {}
    for key in ("alternates", "keywords", "examples", "states"):
        lists[key] = _str_list(raw.get(key))
        if lists[key] is None:
            problem(f"字段“{key}”应为文字列表，如 [说法一, 说法二]", key)
            lists[key] = []
    unknown_states = [s for s in lists["states"] if s not in ALL_ASKS]
    if unknown_states:
        problem(f"states 中的“{'、'.join(unknown_states)}”不是可用的值（可用：{'、'.join(f'{k}（{v}）' for k, v in ASK_LABELS.items())}）", "states")
    source = raw.get("source")
    if source is not None:
        if not isinstance(source, dict):
            problem("source 应写成 {report: 报告文件名, title: 标题, date: 日期}", "source")
            source = {}
        else:
            for key in SOURCE_FIELDS:
                if not str(source.get(key) or "").strip():
                    problem(f"source 缺少“{key}”", "source")
            for key in source:
                if key not in SOURCE_FIELDS:
                    problem(f"source 中的未知字段“{key}”", "source")
            if source.get("date") is not None and _as_date(source.get("date")) is None:
                problem("source.date 应为日期，如 2024-12-25", "source")
    valid_until = None
    if raw.get("valid_until") is not None:
        valid_until = _as_date(raw.get("valid_until"))
        if valid_until is None:
            problem("valid_until 应为日期，如 2025-12-31", "valid_until")
    link = str(raw.get("link") or "").strip()
    if link and not re.match(r"^https?://\S+$", link):
        problem("link 应为以 http:// 或 https:// 开头的网址", "link")
    answer = str(raw.get("answer") or "").strip()
    if len(answer.encode("utf-8")) > ANSWER_MAX_BYTES:
        problem(f"answer 过长（{len(answer.encode('utf-8'))}字节，上限{ANSWER_MAX_BYTES}字节）；"
                f"请把补充内容移到 detail", "answer")
    elif len(answer) > ANSWER_SOFT_CHARS:
        problem(f"answer 有{len(answer)}个字，建议不超过{ANSWER_SOFT_CHARS}字", "answer", "warning")
    if any(p.level == "error" for p in problems[start:]):
        return None
    source = dict(source or {})
    date = _as_date(source.get("date"))
    source["date"] = date.isoformat() if date else str(source.get("date", ""))
    source = {k: str(v).strip() for k, v in source.items()}
    # Entries of a file mostly cite the same report and share keywords: one copy of each.
    source = shared.setdefault(tuple(source.items()), source)
    keywords = [shared.setdefault(k, k) for k in lists["keywords"]]
    return Entry(
        id=entry_id, question=str(raw["question"]).strip(), answer=answer, source=source,
        category=category, alternates=lists["alternates"], keywords=keywords,
        detail=str(raw.get("detail") or "").strip(), link=link, examples=lists["examples"],
        valid_until=valid_until, states=lists["states"], file=file, line=_line_of(raw) or 0,
    )


def _load_topic(path: Path, data, problems: list[Problem]) -> list[Entry]:
    file = path.name
    if data is None:
        problems.append(Problem(file, None, "文件为空", level="warning"))
        return []
    if not isinstance(data, dict):
        problems.append(Problem(file, 1, "文件应以“category: 分类名”和“entries:”开头"))
        return []
    for key in data:
        if key not in TOPIC_FIELDS:
            problems.append(Problem(file, _line_of(data, key), f"未知的顶层字段“{key}”（应为 category 和 entries）"))
    category = str(data.get("category") or "").strip()
    if not category:
        problems.append(Problem(file, _line_of(data, "category"), "缺少“category”（分类名）"))
    raw_entries = data.get("entries")
    if not isinstance(raw_entries, list):
        problems.append(Problem(file, _line_of(data, "entries"), "缺少“entries”条目列表"))
        return []
    shared: dict = {}
    entries = [_parse_entry(raw, file, category, problems, shared) for raw in raw_entries]
    return [e for e in entries if e is not None]


# ---------------------------------------------------------------- keywords.yaml, synonyms.yaml

def _load_keywords(path: Path, data, faq: Faq, problems: list[Problem]) -> None:
    file = path.name
    if data is None:
        return
    if not isinstance(data, dict):
        problems.append(Problem(file, 1, "keywords.yaml 应包含 rules、menu 和各段文字（welcome、help、fallback）"))
        return
    known = {"rules", "menu", *DEFAULT_TEXTS}
    for key, value in data.items():
        if key not in known:
            problems.append(Problem(file, _line_of(data, key), f"未知字段“{key}”（可用：{'、'.join(sorted(known))}）"))
        elif key in DEFAULT_TEXTS:
            if not isinstance(value, str) or not value.strip():
                problems.append(Problem(file, _line_of(data, key), f"“{key}”应为一段非空文字"))
            else:
                faq.texts[key] = value.strip()
    for raw in data.get("rules") or []:
        keywords = _str_list(raw.get("keywords")) if isinstance(raw, dict) else None
        reply = str(raw.get("reply") or "").strip() if isinstance(raw, dict) else ""
        match = str(raw.get("match") or "exact").strip() if isinstance(raw, dict) else ""
        if not keywords or not reply or match not in ("exact", "contains"):
            problems.append(Problem(file, _line_of(raw), "规则需要 keywords（列表）、reply（回复文字），"
                                    "match 只能是 exact 或 contains"))
            continue
        faq.rules.append(Rule(keywords=keywords, reply=reply, match=match))
    menu = data.get("menu") or {}
    if not isinstance(menu, dict):
        problems.append(Problem(file, _line_of(data, "menu"), "menu 应为“菜单KEY: 回复文字”的列表"))
        return
    for key, reply in menu.items():
        if isinstance(reply, dict):
            reply = reply.get("reply")
        if not isinstance(reply, str) or not reply.strip():
            problems.append(Problem(file, _line_of(menu, key), f"菜单“{key}”缺少回复文字"))
            continue
        faq.menu[str(key)] = reply.strip()


def _load_synonyms(path: Path, data, faq: Faq, problems: list[Problem]) -> None:
    groups = data.get("synonyms") if isinstance(data, dict) else data
    if groups is None:
        return
    if not isinstance(groups, list):
        problems.append(Problem(path.name, 1, "synonyms.yaml 应为同义词组列表，如 - [城铁, 城际铁路]"))
        return
    for group in groups:
        words = _str_list(group)
        if not words or len(words) < 2:
            problems.append(Problem(path.name, _line_of(data), f"同义词组至少需要两个词：{group}"))
            continue
        faq.synonyms.append(words)


# ---------------------------------------------------------------- the directory

def fingerprint(directory: Path) -> str:
    """A hash of every file's name and content: the key for caches and reload checks."""
    digest = hashlib.sha256()
    for path in _faq_files(directory):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _faq_files(directory: Path) -> list[Path]:
    return sorted([*directory.glob("*.yaml"), *directory.glob("*.yml"), *directory.glob("userdict.txt")])


# Topic files are parsed in parallel once there is this much YAML: libyaml takes ~0.2 s per MB,
# most of a cold start on a 10k-entry FAQ; below it, starting processes costs more than it saves.
PARALLEL_YAML_BYTES = 4_000_000


def load_faq(directory: str | Path) -> Faq:
    """Read every file; problems are collected on `faq.problems`, never raised."""
    directory = Path(directory)
    faq = Faq(directory=directory, loaded_at=dt.datetime.now(dt.UTC))
    problems = faq.problems
    if not directory.is_dir():
        problems.append(Problem(str(directory), None, "FAQ目录不存在"))
        return faq
    faq.fingerprint = fingerprint(directory)
    paths = _faq_files(directory)
    topics = [p for p in paths if p.name not in SPECIAL_FILES and p.name != "userdict.txt"]
    for entries, file_problems in _map_topics(topics):
        faq.entries.extend(entries)
        problems.extend(file_problems)
    for path in paths:
        if path.name == "userdict.txt":
            faq.user_words = _load_user_words(path)
        elif path.name == "needs.yaml":
            faq.needs, messages = load_needs(path)
            problems.extend(Problem(path.name, None, m.removeprefix(path.name).lstrip("：").strip())
                            for m in messages)
        elif path.name in SPECIAL_FILES:
            data = _read_yaml(path, problems)
            if data is _UNREADABLE:
                continue
            if path.name == "keywords.yaml":
                _load_keywords(path, data, faq, problems)
            else:
                _load_synonyms(path, data, faq, problems)
    _check_duplicates(faq)
    return faq


def _load_topic_file(path: Path) -> tuple[list[Entry], list[Problem]]:
    problems: list[Problem] = []
    data = _read_yaml(path, problems)
    return ([] if data is _UNREADABLE else _load_topic(path, data, problems)), problems


def _map_topics(paths: list[Path]):
    """_load_topic_file over the files, in order; in worker processes when they are large."""
    if can_fork() and len(paths) > 1 and sum(p.stat().st_size for p in paths) >= PARALLEL_YAML_BYTES:
        return fork_map(_load_topic_file, paths)
    return map(_load_topic_file, paths)


def _load_user_words(path: Path) -> list[str]:
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        word = line.split("#", 1)[0].strip().split(" ")[0]
        if word:
            words.append(word)
    return words


def _check_duplicates(faq: Faq) -> None:
    from bot.language.textnorm import normalize  # local import: textnorm does not need faq

    seen_ids: dict[str, Entry] = {}
    seen_questions: dict[str, Entry] = {}
    for entry in faq.entries:
        if entry.id in seen_ids:
            first = seen_ids[entry.id]
            faq.problems.append(Problem(entry.file, entry.line, f"id 重复：已在 {first.file} 第{first.line}行使用", entry.id))
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
