"""Work spread over forked worker processes, where that is safe (YAML parsing, segmenting)."""
from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
import threading


def can_fork() -> bool:
    """Cores to spare, and no other thread here: a fork copies the locks other threads may hold,
    so only a process starting up forks (a running server's reloads stay in one process).
    Forked, not spawned: spawned workers would import the whole server again first."""
    return (os.cpu_count() or 1) > 1 and threading.active_count() == 1


def fork_map(function, items: list):
    """`function` over `items`, in order, in forked worker processes; call when can_fork()."""
    context = multiprocessing.get_context("fork")
    with concurrent.futures.ProcessPoolExecutor(os.cpu_count(), mp_context=context) as pool:
        yield from pool.map(function, items)
