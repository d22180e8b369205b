"""What the service keeps of citizens (issue 12 item 12): files only its own user can read,
the message log purged after LOG_RETENTION_DAYS, phone and ID-card numbers masked before
anything is written."""
from __future__ import annotations

import os
import sqlite3
import stat
import time
import urllib.parse
import urllib.request

import pytest

from bot.config import Config
from bot.search.cache import open_or_build
from bot.store.conversation import Conversation
from bot.store.files import make_private, write_private
from bot.store.privacy import mask_personal_numbers
from bot.store.sqlite import Store
from tests.helpers import make_faq_dir
from tests.test_server import start_server, stop


@pytest.mark.parametrize("text, masked", [
    ("手机 13812345678", "手机 138****5678"),
    ("我的电话是138 1234 5678，麻烦回个电话", "我的电话是138****5678，麻烦回个电话"),
    ("联系方式：+86-139-0731-2222。", "联系方式：139****2222。"),
    ("身份证 43020219900101123X 社保怎么查", "身份证 430***********123X 社保怎么查"),
    ("身份证号430202199001011234，手机15974123456，帮我查下公积金",
     "身份证号430***********1234，手机159****3456，帮我查下公积金"),
    ("身份证尾号是x的43020219900101123x能办吗", "身份证尾号是x的430***********123x能办吗"),
])
def test_phone_and_id_numbers_are_masked(text, masked):
    assert mask_personal_numbers(text) == masked


@pytest.mark.parametrize("text", [
    "2025年要建设长者餐厅40家", "城铁末班车23时25分", "政务热线12345", "座机0731-28888888",
    "订单号2023120112345678901", "12345678901",  # 11 digits, but no mobile number starts 12
])
def test_other_numbers_are_kept(text):
    assert mask_personal_numbers(text) == text


def _raw_bytes(path) -> bytes:
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


def test_the_log_file_never_holds_the_numbers(tmp_path):
    path = tmp_path / "bot.sqlite"
    store = Store(path)
    store.log_message(user="u" * 32, msg_type="text", text="我手机13812345678，身份证43020219900101123X，医保怎么办",
                      outcome="fallback")
    assert store.messages()[0]["text"] == "我手机138****5678，身份证430***********123X，医保怎么办"
    raw = _raw_bytes(path)  # the database, its WAL and shared memory: nothing left anywhere
    assert b"13812345678" not in raw and b"43020219900101123X" not in raw
    store.close()


def test_the_conversation_state_never_holds_the_numbers(tmp_path):
    store = Store(tmp_path / "bot.sqlite")
    store.save_state("u" * 32, Conversation(last_id="x", last_query="我电话13812345678，低保怎么申请"))
    assert store.load_state("u" * 32).last_query == "我电话138****5678，低保怎么申请"
    assert b"13812345678" not in _raw_bytes(tmp_path / "bot.sqlite")
    store.close()


def _message_count(path) -> int:
    with sqlite3.connect(path) as db:
        return db.execute("select count(*) from messages").fetchone()[0]


def test_messages_past_the_retention_period_are_purged_in_the_background(tmp_path):
    path = tmp_path / "bot.sqlite"
    store = Store(path, log_retention_days=30)
    with sqlite3.connect(path) as db:  # an old log, as a server running for a year leaves it
        db.executemany("insert into messages (ts, user, text, outcome) values (?, 'u', ?, 'answer')",
                       [(time.time() - days * 86400, f"第{days}天前") for days in (400, 31, 29, 1)])
    store.log_message(user="u", msg_type="text", text="今天的问题", outcome="answer")
    store.flush()  # the writer thread writes the row, then runs its purge (once a minute)
    assert [m["text"] for m in store.messages()] == ["第29天前", "第1天前", "今天的问题"]
    store.close()


def test_a_retention_period_that_would_delete_everything_is_refused(tmp_path):
    with pytest.raises(ValueError, match="LOG_RETENTION_DAYS 应为正数"):
        Store(tmp_path / "bot.sqlite", log_retention_days=0)


def test_the_purge_uses_the_index_on_ts(tmp_path):
    path = tmp_path / "bot.sqlite"
    Store(path).close()
    with sqlite3.connect(path) as db:
        plan = " ".join(row[-1] for row in db.execute(
            "explain query plan select rowid from messages where ts < ? limit 1000", [0]))
    assert "idx_messages_ts" in plan


def test_retention_days_come_from_the_environment():
    assert Config().log_retention_days == 180
    assert Config.from_env({"LOG_RETENTION_DAYS": "30"}, dotenv_path=os.devnull).log_retention_days == 30


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_files_are_private(tmp_path):
    store = Store(tmp_path / "bot.sqlite")
    store.log_message(user="u", msg_type="text", text="你好", outcome="rule")
    store.flush()
    assert {p.name: _mode(p) for p in tmp_path.glob("bot.sqlite*")} == \
        {"bot.sqlite": 0o600, "bot.sqlite-wal": 0o600, "bot.sqlite-shm": 0o600}
    index = open_or_build(make_faq_dir(tmp_path / "faq"), tmp_path / "index")
    assert _mode(index.path) == 0o600
    index.close()
    write_private(tmp_path / "state.json", "{}")
    assert _mode(tmp_path / "state.json") == 0o600
    store.close()


def test_make_private_fixes_an_older_folder(tmp_path):
    (tmp_path / "index").mkdir(mode=0o755)
    (tmp_path / "index" / "old.sqlite").write_text("x")
    (tmp_path / "bot.sqlite").write_text("x")
    for path in (tmp_path, tmp_path / "index", tmp_path / "index" / "old.sqlite", tmp_path / "bot.sqlite"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    assert make_private(tmp_path) == 4
    assert _mode(tmp_path) == _mode(tmp_path / "index") == 0o700
    assert _mode(tmp_path / "bot.sqlite") == _mode(tmp_path / "index" / "old.sqlite") == 0o600
    assert make_private(tmp_path) == 0


@pytest.mark.slow
def test_a_running_server_keeps_data_dir_private(tmp_path):
    """Started on a DATA_DIR an older version left world-readable: every file is 0600 once it
    runs, including those it creates while answering, and the log holds the masked text."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    data_dir.chmod(0o755)
    (data_dir / "user_hash.key").write_text("k" * 64)
    (data_dir / "user_hash.key").chmod(0o644)
    base, proc = start_server(make_faq_dir(tmp_path / "faq"), data_dir)
    try:
        question = urllib.parse.quote("城铁末班车几点，我电话13812345678")
        urllib.request.urlopen(f"{base}/api/ask?q={question}&user=alice", timeout=10).read()
        deadline = time.monotonic() + 10
        while not (data_dir / "bot.sqlite-wal").exists() or not _message_count(data_dir / "bot.sqlite"):
            assert time.monotonic() < deadline, "message not logged"
            time.sleep(0.1)
        assert {_mode(p) for p in [data_dir, *data_dir.rglob("*")] if p.is_dir()} == {0o700}
        files = {str(p.relative_to(data_dir)): _mode(p) for p in data_dir.rglob("*") if p.is_file()}
        assert files and set(files.values()) == {0o600}, files
        assert b"13812345678" not in _raw_bytes(data_dir / "bot.sqlite")
    finally:
        stop(proc)
