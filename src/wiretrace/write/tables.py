"""The output contract of DESIGN.md: documents, matches, groups, stories, summary.json.

``summary.json`` is written last and removed first: a folder without it is an interrupted
run, and every table is renamed into place only once complete. Only files wiretrace wrote are
ever replaced or removed (``wiretrace.write.output``).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.json as pa_json
import pyarrow.parquet as pq

from wiretrace import __version__, arrow
from wiretrace.collector import spared
from wiretrace.config import OUTPUT_FORMATS, OutputFormat
from wiretrace.errors import ConfigError, InputError
from wiretrace.pipeline import ScanResult
from wiretrace.read.files import OUTPUT_MARKER
from wiretrace.records import Match, Relation
from wiretrace.sketch.event import EventArguments
from wiretrace.write.atomic import atomic_path, remove
from wiretrace.write.output import (
    REPORT,
    check_folder,
    mark,
    output_lock,
    owned,
    remove_stale_partials,
)

SUMMARY = "summary.json"

_SPAN = pa.struct([("start", pa.int64()), ("end", pa.int64()), ("kind", pa.string())])
_PASSAGE = pa.struct(
    [
        ("a_start", pa.int64()),
        ("a_end", pa.int64()),
        ("b_start", pa.int64()),
        ("b_end", pa.int64()),
        ("kind", pa.string()),
        ("similarity", pa.float64()),
    ]
)

_DERIVATION = pa.struct(
    [
        ("chain", pa.int64()),
        ("coverage", pa.float64()),
        ("facts_shared", pa.int64()),
        ("facts_contradicted", pa.int64()),
        ("quotes", pa.int64()),
    ]
)

# who copied whom inside a story: one edge per match whose source is named
# who, where, when and how many: a document's event arguments (see wiretrace.sketch.event)
_EVENT = pa.struct(
    [
        ("names", pa.list_(pa.string())),
        ("places", pa.list_(pa.string())),
        ("date", pa.string()),
        ("counts", pa.list_(pa.struct([("what", pa.string()), ("value", pa.int64())]))),
    ]
)
_EDGE = pa.struct(
    [
        ("source", pa.string()),
        ("copy", pa.string()),
        ("relation", pa.string()),
        ("confidence", pa.float64()),
    ]
)


def _schema(fields: list[tuple[str, pa.DataType]]) -> pa.Schema:
    """The table's schema, with the note pandas reads back its column types from: each
    integer column is pandas' nullable ``Int64``, so that plain ``pd.read_parquet`` gives
    integers (``duplicate_group`` 3, or <NA>) where it would give floats (3.0, NaN) whenever
    a column holds a null, and a column's type never depends on whether this run had one."""
    integers = [name for name, kind in fields if pa.types.is_integer(kind)]
    pandas = {
        "index_columns": [],
        "column_indexes": [],
        "columns": [
            {
                "name": name,
                "field_name": name,
                "pandas_type": "int64",
                "numpy_type": "Int64",
                "metadata": None,
            }
            for name in integers
        ],
        "creator": {"library": "wiretrace", "version": __version__},
    }
    metadata: dict[bytes | str, bytes | str] | None = None
    if integers:
        metadata = {b"pandas": json.dumps(pandas).encode()}
    return pa.schema([pa.field(name, kind) for name, kind in fields], metadata=metadata)


SCHEMAS: dict[str, pa.Schema] = {
    "documents": _schema(
        [
            ("id", pa.string()),
            ("outlet", pa.string()),
            ("url", pa.string()),
            ("title", pa.string()),
            ("published", pa.string()),
            ("chars", pa.int64()),
            ("clean_chars", pa.int64()),
            ("boilerplate", pa.list_(_SPAN)),
            ("credits", pa.list_(pa.string())),
            ("dateline", pa.string()),
            ("language", pa.string()),
            ("duplicate_group", pa.int64()),
            ("story", pa.int64()),
            ("event", _EVENT),
            ("status", pa.string()),
            ("source", pa.string()),
        ]
    ),
    "matches": _schema(
        [
            ("a", pa.string()),
            ("b", pa.string()),
            ("relation", pa.string()),
            ("jaccard", pa.float64()),
            ("containment_a", pa.float64()),
            ("containment_b", pa.float64()),
            ("semantic", pa.float64()),
            ("passages", pa.list_(_PASSAGE)),
            ("derivation", _DERIVATION),
            ("source", pa.string()),
            ("provenance_confidence", pa.float64()),
            ("provenance_reasons", pa.list_(pa.string())),
            ("series", pa.string()),
        ]
    ),
    "groups": _schema(
        [
            ("group", pa.int64()),
            ("representative", pa.string()),
            ("members", pa.list_(pa.string())),
        ]
    ),
    "stories": _schema(
        [
            ("story", pa.int64()),
            ("members", pa.list_(pa.string())),
            ("first_published", pa.string()),
            ("last_published", pa.string()),
            ("title", pa.string()),
            ("entities", pa.list_(pa.string())),
            ("terms", pa.list_(pa.string())),
            ("places", pa.list_(pa.string())),
            ("when", pa.string()),
            ("counts", pa.list_(pa.string())),
            ("confidence", pa.float64()),
            ("provenance", pa.list_(_EDGE)),
        ]
    ),
}


