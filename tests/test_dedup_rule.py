"""``dedup`` drops a document only when a kept document holds its text, directly (issue 23).

The rule: a document is dropped only if a kept document is its exact or near duplicate, or
contains it (of a document and its container, the container is kept), never through a chain;
each dropped document is listed beside the output with the kept document that holds it.
Records the scan skipped are passed through; ids repeated across files are made unique.
"""

from __future__ import annotations

import errno
import importlib
import json
import random
from dataclasses import replace
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import wiretrace
from tests.test_dedup import article, near_copy, shingles
from wiretrace import ScanConfig
from wiretrace.cli import main

FAST = ScanConfig(recurring_min_documents=0)


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    return path


def kept_ids(out: Path) -> list[str]:
    return [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()]


def dropped_rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def held_share(small: str, large: str) -> float:
    """The share of ``small``'s shingles found in ``large`` (the oracle of 'holds')."""
    own = shingles(small)
    return len(own & shingles(large)) / max(1, len(own))


def test_a_long_article_that_pastes_a_wire_story_is_kept_and_the_wire_dropped(
    tmp_path: Path,
) -> None:
    wire = article(101, 75)
    page = article(102, 150) + " " + wire + " " + article(103, 150)
    path = write_jsonl(
        tmp_path / "in.jsonl",
        [
            {"id": "wire", "text": wire, "published": "2024-01-01"},
            {"id": "page", "text": page, "published": "2024-01-02"},
            {"id": "other", "text": article(104)},
        ],
    )
    out = tmp_path / "out.jsonl"

    done = wiretrace.dedup(path, out, FAST)

    assert kept_ids(out) == ["page", "other"]
    assert dropped_rows(done.dropped_table) == [
        {
            "dropped": "wire",
            "kept": "page",
            "relation": "contained",
            "coverage": pytest.approx(1.0),
            "source": f"{path}:1",
            "kept_source": f"{path}:2",
        }
    ]


def test_of_equal_texts_the_one_without_a_sites_chrome_is_kept(tmp_path: Path) -> None:
    # no dates: the longest text would win, and the republication is longer only by its page
    wire = "\n\n".join(article(110 + number, 40) for number in range(3))
    page = (
        "Home | World | Politics | Sport | Business\n"
        "Share on Facebook  Share on Twitter  Email this article\n\n"
        f"{wire}\n\nSign up for our daily newsletter and never miss a story.\n"
        "Copyright 2026 The Daily Planet. All rights reserved.\n"
    )
    path = write_jsonl(
        tmp_path / "in.jsonl",
        [{"id": "a-republished", "text": page}, {"id": "z-wire", "text": wire}],
    )
    out = tmp_path / "out.jsonl"

    done = wiretrace.dedup(path, out, FAST)

    assert kept_ids(out) == ["z-wire"]
    assert [row["dropped"] for row in dropped_rows(done.dropped_table)] == ["a-republished"]


def test_a_short_text_inside_unrelated_long_ones_never_joins_them(tmp_path: Path) -> None:
    short = article(201, 60)
    records = [{"id": "short", "text": short}]
    for number in range(4):
        text = article(210 + number, 200) + " " + short + " " + article(220 + number, 120)
        records.append({"id": f"long{number}", "text": text})
    path = write_jsonl(tmp_path / "in.jsonl", records)
    out = tmp_path / "out.jsonl"

    done = wiretrace.dedup(path, out, FAST)

    assert kept_ids(out) == ["long0", "long1", "long2", "long3"]
    assert [(item.id, item.kept) for item in done.dropped] == [("short", "long0")]


