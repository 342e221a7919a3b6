"""Stories: documents about the same news event, found as communities of a similarity graph.

Candidates: documents that share a rare heavy word or a rare entity (see ``_MAX_SHARING``),
each document's nearest neighbours by lead (when the semantic stage ran), and every match. A
candidate's weight is the mean of the evidence at hand, computed exactly: TF-IDF cosine, the
overlap of named entities and the cosine of the two leads' embeddings. Each document keeps its
``story_neighbours`` heaviest; a copy (``exact``, ``near_duplicate``, ``contained``) is always
kept and weighs 1. Other matches compete like any candidate: on ECB+, keeping every
``partial``, ``paraphrase`` and ``same_story`` pair joined different events of one kind
(B-cubed F1 0.907 instead of 0.961). Articles far apart in time need stronger evidence: the
weight of any but a copy halves every ``story_half_life_days`` between their dates (after the
neighbours are chosen, so that an undated document is not everyone's nearest).

Communities: Leiden with the constant Potts model (igraph), whose resolution is the density
of evidence a story must have inside (the mean weight over all pairs of its members, missing
edges counting 0), rather than one global threshold on single pairs: a document joins a story
when it is tied to enough of its members, not to one. Repeatable: the search is seeded.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import igraph
import numpy as np
from numpy.typing import NDArray

from wiretrace.candidates.neighbours import neighbour_pairs, unique_pairs
from wiretrace.config import StorySettings
from wiretrace.records import Match, Story
from wiretrace.semantic.cosines import pair_cosines
from wiretrace.sketch.topics import TopicVectors, key_names, pair_evidence, rare_key_pairs

_SEED = 20210811
_LEIDEN_ITERATIONS = 10


@dataclass(frozen=True, slots=True)
class StoryInputs:
    """Per document (in one order): id, headline or lead sentence, published date and day."""

    ids: Sequence[str]
    headlines: Sequence[str | None]
    published: Sequence[str | None]
    days: NDArray[np.float64]  # NaN where unknown
    topics: TopicVectors
    leads: NDArray[np.float32] | None  # embeddings of the leads, when the semantic stage ran
    # ... and each document's nearest documents by the semantic stage's vectors
    similar: NDArray[np.int64] | None = None
    # a document's text as its words and entities were found (boilerplate blanked), to name
    # what holds each story together
    text: Callable[[int], str] | None = None


_LEAD_POOL = 3
_EVIDENCE_ENTITIES = 5  # a story's entities and words listed as what holds it together
_EVIDENCE_TERMS = 8
# Candidates by wording: documents that share one of their 16 heaviest words, or an entity,
# held by at most 16 documents. Bounded per document, so linear in the corpus; on ECB+ as
# good as a nearest-neighbour search (B-cubed F1 0.955 with leads, 0.934 without, against
# 0.955 / 0.924 for the 30 nearest on a TF-IDF projection, whose HNSW search grew ~n^1.4).
_KEYS_PER_DOCUMENT = 16
_MAX_SHARING = 16


def _strongest(
    pairs: NDArray[np.int64], weights: NDArray[np.float64], count: int, keep: int
) -> NDArray[np.bool_]:
    """Which pairs are among the ``keep`` heaviest of either of their documents."""
    ends = np.concatenate([pairs[:, 0], pairs[:, 1]])
    edge = np.concatenate([np.arange(len(pairs)), np.arange(len(pairs))])
    order = np.lexsort((-np.concatenate([weights, weights]), ends))
    ends, edge = ends[order], edge[order]
    first_of = np.searchsorted(ends, np.arange(count))
    rank = np.arange(len(ends)) - first_of[ends]
    chosen = np.zeros(len(pairs), dtype=bool)
    chosen[edge[rank < keep]] = True
    return chosen


def _edges(
    inputs: StoryInputs, matches: Sequence[Match], settings: StorySettings
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Edges ``(i, j)`` and their weights: each document's ``neighbours`` heaviest, among
    candidates sharing rare words or entities (and near by lead), plus every match."""
    count = len(inputs.ids)
    if count < 2:
        return np.empty((0, 2), dtype=np.int64), np.empty(0)
    position = {doc_id: index for index, doc_id in enumerate(inputs.ids)}
    proposed = [rare_key_pairs(inputs.topics, _KEYS_PER_DOCUMENT, _MAX_SHARING)]
    if inputs.similar is not None:  # the semantic stage's search, reused (an HNSW search
        # of 100,000 documents costs ~25 s)
        proposed.append(inputs.similar)
    elif inputs.leads is not None:  # leads searched per neighbour kept (the rest weighed out)
        proposed.append(neighbour_pairs(inputs.leads, settings.neighbours * _LEAD_POOL, 0.0))
    copied: set[tuple[int, int]] = set()
    matched = []
    for match in matches:
        first, second = sorted((position[match.a], position[match.b]))
        if match.relation.is_copy:
            copied.add((first, second))
        matched.append((first, second))
    proposed.append(np.array(matched, dtype=np.int64).reshape(-1, 2))
    pairs = unique_pairs(np.concatenate(proposed), count)
    copy_keys = np.array([first * count + second for first, second in copied], dtype=np.int64)
    is_copy = np.isin(pairs[:, 0] * count + pairs[:, 1], copy_keys)
    cosines, overlaps = pair_evidence(inputs.topics, pairs)
    if inputs.leads is None:
        weights = (cosines + overlaps) / 2
    else:
        # summed in a fixed order: einsum's SIMD order depends on the CPU (issue 23)
        leads = pair_cosines(inputs.leads, pairs)
        weights = (cosines + overlaps + np.maximum(leads, 0.0)) / 3
    weights = np.where(is_copy, 1.0, weights)
    # neighbours are chosen by what the texts share; time then thins the evidence, so that an
    # undated document is not everyone's nearest just because nothing discounts it
    strongest = _strongest(pairs, weights, count, settings.neighbours)
    gaps = np.abs(inputs.days[pairs[:, 0]] - inputs.days[pairs[:, 1]])
    decayed = weights * 0.5 ** (gaps / settings.half_life_days)
    weights = np.where(np.isnan(gaps) | is_copy, weights, decayed)
    keep = (weights >= settings.min_similarity) & (is_copy | strongest)
    return pairs[keep], weights[keep]


