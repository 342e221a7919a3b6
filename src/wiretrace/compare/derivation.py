"""Derivation evidence of a pair: what a rewrite keeps of its source and an independent report
of the same event does not (issue 26).

- **The source's order**: the longest *ordered chain* of aligned sentences. Each sentence of
  the shorter text may align with one of its ``PARTNERS`` most similar sentences of the other
  (cosine at least the sentence threshold); a chain takes sentences of the shorter text in
  order, and their partners never go back (two sentences may share one partner: a sentence
  split in two). The longest chain wins, then the most similar in total, then the earliest.
  This is an ordered alignment, not each sentence's best partner alone: a sentence whose best
  partner is out of order may still align with its second best.
- **Coverage**: the share of the shorter text's characters that lie in chained sentences.
- **Particular facts in the same places**: the numbers and names (capitalised words inside a
  sentence that are not stop words) that chained sentence pairs share, and the chained pairs
  whose numbers all differ (3 killed against 5 killed).
- **Quotes carried over**: quoted passages of three words or more found again, word for word,
  in the partner sentence.

Measured per match and written in ``matches.derivation`` (docs/output-contract.md). The
``paraphrase`` decision weighs the chain and its coverage (``compare.paraphrase``): a careful
rewrite keeps no sentence very close but retells its source in order (benchmarks/README.md,
"Rewrites").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple, Protocol

import numpy as np
from numba import njit
from numpy.typing import NDArray

from wiretrace.records import Derivation
from wiretrace.sketch.background import stop_words_set

PARTNERS = 3  # partners a sentence of the shorter text may align with
# A careful rewrite (issue 26) says a sentence again less closely than the sentence threshold
# asks: a pair of sentences up to ``ANCHOR_MARGIN`` below it still aligns where the two share
# a particular fact (a number or a name), and a chain of such pairs proves derivation only
# where it steps through both texts together (``in_stride``) and its aligned sentences keep
# at least ``FACTS_KEPT`` of their facts (``facts_kept``): two independent reports of one
# event tell it in much the same order, but each with facts of its own.
ANCHOR_MARGIN = 0.1
FACTS_KEPT = 0.5  # more of them shared than not
STRIDE = 2  # a chain steps in stride when each text moves on by one or two sentences
# A passage rewritten inside a longer text (PAN's obfuscated passages, a paragraph of an
# agency story worked into another article) covers too little of either text for the chain
# above. It shows as a run of sentence pairs in stride, each no more than ``PASSAGE_MARGIN``
# below the sentence threshold and keeping at least ``PASSAGE_WORDS`` of their content words
# (Jaccard, stop words aside): a rewriter edits the source's words, an independent reporter
# chooses their own. Two reports of one event open alike (headline, lead, the next detail,
# in that order, as the inverted pyramid has it) and two pages end alike (a credit, a
# copyright line, an appeal for witnesses), so pairs of sentences that both lie in their
# texts' first ``EDGE`` sentences, or both in their last, are not counted. Read off the
# development data (benchmarks/README.md, "Rewrites"): at a margin of 0.05 and 0.3 of the
# words, no pair of one ECB+ story without copied text and no hard independent report makes
# a run of 3 (``ScanConfig.paraphrase_min_passage``).
PASSAGE_MARGIN = 0.05
PASSAGE_WORDS = 0.3
EDGE = 3
# Sentences whose words and facts a comparing process keeps, by their text (2.1 KB and 0.75
# KB each: ~47 MB a process at most): a sentence recurs across compared pairs (the pairs
# share text), while its document is seldom still in the comparer's cache (a corpus's pairs
# join documents far apart). The benchmark corpus draws its sentences from a pool of 22,303.
SENTENCES_KEPT = 16_384
_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")
_WORD = re.compile(r"\w+(?:['’-]\w+)*")
_QUOTE = re.compile(r"[\"“”„«»]([^\"“”„«»]{3,}?)[\"“”„«»]")
_QUOTE_WORDS = 3


NO_DERIVATION = Derivation(0, 0.0, 0, 0, 0)


@njit(cache=True, nogil=True)
def _better(length, total, cell, other_length, other_total, other_cell):  # type: ignore[no-untyped-def]
    """Longer, then more similar in total, then ending at the earlier cell."""
    if length != other_length:
        return length > other_length
    if total != other_total:
        return total > other_total
    return cell < other_cell


@njit(cache=True, nogil=True)
def _chain(rows, columns, similarity):  # type: ignore[no-untyped-def]
    """``ordered_chain``'s cells, compiled: a Fenwick tree over columns holds the best chain
    ending at or before each column (its length, total similarity and last cell)."""
    count = rows.shape[0]
    if count == 0:
        return np.empty(0, dtype=np.int64)
    in_order = True
    for cell in range(1, count):
        if rows[cell] <= rows[cell - 1] or columns[cell] < columns[cell - 1]:
            in_order = False
            break
    if in_order:  # every cell in order (a copied passage): one chain
        return np.arange(count)
    size = 0
    for cell in range(count):
        size = max(size, columns[cell] + 1)
    tree_length = np.zeros(size + 1, dtype=np.int64)
    tree_total = np.zeros(size + 1, dtype=np.float64)
    tree_cell = np.full(size + 1, -1, dtype=np.int64)
    before = np.full(count, -1, dtype=np.int64)
    end_length = np.zeros(count, dtype=np.int64)
    end_total = np.zeros(count, dtype=np.float64)
    start = 0
    while start < count:  # one row at a time: a chain takes one cell of a row
        end = start
        while end < count and rows[end] == rows[start]:
            end += 1
        for cell in range(start, end):
            length, total, last = 0, 0.0, -1
            index = columns[cell] + 1
            while index > 0:
                if _better(
                    tree_length[index], tree_total[index], tree_cell[index], length, total, last
                ):
                    length, total, last = tree_length[index], tree_total[index], tree_cell[index]
                index -= index & -index
            before[cell] = last
            end_length[cell] = length + 1
            end_total[cell] = total + similarity[cell]
        for cell in range(start, end):
            index = columns[cell] + 1
            while index <= size:
                if _better(
                    end_length[cell],
                    end_total[cell],
                    cell,
                    tree_length[index],
                    tree_total[index],
                    tree_cell[index],
                ):
                    tree_length[index] = end_length[cell]
                    tree_total[index] = end_total[cell]
                    tree_cell[index] = cell
                index += index & -index
        start = end
    best = 0
    for cell in range(1, count):
        if _better(
            end_length[cell], end_total[cell], cell, end_length[best], end_total[best], best
        ):
            best = cell
    chain = np.empty(end_length[best], dtype=np.int64)
    cell = best
    for at in range(chain.shape[0] - 1, -1, -1):
        chain[at] = cell
        cell = before[cell]
    return chain


def ordered_chain(
    rows: NDArray[np.intp], columns: NDArray[np.intp], similarity: NDArray[np.float64]
) -> list[int]:
    """The cells (indices into the three arrays, in chain order) of the longest chain with
    ``rows`` strictly increasing and ``columns`` never decreasing; of equally long chains the
    one of the largest total similarity, then of the earliest cells. The cells must come
    sorted by row. Each cell costs a logarithm of the columns (a Fenwick tree, compiled:
    ``tests/test_fast_paths.py`` holds it to the plain search it replaced)."""
    chain = _chain(
        np.ascontiguousarray(rows, dtype=np.int64),
        np.ascontiguousarray(columns, dtype=np.int64),
        np.ascontiguousarray(similarity, dtype=np.float64),
    )
    found: list[int] = chain.tolist()
    return found


@lru_cache(maxsize=SENTENCES_KEPT)
def facts(sentence: str) -> tuple[frozenset[str], frozenset[str]]:
    """The numbers of a sentence, and its names: capitalised words after its first word that
    are not stop words, lower-cased. Kept by the sentence's text (``SENTENCES_KEPT``)."""
    numbers = frozenset(_NUMBER.findall(sentence))
    stop = stop_words_set()
    words = _WORD.findall(sentence)
    names = frozenset(
        word.lower()
        for word in words[1:]
        if word[0].isupper() and not word.isupper() and word.lower() not in stop
    )
    return numbers, names


