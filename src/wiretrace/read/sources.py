"""Stream Documents (and Skipped records, with their reasons) from input paths.

Nothing here holds more than one record batch: every source is read as a stream.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal, cast

import pyarrow.parquet as pq

from wiretrace.backend import ordered_map
from wiretrace.config import FieldNames
from wiretrace.errors import InputError
from wiretrace.read import web
from wiretrace.read.web import outlet_from_url
from wiretrace.records import Document, Skipped

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
# JSON may escape lone surrogates (\ud800-\udfff), which are not text; only lines holding
# such an escape need the slower check of every value.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_CSV_FIELD_LIMIT = 1 << 30  # news pages can be long; the stdlib default (128 KiB) is not enough


@dataclass(frozen=True, slots=True)
class InputFile:
    """An input file and how to read it."""

    path: Path
    format: Format
    gzip: bool

    @property
    def id(self) -> str:
        """Document id of a text file: its name without extensions (``a.txt.gz`` -> ``a``)."""
        name = self.path.name
        if self.gzip:
            name = name[: -len(".gz")]
        return name[: -len(Path(name).suffix)] if Path(name).suffix else name


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


def discover(paths: Iterable[str | Path]) -> tuple[list[InputFile], list[Skipped]]:
    """Expand input paths (files or folders, searched recursively) into readable files.

    Files in folders whose type is not supported are returned as Skipped; a path that does
    not exist, or a file named directly with an unsupported type, is an InputError.
    """
    files: list[InputFile] = []
    ignored: list[Skipped] = []
    for given in paths:
        path = Path(given)
        if not path.exists():
            raise InputError(f"input not found: {path}; check the path")
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_dir() or any(part.startswith(".") for part in child.parts[-1:]):
                    continue
                found = classify(child)
                if found is None:
                    ignored.append(
                        Skipped(
                            source=str(child),
                            reason="unsupported_file",
                            detail=f"not one of {SUPPORTED}",
                        )
                    )
                else:
                    files.append(found)
        else:
            found = classify(path)
            if found is None:
                raise InputError(
                    f"cannot read {path}: unsupported file type; wiretrace reads {SUPPORTED}"
                )
            files.append(found)
    return files, ignored


def open_binary(file: InputFile) -> IO[bytes]:
    try:
        if file.gzip:
            return cast(IO[bytes], gzip.open(file.path, "rb"))
        return file.path.open("rb")
    except OSError as error:
        raise InputError(f"cannot read {file.path}: {error.strerror or error}") from error


def _text_value(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def normalize_published(value: Any) -> str | None:
    """An ISO 8601 date or date-time, or None; raises ValueError for anything else."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    text = str(value).strip()
    parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    if len(text) == 10:
        return parsed.date().isoformat()
    return parsed.isoformat()


class _RecordMapper:
    """Turns raw records (mappings) of one file into Documents, checking the fields once."""

    def __init__(self, file: InputFile, fields: FieldNames) -> None:
        self.file = file
        self.fields = fields
        self.checked = False

    def check_fields(self, present: Iterable[str]) -> None:
        names = list(present)
        text_fields = (self.fields.text, self.fields.html)
        for role, wanted in (("id", (self.fields.id,)), ("text", text_fields)):
            if not any(name in names for name in wanted):
                option = "--id-field" if role == "id" else "--text-field or --html-field"
                raise InputError(
                    f"{self.file.path}: field {' or '.join(map(repr, wanted))} not found; "
                    f"fields present: {', '.join(map(str, names)) or '(none)'}; name the "
                    f"{role} field with {option}"
                )
        self.checked = True

    def map(self, record: Mapping[str, Any], location: str) -> Document | Skipped:
        if not self.checked:
            self.check_fields(record.keys())
        fields = self.fields
        doc_id = _text_value(record.get(fields.id))
        text = record.get(fields.text)
        html = record.get(fields.html) if text is None else None
        if doc_id is None or doc_id == "":
            return Skipped(location, "missing_field", f"no value for id field {fields.id!r}")
        if text is None and html is None:
            detail = f"no value for text field {fields.text!r} or html field {fields.html!r}"
            return Skipped(location, "missing_field", detail, doc_id)
        url = _text_value(record.get(fields.url))
        metadata: dict[str, Any] = {}
        published_raw = record.get(fields.published)
        try:
            published = normalize_published(published_raw)
        except (TypeError, ValueError):
            published = None
            metadata["invalid_published"] = str(published_raw)
        document = Document(
            id=doc_id,
            text=_text_value(text) or "",
            title=_text_value(record.get(fields.title)),
            url=url,
            outlet=_text_value(record.get(fields.outlet)) or outlet_from_url(url),
            published=published,
            source=location,
            metadata=metadata,
        )
        if html is None:
            return document
        return _with_page(document, html)


def _with_page(document: Document, html: Any) -> Document | Skipped:
    """The record's own fields, completed by what its HTML page says (the record wins)."""
    page = web.document_from_html(
        html if isinstance(html, bytes) else str(html),
        document.id,
        document.source,
        url=document.url,
        metadata=document.metadata,
    )
    if isinstance(page, Skipped):
        return page
    return Document(
        id=document.id,
        text=page.text,
        title=document.title or page.title,
        url=document.url or page.url,
        outlet=document.outlet or page.outlet,
        published=document.published or page.published,
        source=document.source,
        metadata=document.metadata,
    )


def _read_html(file: InputFile) -> Iterator[web.RawPage]:
    with open_binary(file) as stream:
        try:
            data = stream.read()
        except (OSError, EOFError) as error:
            raise InputError(f"cannot read {file.path}: {error}") from error
    yield web.RawPage(data, file.id, str(file.path))


