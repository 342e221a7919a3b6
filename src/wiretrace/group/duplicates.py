"""Duplicate groups: connected components of exact / near_duplicate / contained matches.

The representative is the earliest published member (a member with no date may be as early as
any: it ranks with the earliest, and after a dated member alike in all else); among members
of the same date, the one with the longest clean text (boilerplate left out); of equal texts,
the one with the least page around it (the wire, not its republication in a site's chrome); then the
smallest id. Earliest first because a copy rarely precedes its source; longest next because a
truncated copy loses text its source still has. Publication is compared at the precision
every dated member states: when one states only its day, every member's day is compared, not
its time (a site that gives only the day, or whose page date comes from its URL, is not
earlier than the agency's own copy of 09:30 that day). A component can chain through
documents that share nothing, so ``dedup`` does not drop "all but the representative":
``dedup_choice`` drops only what a kept document holds directly.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from wiretrace.records import Dropped, DuplicateGroup, Match, Relation


@dataclass(frozen=True, slots=True)
class DocumentFacts:
    """What choosing a representative needs to know of a document."""

    published: str | None
    clean_chars: int  # the body: the text without its boilerplate
    chars: int = 0  # the whole page: of two equal bodies, the one with less noise around it
    title: str | None = None  # what a body that opens with its headline repeats (``dedup``)


@functools.lru_cache(maxsize=65536)
def published_key(published: str | None) -> dt.datetime | None:
    """A comparable instant for an ISO date or date-time (naive values are taken as UTC).
    Kept by the string: provenance reads the dates of both documents of every match (a
    fifth of its time there), and a document is in many matches."""
    if not published:
        return None
    try:
        value = dt.datetime.fromisoformat(published)
    except ValueError:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value


def instant(published: str | None) -> str | None:
    """An ISO date or date-time as the moment it names, in UTC (``2026-03-14T11:00:00+00:00``
    for ``2026-03-14T12:00+01:00``): such strings sort as the moments do, where the written
    ones, with their offsets, do not; None for no date or one that cannot be read."""
    moment = published_key(published)
    return None if moment is None else moment.astimezone(dt.UTC).isoformat()


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        root = self.parent.setdefault(item, item)
        while self.parent[root] != root:
            root = self.parent[root]
        while item != root:  # path compression
            item, self.parent[item] = self.parent[item], root
        return root

    def union(self, first: str, second: str) -> None:
        root_first, root_second = self.find(first), self.find(second)
        if root_first != root_second:
            # the smaller id becomes the root, which keeps the result independent of order
            low, high = sorted((root_first, root_second))
            self.parent[high] = low


_FAR_FUTURE = dt.datetime.max.replace(tzinfo=dt.UTC)


def representative(members: Iterable[str], facts: Mapping[str, DocumentFacts]) -> str:
    """The member ``dedup`` keeps (see the module's docstring)."""
    ranks = _ranks(members, facts)
    return min(ranks, key=ranks.__getitem__)


Rank = tuple[dt.datetime, int, int, bool, str]


def _ranks(members: Iterable[str], facts: Mapping[str, DocumentFacts]) -> dict[str, Rank]:
    """Each member's rank among ``members``: earliest published (by day alone when a dated
    member states no time of day), longest body, least page around it, one that states its
    date, smallest id. A member that states no date may be as early as any: it ranks with the
    earliest dated one (a republication dated by its page's byline was kept over the undated
    wire story it copies, page and all, as the earlier); of two texts alike in all else, the
    dated one is first."""
    chosen = list(members)
    by_day = any(_day_only(facts[doc_id].published) for doc_id in chosen)
    ranks = {doc_id: _rank(facts[doc_id], doc_id, by_day) for doc_id in chosen}
    earliest = min(rank[0] for rank in ranks.values())
    return {
        doc_id: (earliest, *rank[1:]) if rank[0] == _FAR_FUTURE else rank
        for doc_id, rank in ranks.items()
    }


def _day_only(published: str | None) -> bool:
    return published is not None and len(published) <= 10 and published_key(published) is not None


def _rank(fact: DocumentFacts, doc_id: str, by_day: bool) -> Rank:
    when = published_key(fact.published)
    if when is not None and by_day and fact.published:  # the day as the document states it
        when = dt.datetime.combine(dt.date.fromisoformat(fact.published[:10]), dt.time(), dt.UTC)
    return (when or _FAR_FUTURE, -fact.clean_chars, fact.chars, when is None, doc_id)


def duplicate_groups(
    matches: Iterable[Match], facts: Mapping[str, DocumentFacts]
) -> list[DuplicateGroup]:
    """Groups of two or more documents, numbered from 1 in the order of their representative."""
    union_find = _UnionFind()
    for match in matches:
        if match.relation.is_copy:
            union_find.union(match.a, match.b)
    components: dict[str, list[str]] = {}
    for item in union_find.parent:
        components.setdefault(union_find.find(item), []).append(item)

    chosen = [
        (representative(members, facts), tuple(sorted(members)))
        for members in components.values()
        if len(members) > 1
    ]
    chosen.sort()
    return [
        DuplicateGroup(group=number, representative=representative, members=members)
        for number, (representative, members) in enumerate(chosen, start=1)
    ]


def holdings(match: Match) -> list[tuple[str, str]]:
    """(holder, held) for each document of a copy match that holds the other's text whole:
    both ways for exact and near duplicates, the container alone for ``contained``."""
    if match.relation in (Relation.EXACT, Relation.NEAR_DUPLICATE):
        return [(match.a, match.b), (match.b, match.a)]
    if match.relation == Relation.CONTAINED:
        if match.containment_a >= match.containment_b:  # a inside b
            return [(match.b, match.a)]
        return [(match.a, match.b)]
    return []


@dataclass(frozen=True, slots=True)
class DropFloors:
    """How much of a document a kept one must hold for ``dedup`` to drop it: a near duplicate
    at least ``jaccard`` alike with ``near_duplicate`` of its shingles in the kept one, a
    contained text with ``contained`` of them. A relation is found on passages that bridge
    edits, so that a copy with a word changed here and there is one; what is dropped is
    measured on the shingles themselves, so that the text a dropped document has of its own
    is at most what these let it have (``--jaccard`` and ``--containment`` raise them). Of
    two near duplicates where only one is held at the ``contained`` share (a truncated copy
    and the full story), that one is contained in the other, which it does not hold."""

    jaccard: float = 0.5
    near_duplicate: float = 0.75
    contained: float = 0.8

    def allow(self, match: Match, coverage: float, held_back: float) -> bool:
        """Whether the document of ``match`` whose share in the other is ``coverage`` may be
        dropped for the other, whose share in it is ``held_back``."""
        if match.relation == Relation.NEAR_DUPLICATE:
            if held_back >= self.contained > coverage:
                return False  # the other is contained in it: the fuller one is kept
            return match.jaccard >= self.jaccard and coverage >= self.near_duplicate
        if match.relation == Relation.CONTAINED:
            return coverage >= self.contained
        return True


# a near duplicate that holds the other whole, bar a few shingles at its edges
_WHOLE = 0.98
# page noise one page may carry beyond the other's and still count as clean as it
_NOISE_MARGIN = 0.05


def _fuller(
    relation: Relation,
    coverage: float,
    back: float,
    document: DocumentFacts | None,
    holder: DocumentFacts | None,
) -> bool:
    """Whether ``document`` (a share ``coverage`` of it in ``holder``) is the fuller version of
    a near duplicate that it holds whole (``back``) and is no noisier a page than: a story's
    update with a paragraph added. Dropping it for the earlier version lost the paragraph;
    the holder is dropped for it instead. A copy whose page noise was found keeps the clean
    text it copies first, as before; one whose noise was not found at all still counts as the
    fuller (nothing tells its residue from an added paragraph). Of two exact copies (one
    clean text), or of two near duplicates that each hold the other whole, the page with
    clearly less noise found is the one to keep, whatever the dates: a page that carries a
    share bar and a copyright line more than the other does not hold it (see also
    ``_headline_added``)."""
    if document is None or holder is None:
        return False
    if relation == Relation.EXACT or (
        # one text bar its line breaks ("near" only because a page set each sentence on a
        # line of its own): as exact copies, the cleaner page is kept (an earlier page with a
        # cookie notice was kept and its clean copy dropped)
        relation == Relation.NEAR_DUPLICATE and min(coverage, back) >= _WHOLE
    ):
        return _noise_share(document) + _NOISE_MARGIN < _noise_share(holder)
    if relation != Relation.NEAR_DUPLICATE:
        return False
    if back < _WHOLE or coverage >= _WHOLE:
        return False
    return _noise_share(document) <= _noise_share(holder) + _NOISE_MARGIN


# characters a headline line may carry beyond its title (line breaks, spaces around it), and
# those a text may hold outside the passages it shares besides (a final line break)
_HEADLINE_SLACK = 4


def _headline_added(
    match: Match, document: DocumentFacts | None, holder: DocumentFacts | None, first: bool
) -> bool:
    """Whether all that ``document`` (``first``: the match's ``a``) holds beyond the passages
    it shares with ``holder`` is a first line as long as either's title: the headline a page
    or a text file repeats in its body, where a record carries it apart in its ``title``. No
    paragraph added, so not the fuller version (``_fuller``): such a repost was kept over
    the earlier original."""
    if document is None or holder is None:
        return False
    spans = sorted(
        (passage.a_start, passage.a_end) if first else (passage.b_start, passage.b_end)
        for passage in match.passages
    )
    titles = [len(title.strip()) for title in (document.title, holder.title) if title]
    if not spans or not titles:
        return False
    lead, covered_to, outside = spans[0][0], spans[0][0], 0
    for start, end in spans:
        outside += max(0, start - covered_to)
        covered_to = max(covered_to, end)
    outside += max(0, document.chars - covered_to)  # the gaps between passages, the tail
    if outside > _HEADLINE_SLACK + document.chars // 100:
        return False
    return any(0 <= lead - title <= _HEADLINE_SLACK for title in titles)


def _noise_share(facts: DocumentFacts) -> float:
    return 1.0 - facts.clean_chars / facts.chars if facts.chars else 0.0


def dedup_choice(
    ids: Iterable[str],
    matches: Iterable[Match],
    facts: Mapping[str, DocumentFacts],
    floors: DropFloors | None = None,
) -> list[Dropped]:
    """The documents of ``ids`` that ``dedup`` drops, each with the kept document that holds
    its text: never a document held only through a chain of others.

    A document holds another when the two are exact or near duplicates (either holds the
    other) or when it contains the other (only the container holds). Documents are taken in
    order, those no other document holds first (they must be kept, and a container kept
    early holds what it contains), then by the representative's rank; one that no document
    kept so far holds is kept, and holds what it can from then on. Greedy, so the kept set
    may be larger than the smallest possible one, but every dropped document names a kept
    one that holds it directly. A near duplicate that holds the other whole and is no
    noisier a page is the fuller version: the other does not hold it (``_fuller``). Then a
    document kept that one kept later holds is dropped for it (the last kept first), where
    each one dropped for it is held by another document kept, which it is then listed with.
    Deterministic: the order depends on ids, dates and lengths only, never on the order of
    ``matches``.
    """
    holds: dict[str, list[tuple[str, Relation, float]]] = {}  # holder -> what it holds
    held: set[str] = set()
    backs: dict[tuple[str, str], float] = {}  # (holder, held): the holder's share in it
    headline_only: set[tuple[str, str]] = set()  # (holder, held): held adds its headline alone

    def add(holder: str, document: str, relation: Relation, coverage: float, back: float) -> None:
        holds.setdefault(holder, []).append((document, relation, coverage))
        held.add(document)
        backs[holder, document] = back

    floors = floors or DropFloors()
    matches = list(matches)
    for match in matches:
        for holder, document in holdings(match):
            coverage, back = match.containment_a, match.containment_b
            if document != match.a:
                coverage, back = back, coverage
            document_facts, holder_facts = facts.get(document), facts.get(holder)
            fuller = _fuller(match.relation, coverage, back, document_facts, holder_facts)
            if fuller and _headline_added(match, document_facts, holder_facts, document == match.a):
                fuller = False
                headline_only.add((holder, document))  # and so are its exact copies
            if floors.allow(match, coverage, back) and not fuller:
                add(holder, document, match.relation, coverage, back)
    # exact copies are one text: what holds one holds each (a big group's copies are matched
    # with its representative alone, so a container kept held the representative but none
    # of its 117 copies, which were all written)
    identical = _UnionFind()
    for match in matches:
        if match.relation == Relation.EXACT:
            identical.union(match.a, match.b)
    alike: dict[str, list[str]] = {}
    for doc_id in sorted(identical.parent):
        alike.setdefault(identical.find(doc_id), []).append(doc_id)

    def held_by_keeping(doc_id: str) -> list[tuple[str, Relation, float]]:
        """What ``doc_id`` holds, each exact copy of it or of what it holds included."""
        found = sorted(holds.get(doc_id, ()))
        classes = (
            {identical.find(doc_id): (Relation.EXACT, 1.0, 1.0, False)}
            if doc_id in identical.parent
            else {}
        )
        for document, relation, coverage in found:
            if document in identical.parent:
                back, headline = backs[doc_id, document], (doc_id, document) in headline_only
                classes.setdefault(identical.find(document), (relation, coverage, back, headline))
        found += [
            (other, relation, coverage)
            for root, (relation, coverage, back, headline) in classes.items()
            for other in alike[root]
            # a copy of the same text on a cleaner page may be the fuller version
            if headline
            or not _fuller(relation, coverage, back, facts.get(other), facts.get(doc_id))
        ]
        return [item for item in found if item[0] != doc_id]

    # ranked as a group's representative is, within each set of documents that hold one
    # another (publication compared at the precision all of them state); a document that
    # holds none and none holds is kept whatever its rank, and needs none
    union_find = _UnionFind()
    for holder, found in holds.items():
        for document, _, _ in found:
            union_find.union(holder, document)
    components: dict[str, list[str]] = {}
    for doc_id in ids:
        if doc_id in facts and doc_id in union_find.parent:
            components.setdefault(union_find.find(doc_id), []).append(doc_id)
    ranks: dict[str, Rank] = {}
    for members in components.values():
        ranks.update(_ranks(members, facts))

    kept: dict[str, list[tuple[str, Relation, float]]] = {}  # in the order kept: what each holds
    dropped: dict[str, Dropped] = {}
    for doc_id in sorted(ranks, key=lambda doc_id: (doc_id in held, ranks[doc_id])):
        if doc_id in dropped:
            continue
        kept[doc_id] = holding = held_by_keeping(doc_id)
        for document, relation, coverage in holding:
            if document not in dropped and document not in kept and document in facts:
                dropped[document] = Dropped(document, doc_id, relation, coverage)
    # a document kept early that one kept later holds goes too (a cut first version kept
    # beside the full story, which its later copy held), where what was dropped for it is
    # held by another document kept (a first version beside its fuller update, which holds
    # the update's copy the first version was kept to hold)
    held_by: dict[str, list[tuple[str, Relation, float]]] = {}
    for holder, holding in kept.items():
        for document, relation, coverage in holding:
            held_by.setdefault(document, []).append((holder, relation, coverage))

    def other_holder(document: str, not_this: str) -> tuple[str, Relation, float] | None:
        others = [
            found
            for found in held_by.get(document, ())
            if found[0] != not_this and found[0] in kept and found[0] not in dropped
        ]
        return min(others, key=lambda found: ranks[found[0]]) if others else None

    standing_for: dict[str, list[str]] = {}  # each kept document: those dropped for it
    for item in dropped.values():
        standing_for.setdefault(item.kept, []).append(item.id)
    for doc_id in reversed(kept):
        holds_it = other_holder(doc_id, doc_id)
        if holds_it is None:
            continue
        moved = {
            document: other_holder(document, doc_id) for document in standing_for.get(doc_id, ())
        }
        if any(other is None for other in moved.values()):
            continue  # it alone holds one it stands for: kept
        for document, other in moved.items():
            assert other is not None
            dropped[document] = Dropped(document, *other)
            standing_for.setdefault(other[0], []).append(document)
        standing_for.pop(doc_id, None)
        dropped[doc_id] = Dropped(doc_id, *holds_it)
        standing_for.setdefault(holds_it[0], []).append(doc_id)
    return sorted(dropped.values(), key=lambda item: item.id)


def big_groups(groups: Iterable[DuplicateGroup], limit: int) -> list[DuplicateGroup]:
    """The groups of more than ``limit`` members (none when ``limit`` is 0)."""
    return [group for group in groups if limit and len(group.members) > limit]


def star_pairs(big: Iterable[DuplicateGroup], matches: Iterable[Match]) -> list[tuple[str, str]]:
    """Each member of a big group with its representative, where that pair has no match yet:
    n - 1 comparisons a group, so that every copy has its edge to the representative."""
    big = list(big)
    if not big:
        return []
    representatives = {group.representative for group in big}
    matched = {
        (match.a, match.b) if match.a in representatives else (match.b, match.a)
        for match in matches
        if match.a in representatives or match.b in representatives
    }
    return [
        (group.representative, member)
        for group in big
        for member in group.members
        if member != group.representative and (group.representative, member) not in matched
    ]


def provenance_trees(
    matches: Iterable[Match], big: Iterable[DuplicateGroup]
) -> tuple[list[Match], int]:
    """``matches`` with a big group's inner pairs cut down to a tree and a star: each member
    keeps its edge to the representative and its edge to its likely source (of its matches
    inside the group that name a source for it, the one of highest confidence); the other
    pairs inside the group are left out (their number is returned). Matches that leave the
    group are kept. The kept edges say so in their reasons."""
    group_of: dict[str, DuplicateGroup] = {}
    for group in big:
        for member in group.members:
            group_of[member] = group
    inner: dict[int, list[Match]] = {}
    kept: list[Match] = []
    for match in matches:
        home = group_of.get(match.a)
        if home is not None and home is group_of.get(match.b):
            inner.setdefault(home.group, []).append(match)
        else:
            kept.append(match)
    left_out = 0
    for number, found in inner.items():
        group = group_of[found[0].a]
        best: dict[str, Match] = {}  # copy -> its likeliest source's match
        for match in found:
            if match.source is None:
                continue
            copy = match.b if match.source == match.a else match.a
            current = best.get(copy)
            if current is None or _stronger(match, current):
                best[copy] = match
        chosen = {id(match) for match in best.values()}
        size = len(group.members)
        for match in found:
            reasons = list(match.provenance_reasons)
            if id(match) in chosen:
                copy = match.b if match.source == match.a else match.a
                reasons.append(
                    f"{match.source} is the likeliest source of {copy} among its matches in "
                    f"duplicate group {number} ({size} copies)"
                )
            if group.representative in (match.a, match.b):
                reasons.append(
                    f"{group.representative} represents duplicate group {number}: each of its "
                    f"{size} copies is listed with the representative and its likely source"
                )
            elif id(match) not in chosen:
                left_out += 1
                continue
            kept.append(replace(match, provenance_reasons=tuple(reasons)))
    kept.sort(key=lambda match: (match.a, match.b))
    return kept, left_out


def _stronger(match: Match, other: Match) -> bool:
    """Higher provenance confidence, then the source that sorts first (a stable choice)."""
    return ((match.provenance_confidence or 0.0), other.source or "") > (
        (other.provenance_confidence or 0.0),
        match.source or "",
    )
