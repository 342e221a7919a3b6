"""A scan's tables do not depend on where its arithmetic runs (issue 23): the number of
workers, the batch a document lands in, the backend, or the CPU's vector width (which BLAS
kernel sums a cosine's products, and in which order). The same corpus, scanned each way,
writes byte-identical tables.

Before the cosines were made exact, Spark and the local backend differed in a few
paraphrase similarities (0.973 against 0.9729) and in which of two equal sentences was a
sentence's partner."""

from __future__ import annotations

import json
import math
import os
import platform
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.corpus import edit, random_text, reword, truncate
from wiretrace import ScanConfig, ScanResult, scan
from wiretrace.compare.paraphrase import align_sentences, semantic_document
from wiretrace.compare.prepared import PreparedReader
from wiretrace.semantic.cosines import (
    PRECISION,
    best_and_alike,
    cosine,
    pair_cosines,
    sentence_cosines,
)
from wiretrace.stages import compare as compare_stage
from wiretrace.write import write_scan
from wiretrace.write.tables import table_files

FORMATS = ("parquet", "jsonl")
# what a run may differ in: how long its stages took, where and how it ran
_RUN_KEYS = ("timings_seconds", "backend")
_RUN_SETTINGS = ("workers", "batch_size")


def _unit(generator: np.random.Generator, rows: int) -> Any:
    vectors = generator.standard_normal((rows, 256))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors.astype(np.float16).astype(np.float32)  # as the spill keeps them


def test_sentence_cosines_are_exact() -> None:
    """Every cosine is the exact sum of the products (``math.fsum``), rounded: no order of
    summation, thread or SIMD kernel can change it."""
    generator = np.random.default_rng(23)
    for rows, columns in [(1, 1), (3, 17), (25, 31), (40, 64)]:
        first, second = _unit(generator, rows), _unit(generator, columns)
        found = sentence_cosines(first, second)
        for row in range(rows):
            for column in range(columns):
                products = first[row].astype(np.float64) * second[column].astype(np.float64)
                exact = round(math.fsum(products.tolist()), PRECISION)
                assert found[row, column] == exact


