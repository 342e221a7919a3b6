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
a same-story pair), not the story model's clustering of the whole index.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from wiretrace.candidates import kernels as candidate_kernels
from wiretrace.candidates.passages import passage_pairs_grouped
from wiretrace.config import ScanConfig
from wiretrace.index.store import IndexStore, StoredDocument
from wiretrace.index.update import (
    Neighbourhood,
    Update,
    compare_pairs,
    lsh_candidates,
    pair_keys,
    postings,
    read_new,
)
from wiretrace.records import Match, Relation
from wiretrace.semantic.static import background_mean, check_static_model
from wiretrace.semantic.store import centre, mean_with
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


@dataclass(frozen=True, slots=True)
class WarmState:
    """Every indexed document's vector (not centred) and LSH group, as of a commit."""

    generation: str
    numbers: NDArray[np.int64]
    vectors: NDArray[np.float32]
    groups: NDArray[np.int64]


_COLD = WarmState("", np.empty(0, np.int64), np.empty((0, 0), np.float32), np.empty(0, np.int64))


class Warm:
    """What queries keep of the index in memory, brought up to date with its commits (the
    ``generation`` each add writes); one may serve every reader thread of a service."""

    def __init__(self) -> None:
        self._state = _COLD
        self._lock = threading.Lock()

    def current(self, store: IndexStore, semantic: bool) -> WarmState:
        """The state as of the index's last commit (what was added since is loaded)."""
        generation = store.meta().get("generation", "")
        with self._lock:
            if generation != self._state.generation or not len(self._state.numbers):
                self._state = _load(store, semantic, self._state, generation)
            return self._state


def _load(store: IndexStore, semantic: bool, before: WarmState, generation: str) -> WarmState:
    numbers = store.numbers()
    kept = np.isin(before.numbers, numbers)
    added = np.setdiff1d(numbers, before.numbers)
    vectors = before.vectors[kept] if len(before.vectors) else before.vectors
    if semantic and len(added):
        found = {d.number: d.sketch.vector for d in store.documents(added.tolist(), False)}
        rows = [found[number] for number in added.tolist()]
        dimensions = next((len(v) for v in rows if v is not None and len(v)), 0)
        new = np.stack(
            [v if v is not None and len(v) else np.zeros(dimensions, np.float32) for v in rows]
        )
        vectors = new if not len(vectors) else np.concatenate([vectors, new])
    every = np.concatenate([before.numbers[kept], added])
    order = np.argsort(every, kind="stable")
    pairs = store.pairs("lsh_pairs")
    width = int(max(numbers.max(initial=0), pairs.max(initial=0))) + 1
    groups = candidate_kernels.components(width, np.ascontiguousarray(pairs))
    return WarmState(generation, every[order], vectors[order] if len(vectors) else vectors, groups)


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
    keys, numbers = store.postings("fingerprints", prints[:, 0])
    keys, numbers = np.concatenate([keys, prints[:, 0]]), np.concatenate([numbers, prints[:, 1]])
    local = np.unique(numbers)
    place = np.searchsorted(local, numbers)
    fingerprints = [keys[place == index].view(np.uint64) for index in range(len(local))]
    top = len(groups)
    labels = np.array(
        [groups[number] if number < top else number for number in local.tolist()], np.int64
    )
    found, _ = passage_pairs_grouped(fingerprints, labels, config.passage_max_groups)
    pairs = local[found]
    mine = np.array([document.number for document in new], dtype=np.int64)
    return pairs[np.isin(pairs, mine).any(axis=1)]


def _neighbours(
    warm: WarmState, config: ScanConfig, new: Sequence[StoredDocument]
) -> tuple[Neighbourhood | None, NDArray[np.int64]]:
    """The new documents' nearest neighbours among the indexed ones and each other, by
    vectors centred on the mean of both, and their candidate pairs."""
    if "paraphrase" in relations_not_searched(config):
        return None, np.empty((0, 2), dtype=np.int64)
    numbers = np.concatenate([warm.numbers, [d.number for d in new]]).astype(np.int64)
    dimensions = warm.vectors.shape[1] if warm.vectors.size else 0
    for document in new:
        if document.sketch.vector is not None and len(document.sketch.vector):
            dimensions = len(document.sketch.vector)
    rows = np.zeros((len(new), dimensions), dtype=np.float32)
    for place, document in enumerate(new):
        if document.sketch.vector is not None and len(document.sketch.vector):
            rows[place] = document.sketch.vector
    indexed = warm.vectors if warm.vectors.size else np.zeros((0, dimensions), np.float32)
    vectors = np.concatenate([indexed, rows])
    if config.semantic_thresholds().centred:
        background = background_mean(str(check_static_model()))
        present = (vectors != 0).any(axis=1)
        total = vectors[present].astype(np.float64).sum(axis=0)
        vectors = centre(vectors, mean_with(total, int(present.sum()), background))
    asked = vectors[len(indexed) :]
    none = np.empty((0, 2), dtype=np.int64)
    neighbourhood = Neighbourhood(numbers, vectors, vectors, none, np.empty(0))
    if len(vectors) < 2:
        return neighbourhood, none
    # one article against the index: a matrix product (the scan's search is all against all)
    similarities = asked.astype(np.float64) @ vectors.astype(np.float64).T
    for place in range(len(new)):
        similarities[place, len(indexed) + place] = -np.inf  # not itself
    keep = min(config.semantic_neighbours, len(vectors) - 1)
    order = np.lexsort(
        (np.broadcast_to(np.arange(len(vectors)), similarities.shape), -similarities)
    )
    chosen = order[:, :keep]
    best = np.take_along_axis(similarities, chosen, axis=1)
    sources = np.repeat(numbers[len(indexed) :], keep).reshape(chosen.shape)
    candidate = best >= config.semantic_thresholds().candidate
    pairs = np.stack([sources[candidate], numbers[chosen[candidate]]], axis=1)
    return neighbourhood, pair_keys(pairs)


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


def query_index(
    store: IndexStore,
    config: ScanConfig,
    warm: Warm,
    inputs: Sequence[str | os.PathLike[str]],
    reporter: Reporter,
) -> tuple[Update, list[Match], dict[str, int | None]]:
    """The new documents of ``inputs``, their matches (with likely sources) and stories."""
    semantic = "paraphrase" not in relations_not_searched(config)
    state = warm.current(store, semantic)
    update, _ = read_new(store, config, inputs, reporter)
    new = update.new
    rows = postings(new, config)
    lsh = lsh_candidates(store, config, new, rows)
    passages = _passages(store, config, new, rows, state.groups)
    neighbours, near = _neighbours(state, config, new)
    pairs = pair_keys(np.concatenate([lsh, passages, near]))
    matches = compare_pairs(store, config, new, pairs, neighbours, reporter, parallel=False)
    if not config.stories:
        matches = [match for match in matches if match.relation != Relation.SAME_STORY]
    documents = {document.id: document for document in new}
    others = sorted({m.a for m in matches} | {m.b for m in matches} - set(documents))
    numbers = store.numbers_of(others)
    labels: dict[str, int | None] = {
        doc_id: store.label_of("stories", number) for doc_id, number in numbers.items()
    }
    stories = {
        document.id: _story(document, [m for m in matches if document.id in (m.a, m.b)], labels)
        for document in new
    }
    return update, sorted(matches, key=lambda m: (m.a, m.b)), stories
