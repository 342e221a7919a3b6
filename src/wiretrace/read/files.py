"""Input files: which files a scan reads, and reading them with bounded memory.

The policy (README, "Bad input"):

- a folder is searched recursively, in name order; a folder that cannot be listed is an
  error, like a file that cannot be read;
- hidden files and folders (names starting with ``.``) inside a folder are not read and are
  listed as skipped (``hidden``); a hidden file named directly is read;
- the same file reached twice (named twice, or named and inside a named folder, or through a
  link) is read once; the repeat is listed (``repeated_input``);
- a folder that holds wiretrace's own output (it has the marker :data:`OUTPUT_MARKER`) is not
  read (``wiretrace_output``): a scan of ``data/`` next to ``data/out/`` would otherwise read
  its own tables as articles;
- a record larger than the maximum record size is never held whole: it is skipped as
  ``too_large`` with its size.
"""

from __future__ import annotations

import gzip
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal, cast

from wiretrace.errors import InputError
from wiretrace.records import Skipped

Format = Literal["txt", "jsonl", "csv", "parquet", "html", "warc"]
_SUFFIXES: dict[str, Format] = {
    ".txt": "txt",
    ".text": "txt",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".parquet": "parquet",
    ".html": "html",
    ".htm": "html",
    ".warc": "warc",
}
SUPPORTED = (
    "`.txt`, `.html`, `.htm`, `.jsonl`, `.csv`, `.warc` (each optionally `.gz`) and `.parquet`"
)
# wiretrace writes this file into every output folder it writes: it lists the files wiretrace
# wrote there (the only files it will ever replace or remove), and tells a later scan that
# the folder is output, not input.
OUTPUT_MARKER = ".wiretrace-output"

# Reasons a whole file is skipped: listed in summary.json, no row in documents (no record).
UNSUPPORTED_FILE = "unsupported_file"
HIDDEN = "hidden"
REPEATED_INPUT = "repeated_input"
WIRETRACE_OUTPUT = "wiretrace_output"
NOT_A_FILE = "not_a_file"
FILE_REASONS = frozenset({UNSUPPORTED_FILE, HIDDEN, REPEATED_INPUT, WIRETRACE_OUTPUT, NOT_A_FILE})
TOO_LARGE = "too_large"

_CHUNK = 1 << 20
# A record past the limit is counted to report its size, up to this many times the limit:
# counting a gzip bomb to its end would take minutes for a number nobody needs.
_COUNT_FACTOR = 64


@dataclass(frozen=True, slots=True)
class FilePart:
    """A piece of one input file that a task reads on its own (``plan_file_tasks``): row
    groups ``first`` to ``stop`` of a Parquet file, or bytes ``first`` to ``stop`` of a plain
    JSONL file (both at line starts); ``before``: the file's records (rows, lines) before
    it, so that locations are numbered as in the whole file."""

    first: int
    stop: int
    before: int


@dataclass(frozen=True, slots=True)
class InputFile:
    """An input file and how to read it."""

    path: Path
    format: Format
    gzip: bool
    # where the file is opened when that differs from ``path``: the absolute path, for a
    # worker elsewhere whose working folder is not the caller's (names still come from path)
    where: Path | None = None
    part: FilePart | None = None  # only this piece of the file (None: all of it)

    @property
    def open_path(self) -> Path:
        """Where to open the file."""
        return self.where or self.path

    @property
    def source(self) -> str:
        """The path as the records' ``source`` names it (see :func:`path_text`)."""
        return path_text(self.path)

    @property
    def id(self) -> str:
        """Document id of a text file: its name without extensions (``a.txt.gz`` -> ``a``)."""
        name = path_text(self.path.name)
        if self.gzip:
            name = name[: -len(".gz")]
        return name[: -len(Path(name).suffix)] if Path(name).suffix else name


