"""JIT-compiled passage alignment (see ``compare/align.py`` for the method)."""

from __future__ import annotations

import numpy as np
from numba import njit

from wiretrace.clean.kernels import fold_and_collapse
from wiretrace.sketch.kernels import shingles_of, words_of

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
    """Passages as rows ``(a_start, a_end, b_start, b_end, shared_shingles, longest_run)`` in
    words (the longest run: its unbroken copied stretch, in shingles).

    Linear in the shingles, no sorting: b's positions are bucketed by shared hash (ascending
    within a bucket); walking a in order, a seed ``(i, j)`` extends the run that ended at
    ``(i - 1, j - 1)``, else starts one, so runs come out ordered by (a start, b start).
    """
    if shared.shape[0] == 0:
        return np.empty((0, 6), dtype=np.int64)
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
    passages = np.empty((count, 6), dtype=np.int64)
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
            passages[opened, 5] = runs[rank, 4]
            opened += 1
        else:
            passages[best, 1] = max(passages[best, 1], a_end)
            passages[best, 3] = max(passages[best, 3], b_end)
            passages[best, 4] += runs[rank, 4]
            passages[best, 5] = max(passages[best, 5], runs[rank, 4])
    return passages[:opened]


@njit(cache=True, nogil=True)
def prepare_document(codes, fold, is_word, starts, ends, identity, wide_from, shingle_size):
    """One document for comparison in one call: its folded code points cleaned as
    ``clean_text`` cleans them (``fold_and_collapse``), split into words and shingled as the
    sketch stage does (``words_of``, ``shingles_of``), with each word's span in the original
    text, the sorted distinct shingles, and how many words before each are a character of
    their own (Chinese, Japanese). Returns the clean code points, word starts and ends, the
    shingles, those counts and the largest clean code point.

    numba caches this function with the kernels it calls compiled in: after changing one of
    them, remove this module's cache (``__pycache__/kernels.prepare_document*``) too.
    """
    size = codes.shape[0]
    clean = np.empty(size, dtype=np.uint32)
    clean_starts = np.empty(size, dtype=np.int64)
    clean_ends = np.empty(size, dtype=np.int64)
    count, top = fold_and_collapse(
        codes, fold, starts, ends, identity, True, clean, clean_starts, clean_ends
    )
    wide = 0
    if top >= wide_from:
        for index in range(count):
            if is_word[clean[index]] == 2:
                wide += 1
    capacity = count // 2 + 1 + wide  # as ``normalize.word_capacity``
    word_starts = np.empty(capacity, dtype=np.int64)
    word_ends = np.empty(capacity, dtype=np.int64)
    hashes = np.empty(capacity, dtype=np.uint64)
    words = words_of(clean[:count], is_word, word_starts, word_ends, hashes)
    shingles = np.empty(max(words, 1), dtype=np.uint64)
    shingle_count = shingles_of(hashes, words, shingle_size, shingles)
    original_starts = np.empty(words, dtype=np.int64)
    original_ends = np.empty(words, dtype=np.int64)
    wide_before = np.zeros(words + 1, dtype=np.int64)
    for word in range(words):
        original_starts[word] = clean_starts[word_starts[word]]
        original_ends[word] = clean_ends[word_ends[word] - 1]
        own = 1 if is_word[clean[word_starts[word]]] == 2 else 0
        wide_before[word + 1] = wide_before[word] + own
    return (
        clean[:count],
        original_starts,
        original_ends,
        shingles[:shingle_count],
        wide_before,
        top,
    )
