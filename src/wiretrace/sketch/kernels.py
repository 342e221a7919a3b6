"""JIT-compiled kernels: words -> 64-bit shingle hashes -> MinHash signatures.

Chosen by measurement (benchmarks/README.md, "Kernel choice"): a numba kernel that walks the
clean text's code points once per document avoids building Python token lists, which bound
every library fed from Python (~410 µs per document, MEASUREMENTS.md), and runs the batch on
all cores. Hashes: FNV-1a per word, shingles combine their words' hashes and pass through the
splitmix64 finaliser; the permutations are murmur3's 32-bit finaliser applied to the shingle
hash's upper half xor a per-permutation seed. Only 32-bit operations, so the inner loop runs
eight lanes wide on AVX2 (64-bit multiply-shift measured 1.5x slower: AVX2 has no 64-bit multiply).
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

_FNV_OFFSET = np.uint64(0xCBF29CE484222325)
_FNV_PRIME = np.uint64(0x100000001B3)
_COMBINE = np.uint64(0x9E3779B97F4A7C15)
_MIX_1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX_2 = np.uint64(0x94D049BB133111EB)
_SHIFT_30 = np.uint64(30)
_SHIFT_27 = np.uint64(27)
_SHIFT_31 = np.uint64(31)
_SHIFT_32 = np.uint64(32)
_EMPTY = np.uint32(0xFFFFFFFF)
_M32_1 = np.uint32(0x85EBCA6B)
_M32_2 = np.uint32(0xC2B2AE35)
_S16 = np.uint32(16)
_S13 = np.uint32(13)


@njit(inline="always")
def _mix(value: np.uint64) -> np.uint64:
    value = (value ^ (value >> _SHIFT_30)) * _MIX_1
    value = (value ^ (value >> _SHIFT_27)) * _MIX_2
    return value ^ (value >> _SHIFT_31)


@njit(inline="always")
def _fmix32(value: np.uint32) -> np.uint32:
    # numba widens uint32 arithmetic to 64 bits; the casts keep it modulo 2**32.
    value = np.uint32((value ^ (value >> _S16)) * _M32_1)
    value = np.uint32((value ^ (value >> _S13)) * _M32_2)
    return np.uint32(value ^ (value >> _S16))


@njit(cache=True, nogil=True)
def words_of(codes, is_word, word_starts, word_ends, word_hashes):
    """Split code points into words; fill starts, ends and hashes; return the word count."""
    count = 0
    index = 0
    size = codes.shape[0]
    while index < size:
        if is_word[codes[index]] == 0:
            index += 1
            continue
        start = index
        value = _FNV_OFFSET
        while index < size and is_word[codes[index]] != 0:
            value = (value ^ np.uint64(codes[index])) * _FNV_PRIME
            index += 1
        word_starts[count] = start
        word_ends[count] = index
        word_hashes[count] = value
        count += 1
    return count


@njit(cache=True, nogil=True)
def shingles_of(word_hashes, word_count, shingle_size, out):
    """Hash every run of ``shingle_size`` words (one shingle of all words when there are
    fewer); ``out[i]`` is the shingle starting at word ``i``. Return the shingle count."""
    if word_count == 0:
        return 0
    width = min(shingle_size, word_count)
    count = word_count - width + 1
    for first in range(count):
        value = np.uint64(width)
        for offset in range(width):
            value = (value ^ word_hashes[first + offset]) * _COMBINE
        out[first] = _mix(value)
    return count


@njit(cache=True, parallel=True)
def sketch_batch(codes, doc_starts, is_word, shingle_size, perm_seeds, signatures, counts):
    """Signatures for a batch: document ``d`` is ``codes[doc_starts[d]:doc_starts[d+1]]``."""
    documents = doc_starts.shape[0] - 1
    permutations = perm_seeds.shape[0]
    for document in prange(documents):
        text = codes[doc_starts[document] : doc_starts[document + 1]]
        capacity = text.shape[0] // 2 + 1
        word_starts = np.empty(capacity, dtype=np.int64)
        word_ends = np.empty(capacity, dtype=np.int64)
        word_hashes = np.empty(capacity, dtype=np.uint64)
        word_count = words_of(text, is_word, word_starts, word_ends, word_hashes)
        shingles = np.empty(max(word_count, 1), dtype=np.uint64)
        shingle_count = shingles_of(word_hashes, word_count, shingle_size, shingles)
        signature = signatures[document]
        for permutation in range(permutations):
            signature[permutation] = _EMPTY
        for index in range(shingle_count):
            value = np.uint32(shingles[index] >> _SHIFT_32)
            for permutation in range(permutations):
                hashed = _fmix32(np.uint32(value ^ perm_seeds[permutation]))
                if hashed < signature[permutation]:
                    signature[permutation] = hashed
        counts[document] = word_count
