"""Duplicate groups: connected components of exact / near_duplicate / contained matches.

The representative (the member ``dedup`` keeps) is the earliest published member; among
members with no date or the same date, the one with the longest clean text; then the smallest
id. Earliest first because a copy rarely precedes its source; longest next because a
truncated copy loses text its source still has.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from wiretrace.records import DuplicateGroup, Match


@dataclass(frozen=True, slots=True)
class DocumentFacts:
    """What choosing a representative needs to know of a document."""

    published: str | None
    clean_chars: int


def published_key(published: str | None) -> dt.datetime | None:
    """A comparable instant for an ISO date or date-time (naive values are taken as UTC)."""
    if not published:
        return None
    try:
        value = dt.datetime.fromisoformat(published)
    except ValueError:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value


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

    def rank(doc_id: str) -> tuple[dt.datetime, int, str]:
        fact = facts[doc_id]
        return (published_key(fact.published) or _FAR_FUTURE, -fact.clean_chars, doc_id)

    return min(members, key=rank)


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
