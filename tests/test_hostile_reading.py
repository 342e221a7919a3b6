"""Hostile input met while reading: each test is a way one bad value, row, file or folder once
crashed a scan, hung it, or lost the documents around it (issue 23, "Never lose a document")."""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_cli import article
from tests.test_hostile_input import articles, invoke, jsonl, one_line_error, summary_of
from wiretrace import ConfigError, InputError, ScanConfig
from wiretrace.read.csv_rows import DELIMITERS, CsvRows
from wiretrace.read.dates import DateError, parse_published
from wiretrace.read.files import classify, discover


def documents_of(out: Path) -> dict[str, dict[str, Any]]:
    return {row["id"]: row for row in pq.read_table(out / "documents.parquet").to_pylist()}


def csv_text(records: list[dict[str, Any]], fields: tuple[str, ...] = ("id", "text")) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(fields), lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    return buffer.getvalue()


# --- 3. a date Python cannot hold is an invalid field, never a crash ---------------------

UNUSABLE_DATES = [
    ("2021-08-10T09:00:00+25:00", "time zone offset"),
    ("2021-08-10T09:00:00-24:00", "time zone offset"),
    ("2021-08-10T09:00:00+9999", "time zone offset"),
    ("-0001-01-01", "a year with a sign"),
]


@pytest.mark.parametrize(("value", "why"), UNUSABLE_DATES)
def test_a_date_python_cannot_hold_is_refused_with_its_reason(value: str, why: str) -> None:
    with pytest.raises(DateError, match=why):
        parse_published(value)


@pytest.mark.parametrize("form", ["jsonl", "csv"])
@pytest.mark.parametrize(("value", "why"), UNUSABLE_DATES)
def test_an_unusable_date_is_an_invalid_field_and_the_record_is_kept(
    tmp_path: Path, form: str, value: str, why: str
) -> None:
    records: list[dict[str, Any]] = articles(40)
    for record in records:
        record["published"] = "2021-08-10"
    records[17]["published"] = value
    if form == "jsonl":
        source = jsonl(tmp_path / "in.jsonl", *records)
    else:
        source = tmp_path / "in.csv"
        source.write_text(csv_text(records, ("id", "text", "published")), "utf-8")
    out = tmp_path / "out"

    result = invoke("scan", source, "--out", out, "--no-semantic", "-q")

    assert result.exit_code == 0, result.output
    rows = documents_of(out)
    assert len(rows) == 40 and {row["status"] for row in rows.values()} == {"ok"}
    assert rows["d17"]["published"] is None and rows["d16"]["published"] == "2021-08-10"
    listed = summary_of(out)["invalid_published"]
    assert [(item["id"], item["value"]) for item in listed] == [("d17", value)]
    assert why in listed[0]["detail"]


def test_a_page_whose_stated_date_python_cannot_hold_is_read_without_it(tmp_path: Path) -> None:
    pytest.importorskip("trafilatura")
    paragraphs = "".join(f"<p>{article(seed, 40)}</p>" for seed in range(3))
    page = (
        "<html><head><title>Storm hits coast</title>"
        '<meta property="article:published_time" content="2021-08-10T09:00:00+25:00">'
        f"</head><body><article><h1>Storm hits coast</h1>{paragraphs}</article></body></html>"
    )
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "storm.html").write_text(page, "utf-8")
    out = tmp_path / "out"

    result = invoke("scan", folder, "--out", out, "--no-semantic", "-q")

    assert result.exit_code == 0, result.output
    row = documents_of(out)["storm"]
    assert row["status"] == "ok" and row["published"] is None
    assert row["title"] == "Storm hits coast"
    (listed,) = summary_of(out)["invalid_published"]
    assert listed["id"] == "storm" and "the date the page states cannot be read" in listed["detail"]


