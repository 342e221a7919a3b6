"""Fuzz tests of the readers (issue 10, point 16): random bytes in every input format, and
random JSON lines, CSV rows, Parquet tables and WARC records never crash a scan; every record
ends up a document or skipped with its reason (DESIGN.md, "Bad input"), and the output is
written.

Bounded: each test runs a fixed number of small examples, so that the file runs in about
20 s on two cores; ``--hypothesis-show-statistics`` shows which reasons the examples reached.
Each example writes its files into a fresh temporary folder (hypothesis runs one test
function many times, so the function-scoped ``tmp_path`` would be shared between examples).
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

import wiretrace
from tests.test_bad_input import assert_accounted
from wiretrace import Document, InputError, ScanConfig, ScanResult, Skipped
from wiretrace.cli import main
from wiretrace.read import FILE_REASONS, read_documents

FUZZ = settings(
    max_examples=60,
    deadline=None,  # the first scan of a run imports the extractor (~0.3 s)
    # the autouse console fixture is function-scoped: it sets nothing an example could change
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)
FIELDS = ("id", "text", "title", "url", "outlet", "published", "html")

# --- strategies -------------------------------------------------------------------------


def pieces(spaced: str) -> list[str]:
    """The space-separated pieces of ``spaced``: a compact way to list many short strings."""
    return spaced.split()


CHARACTERS = st.one_of(
    st.characters(),  # every code point but surrogates, control characters included
    st.characters(categories=["Cs"]),  # lone surrogates: Python strings hold them, UTF-8 not
    # separators of CSV, JSON, lines (str.splitlines breaks at \x1c-\x1e, \x85, \u2028) and HTML
    st.sampled_from("\x00\r\n\t\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\ufeff\"',;{}[]<>&\\ "),
)
TEXT = st.text(CHARACTERS, max_size=30)
WORDS = st.lists(
    st.sampled_from(["Parliament", "passed", "the", "budget", "on", "Tuesday", ".", "\n", "42"]),
    max_size=30,
).map(" ".join)
# pieces of dates as feeds write them, and digits that are not ASCII ("\u0662", "\xb2")
DATE_PIECES = [*pieces("2021 10 08 31 Aug August Tue GMT EST +05:00 Z T : / - . , am pm 0"), " "]
DATES = st.one_of(
    st.dates().map(str),
    st.datetimes().map(lambda value: value.isoformat()),
    st.lists(st.sampled_from([*DATE_PIECES, "99999999999", "\u0662", "\xb2"]), max_size=10).map(
        "".join
    ),
)
URL_PIECES = [*pieces("http:// https:// // [ ] ::1 www. : @ example.com / ? # % xn--"), " "]
URLS = st.lists(st.sampled_from([*URL_PIECES, "\x00", "\u0660"]), max_size=8).map("".join)
ARTICLE = "<article><p>" + "Parliament passed the budget on Tuesday after a debate. " * 6 + "</p>"
HTML_PIECES = [
    *pieces("<html> <head> <title> </title> <body> <p> </p> <article> <!-- --> <script> &#0;"),
    *("&#xd800;", "\x00", "<meta charset='x-unknown'>", '<link rel="canonical" href="http://[">'),
    *("A long enough sentence of article text. ", ARTICLE),
]
HTML = st.lists(st.sampled_from(HTML_PIECES), max_size=20).map("".join)
HUGE_INTEGERS = st.integers(300, 4000).flatmap(
    lambda digits: st.sampled_from([10**digits - 1, -(10**digits)])
)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), HUGE_INTEGERS, st.floats(), TEXT)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(TEXT, children, max_size=4),
    max_leaves=12,
)
FIELD_VALUES = st.one_of(TEXT, WORDS, DATES, URLS, HTML, st.integers(), JSON_VALUES)
RECORDS = st.one_of(
    # records as a feed writes them, with any value in any field
    st.fixed_dictionaries(
        {"id": st.one_of(TEXT, st.integers(), FIELD_VALUES), "text": FIELD_VALUES},
        optional={name: FIELD_VALUES for name in FIELDS if name not in ("id", "text")},
    ),
    st.dictionaries(st.sampled_from(FIELDS) | TEXT, FIELD_VALUES, max_size=8),
)


@st.composite
def json_lines(draw: st.DrawFn) -> bytes:
    """One JSONL line (without its newline): a record, any JSON value, or not JSON at all."""
    kind = draw(st.sampled_from(["record", "value", "bytes", "truncated", "deep", "huge"]))
    if kind == "bytes":
        return draw(st.binary(max_size=40))
    if kind == "deep":  # past the parser's recursion limit, or close to it
        depth = draw(st.integers(1, 3000))
        field = draw(st.sampled_from(FIELDS))
        opened, closed = draw(st.sampled_from([("[", "]"), ('{"a":', "}")]))
        nested = opened * depth + "0" + closed * depth
        return f'{{"id": "deep", "text": "x", "{field}": {nested}}}'.encode()
    if kind == "huge":  # an integer past Python's int-from-string limit (4300 digits)
        return b'{"id": ' + b"9" * draw(st.integers(4000, 6000)) + b', "text": "x"}'
    value = draw(RECORDS if kind in ("record", "truncated") else JSON_VALUES)
    line = json.dumps(value, ensure_ascii=draw(st.booleans()))
    if kind == "truncated":
        line = line[: draw(st.integers(0, len(line)))]
    return line.encode("utf-8", "surrogatepass")  # a raw surrogate: bytes that are not UTF-8


@st.composite
def jsonl_files(draw: st.DrawFn) -> bytes:
    lines = draw(st.lists(json_lines(), max_size=10))
    if draw(st.booleans()):  # the first record fixes the fields: often a readable one
        first = draw(st.fixed_dictionaries({"id": TEXT, "text": WORDS | TEXT}))
        lines.insert(0, json.dumps(first).encode())
    separator = draw(st.sampled_from([b"\n", b"\r\n", b"\n\n"]))
    data = separator.join(lines)
    if draw(st.booleans()):
        data += separator
    return data


CELLS = st.one_of(TEXT, WORDS, DATES, URLS, st.sampled_from(['"', '""', "\r", "\n", "\x00", ""]))


@st.composite
def csv_files(draw: st.DrawFn) -> tuple[bytes, int | None]:
    """A CSV file, and its number of rows when written by csv.writer (None for random text)."""
    header = ["id", "text", *draw(st.lists(st.sampled_from(FIELDS[2:]) | TEXT, max_size=3))]
    header = draw(st.permutations(header))
    if draw(st.booleans()):
        text = ",".join(header) + "\n" + draw(st.text(CHARACTERS, max_size=200))
        return text.encode("utf-8", "surrogatepass"), None
    width = len(header)
    row = st.lists(CELLS, min_size=width, max_size=width) | st.lists(CELLS, max_size=width + 2)
    rows = draw(st.lists(row, max_size=10))
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL])))
    writer.writerow(header)
    writer.writerows(rows)
    data = buffer.getvalue().encode("utf-8", "surrogatepass")
    return data, sum(1 for row in rows if row)  # csv.writer writes [] as a blank line


def sometimes(draw: st.DrawFn, odds: int = 6) -> bool:
    """True about once in ``odds`` draws (hypothesis favours small integers: 0 would come
    far more often than once in ``odds``)."""
    return draw(st.sampled_from([False] * (odds - 1) + [True]))


# --- checks -----------------------------------------------------------------------------


@contextmanager
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


def utf8(value: str | None) -> bool:
    if value is None:
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def read_checked(path: Path, limit: int) -> list[Document | Skipped]:
    """The records the readers give, each a well-formed Document or a Skipped with a reason."""
    found = list(read_documents(path, max_record_bytes=limit))
    for item in found:
        if isinstance(item, Skipped):
            assert item.reason and item.detail and item.source
            continue
        assert isinstance(item, Document)
        assert isinstance(item.id, str) and item.id
        assert isinstance(item.text, str)
        for value in (item.title, item.url, item.outlet, item.published):
            assert value is None or isinstance(value, str)
        # the output is Parquet and UTF-8 JSON: a lone surrogate would fail the write
        fields = (item.id, item.text, item.title, item.url, item.outlet, item.published)
        assert all(utf8(value) for value in fields), item
    return found


def scan_checked(path: Path, limit: int | None = None) -> ScanResult | None:
    """The scan of ``path`` (None when refused with an InputError), checked and written."""
    config = ScanConfig(semantic=False, max_record_bytes=limit or ScanConfig().max_record_bytes)
    try:
        read = read_checked(path, config.max_record_bytes)
        result = wiretrace.scan(path, config)
    except InputError as error:
        assert str(error).strip()
        event("refused (InputError)")
        return None
    for status in set(result.documents.status):
        event(status)  # --hypothesis-show-statistics: which paths the examples reached
    assert_accounted(result)
    # the scan adds skips of its own (duplicate ids, empty text), each in a document's place
    records = [
        item for item in read if isinstance(item, Document) or item.reason not in FILE_REASONS
    ]
    assert len(result.documents.status) == len(records)
    with folder() as out:
        wiretrace.write_scan(result, out / "out", "parquet")
        assert len(pq.read_table(out / "out" / "documents.parquet")) == len(records)
        json.loads((out / "out" / "summary.json").read_text("utf-8"))
        wiretrace.write_scan(result, out / "jsonl", "jsonl")
        # JSON strings may hold U+0085 or U+2028, where splitlines() would break
        lines = (out / "jsonl" / "documents.jsonl").read_text("utf-8").split("\n")[:-1]
        assert [json.loads(line)["status"] for line in lines] == result.documents.status
    return result


# --- random bytes in every format ------------------------------------------------------

SUFFIXES = [".jsonl", ".csv", ".txt", ".html", ".warc", ".parquet"]
GZIPPED = [".jsonl.gz", ".txt.gz", ".csv.gz", ".html.gz", ".warc.gz"]


@st.composite
def random_files(draw: st.DrawFn, suffix: str) -> bytes:
    """Random bytes, often shaped like the format so that the reader gets past its first
    check (a Parquet footer, a WARC header, a gzip member)."""
    data = draw(st.binary(max_size=300))
    if suffix.startswith(".html") and draw(st.booleans()):
        data = draw(HTML).encode("utf-8", "surrogatepass") + data[: draw(st.integers(0, 20))]
    if suffix == ".parquet" and draw(st.booleans()):
        footer = draw(st.integers(0, len(data) + 8)).to_bytes(4, "little")
        data = b"PAR1" + data + footer + b"PAR1"
    if suffix.startswith(".warc") and draw(st.booleans()):
        data = b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 20\r\n\r\n" + data
    if suffix.endswith(".gz") and draw(st.booleans()):
        data = gzip.compress(data)
        if draw(st.booleans()):  # cut short
            data = data[: draw(st.integers(0, len(data)))]
    return data


@pytest.mark.parametrize("suffix", SUFFIXES + GZIPPED)
@FUZZ
@given(data=st.data(), limit=st.sampled_from([None, None, 1, 16, 200]))
def test_random_bytes_never_crash_a_scan(
    suffix: str, data: st.DataObject, limit: int | None
) -> None:
    content = data.draw(random_files(suffix), label="content")
    with folder() as root:
        path = root / f"input{suffix}"
        path.write_bytes(content)
        scan_checked(path, limit)


# --- random JSON lines ------------------------------------------------------------------


def non_blank_lines(data: bytes) -> int:
    """Lines as the JSONL reader counts them (blank lines are not records)."""
    return sum(1 for line in data.split(b"\n") if line.strip())


@settings(FUZZ, max_examples=300)
@given(content=jsonl_files())
@example(content=b'{"id": "0", "text": "", "url": "["}')  # urlsplit: "Invalid IPv6 URL"
def test_random_json_lines_are_each_a_document_or_skipped(content: bytes) -> None:
    with folder() as root:
        path = root / "feed.jsonl"
        path.write_bytes(content)
        result = scan_checked(path)
        if result is None:  # only the first record's fields may refuse the file
            with pytest.raises(InputError, match="not found; fields present"):
                wiretrace.scan(path, ScanConfig(semantic=False))
            return
        assert len(result.documents.status) == non_blank_lines(content)
        for doc_id, status in zip(result.documents.id, result.documents.status, strict=True):
            if status == "ok":
                assert isinstance(doc_id, str)


@FUZZ
@given(content=jsonl_files(), limit=st.integers(1, 64))
# a line longer than 64 times the limit plus a read chunk (1 MiB) was cut: its rest read as
# further lines
@example(content=b"x" * ((1 << 20) + 100) + b'\n{"id": "b", "text": "Rain."}\n', limit=1)
def test_json_lines_over_a_small_record_limit_are_each_one_record(
    content: bytes, limit: int
) -> None:
    with folder() as root:
        path = root / "feed.jsonl"
        path.write_bytes(content)
        result = scan_checked(path, limit)
        if result is not None:
            assert len(result.documents.status) == non_blank_lines(content)


# --- random CSV -------------------------------------------------------------------------


@settings(FUZZ, max_examples=200)
@given(file=csv_files())
def test_random_csv_rows_are_each_a_document_or_skipped(file: tuple[bytes, int | None]) -> None:
    content, rows = file
    with folder() as root:
        path = root / "feed.csv"
        path.write_bytes(content)
        result = scan_checked(path)
        if result is None:
            return
        if rows is not None:
            assert len(result.documents.status) == rows


# --- random Parquet tables -------------------------------------------------------------

# Column types a Parquet producer may give any field, with values of that type.
COLUMNS: dict[str, tuple[pa.DataType, st.SearchStrategy[Any]]] = {
    "string": (pa.string(), st.text(max_size=30) | WORDS),
    "large_string": (pa.large_string(), WORDS),
    "binary": (pa.binary(), st.binary(max_size=30) | HTML.map(str.encode)),
    "int64": (pa.int64(), st.integers(-(2**63), 2**63 - 1)),
    "float64": (pa.float64(), st.floats()),
    "bool": (pa.bool_(), st.booleans()),
    "date32": (pa.date32(), st.dates()),
    "date32_days": (pa.date32(), st.integers(-(2**31), 2**31 - 1)),  # past Python's year 9999
    # Parquet stores seconds as milliseconds: past 2**53 s the write itself overflows
    "timestamp_s": (pa.timestamp("s", tz="Europe/Paris"), st.integers(-(2**53), 2**53)),
    "timestamp_us": (pa.timestamp("us", tz="UTC"), st.datetimes(timezones=st.just(dt.UTC))),
    "timestamp_ns": (pa.timestamp("ns"), st.integers(-(2**62), 2**62)),
    "time64": (pa.time64("ns"), st.integers(0, 86_400 * 10**9 - 1)),
    "duration": (pa.duration("s"), st.integers(-(2**40), 2**40)),
    "decimal": (pa.decimal128(38, 10), st.decimals(-(10**20), 10**20, places=10)),
    "list": (pa.list_(pa.string()), st.lists(st.text(max_size=5), max_size=3)),
    "struct": (pa.struct([("a", pa.int64())]), st.fixed_dictionaries({"a": st.integers(0, 9)})),
    "map": (
        pa.map_(pa.string(), pa.int64()),
        st.lists(st.tuples(st.text(max_size=3), st.integers(0, 9)), max_size=2),
    ),
    "null": (pa.null(), st.none()),
}


@st.composite
def parquet_tables(draw: st.DrawFn) -> pa.Table:
    names = draw(st.lists(st.sampled_from(FIELDS) | st.text(max_size=5), max_size=4))
    if not sometimes(draw, 5):  # mostly a table with the fields a scan needs
        names = ["id", "text", *names]
    rows = draw(st.integers(0, 8))
    columns = []
    for _ in names:
        kind = draw(st.sampled_from(sorted(COLUMNS)))
        if not sometimes(draw, 3):  # the types feeds use most
            kind = draw(st.sampled_from(["string", "large_string", "int64", "binary"]))
        data_type, values = COLUMNS[kind]
        cells = [None if sometimes(draw) else draw(values) for _ in range(rows)]
        column = pa.array(cells, type=data_type)
        if kind == "binary" and draw(st.booleans()):
            column = column.view(pa.string())  # strings that are not UTF-8, as a broken writer
        if kind == "string" and draw(st.booleans()):
            column = column.dictionary_encode()
        columns.append(column)
    return pa.Table.from_arrays(columns, names=names)  # names may repeat


def published(values: pa.Array[Any]) -> pa.Table:
    return pa.table({"id": ["a"], "text": ["Rain fell."], "published": values})


@settings(FUZZ, max_examples=100)
@given(table=parquet_tables(), row_group=st.integers(1, 8))
# values pyarrow cannot convert to Python (without pandas): nanoseconds, a date past the year
# 9999, a time zone it does not know
@example(table=published(pa.array([1], pa.timestamp("ns"))), row_group=1)
@example(table=published(pa.array([1], pa.time64("ns"))), row_group=1)
@example(table=published(pa.array([2**31 - 1], pa.date32())), row_group=1)
@example(table=published(pa.array([1], pa.timestamp("s", tz="Mars/Olympus"))), row_group=1)
def test_random_parquet_tables_are_each_a_document_or_skipped(
    table: pa.Table, row_group: int
) -> None:
    with folder() as root:
        path = root / "feed.parquet"
        pq.write_table(table, path, row_group_size=row_group)
        result = scan_checked(path)
        if result is not None:
            assert len(result.documents.status) == table.num_rows


# --- random WARC records ----------------------------------------------------------------


def header_value(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


@st.composite
def warc_records(draw: st.DrawFn) -> bytes:
    """A WARC record with random header values: what a crawler that writes anything makes."""
    status = draw(st.sampled_from(["404", "2000", "", "abc"])) if sometimes(draw) else "200"
    content_type = "text/html"
    if sometimes(draw):
        content_type = draw(st.sampled_from(["text/html; charset=x-nope", "", "image/png", "\x00"]))
    page = st.just("<html><body>" + ARTICLE) | HTML
    payload = draw(page.map(header_value) | st.binary(max_size=60))
    http = f"HTTP/1.1 {status} OK\r\nContent-Type: {content_type}\r\n\r\n".encode() + payload
    headers = {
        "WARC-Type": draw(st.sampled_from(["response", "response", "request", "metadata", "x"])),
        "WARC-Record-ID": f"<urn:uuid:{draw(TEXT)}>",
        "WARC-Date": draw(DATES | TEXT),
        # warcio reads the HTTP headers of http(s) URIs only
        "WARC-Target-URI": draw(st.sampled_from(["http://", "https://www."])) + draw(URLS)
        if not sometimes(draw)
        else draw(URLS | TEXT),
        "Content-Type": "application/http; msgtype=response",
    }
    if sometimes(draw):
        headers["WARC-Truncated"] = draw(st.sampled_from(["length", ""]))
    length = len(http) + (draw(st.sampled_from([-5, 7])) if sometimes(draw) else 0)
    headers["Content-Length"] = (
        draw(st.sampled_from(["", "x", "-1"])) if sometimes(draw) else str(length)
    )
    lines = b""
    for name, value in headers.items():
        if sometimes(draw, 20):
            continue  # a header missing
        raw = header_value(value)
        if not sometimes(draw, 20):  # a line break inside a header value, now and then
            raw = raw.replace(b"\r", b" ").replace(b"\n", b" ")
        lines += name.encode() + b": " + raw + b"\r\n"
    record = b"WARC/1.0\r\n" + lines + b"\r\n" + http + b"\r\n\r\n"
    return gzip.compress(record) if draw(st.booleans()) else record


def warc_response(date: bytes) -> bytes:
    """A WARC response record of an article page, fetched at ``date``."""
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body>" + ARTICLE.encode()
    return (
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:a>\r\nWARC-Date: "
        + date
        + b"\r\nWARC-Target-URI: http://example.com/a\r\n"
        + b"Content-Type: application/http; msgtype=response\r\n"
        + f"Content-Length: {len(http)}\r\n\r\n".encode()
        + http
        + b"\r\n\r\n"
    )


@settings(FUZZ, max_examples=100)
@given(records=st.lists(warc_records(), min_size=1, max_size=4), cut=st.none() | st.integers(1, 50))
# "²" (latin-1 \xb2) is a digit to str.isdigit(), not to int(): the year of the crawl date
@example(records=[warc_response(b"\xb2\xb2\xb2\xb2-01-01")], cut=None)
def test_random_warc_records_are_each_a_document_or_skipped(
    records: list[bytes], cut: int | None
) -> None:
    content = b"".join(records)
    with folder() as root:
        path = root / "crawl.warc"
        path.write_bytes(content if cut is None else content[:-cut])  # a crawl cut short
        scan_checked(path)


# --- through the CLI --------------------------------------------------------------------


@settings(FUZZ, max_examples=30)
@given(content=jsonl_files())
def test_random_json_lines_through_the_cli(content: bytes) -> None:
    with folder() as root:
        path = root / "feed.jsonl"
        path.write_bytes(content)
        out = root / "out"
        arguments = ["scan", str(path), "--out", str(out), "--no-semantic", "-q"]
        result = CliRunner().invoke(main, arguments)
        assert result.exit_code in (0, 2), result.output
        assert "Traceback" not in result.output
        if result.exit_code == 2:
            errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
            assert len(errors) == 1, result.stderr
            return
        assert (out / "summary.json").is_file()
        for table in ("documents", "matches", "groups", "stories"):
            assert (out / f"{table}.parquet").is_file()
