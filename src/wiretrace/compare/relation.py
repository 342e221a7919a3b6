"""Decide the relation of a candidate pair, or nothing when no threshold holds."""

from __future__ import annotations

import numpy as np

from wiretrace.compare.align import Prepared, align, coverage, member_of
from wiretrace.config import ScanConfig
from wiretrace.records import Match, Passage, Relation

VERBATIM = "verbatim"


def _passage(
    a: Prepared, b: Prepared, passage_words: tuple[int, int, int, int], similarity: float
) -> Passage:
    a_start, a_end = a.original_span(passage_words[0], passage_words[1])
    b_start, b_end = b.original_span(passage_words[2], passage_words[3])
    return Passage(a_start, a_end, b_start, b_end, VERBATIM, round(similarity, 4))


def pair_scores(a: Prepared, b: Prepared) -> tuple[float, float, float]:
    """Exact Jaccard of the two documents' shingle sets and the containment of each in the
    other, rounded as written."""
    if a.unique.size == 0 or b.unique.size == 0:
        return 0.0, 0.0, 0.0
    intersection = int(member_of(a.unique, b.unique).sum())
    union = a.unique.size + b.unique.size - intersection
    return (
        round(intersection / union, 4),
        round(intersection / a.unique.size, 4),
        round(intersection / b.unique.size, 4),
    )


def compare_pair(
    a_id: str, a: Prepared, b_id: str, b: Prepared, config: ScanConfig
) -> Match | None:
    """Exact Jaccard and containments, verbatim passages and the relation; None when the pair
    shares no passage of at least ``min_passage_words`` words."""
    if a_id > b_id:
        a_id, a, b_id, b = b_id, b, a_id, a
    words_a, words_b = len(a.words), len(b.words)
    if words_a == 0 or words_b == 0:
        return None
    shared = a.unique[member_of(a.unique, b.unique)]
    intersection = int(shared.size)
    if intersection == 0:
        return None
    union = a.unique.size + b.unique.size - intersection
    jaccard = intersection / union
    containment_a = intersection / a.unique.size
    containment_b = intersection / b.unique.size
    scores = (round(jaccard, 4), round(containment_a, 4), round(containment_b, 4))
    if words_a == words_b and np.array_equal(a.clean.codes, b.clean.codes):
        whole = _passage(a, b, (0, words_a, 0, words_b), 1.0)
        return Match(a_id, b_id, Relation.EXACT, *scores, passages=(whole,))
    found = [
        passage
        for passage in align(a, b, shared, config.max_gap_words)
        if min(passage.a_end - passage.a_start, passage.b_end - passage.b_start)
        >= config.min_passage_words
    ]
    if not found:
        return None
    coverage_a = coverage(found, words_a, "a")
    coverage_b = coverage(found, words_b, "b")
    if min(coverage_a, coverage_b) >= config.near_duplicate_coverage:
        relation = Relation.NEAR_DUPLICATE
    elif max(coverage_a, coverage_b) >= config.contained_coverage:
        relation = Relation.CONTAINED
    else:
        relation = Relation.PARTIAL
    passages = tuple(
        _passage(
            a,
            b,
            (passage.a_start, passage.a_end, passage.b_start, passage.b_end),
            passage.similarity(a.shingle_size),
        )
        for passage in sorted(found, key=lambda passage: (passage.a_start, passage.b_start))
    )
    return Match(a_id, b_id, relation, *scores, passages=passages)
