"""Group: duplicate groups, provenance, stories."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from wiretrace.candidates.neighbours import day_numbers
from wiretrace.clean.boilerplate import blank
from wiretrace.config import ScanConfig
from wiretrace.group import duplicate_groups
from wiretrace.group.duplicates import (
    DocumentFacts,
    big_groups,
    provenance_trees,
    star_pairs,
)
from wiretrace.group.provenance import ProvenanceFacts, attribute, derived_from_one
from wiretrace.group.stories import StoryInputs, cluster_stories
from wiretrace.records import DuplicateGroup, Match, Relation, Story
from wiretrace.sketch.event import EventArguments, event_date
from wiretrace.sketch.topics import topic_vectors
from wiretrace.stages.languages import Across, english, languages_of
from wiretrace.stages.sketching import Sketched
from wiretrace.stages.state import DocumentRows


def index_pairs(pairs: list[tuple[str, str]], ids: list[str]) -> NDArray[np.int64]:
    """Pairs of document ids as pairs of indices into ``ids``, the smaller first."""
    index_of = {doc_id: index for index, doc_id in enumerate(ids)}
    found = np.array([(index_of[a], index_of[b]) for a, b in pairs], dtype=np.int64)
    return np.sort(found.reshape(-1, 2), axis=1)


def story_inputs(
    sketched: Sketched,
    rows: DocumentRows,
    text_of: Callable[[int], str],
    days: NDArray[np.float64],
    leads: NDArray[np.float32] | None,
    similar: NDArray[np.int64] | None,
    config: ScanConfig,
    across: Across | None = None,
) -> StoryInputs:
    events = [
        with_dateline(topics.event, rows.dateline[row])
        for row, topics in zip(sketched.rows, sketched.topics, strict=True)
    ]
    published = [rows.published[row] for row in sketched.rows]
    dates = [event_date(event.when, date) for event, date in zip(events, published, strict=True)]
    for row, event, date in zip(sketched.rows, events, dates, strict=True):
        rows.event[row] = (event, date)
    event_days = day_numbers(dates)
    languages = languages_of(sketched, rows)
    read_in_english = english(languages)
    # a document of no known language is read as English, as ``languages.english`` reads it
    weighed_in = [language or "en" for language in languages]
    return StoryInputs(
        ids=sketched.ids,
        headlines=[
            rows.title[row] or topics.lead
            for row, topics in zip(sketched.rows, sketched.topics, strict=True)
        ],
        published=published,
        days=days,
        topics=topic_vectors(sketched.topics, weighed_in),
        leads=leads,
        # the fast model's centred neighbours serve as story candidates (on ECB+ F1 0.959,
        # against 0.968 with a search by lead, which costs ~25 s more on 100,000 documents);
        # MiniLM's raw document vectors do not (0.946 against 0.955)
        similar=similar if config.semantic_thresholds().centred else None,
        text=lambda index: blank(
            text_of(sketched.spilled[index]), rows.boilerplate[sketched.rows[index]]
        ),
        events=events,
        event_days=event_days,
        across=None if across is None else (across.pairs, across.chances),
        # the leads of text not in English are no evidence, in a scan and in an index alike
        english=None if read_in_english.all() else read_in_english,
        languages=weighed_in,
        heads=None if across is None else across.heads,
        headed=None if across is None else across.headed,
    )


def with_dateline(event: EventArguments, dateline: str | None) -> EventArguments:
    """The event's places, its dateline's first (a wire story's dateline is where it
    happened, or where it was reported from)."""
    if not dateline:
        return event
    places = tuple(dict.fromkeys((dateline.lower(), *event.places)))
    return event._replace(places=places)


def provenance(
    matches: list[Match], sketched: Sketched, rows: DocumentRows, config: ScanConfig
) -> list[Match]:
    """Matches with their likely source and, with ``config.series``, their outlet's series."""
    facts = {
        doc_id: ProvenanceFacts(
            published=rows.published[row],
            credits=rows.credits[row],
            dateline=rows.dateline[row],
            outlet=rows.outlet[row],
            chars=rows.chars[row] or 0,
            boilerplate_chars=sum(span.end - span.start for span in rows.boilerplate[row]),
        )
        for doc_id, row in zip(sketched.ids, sketched.rows, strict=True)
    }
    found = []
    for match in matches:
        match = attribute(match, facts, config.provenance_min_score)
        outlet_a, outlet_b = facts[match.a].outlet, facts[match.b].outlet
        if config.series and outlet_a and outlet_b and outlet_a.casefold() == outlet_b.casefold():
            match = replace(match, series=outlet_a)
        found.append(match)
    return found


