"""A fake of WeChat's server API on 127.0.0.1, for `menu push/show` in tests: /cgi-bin/token,
/cgi-bin/menu/create and /cgi-bin/menu/get with WeChat's JSON and return codes (40001 for an
unknown token, 42001 expired, 46003 no menu, the menu limits' 400xx, quotas on demand), so no
call leaves the machine. A real HTTP server (werkzeug) in a thread of the test process: the
commands under test run as separate processes and reach it over TCP."""
from __future__ import annotations

import json
import secrets
import threading
import time

from flask import Flask, request
from werkzeug.serving import make_server

APPID = "wx1234567890abcdef"
SECRET = "0123456789abcdef0123456789abcdef"
TYPES = {"click", "view", "scancode_push", "scancode_waitmsg", "pic_sysphoto", "pic_photo_or_album",
         "pic_weixin", "location_select", "media_id", "view_limited", "miniprogram", "article_id",
         "article_view_limited"}


def _error(code: int, message: str) -> dict:
    return {"errcode": code, "errmsg": f"{message} rid: {secrets.token_hex(4)}"}


def menu_error(menu) -> dict | None:
    """What WeChat's menu/create answers to a menu breaking its limits (None: accepted)."""
    buttons = menu.get("button") if isinstance(menu, dict) else None
    if not isinstance(buttons, list) or not 1 <= len(buttons) <= 3:
        return _error(40016, "invalid button size")
    for button in buttons:
        subs = button.get("sub_button")
        if len(button.get("name", "").encode()) > 16:
            return _error(40018, "invalid button name size")
        if subs:
            if len(subs) > 5:
                return _error(40023, "invalid sub button size")
            for sub in subs:
                if problem := _leaf_error(sub, sub=True):
                    return problem
        elif problem := _leaf_error(button, sub=False):
            return problem
    return None


def _leaf_error(button: dict, sub: bool) -> dict | None:
    if sub and len(button.get("name", "").encode()) > 60:
        return _error(40025, "invalid sub button name size")
    if button.get("type") not in TYPES:
        return _error(40024 if sub else 40017, "invalid sub button type" if sub else "invalid button type")
    if button["type"] == "click" and not 0 < len(button.get("key", "").encode()) <= 128:
        return _error(40026 if sub else 40019, "invalid button key size")
    if button["type"] == "view" and not 0 < len(button.get("url", "").encode()) <= 1024:
        return _error(40027 if sub else 40020, "invalid button url size")
    return None


class FakeWeChat:
    def __init__(self, appid: str = APPID, secret: str = SECRET, expires_in: int = 7200):
        self.appid, self.secret, self.expires_in = appid, secret, expires_in
        self.tokens: dict[str, float] = {}   # token → expiry
        self.token_fetches = 0
        self.menu: dict | None = None
        self.calls: list[str] = []           # every path asked, in order
        self.fail: dict[str, dict] = {}      # path → the error it answers next (once)
        self.token_delay = 0.0               # seconds /cgi-bin/token takes (clients racing for a token)
        self._lock = threading.Lock()
        self.app = self._make_app()
        self._server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.port = self._server.server_port
        self.base = f"http://127.0.0.1:{self.port}/cgi-bin/"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> FakeWeChat:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()

    def revoke_tokens(self) -> None:
        """Every token issued so far stops working (as after a fetch elsewhere, 5 minutes on)."""
        self.tokens.clear()

    def _token_error(self) -> dict | None:
        expiry = self.tokens.get(request.args.get("access_token", ""))
        if expiry is None:
            return _error(40001, "invalid credential, access_token is invalid or not latest")
        if expiry < time.time():
            return _error(42001, "access_token expired")
        return None

    def _make_app(self) -> Flask:
        app = Flask("fake-wechat")

        @app.before_request
        def record():
            self.calls.append(request.path)
            if request.path in self.fail:
                return self.fail.pop(request.path)
            return None

        @app.get("/cgi-bin/token")
        def token():
            args = request.args
            if args.get("grant_type") != "client_credential":
                return _error(40002, "invalid grant_type")
            if args.get("appid") != self.appid:
                return _error(40013, "invalid appid")
            if args.get("secret") != self.secret:
                return _error(40125, "invalid appsecret")
            time.sleep(self.token_delay)
            with self._lock:
                self.token_fetches += 1
                value = secrets.token_urlsafe(48)
                self.tokens[value] = time.time() + self.expires_in
            return {"access_token": value, "expires_in": self.expires_in}

        @app.post("/cgi-bin/menu/create")
        def create():
            if problem := self._token_error():
                return problem
            try:
                menu = json.loads(request.get_data().decode("utf-8"))
            except ValueError:
                return _error(47001, "data format error")
            if problem := menu_error(menu):
                return problem
            self.menu = menu
            return {"errcode": 0, "errmsg": "ok"}

        @app.get("/cgi-bin/menu/get")
        def get():
            if problem := self._token_error():
                return problem
            if self.menu is None:
                return _error(46003, "menu no exist")
            return {"menu": {"button": [self._as_got(b) for b in self.menu["button"]]}}

        return app

    @staticmethod
    def _as_got(button: dict) -> dict:
        """menu/get gives every button a sub_button list, empty for the leaves."""
        return {**button, "sub_button": [{**s, "sub_button": []} for s in button.get("sub_button", [])]}


if __name__ == "__main__":  # python -m tests.fake_wechat: try `menu push/show` by hand, offline
    fake = FakeWeChat().start()
    print(f"fake WeChat API: WECHAT_API_BASE={fake.base} WECHAT_APPID={APPID} WECHAT_APPSECRET={SECRET}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        fake.stop()
