"""WeChat's server API through wechatpy's client: the custom menu (create, read), with the
access token kept where every worker and command of this instance finds it.

* The AppID and AppSecret come from the configuration (WECHAT_APPID, WECHAT_APPSECRET), the API's
  base URL from WECHAT_API_BASE (tests point it at a fake WeChat on 127.0.0.1).
* The token (valid 2 hours, and WeChat counts how often one is fetched) is a wechatpy session
  storage: a sqlite file in DATA_DIR (0600), or Redis with REDIS_URL so that every instance
  shares it. One process fetches at a time (a lock file); the others then use its token.
* Every failure becomes `WeChatApiError` with a Chinese message for the operator.
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import sqlite3
import time
from pathlib import Path

import redis
import requests
from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException
from wechatpy.session import SessionStorage
from wechatpy.session.redisstorage import RedisStorage

from bot.config import Config
from bot.store.files import PRIVATE_DIR, PRIVATE_FILE, create_private

TOKEN_FILE = "wechat_token.sqlite"
LOCK_FILE = "wechat_token.lock"
# A token is dropped this long before WeChat's expiry: a request made with it must still arrive in time.
EXPIRY_MARGIN = 300
TIMEOUT = 10.0
MAX_FRESH_TOKENS = 2  # per client: a token WeChat rejects right after issuing it is not fetched forever

# WeChat's global return codes (全局返回码) an operator meets here, and what to do about them.
ERRORS = {
    -1: "微信系统繁忙，请稍后再试",
    40001: "AppSecret 错误，或 access_token 无效：请核对 WECHAT_APPSECRET 是否为本公众号的"
           "（公众平台 → 设置与开发 → 基本配置）",
    40002: "不合法的凭证类型",
    40013: "AppID 不合法：请核对 WECHAT_APPID（注意大小写，不要有空格）",
    40014: "access_token 不合法：已重新获取仍被拒绝，请核对 AppID 与 AppSecret 是否属于同一个公众号",
    40016: "一级菜单个数不合法（应为1到3个）",
    40017: "按钮类型不合法",
    40018: "一级菜单名称太长",
    40019: "一级菜单的 key 太长",
    40020: "一级菜单的网址太长",
    40023: "二级菜单个数不合法（应为1到5个）",
    40024: "二级菜单类型不合法",
    40025: "二级菜单名称太长",
    40026: "二级菜单的 key 太长",
    40027: "二级菜单的网址太长",
    40054: "二级菜单的网址域名不合法",
    40055: "一级菜单的网址域名不合法",
    40125: "AppSecret 无效：请核对 WECHAT_APPSECRET（公众平台 → 设置与开发 → 基本配置，重置后旧的立即失效）",
    40164: "本机的出口 IP 不在公众号的 IP 白名单里：请在公众平台“设置与开发 → 基本配置 → IP白名单”"
           "加入这台服务器的公网 IP",
    41001: "缺少 access_token",
    42001: "access_token 已过期：已重新获取仍失败，请稍后再试",
    45009: "今天调用这个接口的次数已用完（微信按天限制次数）：请明天再试，或在公众平台清零调用次数",
    45010: "创建菜单的次数超过限制：请稍后再试",
    45011: "调用太频繁（每分钟次数已满）：请一分钟后再试",
    46003: "公众号目前没有自定义菜单",
    48001: "公众号没有这个接口的权限：自定义菜单接口需要已认证的订阅号或服务号",
    89503: "这次调用来自新的 IP，需要公众号管理员在微信里确认后再试",
}


class WeChatApiError(Exception):
    """A call to WeChat failed; str() is the Chinese message for the operator."""


def explain(exc: Exception) -> str:
    """The Chinese message for a failed call: what WeChat said, in its own words too."""
    if isinstance(exc, WeChatClientException) and exc.errcode is not None:
        hint = ERRORS.get(exc.errcode, "微信返回了错误")
        return f"{hint}（微信返回 errcode={exc.errcode}：{exc.errmsg}）"
    if isinstance(exc, WeChatClientException):  # an HTTP error status, no JSON
        status = getattr(exc.response, "status_code", "?")
        return f"微信接口返回 HTTP {status}，没有给出错误码：请稍后再试"
    if isinstance(exc, requests.RequestException):
        return f"无法连接微信接口（{type(exc).__name__}）：请检查网络、代理和 WECHAT_API_BASE 设置"
    return f"调用微信接口出错：{exc}"


class SqliteTokenStorage(SessionStorage):
    """wechatpy's session storage in a sqlite file of DATA_DIR, which all of this instance's
    processes open: a token fetched by one is used by the others until it expires."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
        create_private(self.path)
        with self._db() as db:
            db.execute("create table if not exists session (key text primary key, value text, expires real)")

    @contextlib.contextmanager
    def _db(self):
        db = sqlite3.connect(self.path, timeout=10)
        try:
            with db:
                yield db
        finally:
            db.close()

    def get(self, key, default=None):
        with self._db() as db:
            row = db.execute("select value from session where key = ? and (expires is null or expires > ?)",
                             [key, time.time()]).fetchone()
        return json.loads(row[0]) if row else default

    def set(self, key, value, ttl=None):
        if value is None:
            return
        expires = time.time() + max(int(ttl) - EXPIRY_MARGIN, 1) if ttl else None
        with self._db() as db:
            db.execute("insert or replace into session (key, value, expires) values (?, ?, ?)",
                       [key, json.dumps(value), expires])

    def delete(self, key):
        with self._db() as db:
            db.execute("delete from session where key = ?", [key])


