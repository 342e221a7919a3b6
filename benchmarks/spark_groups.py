"""The scan's two group-bys, on one machine and as Spark SQL, on the same sketches (issue 15).

Sketches the first N documents of the benchmark corpus once (wiretrace's own batch sketcher,
default settings), then times, in this process, the LSH candidates (``candidate_pairs``, the
kernel, against ``spark.groups.lsh_pairs``: an explode of band keys and a group-by) and the
recurring lines (``recurring_keys`` against ``spark.groups.recurring_lines``), checks that
both give the same answer, and prints the ratios. Spark runs on ``local[2]``; each Spark plan
runs twice, as the first Spark SQL query of a session pays its start-up.

    python benchmarks/spark_groups.py                 # 100,000 documents
    python benchmarks/spark_groups.py --docs 25000
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from generate_corpus import default_out
from run import ensure_corpus

from wiretrace.clean.boilerplate import LineCounter, recurring_keys
from wiretrace.config import ScanConfig
from wiretrace.sketch.batch import BatchItem, SketchParams, sketch_batch


def sketches(docs: int, config: ScanConfig) -> tuple[Any, Any, LineCounter]:
    """Signatures, shingle counts and counted lines of the corpus's first ``docs`` texts."""
    corpus = default_out(100_000)
    ensure_corpus(corpus, 100_000, None, None)
    params = SketchParams.of(config, False, None)
    signatures, sizes, lines = [], [], LineCounter()
    with gzip.open(corpus, "rt", encoding="utf-8") as stream:
        batch: list[BatchItem] = []
        for number, line in enumerate(stream):
            if number < docs:
                batch.append(BatchItem(json.loads(line)["text"]))
            if len(batch) == config.batch_size or (batch and number + 1 >= docs):
                result = sketch_batch(batch, params)
                signatures.append(result.signatures)
                sizes.append(np.maximum(result.word_counts - config.shingle_size + 1, 1))
                lines.add_many(result.line_keys, result.line_counts)
                batch = []
            if number + 1 >= docs:
                break
    return np.concatenate(signatures), np.concatenate(sizes).astype(np.int64), lines


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--master", default="local[2]")
    options = parser.parse_args()
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from wiretrace.candidates import candidate_pairs
    from wiretrace.candidates.lsh import LshSearch
    from wiretrace.spark.backend import _start_session
    from wiretrace.spark.groups import lsh_pairs, recurring_lines

    config = ScanConfig()
    signatures, sizes, lines = sketches(options.docs, config)
    banded = (signatures, sizes, LshSearch.of(config))
    occurrences = lines.occurrences()
    settings = (config.recurring_min_documents, config.recurring_min_context_share)
    session = _start_session(options.master)
    try:
        print(f"{options.docs:,} documents, Spark {options.master}")
        print("| group-by | one machine | Spark, 1st run | Spark, 2nd run | ratio (2nd) | same |")
        print("|---|---|---|---|---|---|")
        here, found = timed(lambda: recurring_keys(occurrences, *settings))
        spark = [timed(lambda: recurring_lines(session, occurrences, *settings)) for _ in "12"]
        same = all(np.array_equal(result, found) for _, result in spark)
        print(
            f"| recurring lines ({len(occurrences.keys):,} lines) | {here:.2f} s | "
            f"{spark[0][0]:.2f} s | {spark[1][0]:.2f} s | {spark[1][0] / here:.1f}x | {same} |"
        )
        here, (pairs, collisions) = timed(lambda: candidate_pairs(*banded))
        spark = [timed(lambda: lsh_pairs(session, *banded)) for _ in "12"]
        same = all(
            np.array_equal(result[0], pairs) and result[1] == collisions for _, result in spark
        )
        print(
            f"| LSH ({len(pairs):,} pairs, {collisions:,} collisions) | {here:.2f} s | "
            f"{spark[0][0]:.2f} s | {spark[1][0]:.2f} s | {spark[1][0] / here:.1f}x | {same} |"
        )
    finally:
        session.stop()


if __name__ == "__main__":
    main()
