"""``dedup``: the input records minus the documents that a kept document holds.

A document is dropped only when a kept document is its exact or near duplicate, or contains
it, directly and never through a chain of others (``group.duplicates.dedup_choice``); a table
written beside the output names, for each dropped document, the kept document that holds it
(and the share of its text held: a near duplicate or a contained text may keep a sentence of
its own, within the thresholds).

Records are copied as they were read (JSONL and CSV lines byte for byte, Parquet rows with
every column, text files with their sub-folders) when the output has the input's format;
otherwise the documents' fields are written in the output's format. Records the scan skipped
(malformed, too large, empty, a duplicate id...) are not duplicates of anything: they are
written through unchanged, or to ``skipped_out`` when one is named.
"""

from __future__ import annotations

import codecs
import csv
import errno
import io
import json
import os
import shutil
from collections.abc import Collection, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any, cast

import pyarrow as pa
import pyarrow.parquet as pq
from isal import igzip_threaded

from wiretrace.backend import Backend
from wiretrace.config import ScanConfig
from wiretrace.errors import InputError
from wiretrace.group.duplicates import DocumentFacts, DropFloors, dedup_choice
from wiretrace.pipeline import OK, Advance, Reporter, ScanResult, scan
from wiretrace.read.csv_rows import CsvRows
from wiretrace.read.fields import in_their_case
from wiretrace.read.files import (
    READ_ERRORS,
    FileReadError,
    InputFile,
    as_paths,
    classify,
    discover,
    open_binary,
    opening_bytes,
    source_file,
)
from wiretrace.read.sources import (
    PARQUET_BATCH,
    RECORD_FORMATS,
    opening_problem,
    raw_records,
    read_file,
)
from wiretrace.records import Document, Dropped, Relation, Skipped
from wiretrace.stages.sketching import DUPLICATE_ID, skip_warning
from wiretrace.stages.state import DocumentRows
from wiretrace.write.atomic import atomic_path, remove
from wiretrace.write.output import check_writable, refuse_inputs, remove_stale_partials

_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class DedupResult:
    """What ``dedup`` wrote.

    ``written``: records written to the output (kept documents, and the skipped records
    passed through); ``dropped``: each dropped document with the kept one that holds it
    (also written to ``dropped_table``); ``passed_through``: skipped records written unchanged
    (to the output, or to ``skipped_out`` when named); ``not_written``: the sources of skipped
    records that could not be written in another format (nothing of them could be read; they
    are listed in the summary with their reasons)."""

    scan: ScanResult
    out: Path
    written: int
    dropped: tuple[Dropped, ...]
    passed_through: int
    not_written: tuple[str, ...]
    dropped_table: Path
    summary_file: Path
    skipped_out: Path | None = None


@dataclass(frozen=True, slots=True)
class _Target:
    """Where one selection of records goes, and in which format (None: a folder of texts)."""

    path: Path
    kind: InputFile | None


def _stem(path: Path) -> str:
    """The output's name without its type (``dd.jsonl.gz`` -> ``dd``)."""
    name = path.name
    while classify(Path(name)) is not None or name.endswith(".gz"):
        name = name[: -len(Path(name).suffix)]
    return name or path.name


def _sidecars(target: Path) -> tuple[Path, Path]:
    """The dropped table and the summary, written beside the output."""
    stem = _stem(target)
    return target.with_name(f"{stem}.dropped.jsonl"), target.with_name(f"{stem}.summary.json")


def _check_place(path: Path, inputs: list[str], option: str) -> None:
    """A file dedup writes: outside the inputs (not one, not holding one, not inside an input
    folder, where later scans of it would read it back) and new."""
    refuse_inputs(path, inputs, option)
    resolved = path.resolve()
    for given in inputs:
        folder = Path(given).resolve()
        if folder.is_dir() and folder in resolved.parents:
            raise InputError(
                f"{option} {path} is inside the input folder {given}; a later scan of {given} "
                "would read it back as input: write outside the input folders"
            )
    if resolved.exists() or path.is_symlink():
        raise InputError(f"{option} {path} exists; remove it or name another output")


