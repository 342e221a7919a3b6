"""Input files: which files a scan reads, and reading them with bounded memory.

The policy (README, "Bad input"):

- a folder is searched recursively (to any depth), in name order; a folder that cannot be
  listed is an error, like a file that cannot be opened, and so is an input named directly
  that is not a regular file or a folder (a FIFO would be waited on forever);
- inside a folder, what is not a regular file or a folder (a FIFO, a socket, a device, a
  broken link, a link loop) is listed as skipped (``not_a_file``); so is a folder of the
  system's state (``system_folder``: /proc, /sys, /dev), which is never searched;
- a file whose bytes cannot be read to its end (a damaged gzip stream) is listed as skipped
  (``unreadable_file``) after the records read before the damage;
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

import errno
import json
import os
import re
import stat
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal, cast

from isal import igzip, isal_zlib

from wiretrace.errors import InputError
from wiretrace.records import Skipped

Format = Literal["txt", "jsonl", "csv", "parquet", "html", "warc"]
_SUFFIXES: dict[str, Format] = {
    ".txt": "txt",
    ".text": "txt",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".tsv": "csv",  # read as CSV, its delimiter the header's (``csv_rows.delimiter_of``)
    ".parquet": "parquet",
    ".html": "html",
    ".htm": "html",
    ".warc": "warc",
}
SUPPORTED = (
    "`.txt`, `.html`, `.htm`, `.jsonl`, `.csv`, `.tsv`, `.warc` (each optionally `.gz`) and "
    "`.parquet`"
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
SYSTEM_FOLDER = "system_folder"
UNREADABLE_FILE = "unreadable_file"
FILE_REASONS = frozenset(
    {
        UNSUPPORTED_FILE,
        HIDDEN,
        REPEATED_INPUT,
        WIRETRACE_OUTPUT,
        NOT_A_FILE,
        SYSTEM_FOLDER,
        UNREADABLE_FILE,
    }
)
# What reading the bytes of an opened file raises when they are damaged or cut short: a
# gzip stream that is not one (BadGzipFile, an OSError) or ends early (EOFError), a damaged
# deflate block (ISA-L's error; zlib.error where Python's gzip reads), a disk's I/O error.
_ISAL_ERROR = cast("type[Exception]", isal_zlib.error)  # its stub calls it an instance
READ_ERRORS = (OSError, EOFError, zlib.error, _ISAL_ERROR)
TOO_LARGE = "too_large"

_CHUNK = 1 << 20
# A record past the limit is counted to report its size, up to this many times the limit:
# counting a gzip bomb to its end would take minutes for a number nobody needs.
_COUNT_FACTOR = 64


class FileReadError(InputError):
    """A file that opened but cannot be read to its end (a damaged or truncated gzip stream,
    a disk error). A scan keeps the records read before and lists the rest of the file as
    skipped (``unreadable_file``, see ``sources.read_file``): one damaged file in a folder
    must not end the scan of the others; ``dedup`` writes the records read before it."""

    def __init__(self, file: InputFile, error: BaseException, after: str = "") -> None:
        self.detail = (
            f"the file cannot be read{after} ({type(error).__name__}: {str(error).strip()})"
        )
        self.partly_read = bool(after)  # ``after``: where it stopped (" past line 12")
        super().__init__(f"cannot read {file.path}: {self.detail}")


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


_SIDECARS = (".dropped.jsonl", ".summary.json")


def _dedup_sidecar(path: Path) -> bool:
    """Whether ``path`` is a file ``dedup`` writes beside its output, ``NAME.dropped.jsonl``
    (the documents dropped) or ``NAME.summary.json`` (with its ``dedup`` section): a folder
    that holds a deduplicated corpus holds them too, and they are no input."""
    suffix = next((end for end in _SIDECARS if path.name.endswith(end)), None)
    if suffix is None:
        return False
    summary = path.with_name(path.name.removesuffix(suffix) + _SIDECARS[1])
    try:
        with summary.open("rb") as stream:
            found = json.loads(stream.read(1 << 24))
    except (OSError, ValueError):
        return False
    return isinstance(found, dict) and isinstance(found.get("dedup"), dict)


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


_LONGEST_NAME = 255  # bytes of a file's name (NAME_MAX): a longer one is a text given as a path


def as_paths(inputs: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> list[str]:
    """One path or several as a list: a single string is one path, never its characters; an
    empty one, what an unset variable gives, is refused (it was read as the working folder,
    and everything below it scanned)."""
    if isinstance(inputs, str | os.PathLike):
        inputs = [inputs]
    elif isinstance(inputs, bytes | Mapping) or not isinstance(inputs, Iterable):
        raise InputError(
            f"inputs must be a path or a list of paths (str or pathlib.Path), got "
            f"{type(inputs).__name__} {inputs!r:.60}; to scan records held in memory, write "
            "them to a JSON-lines file first"
        )
    paths = []
    for given in inputs:
        if not isinstance(given, str | os.PathLike):
            raise InputError(
                f"inputs must be paths (str or pathlib.Path), got {type(given).__name__} "
                f"{given!r:.60}"
            )
        path = os.fspath(given)
        if not path:
            raise InputError("an input path is empty; name a file or a folder ('.' for this one)")
        if any(
            len(part.encode("utf-8", "surrogateescape")) > _LONGEST_NAME for part in path.split("/")
        ):
            raise InputError(
                f"an input is no path: {path[:60]!r}... ({len(path):,} characters); inputs are "
                "paths of files or folders: to scan texts held in memory, write them to a "
                "JSON-lines file first"
            )
        paths.append(path)
    return paths


def is_url(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` names a place by URL (``hdfs://...``, ``s3a://...``), not a path."""
    return re.match(r"[A-Za-z][A-Za-z0-9+.-]+://", os.fspath(path)) is not None


