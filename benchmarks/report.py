"""The HTML report at scale: its size, the time to build it, and how fast it opens in a browser.

For each corpus size (the generated benchmark corpus, ``generate_corpus.py``): scan it with
the default settings (semantic stage on, so every relation is present), write the report,
then open it in headless Chromium (Debian's ``chromium``, driven by Playwright as in the
tests) and measure: first contentful paint, the moment the overview is drawn and usable
(the page sets ``data-ready``), the time to open the documents view and a pair (its texts
decompressed and highlighted). Size and times go to ``results/<date>-report.json``.

    python benchmarks/report.py                      # 2,000 and 20,000 documents
    python benchmarks/report.py --docs 2000
    python benchmarks/report.py --screenshot docs/report-pair.png   # the README's picture

``--screenshot`` scans the seed articles (examples/seeds) and writes a picture of the pair
view of the wire story and its republished copy (the README's screenshot).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import generate_corpus
import pyarrow.parquet as pq
from run import ensure_corpus

from wiretrace import scan
from wiretrace.write import write_scan
from wiretrace.write.report import write_report

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
OPENS = 3  # each report is opened this many times; the median is reported


def _browser() -> str:
    found = os.environ.get("WIRETRACE_CHROMIUM") or shutil.which("chromium")
    if not found:
        sys.exit("no Chromium found: apt-get install chromium (or set WIRETRACE_CHROMIUM)")
    return found


def measure_open(report: Path, pair: tuple[str, str]) -> dict[str, float]:
    """Milliseconds to first paint, to a usable overview, to the documents view, to a pair."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=_browser(), args=["--no-sandbox"])
        runs: list[dict[str, float]] = []
        try:
            for _ in range(OPENS):
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                started = time.perf_counter()
                page.goto(report.resolve().as_uri())
                page.wait_for_selector("html[data-ready='1']", state="attached")
                usable = (time.perf_counter() - started) * 1000
                paint = page.evaluate(
                    "() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime"
                )
                started = time.perf_counter()
                page.evaluate("() => { location.hash = 'documents'; }")
                page.wait_for_selector("html[data-view='documents']", state="attached")
                documents = (time.perf_counter() - started) * 1000
                started = time.perf_counter()
                page.evaluate("(p) => { location.hash = `pair/${p[0]}~${p[1]}`; }", pair)
                page.wait_for_selector(
                    f"html[data-pair-ready='{pair[0]}~{pair[1]}']", state="attached"
                )
                opened = (time.perf_counter() - started) * 1000
                runs.append(
                    {
                        "first_paint_ms": float(paint or 0.0),
                        "usable_ms": usable,
                        "documents_view_ms": documents,
                        "pair_ms": opened,
                    }
                )
                page.close()
        finally:
            browser.close()
    return {key: round(statistics.median(run[key] for run in runs), 1) for key in runs[0]}


def bench(docs: int, folder: Path) -> dict[str, Any]:
    corpus = generate_corpus.default_out(docs).resolve()
    ensure_corpus(corpus, docs, None, None)
    out = folder / f"scan-{docs}"
    print(f"{docs:,} documents: scanning {corpus.name} ...", flush=True)
    started = time.perf_counter()
    write_scan(scan([corpus]), out)
    scanned = time.perf_counter() - started
    started = time.perf_counter()
    stats = write_report(out)
    built = time.perf_counter() - started
    print(
        f"  scan {scanned:.1f} s, report {built:.1f} s, {stats.size / 1e6:.1f} MB "
        f"({stats.documents:,} documents listed, {stats.texts:,} texts, {stats.matches:,} "
        "matches)",
        flush=True,
    )
    matches = pq.read_table(out / "matches.parquet", columns=["a", "b", "passages"]).to_pylist()
    busiest = max(matches, key=lambda row: len(row["passages"]))  # the most to highlight
    opened = measure_open(stats.path, (busiest["a"], busiest["b"]))
    print(
        f"  first paint {opened['first_paint_ms']:.0f} ms, usable {opened['usable_ms']:.0f} ms, "
        f"documents view {opened['documents_view_ms']:.0f} ms, a pair "
        f"{opened['pair_ms']:.0f} ms",
        flush=True,
    )
    return {
        "docs": docs,
        "scan_seconds": round(scanned, 2),
        "report_seconds": round(built, 2),
        "bytes": stats.size,
        "documents_listed": stats.documents,
        "texts": stats.texts,
        "matches": stats.matches,
        "stories_of_several": stats.stories,
        **opened,
    }


def screenshot(target: Path, folder: Path) -> None:
    from playwright.sync_api import sync_playwright

    out = folder / "seeds"
    write_scan(scan([REPO / "examples" / "seeds"]), out)
    report = write_report(out).path
    copy = sorted((REPO / "examples" / "seeds").glob("*.txt"))
    pair = f"{copy[0].stem}~{copy[1].stem}"
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=_browser(), args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1300, "height": 820})
        page.goto(f"{report.resolve().as_uri()}#pair/{pair}")
        page.wait_for_selector(f"html[data-pair-ready='{pair}']", state="attached")
        target.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(target))
        browser.close()
    print(f"wrote {target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", default="2000,20000", help="comma-separated corpus sizes")
    parser.add_argument("--screenshot", type=Path, help="write the README's picture here, only")
    parser.add_argument("--no-save", action="store_true", help="do not write the results file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="wiretrace-report-") as temporary:
        if args.screenshot:
            screenshot(args.screenshot, Path(temporary))
            return
        rows = [bench(int(docs), Path(temporary)) for docs in args.docs.split(",")]
    if not args.no_save:
        path = BENCH_DIR / "results" / f"{dt.date.today().isoformat()}-report.json"
        path.write_text(json.dumps({"chromium": _browser(), "rows": rows}, indent=2) + "\n")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
