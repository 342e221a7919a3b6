"""What reading costs per document on the benchmark corpus (English): the page-noise rules,
language detection and cleaning alone (µs a document, best of three), and the copy scan in
one process (CPU seconds). Run it on two commits to see what a change costs:

    python benchmarks/read_cost.py [--docs 20000]
    git worktree add /tmp/before COMMIT && PYTHONPATH=/tmp/before/src python benchmarks/read_cost.py
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import wiretrace
from wiretrace import ScanConfig, scan
from wiretrace.clean import clean_text
from wiretrace.clean.boilerplate import blank, find_boilerplate

CORPUS = Path(__file__).parent / "data" / "corpus-100000.jsonl.gz"


def _best(count: int, work: Callable[[], Any]) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        work()
        best = min(best, (time.perf_counter() - started) / count * 1e6)
    return round(best, 1)


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--parts", type=int, default=4_000, help="documents timed by part")
    options = parser.parse_args()
    with gzip.open(CORPUS, "rt", encoding="utf-8") as stream:
        lines = [line for _, line in zip(range(options.docs), stream, strict=False)]
    texts = [json.loads(line)["text"] for line in lines[: options.parts]]
    bodies = [blank(text, find_boilerplate(text)) for text in texts]
    report: dict[str, Any] = {"wiretrace": str(Path(wiretrace.__file__).parent)}
    report["boilerplate_us"] = _best(len(texts), lambda: [find_boilerplate(t) for t in texts])
    report["clean_us"] = _best(len(texts), lambda: [clean_text(b, offsets=False) for b in bodies])
    try:
        from wiretrace.clean.language import detect_language
    except ImportError:  # a commit before language detection
        pass
    else:
        detect_language("warm the model up")
        report["language_us"] = _best(len(texts), lambda: [detect_language(b) for b in bodies])
    with tempfile.TemporaryDirectory() as work:
        corpus = Path(work) / "corpus.jsonl"
        corpus.write_text("".join(lines), encoding="utf-8")
        before, started = _cpu(), time.perf_counter()
        scan([corpus], ScanConfig(semantic=False, stories=False, workers=1))
        report["copy_scan_cpu_s"] = round(_cpu() - before, 1)
        report["copy_scan_wall_s"] = round(time.perf_counter() - started, 1)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
