"""Cost of the semantic stage: how the default scan grows with the corpus, the seeds' wall
time, and the sentence models' throughput.

1. Stage seconds: ``wiretrace scan`` (default, the fast model) and ``wiretrace scan
   --no-semantic`` on the first N documents of the 100,000-document benchmark corpus, each a
   subprocess, same run; per size the wall time, the ratio, and ``timings_seconds`` of the
   default scan. Linear growth shows as flat seconds per 1,000 documents.
2. The seeds: the default scan of the four seed articles, wall time (the fast model prepared),
   median of 3.
3. Throughput (sentences/s, this process, one core for the fast model): the fast model and,
   with ``--exact``, MiniLM on the same sentences.

    python benchmarks/semantic.py                            # 25k, 50k, 100k
    python benchmarks/semantic.py --sizes 2000,4000 --exact
    python benchmarks/semantic.py --results benchmarks/results/DATE-semantic.json
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from run import ensure_corpus

from wiretrace.semantic import sentence_encoder, sentence_spans
from wiretrace.semantic.stage import spans_array
from wiretrace.semantic.static import check_static_model, load_static

DATA_DIR = Path(__file__).resolve().parent / "data"
SEEDS = Path(__file__).resolve().parents[1] / "examples" / "seeds"
SOURCE_DOCS = 100_000
THROUGHPUT_SENTENCES = 20_000
EXACT_SENTENCES = 1_000


def _scan(corpus: Path, out: Path, *options: str) -> tuple[float, dict[str, Any]]:
    exe = Path(sys.executable).parent / "wiretrace"
    started = time.perf_counter()
    subprocess.run(
        [str(exe), "scan", str(corpus), "--out", str(out), "--quiet", *options], check=True
    )
    wall = time.perf_counter() - started
    summary: dict[str, Any] = json.loads((out / "summary.json").read_text("utf-8"))
    return wall, summary


def stage_rows(corpus: Path, sizes: list[int]) -> list[dict[str, Any]]:
    rows = []
    for size in sizes:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"corpus-{size}.jsonl.gz"
            with (
                gzip.open(corpus, "rt", encoding="utf-8") as stream,
                gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as out,
            ):
                out.writelines(itertools.islice(stream, size))
            plain_wall, _ = _scan(path, Path(folder) / "plain", "--no-semantic")
            wall, summary = _scan(path, Path(folder) / "default")
        counts = summary["counts"]
        row = {
            "documents": size,
            "no_semantic_wall_seconds": round(plain_wall, 1),
            "default_wall_seconds": round(wall, 1),
            "ratio": round(wall / plain_wall, 2),
            "default_seconds_per_1000_documents": round(1000 * wall / size, 2),
            "timings_seconds": summary["timings_seconds"],
            "semantic": {
                key: summary["semantic"][key]
                for key in ("sentences", "candidate_pairs")
                if key in summary["semantic"]
            },
            "matches_by_relation": {
                name: count for name, count in counts["matches_by_relation"].items() if count
            },
        }
        rows.append(row)
        print(json.dumps(row), flush=True)
    return rows


def seeds_wall() -> float:
    walls = []
    for _ in range(3):
        with tempfile.TemporaryDirectory() as folder:
            walls.append(_scan(SEEDS, Path(folder) / "out")[0])
    return round(statistics.median(walls), 2)


def throughput(corpus: Path, exact: bool) -> dict[str, float]:
    """Sentences/s of the fast model as the scan uses it (whole documents, one core) and, with
    ``exact``, of MiniLM on sentences (this process, every core)."""
    texts: list[str] = []
    spans: list[Any] = []
    with gzip.open(corpus, "rt", encoding="utf-8") as stream:
        for line in stream:
            texts.append(json.loads(line)["text"])
            spans.append(spans_array(sentence_spans(texts[-1])))
            if sum(len(found) for found in spans) >= THROUGHPUT_SENTENCES:
                break
    count = sum(len(found) for found in spans)
    found: dict[str, float] = {}
    fast = load_static(str(check_static_model()))
    fast.encode_documents(texts[:20], spans[:20])  # loaded and warm
    for key in ("fast_sentences_per_s_one_core", "fast_sentences_per_s_one_core_words_known"):
        # first with most words new to the model's word cache, then as in a long scan
        started = time.perf_counter()
        fast.encode_documents(texts, spans)
        found[key] = round(count / (time.perf_counter() - started))
    if exact:
        sentences = [
            text[start:end] for text, rows in zip(texts, spans, strict=True) for start, end in rows
        ]
        chosen = sentences[:EXACT_SENTENCES]
        encoder = sentence_encoder("exact")
        encoder.encode(chosen[:20])
        started = time.perf_counter()
        encoder.encode(chosen)
        found["exact_sentences_per_s"] = round(len(chosen) / (time.perf_counter() - started))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="25000,50000,100000")
    parser.add_argument("--exact", action="store_true", help="also time MiniLM (slow on a CPU)")
    parser.add_argument("--results", type=Path, default=None, help="write the figures as JSON")
    args = parser.parse_args(argv)
    corpus = DATA_DIR / f"corpus-{SOURCE_DOCS}.jsonl.gz"
    ensure_corpus(corpus, SOURCE_DOCS, None, None)
    figures: dict[str, Any] = {"throughput": throughput(corpus, args.exact)}
    print(json.dumps(figures["throughput"]), flush=True)
    figures["seeds_default_wall_seconds"] = seeds_wall()
    print(f"seeds, default scan: {figures['seeds_default_wall_seconds']} s", flush=True)
    sizes = [int(value) for value in args.sizes.split(",") if value]
    figures["stages"] = stage_rows(corpus, sizes)
    if args.results:
        args.results.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