def path_text(path: str | os.PathLike[str]) -> str:
    """A path as text that can be written anywhere (Parquet, JSON, a terminal): a file name
    that is not UTF-8 (on Linux a name is any bytes) shows those bytes as escapes,
    ``bad\\xff.txt``, where the raw name would fail every write at the end of the scan."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


# How a record's ``source`` names its place inside its file: a JSONL line, a Parquet row, a
# WARC record (a text or HTML file's source is the file itself, which ends in its suffix).
_PLACE_IN_FILE = re.compile(r":(?:\d+|row \d+|record \d+)$")


def source_file(source: str) -> str:
    """The file part of a record's ``source`` (``in/feb.jsonl:12`` -> ``in/feb.jsonl``)."""
    return _PLACE_IN_FILE.sub("", source)


def classify(path: Path) -> InputFile | None:
    suffixes = [suffix.lower() for suffix in path.suffixes]
    compressed = bool(suffixes) and suffixes[-1] == ".gz"
    if compressed:
        suffixes = suffixes[:-1]
    if not suffixes or suffixes[-1] not in _SUFFIXES:
        return None
    kind = _SUFFIXES[suffixes[-1]]
    if kind == "parquet" and compressed:
        return None  # Parquet compresses internally
    return InputFile(path=path, format=kind, gzip=compressed)


