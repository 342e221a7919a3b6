"""The Spark backend gives the local backend's results, row for row (issue 15), on local[2].

The seeds' end-to-end tests run on both backends too (``on_backend`` in conftest.py)."""

from __future__ import annotations

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
    with path.open("w", encoding="utf-8") as stream:
        for number, text in enumerate(texts[:documents]):
            day = 1 + number % 28
            record = {"id": f"g{number:05d}", "text": text, "published": f"2024-02-{day:02d}"}
            stream.write(json.dumps(record) + "\n")
    return path


def _same(local: Any, spark: Any) -> None:
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
    assert spark.summary["backend"]["name"] == "spark"
    assert local.summary["backend"] == {"name": "local", "workers": 2}


def test_the_cli_writes_the_same_tables_with_spark(tmp_path: Path, spark_session: Any) -> None:
    corpus = _corpus(tmp_path / "small.jsonl", 300)
    runner = CliRunner()
    for name in ("local", "spark"):
        out = tmp_path / name
        given = ["scan", str(corpus), "--out", str(out), "--no-semantic", "--quiet"]
        done = runner.invoke(main, [*given, "--backend", name])
        assert done.exit_code == 0, done.output
    for table in ("documents", "matches", "groups", "stories"):
        local = pq.read_table(tmp_path / "local" / f"{table}.parquet")
        spark = pq.read_table(tmp_path / "spark" / f"{table}.parquet")
        assert spark.equals(local), table
    summary = json.loads((tmp_path / "spark" / "summary.json").read_text("utf-8"))
    assert summary["backend"]["master"] == "local[2]"  # the session already running is used
    assert spark_session.sparkContext._jsc is not None  # ... and left running


def test_without_pyspark_the_error_names_the_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import wiretrace.spark

    monkeypatch.setattr(wiretrace.spark, "spark_available", lambda: False)
    with pytest.raises(MissingExtraError, match=r"pip install 'wiretrace\[spark\]'"):
        wiretrace.spark.SparkBackend()


def test_spark_master_needs_the_spark_backend(tmp_path: Path, seeds: Path) -> None:
    done = CliRunner().invoke(
        main, ["scan", str(seeds), "--out", str(tmp_path / "o"), "--spark-master", "local[2]"]
    )
    assert done.exit_code == 2
    assert "--spark-master needs --backend spark" in done.output


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
    for number in range(12):  # enough pages for several batches (16 a task)
        for name, html in {**wire_copies(), **unrelated_pages()}.items():
            (folder / f"{name}-{number:02}.html").write_text(html, "utf-8")
    config = ScanConfig(semantic=False, workers=2)
    local = scan(folder, config)
    spark = scan(folder, config, backend=SparkBackend(spark=spark_session))
    _same(local, spark)
    assert len(local.documents.id) == 60
    assert any(group for group in local.groups if len(group.members) >= 30)


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
