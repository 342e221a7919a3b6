"""How well a deduplication keeps unique text: used by ``run.py`` for ``wiretrace dedup`` and,
for comparison, for the usual way the peers' pairs become a deduplicated corpus (keep one
document of each connected component of the pairs, drop the rest).

A dropped document *loses text* when less than half of its word 5-gram shingles are found in
the document kept in its place: nothing kept holds it. On the generated corpus a planted copy
is held by its family's kept member, so every lost document is unique text wrongly removed.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import peers

HELD = 0.5  # a dropped document is held when this share of its shingles is in the kept one


@dataclass
class DedupFigures:
    """What one deduplication removed, and what it lost."""

    documents: int
    kept: int
    dropped: int
    ideal_drops: int  # documents a perfect dedup drops: family members beyond the first
    planted_dropped: int  # dropped documents that belong to a planted family
    lost: int  # dropped documents nothing kept holds (unique text wrongly removed)
    lost_examples: list[str]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def components(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Each paired document's component, named by its smallest id (kept by such a dedup)."""
    parent: dict[str, str] = {}

    def find(item: str) -> str:
        parent.setdefault(item, item)
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    for a, b in pairs:
        first, second = sorted((find(a), find(b)))
        parent[second] = first
    return {item: find(item) for item in parent}


def by_components(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """The dropped documents of keep-one-per-component, each with the document kept."""
    return {item: root for item, root in components(pairs).items() if item != root}


def read_dropped_table(path: Path) -> dict[str, str]:
    """``wiretrace dedup``'s table beside its output: dropped id -> kept id."""
    dropped: dict[str, str] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                dropped[str(row["dropped"])] = str(row["kept"])
    return dropped


def read_ids(path: Path) -> list[str]:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return [str(json.loads(line)["id"]) for line in handle if line.strip()]


def figures(
    dropped: Mapping[str, str],
    texts: Mapping[str, str],
    family: Mapping[str, str],
) -> DedupFigures:
    """Score ``dropped`` (dropped id -> kept id) on the corpus ``texts``; ``family`` maps each
    planted copy to its original."""
    members: dict[str, set[str]] = {}
    for copy, original in family.items():
        members.setdefault(original, {original}).add(copy)
    in_family = {member for group in members.values() for member in group}
    lost = []
    for doc_id, kept in sorted(dropped.items()):
        own = set(peers.shingles(texts.get(doc_id, "")))
        held = own & set(peers.shingles(texts.get(kept, "")))
        if len(held) < HELD * max(1, len(own)):
            lost.append(doc_id)
    return DedupFigures(
        documents=len(texts),
        kept=len(texts) - len(dropped),
        dropped=len(dropped),
        ideal_drops=sum(len(group) - 1 for group in members.values()),
        planted_dropped=sum(1 for doc_id in dropped if doc_id in in_family),
        lost=len(lost),
        lost_examples=lost[:10],
    )


def corpus_texts(corpus: Path) -> dict[str, str]:
    return dict(peers.read_corpus(corpus))
