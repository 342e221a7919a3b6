"""Batches of clean texts -> MinHash signatures; one document -> words and shingles."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from wiretrace.clean import CleanText, word_table
from wiretrace.clean.normalize import word_capacity
from wiretrace.sketch import kernels


@dataclass(frozen=True, slots=True, eq=False)
class Permutations:
    """The ``num_perm`` hash functions of a MinHash signature, fixed by the seed."""

    seeds: NDArray[np.uint32]

    @classmethod
    def create(cls, num_perm: int, seed: int) -> Permutations:
        generator = np.random.default_rng(seed)
        high = np.iinfo(np.uint32).max
        return cls(seeds=generator.integers(0, high, size=num_perm, dtype=np.uint32))

    def __len__(self) -> int:
        return int(self.seeds.size)


@dataclass(frozen=True, slots=True, eq=False)
class Sketches:
    """Per document of a batch: signature, word count and winnowed fingerprints (document
    ``d`` owns ``fingerprints[fingerprint_offsets[d]:fingerprint_offsets[d + 1]]``)."""

    signatures: NDArray[np.uint32]
    word_counts: NDArray[np.int64]
    fingerprints: NDArray[np.uint64]
    fingerprint_offsets: NDArray[np.int64]


def sketch_texts(
    texts: Sequence[CleanText],
    shingle_size: int,
    permutations: Permutations,
    passage_words: int = 8,
    window: int = 0,
) -> Sketches:
    """MinHash signatures of a batch of clean texts, computed in parallel, and fingerprints
    of their passages (the smallest hash of every ``window`` consecutive shingles of
    ``passage_words`` words; none when ``window`` is 0)."""
    count = len(texts)
    lengths = np.fromiter((len(text) for text in texts), dtype=np.int64, count=count)
    doc_starts = np.zeros(count + 1, dtype=np.int64)
    np.cumsum(lengths, out=doc_starts[1:])
    codes = np.concatenate([text.codes for text in texts]) if count else np.empty(0, np.uint32)
    slots = np.zeros(count + 1, dtype=np.int64)
    np.cumsum([word_capacity(text) for text in texts], out=slots[1:])
    signatures = np.empty((count, len(permutations)), dtype=np.uint32)
    word_counts = np.empty(count, dtype=np.int64)
    found = np.empty(slots[-1] + 1, dtype=np.uint64)
    found_counts = np.empty(count, dtype=np.int64)
    kernels.sketch_batch(
        codes,
        doc_starts,
        word_table(),
        shingle_size,
        permutations.seeds,
        signatures,
        word_counts,
        passage_words,
        window,
        found,
        found_counts,
        slots,
    )
    offsets = np.zeros(count + 1, dtype=np.int64)
    np.cumsum(found_counts, out=offsets[1:])
    kept = np.repeat(slots[:-1] - offsets[:-1], found_counts)
    fingerprints = found[kept + np.arange(offsets[-1])]
    return Sketches(signatures, word_counts, fingerprints, offsets)


@dataclass(frozen=True, slots=True, eq=False)
class Words:
    """The words of one clean text (clean-text offsets) and the shingle starting at each."""

    starts: NDArray[np.int64]
    ends: NDArray[np.int64]
    shingles: NDArray[np.uint64]

    def __len__(self) -> int:
        return int(self.starts.size)


def words_and_shingles(text: CleanText, shingle_size: int) -> Words:
    """Words and shingles of one document, as the compare stage needs them."""
    capacity = word_capacity(text)
    starts = np.empty(capacity, dtype=np.int64)
    ends = np.empty(capacity, dtype=np.int64)
    hashes = np.empty(capacity, dtype=np.uint64)
    count = kernels.words_of(text.codes, word_table(), starts, ends, hashes)
    shingles = np.empty(max(count, 1), dtype=np.uint64)
    shingle_count = kernels.shingles_of(hashes, count, shingle_size, shingles)
    return Words(starts=starts[:count], ends=ends[:count], shingles=shingles[:shingle_count])
