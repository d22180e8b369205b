"""The console's sign-in, sessions, CSRF and switch (handlers/console/auth.py), over the
Flask test client with real accounts in a real sqlite file."""
from __future__ import annotations

import time

import pytest

from bot.staff import accounts
from tests.console_helpers import USERS, password_of

PAGES = ["/console/", "/console/entries", "/console/review", "/console/history"]


@pytest.mark.parametrize("path", PAGES)
def test_signed_out_sees_nothing_but_the_sign_in_page(console, path):
    response = console.client().get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/console/login?next=")
    assert "chengtie" not in response.get_data(as_text=True)


def test_signed_out_post_is_refused_too(console):
    client = console.client()
    response = client.post("/console/entries/new", {"file": "chengtie.yaml"})
    assert response.status_code in (302, 405)
    assert "/console/login" in response.headers.get("Location", "/console/login")


def test_sign_in_then_pages_open_and_sign_out_ends_it(console):
    client = console.client("editor")
    page = client.get("/console/entries")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "editor（编辑）" in html and "条目" in html
    assert client.post("/console/logout").status_code == 302
    assert client.get("/console/entries").status_code == 302


def test_sign_in_returns_to_the_page_asked_and_never_to_another_site(console):
    client = console.client()
    token = client.csrf_token()
    form = {"name": "editor", "password": password_of("editor"), "csrf_token": token}
    response = client.raw.post("/console/login?next=/console/history", data=form)
    assert response.headers["Location"] == "/console/history"
    client = console.client()
    form["csrf_token"] = client.csrf_token()
    response = client.raw.post("/console/login?next=//evil.example/x", data=form)
    assert "evil" not in response.headers["Location"]


def test_wrong_password_is_refused_in_chinese(console):
    response = console.client().sign_in("editor", "wrong-password")
    assert response.status_code == 401
    assert "用户名或密码不正确" in response.get_data(as_text=True)


def test_repeated_wrong_passwords_are_slowed_even_with_the_right_one_after(console):
    client = console.client()
    for _ in range(accounts.FREE_FAILURES):
        assert client.sign_in("reviewer", "wrong-password").status_code == 401
    slowed = client.sign_in("reviewer", "wrong-password")
    assert slowed.status_code == 429
    assert "错误次数过多" in slowed.get_data(as_text=True)
    # locked: the right password is not even tried meanwhile
    refused = client.sign_in("reviewer")
    assert refused.status_code == 429
    assert "密码错误次数过多，请" in refused.get_data(as_text=True)
    # another account from the same address is not locked by these few
    assert client.sign_in("admin").status_code == 302


def test_wrong_passwords_from_one_address_lock_it_for_every_account(console):
    client = console.client()
    names = list(USERS)
    for i in range(accounts.IP_FREE_FAILURES + 1):
        client.sign_in(names[i % len(names)] + "-nobody", "wrong-password")
    assert client.sign_in("admin").status_code == 429


def test_missing_csrf_token_is_refused(console):
    client = console.client("admin")
    response = client.post("/console/logout", csrf=False)
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)
    assert client.get("/console/entries").status_code == 200  # still signed in
    bad = client.post("/console/logout", {"csrf_token": "forged"}, csrf=False)
    assert bad.status_code == 400


def test_sign_in_form_needs_its_token_too(console):
    response = console.client().raw.post("/console/login", data={"name": "admin", "password": password_of("admin")})
    assert response.status_code == 400


def test_api_and_webhook_need_no_csrf_token(console, monkeypatch):
    client = console.app.test_client()
    assert client.get("/api/ask?q=城铁末班车几点").status_code == 200
    response = client.post("/wechat?signature=x&timestamp=1&nonce=2", data=b"<xml></xml>", content_type="text/xml")
    assert response.status_code == 403  # refused by its signature check, not by CSRF (400)


def test_session_expires_after_the_idle_minutes(console, monkeypatch):
    client = console.client("editor")
    assert client.get("/console/entries").status_code == 200
    later = time.time() + console.config.console_session_minutes * 60 + 5
    monkeypatch.setattr(time, "time", lambda: later)
    assert client.get("/console/entries").status_code == 302


def test_changed_password_or_removed_account_ends_its_sessions(console):
    client = console.client("editor2")
    time.sleep(0.01)
    accounts.set_password(console.data_dir, "editor2", "another-password-1")
    assert client.get("/console/entries").status_code == 302
    client = console.client("reviewer")
    accounts.remove_user(console.data_dir, "reviewer")
    assert client.get("/console/entries").status_code == 302


def test_console_pages_have_their_own_csp_allowing_their_forms(console):
    response = console.client("editor").get("/console/entries")
    assert "form-action 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"
    citizen = console.app.test_client().get("/faq/ct-mobanche")
    assert "form-action 'none'" in citizen.headers["Content-Security-Policy"]


def test_switched_off_there_is_no_console(make_app):
    app = make_app()  # CONSOLE_ENABLED is off by default
    client = app.test_client()
    assert client.get("/console/login").status_code == 404
    assert client.get("/console/entries").status_code == 404


def test_the_session_key_is_made_once_and_private(console, tmp_path):
    key = console.data_dir / "console_secret.key"
    assert key.stat().st_mode & 0o777 == 0o600
    assert len(key.read_text().strip()) == 64
    assert console.app.secret_key == key.read_text().strip()
