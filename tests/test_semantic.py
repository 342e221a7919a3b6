"""The semantic stage: sentences, nearest neighbours, paraphrase alignment, relations."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wiretrace import Match, Relation, ScanConfig, ScanResult, scan
from wiretrace.candidates.neighbours import (
    day_numbers,
    neighbour_pairs,
    neighbours_wanted,
    similar_pairs,
    wider_pairs,
    within_window,
)
from wiretrace.clean.boilerplate import find_boilerplate

# skips without the extra, fails under CI (tests/conftest.py)
needs_model = pytest.mark.usefixtures("semantic_extra")


def _brute_force(vectors: np.ndarray, k: int, floor: float) -> set[tuple[int, int]]:
    similarity = vectors @ vectors.T
    np.fill_diagonal(similarity, -np.inf)
    found = set()
    for row in range(len(vectors)):
        for column in np.argsort(-similarity[row], kind="stable")[:k]:
            if similarity[row, column] >= floor:
                found.add((min(row, int(column)), max(row, int(column))))
    return found


@settings(max_examples=30, deadline=None)
@given(st.integers(2, 40), st.integers(1, 5), st.integers(0, 10_000))
def test_neighbour_pairs_agree_with_brute_force(count: int, k: int, seed: int) -> None:
    vectors = np.random.default_rng(seed).normal(size=(count, 8)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    found = {tuple(pair) for pair in neighbour_pairs(vectors, k, 0.2).tolist()}
    assert found == _brute_force(vectors, k, 0.2)


def test_a_long_document_proposes_more_neighbours() -> None:
    # one more set of neighbours for every 50 sentences, four sets at most
    sentences = np.array([0, 12, 50, 85, 149, 150, 900])
    assert neighbours_wanted(sentences, 10).tolist() == [10, 10, 10, 17, 29, 30, 40]


@settings(max_examples=20, deadline=None)
@given(st.integers(3, 40), st.integers(1, 4), st.integers(0, 10_000))
def test_the_wider_pairs_hold_the_nearest_and_each_row_s_own_count(
    count: int, k: int, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    vectors = rng.normal(size=(count, 8)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    wanted = np.full(count, k, dtype=np.int64)
    wanted[rng.integers(0, count)] = 3 * k  # one long document
    pairs, similarities, closest = wider_pairs(vectors, k, wanted)
    found = {tuple(pair) for pair in pairs.tolist()}
    assert found == _brute_force(vectors, k, -2.0) | _brute_force_rows(vectors, wanted)
    # the nearest of each, as ``similar_pairs`` gives them, whatever the others want
    nearest, nearest_similarities = similar_pairs(vectors, k)
    assert pairs[closest].tolist() == nearest.tolist()
    assert similarities[closest].tolist() == nearest_similarities.tolist()


def _brute_force_rows(vectors: np.ndarray, wanted: np.ndarray) -> set[tuple[int, int]]:
    similarity = vectors @ vectors.T
    np.fill_diagonal(similarity, -np.inf)
    found = set()
    for row, keep in enumerate(wanted.tolist()):
        for column in np.argsort(-similarity[row], kind="stable")[: min(keep, len(vectors) - 1)]:
            found.add((min(row, int(column)), max(row, int(column))))
    return found


def test_window_keeps_close_or_undated_pairs() -> None:
    days = day_numbers(["2021-08-10", "2021-08-12", "2021-09-30", None])
    pairs = np.array(list(itertools.combinations(range(4), 2)), dtype=np.int64)
    kept = {tuple(pair) for pair in within_window(pairs, days, 3).tolist()}
    assert kept == {(0, 1), (0, 3), (1, 3), (2, 3)}
    assert len(within_window(pairs, days, None)) == 6


@needs_model
def test_sentences_keep_offsets_and_skip_boilerplate() -> None:
    from wiretrace.semantic import sentence_spans

    text = (
        "Mr. Smith met officials in the U.S. on Jan. 5 to discuss the plan.\n"
        "Share this article\n"
        '"We will go ahead," he said. Talks resume on Monday in Geneva.'
    )
    spans = sentence_spans(text, find_boilerplate(text))
    assert [text[start:end] for start, end in spans] == [
        "Mr. Smith met officials in the U.S. on Jan. 5 to discuss the plan.",
        '"We will go ahead," he said.',
        "Talks resume on Monday in Geneva.",
    ]


def test_a_clock_time_ends_a_sentence_unless_a_day_month_or_zone_follows(
    semantic_extra: None,
) -> None:
    # blingfire goes on past "a.m." before a word it does not know as a sentence's first
    from wiretrace.semantic import sentence_spans

    text = (
        "The fire was under control after 9 a.m. Nobody was hurt. "
        "Crews left at 5 p.m. Officials said the road would reopen at 6 a.m. Tuesday. "
        "Flights resume at 10 p.m. Eastern time and at 7 a.m. GMT on Friday."
    )
    assert [text[start:end] for start, end in sentence_spans(text)] == [
        "The fire was under control after 9 a.m.",
        "Nobody was hurt.",
        "Crews left at 5 p.m.",
        "Officials said the road would reopen at 6 a.m. Tuesday.",
        "Flights resume at 10 p.m. Eastern time and at 7 a.m. GMT on Friday.",
    ]


def test_an_ordinal_number_does_not_end_a_sentence(semantic_extra: None) -> None:
    # German writes "am 12. Dezember", "im 10. Arrondissement": the breaker ended sentences
    # there, and a translation's halves stayed unpaired
    from wiretrace.semantic import sentence_spans

    text = (
        "Der Minister sprach im 10. Pariser Arrondissement mit den Gewerkschaften. Sie wollen "
        "am für den 12. Dezember geplanten Aktionstag festhalten. Die Zahl stieg auf 10. "
        "Danach kam niemand mehr zurück. The count rose to 10. The police said so."
    )
    assert [text[start:end] for start, end in sentence_spans(text)] == [
        "Der Minister sprach im 10. Pariser Arrondissement mit den Gewerkschaften.",
        "Sie wollen am für den 12. Dezember geplanten Aktionstag festhalten.",
        "Die Zahl stieg auf 10.",
        "Danach kam niemand mehr zurück.",
        "The count rose to 10.",
        "The police said so.",
    ]


@pytest.fixture(scope="module")
def seeds_result(seeds: Path, semantic_extra: None) -> ScanResult:
    return scan([seeds])


def _pairs(result: ScanResult) -> dict[frozenset[str], Match]:
    return {frozenset((match.a[:3], match.b[:3])): match for match in result.matches}


@needs_model
def test_seed_relations_found_with_the_semantic_stage(seeds_result: ScanResult) -> None:
    pairs = _pairs(seeds_result)
    relation = {pair: match.relation for pair, match in pairs.items()}
    assert relation[frozenset(("000", "001"))] == Relation.NEAR_DUPLICATE
    assert relation[frozenset(("000", "003"))] == Relation.PARTIAL
    assert relation[frozenset(("001", "003"))] == Relation.PARTIAL
    assert relation[frozenset(("002", "003"))] in {Relation.SAME_STORY, Relation.PARAPHRASE}
    assert seeds_result.summary["not_searched"] == {}


@needs_model
@pytest.mark.parametrize("wire", ["000", "001"])
def test_rewritten_sentences_of_the_content_farm_are_aligned(
    seeds_result: ScanResult, seeds: Path, wire: str
) -> None:
    match = _pairs(seeds_result)[frozenset((wire, "002"))]
    texts = {path.name[:3]: path.read_text("utf-8") for path in seeds.glob("*.txt")}
    a_text, b_text = texts[match.a[:3]], texts[match.b[:3]]
    rewritten = [
        (a_text[p.a_start : p.a_end], b_text[p.b_start : p.b_end])
        for p in match.passages
        if p.kind == "paraphrase"
    ]
    wire_side = 0 if match.a.startswith(wire) else 1
    for wire_words, farm_words in [
        ("Pashto-speaking provinces from where", "Pashto-speaking provinces whence"),
        ("ouster 20 years ago", "20 years after being ousted"),
    ]:
        assert any(
            wire_words in pair[wire_side] and farm_words in pair[1 - wire_side]
            for pair in rewritten
        ), (wire_words, rewritten)


@needs_model
@pytest.mark.parametrize("wire", ["000", "001"])
def test_content_farm_rewrite_is_a_paraphrase(seeds_result: ScanResult, wire: str) -> None:
    match = _pairs(seeds_result)[frozenset((wire, "002"))]
    assert match.relation == Relation.PARAPHRASE


def test_the_exact_model_without_its_extra_says_what_it_did_not_look_for(
    seeds: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import wiretrace.stages.semantic

    def available(model: str = "fast") -> bool:
        return model == "fast"  # the fast model ships; the exact one's extra is missing

    monkeypatch.setattr(wiretrace.stages.semantic, "semantic_available", available)
    assert not scan([seeds]).summary["not_searched"]  # the default scan looks for everything
    result = scan([seeds], ScanConfig(semantic_model="exact"))
    assert set(result.summary["not_searched"]) == {"paraphrase", "translation", "same_story"}
    assert "pip install 'wiretrace[exact]'" in result.summary["not_searched"]["paraphrase"]
    # the copies, and verbatim stretches as shared passages (the passage candidates propose
    # them: the documents are far apart as wholes): the rewrite's Kandahar sentence, and the
    # follow-up's caption that repeats the republication's "provincial capitals" sentence
    found = {frozenset((m.a[:3], m.b[:3])): m.relation for m in result.matches}
    assert found == {
        frozenset(("000", "001")): Relation.NEAR_DUPLICATE,
        frozenset(("000", "002")): Relation.PARTIAL,
        frozenset(("001", "003")): Relation.PARTIAL,
    }
    off = scan([seeds], ScanConfig(semantic=False))
    assert "--no-semantic" in off.summary["not_searched"]["same_story"]


def test_the_task_encoder_hands_out_batches_and_keeps_their_order() -> None:
    from wiretrace.semantic.model import TaskEncoder

    handed: list[list[str]] = []

    def map_tasks(function: object, tasks: list[list[str]]) -> Iterator[np.ndarray]:
        for task in tasks:  # as a backend would: one result per task, in order
            handed.append(task)
            yield np.array([[float(sentence)] * 384 for sentence in task], dtype=np.float32)

    encoder = TaskEncoder(map_tasks, parallelism=3)
    sentences = [str(number) for number in range(150)]
    vectors = encoder.encode(sentences)
    assert [len(task) for task in handed] == [64, 64, 22]
    assert vectors[:, 0].tolist() == list(range(150))
    assert encoder.encode([]).shape == (0, 384)
    assert encoder.sentences_per_call == 64 * 2 * 3  # two tasks for each of 3 cores


@needs_model
def test_two_cuts_of_one_story_share_a_passage_not_a_rewrite(
    seeds: Path, tmp_path: Path, semantic_extra: None
) -> None:
    # one site kept the story's opening, cut mid-word; another its middle, after a teaser:
    # their common stretch is verbatim, and the sentences cut at either edge are copies of
    # their whole, not rewrites of it
    story = next(seeds.glob("000_*.txt")).read_text("utf-8")
    body = " ".join(story.split())
    opening = body[: int(len(body) * 0.45)]
    middle = "Shared widely: " + body[int(len(body) * 0.2) : int(len(body) * 0.75)]
    records = [{"id": "opening", "text": opening}, {"id": "middle", "text": middle}]
    path = tmp_path / "cuts.jsonl"
    path.write_text("".join(json.dumps(record) + "\n" for record in records), "utf-8")
    (match,) = scan([path]).matches
    assert match.relation == Relation.PARTIAL
