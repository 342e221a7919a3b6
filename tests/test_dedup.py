"""``wiretrace.dedup`` and ``wiretrace dedup``: one record per duplicate group, copied as read."""

from __future__ import annotations

import csv
import gzip
import io
import json
import random
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

import wiretrace
from wiretrace import InputError, ScanConfig
from wiretrace.cli import main
from wiretrace.pipeline import SilentReporter

SYLLABLES = ["ka", "lo", "mi", "ren", "tas", "vo", "quel", "dor", "pha", "sin", "tru", "bex", "ny"]
_VOCABULARY = sorted(
    {"".join(random.Random(index).choices(SYLLABLES, k=2 + index % 3)) for index in range(20000)}
)


def article(seed: int, words: int = 170) -> str:
    """Varied sentences of made-up words; texts of different seeds share no run of 5 words."""
    generator = random.Random(seed)
    sentences: list[str] = []
    count = 0
    while count < words:
        length = generator.randint(7, 18)
        sentence = " ".join(generator.choice(_VOCABULARY) for _ in range(length))
        sentences.append(sentence.capitalize() + generator.choice([".", ".", "!", "?"]))
        count += length
    return " ".join(sentences)


def near_copy(text: str, seed: int, positions: tuple[int, ...] = (25, 70, 120)) -> str:
    """The same article with a few words changed."""
    words = text.split(" ")
    generator = random.Random(seed)
    for position in positions:
        words[position] = "changed" + "".join(generator.choices(SYLLABLES, k=3))
    return " ".join(words)


def shingles(text: str, size: int = 5) -> set[tuple[str, ...]]:
    words = [word.strip(".!?").lower() for word in text.split()]
    return {tuple(words[index : index + size]) for index in range(len(words) - size + 1)}


ORIGINAL = article(11)
NEAR = near_copy(ORIGINAL, 12)
UNRELATED_1 = article(13)
UNRELATED_2 = article(14)
OTHER = article(15)  # a second duplicate group in some tests


def test_generated_articles_are_long_and_unrelated() -> None:
    texts = [ORIGINAL, UNRELATED_1, UNRELATED_2, OTHER]
    for text in texts:
        assert len(text.split()) >= 150
    for index, first in enumerate(texts):
        for second in texts[index + 1 :]:
            assert not shingles(first) & shingles(second)
    assert NEAR != ORIGINAL
    assert len(shingles(NEAR) & shingles(ORIGINAL)) > 0.8 * len(shingles(ORIGINAL))


def jsonl_inputs(tmp_path: Path) -> tuple[Path, list[bytes]]:
    """An article, a near copy published earlier, an exact copy, two unrelated articles, and
    two bad lines, written with formatting a re-serialisation would change."""
    lines = [
        json.dumps(
            {"id": "orig", "text": ORIGINAL, "published": "2024-05-02T09:00:00Z", "n": 1}
        ).encode()
        + b"\n",
        (
            b'{"text": '
            + json.dumps(NEAR).encode()
            + b',   "id":"near", "published": "2024-05-01", "extra": {"k": [1, 2.50]}}\n'
        ),
        b'{"id": "unrel1", "text": '
        + json.dumps(UNRELATED_1 + " Caf\u00e9").encode()
        + b', "note": "caf\xc3\xa9 \\u00e9"}\n',
        b"{not json at all\n",
        json.dumps({"id": "exact", "text": ORIGINAL, "published": "2024-05-03"}).encode() + b"\n",
        json.dumps({"id": "blank", "text": "   "}).encode() + b"\n",
        json.dumps({"id": "unrel2", "text": UNRELATED_2}, ensure_ascii=False).encode() + b"\n",
    ]
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"".join(lines))
    return path, lines


def test_dedup_jsonl_keeps_the_earliest_published_and_copies_lines_byte_for_byte(
    tmp_path: Path,
) -> None:
    path, lines = jsonl_inputs(tmp_path)
    out = tmp_path / "deduped.jsonl"

    done = wiretrace.dedup([path], out)

    assert [(group.representative, group.members) for group in done.scan.groups] == [
        ("near", ("exact", "near", "orig"))
    ]
    assert done.written == 5  # the malformed line and the blank text are passed through
    assert out.read_bytes() == lines[1] + lines[2] + lines[3] + lines[5] + lines[6]
    assert done.passed_through == 2
    assert not [item for item in tmp_path.iterdir() if "partial" in item.name]
    assert done.scan.summary["counts"]["skipped_by_reason"] == {
        "empty_text": 1,
        "malformed_line": 1,
    }


