"""The index: the batch scan's answers through incremental adds, stable story ids, takedowns,
one writer at a time, refusal of other formats, and an index that survives a killed writer."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.corpus import edit, random_text
from wiretrace import InputError, Relation, ScanConfig, ScanResult, scan
from wiretrace.cli import main
from wiretrace.errors import ConfigError
from wiretrace.index import DATABASE, Index, UpdatePolicy
from wiretrace.write.findings import findings

# the copy half: rewrites are found by vectors centred on the corpus's mean, which moves as
# documents arrive (see the README's update policy)
_COPY_SCAN = ScanConfig(workers=1, semantic=False)
COPIES = {Relation.EXACT, Relation.NEAR_DUPLICATE, Relation.CONTAINED, Relation.PARTIAL}


def _relations(result: ScanResult, kinds: set[Relation] | None = None) -> set[tuple[Any, ...]]:
    return {
        (m.a, m.b, m.relation.value, m.passages, m.source)
        for m in result.matches
        if kinds is None or m.relation in kinds
    }


def _stories(result: ScanResult) -> set[frozenset[str]]:
    return {frozenset(story.members) for story in result.stories}


def _write(records: list[dict[str, Any]], path: Path) -> Path:
    path.write_text("".join(json.dumps(record) + "\n" for record in records), "utf-8")
    return path


def _corpus(seed: int = 3) -> list[dict[str, Any]]:
    """Originals, near copies, lifted passages, and a site's notice line in many documents
    (so that it becomes a recurring line only once enough of them are indexed)."""
    generator = random.Random(seed)
    notice = "The Valley Courier is printed by Riverside Media Group in Millbrook County."
    records: list[dict[str, Any]] = []
    originals = [random_text(generator, 220) for _ in range(8)]
    for number, text in enumerate(originals):
        records.append({"id": f"orig{number}", "text": text})
        records.append({"id": f"copy{number}", "text": edit(generator, text, 0.05)})
    for number in range(12):
        lifted = " ".join(originals[number % 8].split()[40:90])
        body = random_text(generator, 150)
        records.append({"id": f"site{number}", "text": f"{body}\n{notice}\n{lifted}"})
    return records


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[dict[str, Any]], ScanResult]:
    records = _corpus()
    folder = tmp_path_factory.mktemp("corpus")
    return records, scan([_write(records, folder / "all.jsonl")], _COPY_SCAN)


def _indexed(order: list[dict[str, Any]], folder: Path, batches: int) -> ScanResult:
    size = -(-len(order) // batches)
    with Index.create(folder / "index", _COPY_SCAN) as index:
        for number, start in enumerate(range(0, len(order), size)):
            index.add([_write(order[start : start + size], folder / f"part{number}.jsonl")])
        return index.result()


def test_seeds_through_the_index_are_the_scan(seeds: Path, tmp_path: Path) -> None:
    batch = scan([seeds], ScanConfig(workers=1))
    with Index.create(tmp_path / "index", ScanConfig(workers=1)) as index:
        # the folder as docs/feed.md describes it, before anything is added
        assert sorted(p.name for p in (tmp_path / "index").iterdir())[-1] == "write.lock"
        added = index.add([seeds])
        whole = index.result()
    assert added.added == 4 and added.skipped == 0
    assert _relations(whole) == _relations(batch)
    assert _relations(added.result) == _relations(batch)  # every match involves a new one
    assert _stories(whole) == _stories(batch)


def test_an_answer_names_indexed_copies_by_their_group(seeds: Path, tmp_path: Path) -> None:
    """A new article that relates to a wire story and its indexed copies is said once, of the
    wire ("also with N copies"), as a scan says it; a truncated copy whose id sorts first is
    not named on its own (a new user's service named one the rewrite's likely source)."""
    wire, copy, rewrite, _ = (
        {"id": path.stem[:3], "text": path.read_text("utf-8"), "published": f"2021-08-1{n}"}
        for n, path in enumerate(sorted(seeds.glob("*.txt")))
    )
    paragraphs = wire["text"].split("\n\n")
    cut = {**copy, "id": "0-cut", "text": "\n\n".join(paragraphs[: len(paragraphs) * 2 // 3])}
    with Index.create(tmp_path / "index", ScanConfig(workers=1)) as index:
        index.add([_write([wire, copy, cut], tmp_path / "wire.jsonl")])
        asked = index.with_representatives(index.query([_write([rewrite], tmp_path / "r.jsonl")]))
    assert {m.b if m.a == "002" else m.a for m in asked.result.matches} == {"000", "001", "0-cut"}
    assert asked.representatives["0-cut"] == asked.representatives["001"] == "000"
    lines = findings(asked.result, representatives=asked.representatives)
    assert any("of 000 (" in line and "also with" in line for line in lines), lines
    assert not any("0-cut" in line for line in lines), lines


def test_a_query_lists_no_story_pair_by_a_count_alone_across_places() -> None:
    """Two earthquakes of magnitude 6.8, in Chile and in Japan: a query listed them as one
    story, an add (the stories' rule) did not."""
    from types import SimpleNamespace

    import numpy as np

    from wiretrace.index.query import _eventful
    from wiretrace.sketch.event import EventArguments

    def document(places: tuple[str, ...]) -> Any:
        event = EventArguments((), places, None, (("magnitude", 68),))
        topics = SimpleNamespace(entities=np.empty(0, dtype=np.uint64), event=event)
        return SimpleNamespace(
            sketch=SimpleNamespace(topics=topics), published=None, language="en", dateline=None
        )

    assert not _eventful(document(("valparaiso",)), document(("miyagi",)))
    assert _eventful(document(("valparaiso",)), document(("valparaiso", "santiago")))
    assert _eventful(document(("valparaiso",)), document(()))  # the count, no place against it


@pytest.mark.parametrize("seed", [1, 2])
def test_seeds_one_at_a_time_in_any_order(seeds: Path, tmp_path: Path, seed: int) -> None:
    batch = scan([seeds], ScanConfig(workers=1))
    paths = sorted(seeds.glob("*.txt"))
    random.Random(seed).shuffle(paths)
    with Index.create(tmp_path / "index", ScanConfig(workers=1)) as index:
        for path in paths:
            index.add([path])
        whole = index.result()
    assert _relations(whole) == _relations(batch)
    assert _stories(whole) == _stories(batch)


def test_batches_in_a_random_order_give_the_scans_copies(
    corpus: tuple[list[dict[str, Any]], ScanResult], tmp_path: Path
) -> None:
    """Copies and passages as a scan of the records in the order they were added finds them
    (the scan too names a group of copies by its first member read)."""
    records, batch = corpus
    assert any(m.relation == Relation.PARTIAL for m in batch.matches)  # the corpus is a test
    assert sum(1 for row in batch.documents.boilerplate if row) >= 12  # the notice recurs
    for batches, seed in ((1, 0), (4, 5), (7, 6)):
        order = list(records)
        random.Random(seed).shuffle(order)
        folder = tmp_path / f"{batches}-{seed}"
        folder.mkdir()
        wanted = scan([_write(order, folder / "all.jsonl")], _COPY_SCAN)
        found = _indexed(order, folder, batches)
        assert _relations(found, COPIES) == _relations(wanted, COPIES), (batches, seed)
        assert found.documents.boilerplate == wanted.documents.boilerplate


def test_recurring_line_found_late_cleans_indexed_documents_again(
    corpus: tuple[list[dict[str, Any]], ScanResult], tmp_path: Path
) -> None:
    records, _ = corpus
    sites = [record for record in records if record["id"].startswith("site")]
    with Index.create(tmp_path / "index", _COPY_SCAN) as index:
        first = index.add([_write(sites[:6], tmp_path / "a.jsonl")])
        assert first.resketched == 0
        second = index.add([_write(sites[6:], tmp_path / "b.jsonl")])
        assert second.resketched == 6  # the first six hold the line that now recurs
        rows = index.result().documents
    kinds = [{span.kind for span in spans} for spans in rows.boilerplate]
    assert all("recurring" in found for found in kinds)


def test_a_syndicated_lead_stays_text_in_the_index_as_in_the_scan(
    corpus: tuple[list[dict[str, Any]], ScanResult], tmp_path: Path
) -> None:
    """Ten outlets' copies of one wire story, each under its own header line: the lead's
    neighbours vary above, but it runs on into the shared story, in the index as in a scan."""
    records, _ = corpus
    sites = [record for record in records if record["id"].startswith("site")]
    story = "\n".join(random_text(random.Random(number), 40) for number in range(6))
    copies = [
        {"id": f"outlet{number}", "text": f"Outlet {number} news desk\n{story}"}
        for number in range(10)
    ]
    order = [*sites, *copies]
    random.Random(4).shuffle(order)
    wanted = scan([_write(order, tmp_path / "all.jsonl")], _COPY_SCAN)
    found = _indexed(order, tmp_path, 3)
    assert found.documents.boilerplate == wanted.documents.boilerplate
    marked = dict(zip(found.documents.id, found.documents.boilerplate, strict=True))
    assert all(not marked[copy["id"]] for copy in copies)
    assert all(any(span.kind == "recurring" for span in marked[site["id"]]) for site in sites)


def test_a_takedown_forgets_the_records_skipped_under_its_id(seeds: Path, tmp_path: Path) -> None:
    # a file sent twice: its second records were skipped as repeated ids, and a takedown
    # left the document's title, outlet and date in the skipped table and in the export
    with Index.create(tmp_path / "index", ScanConfig(workers=1)) as index:
        index.add([seeds])
        again = index.add([seeds])
        assert again.skipped == 4
        index.add([seeds])  # a third time: the same skipped rows, which say nothing new
        assert len(index.result().skipped) == 4
        gone = sorted(seeds.glob("*.txt"))[0].stem
        index.remove([gone])
        whole = index.result()
    assert gone not in whole.documents.id
    assert all(item.id != gone for item in whole.skipped)
    assert sum(1 for item in whole.skipped) == 3


def test_a_renamed_record_s_file_added_again_by_another_path_adds_nothing(
    corpus: tuple[list[dict[str, Any]], ScanResult], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # an id an earlier file gave is made unique by its file ("orig0@resend.jsonl"); the
    # same file added again by its absolute path made "orig0@/tmp/.../resend.jsonl" anew
    records, _ = corpus
    monkeypatch.chdir(tmp_path)
    _write(records[:4], tmp_path / "feed.jsonl")
    _write([{**records[0], "text": records[1]["text"]}], tmp_path / "resend.jsonl")
    with Index.create(tmp_path / "index", _COPY_SCAN) as index:
        index.add([Path("feed.jsonl")])
        assert index.add([Path("resend.jsonl")]).added == 1
        again = index.add([(tmp_path / "resend.jsonl").resolve()])
        assert (again.added, again.skipped) == (0, 1)
        assert index.stats()["documents"] == 5


def test_a_feeds_item_sent_again_in_the_next_file_is_not_added_again(
    corpus: tuple[list[dict[str, Any]], ScanResult], tmp_path: Path
) -> None:
    # a poller's hourly files repeat items: the 07:00 file's copy of a 06:00 item was added
    # as "id@hour-07.jsonl", an exact copy of itself, where POST /documents skipped it as
    # already indexed; an id of another file with another text is still another record
    records, _ = corpus
    _write(records[:3], tmp_path / "hour-06.jsonl")
    _write([records[2], {**records[0], "text": records[3]["text"]}], tmp_path / "hour-07.jsonl")
    with Index.create(tmp_path / "index", _COPY_SCAN) as index:
        index.add([tmp_path / "hour-06.jsonl"])
        later = index.add([tmp_path / "hour-07.jsonl"])
        assert (later.added, later.skipped) == (1, 1)
        (skip,) = later.result.skipped
        assert skip.reason == "duplicate_id" and "already indexed with this text" in skip.detail
        assert index.stats()["documents"] == 4


def test_story_ids_stay_as_documents_arrive(seeds: Path, tmp_path: Path) -> None:
    paths = sorted(seeds.glob("*.txt"))
    with Index.create(tmp_path / "index", ScanConfig(workers=1)) as index:
        first = index.add(paths[:2]).result
        (story,) = first.stories
        later = index.add(paths[2:]).result
        (grown,) = later.stories
        assert grown.story == story.story
        assert set(grown.members) == {path.stem for path in paths}
        assert index.result().story_of()[paths[0].stem] == story.story


def test_a_takedown_removes_the_document_and_its_matches(seeds: Path, tmp_path: Path) -> None:
    with Index.create(tmp_path / "index", ScanConfig(workers=1)) as index:
        index.add([seeds])
        gone = sorted(seeds.glob("*.txt"))[0].stem
        index.remove([gone])
        whole = index.result()
        assert gone not in whole.documents.id
        assert all(gone not in (m.a, m.b) for m in whole.matches)
        assert all(gone not in story.members for story in whole.stories)
        assert index.stats()["documents"] == 3
        assert index.stats()["matches"] == len(whole.matches)  # as exported
        with pytest.raises(InputError, match="nothing was removed"):
            index.remove([gone, "001_2db72752c1eb80f1"])
        assert index.stats()["documents"] == 3
    with sqlite3.connect(tmp_path / "index" / DATABASE) as database:
        kept = {row[0] for row in database.execute("SELECT number FROM documents")}
        for table in ("documents", "sketches", "bands", "lines", "stories"):
            numbers = database.execute(f"SELECT COUNT(DISTINCT number) FROM {table}").fetchone()
            assert numbers[0] <= 3, table
        for table in ("compared", "found", "lsh_pairs"):
            ends = database.execute(f"SELECT a, b FROM {table}").fetchall()
            assert {number for pair in ends for number in pair} <= kept, table


def test_a_takedown_s_text_leaves_every_file_of_the_index_at_once(tmp_path: Path) -> None:
    # with the index open (a running service), a removed text was still readable in the
    # write-ahead log, until the last connection closed
    marker = "Quillfeather Dockside Tannery"
    records = tmp_path / "in.jsonl"
    texts = [
        f"A fire destroyed the {marker} on the river bank overnight, firefighters said.",
        "The council approved a new cycle lane along the ring road on Tuesday evening.",
    ]
    records.write_text(
        "".join(
            json.dumps({"id": f"d{n}", "text": t, "title": t[:40]}) + "\n"
            for n, t in enumerate(texts)
        ),
        "utf-8",
    )
    folder = tmp_path / "index"
    with Index.create(folder, ScanConfig(workers=1)) as index:
        index.add([records])
        with Index.open(folder, workers=1) as reader:  # a reader's connection, idle
            assert reader.stats()["documents"] == 2
            index.remove(["d0"])
            held = [path.name for path in folder.iterdir() if marker.encode() in path.read_bytes()]
            assert held == []
            assert reader.stats()["documents"] == 1


def test_a_file_added_again_under_another_spelling_adds_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # added by its absolute path, then from its folder by its name: every record came in
    # again, each id made unique by "its other file" (w1@batch1.jsonl)
    records = _corpus()[:4]
    folder = tmp_path / "feed"
    folder.mkdir()
    path = _write(records, folder / "batch1.jsonl")
    with Index.create(tmp_path / "index", _COPY_SCAN) as index:
        index.add([path.resolve()])
        monkeypatch.chdir(folder)
        again = index.add([Path("batch1.jsonl")])
        assert index.stats()["documents"] == 4
        # spelled as before: the detail named the record itself as where the id was read
        same = index.add([path.resolve()])
    assert {item.reason for item in again.result.skipped} == {"duplicate_id"}
    assert {item.detail for item in same.result.skipped} == {
        f"id {record['id']!r} was added before from this same record" for record in records
    }


def test_a_query_s_story_takes_the_new_document_s_date(tmp_path: Path) -> None:
    # its story's dates were the indexed ones: a later copy left last_published behind
    original = {**_corpus()[0], "published": "2024-11-20"}
    copy = {**_corpus()[1], "id": "later", "published": "2024-11-21"}
    with Index.create(tmp_path / "index", _COPY_SCAN) as index:
        index.add([_write([original], tmp_path / "first.jsonl")])
        asked = index.query([_write([copy], tmp_path / "asked.jsonl")])
    (story,) = asked.result.stories
    assert "later" in story.members
    assert (story.first_published, story.last_published) == ("2024-11-20", "2024-11-21")


def test_a_second_writer_is_refused(seeds: Path, tmp_path: Path) -> None:
    with Index.create(tmp_path / "index", ScanConfig(workers=1)) as index:
        with (
            index._writing(),
            Index.open(tmp_path / "index") as other,
            pytest.raises(InputError, match=r"another wiretrace process \(pid \d+\) is writing"),
        ):
            other.add([seeds])
        assert index.add([seeds]).added == 4  # the lock is gone with its holder


def test_other_formats_versions_and_folders_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "index"
    Index.create(path, ScanConfig(workers=1)).close()
    with pytest.raises(InputError, match="not an empty folder"):
        Index.create(path)
    with pytest.raises(InputError, match="no index here; make one with"):
        Index.open(tmp_path / "elsewhere")
    # a file, or a folder of something else: the fix is not to create an index there
    (tmp_path / "notes.txt").write_text("not an index", "utf-8")
    for other in (tmp_path / "notes.txt", tmp_path):
        with pytest.raises(InputError, match=r"no index here .*in a new folder"):
            Index.open(other)
    with pytest.raises(ConfigError, match="--semantic exact"):
        Index.create(tmp_path / "exact", ScanConfig(semantic_model="exact"))
    for key, value in (("format", "999"), ("wiretrace", "0.0.1")):
        with sqlite3.connect(path / DATABASE) as database:
            database.execute("UPDATE meta SET value = ? WHERE key = ?", (value, key))
        with pytest.raises(InputError, match="create a new index"):
            Index.open(path)
        path = tmp_path / f"index-{key}"
        Index.create(path, ScanConfig(workers=1)).close()
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / DATABASE).write_text("not a database")
    with pytest.raises(InputError, match="not a wiretrace index"):
        Index.open(tmp_path / "junk")


def test_settings_are_recorded_at_creation(seeds: Path, tmp_path: Path) -> None:
    Index.create(tmp_path / "index", ScanConfig(workers=1, shingle_size=4, stories=False)).close()
    with Index.open(tmp_path / "index", workers=1) as index:
        assert index.config.shingle_size == 4 and not index.config.stories
        found = index.add([seeds]).result
    assert found.stories == ()


def test_an_add_s_summary_counts_what_it_found(seeds: Path, tmp_path: Path) -> None:
    """An add's result (what ``--out`` writes) holds its new documents; its summary counts
    those, not the whole index (a new user's summary said 9 documents beside 6 rows)."""
    paths = sorted(seeds.glob("*.txt"))
    with Index.create(tmp_path / "index", ScanConfig(workers=1)) as index:
        index.add(paths[:2])
        found = index.add(paths[2:]).result
    counts = found.summary["counts"]
    assert counts["documents"] == len(found.documents.id) == 2
    assert counts["matches"] == len(found.matches) > 0
    assert counts["stories"] == len(found.stories)
    assert found.summary["inputs"] == [str(path) for path in paths[2:]]


def test_the_commands(seeds: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    path = str(tmp_path / "index")
    assert runner.invoke(main, ["index", "create", path, "--workers", "1", "-q"]).exit_code == 0
    added = runner.invoke(
        main,
        ["index", "add", path, str(seeds), "--out", str(tmp_path / "new"), "--format", "jsonl"],
    )
    assert added.exit_code == 0, added.output
    assert "added 4 documents" in added.output
    matches = (tmp_path / "new" / "matches.jsonl").read_text("utf-8").splitlines()
    assert len(matches) == len(scan([seeds]).matches)
    again = runner.invoke(main, ["index", "query", path, str(seeds)])
    assert again.exit_code == 0 and "would add 0 documents, 4 skipped" in again.output
    stats = runner.invoke(main, ["index", "stats", path])
    assert json.loads(stats.output)["documents"] == 4
    exported = runner.invoke(main, ["index", "export", path, "--out", str(tmp_path / "all")])
    assert exported.exit_code == 0, exported.output
    report = runner.invoke(main, ["report", str(tmp_path / "all"), "-q"])
    assert report.exit_code == 0, report.output
    story = json.loads((tmp_path / "new" / "stories.jsonl").read_text("utf-8").splitlines()[0])
    page = tmp_path / "story.html"
    written = runner.invoke(
        main, ["index", "report", path, "--story", str(story["story"]), "--out", str(page)]
    )
    assert written.exit_code == 0, written.output
    assert page.read_text("utf-8").startswith("<!doctype html>")
    none = runner.invoke(main, ["index", "report", path, "--story", "999", "--out", str(page)])
    assert none.exit_code == 2 and "no story 999" in none.output
    removed = runner.invoke(main, ["index", "remove", path, "nothing-like-this"])
    assert removed.exit_code == 2 and "no document 'nothing-like-this'" in removed.output
    missing = runner.invoke(main, ["index", "add", str(tmp_path / "none"), str(seeds)])
    assert missing.exit_code == 2 and "no index here" in missing.output


def test_a_file_of_other_fields_is_told_where_its_fields_are_named(tmp_path: Path) -> None:
    """``index add`` has no field options (an index reads the fields named when it was
    created): the scan's advice to pass ``--text-field`` would send a new user to an option
    that is not there."""
    runner = CliRunner()
    path = str(tmp_path / "index")
    assert runner.invoke(main, ["index", "create", path, "--workers", "1", "-q"]).exit_code == 0
    records = tmp_path / "articles.jsonl"
    records.write_text(json.dumps({"id": "a", "body": "A council voted."}) + "\n", "utf-8")
    for command in ("add", "query"):
        refused = runner.invoke(main, ["index", command, path, str(records)])
        assert refused.exit_code == 2
        message = " ".join(refused.output.split())
        assert "field 'text' or 'html' not found; fields present: id, body" in message
        assert "`wiretrace index create NEW_INDEX --text-field body`" in message


_WRITER = """
import sys
from pathlib import Path
from wiretrace.index import Index
index = Index.open(sys.argv[1], workers=1)
for path in sys.argv[2:]:
    index.add([path])
    print(Path(path).stem, flush=True)
"""


def test_a_killed_writer_leaves_every_acknowledged_add(tmp_path: Path) -> None:
    """SIGKILL at random moments, 50 times: the index opens, holds every add that returned
    and nothing half-added, and answers a query."""
    generator = random.Random(11)
    files = []
    for number in range(400):
        text = random_text(generator, 120)
        files.append(_write([{"id": f"d{number}", "text": text}], tmp_path / f"d{number}.jsonl"))
    path = tmp_path / "index"
    Index.create(path, ScanConfig(workers=1, stories=False, semantic=False)).close()
    acknowledged: set[str] = set()
    position = 0
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    for _ in range(50):
        batch = [str(file) for file in files[position : position + 8]]
        position += 8
        writer = subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(path), *batch],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        time.sleep(generator.uniform(0.5, 3.0))
        writer.send_signal(signal.SIGKILL)
        out, _ = writer.communicate()
        acknowledged.update(out.split())
        with Index.open(path, workers=1) as index:
            held = set(index.store.numbers_of([f"d{n}" for n in range(position)]))
            assert acknowledged <= held
            assert index.store.count() == len(index.store.numbers())
            with sqlite3.connect(path / DATABASE) as database:
                (sketches,) = database.execute("SELECT COUNT(*) FROM sketches").fetchone()
                (bands,) = database.execute("SELECT COUNT(DISTINCT number) FROM bands").fetchone()
            assert sketches == bands == len(held)  # no document half-added
    fresh = _write([{"id": "fresh", "text": random_text(generator, 120)}], tmp_path / "f.jsonl")
    with Index.open(path, workers=1) as index:
        assert index.query([fresh]).added == 1
        indexed = bool(index.store.numbers_of(["d0"]))
        assert index.query([files[0]]).skipped == indexed  # an id indexed is a duplicate


@pytest.mark.parametrize("asked", [0, 1, 2, 3])
def test_a_query_answers_what_the_add_finds(seeds: Path, tmp_path: Path, asked: int) -> None:
    """Each seed asked of an index of the other three: the query's matches (with their
    sources) and story are the add's."""
    paths = sorted(seeds.glob("*.txt"))
    question = paths.pop(asked)
    with Index.create(tmp_path / "index", ScanConfig(workers=1)) as index:
        index.add(paths)
        answered = index.query([question])
        assert index.stats()["documents"] == 3  # nothing added
        added = index.add([question])
    assert answered.added == added.added == 1
    assert _relations(answered.result) == _relations(added.result)
    assert answered.result.story_of()[question.stem] == added.result.story_of()[question.stem]
    # and its who, where, when and how many (a query's documents table had no event)
    assert answered.result.documents.event == added.result.documents.event != {}


def test_a_query_of_an_empty_index_answers_what_the_first_add_finds(
    seeds: Path, tmp_path: Path
) -> None:
    # the new documents are each other's only neighbours: no indexed vector to centre
    paths = sorted(seeds.glob("*.txt"))
    with Index.create(tmp_path / "index", ScanConfig(workers=1)) as index:
        answered = index.query(paths)
        added = index.add(paths)
    assert answered.added == added.added == 4
    assert _relations(answered.result) == _relations(added.result)


def test_a_query_lists_no_same_story_pair_an_add_would_not(tmp_path: Path) -> None:
    """A fire in another city of the state, the same day: alike by their words, with no name,
    place or count in common. The add lists no pair and gives it a story of its own; the
    query, which has no story clustering of its own, must not say otherwise."""
    from tests.test_story_events import FIRES

    records = [
        {"id": key, "published": published, "title": title, "text": text}
        for key, (published, title, text) in FIRES.items()
    ]
    indexed = _write(records[:2], tmp_path / "ridge.jsonl")
    question = _write(records[2:], tmp_path / "creek.jsonl")
    with Index.create(tmp_path / "index", ScanConfig(workers=1)) as index:
        index.add([indexed])
        answered = index.query([question])
        added = index.add([question])
        story = index.result().story_of()
    assert _relations(answered.result) == _relations(added.result)
    assert not [m for m in answered.result.matches if "creek-1" in (m.a, m.b)]
    assert story["creek-1"] != story["ridge-1"] == story["ridge-2"]


def test_a_query_lists_same_story_pairs_with_the_story_it_joins_only() -> None:
    """A report of a storm in Maine joins the story of another report of it; its same-story
    pair with a tornado in Mississippi (one name in common) is not listed: an add lists such
    a pair only where one story holds both. Pairs of two new documents, pairs that are no
    same-story pairs, and partners in no story yet stay."""
    from wiretrace.index.query import _in_its_story
    from wiretrace.records import Match

    def match(a: str, b: str, relation: Relation) -> Match:
        return Match(a, b, relation, 0.0, 0.0, 0.0, (), 0.5)

    matches = [
        match("bangor", "maine", Relation.SAME_STORY),
        match("bangor", "tupelo", Relation.SAME_STORY),
        match("bangor", "fresh", Relation.SAME_STORY),
        match("bangor", "wire", Relation.PARTIAL),
        match("bangor", "unlabelled", Relation.SAME_STORY),
    ]
    labels = {"maine": 5, "tupelo": 1, "wire": 2, "unlabelled": None}
    kept = _in_its_story(matches, {"bangor": 5, "fresh": None}, labels)
    assert [(m.b, m.relation) for m in kept] == [
        ("maine", Relation.SAME_STORY),
        ("fresh", Relation.SAME_STORY),
        ("wire", Relation.PARTIAL),
        ("unlabelled", Relation.SAME_STORY),
    ]


def _nearest_by_centring_everything(
    vectors: Any, asked: Any, config: ScanConfig, numbers: Any
) -> set[tuple[int, int]]:
    """The neighbours a query had before its cosines were worked out without centring the
    whole index: every vector centred, the nearest of each new one by a full product."""
    import numpy as np

    from wiretrace.semantic.static import background_mean, check_static_model
    from wiretrace.semantic.store import centred

    every = np.concatenate([vectors, asked])
    if config.semantic_thresholds().centred:
        every = centred(every, background_mean(str(check_static_model())))
    found = set()
    for place in range(len(asked)):
        row = len(vectors) + place
        similarities = every[row].astype(np.float64) @ every.astype(np.float64).T
        similarities[row] = -np.inf
        order = np.lexsort((np.arange(len(every)), -similarities))
        for other in order[: min(config.semantic_neighbours, len(every) - 1)].tolist():
            if similarities[other] >= config.semantic_thresholds().candidate:
                pair = sorted((int(numbers[row]), int(numbers[other])))
                found.add((pair[0], pair[1]))
    return found


@pytest.mark.parametrize("seed", range(16))
def test_a_querys_neighbours_are_those_of_centring_every_vector(seed: int) -> None:
    # the query works its cosines out from float32 products with the vectors as they are
    # and centres again only those the rounding leaves in reach of the nearest: the same
    # neighbours, ties included, also where every vector shares a large common part (as an
    # embedding model's do: centring then cancels most of each product)
    from types import SimpleNamespace

    import numpy as np

    from wiretrace.index.query import WarmState, _neighbours

    rng = np.random.default_rng(seed)
    count, dimensions = int(rng.integers(3, 400)), 256
    base = rng.standard_normal((8, dimensions)).astype(np.float32)
    vectors = base[rng.integers(0, 8, count)] + 0.3 * rng.standard_normal(
        (count, dimensions)
    ).astype(np.float32)
    if seed % 2:
        vectors += 4.0 * rng.standard_normal(dimensions).astype(np.float32)
    vectors[rng.random(count) < 0.1] = 0.0  # documents without sentences
    vectors[1] = vectors[0]  # an exact copy: a tie
    asked = vectors[rng.integers(0, count, 2)] + 0.05 * rng.standard_normal((2, dimensions)).astype(
        np.float32
    )
    numbers = np.arange(count + 2, dtype=np.int64) * 3 + 1
    warm = WarmState.of("g", numbers[:count], vectors, np.arange(count))
    new = [
        SimpleNamespace(
            number=int(numbers[count + i]), sketch=SimpleNamespace(vector=asked[i], sentences=None)
        )
        for i in range(2)
    ]
    config = ScanConfig()
    _, pairs = _neighbours(warm, config, new)  # type: ignore[arg-type]

    expected = _nearest_by_centring_everything(vectors, asked, config, numbers)
    assert {(int(a), int(b)) for a, b in pairs.tolist()} == expected


# every add after the first provisional (an index of any size; the documents added since the
# last whole pass never pass a hundred times what it held)
_PROVISIONAL = UpdatePolicy(whole_below=0, growth=100.0)


def test_the_update_policy() -> None:
    policy = UpdatePolicy(whole_below=1_000, growth=0.25)
    assert policy.whole(1_000, 1_000, 900)  # a small index: every add
    assert policy.whole(5_000, 5_000, 0)  # the first add
    assert not policy.whole(1_400, 200, 1_200)
    assert not policy.whole(1_500, 300, 1_200)  # a quarter of 1,200: not yet past it
    assert policy.whole(1_501, 301, 1_200)
    with pytest.raises(ConfigError, match="growth"):
        UpdatePolicy(growth=0)
    with pytest.raises(ConfigError, match="whole_below"):
        UpdatePolicy(whole_below=-1)


def test_provisional_adds_then_a_whole_pass_are_the_scan(
    corpus: tuple[list[dict[str, Any]], ScanResult], tmp_path: Path
) -> None:
    """Adds that work out only what their documents change, then one that works the whole
    index out (an export): what a scan of everything finds."""
    records, batch = corpus
    size = 8
    with Index.create(tmp_path / "index", _COPY_SCAN, _PROVISIONAL) as index:
        first = index.add([_write(records[:size], tmp_path / "0.jsonl")])
        assert first.whole_pass  # the first add works the whole index out
        since = 0
        for number, start in enumerate(range(size, len(records), size), start=1):
            added = index.add([_write(records[start : start + size], tmp_path / f"{number}.jsonl")])
            # the add that makes the notice a recurring line leaves the indexed documents
            # holding it to the whole pass
            assert not added.whole_pass and added.resketched == 0
            since += added.added
            assert index.stats()["provisional"]["added_since"] == since
            new = {record["id"] for record in records[start : start + size]}
            # every copy relation of a new document with one indexed before or beside it
            wanted = {
                m for m in _relations(batch, COPIES - {Relation.PARTIAL}) if {m[0], m[1]} & new
            }
            assert _relations(added.result, COPIES - {Relation.PARTIAL}) == wanted, number
        whole = index.result()
        assert index.stats()["provisional"] == {
            "at_last_whole_pass": len(records),
            "added_since": 0,
        }
    assert first.added == size
    assert _relations(whole, COPIES) == _relations(batch, COPIES)
    assert _stories(whole) == _stories(batch)
    assert sum(1 for row in batch.documents.boilerplate if row) >= 12  # the notice recurs
    assert whole.documents.boilerplate == batch.documents.boilerplate


def test_a_passage_many_copies_hold_is_read_whole_and_a_common_one_proposes_nothing(
    tmp_path: Path,
) -> None:
    """A query or a provisional add reads only each fingerprint's first holders, enough to see
    that more groups than ``passage_max_groups`` hold it (then it proposes nothing, however
    many more do); a passage held by many copies of one article is in doubt and read whole.
    Either way the new documents' passages are the scan's."""
    generator = random.Random(5)
    common, shared = random_text(generator, 60), random_text(generator, 60)
    article = f"{random_text(generator, 200)} {shared}"
    indexed = [{"id": f"copy{n}", "text": article} for n in range(9)]  # one group
    indexed += [
        {"id": f"host{n}", "text": f"{random_text(generator, 150)} {common}"} for n in range(10)
    ]
    indexed.append({"id": "other", "text": f"{random_text(generator, 150)} {shared}"})
    new = [
        {"id": "new-common", "text": f"{random_text(generator, 150)} {common}"},
        {"id": "new-shared", "text": f"{shared} {random_text(generator, 150)}"},
    ]
    config = ScanConfig(workers=1, semantic=False, passage_max_groups=3)
    batch = scan([_write(indexed + new, tmp_path / "all.jsonl")], config)
    wanted = {m for m in _relations(batch, COPIES) if {m[0], m[1]} & {"new-common", "new-shared"}}
    pairs = {(m[0], m[1]) for m in wanted}
    assert {("copy0", "new-shared"), ("new-shared", "other")} <= pairs
    # only LSH proposes hosts of the common passage (their bands happen to meet)
    assert len({pair for pair in pairs if "new-common" in pair}) < 10
    with Index.create(tmp_path / "index", config, _PROVISIONAL) as index:
        index.add([_write(indexed, tmp_path / "indexed.jsonl")])
        asked = _write(new, tmp_path / "new.jsonl")
        answered = index.query([asked])
        added = index.add([asked])
    assert not added.whole_pass
    assert _relations(answered.result, COPIES) == _relations(added.result, COPIES) == wanted


def test_a_provisional_copy_joins_its_originals_story_and_group(
    seeds: Path, tmp_path: Path
) -> None:
    paths = {path.stem[:3]: path for path in seeds.glob("*.txt")}
    with Index.create(tmp_path / "index", ScanConfig(workers=1), _PROVISIONAL) as index:
        index.add([paths["000"], paths["003"]])  # the wire story and the follow-up: whole
        story = index.document(paths["000"].stem)["story"]  # type: ignore[index]
        copy = index.add([paths["001"]]).result  # the republished copy: provisional
        assert copy.story_of()[paths["001"].stem] == story
        (group,) = copy.groups
        assert set(group.members) == {paths["000"].stem, paths["001"].stem}
        assert group.representative == paths["000"].stem  # published first
        assert index.document(paths["001"].stem)["duplicate_group"] == group.group  # type: ignore[index]
        (record,) = copy.stories
        assert record.story == story and paths["001"].stem in record.members
        whole = index.result().story_of()
    assert whole[paths["001"].stem] == whole[paths["000"].stem] == story


def test_a_provisional_add_ties_no_story_by_alike_wording(tmp_path: Path) -> None:
    """Before the next whole pass only a copy, a rewrite or a translation ties a new document
    to a story: two reports of storms a week apart in other places stay apart."""
    storm = (
        "PENZANCE - Storm Dorian brought gusts of 94 mph to the Cornish coast overnight, "
        "leaving about 40,000 homes without power and closing the A30 near Hayle after trees "
        "fell across the road. The Met Office kept an amber wind warning in place until 6pm."
    )
    other = (
        "INVERNESS - Storm Fenella brought gusts of 80 mph and heavy snow to the Scottish "
        "Highlands on Saturday, closing the A9 and cutting power to 12,000 homes. The Met "
        "Office issued an amber warning for snow until Sunday morning."
    )
    with Index.create(tmp_path / "index", ScanConfig(workers=1), _PROVISIONAL) as index:
        index.add([_write([{"id": "dorian", "text": storm}], tmp_path / "a.jsonl")])
        later = index.add([_write([{"id": "fenella", "text": other}], tmp_path / "b.jsonl")])
        assert later.result.story_of()["fenella"] != index.document("dorian")["story"]  # type: ignore[index]
        assert not [m for m in later.result.matches if m.relation == Relation.SAME_STORY]


def test_the_add_command_says_when_it_is_provisional(seeds: Path, tmp_path: Path) -> None:
    # an index past its bound, as a large one would be: the first add is a whole pass
    # whatever the bound, the next one provisional under a bound of 0
    paths = sorted(seeds.glob("*.txt"))
    runner = CliRunner()
    path = str(tmp_path / "index")
    assert runner.invoke(main, ["index", "create", path, "--workers", "1", "-q"]).exit_code == 0
    policy = ["--whole-below", "0", "--growth", "10"]
    first = runner.invoke(main, ["index", "add", path, str(paths[0]), *policy])
    assert first.exit_code == 0 and "provisional" not in first.output, first.output
    later = runner.invoke(main, ["index", "add", path, str(paths[1]), *policy])
    assert later.exit_code == 0 and "provisional" in later.output, later.output
    assert "index refresh" in later.output
    stats = json.loads(runner.invoke(main, ["index", "stats", path]).output)
    assert stats["provisional"] == {"at_last_whole_pass": 1, "added_since": 1}
    assert runner.invoke(main, ["index", "refresh", path, "-q"]).exit_code == 0
    stats = json.loads(runner.invoke(main, ["index", "stats", path]).output)
    assert stats["provisional"] == {"at_last_whole_pass": 2, "added_since": 0}
    # by default an index this small is worked out whole at every add
    third = runner.invoke(main, ["index", "add", path, str(paths[2])])
    assert third.exit_code == 0 and "provisional" not in third.output, third.output
    refused = runner.invoke(main, ["index", "add", path, str(paths[3]), "--growth", "0"])
    assert refused.exit_code == 2 and "--growth" in refused.output


def test_what_queries_hold_follows_adds_resketches_and_takedowns(
    corpus: tuple[list[dict[str, Any]], ScanResult], tmp_path: Path
) -> None:
    # queries keep the indexed vectors and LSH groups in memory and carry them on with each
    # commit's new documents; where a commit sketched indexed documents again (a line became
    # recurring) or took some out, they are read again: either way the state is the one read
    # afresh, bit for bit (the sum of the vectors too: the centring of every query uses it)
    import numpy as np

    from wiretrace.index.query import _COLD, WarmState, _load

    records, _ = corpus
    sites = [record for record in records if record["id"].startswith("site")]
    others = [record for record in records if not record["id"].startswith("site")]

    def check(index: Index) -> WarmState:
        held = index.warm.current(index.store, True)
        fresh = _load(index.store, True, _COLD, held.generation)
        for name in ("numbers", "vectors", "groups", "squares", "present", "total", "with_total"):
            assert np.array_equal(getattr(held, name), getattr(fresh, name)), name
        stored = index.store.vectors(held.numbers.tolist())
        assert all(
            np.array_equal(row, stored[number])
            for row, number in zip(held.vectors, held.numbers.tolist(), strict=True)
        )
        return held

    with Index.create(tmp_path / "index", ScanConfig(workers=1), _PROVISIONAL) as index:
        index.add([_write(sites[:6] + others[:4], tmp_path / "a.jsonl")])
        first = check(index)
        added = index.add([_write(others[4:10], tmp_path / "b.jsonl")])  # provisional
        assert not added.whole_pass
        assert len(check(index).numbers) == len(first.numbers) + 6
        index.add([_write(sites[6:], tmp_path / "c.jsonl")])  # the notice now recurs
        before = check(index)
        index.refresh()  # the whole index again: the first six sites are cleaned of it
        after = check(index)
        assert any(
            not np.array_equal(before.vectors[row], after.vectors[row])
            for row in range(len(after.numbers))
        )
        documents = index.result().documents
        assert all(
            any(span.kind == "recurring" for span in spans)
            for doc_id, spans in zip(documents.id, documents.boilerplate, strict=True)
            if doc_id.startswith("site")
        )
        index.remove(["site0", "orig1"])
        assert len(check(index).numbers) == len(records) - len(others[10:]) - 2


def test_an_export_replaces_the_one_before_it_texts_included(seeds: Path, tmp_path: Path) -> None:
    # a second export into the same folder stopped with an internal error (the texts file
    # existed) after replacing the tables: the folder held a takedown's text beside tables
    # without it, and the report refused it
    runner = CliRunner()
    path, out = str(tmp_path / "index"), tmp_path / "all"
    assert runner.invoke(main, ["index", "create", path, "--workers", "1", "-q"]).exit_code == 0
    assert runner.invoke(main, ["index", "add", path, str(seeds), "-q"]).exit_code == 0
    assert runner.invoke(main, ["index", "export", path, "--out", str(out)]).exit_code == 0
    gone = json.loads((out / "texts.jsonl").read_text("utf-8").splitlines()[0])["id"]
    counts = json.loads((out / "summary.json").read_text("utf-8"))["counts"]
    # what the index does not count of a scan's search is null, not 0 ("no pairs searched")
    assert counts["candidate_pairs"] is None and counts["documents"] == 4
    # an id given twice is one document removed (it said "removed 2 documents")
    removed = runner.invoke(main, ["index", "remove", path, gone, gone])
    assert removed.exit_code == 0 and "removed 1 document (" in " ".join(removed.output.split())
    again = runner.invoke(main, ["index", "export", path, "--out", str(out)])
    assert again.exit_code == 0, again.output
    ids = [json.loads(line)["id"] for line in (out / "texts.jsonl").read_text("utf-8").splitlines()]
    assert len(ids) == 3 and gone not in ids
    report = runner.invoke(main, ["report", str(out), "-q"])
    assert report.exit_code == 0, report.output
    # a texts file wiretrace did not write is never written over
    other = tmp_path / "other"
    other.mkdir()
    (other / "texts.jsonl").write_text("mine\n", "utf-8")
    refused = runner.invoke(main, ["index", "export", path, "--out", str(other)])
    assert refused.exit_code == 2 and "did not write" in refused.output
    assert (other / "texts.jsonl").read_text("utf-8") == "mine\n"


def test_an_empty_index_queried_with_a_record_it_cannot_read_answers(tmp_path: Path) -> None:
    # no vector indexed nor new: the centring mean had no width, and the query failed
    # (an internal error, and a 500 from the service)
    path = _write([{"id": "y", "text": ""}], tmp_path / "empty.jsonl")
    with Index.create(tmp_path / "index", ScanConfig(workers=1)) as index:
        found = index.query([path])
    assert [item.reason for item in found.result.skipped] == ["empty_text"]


def test_a_stored_match_reads_back_as_it_was_written() -> None:
    """Matches are stored as JSON arrays (orjson, json where orjson refuses: a lone surrogate
    in an id) and read back whole: every field, passages and derivation included."""
    from wiretrace.index.derive import match_json, match_of
    from wiretrace.records import Derivation, Match, Passage

    passages = (
        Passage(0, 41, 3, 44, "verbatim", 1.0),
        Passage(50, 90, 60, 97, "paraphrase", 0.8123),
    )
    made = [
        Match(
            "a",
            "b",
            Relation.PARTIAL,
            0.125,
            0.5,
            0.0625,
            passages,
            0.7431,
            "a",
            0.9,
            ("earlier (for a as the source)",),
            3,
            Derivation(4, 0.75, 6, 1, 2),
        ),
        Match(
            "x\ud800", "y", Relation.SAME_STORY, 0.0, 0.0, 0.0, (), 0.61, None, None, (), None, None
        ),
    ]
    for match in made:
        assert match_of(match_json(match)) == match


def test_a_source_both_derive_from_is_named_alike_by_a_query_an_add_and_a_whole_pass(
    tmp_path: Path,
) -> None:
    """A part of a wire story copied and an op-ed that lifted one of its paragraphs share that
    paragraph: the op-ed (earlier) is not its source, both derive from the wire. A query and a
    provisional add (which compare the new copy with the op-ed directly) say so; a scan and a
    whole pass, which compare the op-ed with the wire that the copy's group stands for, name
    the copy's source no other way."""
    generator = random.Random(11)
    paragraphs = [random_text(generator, 60) for _ in range(6)]
    wire = {"id": "wire", "text": "\n\n".join(paragraphs), "published": "2026-03-10T08:00:00Z"}
    own = [random_text(generator, 60) for _ in range(4)]
    oped = {
        "id": "oped",
        "text": "\n\n".join([own[0], own[1], paragraphs[3], own[2], own[3]]),
        "published": "2026-03-10T09:30:00Z",
    }
    cut = {"id": "cut", "text": "\n\n".join(paragraphs[2:4]), "published": "2026-03-10T12:00:00Z"}
    indexed = _write([wire, oped], tmp_path / "first.jsonl")
    later = _write([cut], tmp_path / "cut.jsonl")

    def pair(matches: Any) -> list[tuple[Relation, str | None, str]]:
        return [
            (m.relation, m.source, m.provenance_reasons[-1])
            for m in matches
            if {m.a, m.b} == {"cut", "oped"}
        ]

    wanted = [(Relation.PARTIAL, None, "both derive from wire: no source named")]
    # random words are alike sentence by sentence to the sentence model: copies only
    config = ScanConfig(workers=1, semantic=False)
    policy = UpdatePolicy(whole_below=0, growth=100.0)
    with Index.create(tmp_path / "index", config, policy) as index:
        index.add([indexed])
        assert pair(index.query([later]).result.matches) == wanted
        added = index.add([later])
        assert not added.whole_pass
        assert pair(added.result.matches) == wanted
        assert pair(index.matches_of("cut")) == wanted  # as the service reads it
        whole = index.result()
    for result in (whole, scan([indexed, later], config)):
        assert all(source is None for _, source, _ in pair(result.matches))
