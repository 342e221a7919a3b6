"""The Spark backend gives the local backend's results, row for row (issue 15), on local[2].

The seeds' end-to-end tests run on both backends too (``on_backend`` in conftest.py)."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from tests.corpus import edit, random_text, truncate
from wiretrace import ScanConfig, scan
from wiretrace.cli import main
from wiretrace.errors import MissingExtraError
from wiretrace.write.tables import TABLES, read_table


def _corpus(path: Path, documents: int = 5_000) -> Path:
    """Originals, edited / truncated / verbatim copies, and paragraphs lifted into others."""
    generator = random.Random(15)
    texts: list[str] = []
    while len(texts) < documents:
        original = random_text(generator, generator.randint(150, 400))
        texts.append(original)
        roll = generator.random()
        if roll < 0.15:
            texts.append(edit(generator, original, 0.03))
        elif roll < 0.25:
            texts.append(truncate(original, 0.6))
        elif roll < 0.3:
            texts.append(original)
        elif roll < 0.35:
            words = original.split()
            lifted = " ".join(words[20:80])
            texts.append(f"{random_text(generator, 500)} {lifted}. {random_text(generator, 200)}")
        elif roll < 0.4:  # a site's notice, a line of its own under different stories
            texts.append(f"{random_text(generator, 200)}\nSubscribe to our morning newsletter.")
    with path.open("w", encoding="utf-8") as stream:
        for number, text in enumerate(texts[:documents]):
            day = 1 + number % 28
            # made-up words standing for English news, said so: the language detector takes
            # a quarter of them for Hungarian or Russian, which would send 5,000 documents
            # through the multilingual model (test_determinism runs Spark on that path)
            record = {"id": f"g{number:05d}", "text": text, "published": f"2024-02-{day:02d}"}
            record["language"] = "en"
            stream.write(json.dumps(record) + "\n")
    return path


def _same(local: Any, spark: Any) -> None:
    assert spark.summary["counts"] == local.summary["counts"]  # collisions, recurring lines...
    assert spark.matches == local.matches
    assert spark.groups == local.groups
    assert spark.stories == local.stories
    assert spark.documents == local.documents
    assert spark.skipped == local.skipped


def test_a_generated_corpus_gives_the_same_results_on_spark(
    tmp_path: Path, spark_session: Any, semantic_extra: None
) -> None:
    from wiretrace.spark import SparkBackend

    corpus = _corpus(tmp_path / "generated.jsonl")
    config = ScanConfig(workers=2, batch_size=500)
    local = scan(corpus, config)
    spark = scan(corpus, config, backend=SparkBackend(spark=spark_session))
    _same(local, spark)
    relations = {match.relation.value for match in local.matches}
    assert {"exact", "near_duplicate", "contained"} <= relations and len(relations) >= 4
    assert sum(1 for match in local.matches if match.passages) > 1_000
    assert local.summary["counts"]["recurring_lines"] == 1
    assert spark.summary["backend"]["name"] == "spark"
    assert local.summary["backend"] == {"name": "local", "workers": 2}


def _driver_cannot_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading a file in this process (the driver) fails from now on; executors are other
    processes, where it is not patched."""
    import wiretrace.read.sources

    def not_here(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("read in the driver")

    monkeypatch.setattr(wiretrace.read.sources, "read_file", not_here)


def _edited_copies(seed: int) -> list[str]:
    """A story edited or cut hundreds of times (a group far over ``big_group_size``), and
    others, some edited once."""
    generator = random.Random(seed)
    story = random_text(generator, 300)
    texts = [story]
    texts += [edit(generator, story, 0.03) if i % 3 else truncate(story, 0.7) for i in range(600)]
    others = [random_text(generator, generator.randint(100, 400)) for _ in range(300)]
    texts += others + [edit(generator, other, 0.05) for other in others[:100]]
    generator.shuffle(texts)
    return texts


@pytest.mark.parametrize(("big_group_size", "max_bucket_size"), [(100, 500), (10, 50), (0, 80)])
def test_lsh_as_a_group_by_gives_the_kernels_pairs(
    spark_session: Any, big_group_size: int, max_bucket_size: int
) -> None:
    import numpy as np

    from wiretrace.candidates import candidate_pairs
    from wiretrace.candidates.lsh import LshSearch
    from wiretrace.clean import clean_text
    from wiretrace.sketch import Permutations, sketch_texts
    from wiretrace.spark.groups import lsh_pairs

    config = ScanConfig()
    cleaned = [clean_text(text, offsets=False) for text in _edited_copies(big_group_size)]
    sketches = sketch_texts(cleaned, 5, Permutations.create(config.num_perm, config.seed))
    sizes = np.maximum(sketches.word_counts - 4, 1).astype(np.int64)
    limits = (max_bucket_size, big_group_size, (config.jaccard_threshold, 0.8))
    search = LshSearch(config.lsh(), config.estimate_floors(), *limits)
    arguments = (sketches.signatures, sizes, search)
    local_pairs, local_collisions = candidate_pairs(*arguments)
    pairs, collisions = lsh_pairs(spark_session, *arguments)
    assert np.array_equal(pairs, local_pairs) and collisions == local_collisions
    if big_group_size:  # the big group is settled, not every pair of it proposed
        assert len(pairs) < 20 * len(cleaned)


def test_recurring_lines_as_a_group_by_are_the_local_ones(spark_session: Any) -> None:
    import numpy as np

    from wiretrace.clean.boilerplate import LineOccurrences, recurring_keys
    from wiretrace.spark.groups import recurring_lines

    generator = np.random.default_rng(3)
    keys = generator.integers(-40, 40, 20_000)
    documents = np.sort(generator.integers(0, 2_000, 20_000))
    contexts = np.where(keys % 3 == 0, 7, generator.integers(0, 1_000, 20_000))  # set phrases
    lines = LineOccurrences(keys, documents, contexts)
    for least, share in [(10, 0.5), (240, 0.9), (230, 0.0)]:
        local = recurring_keys(lines, least, share)
        assert 0 < len(local) < 60  # some keys, not all
        assert np.array_equal(recurring_lines(spark_session, lines, least, share), local)


def test_the_cli_writes_the_same_tables_with_spark(tmp_path: Path, spark_session: Any) -> None:
    corpus = _corpus(tmp_path / "small.jsonl", 300)
    runner = CliRunner()

    def run(backend: str, out: Path, output_format: str) -> None:
        given = ["scan", str(corpus), "--out", str(out), "--no-semantic", "--quiet"]
        given += ["--backend", backend, "--format", output_format]
        done = runner.invoke(main, given)
        assert done.exit_code == 0, done.output

    for output_format in ("parquet", "jsonl"):
        run("local", tmp_path / f"local-{output_format}", output_format)
        run("spark", tmp_path / f"spark {output_format} 100%", output_format)  # a URL's escapes
        for table in TABLES:
            name = f"{table}.{output_format}"
            spark = tmp_path / f"spark {output_format} 100%" / name
            assert spark.is_dir() and any(spark.glob("part-*")), name  # written by Spark
            local = read_table(tmp_path / f"local-{output_format}" / name, table)
            assert read_table(spark, table).equals(local), name
            if output_format == "parquet":  # any Parquet reader takes the folder
                assert pq.read_table(spark).num_rows == local.num_rows
    summary = json.loads((tmp_path / "spark parquet 100%" / "summary.json").read_text("utf-8"))
    assert summary["backend"]["master"] == "local[2]"  # the session already running is used
    assert spark_session.sparkContext._jsc is not None  # ... and left running
    # scanned again into its own folder, the other way round: folders and files replace
    # each other, and nothing is left of the other format
    run("spark", tmp_path / "local-parquet", "jsonl")
    run("local", tmp_path / "spark parquet 100%", "parquet")
    for table in TABLES:
        assert (tmp_path / "local-parquet" / f"{table}.jsonl").is_dir()
        assert not (tmp_path / "local-parquet" / f"{table}.parquet").exists()
        assert (tmp_path / "spark parquet 100%" / f"{table}.parquet").is_file()
    assert not list(tmp_path.glob("*/.*partial*"))


def test_the_report_reads_tables_spark_wrote(tmp_path: Path, spark_session: Any) -> None:
    from wiretrace.spark import SparkBackend
    from wiretrace.write import write_scan
    from wiretrace.write.report import write_report

    corpus = _corpus(tmp_path / "small.jsonl", 200)
    with SparkBackend(spark=spark_session) as backend:
        result = scan(corpus, ScanConfig(semantic=False), backend=backend)
        write_scan(result, tmp_path / "out", "jsonl", backend.table_writer())
    stats = write_report(tmp_path / "out")
    assert stats.path.is_file() and stats.matches == len(result.matches) > 0


def test_without_pyspark_the_error_names_the_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import wiretrace.spark.backend

    monkeypatch.setattr(wiretrace.spark.backend, "spark_available", lambda: False)
    with pytest.raises(MissingExtraError, match=r"pip install 'wiretrace\[spark\]'"):
        wiretrace.spark.SparkBackend()


def test_spark_master_needs_the_spark_backend(tmp_path: Path, seeds: Path) -> None:
    done = CliRunner().invoke(
        main, ["scan", str(seeds), "--out", str(tmp_path / "o"), "--spark-master", "local[2]"]
    )
    assert done.exit_code == 2
    assert "--spark-master needs --backend spark" in done.output


def test_a_master_spark_cannot_start_is_a_one_line_fix(tmp_path: Path, seeds: Path) -> None:
    # a mistyped master URL was "internal error ... please report it", exit 1
    import subprocess
    import sys

    from wiretrace.spark import spark_available

    if not spark_available():
        pytest.skip("pyspark is not installed")
    command = [sys.executable, "-m", "wiretrace", "scan", str(seeds), "--out", str(tmp_path / "o")]
    command += ["--backend", "spark", "--spark-master", "bogus://nowhere:1", "--no-semantic"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    said = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(said) == 1 and "Spark did not start (master bogus://nowhere:1)" in said[0]
    assert "--spark-master" in said[0] and "please report" not in done.stderr


def test_a_missing_input_is_said_before_spark_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a mistyped path waited for a JVM to start (16 s) before it was said
    from wiretrace.spark.backend import SparkBackend

    def started(self: Any) -> None:
        raise AssertionError("Spark started")

    monkeypatch.setattr(SparkBackend, "__enter__", started)
    for command in ("scan", "dedup"):
        out = tmp_path / ("out" if command == "scan" else "out.jsonl")
        missing = tmp_path / "missing.jsonl"
        args = [command, str(missing), "--out", str(out), "--backend", "spark"]
        done = CliRunner().invoke(main, args)
        assert done.exit_code == 2, done.output
        assert "missing.jsonl" in done.output and "Spark started" not in done.output


def test_the_spark_configuration_names_the_master(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "without --spark-master the Spark configuration decides": local[*] was taken over it
    from wiretrace.spark.backend import _configured_master

    monkeypatch.delenv("PYSPARK_SUBMIT_ARGS", raising=False)
    monkeypatch.delenv("SPARK_HOME", raising=False)
    monkeypatch.setenv("SPARK_CONF_DIR", str(tmp_path))
    assert _configured_master() is None
    (tmp_path / "spark-defaults.conf").write_text("# mine\nspark.master\tspark://h:7077\n")
    assert _configured_master() == "spark://h:7077"
    monkeypatch.setenv("PYSPARK_SUBMIT_ARGS", "--master local[1] pyspark-shell")
    assert _configured_master() == "local[1]"


def test_spark_submit_runs_the_scan_with_its_master(tmp_path: Path, seeds: Path) -> None:
    import os
    import subprocess
    import sys

    from wiretrace.spark import spark_available

    submit = Path(sys.executable).with_name("spark-submit")
    if not spark_available() or not submit.exists():
        pytest.skip("spark-submit is not installed next to this Python")
    entry = subprocess.run(
        [sys.executable, "-m", "wiretrace", "--entry-file"], capture_output=True, text=True
    )
    out = tmp_path / "out"
    command = [str(submit), "--master", "local[2]", entry.stdout.strip()]
    command += ["scan", str(seeds), "--out", str(out), "--backend", "spark", "--no-semantic", "-q"]
    environment = {**os.environ, "PYSPARK_PYTHON": sys.executable}
    done = subprocess.run(command, capture_output=True, text=True, env=environment, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    assert summary["backend"]["master"] == "local[2]"
    assert summary["counts"]["duplicate_groups"] == 1


def test_pages_are_extracted_on_spark_with_the_same_results(
    tmp_path: Path, spark_session: Any
) -> None:
    pytest.importorskip("trafilatura")
    from tests.pages import unrelated_pages, wire_copies
    from wiretrace.spark import SparkBackend

    folder = tmp_path / "pages"
    folder.mkdir()
    for number in range(12):  # enough pages for several tasks (16 files a task)
        for name, html in {**wire_copies(), **unrelated_pages()}.items():
            (folder / f"{name}-{number:02}.html").write_text(html, "utf-8")
    config = ScanConfig(semantic=False, workers=2)
    local = scan(folder, config)
    spark = scan(folder, config, backend=SparkBackend(spark=spark_session))
    _same(local, spark)
    assert len(local.documents.id) == 60
    assert any(group for group in local.groups if len(group.members) >= 30)


def test_inputs_of_every_kind_are_read_on_the_executors_with_the_same_results(
    tmp_path: Path, spark_session: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("trafilatura")
    import gzip

    import pyarrow as pa

    from tests.pages import wire_copies
    from wiretrace.spark import SparkBackend

    lines = _corpus(tmp_path / "all.jsonl", 400).read_text("utf-8").splitlines()
    inputs = tmp_path / "inputs"
    (inputs / "texts").mkdir(parents=True)
    (inputs / "a.jsonl").write_text("\n".join([*lines[:100], "{broken", lines[0]]) + "\n")
    with gzip.open(inputs / "b.jsonl.gz", "wt", encoding="utf-8") as stream:
        stream.write("\n".join(lines[100:200]) + "\n")
    records = [json.loads(line) for line in lines[200:300]]
    pq.write_table(pa.Table.from_pylist(records), inputs / "c.parquet")
    with (inputs / "d.csv").open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, ["id", "text", "published", "language"])
        writer.writeheader()
        writer.writerows([*(json.loads(line) for line in lines[300:]), {"id": "e", "text": ""}])
    for number, line in enumerate(lines[:40]):  # copies as text files: matches across kinds
        (inputs / "texts" / f"t{number:02}.txt").write_text(json.loads(line)["text"], "utf-8")
    for name, html in wire_copies().items():
        (inputs / f"{name}.html").write_text(html, "utf-8")
    config = ScanConfig(semantic=False)
    local = scan(inputs, config)

    _driver_cannot_read(monkeypatch)
    spark = scan(inputs, config, backend=SparkBackend(spark=spark_session))
    _same(local, spark)
    reasons = {skip.reason for skip in local.skipped}
    assert {"malformed_line", "duplicate_id", "empty_text"} <= reasons
    assert len(local.documents.id) > 440 and len(local.matches) > 40


def test_a_single_large_file_is_read_on_the_executors_with_the_same_results(
    tmp_path: Path, spark_session: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wiretrace.spark import SparkBackend

    corpus = _corpus(tmp_path / "one.jsonl", 1_000)
    with corpus.open("a", encoding="utf-8") as stream:
        stream.write('{"id": "g00001", "text": "a duplicate id"}\n{broken\n')
    config = ScanConfig(semantic=False)
    local = scan(corpus, config)

    _driver_cannot_read(monkeypatch)
    spark = scan(corpus, config, backend=SparkBackend(spark=spark_session))
    _same(local, spark)
    assert {"malformed_line", "duplicate_id"} <= {skip.reason for skip in local.skipped}


def test_small_corpora_give_the_same_results_on_spark(tmp_path: Path, spark_session: Any) -> None:
    # a new user's first tries: two articles, one lifting a passage (a partition of the LSH
    # pairs left empty failed the scan), a file cut at every line whose second record lacks
    # the text (each piece checked the fields again: the scan was refused), and a file of
    # which nothing is scanned (the comparer looked for sentences no document had)
    from wiretrace.spark import SparkBackend

    generator = random.Random(5)
    wire = random_text(generator, 300)
    lifted = " ".join(wire.split()[40:120])
    article = f"{random_text(generator, 200)} {lifted}. {random_text(generator, 150)}"
    two = tmp_path / "two.jsonl"
    two.write_text(
        "".join(
            json.dumps(record) + "\n"
            for record in (
                {"id": "wire", "text": wire},
                {"id": "article", "text": article},
                {"id": "no-text", "title": "a record without its text"},
            )
        ),
        "utf-8",
    )
    empty = tmp_path / "empty.jsonl"
    empty.write_text('{"id": "e", "text": ""}\n', "utf-8")
    found = {}
    for corpus in (two, empty):
        local = scan(corpus, ScanConfig())
        with SparkBackend(spark=spark_session) as backend:
            spark = scan(corpus, ScanConfig(), backend=backend)
        _same(local, spark)
        found[corpus.stem] = local
    assert [m.relation.value for m in found["two"].matches] == ["partial"]
    assert [skip.reason for skip in found["two"].skipped] == ["missing_field"]
    assert not found["empty"].matches and found["empty"].documents.id == ["e"]


def test_a_file_an_executor_cannot_read_is_one_line(tmp_path: Path, spark_session: Any) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    _corpus(inputs / "a.jsonl", 20)
    (inputs / "b.jsonl").write_text('{"id": "b", "body": "no text field"}\n', "utf-8")
    given = ["scan", str(inputs), "--out", str(tmp_path / "out"), "--no-semantic", "-q"]
    local = CliRunner().invoke(main, given)
    spark = CliRunner().invoke(main, [*given, "--backend", "spark"])
    assert local.exit_code == spark.exit_code == 2
    assert spark.output == local.output and "b.jsonl" in spark.output


def test_a_damaged_gzip_file_is_skipped_on_an_executor_too(
    tmp_path: Path, spark_session: Any
) -> None:
    from wiretrace.spark import SparkBackend

    inputs = tmp_path / "inputs"
    inputs.mkdir()
    _corpus(inputs / "a.jsonl", 20)
    (inputs / "b.jsonl.gz").write_bytes(b"\x1f\x8bnot gzip at all")
    config = ScanConfig(semantic=False)
    local = scan(inputs, config)
    spark = scan(inputs, config, backend=SparkBackend(spark=spark_session))
    _same(local, spark)
    assert [(skip.source, skip.reason) for skip in local.skipped] == [
        (str(inputs / "b.jsonl.gz"), "unreadable_file")
    ]


def test_dedup_on_spark_keeps_the_same_records(tmp_path: Path, spark_session: Any) -> None:
    corpus = _corpus(tmp_path / "small.jsonl", 300)
    runner = CliRunner()
    for name in ("local", "spark"):
        done = runner.invoke(
            main,
            ["dedup", str(corpus), "--out", str(tmp_path / f"{name}.jsonl"), "--backend", name],
        )
        assert done.exit_code == 0, done.output
    kept = (tmp_path / "local.jsonl").read_bytes()
    assert (tmp_path / "spark.jsonl").read_bytes() == kept
    assert kept.count(b"\n") < 300  # copies were dropped


def test_spark_writes_to_a_url_and_never_over_what_is_there(
    tmp_path: Path, spark_session: Any
) -> None:
    corpus = _corpus(tmp_path / "small.jsonl", 200)
    local, url = tmp_path / "local", (tmp_path / "remote").as_uri()  # file:// as any Hadoop URL
    runner = CliRunner()
    given = ["scan", str(corpus), "--no-semantic", "--quiet", "--out"]
    assert runner.invoke(main, [*given, str(local)]).exit_code == 0
    done = runner.invoke(main, [*given, url, "--backend", "spark"])
    assert done.exit_code == 0, done.output
    remote = tmp_path / "remote"
    for table in TABLES:
        found = read_table(remote / f"{table}.parquet", table)
        assert found.equals(read_table(local / f"{table}.parquet", table)), table
    summary = json.loads((remote / "summary.json").read_text("utf-8"))
    assert summary["output"]["files"] == [f"{table}.parquet" for table in TABLES]
    # a second run into the same URL is refused before any work, and changes nothing
    before = {path: path.stat().st_mtime_ns for path in remote.rglob("*")}
    again = runner.invoke(main, [*given, url, "--backend", "spark"])
    assert again.exit_code == 2 and "already holds" in again.output and "new folder" in again.output
    assert {path: path.stat().st_mtime_ns for path in remote.rglob("*")} == before


@pytest.mark.parametrize("command", ["scan", "dedup"])
def test_a_url_out_without_spark_is_refused(tmp_path: Path, seeds: Path, command: str) -> None:
    done = CliRunner().invoke(main, [command, str(seeds), "--out", "hdfs://namenode/wiretrace"])
    assert done.exit_code == 2
    assert "is a URL" in done.output and not (Path.cwd() / "hdfs:").exists()


def test_the_exact_model_embeds_on_the_executors(
    seeds: Path, spark_session: Any, semantic_extra: None
) -> None:
    from wiretrace.semantic.model import load_encoder
    from wiretrace.spark import SparkBackend

    config = ScanConfig(semantic_model="exact")
    load_encoder.cache_clear()
    spark = scan(seeds, config, backend=SparkBackend(spark=spark_session))
    assert load_encoder.cache_info().currsize == 0  # the driver never loaded the model
    local = scan(seeds, config)
    assert [(m.a, m.b, m.relation) for m in spark.matches] == [
        (m.a, m.b, m.relation) for m in local.matches
    ]
    for ours, theirs in zip(spark.matches, local.matches, strict=True):
        assert ours.semantic == pytest.approx(theirs.semantic, abs=1e-4)
    assert spark.stories == local.stories
    embedded = spark.summary["semantic"]["sentences_embedded"]
    assert embedded == local.summary["semantic"]["sentences_embedded"] > 0


@pytest.mark.parametrize("output_format", ["parquet", "jsonl"])
def test_spark_writes_empty_tables_that_read_back(
    tmp_path: Path, spark_session: Any, output_format: Any
) -> None:
    from wiretrace.spark import SparkBackend
    from wiretrace.write.tables import SCHEMAS

    with SparkBackend(spark=spark_session) as backend:
        for name, schema in SCHEMAS.items():
            path = tmp_path / f"{name}.{output_format}"
            backend.write_table(schema.empty_table(), path, output_format)
            assert path.is_dir() and read_table(path, name).equals(schema.empty_table())


def test_quiet_spark_prints_no_spark_log_lines(tmp_path: Path, seeds: Path) -> None:
    import os
    import subprocess
    import sys

    from wiretrace.spark import spark_available

    if not spark_available():
        pytest.skip("the spark extra is not installed")
    command = [sys.executable, "-m", "wiretrace", "scan", str(seeds), "--out", str(tmp_path)]
    command += ["--backend", "spark", "--spark-master", "local[1]", "--no-semantic", "--quiet"]
    environment = {k: v for k, v in os.environ.items() if k != "SPARK_CONF_DIR"}
    done = subprocess.run(command, capture_output=True, text=True, env=environment, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    # the JVM's own note on its vector module is printed before any setting applies
    lines = [line for line in done.stderr.splitlines() if "incubator modules" not in line]
    assert lines == []


def test_a_url_spark_cannot_reach_is_refused_before_the_scan(
    tmp_path: Path, seeds: Path, spark_session: Any
) -> None:
    out = "nosuchscheme://bucket/scan"
    done = CliRunner().invoke(main, ["scan", str(seeds), "--out", out, "--backend", "spark"])
    assert done.exit_code == 2
    assert "Spark cannot write there" in done.output and "scheme" in done.output


def test_a_session_left_running_keeps_nothing_of_a_finished_scan(
    tmp_path: Path, spark_session: Any
) -> None:
    """The scan's handles on JVM objects are freed as it ends, those in reference cycles
    too: a notebook's or a service's session would otherwise hold their data in its heap
    until Python's next full collection (~50 MB a scan of 1,000 documents)."""
    import gc

    from py4j.java_gateway import JavaObject

    from wiretrace.spark import SparkBackend

    def handles() -> int:
        # the exact type: isinstance would ask every object its class, and some warn then
        return sum(1 for found in gc.get_objects() if type(found) is JavaObject)

    corpus = _corpus(tmp_path / "corpus.jsonl", 200)
    gc.collect()
    before = handles()
    gc.disable()  # no collection may run on its own while the scan ends
    try:
        scan(corpus, ScanConfig(semantic=False), backend=SparkBackend(spark=spark_session))
        after = handles()
    finally:
        gc.enable()
    assert after <= before + 5