def test_dedup_jsonl_gz_output(tmp_path: Path) -> None:
    path, lines = jsonl_inputs(tmp_path)
    out = tmp_path / "deduped.jsonl.gz"

    wiretrace.dedup([path], out)

    assert gzip.decompress(out.read_bytes()) == b"".join(lines[index] for index in (1, 2, 3, 5, 6))


def test_dedup_without_dates_keeps_the_longest_then_the_smallest_id(tmp_path: Path) -> None:
    longer = near_copy(ORIGINAL, 21) + " Trulo kamiren dortas vobex sinpha quelny."
    records = [
        {"id": "m-base", "text": ORIGINAL},
        {"id": "m-longer", "text": longer},
        {"id": "z-copy-b", "text": OTHER},
        {"id": "unrelated", "text": UNRELATED_1},
        {"id": "z-copy-a", "text": OTHER},
        {"id": "z-copy-c", "text": OTHER},
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    out = tmp_path / "out.jsonl"

    done = wiretrace.dedup([path], out)

    assert [(group.representative, group.members) for group in done.scan.groups] == [
        ("m-longer", ("m-base", "m-longer")),
        ("z-copy-a", ("z-copy-a", "z-copy-b", "z-copy-c")),
    ]
    kept = [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert kept == ["m-longer", "unrelated", "z-copy-a"]
    assert done.written == 3


def test_dedup_csv_to_csv_keeps_the_header_and_rows(tmp_path: Path) -> None:
    header = ["section", "id", "text", "published", "words"]
    rows = [
        ["world", "orig", ORIGINAL.replace("! ", "!\n\n"), "2024-05-02", "170"],
        ["world", "near", NEAR, "2024-05-01", "171"],
        ["sport", "unrel1", UNRELATED_1, "", "172"],
        ["world", "exact", ORIGINAL.replace("! ", "!\n\n"), "2024-05-03", "173"],
        ["arts", "unrel2", 'With "quotes", commas\nand ' + UNRELATED_2, "", "174"],
    ]
    path = tmp_path / "in.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)
        stream.write("bad,row\n")
    out = tmp_path / "out.csv"

    done = wiretrace.dedup([path], out)

    assert done.written == 4  # the malformed row is passed through
    assert [group.representative for group in done.scan.groups] == ["near"]
    assert out.read_text(encoding="utf-8").splitlines()[0] == ",".join(header)
    with out.open(encoding="utf-8", newline="") as stream:
        copied = list(csv.reader(stream))
    assert copied == [header, rows[1], rows[2], rows[4], ["bad", "row"]]


def test_a_csv_with_a_byte_order_mark_keeps_it(tmp_path: Path) -> None:
    # Excel's "CSV UTF-8" starts with the mark, and reads a CSV without it in its own code
    # page: the output lost it, and its accented names came out garbled there
    rows = [["id", "text"], ["a", ORIGINAL + " Café"], ["b", ORIGINAL + " Café"], ["c", OTHER]]
    path = tmp_path / "in.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        csv.writer(stream).writerows(rows)
    out = tmp_path / "out.csv"

    wiretrace.dedup([path], out)

    written = out.read_bytes()
    assert written.startswith(b"\xef\xbb\xbfid,text")
    assert written.count(b"\xef\xbb\xbf") == 1
    assert [row[0] for row in csv.reader(io.StringIO(written.decode("utf-8-sig")))] == [
        "id",
        "a",
        "c",
    ]


@pytest.mark.parametrize(("name", "delimiter"), [("in.csv", ";"), ("in.tsv", "\t")])
def test_a_spreadsheet_export_with_semicolons_or_tabs_is_read_by_its_header(
    tmp_path: Path, name: str, delimiter: str
) -> None:
    """A spreadsheet where the comma is the decimal mark exports CSV with semicolons (a new
    user's was read as one field "id;title;published;text"); tab-separated files end .tsv.
    dedup copies the kept lines as they were, and converts to a .tsv with tabs."""
    rows = [
        ["orig", ORIGINAL, "2024-05-01"],
        ["copy", ORIGINAL.replace("! ", "!\n\n"), "2024-05-02"],
        ["other", UNRELATED_1, ""],
    ]
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, delimiter=delimiter)
        writer.writerow(["id", "text", "published"])
        writer.writerows(rows)
    done = wiretrace.dedup([path], tmp_path / f"out{path.suffix}")
    assert [item.id for item in done.dropped] == ["copy"]
    with done.out.open(encoding="utf-8", newline="") as stream:
        assert list(csv.reader(stream, delimiter=delimiter)) == [
            ["id", "text", "published"],
            rows[0],
            rows[2],
        ]
    converted = wiretrace.dedup([path], tmp_path / "converted.tsv").out
    with converted.open(encoding="utf-8", newline="") as stream:
        records = list(csv.DictReader(stream, delimiter="\t"))
    assert [record["id"] for record in records] == ["orig", "other"]


def test_dedup_parquet_to_parquet_keeps_every_column(tmp_path: Path) -> None:
    table = pa.table(
        {
            "id": ["orig", "near", "unrel1", "exact", "unrel2", "blank"],
            "text": [ORIGINAL, NEAR, UNRELATED_1, ORIGINAL, UNRELATED_2, " "],
            "published": ["2024-05-02", "2024-05-01", None, "2024-05-03", None, None],
            "words": pa.array([170, 171, 172, 173, 174, 0], type=pa.int32()),
            "tags": [["a"], ["b", "c"], [], None, ["d"], []],
            "score": [0.5, 1.5, 2.5, 3.5, 4.5, 5.5],
        }
    )
    path = tmp_path / "in.parquet"
    pq.write_table(table, path, row_group_size=2)
    out = tmp_path / "out.parquet"

    done = wiretrace.dedup([path], out)

    assert done.written == 4  # the blank text is passed through
    assert [group.representative for group in done.scan.groups] == ["near"]
    copied = pq.read_table(out)
    assert copied.schema.equals(table.schema)
    kept = {"near", "unrel1", "unrel2", "blank"}
    expected = [row for row in table.to_pylist() if row["id"] in kept]
    assert copied.to_pylist() == expected


def test_dedup_folder_of_text_files_writes_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    (folder / "sub").mkdir(parents=True)
    shorter = near_copy(ORIGINAL, 31)
    shorter = shorter[: shorter.rindex(" ")]  # one word shorter than the original
    files = {
        "a.txt": ORIGINAL.encode(),
        "b.txt": shorter.encode(),
        "sub/c.txt": ORIGINAL.encode(),
        "d.txt": (UNRELATED_1 + "\r\nÉté.\n").encode("utf-8"),
        "sub/e.txt": UNRELATED_2.encode(),
        "empty.txt": b"",
        "notes.md": b"not an input",
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    out = tmp_path / "deduped"

    done = wiretrace.dedup([folder], out)

    assert [(group.representative, group.members) for group in done.scan.groups] == [
        ("a", ("a", "b", "c"))
    ]
    assert done.written == 4  # the empty file is passed through
    assert out.is_dir()
    written = {
        path.relative_to(out).as_posix(): path.read_bytes()
        for path in out.rglob("*")
        if path.is_file()
    }
    assert written == {name: files[name] for name in ("a.txt", "d.txt", "sub/e.txt", "empty.txt")}


def test_dedup_csv_input_to_jsonl_output_converts_the_fields(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["id", "text", "title"])
        writer.writerows([["orig", ORIGINAL, "T1"], ["exact", ORIGINAL, "T2"], ["u", OTHER, ""]])
    out = tmp_path / "out.jsonl"

    done = wiretrace.dedup([path], out)

    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert done.written == 2
    assert [(record["id"], record["text"], record["title"]) for record in records] == [
        ("exact", ORIGINAL, "T2"),
        ("u", OTHER, ""),
    ]


def test_dedup_keeps_an_id_column_named_in_another_case(tmp_path: Path) -> None:
    # the id read from a column ``ID`` is the record's own: the output keeps the column as
    # it was and adds no ``id`` beside it
    path = tmp_path / "in.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["ID", "Text"])
        writer.writerows([["orig", ORIGINAL], ["exact", ORIGINAL], ["u", OTHER]])
    out = tmp_path / "out.csv"

    done = wiretrace.dedup([path], out)

    with out.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert done.written == 2
    assert [sorted(row) for row in rows] == [["ID", "Text"]] * 2
    assert [row["ID"] for row in rows] == ["exact", "u"]


def _earnings(company: str, ticker: str, city: str, figures: tuple[str, ...]) -> str:
    eps, estimate, revenue, margin, price, day = figures
    return (
        f"{company} ({ticker}) released its quarterly earnings results on Thursday morning. "
        f"The {city}-based company reported ${eps} earnings per share for the quarter, "
        f"beating the consensus estimate of ${estimate} by a wide margin. The firm had "
        f"revenue of ${revenue} million for the quarter, compared to the estimates of the "
        f"analysts who follow the stock. {company} had a net margin of {margin}% and a "
        "return on equity that was higher than a year before. The business's quarterly "
        "revenue was up compared to the same quarter last year. During the same period "
        f"in the prior year, the company posted lower earnings. Shares of {ticker} opened "
        f"at ${price} on {day}. The stock has a fifty day moving average that is above its "
        "two hundred day moving average, and the company has a market capitalization of "
        "several billion dollars and a beta close to one."
    )


def test_one_formula_filled_with_two_companies_figures_is_no_copy(tmp_path: Path) -> None:
    # market news written from one template: every name and number differs, the words
    # around them are the same. The bridged passages covered both texts, so one report was
    # the other's near duplicate and dedup dropped it with its figures (coverage 0.35)
    first = _earnings(
        "Ember Energy", "EMBR", "Tulsa", ("1.98", "1.73", "647.80", "11.06", "22.39", "Friday")
    )
    second = _earnings(
        "Fjord Shipping", "FJRD", "Seattle", ("1.40", "1.27", "778.95", "13.04", "56.98", "Tuesday")
    )
    # an edited copy of the first (two words changed, one figure corrected) is one still
    edited = first.replace("beating", "topping").replace("647.80", "647.90")
    path = tmp_path / "in.jsonl"
    rows = [("embr", first), ("fjrd", second), ("embr-copy", edited)]
    path.write_text(
        "".join(json.dumps({"id": name, "text": text}) + "\n" for name, text in rows), "utf-8"
    )
    out = tmp_path / "out.jsonl"

    done = wiretrace.dedup([path], out)

    kept = [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(kept) == ["embr", "fjrd"] and done.written == 2
    relations = {
        (m.a, m.b): m.relation.value
        for m in wiretrace.scan([path], ScanConfig(semantic=False, stories=False)).matches
    }
    assert relations[("embr", "fjrd")] == "partial"
    assert relations[("embr", "embr-copy")] == "near_duplicate"


def test_dedup_of_an_empty_parquet_writes_an_empty_parquet(tmp_path: Path) -> None:
    path = tmp_path / "in.parquet"
    empty = pa.table(
        {
            "id": pa.array([], pa.string()),
            "text": pa.array([], pa.string()),
            "n": pa.array([], pa.int64()),
        }
    )
    pq.write_table(empty, path)
    out = tmp_path / "out.parquet"

    done = wiretrace.dedup([path], out)

    assert done.written == 0
    assert pq.read_table(out).schema.equals(empty.schema)


# --- refusals ----------------------------------------------------------------------------


def test_existing_out_is_refused_by_the_library(tmp_path: Path) -> None:
    path, _ = jsonl_inputs(tmp_path)
    out = tmp_path / "out.jsonl"
    out.write_text("keep me\n", encoding="utf-8")

    with pytest.raises(InputError, match="exists"):
        wiretrace.dedup([path], out)

    assert out.read_text(encoding="utf-8") == "keep me\n"


@pytest.mark.parametrize("name", ["out.jsonl", "folder"])
def test_existing_out_is_refused_by_the_cli_with_exit_2(tmp_path: Path, name: str) -> None:
    path, _ = jsonl_inputs(tmp_path)
    out = tmp_path / name
    if name == "folder":
        out.mkdir()
        (out / "inside.txt").write_text("keep me", encoding="utf-8")
    else:
        out.write_text("keep me\n", encoding="utf-8")

    result = CliRunner().invoke(main, ["dedup", str(path), "--out", str(out)])

    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1
    assert str(out) in errors[0]
    assert "exists" in errors[0]
    assert "Traceback" not in result.output
    if name == "folder":
        assert [item.name for item in out.iterdir()] == ["inside.txt"]
    else:
        assert out.read_text(encoding="utf-8") == "keep me\n"


@pytest.mark.parametrize(
    ("name", "message"),
    [("out.txt", "only from text files"), ("out.xml", "unsupported type"), ("outdir", ".jsonl")],
)
def test_dedup_refuses_outputs_it_cannot_write(tmp_path: Path, name: str, message: str) -> None:
    path, _ = jsonl_inputs(tmp_path)

    with pytest.raises(InputError, match=message):
        wiretrace.dedup([path], tmp_path / name)

    assert not (tmp_path / name).exists()


def test_dedup_cli_writes_the_deduplicated_jsonl(tmp_path: Path) -> None:
    path, lines = jsonl_inputs(tmp_path)
    out = tmp_path / "deduped.jsonl"

    result = CliRunner().invoke(main, ["dedup", str(path), "--out", str(out)])

    assert result.exit_code == 0, result.output
    assert out.read_bytes() == b"".join(lines[index] for index in (1, 2, 3, 5, 6))
    message = " ".join(result.stderr.split())  # the line may be wrapped at the console width
    assert f"wrote 5 of 7 records to {out} (2 copies dropped," in message
    assert "2 skipped records passed through" in message


def test_dedup_cli_quiet_prints_nothing(tmp_path: Path) -> None:
    path, _ = jsonl_inputs(tmp_path)
    out = tmp_path / "deduped.jsonl"

    result = CliRunner().invoke(main, ["dedup", str(path), "--out", str(out), "-q"])

    assert result.exit_code == 0
    assert result.output == ""
    assert out.exists()


def _csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def test_dedup_cli_csv_gz(tmp_path: Path) -> None:
    path = tmp_path / "in.csv.gz"
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerows([["id", "text"], ["orig", ORIGINAL], ["copy", ORIGINAL], ["u", OTHER]])
    path.write_bytes(gzip.compress(buffer.getvalue().encode("utf-8")))
    out = tmp_path / "out.csv.gz"

    result = CliRunner().invoke(main, ["dedup", str(path), "--out", str(out), "-q"])

    assert result.exit_code == 0, result.output
    assert _csv_rows(gzip.decompress(out.read_bytes())) == [
        ["id", "text"],
        ["copy", ORIGINAL],
        ["u", OTHER],
    ]


def test_dedup_of_csv_files_of_two_delimiters_into_one_csv_is_refused(tmp_path: Path) -> None:
    """Lines are copied as they were: a comma file and a semicolon file would make one CSV
    of two delimiters."""
    for name, delimiter in (("a.csv", ","), ("b.csv", ";")):
        with (tmp_path / name).open("w", encoding="utf-8", newline="") as stream:
            writer = csv.writer(stream, delimiter=delimiter)
            writer.writerow(["id", "text"])
            writer.writerow([name, ORIGINAL])
    with pytest.raises(InputError, match="CSV delimiter \\(';'\\) differs from the first"):
        wiretrace.dedup([tmp_path / "a.csv", tmp_path / "b.csv"], tmp_path / "out.csv")
    done = wiretrace.dedup([tmp_path / "a.csv", tmp_path / "b.csv"], tmp_path / "out.jsonl")
    assert done.written == 1 and len(done.dropped) == 1


def test_a_big_group_led_by_a_short_first_version_is_deduplicated(tmp_path: Path) -> None:
    # a wire story's short first version, then many copies of the full story with a few
    # words changed each: past ``big_group_size`` the group was cut to a star around the
    # earliest (the short version, which holds none of them) and dedup kept every copy
    full = article(31, words=400)
    short = " ".join(full.split(" ")[:120]) + "."
    records = [{"id": "breaking", "text": short, "published": "2025-01-01T08:00:00Z"}]
    records += [
        {
            "id": f"site{number:02d}",
            "text": near_copy(full, number, (40 + number, 200 + number, 330 + number)),
            "published": f"2025-01-01T{9 + number // 6:02d}:{number % 6 * 10:02d}:00Z",
        }
        for number in range(30)
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(record) + "\n" for record in records), "utf-8")
    out = tmp_path / "out.jsonl"

    done = wiretrace.dedup([path], out, ScanConfig(big_group_size=8))

    assert done.written <= 4, done.written
    kept = {json.loads(line)["id"] for line in out.read_text("utf-8").splitlines()}
    lines = (tmp_path / "out.dropped.jsonl").read_text("utf-8").splitlines()
    dropped = [json.loads(line) for line in lines]
    assert len(kept) + len(dropped) == len(records)
    assert all(entry["kept"] in kept for entry in dropped)  # each held by one written


def test_the_dropped_table_says_where_the_kept_record_is(tmp_path: Path) -> None:
    # `7` in mar.jsonl after `7` in jan.jsonl is `7@mar.jsonl` in the tables, while its record
    # in the output still says `7`: the kept one's file and line find it
    jan = tmp_path / "jan.jsonl"
    mar = tmp_path / "mar.jsonl"
    jan.write_text(json.dumps({"id": "7", "text": UNRELATED_1}) + "\n", "utf-8")
    mar.write_text(
        "".join(
            json.dumps(record) + "\n"
            for record in ({"id": "7", "text": ORIGINAL}, {"id": "9", "text": ORIGINAL})
        ),
        "utf-8",
    )
    out = tmp_path / "out.jsonl"

    wiretrace.dedup([jan, mar], out)

    lines = (tmp_path / "out.dropped.jsonl").read_text("utf-8").splitlines()
    [dropped] = [json.loads(line) for line in lines]
    assert (dropped["dropped"], dropped["kept"]) == ("9", f"7@{mar}")
    assert dropped["kept_source"] == f"{mar}:1"


def test_a_record_repeated_whole_under_its_id_is_dropped_and_one_changed_is_kept(
    tmp_path: Path,
) -> None:
    # a crawl that fetched a page twice: the second line was skipped for its id and written
    # through, so the output held the record twice
    same = {"id": "a", "text": ORIGINAL, "url": "https://e.com/a"}
    changed = {"id": "b", "text": UNRELATED_1}
    records = [same, changed, same, {**changed, "title": "Updated"}, {"id": "c", "text": OTHER}]
    path = tmp_path / "crawl.jsonl"
    path.write_text("".join(json.dumps(record) + "\n" for record in records), "utf-8")
    out = tmp_path / "out.jsonl"
    said: list[str] = []

    class Warnings(SilentReporter):
        def warn(self, message: str) -> None:
            said.append(message)

    done = wiretrace.dedup([path], out, reporter=Warnings())

    # each repeated id said once, as what became of it: no 'skipped' for the dropped copy
    assert said == [
        f"{path}:3 repeats the record at {path}:1 whole (id 'a'): dropped as its exact copy",
        f"skipped {path}:4: duplicate id: id 'b' already read at {path}:2",
    ]
    assert [json.loads(line) for line in out.read_text("utf-8").splitlines()] == [
        same,
        changed,
        {**changed, "title": "Updated"},  # its fields differ: passed through, never lost
        {"id": "c", "text": OTHER},
    ]
    lines = (tmp_path / "out.dropped.jsonl").read_text("utf-8").splitlines()
    [dropped] = [json.loads(line) for line in lines]
    assert (dropped["dropped"], dropped["kept"], dropped["relation"]) == ("a", "a", "exact")
    assert (dropped["source"], dropped["kept_source"]) == (f"{path}:3", f"{path}:1")
    assert done.passed_through == 1