def _quote_runs(sentence: str) -> list[tuple[str, ...]]:
    runs = []
    for quoted in _QUOTE.findall(sentence):
        words = tuple(word.casefold() for word in _WORD.findall(quoted))
        if len(words) >= _QUOTE_WORDS:
            runs.append(words)
    return runs


def _contains(words: Sequence[str], run: tuple[str, ...]) -> bool:
    width = len(run)
    return any(tuple(words[at : at + width]) == run for at in range(len(words) - width + 1))


class Cells(NamedTuple):
    """Pairs of sentences alike enough to align: rows of the shorter text ascending, then
    columns of the other, and their similarities."""

    rows: NDArray[np.intp]
    columns: NDArray[np.intp]
    similarity: NDArray[np.float64]

    def take(self, cells: NDArray[np.intp]) -> Cells:
        """These cells at the given indices, in that order."""
        return Cells(self.rows[cells], self.columns[cells], self.similarity[cells])

    def at_least(self, similarity: float) -> Cells:
        """The cells at least ``similarity`` alike."""
        kept = np.flatnonzero(self.similarity >= similarity)
        return self if len(kept) == len(self.similarity) else self.take(kept)

    def row_count(self) -> int:
        """How many rows have a cell (the rows come sorted)."""
        rows = self.rows
        return int(np.count_nonzero(rows[1:] != rows[:-1])) + 1 if rows.size else 0


