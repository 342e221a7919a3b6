"""JIT-compiled passage alignment (see ``compare/align.py`` for the method)."""

from __future__ import annotations

import numpy as np
from numba import njit

_WINDOW = 16  # open passages a new run may extend (the most recent ones)


@njit(cache=True, nogil=True)
def _shared_index(values, shared):
    """For each value its index in the sorted array ``shared``, or -1 when it is not there."""
    index = np.searchsorted(shared, values)
    for position in range(values.shape[0]):
        spot = index[position]
        if spot >= shared.shape[0] or shared[spot] != values[position]:
            index[position] = -1
    return index


@njit(cache=True, nogil=True)
def align_words(
    shingles_a, shingles_b, shared, words_a, words_b, shingle_size, max_gap, max_repeats
):
    """Passages as rows ``(a_start, a_end, b_start, b_end, shared_shingles)`` in words.

    Linear in the shingles, no sorting: b's positions are bucketed by shared hash (ascending
    within a bucket); walking a in order, a seed ``(i, j)`` extends the run that ended at
    ``(i - 1, j - 1)``, else starts one, so runs come out ordered by (a start, b start).
    """
    if shared.shape[0] == 0:
        return np.empty((0, 5), dtype=np.int64)
    index_a = _shared_index(shingles_a, shared)
    index_b = _shared_index(shingles_b, shared)
    bucket_start = np.zeros(shared.shape[0] + 1, dtype=np.int64)
    for position in range(index_b.shape[0]):
        if index_b[position] >= 0:
            bucket_start[index_b[position] + 1] += 1
    for bucket in range(shared.shape[0]):
        bucket_start[bucket + 1] += bucket_start[bucket]
    filled = bucket_start[:-1].copy()
    positions_b = np.empty(bucket_start[-1], dtype=np.int64)
    for position in range(index_b.shape[0]):
        bucket = index_b[position]
        if bucket >= 0:
            positions_b[filled[bucket]] = position
            filled[bucket] += 1
    seeds = 0
    for position in range(index_a.shape[0]):
        bucket = index_a[position]
        if bucket >= 0:
            size = bucket_start[bucket + 1] - bucket_start[bucket]
            if size <= max_repeats:
                seeds += size
    runs = np.empty((seeds, 5), dtype=np.int64)
    count = 0
    last_a = np.full(shingles_b.shape[0], -2, dtype=np.int64)
    run_of = np.zeros(shingles_b.shape[0], dtype=np.int64)
    for i in range(index_a.shape[0]):
        bucket = index_a[i]
        if bucket < 0 or bucket_start[bucket + 1] - bucket_start[bucket] > max_repeats:
            continue
        for spot in range(bucket_start[bucket], bucket_start[bucket + 1]):
            j = positions_b[spot]
            if j > 0 and last_a[j - 1] == i - 1:
                run = run_of[j - 1]
                runs[run, 1] = i
                runs[run, 3] = j
                runs[run, 4] += 1
            else:
                run = count
                runs[run, 0] = i
                runs[run, 1] = i
                runs[run, 2] = j
                runs[run, 3] = j
                runs[run, 4] = 1
                count += 1
            last_a[j] = i
            run_of[j] = run
    # passages: runs close on both sides merge (small edits), in order of a then b
    passages = np.empty((count, 5), dtype=np.int64)
    opened = 0
    for rank in range(count):
        a_start = runs[rank, 0]
        a_end = min(runs[rank, 1] + shingle_size, words_a)
        b_start = runs[rank, 2]
        b_end = min(runs[rank, 3] + shingle_size, words_b)
        best = -1
        best_distance = 0
        for candidate in range(opened - 1, max(opened - _WINDOW, 0) - 1, -1):
            gap_a = a_start - passages[candidate, 1]
            gap_b = b_start - passages[candidate, 3]
            if -shingle_size < gap_a <= max_gap and -shingle_size < gap_b <= max_gap:
                distance = max(gap_a, 0) + max(gap_b, 0)
                if best < 0 or distance < best_distance:
                    best = candidate
                    best_distance = distance
        if best < 0:
            passages[opened, 0] = a_start
            passages[opened, 1] = a_end
            passages[opened, 2] = b_start
            passages[opened, 3] = b_end
            passages[opened, 4] = runs[rank, 4]
            opened += 1
        else:
            passages[best, 1] = max(passages[best, 1], a_end)
            passages[best, 3] = max(passages[best, 3], b_end)
            passages[best, 4] += runs[rank, 4]
    return passages[:opened]
