"""Changes of the FAQ made in the web console: proposed, reviewed, published, rolled back.

A change is one entry of one topic file: edited, new, or deleted. It is stored in
DATA_DIR/staff.sqlite (bot.staff.staffdb, table `changes`) and touches FAQ_DIR only when it is
published: then the topic file is rewritten (ruamel.yaml round trip: the other entries keep
their comments and layout, bot.staff.editing), atomically, and live reload serves it. The
published rows are the history (who, when, which entry, the diff of the YAML); a rollback is a
new change, checked like any save. When FAQ_DIR is the top of a git work tree, each published
change is also committed there with the staff member as author.

Statuses: "pending" (waits for an 审核), "published", "rejected" (with a reason).

Who publishes: a save by a reviewer or admin is published at once; an editor's save waits for
review, unless `Config.console_direct_publish` (CONSOLE_DIRECT_PUBLISH=1, small teams).

Every function takes the Config (FAQ_DIR, DATA_DIR, REPORTS_DIR, the switch) and the Account
acting; a refusal raises ChangeRefused with Chinese messages (`problems`: the same messages
as `faq check`, each with the field it is about). None of them reloads the engine: the
console does that after a publish (handlers/console/common.py `submit`), so that the change
is visible at once in the worker that made it; the other workers see it at their next poll.

For the console's other pages (PART B):
    propose(config, Proposal("edit", file, entry_id, values, base_entry_digest), by)
    add_phrasing(config, entry_id, phrasing, by)      # "add this as a phrasing of entry X"
    new_entry(config, file, values, by)               # a draft submitted for review
"""
from __future__ import annotations

import fcntl
import json
import logging
import os
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bot.config import Config
from bot.staff import editing
from bot.staff.accounts import Account
from bot.staff.staffdb import open_db

log = logging.getLogger("bot.staff")
GIT_TIMEOUT = 20

OPS = {"edit": "修改", "new": "新增", "delete": "删除"}
STATUSES = {"pending": "待审核", "published": "已发布", "rejected": "已退回"}


class ChangeRefused(ValueError):
    """A change that cannot be stored or published. `problems`: (field or None, message, level)."""

    def __init__(self, message: str, problems: list[tuple[str | None, str, str]] | None = None, diff: str = ""):
        super().__init__(message)
        self.message = message
        self.problems = problems or []
        self.diff = diff  # a conflict: what changed meanwhile, as a unified diff


@dataclass(frozen=True)
class Proposal:
    """What a save proposes. `values`: the entry's fields as they are written to YAML (id,
    question, answer, alternates [...], keywords [...], source {report, title, date}, …; only
    the fields that have a value), None to delete. `entry_id`: the id of the entry before the
    change (None for a new one). `base_entry_digest`: bot.staff.editing.entry_digest of the
    entry as the form loaded it; a save whose entry changed meanwhile is refused ("" skips
    the check, for a new entry)."""
    op: str
    file: str
    entry_id: str | None
    values: dict | None
    base_entry_digest: str = ""
    summary: str = ""


@dataclass(frozen=True)
class Change:
    id: int
    created: float
    author: str
    op: str
    file: str
    category: str
    entry_id: str          # the entry's id after the change (before it, for a delete)
    old_entry_id: str      # its id before the change ("" for a new entry)
    values: dict | None
    old_values: dict | None  # as it was when published (None for a new entry)
    status: str
    summary: str = ""
    reviewer: str = ""
    reviewed: float = 0.0
    reason: str = ""
    diff: str = ""
    git_commit: str = ""
    rollback_of: int | None = None
    warnings: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- proposing

