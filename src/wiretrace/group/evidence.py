"""What two articles share and where they disagree: the features the story model weighs.

Every feature is relative to the corpus (pooled with news at large for the small ones, see
``sketch.background``) and most say agreement *and* conflict, because two articles of one
kind (two shootings in one city, two earthquakes) share most of their words and differ in
who, where, when and how many:

- ``words``: the TF-IDF cosine of their words (stop words left out);
- ``entities``: the weight of the names both hold over that of the article with fewer
  (rare names count most);
- ``lead``: the cosine of their leads' sentence vectors (0 without the semantic stage);
- ``title``: the overlap of their headline words (or lead sentences), weighed like names
  (against the shorter headline plus one rare word's worth);
- ``places``: the overlap of the places they name (datelines, "in Dayton", street
  addresses), and ``place_conflict``: both name places and share none;
- ``gap``: how far apart their events are, ``log(1 + days)`` between the event dates
  (publication moved by "on Tuesday", "last night"), and ``undated``: one has no date;
- ``agree`` and ``conflict``: how many kinds of counted things (killed, injured, ages,
  sums of money, magnitudes) they both give with a value in common, or with none in common;
- ``reuse``: one lifted or rewrote passages of the other (a ``partial`` or ``paraphrase``
  match; copies are stories by definition and are not weighed);
- ``rank``: how many of either article's candidates are more alike in words,
  ``log(1 + rank)`` for the article where the other ranks best: in a feed of many events of
  one kind every article has dozens of alike candidates, and its own event's are the most
  alike among them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from wiretrace.sketch.background import (
    document_share,
    hash_strings,
    idf,
    rare_key_weight,
    stop_words_set,
)
from wiretrace.sketch.kernels import shared_weight
from wiretrace.sketch.topics import TopicVectors, pair_evidence

FEATURES = (
    "words",
    "entities",
    "lead",
    "title",
    "places",
    "place_conflict",
    "gap",
    "undated",
    "agree",
    "conflict",
    "reuse",
    "rank",
)
_MOST_KINDS = 3  # agreeing or conflicting kinds of counts beyond this add nothing
# A headline's words in common weigh against the shorter headline's total plus one rare
# word's worth: "News 4" and "News 10" share their only word, which alone made the overlap
# 1.0 (a new user's ten unrelated articles titled so). Leave one set out (benchmarks/README,
# "Stories"): with it GVA 0.936, SemEval 0.840, ECB+ 0.945, one topic 0.925; without 0.933,
# 0.840, 0.931, 0.924; half a word's worth 0.935 / 0.850 / 0.933 / 0.926, two 0.921 / 0.840 /
# 0.932 / 0.911.
_TITLE_PRIOR_KEYS = 1.0


_WORD = re.compile(r"\w\w+")


def headline_words(headline: str | None, language: str | None = "en") -> list[str]:
    """The words of a headline (or lead sentence), lower case, the stop words of its
    ``language`` left out."""
    if not headline:
        return []
    stop = stop_words_set(language)
    return [word for word in _WORD.findall(headline.lower()) if word not in stop]


@dataclass(frozen=True, slots=True)
class KeyRows:
    """Per document a set of keys (sorted, rows back to back) weighed by rarity, and each
    document's total weight."""

    offsets: NDArray[np.int64]
    keys: NDArray[np.uint64]
    weights: NDArray[np.float32]
    totals: NDArray[np.float64]

    @classmethod
    def of(
        cls,
        rows: Sequence[Sequence[str]],
        prior: bool = True,
        languages: Sequence[str] | None = None,
    ) -> KeyRows:
        """Rows of strings, each distinct string weighed by its inverse document frequency
        (pooled with news at large where ``prior``; a string of several words is rare
        there); with ``languages`` (one per row), within the rows of each language and
        against news at large in it, as ``topics.topic_vectors`` weighs words."""
        if languages is not None and len(set(languages)) > 1:
            return cls._of_languages(rows, prior, languages)
        language = languages[0] if languages else "en"
        every = hash_strings([key for row in rows for key in row])
        owner = np.repeat(np.arange(len(rows)), [len(row) for row in rows])
        # each row's distinct keys, sorted (the kernels merge rows)
        order = np.lexsort((every, owner))
        every, owner = every[order], owner[order]
        fresh = np.ones(len(every), dtype=bool)
        fresh[1:] = (every[1:] != every[:-1]) | (owner[1:] != owner[:-1])
        keys, owner = every[fresh], owner[fresh]
        offsets = np.searchsorted(owner, np.arange(len(rows) + 1)).astype(np.int64)
        distinct, inverse, frequency = np.unique(keys, return_inverse=True, return_counts=True)
        share = document_share(distinct, False, language) if prior else np.zeros(len(distinct))
        weights = (
            idf(frequency, len(rows), share)[inverse] if len(keys) else np.empty(0, np.float32)
        )
        totals = np.zeros(len(rows))
        np.add.at(totals, owner, weights.astype(np.float64))
        return cls(offsets, keys, weights.astype(np.float32), totals)

    @classmethod
    def _of_languages(
        cls, rows: Sequence[Sequence[str]], prior: bool, languages: Sequence[str]
    ) -> KeyRows:
        """``of``, each language's rows weighed apart and put back in order."""
        weights: list[NDArray[np.float32]] = [np.empty(0, np.float32)] * len(rows)
        keys: list[NDArray[np.uint64]] = [np.empty(0, np.uint64)] * len(rows)
        totals = np.zeros(len(rows))
        for language in sorted(set(languages)):
            mine = [index for index, label in enumerate(languages) if label == language]
            part = cls.of([rows[index] for index in mine], prior, [language])
            for place, index in enumerate(mine):
                start, end = part.offsets[place], part.offsets[place + 1]
                keys[index], weights[index] = part.keys[start:end], part.weights[start:end]
                totals[index] = part.totals[place]
        offsets = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum([len(row) for row in keys], out=offsets[1:])
        return cls(
            offsets,
            np.concatenate(keys) if rows else np.empty(0, np.uint64),
            np.concatenate(weights) if rows else np.empty(0, np.float32),
            totals,
        )

    def overlap(self, pairs: NDArray[np.int64], prior_keys: float = 0.0) -> NDArray[np.float64]:
        """The weight of the keys both hold over the total of the document with less (0 when
        either holds none), that total grown by ``prior_keys`` rare keys' worth
        (``background.rare_key_weight``): with it, a few common keys in common are little
        evidence however few keys the documents hold."""
        shared: NDArray[np.float64] = shared_weight(
            self.offsets, self.keys, self.weights, pairs, False
        )
        least = np.minimum(self.totals[pairs[:, 0]], self.totals[pairs[:, 1]])
        least += prior_keys * rare_key_weight(len(self.totals))
        return np.divide(shared, least, out=np.zeros_like(shared), where=least > 0)

    def shared(self, pairs: NDArray[np.int64]) -> NDArray[np.float64]:
        """How many keys both hold."""
        ones = np.ones(len(self.keys), dtype=np.float32)
        found: NDArray[np.float64] = shared_weight(self.offsets, self.keys, ones, pairs, False)
        return found


