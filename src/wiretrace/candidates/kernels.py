"""JIT-compiled pair emission from sorted band keys, with the signature-estimate filter."""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(inline="always")
def _likely(first, second, signatures, sizes, jaccard_min, containment_min):
    """Whether the MinHash estimates of a pair reach either floor (see ``likely_pairs``)."""
    permutations = signatures.shape[1]
    equal = 0
    for permutation in range(permutations):
        if signatures[first, permutation] == signatures[second, permutation]:
            equal += 1
    jaccard = equal / permutations
    if jaccard >= jaccard_min:
        return True
    smaller = max(min(sizes[first], sizes[second]), 1)
    intersection = jaccard * (sizes[first] + sizes[second]) / (1.0 + jaccard)
    return intersection / smaller >= containment_min


@njit(inline="always")
def _pair(first, second, width):
    if first < second:
        return first * width + second
    return second * width + first


@njit(cache=True, nogil=True)
def likely_pairs_from_sorted(
    keys, documents, max_bucket_size, signatures, sizes, jaccard_min, containment_min
):
    """Pairs of documents that share a band key and whose signature estimates reach either
    floor; ``keys`` sorted, ``documents`` (rows of ``signatures``) in the same order. A pair
    ``(i, j)``, ``i < j``, is returned as the one number ``i * n + j``, ``n`` the number of
    rows. Also return the number of band collisions looked at.

    A bucket larger than ``max_bucket_size`` (a boilerplate page repeated thousands of times)
    links each member to the bucket's first member only: the duplicate group is the same and
    the number of pairs stays linear.
    """
    width = signatures.shape[0]
    size = keys.shape[0]
    out = np.empty(64, dtype=np.int64)
    found = 0
    collisions = 0
    start = 0
    while start < size:
        stop = start + 1
        while stop < size and keys[stop] == keys[start]:
            stop += 1
        star = stop - start > max_bucket_size
        for first in range(start, stop - 1):
            for second in range(first + 1, stop):
                collisions += 1
                a, b = documents[first], documents[second]
                if _likely(a, b, signatures, sizes, jaccard_min, containment_min):
                    if found == out.shape[0]:
                        grown = np.empty(out.shape[0] * 2, dtype=np.int64)
                        grown[:found] = out
                        out = grown
                    out[found] = _pair(a, b, width)
                    found += 1
            if star:
                break
        start = stop
    return out[:found], collisions