def test_a_fractional_window_is_refused_naming_the_option(tmp_path: Path) -> None:
    source = jsonl(tmp_path / "in.jsonl", *articles(3))

    result = invoke("scan", source, "--out", tmp_path / "out", "--window", "0.5")

    assert result.exit_code == 2
    assert "--window" in one_line_error(result) and "whole number of days" in result.stderr
    assert not (tmp_path / "out").exists()
    with pytest.raises(ConfigError, match="whole number"):
        ScanConfig(window_days=1.5)
    assert ScanConfig(window_days=2.0).window_days == 2.0


# --- 9. a FIFO named as an input, a damaged gzip file in a folder ------------------------


def test_a_fifo_named_as_an_input_is_refused_before_it_is_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "feed.jsonl"
    os.mkfifo(fifo)
    # discover first: the old code returned the FIFO as a file, and reading it waits forever
    with pytest.raises(InputError, match="not a regular file or a folder"):
        discover(fifo)

    result = invoke("scan", fifo, "--out", tmp_path / "out", "--no-semantic")

    assert result.exit_code == 2
    assert f"input {fifo} is not a regular file or a folder" in one_line_error(result)


def gzip_jsonl(path: Path, records: list[dict[str, Any]]) -> bytes:
    data = gzip.compress("".join(json.dumps(record) + "\n" for record in records).encode())
    path.write_bytes(data)
    return data


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_a_damaged_gzip_file_in_a_folder_is_skipped_and_the_others_read(
    tmp_path: Path, damage: str
) -> None:
    folder = tmp_path / "feed"
    folder.mkdir()
    gzip_jsonl(folder / "a.jsonl.gz", articles(30))
    middle = folder / "b.jsonl.gz"
    whole = gzip_jsonl(middle, articles(2000, 30))
    if damage == "garbage":
        middle.write_bytes(b"\x1f\x8b" + bytes(range(256)) * 8)
    else:
        middle.write_bytes(whole[: len(whole) // 2])
    gzip_jsonl(folder / "c.jsonl.gz", articles(2030, 2000))
    out = tmp_path / "out"

    result = invoke("scan", folder, "--out", out, "--no-semantic", "-q")

    assert result.exit_code == 0, result.output
    rows = documents_of(out)
    assert {f"d{number}" for number in (*range(30), *range(2000, 2030))} <= set(rows)
    from_middle = {doc_id for doc_id, row in rows.items() if row["source"].startswith(str(middle))}
    summary = summary_of(out)
    (skip,) = [item for item in summary["skipped"] if item["source"] == str(middle)]
    assert skip["reason"] == "unreadable_file"
    assert summary["counts"]["skipped_by_reason"] == {"unreadable_file": 1}
    if damage == "garbage":
        assert not from_middle and "BadGzipFile" in skip["detail"]
    else:  # the records before the cut are kept, in order, and the skip says where it stopped
        assert from_middle == {f"d{number}" for number in range(30, 30 + len(from_middle))}
        assert len(from_middle) > 500
        assert f"past line {len(from_middle)}" in skip["detail"]
        assert "the records before it are kept" in skip["detail"]


# --- 5. entries of a folder that cannot be read, system folders, deep trees --------------


@pytest.mark.skipif(not Path("/proc/self/mountinfo").is_file(), reason="needs Linux's /proc")
def test_links_into_proc_sys_and_dev_are_passed_over_without_reading(tmp_path: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    jsonl(root / "a.jsonl", *articles(3))
    for name, target in [
        ("proc", "/proc"),
        ("self", "/proc/self"),  # /proc/self/root leads back to the whole tree
        ("sys", "/sys"),
        ("dev", "/dev"),
        ("mem.txt", "/proc/self/mem"),
        ("kmsg.txt", "/proc/kmsg"),  # reading it waits for the kernel's next message
        ("nowhere.txt", str(tmp_path / "missing")),
        ("loop.txt", "loop.txt"),
    ]:
        (root / name).symlink_to(target)
    os.mkfifo(root / "pipe.jsonl")

    files, skipped = discover(root)

    assert [file.path for file in files] == [root / "a.jsonl"]
    reasons = {Path(skip.source).relative_to(root).parts[0]: skip.reason for skip in skipped}
    assert reasons["proc"] == reasons["self"] == reasons["sys"] == "system_folder"
    for name in ("mem.txt", "kmsg.txt", "nowhere.txt", "loop.txt", "pipe.jsonl"):
        assert reasons[name] == "not_a_file", name
    details = {Path(skip.source).name: skip.detail for skip in skipped}
    assert "proc filesystem" in details["self"] and "proc filesystem" in details["mem.txt"]

    result = invoke("scan", root, "--out", tmp_path / "out", "--no-semantic", "-q")

    assert result.exit_code == 0, result.output
    assert set(documents_of(tmp_path / "out")) == {"d0", "d1", "d2"}


def test_an_entry_that_cannot_be_looked_at_is_a_one_line_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    feed = tmp_path / "feed"
    (feed / "locked").mkdir(parents=True)
    jsonl(feed / "a.jsonl", *articles(3))
    locked = str(feed / "locked")
    real_scandir, real_stat = os.scandir, os.stat

    class Denied:  # an entry whose type a user may not see (a link into a folder without x)
        def __init__(self, entry: os.DirEntry[str]) -> None:
            self.name, self.path = entry.name, entry.path

        def is_dir(self, **_: Any) -> bool:
            raise PermissionError(13, "Permission denied", self.path)

        is_file = is_symlink = stat = is_dir

    class Listing:
        def __init__(self, path: Any) -> None:
            self.listing = real_scandir(path)

        def __enter__(self) -> Listing:
            return self

        def __exit__(self, *_: object) -> None:
            self.listing.close()

        def __iter__(self) -> Any:
            return (Denied(entry) if entry.path == locked else entry for entry in self.listing)

    def scandir(path: Any = ".") -> Any:
        return Listing(path)

    def stat(path: Any, *args: Any, **kwargs: Any) -> Any:
        if os.fspath(path) == locked:
            raise PermissionError(13, "Permission denied", locked)
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(os, "stat", stat)

    result = invoke("scan", feed, "--out", tmp_path / "out", "--no-semantic")

    assert result.exit_code == 2
    line = one_line_error(result)
    assert f"cannot read {locked}: Permission denied" in line and "fix its permissions" in line


@pytest.fixture
def deep_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder 1,500 deep; removed here, one level at a time: Python's rmtree recurses, and
    pytest's clean-up of old temporary folders would stop with a RecursionError."""
    deepest = tmp_path / "in"
    deepest.mkdir()
    for _ in range(1500):  # one at a time: mkdir(parents=True) recurses too
        deepest = deepest / "d"
        deepest.mkdir()
    try:
        yield deepest
    finally:
        folder = deepest
        while folder != tmp_path:
            for entry in folder.iterdir():
                if not entry.is_dir():
                    entry.unlink()
            folder.rmdir()
            folder = folder.parent


def test_folders_nested_1500_deep_are_searched(tmp_path: Path, deep_folder: Path) -> None:
    jsonl(deep_folder / "a.jsonl", *articles(3))
    jsonl(tmp_path / "in" / "b.jsonl", *articles(6, 3))

    files, skipped = discover(tmp_path / "in")

    assert [file.path for file in files] == [tmp_path / "in" / "b.jsonl", deep_folder / "a.jsonl"]
    assert not skipped
    result = invoke("scan", tmp_path / "in", "--out", tmp_path / "out", "--no-semantic", "-q")
    assert result.exit_code == 0, result.output
    assert len(documents_of(tmp_path / "out")) == 6


# --- 4. a quote never closed loses its own row, not the rows after it --------------------


def broken_csv(kind: str, rows: int = 1000, broken: int = 10) -> str:
    """``rows`` rows of id, title, text; the quote opened in row ``broken`` never closed:
    in its last field (the field count of the merged record fits), in its title (it does
    not), or in a file whose every field is quoted (the runaway stops at the next quote)."""
    records = [{"id": f"d{number}", "title": f"Title {number}"} for number in range(rows)]
    for number, record in enumerate(records):
        record["text"] = " ".join(articles(number + 1, number)[0]["text"].split()[:30])
    buffer = io.StringIO()
    quoting = csv.QUOTE_ALL if kind == "quoted_rows" else csv.QUOTE_MINIMAL
    writer = csv.DictWriter(buffer, ["id", "title", "text"], lineterminator="\n", quoting=quoting)
    writer.writeheader()
    writer.writerows(records)
    lines = buffer.getvalue().split("\n")
    line = lines[broken + 1]
    if kind == "fits":
        lines[broken + 1] = line.replace(",Title 10,", ',Title 10,"')
    elif kind == "does_not_fit":
        lines[broken + 1] = line.replace(",Title 10,", ',"Title 10,')
    else:
        lines[broken + 1] = line[:-1]  # the closing quote of its text
    assert lines[broken + 1] != line
    return "\n".join(lines)


@pytest.mark.parametrize("kind", ["fits", "does_not_fit", "quoted_rows"])
def test_a_quote_never_closed_loses_its_own_row_only(tmp_path: Path, kind: str) -> None:
    source = tmp_path / "in.csv"
    source.write_text(broken_csv(kind), "utf-8")
    out = tmp_path / "out"

    result = invoke("scan", source, "--out", out, "--no-semantic", "-q")

    assert result.exit_code == 0, result.output
    rows = documents_of(out)
    assert {doc_id for doc_id, row in rows.items() if row["status"] == "ok"} == {
        f"d{number}" for number in range(1000) if number != 10
    }
    summary = summary_of(out)
    assert summary["counts"]["skipped_by_reason"] == {"malformed_line": 1}
    (skip,) = summary["skipped"]
    assert skip["source"] == f"{source}:12"
    assert "this line is skipped and reading goes on at line 13" in skip["detail"]
    assert "not closed" in skip["detail"]
    # the rows as dedup copies them: the same, in order, with their lines
    file = classify(source)
    assert file is not None
    read = list(CsvRows(file, 1 << 20))
    assert [location for location, row in read if isinstance(row, list)] == [
        f"{source}:{line}" for line in range(2, 1002) if line != 12
    ]


def test_a_quote_left_open_to_the_end_of_the_file_loses_its_own_row_only(tmp_path: Path) -> None:
    # the rows after it were read as the field's lines, then handed out again to a reader
    # that had stopped for good: every row after the broken one was lost without a word
    source = tmp_path / "in.csv"
    source.write_text(broken_csv("fits", rows=13), "utf-8")
    file = classify(source)
    assert file is not None
    read = list(CsvRows(file, 1 << 20))
    assert [location for location, row in read if isinstance(row, list)] == [
        f"{source}:{line}" for line in range(2, 15) if line != 12
    ]
    (skip,) = [row for _, row in read if not isinstance(row, list)]
    assert skip.source == f"{source}:12"
    assert "reading goes on at line 13" in skip.detail


def test_a_quote_closed_by_the_next_row_s_opening_quote_loses_its_own_row_only(
    tmp_path: Path,
) -> None:
    # articles of several paragraphs, each a quoted field over many lines; row a3's quote is
    # never closed, so the quote that opens a4's text closed it, and a4's paragraphs were
    # read as rows of their own (ids that were sentences), a4 itself lost without a word
    records = [[f"a{number}", article_paragraphs(number, 4)] for number in range(8)]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["id", "text"])
    writer.writerows(records[:3])
    buffer.write('a3,"a quote opened here and never closed\n')
    writer.writerows(records[4:])
    source = tmp_path / "in.csv"
    source.write_text(buffer.getvalue(), "utf-8")
    file = classify(source)
    assert file is not None

    read = list(CsvRows(file, 1 << 20))

    assert [row[0] for _, row in read if isinstance(row, list)] == [
        "a0",
        "a1",
        "a2",
        "a4",
        "a5",
        "a6",
        "a7",
    ]
    assert [row[1] for _, row in read if isinstance(row, list)] == [
        text for doc_id, text in records if doc_id != "a3"
    ]
    (skip,) = [row for _, row in read if not isinstance(row, list)]
    assert "not closed" in skip.detail


def article_paragraphs(seed: int, count: int) -> str:
    """An article's paragraphs: commas, quotes, blank lines between them."""
    words = article(seed, 40 * count).split()
    paragraphs = [" ".join(words[start : start + 40]) for start in range(0, len(words), 40)]
    paragraphs = [
        f'{paragraph}, said "Someone", on Tuesday' if index % 3 == 1 else paragraph
        for index, paragraph in enumerate(paragraphs[:count])
    ]
    return "\n\n".join(paragraphs)


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_quoted_fields_that_hold_newlines_still_read(tmp_path: Path, newline: str) -> None:
    # the first article takes 79 lines, one far more than 4 times any before it: both are
    # read past the point where a record is looked at, and kept
    sizes = [40, 1, 2, 3, 1, 5, 8, 2, 200, 1, 3, 12, 30, 1]
    records = [
        {"id": f"a{number}", "title": f"Title {number}", "text": article_paragraphs(number, size)}
        for number, size in enumerate(sizes)
    ]
    source = tmp_path / "in.csv"
    with source.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, ["id", "title", "text"], lineterminator=newline)
        writer.writeheader()
        writer.writerows(records)
    file = classify(source)
    assert file is not None

    read = list(CsvRows(file, 1 << 20))

    assert [row for _, row in read] == [list(record.values()) for record in records]
    result = invoke("scan", source, "--out", tmp_path / "out", "--no-semantic", "-q")
    assert result.exit_code == 0, result.output
    assert {row["status"] for row in documents_of(tmp_path / "out").values()} == {"ok"}


def test_an_article_whose_paragraphs_each_hold_the_header_s_commas_is_one_record(
    tmp_path: Path,
) -> None:
    # twenty paragraphs of two commas each read as rows of an id,title,text header: the
    # record was cut into nineteen bogus ones (and a paragraph lost) with exit code 0
    paragraphs = [
        f"In paragraph {number}, the council said, the plan would go ahead." for number in range(20)
    ]
    records = [["short", "A brief", "One line."], ["long", "The plan", "\n\n".join(paragraphs)]]
    records.append(["after", "Later", "Another brief, of one line."])
    source = tmp_path / "in.csv"
    with source.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(["id", "title", "text"])
        writer.writerows(records)
    file = classify(source)
    assert file is not None
    assert [row for _, row in CsvRows(file, 1 << 20)] == records


CELL = st.text(alphabet=' ab1,;\t|"\n\r', max_size=40)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(st.lists(CELL, min_size=3, max_size=3) | st.lists(CELL, max_size=5), max_size=40),
    quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]),
    delimiter=st.sampled_from(DELIMITERS),
)
def test_whatever_a_csv_writer_writes_reads_back_row_for_row(
    rows: list[list[str]], quoting: int, delimiter: str
) -> None:
    # a field holding lines that read as rows, of any width, is text: never cut into rows;
    # the delimiter (a spreadsheet's semicolon, a tab) is the header's
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=quoting, delimiter=delimiter)
    writer.writerow(["id", "title", "text"])
    writer.writerows(rows)
    with tempfile.TemporaryDirectory() as name:
        path = Path(name) / "in.csv"
        path.write_bytes(buffer.getvalue().encode("utf-8"))
        file = classify(path)
        assert file is not None
        read = [row for _, row in CsvRows(file, 1 << 20)]
    assert read == [row for row in rows if row]  # csv.writer writes [] as a blank line
