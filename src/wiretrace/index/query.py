"""A query answered from the postings and the vectors held in memory, without working out the
whole index again (what an add does): for a feed's "what does this article copy, lift from or
rewrite, and which story is it part of?" in milliseconds.

The new documents are read, cleaned and sketched as an add reads them (recurring lines
decided with the index's); their candidates are the indexed documents they share an LSH band
with (reaching the scan's estimate floors), those they share passage fingerprints with (the
scan's kernel over the fingerprints' postings, documents grouped by the components of the
index's LSH pairs), and their nearest neighbours by vectors centred on the index's mean with
them; each pair is compared as a scan compares it, and named a likely source as a scan does.
What differs from an add: a query does not ask whether a new document becomes one of an
indexed document's nearest neighbours (only the reverse), and its story is the one of the
indexed document it is most closely tied to (a copy first, then a rewrite, a shared passage,
a same-story pair), not the story model's clustering of the whole index; and a same-story pair
needs a name, a place or a count in common, as a story pair does.
"""

from __future__ import annotations

import functools
import math
import os
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
from numba import njit
from numpy.typing import NDArray
from threadpoolctl import ThreadpoolController  # type: ignore[import-untyped]

from wiretrace.candidates import kernels as candidate_kernels
from wiretrace.candidates.neighbours import neighbours_wanted
from wiretrace.candidates.passages import passage_pairs_held
from wiretrace.config import ScanConfig
from wiretrace.group.provenance import derived_from_one
from wiretrace.index.derive import match_of
from wiretrace.index.store import IndexStore, StoredDocument
from wiretrace.index.update import (
    LSH,
    NEIGHBOUR,
    PASSAGE,
    Neighbourhood,
    Update,
    compare_pairs,
    lsh_candidates,
    packed_keys,
    pair_keys,
    postings,
    read_new,
)
from wiretrace.records import Match, Relation
from wiretrace.semantic.static import background_mean, check_static_model
from wiretrace.semantic.store import centre, mean_weight, mean_with
from wiretrace.sketch.topics import named_enough, names_as_evidence, written_year, year_key
from wiretrace.stages.grouping import with_dateline
from wiretrace.stages.semantic import relations_not_searched
from wiretrace.stages.state import Reporter

# which match ties a new document to an indexed one's story, most telling first
_TIES = (
    Relation.EXACT,
    Relation.NEAR_DUPLICATE,
    Relation.CONTAINED,
    Relation.PARAPHRASE,
    Relation.PARTIAL,
    Relation.SAME_STORY,
)


# the meta key naming the last commit that sketched indexed documents again or took some out:
# queries' memory of the vectors is read again in full, not only carried on with the new ones
REWRITTEN = "rewritten_generation"


