"""JIT-compiled passage alignment (see ``compare/align.py`` for the method)."""

from __future__ import annotations

import numpy as np
from numba import njit

_WINDOW = 16  # open passages a new run may extend (the most recent ones)


@njit(cache=True, nogil=True)
def _member(values, ordered):
    found = np.zeros(values.shape[0], dtype=np.bool_)
    if ordered.shape[0] == 0:
        return found
    index = np.searchsorted(ordered, values)
    for position in range(values.shape[0]):
        spot = index[position]
        if spot < ordered.shape[0] and ordered[spot] == values[position]:
            found[position] = True
    return found


@njit(cache=True, nogil=True)
def align_words(
    shingles_a, shingles_b, shared, words_a, words_b, shingle_size, max_gap, max_repeats
):
    """Passages as rows ``(a_start, a_end, b_start, b_end, shared_shingles)`` in words."""
    # seeds: (i, j) with shingle i of a equal to shingle j of b
    in_b = np.flatnonzero(_member(shingles_b, shared))
    order_b = np.argsort(shingles_b[in_b], kind="mergesort")
    positions_b = in_b[order_b]
    hashes_b = shingles_b[positions_b]
    in_a = np.flatnonzero(_member(shingles_a, shared))
    left = np.searchsorted(hashes_b, shingles_a[in_a], side="left")
    right = np.searchsorted(hashes_b, shingles_a[in_a], side="right")
    total = 0
    for index in range(in_a.shape[0]):
        count = right[index] - left[index]
        if count <= max_repeats:
            total += count
    seeds_a = np.empty(total, dtype=np.int64)
    seeds_b = np.empty(total, dtype=np.int64)
    position = 0
    for index in range(in_a.shape[0]):
        if right[index] - left[index] <= max_repeats:
            for spot in range(left[index], right[index]):
                seeds_a[position] = in_a[index]
                seeds_b[position] = positions_b[spot]
                position += 1
    if total == 0:
        return np.empty((0, 5), dtype=np.int64)
    # runs: consecutive seeds on one diagonal
    width = shingles_a.shape[0] + 1
    key = (seeds_b - seeds_a + width) * width + seeds_a
    order = np.argsort(key, kind="mergesort")
    runs = np.empty((total, 5), dtype=np.int64)
    count = 0
    start = order[0]
    previous = start
    length = 1
    for rank in range(1, total + 1):
        current = order[rank] if rank < total else -1
        if (
            current >= 0
            and seeds_b[current] - seeds_a[current] == seeds_b[previous] - seeds_a[previous]
            and seeds_a[current] == seeds_a[previous] + 1
        ):
            previous = current
            length += 1
            continue
        runs[count, 0] = seeds_a[start]
        runs[count, 1] = min(seeds_a[previous] + shingle_size, words_a)
        runs[count, 2] = seeds_b[start]
        runs[count, 3] = min(seeds_b[previous] + shingle_size, words_b)
        runs[count, 4] = length
        count += 1
        start = previous = current
        length = 1
    runs = runs[:count]
    # passages: runs close on both sides merge (small edits), in order of a then b
    run_order = np.argsort(runs[:, 0] * (words_b + 1) + runs[:, 2], kind="mergesort")
    passages = np.empty((count, 5), dtype=np.int64)
    opened = 0
    for rank in range(count):
        run = runs[run_order[rank]]
        best = -1
        best_distance = 0
        for candidate in range(opened - 1, max(opened - _WINDOW, 0) - 1, -1):
            gap_a = run[0] - passages[candidate, 1]
            gap_b = run[2] - passages[candidate, 3]
            if -shingle_size < gap_a <= max_gap and -shingle_size < gap_b <= max_gap:
                distance = max(gap_a, 0) + max(gap_b, 0)
                if best < 0 or distance < best_distance:
                    best = candidate
                    best_distance = distance
        if best < 0:
            passages[opened] = run
            opened += 1
        else:
            passages[best, 1] = max(passages[best, 1], run[1])
            passages[best, 3] = max(passages[best, 3], run[3])
            passages[best, 4] += run[4]
    return passages[:opened]
