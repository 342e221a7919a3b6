"""The index's store: SQLite (what ``wiretrace.index.store`` uses) against DuckDB, on the parts
where the choice matters.

    python benchmarks/store_choice.py                       # 10,000 and 50,000 documents
    python benchmarks/store_choice.py --documents 10000 --json results/x.json

An index's postings are rows (key, document number): ~180 passage fingerprints and 64 LSH band
keys a document (the benchmark corpus's means). What the feed does with them, measured here on
random keys of the same counts, each store with the index on (key, number) that an index
needs to answer a key without reading the table:

- an add of 1,000 documents appends their rows and commits (durably: SQLite's WAL with
  ``synchronous=FULL``, as ``wiretrace.index.store`` opens it; DuckDB's commit writes its WAL
  and syncs it) into a table that holds ``--documents`` documents' rows;
- a query reads the rows of one article's keys (the keys of an indexed document, as a copy
  of it asks, and as many absent ones), one SQL statement each store;
- a reader in a second process while a writer holds the store open (the service beside an
  ``index add`` or ``index query`` on the command line).

Needs ``duckdb`` (in the ``bench`` extra; wiretrace itself does not use it).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

KEYS_PER_DOCUMENT = 244  # 180 fingerprints and 64 bands
ADD = 1_000
QUERIES = 50


def _rows(first: int, count: int, generator: np.random.Generator) -> np.ndarray:
    """``count`` documents' postings from document number ``first``: (key, number)."""
    keys = generator.integers(0, 2**62, size=count * KEYS_PER_DOCUMENT, dtype=np.int64)
    numbers = np.repeat(np.arange(first, first + count, dtype=np.int64), KEYS_PER_DOCUMENT)
    return np.stack([keys, numbers], axis=1)


class Sqlite:
    name = "sqlite"

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path / "index.sqlite", isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute("CREATE TABLE postings (key INTEGER NOT NULL, number INTEGER NOT NULL)")
        self.db.execute("CREATE INDEX postings_key ON postings (key, number)")

    def add(self, rows: np.ndarray) -> None:
        self.db.execute("BEGIN")
        self.db.executemany("INSERT INTO postings VALUES (?, ?)", rows.tolist())
        self.db.execute("COMMIT")

    def query(self, keys: np.ndarray) -> int:
        marks = ",".join("?" * len(keys))
        query = f"SELECT key, number FROM postings WHERE key IN ({marks})"
        return len(self.db.execute(query, keys.tolist()).fetchall())

    def close(self) -> None:
        self.db.close()


class Duck:
    name = "duckdb"

    def __init__(self, path: Path) -> None:
        import duckdb

        self.db = duckdb.connect(str(path / "index.duckdb"))
        self.db.execute("CREATE TABLE postings (key BIGINT NOT NULL, number BIGINT NOT NULL)")
        self.db.execute("CREATE INDEX postings_key ON postings (key, number)")

    def add(self, rows: np.ndarray) -> None:
        import pyarrow as pa

        batch = pa.table({"key": rows[:, 0], "number": rows[:, 1]})  # noqa: F841 (by its name)
        self.db.execute("BEGIN TRANSACTION")
        self.db.execute("INSERT INTO postings SELECT key, number FROM batch")
        self.db.execute("COMMIT")

    def query(self, keys: np.ndarray) -> int:
        # the keys as a table joined to the postings (an IN list of the 488 keys took 18 ms
        # a query at 2,000 documents, the join 5.5 ms)
        import pyarrow as pa

        asked = pa.table({"key": keys})  # noqa: F841 (by its name)
        query = "SELECT postings.key, number FROM asked JOIN postings USING (key)"
        return len(self.db.execute(query).fetchall())

    def close(self) -> None:
        self.db.close()


def _reader(store: str, path: str, answer: Any) -> None:
    """In another process: open the store to read while the writer holds it."""
    try:
        if store == "sqlite":
            db = sqlite3.connect(f"file:{path}/index.sqlite?mode=ro", uri=True)
            found = db.execute("SELECT count(*) FROM postings").fetchone()[0]
        else:
            import duckdb

            found = (
                duckdb.connect(f"{path}/index.duckdb", read_only=True)
                .execute("SELECT count(*) FROM postings")
                .fetchone()[0]
            )
        answer.put(f"read {found:,} rows")
    except Exception as error:  # what the second process meets is the finding
        answer.put(f"refused: {type(error).__name__}: {str(error).splitlines()[0][:160]}")


def measure(kind: type, documents: int) -> dict[str, Any]:
    generator = np.random.default_rng(7)
    with tempfile.TemporaryDirectory() as folder:
        store = kind(Path(folder))
        for first in range(0, documents, 10_000):  # filled in parts, untimed
            store.add(_rows(first, min(10_000, documents - first), generator))
        adds = []
        for number in range(3):
            rows = _rows(documents + number * ADD, ADD, generator)
            started = time.perf_counter()
            store.add(rows)
            adds.append(time.perf_counter() - started)
        asked = _rows(0, documents, np.random.default_rng(7))[:, 0]  # the keys held, again
        latencies, found = [], 0
        for query in range(QUERIES):
            held = asked[query * KEYS_PER_DOCUMENT : (query + 1) * KEYS_PER_DOCUMENT]
            absent = generator.integers(0, 2**62, size=KEYS_PER_DOCUMENT, dtype=np.int64)
            keys = np.concatenate([held, absent])
            started = time.perf_counter()
            found += store.query(keys)
            latencies.append(time.perf_counter() - started)
        answer: Any = multiprocessing.get_context("spawn").Queue()
        reader = multiprocessing.get_context("spawn").Process(
            target=_reader, args=(kind.name, folder, answer)
        )
        reader.start()
        second = answer.get(timeout=120)
        reader.join()
        store.close()
        size = sum(path.stat().st_size for path in Path(folder).iterdir())
    return {
        "store": kind.name,
        "documents": documents,
        "rows": documents * KEYS_PER_DOCUMENT,
        "add_of_1000_s": [round(value, 3) for value in adds],
        "query_ms_p50": round(1000 * statistics.median(latencies), 2),
        "query_ms_max": round(1000 * max(latencies), 2),
        "rows_found": found,
        "second_process_reading_beside_the_writer": second,
        "bytes_per_document": round(size / (documents + 3 * ADD)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--json", type=Path)
    options = parser.parse_args()
    try:
        import duckdb
    except ImportError:
        sys.exit("store_choice.py needs duckdb: pip install duckdb")
    import duckdb

    found = [measure(kind, count) for count in options.documents for kind in (Sqlite, Duck)]
    for row in found:
        row["version"] = sqlite3.sqlite_version if row["store"] == "sqlite" else duckdb.__version__
    for row in found:
        print(json.dumps(row))
    if options.json:
        options.json.write_text(json.dumps(found, indent=1) + "\n", "utf-8")


if __name__ == "__main__":
    main()
