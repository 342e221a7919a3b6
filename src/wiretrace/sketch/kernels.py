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
# code points after which the next word opens a sentence: . ! ? : ; " and a newline
_SENTENCE_MARKS = (46, 33, 63, 58, 59, 34)


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
    """Split code points into words (runs of ``is_word`` 1, or one code point of
    ``is_word`` 2); fill starts, ends and hashes; return the word count."""
    count = 0
    index = 0
    size = codes.shape[0]
    while index < size:
        kind = is_word[codes[index]]
        if kind == 0:
            index += 1
            continue
        start = index
        value = _FNV_OFFSET
        if kind == 2:
            value = (value ^ np.uint64(codes[index])) * _FNV_PRIME
            index += 1
        while kind == 1 and index < size and is_word[codes[index]] == 1:
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


@njit(cache=True, nogil=True)
def winnow(shingles, count, window, out, out_start):
    """Robust winnowing (Schleimer, Wilkerson and Aiken 2003): the smallest shingle hash of
    every ``window`` consecutive shingles (the rightmost on ties), each position once, written
    from ``out[out_start]``; returns how many. Two texts that share ``window`` consecutive
    shingles share the fingerprint chosen in that window: one shared fingerprint is guaranteed
    for every shared run of ``window + shingle_size - 1`` words, at ~2 / (window + 1) of the
    shingles."""
    if count == 0:
        return 0
    width = min(window, count)
    written = 0
    last = -1
    for start in range(count - width + 1):
        best = start
        for index in range(start + 1, start + width):
            if shingles[index] <= shingles[best]:
                best = index
        if best != last:
            out[out_start + written] = shingles[best]
            written += 1
            last = best
    return written


@njit(cache=True, parallel=True)
def sketch_batch(
    codes,
    doc_starts,
    is_word,
    shingle_size,
    perm_seeds,
    signatures,
    counts,
    passage_words,
    window,
    fingerprints,
    fingerprint_counts,
    slots,
):
    """Signatures for a batch: document ``d`` is ``codes[doc_starts[d]:doc_starts[d+1]]``,
    with at most ``slots[d+1] - slots[d]`` words (``normalize.word_capacity``). Also the
    winnowed fingerprints (:func:`winnow`, ``window`` 0: none) of its shingles of
    ``passage_words`` words, written from ``fingerprints[slots[d]]`` (a text has at most one
    shingle per word), their number in ``fingerprint_counts[d]``."""
    documents = doc_starts.shape[0] - 1
    permutations = perm_seeds.shape[0]
    for document in prange(documents):
        text = codes[doc_starts[document] : doc_starts[document + 1]]
        capacity = slots[document + 1] - slots[document]
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
        if window == 0:
            fingerprint_counts[document] = 0
            continue
        passages = np.empty(max(word_count, 1), dtype=np.uint64)
        passage_count = shingles_of(word_hashes, word_count, passage_words, passages)
        fingerprint_counts[document] = winnow(
            passages, passage_count, window, fingerprints, slots[document]
        )


@njit(cache=True, nogil=True, parallel=True)
def shared_weight(offsets, keys, weights, pairs, both):
    """For each pair of rows (sorted keys, back to back), the sum over their shared keys of
    the product of both weights (``both``: a dot product) or of the first row's weight."""
    out = np.zeros(pairs.shape[0])
    for index in prange(pairs.shape[0]):
        first, second = pairs[index, 0], pairs[index, 1]
        i, i_end = offsets[first], offsets[first + 1]
        j, j_end = offsets[second], offsets[second + 1]
        total = 0.0
        while i < i_end and j < j_end:
            if keys[i] < keys[j]:
                i += 1
            elif keys[i] > keys[j]:
                j += 1
            else:
                total += weights[i] * weights[j] if both else weights[i]
                i += 1
                j += 1
        out[index] = total
    return out


@njit(cache=True, nogil=True)
def _is_year(codes, start, end):
    if end - start != 4:
        return False
    value = 0
    for index in range(start, end):
        digit = codes[index] - 48
        if digit < 0 or digit > 9:
            return False
        value = value * 10 + digit
    return 1950 <= value <= 2049


