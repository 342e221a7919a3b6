"""Stream Documents (and Skipped records, with their reasons) from input paths.

Nothing here holds more than one record batch: every source is read as a stream, and no
record larger than the maximum record size is ever held whole (see ``wiretrace.read.files``).
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from itertools import islice, pairwise
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.parquet as pq

from wiretrace.backend import ordered_map
from wiretrace.clean.normalize import WIDE_CHARACTER
from wiretrace.config import DEFAULT_MAX_RECORD_BYTES, FieldNames
from wiretrace.errors import InputError
from wiretrace.read import web
from wiretrace.read.csv_rows import MALFORMED_LINE, CsvRows
from wiretrace.read.fields import RecordMapper, UnreadableValue
from wiretrace.read.files import (
    READ_ERRORS,
    TOO_LARGE,
    UNREADABLE_FILE,
    FilePart,
    FileReadError,
    InputFile,
    bounded_lines,
    discover,
    open_binary,
    opening_bytes,
    read_bounded,
    too_large,
)
from wiretrace.records import Document, Skipped

UNDECODABLE = "undecodable"
# JSON may escape lone surrogates (\ud800-\udfff), which are not text; only lines holding
# such an escape need the slower check of every value.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_LONG_NUMBER = re.compile(rb"\d{19}")
PARQUET_BATCH = 256  # rows decoded at a time: a batch of long pages stays well under 1 GB


def _read_whole(file: InputFile, limit: int) -> bytes | Skipped:
    """A text or HTML file's bytes, or a ``too_large`` skip naming its size."""
    with open_binary(file) as stream:
        try:
            data = read_bounded(stream, limit)
        except READ_ERRORS as error:
            raise FileReadError(file, error) from error
    if isinstance(data, int):
        return Skipped(file.source, TOO_LARGE, too_large(data, limit, "file"), file.id)
    return data


def _read_html(file: InputFile, limit: int) -> Iterator[web.RawPage | Skipped]:
    data = _read_whole(file, limit)
    yield data if isinstance(data, Skipped) else web.RawPage(data, file.id, file.source)


def _read_warc(file: InputFile, limit: int) -> Iterator[web.RawPage | Skipped]:
    try:
        stream = file.open_path.open("rb")  # warcio reads gzip members itself
    except OSError as error:
        raise InputError(f"cannot read {file.path}: {error.strerror or error}") from error
    with stream:
        yield from web.read_warc(stream, file.source, limit)


_UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")


def _read_txt(file: InputFile, limit: int) -> Iterator[Document | Skipped]:
    data = _read_whole(file, limit)
    if isinstance(data, Skipped):
        yield data
        return
    location = file.source
    marked = data[:2] in _UTF16_MARKS
    if not marked and b"\x00" in data:
        # valid UTF-8, but no text holds a NUL: UTF-16 without its mark (every other byte
        # of Latin text a NUL), or a binary file named .txt; guessing which is not ours
        at = data.index(b"\x00")
        detail = (
            f"a NUL byte at offset {at}: not UTF-8 text (UTF-16 without a byte-order mark, "
            "or not text at all); convert the file to UTF-8"
        )
        yield Skipped(location, UNDECODABLE, detail, file.id)
        return
    try:
        # a text file saved as "Unicode" by Windows tools is UTF-16 with a byte-order mark,
        # which says so unambiguously; without a mark, only UTF-8 is read (no guessing)
        text = data.decode("utf-16" if marked else "utf-8-sig")
    except UnicodeDecodeError as error:
        yield Skipped(
            location,
            UNDECODABLE,
            f"bytes at offset {error.start} are not UTF-8; convert the file to UTF-8",
            file.id,
        )
        return
    yield Document(id=file.id, text=text, title=headline(text), source=location)


# a line that ends so is a sentence, not a headline (Chinese and Japanese marks too)
_HEADLINE_END = (".", ",", ";", ":", "。", "，", "；", "：")
_HEADLINE_WORD = re.compile(r"[^\W\d_]{3,}")


