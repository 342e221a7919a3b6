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
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import tempfile
from pathlib import Path

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", default="25000,50000,100000", help="comma-separated sizes")
    parser.add_argument("--master", default="local[2]", help="Spark master URL")
    parser.add_argument("--no-save", action="store_true")
    options = parser.parse_args()
    rows = []
    print(
        "| documents | backend | seconds | peak MB | read+sketch | candidates | compare | "
        "group | stories | same tables |\n|---|---|---|---|---|---|---|---|---|---|"
    )
    with tempfile.TemporaryDirectory(prefix="wiretrace-spark-") as temporary:
        folder = Path(temporary)
        for docs in (int(value) for value in options.docs.split(",")):
            corpus = subset(docs, folder)
            local = scan_once(corpus, folder / f"local-{docs}", ["--backend", "local"])
            spark_options = ["--backend", "spark", "--spark-master", options.master]
            spark = scan_once(corpus, folder / f"spark-{docs}", spark_options)
            same = same_tables(folder / f"local-{docs}", folder / f"spark-{docs}")
            for name, row in (("local", local), (f"spark {options.master}", spark)):
                stages = row["timings"]
                stage = [
                    f"{stages.get(key, 0):.1f}"
                    for key in ("read_clean_sketch", "candidates", "compare", "group", "stories")
                ]
                print(
                    f"| {docs:,} | {name} | {row['seconds']} | {row['peak_mb']:,} | "
                    f"{' | '.join(stage)} | {same} |",
                    flush=True,
                )
            rows.append({"docs": docs, "local": local, "spark": spark, "same_tables": same})
    if not options.no_save:
        path = BENCH_DIR / "results" / f"{dt.date.today().isoformat()}-spark.json"
        path.write_text(json.dumps({"master": options.master, "rows": rows}, indent=1) + "\n")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
