"""Stories: the articles that report one event, found as communities of the pairs the story
model calls likely one event.

Candidates: documents that share a rare heavy word or a rare entity (see ``_MAX_SHARING``),
each document's nearest neighbours by lead (when the semantic stage ran), and every match.
Each candidate pair's evidence (``evidence.FEATURES``: words, names, headline words, places,
days apart, counts that agree or conflict, leads, reused text, rank) goes through the story
model (``story_model``), which gives the chance that the two report one event, moved by the
corpus's own share of such pairs (``CorpusPrior``). A pair with no
event-level evidence (no name, place or count in common, no reused text) gets none, however
alike its words: in a small corpus every word is rare. Each document keeps its
``story_neighbours`` likeliest pairs; a copy (``exact``, ``near_duplicate``, ``contained``) is
always kept with chance 1 and inherits its original's pairs.

Communities: Leiden with the constant Potts model (igraph), whose resolution is the mean
chance a story must hold over all pairs of its members (missing pairs counting 0), rather
than one threshold on single pairs: a document joins a story when it is likely one event with
enough of its members, not with one. Repeatable: the search is seeded, each connected part of
the graph searched on its own from the seed (documents linked only to each other elsewhere
in the corpus do not move a part's communities, as one walk of the whole graph did; the
chances still move with the corpus's prior), and the communities are numbered by their
first member. Then two communities are joined, the likeliest first, while the mean chance
over every pair across them (every candidate pair weighed, not only the edges kept; a pair
no candidate holds counts 0) is at least ``_SAME_EVENT``: Leiden keeps a story apart from
its own parts where each document's few edges miss the other part (an event told in two
waves of reports). Each story's ``confidence`` is its weakest link: the lowest chance on the
strongest tree joining its members.
"""

from __future__ import annotations

import datetime
import functools
import heapq
import itertools
import random
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray

from wiretrace.candidates.kernels import components
from wiretrace.candidates.neighbours import neighbour_pairs, unique_pairs, within_window
from wiretrace.clean.language import script_of
from wiretrace.clean.normalize import WORD
from wiretrace.compare.relation import VERBATIM, filled_in, names_a_fact
from wiretrace.config import StorySettings
from wiretrace.group.duplicates import holdings, instant
from wiretrace.group.evidence import FEATURES, EventEvidence, headline_words, pair_features
from wiretrace.group.story_model import StoryModel, band_spread, story_model
from wiretrace.records import Match, Relation, Story
from wiretrace.semantic.cosines import pair_cosines
from wiretrace.sketch.event import NO_EVENT, EventArguments
from wiretrace.sketch.topics import TopicVectors, key_names, names_in_common, rare_key_pairs

_SEED = 20210811
_LEIDEN_ITERATIONS = 10
_SAME_EVENT = 0.5  # a pair the model calls more likely one event than not
_UNIT = 2**32  # a chance's fixed-point unit when chances are summed
_REUSE = (Relation.PARTIAL, Relation.PARAPHRASE)
_WHOLE = 0.9  # a passage this alike (its shingles over its span) is copied whole, not filled in
# Shared text this short that names nothing may be a stock phrase of news ("crews attended
# and the cause is under investigation" in one wire's reports of two fires): between reports
# that name different places, a `partial` made of such passages alone is no reused text of
# one event (as a count in common is none there). Between reports of one place it may be a
# phrase of the event ("moratorium on nuclear and intercontinental ballistic missile tests").
_STOCK_WORDS = 12  # a Chinese or Japanese character counts as a word, as in a passage
_LONGEST_WORD = 16  # characters a word and its space take at most, for a quick bound
_TEXTS_KEPT = 64  # texts kept while stock phrases are read
_EVIDENCE_PLACES = 5
_EVIDENCE_COUNTS = 5
# digits of any script and what separates their groups: "50,000", "6.4", Arabic "٥٫٩", a
# no-break or thin space ("50 000"), an apostrophe ("50'000")
_NUMBER = re.compile("\\d+(?:[.,'\u066b\u066c\u00a0\u202f\u2009]\\d+)*")
_Item = TypeVar("_Item", bound=Hashable)


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
    # each document's event arguments (places with its dateline), and its event's day (the
    # publication moved by "on Tuesday"...; None: the publication day)
    events: Sequence[EventArguments] | None = None
    event_days: NDArray[np.float64] | None = None
    # pairs the multilingual model proposes (``stages.languages``: in two languages, or in
    # one other than English) and the chance that each is one event by it
    across: tuple[NDArray[np.int64], NDArray[np.float64]] | None = None
    # which documents the fast (English) sentence model reads (None: all): the leads of the
    # others are no evidence, and their pairs are weighed by the model without leads
    english: NDArray[np.bool_] | None = None
    # each document's language (None: all English): words, names, headlines and places are
    # weighed within their language, against news at large in it
    languages: Sequence[str] | None = None
    # the multilingual model's head vectors (``stages.languages``; zeros where a document has
    # none) and which documents have one: where the fast model does not read both of a pair,
    # its lead is read from their heads (``HEAD_TO_LEAD``)
    heads: NDArray[np.float16] | None = None
    headed: NDArray[np.bool_] | None = None

    def event_day_numbers(self) -> NDArray[np.float64]:
        """Each document's event day, else its publication day (NaN where unknown)."""
        return self.days if self.event_days is None else self.event_days


