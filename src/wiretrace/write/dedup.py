"""``dedup``: the input records minus the non-representative members of duplicate groups.

Records are copied as they were read (JSONL lines byte for byte, CSV rows, Parquet rows with
every column, text files) when the output has the input's format; otherwise the documents'
fields are written in the output's format. Only records that were scanned (status ``ok``)
are written; the skipped ones are listed in the returned summary with their reasons.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import IO, Any, cast

import pyarrow as pa
import pyarrow.parquet as pq

from wiretrace.backend import Backend
from wiretrace.config import ScanConfig
from wiretrace.errors import InputError
from wiretrace.pipeline import OK, Reporter, ScanResult, scan
from wiretrace.read.files import InputFile, as_paths, classify, discover
from wiretrace.read.sources import CsvRows, jsonl_lines, read_file
from wiretrace.records import Document, Skipped
from wiretrace.write.atomic import atomic_path
from wiretrace.write.output import check_writable, refuse_inputs, remove_stale_partials


def _open_out(path: Path, compressed: bool) -> IO[bytes]:
    return cast(IO[bytes], gzip.open(path, "wb")) if compressed else path.open("wb")


def _copy_jsonl(
    files: list[InputFile], kept: set[str], target: Path, compressed: bool, limit: int
) -> int:
    written = 0
    with _open_out(target, compressed) as out:
        for file in files:
            for number, raw in jsonl_lines(file, limit):
                if isinstance(raw, bytes) and f"{file.source}:{number}" in kept:
                    out.write(raw if raw.endswith(b"\n") else raw + b"\n")
                    written += 1
    return written


def _copy_csv(
    files: list[InputFile], kept: set[str], target: Path, compressed: bool, limit: int
) -> int:
    written = 0
    header: list[str] | None = None
    with _open_out(target, compressed) as binary:
        out = io.TextIOWrapper(binary, encoding="utf-8", newline="")
        writer = csv.writer(out)
        for file in files:
            rows = CsvRows(file, limit)
            for location, row in rows:
                if header is None:
                    header = rows.header or []
                    writer.writerow(header)
                elif rows.header != header:
                    raise InputError(
                        f"{file.path}: CSV header differs from the first input's; dedup writes one "
                        "CSV, so give inputs with the same columns or an --out ending in .jsonl"
                    )
                if not isinstance(row, Skipped) and location in kept:
                    writer.writerow(row)
                    written += 1
            if header is None and rows.header is not None:  # a file of a header only
                header = rows.header
                writer.writerow(header)
        out.flush()
        out.detach()
    return written


def _copy_parquet(files: list[InputFile], kept: set[str], target: Path) -> int:
    written = 0
    writer: pq.ParquetWriter | None = None
    schema: pa.Schema | None = None
    try:
        for file in files:
            parquet = pq.ParquetFile(file.path)
            row = 0
            for batch in parquet.iter_batches(batch_size=4096):
                mask = [
                    f"{file.source}:row {row + number}" in kept
                    for number in range(1, batch.num_rows + 1)
                ]
                row += batch.num_rows
                selected = pa.Table.from_batches([batch]).filter(pa.array(mask))
                if writer is None or schema is None:
                    schema = selected.schema
                    writer = pq.ParquetWriter(target, schema)
                writer.write_table(selected.cast(schema))
                written += selected.num_rows
        if writer is None and files:  # no rows at all: still an empty file with the schema
            pq.write_table(pq.ParquetFile(files[0].path).schema_arrow.empty_table(), target)
    finally:
        if writer is not None:
            writer.close()
    return written


def _copy_txt(files: list[InputFile], kept: set[str], target: Path) -> int:
    target.mkdir()
    written = 0
    for file in files:
        if file.source in kept:
            shutil.copyfile(file.path, target / file.path.name)
            written += 1
    return written


def _document_record(document: Document) -> dict[str, Any]:
    return {
        "id": document.id,
        "text": document.text,
        "title": document.title,
        "url": document.url,
        "outlet": document.outlet,
        "published": document.published,
    }


def _kept_documents(
    files: list[InputFile], kept: set[str], config: ScanConfig
) -> Iterator[Document]:
    for file in files:
        for item in read_file(file, config.fields, config.max_record_bytes):
            if isinstance(item, Document) and item.source in kept:
                yield item


def _convert(
    files: list[InputFile], kept: set[str], target: Path, kind: InputFile, config: ScanConfig
) -> int:
    records = (_document_record(document) for document in _kept_documents(files, kept, config))
    written = 0
    if kind.format == "parquet":
        table = pa.Table.from_pylist(list(records))
        pq.write_table(table, target)
        return table.num_rows
    with _open_out(target, kind.gzip) as binary:
        out = io.TextIOWrapper(binary, encoding="utf-8", newline="")
        if kind.format == "csv":
            writer = csv.DictWriter(
                out, fieldnames=["id", "text", "title", "url", "outlet", "published"]
            )
            writer.writeheader()
            for record in records:
                writer.writerow(record)
                written += 1
        else:
            for record in records:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                written += 1
        out.flush()
        out.detach()
    return written


def dedup(
    inputs: str | Path | Iterable[str | Path],
    out: str | Path,
    config: ScanConfig | None = None,
    *,
    reporter: Reporter | None = None,
    backend: Backend | None = None,
) -> tuple[ScanResult, int]:
    """Scan ``inputs`` (on ``backend``, default the local one) and write their records minus
    non-representative duplicates to ``out``.

    Return the scan and the number of records written.
    """
    config = config or ScanConfig()
    inputs = as_paths(inputs)
    target = Path(out)
    # resolved first: "new/../in.jsonl" does not exist until "new" does, yet names the input
    refuse_inputs(target, inputs, "--out")
    if target.resolve().exists():
        raise InputError(f"--out {target} exists; remove it or name another output")
    files, _ = discover(inputs)
    formats = {file.format for file in files}
    wanted = classify(target)
    if wanted is None and target.suffix:
        raise InputError(
            f"--out {target}: unsupported type; end it in .jsonl, .csv (optionally .gz) or .parquet"
        )
    if wanted is not None and wanted.format in ("html", "warc"):
        raise InputError(
            f"--out {target}: dedup writes the extracted documents; end it in .jsonl, .csv "
            "or .parquet"
        )
    if wanted is not None and wanted.format == "txt":
        raise InputError(f"--out {target}: dedup of text files writes a folder; drop the suffix")
    if wanted is None and formats - {"txt"}:
        raise InputError(f"--out {target}: name a file ending in .jsonl, .csv or .parquet")
    check_writable(target.parent, "--out")
    remove_stale_partials(target.parent, [target.name])
    # what dedup keeps depends on the duplicate groups only: no stories, no passage search
    copies_only = replace(config, stories=False, passage_window=0)
    result = scan(inputs, copies_only, reporter=reporter, backend=backend)
    dropped = {
        member
        for group in result.groups
        for member in group.members
        if member != group.representative
    }
    rows = result.documents
    kept = {
        source
        for doc_id, status, source in zip(rows.id, rows.status, rows.source, strict=True)
        if status == OK and doc_id not in dropped
    }
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(target) as temporary:
        if wanted is None:
            written = _copy_txt(files, kept, temporary)
        elif formats == {wanted.format} and wanted.format == "jsonl":
            written = _copy_jsonl(files, kept, temporary, wanted.gzip, config.max_record_bytes)
        elif formats == {wanted.format} and wanted.format == "csv":
            written = _copy_csv(files, kept, temporary, wanted.gzip, config.max_record_bytes)
        elif formats == {wanted.format} and wanted.format == "parquet":
            written = _copy_parquet(files, kept, temporary)
        else:
            written = _convert(files, kept, temporary, wanted, config)
    return result, written
