"""Writes that never leave a complete-looking but partial file behind."""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

PARTIAL = ".partial-"  # temporary files are ``.NAME.partial-PID``: a later run can tell whose


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path next to ``target`` (the writer makes a file or a folder there);
    put it in place of ``target`` only on success. A file replaces a file atomically; a folder
    (a table Spark wrote) replaces what was there once that is removed: the caller checked
    that wiretrace wrote it."""
    temporary = target.with_name(f".{target.name}{PARTIAL}{os.getpid()}")
    try:
        yield temporary
        if temporary.is_dir() or target.is_dir():
            remove(target)
        temporary.replace(target)
    finally:
        remove(temporary)


def remove(path: Path) -> None:
    """Remove a file or a folder (not what a link points to), if there."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)
