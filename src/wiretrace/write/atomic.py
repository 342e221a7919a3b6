"""Writes that never leave a complete-looking but partial file behind."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

PARTIAL = ".partial-"  # temporary files are ``.NAME.partial-PID``: a later run can tell whose


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path next to ``target``; rename it over ``target`` only on success."""
    temporary = target.with_name(f".{target.name}{PARTIAL}{os.getpid()}")
    try:
        yield temporary
        temporary.replace(target)
    finally:
        if temporary.is_dir():
            for child in sorted(temporary.rglob("*"), reverse=True):
                child.rmdir() if child.is_dir() else child.unlink()
            temporary.rmdir()
        else:
            temporary.unlink(missing_ok=True)