NO_CELLS = Cells(np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp), np.empty(0))


class Sentences(Protocol):
    """A text, its sentences' offsets and their facts (``paraphrase.SemanticDocument``)."""

    @property
    def text(self) -> str: ...

    @property
    def sentences(self) -> list[tuple[int, int]]: ...

    @property
    def chars(self) -> int: ...  # of its sentences

    def facts(self, sentence: int) -> tuple[frozenset[str], frozenset[str]]: ...

    def words(self, sentence: int) -> frozenset[str]: ...  # lower-cased


@njit(cache=True, nogil=True)
def _best_of_rows(rows, columns, similarity, count):  # type: ignore[no-untyped-def]
    """The indices (ascending) of each row's ``count`` most similar cells, of equals the
    earlier column; ``rows`` sorted."""
    kept = np.zeros(rows.shape[0], dtype=np.bool_)
    start = 0
    while start < rows.shape[0]:
        end = start
        while end < rows.shape[0] and rows[end] == rows[start]:
            end += 1
        for _ in range(min(count, end - start)):
            best = -1
            for cell in range(start, end):
                if kept[cell]:
                    continue
                if (
                    best < 0
                    or similarity[cell] > similarity[best]
                    or (similarity[cell] == similarity[best] and columns[cell] < columns[best])
                ):
                    best = cell
            kept[best] = True
        start = end
    return np.nonzero(kept)[0]


def chain_cells(cells: Cells) -> Cells:
    """The cells on the ordered chain (each row with one of its ``PARTNERS`` most similar
    columns), in order."""
    if not len(cells.rows):
        return cells
    rows = np.ascontiguousarray(cells.rows, dtype=np.int64)
    columns = np.ascontiguousarray(cells.columns, dtype=np.int64)
    similarity = np.ascontiguousarray(cells.similarity, dtype=np.float64)
    best = _best_of_rows(rows, columns, similarity, PARTNERS)
    return cells.take(best[_chain(rows[best], columns[best], similarity[best])])


def derivation(small: Sentences, other: Sentences, cells: Cells) -> Derivation:
    """The evidence of the shorter text (``small``) against the other, from the pairs of
    their sentences alike enough to align (``cells``)."""
    return chain_derivation(small, other, chain_cells(cells))


def chain_derivation(small: Sentences, other: Sentences, chain: Cells) -> Derivation:
    """``derivation`` from the chain already found (``chain_cells``)."""
    if not len(chain.rows):
        return NO_DERIVATION
    chars = small.chars
    covered = shared = contradicted = quotes = 0
    for row, column in zip(chain.rows.tolist(), chain.columns.tolist(), strict=True):
        start, end = small.sentences[row]
        covered += end - start
        (my_numbers, my_names), (their_numbers, their_names) = (
            small.facts(row),
            other.facts(column),
        )
        shared += len(my_numbers & their_numbers) + len(my_names & their_names)
        contradicted += bool(my_numbers and their_numbers and not my_numbers & their_numbers)
        runs = _quote_runs(small.text[start:end])
        if runs:
            other_start, other_end = other.sentences[column]
            words = [word.casefold() for word in _WORD.findall(other.text[other_start:other_end])]
            quotes += sum(_contains(words, run) for run in runs)
    return Derivation(
        len(chain.rows), round(covered / chars, 4) if chars else 0.0, shared, contradicted, quotes
    )


