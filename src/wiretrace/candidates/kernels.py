"""JIT-compiled pair emission from sorted band keys."""

from __future__ import annotations

import numpy as np
from numba import njit, prange


@njit(cache=True, nogil=True)
def pairs_from_sorted(keys, documents, max_bucket_size):
    """Pairs of documents that share a key; ``keys`` sorted, ``documents`` in the same order.

    A bucket larger than ``max_bucket_size`` (a boilerplate page repeated thousands of times)
    links each member to the bucket's first member only: the duplicate group is the same and
    the number of pairs stays linear.
    """
    size = keys.shape[0]
    total = 0
    start = 0
    while start < size:
        stop = start + 1
        while stop < size and keys[stop] == keys[start]:
            stop += 1
        count = stop - start
        if count > max_bucket_size:
            total += count - 1
        else:
            total += count * (count - 1) // 2
        start = stop
    out = np.empty((total, 2), dtype=np.int64)
    position = 0
    start = 0
    while start < size:
        stop = start + 1
        while stop < size and keys[stop] == keys[start]:
            stop += 1
        count = stop - start
        if count > max_bucket_size:
            for other in range(start + 1, stop):
                out[position, 0] = documents[start]
                out[position, 1] = documents[other]
                position += 1
        else:
            for first in range(start, stop):
                for second in range(first + 1, stop):
                    out[position, 0] = documents[first]
                    out[position, 1] = documents[second]
                    position += 1
        start = stop
    return out


@njit(cache=True, parallel=True)
def estimate_jaccard(pairs, signatures):
    """Share of equal signature values for each pair: the MinHash estimate of its Jaccard."""
    count = pairs.shape[0]
    permutations = signatures.shape[1]
    out = np.empty(count, dtype=np.float64)
    for index in prange(count):
        first = signatures[pairs[index, 0]]
        second = signatures[pairs[index, 1]]
        equal = 0
        for permutation in range(permutations):
            if first[permutation] == second[permutation]:
                equal += 1
        out[index] = equal / permutations
    return out