def _check_apart(aside: Path, out: Path, sidecars: tuple[Path, ...]) -> None:
    """--skipped-out names a file of its own: neither --out, nor a file written beside it,
    nor a place inside --out's folder (each would be written over the other)."""
    where = aside.resolve()
    if where == out.resolve() or out.resolve() in where.parents:
        raise InputError(
            f"--skipped-out {aside} is where --out writes the kept records; name another file"
        )
    for sidecar in sidecars:
        if where == sidecar.resolve():
            raise InputError(
                f"--skipped-out {aside} is the file dedup writes beside --out ({sidecar.name}); "
                "name another file"
            )


_RECORD_FILES = ".jsonl, .csv, .tsv (optionally .gz) or .parquet"  # what dedup writes records to


def _check_target(path: Path, inputs: list[str], option: str, formats: Collection[str]) -> _Target:
    """An output of records checked before any work: a new place outside the inputs, of a
    type dedup writes."""
    _check_place(path, inputs, option)
    wanted = classify(path)
    if wanted is None and path.suffix:
        raise InputError(f"{option} {path}: unsupported type; end it in {_RECORD_FILES}")
    if wanted is not None and wanted.format in ("html", "warc"):
        raise InputError(
            f"{option} {path}: dedup writes the extracted documents; end it in {_RECORD_FILES}"
        )
    if wanted is not None and wanted.format == "txt":
        if set(formats) - {"txt"}:  # records of other files: a folder of texts holds no fields
            raise InputError(
                f"{option} {path}: dedup writes .txt files only from text files, as a folder; "
                f"end it in {_RECORD_FILES}"
            )
        raise InputError(f"{option} {path}: dedup of text files writes a folder; drop the suffix")
    if wanted is None and set(formats) - {"txt"}:
        raise InputError(f"{option} {path}: name a file ending in {_RECORD_FILES}")
    return _Target(path, wanted)


def passes_through(source: str) -> bool:
    """Whether a skipped record of ``source`` (``file:line``, ``file:record N``) would be
    written as it is to an output in its file's format: JSON lines, CSV and Parquet are;
    pages and crawls are written as the documents extracted from them."""
    found = classify(Path(source_file(source)))
    return found is not None and found.format in RECORD_FORMATS


def _same_format(files: list[InputFile], target: _Target) -> bool:
    formats = {file.format for file in files}
    if target.kind is None:
        return True  # a folder of texts: every input is a text file
    if target.kind.format == "csv" and any(_tabbed(f.path) != _tabbed(target.path) for f in files):
        return False  # CSV lines copied as they are keep their delimiter: .tsv to .tsv only
    return formats == {target.kind.format} and target.kind.format in RECORD_FORMATS


def _tabbed(path: Path) -> bool:
    """Whether ``path`` names a file of tab-separated values (``.tsv``, ``.tsv.gz``)."""
    return path.name.lower().removesuffix(".gz").endswith(".tsv")


_GZIP_THREADS = 2  # ISA-L compresses blocks in these threads: the same bytes for any count >= 1


def _open_out(path: Path, compressed: bool) -> IO[bytes]:
    """A record file to write: gzip by ISA-L at its default level (2: a file ~12% larger
    than gzip.open's level 9, written fifteen times as fast), compressed beside the copying."""
    if not compressed:
        return path.open("wb")
    written = igzip_threaded.open(path, "wb", threads=_GZIP_THREADS)  # type: ignore[no-untyped-call]
    return cast(IO[bytes], written)


def _copy_lines(file: InputFile, wanted: set[str], out: IO[bytes], written: set[str]) -> None:
    """The lines of a JSONL file whose location (``source:number``, numbered as
    ``bounded_lines`` numbers them) is wanted, copied byte for byte in pieces of at most
    ``_CHUNK`` bytes: a line too large to read is passed through without being held."""
    number, at_start, copying = 0, True, False
    source = file.source
    with open_binary(file) as stream:
        while True:
            try:
                piece = stream.readline(_CHUNK)
            except READ_ERRORS:
                # a damaged or truncated gzip stream: the scan kept the records before the
                # damage and listed the rest as unreadable (not written, in the summary)
                piece = b""
                copying = False
            if not piece:
                break
            if at_start:
                number += 1
                location = f"{source}:{number}"
                copying = location in wanted
                if copying:
                    written.add(location)
            if copying:
                out.write(piece)
            at_start = piece.endswith(b"\n")
    if copying and not at_start:
        out.write(b"\n")  # the file's last line had no end


