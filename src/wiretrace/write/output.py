"""Where wiretrace may write: checked before any work, and only over files it wrote itself.

wiretrace never deletes or overwrites a file it did not write. Every output folder gets a
marker file (``.wiretrace-output``, see ``wiretrace.read.files``) that lists the files wiretrace
wrote there; a later run replaces or removes only those. An output location that is, or holds,
one of the inputs is refused, and so is a folder holding a file of an output's name that the
marker does not list. All paths are resolved (``..``, links) before they are compared.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

from wiretrace import __version__
from wiretrace.errors import InputError
from wiretrace.processes import process_alive
from wiretrace.read.files import OUTPUT_MARKER, as_paths, marked_files
from wiretrace.write.atomic import PARTIAL, atomic_path, remove


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def refuse_broken_links(target: Path, option: str) -> None:
    """A symbolic link on the way to ``target`` that leads nowhere, or back to itself (a
    loop), is refused: nothing can be written through it."""
    for step in (target, *target.parents):
        if not step.is_symlink() or step.exists():
            continue
        where = f"{option} {target}" if step == target else f"{option} {target}: {step}"
        try:
            step.resolve(strict=True)
        except FileNotFoundError:
            raise InputError(
                f"{where} is a symbolic link to {step.readlink()}, which does not exist; "
                f"create that folder or give another {option}"
            ) from None
        except (RuntimeError, OSError):  # a loop: RuntimeError before Python 3.13, then ELOOP
            raise InputError(
                f"{where} is a symbolic link that leads back to itself (a loop); give another "
                f"{option}"
            ) from None


def _resolved(path: Path) -> Path | None:
    """``path`` with links and ``..`` resolved (None: a loop of links, refused elsewhere)."""
    try:
        return path.resolve()
    except (RuntimeError, OSError):
        return None


def refuse_inputs(target: Path, inputs: Iterable[str | os.PathLike[str]], option: str) -> None:
    """An output that is one of the inputs, or a folder holding one, is refused."""
    refuse_broken_links(target, option)
    resolved = target.resolve()
    for given in as_paths(inputs):
        found = _resolved(Path(given))  # an input that cannot be resolved is not read either
        if found is not None and _inside(found, resolved):
            what = "is" if found == resolved else "holds"
            raise InputError(
                f"{option} {target} {what} the input {given}; write to a place outside the "
                "inputs (wiretrace never overwrites its input)"
            )


def file_url_path(url: str) -> Path | None:
    """The path on this machine that a ``file:`` URL names (None: another scheme or host).
    Not unquoted: Hadoop keeps a ``%20`` as three characters."""
    parsed = urlsplit(url)
    if parsed.scheme.lower() != "file" or parsed.netloc not in ("", "localhost"):
        return None
    return Path(parsed.path)


def check_writable(folder: Path, option: str) -> None:
    """Prove that ``folder`` can be made and written to, without making it yet (a run that
    fails before it writes leaves nothing behind): a file is written and removed in the
    folder, or in its nearest existing parent."""
    existing = folder.resolve()
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise InputError(
            f"cannot write to {option} {folder}: {existing} is a file; choose a folder"
        )
    try:
        with tempfile.NamedTemporaryFile(dir=existing, prefix=".wiretrace-probe-"):
            pass
    except OSError as error:
        raise InputError(
            f"cannot write to {option} {folder}: {error.strerror or error}; choose a folder "
            "you can write to"
        ) from error


def owned(folder: Path) -> set[str]:
    """The names of the files wiretrace wrote in ``folder`` (none when it has no marker)."""
    return marked_files(folder) or set()


def mark(folder: Path, files: Iterable[str]) -> None:
    """Record ``files`` as written by wiretrace in ``folder``."""
    content = {
        "written_by": "wiretrace",
        "version": __version__,
        "note": "wiretrace replaces or removes only the files listed here",
        "files": sorted(set(files)),
    }
    with atomic_path(folder / OUTPUT_MARKER) as temporary:
        temporary.write_text(json.dumps(content, indent=2) + "\n", "utf-8")


def check_folder(
    out: str | os.PathLike[str],
    inputs: Iterable[str | os.PathLike[str]],
    names: Iterable[str],
    option: str = "--out",
) -> Path:
    """Check an output folder before any work: not a file, not holding an input, no file of
    the output's ``names`` that wiretrace did not write, writable."""
    folder = Path(out)
    refuse_broken_links(folder, option)
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{option} {folder} is a file; give a folder to write the tables into")
    refuse_inputs(folder, inputs, option)
    if folder.is_dir():
        mine = owned(folder)
        for name in names:
            if (folder / name).exists() and name not in mine:
                raise InputError(
                    f"{option} {folder} holds {name}, which wiretrace did not write; choose a "
                    f"new or empty folder, or move {name} away"
                )
    check_writable(folder, option)
    return folder


REPORT = "report.html"  # a scan folder's report (``wiretrace.write.report``)
_HELD: set[Path] = set()  # output folders this process holds the lock of


@contextlib.contextmanager
def output_lock(out: str | os.PathLike[str], option: str = "--out") -> Iterator[Path]:
    """Hold the output folder ``out`` for the whole run: another run into it at the same time
    is refused, before its work (two scans writing one folder at once left one's
    summary.json beside the other's tables). The lock is the kernel's, on the folder itself
    (``flock``): it leaves no file behind and ends with the process, however that ends. The
    folder is made here; one made for the lock is removed again if the run leaves it empty.
    Taking it again in the process that holds it is a no-op."""
    folder = Path(out)
    key = folder.resolve()
    if key in _HELD or sys.platform == "win32":  # Windows has no flock: no lock there
        yield folder
        return
    made = [path for path in (folder, *folder.parents) if not path.exists()]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as error:
        raise InputError(
            f"cannot write to {option} {folder}: {error.strerror or error}; choose a folder "
            "you can write to"
        ) from error
    try:
        _lock(descriptor, folder, option)
        _HELD.add(key)
        try:
            yield folder
        finally:
            _HELD.discard(key)
    finally:
        os.close(descriptor)  # releases the lock
        for path in made:  # deepest first; only empty ones go
            with contextlib.suppress(OSError):
                path.rmdir()


def _lock(descriptor: int, folder: Path, option: str) -> None:
    import fcntl  # POSIX only (output_lock does not lock on Windows)

    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise InputError(
            f"{option} {folder} is being written by another wiretrace run; wait until it "
            "ends, or choose another folder"
        ) from None
    except OSError:  # a file system without locks (some network ones): unlocked, as before
        pass


def remove_stale_partials(folder: Path, names: Iterable[str]) -> list[Path]:
    """Remove what runs killed while writing ``names`` into ``folder`` left behind (their
    ``.NAME.partial-PID`` files, see ``atomic_path``), once that process is gone."""
    removed = []
    for name in names:
        for path in folder.glob(f".{name}{PARTIAL}*"):
            pid = path.name.rsplit(PARTIAL, 1)[1]
            if not pid.isdigit() or process_alive(int(pid)):
                continue
            with contextlib.suppress(FileNotFoundError):
                remove(path)
                removed.append(path)
    return removed