_LEAD_POOL = 3
# (intercept, slope) of the fast model's lead cosine (as the story model weighs it) by the
# multilingual heads' cosine: the line that gives the heads' cosines the leads' mean and
# spread over the story candidates of two English articles of SemEval-2022 (9,104 pairs, no
# labels used; correlation 0.56; least squares would shrink a read lead toward the mean),
# by benchmarks/multilingual.py --stories. A pair of text not in English is weighed by the
# story model with leads, its lead read by the multilingual model, not by the model without
# leads, which knows no lead and called ten short German reports that share a stock
# sentence one story.
HEAD_TO_LEAD = (-0.12, 1.099)
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


@dataclass(frozen=True, slots=True)
class StoryPairs:
    """The candidate pairs ``(i, j)``, ``i < j``, their evidence (rows of
    ``evidence.FEATURES``), which are copies, whether leads were weighed, and how far apart the
    corpus's dated documents lie."""

    pairs: NDArray[np.int64]
    features: NDArray[np.float64]
    is_copy: NDArray[np.bool_]
    leads: bool
    # how far apart the corpus's dated documents lie (``story_model.band_spread``)
    spread: NDArray[np.float64]
    # pairs whose leads were weighed (None: all of them, when ``leads``)
    lead_known: NDArray[np.bool_] | None = None
    # pairs that share two names or a rare one (``topics.names_in_common``; None: any name)
    named: NDArray[np.bool_] | None = None

    def eventful(self) -> NDArray[np.bool_]:
        """Pairs with evidence of one event, not only of one subject: two names or a rare
        one, a place or a count in common, or reused text. Without it a pair is no story
        however alike its words (in a small corpus every word is rare). A count alone does
        not hold two reports that name different places (two earthquakes of magnitude 6.8,
        in Japan and in Chile; "two people were killed" in two cities), nor does a name that
        news at large often names ("Germany")."""
        found: NDArray[np.bool_] = self.is_copy | event_evidence(self.features, self.named)
        return found

    def weighed(self) -> NDArray[np.bool_]:
        """The pairs the story model was fitted on and that set a corpus's prior: copies, and
        pairs with a name of any kind, a place or a count in common, or reused text
        (``eventful`` less the test of the names)."""
        found: NDArray[np.bool_] = self.is_copy | event_evidence(self.features)
        return found


def event_evidence(
    features: NDArray[np.float64], named: NDArray[np.bool_] | None = None
) -> NDArray[np.bool_]:
    """``StoryPairs.eventful`` of pairs that are no copies, from their evidence alone."""
    column = {name: index for index, name in enumerate(FEATURES)}
    counted = (features[:, column["agree"]] > 0) & (features[:, column["place_conflict"]] == 0)
    names = features[:, column["entities"]] > 0
    found: NDArray[np.bool_] = (
        (names if named is None else names & named)
        | (features[:, column["places"]] > 0)
        | counted
        | (features[:, column["reuse"]] > 0)
    )
    return found


def _event_evidence(inputs: StoryInputs) -> EventEvidence:
    """Titles, places, event days and counts of every document."""
    events = inputs.events or [NO_EVENT] * len(inputs.ids)
    languages = inputs.languages or ["en"] * len(inputs.ids)
    return EventEvidence.of(
        [
            headline_words(headline, language)
            for headline, language in zip(inputs.headlines, languages, strict=True)
        ],
        [event.places for event in events],
        inputs.event_day_numbers(),
        [event.counts for event in events],
        languages,
    )


