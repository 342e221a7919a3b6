"""Derivation evidence: the ordered chain of aligned sentences, coverage, facts and quotes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from wiretrace import ScanConfig, scan
from wiretrace.compare.derivation import (
    Cells,
    anchored,
    derivation,
    facts,
    facts_kept,
    in_stride,
    ordered_chain,
    passage_run,
)
from wiretrace.compare.paraphrase import SemanticDocument, decide, semantic_document, words_of
from wiretrace.errors import ConfigError
from wiretrace.records import Match, Passage, Relation

REWRITES = Path(__file__).resolve().parents[1] / "benchmarks" / "rewrites"


def _chain(cells: list[tuple[int, int, float]]) -> list[tuple[int, int]]:
    rows = np.array([row for row, _, _ in cells], dtype=np.intp)
    columns = np.array([column for _, column, _ in cells], dtype=np.intp)
    similarity = np.array([value for _, _, value in cells])
    return [
        (int(rows[cell]), int(columns[cell])) for cell in ordered_chain(rows, columns, similarity)
    ]


def test_the_chain_keeps_the_order_of_both_texts() -> None:
    # sentence 2's best partner (7) is out of order; its second best (2) is in order
    cells = [(0, 0, 0.9), (1, 1, 0.8), (2, 7, 0.95), (2, 2, 0.8), (3, 3, 0.9)]
    assert _chain(cells) == [(0, 0), (1, 1), (2, 2), (3, 3)]


def test_a_reordered_paragraph_is_left_out_of_the_chain() -> None:
    # the copy moved sentences 2-3 of the source to its end
    cells = [(0, 0, 0.9), (1, 1, 0.9), (2, 4, 0.9), (3, 5, 0.9), (4, 2, 0.9), (5, 3, 0.9)]
    assert _chain(cells) == [(0, 0), (1, 1), (2, 4), (3, 5)]


def test_a_split_sentence_shares_its_partner_and_dropped_ones_are_skipped() -> None:
    # sentences 1 and 2 of the copy are one sentence (1) of the source split in two; the
    # source's sentences 2-4 were dropped
    cells = [(0, 0, 0.9), (1, 1, 0.85), (2, 1, 0.8), (3, 5, 0.9), (4, 6, 0.9)]
    assert _chain(cells) == [(0, 0), (1, 1), (2, 1), (3, 5), (4, 6)]


def test_of_equally_long_chains_the_more_alike_then_the_earlier_wins() -> None:
    assert _chain([(0, 0, 0.8), (0, 1, 0.9), (1, 2, 0.8)]) == [(0, 1), (1, 2)]
    assert _chain([(0, 0, 0.8), (0, 1, 0.8), (1, 2, 0.8)]) == [(0, 0), (1, 2)]
    assert _chain([]) == []


def test_facts_are_numbers_and_names_inside_a_sentence() -> None:
    numbers, names = facts("Police said 43 residents of Carrow Lane left at 9.40pm on Sunday.")
    assert numbers == {"43", "9.40"}
    assert names == {"carrow", "lane", "sunday"}  # "Police" opens the sentence


@dataclass
class _Text:
    text: str
    sentences: list[tuple[int, int]]

    @property
    def chars(self) -> int:
        return sum(end - start for start, end in self.sentences)

    def facts(self, sentence: int) -> tuple[frozenset[str], frozenset[str]]:
        start, end = self.sentences[sentence]
        return facts(self.text[start:end])

    def words(self, sentence: int) -> frozenset[str]:
        start, end = self.sentences[sentence]
        return words_of(self.text[start:end])


def _cells(*cells: tuple[int, int, float]) -> Cells:
    return Cells(
        np.array([row for row, _, _ in cells], dtype=np.intp),
        np.array([column for _, column, _ in cells], dtype=np.intp),
        np.array([value for _, _, value in cells]),
    )


def test_shared_and_contradicted_facts_and_quotes_of_the_chained_pairs() -> None:
    small = 'Three people were killed in Dayton. "We will find who did this," the chief said.'
    other = (
        "In Dayton three were killed and 5 hurt. The chief said: we will find who did this. "
        "A vigil is planned."
    )
    found = derivation(
        _Text(small, [(0, 34), (35, len(small))]),
        _Text(other, [(0, 39), (40, 84), (85, len(other))]),
        _cells((0, 0, 0.9), (0, 2, 0.75), (1, 1, 0.8)),
    )
    assert found.chain == 2
    assert found.coverage == 1.0
    assert found.facts_shared == 1  # Dayton ("Three" opens its sentence, "three" is no digit)
    assert found.quotes == 1
    numbers = derivation(
        _Text("Police said 5 were killed in Dayton.", [(0, 36)]),
        _Text("Police said 3 were killed in Dayton.", [(0, 36)]),
        _cells((0, 0, 0.95)),
    )
    assert numbers.facts_contradicted == 1 and numbers.facts_shared == 1  # Dayton
    assert derivation(_Text("", []), _Text("", []), _cells()).chain == 0


def test_each_sentence_aligns_with_its_three_most_similar_at_most() -> None:
    # sentence 1's fourth most similar partner (3) would make the chain longer: left out
    text = _Text("a. b. c. d. e. f.", [(0, 2), (3, 5), (6, 8), (9, 11), (12, 14), (15, 17)])
    cells = _cells((0, 4, 0.9), (1, 0, 0.99), (1, 1, 0.98), (1, 2, 0.97), (1, 5, 0.8))
    assert derivation(text, text, cells).chain == 1


def test_a_chain_steps_in_stride_where_both_texts_move_on_by_one_or_two_sentences() -> None:
    # a rewrite: each sentence follows the next of its source, one dropped on each side
    assert in_stride(_cells((0, 0, 0.8), (1, 1, 0.7), (2, 2, 0.7), (4, 3, 0.7))) == 4
    # an independent report: many short sentences against one long one, then a leap
    assert in_stride(_cells((1, 1, 0.8), (2, 16, 0.7), (3, 16, 0.7), (4, 16, 0.7))) == 1
    assert in_stride(_cells((0, 0, 0.8), (1, 4, 0.7), (2, 8, 0.7), (3, 16, 0.7))) == 1
    assert in_stride(_cells()) == 0


def test_facts_kept_is_the_share_of_the_chained_pairs_facts_both_give() -> None:
    rewrite = _Text("Some 4,000 cross the Ferry Lane bridge daily.", [(0, 45)])
    source = _Text("About 4,000 people cross the Ferry Lane bridge each day.", [(0, 55)])
    report = _Text("On Tuesday 3,500 used the Ferry Lane crossing, Joan Hill said.", [(0, 62)])
    one = _cells((0, 0, 0.7))
    assert facts_kept(rewrite, source, one) == 1.0  # 4,000, ferry, lane
    # ferry and lane shared; 4,000, tuesday, 3,500, joan, hill not
    assert facts_kept(rewrite, report, one) == pytest.approx(2 / 7)
    assert facts_kept(_Text("no facts here.", [(0, 14)]), source, one) == 0.0


def test_a_pair_below_the_sentence_threshold_aligns_only_where_it_shares_a_fact() -> None:
    small = _Text("Some 4,000 cross daily. It will shut.", [(0, 23), (24, 37)])
    other = _Text("About 4,000 people cross each day. Works start soon.", [(0, 34), (35, 52)])
    cells = _cells((0, 0, 0.7), (1, 1, 0.7), (1, 0, 0.8))
    kept = anchored(small, other, cells, 0.75)
    assert list(zip(kept.rows.tolist(), kept.columns.tolist(), strict=True)) == [(0, 0), (1, 0)]


def _sentences(*sentences: str) -> _Text:
    text, spans = "", []
    for sentence in sentences:
        spans.append((len(text), len(text) + len(sentence)))
        text += sentence + " "
    return _Text(text, spans)


def _pairs(cells: Cells) -> list[tuple[int, int]]:
    return list(zip(cells.rows.tolist(), cells.columns.tolist(), strict=True))


def test_a_rewritten_passage_is_a_run_in_stride_that_keeps_the_source_s_words() -> None:
    # sentences 4-6 of the source said again as sentences 10-13 of a longer text (one
    # sentence inserted), each keeping most of its words
    said = "The council will close the Ferry Lane bridge for repairs in March."
    source = _sentences(
        *(f"Filler sentence number {n}." for n in range(4)),
        said,
        "Engineers found rust in the steel beams last winter.",
        "Walkers will use a ferry across the river until June.",
        *(f"Closing sentence number {n}." for n in range(3)),
    )
    other = _sentences(
        *(f"Other words entirely {n}." for n in range(10)),
        "In March the council shuts the Ferry Lane bridge for repairs.",
        "Rust was found by engineers in its steel beams last winter.",
        "Something else altogether happened.",
        "Until June walkers will take a ferry across the river.",
        "The end.",
    )
    cells = _cells((4, 10, 0.74), (4, 3, 0.9), (5, 11, 0.71), (6, 13, 0.8))
    assert _pairs(passage_run(source, other, cells, 0.7)) == [(4, 10), (5, 11), (6, 13)]
    # below the floor, or keeping too few words, a pair breaks the run
    assert _pairs(passage_run(source, other, cells, 0.72)) == [(6, 13)]
    unrelated = _cells((4, 12, 0.9))
    assert _pairs(passage_run(source, other, unrelated, 0.7)) == []


def test_pairs_in_both_openings_or_both_endings_make_no_passage_run() -> None:
    # every report of an event opens alike (headline, lead, the next detail) and every page
    # ends alike (an appeal, a credit, a copyright line)
    text = _sentences(
        "Fire destroys Banstead store.",
        "A Waitrose store burned on Sunday.",
        "Fifty firefighters fought the blaze.",
        "Police called the Banstead fire suspicious.",
        "Anyone with information should call police.",
        "Reporting by the Surrey news desk.",
        "Copyright Surrey News 2026.",
    )
    cells = _cells(*((row, row, 0.9) for row in range(7)))
    assert _pairs(passage_run(text, text, cells, 0.7)) == [(3, 3)]
    # a sentence of one text's opening against the other's middle counts
    later = _sentences(
        "Weather.", "Traffic.", *(text.text[start:end] for start, end in text.sentences)
    )
    moved = _cells((1, 3, 0.9), (2, 4, 0.9))
    assert _pairs(passage_run(text, later, moved, 0.7)) == [(1, 3), (2, 4)]


@pytest.mark.usefixtures("semantic_extra")
def test_a_paragraph_rewritten_inside_a_longer_article_is_a_paraphrase(tmp_path: Path) -> None:
    # a weekly digest retells four sentences of a wire story in its own words in the middle
    # of unrelated items: too little of either text for the chain, a run of its own
    texts = Path(__file__).parent / "texts"
    corpus = tmp_path / "news"
    corpus.mkdir()
    for name in ("bridge-wire", "bridge-digest"):
        (corpus / f"{name}.txt").write_text((texts / f"{name}.txt").read_text("utf-8"), "utf-8")
    (corpus / "rates.txt").write_text(
        "The Bank of England kept interest rates at 4.5 percent on Thursday. Economists had "
        "expected the decision. Lenders said fixed rates were likely to fall.\n",
        "utf-8",
    )
    found = {frozenset((m.a, m.b)): m for m in scan([corpus]).matches}
    match = found[frozenset(("bridge-digest", "bridge-wire"))]
    assert match.relation is Relation.PARAPHRASE
    digest = (corpus / "bridge-digest.txt").read_text("utf-8")
    start = digest.index("From March 3")
    end = digest.index("Elsewhere")
    rewritten = [p for p in match.passages if p.kind == "paraphrase"]
    assert len(rewritten) >= 3
    assert all(start <= p.a_start and p.a_end <= end for p in rewritten)  # "bridge-digest" is a
    assert [p.a_start for p in rewritten] == sorted(p.a_start for p in rewritten)
    assert [p.b_start for p in rewritten] == sorted(p.b_start for p in rewritten)


@pytest.mark.usefixtures("semantic_extra")
def test_every_hand_written_rewrite_is_a_paraphrase_and_no_independent_report_is_reuse() -> None:
    # benchmarks/rewrites: 18 stories, each rewritten by hand with no 8 (the later eight: no
    # 6) words in a row kept, and reported independently from other facts
    found = {frozenset((m.a, m.b)): m for m in scan([REWRITES]).matches}
    stories = sorted({path.name.split(".")[0] for path in REWRITES.glob("*.original.txt")})
    assert len(stories) >= 18
    for story in stories:
        rewrite = found.get(frozenset((f"{story}.original", f"{story}.rewrite")))
        assert rewrite is not None and rewrite.relation is Relation.PARAPHRASE, story
        independent = found.get(frozenset((f"{story}.original", f"{story}.independent")))
        assert independent is None or independent.relation is Relation.SAME_STORY, story


@pytest.mark.usefixtures("semantic_extra")
def test_a_rewrite_that_says_each_sentence_less_closely_is_shown_as_its_chain() -> None:
    # warehouse-fire's rewrite keeps no sentence at the threshold often enough for the plain
    # chain (5 sentences over 56%); the pairs that share a fact a little below it carry it
    found = {frozenset((m.a, m.b)): m for m in scan([REWRITES]).matches}
    match = found[frozenset(("warehouse-fire.original", "warehouse-fire.rewrite"))]
    assert match.relation is Relation.PARAPHRASE
    assert match.derivation is not None and match.derivation.coverage >= 0.75
    kinds = {passage.kind for passage in match.passages}
    assert kinds == {"paraphrase"}
    assert [p.a_start for p in match.passages] == sorted(p.a_start for p in match.passages)
    assert [p.b_start for p in match.passages] == sorted(p.b_start for p in match.passages)
    assert any(passage.similarity < 0.75 for passage in match.passages)


@pytest.mark.usefixtures("semantic_extra")
def test_a_careful_rewrite_chains_its_source_and_an_independent_report_does_not() -> None:
    result = scan([REWRITES])
    found = {frozenset((match.a, match.b)): match for match in result.matches}
    for story in ("mill-fire", "bus-depot"):
        rewrite = found[frozenset((f"{story}.original", f"{story}.rewrite"))]
        assert rewrite.derivation is not None
        assert rewrite.derivation.chain >= 6 and rewrite.derivation.coverage >= 0.8
        assert rewrite.derivation.facts_shared >= 10
        independent = found.get(frozenset((f"{story}.original", f"{story}.independent")))
        if independent is not None:
            assert independent.relation is not Relation.PARAPHRASE
            assert independent.derivation is not None and independent.derivation.chain <= 2
        # the ordered chain decides: no rewritten sentence of bus-depot is very close, so only
        # the chain makes it a paraphrase
        assert rewrite.relation is Relation.PARAPHRASE
    # the chain decided bus-depot, so its passages are the chain, in the order of both texts
    chained = found[frozenset(("bus-depot.original", "bus-depot.rewrite"))]
    assert chained.derivation is not None
    assert [p.kind for p in chained.passages] == ["paraphrase"] * chained.derivation.chain
    assert [p.a_start for p in chained.passages] == sorted(p.a_start for p in chained.passages)
    assert [p.b_start for p in chained.passages] == sorted(p.b_start for p in chained.passages)


@pytest.mark.usefixtures("semantic_extra")
def test_a_careful_rewrite_of_a_four_paragraph_brief_is_a_paraphrase(tmp_path: Path) -> None:
    # four sentences rewritten one by one: the chain takes all four
    for name in ("original", "rewrite", "independent"):
        text = (REWRITES / f"night-bus.{name}.txt").read_text(encoding="utf-8")
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    found = {frozenset((m.a, m.b)): m for m in scan([tmp_path]).matches}
    rewrite = found[frozenset(("original", "rewrite"))]
    assert rewrite.relation is Relation.PARAPHRASE
    assert rewrite.derivation is not None and rewrite.derivation.chain == 4
    independent = found.get(frozenset(("independent", "original")))
    assert independent is None or independent.relation is not Relation.PARAPHRASE


@pytest.mark.usefixtures("semantic_extra")
def test_without_the_chain_rule_a_careful_rewrite_is_only_the_same_story() -> None:
    # the rules ask for more chained sentences than the rewrite has: same_story again
    strict = ScanConfig(paraphrase_min_chain=50, paraphrase_min_passage=50)
    found = {frozenset((m.a, m.b)): m for m in scan([REWRITES], strict).matches}
    assert found[frozenset(("bus-depot.original", "bus-depot.rewrite"))].relation is (
        Relation.SAME_STORY
    )


def test_the_chain_rule_settings_are_checked() -> None:
    with pytest.raises(ConfigError, match="paraphrase_min_chain"):
        ScanConfig(paraphrase_min_chain=0)
    with pytest.raises(ConfigError, match="paraphrase_chain_coverage"):
        ScanConfig(paraphrase_chain_coverage=1.5)
    with pytest.raises(ConfigError, match="paraphrase_min_passage"):
        ScanConfig(paraphrase_min_passage=0)


@pytest.mark.usefixtures("semantic_extra")
def test_a_dated_careful_rewrite_names_its_source(tmp_path: Path) -> None:
    # the rewrite appeared a day after the original: the original is its likely source; the
    # independent report of the same day shares names and numbers but is no reuse
    records = tmp_path / "feed.jsonl"
    with records.open("w", encoding="utf-8") as stream:
        for name, day in (("original", "02"), ("rewrite", "03"), ("independent", "02")):
            text = (REWRITES / f"bus-depot.{name}.txt").read_text(encoding="utf-8")
            record = {"id": name, "text": text, "published": f"2026-03-{day}"}
            stream.write(json.dumps(record) + "\n")
    found = {frozenset((m.a, m.b)): m for m in scan([records]).matches}
    rewrite = found[frozenset(("original", "rewrite"))]
    assert rewrite.relation is Relation.PARAPHRASE and rewrite.source == "original"
    starts = [passage.a_start for passage in rewrite.passages]
    assert starts == sorted(starts)
    for other in ("original", "rewrite"):
        independent = found.get(frozenset((other, "independent")))
        assert independent is None or independent.relation is Relation.SAME_STORY


@pytest.mark.usefixtures("semantic_extra")
def test_a_follow_up_that_restates_the_charges_in_the_court_s_words_is_no_rewrite(
    tmp_path: Path,
) -> None:
    # a new user's sentencing report and, a week later, the appeal: the follow-up restates
    # the conviction with the charge sheet's eleven words ("of four counts of bribery and one
    # of misconduct in public office") inside a sentence only somewhat like the report's.
    # That stock phrase is no proof that one was written from the other: the words are
    # lifted (``partial``), the article is not a rewrite
    texts = Path(__file__).parent / "texts"
    records = tmp_path / "court.jsonl"
    with records.open("w", encoding="utf-8") as stream:
        for name, day in (("court-sentencing", "12"), ("court-appeal", "19")):
            text = (texts / f"{name}.txt").read_text(encoding="utf-8")
            record = {"id": name, "text": text, "published": f"2025-03-{day}"}
            stream.write(json.dumps(record) + "\n")
    (match,) = [m for m in scan([records]).matches if m.a == "court-appeal"]
    assert match.b == "court-sentencing"
    assert match.relation is Relation.PARTIAL
    assert [p.kind for p in match.passages].count("verbatim") == 1


def _documents(
    small: list[str], other: list[str], cosines: dict[tuple[int, int], float]
) -> tuple[SemanticDocument, SemanticDocument]:
    """Two documents whose sentence pairs have the given ``cosines`` (every other pair 0):
    the small one's sentences are unit vectors of their own, each of the other's mixes
    those it is alike to with a direction of its own."""
    width = len(small) + len(other)
    first = np.eye(width, dtype=np.float64)[: len(small)]
    second = np.zeros((len(other), width))
    for column in range(len(other)):
        for row in range(len(small)):
            second[column, row] = cosines.get((row, column), 0.0)
        second[column, len(small) + column] = np.sqrt(max(0.0, 1 - (second[column] ** 2).sum()))

    def made(sentences: list[str], vectors: NDArray[np.float64]) -> SemanticDocument:
        text = " ".join(sentences)
        spans, at = [], 0
        for sentence in sentences:
            spans.append((at, at + len(sentence)))
            at += len(sentence) + 1
        vector = np.zeros(width, dtype=np.float32)
        return semantic_document(
            text, np.asarray(spans, dtype=np.int32), vectors.astype(np.float32), vector
        )

    return made(small, first), made(other, second)


def _decided(small: SemanticDocument, other: SemanticDocument, stretch: str) -> Match | None:
    """The pair decided with ``stretch`` a verbatim passage of both."""
    a_start, b_start = small.text.index(stretch), other.text.index(stretch)
    passage = Passage(
        a_start, a_start + len(stretch), b_start, b_start + len(stretch), "verbatim", 1.0
    )
    verbatim = Match("a", "b", Relation.PARTIAL, 0.02, 0.05, 0.03, (passage,))
    config = ScanConfig()
    return decide(
        verbatim, (0.02, 0.05, 0.03), "a", small, "b", other, config, config.semantic_thresholds()
    )


_NAME = "Andrew Wetzler, director of the Natural Resources Defense Council's Species Program"
_CLAUSE = "the group would probably go to court to stop the new rule from taking effect"


def test_a_shared_name_and_title_prove_no_rewrite() -> None:
    # two reports of one announcement, each of its own words, that give one campaigner's name
    # and title in full: a sentence very like the other's holds the name verbatim, another
    # sentence says much the same. Every report spells a name so; only a clause kept in a
    # sentence carried over and edited shows that one was written from the other
    for stretch, expected in ((_NAME, Relation.PARTIAL), (_CLAUSE, Relation.PARAPHRASE)):
        small, other = _documents(
            [
                "Campaigners across the valley reacted angrily to the announcement on Thursday "
                f"evening, and {stretch}, only hours after officials had spoken to the press.",
                "Officials unveiled the regulation following a lengthy review.",
                "Farmers in the valley welcomed the decision at a meeting.",
            ],
            [
                f"Speaking outside the building on Friday morning, {stretch}, as lawyers for "
                "campaigners told reporters.",
                "The agency announced its rule after months of deliberation.",
                "A spokesman for the interior ministry declined to comment.",
                "The change takes effect in March unless a judge blocks it.",
                "Similar rules were struck down twice in the last decade by the courts.",
                "The ministry said it had consulted widely before publishing the rule.",
            ],
            {(0, 0): 0.9, (1, 1): 0.8},
        )
        match = _decided(small, other, stretch)
        assert match is not None and match.relation is expected, stretch


def test_sentences_that_all_restate_one_sentence_are_one_rewrite() -> None:
    # three sentences of one report each restate the same sentence of the other (one of
    # them keeps its clause word for word): one sentence of the other rewritten, not three
    for partners, expected in (((0, 0, 0), Relation.PARTIAL), ((0, 1, 1), Relation.PARAPHRASE)):
        small, other = _documents(
            [
                "Their lawyer said in a long written statement that was released late on Thursday "
                f"evening, after the ministry had announced its plans, that {_CLAUSE}.",
                "Officials said the challenge was expected by the ministry.",
                "The campaigners have promised a long fight against the plan.",
            ],
            [
                f"Speaking to reporters outside the courthouse, {_CLAUSE}, their lawyer warned.",
                "The agency announced its rule after months of deliberation.",
                "A spokesman for the interior ministry declined to comment.",
                "The change takes effect in March unless a judge blocks it.",
                "Similar rules were struck down twice in the last decade by the courts.",
                "The ministry said it had consulted widely before publishing the rule.",
            ],
            {(row, column): 0.9 if row == 0 else 0.8 for row, column in enumerate(partners)},
        )
        match = _decided(small, other, _CLAUSE)
        assert match is not None and match.relation is expected, partners


def test_a_document_without_sentences_is_decided_by_its_verbatim_passage_alone() -> None:
    small, other = _documents(["Officials unveiled the regulation on Thursday."], ["A quote."], {})
    empty = semantic_document("", np.zeros((0, 2), dtype=np.int32), small.vectors[:0], small.vector)
    passage = Passage(0, 10, 0, 10, "verbatim", 1.0)
    verbatim = Match("a", "b", Relation.PARTIAL, 0.02, 0.05, 0.03, (passage,))
    config = ScanConfig()
    found = decide(
        verbatim, (0.02, 0.05, 0.03), "a", empty, "b", other, config, config.semantic_thresholds()
    )
    assert found is not None and found.relation is Relation.PARTIAL


@pytest.mark.usefixtures("semantic_extra")
def test_independent_reports_in_one_order_with_one_set_of_facts_are_no_rewrite() -> None:
    # benchmarks/independent: ten events each reported twice in the same order, with the same
    # main names and numbers, every sentence in its reporter's own words
    folder = REWRITES.parent / "independent"
    found = {frozenset((m.a, m.b)): m for m in scan([folder]).matches}
    names = sorted({path.name.split(".")[0] for path in folder.glob("*.a.txt")})
    assert len(names) == 10
    for name in names:
        match = found.get(frozenset((f"{name}.a", f"{name}.b")))
        assert match is None or match.relation is not Relation.PARAPHRASE, name