def propose(config: Config, proposal: Proposal, by: Account, rollback_of: int | None = None) -> Change:
    """Check the proposal as `faq check` would and store it; published at once when `by` may
    publish or direct publish is on. Raises ChangeRefused (permission, conflict, problems)."""
    if proposal.op not in OPS:
        raise ChangeRefused(f"未知的操作“{proposal.op}”")
    if not editing.TOPIC_NAME.match(proposal.file):
        raise ChangeRefused("主题文件名只能用小写字母、数字、连字符和下划线，以 .yaml 结尾（如 chengtie.yaml）")
    with _publishing(config):
        prepared = _prepare(config, proposal, by)
    row = {"created": time.time(), "author": by.name, "op": proposal.op, "file": proposal.file,
           "category": prepared.category, "entry_id": prepared.entry_id, "old_entry_id": proposal.entry_id or "",
           "values": _json(proposal.values), "base_entry_digest": prepared.base, "summary": proposal.summary[:500],
           "status": "pending", "reviewer": "", "reviewed": 0.0, "reason": "", "old_values": _json(prepared.old),
           "diff": prepared.diff, "git_commit": "", "rollback_of": rollback_of}
    change_id = open_db(config.data_dir)["changes"].insert(row).last_pk
    if by.may_publish or config.console_direct_publish:
        return publish(config, change_id, by, warnings=prepared.warnings)
    change = get(config, change_id)
    return _with_warnings(change, prepared.warnings)


@dataclass
class _Prepared:
    category: str
    entry_id: str
    base: str                  # the digest the entry must still have when published
    old: dict | None           # the entry as it is now
    old_text: str
    new_text: str
    diff: str
    warnings: list[str]


def _prepare(config: Config, proposal: Proposal, by: Account, base: str | None = None) -> _Prepared:
    """The change applied to the file as it is now and checked; ChangeRefused otherwise.
    `base`: the entry's digest the change was proposed on (None: the proposal's own)."""
    faq_dir = Path(config.faq_dir)
    old_text = editing.read_text(faq_dir, proposal.file)
    category = editing.category_of(old_text) or str((proposal.values or {}).get("category") or "")
    if not by.may_edit(category):
        mine = "、".join(by.categories) or "（无）"
        raise ChangeRefused(f"您只能修改自己负责的分类（{mine}），不能修改“{category or proposal.file}”")
    values = _clean(proposal.values)
    try:
        old = editing.entry_values(faq_dir, proposal.file, proposal.entry_id) if proposal.entry_id else None
    except editing.EditError as exc:
        raise ChangeRefused(str(exc)) from exc
    _refuse_conflict(proposal, old, proposal.base_entry_digest if base is None else base)
    try:
        new_text = editing.apply(old_text, proposal.op, proposal.entry_id, values, category)
    except editing.EditError as exc:
        raise ChangeRefused(str(exc)) from exc
    entry_id = str((values or {}).get("id") or proposal.entry_id or "")
    checked = editing.check(faq_dir, proposal.file, new_text, entry_id if values else None, values,
                            config.reports_dir)
    if checked.errors:
        raise ChangeRefused("未保存：请先改正以下问题（与 faq check 的检查相同）", checked.errors)
    return _Prepared(category, entry_id, editing.digest(old), old, old_text, new_text,
                     editing.file_diff(old_text, new_text, proposal.file), [m for _, m, _ in checked.warnings])


def _clean(values: dict | None) -> dict | None:
    """The values without a `category` (the file's) and without empty fields."""
    if values is None:
        return None
    return {k: v for k, v in values.items() if k != "category" and v not in (None, "", [], {})}


def _refuse_conflict(proposal: Proposal, current: dict | None, base: str) -> None:
    if proposal.op == "new":
        return
    if current is None:
        raise ChangeRefused(f"条目“{proposal.entry_id}”已不在 {proposal.file} 中（可能已被他人删除或改了id），未保存")
    if base and editing.digest(current) != base:
        raise ChangeRefused("未保存：您打开这个条目之后，有人修改了它。下面是它现在的内容，"
                            "请重新打开条目，在最新内容上再修改。", diff=editing.entry_yaml(current))


def _json(value) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False)


# ---------------------------------------------------------------- reviewing and publishing

def approve(config: Config, change_id: int, by: Account) -> Change:
    """An 审核 publishes a pending change (checked again against the files as they are now)."""
    if not by.may_publish:
        raise ChangeRefused("只有审核或管理员可以发布修改")
    return publish(config, change_id, by)


