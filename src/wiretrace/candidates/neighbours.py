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

import numpy as np
from numpy.typing import NDArray

from wiretrace.semantic.cosines import pair_cosines

EXACT_MAX = 20_000
_HNSW_LINKS = 16
_HNSW_BUILD_BREADTH = 40
_HNSW_SEARCH_BREADTH = 64
_SPARE = 4  # neighbours proposed beyond those kept, re-ranked by exact cosines


def nearest(
    vectors: NDArray[np.float32], neighbours: int
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """For every row, the ``neighbours`` most similar other rows and their cosines (a row
    with fewer candidates is padded with index -1).

    faiss computes cosines in float32 with BLAS, whose last bits depend on the threads and
    the CPU: it proposes ``_SPARE`` more neighbours than kept, and each row keeps the most
    similar by the cosine rounded to ``PRECISION`` decimals (``wiretrace.semantic.cosines``),
    ties broken by row number, so that the neighbours and their cosines are the same on any
    machine and backend."""
    import faiss  # here: a scan without stories or the semantic stage never loads it (~30 ms)

    count, dimensions = vectors.shape
    keep = min(neighbours, count - 1)
    proposed = min(keep + _SPARE, count - 1)
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
        index.hnsw.efSearch = max(_HNSW_SEARCH_BREADTH, proposed + 1)
    _, found = index.search(data, proposed + 1)
    found = found.astype(np.int64)
    rows = np.repeat(np.arange(count, dtype=np.int64), proposed + 1).reshape(found.shape)
    # each row itself (ties may put it anywhere among the first, or leave it out) and the
    # padding go last
    absent = (found < 0) | (found == rows)
    similarities = np.full(found.shape, -np.inf)
    present = ~absent
    similarities[present] = pair_cosines(data, np.stack([rows[present], found[present]], axis=1))
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
    if len(vectors) < 2:
        return np.empty((0, 2), dtype=np.int64), np.empty(0, dtype=np.float64)
    found, similarities = nearest(vectors, neighbours)
    sources = np.repeat(np.arange(len(vectors)), found.shape[1]).reshape(found.shape)
    keep = found >= 0
    pairs = np.sort(np.stack([sources[keep], found[keep]], axis=1), axis=1)
    count = len(vectors)
    keys, first = np.unique(pairs[:, 0] * count + pairs[:, 1], return_index=True)
    return (
        np.stack([keys // count, keys % count], axis=1).reshape(-1, 2),
        similarities[keep][first],
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
