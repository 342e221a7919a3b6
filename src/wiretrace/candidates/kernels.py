"""JIT-compiled pair emission from sorted band keys, with the signature-estimate filter."""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(inline="always")
def _estimates(first, second, signatures, sizes):
    """The MinHash estimates of a pair: Jaccard, and the containment of the smaller document
    (the intersection estimated as J * (|A| + |B|) / (1 + J))."""
    permutations = signatures.shape[1]
    equal = 0
    for permutation in range(permutations):
        if signatures[first, permutation] == signatures[second, permutation]:
            equal += 1
    jaccard = equal / permutations
    smaller = max(min(sizes[first], sizes[second]), 1)
    intersection = jaccard * (sizes[first] + sizes[second]) / (1.0 + jaccard)
    return jaccard, intersection / smaller


@njit(cache=True, nogil=True)
def reaching_floors(first, second, signatures, sizes, jaccard_min, containment_min):
    """Whether each pair ``(first[k], second[k])`` (rows of ``signatures``) has a MinHash
    estimate that reaches either floor, as the band kernel decides it."""
    found = np.zeros(len(first), dtype=np.bool_)
    for k in range(len(first)):
        jaccard, containment = _estimates(first[k], second[k], signatures, sizes)
        found[k] = jaccard >= jaccard_min or containment >= containment_min
    return found


@njit(inline="always")
def _pair(first, second, width):
    if first < second:
        return first * width + second
    return second * width + first


@njit(cache=True, nogil=True)
def _root(parent, node):
    while parent[node] != node:
        parent[node] = parent[parent[node]]
        node = parent[node]
    return node


@njit(cache=True, nogil=True)
def likely_pairs_from_sorted(
    keys,
    documents,
    max_bucket_size,
    signatures,
    sizes,
    jaccard_min,
    containment_min,
    parent,
    members,
    big_group_size,
    sure_jaccard,
    sure_containment,
):
    """Pairs of documents that share a band key and whose signature estimates reach either
    floor; ``keys`` sorted, ``documents`` (rows of ``signatures``) in the same order. A pair
    ``(i, j)``, ``i < j``, is returned as the one number ``i * n + j``, ``n`` the number of
    rows; also whether each pair reached ``sure_jaccard`` or ``sure_containment``, and the
    number of band collisions looked at.

    A bucket larger than ``max_bucket_size`` (a boilerplate page repeated thousands of times)
    links each member to the bucket's first member only: the duplicate group is the same and
    the number of pairs stays linear.

    ``parent`` and ``members`` (a union-find kept from band to band) join the documents of
    every pair whose estimates reach ``sure_jaccard`` or ``sure_containment``; once such a
    group holds more than ``big_group_size`` documents (0: never), a pair inside it is not
    proposed again: a wire story copied a thousand times costs a comparison per copy, not one
    per pair of copies.
    """
    width = signatures.shape[0]
    size = keys.shape[0]
    out = np.empty(64, dtype=np.int64)
    sure = np.empty(64, dtype=np.bool_)
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
                if big_group_size > 0:
                    root_a, root_b = _root(parent, a), _root(parent, b)
                    if root_a == root_b and members[root_a] > big_group_size:
                        continue
                jaccard, containment = _estimates(a, b, signatures, sizes)
                if jaccard < jaccard_min and containment < containment_min:
                    continue
                if found == out.shape[0]:
                    grown = np.empty(out.shape[0] * 2, dtype=np.int64)
                    grown[:found] = out
                    out = grown
                    grown_sure = np.empty(out.shape[0], dtype=np.bool_)
                    grown_sure[:found] = sure
                    sure = grown_sure
                out[found] = _pair(a, b, width)
                sure[found] = jaccard >= sure_jaccard or containment >= sure_containment
                found += 1
                if big_group_size > 0 and root_a != root_b and sure[found - 1]:
                    if members[root_a] < members[root_b]:
                        root_a, root_b = root_b, root_a
                    parent[root_b] = root_a
                    members[root_a] += members[root_b]
            if star:
                break
        start = stop
    return out[:found], sure[:found], collisions


