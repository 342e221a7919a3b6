"""What a scan makes lives until it ends: the garbage collector is told so.

A scan keeps what each stage makes (document rows, 130,000 matches of 10,000 documents with
their passages, stories) until its tables are written. CPython's full collections go through
every tracked object each time they run, and run again each time the survivors grow by a
quarter: an eighth of a default scan of 10,000 documents (7.5 s of 62, ~5 s of it full
collections that found nothing to free). ``gc.freeze`` moves what exists now to a generation
the collector leaves alone; objects in it are still freed when nothing refers to them, only
cycles among them wait until :func:`spared` ends and unfreezes them.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_open = 0  # spared blocks not ended yet, in any thread: the last to end unfreezes


@contextmanager
def spared() -> Iterator[None]:
    """A block whose long-lived objects the collector leaves alone: what exists as it starts
    and whenever it calls :func:`keep`. Blocks may nest (a scan written by the command
    that ran it); the outermost unfreezes as it ends."""
    global _open
    with _lock:
        _open += 1
        gc.freeze()
    try:
        yield
    finally:
        with _lock:
            _open -= 1
            if not _open:
                gc.unfreeze()


def keep() -> None:
    """What exists now lives until the enclosing :func:`spared` block ends (outside one:
    nothing is frozen)."""
    if _open:
        gc.freeze()