def story_pairs(
    inputs: StoryInputs,
    matches: Sequence[Match],
    settings: StorySettings,
    only: NDArray[np.int64] | None = None,
) -> StoryPairs:
    """Candidates (documents sharing rare words or entities, near by lead, or matched), or
    ``only`` these pairs (``i < j``), and their evidence."""
    count = len(inputs.ids)
    position = {doc_id: index for index, doc_id in enumerate(inputs.ids)}
    matched = np.array(
        [sorted((position[match.a], position[match.b])) for match in matches], dtype=np.int64
    ).reshape(-1, 2)
    if only is None and count >= 2:
        proposed = [rare_key_pairs(inputs.topics, _KEYS_PER_DOCUMENT, _MAX_SHARING), matched]
        if inputs.similar is not None:  # the semantic stage's search, reused (an HNSW
            # search of 100,000 documents costs ~25 s)
            proposed.append(inputs.similar)
        elif inputs.leads is not None:  # leads searched per neighbour kept
            proposed.append(neighbour_pairs(inputs.leads, settings.neighbours * _LEAD_POOL, 0.0))
        # no pair published further apart than the window, as for matches (the pairs across
        # languages come from the languages stage, which keeps to it too)
        only = within_window(
            unique_pairs(np.concatenate(proposed), count), inputs.days, settings.window_days
        )
    pairs = np.empty((0, 2), dtype=np.int64) if only is None else only
    keys = pairs[:, 0] * count + pairs[:, 1]
    matched_keys = matched[:, 0] * count + matched[:, 1]
    kinds = [match.relation for match in matches]
    # a translation is its original's story as a copy is
    is_copy = np.isin(
        keys, matched_keys[[kind.is_copy or kind == Relation.TRANSLATION for kind in kinds]]
    )
    is_reused = np.isin(keys, matched_keys[[kind in _REUSE for kind in kinds]])
    # summed in a fixed order: einsum's SIMD order depends on the CPU (issue 23)
    leads = None if inputs.leads is None else pair_cosines(inputs.leads, pairs)
    known = None
    if leads is not None and inputs.english is not None:
        known = inputs.english[pairs[:, 0]] & inputs.english[pairs[:, 1]]
        leads = np.where(known, leads, 0.0)
        if inputs.heads is not None and inputs.headed is not None:
            by_heads = ~known & inputs.headed[pairs[:, 0]] & inputs.headed[pairs[:, 1]]
            leads[by_heads] = _head_leads(inputs.heads, pairs[by_heads])
            known = known | by_heads
    evidence = _event_evidence(inputs)
    features = pair_features(inputs.topics, evidence, leads, is_reused, pairs)
    conflict = features[:, FEATURES.index("place_conflict")] > 0
    # a stock phrase matters only between reports naming different places: only those
    # `partial`s have their passages read (reading every one's texts cost an index's add of
    # 1,000 into 6,000 documents 22 s of its 87)
    conflicting = np.isin(matched_keys, keys[conflict])
    read = _texts_read(inputs)
    stock = [
        bool(conflicting[at])
        and m.relation == Relation.PARTIAL
        and _stock_phrases(m, read, position)
        for at, m in enumerate(matches)
    ]
    is_stock = np.isin(keys, matched_keys[stock])  # a pair has one match at most
    # a formula filled in with two events' facts (two companies' results from one template)
    # is no reused text of one event, wherever it is: read only where its passages bridge
    # gaps (a passage copied whole is the text itself)
    filled = [m.relation == Relation.PARTIAL and _template(m, read, position) for m in matches]
    is_filled = np.isin(keys, matched_keys[filled])
    features[(is_stock & conflict) | is_filled, FEATURES.index("reuse")] = 0.0
    spread = band_spread(evidence.days)
    named = names_in_common(inputs.topics, pairs, inputs.languages, inputs.published)
    return StoryPairs(pairs, features, is_copy, inputs.leads is not None, spread, known, named)


def _head_leads(heads: NDArray[np.float16], pairs: NDArray[np.int64]) -> NDArray[np.float64]:
    """The lead cosines of ``pairs`` as the fast model would give them, from their heads'
    cosines (``HEAD_TO_LEAD``)."""
    rows, inverse = np.unique(pairs, return_inverse=True)
    cosines = pair_cosines(heads[rows].astype(np.float32), inverse.reshape(-1, 2))
    intercept, slope = HEAD_TO_LEAD
    found: NDArray[np.float64] = intercept + slope * cosines
    return found


