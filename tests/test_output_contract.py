"""Every table and field that docs/output-contract.md lists is written, typed and
consistent across tables, in both output formats.

The field lists are read from that page itself, so a field documented there but not written
fails here; the types are declared below, and a README field without a declared type fails
too (declare it when documenting the field).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from tests.conftest import REPO, SEEDS
from wiretrace import __version__
from wiretrace.cli import main

README = REPO / "docs" / "output-contract.md"
SUMMARY = "summary.json"

# --- what the contract page says --------------------------------------------------------------


def _section(heading: str) -> str:
    """The page, from its title ``heading`` to its end (one page, one section)."""
    text = README.read_text(encoding="utf-8")
    assert text.startswith(f"# {heading}\n"), f"{README} is not the {heading} page"
    return text


def _contract_rows() -> Iterator[tuple[str, str]]:
    """(file, fields cell) of each row of the Output contract table."""
    for line in _section("Output contract").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and (name := re.fullmatch(r"`([^`]+)`", cells[0])):
            yield name.group(1), cells[2]


def _table_fields(cell: str) -> dict[str, tuple[str, ...]]:
    """Field -> the fields of its list items. Fields are the backticked names outside
    parentheses; a backticked ``{x, y}`` inside the parentheses that follow a field gives
    the fields of its items (``boilerplate`` (list of ``{start, end, kind}``))."""
    fields: dict[str, tuple[str, ...]] = {}
    depth = 0
    last = ""
    for token in re.finditer(r"`([^`]*)`|[()]", cell):
        if token.group(0) == "(":
            depth += 1
        elif token.group(0) == ")":
            depth -= 1
        elif depth == 0:
            last = token.group(1)
            fields[last] = ()
        elif last and (items := re.fullmatch(r"\{(.+)\}", token.group(1))):
            fields[last] = tuple(name.strip() for name in items.group(1).split(","))
    return fields


def readme_tables() -> dict[str, dict[str, tuple[str, ...]]]:
    """Table -> field -> item fields, as the README's Output contract lists them."""
    return {name: _table_fields(cell) for name, cell in _contract_rows() if name != SUMMARY}


def _split(text: str) -> list[str]:
    """Split at the commas outside parentheses."""
    items, depth, current = [], 0, ""
    for char in text:
        depth += (char == "(") - (char == ")")
        if char == "," and depth == 0:
            items.append(current.strip())
            current = ""
        else:
            current += char
    return [*items, current.strip()]


def readme_summary() -> list[str]:
    """The phrases the README lists for summary.json; ``counts (a, b)`` gives counts/a, ..."""
    cell = dict(_contract_rows())[SUMMARY]
    phrases = []
    for item in _split(cell):
        if counts := re.fullmatch(r"counts \((.+)\)", item):
            phrases += [f"counts/{phrase}" for phrase in _split(counts.group(1))]
        else:
            phrases.append(item)
    return phrases


def _first_column(marker: str) -> set[str]:
    """The backticked first cells of the first table after ``marker`` in the docs pages."""
    text = "\n".join(
        page.read_text(encoding="utf-8") for page in sorted(README.parent.glob("*.md"))
    )
    lines = text[text.index(marker) :].splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("|"))
    names = set()
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        first_cell = line.split("|")[1]
        names.update(re.findall(r"`([a-z_]+)`", first_cell))
    return names


def readme_relations() -> set[str]:
    return _first_column("Relations, strongest first")


def readme_boilerplate_kinds() -> set[str]:
    return _first_column("**Boilerplate.**")


def readme_skip_reasons() -> set[str]:
    """The record reasons of the README's "Bad input" table (its first column)."""
    return _first_column("**Bad input.**")


# --- what the test expects of each field -----------------------------------------------