class _TimeoutSession(requests.Session):
    def request(self, *args, **kwargs):
        kwargs["timeout"] = kwargs.get("timeout") or TIMEOUT
        return super().request(*args, **kwargs)


class Client(WeChatClient):
    """wechatpy's client on a configurable API base URL, fetching the token once for all the
    processes sharing its storage. wechatpy builds every URL from API_BASE_URL except the
    token's, which it writes out: fetch_access_token is the one method changed."""

    def __init__(self, appid: str, secret: str, api_base: str, session: SessionStorage, lock_path: Path):
        super().__init__(appid, secret, session=session, timeout=TIMEOUT)
        self._http = _TimeoutSession()  # wechatpy fetches the token without a timeout
        self.API_BASE_URL = api_base.rstrip("/") + "/"
        self.lock_path = Path(lock_path)
        self._used_token: str | None = None
        self._fresh_tokens = 0

    @property
    def access_token(self):
        token = super().access_token
        self._used_token = token  # what a 40001/42001 answer, and wechatpy's retry after it, refer to
        return token

    def fetch_access_token(self):
        with self._locked():
            current = self.session.get(self.access_token_key)
            if current and current != self._used_token:  # fetched meanwhile by another process
                self._used_token = current
                return {"access_token": current}
            self._fresh_tokens += 1
            if self._fresh_tokens > MAX_FRESH_TOKENS:
                raise WeChatClientException(40014, "access_token rejected right after it was issued", client=self)
            result = self._fetch_access_token(url=self.API_BASE_URL + "token",
                                              params={"grant_type": "client_credential", "appid": self.appid,
                                                      "secret": self.secret})
            self._used_token = result.get("access_token")
            return result

    @contextlib.contextmanager
    def _locked(self):
        self.lock_path.parent.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
        fd = open(self.lock_path, "a")  # noqa: SIM115 - held for the block
        try:
            self.lock_path.chmod(PRIVATE_FILE)
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fd.close()  # releases the lock


class RedisTokenStorage(RedisStorage):
    """wechatpy's Redis storage, every instance's (REDIS_URL), dropping a token as early as the file does."""

    def set(self, key, value, ttl=None):
        super().set(key, value, max(int(ttl) - EXPIRY_MARGIN, 1) if ttl else None)


def session_for(config: Config) -> SessionStorage:
    if config.redis_url:
        return RedisTokenStorage(redis.Redis.from_url(config.redis_url), prefix="zhuzhou-bot:wechat")
    return SqliteTokenStorage(Path(config.data_dir) / TOKEN_FILE)


def client_for(config: Config) -> Client:
    missing = [name for name, value in (("WECHAT_APPID", config.wechat_appid),
                                        ("WECHAT_APPSECRET", config.wechat_appsecret)) if not value]
    if missing:
        raise WeChatApiError(f"没有设置 {'、'.join(missing)}：在公众平台“设置与开发 → 基本配置”查看，"
                             "写入环境变量或 .env（AppSecret 只放在服务器上，不要提交到代码库）")
    return Client(config.wechat_appid, config.wechat_appsecret, config.wechat_api_base, session_for(config),
                  Path(config.data_dir) / LOCK_FILE)


def _call(func, *args):
    try:
        return func(*args)
    except (WeChatClientException, requests.RequestException) as exc:
        raise WeChatApiError(explain(exc)) from exc


def create_menu(config: Config, menu: dict) -> dict | None:
    """Replace the account's custom menu by `menu` (menu/create's JSON); the live menu read back."""
    client = client_for(config)
    _call(client.menu.create, menu)
    return _live(_call(client.menu.get))


def get_menu(config: Config) -> dict | None:
    """The live menu as menu/get gives it ({"button": [...]}), or None when there is none."""
    return _live(_call(client_for(config).menu.get))


def _live(result: dict | None) -> dict | None:
    return None if result is None else result.get("menu") or {"button": []}