def is_output_folder(path: Path) -> bool:
    return (path / OUTPUT_MARKER).is_file()


# Filesystems that hold the system's state, not files (Linux): their "files" can block a
# reader forever (/proc/kmsg), fail when read (/proc/1/mem) or lead back up to the whole tree
# (/proc/self/root), and /sys alone holds ~100,000 entries. A folder on one is not searched.
_SYSTEM_FILESYSTEMS = frozenset(
    {
        "proc",
        "sysfs",
        "devtmpfs",
        "devpts",
        "debugfs",
        "tracefs",
        "securityfs",
        "cgroup",
        "cgroup2",
        "pstore",
        "bpf",
        "configfs",
        "fusectl",
        "mqueue",
        "hugetlbfs",
        "binfmt_misc",
        "efivarfs",
        "autofs",
        "rpc_pipefs",
        "nsfs",
        "selinuxfs",
    }
)
_MOUNTS = Path("/proc/self/mountinfo")


def system_devices() -> dict[int, str]:
    """The device number (``st_dev``) of every mounted system filesystem, with its type;
    empty where the mount table cannot be read (not Linux)."""
    try:
        lines = _MOUNTS.read_text("utf-8", "replace").splitlines()
    except OSError:
        return {}
    found = {}
    for line in lines:
        # "36 35 98:0 /root /mnt rw,noatime master:1 - ext3 /dev/root rw" (proc(5)): the
        # device third, the filesystem's type first after the " - "
        mount, _, filesystem = line.partition(" - ")
        fields, kinds = mount.split(), filesystem.split()
        if len(fields) < 3 or not kinds or kinds[0] not in _SYSTEM_FILESYSTEMS:
            continue
        major, _, minor = fields[2].partition(":")
        if major.isdecimal() and minor.isdecimal():
            found[os.makedev(int(major), int(minor))] = kinds[0]
    return found


def _cannot_read(path: Path, error: OSError, what: str = "") -> InputError:
    return InputError(
        f"cannot read {what}{path}: {error.strerror or error}; fix its permissions or leave it "
        "out of the inputs"
    )