# A kind is a base type, "?" when the value may be null: "str", "int", "float", "list[str]",
# "list[{}]" (a list of records whose fields the README names in braces) or "{}" (one such
# record).
FIELD_KINDS: dict[str, dict[str, str]] = {
    "documents": {
        "id": "str?",  # null only on a skipped record whose id could not be read
        "outlet": "str?",
        "url": "str?",
        "title": "str?",
        "published": "str?",
        "chars": "int?",  # null on a skipped record without a text value
        "clean_chars": "int?",  # null on skipped records
        "boilerplate": "list[{}]",
        "credits": "list[str]",
        "dateline": "str?",
        "language": "str?",
        "duplicate_group": "int?",
        "story": "int?",
        "event": "{}?",  # null on skipped records and with stories off
        "status": "str",
        "source": "str",
    },
    "matches": {
        "a": "str",
        "b": "str",
        "relation": "str",
        "jaccard": "float",
        "containment_a": "float",
        "containment_b": "float",
        "semantic": "float?",  # null without the semantic stage
        "passages": "list[{}]",
        "derivation": "{}?",  # null without the semantic stage and for copies
        "source": "str?",
        "provenance_confidence": "float?",
        "provenance_reasons": "list[str]",
        "series": "str?",
    },
    "groups": {"group": "int", "representative": "str", "members": "list[str]"},
    "stories": {
        "story": "int",
        "members": "list[str]",
        "first_published": "str?",
        "last_published": "str?",
        "title": "str?",
        "entities": "list[str]",
        "terms": "list[str]",
        "places": "list[str]",
        "when": "str?",
        "counts": "list[str]",
        "confidence": "float?",  # null for a story of one
        "provenance": "list[{}]",
    },
}
ITEM_KINDS: dict[str, str] = {
    "boilerplate.start": "int",
    "boilerplate.end": "int",
    "boilerplate.kind": "str",
    "passages.a_start": "int",
    "passages.a_end": "int",
    "passages.b_start": "int",
    "passages.b_end": "int",
    "passages.kind": "str",
    "passages.similarity": "float",
    "derivation.chain": "int",
    "derivation.coverage": "float",
    "derivation.facts_shared": "int",
    "derivation.facts_contradicted": "int",
    "derivation.quotes": "int",
    "provenance.source": "str",
    "provenance.copy": "str",
    "provenance.relation": "str",
    "provenance.confidence": "float",
    "event.names": "list[str]",
    "event.places": "list[str]",
    "event.date": "str?",
    "event.counts": "list[{}]",
}

# The README's summary.json phrases and the keys (paths from the top) that hold them.
SUMMARY_KEYS: dict[str, list[tuple[str, ...]]] = {
    "counts/records": [("counts", "records")],
    "counts/documents": [("counts", "documents")],
    "counts/documents by language": [("counts", "documents_by_language")],
    "counts/skipped by reason": [("counts", "skipped_by_reason")],
    "counts/skipped records and files (records = documents + skipped records)": [
        ("counts", "skipped_records"),
        ("counts", "skipped_files"),
    ],
    "counts/boilerplate spans by kind": [("counts", "boilerplate_spans_by_kind")],
    "counts/recurring lines": [("counts", "recurring_lines")],
    "counts/candidate pairs (LSH, passage, all)": [
        ("counts", "verbatim_candidate_pairs"),
        ("counts", "passage_candidate_pairs"),
        ("counts", "candidate_pairs"),
    ],
    "counts/exact copies compared as stars": [("counts", "exact_copies_as_stars")],
    "counts/big groups' star comparisons and pairs not listed": [
        ("counts", "big_group_star_pairs"),
        ("counts", "big_group_pairs_not_listed"),
    ],
    "counts/matches by relation": [("counts", "matches_by_relation")],
    "counts/groups": [("counts", "duplicate_groups")],
    "counts/stories": [("counts", "stories")],
    "counts/sources named and left open": [
        ("counts", "sources_named"),
        ("counts", "sources_unknown"),
    ],
    "counts/series matches": [
        ("counts", "series_matches"),
        ("counts", "series_matches_by_relation"),
    ],
    "counts/invalid published dates and fields": [
        ("counts", "invalid_published"),
        ("counts", "invalid_fields"),
    ],
    "every skipped record with its reason": [("skipped",)],
    "the unreadable dates and fields left out (with file and line)": [
        ("invalid_published",),
        ("invalid_fields",),
    ],
    "relations not searched": [("not_searched",)],
    "relations searched in part (`searched_in_part`: `paraphrase` when some documents are not "
    "in English, which the sentence model reads)": [("searched_in_part",)],
    "the semantic stage (model, thresholds, sentences embedded)": [("semantic", "model")],
    "the backend that ran (local with its workers, or Spark with its master)": [
        ("backend", "name"),
    ],
    "configuration (with the derived LSH banding, and `story_resolution_used`: the story "
    "resolution in force, the story model's own where `story_resolution` is null)": [
        ("config",),
        ("config", "lsh", "bands"),
        ("config", "lsh", "rows"),
        ("config", "story_resolution_used"),
    ],
    "timings": [("timings_seconds",)],
    "version": [("version",)],
}


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_float(value: object) -> bool:
    return isinstance(value, float)