def headline(text: str) -> str | None:
    """The first line of a plain-text article when it reads as its headline: short (at most
    20 words and 150 characters), two or more words of letters, not ending as a sentence or a
    clause does, not a byline, and set apart by a blank line before more text. The line stays
    in the text (offsets are the file's); a text without one has no title, as before."""
    lines = text.lstrip("\ufeff").split("\n", 2)
    if len(lines) < 3 or lines[1].strip() or not lines[2].strip():
        return None
    line = " ".join(lines[0].split())
    if (
        not line
        or len(line) > 150
        or len(line.split()) > 20
        or line.endswith(_HEADLINE_END)
        or line.casefold().startswith("by ")
        or _words_of_letters(line) < 2
    ):
        return None
    return line


def _words_of_letters(line: str) -> float:
    """Words of three letters or more, a character that is a word of its own counted three
    fifths of one, as a passage's length counts it (Chinese news words average ~1.6
    characters): a Chinese headline, "成渝中线高铁全线开通运营", has no space, and was one
    word and no title; "东京" (Tokyo) alone is no headline, as "Tokyo" is not."""
    wide = len(WIDE_CHARACTER.findall(line))
    rest = WIDE_CHARACTER.sub(" ", line) if wide else line
    return len(_HEADLINE_WORD.findall(rest)) + 0.6 * wide


_DEEP_LINE = 64  # opening brackets past which a line's nesting is checked
_MAX_NESTING = 100  # arrays and objects inside each other; no news record comes near
_deep_parser: ThreadPoolExecutor | None = None


def _nesting(value: Any) -> int:
    """How deep arrays and objects lie inside each other in ``value`` (found without
    recursion), counted up to one past ``_MAX_NESTING``."""
    deepest, stack = 0, [(value, 1)]
    while stack and deepest <= _MAX_NESTING:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            stack.extend((child, depth + 1) for child in children)
    return deepest


def _loads(line: str) -> Any:
    """``json.loads``, refusing (RecursionError) a value nested more than ``_MAX_NESTING``
    deep wherever it is called from. The parser alone stops at the interpreter's recursion
    limit counted from its caller's depth (a line read from one call site was skipped from
    another), and a value nested hundreds deep breaks whatever walks it later. A line that
    could be that deep is parsed in a thread of its own, where the depth starts at zero."""
    global _deep_parser
    if line.count("[") + line.count("{") <= _DEEP_LINE:
        return json.loads(line)
    if _deep_parser is None:
        _deep_parser = ThreadPoolExecutor(1, thread_name_prefix="wiretrace-json")
    value = _deep_parser.submit(json.loads, line).result()
    if _nesting(value) > _MAX_NESTING:
        raise RecursionError(f"nested more than {_MAX_NESTING} deep")
    return value


def _json_record(raw: bytes, location: str) -> dict[str, Any] | Skipped:
    """The record of a JSONL line, or why it is skipped. orjson reads a line as ``json``
    does, in about two thirds of the time, when it reads it at all (strict UTF-8, no
    byte-order mark, no unpaired surrogate) and the record holds no float (orjson reads an
    integer past 64 bits as one) and is not nested too deep; every other line goes the way
    it always went, and its skip is worded as it always was."""
    try:
        found = orjson.loads(raw)
    except orjson.JSONDecodeError:
        found = None
    if isinstance(found, dict) and _as_json_reads(found, raw):
        return found
    return _json_checked(raw, location)


def _as_json_reads(record: dict[str, Any], raw: bytes) -> bool:
    """Whether ``json`` reads ``raw`` as orjson read it into ``record``: nested at most
    ``_MAX_NESTING`` deep, and no float that may be a long integer (19 digits in a row)."""
    stack: list[tuple[dict[str, Any] | list[Any], int]] = [(record, 1)]
    floats = False
    while stack:
        item, depth = stack.pop()
        if depth > _MAX_NESTING:
            return False
        for child in item.values() if isinstance(item, dict) else item:
            if isinstance(child, dict | list):
                stack.append((child, depth + 1))
            else:
                floats = floats or isinstance(child, float)
    return not floats or _LONG_NUMBER.search(raw) is None


