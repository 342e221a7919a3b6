"""Hostile input met while reading: each test is a way one bad value, row, file or folder once
crashed a scan, hung it, or lost the documents around it (issue 23, "Never lose a document")."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from tests.test_cli import article
from tests.test_hostile_input import articles, invoke, jsonl, one_line_error, summary_of
from wiretrace import ConfigError, ScanConfig
from wiretrace.read.dates import DateError, parse_published


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
