"""Configuration from the environment and from a .env file."""
from pathlib import Path

from bot.config import Config


def test_env_file_is_read_and_the_environment_wins(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("WECHAT_TOKEN=from-file\nPORT=9001\nFAQ_DIR=/srv/faq\n", encoding="utf-8")
    config = Config.from_env({"WECHAT_TOKEN": "from-env"}, dotenv_path=env_file)
    assert config.wechat_token == "from-env" and config.port == 9001 and config.faq_dir == Path("/srv/faq")
    assert config.public_base_url == "http://127.0.0.1:9001"  # detail links point at this server


def test_defaults_without_any_configuration(tmp_path):
    config = Config.from_env({}, dotenv_path=tmp_path / "missing.env")
    assert (config.host, config.port, config.wechat_aes_key) == ("127.0.0.1", 8000, "")
    assert config.faq_dir.name == "faq_data" and config.faq_reload_interval == 2.0
    assert Config.from_env({"PUBLIC_BASE_URL": "https://bot.example.cn"}).public_base_url == "https://bot.example.cn"
