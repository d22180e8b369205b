"""Configuration from the environment (and a `.env` file when present)."""
from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path

from dotenv import dotenv_values

PROJECT_ROOT = Path(__file__).resolve().parent.parent


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
    # /healthz/details: with HEALTH_TOKEN only to `Authorization: Bearer <token>`, else only
    # from 127.0.0.1 (/healthz itself is public and says only ok or what is broken).
    health_token: str = ""

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
            elif f.name == "port":
                kwargs[f.name] = int(raw)
            elif f.name == "faq_reload_interval":
                kwargs[f.name] = float(raw)
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
        return Config(**data)