def _texts_read(inputs: StoryInputs) -> Callable[[int], str] | None:
    """``inputs.text``, each of the last ``_TEXTS_KEPT`` documents read kept (the matches come
    sorted by their first document, which is read again for each of its pairs)."""
    if inputs.text is None:
        return None
    return functools.lru_cache(maxsize=_TEXTS_KEPT)(inputs.text)


def _template(match: Match, text_of: Callable[[int], str] | None, position: dict[str, int]) -> bool:
    """Whether a `partial`'s verbatim passages all bridge gaps and are one formula filled in
    with other facts (``compare.relation.filled_in``)."""
    verbatim = [passage for passage in match.passages if passage.kind == VERBATIM]
    if text_of is None or not verbatim or any(p.similarity >= _WHOLE for p in verbatim):
        return False
    spans = [(p.a_start, p.a_end, p.b_start, p.b_end) for p in verbatim]
    return filled_in(text_of(position[match.a]), text_of(position[match.b]), spans)


def _stock_phrases(
    match: Match, text_of: Callable[[int], str] | None, position: dict[str, int]
) -> bool:
    """Whether ``match`` is a `partial` whose every passage may be a stock phrase: shorter
    than ``_STOCK_WORDS`` words on each side, naming nothing on either."""
    if text_of is None:
        return False
    for passage in match.passages:
        for doc_id, start, end in (
            (match.a, passage.a_start, passage.a_end),
            (match.b, passage.b_start, passage.b_end),
        ):
            if end - start > _STOCK_WORDS * _LONGEST_WORD:
                return False  # too long to be one, whatever its words (no text read)
            text = text_of(position[doc_id])
            if len(WORD.findall(text, start, end)) >= _STOCK_WORDS or names_a_fact(
                text, start, end
            ):
                return False
    return True


def _edges(
    candidates: StoryPairs, count: int, settings: StorySettings, model: StoryModel
) -> tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.float64]]:
    """Edges ``(i, j)`` and the chance that each is one event: each document's
    ``neighbours`` likeliest, with event-level evidence, plus every copy (chance 1); and
    every candidate's chance (0 without event-level evidence)."""
    spread = candidates.spread
    log_odds = model.log_odds(candidates.features, candidates.leads, spread)
    unknown = None if candidates.lead_known is None else ~candidates.lead_known
    if unknown is not None and unknown.any():
        log_odds[unknown] = model.log_odds(candidates.features[unknown], False, spread)
    # the corpus's prior, from the pairs the model weighs (as it was fitted: no copies)
    weighed = candidates.weighed() & ~candidates.is_copy
    shift = model.corpus_shift(log_odds[weighed], candidates.leads)
    chance = 1.0 / (1.0 + np.exp(-(log_odds + shift)))
    chance = np.where(candidates.is_copy, 1.0, np.where(candidates.eventful(), chance, 0.0))
    if not len(chance):
        return candidates.pairs, chance, chance
    strongest = _strongest(candidates.pairs, chance, count, settings.neighbours)
    keep = (chance >= settings.min_probability) & (candidates.is_copy | strongest)
    return candidates.pairs[keep], chance[keep], chance


@dataclass(frozen=True, slots=True)
class Clustered:
    """The stories, and the pairs the model calls one event (as pairs of ids, ``a < b``)."""

    stories: list[Story]
    same_event: frozenset[tuple[str, str]]


def story_clusters(
    inputs: StoryInputs,
    matches: Sequence[Match],
    settings: StorySettings,
    model: StoryModel | None = None,
) -> list[Story]:
    """Every document in exactly one story (a story may have one member), numbered from 1 by
    first publication (undated last), then by smallest member id."""
    return cluster_stories(inputs, matches, settings, model).stories