@njit(cache=True, nogil=True)
def replay_big_groups(first, second, sure, count, big_group_size):
    """Which of the pairs ``likely_pairs_from_sorted`` emits, replayed in the order it meets
    them (band, then bucket, then pair), given every pair it may emit (``sure``: whether
    the pair reached the copy targets): a pair inside a group of sure copies of more than
    ``big_group_size`` documents (0: never) is dropped, as the kernel drops it. The kernel's
    answer, from pairs found bucket by bucket elsewhere (``candidates.lsh``'s Spark plan)."""
    parent = np.arange(count)
    members = np.ones(count, dtype=np.int64)
    kept = np.ones(first.shape[0], dtype=np.bool_)
    if big_group_size <= 0:
        return kept
    for index in range(first.shape[0]):
        root_a, root_b = _root(parent, first[index]), _root(parent, second[index])
        if root_a == root_b:
            kept[index] = members[root_a] <= big_group_size
        elif sure[index]:
            if members[root_a] < members[root_b]:
                root_a, root_b = root_b, root_a
            parent[root_b] = root_a
            members[root_a] += members[root_b]
    return kept


@njit(cache=True, nogil=True)
def components(count, pairs):
    """Each of ``count`` nodes' connected component under ``pairs``, named by its smallest
    node."""
    parent = np.arange(count)
    for index in range(pairs.shape[0]):
        first, second = _root(parent, pairs[index, 0]), _root(parent, pairs[index, 1])
        if first < second:
            parent[second] = first
        elif second < first:
            parent[first] = second
    for node in range(count):
        parent[node] = _root(parent, node)
    return parent


@njit(cache=True, nogil=True)
def shared_key_pairs(packed, bits, groups, max_groups):
    """Pairs of documents that hold one key in different groups, for every key held by 2 to
    ``max_groups`` groups. ``packed`` is sorted, each entry a key's hash in its upper bits and
    its document in the lower ``bits``; ``groups`` names each document's group. The smallest
    holder stands for its group. A pair ``(i, j)``, ``i < j``, is returned as ``i * n + j``,
    ``n`` the number of documents, once for every key they share (twice for a key only their
    two groups hold). Also return how many keys were too common."""
    width = np.int64(groups.shape[0])
    mask = np.uint64((1 << bits) - 1)
    shift = np.uint64(bits)
    out = np.empty(64, dtype=np.int64)
    found = 0
    too_common = 0
    size = packed.shape[0]
    start = 0
    while start < size:
        key = packed[start] >> shift
        stop = start + 1
        while stop < size and packed[stop] >> shift == key:
            stop += 1
        if stop - start >= 2:
            # documents are sorted within a key: the first holder in each group is its smallest
            held = np.empty(stop - start, dtype=np.int64)
            held_groups = np.empty(stop - start, dtype=np.int64)
            count = 0
            for index in range(start, stop):
                document = np.int64(packed[index] & mask)
                group = groups[document]
                seen = False
                for other in range(count):
                    if held_groups[other] == group:
                        seen = True
                        break
                if not seen:
                    if count == max_groups:
                        count += 1  # too common: no need to know how much
                        break
                    held[count] = document
                    held_groups[count] = group
                    count += 1
            if count > max_groups:
                too_common += 1
            elif count >= 2:
                # a fingerprint only two groups hold is the strongest evidence: it counts twice
                repeat = 2 if count == 2 else 1
                needed = found + repeat * count * (count - 1) // 2
                if needed > out.shape[0]:
                    grown = np.empty(max(needed, out.shape[0] * 2), dtype=np.int64)
                    grown[:found] = out[:found]
                    out = grown
                for first in range(count - 1):
                    for second in range(first + 1, count):
                        for _ in range(repeat):
                            out[found] = _pair(held[first], held[second], width)
                            found += 1
        start = stop
    return out[:found], too_common
