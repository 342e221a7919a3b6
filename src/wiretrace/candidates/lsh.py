"""LSH banding over MinHash signatures; bands and rows come from ``ScanConfig.lsh``.

``candidate_pairs`` runs every band here. Where the signatures are spread over machines the
same pairs come from an explode of bands and a group-by (``wiretrace.spark``): ``band_rows``
gives each document's key in every band, ``bucket_pairs`` the pairs of a partition of
buckets, and ``settle_pairs`` the pairs the one-machine kernel would have kept of them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from wiretrace.candidates import kernels
from wiretrace.config import LshBanding, ScanConfig

_COMBINE = np.uint64(0x9E3779B97F4A7C15)
_MIX = np.uint64(0xBF58476D1CE4E5B9)


def _mixed(keys: NDArray[np.uint64], rows: NDArray[np.uint32]) -> NDArray[np.uint64]:
    """``keys`` (one per band of each document, starting from the band's number) with the
    band's rows (the last axis of ``rows``) mixed in, one after another."""
    with np.errstate(over="ignore"):
        for column in range(rows.shape[-1]):
            keys = (keys ^ rows[..., column].astype(np.uint64)) * _MIX
            keys ^= keys >> np.uint64(29)
    return keys


def _band_keys(band: NDArray[np.uint32], band_index: int) -> NDArray[np.uint64]:
    """One 64-bit key per document for the rows of one band."""
    with np.errstate(over="ignore"):
        start = np.uint64(band_index + 1) * _COMBINE
    return _mixed(np.full(band.shape[0], start, dtype=np.uint64), band)


@dataclass(frozen=True, slots=True)
class LshSearch:
    """How candidate pairs are searched for (see ``candidate_pairs``): the banding, the
    estimate floors a pair must reach (``ScanConfig.estimate_floors``), the bucket size over
    which a bucket is linked as a star, the size of a group of sure copies over which it
    proposes no more pairs inside itself (0: no limit), and the estimates that make a copy
    sure (the copy targets)."""

    banding: LshBanding
    floors: tuple[float, float]
    max_bucket_size: int
    big_group_size: int = 0
    copy_targets: tuple[float, float] = (0.5, 0.8)

    @classmethod
    def of(cls, config: ScanConfig) -> LshSearch:
        targets = (config.jaccard_threshold, config.containment_threshold)
        limits = (config.max_bucket_size, config.big_group_size, targets)
        return cls(config.lsh(), config.estimate_floors(), *limits)


def band_keys_of(
    signatures: NDArray[np.uint32], banding: LshBanding
) -> Iterator[tuple[int, NDArray[np.uint64]]]:
    """Every band's index and the documents' keys in it. For a few documents (a query's)
    every band at once, as ``_band_keys`` works each out: a band at a time, its dozen numpy
    calls on arrays of one or two values cost a query 64 times ~20 µs."""
    if len(signatures) <= _FEW:
        every = _every_band_key(signatures, banding)
        for band_index in range(banding.bands):
            yield band_index, every[:, band_index]
        return
    for band_index in range(banding.bands):
        columns = slice(band_index * banding.rows, (band_index + 1) * banding.rows)
        yield band_index, _band_keys(signatures[:, columns], band_index)


_FEW = 64  # documents whose band keys are worked out all bands at once


def _every_band_key(signatures: NDArray[np.uint32], banding: LshBanding) -> NDArray[np.uint64]:
    """``_band_keys`` of every band, (documents, bands): the same operations, every band's
    in one array."""
    used = signatures[:, : banding.bands * banding.rows]
    rows = used.reshape(len(signatures), banding.bands, banding.rows)
    with np.errstate(over="ignore"):
        start = (np.arange(banding.bands, dtype=np.uint64) + np.uint64(1)) * _COMBINE
    return _mixed(np.broadcast_to(start, (len(signatures), banding.bands)).copy(), rows)


def _pairs_in_buckets(
    keys: NDArray[np.uint64] | NDArray[np.int64],
    documents: NDArray[np.int64],
    signatures: NDArray[np.uint32],
    sizes: NDArray[np.int64],
    search: LshSearch,
    groups: tuple[NDArray[np.int64], NDArray[np.int64]],
) -> tuple[NDArray[np.int64], NDArray[np.bool_], int]:
    """The kernel over sorted keys: pairs, whether each is a sure copy, collisions looked at;
    ``groups``: the union-find of sure copies (parents, members), updated."""
    pairs, sure, looked_at = kernels.likely_pairs_from_sorted(
        keys,
        documents,
        search.max_bucket_size,
        signatures,
        sizes,
        *search.floors,
        *groups,
        search.big_group_size,
        *search.copy_targets,
    )
    return pairs, sure, int(looked_at)


def _new_groups(count: int) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """A union-find of ``count`` documents, each its own group of one."""
    return np.arange(count, dtype=np.int64), np.ones(count, dtype=np.int64)


def candidate_pairs(
    signatures: NDArray[np.uint32], sizes: NDArray[np.int64], search: LshSearch
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
    larger than ``search.big_group_size`` (0: no limit) proposes no more pairs inside
    itself: each further copy is proposed with the members it collides with before it
    joins, so n copies cost O(n) comparisons, not O(n²).
    """
    count = signatures.shape[0]
    found: list[NDArray[np.int64]] = []
    collisions = 0
    documents = np.arange(count, dtype=np.int64)
    groups = _new_groups(count)  # groups of sure copies, kept across bands
    for _, keys in band_keys_of(signatures, search.banding):
        order = np.argsort(keys, kind="stable")  # a bucket's documents in index order
        pairs, _, looked_at = _pairs_in_buckets(
            keys[order], documents[order], signatures, sizes, search, groups
        )
        collisions += looked_at
        if pairs.size:
            found.append(pairs)
    if not found:
        return np.empty((0, 2), dtype=np.int64), collisions
    unique = np.unique(np.concatenate(found))
    return np.stack((unique // count, unique % count), axis=1), collisions


_TOP_BIT = np.uint64(1 << 63)

# pairs found in buckets: band, key, first and second document, reached the copy targets
BucketPairs = tuple[
    NDArray[np.int16], NDArray[np.int64], NDArray[np.int64], NDArray[np.int64], NDArray[np.bool_]
]


def ordered_keys(keys: NDArray[np.uint64]) -> NDArray[np.int64]:
    """Band keys as signed 64-bit numbers that sort as the unsigned keys do (what a
    DataFrame's long column holds and sorts by)."""
    return (keys ^ _TOP_BIT).view(np.int64)


def band_rows(
    documents: NDArray[np.int64], signatures: NDArray[np.uint32], banding: LshBanding
) -> tuple[NDArray[np.int16], NDArray[np.int64], NDArray[np.int64]]:
    """The explode of bands: for every band and document, the band, the document's key in
    it (``ordered_keys``) and the document."""
    bands, keys = [], []
    for band_index, band_keys in band_keys_of(signatures, banding):
        keys.append(ordered_keys(band_keys))
        bands.append(np.full(len(documents), band_index, dtype=np.int16))
    if not keys:
        empty = np.empty(0, dtype=np.int64)
        return np.empty(0, dtype=np.int16), empty, empty
    return np.concatenate(bands), np.concatenate(keys), np.tile(documents, banding.bands)


def bucket_pairs(
    bands: NDArray[np.int16],
    keys: NDArray[np.int64],
    documents: NDArray[np.int64],
    signatures: NDArray[np.uint32],
    sizes: NDArray[np.int64],
    search: LshSearch,
) -> BucketPairs:
    """The pairs ``candidate_pairs`` may propose from some whole buckets, given as rows
    sorted by band, key and document (each row's signature and shingle count with it):
    each pair's band, key, first and second document, and whether it reached the copy
    targets. Pairs inside a big group found here are dropped already (a group seen in part
    is never larger than the whole kernel sees); ``settle_pairs`` drops the rest."""
    unique, first_row, local = np.unique(documents, return_index=True, return_inverse=True)
    local = local.astype(np.int64)
    groups = _new_groups(len(unique))  # groups of sure copies, across bands
    found: list[tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.bool_], int]] = []
    signatures, sizes = signatures[first_row], sizes[first_row]
    edges = np.flatnonzero(np.diff(bands)) + 1
    for start, stop in zip([0, *edges.tolist()], [*edges.tolist(), len(bands)], strict=True):
        if start == stop:
            continue
        band = slice(start, stop)
        codes, sure, _ = _pairs_in_buckets(
            keys[band], local[band], signatures, sizes, search, groups
        )
        key_of = np.zeros(len(unique), dtype=np.int64)
        key_of[local[band]] = keys[band]
        found.append((codes, key_of[codes // len(unique)], sure, int(bands[start])))
    if not found:
        empty = np.empty(0, dtype=np.int64)
        return np.empty(0, dtype=np.int16), empty, empty, empty, np.empty(0, dtype=bool)
    codes = np.concatenate([codes for codes, _, _, _ in found])
    return (
        np.concatenate([np.full(len(c), band, dtype=np.int16) for c, _, _, band in found]),
        np.concatenate([key for _, key, _, _ in found]),
        unique[codes // len(unique)],
        unique[codes % len(unique)],
        np.concatenate([sure for _, _, sure, _ in found]),
    )


def settle_pairs(
    bands: NDArray[np.int16],
    keys: NDArray[np.int64],
    first: NDArray[np.int64],
    second: NDArray[np.int64],
    sure: NDArray[np.bool_],
    count: int,
    big_group_size: int,
) -> NDArray[np.int64]:
    """``candidate_pairs``'s pairs from those ``bucket_pairs`` found, wherever it ran: the
    big-group rule replayed in the kernel's order (band, key, first, second)."""
    if not len(first):
        return np.empty((0, 2), dtype=np.int64)
    order = np.lexsort((second, first, keys, bands))
    first, second = first[order], second[order]
    kept = kernels.replay_big_groups(first, second, sure[order], count, big_group_size)
    unique = np.unique(first[kept] * count + second[kept])
    return np.stack((unique // count, unique % count), axis=1)


def bucket_collisions(sizes: NDArray[np.int64], max_bucket_size: int) -> int:
    """Band collisions the kernel looks at in buckets of ``sizes`` documents: every pair, or
    a star's edges in a bucket over ``max_bucket_size``."""
    star = sizes > max_bucket_size
    return int(np.where(star, sizes - 1, sizes * (sizes - 1) // 2).sum())