def test_best_and_alike_reads_the_rounded_product() -> None:
    """The compiled pass over the sentence product gives what numpy does on
    ``sentence_cosines``: each row's first largest column, and the cells at the floor or
    above, row by row (equal columns made on purpose, so that ties are tried)."""
    generator = np.random.default_rng(29)
    for rows, columns in [(1, 1), (3, 17), (25, 31), (40, 64)]:
        first, second = _unit(generator, rows), _unit(generator, columns)
        second[columns // 2] = second[0]
        cosines = sentence_cosines(first, second)
        for floor in (-1.0, 0.05, 0.2, np.inf):
            partners, scores, at_rows, at_columns, similarity = best_and_alike(first, second, floor)
            assert partners.tolist() == cosines.argmax(axis=1).tolist()
            assert scores.tolist() == cosines.max(axis=1).tolist()
            expected_rows, expected_columns = np.nonzero(cosines >= floor)
            assert at_rows.tolist() == expected_rows.tolist()
            assert at_columns.tolist() == expected_columns.tolist()
            assert similarity.tolist() == cosines[expected_rows, expected_columns].tolist()


def test_one_cosine_is_the_cosine_of_a_pair_of_rows() -> None:
    """Two documents' cosine, worked out alone, is the one the pairs' kernel gives (the same
    sums in the same order, rounded the same way)."""
    generator = np.random.default_rng(31)
    vectors = generator.standard_normal((60, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    pairs = generator.integers(0, 60, (500, 2))
    alone = [cosine(vectors[first], vectors[second]) for first, second in pairs.tolist()]
    assert alone == pair_cosines(vectors, pairs).tolist()


def _document(text_of: list[str], vectors: Any) -> Any:
    text = " ".join(text_of)
    spans, at = [], 0
    for sentence in text_of:
        spans.append((at, at + len(sentence)))
        at += len(sentence) + 1
    document_vector = np.zeros(vectors.shape[1], dtype=np.float32)
    return semantic_document(text, np.asarray(spans, dtype=np.int32), vectors, document_vector)


def test_of_two_equal_sentences_the_earlier_is_the_partner() -> None:
    """A sentence said twice in the other document (a repeated line) pairs with its first
    place: equal sentences have equal cosines, and ties go to the earlier sentence. In
    float32 BLAS, two equal columns of a product often differ in their last bit, so that
    either place won (one of the differences between the backends)."""
    generator = np.random.default_rng(15)
    for _ in range(40):
        count = int(generator.integers(8, 40))
        other = _unit(generator, count)
        repeated = int(generator.integers(1, count))
        other[repeated] = other[0]
        # the sentences of the smaller document: rewrites of the repeated one
        near = other[0] + 0.3 * _unit(generator, 6)
        near /= np.linalg.norm(near, axis=1, keepdims=True)
        near = near.astype(np.float16).astype(np.float32)
        small = _document([f"short {number}." for number in range(6)], near)
        large = _document([f"a much longer sentence {number}." for number in range(count)], other)
        pairs = align_sentences(small, large, 0.5, 0.5)
        assert pairs and {pair.b for pair in pairs} == {0}


def _corpus(path: Path, documents: int = 300) -> Path:
    """Originals, sentence-by-sentence rewrites of some (paraphrases), edited, truncated
    and verbatim copies, and a passage lifted into another article. Long articles (20 to
    50 sentences): BLAS splits the larger products between its threads, which Spark's
    Python workers limit to one."""
    generator = random.Random(23)
    texts: list[str] = []
    while len(texts) < documents:
        original = random_text(generator, generator.randint(300, 700))
        texts.append(original)
        roll = generator.random()
        if roll < 0.2:
            texts.append(reword(generator, original, 0.3))
        elif roll < 0.3:
            texts.append(edit(generator, original, 0.03))
        elif roll < 0.35:
            texts.append(truncate(original, 0.6))
        elif roll < 0.4:
            texts.append(original)
        elif roll < 0.45:
            lifted = " ".join(original.split()[20:80])
            texts.append(f"{random_text(generator, 300)} {lifted}. {random_text(generator, 100)}")
    with path.open("w", encoding="utf-8") as stream:
        for number, text in enumerate(texts[:documents]):
            day = 1 + number % 28
            record = {"id": f"d{number:05d}", "text": text, "published": f"2024-02-{day:02d}"}
            stream.write(json.dumps(record) + "\n")
    return path


def _written(folder: Path) -> dict[str, bytes]:
    """The files of the scans written under ``folder`` (one folder per format), summary.json
    without what may differ between runs."""
    found = {}
    for output_format in FORMATS:
        out = folder / output_format
        for name in table_files(output_format).values():
            found[f"{output_format}/{name}"] = (out / name).read_bytes()
        summary = json.loads((out / "summary.json").read_text("utf-8"))
        for key in _RUN_KEYS:
            summary.pop(key)
        for key in _RUN_SETTINGS:
            summary["config"].pop(key)
        found[f"{output_format}/summary.json"] = json.dumps(summary, sort_keys=True).encode()
    return found


def _write(result: ScanResult, folder: Path) -> dict[str, bytes]:
    for output_format in FORMATS:
        write_scan(result, folder / output_format, output_format)
    return _written(folder)


def _same(found: dict[str, bytes], reference: dict[str, bytes]) -> None:
    assert found.keys() == reference.keys()
    differing = [name for name in reference if found[name] != reference[name]]
    assert not differing, f"these files differ from the reference scan's: {differing}"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _corpus(tmp_path_factory.mktemp("determinism") / "corpus.jsonl")


@pytest.fixture(scope="module")
def reference(
    corpus: Path, tmp_path_factory: pytest.TempPathFactory, semantic_extra: None
) -> dict[str, bytes]:
    """One worker, batches of 7 documents."""
    result = scan(corpus, ScanConfig(workers=1, batch_size=7))
    relations = result.summary["counts"]["matches_by_relation"]
    # the corpus exercises what the arithmetic decides: rewritten sentences and stories
    assert relations["paraphrase"] > 100 and relations["near_duplicate"] > 0
    assert sum(1 for match in result.matches for passage in match.passages) > 1_000
    return _write(result, tmp_path_factory.mktemp("reference"))


def test_workers_and_batches_do_not_change_the_tables(
    corpus: Path, reference: dict[str, bytes], tmp_path: Path
) -> None:
    result = scan(corpus, ScanConfig(workers=2, batch_size=4_096))
    _same(_write(result, tmp_path), reference)


def test_documents_prepared_before_their_pairs_do_not_change_the_tables(
    corpus: Path, reference: dict[str, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the pairs take several batches, their documents are prepared once beforehand
    (``compare.prepared``) and the comparers read them back: the same tables."""
    monkeypatch.setattr(compare_stage, "_COMPARE_BATCH", 50)
    monkeypatch.setattr(compare_stage, "_PREPARE_BATCH", 7)
    read = []
    original = PreparedReader.get

    def get(self: PreparedReader, number: int, text: str) -> Any:
        found = original(self, number, text)
        read.append(found is not None)
        return found

    monkeypatch.setattr(PreparedReader, "get", get)
    result = scan(corpus, ScanConfig(workers=1, batch_size=7))
    assert read and all(read)
    _same(_write(result, tmp_path), reference)


# A scan in another process, with its settings and its environment.
_SCAN = """
import sys
from pathlib import Path
from wiretrace import ScanConfig, scan
from wiretrace.write import write_scan
corpus, out, workers, batch_size = sys.argv[1], Path(sys.argv[2]), sys.argv[3], sys.argv[4]
result = scan(corpus, ScanConfig(workers=int(workers), batch_size=int(batch_size)))
for output_format in ("parquet", "jsonl"):
    write_scan(result, out / output_format, output_format)
"""


@pytest.mark.slow
def test_another_vector_width_does_not_change_the_tables(
    corpus: Path, reference: dict[str, bytes], tmp_path: Path
) -> None:
    """OpenBLAS picks its kernels by the CPU it runs on; ``OPENBLAS_CORETYPE`` makes it use
    those of another CPU (Prescott: SSE3, 128-bit vectors and no fused multiply-add), and
    ``NUMBA_CPU_NAME`` compiles the kernels for a generic x86-64, in the scan and in its
    workers: a machine with other vector units, as the scan would meet on another computer
    or a Spark executor. Before the cosines were made exact, 121 of 2,407 matches differed
    (paraphrase similarities in their fourth decimal)."""
    environment = {**os.environ, "NUMBA_CPU_NAME": "generic"}
    if platform.machine().lower() in ("x86_64", "amd64"):  # OpenBLAS's names of x86 CPUs
        environment["OPENBLAS_CORETYPE"] = "Prescott"
    environment.pop("WIRETRACE_DEBUG", None)
    command = [sys.executable, "-c", _SCAN, str(corpus), str(tmp_path), "2", "64"]
    done = subprocess.run(command, capture_output=True, text=True, env=environment, check=False)
    assert done.returncode == 0, done.stderr[-2_000:]
    _same(_written(tmp_path), reference)


@pytest.mark.slow
def test_spark_does_not_change_the_tables(
    corpus: Path, reference: dict[str, bytes], tmp_path: Path, spark_session: Any
) -> None:
    """Spark embeds the sentences inside its sketch tasks and compares pairs in its own
    Python workers (other batches, other processes, one BLAS thread each)."""
    from wiretrace.spark import SparkBackend

    config = ScanConfig(workers=2, batch_size=500)
    result = scan(corpus, config, backend=SparkBackend(spark=spark_session))
    assert result.summary["backend"]["name"] == "spark"
    _same(_write(result, tmp_path), reference)
