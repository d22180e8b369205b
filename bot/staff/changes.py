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

from dataclasses import dataclass, field

from bot.config import Config
from bot.staff.accounts import Account

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


def propose(config: Config, proposal: Proposal, by: Account) -> Change:
    """Check the proposal as `faq check` would and store it; published at once when `by` may
    publish or direct publish is on. Raises ChangeRefused (permission, conflict, problems)."""
    raise NotImplementedError


def approve(config: Config, change_id: int, by: Account) -> Change:
    """An 审核 publishes a pending change (checked again against the files as they are now)."""
    raise NotImplementedError


def reject(config: Config, change_id: int, by: Account, reason: str) -> Change:
    """An 审核 sends a pending change back, with a reason the author sees."""
    raise NotImplementedError


def publish(config: Config, change_id: int, by: Account) -> Change:
    """Write a stored change into FAQ_DIR (approve() is publish() by a reviewer)."""
    raise NotImplementedError


def rollback(config: Config, change_id: int, by: Account) -> Change:
    """Undo a published change: a new change restoring the entry as it was before."""
    raise NotImplementedError


def add_phrasing(config: Config, entry_id: str, phrasing: str, by: Account) -> Change:
    """Propose `phrasing` as one more alternate of the entry."""
    raise NotImplementedError


def new_entry(config: Config, file: str, values: dict, by: Account) -> Change:
    """Propose a new entry in the topic file `file` (created with `values`' category if new)."""
    raise NotImplementedError


def get(config: Config, change_id: int) -> Change | None:
    raise NotImplementedError


def pending(config: Config) -> list[Change]:
    raise NotImplementedError


def history(config: Config, entry_id: str | None = None, limit: int = 200) -> list[Change]:
    raise NotImplementedError