def cluster_stories(
    inputs: StoryInputs,
    matches: Sequence[Match],
    settings: StorySettings,
    model: StoryModel | None = None,
) -> Clustered:
    """Stories as communities of the pairs likely of one event (``story_model`` unless
    ``model``)."""
    count = len(inputs.ids)
    if count == 0:
        return Clustered([], frozenset())
    model = (model or story_model()).for_sentence_model(settings.sentence_model)
    candidates = story_pairs(inputs, matches, settings)
    pairs, weights, weighed = _edges(candidates, count, settings, model)
    every = candidates.pairs
    if inputs.across is not None and len(inputs.across[0]):
        across, chances = inputs.across
        # alike heads across languages say "one subject" (two football reports); one event
        # needs what any pair needs: a name, a place, a count in common or reused text;
        # except between two scripts, where no name or place is spelled alike (an English
        # and a Chinese report of one event share none) and the heads tell unless their
        # numbers say two events: SemEval's pairs in two languages 0.724 -> 0.752, English
        # and Chinese 14 -> 18 of 22 one-event pairs at 1 false, with each connected part
        # searched on its own (``benchmarks/multilingual.py --stories``)
        eventful = story_pairs(inputs, matches, settings, only=across).eventful()
        eventful[~eventful] = _in_two_scripts(inputs, across[~eventful])
        likely = (chances >= settings.min_probability) & eventful
        pairs, weights = _likeliest(
            np.concatenate([pairs, across[likely]]), np.concatenate([weights, chances[likely]])
        )
        every, weighed = _likeliest(
            np.concatenate([every, across]),
            np.concatenate([weighed, np.where(eventful, chances, 0.0)]),
        )
    resolution = model.resolution if settings.resolution is None else settings.resolution
    membership = _joined(
        _communities(count, pairs, weights, candidates.pairs[candidates.is_copy], resolution),
        every,
        weighed,
        max(_SAME_EVENT, resolution),  # a resolution asked for above it is kept by the join
    )
    by_community = np.argsort(membership, kind="stable")  # members in order within each
    bounds = np.searchsorted(membership[by_community], np.arange(membership.max() + 2))
    partition = [
        by_community[start:end].tolist() for start, end in itertools.pairwise(bounds.tolist())
    ]
    strength = np.zeros(count)
    np.add.at(strength, pairs[:, 0], weights)
    np.add.at(strength, pairs[:, 1], weights)
    inside = membership[pairs[:, 0]] == membership[pairs[:, 1]]
    confidence = _weakest_links(pairs[inside], weights[inside], membership, count)
    # a story is titled by its most central member that another member copies whole and that
    # copies no other: the likely source's headline, not a copy's (which may have changed it,
    # typos included); where no source is named (undated texts), by its most central member
    # that holds another's text whole and lies inside none (the wire copy that sites carried,
    # not a rewrite of it); then by its most central member that copies no other
    copies = {
        match.b if match.source == match.a else match.a
        for match in matches
        if match.source is not None
    }
    position = {doc_id: index for index, doc_id in enumerate(inputs.ids)}
    within = [
        match
        for match in matches
        if match.a in position
        and match.b in position
        and membership[position[match.a]] == membership[position[match.b]]
    ]
    sources = {
        match.source
        for match in within
        if match.source is not None
        and (match.relation.is_copy or match.relation == Relation.TRANSLATION)
    } - copies
    holding = {pair for match in within for pair in holdings(match)}
    held_inside = {held for holder, held in holding if (held, holder) not in holding}
    holders = {holder for holder, _ in holding} - held_inside - copies
    found: list[dict[str, Any]] = []
    for number, members in enumerate(partition):
        dated = [date for member in members if (date := inputs.published[member]) and instant(date)]
        by_strength = sorted(members, key=lambda member: (-strength[member], member))
        entities, terms = _evidence(inputs, by_strength)
        # ... in the language most of its members are written in: a new user's English wire
        # story with five English copies and rewrites was titled by its Spanish translation
        in_its_language = _in_main_language(inputs, by_strength)
        titled = next(
            (
                member
                for chosen in (sources, holders)
                for member in in_its_language
                if inputs.ids[member] in chosen
            ),
            next(
                (member for member in in_its_language if inputs.ids[member] not in copies),
                in_its_language[0],
            ),
        )
        found.append(
            {
                "members": tuple(sorted(inputs.ids[member] for member in members)),
                # the moments compared, not the strings: "11:30+01:00" is before "11:00Z"
                "first_published": min(dated, key=_moment) if dated else None,
                "title": inputs.headlines[titled],
                "last_published": max(dated, key=_moment) if dated else None,
                "entities": entities,
                "terms": terms,
                **_arguments(inputs, by_strength),
                "confidence": confidence.get(number),
            }
        )
    found.sort(
        key=lambda story: (instant(story["first_published"]) or "\uffff", story["members"][0])
    )
    stories = [Story(story=number, **story) for number, story in enumerate(found, start=1)]
    likely = inside & (weights >= _SAME_EVENT)
    same = frozenset(
        tuple(sorted((inputs.ids[first], inputs.ids[second])))
        for first, second in pairs[likely].tolist()
    )
    return Clustered(stories, same)


