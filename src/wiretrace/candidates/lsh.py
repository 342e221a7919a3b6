"""LSH banding over MinHash signatures; bands and rows come from ``ScanConfig.lsh``."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from wiretrace.candidates import kernels
from wiretrace.config import LshBanding

_COMBINE = np.uint64(0x9E3779B97F4A7C15)
_MIX = np.uint64(0xBF58476D1CE4E5B9)


def _band_keys(band: NDArray[np.uint32], band_index: int) -> NDArray[np.uint64]:
    """One 64-bit key per document for the rows of one band."""
    with np.errstate(over="ignore"):
        keys = np.full(band.shape[0], np.uint64(band_index + 1) * _COMBINE, dtype=np.uint64)
        for column in range(band.shape[1]):
            keys = (keys ^ band[:, column].astype(np.uint64)) * _MIX
            keys ^= keys >> np.uint64(29)
    return keys


def candidate_pairs(
    signatures: NDArray[np.uint32],
    sizes: NDArray[np.int64],
    banding: LshBanding,
    floors: tuple[float, float],
    max_bucket_size: int,
    big_group_size: int = 0,
    copy_targets: tuple[float, float] = (0.5, 0.8),
) -> tuple[NDArray[np.int64], int]:
    """Unique pairs ``(i, j)``, ``i < j``, of signature rows that share a band and whose
    MinHash estimates reach either floor (``ScanConfig.estimate_floors``), and the number of
    band collisions looked at.

    Band collisions also happen between documents that share only a sentence or two; the
    signatures already estimate their similarity, so those are dropped here. ``sizes`` are
    shingles per document: the intersection is estimated from the Jaccard estimate J as
    J * (|A| + |B|) / (1 + J), the containment of the smaller document from that.

    Pairs whose estimates reach the copy targets (``ScanConfig.jaccard_threshold`` or
    ``containment_threshold``: the copies this stage exists to find) join a group; a group
    larger than ``big_group_size`` (0: no limit) proposes no more pairs inside itself: each
    further copy is proposed with the members it collides with before it joins, so n copies
    cost O(n) comparisons, not O(n²).
    """
    count = signatures.shape[0]
    found: list[NDArray[np.int64]] = []
    collisions = 0
    documents = np.arange(count, dtype=np.int64)
    parent = np.arange(count, dtype=np.int64)  # groups of sure copies, kept across bands
    members = np.ones(count, dtype=np.int64)
    for band_index in range(banding.bands):
        columns = slice(band_index * banding.rows, (band_index + 1) * banding.rows)
        keys = _band_keys(signatures[:, columns], band_index)
        order = np.argsort(keys)
        pairs, looked_at = kernels.likely_pairs_from_sorted(
            keys[order],
            documents[order],
            max_bucket_size,
            signatures,
            sizes,
            *floors,
            parent,
            members,
            big_group_size,
            *copy_targets,
        )
        collisions += int(looked_at)
        if pairs.size:
            found.append(pairs)
    if not found:
        return np.empty((0, 2), dtype=np.int64), collisions
    unique = np.unique(np.concatenate(found))
    return np.stack((unique // count, unique % count), axis=1), collisions