def _match_columns(matches: Sequence[Match]) -> dict[str, list[Any]]:
    """The matches table's columns (a passage as a tuple in its struct's field order)."""
    relations = {relation: relation.value for relation in Relation}  # .value: ~4 us a call
    return {
        "a": [match.a for match in matches],
        "b": [match.b for match in matches],
        "relation": [relations[match.relation] for match in matches],
        "jaccard": [match.jaccard for match in matches],
        "containment_a": [match.containment_a for match in matches],
        "containment_b": [match.containment_b for match in matches],
        "semantic": [match.semantic for match in matches],
        "passages": [
            [(p.a_start, p.a_end, p.b_start, p.b_end, p.kind, p.similarity) for p in match.passages]
            for match in matches
        ],
        "derivation": [
            None if match.derivation is None else dataclasses.asdict(match.derivation)
            for match in matches
        ],
        "source": [match.source for match in matches],
        "provenance_confidence": [match.provenance_confidence for match in matches],
        "provenance_reasons": [match.provenance_reasons for match in matches],
        "series": [match.series for match in matches],
    }


def tables_of(result: ScanResult) -> dict[str, pa.Table]:
    """The four tables of the output contract as Arrow tables."""
    rows = result.documents
    group_of = result.group_of()
    story_of = result.story_of()
    documents = {
        "id": rows.id,
        "outlet": rows.outlet,
        "url": rows.url,
        "title": rows.title,
        "published": rows.published,
        "chars": rows.chars,
        "clean_chars": rows.clean_chars,
        "boilerplate": [
            [(span.start, span.end, span.kind) for span in spans] for spans in rows.boilerplate
        ],
        "credits": rows.credits,
        "dateline": rows.dateline,
        "language": rows.language,
        "duplicate_group": [
            group_of.get(doc_id) if doc_id is not None and status == "ok" else None
            for doc_id, status in zip(rows.id, rows.status, strict=True)
        ],
        "story": [
            story_of.get(doc_id) if doc_id is not None and status == "ok" else None
            for doc_id, status in zip(rows.id, rows.status, strict=True)
        ],
        "event": [_event(rows.event.get(row)) for row in range(len(rows.id))],
        "status": rows.status,
        "source": rows.source,
    }
    groups = {
        "group": [group.group for group in result.groups],
        "representative": [group.representative for group in result.groups],
        "members": [group.members for group in result.groups],
    }
    # built from their buffers: pa.table imports pandas, where it is installed (``arrow``)
    return {
        "documents": arrow.table(documents, SCHEMAS["documents"]),
        "matches": arrow.table(_match_columns(result.matches), SCHEMAS["matches"]),
        "groups": arrow.table(groups, SCHEMAS["groups"]),
        "stories": arrow.table(_stories(result, story_of), SCHEMAS["stories"]),
    }


def _event(found: tuple[EventArguments, str | None] | None) -> dict[str, Any] | None:
    if found is None:
        return None
    event, date = found
    return {
        "names": list(event.names),
        "places": list(event.places),
        "date": date,
        "counts": [{"what": what, "value": value} for what, value in event.counts],
    }


def _stories(result: ScanResult, story_of: dict[str, int]) -> dict[str, list[Any]]:
    edges: dict[int, list[dict[str, Any]]] = {}
    for match in result.matches:
        copy = match.b if match.source == match.a else match.a
        # named, stories clustered, and both in the story (a passage lifted into another
        # story's article was listed among the edges of a story it is not in)
        if match.source in story_of and story_of.get(copy) == story_of[match.source]:
            edges.setdefault(story_of[match.source], []).append(
                {
                    "source": match.source,
                    "copy": copy,
                    "relation": match.relation.value,
                    "confidence": match.provenance_confidence,
                }
            )
    return {
        "story": [story.story for story in result.stories],
        "members": [list(story.members) for story in result.stories],
        "first_published": [story.first_published for story in result.stories],
        "last_published": [story.last_published for story in result.stories],
        "title": [story.title for story in result.stories],
        "entities": [list(story.entities) for story in result.stories],
        "terms": [list(story.terms) for story in result.stories],
        "places": [list(story.places) for story in result.stories],
        "when": [story.when for story in result.stories],
        "counts": [list(story.counts) for story in result.stories],
        "confidence": [story.confidence for story in result.stories],
        "provenance": [edges.get(story.story, []) for story in result.stories],
    }