def _copy_jsonl(
    files: list[InputFile], wanted: set[str], target: Path, compressed: bool
) -> set[str]:
    written: set[str] = set()
    with _open_out(target, compressed) as out:
        for file in files:
            _copy_lines(file, wanted, out, written)
    return written


def _csv_starts(file: InputFile, limit: int) -> tuple[list[str] | None, list[int], str]:
    """A CSV file's header, the line every record starts on (as ``CsvRows`` numbers them,
    rows it skips included) and its delimiter, by reading it with the same reader."""
    rows = CsvRows(file, limit)
    starts: list[int] = []
    try:
        starts.extend(int(location.rsplit(":", 1)[1]) for location, _ in rows)
    except FileReadError as error:
        if not error.partly_read:
            raise
        # the rows before the damage are those the scan kept (see ``_csv_text``)
    return rows.header, starts, rows.delimiter


def _csv_text(file: InputFile) -> Iterator[str]:
    """The lines of a CSV file as ``CsvRows`` reads them (its newlines kept, undecodable
    bytes kept as escapes, so that writing them back gives the same bytes)."""
    with open_binary(file) as binary:
        stream = io.TextIOWrapper(
            binary, encoding="utf-8-sig", errors="surrogateescape", newline=""
        )
        while True:
            try:
                line = stream.readline(_CHUNK)
            except READ_ERRORS:
                return  # damaged: the scan listed the rest of the file as unreadable
            if not line:
                return
            yield line


def _copy_csv(
    files: list[InputFile], wanted: set[str], target: Path, compressed: bool, limit: int
) -> set[str]:
    """The wanted rows of CSV files with one header, their lines copied as they were."""
    written: set[str] = set()
    header: list[str] | None = None
    delimiter = ","
    with _open_out(target, compressed) as binary:
        if files and opening_bytes(files[0], len(codecs.BOM_UTF8)) == codecs.BOM_UTF8:
            # as the first input: Excel reads a CSV without the mark as its own code page
            binary.write(codecs.BOM_UTF8)
        out = io.TextIOWrapper(binary, encoding="utf-8", errors="surrogateescape", newline="")
        for number, file in enumerate(files):
            found, starts, separator = _csv_starts(file, limit)
            if number == 0:
                header, delimiter = found, separator
            elif found is not None and (found != header or separator != delimiter):
                differs = "header" if found != header else f"delimiter ({separator!r})"
                raise InputError(
                    f"{file.path}: CSV {differs} differs from the first input's "
                    f"({files[0].path}); dedup writes one CSV, so give inputs with the same "
                    "columns and delimiter or an --out ending in .jsonl"
                )
            first = starts[0] if starts else None
            record = -1  # the record the current line belongs to (-1: the header)
            line_number = 0
            at_start = True
            source = file.source
            for piece in _csv_text(file):
                if at_start:
                    line_number += 1
                    while record + 1 < len(starts) and starts[record + 1] == line_number:
                        record += 1
                header_line = first is None or line_number < first
                if header_line and number == 0:
                    out.write(piece)
                elif not header_line and f"{source}:{starts[record]}" in wanted:
                    written.add(f"{source}:{starts[record]}")
                    out.write(piece)
                at_start = piece.endswith(("\n", "\r"))
        out.flush()
        out.detach()
    return written


def _schema(file: InputFile) -> pa.Schema | None:
    """The columns of a Parquet input, None where it cannot be read (the scan skips it as
    ``unreadable_file``, and so does the copy: a corrupt file was an internal error)."""
    try:
        return pq.read_schema(file.open_path)
    except (pa.ArrowException, OSError):
        return None


