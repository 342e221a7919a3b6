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
from wiretrace.compare import kernels
from wiretrace.sketch import Words, words_and_shingles

_MAX_REPEATS = 8  # a shingle repeated more often than this in one document seeds no passage


@dataclass(frozen=True, slots=True, eq=False)
class Prepared:
    """One document ready for comparison: clean text, words, its sorted unique shingles."""

    clean: CleanText
    words: Words
    unique: NDArray[np.uint64]
    shingle_size: int

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


def align(
    a: Prepared, b: Prepared, shared: NDArray[np.uint64], max_gap_words: int
) -> list[WordPassage]:
    """Verbatim passages between a and b, given their shared shingle hashes."""
    if shared.size == 0:
        return []
    rows = kernels.align_words(
        a.words.shingles,
        b.words.shingles,
        shared,
        len(a.words),
        len(b.words),
        a.shingle_size,
        max_gap_words,
        _MAX_REPEATS,
    )
    return [WordPassage(*row) for row in rows.tolist()]


def coverage(passages: list[WordPassage], words: int, side: str) -> float:
    """Share of a document's words inside at least one passage (``side`` is "a" or "b")."""
    if words == 0:
        return 0.0
    if side == "a":
        spans = sorted((passage.a_start, passage.a_end) for passage in passages)
    else:
        spans = sorted((passage.b_start, passage.b_end) for passage in passages)
    covered, reach = 0, 0
    for start, end in spans:  # union of intervals
        if end > reach:
            covered += end - max(start, reach)
            reach = end
    return covered / words