def story_clusters(
    inputs: StoryInputs, matches: Sequence[Match], settings: StorySettings
) -> list[Story]:
    """Every document in exactly one story (a story may have one member), numbered from 1 by
    first publication (undated last), then by smallest member id."""
    count = len(inputs.ids)
    if count == 0:
        return []
    pairs, weights = _edges(inputs, matches, settings)
    graph = igraph.Graph(n=count, edges=pairs.tolist())
    igraph.set_random_number_generator(random.Random(_SEED))
    try:
        partition = graph.community_leiden(
            objective_function="CPM",
            weights=weights.tolist(),
            resolution=settings.resolution,
            n_iterations=_LEIDEN_ITERATIONS,
        )
    finally:
        igraph.set_random_number_generator(random)  # igraph's default: the random module
    strength = np.zeros(count)
    np.add.at(strength, pairs[:, 0], weights)
    np.add.at(strength, pairs[:, 1], weights)
    # a story is titled by its most central member that copies no other: the likely source's
    # headline, not a copy's (which may have changed it, typos included)
    copies = {
        match.b if match.source == match.a else match.a
        for match in matches
        if match.source is not None
    }
    found: list[dict[str, Any]] = []
    for members in partition:
        dated = [inputs.published[member] for member in members if inputs.published[member]]
        by_strength = sorted(members, key=lambda member: (-strength[member], member))
        entities, terms = _evidence(inputs, by_strength)
        titled = next(
            (member for member in by_strength if inputs.ids[member] not in copies),
            by_strength[0],
        )
        found.append(
            {
                "members": tuple(sorted(inputs.ids[member] for member in members)),
                "first_published": min(dated) if dated else None,
                "title": inputs.headlines[titled],
                "last_published": max(dated) if dated else None,
                "entities": entities,
                "terms": terms,
            }
        )
    found.sort(key=lambda story: (story["first_published"] or "\uffff", story["members"][0]))
    return [Story(story=number, **story) for number, story in enumerate(found, start=1)]


def _shared(
    offsets: NDArray[np.int64],
    keys: NDArray[np.uint64],
    weights: NDArray[np.float32],
    members: Sequence[int],
    limit: int,
) -> list[int]:
    """The keys that two or more of ``members`` hold, heaviest first by their summed weight
    (TF-IDF for words, rarity for entities): what most members share and few others hold."""
    ends = offsets[np.asarray(members) + 1].tolist()
    held = np.concatenate(
        [keys[offsets[member] : end] for member, end in zip(members, ends, strict=True)]
    )
    weight = np.concatenate(
        [weights[offsets[member] : end] for member, end in zip(members, ends, strict=True)]
    )
    order = np.argsort(held, kind="stable")
    held, weight = held[order], weight[order]
    starts = np.flatnonzero(np.concatenate([[True], held[1:] != held[:-1]]))
    holders = np.diff(np.append(starts, len(held)))
    total = np.add.reduceat(weight.astype(np.float64), starts) if len(held) else weight
    shared = np.flatnonzero(holders >= 2)
    heaviest = shared[np.argsort(-total[shared], kind="stable")][:limit]
    return [int(key) for key in held[starts[heaviest]]]


def _evidence(
    inputs: StoryInputs, members: Sequence[int]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The entities and the words that hold a story together, named from the texts of its
    most central members (none for a story of one, or without the texts)."""
    if len(members) < 2 or inputs.text is None:
        return (), ()
    topics = inputs.topics
    entity_keys = _shared(
        topics.entity_offsets, topics.entities, topics.entity_weights, members, _EVIDENCE_ENTITIES
    )
    term_keys = _shared(topics.term_offsets, topics.terms, topics.weights, members, _EVIDENCE_TERMS)
    words: dict[int, str] = {}
    entities: dict[int, str] = {}
    for member in members:  # the most central first: its spelling wins
        missing_words = [key for key in term_keys if key not in words]
        missing_entities = [key for key in entity_keys if key not in entities]
        if not missing_words and not missing_entities:
            break
        found_words, found_entities = key_names(
            inputs.text(member), missing_words, missing_entities
        )
        words.update(found_words)
        entities.update(found_entities)
    return (
        tuple(entities[key] for key in entity_keys if key in entities),
        tuple(words[key] for key in term_keys if key in words),
    )