def _write_jsonl(table: pa.Table, path: Path) -> None:
    with path.open("w", encoding="utf-8") as stream:
        for batch in table.to_batches(max_chunksize=4096):
            for row in batch.to_pylist():
                stream.write(json.dumps(row, ensure_ascii=False))
                stream.write("\n")


TableWriter = Callable[[pa.Table, Path, OutputFormat], None]


def write_table(table: pa.Table, path: Path, output_format: OutputFormat) -> None:
    """One table as one file (``SparkBackend.write_table`` writes a folder instead)."""
    with atomic_path(path) as temporary:
        if output_format == "parquet":
            pq.write_table(table, temporary)
        else:
            _write_jsonl(table, temporary)


def read_table(path: Path, name: str) -> pa.Table:
    """Table ``name`` as a scan wrote it at ``path``: a file, or a folder of parts (as Spark
    writes them: in name order, ``_SUCCESS`` and ``.crc`` files aside), Parquet or JSON lines,
    read with the contract's schema."""
    schema = SCHEMAS[name]
    files = [path]
    if path.is_dir():
        files = sorted(part for part in path.iterdir() if not part.name.startswith(("_", ".")))
    if path.suffix == ".parquet":
        import pyarrow.dataset as ds  # here: it imports pandas (~0.4 s), which a scan never needs

        table = ds.dataset([str(file) for file in files], schema=schema).to_table()
    else:  # typed by the schema, not guessed from the rows; an empty part holds no rows
        options = pa_json.ParseOptions(explicit_schema=schema)
        parts = [
            pa_json.read_json(file, parse_options=options) for file in files if file.stat().st_size
        ]
        table = pa.concat_tables(parts) if parts else schema.empty_table()
    return table.select(schema.names).cast(schema)


TABLES = ("documents", "matches", "groups", "stories")
_SUFFIX = {"parquet": ".parquet", "jsonl": ".jsonl"}


def output_files() -> list[str]:
    """Every file a scan's output folder may hold, in any format."""
    return [f"{name}{suffix}" for name in TABLES for suffix in _SUFFIX.values()] + [SUMMARY]


def check_output(
    out: str | Path, inputs: list[str], output_format: OutputFormat = "parquet"
) -> Path:
    """Check ``out`` before a scan (see ``wiretrace.write.output.check_folder``); raise
    InputError or ConfigError with the fix."""
    if output_format not in OUTPUT_FORMATS:
        raise ConfigError(
            f"output format must be one of {', '.join(OUTPUT_FORMATS)}, got {output_format!r}"
        )
    return check_folder(out, inputs, output_files())


def write_scan(
    result: ScanResult,
    out: str | Path,
    output_format: OutputFormat = "parquet",
    write: TableWriter | None = None,
) -> list[Path]:
    """Write the output contract to folder ``out``; return the files written. ``write``
    writes each table (default ``write_table``: one file each, by pyarrow)."""
    folder = check_output(out, list(result.inputs), output_format)
    try:
        with output_lock(folder), spared():  # the result lives until it is written
            return _write(result, folder, output_format, write or write_table)
    except OSError as error:  # a disk that filled up, a folder removed under us
        raise InputError(
            f"cannot write to --out {folder}: {error.strerror or error}; free some space or "
            "choose another folder (the folder holds no summary.json: it is incomplete)"
        ) from error


def table_files(output_format: OutputFormat) -> dict[str, str]:
    """Each table's file (or folder) name in an output of ``output_format``."""
    return {name: f"{name}{_SUFFIX[output_format]}" for name in TABLES}


def summary_json(result: ScanResult, output_format: OutputFormat, files: list[str]) -> str:
    """summary.json of a scan whose tables were written as ``files``."""
    summary = {**result.summary, "output": {"format": output_format, "files": files}}
    return json.dumps(summary, indent=2, ensure_ascii=False) + "\n"


def _write(
    result: ScanResult, folder: Path, output_format: OutputFormat, write: TableWriter
) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    every = output_files()
    remove_stale_partials(folder, [*every, OUTPUT_MARKER])
    names = table_files(output_format)
    new = [*names.values(), SUMMARY]
    # Listed before they are written: a run stopped half-way leaves files the next may replace.
    mark(folder, owned(folder) | set(new))
    report = folder / REPORT
    if REPORT in owned(folder) and not report.is_dir():  # it would show the earlier scan
        report.unlink(missing_ok=True)
    summary_path = folder / SUMMARY
    summary_path.unlink(missing_ok=True)  # until the new one is written the folder is incomplete
    written: list[Path] = []
    for name, table in tables_of(result).items():
        for stale in every:  # the other format's table, from an earlier run (checked: ours)
            if stale.startswith(f"{name}.") and stale != names[name]:
                remove(folder / stale)
        path = folder / names[name]
        write(table, path, output_format)
        written.append(path)
    files = [path.name for path in written]
    with atomic_path(summary_path) as temporary:
        temporary.write_text(summary_json(result, output_format, files), "utf-8")
    written.append(summary_path)
    mark(folder, new)
    return written