def test_what_a_dropped_document_has_of_its_own_is_bounded_by_the_options(
    tmp_path: Path,
) -> None:
    # passages bridge edits, so a copy with every ninth word changed was a near duplicate
    # (Jaccard 0.31, 47% of its shingles in the kept one) and was dropped with its own words,
    # and --jaccard / --containment, which the docs name to keep such documents, did nothing
    original = article(701, 300)
    words = original.split(" ")
    edited = " ".join(
        f"{number}7" if number % 9 == 4 else word for number, word in enumerate(words)
    )
    lightly = near_copy(original, 702)
    path = write_jsonl(
        tmp_path / "in.jsonl",
        [
            {"id": "a-original", "text": original},
            {"id": "b-edited", "text": edited},
            {"id": "c-lightly", "text": lightly},
        ],
    )
    found = {
        (m.a, m.b): (m.relation.value, m.jaccard)
        for m in wiretrace.scan([path], replace(FAST, semantic=False, stories=False)).matches
    }
    assert found[("a-original", "b-edited")][0] == "near_duplicate"
    assert found[("a-original", "b-edited")][1] < 0.5

    done = wiretrace.dedup(path, tmp_path / "out.jsonl", FAST)
    (dropped,) = done.dropped  # the original or its light copy, held by the other
    assert {dropped.id, dropped.kept} == {"a-original", "c-lightly"}
    assert "b-edited" in kept_ids(tmp_path / "out.jsonl")
    strict = wiretrace.dedup(path, tmp_path / "strict.jsonl", replace(FAST, jaccard_threshold=0.99))
    assert strict.dropped == ()


def test_of_a_truncated_copy_and_the_later_full_story_the_full_one_is_kept(
    tmp_path: Path,
) -> None:
    # near duplicates both ways (the full story has 78% of its shingles in the cut one), so
    # the earlier cut copy was kept and the full story dropped with its last paragraphs
    full = article(811, 260)
    cut = " ".join(full.split(" ")[:205])
    path = write_jsonl(
        tmp_path / "in.jsonl",
        [
            {"id": "cut", "text": cut, "published": "2021-03-01"},
            {"id": "full", "text": full, "published": "2021-03-02"},
        ],
    )
    assert held_share(full, cut) >= 0.75
    done = wiretrace.dedup(path, tmp_path / "out.jsonl", FAST)
    assert [(row.id, row.kept) for row in done.dropped] == [("cut", "full")]
    assert kept_ids(tmp_path / "out.jsonl") == ["full"]


def test_an_update_that_adds_a_paragraph_is_kept_and_its_first_version_dropped(
    tmp_path: Path,
) -> None:
    # near duplicates both ways (the first version holds 82% of the update): the earlier was
    # kept and the update dropped with its new paragraph, which no written record held; a
    # copy of the update under a page's noise goes with the update
    first = "\n".join(article(851 + n, 40) for n in range(4))
    update = first + "\n" + article(859, 25)
    noisy = "Home | News | Business\nAccept all cookies\n" + update + "\n© 2026 Gazette."
    path = write_jsonl(
        tmp_path / "in.jsonl",
        [
            {"id": "first", "text": first, "published": "2024-02-01T08:00Z"},
            {"id": "update", "text": update, "published": "2024-02-01T16:00Z"},
            {"id": "page", "text": noisy, "published": "2024-02-01T17:00Z"},
        ],
    )
    done = wiretrace.dedup(path, tmp_path / "out.jsonl", FAST)
    assert kept_ids(tmp_path / "out.jsonl") == ["update"]
    assert {(row.id, row.kept) for row in done.dropped} == {("first", "update"), ("page", "update")}


