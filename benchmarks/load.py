"""`wiretrace serve` under load, with locust (headless): writers adding articles one request
at a time and readers asking for documents, matches, stories and queries, against an index
of the GVA articles; then the index's count against the adds acknowledged.

    python benchmarks/load.py [--minutes 3] [--writers 4] [--readers 50] [--locust PATH]
        [--corpus-docs 20000]

Needs locust (`pip install locust`, in any environment: `--locust` names its executable)
and the service extra; the articles come from ../shared/data (GVA, and ECB+ for the adds).
``--corpus-docs N``: the index holds the first N documents of the benchmark corpus
(``generate_corpus.py``) instead of the GVA articles, and the writers add the documents that
follow them (each one new, where the ECB+ articles run out within a minute and an id sent
again is answered as indexed already).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from serving import WIRETRACE, serving
from stories_quality import ecbplus_articles, gva_articles

from wiretrace.index import Index

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"

LOCUSTFILE = """
import itertools, json, os, random
from locust import HttpUser, between, constant_pacing, task

KEY = os.environ["LOAD_KEY"]
ADDS = [json.loads(line) for line in open(os.environ["LOAD_ADDS"], encoding="utf-8")]
IDS = json.loads(open(os.environ["LOAD_IDS"], encoding="utf-8").read())
NEXT = itertools.count()
HEADERS = {"Authorization": f"Bearer {KEY}"}


class Writer(HttpUser):
    weight = int(os.environ["LOAD_WRITERS"])
    wait_time = constant_pacing(0.2)  # 5 documents a second each, when the server keeps up

    @task
    def add(self):
        record = ADDS[next(NEXT) % len(ADDS)]
        with self.client.post("/documents", json=[record], headers=HEADERS,
                              name="POST /documents", catch_response=True) as answer:
            if answer.status_code == 200 and answer.json()["added"] == 1:
                print("ADDED", record["id"], flush=True)


class Reader(HttpUser):
    weight = int(os.environ["LOAD_READERS"])
    wait_time = between(0.5, 1.5)

    @task(4)
    def document(self):
        self.client.get(f"/documents/{random.choice(IDS)}", name="GET /documents/{id}")

    @task(4)
    def matches(self):
        self.client.get(f"/documents/{random.choice(IDS)}/matches",
                        name="GET /documents/{id}/matches")

    @task(2)
    def stories(self):
        self.client.get("/stories?limit=20", name="GET /stories")

    @task(1)
    def query(self):
        record = random.choice(ADDS)
        self.client.post("/query", json=[{"id": "q", "text": record["text"]}], name="POST /query")
"""


def _write(records: list[dict[str, Any]], path: Path) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    return path


def _articles(corpus_docs: int, adds: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """What the index holds before the load and what the writers add: the GVA articles and
    the ECB+ ones, or the first ``corpus_docs`` documents of the benchmark corpus and the
    ``adds`` after them."""
    if not corpus_docs:
        indexed = [
            {"id": a.id, "text": a.text, "title": a.title, "published": a.published}
            for a in gva_articles(DATA)
        ]
        return indexed, [
            {"id": f"add-{a.id}", "text": a.text}
            for a in ecbplus_articles(DATA / "ecbplus-dev" / "ECB+")
        ]
    corpus = Path(__file__).parent / "data" / "corpus-100000.jsonl.gz"
    with gzip.open(corpus, "rt", encoding="utf-8") as stream:
        found = [
            json.loads(line) for _, line in zip(range(corpus_docs + adds), stream, strict=False)
        ]
    return found[:corpus_docs], found[corpus_docs:]


def load(
    minutes: float, writers: int, readers: int, locust: str, corpus_docs: int = 0
) -> dict[str, Any]:
    key = secrets.token_urlsafe(24)
    # as many as the writers may ask for, at 5 a second each
    indexed, adds = _articles(corpus_docs, int(writers * 5 * 60 * minutes) + 100)
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        index = folder / "index"
        wiretrace = WIRETRACE
        subprocess.run([*wiretrace, "index", "create", str(index), "-q"], check=True)
        started = time.perf_counter()
        subprocess.run(
            [
                *wiretrace,
                "index",
                "add",
                str(index),
                str(_write(indexed, folder / "indexed.jsonl")),
                "-q",
            ],
            check=True,
        )
        build = time.perf_counter() - started
        log = folder / "server.log"
        with serving(index, key, log) as base:
            (folder / "locustfile.py").write_text(LOCUSTFILE, "utf-8")
            env = {
                **os.environ,
                "LOAD_KEY": key,
                "LOAD_ADDS": str(_write(adds, folder / "adds.jsonl")),
                "LOAD_IDS": str(folder / "ids.json"),
                "LOAD_WRITERS": str(writers),
                "LOAD_READERS": str(readers),
            }
            (folder / "ids.json").write_text(json.dumps([r["id"] for r in indexed]))
            run = subprocess.run(
                [
                    locust,
                    "-f",
                    str(folder / "locustfile.py"),
                    "--headless",
                    "-u",
                    str(writers + readers),
                    "-r",
                    str(writers + readers),
                    "-t",
                    f"{int(minutes * 60)}s",
                    "--host",
                    base,
                    "--csv",
                    str(folder / "load"),
                    "--only-summary",
                ],
                env=env,
                capture_output=True,
                text=True,
            )
        acknowledged = set(re.findall(r"^ADDED (\S+)$", run.stdout, re.MULTILINE))
        with Index.open(index) as opened:
            documents = opened.store.count()
            held = set(opened.store.numbers_of(sorted(acknowledged)))
        rows = list(csv.DictReader((folder / "load_stats.csv").open()))
        lines = log.read_text().splitlines()
        return {
            "index_documents_before": len(indexed),
            "index_build_s": round(build, 1),
            "minutes": minutes,
            "writers": writers,
            "readers": readers,
            "adds_acknowledged": len(acknowledged),
            "documents_after": documents,
            # an add the server committed while locust was stopping is there unacknowledged
            "acknowledged_missing": len(acknowledged - held),
            "server_5xx": sum(1 for line in lines if re.search(r'" 5\d\d ', line)),
            "endpoints": {
                row["Name"]: {
                    "requests": int(row["Request Count"]),
                    "failures": int(row["Failure Count"]),
                    "rps": round(float(row["Requests/s"]), 2),
                    "p50_ms": row["50%"],
                    "p99_ms": row["99%"],
                }
                for row in rows
            },
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=3)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--locust", default=shutil.which("locust") or "locust")
    parser.add_argument("--corpus-docs", type=int, default=0)
    options = parser.parse_args()
    found = load(
        options.minutes, options.writers, options.readers, options.locust, options.corpus_docs
    )
    print(json.dumps(found, indent=1))


if __name__ == "__main__":
    main()
