"""Processes: how worker processes start, and whether one still runs (for files a killed
run left behind). Light on purpose: the command imports it before anything else."""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import os
from collections.abc import Iterable
from pathlib import Path

# what the fork server imports once, for every worker it forks
_PRELOAD = ["wiretrace.forkserver"]

# Input of more bytes than this (text; gzip counted at three times its size) starts the
# workers before reading: two batches of news (2,048 documents each) are ~12 MB.
EARLY_POOL_BYTES = 16 * 2**20


def input_bytes(inputs: Iterable[str | Path]) -> int:
    """About how many bytes of text the files named among ``inputs`` hold (gzip counted at
    three times its size; folders, and what cannot be read, not at all)."""
    total = 0
    for given in map(Path, inputs):
        try:
            size = given.stat().st_size if given.is_file() else 0
        except OSError:
            continue  # reading says what is wrong with it
        total += 3 * size if given.suffix == ".gz" else size
    return total


def worker_context() -> multiprocessing.context.BaseContext:
    """How worker processes start: forked by the fork server where the platform has one
    (``wiretrace.backend``'s docstring says why), else spawned."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    # Preloading takes effect when the server starts (once per process); a server another
    # library started already keeps its own list and the workers import the rest themselves.
    context.set_forkserver_preload(_PRELOAD)
    return context


def start_fork_server() -> None:
    """Start the fork server now, where the platform has one: it imports the stages (~0.6 s)
    on another core while this process imports its own, and the first workers come ready
    that much sooner. Nothing waits for it here."""
    if worker_context().get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (another user's process counts as running)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
