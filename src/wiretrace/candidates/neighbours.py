"""Nearest neighbours over L2-normalised document vectors (inner product = cosine), with faiss.

Up to ``EXACT_MAX`` documents the search is exact (a flat index: blocked matrix products,
fastest at that size); above it, an HNSW graph, whose time grows about as n log n instead of
n². Measured on 256-dimension vectors with 2 cores: exact 3.3 / 12.6 / 49 s at 25k / 50k /
100k, HNSW 5.9 / 14.8 / 32 s. The graph is built on one thread so that runs are repeatable
(faiss adds points in parallel in an order that varies); searching is parallel and
repeatable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from wiretrace.semantic.cosines import pair_cosines

if TYPE_CHECKING:
    import faiss

EXACT_MAX = 20_000
_HNSW_LINKS = 16
_HNSW_BUILD_BREADTH = 40
_HNSW_SEARCH_BREADTH = 64
_SPARE = 4  # neighbours proposed beyond those kept, re-ranked by exact cosines
# A document's vector is the mean of its sentences'. A long one (a feature, a digest, a page of
# several items) is a little near each of its subjects and very near none, so its nearest few
# are spread over them: it proposes ``neighbours`` more for every ``SENTENCES_PER_SET``
# sentences it holds, up to ``MOST_SETS`` times as many (news articles, 20-30 sentences, are
# not touched). Measured on PAN 2013 (pages of a median 85 sentences that retell a few
# sentences of a 24-sentence source): rewritten passages found 0.64 / 0.66 / 0.69 -> 0.68 /
# 0.69 / 0.70, 9% more neighbour pairs (benchmarks/README.md, "Rewrites").
SENTENCES_PER_SET = 50
MOST_SETS = 4


def neighbours_wanted(sentences: NDArray[np.int64], neighbours: int) -> NDArray[np.int64]:
    """How many neighbours each document proposes, by its number of sentences."""
    sets = np.maximum(1.0, np.asarray(sentences, dtype=np.float64) / SENTENCES_PER_SET)
    wanted: NDArray[np.int64] = np.minimum(
        neighbours * MOST_SETS, np.floor(neighbours * sets)
    ).astype(np.int64)
    return wanted


def nearest(
    vectors: NDArray[np.float32], neighbours: int, wanted: NDArray[np.int64] | None = None
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """For every row, the ``neighbours`` (or its own number in ``wanted``) most similar
    other rows and their cosines, most similar first (a row with fewer is padded with index
    -1 and cosine 0).

    faiss computes cosines in float32 with BLAS, whose last bits depend on the threads and
    the CPU: it proposes ``_SPARE`` more neighbours than kept, and each row keeps the most
    similar by the cosine rounded to ``PRECISION`` decimals (``wiretrace.semantic.cosines``),
    ties broken by row number, so that the neighbours and their cosines are the same on any
    machine and backend. Rows that want the same number are searched together, so that a
    row's neighbours do not depend on what the others want."""
    import faiss  # here: a scan without stories or the semantic stage never loads it (~30 ms)

    count, dimensions = vectors.shape
    keeps = np.full(count, neighbours, dtype=np.int64) if wanted is None else wanted
    keeps = np.minimum(keeps, count - 1)
    data = np.ascontiguousarray(vectors, dtype=np.float32)
    if count <= EXACT_MAX:
        index: faiss.Index = faiss.IndexFlatIP(dimensions)
        index.add(data)
    else:
        index = faiss.IndexHNSWFlat(dimensions, _HNSW_LINKS, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = _HNSW_BUILD_BREADTH
        threads = faiss.omp_get_max_threads()
        faiss.omp_set_num_threads(1)
        try:
            index.add(data)
        finally:
            faiss.omp_set_num_threads(threads)
    widest = int(keeps.max()) if count else 0
    kept = np.full((count, widest), -1, dtype=np.int64)
    kept_similarities = np.zeros((count, widest))
    for keep in np.unique(keeps).tolist():
        rows = np.flatnonzero(keeps == keep)
        found, similarities = _search(index, data, rows, keep)
        kept[rows, :keep], kept_similarities[rows, :keep] = found, similarities
    return kept, kept_similarities


def _search(
    index: faiss.Index, data: NDArray[np.float32], rows: NDArray[np.intp], keep: int
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """The ``keep`` nearest other rows of ``rows`` (``nearest``)."""
    count = len(data)
    proposed = min(keep + _SPARE, count - 1)
    if hasattr(index, "hnsw"):
        index.hnsw.efSearch = max(_HNSW_SEARCH_BREADTH, proposed + 1)
    _, found = index.search(data[rows], proposed + 1)
    found = found.astype(np.int64)
    mine = np.repeat(rows.astype(np.int64), proposed + 1).reshape(found.shape)
    # each row itself (ties may put it anywhere among the first, or leave it out) and the
    # padding go last
    absent = (found < 0) | (found == mine)
    similarities = np.full(found.shape, -np.inf)
    present = ~absent
    similarities[present] = pair_cosines(data, np.stack([mine[present], found[present]], axis=1))
    order = np.lexsort((np.where(absent, count, found), -similarities), axis=1)[:, :keep]
    kept = np.take_along_axis(found, order, axis=1)
    kept_similarities = np.take_along_axis(similarities, order, axis=1)
    gone = np.take_along_axis(absent, order, axis=1)
    kept[gone] = -1
    kept_similarities[gone] = 0.0
    return kept, kept_similarities


def neighbour_pairs(
    vectors: NDArray[np.float32],
    neighbours: int,
    min_similarity: float,
) -> NDArray[np.int64]:
    """Pairs ``(i, j)``, ``i < j``, where ``j`` is among the ``neighbours`` most similar
    documents of ``i`` (or the reverse), at least ``min_similarity`` alike."""
    pairs, similarities = similar_pairs(vectors, neighbours)
    return pairs[similarities >= min_similarity]


def similar_pairs(
    vectors: NDArray[np.float32], neighbours: int
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Pairs ``(i, j)``, ``i < j``, where ``j`` is among the ``neighbours`` most similar
    documents of ``i`` (or the reverse), sorted, with their cosines: one search serves every
    floor."""
    pairs, similarities, _ = wider_pairs(vectors, neighbours, None)
    return pairs, similarities


def wider_pairs(
    vectors: NDArray[np.float32], neighbours: int, wanted: NDArray[np.int64] | None
) -> tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.bool_]]:
    """``similar_pairs`` where each row proposes as many as ``wanted`` says
    (``neighbours_wanted``), and which of the pairs are among the ``neighbours`` most
    similar of either end (those ``similar_pairs`` gives)."""
    if len(vectors) < 2:
        return np.empty((0, 2), dtype=np.int64), np.empty(0), np.empty(0, dtype=np.bool_)
    found, similarities = nearest(vectors, neighbours, wanted)
    sources = np.repeat(np.arange(len(vectors)), found.shape[1]).reshape(found.shape)
    closest = np.broadcast_to(np.arange(found.shape[1]) < neighbours, found.shape)
    keep = found >= 0
    pairs = np.sort(np.stack([sources[keep], found[keep]], axis=1), axis=1)
    count = len(vectors)
    packed = pairs[:, 0] * count + pairs[:, 1]
    keys, first = np.unique(packed, return_index=True)
    return (
        np.stack([keys // count, keys % count], axis=1).reshape(-1, 2),
        similarities[keep][first],
        np.isin(keys, packed[closest[keep]]),
    )


def unique_pairs(pairs: NDArray[np.int64], count: int) -> NDArray[np.int64]:
    """Distinct rows of ``pairs`` (indices below ``count``), sorted; one 1-D sort of packed
    keys instead of numpy's slower row-wise unique."""
    keys = np.unique(pairs[:, 0].astype(np.int64) * count + pairs[:, 1])
    return np.stack([keys // count, keys % count], axis=1).reshape(-1, 2)


def day_numbers(published: Sequence[str | None]) -> NDArray[np.float64]:
    """Days since 1970-01-01 of ISO dates (NaN where unknown or unreadable)."""
    days = np.full(len(published), np.nan)
    for index, value in enumerate(published):
        if value:
            try:
                day = dt.date.fromisoformat(value[:10])
            except ValueError:
                continue
            days[index] = (day - dt.date(1970, 1, 1)).days
    return days


def within_window(
    pairs: NDArray[np.int64], days: NDArray[np.float64], window_days: float | None
) -> NDArray[np.int64]:
    """The pairs published at most ``window_days`` apart, or with a date unknown."""
    if window_days is None or len(pairs) == 0:
        return pairs
    gap = np.abs(days[pairs[:, 0]] - days[pairs[:, 1]])
    keep = np.isnan(gap) | (gap <= window_days)
    return pairs[keep]
