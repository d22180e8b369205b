"""Log lines: plain text, or with LOG_FORMAT=json one JSON object per line (for a log collector).

    {"ts": "2025-01-01T08:00:00.123+00:00", "level": "WARNING", "logger": "webhook", "message": "…"}

Fields passed with `extra={...}` are added as keys. Anything shaped like an OpenID is masked:
the sender's id must never reach a log.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import re

PLAIN_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
OPENID = re.compile(r"\bo[0-9A-Za-z_-]{27}\b")  # WeChat OpenIDs: 28 characters starting with "o"
# What every LogRecord has; anything else on a record came in through `extra`.
STANDARD_FIELDS = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "taskName"}


def mask(text: str) -> str:
    return OPENID.sub("o***", text)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        data = {"ts": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
                "level": record.levelname, "logger": record.name, "message": record.getMessage()}
        data.update({k: v for k, v in vars(record).items() if k not in STANDARD_FIELDS and not k.startswith("_")})
        if record.exc_info:
            data["exc"] = self.formatException(record.exc_info)
        return mask(json.dumps(data, ensure_ascii=False, default=str))


def configure(log_format: str = "text") -> None:
    """Once per process (a root logger with a handler is left alone: an earlier app, or pytest)."""
    formatter = JsonFormatter() if log_format.lower() == "json" else logging.Formatter(PLAIN_FORMAT)
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(formatter)
        root.addHandler(handler)
        root.setLevel(logging.INFO)
    if isinstance(formatter, JsonFormatter):  # under gunicorn its error and access logs too
        for name in ("gunicorn.error", "gunicorn.access"):
            for handler in logging.getLogger(name).handlers:
                handler.setFormatter(formatter)