class _Discovery:
    def __init__(self) -> None:
        self.files: list[InputFile] = []
        self.skipped: list[Skipped] = []
        self._seen: dict[tuple[int, int], Path] = {}
        self._folders: set[tuple[int, int]] = set()
        self._system = system_devices()

    def add_file(self, path: Path, found: InputFile, status: os.stat_result) -> None:
        key = (status.st_dev, status.st_ino)
        first = self._seen.get(key)
        if first is not None:
            detail = f"the same file as {path_text(first)}, given again; read once"
            self.skipped.append(Skipped(path_text(path), REPEATED_INPUT, detail))
            return
        self._seen[key] = path
        self.files.append(found)

    def system_folder(self, status: os.stat_result) -> str | None:
        """The detail of a ``system_folder`` skip for a folder on a system filesystem."""
        kind = self._system.get(status.st_dev)
        if kind is None:
            return None
        return f"a folder of the system's {kind} filesystem (the system's state, not articles)"

    def add_folder(self, folder: Path, status: os.stat_result) -> None:
        """Search ``folder`` and the folders below it, depth first in name order, with a
        stack of folders being searched: a recursion stops at Python's limit (a RecursionError
        ~1,000 folders deep)."""
        searching: list[Iterator[os.DirEntry[str]]] = []
        entries = self._enter(folder, status)
        while entries is not None or searching:
            if entries is not None:
                searching.append(entries)
            entry = next(searching[-1], None)
            if entry is None:
                searching.pop()
                entries = None
                continue
            entries = self._visit(entry)

    def _enter(self, folder: Path, status: os.stat_result) -> Iterator[os.DirEntry[str]] | None:
        """The entries of a folder to search, in name order; None when it is not searched."""
        key = (status.st_dev, status.st_ino)
        if key in self._folders:  # named twice, or a link back up the tree
            detail = "a folder already searched, given again; read once"
            self.skipped.append(Skipped(path_text(folder), REPEATED_INPUT, detail))
            return None
        self._folders.add(key)
        system = self.system_folder(status)
        if system is not None:
            self.skipped.append(Skipped(path_text(folder), SYSTEM_FOLDER, system))
            return None
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as error:
            raise _cannot_read(folder, error, "folder ") from error
        # the marker is looked for among the entries: a stat of it would fail first, with a
        # traceback, in a folder that cannot be listed
        if any(entry.name == OUTPUT_MARKER and _is_file(entry) for entry in entries):
            owned = marked_files(folder)
            shown = [entry for entry in entries if not entry.name.startswith(".")]
            if owned is None or all(entry.name in owned for entry in shown):
                detail = "a folder of wiretrace output (it holds .wiretrace-output); not read"
                self.skipped.append(Skipped(path_text(folder), WIRETRACE_OUTPUT, detail))
                return None
            # output written beside articles (a script's write_scan into its corpus folder):
            # wiretrace's own files are left out, the articles are still read
            detail = "written by wiretrace (listed in .wiretrace-output); not read"
            for entry in shown:
                if entry.name in owned:
                    self.skipped.append(
                        Skipped(path_text(Path(entry.path)), WIRETRACE_OUTPUT, detail)
                    )
            entries = [entry for entry in entries if entry.name not in owned]
        return iter(entries)

    def _visit(self, entry: os.DirEntry[str]) -> Iterator[os.DirEntry[str]] | None:
        """Take one entry of a folder; the entries of a folder to search next, if it is one."""
        child = Path(entry.path)
        if entry.name.startswith("."):
            what = "hidden folder, not searched" if _is_folder(entry) else "hidden file, not read"
            detail = f"{what}; name it as an input to read it"
            self.skipped.append(Skipped(path_text(child), HIDDEN, detail))
            return None
        try:
            status = child.stat()  # through a link, as a link names what it leads to
        except (FileNotFoundError, NotADirectoryError) as error:
            detail = f"a link to nothing ({error.strerror or error})"
            self.skipped.append(Skipped(path_text(child), NOT_A_FILE, detail))
            return None
        except OSError as error:
            if error.errno == errno.ELOOP:
                detail = "a link that leads back to itself"
                self.skipped.append(Skipped(path_text(child), NOT_A_FILE, detail))
                return None
            raise _cannot_read(child, error) from error
        if stat.S_ISDIR(status.st_mode):
            return self._enter(child, status)
        if not stat.S_ISREG(status.st_mode):
            detail = "not a regular file or folder (a FIFO, a socket, a device)"
            self.skipped.append(Skipped(path_text(child), NOT_A_FILE, detail))
            return None
        kind = self._system.get(status.st_dev)
        if kind is not None:
            detail = (
                f"a file of the system's {kind} filesystem (the system's state, not an article)"
            )
            self.skipped.append(Skipped(path_text(child), NOT_A_FILE, detail))
            return None
        if _dedup_sidecar(child):
            detail = "written by `wiretrace dedup` beside its output; not read"
            self.skipped.append(Skipped(path_text(child), WIRETRACE_OUTPUT, detail))
            return None
        found = classify(child)
        if found is None:
            self.skipped.append(
                Skipped(path_text(child), UNSUPPORTED_FILE, f"not one of {SUPPORTED}")
            )
        else:
            self.add_file(child, found, status)
        return None

    def add_named(self, path: Path, walk: bool = True) -> None:
        """Take an input path as given: a folder to search (``walk``: now), or a file to
        read."""
        try:
            status = path.stat()
        except (FileNotFoundError, NotADirectoryError) as error:
            raise InputError(f"input not found: {path}; check the path") from error
        except OSError as error:
            raise _cannot_read(path, error) from error
        if stat.S_ISDIR(status.st_mode):
            system = self.system_folder(status)
            if system is not None:
                raise InputError(f"input {path} is {system}; name a folder of articles")
            if walk:
                self.add_folder(path, status)
            return
        if not stat.S_ISREG(status.st_mode) or status.st_dev in self._system:
            # reading a FIFO would wait for a writer forever, a device never ends
            raise InputError(
                f"input {path} is not a regular file or a folder (a FIFO, a socket, a device, "
                "a system file); wiretrace reads files and folders: save the input to a file"
            )
        kind = classify(path)
        if kind is None:
            hint = (
                " (a JSON array of records: write one record a line, as JSON lines, e.g. "
                "`jq -c '.[]' FILE.json > FILE.jsonl`)"
                if path.name.lower().endswith((".json", ".json.gz"))
                else ""
            )
            raise InputError(
                f"cannot read {path}: unsupported file type; wiretrace reads {SUPPORTED}{hint}"
            )
        self.add_file(path, kind, status)


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def marked_files(folder: Path) -> set[str] | None:
    """The names of the files the output marker in ``folder`` lists (``write.output.mark``),
    or None where it cannot be read."""
    try:
        files = json.loads((folder / OUTPUT_MARKER).read_text("utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return {name for name in files if isinstance(name, str)} if isinstance(files, list) else None


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def discover(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
) -> tuple[list[InputFile], list[Skipped]]:
    """Expand input paths (files or folders, searched recursively) into readable files, and
    the files and folders passed over with the reason (see the module's policy).

    A path that does not exist, is not a regular file or a folder, or cannot be read, a
    folder that cannot be listed, or a file named directly with an unsupported type is an
    InputError.
    """
    found = _Discovery()
    for given in as_paths(paths):
        _refuse_url(given)
        found.add_named(Path(given))
    return found.files, found.skipped


def check_inputs(paths: Iterable[str | os.PathLike[str]]) -> None:
    """Raise the InputError :func:`discover` would for an input path as given (missing, a
    URL, a FIFO, an unsupported file), without searching folders: a check before any work."""
    found = _Discovery()
    for given in as_paths(paths):
        _refuse_url(given)
        found.add_named(Path(given), walk=False)


def _refuse_url(given: str) -> None:
    if is_url(given):
        raise InputError(
            f"input {given} is a URL: wiretrace reads files and folders on this machine "
            "(on a cluster, paths the driver and the executors share); copy or mount the input "
            "here"
        )


def open_binary(file: InputFile) -> IO[bytes]:
    try:
        if file.gzip:
            # ISA-L: twice as fast as zlib. Not in a thread of its own (igzip_threaded): that
            # reader drops the block it was decompressing when the stream is cut short, and
            # every record before the cut must be read
            return cast(IO[bytes], igzip.open(file.open_path, "rb"))  # type: ignore[no-untyped-call]
        return file.open_path.open("rb")
    except OSError as error:
        raise InputError(f"cannot read {file.path}: {error.strerror or error}") from error


def opening_bytes(file: InputFile, count: int) -> bytes:
    """The first ``count`` bytes of ``file`` (decompressed); none where they cannot be read
    (its reading says what is wrong with it)."""
    with open_binary(file) as stream:
        try:
            return stream.read(count)
        except READ_ERRORS:
            return b""


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