def _json_checked(raw: bytes, location: str) -> dict[str, Any] | Skipped:
    """The record of a JSONL line by ``json``, every check made."""
    try:
        # strict UTF-8 first: json.loads(bytes) would let surrogate bytes through as text
        line = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        detail = f"bytes at column {error.start + 1} are not UTF-8 ({error.reason})"
        return Skipped(location, UNDECODABLE, detail)
    try:
        record = _loads(line)
    except RecursionError:
        return Skipped(location, MALFORMED_LINE, f"JSON nested more than {_MAX_NESTING} deep")
    except ValueError as error:  # invalid JSON, or an integer too long to convert
        message = (
            f"{error.msg}: column {error.colno}"  # as json words it, less "line 1"
            if isinstance(error, json.JSONDecodeError)
            else str(error)
        )
        if isinstance(error, json.JSONDecodeError) and line[error.pos : error.pos + 1] in (
            "\r",
            "\n",
        ):
            # the "control character" is the line's own end: a string never closed
            message = f"a string opened before column {error.colno} is never closed"
        return Skipped(location, MALFORMED_LINE, f"invalid JSON: {message}")
    if not isinstance(record, dict):
        return Skipped(location, MALFORMED_LINE, "a line must be a JSON object")
    if _SURROGATE_ESCAPE.search(raw) and any(
        isinstance(value, str) and _has_surrogates(value) for value in record.values()
    ):
        detail = "an unpaired surrogate escape (\\ud800-\\udfff) is not text"
        return Skipped(location, UNDECODABLE, detail)
    return record


def jsonl_lines(file: InputFile, limit: int) -> Iterator[tuple[int, bytes | int]]:
    """The numbered lines of a JSONL file, or of its ``part`` (``bounded_lines``); bytes
    that cannot be read are a FileReadError."""
    number = 0 if file.part is None else file.part.before
    with open_binary(file) as stream:
        try:
            if file.part is not None:
                stream.seek(file.part.first)
            for count, line in bounded_lines(stream, limit):
                number = count if file.part is None else file.part.before + count
                yield number, line
                if file.part is not None and stream.tell() >= file.part.stop:
                    return  # the piece ends at a line's end
        except READ_ERRORS as error:
            raise FileReadError(file, error, f" past line {number}" if number else "") from error


# JSONL records that may open a file without a field the others have (see RecordMapper)
_JSONL_LOOK_AHEAD = 10


def _jsonl_records(file: InputFile, limit: int) -> Iterator[tuple[str, dict[str, Any] | Skipped]]:
    """Each line's record (or why it is none), located; blank lines are no records."""
    source = file.source  # once: it encodes the path
    for number, raw in jsonl_lines(file, limit):
        location = f"{source}:{number}"
        if isinstance(raw, int):
            yield location, Skipped(location, TOO_LARGE, too_large(raw, limit, "line"))
        elif raw.strip():
            yield location, _json_record(raw, location)


# records held while a JSONL file's fields are not yet known (lines that are no records do
# not count toward the look-ahead): past this many, they go on as read
_HELD = 1_000


def _read_jsonl(file: InputFile, fields: FieldNames, limit: int) -> Iterator[Document | Skipped]:
    mapper = RecordMapper(file.path, fields, limit, _JSONL_LOOK_AHEAD)
    if file.part is not None and file.part.before > 0:
        _opening_read(mapper, file, limit)
    # until a record shows the fields (at most the look-ahead's records), what is read is
    # held: a file then refused for them is one error, not first ten records skipped for it
    held: list[Document | Skipped] = []
    for location, record in _jsonl_records(file, limit):
        item = record if isinstance(record, Skipped) else mapper.map(record, location)
        if not mapper.checked and len(held) < _HELD:
            held.append(item)
            continue
        if held:
            yield from held
            held = []
        yield item
    mapper.finish()
    yield from held


def _opening_read(mapper: RecordMapper, file: InputFile, limit: int) -> None:
    """What the file's opening records decide for a piece of it that starts further on (the
    fields checked, the records named by their places or by ids), as a reader of the whole
    file would have decided it: a piece read alone decided it from its own first record,
    and a Spark scan refused a file whose second line lacks the text, or named a record
    without an id by its place where the whole file's reader skips it."""
    whole = replace(file, part=None)
    assert file.part is not None
    for location, record in _jsonl_records(whole, limit):
        number = int(location.rsplit(":", 1)[1])
        if mapper.checked or number > file.part.before:
            return
        if not isinstance(record, Skipped):
            mapper.map(record, location)


