"""Verbatim passage alignment: shared shingles -> diagonal runs -> passages.

Shared shingles at word positions ``(i, j)`` with the same ``j - i`` and consecutive ``i``
form a run (an unbroken copied stretch). Runs close on both sides (at most ``max_gap_words``
apart, small overlaps allowed) merge into one passage, which bridges small edits: a changed
word breaks ``shingle_size`` shingles but leaves the runs on either side close together. Runs
are matched independently, so reordered paragraphs give separate passages.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from wiretrace.clean import CleanText, clean_text
from wiretrace.sketch import Words, words_and_shingles

_MAX_REPEATS = 8  # a shingle repeated more often than this in one document seeds no passage


@dataclass(frozen=True, slots=True, eq=False)
class Prepared:
    """One document ready for comparison: clean text, words, its sorted unique shingles."""

    clean: CleanText
    words: Words
    unique: NDArray[np.uint64]
    shingle_size: int

    def shingle_span(self, first: int, last: int) -> tuple[int, int]:
        """Words covered by shingles ``first..last`` (inclusive), as ``[start, end)``."""
        return first, min(last + self.shingle_size, len(self.words))

    def original_span(self, word_start: int, word_end: int) -> tuple[int, int]:
        """Original-text character span of words ``[word_start, word_end)``."""
        return self.clean.original_span(
            int(self.words.starts[word_start]), int(self.words.ends[word_end - 1])
        )


def sorted_unique(values: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """np.unique for one small array, without its general-purpose overhead."""
    ordered = np.sort(values)
    if ordered.size < 2:
        return ordered
    keep = np.empty(ordered.size, dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


def member_of(values: NDArray[np.uint64], ordered: NDArray[np.uint64]) -> NDArray[np.bool_]:
    """For each value, whether it is in the sorted array ``ordered``."""
    if ordered.size == 0:
        return np.zeros(values.size, dtype=bool)
    index = np.minimum(np.searchsorted(ordered, values), ordered.size - 1)
    found: NDArray[np.bool_] = ordered[index] == values
    return found


def prepare(text: str, shingle_size: int) -> Prepared:
    clean = clean_text(text)
    words = words_and_shingles(clean, shingle_size)
    return Prepared(
        clean=clean, words=words, unique=sorted_unique(words.shingles), shingle_size=shingle_size
    )


@dataclass(slots=True)
class WordPassage:
    """A passage in word positions, ``[start, end)`` on each side, and its shared shingles."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    shared: int

    def similarity(self, shingle_size: int) -> float:
        longest = max(self.a_end - self.a_start, self.b_end - self.b_start) - shingle_size + 1
        return min(1.0, self.shared / max(longest, 1))


def _seeds(a: Prepared, b: Prepared, shared: NDArray[np.uint64]) -> NDArray[np.int64]:
    """All ``(i, j)`` with shingle ``i`` of a equal to shingle ``j`` of b, sorted by diagonal."""
    positions_a = np.flatnonzero(member_of(a.words.shingles, shared))
    positions_b = np.flatnonzero(member_of(b.words.shingles, shared))
    hashes_b = b.words.shingles[positions_b]
    order = np.argsort(hashes_b, kind="stable")
    hashes_b, positions_b = hashes_b[order], positions_b[order]
    hashes_a = a.words.shingles[positions_a]
    left = np.searchsorted(hashes_b, hashes_a, side="left")
    right = np.searchsorted(hashes_b, hashes_a, side="right")
    counts = right - left
    keep = counts <= _MAX_REPEATS
    positions_a, left, counts = positions_a[keep], left[keep], counts[keep]
    seeds_a = np.repeat(positions_a, counts)
    offsets = np.arange(seeds_a.size) - np.repeat(np.cumsum(counts) - counts, counts)
    seeds_b = positions_b[np.repeat(left, counts) + offsets]
    seeds = np.stack((seeds_a, seeds_b), axis=1)
    order = np.lexsort((seeds[:, 0], seeds[:, 1] - seeds[:, 0]))
    return seeds[order]


def _runs(seeds: NDArray[np.int64]) -> NDArray[np.int64]:
    """Maximal runs of consecutive seeds on one diagonal: rows ``(i0, i1, j0, j1, count)``."""
    diagonal = seeds[:, 1] - seeds[:, 0]
    breaks = np.flatnonzero((np.diff(diagonal) != 0) | (np.diff(seeds[:, 0]) != 1)) + 1
    starts = np.concatenate(([0], breaks))
    stops = np.concatenate((breaks, [seeds.shape[0]])) - 1
    return np.stack(
        (seeds[starts, 0], seeds[stops, 0], seeds[starts, 1], seeds[stops, 1], stops - starts + 1),
        axis=1,
    )


def align(
    a: Prepared, b: Prepared, shared: NDArray[np.uint64], max_gap_words: int
) -> list[WordPassage]:
    """Verbatim passages between a and b, given their shared shingle hashes."""
    if shared.size == 0:
        return []
    seeds = _seeds(a, b, shared)
    if seeds.size == 0:
        return []
    runs = _runs(seeds)
    runs = runs[np.lexsort((runs[:, 2], runs[:, 0]))]
    size = a.shingle_size
    passages: list[WordPassage] = []
    for i0, i1, j0, j1, count in runs.tolist():
        a_start, a_end = a.shingle_span(i0, i1)
        b_start, b_end = b.shingle_span(j0, j1)
        best: WordPassage | None = None
        best_distance = 0
        for passage in reversed(passages[-16:]):
            gap_a = a_start - passage.a_end
            gap_b = b_start - passage.b_end
            if -size < gap_a <= max_gap_words and -size < gap_b <= max_gap_words:
                distance = max(gap_a, 0) + max(gap_b, 0)
                if best is None or distance < best_distance:
                    best, best_distance = passage, distance
        if best is None:
            passages.append(WordPassage(a_start, a_end, b_start, b_end, count))
        else:
            best.a_end = max(best.a_end, a_end)
            best.b_end = max(best.b_end, b_end)
            best.shared += count
    return passages


def coverage(passages: list[WordPassage], words: int, side: str) -> float:
    """Share of a document's words inside at least one passage (``side`` is "a" or "b")."""
    if words == 0:
        return 0.0
    covered = np.zeros(words, dtype=bool)
    for passage in passages:
        if side == "a":
            covered[passage.a_start : passage.a_end] = True
        else:
            covered[passage.b_start : passage.b_end] = True
    return float(covered.mean())
