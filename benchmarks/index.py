"""The index against the batch scan: parity (copies, passages, rewrites, stories) on the dev
sets, added at once and in batches in a random order.

    python benchmarks/index.py parity [--sets ecb gva] [--batches 5]
    python benchmarks/index.py build [--docs 20000] [--batch 1000] [--queries 50]
        [--whole-below 20000] [--growth 0.25]
    python benchmarks/index.py query [--docs 100000] [--queries 50] [--index PATH]
        [--no-semantic]
    python benchmarks/index.py pairs [--docs 100000] [--batch 1000]

``build``: the first DOCS documents of the benchmark corpus added in batches of BATCH (time,
peak memory), the batch scan of the same documents in the same run, then QUERIES articles
queried one at a time (p50 / p99), and the index's size by part.

``pairs``: the passage pairs adds of BATCH propose as an index grows to DOCS documents,
against those a scan of the same documents proposes (see ``proposed``).

``query``: query latency against a large index: the first DOCS documents of the benchmark
corpus indexed by one add (or the index at PATH, made so when it is not there), then the
articles of another corpus (``generate_corpus.py --docs 2000 --seed 7``, made when missing:
the same sentence pool, other arrangements and plants) asked one at a time: QUERIES of them
first to warm what a running service holds (the index's vectors, the sentence model's word
cache), then QUERIES others timed.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from stories_quality import bcubed, ecbplus_articles, gva_articles

from wiretrace import ScanConfig, scan
from wiretrace.index import Index, UpdatePolicy
from wiretrace.records import Relation
from wiretrace.stages.state import ScanResult

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
COPIES = {Relation.EXACT, Relation.NEAR_DUPLICATE, Relation.CONTAINED, Relation.PARTIAL}


def _records(articles: Sequence[Any]) -> list[dict[str, Any]]:
    found = []
    for article in articles:
        record: dict[str, Any] = {"id": article.id, "text": article.text}
        for field in ("title", "published", "url"):
            if getattr(article, field, None) is not None:
                record[field] = getattr(article, field)
        found.append(record)
    return found


def _write(records: Sequence[dict[str, Any]], path: Path) -> Path:
    with path.open("w", encoding="utf-8") as stream:
        for record in records:
            stream.write(json.dumps(record) + "\n")
    return path


def relations(result: ScanResult, kinds: set[Relation]) -> set[tuple[Any, ...]]:
    """The matches of ``kinds`` with their passages, as comparable tuples."""
    return {
        (match.a, match.b, match.relation.value, match.passages)
        for match in result.matches
        if match.relation in kinds
    }


def story_agreement(index: ScanResult, batch: ScanResult) -> float:
    """B-cubed F1 of the index's stories against the batch's."""
    found, wanted = index.story_of(), batch.story_of()
    ids = sorted(wanted)
    return bcubed([found.get(doc_id, -1) for doc_id in ids], [wanted[doc_id] for doc_id in ids])[2]


def indexed(order: Sequence[dict[str, Any]], batches: int, folder: Path) -> ScanResult:
    """The records added to a new index in ``batches`` batches, in order."""
    index_path = folder / f"index-{batches}"
    with Index.create(index_path, ScanConfig(workers=1)) as index:
        size = -(-len(order) // batches)
        for number, start in enumerate(range(0, len(order), size)):
            part = _write(order[start : start + size], folder / f"part-{batches}-{number}.jsonl")
            index.add([part])
        return index.result()


def parity(records: Sequence[dict[str, Any]], batches: int, name: str) -> dict[str, Any]:
    """The index against the scan: all at once in the input order, and in ``batches`` batches
    of a random order against a scan of the records in that order (a scan too names a group
    of copies by its first member read, so the order is part of the question)."""
    report: dict[str, Any] = {"set": name, "documents": len(records)}
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        for runs in (1, batches):
            order = list(records)
            if runs > 1:
                random.Random(7).shuffle(order)
            corpus = _write(order, folder / f"corpus-{runs}.jsonl")
            started = time.perf_counter()
            batch = scan([corpus], ScanConfig(workers=1))
            scan_seconds = time.perf_counter() - started
            started = time.perf_counter()
            found = indexed(order, runs, folder)
            copies_b, copies_i = relations(batch, COPIES), relations(found, COPIES)
            para_b = relations(batch, {Relation.PARAPHRASE})
            para_i = relations(found, {Relation.PARAPHRASE})
            report[f"batches_{runs}"] = {
                "scan_s": round(scan_seconds, 1),
                "index_s": round(time.perf_counter() - started, 1),
                "copies_batch": len(copies_b),
                "copies_same": copies_b == copies_i,
                "copies_missing": len(copies_b - copies_i),
                "copies_extra": len(copies_i - copies_b),
                "paraphrase_batch": len(para_b),
                "paraphrase_missing": len(para_b - para_i),
                "paraphrase_extra": len(para_i - para_b),
                "stories_bcubed_f1": round(story_agreement(found, batch), 4),
            }
    return report


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(docs: int, batch: int, queries: int, policy: UpdatePolicy) -> dict[str, Any]:
    corpus = Path(__file__).parent / "data" / "corpus-100000.jsonl.gz"
    with gzip.open(corpus, "rt", encoding="utf-8") as stream:
        records = [json.loads(line) for _, line in zip(range(docs + queries), stream, strict=False)]
    asked, records = records[docs:], records[:docs]
    report: dict[str, Any] = {
        "documents": docs,
        "batch": batch,
        "whole_below": policy.whole_below,
        "growth": policy.growth,
    }
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        started = time.perf_counter()
        scan([_write(records, folder / "all.jsonl")], ScanConfig())
        report["scan_s"] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        adds, whole = [], []
        with Index.create(folder / "index", ScanConfig(), policy) as index:
            for start in range(0, docs, batch):
                part = _write(records[start : start + batch], folder / "part.jsonl")
                found = index.add([part])
                adds.append(found.seconds)
                whole.append(found.whole_pass)
                part.unlink()
                kind = "whole" if found.whole_pass else "provisional"
                print(f"add into {start:,}: {found.seconds:.1f} s, {kind}", file=sys.stderr)
            report["whole_passes"] = sum(whole)
            report["add_s"] = [round(seconds, 1) for seconds in adds]
            report["build_s"] = round(time.perf_counter() - started, 1)
            report["build_over_scan"] = round(report["build_s"] / report["scan_s"], 2)
            report["add_s_first_last"] = [round(adds[0], 2), round(adds[-1], 2)]
            report["peak_rss_mib"] = round(_peak_mib())
            latencies = []
            for number, record in enumerate(asked):
                path = _write([record], folder / f"q{number}.jsonl")
                started = time.perf_counter()
                index.query([path])
                latencies.append(time.perf_counter() - started)
            latencies.sort()
            report["query_ms_p50"] = round(1000 * latencies[len(latencies) // 2], 1)
            report["query_ms_p99"] = round(1000 * latencies[int(0.99 * (len(latencies) - 1))], 1)
            stats = index.stats()
        report["bytes_per_document"] = {
            name: round(size / docs) for name, size in stats["blob_bytes"].items()
        }
        report["file_bytes_per_document"] = round(stats["file_bytes"] / docs)
        report["table_bytes_per_document"] = {
            name: round(size / docs) for name, size in stats["table_bytes"].items()
        }
    return report


def proposed(docs: int, batch: int) -> dict[str, Any]:
    """The passage pairs that adds of ``batch`` propose as an index grows to ``docs``
    documents of the benchmark corpus, against those a scan of all of them proposes: the
    work a build by adds does that a scan of the whole never does. A fingerprint held by more
    than ``passage_max_groups`` groups proposes nothing, so a pool sentence proposes pairs
    while few documents hold it and none once many do. Approximate (no page-noise rules,
    each document its own group): the passage kernel over the clean texts' fingerprints."""
    from wiretrace.candidates.passages import passage_pairs_grouped
    from wiretrace.clean import clean_text
    from wiretrace.sketch.minhash import Permutations, sketch_texts

    config = ScanConfig()
    corpus = Path(__file__).parent / "data" / "corpus-100000.jsonl.gz"
    with gzip.open(corpus, "rt", encoding="utf-8") as stream:
        texts = [json.loads(line)["text"] for _, line in zip(range(docs), stream, strict=False)]
    permutations = Permutations.create(config.num_perm, config.seed)
    prints: list[Any] = []
    for start in range(0, len(texts), 5_000):
        cleaned = [clean_text(text, offsets=False) for text in texts[start : start + 5_000]]
        sketches = sketch_texts(
            cleaned,
            config.shingle_size,
            permutations,
            config.min_passage_words,
            config.passage_window,
        )
        offsets = sketches.fingerprint_offsets
        prints.extend(
            sketches.fingerprints[offsets[i] : offsets[i + 1]] for i in range(len(cleaned))
        )
    report: dict[str, Any] = {"documents": docs, "batch": batch, "by_size": []}
    by_adds = 0
    for end in range(batch, docs + 1, batch):
        found, _ = passage_pairs_grouped(
            prints[:end], np.arange(end, dtype=np.int64), config.passage_max_groups
        )
        by_adds += int((found >= end - batch).any(axis=1).sum())
        if end % max(batch, docs // 10) == 0 or end == docs:
            report["by_size"].append({"documents": end, "by_adds": by_adds, "scan": len(found)})
    report["by_adds"], report["scan"] = by_adds, report["by_size"][-1]["scan"]
    return report


def _query_articles(count: int) -> list[dict[str, Any]]:
    corpus = Path(__file__).parent / "data" / "corpus-2000.jsonl.gz"
    if not corpus.exists():
        script = Path(__file__).parent / "generate_corpus.py"
        subprocess.run([sys.executable, str(script), "--docs", "2000", "--seed", "7"], check=True)
    with gzip.open(corpus, "rt", encoding="utf-8") as stream:
        return [
            dict(json.loads(line), id=f"query-{number}")
            for number, line in zip(range(count), stream, strict=False)
        ]


def query_latency(
    docs: int, queries: int, index_path: Path | None, semantic: bool
) -> dict[str, Any]:
    corpus = Path(__file__).parent / "data" / "corpus-100000.jsonl.gz"
    asked = _query_articles(2 * queries)
    report: dict[str, Any] = {"documents": docs, "queries": queries, "semantic": semantic}
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        path = index_path or folder / "index"
        if not (path / "index.sqlite").exists():
            with gzip.open(corpus, "rt", encoding="utf-8") as stream:
                records = [json.loads(line) for _, line in zip(range(docs), stream, strict=False)]
            started = time.perf_counter()
            with Index.create(path, ScanConfig(semantic=semantic)) as index:
                index.add([_write(records, folder / "all.jsonl")])
            report["build_s"] = round(time.perf_counter() - started, 1)
        with Index.open(path) as index:
            report["indexed"] = index.store.count()
            read = _counting(index)
            latencies, rows = [], []
            for number, record in enumerate(asked):
                asking = _write([record], folder / f"q{number}.jsonl")
                read.clear()
                started = time.perf_counter()
                index.query([asking])
                if number >= queries:  # the first ones warm what a service holds
                    latencies.append(time.perf_counter() - started)
                    rows.append(dict(read))
        latencies.sort()
        report["query_ms_p50"] = round(1000 * latencies[len(latencies) // 2], 1)
        report["query_ms_p99"] = round(1000 * latencies[int(0.99 * (len(latencies) - 1))], 1)
        # what grows with the index: the postings rows a query reads, by table (median)
        report["postings_rows_p50"] = {
            table: sorted(row.get(table, 0) for row in rows)[len(rows) // 2]
            for table in sorted({table for row in rows for table in row})
        }
        report["peak_rss_mib"] = round(_peak_mib())
    return report


def _counting(index: Index) -> dict[str, int]:
    """The postings rows ``index``'s store reads, by table, counted from now on."""
    read: dict[str, int] = {}
    postings = index.store.postings

    def counted(table: str, keys: Any, first: int = 0) -> tuple[Any, ...]:
        found = postings(table, keys, first) if first else postings(table, keys)
        read[table] = read.get(table, 0) + len(found[0])
        return found

    index.store.postings = counted  # type: ignore[method-assign]
    return read


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["parity", "build", "query", "pairs"])
    parser.add_argument("--sets", nargs="+", default=["ecb", "gva"])
    parser.add_argument("--batches", type=int, default=5)
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=1_000)
    parser.add_argument("--queries", type=int, default=50)
    default = UpdatePolicy()
    parser.add_argument(
        "--whole-below",
        type=int,
        default=default.whole_below,
        help="build: every add works the whole index out up to this many documents",
    )
    parser.add_argument(
        "--growth",
        type=float,
        default=default.growth,
        help="build: and when the documents added since the last whole pass pass this share",
    )
    parser.add_argument("--index", type=Path, help="query: the index to ask (made if missing)")
    parser.add_argument("--no-semantic", dest="semantic", action="store_false")
    options = parser.parse_args()
    if options.what == "query":
        found = query_latency(options.docs, options.queries, options.index, options.semantic)
        print(json.dumps(found, indent=1))
        return
    if options.what == "pairs":
        print(json.dumps(proposed(options.docs, options.batch), indent=1))
        return
    if options.what == "build":
        policy = UpdatePolicy(options.whole_below, options.growth)
        print(json.dumps(build(options.docs, options.batch, options.queries, policy), indent=1))
        return
    sets = {
        "ecb": lambda: _records(ecbplus_articles(DATA / "ecbplus-dev" / "ECB+")),
        "gva": lambda: _records(gva_articles(DATA)),
    }
    for name in options.sets:
        print(json.dumps(parity(sets[name](), options.batches, name), indent=1), flush=True)


if __name__ == "__main__":
    main()
