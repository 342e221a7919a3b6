"""``wiretrace report``: one self-contained HTML file that shows a scan's results.

The report is built from a finished scan folder (the output contract) and the texts of the
documents that have matches, which it reads again from the inputs recorded in
``summary.json`` (paths as given to the scan, so relative ones are taken from the folder the
command runs in; ``inputs`` overrides them). A scan keeps no texts: the report needs only
those of matched documents, and re-reading costs one pass over the inputs, while keeping
them would cost every scan. Each text must have the length the scan recorded, or the input
has changed since and the report refuses it (its offsets would point at the wrong words).

Everything is inline (styles, script, data): no network, no CDN. Texts are gzip-compressed one
by one (base64 in a JSON map) and decompressed by the browser only when a pair is opened, so
the page opens fast and its size grows with the matched documents, not with the corpus.
Documents with no match, no group and no story of several members are counted, not listed.
"""

from __future__ import annotations

import base64
import difflib
import functools
import gzip
import json
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import pyarrow as pa

from wiretrace import __version__
from wiretrace.clean.normalize import WORD
from wiretrace.config import FieldNames
from wiretrace.errors import InputError
from wiretrace.pipeline import Reporter, SilentReporter
from wiretrace.read import read_documents
from wiretrace.read.files import OUTPUT_MARKER, source_file
from wiretrace.records import Document
from wiretrace.stages.languages import TRANSLATION
from wiretrace.write.atomic import atomic_path
from wiretrace.write.output import REPORT, check_writable, mark, owned, refuse_inputs
from wiretrace.write.tables import SCHEMAS, SUMMARY, read_table

GENERATOR = "wiretrace report"  # the <meta name="generator"> that marks a file as ours
_SKIPPED_LISTED = 500  # skipped records listed by name (all are counted by reason)
_DIGITS = 4  # decimals kept of scores
_SLOT = re.compile(r"(?:/\*)?\{\{([A-Z]+)\}\}(?:\*/)?")  # {{NAME}} or /*{{NAME}}*/
_WORD = WORD  # a Chinese or Japanese character is a word
# Passages of more words than this on a side are shown without their changed words: difflib's
# matcher is quadratic in the worst case, and a passage that long is a verbatim copy whose few
# edits the similarity already tells.
_DIFF_WORDS = 2_000


@dataclass(frozen=True, slots=True)
class ReportStats:
    """What a report holds: its path and size, and how many documents and texts it lists."""

    path: Path
    size: int  # bytes
    documents: int  # documents listed (related to another one)
    texts: int  # texts kept (documents with matches)
    matches: int
    stories: int  # stories of several documents


def default_report_path(scan_dir: str | os.PathLike[str]) -> Path:
    return Path(scan_dir) / REPORT


def write_report(
    scan_dir: str | os.PathLike[str],
    out: str | os.PathLike[str] | None = None,
    inputs: Sequence[str | os.PathLike[str]] | None = None,
    reporter: Reporter | None = None,
) -> ReportStats:
    """Write the HTML report of the scan in ``scan_dir`` to ``out`` (default: ``report.html``
    inside the scan folder), reading the texts from ``inputs`` (default: the scan's inputs)."""
    reporter = reporter or SilentReporter()
    folder = Path(scan_dir)
    summary = _summary(folder)
    given = [str(path) for path in inputs] if inputs else [str(p) for p in summary["inputs"]]
    for path in given:
        if not Path(path).exists():
            raise InputError(
                f"input {path} of the scan in {folder} is not found from {Path.cwd()}; run the "
                "report from the folder the scan ran in, or give the inputs with --input"
            )
    target = Path(out) if out is not None else default_report_path(folder)
    check_report_target(target, given)
    tables = _tables(folder, summary)
    data = _data(summary, tables)
    wanted = {row[0] for row in data["docs"] if row[9]}  # documents with matches
    texts = _texts(given, summary, wanted, tables["documents"], reporter)
    _with_changes(data, texts)
    html = _html(data, texts)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(target) as temporary:
            temporary.write_text(html, "utf-8")
    except OSError as error:  # a disk that filled up, a folder removed under us
        raise InputError(
            f"cannot write the report to {target}: {error.strerror or error}; free some space "
            "or choose another --out"
        ) from error
    if target.name == REPORT and (target.parent / OUTPUT_MARKER).is_file():
        # listed as wiretrace's: a later scan into the folder removes it with the old tables
        mark(target.parent, owned(target.parent) | {REPORT})
    return ReportStats(
        path=target,
        size=target.stat().st_size,
        documents=len(data["docs"]),
        texts=len(texts),
        matches=len(data["matches"]),
        stories=len(data["stories"]),
    )


