"""What an index derives from all it holds: duplicate groups, provenance, stories (by the
scan's own stages, over every indexed document), with ids kept stable from one add to the
next, and the whole as a scan's result (the output contract's tables)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

import numpy as np
import orjson
from numpy.typing import NDArray

from wiretrace.candidates.neighbours import day_numbers
from wiretrace.config import ScanConfig
from wiretrace.index.store import IndexStore, StoredDocument, StoredSkip
from wiretrace.index.update import Neighbourhood
from wiretrace.records import (
    Derivation,
    DuplicateGroup,
    Match,
    Passage,
    Relation,
    Skipped,
    Story,
)
from wiretrace.stages.grouping import group_stage, story_inputs, story_stage
from wiretrace.stages.sketching import Sketched
from wiretrace.stages.state import DocumentRows


def match_json(match: Match) -> str:
    """A match as a JSON array (positional: ~10x faster than ``dataclasses.asdict``, which
    deep-copies every passage; an index stores every match of every add)."""
    derivation = match.derivation
    return _dumps(
        [
            match.a,
            match.b,
            match.relation.value,
            match.jaccard,
            match.containment_a,
            match.containment_b,
            [
                [p.a_start, p.a_end, p.b_start, p.b_end, p.kind, p.similarity]
                for p in match.passages
            ],
            match.semantic,
            match.source,
            match.provenance_confidence,
            list(match.provenance_reasons),
            match.series,
            None
            if derivation is None
            else [
                derivation.chain,
                derivation.coverage,
                derivation.facts_shared,
                derivation.facts_contradicted,
                derivation.quotes,
            ],
        ]
    )


def _dumps(value: list[Any]) -> str:
    """``value`` as JSON by orjson (a sixth of ``json``'s time: a whole pass writes every
    match of the index again), or by ``json`` where orjson refuses it (a lone surrogate in an
    id). Its values are finite floats, ints, strings and None, which both write alike but
    for spacing."""
    try:
        return orjson.dumps(value).decode()
    except orjson.JSONEncodeError:
        return json.dumps(value)


def _loads(text: str) -> Any:
    """What ``match_json`` wrote, by orjson (in under half the time of ``json``; the same
    values: no integer past 64 bits is written), or by ``json`` where orjson refuses it (an id
    holding a lone surrogate, written as an escape)."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def match_of(text: str) -> Match:
    (a, b, relation, jaccard, containment_a, containment_b, passages, semantic, source) = (
        found := _loads(text)
    )[:9]
    confidence, reasons, series, derivation = found[9:]
    return Match(
        a,
        b,
        Relation(relation),
        jaccard,
        containment_a,
        containment_b,
        tuple(Passage(*passage) for passage in passages),
        semantic,
        source,
        confidence,
        tuple(reasons),
        series,
        None if derivation is None else Derivation(*derivation),
    )


def story_json(story: Story) -> str:
    return json.dumps(asdict(story))


def story_of(text: str) -> Story:
    found: dict[str, Any] = json.loads(text)
    for name in ("members", "entities", "terms", "places", "counts"):
        found[name] = tuple(found[name])
    return Story(**found)


@dataclass(frozen=True, slots=True)
class Whole:
    """Every indexed document as the scan's stages see them: rows (the skipped records
    after the documents), the sketched documents (by number, in order), their numbers."""

    rows: DocumentRows
    sketched: Sketched
    numbers: NDArray[np.int64]
    skipped: tuple[Skipped, ...]


def whole(store: IndexStore, documents: dict[int, StoredDocument]) -> Whole:
    """Every indexed document (``documents``: all of them, by number in order, without their
    texts) as the scan's stages see them, with the records skipped."""
    rows, sketched = DocumentRows(), Sketched()
    numbers = np.array(list(documents), dtype=np.int64)
    for document in documents.values():
        row = add_row(rows, document)
        sketched.rows.append(row)
        sketched.ids.append(document.id)
        sketched.spilled.append(document.number)
        sketched.signatures.append(document.sketch.signature)
        sketched.shingles.append(document.sketch.shingles)
        sketched.text_hashes.append(document.sketch.text_hash)
        sketched.topics.append(document.sketch.topics)
    skipped = []
    for skip in store.skips():
        found = Skipped(skip.source, skip.reason, skip.detail, skip.id)
        skipped.append(found)
        add_skipped_row(rows, skip, found)
    return Whole(rows, sketched, numbers, tuple(skipped))


