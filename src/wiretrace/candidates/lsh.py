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
    documents: NDArray[np.int64],
    banding: LshBanding,
    max_bucket_size: int,
) -> NDArray[np.int64]:
    """Unique pairs ``(i, j)``, ``i < j``, of document numbers whose signatures share a band.

    ``signatures[k]`` belongs to document number ``documents[k]``.
    """
    found: list[NDArray[np.int64]] = []
    for band_index in range(banding.bands):
        columns = slice(band_index * banding.rows, (band_index + 1) * banding.rows)
        keys = _band_keys(signatures[:, columns], band_index)
        order = np.argsort(keys, kind="stable")
        pairs = kernels.pairs_from_sorted(keys[order], documents[order], max_bucket_size)
        if pairs.size:
            found.append(pairs)
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    pairs = np.concatenate(found)
    pairs.sort(axis=1)
    width = np.int64(int(documents.max()) + 1)
    unique = np.unique(pairs[:, 0] * width + pairs[:, 1])
    return np.stack((unique // width, unique % width), axis=1)


def likely_pairs(
    pairs: NDArray[np.int64],
    signatures: NDArray[np.uint32],
    sizes: NDArray[np.int64],
    jaccard_min: float,
    containment_min: float,
) -> NDArray[np.int64]:
    """The pairs whose MinHash estimates reach either floor (``ScanConfig.estimate_floors``).

    ``pairs`` index ``signatures`` and ``sizes`` (shingles per document). The intersection is
    estimated from the Jaccard estimate J and the sizes as J * (|A| + |B|) / (1 + J).
    """
    if pairs.size == 0:
        return pairs
    jaccard = kernels.estimate_jaccard(pairs, signatures)
    size_first, size_second = sizes[pairs[:, 0]], sizes[pairs[:, 1]]
    intersection = jaccard * (size_first + size_second) / (1.0 + jaccard)
    containment = intersection / np.maximum(np.minimum(size_first, size_second), 1)
    kept: NDArray[np.int64] = pairs[(jaccard >= jaccard_min) | (containment >= containment_min)]
    return kept