@dataclass(frozen=True, slots=True)
class EventEvidence:
    """Per document, in the stories' order: the words of its title, the places it names,
    its event's day (days since 1970, NaN unknown), and what it counts (``what`` with and
    without its value)."""

    titles: KeyRows
    places: KeyRows
    days: NDArray[np.float64]
    counted: KeyRows  # "killed=3"
    kinds: KeyRows  # "killed"

    @classmethod
    def of(
        cls,
        titles: Sequence[Sequence[str]],
        places: Sequence[Sequence[str]],
        days: NDArray[np.float64],
        counts: Sequence[Sequence[tuple[str, int]]],
        languages: Sequence[str] | None = None,
    ) -> EventEvidence:
        return cls(
            KeyRows.of(titles, True, languages),
            KeyRows.of(places, True, languages),
            days,
            KeyRows.of([[f"{what}={value}" for what, value in row] for row in counts], False),
            KeyRows.of([[what for what, _ in row] for row in counts], False),
        )


def pair_features(
    topics: TopicVectors,
    event: EventEvidence,
    leads: NDArray[np.float64] | None,
    reused: NDArray[np.bool_],
    pairs: NDArray[np.int64],
) -> NDArray[np.float64]:
    """One row of ``FEATURES`` per pair ``(i, j)``; ``leads`` the pairs' lead cosines (None
    without the semantic stage), ``reused`` whether a partial or paraphrase match joins
    them."""
    words, entities = pair_evidence(topics, pairs)
    first, second = pairs[:, 0], pairs[:, 1]
    places = event.places.overlap(pairs)
    named = (event.places.totals[first] > 0) & (event.places.totals[second] > 0)
    gaps = np.abs(event.days[first] - event.days[second])
    undated = np.isnan(gaps)
    kinds = event.kinds.shared(pairs)
    agreeing = np.minimum(event.counted.shared(pairs), kinds)
    columns = [
        words,
        entities,
        np.zeros(len(pairs)) if leads is None else np.maximum(leads, 0.0),
        event.titles.overlap(pairs, _TITLE_PRIOR_KEYS),
        places,
        (named & (places == 0)).astype(np.float64),
        np.where(undated, 0.0, np.log1p(np.where(undated, 0.0, gaps))),
        undated.astype(np.float64),
        np.minimum(agreeing, _MOST_KINDS),
        np.minimum(kinds - agreeing, _MOST_KINDS),
        reused.astype(np.float64),
        np.log1p(_best_rank(pairs, words)),
    ]
    return np.stack(columns, axis=1)


def _best_rank(pairs: NDArray[np.int64], weights: NDArray[np.float64]) -> NDArray[np.float64]:
    """For each pair, its rank among the pairs of either document by ``weights`` (0: the
    heaviest of one of them; ties by position), the better of the two."""
    if not len(pairs):
        return np.zeros(0)
    count = int(pairs.max()) + 1
    ends = np.concatenate([pairs[:, 0], pairs[:, 1]])
    edge = np.concatenate([np.arange(len(pairs)), np.arange(len(pairs))])
    order = np.lexsort((edge, -np.concatenate([weights, weights]), ends))
    first_of = np.searchsorted(ends[order], np.arange(count))
    rank = np.empty(len(ends), dtype=np.int64)
    rank[order] = np.arange(len(ends)) - first_of[ends[order]]
    return np.minimum(rank[: len(pairs)], rank[len(pairs) :]).astype(np.float64)