def _unique_names(header: list[str]) -> list[str]:
    """A header's names, a name met again suffixed ``.1``, ``.2`` (as pandas reads it): the
    later column of a name given twice overwrote the first's values without a word."""
    taken = set(header)
    seen: set[str] = set()
    names: list[str] = []
    for name in header:
        unique, number = name, 0
        while unique in seen or (unique != name and unique in taken):
            number += 1
            unique = f"{name}.{number}"
        seen.add(unique)
        names.append(unique)
    return names


def _csv_records(rows: CsvRows) -> Iterator[tuple[str, dict[str, str] | Skipped]]:
    """Each row's record by the header (or why it is none), located."""
    names: list[str] | None = None
    for location, row in rows:
        header = rows.header or []
        names = _unique_names(header) if names is None else names
        if isinstance(row, Skipped):
            yield location, row
        elif len(row) != len(header):
            detail = f"expected {len(header)} fields, got {len(row)}"
            yield location, Skipped(location, MALFORMED_LINE, detail)
        elif any(_has_surrogates(value) for value in row):
            yield location, Skipped(location, UNDECODABLE, "bytes not UTF-8; convert to UTF-8")
        else:
            yield location, dict(zip(names, row, strict=True))


def _read_csv(file: InputFile, fields: FieldNames, limit: int) -> Iterator[Document | Skipped]:
    mapper = RecordMapper(file.path, fields, limit)
    rows = CsvRows(file, limit)
    for location, record in _csv_records(rows):
        if not mapper.checked:
            _check_unique_columns(file, rows.header or [], fields)
            mapper.check_fields(rows.header or [])
        yield record if isinstance(record, Skipped) else mapper.map(record, location)
    if rows.header is not None and not mapper.checked:
        _check_unique_columns(file, rows.header, fields)
        mapper.check_fields(rows.header)


def _check_unique_columns(file: InputFile, header: list[str], fields: FieldNames) -> None:
    """Refuse a header that names a field wiretrace reads twice: one of the two columns
    would be dropped without a word."""
    read = {getattr(fields, name.name) for name in dataclasses.fields(fields)}
    for name in sorted(read):
        columns = [number for number, column in enumerate(header, start=1) if column == name]
        if len(columns) > 1:
            where = " and ".join(map(str, columns))
            raise InputError(
                f"{file.source}:1: the CSV header names {name!r} twice (columns {where}); "
                "rename one of them"
            )


