"""Many workers starting at once on a fresh DATA_DIR (issue 12, item 6): every one of them opens
bot.sqlite and the hash key, and they all hash with the same, non-empty key."""
from __future__ import annotations

import multiprocessing
import os

import pytest

from bot.store.conversation import Conversation
from bot.store.sqlite import Store, UserHasher

WORKERS = 12
ROUNDS = 8


def _start(data_dir: str, barrier, results) -> None:
    """What a gunicorn worker does first: open the store and the hash key, then use them."""
    try:
        barrier.wait(10)
        store = Store(os.path.join(data_dir, "bot.sqlite"))
        hasher = UserHasher.for_data_dir(data_dir)
        user = hasher("o-citizen")
        store.save_state(f"{user}-{os.getpid()}", Conversation(last_id="x"))
        store.log_message(user=user, msg_type="text", text="你好", outcome="rule")
        store.close()
        results.put(("ok", user))
    except BaseException as exc:  # the parent reports it
        results.put(("failed", f"{type(exc).__name__}: {exc}"))


@pytest.mark.slow
def test_workers_starting_at_once_on_a_fresh_data_dir_all_succeed_with_one_key(tmp_path):
    ctx = multiprocessing.get_context("fork")
    for round_ in range(ROUNDS):
        data_dir = tmp_path / f"data-{round_}"  # not created: Store makes it, as on a first start
        barrier, results = ctx.Barrier(WORKERS), ctx.Queue()
        procs = [ctx.Process(target=_start, args=(str(data_dir), barrier, results)) for _ in range(WORKERS)]
        for proc in procs:
            proc.start()
        outcomes = [results.get(timeout=60) for _ in procs]
        for proc in procs:
            proc.join(10)
        failed = [detail for status, detail in outcomes if status != "ok"]
        assert failed == [], f"round {round_}: {failed}"
        users = {detail for _, detail in outcomes}
        assert len(users) == 1, f"round {round_}: workers hashed with different keys"
        key = (data_dir / "user_hash.key").read_text().strip()
        assert len(key) == 64 and users == {UserHasher(key.encode())("o-citizen")}
        store = Store(data_dir / "bot.sqlite")
        assert len(store.messages()) == WORKERS
        assert not [p for p in data_dir.iterdir() if p.name.endswith(".tmp")]  # no temporary files left


def test_an_empty_key_file_is_refused_not_used(tmp_path):
    (tmp_path / "user_hash.key").write_text("")
    with pytest.raises(ValueError, match="user_hash.key"):
        UserHasher.for_data_dir(tmp_path)
