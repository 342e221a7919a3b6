"""Duplicate groups equal networkx connected components; representatives follow the rule."""

from __future__ import annotations

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from wiretrace.group import DocumentFacts, duplicate_groups
from wiretrace.group.duplicates import dedup_choice
from wiretrace.records import Match, Relation

relations = st.sampled_from(list(Relation))
edges = st.lists(
    st.tuples(st.integers(0, 30), st.integers(0, 30), relations).filter(
        lambda edge: edge[0] != edge[1]
    ),
    max_size=60,
)


def _match(first: int, second: int, relation: Relation) -> Match:
    a, b = sorted((f"d{first:02d}", f"d{second:02d}"))
    return Match(a, b, relation, 0.5, 0.5, 0.5, passages=())


@settings(max_examples=200, deadline=None)
@given(edges)
def test_groups_are_connected_components_of_copy_relations(
    edge_list: list[tuple[int, int, Relation]],
) -> None:
    matches = [_match(*edge) for edge in edge_list]
    facts = {f"d{index:02d}": DocumentFacts(None, 100) for index in range(31)}
    graph = nx.Graph()
    graph.add_edges_from((match.a, match.b) for match in matches if match.relation.is_copy)
    expected = sorted(sorted(component) for component in nx.connected_components(graph))
    got = sorted(sorted(group.members) for group in duplicate_groups(matches, facts))
    assert got == expected


def test_representative_is_earliest_then_longest_then_smallest_id() -> None:
    matches = [
        _match(1, 2, Relation.NEAR_DUPLICATE),
        _match(2, 3, Relation.CONTAINED),
        _match(4, 5, Relation.EXACT),
        _match(6, 7, Relation.EXACT),
        _match(8, 9, Relation.PARTIAL),
    ]
    facts = {
        "d01": DocumentFacts("2021-08-12", 900),
        "d02": DocumentFacts("2021-08-11T10:00:00+02:00", 100),
        "d03": DocumentFacts(None, 5000),
        "d04": DocumentFacts(None, 100),
        "d05": DocumentFacts(None, 200),
        "d06": DocumentFacts(None, 300),
        "d07": DocumentFacts(None, 300),
        "d08": DocumentFacts(None, 1),
        "d09": DocumentFacts(None, 1),
    }
    groups = {group.members: group.representative for group in duplicate_groups(matches, facts)}
    # d03 states no date: it may be as early as d02, and is longer
    assert groups == {("d01", "d02", "d03"): "d03", ("d04", "d05"): "d05", ("d06", "d07"): "d06"}
    facts["d03"] = DocumentFacts("2021-08-13", 5000)
    groups = {group.members: group.representative for group in duplicate_groups(matches, facts)}
    assert groups[("d01", "d02", "d03")] == "d02"


def test_an_undated_wire_story_is_not_later_than_its_dated_republication() -> None:
    # a folder of .txt files: the republication's byline gave it a date, the wire story has
    # none; dedup kept the page with its menu and footer and dropped the wire as its copy
    matches = [_match(1, 2, Relation.EXACT)]
    facts = {
        "d01": DocumentFacts(None, 2000, 2000),  # the wire: all of it the article
        "d02": DocumentFacts("2026-03-11", 2000, 2600),  # the page: 600 characters of chrome
    }
    [group] = duplicate_groups(matches, facts)
    assert group.representative == "d01"


def test_a_member_dated_by_its_day_alone_is_not_earlier_than_one_timed_that_day() -> None:
    """A new user's HTML pages: the agency's own page states 09:30, a republication only its
    day (from its URL); the republication, with a newsletter box more around the same text,
    was the representative and what ``dedup`` kept. Compared by day, the page with less
    around the text comes first; between two timed members the time still counts for the
    representative, while ``dedup`` keeps the page with clearly less around the same text
    (another new user's training corpus kept an earlier page's share bar and copyright
    line)."""
    matches = [_match(1, 2, Relation.EXACT), _match(3, 4, Relation.EXACT)]
    facts = {
        "d01": DocumentFacts("2026-07-14T09:30:00-07:00", 1000, 1000),
        "d02": DocumentFacts("2026-07-14", 1000, 1300),
        "d03": DocumentFacts("2026-07-14T18:00:00-07:00", 1000, 1000),
        "d04": DocumentFacts("2026-07-14T09:30:00-07:00", 1000, 1300),
    }
    groups = {group.members: group.representative for group in duplicate_groups(matches, facts)}
    assert groups == {("d01", "d02"): "d01", ("d03", "d04"): "d04"}
    dropped = {item.id: item.kept for item in dedup_choice(list(facts), matches, facts)}
    assert dropped == {"d02": "d01", "d04": "d03"}
