"""The reference case: the seed articles shipped in examples/seeds (see EXPECTED.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from wiretrace import Relation, ScanResult, scan

COPY_RELATIONS = {Relation.EXACT, Relation.NEAR_DUPLICATE, Relation.CONTAINED}


@pytest.fixture(scope="module")
def result(seeds: Path) -> ScanResult:
    return scan([seeds])


def _short(doc_id: str) -> str:
    return doc_id[:3]


def test_wire_story_and_republication_are_near_duplicates(result: ScanResult, seeds: Path) -> None:
    pairs = {frozenset((_short(m.a), _short(m.b))): m for m in result.matches}
    match = pairs[frozenset(("000", "001"))]
    assert match.relation == Relation.NEAR_DUPLICATE
    assert match.jaccard == pytest.approx(0.66, abs=0.01)
    texts = {_short(path.stem): path.read_text("utf-8") for path in seeds.glob("*.txt")}
    for side, text in (("a", texts[_short(match.a)]), ("b", texts[_short(match.b)])):
        covered = set()
        for passage in match.passages:
            start = getattr(passage, f"{side}_start")
            end = getattr(passage, f"{side}_end")
            covered.update(range(start, end))
        letters = [index for index, char in enumerate(text) if char.isalnum()]
        share = sum(index in covered for index in letters) / len(letters)
        assert share > 0.75, (side, share)


def test_no_other_pair_is_a_copy(result: ScanResult) -> None:
    for match in result.matches:
        if {_short(match.a), _short(match.b)} != {"000", "001"}:
            assert match.relation not in COPY_RELATIONS, match


def test_only_group_is_the_wire_story_and_its_copy(result: ScanResult) -> None:
    assert [tuple(map(_short, group.members)) for group in result.groups] == [("000", "001")]


def test_seeds_in_shared_agree_with_the_shipped_copy(shared_data: Path, seeds: Path) -> None:
    shipped = sorted(path.name for path in seeds.glob("*.txt"))
    assert shipped == sorted(path.name for path in (shared_data / "seeds").glob("*.txt"))