def reject(config: Config, change_id: int, by: Account, reason: str) -> Change:
    """An 审核 sends a pending change back, with a reason the author sees."""
    if not by.may_publish:
        raise ChangeRefused("只有审核或管理员可以退回修改")
    reason = (reason or "").strip()
    if not reason:
        raise ChangeRefused("请写明退回的原因")
    _pending(config, change_id)
    open_db(config.data_dir)["changes"].update(change_id, {"status": "rejected", "reviewer": by.name,
                                                           "reviewed": time.time(), "reason": reason[:500]})
    return get(config, change_id)


def publish(config: Config, change_id: int, by: Account, warnings: list[str] | None = None) -> Change:
    """Write a stored change into FAQ_DIR: checked again on the file as it is now, written
    atomically, recorded with its diff, committed when FAQ_DIR is a git work tree."""
    if not (by.may_publish or config.console_direct_publish):
        raise ChangeRefused("只有审核或管理员可以发布修改")
    change = _pending(config, change_id)
    proposal = Proposal(change.op, change.file, change.old_entry_id or None, change.values)
    with _publishing(config):
        prepared = _prepare(config, proposal, by, base=_stored_base(config, change_id))
        editing.write_atomic(Path(config.faq_dir) / change.file, prepared.new_text)
        result = editing.entry_values(config.faq_dir, change.file, prepared.entry_id) if change.values else None
        commit = _git_commit(Path(config.faq_dir), change, by.name)
    open_db(config.data_dir)["changes"].update(change_id, {
        "status": "published", "reviewer": by.name, "reviewed": time.time(), "old_values": _json(prepared.old),
        "values": _json(result), "diff": prepared.diff, "git_commit": commit, "category": prepared.category})
    return _with_warnings(get(config, change_id), (warnings or []) + prepared.warnings)


def _stored_base(config: Config, change_id: int) -> str:
    return open_db(config.data_dir)["changes"].get(change_id)["base_entry_digest"]


def _pending(config: Config, change_id: int) -> Change:
    change = get(config, change_id)
    if change is None:
        raise ChangeRefused(f"修改 #{change_id} 不存在")
    if change.status != "pending":
        raise ChangeRefused(f"修改 #{change_id} {STATUSES.get(change.status, change.status)}，不能再处理")
    return change


