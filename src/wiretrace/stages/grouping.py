"""Group: duplicate groups, provenance, stories."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from wiretrace.clean.boilerplate import blank
from wiretrace.config import ScanConfig
from wiretrace.group import DocumentFacts, duplicate_groups
from wiretrace.group.duplicates import big_groups, provenance_trees, star_pairs
from wiretrace.group.provenance import ProvenanceFacts, attribute
from wiretrace.group.stories import StoryInputs, story_clusters
from wiretrace.records import DuplicateGroup, Match, Relation, Story
from wiretrace.sketch.topics import topic_vectors
from wiretrace.spill import TextSpill
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
    spill: TextSpill,
    days: NDArray[np.float64],
    leads: NDArray[np.float32] | None,
    similar: NDArray[np.int64] | None,
    config: ScanConfig,
) -> StoryInputs:
    return StoryInputs(
        ids=sketched.ids,
        headlines=[
            rows.title[row] or topics.lead
            for row, topics in zip(sketched.rows, sketched.topics, strict=True)
        ],
        published=[rows.published[row] for row in sketched.rows],
        days=days,
        topics=topic_vectors(sketched.topics),
        leads=leads,
        # the fast model's centred neighbours serve as story candidates (on ECB+ F1 0.959,
        # against 0.968 with a search by lead, which costs ~25 s more on 100,000 documents);
        # MiniLM's raw document vectors do not (0.946 against 0.955)
        similar=similar if config.semantic_thresholds().centred else None,
        text=lambda index: blank(
            spill.get(sketched.spilled[index]), rows.boilerplate[sketched.rows[index]]
        ),
    )


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
) -> Grouped:
    """Duplicate groups; each member of a big group compared with its representative where
    it was not (by ``compare``, over pairs of indices into ``sketched``); every match's likely
    source; big groups cut down to a star and a provenance tree."""
    facts = {
        doc_id: DocumentFacts(rows.published[row], rows.clean_chars[row] or 0)
        for doc_id, row in zip(sketched.ids, sketched.rows, strict=True)
    }
    groups = duplicate_groups(matches, facts)
    big = big_groups(groups, config.big_group_size)
    missing = star_pairs(big, matches)
    if missing:  # each copy of a big group gets its edge to the representative
        matches = matches + compare(index_pairs(missing, sketched.ids))
    if config.provenance:
        matches = provenance(matches, sketched, rows, config)
    left_out = 0
    if big:
        matches, left_out = provenance_trees(matches, big)
    return Grouped(matches, groups, len(missing), left_out)


def story_stage(
    matches: list[Match], inputs: StoryInputs, config: ScanConfig
) -> tuple[list[Match], list[Story]]:
    """Stories, and the matches with the ``same_story`` pairs the stories confirm.

    Same-story pairs are told by the stories, not the other way round: a pair whose documents
    are alike is reported as one story only when the story evidence (rare words, entities,
    leads, dates) put both in one story."""
    alike = [match for match in matches if match.relation == Relation.SAME_STORY]
    kept = [match for match in matches if match.relation != Relation.SAME_STORY]
    stories = story_clusters(inputs, kept, config.story_settings())
    story_of = {member: story.story for story in stories for member in story.members}
    confirmed = (match for match in alike if story_of.get(match.a) == story_of.get(match.b))
    return sorted([*kept, *confirmed], key=lambda match: (match.a, match.b)), stories