def _summary(folder: Path) -> dict[str, Any]:
    path = folder / SUMMARY
    if not folder.is_dir():
        raise InputError(f"{folder} is not a folder; give the --out folder of a scan")
    if not path.is_file():
        if (folder / OUTPUT_MARKER).is_file():  # a scan into it that did not finish
            raise InputError(
                f"{folder} holds no {SUMMARY}: not a finished scan; run `wiretrace scan ... "
                f"--out {folder}` again (a scan writes {SUMMARY} last)"
            )
        raise InputError(
            f"{folder} holds no {SUMMARY}: not the --out folder of a scan; scan first "
            f"(`wiretrace scan INPUT... --out OUT`, or with --report), then `wiretrace report OUT`"
        )
    try:
        summary: dict[str, Any] = json.loads(path.read_text("utf-8"))
        summary["inputs"], summary["output"]["files"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise InputError(
            f"{path} is not a wiretrace summary ({error}); scan again into a new folder"
        ) from error
    return summary


def check_report_target(target: Path, inputs: Iterable[str]) -> None:
    """The report replaces only a file that is a wiretrace report, and never an input."""
    if target.is_dir():
        raise InputError(f"--out {target} is a folder; give a file name such as {REPORT}")
    refuse_inputs(target, inputs, "--out")
    if target.exists():
        with target.open("rb") as stream:
            head = stream.read(1024)
        if f'name="generator" content="{GENERATOR}'.encode() not in head:
            raise InputError(
                f"--out {target} exists and is not a wiretrace report; choose another file name "
                "(wiretrace never overwrites a file it did not write)"
            )
    check_writable(target.parent, "--out")


def _tables(folder: Path, summary: dict[str, Any]) -> dict[str, pa.Table]:
    tables = {}
    for name in SCHEMAS:
        found = [file for file in summary["output"]["files"] if file.startswith(f"{name}.")]
        if not found or not (folder / found[0]).exists():
            raise InputError(
                f"{folder} lacks the {name} table listed in its {SUMMARY}; scan again into a "
                "new folder"
            )
        tables[name] = read_table(folder / found[0], name)
    return tables


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, _DIGITS)


def _passage(row: dict[str, Any]) -> list[Any]:
    keys = ("a_start", "a_end", "b_start", "b_end", "kind")
    return [*(row[key] for key in keys), _round(row["similarity"])]


def _derivation(row: dict[str, Any] | None) -> list[Any] | None:
    if row is None:
        return None
    keys = ("chain", "coverage", "facts_shared", "facts_contradicted", "quotes")
    return [_round(row[key]) if key == "coverage" else row[key] for key in keys]


def word_changes(
    first: str, second: str
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]] | None:
    """The words of each text that the other does not have in the same place: spans
    ``(start, end)`` into each, from a word-level diff (difflib, case ignored). Adjacent
    changed words form one span. None when a side has more than ``_DIFF_WORDS`` words."""
    # composed first: a text in decomposed form (NFD, as macOS writes it) cut its accented
    # words at their accents, and every one was marked changed against the same text composed
    composed = [_composed(text) for text in (first, second)]
    words = [list(_WORD.finditer(text)) for text, _ in composed]
    if max(len(found) for found in words) > _DIFF_WORDS:
        return None
    keys = [[word.group().casefold() for word in found] for found in words]
    matcher = difflib.SequenceMatcher(None, keys[0], keys[1], autojunk=False)
    changed: tuple[list[tuple[int, int]], list[tuple[int, int]]] = ([], [])
    for tag, a_from, a_to, b_from, b_to in matcher.get_opcodes():
        if tag == "equal":
            continue
        for side, (start, end) in enumerate(((a_from, a_to), (b_from, b_to))):
            if start < end:
                found, where = words[side], composed[side][1]
                changed[side].append((where[found[start].start()], where[found[end - 1].end()]))
    return changed


