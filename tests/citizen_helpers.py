"""What the tests of the citizen services share (tests/test_ratings.py, test_hot.py,
test_related.py, test_handoff.py): reading the staff tables, any reply kind of the webhook,
and FAQ directories of their own."""
from __future__ import annotations

import base64
import io
from contextlib import redirect_stdout
from pathlib import Path

import xmltodict
from wechatpy.crypto import PrpCrypto

from bot.answer.engine import Engine
from bot.config import Config
from bot.search.cache import open_or_build
from tests.helpers import APPID, TOKEN, WeChat, make_faq_dir, sign


def engine_of(app_or_client) -> Engine:
    app = getattr(app_or_client, "application", app_or_client)
    return app.extensions["engine"]


def rows(engine: Engine, table: str) -> list[dict]:
    """A citizen table's rows once the background writers are done."""
    engine.store.flush()
    engine.citizen.flush()
    return list(engine.store.db().query(f"select * from [{table}] order by rowid"))


def raw_reply(wx: WeChat, response) -> dict | None:
    """The reply's fields whatever its MsgType (tests.helpers.WeChat.read wants text), decrypted in safe mode."""
    assert response.status_code == 200, response.data
    if response.data == b"success":
        return None
    outer = xmltodict.parse(response.data)["xml"]
    if wx.mode == "plain":
        return outer
    encrypt = outer["Encrypt"]
    assert outer["MsgSignature"] == sign(TOKEN, outer["TimeStamp"], outer["Nonce"], encrypt)
    return xmltodict.parse(PrpCrypto(base64.b64decode(wx.aes_key + "=")).decrypt(encrypt, APPID))["xml"]


def send_raw(wx: WeChat, msg_type: str = "text", **extra) -> dict | None:
    fields = wx.fields(msg_type, **extra)
    return raw_reply(wx, wx.post(*wx.request(fields)))


def faq_with(tmp_path: Path, files: dict[str, str]) -> Path:
    """The tests' tiny FAQ (tests/helpers.py) with some files added or replaced."""
    faq = make_faq_dir(tmp_path / "faq")
    for name, text in files.items():
        (faq / name).write_text(text, encoding="utf-8")
    return faq


def own_engine(tmp_path: Path, faq_dir: Path, **changes) -> Engine:
    config = Config(faq_dir=faq_dir, data_dir=tmp_path / "data", public_base_url="https://bot.example.cn",
                    faq_reload_interval=0, wechat_token=TOKEN, wechat_appid=APPID, **changes)
    return Engine(config, index=open_or_build(faq_dir, tmp_path / "index"))


def report_output(*args: str) -> str:
    """What `python -m bot report ARGS` prints (DATA_DIR and FAQ_DIR from the environment)."""
    from bot.cli import main
    out = io.StringIO()
    with redirect_stdout(out):
        main(["report", *args])
    return out.getvalue()


def cli_engine(wx: WeChat, monkeypatch, faq_dir: Path) -> Engine:
    """The engine behind `wx`'s app, with DATA_DIR and FAQ_DIR set so that `python -m bot …`
    (report, feedback) reads what it stored."""
    engine = engine_of(wx.client)
    monkeypatch.setenv("DATA_DIR", str(engine.config.data_dir))
    monkeypatch.setenv("FAQ_DIR", str(faq_dir))
    return engine