@dataclass(frozen=True, slots=True)
class WarmState:
    """Every indexed document's vector (not centred) and LSH group, as of a commit; and what
    a query's cosines with all of them need, worked out once (in the order of the rows, in
    float64): their squared lengths, which are not zero, their sum and each one's product
    with it. The vectors are kept once, in float32 (``_cosines`` bounds the rounding)."""

    generation: str
    numbers: NDArray[np.int64]
    vectors: NDArray[np.float32]
    groups: NDArray[np.int64]
    squares: NDArray[np.float64]
    present: NDArray[np.bool_]
    total: NDArray[np.float64]
    with_total: NDArray[np.float64]
    with_background: dict[str, NDArray[np.float64]]  # by model, worked out when first asked

    @classmethod
    def of(
        cls,
        generation: str,
        numbers: NDArray[np.int64],
        vectors: NDArray[np.float32],
        groups: NDArray[np.int64],
    ) -> WarmState:
        """The state of the documents ``numbers`` with their ``vectors``, in that order."""
        return _COLD.extended(generation, numbers, vectors, groups)

    def extended(
        self,
        generation: str,
        numbers: NDArray[np.int64],
        vectors: NDArray[np.float32],
        groups: NDArray[np.int64],
    ) -> WarmState:
        """This state with the documents ``numbers`` (all above its own) and their
        ``vectors`` after its rows (none: an index without vectors). The sum goes on from
        this state's one row after another, as a scan sums its rows (numpy adds the rows of
        a C-ordered array in order along the first axis; from zeros, the same sum); the
        products with it are worked out again."""
        width = vectors.shape[1] if vectors.size else self.vectors.shape[1]
        held = self.vectors.reshape(len(self.vectors), width)
        vectors = vectors.reshape(len(vectors), width) if vectors.size else held[:0]
        present = (vectors != 0).any(axis=1)
        start = self.total if len(self.total) else np.zeros(width, np.float64)
        total = np.concatenate([start[None, :], vectors[present].astype(np.float64)]).sum(axis=0)
        every = np.concatenate([held, vectors])
        return WarmState(
            generation,
            np.concatenate([self.numbers, numbers]),
            every,
            groups,
            np.concatenate([self.squares, _squares(vectors)]),
            np.concatenate([self.present, present]),
            total,
            _products(every, total),
            {},
        )

    def background_products(
        self, model: str, background: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        """Each vector's product with ``background`` (the model's), once per state."""
        found = self.with_background.get(model)
        if found is None:
            found = _products(self.vectors, background)
            self.with_background[model] = found
        return found


def _squares(vectors: NDArray[np.float32], step: int = 8192) -> NDArray[np.float64]:
    """Each row's squared length in float64, a block of rows at a time."""
    found = np.empty(len(vectors), np.float64)
    for start in range(0, len(vectors), step):
        block = vectors[start : start + step].astype(np.float64)
        found[start : start + step] = (block * block).sum(axis=1)
    return found


def _products(vectors: NDArray[np.float32], other: NDArray[np.float64]) -> NDArray[np.float64]:
    """Each row's product with ``other``, in float32 (``_cosines`` bounds the rounding)."""
    return (vectors @ other.astype(np.float32)).astype(np.float64)


_NONE = np.empty(0, np.float64)
_COLD = WarmState(
    "",
    np.empty(0, np.int64),
    np.empty((0, 0), np.float32),
    np.empty(0, np.int64),
    _NONE,
    np.empty(0, bool),
    _NONE,
    _NONE,
    {},
)


class Warm:
    """What queries keep of the index in memory, brought up to date with its commits (the
    ``generation`` each add writes); one may serve every reader thread of a service."""

    def __init__(self) -> None:
        self._state = _COLD
        self._lock = threading.Lock()

    def current(self, store: IndexStore, semantic: bool) -> WarmState:
        """The state as of the index's last commit: what was added since is loaded, or all
        of it again where indexed documents were sketched again or taken out since."""
        meta = store.meta()
        generation = meta.get("generation", "")
        with self._lock:
            state = self._state
            if generation != state.generation or not len(state.numbers):
                rewritten = int(meta.get(REWRITTEN, "0"))
                grows = state.generation != "" and rewritten <= int(state.generation)
                self._state = _load(store, semantic, state if grows else _COLD, generation)
            return self._state


def _load(store: IndexStore, semantic: bool, before: WarmState, generation: str) -> WarmState:
    """``before`` with the documents added since (numbered above all of it) and the LSH
    pairs they are in. Read without a transaction: a commit while this reads leaves a state
    named by the generation before it, holding some of what it added, and the next load adds
    the rest (a document or a pair is not taken twice)."""
    after = int(before.numbers[-1]) if len(before.numbers) else -1
    added = store.numbers(after)
    vectors = np.empty((0, 0), np.float32)
    if semantic and len(added):
        found = store.vectors(added.tolist())
        rows = [found.get(number) for number in added.tolist()]  # None: removed meanwhile
        known_width = before.vectors.shape[1] if before.vectors.size else 0
        dimensions = next((len(v) for v in rows if v is not None and len(v)), known_width)
        vectors = np.stack(
            [v if v is not None and len(v) else np.zeros(dimensions, np.float32) for v in rows]
        )
    pairs = store.pairs("lsh_pairs", after)
    known = len(before.groups)
    width = int(max(known - 1, added.max(initial=0), pairs.max(initial=0))) + 1
    # each document tied to its component's name (its smallest member) as before: the same
    # components, named alike, as from every pair
    ties = np.stack([np.arange(known), before.groups], axis=1)
    edges = np.ascontiguousarray(np.concatenate([ties, pairs]), dtype=np.int64)
    groups = candidate_kernels.components(width, edges)
    return before.extended(generation, added, vectors, groups)


def _passages(
    store: IndexStore,
    config: ScanConfig,
    new: Sequence[StoredDocument],
    rows: dict[str, NDArray[Any]],
    groups: NDArray[np.int64],
) -> NDArray[np.int64]:
    """The new documents' passage pairs, by the scan's kernel over their fingerprints'
    postings (an indexed document's group: its LSH component; a new one's its own)."""
    prints = rows["fingerprints"]
    if not len(prints) or not config.finds_passages:
        return np.empty((0, 2), dtype=np.int64)
    keys, numbers = _held(store, prints[:, 0], groups, config.passage_max_groups)
    keys, numbers = np.concatenate([keys, prints[:, 0]]), np.concatenate([numbers, prints[:, 1]])
    local, place = np.unique(numbers, return_inverse=True)
    labels = _labels(local, groups)
    found, _ = passage_pairs_held(
        keys.view(np.uint64), place.astype(np.uint64), labels, config.passage_max_groups
    )
    pairs = local[found]
    mine = np.array([document.number for document in new], dtype=np.int64)
    return pairs[np.isin(pairs, mine).any(axis=1)]


def _labels(numbers: NDArray[np.int64], groups: NDArray[np.int64]) -> NDArray[np.int64]:
    """Each document's group (its LSH component; a document the state does not know, its
    own number)."""
    labels = numbers.copy()
    known = numbers < len(groups)
    labels[known] = groups[numbers[known]]
    return labels


def _held(
    store: IndexStore, keys: NDArray[np.int64], groups: NDArray[np.int64], max_groups: int
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """The indexed holders of the fingerprints ``keys`` (keys, numbers), as much of them as
    the passage kernel needs: each key's first holders, enough to show more than
    ``max_groups`` groups (the kernel then finds the key too common, as it would with every
    holder: new holders only add groups), and every holder of a key they leave in doubt
    (copies of one article repeat a group). What a query reads no longer grows with the
    documents holding a common passage (a syndicated sentence in hundreds of articles)."""
    first = 2 * (max_groups + 1)
    found, numbers = store.postings("fingerprints", keys, first=first)
    if not len(found):
        return found, numbers
    # per key (rows come sorted by key): holders read, and the groups among them, counted
    # over the (key's place, group) pairs packed in one integer and sorted (numpy's unique of
    # rows took 40 times as long: 0.8 s of an add of 1,000 into 30,000 documents)
    starts = np.flatnonzero(np.r_[True, found[1:] != found[:-1]])
    held = np.diff(np.r_[starts, len(found)])
    labels = _labels(numbers, groups)
    width = int(labels.max()) + 1
    packed = np.sort(np.repeat(np.arange(len(starts), dtype=np.int64), held) * width + labels)
    distinct = packed[np.r_[True, packed[1:] != packed[:-1]]]
    groups_held = np.bincount(distinct // width, minlength=len(starts))
    doubt = found[starts][(held >= first) & (groups_held <= max_groups)]
    if not len(doubt):
        return found, numbers
    keep = ~np.isin(found, doubt)
    again, every = store.postings("fingerprints", doubt)
    return np.concatenate([found[keep], again]), np.concatenate([numbers[keep], every])


@dataclass(frozen=True, slots=True)
class _Centring:
    """How a query's documents and the indexed ones are centred (``mean``: the mean of them
    all, as an add centres them; None: the model's vectors are used as they are)."""

    warm: WarmState
    new: dict[int, NDArray[np.float32]]  # the new documents' vectors, by number
    mean: NDArray[np.float64] | None
    dimensions: int

    def rows(self, numbers: Sequence[int]) -> NDArray[np.float32]:
        """The vectors of ``numbers`` (indexed or new), centred and of unit length, as
        centring every vector of the index would make them (row by row, the same mean)."""
        at = np.searchsorted(self.warm.numbers, numbers)
        rows = (
            np.stack(
                [
                    self.new[number] if number in self.new else self.warm.vectors[place]
                    for number, place in zip(numbers, at.tolist(), strict=True)
                ]
            )
            if len(numbers)
            else np.zeros((0, self.dimensions), np.float32)
        )
        return rows if self.mean is None else centre(rows, self.mean)

    def known(self, numbers: NDArray[np.int64]) -> NDArray[np.bool_]:
        """Which of ``numbers`` have a vector here (one added after this state was loaded,
        by a writer beside the query, has none: it is compared without)."""
        return np.isin(numbers, self.warm.numbers) | np.isin(numbers, list(self.new))

    def neighbourhood(self, pairs: NDArray[np.int64]) -> Neighbourhood:
        """The centred vectors of the documents ``pairs`` names, for their comparison."""
        numbers = np.unique(pairs)
        numbers = numbers[self.known(numbers)]
        vectors = self.rows(numbers.tolist())
        none = np.empty((0, 2), dtype=np.int64)
        return Neighbourhood(numbers, vectors, vectors, none, np.empty(0))


# a float32 product of vectors of d dimensions is within d * 2**-24 (over 1 - d * 2**-24) of
# their lengths' product from the exact one, whatever the order BLAS sums in (Higham, "Accuracy
# and Stability of Numerical Algorithms", 3.1)
_UNIT = 2.0**-24


@njit(cache=True, nogil=True)
def _centred_kernel(
    products: NDArray[np.float32],
    new_present: NDArray[np.bool_],
    with_total: NDArray[np.float64],
    with_background: NDArray[np.float64],
    squares: NDArray[np.float64],
    present: NDArray[np.bool_],
    weight: float,
    scale: float,
    square: float,
    own: NDArray[np.float64],
    row_lengths: NDArray[np.float64],
    error: float,
    parts: float,
    found: NDArray[np.float64],
    bound: NDArray[np.float64],
) -> None:
    """``_cosines``' centring and bounds in one pass over the indexed documents (numpy's
    dozen passes over arrays of the index's length were half of a query's cosines)."""
    rows = products.shape[0]
    row_centred = np.empty(rows)
    row_inverse = np.empty(rows)
    for row in range(rows):
        row_centred[row] = math.sqrt(max(row_lengths[row] ** 2 - 2.0 * own[row] + square, 0.0))
        row_inverse[row] = 1.0 / row_centred[row] if row_centred[row] > 0 else 0.0
    for column in range(products.shape[1]):
        if not present[column]:  # a document without sentences stays 0, as in a scan
            for row in range(rows):
                found[row, column] = 0.0
                bound[row, column] = 0.0
            continue
        total = with_total[column] + weight * with_background[column]
        for row in range(rows):
            if new_present[row]:
                total += np.float64(products[row, column])
        with_mean = total / scale
        centred_square = max(squares[column] - 2.0 * with_mean + square, 0.0)
        centred = math.sqrt(centred_square)
        inverse = 1.0 / centred if centred > 0 else 0.0
        length = math.sqrt(squares[column])
        # the rounding: of each product, of the mean's products (with the sum, the
        # background's, each new row's: each in float32, the first two of vectors rounded to
        # float32 too), and so of the centred lengths (a cosine is at most 1, and 1.01 with
        # its own rounding); doubled for what a first-order bound leaves out
        spread = error * length * parts / scale
        for row in range(rows):
            found[row, column] = (
                (np.float64(products[row, column]) - with_mean + (square - own[row]))
                * inverse
                * row_inverse[row]
            )
            if centred == 0 or row_centred[row] == 0:
                # a length of 0 (a vector that is the mean): the cosine is worked out exactly
                bound[row, column] = math.inf
                continue
            per_row = error * row_lengths[row] * row_inverse[row]
            bound[row, column] = (
                2.0
                * (
                    per_row * length * inverse
                    + spread * inverse * row_inverse[row]
                    + 2.02 * spread / centred_square
                )
                + 1e-9
            )


# rows a query's pass computes itself; more (an add's new documents) go to BLAS's blocked
# product, which reuses each indexed vector across them
_FEW_ROWS = 16


@njit(cache=True, nogil=True, fastmath={"reassoc", "contract"})
def _few_products(vectors: NDArray[np.float32], rows: NDArray[np.float32]) -> NDArray[np.float32]:
    """Each row's product with every vector, summed in float32 in whatever order the CPU's
    lanes take (``_UNIT``'s bound holds for every order; contraction only rounds less)."""
    found = np.empty((rows.shape[0], vectors.shape[0]), np.float32)
    for column in range(vectors.shape[0]):
        for row in range(rows.shape[0]):
            total = np.float32(0.0)
            for at in range(vectors.shape[1]):
                total += vectors[column, at] * rows[row, at]
            found[row, column] = total
    return found


def _products_with(vectors: NDArray[np.float32], rows: NDArray[np.float32]) -> NDArray[np.float32]:
    """``rows @ vectors.T`` in float32. For a query's few rows a compiled pass over the
    vectors: OpenBLAS's single-threaded product of one row took 10 ms over 100,000 vectors of
    256 dimensions on one 2-core machine, this pass 3.6 ms (the vectors are read once, in
    order)."""
    if len(rows) > _FEW_ROWS or not vectors.size:
        found: NDArray[np.float32] = rows @ vectors.T
        return found
    return _few_products(np.ascontiguousarray(vectors), np.ascontiguousarray(rows))


def _cosines(
    warm: WarmState,
    rows: NDArray[np.float32],
    mean: NDArray[np.float64] | None,
    background: tuple[str, NDArray[np.float64]] | None,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The cosines of ``rows`` (new documents, not centred) with every indexed document, both
    centred on ``mean`` (the mean of every vector, indexed and new, drawn towards the
    model's ``background``), and a bound on how far each is from the exact one. They come
    from one float32 pass over the indexed vectors as they are (no centred copy of them, the
    products with the mean's parts worked out once per state); the neighbours are then chosen
    on cosines worked out as a scan works them out, among those the bounds leave in reach."""
    dimensions = rows.shape[1]
    error = dimensions * _UNIT / (1.0 - dimensions * _UNIT)
    products = _products_with(warm.vectors, rows)  # float32: within the bound in any order
    row_lengths = np.sqrt(np.einsum("ij,ij->i", rows, rows, dtype=np.float64))
    if mean is None:
        lengths = np.sqrt(warm.squares)
        return products.astype(np.float64), 2.0 * error * np.outer(row_lengths, lengths) + 1e-9
    assert background is not None
    weight = mean_weight()
    present: NDArray[np.bool_] = np.asarray(rows.any(axis=1))
    parts = (
        2.0 * float(np.sqrt(warm.total @ warm.total))
        + 2.0 * weight * float(np.sqrt(background[1] @ background[1]))
        + float(row_lengths[present].sum())
    )
    found = np.empty(products.shape, np.float64)
    bound = np.empty(products.shape, np.float64)
    _centred_kernel(
        products,
        present,
        warm.with_total,
        warm.background_products(*background),
        warm.squares,
        warm.present,
        float(weight),
        float(int(warm.present.sum()) + int(present.sum()) + weight),
        float(mean @ mean),
        rows.astype(np.float64) @ mean,
        row_lengths,
        error,
        parts,
        found,
        bound,
    )
    return found, bound


def _neighbours(
    warm: WarmState, config: ScanConfig, new: Sequence[StoredDocument]
) -> tuple[_Centring | None, NDArray[np.int64]]:
    """The new documents' nearest neighbours among the indexed ones and each other, by
    vectors centred on the mean of both, and their candidate pairs. The cosines with every
    indexed document come from ``_cosines`` with a bound on their rounding; those that may
    make the nearest are worked out again as a scan works them out (centred rows of unit
    length in float32, their products in float64), and the neighbours chosen on these, ties
    broken by position."""
    if "paraphrase" in relations_not_searched(config):
        return None, np.empty((0, 2), dtype=np.int64)
    indexed = len(warm.numbers)
    dimensions = warm.vectors.shape[1] if warm.vectors.size else 0
    for document in new:
        if document.sketch.vector is not None and len(document.sketch.vector):
            dimensions = len(document.sketch.vector)
    mean, background = None, None
    if config.semantic_thresholds().centred:
        model = str(check_static_model())
        background = (model, background_mean(model).astype(np.float64))
        # no vector yet, indexed or new (an empty index queried with records it cannot
        # read): the model's own width, which the mean is drawn towards
        dimensions = dimensions or len(background[1])
    rows = np.zeros((len(new), dimensions), dtype=np.float32)
    for place, document in enumerate(new):
        if document.sketch.vector is not None and len(document.sketch.vector):
            rows[place] = document.sketch.vector
    if background is not None:
        total = warm.total if len(warm.total) else np.zeros(dimensions, np.float64)
        count = int(warm.present.sum())
        for row in rows:
            if row.any():
                total, count = total + row.astype(np.float64), count + 1
        mean = mean_with(total, count, background_mean(model))
    numbers = np.concatenate([warm.numbers, [d.number for d in new]]).astype(np.int64)
    centring = _Centring(warm, {d.number: rows[p] for p, d in enumerate(new)}, mean, dimensions)
    none = np.empty((0, 2), dtype=np.int64)
    if len(numbers) < 2:
        return centring, none
    asked = centring.rows([d.number for d in new]).astype(np.float64)
    among_new = asked @ asked.T
    np.fill_diagonal(among_new, -np.inf)  # not itself
    spans = [document.sketch.sentences for document in new]
    wanted = neighbours_wanted(
        np.array([0 if found is None else len(found) for found in spans], dtype=np.int64),
        config.semantic_neighbours,
    )
    threshold = config.semantic_thresholds().candidate
    found: list[NDArray[np.int64]] = []
    if indexed and warm.vectors.shape[1] == dimensions:
        approximate, bounds = _cosines(warm, rows, mean, background)
    else:
        approximate = bounds = np.zeros((len(new), indexed))
    for place in range(len(new)):
        keep = min(int(wanted[place]), len(numbers) - 1)  # a long document proposes more
        row = np.concatenate([approximate[place], among_new[place]])
        bound = np.concatenate([bounds[place], np.zeros(len(new))])
        # every one whose cosine may reach the keep-th largest of the lowest they may be
        lowest = row - bound
        kth = -np.partition(-lowest, keep - 1)[keep - 1]
        near = np.flatnonzero(row + bound >= kth)
        exact = np.empty(len(near))
        ours = near >= indexed
        exact[ours] = among_new[place, near[ours] - indexed]
        theirs = centring.rows(numbers[near[~ours]].tolist())
        exact[~ours] = theirs.astype(np.float64) @ asked[place]
        order = np.lexsort((near, -exact))[:keep]
        chosen = near[order][exact[order] >= threshold]
        pairs = np.stack([np.full(len(chosen), numbers[indexed + place]), numbers[chosen]], 1)
        found.append(pairs)
    return centring, pair_keys(np.concatenate(found)) if found else none


def _story(
    document: StoredDocument, matches: list[Match], labels: dict[str, int | None]
) -> int | None:
    """The story of the indexed document the new one is most closely tied to."""
    ties = [
        (_TIES.index(match.relation), -(match.semantic or match.jaccard), other)
        for match in matches
        if match.relation in _TIES
        for other in (match.b if match.a == document.id else match.a,)
        if labels.get(other) is not None
    ]
    return labels[min(ties)[2]] if ties else None


def by_document(matches: Sequence[Match]) -> dict[str, list[Match]]:
    """Each document's matches, in the order given."""
    found: dict[str, list[Match]] = {}
    for match in matches:
        found.setdefault(match.a, []).append(match)
        if match.b != match.a:
            found.setdefault(match.b, []).append(match)
    return found


def _eventful(first: StoredDocument, second: StoredDocument) -> bool:
    """Whether two documents have what a story pair needs whatever else they share
    (``group.stories.StoryPairs.eventful``): two names or a rare one, a place in common, or
    a count in common where they do not name different places (two earthquakes of magnitude
    6.8, in Chile and in Japan, were listed by a query and not by the add)."""
    one, two = first.sketch.topics, second.sketch.topics
    shared = np.intersect1d(one.entities, two.entities)
    year = written_year(first.published)
    if year is not None and year == written_year(second.published):
        shared = shared[shared != np.uint64(year_key(year))]  # when both were written
    counted, rare = names_as_evidence(shared, first.language)
    across = (first.language or "en") != (second.language or "en")
    if named_enough(counted.sum(), rare.sum(), across):
        return True
    places = set(with_dateline(one.event, first.dateline).places)
    others = set(with_dateline(two.event, second.dateline).places)
    if places & others:
        return True
    conflict = bool(places) and bool(others)  # both name places, none in common
    return not conflict and bool(set(one.event.counts) & set(two.event.counts))


def _with_event_evidence(
    store: IndexStore, matches: list[Match], documents: dict[str, StoredDocument]
) -> list[Match]:
    """``matches`` less the ``same_story`` pairs without event-level evidence: an add lists a
    pair as the same story only where the stories confirm it, and no story holds such a pair
    (two fires in one state on one day were one story by a query, two by an add)."""
    alike = [match for match in matches if match.relation == Relation.SAME_STORY]
    if not alike:
        return matches
    wanted = sorted({end for m in alike for end in (m.a, m.b)} - set(documents))
    numbers = store.numbers_of(wanted)
    known = dict(documents)
    known.update((d.id, d) for d in store.documents(list(numbers.values()), False))
    return [
        match
        for match in matches
        if match.relation != Relation.SAME_STORY
        or match.a not in known
        or match.b not in known
        or _eventful(known[match.a], known[match.b])
    ]


@dataclass(frozen=True, slots=True)
class Answer:
    """New documents' matches with the indexed ones and each other (with likely sources), the
    pairs compared and why each was a candidate (``update.LSH | PASSAGE | NEIGHBOUR``), their
    LSH pairs and postings."""

    matches: list[Match]
    pairs: NDArray[np.int64]
    reasons: NDArray[np.int64]
    lsh: NDArray[np.int64]
    rows: dict[str, NDArray[Any]]


def answer(
    store: IndexStore,
    config: ScanConfig,
    warm: Warm,
    new: Sequence[StoredDocument],
    reporter: Reporter,
    parallel: bool = False,
) -> Answer:
    """What ``new`` documents (read, not yet indexed) copy, lift from or rewrite among the
    indexed ones and each other (see the module's docstring)."""
    semantic = "paraphrase" not in relations_not_searched(config)
    state = warm.current(store, semantic)
    # the nearest neighbours need nothing from the store: their pass over every vector (BLAS,
    # which lets go of the GIL) runs beside the postings' reads (SQLite, which does too)
    nearest = _beside().submit(_neighbours, state, config, new)
    rows = postings(new, config)
    lsh = lsh_candidates(store, config, new, rows)
    passages = _passages(store, config, new, rows, state.groups)
    centring, near = nearest.result()
    parts = [(lsh, LSH), (passages, PASSAGE), (near, NEIGHBOUR)]
    pairs = pair_keys(np.concatenate([found for found, _ in parts]))
    reasons = np.zeros(len(pairs), dtype=np.int64)
    for found, bit in parts:
        reasons[np.isin(packed_keys(pairs), packed_keys(found))] |= bit
    neighbours = None if centring is None else centring.neighbourhood(pairs)
    matches = compare_pairs(store, config, new, pairs, neighbours, reporter, parallel=parallel)
    documents = {document.id: document for document in new}
    if not config.stories:
        matches = [match for match in matches if match.relation != Relation.SAME_STORY]
    else:
        matches = _with_event_evidence(store, matches, documents)
    ordered = sorted(matches, key=lambda m: (m.a, m.b))
    return Answer(ordered, pairs, reasons, lsh, rows)


@functools.cache
def _beside() -> ThreadPoolExecutor:
    """The threads that work out neighbours beside the postings' reads (one per core: a
    service's readers share them)."""
    return ThreadPoolExecutor(max_workers=os.cpu_count() or 1, thread_name_prefix="neighbours")


@functools.cache
def _controller() -> ThreadpoolController:
    return ThreadpoolController()


def query_index(
    store: IndexStore,
    config: ScanConfig,
    warm: Warm,
    inputs: Sequence[str | os.PathLike[str]],
    reporter: Reporter,
    names: Mapping[str, str] | None = None,
) -> tuple[Update, list[Match], dict[str, int | None]]:
    """The new documents of ``inputs``, their matches (with likely sources) and stories
    (``names``: see ``read_new``)."""
    # one BLAS thread: a query's products are one row against the index, and OpenBLAS's
    # threads, spinning on after them, held the cores from the numba kernels that come next
    # (a query's MinHash took 5 ms instead of 0.05)
    with _controller().limit(limits=1, user_api="blas"):
        update, _ = read_new(store, config, inputs, reporter, names=names)
        matches = answer(store, config, warm, update.new, reporter).matches
    new = {document.id for document in update.new}
    others = sorted({m.a for m in matches} | {m.b for m in matches} - new)
    labels: dict[str, int | None] = {
        doc_id: store.label_of("stories", number)
        for doc_id, number in store.numbers_of(others).items()
    }
    of_document = by_document(matches)
    stories = {
        document.id: _story(document, of_document.get(document.id, []), labels)
        for document in update.new
    }
    return update, _in_its_story(taken_back(store, matches, new), stories, labels), stories


def taken_back(store: IndexStore, matches: list[Match], new: set[str]) -> list[Match]:
    """``matches`` (of ``new`` documents) with a source taken back where the new document
    and its indexed partner both derive from one third (``provenance.derived_from_one``, as
    a whole pass takes it back): the partners' matches as compared name their sources."""
    partners = {
        match.b if match.a in new else match.a
        for match in matches
        if match.source is not None and not match.relation.is_copy
    }
    if not partners:
        return matches
    numbers = store.numbers_of(sorted(partners))
    stored = [match_of(value) for value in store.compared_of(list(numbers.values()))]
    return derived_from_one([*matches, *stored])[: len(matches)]


def _in_its_story(
    matches: list[Match], stories: dict[str, int | None], labels: dict[str, int | None]
) -> list[Match]:
    """``matches`` less the ``same_story`` pairs of a new document with an indexed one
    outside the story it joins: an add lists such a pair only where one story holds both (a
    report of a storm in Maine joined its story and was listed beside a tornado in
    Mississippi by the one name both gave, "National Weather Service")."""

    def kept(match: Match) -> bool:
        if match.relation != Relation.SAME_STORY or (match.a in stories) == (match.b in stories):
            return True  # no same-story pair, or two new documents (or two indexed ones)
        new, other = (match.a, match.b) if match.a in stories else (match.b, match.a)
        joined = labels.get(other)
        return joined is None or joined == stories[new]  # one in no story yet: no telling

    return [match for match in matches if kept(match)]