def add_row(rows: DocumentRows, document: StoredDocument) -> int:
    rows.id.append(document.id)
    rows.outlet.append(document.outlet)
    rows.url.append(document.url)
    rows.title.append(document.title)
    rows.published.append(document.published)
    rows.chars.append(document.chars)
    rows.clean_chars.append(document.clean_chars)
    rows.status.append("ok")
    rows.source.append(document.source)
    rows.boilerplate.append(document.spans)
    rows.credits.append(document.credits)
    rows.dateline.append(document.dateline)
    rows.language.append(document.language)
    return len(rows.status) - 1


def add_skipped_row(rows: DocumentRows, skip: StoredSkip, skipped: Skipped) -> None:
    rows.add_skipped(skipped)
    row = len(rows.status) - 1
    rows.outlet[row], rows.url[row], rows.title[row] = skip.outlet, skip.url, skip.title
    rows.published[row], rows.chars[row] = skip.published, skip.chars


@dataclass(frozen=True, slots=True)
class Derived:
    matches: list[Match]
    groups: list[DuplicateGroup]
    stories: list[Story]
    star_pairs: int
    not_listed: int


def derive(
    store: IndexStore,
    config: ScanConfig,
    state: Whole,
    neighbours: Neighbourhood | None,
    compare: Callable[[NDArray[np.int64]], list[Match]],
    text_of: Callable[[int], str],
) -> Derived:
    """Groups, provenance and stories over the whole index, by the scan's stages;
    ``compare``: the matches of pairs of numbers (the members of a big group with their
    representative)."""
    matches = sorted(
        (match_of(value) for value in store.matches()),
        key=lambda match: (match.a, match.b),
    )
    sketched, rows, numbers = state.sketched, state.rows, state.numbers

    def compare_places(pairs: NDArray[np.int64]) -> list[Match]:
        return compare(numbers[pairs])

    # every match was named its likely source and series when compared (they depend on
    # its two documents alone): the group stage only groups
    unnamed = replace(config, provenance=False, series=False)
    grouped = group_stage(matches, sketched, rows, unnamed, compare_places)
    matches, stories = grouped.matches, list[Story]()
    if config.stories:
        days = day_numbers([rows.published[row] for row in sketched.rows])
        leads, similar = None, None
        if neighbours is not None:
            leads = neighbours.leads
            similar = np.searchsorted(numbers, neighbours.similar)
        evidence = story_inputs(sketched, rows, text_of, days, leads, similar, config)
        matches, stories = story_stage(matches, evidence, config)
    else:
        matches = [match for match in matches if match.relation != Relation.SAME_STORY]
    return Derived(matches, grouped.groups, stories, grouped.star_pairs, grouped.not_listed)


def stable_labels(
    clusters: Sequence[Sequence[int]], before: dict[int, int], next_label: int
) -> tuple[list[int], list[tuple[int, int]], int]:
    """An id for each cluster (members as numbers): the id most of the members of an earlier
    cluster held goes on with the cluster holding most of them (ties: the earlier cluster);
    an earlier id whose members now sit in a cluster that carries an older id is merged into
    it. Returns the ids, the merges ``(old id, into id)`` and the next free id."""
    holding: dict[int, Counter[int]] = {}
    for place, members in enumerate(clusters):
        for number in members:
            label = before.get(number)
            if label is not None:
                holding.setdefault(label, Counter())[place] += 1
    labels: list[int | None] = [None] * len(clusters)
    merges: list[tuple[int, int]] = []
    for label in sorted(holding):
        place = min(holding[label].items(), key=lambda item: (-item[1], item[0]))[0]
        current = labels[place]
        if current is None:
            labels[place] = label
        else:
            merges.append((label, current))  # an older id already carries this cluster
    found: list[int] = []
    for label in labels:
        if label is None:
            label, next_label = next_label, next_label + 1
        found.append(label)
    return found, merges, next_label
