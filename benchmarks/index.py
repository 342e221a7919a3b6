"""The index against the batch scan: parity (copies, passages, rewrites, stories) on the dev
sets, added at once and in batches in a random order.

    python benchmarks/index.py parity [--sets ecb gva seeds] [--batches 5]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from stories_quality import bcubed, ecbplus_articles, gva_articles

from wiretrace import ScanConfig, scan
from wiretrace.index import Index
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["parity"])
    parser.add_argument("--sets", nargs="+", default=["ecb", "gva"])
    parser.add_argument("--batches", type=int, default=5)
    options = parser.parse_args()
    sets = {
        "ecb": lambda: _records(ecbplus_articles(DATA / "ecbplus-dev" / "ECB+")),
        "gva": lambda: _records(gva_articles(DATA)),
    }
    for name in options.sets:
        print(json.dumps(parity(sets[name](), options.batches, name), indent=1), flush=True)


if __name__ == "__main__":
    main()
