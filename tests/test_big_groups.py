"""A story copied verbatim by many sites: compared as a star, one group, linear matches."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from tests.corpus import random_text
from wiretrace import Relation, ScanConfig, scan
from wiretrace.candidates.exact import exact_groups


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
    tmp_path: Path,
) -> None:
    result = scan(_corpus(tmp_path / "c.jsonl", 2_000), ScanConfig(semantic=False))
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
    tmp_path: Path,
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
    result = scan(path, ScanConfig(semantic=False))
    (group,) = result.groups
    assert len(group.members) == 2_000  # every copy in the story's group
    compared = result.summary["counts"]["candidate_pairs"]
    assert compared < 20 * 2_000, compared  # every pair would be ~2 million
    assert len(result.matches) <= compared