def _check_parquet_columns(files: list[InputFile]) -> None:
    """Parquet inputs written into one file must have the same columns and types."""
    readable = [(file, schema) for file in files if (schema := _schema(file)) is not None]
    if not readable:
        return
    first = readable[0][1]
    for file, schema in readable[1:]:
        if schema.equals(first):
            continue
        mine = dict(zip(schema.names, schema.types, strict=True))
        theirs = dict(zip(first.names, first.types, strict=True))
        differences = [
            *(f"{name} missing" for name in theirs if name not in mine),
            *(f"{name} not in the first" for name in mine if name not in theirs),
            *(
                f"{name} is {mine[name]}, not {theirs[name]}"
                for name in mine
                if name in theirs and mine[name] != theirs[name]
            ),
        ] or ["the column order differs"]
        raise InputError(
            f"{file.path}: its columns differ from the first input's ({readable[0][0].path}): "
            f"{'; '.join(differences)}; dedup writes one Parquet file, so give inputs with the "
            "same columns or an --out ending in .jsonl"
        )


def _copy_parquet(files: list[InputFile], wanted: set[str], target: Path) -> set[str]:
    written: set[str] = set()
    writer: pq.ParquetWriter | None = None
    try:
        for file in files:
            try:
                parquet = pq.ParquetFile(file.open_path)
            except (pa.ArrowException, OSError):
                continue  # unreadable: skipped by the scan, listed in the summary
            if writer is None:
                writer = pq.ParquetWriter(target, parquet.schema_arrow)
            row = 0
            for batch in _readable_batches(parquet):
                locations = [
                    f"{file.source}:row {row + number}" for number in range(1, batch.num_rows + 1)
                ]
                mask = [location in wanted for location in locations]
                row += batch.num_rows
                selected = pa.Table.from_batches([batch]).filter(pa.array(mask, pa.bool_()))
                writer.write_table(selected)
                written.update(location for location in locations if location in wanted)
        if writer is None:  # no input could be read: an empty table, as for JSON lines
            writer = pq.ParquetWriter(target, pa.schema([]))
    finally:
        if writer is not None:
            writer.close()
    return written


def _readable_batches(parquet: pq.ParquetFile) -> Iterator[pa.RecordBatch]:
    """The file's batches up to the first that cannot be read (a damaged page), read as the
    scan's reader reads them, so that they stop where it stopped: a read error is no error of
    writing --out."""
    batches = parquet.iter_batches(batch_size=PARQUET_BATCH)
    while True:
        try:
            batch = next(batches)
        except StopIteration:
            return
        except (OSError, pa.ArrowException):
            return  # the scan skipped the rest as unreadable_file, listed in the summary
        yield batch


def _relative_names(files: list[InputFile], inputs: list[str]) -> dict[str, Path]:
    """Each text file's place in the output folder: its path inside the input folder it was
    found in (several inputs: under the input's name), so sub-folders are kept."""
    places: dict[str, Path] = {}
    taken: dict[Path, str] = {}
    for file in files:
        place = Path(file.path.name)
        for given in inputs:
            root = Path(given)
            if root.is_dir() and root in file.path.parents:
                inside = file.path.relative_to(root)
                place = inside if len(inputs) == 1 else Path(root.resolve().name) / inside
                break
        if place in taken:
            raise InputError(
                f"{file.path} and {taken[place]} would both be written as {place}; dedup them "
                "in two runs, or give their folders different names"
            )
        taken[place] = file.source
        places[file.source] = place
    return places


def _copy_txt(
    files: list[InputFile], wanted: set[str], target: Path, inputs: list[str]
) -> set[str]:
    target.mkdir()
    written: set[str] = set()
    places = _relative_names(files, inputs)
    for file in files:
        if file.source in wanted:
            place = target / places[file.source]
            place.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(file.open_path, place)
            written.add(file.source)
    return written


def _document_record(document: Document) -> dict[str, Any]:
    """A page's or a text file's document as a record (what a record has of it)."""
    return {
        "id": document.id,
        "text": document.text,
        "title": document.title,
        "url": document.url,
        "outlet": document.outlet,
        "published": document.published,
    }


def _records(
    files: list[InputFile], wanted: set[str], ids: dict[str, str], config: ScanConfig
) -> Iterator[tuple[str, dict[str, Any]]]:
    """The wanted records with their sources: of JSONL, CSV and Parquet files every field
    they have (the id the scan gave them where it renamed one repeated across files), of
    text files, pages and crawls the document's fields."""
    for file in files:
        if file.format in RECORD_FORMATS:
            id_field = None  # the file's, as its reader named it from its first record
            for location, record in raw_records(file, config.max_record_bytes):
                if id_field is None:
                    id_field = in_their_case(config.fields, list(record)).id
                if location in wanted:
                    given = ids.get(location)
                    if given is not None and given != _text(record.get(id_field)):
                        record[id_field] = given
                    yield location, record
            continue
        for item in read_file(file, config.fields, config.max_record_bytes):
            if isinstance(item, Document) and item.source in wanted:
                document = replace(item, id=ids.get(item.source, item.id))
                yield item.source, _document_record(document)