def as_paths(inputs: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> list[str]:
    """One path or several as a list: a single string is one path, never its characters."""
    if isinstance(inputs, str | os.PathLike):
        return [os.fspath(inputs)]
    paths = []
    for given in inputs:
        if not isinstance(given, str | os.PathLike):
            raise InputError(
                f"inputs must be paths (str or pathlib.Path), got {type(given).__name__} "
                f"{given!r:.60}"
            )
        paths.append(os.fspath(given))
    return paths


def is_url(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` names a place by URL (``hdfs://...``, ``s3a://...``), not a path."""
    return re.match(r"[A-Za-z][A-Za-z0-9+.-]+://", os.fspath(path)) is not None


def is_output_folder(path: Path) -> bool:
    return (path / OUTPUT_MARKER).is_file()


class _Discovery:
    def __init__(self) -> None:
        self.files: list[InputFile] = []
        self.skipped: list[Skipped] = []
        self._seen: dict[tuple[int, int], Path] = {}
        self._folders: set[tuple[int, int]] = set()

    def add_file(self, path: Path, found: InputFile) -> None:
        try:
            status = path.stat()
        except OSError as error:
            raise InputError(f"cannot read {path}: {error.strerror or error}") from error
        key = (status.st_dev, status.st_ino)
        first = self._seen.get(key)
        if first is not None:
            detail = f"the same file as {path_text(first)}, given again; read once"
            self.skipped.append(Skipped(path_text(path), REPEATED_INPUT, detail))
            return
        self._seen[key] = path
        self.files.append(found)

    def add_folder(self, folder: Path) -> None:
        status = folder.stat()
        key = (status.st_dev, status.st_ino)
        if key in self._folders:  # named twice, or a link back up the tree
            detail = "a folder already searched, given again; read once"
            self.skipped.append(Skipped(path_text(folder), REPEATED_INPUT, detail))
            return
        self._folders.add(key)
        if is_output_folder(folder):
            detail = "a folder of wiretrace output (it holds .wiretrace-output); not read"
            self.skipped.append(Skipped(path_text(folder), WIRETRACE_OUTPUT, detail))
            return
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as error:
            raise InputError(
                f"cannot read folder {folder}: {error.strerror or error}; fix its permissions "
                "or leave it out of the inputs"
            ) from error
        for entry in entries:
            child = Path(entry.path)
            is_folder = entry.is_dir()
            if entry.name.startswith("."):
                what = "hidden folder, not searched" if is_folder else "hidden file, not read"
                self.skipped.append(
                    Skipped(path_text(child), HIDDEN, f"{what}; name it as an input to read it")
                )
            elif is_folder:
                self.add_folder(child)
            elif entry.is_file():
                found = classify(child)
                if found is None:
                    detail = f"not one of {SUPPORTED}"
                    self.skipped.append(Skipped(path_text(child), UNSUPPORTED_FILE, detail))
                else:
                    self.add_file(child, found)
            else:
                detail = "not a regular file or folder (a broken link, a socket, a device)"
                self.skipped.append(Skipped(path_text(child), NOT_A_FILE, detail))


def discover(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
) -> tuple[list[InputFile], list[Skipped]]:
    """Expand input paths (files or folders, searched recursively) into readable files, and
    the files and folders passed over with the reason (see the module's policy).

    A path that does not exist, a folder that cannot be listed, or a file named directly
    with an unsupported type is an InputError.
    """
    found = _Discovery()
    for given in as_paths(paths):
        if is_url(given):
            raise InputError(
                f"input {given} is a URL: wiretrace reads files and folders on this machine "
                "(on a cluster too, the driver reads them); copy or mount the input here"
            )
        path = Path(given)
        if not path.exists():
            raise InputError(f"input not found: {path}; check the path")
        if path.is_dir():
            found.add_folder(path)
            continue
        kind = classify(path)
        if kind is None:
            raise InputError(
                f"cannot read {path}: unsupported file type; wiretrace reads {SUPPORTED}"
            )
        found.add_file(path, kind)
    return found.files, found.skipped


def open_binary(file: InputFile) -> IO[bytes]:
    try:
        if file.gzip:
            return cast(IO[bytes], gzip.open(file.open_path, "rb"))
        return file.open_path.open("rb")
    except OSError as error:
        raise InputError(f"cannot read {file.path}: {error.strerror or error}") from error


def too_large(size: int, limit: int, what: str = "record") -> str:
    """The detail of a ``too_large`` skip."""
    amount = f"more than {size:,}" if size >= _COUNT_FACTOR * limit else f"{size:,}"
    return (
        f"{what} of {amount} bytes is over the maximum record size of {limit:,} bytes "
        "(--max-record-mib / ScanConfig.max_record_bytes)"
    )


def _count_rest(read: IO[bytes] | IO[str], size: int, limit: int, line: bool) -> int:
    """Read on to the end of the record (the line, or the stream), counting, keeping nothing.

    A stream is counted up to ``_COUNT_FACTOR`` times the limit and left there. A line is
    read to its end however long (the count stops at that size): the rest of a line left
    unread would be read as further records, shifting every later line number, and could
    even pass for a record of its own.
    """
    most = _COUNT_FACTOR * limit
    while line or size < most:
        chunk = read.readline(_CHUNK) if line else read.read(_CHUNK)
        size = min(size + len(chunk), most) if line else size + len(chunk)
        if not chunk or (line and chunk[-1:] in ("\n", "\r", b"\n", b"\r")):
            break
    return size


def read_bounded(stream: IO[bytes], limit: int) -> bytes | int:
    """The whole stream, or its size when over ``limit`` bytes (never held whole)."""
    data = stream.read(limit + 1)
    if len(data) <= limit:
        return data
    return _count_rest(stream, len(data), limit, line=False)


def bounded_lines(stream: IO[bytes], limit: int) -> Iterator[tuple[int, bytes | int]]:
    """Every line of a binary stream with its number (from 1), as JSONL counts them; a line
    over ``limit`` bytes comes as its size instead, and is never held whole."""
    number = 0
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit and not line.endswith(b"\n"):
            yield number, _count_rest(stream, len(line), limit, line=True)
        else:
            yield number, line


class LineTooLargeError(Exception):
    """A line of a text stream is over the maximum record size."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


class BoundedText:
    """The lines of a text stream for ``csv.reader``, counted; a line over ``limit``
    characters raises LineTooLargeError (after being read past, never held whole), and iteration
    can go on after it: ``csv.reader`` starts a new record at every call."""

    def __init__(self, stream: IO[str], limit: int) -> None:
        self._stream = stream
        self._limit = limit
        self.lines = 0  # physical lines read so far

    def __iter__(self) -> BoundedText:
        return self

    def __next__(self) -> str:
        line = self._stream.readline(self._limit + 1)
        if not line:
            raise StopIteration
        self.lines += 1
        if len(line) > self._limit and not line.endswith(("\n", "\r")):
            raise LineTooLargeError(_count_rest(self._stream, len(line), self._limit, line=True))
        return line