def test_an_earlier_page_with_noise_gives_way_to_its_clean_text_set_on_other_lines(
    tmp_path: Path,
) -> None:
    # one text, but the page sets each sentence on a line of its own (so near, not exact)
    # and adds a cookie notice: it was kept, being earlier, and the clean text dropped
    body = " ".join(article(891 + n, 30) for n in range(4))
    lines = "\n\n".join(sentence.strip() + "." for sentence in body.split(".") if sentence.strip())
    notice = (
        "We use cookies to improve your experience on our website. By continuing to browse "
        "you agree to our use of cookies. Accept all cookies | Manage preferences"
    )
    path = write_jsonl(
        tmp_path / "in.jsonl",
        [
            {"id": "clean", "text": body, "published": "2024-02-01T16:00Z"},
            {"id": "page", "text": f"{notice}\n\n{lines}", "published": "2024-02-01T08:00Z"},
        ],
    )
    done = wiretrace.dedup(path, tmp_path / "out.jsonl", FAST)
    assert [(row.id, row.kept, str(row.relation)) for row in done.dropped] == [
        ("page", "clean", "near_duplicate")
    ]


def test_a_repost_that_repeats_its_headline_in_its_body_is_no_update(tmp_path: Path) -> None:
    # a page or a text file repeats its headline as its first line, where the publisher's
    # record carries it in its title: the later repost held the original whole "and a
    # paragraph more", and was kept over it
    title = "Museum returns bronze heads to Nigeria"
    body = "\n\n".join(article(871 + n, 35) for n in range(4))
    update = body + "\n\n" + " ".join(title.split()[::-1]) + " late"  # an added line
    path = write_jsonl(
        tmp_path / "in.jsonl",
        [
            {"id": "orig", "title": title, "text": body, "published": "2026-03-26T08:00Z"},
            {"id": "repost", "text": f"{title}\n\n{body}\n", "published": "2026-03-26T20:00Z"},
            {
                "id": "titled",
                "title": title,
                "text": f"{title}\n{body}",
                "published": "2026-03-27T09:00Z",
            },
        ],
    )
    done = wiretrace.dedup(path, tmp_path / "out.jsonl", FAST)
    assert kept_ids(tmp_path / "out.jsonl") == ["orig"]
    assert {(row.id, row.kept) for row in done.dropped} == {("repost", "orig"), ("titled", "orig")}
    # a line as long as the headline added at the end is a paragraph added: the update stays
    path = write_jsonl(
        tmp_path / "update.jsonl",
        [
            {"id": "orig", "title": title, "text": body, "published": "2026-03-26T08:00Z"},
            {"id": "update", "title": title, "text": update, "published": "2026-03-26T20:00Z"},
        ],
    )
    done = wiretrace.dedup(path, tmp_path / "update-out.jsonl", FAST)
    assert kept_ids(tmp_path / "update-out.jsonl") == ["update"]


def test_a_cut_first_version_is_not_kept_beside_the_full_story_that_holds_it(
    tmp_path: Path,
) -> None:
    # the full story and its later copy hold each other, so every document was held and
    # the earliest, the cut first version, was kept first, then the full story beside it
    full = article(821, 300)
    words = full.split(" ")
    path = write_jsonl(
        tmp_path / "in.jsonl",
        [
            {"id": "cut", "text": " ".join(words[:150]), "published": "2024-02-01"},
            {"id": "full", "text": full, "published": "2024-03-03"},
            {"id": "later", "text": " ".join(words[:250]), "published": "2024-04-01"},
        ],
    )
    done = wiretrace.dedup(path, tmp_path / "out.jsonl", FAST)
    assert kept_ids(tmp_path / "out.jsonl") == ["full"]
    assert {(row.id, row.kept) for row in done.dropped} == {("cut", "full"), ("later", "full")}