def _text(value: Any) -> str:
    """A field's value in a CSV cell: strings as they are, nothing for null, numbers, true
    and false, lists and objects as JSON, anything else (a Parquet date) as Python writes it."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, (bool, int, float, list, dict)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _parquet_column(values: list[Any]) -> pa.Array[Any]:
    """One field's values as Arrow infers them, or as text where they are of several types or
    out of Arrow's range (an integer past 64 bits): only that column, the others keep
    their types."""
    try:
        found: pa.Array[Any] = pa.array(values)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, OverflowError):
        found = pa.array([None if value is None else _text(value) for value in values], pa.string())
    return found


def _convert(
    files: list[InputFile],
    wanted: set[str],
    target: Path,
    kind: InputFile,
    ids: dict[str, str],
    config: ScanConfig,
) -> set[str]:
    """The wanted records in the output's format, every field of each kept (a CSV's columns
    are the fields of all records, in the order first met; a Parquet column whose values
    are of several types, or out of Arrow's range, is written as text); returns the sources
    written."""
    written: set[str] = set()

    def records() -> Iterator[dict[str, Any]]:
        for source, record in _records(files, wanted, ids, config):
            written.add(source)
            yield record

    if kind.format == "parquet":
        rows = list(records())
        names = list(dict.fromkeys(name for row in rows for name in row))
        columns = [_parquet_column([row.get(name) for row in rows]) for name in names]
        pq.write_table(pa.Table.from_arrays(columns, names=names), target)
        return written
    with _open_out(target, kind.gzip) as binary:
        out = io.TextIOWrapper(binary, encoding="utf-8", newline="")
        if kind.format == "csv":
            # the columns first: every record's fields (a second read of the inputs)
            every = _records(files, wanted, ids, config)
            names = list(dict.fromkeys(name for _, record in every for name in record))
            writer = csv.writer(out, delimiter="\t" if _tabbed(kind.path) else ",")
            writer.writerow(names)
            writer.writerows([_text(record.get(name)) for name in names] for record in records())
        else:
            out.writelines(
                json.dumps(record, ensure_ascii=False, default=str) + "\n" for record in records()
            )
        out.flush()
        out.detach()
    return written


def _write(
    files: list[InputFile],
    wanted: set[str],
    target: _Target,
    inputs: list[str],
    ids: dict[str, str],
    config: ScanConfig,
) -> set[str]:
    """Write the wanted records to ``target``; returns the sources written."""
    # a file that cannot be read at all (UTF-16 records, gzip not named .gz) was skipped whole
    # (``unreadable_file``): its header is not copied either
    files = [file for file in files if opening_problem(file) is None]
    kind = target.kind
    copied = kind.format if kind is not None and _same_format(files, target) else None
    with atomic_path(target.path) as temporary:
        if kind is None:
            return _copy_txt(files, wanted, temporary, inputs)
        if copied == "jsonl":
            return _copy_jsonl(files, wanted, temporary, kind.gzip)
        if copied == "csv":
            return _copy_csv(files, wanted, temporary, kind.gzip, config.max_record_bytes)
        if copied == "parquet":
            return _copy_parquet(files, wanted, temporary)
        return _convert(files, wanted, temporary, kind, ids, config)


# what ``skip_warning`` says of a duplicate id after the record's source: ": duplicate id: "
_DUPLICATE_MARK = skip_warning(Skipped("", DUPLICATE_ID, "")).removeprefix("skipped ")


class _RepeatsHeld:
    """The scan's reporter without its warnings of records skipped as a duplicate id: dedup
    says what became of each once it knows (a record repeated whole is a dropped exact copy,
    which 'skipped' then '1 copy dropped' told twice, as two things)."""

    def __init__(self, reporter: Reporter) -> None:
        self.reporter = reporter

    def stage(self, name: str, total: int | None) -> AbstractContextManager[Advance]:
        return self.reporter.stage(name, total)

    def warn(self, message: str) -> None:
        if not (message.startswith("skipped ") and _DUPLICATE_MARK in message):
            self.reporter.warn(message)

    def said(self, skipped: Iterable[Skipped], repeated: dict[str, str]) -> None:
        """Warn of each record skipped as a duplicate id: ``repeated`` maps those repeated
        whole to the source of the record they repeat."""
        for item in skipped:
            if item.reason != DUPLICATE_ID:
                continue
            first = repeated.get(item.source)
            self.reporter.warn(
                skip_warning(item)
                if first is None
                else f"{item.source} repeats the record at {first} whole (id {item.id!r}): "
                "dropped as its exact copy"
            )


def _repeated_records(
    files: list[InputFile], rows: DocumentRows, sources: dict[str, str], limit: int
) -> list[tuple[str, str]]:
    """``(source, id)`` of each record skipped as ``duplicate_id`` whose every field equals
    the record scanned under that id (read again: the scan keeps neither's fields)."""
    firsts: dict[str, str] = {}  # a repeated record's source -> the scanned one's
    for doc_id, status, source in zip(rows.id, rows.status, rows.source, strict=True):
        if status == DUPLICATE_ID and doc_id in sources:
            firsts[source] = sources[doc_id]
    if not firsts:
        return []
    wanted = {*firsts, *firsts.values()}
    holding = {source.rsplit(":", 1)[0] for source in firsts}  # "feb.jsonl:12", "x.parquet:row 3"
    found: dict[str, dict[str, Any]] = {}
    for file in files:
        if file.format in RECORD_FORMATS and file.source in holding:
            for location, record in raw_records(file, limit):
                if location in wanted:
                    found[location] = record
    ids = {source: doc_id for doc_id, source in sources.items()}
    return [
        (source, ids[first])
        for source, first in firsts.items()
        if source in found and found[source] == found.get(first)
    ]


def _write_dropped(
    path: Path, dropped: Iterable[tuple[Dropped, str]], sources: dict[str, str]
) -> None:
    with atomic_path(path) as temporary, temporary.open("w", encoding="utf-8") as out:
        for item, source in dropped:
            record = {
                "dropped": item.id,
                "kept": item.kept,
                "relation": str(item.relation),
                "coverage": item.coverage,
                "source": source,
                # where the kept record is: an id made unique across files (``7@mar.jsonl``)
                # is not the id its record writes (``7``)
                "kept_source": sources.get(item.kept),
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def _write_error(error: OSError, target: Path) -> InputError:
    what = "the disk is full" if error.errno == errno.ENOSPC else (error.strerror or str(error))
    return InputError(
        f"cannot write --out {target}: {what}; free some space or choose another place "
        "(nothing was left at --out)"
    )


def dedup(
    inputs: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    out: str | os.PathLike[str],
    config: ScanConfig | None = None,
    *,
    reporter: Reporter | None = None,
    backend: Backend | None = None,
    skipped_out: str | os.PathLike[str] | None = None,
) -> DedupResult:
    """Scan ``inputs`` for copies (on ``backend``, default the local one) and write their
    records to ``out`` less every document a kept document holds (see the module's
    docstring). Beside ``out``: ``NAME.dropped.jsonl`` (each dropped id, the kept id that
    holds it, the relation and the coverage) and ``NAME.summary.json``. Records the scan
    skipped are written through unchanged, or to ``skipped_out`` when named."""
    config = config or ScanConfig()
    paths = as_paths(inputs)
    files, _ = discover(paths)
    formats = {file.format for file in files}
    target = _check_target(Path(out), paths, "--out", formats)
    dropped_table, summary_file = _sidecars(target.path)
    for sidecar in (dropped_table, summary_file):
        _check_place(sidecar, paths, "--out's companion file")
    aside = None
    if skipped_out is not None:
        aside = _check_target(Path(skipped_out), paths, "--skipped-out", formats)
    if files and any(
        chosen and chosen.kind and chosen.kind.format == "parquet" and _same_format(files, chosen)
        for chosen in (target, aside)
    ):
        _check_parquet_columns(files)
    places = [target.path, dropped_table, summary_file, *([aside.path] if aside else [])]
    if aside is not None:
        _check_apart(aside.path, target.path, (dropped_table, summary_file))
    for place in places:
        check_writable(place.parent, "--out")
        remove_stale_partials(place.parent, [place.name])

    # copies are all dedup needs: no semantic stage, stories, passage search, provenance
    # or languages
    copies_only = replace(
        config,
        semantic=False,
        stories=False,
        passage_window=0,
        provenance=False,
        series=False,
        languages=False,
    )
    held = _RepeatsHeld(reporter) if reporter is not None else None
    result = scan(paths, copies_only, reporter=held, backend=backend)
    rows = result.documents
    facts: dict[str, DocumentFacts] = {}
    ids: dict[str, str] = {}  # source -> the id the scan gave it (unique across files)
    sources: dict[str, str] = {}  # id -> source, of the documents scanned
    skipped: set[str] = set()
    for row, (doc_id, status, source) in enumerate(
        zip(rows.id, rows.status, rows.source, strict=True)
    ):
        if doc_id is not None:
            ids[source] = doc_id
        if status == OK and doc_id is not None:
            facts[doc_id] = rows.facts(row)
            sources[doc_id] = source
        else:
            skipped.add(source)
    floors = DropFloors(
        config.jaccard_threshold, config.near_duplicate_coverage, config.containment_threshold
    )
    dropped = dedup_choice(list(facts), result.matches, facts, floors)
    gone = {item.id for item in dropped}
    kept = {source for doc_id, source in sources.items() if doc_id not in gone}
    # each dropped document's source; a record repeated whole under its id (a crawl that
    # fetched a page twice) is a dropped exact copy too, not a skipped record written through
    dropped_sources = [(item, sources[item.id]) for item in dropped]
    holder = {item.id: item.kept for item in dropped}
    repeated: dict[str, str] = {}
    for source, doc_id in _repeated_records(files, rows, sources, config.max_record_bytes):
        skipped.discard(source)
        kept_id = holder.get(doc_id, doc_id)
        dropped_sources.append((Dropped(doc_id, kept_id, Relation.EXACT, 1.0), source))
        repeated[source] = sources[doc_id]
    if held is not None:
        held.said(result.skipped, repeated)
    dropped = [item for item, _ in dropped_sources]

    written_places: list[Path] = []
    try:
        for place in places:
            place.parent.mkdir(parents=True, exist_ok=True)
        out_sources = _write(files, kept if aside else kept | skipped, target, paths, ids, config)
        written_places.append(target.path)
        aside_sources: set[str] = set()
        if aside is not None:
            aside_sources = _write(files, skipped, aside, paths, ids, config)
            written_places.append(aside.path)
        not_written = skipped - out_sources - aside_sources
        passed = len(skipped & (aside_sources if aside else out_sources))
        _write_dropped(dropped_table, dropped_sources, sources)
        written_places.append(dropped_table)
        summary = dict(result.summary)
        summary["dedup"] = {
            "out": str(target.path),
            "written": len(out_sources),
            "dropped": len(dropped),
            "dropped_by_relation": _by_relation(dropped),
            "skipped_passed_through": passed,
            "skipped_written_to": str(aside.path if aside else target.path),
            "skipped_not_written": sorted(not_written),
            "dropped_table": str(dropped_table),
        }
        with atomic_path(summary_file) as temporary:
            temporary.write_text(json.dumps(summary, indent=2, default=str) + "\n", "utf-8")
    except OSError as error:
        for place in written_places:  # no output that looks complete
            remove(place)
        raise _write_error(error, target.path) from error
    except BaseException:
        for place in written_places:
            remove(place)
        raise
    return DedupResult(
        scan=result,
        out=target.path,
        written=len(out_sources),
        dropped=tuple(dropped),
        passed_through=passed,
        not_written=tuple(sorted(not_written)),
        dropped_table=dropped_table,
        summary_file=summary_file,
        skipped_out=aside.path if aside else None,
    )


def _by_relation(dropped: Iterable[Dropped]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in dropped:
        counts[str(item.relation)] = counts.get(str(item.relation), 0) + 1
    return dict(sorted(counts.items()))