def _composed(text: str) -> tuple[str, list[int]]:
    """``text`` in composed form (NFC) and, for each of its offsets and its end, the offset in
    ``text``."""
    if unicodedata.is_normalized("NFC", text):
        return text, list(range(len(text) + 1))
    pieces: list[str] = []
    where: list[int] = []
    start = 0
    for end in range(1, len(text) + 1):
        # a character and the marks that follow it are composed together
        if end < len(text) and unicodedata.combining(text[end]):
            continue
        piece = unicodedata.normalize("NFC", text[start:end])
        pieces.append(piece)
        where.extend([start] * len(piece))
        start = end
    where.append(len(text))
    return "".join(pieces), where


def _with_changes(data: dict[str, Any], packed: dict[str, str]) -> None:
    """Each passage row of ``data`` gains the changed words of both sides (offsets into the
    documents, flat ``[start, end, start, end, ...]``; null when not worked out). The texts
    are inflated again as pairs need them (a few at a time: the report holds every matched
    text compressed, never all of them plain)."""

    @functools.lru_cache(maxsize=64)
    def text(doc_id: str) -> str:
        return gzip.decompress(base64.b64decode(packed[doc_id])).decode("utf-8")

    for row in data["matches"]:
        a_text, b_text = text(row[0]), text(row[1])
        for passage in row[11]:
            a_start, a_end, b_start, b_end, kind = passage[:5]
            # a sentence and its translation share no words to tell apart: every one differs
            changes = (
                None
                if kind == TRANSLATION
                else word_changes(a_text[a_start:a_end], b_text[b_start:b_end])
            )
            if changes is None:
                passage.extend([None, None])
                continue
            for base, spans in zip((a_start, b_start), changes, strict=True):
                passage.append([base + offset for span in spans for offset in span])


def _data(summary: dict[str, Any], tables: dict[str, pa.Table]) -> dict[str, Any]:
    """Everything but the texts, as compact rows (lists) the page reads by position."""
    matches = tables["matches"].to_pylist()
    stories = [row for row in tables["stories"].to_pylist() if len(row["members"]) > 1]
    groups = tables["groups"].to_pylist()
    matched = {row["a"] for row in matches} | {row["b"] for row in matches}
    related = set(matched)
    for row in stories:
        related.update(row["members"])
    for row in groups:
        related.update(row["members"])
    docs = []
    boilerplate = {}
    for row in tables["documents"].to_pylist():
        if row["id"] not in related or row["status"] != "ok":
            continue
        docs.append(
            [
                row["id"],
                row["outlet"],
                row["title"],
                row["published"],
                row["chars"],
                row["duplicate_group"],
                row["story"],
                row["url"],
                row["source"],
                row["id"] in matched,
                row.get("language"),
            ]
        )
        if row["id"] in matched and row["boilerplate"]:
            boilerplate[row["id"]] = [[s["start"], s["end"], s["kind"]] for s in row["boilerplate"]]
    counts = summary.get("counts", {})
    skipped = summary.get("skipped", [])
    return {
        "version": summary.get("version"),
        "generator": __version__,
        "inputs": summary["inputs"],
        "counts": counts,
        "skipped": skipped[:_SKIPPED_LISTED],
        "skipped_total": len(skipped),
        "not_searched": summary.get("not_searched", {}),
        "timings": summary.get("timings_seconds", {}),
        "semantic": (summary.get("semantic") or {}).get("model"),
        "docs": docs,
        "boilerplate": boilerplate,
        "matches": [
            [
                row["a"],
                row["b"],
                row["relation"],
                _round(row["jaccard"]),
                _round(row["containment_a"]),
                _round(row["containment_b"]),
                _round(row["semantic"]),
                row["source"],
                _round(row["provenance_confidence"]),
                row["provenance_reasons"] or [],
                row["series"],
                [_passage(passage) for passage in row["passages"] or []],
                _derivation(row["derivation"]),
            ]
            for row in matches
        ],
        "groups": [[row["group"], row["representative"], row["members"]] for row in groups],
        "stories": [
            [
                row["story"],
                row["title"],
                row["first_published"],
                row["last_published"],
                row["members"],
                row["entities"] or [],
                row["terms"] or [],
                _round(row["confidence"]),
                row["places"] or [],
                row["when"],
                row["counts"] or [],
            ]
            for row in stories
        ],
    }


