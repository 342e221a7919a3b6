"""The Spark backend against the local one, as the corpus grows (issue 15).

For each size (the first N documents of the generated benchmark corpus; 200,000 from its own
generated corpus), ``wiretrace scan --no-semantic`` (big_clusters.py's ``scan_once``) runs
once with ``--backend local`` and once with ``--backend spark --spark-master local[2]``, each
in its own process (Spark writes the tables, a folder of parts each); the script prints wall
seconds, the stage seconds from ``summary.json`` and peak memory, checks that both backends
wrote the same tables, and writes
``results/<date>-spark.json``.

    python benchmarks/spark.py                         # 25k, 50k, 100k
    python benchmarks/spark.py --docs 25000,50000,100000,200000
    python benchmarks/spark.py --docs '' --crawl 10000 --crawl-files 8   # a crawl, 1 or 8 files
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import tempfile
from pathlib import Path
from typing import Any

from big_clusters import scan_once
from generate_corpus import default_out
from run import ensure_corpus

from wiretrace.write.tables import TABLES, read_table

BENCH_DIR = Path(__file__).resolve().parent


def subset(docs: int, folder: Path) -> Path:
    """The first ``docs`` documents of the 100,000-document corpus (or a corpus of that size
    when it is larger)."""
    if docs > 100_000:
        corpus = default_out(docs)
        ensure_corpus(corpus, docs, None, None)
        return corpus
    base = default_out(100_000)
    ensure_corpus(base, 100_000, None, None)
    target = folder / f"corpus-{docs}.jsonl"
    with gzip.open(base, "rt", encoding="utf-8") as source, target.open("w") as sink:
        for number, line in enumerate(source):
            if number == docs:
                break
            sink.write(line)
    return target


def same_tables(first: Path, second: Path) -> bool:
    """Whether two scans wrote the same tables (files or, from Spark, folders of parts)."""
    return all(
        read_table(first / f"{name}.parquet", name).equals(
            read_table(second / f"{name}.parquet", name)
        )
        for name in TABLES
    )


def split_crawl(crawl: Path, parts: int, folder: Path) -> Path:
    """The records of a gzip WARC (a gzip member each) cut into ``parts`` files of consecutive
    records, in a folder: the same pages in the same order, as a crawl of several files."""
    from warcio.archiveiterator import ArchiveIterator

    with crawl.open("rb") as stream:
        iterator = ArchiveIterator(stream)
        offsets = [iterator.get_record_offset() for _ in iterator]
    offsets.append(crawl.stat().st_size)
    data = crawl.read_bytes()
    target = folder / f"{crawl.name.split('.')[0]}-in-{parts}"
    target.mkdir()
    per_part = -(-(len(offsets) - 1) // parts)
    for part in range(parts):
        first, last = part * per_part, min((part + 1) * per_part, len(offsets) - 1)
        chunk = data[offsets[first] : offsets[last]]
        (target / f"part-{part:03}.warc.gz").write_bytes(chunk)
    return target


def crawl_rows(pages: int, parts: int, master: str, folder: Path) -> list[dict[str, Any]]:
    """The crawl of ``pages`` pages as one WARC file and as ``parts`` files, scanned by each
    backend: with one file Spark extracts the pages the driver reads (16 a task); with
    several it reads whole files on the executors."""
    from ingest import DATA_DIR, generate_crawl

    crawl = DATA_DIR / f"crawl-{pages}.warc.gz"
    if not crawl.exists():
        generate_crawl(crawl, pages)
    inputs = {"1 file": crawl, f"{parts} files": split_crawl(crawl, parts, folder)}
    spark_options = ["--backend", "spark", "--spark-master", master]
    print(
        f"\n| crawl of {pages:,} pages | backend | seconds | peak MB | read+sketch | compare | "
        "same tables |\n|---|---|---|---|---|---|---|"
    )
    rows = []
    for shape, given in inputs.items():
        local = scan_once(given, folder / f"crawl-local-{parts}-{shape}", ["--backend", "local"])
        spark = scan_once(given, folder / f"crawl-spark-{parts}-{shape}", spark_options)
        same = same_tables(
            folder / f"crawl-local-{parts}-{shape}", folder / f"crawl-spark-{parts}-{shape}"
        )
        for name, row in (("local", local), (f"spark {master}", spark)):
            stages = row["timings"]
            print(
                f"| {shape} | {name} | {row['seconds']} | {row['peak_mb']:,} | "
                f"{stages['read_clean_sketch']:.1f} | {stages['compare']:.1f} | {same} |",
                flush=True,
            )
        rows.append(
            {"pages": pages, "input": shape, "local": local, "spark": spark, "same_tables": same}
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", default="25000,50000,100000", help="comma-separated sizes")
    parser.add_argument("--master", default="local[2]", help="Spark master URL")
    parser.add_argument(
        "--crawl", type=int, default=0, help="also a WARC crawl of this many pages (0: none)"
    )
    parser.add_argument("--crawl-files", type=int, default=8, help="... cut into this many files")
    parser.add_argument("--no-save", action="store_true")
    options = parser.parse_args()
    rows: list[dict[str, Any]] = []
    crawled: list[dict[str, Any]] = []
    print(
        "| documents | backend | seconds | peak MB | read+sketch | recurring lines | candidates "
        "| compare | group | stories | same tables |\n|---|---|---|---|---|---|---|---|---|---|---|"
    )
    with tempfile.TemporaryDirectory(prefix="wiretrace-spark-") as temporary:
        folder = Path(temporary)
        for docs in (int(value) for value in options.docs.split(",") if value):
            corpus = subset(docs, folder)
            local = scan_once(corpus, folder / f"local-{docs}", ["--backend", "local"])
            spark_options = ["--backend", "spark", "--spark-master", options.master]
            spark = scan_once(corpus, folder / f"spark-{docs}", spark_options)
            same = same_tables(folder / f"local-{docs}", folder / f"spark-{docs}")
            for name, row in (("local", local), (f"spark {options.master}", spark)):
                stages = row["timings"]
                stage = [
                    f"{stages.get(key, 0):.1f}"
                    for key in (
                        "read_clean_sketch",
                        "recurring_lines",
                        "candidates",
                        "compare",
                        "group",
                        "stories",
                    )
                ]
                print(
                    f"| {docs:,} | {name} | {row['seconds']} | {row['peak_mb']:,} | "
                    f"{' | '.join(stage)} | {same} |",
                    flush=True,
                )
            ratio = spark["seconds"] / local["seconds"]
            print(f"| {docs:,} | spark / local | {ratio:.2f}x | | | | | | | | |", flush=True)
            rows.append({"docs": docs, "local": local, "spark": spark, "same_tables": same})
        if options.crawl:
            crawled = crawl_rows(options.crawl, options.crawl_files, options.master, folder)
    if options.no_save:
        return
    today = dt.date.today().isoformat()
    for name, found in (("spark", rows), ("spark-crawl", crawled)):
        if found:
            path = BENCH_DIR / "results" / f"{today}-{name}.json"
            path.write_text(json.dumps({"master": options.master, "rows": found}, indent=1) + "\n")
            print(f"wrote {path}")


if __name__ == "__main__":
    main()
