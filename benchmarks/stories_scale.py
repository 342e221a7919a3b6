"""Story clustering time and memory as the corpus grows (25k, 50k, 100k documents).

Each size is a scan of the first N documents of the benchmark corpus in its own process
(``--no-semantic``: embedding 100k documents takes hours on a CPU). The scan reports the
``stories`` stage's seconds; a thread samples the process's resident memory during that stage,
so the figure is what clustering adds on top of what the scan already held. Words and entities
are counted in the sketch workers, inside ``read_clean_sketch``; the run with
``--story-terms-cost`` times that counting on its own.

    python benchmarks/stories_scale.py                 # 25k, 50k, 100k
    python benchmarks/stories_scale.py --docs 5000,10000
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
CORPUS = BENCH_DIR / "data" / "corpus-100000.jsonl.gz"


def _rss_bytes() -> int:
    return int(Path("/proc/self/statm").read_text().split()[1]) * 4096


class SamplingReporter:
    """Records, for the ``stories`` stage, the memory at its start and the peak during it."""

    def __init__(self) -> None:
        self.start = 0
        self.peak = 0

    @contextmanager
    def stage(self, name: str, total: int | None) -> Iterator[object]:
        if name != "stories":
            yield lambda count: None
            return
        self.start = self.peak = _rss_bytes()
        running = True

        def sample() -> None:
            while running:
                self.peak = max(self.peak, _rss_bytes())
                time.sleep(0.02)

        thread = threading.Thread(target=sample, daemon=True)
        thread.start()
        try:
            yield lambda count: None
        finally:
            running = False
            thread.join()
            self.peak = max(self.peak, _rss_bytes())

    def warn(self, message: str) -> None:
        return None


def one_size(corpus: Path) -> dict[str, float]:
    """Scan ``corpus`` in this process; the story figures (run in a child process)."""
    from wiretrace import ScanConfig, scan

    reporter = SamplingReporter()
    result = scan([corpus], ScanConfig(semantic=False, workers=0), reporter=reporter)
    counts = result.summary["counts"]
    return {
        "documents": counts["documents"],
        "stories": counts["stories"],
        "stories_with_several": counts["stories_with_several"],
        "stories_seconds": result.summary["timings_seconds"]["stories"],
        "scan_seconds": sum(result.summary["timings_seconds"].values()),
        "rss_before_mb": reporter.start / 2**20,
        "stories_added_mb": (reporter.peak - reporter.start) / 2**20,
    }


def story_terms_cost(corpus: Path, documents: int = 5000) -> float:
    """Microseconds per document to count words and entities (one process)."""
    from wiretrace.sketch.topics import topic_terms

    texts = []
    with gzip.open(corpus, "rt", encoding="utf-8") as stream:
        for line in stream:
            texts.append(json.loads(line)["text"])
            if len(texts) == documents:
                break
    topic_terms(texts[0])  # compiles the kernel and builds the case tables
    started = time.perf_counter()
    for text in texts:
        topic_terms(text)
    return (time.perf_counter() - started) / len(texts) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", default="25000,50000,100000")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--story-terms-cost", action="store_true")
    options = parser.parse_args()
    if options.child:
        print(json.dumps(one_size(options.child)))
        return
    if not options.corpus.exists():
        sys.exit(f"no corpus at {options.corpus}: run benchmarks/generate_corpus.py first")
    if options.story_terms_cost:
        print(f"words and entities: {story_terms_cost(options.corpus):.0f} µs per document")
    print("| documents | stories (2+ members) | stories stage s | µs/doc | added memory MB |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for size in (int(value) for value in options.docs.split(",")):
            part = Path(folder) / f"corpus-{size}.jsonl.gz"
            with (
                gzip.open(options.corpus, "rt", encoding="utf-8") as source,
                gzip.open(part, "wt", encoding="utf-8", compresslevel=1) as target,
            ):
                for number, line in enumerate(source):
                    if number == size:
                        break
                    target.write(line)
            output = subprocess.run(
                [sys.executable, __file__, "--child", str(part)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            figures = json.loads(output.strip().splitlines()[-1])
            per_doc = figures["stories_seconds"] / figures["documents"] * 1e6
            print(
                f"| {figures['documents']:,} | {figures['stories']:,} "
                f"({figures['stories_with_several']:,}) | {figures['stories_seconds']:.1f} | "
                f"{per_doc:.0f} | {figures['stories_added_mb']:.0f} "
                f"(on {figures['rss_before_mb']:.0f}) |",
                flush=True,
            )


if __name__ == "__main__":
    main()
