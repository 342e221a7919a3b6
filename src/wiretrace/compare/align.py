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
import xxhash
from numpy.typing import NDArray

from wiretrace.clean import clean_text, word_table
from wiretrace.clean.normalize import WIDE_FROM, clean_table, folded
from wiretrace.compare import kernels
from wiretrace.sketch import words_and_shingles

_MAX_REPEATS = 8  # a shingle repeated more often than this in one document seeds no passage
_JOINS = frozenset("'’.")  # a word's tail after one of these is part of it ("'s", "U.S.")
# passages of fewer words than this are counted as a reader counts them (``Prepared.fifths``):
# a longer one holds a minimum of 8 words unless two in three of its words were such tails
_JOINED_WITHIN = 24


@dataclass(frozen=True, slots=True, eq=False)
class Prepared:
    """One document ready for comparison: the shingle at each word, its sorted unique
    shingles, where each word lies in the original text and a digest of its clean text.

    Only what the comparison reads is kept, about 32 bytes a word (5 a character): documents
    stay prepared from one pair to the next, and the clean text with its offset map for every
    character (20 bytes a character, plus 16 a word for the word spans) made a 15 MB record
    375 MB; thirty of them took 13 GB (issue 23)."""

    shingles: NDArray[np.uint64]  # the shingle starting at each word (all but the last few)
    unique: NDArray[np.uint64]
    word_starts: NDArray[np.int64]  # original-text offset of each word's first character
    word_ends: NDArray[np.int64]  # ... and of the end of its last one
    digest: bytes  # of the clean text: equal digests, identical clean texts (an exact copy)
    shingle_size: int
    # how many of the words before each word are a character of their own (Chinese,
    # Japanese), ``word_count + 1`` of them; None when there are none
    wide_before: NDArray[np.int64] | None = None
    text: str = ""  # as compared (boilerplate blanked): what a passage's offsets point into

    @property
    def word_count(self) -> int:
        return int(self.word_starts.size)

    @property
    def size(self) -> int:
        """Bytes held (the arrays; the rest is a few hundred bytes)."""
        arrays = (self.shingles, self.unique, self.word_starts, self.word_ends)
        wide = 0 if self.wide_before is None else self.wide_before.nbytes
        return sum(array.nbytes for array in arrays) + wide + len(self.text)

    def fifths(self, word_start: int, word_end: int) -> int:
        """The length of words ``[word_start, word_end)`` in fifths of a word: a character
        that is a word of its own counts three fifths (words of Chinese news average ~1.6
        characters), so a passage's minimum length means as much text in every script; a
        word's tail after an apostrophe or a dot ("Sedlabanki's", "U.S.", "3.5") is no word
        of its own, as a reader counts (``_joined``). Whole numbers: the same decision on
        every machine."""
        words = word_end - word_start
        fifths = 5 * words
        if words < _JOINED_WITHIN:
            fifths -= 5 * self._joined(word_start, word_end)
        if self.wide_before is None:
            return fifths
        return fifths - 2 * int(self.wide_before[word_end] - self.wide_before[word_start])

    def _joined(self, word_start: int, word_end: int) -> int:
        """How many words of ``[word_start, word_end)`` after its first are the tail of the
        word before, one apostrophe or dot away, of two characters at most ("s" of "'s",
        "t" of "n't", "S" of "U.S.", "5" of "3.5"): 7 words of a court's name, "the 10th
        U.S. Circuit Court of Appeals", made a passage of 8."""
        text = self.text
        if not text:
            return 0
        # a few words: read as Python numbers (numpy's per-call cost was most of this)
        starts = self.word_starts[word_start:word_end].tolist()
        ends = self.word_ends[word_start:word_end].tolist()
        wide = self.wide_before
        joined = 0
        for at in range(1, len(starts)):
            gap = ends[at - 1]
            if (
                starts[at] - gap == 1
                and text[gap] in _JOINS
                and ends[at] - starts[at] <= 2
                # a character that is a word of its own counts three fifths already
                and (wide is None or wide[word_start + at + 1] == wide[word_start + at])
            ):
                joined += 1
        return joined

    def original_span(self, word_start: int, word_end: int) -> tuple[int, int]:
        """Original-text character span of words ``[word_start, word_end)``."""
        return int(self.word_starts[word_start]), int(self.word_ends[word_end - 1])


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


def text_digest(codes: NDArray[np.uint32]) -> bytes:
    """128 bits that tell two clean texts apart (xxh3: a thirtieth of blake2b's time, and
    only ever compared within one run)."""
    return xxhash.xxh3_128_digest(codes.data)


def prepare(text: str, shingle_size: int) -> Prepared:
    """``text`` ready for comparison: cleaned, split into words and shingled as the sketch
    stage does, in one compiled call (``kernels.prepare_document``; the same arrays as
    :func:`prepare_in_steps`, which ``tests/test_fast_paths.py`` holds it to)."""
    codes, starts, ends, identity = folded(text)
    clean, word_starts, word_ends, shingles, wide_before, top = kernels.prepare_document(
        codes, clean_table(), word_table(), starts, ends, identity, WIDE_FROM, shingle_size
    )
    return Prepared(
        shingles=shingles,
        unique=sorted_unique(shingles),  # numpy's sort: SIMD, twice as fast as numba's
        word_starts=word_starts,
        word_ends=word_ends,
        digest=text_digest(clean),
        shingle_size=shingle_size,
        wide_before=wide_before if int(top) >= WIDE_FROM else None,
        text=text,
    )


def prepare_in_steps(text: str, shingle_size: int) -> Prepared:
    """:func:`prepare` by the general functions, one step at a time (the reference)."""
    clean = clean_text(text)
    words = words_and_shingles(clean, shingle_size)
    wide_before = None
    if clean.wide:
        wide = word_table()[clean.codes[words.starts]] == 2
        wide_before = np.concatenate([[0], np.cumsum(wide)]).astype(np.int64)
    return Prepared(
        shingles=words.shingles,
        unique=sorted_unique(words.shingles),
        word_starts=clean.starts[words.starts],
        word_ends=clean.ends[words.ends - 1],
        digest=text_digest(clean.codes),
        shingle_size=shingle_size,
        wide_before=wide_before,
        text=text,
    )


@dataclass(slots=True)
class WordPassage:
    """A passage in word positions, ``[start, end)`` on each side, its shared shingles and
    its longest unbroken run of them."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    shared: int
    longest: int = 0

    def runs_long(self, shingle_size: int, min_words: int) -> bool:
        """Whether it holds ``min_words`` words or more copied in a row, or twice as many
        shingles in all (a long copy under frequent small edits)."""
        return self.longest + shingle_size - 1 >= min_words or self.shared >= 2 * min_words

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
        a.shingles,
        b.shingles,
        shared,
        a.word_count,
        b.word_count,
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