def _place(source: str, roots: tuple[str, ...]) -> str:
    """A record's ``source`` (``file:line``, ``file:record N``) as its input's number and its
    file's path inside that input: ``crawl/feb.jsonl:7`` read from the input ``crawl`` is
    ``0:feb.jsonl:7``, whether the input was given as ``crawl``, ``./crawl/`` or its absolute
    path. The source as it is where no input holds its file (a URL)."""
    file = source_file(source)
    placed = _placed_file(file, roots)
    return source if placed is None else placed + source[len(file) :]


@functools.lru_cache(maxsize=1024)
def _placed_file(file: str, roots: tuple[str, ...]) -> str | None:
    # once a file, not once a record: a file holds many records
    for number, root in enumerate(roots):
        try:
            return f"{number}:{Path(file).relative_to(Path(root)).as_posix()}"
        except ValueError:
            continue
    return None


def _texts(
    inputs: list[str],
    summary: dict[str, Any],
    wanted: set[str],
    documents: pa.Table,
    reporter: Reporter,
) -> dict[str, str]:
    """The gzip-compressed, base64-encoded texts of the ``wanted`` documents, read again."""
    config = summary.get("config", {})
    fields = FieldNames(**config.get("fields", {}))
    # the documents scanned, not the records skipped: a record skipped as `duplicate_id`
    # shares its id with the one scanned, and its length was taken for the scanned one's
    # ("the input changed since the scan")
    rows = list(
        zip(
            documents.column("source").to_pylist(),
            documents.column("id").to_pylist(),
            documents.column("chars").to_pylist(),
            documents.column("status").to_pylist(),
            strict=True,
        )
    )
    chars = {doc_id: length for _, doc_id, length, status in rows if status == "ok"}
    # each record by its place among the inputs, not by its path as typed: the inputs given
    # again by another spelling (absolute, from another folder) or moved are the same records
    scan_inputs = tuple(str(path) for path in summary.get("inputs", []))
    given = tuple(inputs)
    placed = len(scan_inputs) == len(given)

    def place(source: str | None, roots: tuple[str, ...]) -> str | None:
        return _place(source, roots) if placed and source is not None else source

    # the id the scan gave each record: an id repeated in another file was made unique there
    scanned_id = {
        place(source, scan_inputs): doc_id for source, doc_id, _, status in rows if status == "ok"
    }
    skipped = {place(source, scan_inputs) for source, _, _, status in rows if status != "ok"}
    texts: dict[str, str] = {}
    with reporter.stage("read the texts of matched documents", None) as advance:
        for item in read_documents(
            inputs,
            fields,
            config.get("workers", 0),
            config.get("max_record_bytes", 16 * 1024 * 1024),
        ):
            advance(1)
            if not isinstance(item, Document):
                continue
            source = place(item.source, given)
            if source in skipped:
                continue
            doc_id = scanned_id.get(source, item.id)
            if doc_id not in wanted or doc_id in texts:
                continue
            if len(item.text) != chars.get(doc_id):
                raise InputError(
                    f"{item.source}: document {doc_id!r} has {len(item.text):,} characters, "
                    f"the scan read {chars.get(doc_id) or 0:,}: the input changed since the scan; "
                    "scan it again"
                )
            texts[doc_id] = _packed(item.text)
    missing = wanted - texts.keys()
    if missing:
        example = min(missing)
        noun, verb = ("document", "is") if len(missing) == 1 else ("documents", "are")
        raise InputError(
            f"{len(missing):,} matched {noun} (such as {example!r}) {verb} not in the inputs "
            f"{', '.join(inputs)}; give the scan's inputs with --input"
        )
    return texts


def _packed(text: str) -> str:
    """A text gzip-compressed and base64-encoded (the browser inflates one when shown)."""
    return base64.b64encode(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)).decode(
        "ascii"
    )


def _script_json(value: Any) -> str:
    """JSON safe inside a <script> element: no "<" at all, so no "</script>" or "<!--"."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def _asset(name: str) -> str:
    return resources.files("wiretrace.write").joinpath("report_assets", name).read_text("utf-8")


def _html(data: dict[str, Any], texts: dict[str, str]) -> str:
    parts = {
        "GENERATOR": f"{GENERATOR} {__version__}",
        "CSS": _asset("report.css"),
        "JS": _asset("report.js"),
        "DATA": _script_json(data),
        "TEXTS": _script_json(texts),
    }
    # one pass over the template: what is put in is never searched again (a title may hold
    # anything)
    return _SLOT.sub(lambda found: parts[found.group(1)], _asset("report.html"))
