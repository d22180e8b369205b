"""Staff accounts of the web console: names, roles, categories and argon2 password hashes in
DATA_DIR/staff.sqlite (bot.staff.staffdb), and the slowing of repeated wrong passwords.

Plain functions, shared by the CLI (`python -m bot staff …`) and the console (handlers/console).
Every refusal raises AccountError with a Chinese message for staff.

Roles: "editor" (编辑) edits the entries of its categories, "reviewer" (审核) approves and
publishes changes of every category, "admin" (管理员) can do everything.

Wrong passwords: after FREE_FAILURES wrong passwords for one account (or IP_FREE_FAILURES from
one IP address), each further one locks that account (address) for LOCK_BASE_SECONDS, doubling
with every further failure up to LOCK_MAX_SECONDS. The counts are in the sqlite file, so every
gunicorn worker sees them; a correct password resets its account's count, and counts are
forgotten FORGET_AFTER seconds after the last failure.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from bot.staff.staffdb import open_db

ROLES = {"editor": "编辑", "reviewer": "审核", "admin": "管理员"}
MIN_PASSWORD_CHARS = 8
MAX_NAME_CHARS = 32
FREE_FAILURES = 5
IP_FREE_FAILURES = 20
LOCK_BASE_SECONDS = 30.0
LOCK_MAX_SECONDS = 15 * 60.0
FORGET_AFTER = 3600.0

_hasher = PasswordHasher()
# Checked against when the account does not exist: a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not a password of anyone")


class AccountError(ValueError):
    """Why an account operation was refused, in Chinese."""


class LoginRefused(AccountError):
    """A sign-in refused; `wait` seconds until the next try is allowed (0: just wrong)."""

    def __init__(self, message: str, wait: float = 0.0):
        super().__init__(message)
        self.wait = wait


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    categories: tuple[str, ...] = field(default_factory=tuple)
    password_changed: float = 0.0

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, self.role)

    def has_role(self, *roles: str) -> bool:
        """Admin has every role."""
        return self.role == "admin" or self.role in roles

    def may_edit(self, category: str) -> bool:
        """An editor only its categories; reviewers and admins every one."""
        return self.role in ("reviewer", "admin") or category in self.categories

    @property
    def may_publish(self) -> bool:
        return self.has_role("reviewer")


def _account(row: dict) -> Account:
    return Account(row["name"], row["role"], tuple(json.loads(row["categories"] or "[]")),
                   row["password_changed"] or 0.0)


def _check_name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > MAX_NAME_CHARS or any(c.isspace() or c in ",:/\\<>\"'" for c in name):
        raise AccountError(f"用户名应为1到{MAX_NAME_CHARS}个字符，不能含空格和 , : / \\ < > 引号")
    return name


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError(f"角色“{role}”不存在，可用：" + "、".join(f"{k}（{v}）" for k, v in ROLES.items()))
    return role


def _check_password(password: str) -> str:
    if len(password or "") < MIN_PASSWORD_CHARS:
        raise AccountError(f"密码至少{MIN_PASSWORD_CHARS}个字符")
    return password


def _clean_categories(categories) -> list[str]:
    return list(dict.fromkeys(c.strip() for c in (categories or ()) if c and c.strip()))


def add_user(data_dir: Path, name: str, role: str, password: str, categories=()) -> Account:
    name, role = _check_name(name), _check_role(role)
    _check_password(password)
    db = open_db(data_dir)
    if db["accounts"].count_where("name = ?", [name]):
        raise AccountError(f"用户“{name}”已存在")
    now = time.time()
    db["accounts"].insert({"name": name, "role": role, "categories": json.dumps(_clean_categories(categories),
                                                                                ensure_ascii=False),
                           "password_hash": _hasher.hash(password), "created": now, "password_changed": now})
    return get_user(data_dir, name)


def get_user(data_dir: Path, name: str) -> Account | None:
    rows = list(open_db(data_dir)["accounts"].rows_where("name = ?", [name]))
    return _account(rows[0]) if rows else None


def list_users(data_dir: Path) -> list[Account]:
    return [_account(r) for r in open_db(data_dir)["accounts"].rows_where(order_by="name")]


def _require(data_dir: Path, name: str):
    """The accounts table, once `name` is known to be in it."""
    db = open_db(data_dir)
    if not db["accounts"].count_where("name = ?", [name]):
        raise AccountError(f"用户“{name}”不存在")
    return db["accounts"]


def set_password(data_dir: Path, name: str, password: str) -> None:
    """A new password; sessions signed in before it end (handlers/console/auth.py)."""
    _check_password(password)
    _require(data_dir, name).update(name, {"password_hash": _hasher.hash(password), "password_changed": time.time()})


def set_role(data_dir: Path, name: str, role: str, categories=None) -> Account:
    changes = {"role": _check_role(role)}
    if categories is not None:
        changes["categories"] = json.dumps(_clean_categories(categories), ensure_ascii=False)
    _require(data_dir, name).update(name, changes)
    return get_user(data_dir, name)


def remove_user(data_dir: Path, name: str) -> None:
    _require(data_dir, name).delete(name)


# ---------------------------------------------------------------- signing in

def authenticate(data_dir: Path, name: str, password: str, ip: str = "", now: float | None = None) -> Account:
    """The account when `password` is right; LoginRefused when it is not, or while the account
    or the address is locked by earlier wrong passwords (then the password is not even tried)."""
    now = time.time() if now is None else now
    db = open_db(data_dir)
    keys = [f"user:{name}"] + ([f"ip:{ip}"] if ip else [])
    wait = max(_locked_for(db, key, now) for key in keys)
    if wait > 0:
        raise LoginRefused(f"密码错误次数过多，请{int(wait) + 1}秒后再试", wait)
    rows = list(db["accounts"].rows_where("name = ?", [name]))
    if not _verify(rows[0]["password_hash"] if rows else _DUMMY_HASH, password) or not rows:
        waits = [_count_failure(db, key, now, IP_FREE_FAILURES if key.startswith("ip:") else FREE_FAILURES)
                 for key in keys]
        wait = max(waits)
        extra = f"；错误次数过多，请{int(wait) + 1}秒后再试" if wait > 0 else ""
        raise LoginRefused("用户名或密码不正确" + extra, wait)
    db["login_failures"].delete_where("key = ?", [keys[0]])
    if _hasher.check_needs_rehash(rows[0]["password_hash"]):
        db["accounts"].update(name, {"password_hash": _hasher.hash(password)})
    return _account(rows[0])


def _verify(hashed: str, password: str) -> bool:
    try:
        return _hasher.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def _locked_for(db, key: str, now: float) -> float:
    rows = list(db["login_failures"].rows_where("key = ?", [key]))
    return max(0.0, rows[0]["locked_until"] - now) if rows else 0.0


def _count_failure(db, key: str, now: float, free: int) -> float:
    """Count one wrong password for `key`; returns how long it is locked now."""
    conn = db.conn
    conn.execute("begin immediate")  # workers counting at once must not lose a failure
    try:
        row = conn.execute("select failures, last from login_failures where key = ?", [key]).fetchone()
        failures = 1 if row is None or now - row[1] > FORGET_AFTER else row[0] + 1
        over = failures - free
        lock = min(LOCK_BASE_SECONDS * 2 ** (over - 1), LOCK_MAX_SECONDS) if over > 0 else 0.0
        conn.execute("insert or replace into login_failures (key, failures, last, locked_until) values (?, ?, ?, ?)",
                     [key, failures, now, now + lock])
        conn.execute("commit")
    except BaseException:
        conn.execute("rollback")
        raise
    return lock


def failures_of(data_dir: Path, key: str) -> int:
    rows = list(open_db(data_dir)["login_failures"].rows_where("key = ?", [key]))
    return rows[0]["failures"] if rows else 0