def _in_two_scripts(inputs: StoryInputs, pairs: NDArray[np.int64]) -> NDArray[np.bool_]:
    """Whether the two documents of each pair are in languages of two scripts (``Latn`` and
    ``Hani``, ``Cyrl`` and ``Arab``; no known language is in none) and their numbers do not
    tell two events apart: digits are written alike in every script, so two reports of one
    event share a number (a toll, a magnitude, an amount) or one of them writes none (a new
    user's two earthquakes, in Peru and in Turkey, in English and in Russian, 6.4 and 5,9, 12
    and 3 dead, were one story by their heads alone). None without the texts to read."""
    found = np.zeros(len(pairs), dtype=bool)
    if not inputs.languages or inputs.text is None or not len(pairs):
        return found
    scripts = np.array([script_of(language) or "" for language in inputs.languages])
    first, second = scripts[pairs[:, 0]], scripts[pairs[:, 1]]
    two = (first != "") & (second != "") & (first != second)  # no script: in none
    numbers: dict[int, frozenset[str]] = {}
    for at in np.flatnonzero(two).tolist():
        ends = pairs[at].tolist()
        for index in ends:
            if index not in numbers:
                numbers[index] = written_numbers(inputs.text(index))
        one, other = (numbers[index] for index in ends)
        found[at] = not one or not other or bool(one & other)
    return found


def written_numbers(text: str) -> frozenset[str]:
    """The numbers ``text`` writes in digits of any script, their separators left out
    ("50,000", "50.000", "٥٠٬٠٠٠", "50 000" with a no-break space -> "50000"; "6.4", "6,4" ->
    "64"), of two digits or more once leading zeros are dropped ("07" is no number of two),
    a number without separators of four digits 1900-2099 aside (every report of a year
    gives it; "2,000" is a count)."""
    found = set()
    for match in _NUMBER.finditer(text):
        digits = "".join(str(unicodedata.decimal(char)) for char in match[0] if char.isdecimal())
        digits = digits.lstrip("0")
        year = len(match[0]) == 4 and digits[:2] in ("19", "20")
        if len(digits) >= 2 and not year:
            found.add(digits)
    return frozenset(found)


def _moment(published: str) -> str:
    """``published`` as a moment in UTC, to compare (``group.duplicates.instant``)."""
    return instant(published) or published


def _in_main_language(inputs: StoryInputs, members: list[int]) -> list[int]:
    """``members`` (in their order) written in the language most of them are written in
    (the first one's language on a tie; no known language counts as English)."""
    if not inputs.languages:
        return members
    languages = [inputs.languages[member] or "en" for member in members]
    counts = Counter(languages)
    main = max(counts, key=lambda language: (counts[language], -languages.index(language)))
    return [member for member, language in zip(members, languages, strict=True) if language == main]


def _communities(
    count: int,
    pairs: NDArray[np.int64],
    weights: NDArray[np.float64],
    copies: NDArray[np.int64],
    resolution: float,
) -> NDArray[np.int64]:
    """Each document's community (numbered from 0 by first member): Leiden (CPM) over the
    likely pairs, each copy also given its original's pairs (a copy is of its original's
    story by definition, even when its page mangled the words it would be weighed by)."""
    import igraph  # here: a scan without stories never loads it (~30 ms)

    pairs, weights = _inherited(pairs, weights, copies)
    membership = np.arange(count, dtype=np.int64)
    if not len(pairs):
        return membership
    # each connected part on its own, from the same seed: documents linked only to each
    # other elsewhere in the corpus moved the one walk of the whole graph, and with it
    # every other part's communities
    part = components(count, pairs)
    order = np.argsort(part[pairs[:, 0]], kind="stable")
    by_part = np.split(order, np.flatnonzero(np.diff(part[pairs[order, 0]])) + 1)
    for edges in by_part:
        nodes, local = np.unique(pairs[edges], return_inverse=True)
        if len(nodes) == 2:  # most parts of a corpus of copies: what the search would say
            # (joined when their pairs weigh more than the resolution), without its cost
            if weights[edges][pairs[edges, 0] != pairs[edges, 1]].sum() > resolution:
                membership[nodes[1]] = nodes[0]
            continue
        graph = igraph.Graph(n=len(nodes), edges=local.reshape(-1, 2).tolist())
        igraph.set_random_number_generator(random.Random(_SEED))
        try:
            partition = graph.community_leiden(
                objective_function="CPM",
                weights=weights[edges].tolist(),
                resolution=resolution,
                n_iterations=_LEIDEN_ITERATIONS,
            )
        finally:
            igraph.set_random_number_generator(random)  # igraph's default: the random module
        membership[nodes] = nodes[np.array(partition.membership, dtype=np.int64)]
    # renumbered by first member, so that the numbering does not depend on igraph's
    return _numbered(membership)


