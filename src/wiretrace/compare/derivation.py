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
from numpy.typing import NDArray

from wiretrace.records import Derivation
from wiretrace.sketch.background import stop_words_set

PARTNERS = 3  # partners a sentence of the shorter text may align with
# Sentences whose words and facts a comparing process keeps, by their text (~3 KB each): a
# sentence recurs across compared pairs (the pairs share text), and in a corpus of random
# pairs most documents are prepared again for each pair they are in.
SENTENCES_KEPT = 8192
_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")
_WORD = re.compile(r"\w+(?:['’-]\w+)*")
_QUOTE = re.compile(r"[\"“”„«»]([^\"“”„«»]{3,}?)[\"“”„«»]")
_QUOTE_WORDS = 3


NO_DERIVATION = Derivation(0, 0.0, 0, 0, 0)


def ordered_chain(
    rows: NDArray[np.intp], columns: NDArray[np.intp], similarity: NDArray[np.float64]
) -> list[int]:
    """The cells (indices into the three arrays, in chain order) of the longest chain with
    ``rows`` strictly increasing and ``columns`` never decreasing; of equally long chains the
    one of the largest total similarity, then of the earliest cells. The cells must come
    sorted by row. A Fenwick tree over columns holds the best chain ending at or before each
    column, so that each cell costs a logarithm of the columns."""
    if not len(rows):
        return []
    if bool(np.all(rows[1:] > rows[:-1]) and np.all(columns[1:] >= columns[:-1])):
        return list(range(len(rows)))  # every cell in order (a copied passage): one chain
    size = int(columns.max()) + 1
    tree: list[tuple[int, float, int]] = [(0, 0.0, -1)] * (size + 1)

    def better(first: tuple[int, float, int], second: tuple[int, float, int]) -> bool:
        # longer, then more similar, then ending at the earlier cell
        return (first[0], first[1], -first[2]) > (second[0], second[1], -second[2])

    def best_up_to(column: int) -> tuple[int, float, int]:
        found = (0, 0.0, -1)
        index = column + 1
        while index > 0:
            if better(tree[index], found):
                found = tree[index]
            index -= index & -index
        return found

    def offer(column: int, value: tuple[int, float, int]) -> None:
        index = column + 1
        while index <= size:
            if better(value, tree[index]):
                tree[index] = value
            index += index & -index

    before = [-1] * len(rows)
    ends: list[tuple[int, float, int]] = [(0, 0.0, -1)] * len(rows)
    start = 0
    while start < len(rows):  # one row at a time: a chain takes one cell of a row
        end = start
        while end < len(rows) and rows[end] == rows[start]:
            end += 1
        for cell in range(start, end):
            length, total, last = best_up_to(int(columns[cell]))
            before[cell] = last
            ends[cell] = (length + 1, total + float(similarity[cell]), cell)
        for cell in range(start, end):
            offer(int(columns[cell]), ends[cell])
        start = end
    best = ends[0]
    for value in ends[1:]:
        if better(value, best):
            best = value
    chain = []
    cell = best[2]
    while cell >= 0:
        chain.append(cell)
        cell = before[cell]
    return chain[::-1]


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


def _best_of_each_row(cells: Cells, count: int) -> Cells:
    """Each row's ``count`` most similar cells (of equals, the earlier column), in row then
    column order."""
    if not np.any(cells.rows[count:] == cells.rows[:-count]):
        return cells  # no row has more (rows are sorted)
    order = np.lexsort((cells.columns, -cells.similarity, cells.rows))
    rows = cells.rows[order]
    first = np.searchsorted(rows, rows)  # each cell's row starts there (rows are sorted)
    kept = np.sort(order[np.arange(len(rows)) - first < count])  # back in row, column order
    return Cells(cells.rows[kept], cells.columns[kept], cells.similarity[kept])


def chain_cells(cells: Cells) -> Cells:
    """The cells on the ordered chain (each row with one of its ``PARTNERS`` most similar
    columns), in order."""
    if not len(cells.rows):
        return cells
    best = _best_of_each_row(cells, PARTNERS)
    chain = np.array(ordered_chain(*best), dtype=np.intp)
    return Cells(best.rows[chain], best.columns[chain], best.similarity[chain])


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