@contextmanager
def _publishing(config: Config):
    """One read-change-write of FAQ_DIR at a time, across every worker."""
    path = Path(config.data_dir) / "staff.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _git_commit(faq_dir: Path, change: Change, publisher: str) -> str:
    """Commit the file when FAQ_DIR is the top of a git work tree; the commit's hash or ""."""
    def git(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(["git", "-C", str(faq_dir), *args], capture_output=True, text=True,
                              timeout=GIT_TIMEOUT, env=env)
    try:
        top = git("rev-parse", "--show-toplevel")
        if top.returncode != 0 or Path(top.stdout.strip()).resolve() != faq_dir.resolve():
            return ""
        env = dict(os.environ, GIT_AUTHOR_NAME=change.author, GIT_AUTHOR_EMAIL="console@localhost",
                   GIT_COMMITTER_NAME=publisher, GIT_COMMITTER_EMAIL="console@localhost")
        message = f"{OPS[change.op]}条目 {change.entry_id}（网页后台：{change.author} 提交，{publisher} 发布）"
        if change.summary:
            message += f"\n\n{change.summary}"
        git("add", "--", change.file)
        done = git("-c", "commit.gpgsign=false", "commit", "-q", "-m", message, "--", change.file, env=env)
        if done.returncode != 0:
            log.warning("git commit of %s failed: %s", change.file, (done.stderr or done.stdout).strip()[:300])
            return ""
        return git("rev-parse", "HEAD").stdout.strip()
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("git commit of %s failed: %s", change.file, exc)
        return ""


# ---------------------------------------------------------------- rollback, and shortcuts

def rollback(config: Config, change_id: int, by: Account) -> Change:
    """Undo a published change: a new change restoring the entry as it was before (refused
    when the entry was changed again since: roll back the later change first)."""
    change = get(config, change_id)
    if change is None or change.status != "published":
        raise ChangeRefused(f"修改 #{change_id} 不存在或尚未发布，不能回滚")
    summary = f"回滚修改 #{change_id}"
    if change.op == "new":
        proposal = Proposal("delete", change.file, change.entry_id, None, editing.digest(change.values), summary)
    elif change.op == "delete":
        proposal = Proposal("new", change.file, None, change.old_values, "", summary)
    else:
        proposal = Proposal("edit", change.file, change.entry_id, change.old_values,
                            editing.digest(change.values), summary)
    try:
        return propose(config, proposal, by, rollback_of=change_id)
    except ChangeRefused as refused:
        if refused.diff:
            refused.message = "不能回滚：这个条目在这次修改之后又被修改过，请先回滚后面的修改。下面是它现在的内容。"
        raise


def add_phrasing(config: Config, entry_id: str, phrasing: str, by: Account) -> Change:
    """Propose `phrasing` as one more alternate of the entry."""
    phrasing = (phrasing or "").strip()
    if not phrasing:
        raise ChangeRefused("说法不能为空")
    file = file_of(config, entry_id)
    values = editing.entry_values(config.faq_dir, file, entry_id)
    alternates = list(values.get("alternates") or [])
    if phrasing in alternates or phrasing == values.get("question"):
        raise ChangeRefused(f"条目 {entry_id} 已有这个说法")
    return propose(config, Proposal("edit", file, entry_id, values | {"alternates": [*alternates, phrasing]},
                                    editing.digest(values), f"增加说法：{phrasing}"), by)


def new_entry(config: Config, file: str, values: dict, by: Account) -> Change:
    """Propose a new entry in the topic file `file` (created with `values`' category if new)."""
    return propose(config, Proposal("new", file, None, values, "", str(values.get("summary") or "")), by)


def file_of(config: Config, entry_id: str) -> str:
    """The topic file holding the entry (read as YAML: also an entry the loader refused)."""
    for name in editing.topic_files(config.faq_dir):
        try:
            if editing.entry_values(config.faq_dir, name, entry_id) is not None:
                return name
        except editing.EditError:
            continue
    raise ChangeRefused(f"条目“{entry_id}”不存在")


# ---------------------------------------------------------------- reading the stored changes

def _change(row: dict) -> Change:
    return Change(id=row["id"], created=row["created"], author=row["author"], op=row["op"], file=row["file"],
                  category=row["category"] or "", entry_id=row["entry_id"] or "",
                  old_entry_id=row["old_entry_id"] or "", values=json.loads(row["values"]) if row["values"] else None,
                  old_values=json.loads(row["old_values"]) if row["old_values"] else None, status=row["status"],
                  summary=row["summary"] or "", reviewer=row["reviewer"] or "", reviewed=row["reviewed"] or 0.0,
                  reason=row["reason"] or "", diff=row["diff"] or "", git_commit=row["git_commit"] or "",
                  rollback_of=row["rollback_of"])


def _with_warnings(change: Change, warnings: list[str]) -> Change:
    return Change(**{**change.__dict__, "warnings": list(dict.fromkeys(warnings))})


def get(config: Config, change_id: int) -> Change | None:
    rows = list(open_db(config.data_dir)["changes"].rows_where("id = ?", [change_id]))
    return _change(rows[0]) if rows else None


def pending(config: Config) -> list[Change]:
    return [_change(r) for r in open_db(config.data_dir)["changes"].rows_where("status = 'pending'", order_by="id")]


def history(config: Config, entry_id: str | None = None, limit: int = 200) -> list[Change]:
    """Published changes, newest first (of one entry, when given)."""
    where, args = "status = 'published'", []
    if entry_id:
        where += " and (entry_id = ? or old_entry_id = ?)"
        args = [entry_id, entry_id]
    rows = open_db(config.data_dir)["changes"].rows_where(where, args, order_by="id desc", limit=limit)
    return [_change(r) for r in rows]


def of_author(config: Config, name: str, limit: int = 50) -> list[Change]:
    """An editor's own recent changes (pending, rejected with their reasons, published)."""
    rows = open_db(config.data_dir)["changes"].rows_where("author = ?", [name], order_by="id desc", limit=limit)
    return [_change(r) for r in rows]
