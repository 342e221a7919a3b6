"""A story copied verbatim by many sites: compared as a star, one group, linear matches."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.corpus import random_text
from wiretrace import Relation, ScanConfig, scan
from wiretrace.candidates.exact import exact_groups
from wiretrace.records import Match


def _corpus(path: Path, copies: int, others: int = 30) -> Path:
    generator = random.Random(11)
    story = random_text(generator, 300)
    records = [
        # one site's copy is published first: it is the representative and the likely source
        {"id": f"c{i:04d}", "text": story, "published": "2024-03-02" if i else "2024-03-01"}
        for i in range(copies)
    ]
    records += [{"id": f"o{i:03d}", "text": random_text(generator, 300)} for i in range(others)]
    lifted = " ".join(story.split()[100:160])
    records.append({"id": "host", "text": f"{random_text(generator, 900)} {lifted}."})
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    return path


def test_two_thousand_copies_give_one_group_and_a_linear_number_of_matches(
    tmp_path: Path, on_backend: Callable[[], Any]
) -> None:
    corpus = _corpus(tmp_path / "c.jsonl", 2_000)
    result = scan(corpus, ScanConfig(semantic=False), backend=on_backend())  # on every backend
    copies = [m for m in result.matches if m.relation == Relation.EXACT]
    assert len(copies) == 1_999
    assert all("c0000" in (m.a, m.b) for m in copies)  # each member's edge to the representative
    assert all(m.source == "c0000" for m in copies)
    (group,) = result.groups
    assert group.representative == "c0000" and len(group.members) == 2_000
    # the passage lifted from the story is found once, against the representative
    lifted = [m for m in result.matches if "host" in (m.a, m.b)]
    assert [(m.a, m.b, m.relation) for m in lifted] == [("c0000", "host", Relation.PARTIAL)]
    assert result.summary["counts"]["exact_copies_as_stars"] == 1_999
    assert result.summary["counts"]["candidate_pairs"] < 2_100


@pytest.mark.parametrize(("limit", "expected"), [(10, 39), (0, 40 * 39 // 2)])
def test_every_pair_of_a_group_comes_back_when_asked(
    tmp_path: Path, limit: int, expected: int
) -> None:
    config = ScanConfig(semantic=False, big_group_size=limit)
    result = scan(_corpus(tmp_path / "c.jsonl", 40), config)
    assert sum(1 for m in result.matches if m.relation == Relation.EXACT) == expected
    assert [len(group.members) for group in result.groups] == [40]


def test_exact_groups_need_the_same_text_and_length() -> None:
    import numpy as np

    hashes = np.array([5, 5, 5, 7, 5, 7], dtype=np.uint64)
    lengths = np.array([10, 10, 11, 3, 10, 3], dtype=np.int64)
    assert [group.tolist() for group in exact_groups(hashes, lengths, 1)] == [[0, 1, 4], [3, 5]]
    assert [group.tolist() for group in exact_groups(hashes, lengths, 2)] == [[0, 1, 4]]


def test_two_thousand_edited_and_truncated_copies_cost_a_linear_number_of_comparisons(
    tmp_path: Path, on_backend: Callable[[], Any]
) -> None:
    from tests.corpus import edit, truncate

    generator = random.Random(13)
    story = random_text(generator, 400)
    records = [{"id": "s0000", "text": story}]
    for i in range(1, 2_000):
        roll = i % 3
        text = edit(generator, story, 0.03) if roll else truncate(story, 0.7)
        records.append({"id": f"s{i:04d}", "text": text})
    records += [{"id": f"o{i:03d}", "text": random_text(generator, 400)} for i in range(50)]
    path = tmp_path / "c.jsonl"
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    result = scan(path, ScanConfig(semantic=False), backend=on_backend())  # on every backend
    (group,) = result.groups
    assert len(group.members) == 2_000  # every copy in the story's group
    compared = result.summary["counts"]["candidate_pairs"]
    assert compared < 20 * 2_000, compared  # every pair would be ~2 million
    assert len(result.matches) <= compared


def test_a_big_group_of_edited_copies_lists_a_star_and_a_provenance_tree(tmp_path: Path) -> None:
    from tests.corpus import edit

    generator = random.Random(17)
    story = random_text(generator, 400)
    records = [{"id": "s000", "text": story, "published": "2024-03-01"}]
    for i in range(1, 300):  # edited copies, published after the story
        records.append(
            {"id": f"s{i:03d}", "text": edit(generator, story, 0.03), "published": "2024-03-02"}
        )
    path = tmp_path / "c.jsonl"
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    limited = scan(path, ScanConfig(semantic=False, big_group_size=50))
    (group,) = limited.groups
    assert group.representative == "s000" and len(group.members) == 300
    inner = [m for m in limited.matches if m.relation.is_copy]
    with_representative = {m.b for m in inner if m.a == "s000"}
    assert with_representative == set(group.members) - {"s000"}  # the star
    assert len(inner) <= 2 * 299  # the star and at most one source edge per copy
    for match in inner:
        if "s000" not in (match.a, match.b):  # a tree edge: the copy's likeliest source
            assert match.source is not None
            assert any("likeliest source" in reason for reason in match.provenance_reasons)
    star = [m for m in inner if m.a == "s000"]
    assert all(any("represents duplicate group" in r for r in m.provenance_reasons) for m in star)
    assert all(m.source == "s000" for m in star)  # published first: every copy's source
    # the story was published first: it is every copy's likeliest source, so the tree is the star
    assert len(inner) == 299
    assert limited.summary["counts"]["big_group_pairs_not_listed"] > 0
    every = scan(path, ScanConfig(semantic=False, big_group_size=0))  # every pair, as asked
    assert [len(g.members) for g in every.groups] == [300]
    assert sum(m.relation.is_copy for m in every.matches) == 300 * 299 // 2
    assert every.summary["counts"]["big_group_pairs_not_listed"] == 0


def _copy(a: str, b: str, source: str | None, confidence: float) -> Match:
    return Match(
        a, b, Relation.NEAR_DUPLICATE, 0.9, 0.9, 0.9, (), source=source,
        provenance_confidence=confidence if source else None,
    )  # fmt: skip


def test_the_tree_keeps_each_copys_likeliest_source_and_the_star() -> None:
    from wiretrace.group.duplicates import provenance_trees, star_pairs
    from wiretrace.records import DuplicateGroup

    group = DuplicateGroup(1, "a", ("a", "b", "c", "d"))
    other = _copy("d", "x", "d", 0.7)  # leaves the group: kept
    matches = [
        _copy("a", "b", "a", 0.9),
        _copy("b", "c", "b", 0.95),
        _copy("b", "d", "b", 0.6),
        _copy("c", "d", "c", 0.9),
        other,
    ]
    assert star_pairs([group], matches) == [("a", "c"), ("a", "d")]
    matches += [_copy("a", "c", "a", 0.8), _copy("a", "d", "a", 0.7)]
    kept, left_out = provenance_trees(matches, [group])
    assert [(m.a, m.b) for m in kept] == [
        ("a", "b"),
        ("a", "c"),
        ("a", "d"),
        ("b", "c"),
        ("c", "d"),
        ("d", "x"),
    ]
    assert left_out == 1  # b~d: d came from c more likely, and b is not the representative
    reasons = {(m.a, m.b): m.provenance_reasons for m in kept}
    assert any("c is the likeliest source of d" in r for r in reasons[("c", "d")])
    assert any("b is the likeliest source of c" in r for r in reasons[("b", "c")])
    assert reasons[("d", "x")] == ()