@njit(cache=True, nogil=True)
def topic_keys(codes, is_word, lower, is_upper, function_words):
    """Words and named entities of one clean text.

    Returns the distinct hashes of its lower-cased words of two characters or more (sorted)
    with their counts, the distinct hashes of its entities (sorted), and the span of
    ``codes`` of every entity found with its hash (``start, end, hash`` rows; the hash as a
    signed integer). An entity is a run of
    capitalised words separated by single spaces, without leading function words (sorted
    hashes in ``function_words``), or a year 1950-2049; a lone capitalised word that opens a
    sentence is not one.
    """
    size = codes.shape[0]
    words = np.empty(size // 2 + 1, dtype=np.uint64)
    entities = np.empty(size // 2 + 1, dtype=np.uint64)
    spans = np.empty((size // 2 + 1, 3), dtype=np.int64)
    word_count = 0
    entity_count = 0
    run_start = -1  # first kept word of the current run of capitalised words
    run_end = 0
    run_words = 0
    run_hash = np.uint64(0)
    run_opens = False  # the run's first kept word opens a sentence
    sentence_open = True  # the next word opens a sentence
    previous_end = -1
    index = 0
    while index <= size:
        if index < size and is_word[codes[index]] == 0:
            code = codes[index]
            if code == 10 or code in _SENTENCE_MARKS:
                sentence_open = True
            index += 1
            continue
        if index == size:
            start = end = size
        else:
            start = index
            value = _FNV_OFFSET
            while index < size and is_word[codes[index]] != 0:
                value = (value ^ np.uint64(lower[codes[index]])) * _FNV_PRIME
                index += 1
            end = index
            if end - start >= 2:
                words[word_count] = value
                word_count += 1
        capital = end > start and is_upper[codes[start]] == 1
        joined = previous_end >= 0 and start - previous_end == 1 and codes[previous_end] == 32
        if run_start >= 0 and not (capital and joined):
            if run_words > 1 or (not run_opens and run_end - run_start >= 3):
                entities[entity_count] = _mix(run_hash)
                spans[entity_count, 0] = run_start
                spans[entity_count, 1] = run_end
                spans[entity_count, 2] = np.int64(entities[entity_count])
                entity_count += 1
            run_start = -1
        if capital:
            position = np.searchsorted(function_words, value)
            is_function = position < function_words.shape[0] and function_words[position] == value
            if run_start < 0 and is_function:
                sentence_open = False  # "The Taliban": the name does not open the sentence
            elif run_start < 0:
                run_start, run_end, run_words = start, end, 1
                run_hash = (np.uint64(1) ^ value) * _COMBINE
                run_opens = sentence_open
            else:
                run_end = end
                run_words += 1
                run_hash = (run_hash ^ value) * _COMBINE
        if end > start and _is_year(codes, start, end):
            entities[entity_count] = _mix(value ^ _COMBINE)
            spans[entity_count, 0] = start
            spans[entity_count, 1] = end
            spans[entity_count, 2] = np.int64(entities[entity_count])
            entity_count += 1
        if end > start:
            sentence_open = False
        previous_end = end
        if index == size:
            break
    ordered = np.sort(words[:word_count])
    terms = np.empty(word_count, dtype=np.uint64)
    counts = np.zeros(word_count, dtype=np.float32)
    distinct = -1
    for index in range(word_count):
        if distinct < 0 or ordered[index] != terms[distinct]:
            distinct += 1
            terms[distinct] = ordered[index]
        counts[distinct] += 1.0
    found = np.unique(entities[:entity_count])
    return terms[: distinct + 1], counts[: distinct + 1], found, spans[:entity_count]


@njit(cache=True, nogil=True)
def pairs_in_groups(members, starts, out):
    """Every pair of ``members`` inside each group ``starts[g]:starts[g + 1]``, into ``out``
    (sized by the caller); returns the number written."""
    count = 0
    for group in range(starts.shape[0] - 1):
        for first in range(starts[group], starts[group + 1]):
            for second in range(first + 1, starts[group + 1]):
                out[count, 0] = members[first]
                out[count, 1] = members[second]
                count += 1
    return count


@njit(cache=True, nogil=True)
def heaviest_in_rows(offsets, weights, keep):
    """Positions of the ``keep`` heaviest items of every row (rows back to back; of equal
    weights the earlier first), by insertion into a list of ``keep``: ~15x faster than
    sorting each row of a few hundred words."""
    rows = offsets.shape[0] - 1
    out = np.empty(rows * keep, dtype=np.int64)
    best = np.empty(keep, dtype=np.int64)
    count = 0
    for row in range(rows):
        start, end = offsets[row], offsets[row + 1]
        held = 0
        for index in range(start, end):
            weight = weights[index]
            if held == keep and weight <= weights[best[held - 1]]:
                continue
            place = held if held < keep else keep - 1
            while place > 0 and weights[best[place - 1]] < weight:
                if place < keep:
                    best[place] = best[place - 1]
                place -= 1
            best[place] = index
            if held < keep:
                held += 1
        for slot in range(held):
            out[count] = best[slot]
            count += 1
    return out[:count]


@njit(cache=True, nogil=True)
def hash_segments(codes, offsets):
    """The FNV-1a hash of each segment ``codes[offsets[k]:offsets[k + 1]]`` (as
    ``topic_keys`` hashes a lower-case word)."""
    out = np.empty(offsets.shape[0] - 1, dtype=np.uint64)
    for segment in range(out.shape[0]):
        value = _FNV_OFFSET
        for index in range(offsets[segment], offsets[segment + 1]):
            value = (value ^ np.uint64(codes[index])) * _FNV_PRIME
        out[segment] = value
    return out
