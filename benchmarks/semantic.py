"""Cost of the semantic stage: embedding throughput and how the stage grows with the corpus.

Runs ``wiretrace.scan`` on the first N documents of the benchmark corpus for several N, with
and without the semantic stage, in this process (the model loads once, before timing), and
prints per size: sentences embedded, the stage's seconds (``timings_seconds["semantic"]``:
sentence splitting, embedding, nearest neighbours), sentences/s, seconds per document, the
candidate pairs it adds, and the matches by relation. A stage whose cost follows the number of
documents, not of pairs, shows a flat seconds-per-document column.

    python benchmarks/semantic.py                     # 200, 400, 800 documents
    python benchmarks/semantic.py --sizes 1000,2000
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import sys
import tempfile
import time
from pathlib import Path

from run import ensure_corpus

from wiretrace import ScanConfig, scan
from wiretrace.semantic import load_encoder, sentence_spans

DATA_DIR = Path(__file__).resolve().parent / "data"
SOURCE_DOCS = 2_000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="200,400,800")
    parser.add_argument("--results", type=Path, default=None, help="write the figures as JSON")
    args = parser.parse_args(argv)
    corpus = DATA_DIR / f"corpus-{SOURCE_DOCS}.jsonl.gz"
    ensure_corpus(corpus, SOURCE_DOCS, None, None)
    started = time.perf_counter()
    load_encoder()
    print(f"model loaded in {time.perf_counter() - started:.1f} s", flush=True)
    rows = []
    for size in [int(value) for value in args.sizes.split(",")]:
        with gzip.open(corpus, "rt", encoding="utf-8") as stream:
            lines = list(itertools.islice(stream, size))
        sentences = sum(len(sentence_spans(json.loads(line)["text"])) for line in lines)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "corpus.jsonl"
            path.write_text("".join(lines), encoding="utf-8")
            plain = scan([path], ScanConfig(semantic=False))
            semantic = scan([path], ScanConfig())
        seconds = semantic.summary["timings_seconds"]["semantic"]
        counts = semantic.summary["counts"]
        rows.append(
            {
                "documents": size,
                "sentences": sentences,
                "semantic_seconds": round(seconds, 2),
                "sentences_per_s": round(sentences / seconds, 1),
                "ms_per_document": round(1000 * seconds / size, 1),
                "verbatim_pairs": counts["verbatim_candidate_pairs"],
                "pairs_with_semantic": counts["candidate_pairs"],
                "scan_seconds_without": round(sum(plain.summary["timings_seconds"].values()), 2),
                "matches_by_relation": {
                    name: count for name, count in counts["matches_by_relation"].items() if count
                },
            }
        )
        print(json.dumps(rows[-1]), flush=True)
    if args.results:
        args.results.write_text(json.dumps(rows, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
