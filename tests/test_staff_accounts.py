"""bot/staff/accounts.py and `python -m bot staff …`: real argon2 hashes in a real sqlite file."""
from __future__ import annotations

import subprocess
import sys

import pytest

from bot.staff import accounts
from tests.helpers import ROOT


def test_add_get_list_and_roles(tmp_path):
    accounts.add_user(tmp_path, "王编辑", "editor", "password-1", ["城铁出行", " 养老救助 ", ""])
    accounts.add_user(tmp_path, "李审核", "reviewer", "password-2")
    editor = accounts.get_user(tmp_path, "王编辑")
    assert editor.categories == ("城铁出行", "养老救助") and editor.role_label == "编辑"
    assert editor.may_edit("城铁出行") and not editor.may_edit("住房改造") and not editor.may_publish
    reviewer = accounts.get_user(tmp_path, "李审核")
    assert reviewer.may_edit("住房改造") and reviewer.may_publish and not reviewer.has_role("admin")
    assert accounts.Account("x", "admin").has_role("editor", "reviewer")
    assert [a.name for a in accounts.list_users(tmp_path)] == sorted(["王编辑", "李审核"])


def test_the_password_is_stored_only_as_an_argon2_hash(tmp_path):
    accounts.add_user(tmp_path, "admin", "admin", "secret-password")
    raw = (tmp_path / "staff.sqlite").read_bytes()
    assert b"secret-password" not in raw and b"$argon2id$" in raw
    assert (tmp_path / "staff.sqlite").stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(("name", "role", "password", "message"), [
    ("a b", "editor", "password-1", "用户名"),
    ("ok", "boss", "password-1", "角色“boss”不存在"),
    ("ok", "editor", "short", "密码至少8个字符"),
])
def test_bad_accounts_are_refused_in_chinese(tmp_path, name, role, password, message):
    with pytest.raises(accounts.AccountError, match=message):
        accounts.add_user(tmp_path, name, role, password)


def test_duplicates_and_unknown_users_are_refused(tmp_path):
    accounts.add_user(tmp_path, "a", "editor", "password-1")
    with pytest.raises(accounts.AccountError, match="已存在"):
        accounts.add_user(tmp_path, "a", "admin", "password-1")
    with pytest.raises(accounts.AccountError, match="不存在"):
        accounts.set_password(tmp_path, "nobody", "password-1")
    with pytest.raises(accounts.AccountError, match="不存在"):
        accounts.remove_user(tmp_path, "nobody")


def test_authenticate_and_password_change(tmp_path):
    accounts.add_user(tmp_path, "a", "editor", "password-1")
    assert accounts.authenticate(tmp_path, "a", "password-1").name == "a"
    accounts.set_password(tmp_path, "a", "password-2")
    with pytest.raises(accounts.LoginRefused, match="用户名或密码不正确"):
        accounts.authenticate(tmp_path, "a", "password-1")
    assert accounts.authenticate(tmp_path, "a", "password-2").password_changed > 0
    with pytest.raises(accounts.LoginRefused):
        accounts.authenticate(tmp_path, "nobody", "password-2")


def test_wrong_passwords_lock_longer_each_time_and_are_forgotten(tmp_path):
    accounts.add_user(tmp_path, "a", "editor", "password-1")
    now = 1_000_000.0
    for _ in range(accounts.FREE_FAILURES):
        with pytest.raises(accounts.LoginRefused) as refused:
            accounts.authenticate(tmp_path, "a", "wrong", now=now)
        assert refused.value.wait == 0
    with pytest.raises(accounts.LoginRefused) as refused:
        accounts.authenticate(tmp_path, "a", "wrong", now=now)
    assert refused.value.wait == accounts.LOCK_BASE_SECONDS
    with pytest.raises(accounts.LoginRefused, match="秒后再试"):  # the right password, while locked
        accounts.authenticate(tmp_path, "a", "password-1", now=now + 1)
    with pytest.raises(accounts.LoginRefused) as refused:  # next failure after the lock: twice as long
        accounts.authenticate(tmp_path, "a", "wrong", now=now + accounts.LOCK_BASE_SECONDS + 1)
    assert refused.value.wait == 2 * accounts.LOCK_BASE_SECONDS
    later = now + accounts.LOCK_BASE_SECONDS * 3 + 2
    assert accounts.authenticate(tmp_path, "a", "password-1", now=later).name == "a"
    assert accounts.failures_of(tmp_path, "user:a") == 0  # a success resets the account's count


def test_per_ip_lock_covers_every_name(tmp_path):
    accounts.add_user(tmp_path, "a", "editor", "password-1")
    for i in range(accounts.IP_FREE_FAILURES + 1):
        with pytest.raises(accounts.LoginRefused):
            accounts.authenticate(tmp_path, f"guess{i}", "wrong", ip="10.0.0.9", now=100.0)
    with pytest.raises(accounts.LoginRefused, match="秒后再试"):
        accounts.authenticate(tmp_path, "a", "password-1", ip="10.0.0.9", now=101.0)
    assert accounts.authenticate(tmp_path, "a", "password-1", ip="10.0.0.10", now=101.0).name == "a"


def _staff(tmp_path, *args, stdin=""):
    env = {"DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "bot", "staff", *args], input=stdin, capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=60)


def test_cli_add_list_passwd_set_role_remove(tmp_path):
    done = _staff(tmp_path, "add-user", "王编辑", "--role", "editor", "--categories", "城铁出行,养老救助",
                  stdin="password-1\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "已创建用户：王编辑\t编辑（editor）\t分类：城铁出行、养老救助"
    assert _staff(tmp_path, "list").stdout.splitlines()[-1] == "共 1 个用户。"
    assert _staff(tmp_path, "passwd", "王编辑", stdin="password-2\n").returncode == 0
    assert accounts.authenticate(tmp_path, "王编辑", "password-2")
    short = _staff(tmp_path, "passwd", "王编辑", stdin="short\n")
    assert short.returncode == 1 and "密码至少8个字符" in short.stderr
    assert "审核（reviewer）" in _staff(tmp_path, "set-role", "王编辑", "--role", "reviewer").stdout
    assert _staff(tmp_path, "remove", "王编辑").returncode == 0
    assert accounts.list_users(tmp_path) == []
