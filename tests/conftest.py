"""Fixtures: the tiny FAQ of tests/helpers.py, a temp DATA_DIR, and Flask apps in plaintext and
safe mode with a real Engine over one shared index."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.answer.engine import Engine  # noqa: E402
from bot.config import Config  # noqa: E402
from bot.search.cache import open_or_build  # noqa: E402
from bot.search.index import Index  # noqa: E402
from server import create_app  # noqa: E402
from tests.helpers import APPID, TOKEN, WeChat, make_faq_dir, new_aes_key  # noqa: E402


@pytest.fixture(scope="session")
def faq_dir(tmp_path_factory) -> Path:
    return make_faq_dir(tmp_path_factory.mktemp("faq"))


@pytest.fixture
def data_dir(tmp_path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def base_config(faq_dir, data_dir) -> Config:
    return Config(faq_dir=faq_dir, data_dir=data_dir, wechat_token=TOKEN, wechat_appid=APPID,
                  public_base_url="https://bot.example.cn", faq_reload_interval=0)


@pytest.fixture
def aes_key() -> str:
    return new_aes_key()


@pytest.fixture(scope="session")
def shared_index(faq_dir, tmp_path_factory) -> Index:
    """Built once: every Engine would otherwise start jieba again (over a second each)."""
    return open_or_build(faq_dir, tmp_path_factory.mktemp("index"))


@pytest.fixture
def make_app(base_config, shared_index):
    """An app like create_app(config) makes, with a real Engine over the shared index."""
    def make(**changes):
        config = base_config.replace(**changes)
        app = create_app(config, engine=Engine(config, index=shared_index))
        app.testing = True
        return app
    return make


@pytest.fixture
def plain_app(make_app):
    return make_app()


@pytest.fixture
def safe_app(make_app, aes_key):
    return make_app(wechat_aes_key=aes_key)


@pytest.fixture
def plain(plain_app):
    return WeChat(plain_app.test_client(), TOKEN)


@pytest.fixture
def safe(safe_app, aes_key):
    return WeChat(safe_app.test_client(), TOKEN, aes_key)
