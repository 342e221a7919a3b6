"""Candidate pairs: exact copies first (big groups as stars), then LSH and shared passages."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from wiretrace.backend import Backend
from wiretrace.candidates.exact import exact_groups
from wiretrace.candidates.lsh import LshSearch
from wiretrace.candidates.neighbours import (
    unique_pairs,
)
from wiretrace.candidates.passages import passage_pairs
from wiretrace.config import ScanConfig
from wiretrace.group.duplicates import representative
from wiretrace.stages.sketching import Sketched
from wiretrace.stages.state import DocumentRows


@dataclass(frozen=True, slots=True)
class Stars:
    """Large groups of exact copies, compared as stars around their representatives."""

    group: NDArray[np.int64]  # per sketched document: its star, or -1
    edges: NDArray[np.int64]  # (representative, member) pairs, the smaller index first
    searched: NDArray[np.bool_]  # per document: not a star's member, or its representative

    @property
    def leaves(self) -> int:
        return len(self.edges)

    def apply(self, pairs: NDArray[np.int64]) -> NDArray[np.int64]:
        """``pairs`` without those inside one star, plus the star's edges."""
        if not len(self.edges):
            return pairs
        first, second = self.group[pairs[:, 0]], self.group[pairs[:, 1]]
        kept = pairs[(first < 0) | (first != second)]
        return unique_pairs(np.concatenate([kept, self.edges]), len(self.group))


def exact_stars(sketched: Sketched, rows: DocumentRows, config: ScanConfig) -> Stars:
    count = len(sketched.ids)
    group = np.full(count, -1, dtype=np.int64)
    searched = np.ones(count, dtype=bool)
    edges: list[tuple[int, int]] = []
    if config.big_group_size:
        lengths = np.array([rows.clean_chars[row] or 0 for row in sketched.rows], dtype=np.int64)
        hashes = np.array(sketched.text_hashes, dtype=np.uint64)
        for number, members in enumerate(exact_groups(hashes, lengths, config.big_group_size)):
            index = members.tolist()
            facts = {sketched.ids[i]: rows.facts(sketched.rows[i]) for i in index}
            by_id = {sketched.ids[i]: i for i in index}
            hub = by_id[representative(by_id, facts)]
            group[members] = number
            searched[members] = False
            searched[hub] = True
            edges.extend((min(hub, i), max(hub, i)) for i in index if i != hub)
    return Stars(group, np.array(edges, dtype=np.int64).reshape(-1, 2), searched)


def candidate_stage(
    sketched: Sketched,
    rows: DocumentRows,
    config: ScanConfig,
    backend: Backend,
) -> tuple[NDArray[np.int64], int, int, int, Stars]:
    """Candidate pairs (LSH, then shared passages; a large group of exact copies by its
    representative alone), band collisions, LSH pairs, passage pairs and the stars. The
    ``backend`` groups the documents by band."""
    stars = exact_stars(sketched, rows, config)
    searched = np.flatnonzero(stars.searched)
    if len(searched):
        search = LshSearch.of(config)
        found, collisions = backend.lsh_pairs(
            np.stack([sketched.signatures[i] for i in searched.tolist()]),
            np.array(sketched.shingles, dtype=np.int64)[searched],
            search,
        )
        pairs = searched[found].reshape(-1, 2)
    else:
        pairs, collisions = np.empty((0, 2), dtype=np.int64), 0
    verbatim_pairs = len(pairs)
    if config.finds_passages:
        empty = np.empty(0, dtype=np.uint64)
        fingerprints = [
            row if kept else empty
            for kept, row in zip(stars.searched.tolist(), sketched.fingerprints, strict=True)
        ]
        passages, _ = backend.aside(passage_pairs, fingerprints, pairs, config.passage_max_groups)
        pairs = unique_pairs(np.concatenate([pairs, passages]), len(sketched.ids))
    return pairs, collisions, verbatim_pairs, len(pairs) - verbatim_pairs, stars