def _is_text_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


PYTHON: dict[str, Callable[[object], bool]] = {
    "str": lambda value: isinstance(value, str),
    "int": _is_int,
    "float": _is_float,
    "list[str]": _is_text_list,
}
ARROW: dict[str, Callable[[pa.DataType], bool]] = {
    "str": lambda kind: pa.types.is_string(kind) or pa.types.is_large_string(kind),
    "int": pa.types.is_integer,
    "float": pa.types.is_floating,
    "list[str]": lambda kind: pa.types.is_list(kind) and ARROW["str"](kind.value_type),
    "list[{}]": lambda kind: pa.types.is_list(kind) and pa.types.is_struct(kind.value_type),
    "{}": pa.types.is_struct,
}
RECORDS = ("list[{}]", "{}?")  # kinds whose items the README names in braces


def _value_fits(kind: str, value: object, items: dict[str, str]) -> bool:
    if value is None:
        return kind.endswith("?")
    base = kind.rstrip("?")
    if base == "{}":
        return _record_fits(value, items)
    if base != "list[{}]":
        return PYTHON[base](value)
    return isinstance(value, list) and all(_record_fits(item, items) for item in value)


def _record_fits(value: object, items: dict[str, str]) -> bool:
    return (
        isinstance(value, dict)
        and set(items) <= set(value)
        and all(_value_fits(items[name], value[name], {}) for name in items)
    )


# --- the scan ----------------------------------------------------------------------------


def _opening(text: str, share: float) -> str:
    paragraphs = text.split("\n\n")
    return "\n\n".join(paragraphs[: max(1, int(len(paragraphs) * share))])