def _joined(
    membership: NDArray[np.int64],
    pairs: NDArray[np.int64],
    chance: NDArray[np.float64],
    floor: float = _SAME_EVENT,
) -> NDArray[np.int64]:
    """Communities joined, the likeliest first, while the mean ``chance`` over every pair
    across two of them (a pair ``pairs`` does not hold counts 0) is at least ``floor``
    (``_SAME_EVENT``, or the resolution asked for where higher); numbered again by first
    member. The mean of a joined community with a
    third is the size-weighted mean of its parts', so only communities that share a pair
    are ever looked at. Chances are summed in fixed point (order-free, the same on every
    CPU), and ties go to the lower community numbers."""
    ends = membership[pairs]
    across = ends[:, 0] != ends[:, 1]
    if not across.any():
        return membership
    low, high = np.sort(ends[across], axis=1).T
    units = np.rint(chance[across] * _UNIT).astype(np.int64)
    count = int(membership.max()) + 1
    keys, inverse = np.unique(low * count + high, return_inverse=True)
    totals = np.zeros(len(keys), dtype=np.int64)
    np.add.at(totals, inverse, units)
    size: list[int] = np.bincount(membership, minlength=count).tolist()
    shared: list[dict[int, int]] = [{} for _ in range(count)]
    for key, total in zip(keys.tolist(), totals.tolist(), strict=True):
        first, second = divmod(key, count)
        shared[first][second] = shared[second][first] = total

    def mean(first: int, second: int) -> float:
        # an integer over an integer: one correctly rounded division, the same anywhere
        return shared[first][second] / (_UNIT * size[first] * size[second])

    heap = [
        (-likely, first, second)
        for first in range(count)
        for second in shared[first]
        if first < second and (likely := mean(first, second)) >= floor
    ]
    heapq.heapify(heap)
    into = list(range(count))
    while heap:
        negative, first, second = heapq.heappop(heap)
        if into[first] != first or into[second] != second or second not in shared[first]:
            continue  # one of them was joined since
        if mean(first, second) != -negative:
            continue  # their mean changed since: its newer entry is in the heap
        into[second] = first
        size[first] += size[second]
        del shared[first][second]
        for other, total in shared[second].items():
            if other != first:
                del shared[other][second]
                joined = shared[first].get(other, 0) + total
                shared[first][other] = shared[other][first] = joined
        shared[second] = {}
        for other in shared[first]:
            if (likely := mean(first, other)) >= floor:
                heapq.heappush(heap, (-likely, min(first, other), max(first, other)))
    for community in range(count):  # each to the community it ended in (lower numbers)
        into[community] = into[into[community]]
    return _numbered(np.array(into, dtype=np.int64)[membership])


def _numbered(found: NDArray[np.int64]) -> NDArray[np.int64]:
    """Communities numbered by first member, so that the numbering is the members' order."""
    _, first_seen, inverse = np.unique(found, return_index=True, return_inverse=True)
    rank = np.empty(len(first_seen), dtype=np.int64)
    rank[np.argsort(first_seen, kind="stable")] = np.arange(len(first_seen))
    found_rank: NDArray[np.int64] = rank[inverse.reshape(-1)]
    return found_rank


