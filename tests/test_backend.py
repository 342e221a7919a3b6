"""The local backend gives identical results in this process and with worker processes."""

from __future__ import annotations

import json
import random
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from tests.corpus import edit, random_text, truncate
from wiretrace import ScanConfig, backend, scan
from wiretrace.records import Document
from wiretrace.stages import compare


def _corpus(path: Path) -> None:
    generator = random.Random(2)
    originals = [random_text(generator, generator.randint(100, 300)) for _ in range(150)]
    texts = list(originals)
    for original in generator.sample(originals, 60):
        texts.append(generator.choice([edit(generator, original, 0.03), truncate(original, 0.5)]))
    with path.open("w", encoding="utf-8") as stream:
        for number, text in enumerate(texts):
            stream.write(json.dumps({"id": f"d{number:04d}", "text": text}) + "\n")
        stream.write("not json\n")


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The worker count of each process pool the backend starts."""
    found: list[int] = []

    class CountingPool(ProcessPoolExecutor):
        def __init__(self, *arguments: Any, **options: Any) -> None:
            found.append(options["max_workers"])
            super().__init__(*arguments, **options)

    monkeypatch.setattr(backend, "ProcessPoolExecutor", CountingPool)
    return found


def test_worker_processes_give_the_same_result(tmp_path: Path, started: list[int]) -> None:
    corpus = tmp_path / "corpus.jsonl"
    _corpus(corpus)
    alone = scan([corpus], ScanConfig(workers=1, batch_size=16, semantic=False))
    assert started == []
    # more than 2 batches: the pool runs
    pooled = scan([corpus], ScanConfig(workers=2, batch_size=16, semantic=False))
    assert started == [2]
    assert alone.matches == pooled.matches
    assert alone.groups == pooled.groups
    assert alone.documents == pooled.documents
    assert len(alone.matches) >= 50
    assert alone.summary["counts"]["skipped_by_reason"] == {"malformed_line": 1}


def test_pairs_compared_in_workers_give_the_same_matches(
    monkeypatch: pytest.MonkeyPatch, started: list[int], semantic_extra: None
) -> None:
    # the seeds: a copy, a rewrite and a follow-up, so that every relation is decided
    seeds = Path(__file__).resolve().parents[1] / "examples" / "seeds"
    monkeypatch.setattr(compare, "_COMPARE_BATCH", 1)  # one batch a pair: 2 here, 4 there
    alone = scan(seeds, ScanConfig(workers=1))
    assert started == []
    pooled = scan(seeds, ScanConfig(workers=2))
    assert started == [2]  # the pool compared pairs (too few documents to sketch there)
    assert alone.matches == pooled.matches
    relations = {match.relation.value for match in pooled.matches}
    assert {"near_duplicate", "paraphrase"} <= relations


def test_read_tasks_keep_the_input_order_and_give_every_worker_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wiretrace.read.sources import plan_file_tasks

    folder = tmp_path / "texts"
    folder.mkdir()
    for number in range(10):
        (folder / f"{number:02}.txt").write_text("word " * (100 + number), "utf-8")
    (folder / "notes.md").write_text("not an input", "utf-8")
    monkeypatch.chdir(tmp_path)
    planned = plan_file_tasks("texts", tasks=4)
    assert planned is not None
    ignored, groups = planned
    assert [skip.reason for skip in ignored] == ["unsupported_file"]
    assert len(groups) >= 4 and all(groups)
    files = [file for group in groups for file in group]
    assert [file.id for file in files] == [f"{number:02}" for number in range(10)]
    assert all(file.where is not None and file.where.is_absolute() for file in files)
    assert files[0].source == "texts/00.txt"  # names as given, opened by absolute path
    assert plan_file_tasks("texts/00.txt", tasks=4) is None  # one file: read here


@pytest.mark.parametrize("name", ["big.jsonl", "big.parquet"])
def test_a_large_file_is_read_in_pieces_that_give_the_whole(tmp_path: Path, name: str) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from wiretrace.config import FieldNames
    from wiretrace.read.files import classify
    from wiretrace.read.sources import plan_file_tasks, read_file, read_files

    generator = random.Random(4)
    records = [{"id": f"d{n:03d}", "text": random_text(generator, 40)} for n in range(400)]
    records[250]["text"] = ""  # an empty text, numbered as in the whole file
    path = tmp_path / name
    if name.endswith(".parquet"):
        pq.write_table(pa.Table.from_pylist(records), path, row_group_size=30)
    else:
        lines = [json.dumps(record) for record in records]
        lines[123], lines[300] = "{broken", ""  # a malformed line, a blank one
        path.write_text("\n".join(lines) + "\n", "utf-8")
    planned = plan_file_tasks(path, tasks=4)
    assert planned is not None
    files = [file for group in planned[1] for file in group]
    assert len(files) >= 4 and all(file.part is not None for file in files)
    whole = list(read_file(classify(path), FieldNames()))  # type: ignore[arg-type]
    assert list(read_files(files, FieldNames(), 1 << 20)) == whole
    assert len(whole) == (399 if name.endswith(".jsonl") else 400)
    assert plan_file_tasks(path, tasks=1) is None  # one task: read here


@pytest.mark.parametrize(
    "lines, ids",
    [
        # the second record lacks the text: skipped, where a piece that opened with it
        # refused the whole file (no record of its own had the text field)
        (['{"id": "a", "text": "one two three"}', '{"id": "b", "title": "no text"}'], ["a"]),
        # the second lacks its id: skipped, where a piece named it by its place
        (['{"id": "a", "text": "one two three"}', '{"text": "four five six"}'], ["a"]),
        # the first lacks its id: the file names records without one by their places
        (['{"text": "one two three"}', '{"id": "y", "text": "four five six"}'], ["f.jsonl:1", "y"]),
    ],
)
def test_each_piece_of_a_jsonl_file_reads_its_fields_as_the_whole_file(
    tmp_path: Path, lines: list[str], ids: list[str]
) -> None:
    from wiretrace.config import FieldNames
    from wiretrace.read.files import FilePart, classify
    from wiretrace.read.sources import read_file

    path = tmp_path / "f.jsonl"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    file = classify(path)
    assert file is not None
    cut = len(lines[0]) + 1
    pieces = [
        replace(file, part=FilePart(0, cut, 0)),
        replace(file, part=FilePart(cut, path.stat().st_size, 1)),
    ]
    whole = list(read_file(file, FieldNames()))
    assert [item for piece in pieces for item in read_file(piece, FieldNames())] == whole
    assert [item.id for item in whole if isinstance(item, Document)] == ids


def test_a_file_that_cannot_be_cut_is_planned_whole(tmp_path: Path) -> None:
    from wiretrace.read.sources import plan_file_tasks

    (tmp_path / "broken.parquet").write_bytes(b"not parquet at all " * 2_000)  # no footer
    (tmp_path / "long.jsonl").write_text(json.dumps({"id": "a", "text": "x " * 20_000}) + "\n")
    (tmp_path / "b.jsonl.gz").write_bytes(b"\x1f\x8b" + b"0" * 30_000)  # gzip: never cut
    planned = plan_file_tasks(tmp_path, tasks=8)
    assert planned is not None
    files = [file for group in planned[1] for file in group]
    assert [(file.path.name, file.part) for file in files] == [
        ("b.jsonl.gz", None),
        ("broken.parquet", None),  # its task reads it whole and says why it cannot
        ("long.jsonl", None),  # one line: nowhere to cut
    ]
