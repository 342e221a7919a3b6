"""Passage candidates: pairs that share a verbatim passage, whatever their lengths.

Document-level LSH proposes pairs alike as wholes; a paragraph lifted into a long article is
too small a part of it for any whole-document estimate. Every document also keeps winnowed
fingerprints of its shingles of ``min_passage_words`` words (``sketch.kernels.winnow``, window
``passage_window``): two documents that share a passage of ``min_passage_words +
passage_window - 1`` words share at least one fingerprint. A posting list per fingerprint
names the documents holding it; pairs come from lists of at most ``max_groups`` duplicate
groups (the LSH candidates' connected components, so that a wire story copied a thousand
times counts once and a passage lifted from it is still found). Longer lists are set phrases
and boilerplate: each proposes nothing, and the work is bounded by ``max_groups``² per
fingerprint. A pair needs two shared fingerprints, or one that only its two groups hold: one
fingerprint of a list of several is most often a formula ("anyone with information is asked
to call...") met with a few words of context. A real lifted passage of more than a few words
holds several fingerprints, most of them rare, so dropping the common ones does not hide it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from wiretrace.candidates import kernels
from wiretrace.sketch.packed import sort_packed


def passage_pairs(
    fingerprints: Sequence[NDArray[np.uint64]],
    copy_pairs: NDArray[np.int64],
    max_groups: int,
    min_shared: int = 2,
) -> tuple[NDArray[np.int64], int]:
    """Unique pairs ``(i, j)``, ``i < j``, of documents (indices into ``fingerprints``) in
    different components of ``copy_pairs`` that share a fingerprint held by at most
    ``max_groups`` components, ``min_shared`` of them at least; and the number of
    fingerprints too common to propose any."""
    count = len(fingerprints)
    if count < 2:
        return np.empty((0, 2), dtype=np.int64), 0
    group = kernels.components(count, np.ascontiguousarray(copy_pairs, dtype=np.int64))
    return passage_pairs_grouped(fingerprints, group, max_groups, min_shared)


def passage_pairs_grouped(
    fingerprints: Sequence[NDArray[np.uint64]],
    group: NDArray[np.int64],
    max_groups: int,
    min_shared: int = 2,
) -> tuple[NDArray[np.int64], int]:
    """``passage_pairs`` with each document's group given (an index's: the components of
    all its LSH pairs)."""
    count = len(fingerprints)
    sizes = np.fromiter((len(row) for row in fingerprints), dtype=np.int64, count=count)
    owners = np.repeat(np.arange(count, dtype=np.uint64), sizes)
    keys = np.concatenate(fingerprints) if count else np.empty(0, np.uint64)
    return passage_pairs_held(keys, owners, group, max_groups, min_shared)


def passage_pairs_held(
    keys: NDArray[np.uint64],
    owners: NDArray[np.uint64],
    group: NDArray[np.int64],
    max_groups: int,
    min_shared: int = 2,
) -> tuple[NDArray[np.int64], int]:
    """``passage_pairs_grouped`` of the fingerprints ``keys``, each held by the document
    ``owners`` names (in any order: they are sorted here)."""
    count = len(group)
    # cut fingerprints may meet: a false pair costs one exact comparison, which rejects it
    packed, bits = sort_packed(keys, owners, count)
    group = np.ascontiguousarray(group, dtype=np.int64)
    pairs, too_common = kernels.shared_key_pairs(packed, bits, group, max_groups)
    if not pairs.size:
        return np.empty((0, 2), dtype=np.int64), too_common
    unique, shared = np.unique(pairs, return_counts=True)
    unique = unique[shared >= min_shared]
    return np.stack((unique // count, unique % count), axis=1), too_common