def _records(folder: Path) -> Path:
    """Copies of the seeds that exercise every field: an agency's own copy (a source named),
    truncated copies, two documents of one outlet (a series match), two reports of one
    earthquake (a story's counts), and records skipped for each kind of reason a record
    file can give."""
    wire = next(SEEDS.glob("000_*.txt")).read_text(encoding="utf-8")
    long = next(SEEDS.glob("003_*.txt")).read_text(encoding="utf-8")
    records: list[dict[str, str]] = [
        {
            "id": "wire",
            "text": wire,
            "outlet": "afp.com",
            "url": "https://www.afp.com/en/ghani-mazar",
            "title": "Ghani flies to Mazar",
            "published": "2021-08-11T06:00",
        },
        {
            "id": "truncated",
            "text": _opening(wire, 0.6),
            "url": "https://news.example/world/ghani",
            "published": "2021-08-11T12:00",
        },
        {"id": "daily-1", "text": long, "outlet": "daily.example", "published": "2021-08-13"},
        {
            "id": "daily-2",
            "text": _opening(long, 0.7),
            "outlet": "daily.example",
            "published": "2021-08-14",
        },
        # two reports of one small event: a story whose members give the same counts
        {
            "id": "quake-1",
            "text": "KABUL (AP) — A 5.9-magnitude earthquake struck Badakhshan province on "
            "Tuesday, killing 12 people and injuring 40, officials in Faizabad said. The quake "
            "destroyed dozens of mud-brick homes in Jurm district.",
            "published": "2021-08-11",
        },
        {
            "id": "quake-2",
            "text": "The earthquake that hit Badakhshan on Tuesday killed 12 people and injured "
            "40, provincial officials in Faizabad said, as rescuers searched the ruins of homes in "
            "Jurm district for survivors of the 5.9-magnitude quake.",
            "published": "2021-08-12",
        },
        {"id": "empty", "text": ""},
        {"id": "wire", "text": "A second record with the id of the first."},
        {"text": "A record without an id."},
    ]
    path = folder / "records.jsonl"
    lines = [json.dumps(record) for record in records] + ["{not json"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


Tables = dict[str, list[dict[str, Any]]]


class Scan:
    """One ``wiretrace scan --no-semantic`` of the seeds and the records, in one format."""

    def __init__(self, folder: Path, inputs: list[str], output_format: str) -> None:
        self.inputs = inputs
        self.out = folder / f"out-{output_format}"
        # without the semantic stage: this checks the tables, not the model (2 s instead of 20)
        options = ["--format", output_format, "--no-semantic", "--quiet"]
        result = CliRunner().invoke(main, ["scan", *inputs, "--out", str(self.out), *options])
        assert result.exit_code == 0, result.output
        suffix = f".{output_format}"
        self.schemas: dict[str, pa.Schema] = {}
        self.tables: Tables = {}
        for name in FIELD_KINDS:
            path = self.out / f"{name}{suffix}"
            if output_format == "parquet":
                table = pq.read_table(path)
                self.schemas[name] = table.schema
                self.tables[name] = table.to_pylist()
            else:
                lines = path.read_text(encoding="utf-8").splitlines()
                self.tables[name] = [json.loads(line) for line in lines]
        self.summary: dict[str, Any] = json.loads((self.out / SUMMARY).read_text("utf-8"))


@pytest.fixture(scope="module")
def scans(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Scan]:
    folder = tmp_path_factory.mktemp("contract")
    inputs = [str(SEEDS), str(_records(folder))]
    return {name: Scan(folder, inputs, name) for name in ("parquet", "jsonl")}


FORMATS = ["parquet", "jsonl"]


# --- the README is read as intended --------------------------------------------------------


def test_the_readme_lists_what_this_test_knows_how_to_check() -> None:
    tables = readme_tables()
    assert set(tables) == set(FIELD_KINDS), "a table added or removed: update FIELD_KINDS"
    for name, fields in tables.items():
        assert set(fields) == set(FIELD_KINDS[name]), f"{name}: declare each field's kind"
        for field, items in fields.items():
            assert (FIELD_KINDS[name][field] in RECORDS) == bool(items), (name, field)
            for item in items:
                assert f"{field}.{item}" in ITEM_KINDS, f"{name}.{field}: declare {item}'s kind"
    # spot checks that the parser reads the table, not only agrees with itself
    assert tables["documents"]["boilerplate"] == ("start", "end", "kind")
    assert "series" in tables["matches"] and "a < b" not in tables["matches"]
    assert "ok" not in tables["documents"]
    phrases = readme_summary()
    unknown = [phrase for phrase in phrases if phrase not in SUMMARY_KEYS]
    assert not unknown, f"README lists {unknown} in summary.json: name their keys here"
    assert not set(SUMMARY_KEYS) - set(phrases), "SUMMARY_KEYS names phrases the README lost"
    assert len(readme_relations()) == 7
    assert {"repeated", "credit", "recurring"} <= readme_boilerplate_kinds()
    assert {"empty_text", "malformed_line", "duplicate_id"} <= readme_skip_reasons()


# --- every field is there with its type ----------------------------------------------------


def test_parquet_columns_have_the_documented_types(scans: dict[str, Scan]) -> None:
    for name, fields in readme_tables().items():
        schema = scans["parquet"].schemas[name]
        for field, items in fields.items():
            assert field in schema.names, f"{name}.{field} is documented but not written"
            kind = schema.field(field).type
            assert ARROW[FIELD_KINDS[name][field].rstrip("?")](kind), (name, field, kind)
            if items:
                struct = kind if pa.types.is_struct(kind) else kind.value_type
                for item in items:
                    index = struct.get_field_index(item)
                    assert index >= 0, f"{name}.{field}.{item} is documented but not written"
                    item_kind = ITEM_KINDS[f"{field}.{item}"].rstrip("?")
                    assert ARROW[item_kind](struct.field(index).type), (name, field, item)


def test_integer_columns_read_as_integers_in_pandas(scans: dict[str, Scan]) -> None:
    pd = pytest.importorskip("pandas")
    for name, fields in readme_tables().items():
        path = scans["parquet"].out / f"{name}.parquet"
        plain = pd.read_parquet(path)
        arrow = pd.read_parquet(path, dtype_backend="pyarrow")
        for field in fields:
            if FIELD_KINDS[name][field].rstrip("?") == "int":
                assert str(plain[field].dtype) == "Int64", (name, field, plain[field].dtype)
                assert str(arrow[field].dtype) == "int64[pyarrow]", (name, field)
    documents = pd.read_parquet(scans["parquet"].out / "documents.parquet")
    assert documents["duplicate_group"].isna().any()  # nulls stay nulls, not NaN floats
    assert documents["duplicate_group"].dropna().map(type).eq(int).all()


@pytest.mark.parametrize("output_format", FORMATS)
def test_every_documented_field_is_written_with_its_type(
    scans: dict[str, Scan], output_format: str
) -> None:
    tables = scans[output_format].tables
    for name, fields in readme_tables().items():
        assert tables[name], f"{name} is empty: the corpus should give every table rows"
        for row in tables[name]:
            for field, items in fields.items():
                assert field in row, f"{name}.{field} is documented but not written"
                kinds = {item: ITEM_KINDS[f"{field}.{item}"] for item in items}
                value = row[field]
                assert _value_fits(FIELD_KINDS[name][field], value, kinds), (name, field, value)


def test_both_formats_write_the_same_rows(scans: dict[str, Scan]) -> None:
    for name in FIELD_KINDS:
        assert scans["jsonl"].tables[name] == scans["parquet"].tables[name], name
    assert scans["jsonl"].summary["output"]["format"] == "jsonl"
    assert scans["parquet"].summary["output"]["format"] == "parquet"


def test_the_corpus_exercises_the_optional_fields(scans: dict[str, Scan]) -> None:
    """Nullable fields are checked only where they hold a value: make sure some do."""
    tables = scans["parquet"].tables
    for name, kinds in FIELD_KINDS.items():
        for field in kinds:
            if name == "matches" and field in ("semantic", "derivation"):
                continue  # the scan runs without the semantic stage
            values = [row[field] for row in tables[name]]
            assert any(value not in (None, []) for value in values), (name, field)


# --- the tables agree with each other ------------------------------------------------------


def _ok(tables: Tables) -> dict[str, dict[str, Any]]:
    return {row["id"]: row for row in tables["documents"] if row["status"] == "ok"}


@pytest.mark.parametrize("output_format", FORMATS)
def test_documents(scans: dict[str, Scan], output_format: str) -> None:
    scan = scans[output_format]
    rows = scan.tables["documents"]
    documents = _ok(scan.tables)
    assert len(documents) == sum(row["status"] == "ok" for row in rows)  # ids are unique
    reasons = readme_skip_reasons()
    kinds = readme_boilerplate_kinds()
    for row in rows:
        assert row["status"] == "ok" or row["status"] in reasons, row["status"]
        # file, file:line, or file:record N, under one of the inputs
        file = Path(re.sub(r":(record )?\d+$", "", row["source"]))
        assert file.is_file() and any(
            file == Path(path) or Path(path) in file.parents for path in scan.inputs
        ), row["source"]
        if row["published"] is not None:
            dt.datetime.fromisoformat(row["published"])
        if row["status"] != "ok":
            assert row["duplicate_group"] is None and row["story"] is None
            continue
        assert row["id"] is not None and row["story"] is not None  # every document has one
        assert 0 <= row["clean_chars"] <= row["chars"]
        for span in row["boilerplate"]:
            assert 0 <= span["start"] < span["end"] <= row["chars"], span
            assert span["kind"] in kinds, span


@pytest.mark.parametrize("output_format", FORMATS)
def test_matches_name_documents_and_their_source(
    scans: dict[str, Scan], output_format: str
) -> None:
    tables = scans[output_format].tables
    documents = _ok(tables)
    relations = readme_relations()
    for match in tables["matches"]:
        assert match["a"] in documents and match["b"] in documents, match
        assert match["a"] < match["b"]
        assert match["relation"] in relations
        assert match["source"] in (match["a"], match["b"], None)
        if match["source"] is not None:
            assert match["provenance_confidence"] is not None and match["provenance_reasons"]
        for score in ("jaccard", "containment_a", "containment_b"):
            assert 0.0 <= match[score] <= 1.0, (score, match[score])
        if match["series"] is not None:
            outlets = {documents[match["a"]]["outlet"], documents[match["b"]]["outlet"]}
            assert outlets == {match["series"]}
        for passage in match["passages"]:
            for side in ("a", "b"):
                chars = documents[match[side]]["chars"]
                assert 0 <= passage[f"{side}_start"] < passage[f"{side}_end"] <= chars, passage
            assert passage["kind"] in {"verbatim", "paraphrase", "translation"}
            assert 0.0 <= passage["similarity"] <= 1.0


@pytest.mark.parametrize("output_format", FORMATS)
def test_groups_and_documents_agree(scans: dict[str, Scan], output_format: str) -> None:
    tables = scans[output_format].tables
    documents = _ok(tables)
    groups = {group["group"]: group for group in tables["groups"]}
    assert len(groups) == len(tables["groups"])
    for group in groups.values():
        assert set(group["members"]) <= set(documents)
        assert group["representative"] in group["members"]
        for member in group["members"]:
            assert documents[member]["duplicate_group"] == group["group"]
    for doc_id, row in documents.items():
        if row["duplicate_group"] is not None:
            assert doc_id in groups[row["duplicate_group"]]["members"]


@pytest.mark.parametrize("output_format", FORMATS)
def test_stories_and_documents_agree(scans: dict[str, Scan], output_format: str) -> None:
    tables = scans[output_format].tables
    documents = _ok(tables)
    stories = {story["story"]: story for story in tables["stories"]}
    assert len(stories) == len(tables["stories"])
    members = [member for story in stories.values() for member in story["members"]]
    assert sorted(members) == sorted(documents)  # every document in exactly one story
    for story in stories.values():
        for member in story["members"]:
            assert documents[member]["story"] == story["story"]
        dates = [
            dt.datetime.fromisoformat(documents[member]["published"])
            for member in story["members"]
            if documents[member]["published"] is not None
        ]
        if story["first_published"] is None:
            assert not dates and story["last_published"] is None
        else:
            assert dt.datetime.fromisoformat(story["first_published"]) == min(dates)
            assert dt.datetime.fromisoformat(story["last_published"]) == max(dates)
        if len(story["members"]) == 1:  # nothing holds a story of one together
            assert story["entities"] == [] and story["terms"] == []
        for edge in story["provenance"]:
            assert edge["source"] in story["members"] and edge["copy"] in documents
    # the stories' edges are exactly the matches whose source is named
    edges = Counter(
        (edge["source"], edge["copy"], edge["relation"], edge["confidence"])
        for story in stories.values()
        for edge in story["provenance"]
    )
    named = Counter(
        (
            match["source"],
            match["b"] if match["source"] == match["a"] else match["a"],
            match["relation"],
            match["provenance_confidence"],
        )
        for match in tables["matches"]
        if match["source"] is not None
    )
    assert edges == named


# --- summary.json ------------------------------------------------------------------------


def _at(summary: dict[str, Any], path: tuple[str, ...]) -> object:
    value: object = summary
    for key in path:
        assert isinstance(value, dict) and key in value, f"summary.json lacks {'.'.join(path)}"
        value = value[key]
    return value


@pytest.mark.parametrize("output_format", FORMATS)
def test_summary_holds_what_the_readme_lists(scans: dict[str, Scan], output_format: str) -> None:
    scan = scans[output_format]
    summary = scan.summary
    for phrase in readme_summary():
        for path in SUMMARY_KEYS[phrase]:
            _at(summary, path)
    counts = summary["counts"]
    tables = scan.tables
    rows = tables["documents"]
    for key in ("records", "documents", "recurring_lines", "candidate_pairs", "stories"):
        assert _is_int(counts[key]), key
    assert counts["records"] == len(rows)
    assert counts["documents"] == len(_ok(tables))
    skipped = Counter(row["status"] for row in rows if row["status"] != "ok")
    assert counts["skipped_by_reason"] == dict(skipped)
    spans = Counter(span["kind"] for row in rows for span in row["boilerplate"])
    assert counts["boilerplate_spans_by_kind"] == dict(spans)
    relations = Counter(match["relation"] for match in tables["matches"])
    assert counts["matches_by_relation"] == {name: relations[name] for name in readme_relations()}
    assert counts["candidate_pairs"] >= len(tables["matches"])
    assert counts["duplicate_groups"] == len(tables["groups"])
    assert counts["stories"] == len(tables["stories"])
    assert counts["sources_named"] == sum(m["source"] is not None for m in tables["matches"])
    assert counts["sources_unknown"] == sum(
        m["source"] is None and bool(m["provenance_reasons"]) for m in tables["matches"]
    )
    series = [match for match in tables["matches"] if match["series"] is not None]
    assert counts["series_matches"] == len(series) > 0
    assert counts["series_matches_by_relation"] == dict(Counter(m["relation"] for m in series))
    # every skipped record is listed with its reason and where it was read
    listed = Counter((item["source"], item["reason"]) for item in summary["skipped"])
    not_ok = [row for row in rows if row["status"] != "ok"]
    assert listed == Counter((row["source"], row["status"]) for row in not_ok)
    # --no-semantic: the relations it cannot find are listed with the reason
    assert set(summary["not_searched"]) == {"paraphrase", "translation", "same_story"}
    assert all(isinstance(reason, str) and reason for reason in summary["not_searched"].values())
    lsh = summary["config"]["lsh"]
    assert _is_int(lsh["bands"]) and _is_int(lsh["rows"])
    if summary["config"]["stories"]:  # the resolution in force, not the null asked for
        assert 0 < summary["config"]["story_resolution_used"] < 1
    assert lsh["bands"] * lsh["rows"] <= summary["config"]["num_perm"]
    timings = summary["timings_seconds"]
    assert timings and all(isinstance(seconds, int | float) for seconds in timings.values())
    assert summary["version"] == __version__


def test_a_story_s_provenance_lists_edges_among_its_members_only() -> None:
    """A passage of the wire lifted into an article of another story is no edge of the wire's
    story (it was listed there, its copy no member)."""
    from types import SimpleNamespace

    from wiretrace.records import Match, Relation, Story
    from wiretrace.write.tables import _stories

    def story(number: int, *members: str) -> Story:
        return Story(number, members, None, None, None, (), (), (), None, (), None)

    matches = [
        Match("copy", "wire", Relation.EXACT, 1.0, 1.0, 1.0, (), None, "wire", 0.9),
        Match("lift", "wire", Relation.PARTIAL, 0.1, 0.2, 0.1, (), None, "wire", 0.8),
    ]
    stories = [story(1, "copy", "wire"), story(2, "lift")]
    result = SimpleNamespace(matches=matches, stories=stories)
    story_of = {"copy": 1, "wire": 1, "lift": 2}
    edges = _stories(result, story_of)["provenance"]  # type: ignore[arg-type]
    assert [[edge["copy"] for edge in listed] for listed in edges] == [["copy"], []]
