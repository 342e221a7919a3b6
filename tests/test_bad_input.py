"""Bad input (DESIGN.md): every record ends up either scanned or listed with the reason it was
skipped; errors the user can fix are an InputError that names the file, field and fix."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

import wiretrace
from wiretrace import FieldNames, InputError, ScanConfig, ScanResult
from wiretrace.cli import main
from wiretrace.read import FILE_REASONS as FILE_LEVEL  # listed, but no document row


def jsonl_line(record: Any) -> bytes:
    return json.dumps(record).encode("utf-8") + b"\n"


def write_jsonl(path: Path, *lines: bytes | dict[str, Any] | list[Any]) -> Path:
    path.write_bytes(
        b"".join(line if isinstance(line, bytes) else jsonl_line(line) for line in lines)
    )
    return path


def status_of(result: ScanResult) -> dict[str | None, list[str]]:
    """id -> statuses of its rows (a list: skipped records may share an id or have none)."""
    found: dict[str | None, list[str]] = {}
    for doc_id, status in zip(result.documents.id, result.documents.status, strict=True):
        found.setdefault(doc_id, []).append(status)
    return found


def rows_by_source(result: ScanResult) -> dict[str, tuple[str | None, str]]:
    rows = result.documents
    return {
        source: (doc_id, status)
        for doc_id, status, source in zip(rows.id, rows.status, rows.source, strict=True)
    }


def skipped_by_source(result: ScanResult) -> dict[str, wiretrace.Skipped]:
    return {item.source: item for item in result.skipped}


def assert_accounted(result: ScanResult) -> None:
    """Every record is either ok or skipped with a reason, and the summary counts agree."""
    rows = result.documents
    size = len(rows.status)
    for column in (rows.id, rows.outlet, rows.url, rows.title, rows.published, rows.chars):
        assert len(column) == size
    assert len(rows.clean_chars) == len(rows.source) == size
    record_skips = [item for item in result.skipped if item.reason not in FILE_LEVEL]
    ok = rows.status.count("ok")
    assert ok + len(record_skips) == size
    assert Counter(status for status in rows.status if status != "ok") == Counter(
        item.reason for item in record_skips
    )
    assert Counter(
        source for source, status in zip(rows.source, rows.status, strict=True) if status != "ok"
    ) == Counter(item.source for item in record_skips)
    for item in result.skipped:
        assert item.reason and item.detail and item.source
    counts = result.summary["counts"]
    assert counts["records"] == size
    assert counts["documents"] == ok
    assert counts["skipped"] == len(result.skipped)
    assert counts["records"] == counts["documents"] + counts["skipped_records"]
    assert counts["skipped_files"] == counts["skipped"] - counts["skipped_records"]
    assert counts["skipped_by_reason"] == dict(Counter(item.reason for item in result.skipped))
    assert len(result.summary["skipped"]) == len(result.skipped)
    for row, clean in zip(rows.status, rows.clean_chars, strict=True):
        assert (clean is not None) == (row == "ok")


# --- empty documents ---------------------------------------------------------------------


def test_empty_and_whitespace_txt_files_are_skipped_as_empty_text(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_text("  \n\t \n", encoding="utf-8")
    (folder / "good.txt").write_text("Parliament passed the budget on Tuesday.", encoding="utf-8")

    result = wiretrace.scan([folder])

    assert status_of(result) == {
        "blank": ["empty_text"],
        "empty": ["empty_text"],
        "good": ["ok"],
    }
    skipped = skipped_by_source(result)
    assert skipped[str(folder / "empty.txt")].reason == "empty_text"
    assert skipped[str(folder / "empty.txt")].id == "empty"
    assert result.summary["counts"]["skipped_by_reason"] == {"empty_text": 2}
    assert_accounted(result)


def test_whitespace_only_jsonl_text_is_empty_text_with_its_line(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "in.jsonl",
        {"id": "a", "text": "The river flooded the lower town."},
        {"id": "b", "text": " \n\t  "},
        {"id": "c", "text": ""},
        {"id": "d", "text": "Schools reopened after the storm."},
    )

    result = wiretrace.scan([path])

    assert rows_by_source(result) == {
        f"{path}:1": ("a", "ok"),
        f"{path}:2": ("b", "empty_text"),
        f"{path}:3": ("c", "empty_text"),
        f"{path}:4": ("d", "ok"),
    }
    assert skipped_by_source(result)[f"{path}:2"].id == "b"
    assert_accounted(result)


def test_text_without_letters_or_digits_is_skipped_as_no_words(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "in.jsonl",
        {"id": "punct", "text": "... --- !!! ???"},
        {"id": "words", "text": "A quiet day at the harbour."},
    )

    result = wiretrace.scan([path])

    assert status_of(result) == {"punct": ["no_words"], "words": ["ok"]}
    assert_accounted(result)


# --- undecodable bytes -------------------------------------------------------------------


def test_latin1_txt_file_is_undecodable(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "latin.txt").write_bytes("Le café de la gare a fermé.".encode("latin-1"))
    (folder / "utf8.txt").write_text("Le café de la gare a fermé.", encoding="utf-8")

    result = wiretrace.scan([folder])

    assert status_of(result) == {"latin": ["undecodable"], "utf8": ["ok"]}
    skipped = skipped_by_source(result)[str(folder / "latin.txt")]
    assert skipped.reason == "undecodable"
    assert skipped.id == "latin"
    assert "UTF-8" in skipped.detail
    assert_accounted(result)


def test_a_utf16_txt_file_with_its_byte_order_mark_is_read(tmp_path: Path) -> None:
    """Windows tools save "Unicode" text as UTF-16 with a byte-order mark, which says so;
    without the mark the bytes are not read as UTF-16 (no guessing)."""
    folder = tmp_path / "articles"
    folder.mkdir()
    text = "Le café de la gare a fermé après 80 ans.\r\nLe maire a promis un nouveau café."
    (folder / "little.txt").write_bytes(text.encode("utf-16"))  # Python writes the mark
    (folder / "big.txt").write_bytes(b"\xfe\xff" + text.encode("utf-16-be"))
    (folder / "unmarked.txt").write_bytes(text.encode("utf-16-le"))
    # in ASCII, UTF-16 without its mark is valid UTF-8, a NUL after every letter: no text
    (folder / "ascii.txt").write_bytes("The mayor promised a new cafe.".encode("utf-16-le"))
    result = wiretrace.scan([folder])
    assert status_of(result) == {
        "big": ["ok"],
        "little": ["ok"],
        "unmarked": ["undecodable"],
        "ascii": ["undecodable"],
    }
    assert "NUL byte at offset 1" in skipped_by_source(result)[str(folder / "ascii.txt")].detail
    assert {match.relation.value for match in result.matches} == {"exact"}
    assert_accounted(result)


def test_a_gzip_file_not_named_gz_is_one_skip_that_names_the_fix(tmp_path: Path) -> None:
    # read as text, each of its records was undecodable, and dedup passed the file through
    records = "".join(json.dumps({"id": f"n{n}", "text": "Words."}) + "\n" for n in range(5))
    path = tmp_path / "feed.jsonl"
    path.write_bytes(gzip.compress(records.encode("utf-8")))
    result = wiretrace.scan([path])
    [skipped] = result.skipped
    assert (skipped.source, skipped.reason) == (str(path), "unreadable_file")
    assert "name it feed.jsonl.gz" in skipped.detail
    (tmp_path / "feed.jsonl.gz").write_bytes(path.read_bytes())
    named = wiretrace.scan([tmp_path / "feed.jsonl.gz"])
    assert len(named.documents.id) == 5
    # dedup writes none of its bytes: a compressed CSV's "header" was copied as the output's
    rows = "id,text\na,The council voted to close the old bridge for the winter.\n"
    (tmp_path / "good.csv").write_text(rows, "utf-8")
    (tmp_path / "packed.csv").write_bytes(gzip.compress(rows.encode("utf-8")))
    out = tmp_path / "out" / "out.csv"
    wiretrace.dedup([tmp_path / "good.csv", tmp_path / "packed.csv"], out)
    assert out.read_text("utf-8") == rows


def test_a_txt_files_headline_is_its_title(tmp_path: Path) -> None:
    """A plain-text article's first line is its title when it reads as a headline (short, no
    full stop, a blank line after it); it stays in the text. A first line that is a sentence,
    a byline or a date is no title."""
    folder = tmp_path / "articles"
    folder.mkdir()
    body = "The city council approved a budget of $12 million on Monday.\n"
    texts = {
        "headline": "Council approves $12m budget\r\n\r\n" + body,
        "sentence": "The council met on Monday.\n\n" + body,
        "byline": "By Jane Smith\n\n" + body,
        "date": "July 14, 2026\n\n" + body,
        "no-gap": "Council approves budget\n" + body,
        # Chinese: no space between words, and a sentence ends with "。"
        "zh": "成渝中线高铁全线开通运营\n\n" + body,
        "zh-sentence": "成渝中线高铁今天正式开通运营。\n\n" + body,
        "zh-place": "东京\n\n" + body,  # Tokyo: one word of two characters
    }
    for name, text in texts.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8", newline="")
    result = wiretrace.scan([folder], ScanConfig(semantic=False))
    titles = dict(zip(result.documents.id, result.documents.title, strict=True))
    assert titles == {
        "headline": "Council approves $12m budget",
        "sentence": None,
        "byline": None,
        "date": None,
        "no-gap": None,
        "zh": "成渝中线高铁全线开通运营",
        "zh-sentence": None,
        "zh-place": None,
    }
    assert_accounted(result)


def test_a_jsonl_string_never_closed_is_said_so(tmp_path: Path) -> None:
    # the line's own end was reported as "Invalid control character at: column 35"
    path = tmp_path / "in.jsonl"
    path.write_text('{"id": "a", "text": "never closed}\n{"id": "b", "text": "Words."}\n')
    result = wiretrace.scan([path], ScanConfig(semantic=False))
    (skipped,) = result.skipped
    assert skipped.detail == "invalid JSON: a string opened before column 35 is never closed"
    assert result.documents.id[-1] == "b"


def test_a_utf16_file_of_records_is_skipped_whole_with_how_to_convert_it(tmp_path: Path) -> None:
    # Excel's "Unicode Text" is a UTF-16 TSV: its header read as garbled field names, and a
    # UTF-16 JSONL as undecodable lines and a record that does not exist
    (tmp_path / "excel.tsv").write_bytes("id\ttext\r\na\tLe café.\r\n".encode("utf-16"))
    records = '{"id": "b", "text": "Le café."}\n{"id": "c", "text": "La gare."}\n'
    (tmp_path / "feed.jsonl").write_bytes(records.encode("utf-16"))
    result = wiretrace.scan([tmp_path], ScanConfig(semantic=False))
    assert result.documents.id == []
    skipped = sorted((item.source, item.reason) for item in result.skipped)
    assert skipped == [
        (str(tmp_path / "excel.tsv"), "unreadable_file"),
        (str(tmp_path / "feed.jsonl"), "unreadable_file"),
    ]
    assert all("convert it" in item.detail for item in result.skipped)


def test_jsonl_line_with_invalid_utf8_is_undecodable_and_the_rest_is_read(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "in.jsonl",
        {"id": "a", "text": "Prices rose for the third month."},
        b'{"id": "b", "text": "caf\xe9 \xff\xfe"}\n',
        {"id": "c", "text": "Trains ran late across the north."},
    )

    result = wiretrace.scan([path])

    assert rows_by_source(result)[f"{path}:2"][1] == "undecodable"
    assert status_of(result)["a"] == ["ok"]
    assert status_of(result)["c"] == ["ok"]
    assert skipped_by_source(result)[f"{path}:2"].reason == "undecodable"
    assert_accounted(result)


def test_csv_row_with_invalid_utf8_is_undecodable(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes(
        b"id,text\n"
        b"a,Prices rose for the third month.\n"
        b"b,caf\xe9 au lait\n"
        b"c,Trains ran late across the north.\n"
    )

    result = wiretrace.scan([path])

    assert rows_by_source(result) == {
        f"{path}:2": ("a", "ok"),
        f"{path}:3": (None, "undecodable"),
        f"{path}:4": ("c", "ok"),
    }
    assert_accounted(result)


def test_jsonl_text_with_unpaired_surrogate_escape_is_skipped(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "in.jsonl",
        b'{"id": "bad", "text": "broken \\ud800 scrape"}\n',
        {"id": "good", "text": "The museum reopened on Sunday."},
    )

    result = wiretrace.scan([path])

    assert status_of(result)["good"] == ["ok"]
    assert rows_by_source(result)[f"{path}:1"][1] != "ok"
    assert_accounted(result)


# --- malformed lines ---------------------------------------------------------------------


def test_malformed_jsonl_lines_name_file_and_line(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "in.jsonl",
        {"id": "a", "text": "The council approved the new bridge."},
        b"\n",  # blank lines are ignored but still counted
        b'{"id": "b", "text": "unterminated\n',
        jsonl_line(["an", "array", "is", "not", "a", "record"]),
        b'"just a string"\n',
        b"42\n",
        {"id": "c", "text": "Farmers expect a late harvest."},
    )

    result = wiretrace.scan([path])

    assert rows_by_source(result) == {
        f"{path}:1": ("a", "ok"),
        f"{path}:3": (None, "malformed_line"),
        f"{path}:4": (None, "malformed_line"),
        f"{path}:5": (None, "malformed_line"),
        f"{path}:6": (None, "malformed_line"),
        f"{path}:7": ("c", "ok"),
    }
    skipped = skipped_by_source(result)
    assert "JSON" in skipped[f"{path}:3"].detail
    assert "object" in skipped[f"{path}:4"].detail
    assert result.summary["counts"]["skipped_by_reason"] == {"malformed_line": 4}
    assert_accounted(result)


def test_malformed_csv_rows_have_the_right_line_after_a_multiline_field(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text(
        "id,title,text\n"  # line 1
        'a,First,"A quoted field\nthat runs over\nthree lines."\n'  # lines 2-4
        "b,Too,many,fields\n"  # line 5
        "c,too few\n"  # line 6
        'd,Fine,"Another, with a comma."\n'  # line 7
        'e,Also,"two\nlines"\n'  # lines 8-9
        "f,Bad,x,y,z\n",  # line 10
        encoding="utf-8",
        newline="",
    )

    result = wiretrace.scan([path])

    assert rows_by_source(result) == {
        f"{path}:2": ("a", "ok"),
        f"{path}:5": (None, "malformed_line"),
        f"{path}:6": (None, "malformed_line"),
        f"{path}:7": ("d", "ok"),
        f"{path}:8": ("e", "ok"),
        f"{path}:10": (None, "malformed_line"),
    }
    skipped = skipped_by_source(result)
    assert "expected 3 fields, got 4" in skipped[f"{path}:5"].detail
    assert "expected 3 fields, got 2" in skipped[f"{path}:6"].detail
    assert_accounted(result)


# --- duplicate ids -----------------------------------------------------------------------


def test_duplicate_id_keeps_the_first_and_names_where_it_was_read(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "in.jsonl",
        {"id": "x", "text": "The first record with this id."},
        {"id": "y", "text": "Another record entirely."},
        {"id": "x", "text": "A second record reusing the id."},
    )

    result = wiretrace.scan([path])

    assert rows_by_source(result) == {
        f"{path}:1": ("x", "ok"),
        f"{path}:2": ("y", "ok"),
        f"{path}:3": ("x", "duplicate_id"),
    }
    skipped = skipped_by_source(result)[f"{path}:3"]
    assert skipped.reason == "duplicate_id"
    assert skipped.id == "x"
    assert f"{path}:1" in skipped.detail
    assert_accounted(result)


def test_an_id_repeated_in_another_file_is_made_unique_by_its_file(tmp_path: Path) -> None:
    first = tmp_path / "one"
    second = tmp_path / "two"
    first.mkdir()
    second.mkdir()
    (first / "story.txt").write_text("Flood warnings were issued overnight.", encoding="utf-8")
    (second / "story.txt").write_text("A different text under the same name.", encoding="utf-8")
    csv_path = tmp_path / "more.csv"
    csv_path.write_text(
        "id,text\nstory,Yet another text.\nother,Fine.\nstory,Again in this file.\n",
        encoding="utf-8",
    )

    result = wiretrace.scan([first, second, csv_path])

    assert rows_by_source(result) == {
        str(first / "story.txt"): ("story", "ok"),
        str(second / "story.txt"): (f"story@{second / 'story.txt'}", "ok"),
        f"{csv_path}:2": (f"story@{csv_path}", "ok"),
        f"{csv_path}:3": ("other", "ok"),
        # repeated inside one file: the same id names one record twice
        f"{csv_path}:4": (f"story@{csv_path}", "duplicate_id"),
    }
    skipped = skipped_by_source(result)
    assert f"{csv_path}:2" in skipped[f"{csv_path}:4"].detail
    assert_accounted(result)


# --- missing fields ----------------------------------------------------------------------


def test_record_without_text_or_id_value_is_missing_field(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "in.jsonl",
        {"id": "a", "text": "The first record has every field."},
        {"id": "b", "title": "No text here"},
        {"id": "c", "text": None},
        {"text": "A record without an id."},
        {"id": "", "text": "A record with an empty id."},
        {"id": "f", "text": "The last record is fine."},
    )

    result = wiretrace.scan([path])

    assert rows_by_source(result) == {
        f"{path}:1": ("a", "ok"),
        f"{path}:2": ("b", "missing_field"),
        f"{path}:3": ("c", "missing_field"),
        f"{path}:4": (None, "missing_field"),
        f"{path}:5": (None, "missing_field"),
        f"{path}:6": ("f", "ok"),
    }
    skipped = skipped_by_source(result)
    assert "'text'" in skipped[f"{path}:2"].detail
    assert "'id'" in skipped[f"{path}:4"].detail
    assert_accounted(result)


def test_csv_record_with_empty_text_cell_is_empty_text(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text("id,text\na,Some words here.\nb,\n,No id.\n", encoding="utf-8")

    result = wiretrace.scan([path])

    assert rows_by_source(result) == {
        f"{path}:2": ("a", "ok"),
        f"{path}:3": ("b", "empty_text"),
        f"{path}:4": (None, "missing_field"),
    }
    assert_accounted(result)


def test_a_jsonl_file_without_the_text_field_is_an_input_error(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "in.jsonl",
        {"id": "a", "text": "Words.", "title": "A title"},
        {"id": "b", "text": "Words."},
    )
    config = ScanConfig(fields=FieldNames(text="body"))

    with pytest.raises(InputError) as caught:
        wiretrace.scan([path], config)

    message = str(caught.value)
    assert str(path) in message
    assert "'body'" in message
    assert "id, text, title" in message  # the fields of the first record
    assert "--text-field" in message
    assert "\n" not in message


def test_a_jsonl_file_may_open_with_records_that_lack_the_text_field(tmp_path: Path) -> None:
    # records of JSONL leave out fields: a file that opened with one record without text was
    # refused whole; its first ten such records are skipped for it, and the file is read
    lacking = [{"id": f"n{number}", "body": "Words."} for number in range(10)]
    path = write_jsonl(tmp_path / "in.jsonl", *lacking, {"id": "a", "text": "Words of a."})
    result = wiretrace.scan([path])
    assert status_of(result)["a"] == ["ok"]
    assert skipped_by_source(result)[f"{path}:1"].reason == "missing_field"
    assert "fields present: id, body" in skipped_by_source(result)[f"{path}:1"].detail
    assert_accounted(result)
    # an eleventh is one too many: the file is taken for one of other field names
    path = write_jsonl(tmp_path / "more.jsonl", *lacking, *lacking[:1], {"id": "a", "text": "A."})
    with pytest.raises(InputError, match="--text-field body"):
        wiretrace.scan([path])
    # and said once: not first ten records skipped for the field the error names
    said = CliRunner().invoke(main, ["scan", str(path), "--out", str(tmp_path / "out")])
    assert said.exit_code == 2 and "--text-field body" in said.output
    assert "skipped" not in said.output


def test_first_jsonl_record_with_its_id_under_another_name_is_an_input_error(
    tmp_path: Path,
) -> None:
    path = write_jsonl(tmp_path / "in.jsonl", {"uid": "a", "text": "Words."})

    with pytest.raises(InputError, match=r"'id' not found.*uid, text.*--id-field uid"):
        wiretrace.scan([path])


def test_an_id_field_named_and_missing_is_an_input_error(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "in.jsonl", {"text": "Words."})

    with pytest.raises(InputError, match=r"'key' not found.*--id-field"):
        wiretrace.scan([path], ScanConfig(fields=FieldNames(id="key")))


def test_records_without_ids_are_named_by_their_place_in_the_file(tmp_path: Path) -> None:
    # a crawl's records often carry no id: each is named by its file and line (or row),
    # whichever worker reads it, and a copy among them is found as in any other file
    text = "The council voted on Tuesday to close the old bridge for repairs until the spring."
    (tmp_path / "a").mkdir()
    lines = write_jsonl(tmp_path / "a" / "crawl.jsonl", {"text": text}, {"text": "Other words."})
    table = tmp_path / "crawl.csv"
    table.write_text(f"text,url\n{text},https://e.com/x\n", encoding="utf-8")
    frame = tmp_path / "crawl.parquet"
    pq.write_table(pa.table({"text": ["Once more.", text]}), frame)

    result = wiretrace.scan([lines, table, frame], ScanConfig(workers=1, semantic=False))

    assert result.documents.id == [
        "crawl.jsonl:1",
        "crawl.jsonl:2",
        "crawl.csv:2",
        "crawl.parquet:row 1",
        "crawl.parquet:row 2",
    ]
    assert {(m.a, m.b, m.relation.value) for m in result.matches} == {
        ("crawl.csv:2", "crawl.jsonl:1", "exact"),
        ("crawl.csv:2", "crawl.parquet:row 2", "exact"),
        ("crawl.jsonl:1", "crawl.parquet:row 2", "exact"),
    }


def test_ids_after_a_first_record_without_one_are_kept(tmp_path: Path) -> None:
    # the first record decided that the file is named by places, and the ids the records
    # after it give were replaced by their places without a word
    path = write_jsonl(
        tmp_path / "mixed.jsonl",
        {"text": "The council voted on Tuesday to close the old bridge."},
        {"id": "k1", "text": "The ferry timetable changes from May, the operator said."},
        {"id": None, "text": "Storm warnings were issued for the coast on Friday."},
    )

    result = wiretrace.scan([path], ScanConfig(workers=1, semantic=False))

    assert result.documents.id == ["mixed.jsonl:1", "k1", "mixed.jsonl:3"]


def test_csv_header_without_the_text_field_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text("id,content\na,Words.\n", encoding="utf-8")

    with pytest.raises(InputError) as caught:
        wiretrace.scan([path])

    assert str(path) in str(caught.value)
    assert "'text'" in str(caught.value)
    assert "id, content" in str(caught.value)


def test_every_missing_field_is_named_at_once_with_the_likely_ones(tmp_path: Path) -> None:
    # a feed of other field names: one error names the missing text field and suggests the
    # options, the optional fields that look like ours included (dates feed the stories); a
    # file with no id field at all names its records by their lines
    path = tmp_path / "in.csv"
    path.write_text("headline,body,date,link\nH,Words.,2024-01-02,https://e.com/a\n", "utf-8")

    with pytest.raises(InputError) as caught:
        wiretrace.scan([path])

    message = str(caught.value)
    assert "field 'text' or 'html' not found" in message
    assert "--id-field" not in message and "--text-field" in message
    # the title, date and link are read under their usual names: only the text is asked for
    assert message.endswith("(perhaps --text-field body)")
    assert "\n" not in message


@pytest.mark.parametrize("suffix", ["csv", "jsonl", "parquet"])
def test_field_names_in_another_case_are_read(tmp_path: Path, suffix: str) -> None:
    # a spreadsheet's export names its columns ID, Title, Text, Published: the text was
    # refused, and with --text-field Text the ids and every other field were dropped without
    # a word (records named by their lines). A default name the records lack is the one
    # field that differs from it only in case; a name an option gives is taken as written
    columns = {
        "ID": ["a1", "b2"],
        "Title": ["Storm closes the port", "Council sets its budget"],
        "Text": ["A storm closed the port of Hull on Monday.", "The council met on Tuesday."],
        "Published": ["2025-10-16", "2025-10-17"],
        "URL": ["https://news.example/a1", "https://news.example/b2"],
    }
    path = tmp_path / f"in.{suffix}"
    if suffix == "parquet":
        pq.write_table(pa.table(columns), path)
    elif suffix == "jsonl":
        rows = zip(*columns.values(), strict=True)
        write_jsonl(path, *(dict(zip(columns, row, strict=True)) for row in rows))
    else:
        lines = [",".join(columns)] + [",".join(row) for row in zip(*columns.values(), strict=True)]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = wiretrace.scan([path], ScanConfig(semantic=False, stories=False))

    rows = result.documents
    assert rows.id == ["a1", "b2"]
    assert rows.title[0] == "Storm closes the port"
    assert rows.published[1] == "2025-10-17"
    assert rows.url[0] == "https://news.example/a1"
    # two columns that differ only in case leave the choice to the user
    path.unlink()
    twice = tmp_path / "twice.csv"
    twice.write_text("id,Text,TEXT\na,One.,Two.\n", encoding="utf-8")
    with pytest.raises(InputError, match="'text' or 'html' not found"):
        wiretrace.scan([twice])


def test_an_optional_field_under_a_usual_name_is_read(tmp_path: Path) -> None:
    # a new user's feed named its dates ``date``: every date was dropped without a word
    path = tmp_path / "in.jsonl"
    write_jsonl(
        path,
        {
            "id": "a",
            "text": "A storm closed the port on Monday.",
            "date": "2025-10-16",
            "headline": "Storm",
            "link": "https://news.example/a",
            "publisher": "Hull Daily",
        },
        {
            "id": "b",
            "text": "The council met on Tuesday.",
            "date": "2025-10-17",
            "headline": "Council",
            "link": "https://news.example/b",
            "publisher": "Hull Daily",
        },
    )
    rows = wiretrace.scan([path], ScanConfig(semantic=False, stories=False)).documents
    assert rows.published == ["2025-10-16", "2025-10-17"]
    assert rows.title == ["Storm", "Council"] and rows.outlet == ["Hull Daily", "Hull Daily"]
    assert rows.url[1] == "https://news.example/b"
    # two usual names leave the choice to the user, and a crawl's timestamp is not a date
    write_jsonl(path, {"id": "a", "text": "Words.", "date": "2025-10-16", "pubdate": "2025-10-15"})
    assert wiretrace.scan(
        [path], ScanConfig(semantic=False, stories=False)
    ).documents.published == [None]
    write_jsonl(path, {"id": "a", "text": "Words.", "timestamp": "2025-10-16"})
    assert wiretrace.scan(
        [path], ScanConfig(semantic=False, stories=False)
    ).documents.published == [None]


def test_integer_ids_written_as_floats_are_read(tmp_path: Path) -> None:
    # pandas writes a column of integer ids that has a gap as floats (19.0, NaN): every record
    # was skipped as wrong_type and dedup wrote them all back, exit 0
    path = tmp_path / "in.parquet"
    ids = pa.array([19.0, None, 2.5, float("nan")], pa.float64())
    texts = [f"Report number {n} on the river, the bridge and the harvest." for n in range(4)]
    pq.write_table(pa.table({"id": ids, "text": texts}), path)

    result = wiretrace.scan([path], ScanConfig(semantic=False, stories=False))

    assert result.documents.id[0] == "19" and status_of(result)["19"] == ["ok"]
    reasons = sorted(item.reason for item in result.skipped)
    assert reasons == ["missing_field", "missing_field", "wrong_type"]  # null, NaN; 2.5


def test_parquet_without_the_text_field_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "in.parquet"
    pq.write_table(pa.table({"id": ["a"], "article": ["Words."]}), path)

    with pytest.raises(InputError, match=r"'text' or 'html' not found.*id, article"):
        wiretrace.scan([path])


# --- paths -------------------------------------------------------------------------------


def test_missing_input_path_is_an_input_error(tmp_path: Path) -> None:
    present = write_jsonl(tmp_path / "in.jsonl", {"id": "a", "text": "Words."})
    missing = tmp_path / "nowhere" / "missing.jsonl"

    with pytest.raises(InputError) as caught:
        wiretrace.scan([present, missing])

    assert str(missing) in str(caught.value)


def test_unsupported_file_named_directly_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "report.docx"
    path.write_bytes(b"PK\x03\x04")

    with pytest.raises(InputError) as caught:
        wiretrace.scan([path])

    assert str(path) in str(caught.value)
    assert ".jsonl" in str(caught.value)
    # a JSON array of records is the likeliest file of the wrong kind: the way to JSON lines
    array = tmp_path / "records.json"
    array.write_text('[{"id": "a", "text": "Words."}]', "utf-8")
    with pytest.raises(InputError, match="write one record a line, as JSON lines"):
        wiretrace.scan([array])


def test_gzipped_parquet_named_directly_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "table.parquet.gz"
    path.write_bytes(gzip.compress(b"not really parquet"))

    with pytest.raises(InputError, match="unsupported file type"):
        wiretrace.scan([path])


def test_unsupported_file_in_a_folder_is_listed_not_read(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("The harbour froze for the first time.", encoding="utf-8")
    (folder / "notes.docx").write_bytes(b"PK\x03\x04")
    (folder / ".hidden.txt").write_text("Hidden files are not inputs.", encoding="utf-8")

    result = wiretrace.scan([folder])

    assert result.documents.id == ["a"]
    assert [(item.source, item.reason) for item in result.skipped] == [
        (str(folder / ".hidden.txt"), "hidden"),
        (str(folder / "notes.docx"), "unsupported_file"),
    ]
    assert result.summary["counts"]["skipped_by_reason"] == {"hidden": 1, "unsupported_file": 1}
    assert_accounted(result)


# --- formats -----------------------------------------------------------------------------


def _mixed_records() -> list[bytes]:
    return [
        jsonl_line({"id": "a", "text": "The mayor opened the new library.", "title": "Library"}),
        b"{broken\n",
        jsonl_line({"id": "b", "text": "   "}),
        jsonl_line({"id": "a", "text": "Duplicate id."}),
        jsonl_line({"id": "c", "text": "Rain is expected all week.", "url": "https://www.x.org/"}),
    ]


def _relative_rows(result: ScanResult, root: Path) -> list[tuple[Any, ...]]:
    rows = result.documents
    return sorted(
        (
            str(Path(source).relative_to(root)).replace(".gz", ""),
            doc_id,
            status,
            chars,
            title,
            outlet,
        )
        for source, doc_id, status, chars, title, outlet in zip(
            rows.source, rows.id, rows.status, rows.chars, rows.title, rows.outlet, strict=True
        )
    )


def test_gzip_inputs_read_the_same_as_plain(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    packed = tmp_path / "packed"
    plain.mkdir()
    packed.mkdir()
    files = {
        "records.jsonl": b"".join(_mixed_records()),
        "table.csv": (b'id,text\nx,"Two\nlines of text."\ny,too,many\nz,Third row of the table.\n'),
        "story.txt": "Snow closed the mountain pass. Café owners complained.".encode(),
        "latin.txt": "café".encode("latin-1"),
        "empty.txt": b"",
    }
    for name, data in files.items():
        (plain / name).write_bytes(data)
        (packed / f"{name}.gz").write_bytes(gzip.compress(data))

    plain_result = wiretrace.scan([plain])
    packed_result = wiretrace.scan([packed])

    assert _relative_rows(packed_result, packed) == _relative_rows(plain_result, plain)
    assert sorted(packed_result.documents.id, key=str) == sorted(plain_result.documents.id, key=str)
    assert {"story", "latin", "empty"} <= set(packed_result.documents.id)
    statuses = status_of(packed_result)
    assert statuses["story"] == ["ok"]
    assert statuses["latin"] == ["undecodable"]
    assert statuses["empty"] == ["empty_text"]
    assert rows_by_source(packed_result)[f"{packed / 'table.csv.gz'}:4"] == (None, "malformed_line")
    assert (
        plain_result.summary["counts"]["skipped_by_reason"]
        == packed_result.summary["counts"]["skipped_by_reason"]
    )
    assert_accounted(packed_result)


def test_parquet_input_rows_and_skips(tmp_path: Path) -> None:
    path = tmp_path / "in.parquet"
    table = pa.table(
        {
            "id": ["a", "b", "c", "a", None, "f"],
            "text": [
                "The bank raised its rates again.",
                None,
                "  ",
                "A second a.",
                "No id for this one.",
                "The final row reads well.",
            ],
            "title": ["Rates", None, None, None, None, "Final"],
            "published": ["2024-03-01", None, None, None, None, "2024-03-02T08:30:00"],
            "extra": [1, 2, 3, 4, 5, 6],
        }
    )
    pq.write_table(table, path, row_group_size=2)

    result = wiretrace.scan([path])

    assert rows_by_source(result) == {
        f"{path}:row 1": ("a", "ok"),
        f"{path}:row 2": ("b", "missing_field"),
        f"{path}:row 3": ("c", "empty_text"),
        f"{path}:row 4": ("a", "duplicate_id"),
        f"{path}:row 5": (None, "missing_field"),
        f"{path}:row 6": ("f", "ok"),
    }
    rows = result.documents
    first = rows.source.index(f"{path}:row 1")
    last = rows.source.index(f"{path}:row 6")
    assert rows.title[first] == "Rates"
    assert rows.published[first] == "2024-03-01"
    assert rows.published[last] == "2024-03-02T08:30:00"
    assert_accounted(result)


def test_custom_field_names(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "in.jsonl",
        {
            "uid": "n1",
            "body": "The ferry service resumed after repairs.",
            "headline": "Ferry back",
            "link": "https://www.harbour-news.example/ferry",
            "site": "Harbour News",
            "date": "2024-02-03",
        },
        {
            "uid": "n2",
            "body": "Tickets will cost more from April.",
            "link": "https://www.ticket-times.example/p?q=1",
            "date": "not a date",
        },
        {"uid": "n3", "headline": "Body missing"},
    )
    fields = FieldNames(
        id="uid", text="body", title="headline", url="link", outlet="site", published="date"
    )

    result = wiretrace.scan([path], ScanConfig(fields=fields))

    rows = result.documents
    assert rows_by_source(result) == {
        f"{path}:1": ("n1", "ok"),
        f"{path}:2": ("n2", "ok"),
        f"{path}:3": ("n3", "missing_field"),
    }
    first = rows.id.index("n1")
    second = rows.id.index("n2")
    assert rows.title[first] == "Ferry back"
    assert rows.url[first] == "https://www.harbour-news.example/ferry"
    assert rows.outlet[first] == "Harbour News"
    assert rows.published[first] == "2024-02-03"
    assert rows.outlet[second] == "ticket-times.example"  # from the URL's host
    assert rows.published[second] is None  # an unreadable date is not a date
    assert rows.chars[first] == len("The ferry service resumed after repairs.")
    assert "'body'" in skipped_by_source(result)[f"{path}:3"].detail
    assert_accounted(result)


def test_every_kind_of_bad_record_together_is_accounted_for(tmp_path: Path) -> None:
    folder = tmp_path / "inputs"
    folder.mkdir()
    write_jsonl(folder / "a.jsonl", *_mixed_records())
    (folder / "b.csv").write_bytes(b"id,text\nd,Good row.\ne,bad,row\nf,caf\xe9\n")
    (folder / "g.txt").write_text("A plain text article.", encoding="utf-8")
    (folder / "h.txt").write_bytes(b"\xff\xfe\xfa")
    (folder / "i.txt").write_text("", encoding="utf-8")
    (folder / "readme.md").write_text("not an input", encoding="utf-8")
    pq.write_table(
        pa.table({"id": ["j", "d"], "text": ["Parquet row.", "Dup of csv d."]}),
        folder / "k.parquet",
    )

    result = wiretrace.scan([folder])

    repeated = f"d@{folder / 'k.parquet'}"  # an id of b.csv again: made unique by its file
    assert sorted(id_ for id_ in result.documents.id if id_ is not None) == sorted(
        ["a", "b", "a", "c", "d", "g", "h", "i", "j", repeated]
    )
    assert sorted(
        str(doc_id)
        for doc_id, status in zip(result.documents.id, result.documents.status, strict=True)
        if status == "ok"
    ) == sorted(["a", "c", "d", "g", "j", repeated])
    assert result.summary["counts"]["skipped_by_reason"] == {
        "duplicate_id": 1,
        "empty_text": 2,
        "malformed_line": 2,
        "undecodable": 2,
        "unsupported_file": 1,
    }
    assert_accounted(result)


def test_document_rows_are_in_input_order(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "in.jsonl",
        {"id": "a", "text": "The first article."},
        b"{broken\n",
        {"id": "c", "text": "The third article."},
        {"id": "d", "text": " "},
    )

    result = wiretrace.scan([path])

    assert result.documents.source == [f"{path}:{line}" for line in (1, 2, 3, 4)]


def test_a_csv_header_that_names_a_field_twice_is_an_input_error(tmp_path: Path) -> None:
    # the second "text" column silently replaced the first: the article was lost
    path = tmp_path / "in.csv"
    path.write_text("id,text,text\nd1,The whole article.,second text\n", encoding="utf-8")

    with pytest.raises(InputError, match=r"names 'text' twice \(columns 2 and 3\)"):
        wiretrace.scan([path])
    # a column wiretrace does not read may repeat
    path.write_text("id,text,note,note\nd1,The whole article.,a,b\n", encoding="utf-8")
    assert wiretrace.scan([path]).documents.id == ["d1"]