def _has_surrogates(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


# What pyarrow raises for a value with no Python equivalent: a date out of Python's range
# (OverflowError), nanoseconds without pandas (ValueError), an unknown time zone (KeyError).
_UNCONVERTIBLE = (ArithmeticError, LookupError, ValueError, pa.ArrowException)


def _microseconds(batch: pa.RecordBatch) -> pa.RecordBatch:
    """Nanosecond timestamps as microseconds: without pandas, pyarrow refuses to convert a
    value with nanoseconds to a datetime, and a publication date needs none of them."""
    nanoseconds = [pa.types.is_timestamp(kind) and kind.unit == "ns" for kind in batch.schema.types]
    if not any(nanoseconds):
        return batch
    columns = [
        column.cast(pa.timestamp("us", column.type.tz), safe=False) if cast else column
        for column, cast in zip(batch.columns, nanoseconds, strict=True)
    ]
    return pa.RecordBatch.from_arrays(columns, names=batch.schema.names)


def _cell(column: pa.Array[Any], index: int) -> Any:
    try:
        return column[index].as_py()
    except UnicodeDecodeError:
        raise  # the record is undecodable, as a whole
    except _UNCONVERTIBLE as error:
        return UnreadableValue(str(column.type), f"{type(error).__name__}: {error}")


def _parquet_records(
    batch: pa.RecordBatch, first: int, path: str
) -> Iterator[tuple[str, dict[str, Any] | Skipped]]:
    batch = _microseconds(batch)
    try:
        records = batch.to_pylist()
    except _UNCONVERTIBLE:  # a string that is not UTF-8, or a value Python cannot hold
        records = None
    names = batch.schema.names
    for index in range(batch.num_rows):
        location = f"{path}:row {first + index + 1}"
        if records is not None:
            yield location, records[index]
            continue
        columns = zip(names, batch.columns, strict=True)
        try:  # the last of repeated column names wins, as in to_pylist
            record = {name: _cell(column, index) for name, column in columns}
        except UnicodeDecodeError as error:
            yield location, Skipped(location, UNDECODABLE, f"a string is not UTF-8 ({error})")
            continue
        yield location, record


def _read_parquet(file: InputFile, fields: FieldNames, limit: int) -> Iterator[Document | Skipped]:
    mapper = RecordMapper(file.path, fields, limit)
    try:
        parquet = pq.ParquetFile(file.open_path)
    except (FileNotFoundError, PermissionError) as error:
        raise InputError(f"cannot read {file.path}: {error.strerror or error}") from error
    except (OSError, ValueError, pa.ArrowException) as error:
        raise FileReadError(file, error) from error
    names = parquet.schema_arrow.names
    mapper.check_fields(names)
    wanted = [name for name in dict.fromkeys(_field_names(mapper.fields)) if name in names]
    for location, record in _parquet_rows(parquet, file, wanted):
        yield record if isinstance(record, Skipped) else mapper.map(record, location)


def _parquet_rows(
    parquet: pq.ParquetFile, file: InputFile, columns: list[str] | None = None
) -> Iterator[tuple[str, dict[str, Any] | Skipped]]:
    """The rows of ``columns`` (None: all) of the file's ``part`` (or of all of it), located;
    rows that cannot be read are a FileReadError."""
    part = file.part
    groups = None if part is None else list(range(part.first, part.stop))
    row = 0 if part is None else part.before
    try:
        for batch in parquet.iter_batches(
            batch_size=PARQUET_BATCH, row_groups=groups, columns=columns
        ):
            yield from _parquet_records(batch, row, file.source)
            row += batch.num_rows
    except (OSError, pa.ArrowException) as error:
        raise FileReadError(file, error, f" past row {row}" if row else "") from error


def _field_names(fields: FieldNames) -> list[str]:
    return [
        fields.id,
        fields.text,
        fields.html,
        fields.title,
        fields.url,
        fields.outlet,
        fields.published,
    ]


Item = Document | Skipped | web.RawPage
_PAGES_PER_TASK = 16  # pages extracted per task sent to a worker (~2-20 ms each)


_GZIP_MAGIC = b"\x1f\x8b"


def opening_problem(file: InputFile) -> str | None:
    """Why a file of text or records cannot be read at all, told by its first two bytes (one
    read, decompressed): JSON lines or CSV in UTF-16 (Excel's "Unicode Text": read as UTF-8
    its every other byte is a NUL, and its records came out as undecodable lines or a header
    of garbled names), or gzip-compressed but not named ``.gz`` (read as text, every record
    was undecodable, and dedup passed the compressed file through as its output)."""
    records = file.format in ("jsonl", "csv")
    if not records and (file.gzip or file.format not in ("txt", "html")):
        return None
    opening = opening_bytes(file, 2)
    if records and opening in _UTF16_MARKS:
        return (
            "UTF-16 text (its byte-order mark says so): JSON lines and CSV are read as UTF-8; "
            "convert it, e.g. iconv -f UTF-16 -t UTF-8"
        )
    if not file.gzip and opening == _GZIP_MAGIC:
        return (
            f"gzip-compressed, but not named .gz: name it {file.path.name}.gz (wiretrace reads "
            ".gz files), or decompress it"
        )
    return None


def _read_raw(file: InputFile, fields: FieldNames, limit: int) -> Iterator[Item]:
    """The records of one file; when its bytes cannot be read to the end (a damaged gzip
    stream), those read before and one ``unreadable_file`` skip for the rest: one damaged
    file in a folder never ends the scan of the others. A file its first bytes show cannot be
    read (``opening_problem``) is one ``unreadable_file`` skip that says what to do."""
    problem = opening_problem(file)
    if problem is not None:
        if file.part is None or file.part.first == 0:  # said once, by its first piece
            yield Skipped(file.source, UNREADABLE_FILE, problem)
        return
    try:
        yield from _read_format(file, fields, limit)
    except FileReadError as error:
        kept = "; the records before it are kept" if error.partly_read else ""
        yield Skipped(file.source, UNREADABLE_FILE, error.detail + kept)


def _read_format(file: InputFile, fields: FieldNames, limit: int) -> Iterator[Item]:
    if file.format == "txt":
        return _read_txt(file, limit)
    if file.format == "jsonl":
        return _read_jsonl(file, fields, limit)
    if file.format == "csv":
        return _read_csv(file, fields, limit)
    if file.format == "html":
        return _read_html(file, limit)
    if file.format == "warc":
        return _read_warc(file, limit)
    return _read_parquet(file, fields, limit)


RECORD_FORMATS = ("jsonl", "csv", "parquet")


def raw_records(file: InputFile, limit: int) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every record of a JSONL, CSV or Parquet file that reads as one (a JSON object, a row
    of the header's width, a Parquet row) with all its fields, located as ``read_file``
    locates it; what does not read is left out (``read_file`` says why), as is the rest of
    a file past damage. For writing records in another format (``dedup``)."""
    records: Iterator[tuple[str, dict[str, Any] | Skipped]]
    try:
        if file.format == "jsonl":
            records = _jsonl_records(file, limit)
        elif file.format == "csv":
            records = _csv_records(CsvRows(file, limit))
        elif file.format == "parquet":
            records = _parquet_rows(pq.ParquetFile(file.open_path), file)
        else:
            raise ValueError(f"{file.path}: not a file of records")
        for location, record in records:
            if not isinstance(record, Skipped):
                yield location, record
    except (FileReadError, OSError, pa.ArrowException):
        return  # damaged: the records before were given, the scan listed the rest


def read_file(
    file: InputFile, fields: FieldNames, limit: int = DEFAULT_MAX_RECORD_BYTES
) -> Iterator[Document | Skipped]:
    """Documents and Skipped records of one input file, in file order."""
    for item in _read_raw(file, fields, limit):
        yield web.finish([item])[0] if isinstance(item, web.RawPage) else item


PageMap = Callable[
    [Callable[[list[Item]], list[Document | Skipped]], Iterable[list[Item]]],
    Iterator[list[Document | Skipped]],
]
# A read task holds at most this many files and bytes on disk (a larger file that cannot be
# cut is a task of its own); fewer when that gives every worker two tasks. Tasks are few and
# large, as each costs Spark ~50 ms to run and ~0.2 s to fetch; but a task's records and
# sketches (~3x its input, measured) pass through the JVM whole when fetched, several
# copies at once, so 16 MB keeps that under ~200 MB: within Spark's 1 GB default heap.
_FILES_PER_TASK = 1024
_BYTES_PER_TASK = 16 << 20


@dataclass(frozen=True, slots=True)
class ReadFailure:
    """A read task's InputError, carried back to be raised where the scan runs (an error
    raised in a Spark task would reach the user as a Java stack trace)."""

    message: str


def read_files(
    files: list[InputFile], fields: FieldNames, limit: int
) -> Iterator[Document | Skipped]:
    """Every record of ``files``, in order, pages extracted: what a read task reads."""
    for file in files:
        yield from read_file(file, fields, limit)


def _holds_pages(files: list[InputFile]) -> bool:
    return any(file.format in ("html", "warc") for file in files)


def plan_file_tasks(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]], tasks: int
) -> tuple[list[Skipped], list[list[InputFile]]] | None:
    """The input files as read tasks for workers elsewhere (Spark's executors): the files and
    folders passed over, and groups of consecutive files, at least ``tasks`` groups where the
    files allow it, each file opened by its absolute path (a worker's working folder is not
    this one's). A large Parquet file is cut at row groups and a large plain JSONL file at
    line starts (``FilePart``), so that a single file is read by several tasks too. None when
    there is one piece to read: it is read here (its pages extracted in batches, which keeps
    every core busy)."""
    files, ignored = discover(paths)
    if not files:
        return None
    if _holds_pages(files):
        web.require_html()  # before reading anything: the fix is an install
    sizes = [file.path.stat().st_size for file in files]
    most_bytes = min(_BYTES_PER_TASK, max(1, sum(sizes) // max(1, tasks)))
    pieces = [
        (replace(piece, where=file.path.resolve()), piece_size)
        for file, size in zip(files, sizes, strict=True)
        for piece, piece_size in _pieces(file, size, most_bytes)
    ]
    if len(pieces) < 2:
        return None
    most_files = min(_FILES_PER_TASK, -(-len(pieces) // max(1, tasks)))
    groups: list[list[InputFile]] = []
    held = 0
    for piece, size in pieces:
        if not groups or len(groups[-1]) == most_files or held + size > most_bytes:
            groups.append([])
            held = 0
        groups[-1].append(piece)
        held += size
    return ignored, groups


def _pieces(file: InputFile, size: int, most_bytes: int) -> list[tuple[InputFile, int]]:
    """``file`` in pieces of about ``most_bytes`` where its format can be cut (Parquet at row
    groups, plain JSONL at line starts; a gzip stream, a CSV with quoted newlines or a crawl
    cannot), with their sizes on disk."""
    parts: list[tuple[FilePart, int]] = []
    if size > most_bytes and file.format == "parquet":
        parts = _row_group_parts(file, size, most_bytes)
    elif size > most_bytes and file.format == "jsonl" and not file.gzip:
        parts = _line_parts(file, most_bytes)
    if len(parts) < 2:
        return [(file, size)]
    return [(replace(file, part=part), part_size) for part, part_size in parts]


def _row_group_parts(file: InputFile, size: int, most_bytes: int) -> list[tuple[FilePart, int]]:
    """Consecutive row groups of a Parquet file, about ``most_bytes`` of it each (none when
    its footer cannot be read: the task that reads it whole says why)."""
    try:
        metadata = pq.ParquetFile(file.path).metadata
    except (OSError, ValueError, pa.ArrowException):
        return []
    groups = [metadata.row_group(index) for index in range(metadata.num_row_groups)]
    total = max(1, sum(group.total_byte_size for group in groups))
    parts: list[tuple[FilePart, int]] = []
    first, rows, held = 0, 0, 0
    for index, group in enumerate(groups):
        held += group.total_byte_size * size // total  # the group's share of the file
        if held >= most_bytes or index == len(groups) - 1:
            parts.append((FilePart(first, index + 1, rows), held))
            rows += sum(groups[number].num_rows for number in range(first, index + 1))
            first, held = index + 1, 0
    return parts


_SCAN_BYTES = 1 << 22  # read at a time while looking for line starts


def _line_parts(file: InputFile, most_bytes: int) -> list[tuple[FilePart, int]]:
    """A plain JSONL file cut after the first newline past every ``most_bytes``, with the
    number of lines before each piece (the file is read once here, without parsing: ~1 GB/s)."""
    cuts, lines, position, target = [(0, 0)], 0, 0, most_bytes
    try:
        with file.path.open("rb") as stream:
            while chunk := stream.read(_SCAN_BYTES):
                end = chunk.find(b"\n", max(0, target - position))
                while end >= 0:
                    cut = position + end + 1
                    cuts.append((cut, lines + chunk.count(b"\n", 0, end + 1)))
                    target = cut + most_bytes
                    end = (
                        chunk.find(b"\n", target - position)
                        if target < position + len(chunk)
                        else -1
                    )
                lines += chunk.count(b"\n")
                position += len(chunk)
    except OSError:
        return []  # the task that reads it whole says why
    if cuts[-1][0] < position:
        cuts.append((position, lines))
    return [
        (FilePart(first, stop, before), stop - first)
        for (first, before), (stop, _) in pairwise(cuts)
    ]


def read_documents(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    fields: FieldNames | None = None,
    workers: int = 1,
    max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES,
    pages: PageMap | None = None,
) -> Iterator[Document | Skipped]:
    """Stream every record of every input path, skipped ones included (with the reason);
    files and folders passed over come first (see ``wiretrace.read.files``).

    Extracting HTML pages (folders of pages, WARC crawls) is the slow part of reading; with
    ``workers`` other than 1 it runs in worker processes (0: one per core), in input order, or
    wherever ``pages`` maps a function over batches of pages (a scan's backend). Workers
    elsewhere read whole files instead (``plan_file_tasks``, ``read_files``).
    """
    files, ignored = discover(paths)
    fields = fields or FieldNames()
    yield from ignored
    if not _holds_pages(files):
        for file in files:
            yield from read_file(file, fields, max_record_bytes)
        return
    web.require_html()  # before reading anything: the fix is an install
    items = (item for file in files for item in _read_raw(file, fields, max_record_bytes))
    if pages is None:
        yield from ordered_map(web.finish, items, workers, _PAGES_PER_TASK)
        return
    batches = iter(lambda: list(islice(items, _PAGES_PER_TASK)), [])
    for finished in pages(web.finish, batches):
        yield from finished