@pytest.mark.parametrize("shuffled", [False, True])
def test_the_copies_of_a_big_group_go_with_the_story_that_holds_them(
    tmp_path: Path, shuffled: bool
) -> None:
    # a new user's wire story as it spreads: a short first version, then the full story 120
    # times, two copies with a local line added. A big group's copies are matched with its
    # representative alone: the container kept held the representative and none of the
    # copies, 117 of which were written
    full = (Path(__file__).parent / "texts" / "flood-valencia.txt").read_text("utf-8").strip()
    records = [
        {"id": "first", "text": "\n".join(full.split("\n")[:5]), "published": "2024-02-02T06:00Z"}
    ]
    for n in range(120):
        note = f"\nLocal note {n}: readers in district {n} can call 0800 {1000 + n}."
        text = full + (note if n in (0, 10) else "")
        records.append(
            {
                "id": f"c{n:03}",
                "text": text,
                "published": f"2024-02-02T{7 + n // 60:02}:{n % 60:02}Z",
            }
        )
    if shuffled:
        random.Random(7).shuffle(records)
    path = write_jsonl(tmp_path / "in.jsonl", records)
    done = wiretrace.dedup(path, tmp_path / "out.jsonl")  # lines that recur in it, as found
    assert len(kept_ids(tmp_path / "out.jsonl")) == 1
    texts = {record["id"]: record["text"] for record in records}
    for item in done.dropped:
        assert held_share(texts[item.id], texts[item.kept]) >= 0.75


def test_a_chain_of_overlapping_documents_drops_only_what_a_kept_one_holds(
    tmp_path: Path,
) -> None:
    words = article(301, 900).split(" ")
    # each document overlaps the next by 90%, so neighbours are near duplicates, and the
    # first and the last share nothing
    width, step = 200, 20
    records = [
        {"id": f"w{number:02}", "text": " ".join(words[number * step : number * step + width])}
        for number in range(12)
    ]
    texts = {record["id"]: record["text"] for record in records}
    path = write_jsonl(tmp_path / "in.jsonl", records)
    out = tmp_path / "out.jsonl"

    done = wiretrace.dedup(path, out, FAST)

    kept = set(kept_ids(out))
    assert len(kept) > 1  # a connected component would keep one
    assert set(texts) == kept | {item.id for item in done.dropped}
    for item in done.dropped:
        assert item.kept in kept
        assert held_share(texts[item.id], texts[item.kept]) >= 0.75
    groups = done.scan.groups  # the scan's groups stay connected components
    assert len(groups) == 1 and len(groups[0].members) == 12


def test_ids_repeated_across_files_are_made_unique_and_all_written(tmp_path: Path) -> None:
    january = write_jsonl(
        tmp_path / "jan.jsonl", [{"id": str(n), "text": article(400 + n, 60)} for n in range(30)]
    )
    february = write_jsonl(
        tmp_path / "feb.jsonl", [{"id": str(n), "text": article(500 + n, 60)} for n in range(30)]
    )
    out = tmp_path / "out.jsonl"

    done = wiretrace.dedup([january, february], out, FAST)

    assert done.written == 60
    assert not done.dropped
    ids = set(done.scan.documents.id)
    assert {str(n) for n in range(30)} <= ids
    assert {f"{n}@{february}" for n in range(30)} <= ids
    assert out.read_bytes() == january.read_bytes() + february.read_bytes()


def test_a_folder_is_written_back_with_its_sub_folders(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    for day, seed in (("2021-08-10", 601), ("2021-08-11", 602)):
        (folder / day).mkdir(parents=True)
        (folder / day / "article0.txt").write_text(article(seed), encoding="utf-8")
    (folder / "2021-08-11" / "copy.txt").write_text(article(601), encoding="utf-8")
    out = tmp_path / "out"

    done = wiretrace.dedup(folder, out, FAST)

    written = sorted(path.relative_to(out).as_posix() for path in out.rglob("*.txt"))
    assert written == ["2021-08-10/article0.txt", "2021-08-11/article0.txt"]
    assert [(item.id, item.kept) for item in done.dropped] == [("copy", "article0")]


def test_skipped_records_go_to_skipped_out_when_named(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "a", "text": article(701)}) + "\n",
        "{broken\n",
        json.dumps({"id": "b", "text": article(701)}) + "\n",
        json.dumps({"id": "c", "text": ""}) + "\n",
        json.dumps({"id": "d", "text": "x" * 30000}) + "\n",
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("".join(lines), encoding="utf-8")
    out, aside = tmp_path / "out.jsonl", tmp_path / "skipped.jsonl"

    done = wiretrace.dedup(path, out, replace(FAST, max_record_bytes=20000), skipped_out=aside)

    assert out.read_text(encoding="utf-8") == lines[0]
    assert aside.read_text(encoding="utf-8") == lines[1] + lines[3] + lines[4]
    assert done.passed_through == 3
    summary = json.loads(done.summary_file.read_text(encoding="utf-8"))
    assert summary["dedup"]["skipped_written_to"] == str(aside)
    assert summary["dedup"]["dropped"] == 1