def _inherited(
    pairs: NDArray[np.int64], weights: NDArray[np.float64], copies: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """The pairs, and for each copy pair ``(a, b)`` every pair ``(a, x)`` again as ``(b, x)``
    (and the other way round); a pair found twice keeps its likelier chance."""
    if not len(copies) or not len(pairs):
        return pairs, weights
    ends = np.concatenate([pairs, pairs[:, ::-1]])  # from, to
    chance = np.concatenate([weights, weights])
    order = np.argsort(ends[:, 0], kind="stable")
    ends, chance = ends[order], chance[order]
    arrows = np.concatenate([copies, copies[:, ::-1]])  # original -> copy
    starts = np.searchsorted(ends[:, 0], arrows[:, 0], side="left")
    sizes = np.searchsorted(ends[:, 0], arrows[:, 0], side="right") - starts
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    taken = np.repeat(starts - offsets, sizes) + np.arange(int(sizes.sum()))
    copy = np.repeat(arrows[:, 1], sizes)
    other, given = ends[taken, 1], chance[taken]
    fresh = other != copy
    added = np.sort(np.stack([copy[fresh], other[fresh]], axis=1), axis=1)
    return _likeliest(np.concatenate([pairs, added]), np.concatenate([weights, given[fresh]]))


def _likeliest(
    pairs: NDArray[np.int64], chances: NDArray[np.float64]
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Each pair once, with its likeliest chance, in the order pairs first come."""
    if not len(pairs):
        return pairs, chances
    keys = pairs[:, 0] * (int(pairs.max()) + 1) + pairs[:, 1]
    order = np.lexsort((-chances, keys))  # per pair, the likeliest first
    first = np.ones(len(order), dtype=bool)
    first[1:] = keys[order][1:] != keys[order][:-1]
    kept = np.sort(order[first])
    return pairs[kept], chances[kept]


def _weakest_links(
    pairs: NDArray[np.int64],
    weights: NDArray[np.float64],
    membership: NDArray[np.int64],
    count: int,
) -> dict[int, float]:
    """Per community of two or more, the weakest link that holds it: the lowest chance on
    the strongest tree joining its members (a minimum spanning forest of the negated
    chances, whose weakest edge does not depend on how ties are broken)."""
    import igraph

    graph = igraph.Graph(n=count, edges=pairs.tolist())
    tree = np.array(graph.spanning_tree(weights=(-weights).tolist(), return_tree=False))
    weakest: dict[int, float] = {}
    for edge in tree.astype(np.int64).tolist():
        community = int(membership[pairs[edge, 0]])
        chance = round(float(weights[edge]), 3)
        weakest[community] = min(weakest.get(community, chance), chance)
    return weakest


def _arguments(inputs: StoryInputs, members: Sequence[int]) -> dict[str, Any]:
    """The places, the counts and the event's date that two or more members give (the most
    often given first, then as the most central member gives them), for a story of two or
    more with event arguments."""
    if len(members) < 2 or inputs.events is None:
        return {"places": (), "when": None, "counts": ()}
    days = inputs.event_day_numbers()
    events = [inputs.events[member] for member in members]
    dates = Counter(_iso_day(days[member]) for member in members if not np.isnan(days[member]))
    # the date most members give, where two or more give it; of equals the earliest
    # (follow-ups come later)
    given = [date for date, members_giving in dates.items() if members_giving >= 2]
    when = min(given, key=lambda date: (-dates[date], date)) if given else None
    return {
        "places": tuple(_most_given([event.places for event in events], _EVIDENCE_PLACES)),
        "when": when,
        "counts": tuple(
            count_text(what, value)
            for what, value in _most_given([event.counts for event in events], _EVIDENCE_COUNTS)
        ),
    }


def count_text(what: str, value: int) -> str:
    """A count as people write it: "killed 3", "magnitude 6.8" (kept as 68 in
    ``documents.event``), "score 3-1" (301), "money 4,200,000"."""
    if what == "magnitude":
        return f"magnitude {value // 10}.{value % 10}"
    if what == "score":
        return f"score {value // 100}-{value % 100}"
    return f"{what} {value:,}"


def _most_given(rows: Sequence[Sequence[_Item]], limit: int) -> list[_Item]:
    """Items given by two or more rows, the most often given first, then in order of first
    appearance."""
    held: dict[_Item, int] = {}
    for row in rows:
        for item in dict.fromkeys(row):
            held[item] = held.get(item, 0) + 1
    shared = [item for item, times in held.items() if times >= 2]
    return sorted(shared, key=lambda item: -held[item])[:limit]


def _iso_day(day: float) -> str:
    return (datetime.date(1970, 1, 1) + datetime.timedelta(days=int(day))).isoformat()


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
            inputs.text(member),
            missing_words,
            missing_entities,
            inputs.languages[member] if inputs.languages else None,
        )
        words.update(found_words)
        entities.update(found_entities)
    return (
        tuple(entities[key] for key in entity_keys if key in entities),
        # a number's pieces ("000" of "3,000") say nothing a reader can use: the story's
        # counts say how many of what
        tuple(words[key] for key in term_keys if key in words and not words[key].isdigit()),
    )
