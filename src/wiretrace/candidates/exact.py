"""Exact copies found before any LSH: one clean text, one 64-bit hash.

A wire story republished verbatim by a thousand sites would otherwise meet itself in every
LSH band: 499,500 candidate pairs, each compared, for an answer (``exact``) known from the
hash. Large groups of exact copies are therefore compared as a star instead: each member with
the group's representative only, and only the representative takes part in the LSH and
passage search (what it matches, every member matches).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray


def exact_groups(
    hashes: NDArray[np.uint64], lengths: NDArray[np.int64], larger_than: int
) -> list[NDArray[np.int64]]:
    """Documents whose clean texts have one hash and one length, in groups of more than
    ``larger_than`` members (indices, ascending)."""
    if len(hashes) == 0:
        return []
    order = np.lexsort((lengths, hashes))
    keys, sizes = hashes[order], lengths[order]
    starts = np.flatnonzero(
        np.concatenate([[True], (keys[1:] != keys[:-1]) | (sizes[1:] != sizes[:-1])])
    )
    ends = np.append(starts[1:], len(order))
    return [
        np.sort(order[start:end])
        for start, end in zip(starts.tolist(), ends.tolist(), strict=True)
        if end - start > larger_than
    ]