@pytest.mark.parametrize("aside", ["out.jsonl", "out.dropped.jsonl", "out.summary.json"])
def test_skipped_out_never_names_a_file_dedup_writes_for_out(tmp_path: Path, aside: str) -> None:
    # the skipped records would be written over the kept ones (or the kept ones over them)
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": "a", "text": article(702)}) + "\n{broken\n", "utf-8")
    out = tmp_path / "out.jsonl"
    with pytest.raises(wiretrace.InputError, match="--skipped-out"):
        wiretrace.dedup(path, out, FAST, skipped_out=tmp_path / aside)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]


def test_converting_says_which_skipped_records_could_not_be_written(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(
        json.dumps({"id": "a", "text": article(801)}) + "\n{broken\n" + '{"id": "e", "text": ""}\n',
        encoding="utf-8",
    )
    out = tmp_path / "out.parquet"

    done = wiretrace.dedup(path, out, FAST)

    assert pq.read_table(out).column("id").to_pylist() == ["a", "e"]
    assert done.not_written == (f"{path}:2",)
    result = CliRunner().invoke(main, ["dedup", str(path), "--out", str(tmp_path / "o.csv")])
    message = " ".join(result.stderr.split())
    assert "1 not written (they cannot be written in the output's format" in message


def test_dedup_runs_no_semantic_stage_stories_provenance_or_languages(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "in.jsonl",
        [{"id": "a", "text": article(901)}, {"id": "b", "text": article(901)}],
    )

    done = wiretrace.dedup(path, tmp_path / "out.jsonl")

    summary = done.scan.summary
    assert summary["semantic"] == {"model": None}
    assert "paraphrase" in summary["not_searched"]
    assert not done.scan.stories
    assert all(match.source is None for match in done.scan.matches)
    assert not {"semantic", "stories"} & set(summary["timings_seconds"])
    assert summary["counts"]["documents_by_language"] is None
    assert done.scan.documents.language == [None, None]


def test_dedup_help_lists_only_its_options() -> None:
    text = CliRunner().invoke(main, ["dedup", "--help"]).output
    for option in ("--semantic", "--no-semantic", "--embedding-cache", "--no-stories"):
        assert option not in text
    for option in ("--story-resolution", "--series", "--min-passage-words", "--report"):
        assert option not in text
    for option in ("--jaccard", "--containment", "--skipped-out", "--workers", "--id-field"):
        assert option in text


def test_out_inside_an_input_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    write_jsonl(folder / "a.jsonl", [{"id": "a", "text": article(1001)}])

    result = CliRunner().invoke(main, ["dedup", str(folder), "--out", str(folder / "dd.jsonl")])

    assert result.exit_code == 2
    assert "inside the input folder" in result.stderr
    assert sorted(path.name for path in folder.iterdir()) == ["a.jsonl"]


def test_parquet_inputs_with_different_columns_name_the_difference(tmp_path: Path) -> None:
    pq.write_table(
        pa.table({"id": ["a"], "text": [article(1101)], "n": [1]}), tmp_path / "a.parquet"
    )
    pq.write_table(
        pa.table({"id": ["b"], "text": [article(1102)], "m": ["x"]}), tmp_path / "b.parquet"
    )

    result = CliRunner().invoke(
        main,
        [
            "dedup",
            str(tmp_path / "a.parquet"),
            str(tmp_path / "b.parquet"),
            "-o",
            str(tmp_path / "out.parquet"),
        ],
    )

    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "n missing" in result.stderr and "m not in the first" in result.stderr


def test_a_corrupt_parquet_input_is_skipped_as_unreadable_not_an_internal_error(
    tmp_path: Path,
) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    pq.write_table(pa.table({"id": ["a"], "text": [article(1103)]}), inputs / "a.parquet")
    (inputs / "b.parquet").write_bytes(b"PAR1 not a parquet file at all")
    out = tmp_path / "out.parquet"

    result = CliRunner().invoke(main, ["dedup", str(inputs), "-o", str(out)])

    assert result.exit_code == 0, result.output
    assert pq.read_table(out).column("id").to_pylist() == ["a"]
    summary = json.loads((tmp_path / "out.summary.json").read_text(encoding="utf-8"))
    assert [item["reason"] for item in summary["skipped"]] == ["unreadable_file"]
    # its records are in no count of the last line: it says the file was not read
    assert "1 input file could not be read (" in " ".join(result.output.split())


def test_a_parquet_input_with_a_damaged_page_is_written_as_far_as_it_was_read(
    tmp_path: Path,
) -> None:
    # a page of the sixth row group overwritten: the scan read the rows before it, and the
    # Parquet output failed whole as "cannot write --out ...; free some space"
    source = tmp_path / "in.parquet"
    bodies = [f"Record {i}: the council met to discuss item {i * 7919 % 1000}." for i in range(600)]
    table = pa.table({"id": [f"d{i}" for i in range(600)], "text": bodies})
    pq.write_table(table, source, row_group_size=100, compression="none")
    damaged = bytearray(source.read_bytes())
    at = pq.ParquetFile(source).metadata.row_group(5).column(1).data_page_offset
    damaged[at : at + 40] = b"\xff" * 40
    source.write_bytes(bytes(damaged))
    out = tmp_path / "out.parquet"

    result = CliRunner().invoke(main, ["dedup", str(source), "-o", str(out)])

    assert result.exit_code == 0, result.output
    written = pq.read_table(out).column("id").to_pylist()
    summary = json.loads((tmp_path / "out.summary.json").read_text(encoding="utf-8"))
    assert len(written) == summary["counts"]["records"] > 0
    assert [item["reason"] for item in summary["skipped"]] == ["unreadable_file"]


def test_a_column_named_twice_keeps_both_values_when_converted(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text(f"id,text,note,note\na,{article(1104)},x,y\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"

    result = CliRunner().invoke(main, ["dedup", str(source), "-o", str(out)])

    assert result.exit_code == 0, result.output
    (record,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert (record["note"], record["note.1"]) == ("x", "y")


def test_a_full_disk_in_dedup_is_one_line_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = importlib.import_module("wiretrace.write.dedup")  # the module, not the function
    path = write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": article(1201)}])

    def full(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(module, "_write_dropped", full)
    result = CliRunner().invoke(main, ["dedup", str(path), "-o", str(tmp_path / "out.jsonl")])

    assert result.exit_code == 2
    assert "the disk is full" in result.stderr and "Traceback" not in result.output
    assert sorted(item.name for item in tmp_path.iterdir()) == ["in.jsonl"]


# --- the rule on random corpora ----------------------------------------------------------


@st.composite
def corpora(draw: st.DrawFn) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Unique articles with planted exact and near copies, short texts inside unrelated long
    ones, and chains of overlapping windows; returns the records and, for each planted copy,
    its original."""
    seed = draw(st.integers(0, 10**6))
    generator = random.Random(seed)
    records: list[dict[str, Any]] = []
    copy_of: dict[str, str] = {}
    serial = iter(range(10**6))

    def add(text: str, original: str | None = None) -> str:
        doc_id = f"d{next(serial):03}"
        record: dict[str, Any] = {"id": doc_id, "text": text}
        if generator.random() < 0.5:
            record["published"] = f"2024-03-{generator.randint(1, 28):02}"
        records.append(record)
        if original is not None:
            copy_of[doc_id] = original
        return doc_id

    base = seed * 100
    for number in range(draw(st.integers(2, 5))):  # originals with copies
        text = article(base + number, generator.randint(80, 200))
        original = add(text)
        for copy in range(draw(st.integers(1, 3))):
            planted = text if generator.random() < 0.5 else near_copy(text, base + copy, (30, 60))
            add(planted, original)
    for number in range(draw(st.integers(0, 3))):  # short texts inside several long ones
        short = article(base + 20 + number, generator.randint(50, 80))
        add(short)
        for holder in range(draw(st.integers(1, 3))):
            add(article(base + 40 + 3 * number + holder, 220) + " " + short)
    for number in range(draw(st.integers(0, 2))):  # chains of overlapping windows
        words = article(base + 60 + number, 600).split(" ")
        for start in range(0, 300, 40):
            add(" ".join(words[start : start + 200]))
    for number in range(draw(st.integers(1, 4))):  # unique articles
        add(article(base + 80 + number, generator.randint(60, 200)))
    generator.shuffle(records)
    return records, copy_of


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(corpora())
def test_no_text_is_lost_and_every_planted_copy_is_dropped(
    tmp_path_factory: pytest.TempPathFactory, corpus: tuple[list[dict[str, Any]], dict[str, str]]
) -> None:
    records, copy_of = corpus
    folder = tmp_path_factory.mktemp("corpus")
    path = write_jsonl(folder / "in.jsonl", records)
    out = folder / "out.jsonl"

    done = wiretrace.dedup(path, out, FAST)

    texts = {record["id"]: record["text"] for record in records}
    kept = set(kept_ids(out))
    dropped = {item.id: item for item in done.dropped}
    assert kept | set(dropped) == set(texts) and not kept & set(dropped)
    for item in dropped.values():  # held directly by a kept document
        assert item.kept in kept
        assert held_share(texts[item.id], texts[item.kept]) >= 0.75
    for copy, original in copy_of.items():  # of a copy and its original, one at most is kept
        assert not {copy, original} <= kept, (copy, original)
    assert [row["dropped"] for row in dropped_rows(done.dropped_table)] == sorted(dropped)


@pytest.mark.parametrize("kind", ["jsonl", "csv"])
def test_a_truncated_gzip_input_keeps_the_records_read_before_the_cut(
    tmp_path: Path, kind: str
) -> None:
    # a download cut short: the scan reads the records before the cut and lists the rest of
    # the file as unreadable; dedup writes those records (it stopped with an internal error
    # on JSONL and refused the CSV whole)
    import csv
    import gzip
    import io

    texts = [article(3000 + number) for number in range(400)]
    texts[1] = texts[0]  # one copy, dropped
    if kind == "jsonl":
        raw = "".join(json.dumps({"id": f"d{n}", "text": t}) + "\n" for n, t in enumerate(texts))
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerows([["id", "text"], *([f"d{n}", t] for n, t in enumerate(texts))])
        raw = buffer.getvalue()
    packed = gzip.compress(raw.encode(), mtime=0)
    path = tmp_path / f"in.{kind}.gz"
    path.write_bytes(packed[: len(packed) * 4 // 5])
    out = tmp_path / f"out.{kind}"

    done = wiretrace.dedup(path, out, FAST)

    read = done.scan.summary["counts"]["records"]
    assert 100 < read < 400
    assert [item.id for item in done.dropped] == ["d1"]
    assert done.written == read - 1
    if kind == "jsonl":
        ids = [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()]
    else:
        with out.open(encoding="utf-8", newline="") as stream:
            ids = [row["id"] for row in csv.DictReader(stream)]
    assert ids == [f"d{n}" for n in range(read) if n != 1]


@pytest.mark.parametrize("suffix", ["csv", "parquet", "jsonl"])
def test_converting_keeps_every_field_of_every_record(tmp_path: Path, suffix: str) -> None:
    # converting wrote only the fields wiretrace reads (id, text, title, url, outlet,
    # published) and none of the records the scan skipped: a feed's own fields and a
    # record without an id were lost without a word
    records = [
        {"id": 7, "text": article(801), "category": "world", "tags": ["a", "b"], "score": 0.5},
        {"id": 8, "text": article(801), "category": "copy"},
        {"id": None, "text": article(802), "category": "no id"},
    ]
    source = tmp_path / ("in.csv" if suffix != "csv" else "in.jsonl")
    if source.suffix == ".csv":
        import csv

        with source.open("w", encoding="utf-8", newline="") as stream:
            writer = csv.DictWriter(stream, ["id", "text", "category", "tags", "score"])
            writer.writeheader()
            for record in records:
                writer.writerow({**record, "id": record["id"] or "", "tags": "a b"})
    else:
        write_jsonl(source, records)
    out = tmp_path / f"out.{suffix}"

    done = wiretrace.dedup(source, out, FAST)

    assert [item.id for item in done.dropped] == ["8"]
    if suffix == "parquet":
        written = pq.read_table(out).to_pylist()
    elif suffix == "csv":
        import csv

        with out.open(encoding="utf-8", newline="") as stream:
            written = list(csv.DictReader(stream))
    else:
        written = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [row["category"] for row in written] == ["world", "no id"]
    if suffix == "csv":  # from JSONL: the values as JSON, a string as it is
        assert written[0] == {
            "id": "7",
            "text": records[0]["text"],
            "category": "world",
            "tags": '["a", "b"]',
            "score": "0.5",
        }
        assert written[1]["id"] == ""
    else:  # from CSV: every column, as text
        assert written[0]["tags"] == "a b" and written[0]["id"] == "7"
    assert not done.not_written


def test_converting_to_parquet_keeps_each_column_s_type_apart(tmp_path: Path) -> None:
    # one field of several types turned every column into text, and an integer past 64
    # bits stopped dedup with an internal error (OverflowError)
    records = [
        {"id": "a", "text": article(811), "ok": True, "n": 1, "mix": 1, "big": 1},
        {"id": "b", "text": article(812), "ok": False, "n": 2, "mix": "one", "big": 2**63},
    ]
    source = write_jsonl(tmp_path / "in.jsonl", records)
    out = tmp_path / "out.parquet"

    done = wiretrace.dedup(source, out, FAST)

    table = pq.read_table(out)
    assert done.written == 2
    assert [str(table.schema.field(name).type) for name in ("ok", "n", "mix", "big")] == [
        "bool",
        "int64",
        "string",
        "string",
    ]
    assert table.column("big").to_pylist() == ["1", str(2**63)]


def test_a_folder_holding_a_deduplicated_corpus_scans_without_its_side_files(
    tmp_path: Path,
) -> None:
    # the table of dropped documents has no text field: a later scan of the folder stopped
    # on it ("field 'text' not found")
    folder = tmp_path / "feed"
    folder.mkdir()
    source = write_jsonl(
        tmp_path / "in.jsonl",
        [{"id": "a", "text": article(901)}, {"id": "b", "text": article(901)}],
    )
    wiretrace.dedup(source, folder / "deduped.jsonl", FAST)
    assert sorted(p.name for p in folder.iterdir()) == [
        "deduped.dropped.jsonl",
        "deduped.jsonl",
        "deduped.summary.json",
    ]

    result = wiretrace.scan([folder], FAST)

    assert result.documents.id == ["a"]
    assert {item.source: item.reason for item in result.skipped} == {
        f"{folder / 'deduped.dropped.jsonl'}": "wiretrace_output",
        f"{folder / 'deduped.summary.json'}": "wiretrace_output",
    }
