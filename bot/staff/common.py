"""What every `python -m bot` command starts from: the configuration (with --faq-dir) and the engine."""
from __future__ import annotations

from pathlib import Path

from bot.answer.engine import Engine
from bot.config import Config


def config_for(args) -> Config:
    """The environment's configuration, with the FAQ directory given by --faq-dir if any."""
    config = Config.from_env()
    if getattr(args, "faq_dir", None):
        config = config.replace(faq_dir=Path(args.faq_dir))
    return config


def engine_for(args) -> Engine:
    return Engine(config_for(args))