def _read_warc(file: InputFile) -> Iterator[web.RawPage | Skipped]:
    try:
        stream = file.path.open("rb")  # warcio reads gzip members itself
    except OSError as error:
        raise InputError(f"cannot read {file.path}: {error.strerror or error}") from error
    with stream:
        yield from web.read_warc(stream, str(file.path))


def _read_txt(file: InputFile) -> Iterator[Document | Skipped]:
    with open_binary(file) as stream:
        try:
            data = stream.read()
        except (OSError, EOFError) as error:
            raise InputError(f"cannot read {file.path}: {error}") from error
    location = str(file.path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        yield Skipped(
            location,
            "undecodable",
            f"bytes at offset {error.start} are not UTF-8; convert the file to UTF-8",
            file.id,
        )
        return
    yield Document(id=file.id, text=text, source=location)


def _read_jsonl(file: InputFile, fields: FieldNames) -> Iterator[Document | Skipped]:
    mapper = _RecordMapper(file, fields)
    with open_binary(file) as stream:
        try:
            for number, raw in enumerate(stream, start=1):
                location = f"{file.path}:{number}"
                if not raw.strip():
                    continue
                try:
                    record = json.loads(raw)
                except UnicodeDecodeError as error:
                    yield Skipped(location, "undecodable", f"bytes not UTF-8 ({error.reason})")
                    continue
                except json.JSONDecodeError as error:
                    yield Skipped(location, "malformed_line", f"invalid JSON: {error.msg}")
                    continue
                if not isinstance(record, dict):
                    yield Skipped(location, "malformed_line", "a line must be a JSON object")
                    continue
                if _SURROGATE_ESCAPE.search(raw) and any(
                    isinstance(value, str) and _has_surrogates(value) for value in record.values()
                ):
                    detail = "an unpaired surrogate escape (\\ud800-\\udfff) is not text"
                    yield Skipped(location, "undecodable", detail)
                    continue
                yield mapper.map(record, location)
        except (OSError, EOFError) as error:
            raise InputError(f"cannot read {file.path}: {error}") from error


def _read_csv(file: InputFile, fields: FieldNames) -> Iterator[Document | Skipped]:
    csv.field_size_limit(min(sys.maxsize, _CSV_FIELD_LIMIT))
    mapper = _RecordMapper(file, fields)
    with open_binary(file) as binary:
        # surrogateescape keeps undecodable bytes visible per record instead of failing the file
        stream = io.TextIOWrapper(
            binary, encoding="utf-8-sig", errors="surrogateescape", newline=""
        )
        reader = csv.reader(stream)
        try:
            header = next(reader, None)
            if header is None:
                return
            mapper.check_fields(header)
            line = reader.line_num
            while True:
                start = line + 1
                location = f"{file.path}:{start}"
                try:
                    row = next(reader)
                except StopIteration:
                    break
                except csv.Error as error:
                    line = reader.line_num
                    yield Skipped(location, "malformed_line", f"CSV error: {error}")
                    continue
                line = reader.line_num
                if not row:
                    continue
                if len(row) != len(header):
                    yield Skipped(
                        location,
                        "malformed_line",
                        f"expected {len(header)} fields, got {len(row)}",
                    )
                    continue
                if any(_has_surrogates(value) for value in row):
                    yield Skipped(location, "undecodable", "bytes not UTF-8; convert to UTF-8")
                    continue
                yield mapper.map(dict(zip(header, row, strict=True)), location)
        except (OSError, EOFError) as error:
            raise InputError(f"cannot read {file.path}: {error}") from error


def _has_surrogates(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _read_parquet(file: InputFile, fields: FieldNames) -> Iterator[Document | Skipped]:
    mapper = _RecordMapper(file, fields)
    try:
        parquet = pq.ParquetFile(file.path)
    except (OSError, ValueError) as error:
        raise InputError(f"cannot read {file.path} as Parquet: {error}") from error
    names = parquet.schema_arrow.names
    mapper.check_fields(names)
    wanted = [name for name in dict.fromkeys(_field_names(fields)) if name in names]
    row = 0
    try:
        for batch in parquet.iter_batches(batch_size=1024, columns=wanted):
            for record in batch.to_pylist():
                row += 1
                yield mapper.map(record, f"{file.path}:row {row}")
    except OSError as error:
        raise InputError(f"cannot read {file.path}: {error}") from error


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


def _read_raw(file: InputFile, fields: FieldNames) -> Iterator[Item]:
    if file.format == "txt":
        return _read_txt(file)
    if file.format == "jsonl":
        return _read_jsonl(file, fields)
    if file.format == "csv":
        return _read_csv(file, fields)
    if file.format == "html":
        return _read_html(file)
    if file.format == "warc":
        return _read_warc(file)
    return _read_parquet(file, fields)


def read_file(file: InputFile, fields: FieldNames) -> Iterator[Document | Skipped]:
    """Documents and Skipped records of one input file, in file order."""
    for item in _read_raw(file, fields):
        yield web.finish([item])[0] if isinstance(item, web.RawPage) else item


def read_documents(
    paths: Iterable[str | Path], fields: FieldNames | None = None, workers: int = 1
) -> Iterator[Document | Skipped]:
    """Stream every record of every input path, skipped ones included (with the reason).

    Extracting HTML pages (folders of pages, WARC crawls) is the slow part of reading; with
    ``workers`` other than 1 it runs in worker processes (0: one per core), in input order.
    """
    files, ignored = discover(paths)
    fields = fields or FieldNames()
    yield from ignored
    if not any(file.format in ("html", "warc") for file in files):
        for file in files:
            yield from read_file(file, fields)
        return
    web.require_html()  # before reading anything: the fix is an install
    items = (item for file in files for item in _read_raw(file, fields))
    yield from ordered_map(web.finish, items, workers, _PAGES_PER_TASK)