@dataclass(frozen=True, slots=True)
class Grouped:
    """The matches with their sources, the duplicate groups, and what big groups cost."""

    matches: list[Match]
    groups: list[DuplicateGroup]
    star_pairs: int  # members of big groups compared with their representative afterwards
    not_listed: int  # pairs inside big groups compared but not listed


def group_stage(
    matches: list[Match],
    sketched: Sketched,
    rows: DocumentRows,
    config: ScanConfig,
    compare: Callable[[NDArray[np.int64]], list[Match]],
    trees: bool = True,
) -> Grouped:
    """Duplicate groups; each member of a big group compared with its representative where
    it was not (by ``compare``, over pairs of indices into ``sketched``); every match's likely
    source; big groups cut down to a star and a provenance tree (``trees``; an index's
    matches were named their sources when compared)."""
    facts = {
        doc_id: rows.facts(row) for doc_id, row in zip(sketched.ids, sketched.rows, strict=True)
    }
    groups = duplicate_groups(matches, facts)
    big = big_groups(groups, config.big_group_size)
    missing = star_pairs(big, matches)
    if not trees:
        # without sources there is no tree to cut a big group down to: what holds each copy
        # is what matters (``dedup``), and the representative, the earliest, is often a short
        # first version that holds none of them. Each copy is compared with the group's
        # longest member too, and every pair compared inside the group is kept
        longest = [
            replace(group, representative=min(group.members, key=lambda m: _longest(facts[m], m)))
            for group in big
        ]
        asked = {frozenset(pair) for pair in missing}
        missing += [pair for pair in star_pairs(longest, matches) if frozenset(pair) not in asked]
    if missing:  # each copy of a big group gets its edge to the representative
        matches = matches + compare(index_pairs(missing, sketched.ids))
    if config.provenance:
        matches = provenance(matches, sketched, rows, config)
    # over the whole corpus (an index's matches were named their sources one pair at a time),
    # before a big group's tree picks each copy's likeliest source among them
    matches = derived_from_one(matches)
    left_out = 0
    if big and trees:
        matches, left_out = provenance_trees(matches, big)
    return Grouped(matches, groups, len(missing), left_out)


def _longest(facts: DocumentFacts, doc_id: str) -> tuple[int, int, str]:
    """Longest clean text first, then least page around it, then the smaller id."""
    return (-facts.clean_chars, facts.chars, doc_id)


def story_stage(
    matches: list[Match], inputs: StoryInputs, config: ScanConfig
) -> tuple[list[Match], list[Story]]:
    """Stories, and the matches with the ``same_story`` pairs the story model confirms.

    Same-story pairs are told by the story model, not the other way round: a pair whose
    documents' vectors are alike is reported as one story only when the model calls it more
    likely one event than not and the stories put both in one story."""
    alike = [match for match in matches if match.relation == Relation.SAME_STORY]
    kept = [match for match in matches if match.relation != Relation.SAME_STORY]
    clustered = cluster_stories(inputs, matches, config.story_settings())
    confirmed = (match for match in alike if (match.a, match.b) in clustered.same_event)
    return sorted([*kept, *confirmed], key=lambda match: (match.a, match.b)), clustered.stories