def anchored(small: Sentences, other: Sentences, cells: Cells, sentence: float) -> Cells:
    """The cells at least ``sentence`` alike, and those below it whose two sentences share a
    particular fact (a number or a name: ``facts``)."""
    keep = []
    for at, (row, column, similarity) in enumerate(
        zip(cells.rows.tolist(), cells.columns.tolist(), cells.similarity.tolist(), strict=True)
    ):
        if similarity >= sentence:
            keep.append(at)
            continue
        (my_numbers, my_names), (their_numbers, their_names) = small.facts(row), other.facts(column)
        if my_numbers & their_numbers or my_names & their_names:
            keep.append(at)
    return cells.take(np.asarray(keep, dtype=np.intp))


def in_stride(chain: Cells) -> int:
    """How many cells of the chain follow the one before it in stride (each text moved on
    by at most ``STRIDE`` sentences, the other text by at least one), plus its first: a
    rewrite follows its source sentence by sentence, where an independent report of the same
    event meets the other now and then (ten of its sentences against one long one, or one
    sentence in five)."""
    if not len(chain.rows):
        return 0
    rows, columns = np.diff(chain.rows), np.diff(chain.columns)
    return 1 + int(np.count_nonzero((rows <= STRIDE) & (columns >= 1) & (columns <= STRIDE)))


def facts_kept(small: Sentences, other: Sentences, chain: Cells) -> float:
    """The share of the chained sentence pairs' particular facts that both sentences give
    (numbers and names, ``facts``): a rewrite carries its source's facts over, an independent
    report gives facts of its own."""
    shared = differing = 0
    for row, column in zip(chain.rows.tolist(), chain.columns.tolist(), strict=True):
        (my_numbers, my_names), (their_numbers, their_names) = small.facts(row), other.facts(column)
        mine, theirs = my_numbers | my_names, their_numbers | their_names
        shared += len(mine & theirs)
        differing += len(mine ^ theirs)
    return shared / (shared + differing) if shared else 0.0


def _content_overlap(small: Sentences, other: Sentences, row: int, column: int) -> float:
    """The Jaccard of two sentences' words, stop words aside."""
    stop = stop_words_set()
    mine, theirs = small.words(row) - stop, other.words(column) - stop
    union = len(mine | theirs)
    return len(mine & theirs) / union if union else 0.0


def passage_run(small: Sentences, other: Sentences, cells: Cells, floor: float) -> Cells:
    """The longest run of sentence pairs in stride (each text on by one to ``STRIDE``
    sentences at each step) at least ``floor`` alike that keep ``PASSAGE_WORDS`` of their
    content words, none of them in both texts' openings or both their endings (``EDGE``); of
    equally long runs the most similar in total, then the earliest. ``cells`` come sorted by
    row."""
    last_row, last_column = len(small.sentences) - EDGE, len(other.sentences) - EDGE
    at_cell: dict[tuple[int, int], int] = {}  # (row, column) -> its place in ``taken``
    taken: list[int] = []  # indices into ``cells``
    length: list[int] = []
    total: list[float] = []
    before: list[int] = []
    best = -1
    for at, (row, column, similarity) in enumerate(
        zip(cells.rows.tolist(), cells.columns.tolist(), cells.similarity.tolist(), strict=True)
    ):
        if similarity < floor or (row < EDGE and column < EDGE):
            continue
        if row >= last_row and column >= last_column:
            continue
        if _content_overlap(small, other, row, column) < PASSAGE_WORDS:
            continue
        previous = -1
        for step_row in range(1, STRIDE + 1):
            for step_column in range(1, STRIDE + 1):
                found = at_cell.get((row - step_row, column - step_column), -1)
                if found >= 0 and (
                    previous < 0
                    or (length[found], total[found]) > (length[previous], total[previous])
                ):
                    previous = found
        here = len(taken)
        at_cell[(row, column)] = here
        taken.append(at)
        before.append(previous)
        length.append(1 + (length[previous] if previous >= 0 else 0))
        total.append(similarity + (total[previous] if previous >= 0 else 0.0))
        if best < 0 or (length[here], total[here]) > (length[best], total[best]):
            best = here
    run: list[int] = []
    while best >= 0:
        run.append(taken[best])
        best = before[best]
    return cells.take(np.asarray(run[::-1], dtype=np.intp))
