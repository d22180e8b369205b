"""Configuration from the environment (and a `.env` file when present)."""
from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path

from dotenv import dotenv_values

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INT_FIELDS = ("port", "rate_limit_per_user", "rate_limit_per_ip", "rate_limit_wechat_per_ip", "proxy_hops",
              "log_retention_days", "first_reply_cache_mb", "feedback_due_days", "console_session_minutes")
FLOAT_FIELDS = ("faq_reload_interval", "test_reply_delay", "human_session_minutes")
# Switches that are off unless set: 0/false/no/off (or empty) is off, like METRICS_ENABLED's values.
BOOL_FIELDS = ("console_enabled", "console_direct_publish", "wechat_kf_transfer")


@dataclass(frozen=True)
class Config:
    faq_dir: Path = PROJECT_ROOT / "faq_data"
    data_dir: Path = PROJECT_ROOT / "data"
    public_base_url: str = "http://127.0.0.1:8000"
    wechat_token: str = ""
    wechat_appid: str = ""
    wechat_aes_key: str = ""
    wechat_aes_key_previous: str = ""
    # Key for hashing OpenIDs; when empty a random key is created once in DATA_DIR.
    user_hash_key: str = ""
    host: str = "127.0.0.1"
    port: int = 8000
    # How often (seconds) a running server looks for edited FAQ files.
    faq_reload_interval: float = 2.0
    # /metrics (Prometheus): served unless METRICS_ENABLED=0; with METRICS_TOKEN only to
    # `Authorization: Bearer <token>`.
    metrics_enabled: bool = True
    metrics_token: str = ""
    # "json": one JSON object per log line; anything else: plain text.
    log_format: str = "text"
    # Several instances: with a Redis URL (redis://host:6379/0) the retry claims and replies,
    # conversation state and rate counters live there, shared by every instance; empty: in this
    # instance's sqlite file and each process's memory (bot/store/shared.py).
    redis_url: str = ""
    # Rate limits, requests per minute; 0 turns one off. Per citizen (hashed OpenID on /wechat,
    # `user` on /api/ask) and per client IP on /api/ask. The IP limit of /wechat is off by default:
    # WeChat pushes every citizen's messages from a few servers of its own.
    rate_limit_per_user: int = 20
    rate_limit_per_ip: int = 60
    rate_limit_wechat_per_ip: int = 0
    # Reverse proxies in front of the server that append to X-Forwarded-For (nginx: 1): the
    # client IP the IP limits count is read from that header, as far back as this many hops.
    proxy_hops: int = 0
    # For tests only: a WeChat push waits this long (seconds) after its claim, before it is
    # answered, so a test can kill the worker while the request is in flight.
    test_reply_delay: float = 0.0
    # Days the message log keeps a citizen's message; older rows are purged in the background.
    log_retention_days: int = 180
    # The source reports (e.g. ../shared/reports): when set, every load checks that each number
    # of an answer stands in its cited report near the entry's subject (bot/content/checks.py).
    reports_dir: Path | None = None
    # /healthz/details: with HEALTH_TOKEN only to `Authorization: Bearer <token>`, else only
    # from 127.0.0.1 (/healthz itself is public and says only ok or what is broken).
    health_token: str = ""
    # Memory (MB) for the replies to first messages, remembered by text for ten minutes: a burst
    # after a mass send asks the same few questions. 0: every message is decided anew.
    first_reply_cache_mb: int = 8
    # "news": an answer of one entry goes out as a one-article news (图文) card linking to its
    # detail page (bot/answer/cards.py); needs a public PUBLIC_BASE_URL. Else text, the default.
    reply_format: str = "text"
    # The custom menu (`python -m bot menu push/show`): the AppSecret, and WeChat's API base URL
    # (tests point it at a fake on 127.0.0.1).
    wechat_appsecret: str = ""
    wechat_api_base: str = "https://api.weixin.qq.com/cgi-bin/"
    # Citizen services (bot/answer/services.py): a bad rating is due this many working days
    # later; WECHAT_KF_TRANSFER=1 hands citizens to WeChat's own 客服 (verified accounts), and
    # the bot stays silent while that session is open (at most this many minutes; ≤ 60).
    feedback_due_days: int = 5
    wechat_kf_transfer: bool = False
    human_session_minutes: float = 30.0
    # The staff web console under /console/ (handlers/console): off unless CONSOLE_ENABLED=1.
    console_enabled: bool = False
    # 1: an 编辑's save is published at once; else it waits for an 审核 (small teams: 1).
    console_direct_publish: bool = False
    # A signed-in console session ends after this many minutes without a request.
    console_session_minutes: int = 60
    # Signs the console's session cookies; when empty a random key is created once in DATA_DIR.
    secret_key: str = ""

    @classmethod
    def from_env(cls, environ: dict | None = None, dotenv_path: str | os.PathLike | None = None) -> Config:
        """Environment variables win over `.env`; unknown keys are ignored."""
        values: dict[str, str] = {}
        path = Path(dotenv_path) if dotenv_path else Path.cwd() / ".env"
        if path.is_file():
            values.update({k: v for k, v in dotenv_values(path).items() if v is not None})
        values.update(os.environ if environ is None else environ)
        kwargs = {}
        for f in fields(cls):
            raw = values.get(f.name.upper())
            if raw is None:
                continue
            if f.name in ("faq_dir", "data_dir"):
                kwargs[f.name] = Path(raw)
            elif f.name == "reports_dir":
                kwargs[f.name] = Path(raw) if raw.strip() else None
            elif f.name in INT_FIELDS:
                kwargs[f.name] = int(raw)
            elif f.name in FLOAT_FIELDS:
                kwargs[f.name] = float(raw)
            elif f.name in BOOL_FIELDS:
                kwargs[f.name] = raw.strip().lower() not in ("0", "false", "no", "off", "")
            elif f.name == "metrics_enabled":
                kwargs[f.name] = raw.strip().lower() not in ("0", "false", "no", "off")
            else:
                kwargs[f.name] = raw
        if "public_base_url" not in kwargs:  # detail links point at this very server by default
            kwargs["public_base_url"] = f"http://{kwargs.get('host', cls.host)}:{kwargs.get('port', cls.port)}"
        return cls(**kwargs)

    def replace(self, **changes) -> Config:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data.update(changes)
        for key in ("faq_dir", "data_dir"):
            data[key] = Path(data[key])
        if data["reports_dir"] is not None:
            data["reports_dir"] = Path(data["reports_dir"])
        return Config(**data)
