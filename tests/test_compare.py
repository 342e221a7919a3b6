"""Compare: relations on constructed pairs; passages point at the reused text."""

from __future__ import annotations

import random

import pytest

from tests.corpus import edit, random_text, truncate
from wiretrace.clean import clean_text
from wiretrace.compare import compare_pair, prepare
from wiretrace.compare.relation import names_a_fact
from wiretrace.config import ScanConfig
from wiretrace.records import Match, Relation

CONFIG = ScanConfig()


def _compare(first: str, second: str) -> Match | None:
    return compare_pair("a", prepare(first, 5), "b", prepare(second, 5), CONFIG)


def _words(text: str) -> list[str]:
    return clean_text(text).text.replace("\n", " ").split()


def _decorate(text: str) -> str:
    """The same words with typographic quotes, a ligature and odd spacing."""
    return "  " + text.replace(" ", "\u00a0 ", 3).replace("fi", "ﬁ") + " “quoted” — "


def test_exact_near_duplicate_contained_partial_and_nothing() -> None:
    generator = random.Random(5)
    source = random_text(generator, 400)
    unrelated = random_text(generator, 400)
    assert _compare(source, source.upper()).relation == Relation.EXACT  # type: ignore[union-attr]
    near = _compare(source, edit(generator, source, 0.03))
    assert near is not None and near.relation == Relation.NEAR_DUPLICATE
    contained = _compare(truncate(source, 0.5), source)
    assert contained is not None and contained.relation == Relation.CONTAINED
    assert contained.containment_a == pytest.approx(1.0)
    lifted = " ".join(source.split()[100:130])
    partial = _compare(unrelated + " " + lifted, source)
    assert partial is not None and partial.relation == Relation.PARTIAL
    assert len(partial.passages) == 1
    assert _compare(source, unrelated) is None


@pytest.mark.parametrize("seed", range(8))
def test_passages_point_at_the_reused_text(seed: int) -> None:
    generator = random.Random(seed)
    source = random_text(generator, 300)
    copy = _decorate(edit(generator, source, 0.04))
    page = random_text(generator, 80) + "\n\n" + copy + "\n\n" + random_text(generator, 60)
    match = _compare(source, page)
    assert match is not None and match.passages
    for passage in match.passages:
        words_a = _words(source[passage.a_start : passage.a_end])
        words_b = _words(page[passage.b_start : passage.b_end])
        # a passage starts and ends on shared shingles: its first and last words agree
        assert words_a[:5] == words_b[:5]
        assert words_a[-5:] == words_b[-5:]
        assert source[passage.a_start].isalnum() and page[passage.b_end - 1].isalnum()
        if passage.similarity == 1.0:
            assert words_a == words_b


def test_small_edits_stay_inside_one_passage() -> None:
    generator = random.Random(3)
    source = random_text(generator, 200)
    words = source.split()
    words[60] = "changed"
    words[140] = "altered"
    match = _compare(source, " ".join(words))
    assert match is not None and len(match.passages) == 1
    assert 0.9 < match.passages[0].similarity < 1.0


def test_reordered_paragraphs_give_one_passage_each() -> None:
    generator = random.Random(4)
    paragraphs = [random_text(generator, 60) for _ in range(4)]
    match = _compare("\n\n".join(paragraphs), "\n\n".join(reversed(paragraphs)))
    assert match is not None and match.relation == Relation.NEAR_DUPLICATE
    assert len(match.passages) == 4


def test_coverage_counts_overlapping_passages_once() -> None:
    from wiretrace.compare.align import WordPassage, coverage

    passages = [WordPassage(0, 10, 50, 60, 6), WordPassage(5, 20, 0, 15, 11)]
    assert coverage(passages, 40, "a") == pytest.approx(20 / 40)
    assert coverage(passages, 100, "b") == pytest.approx(25 / 100)
    assert coverage([], 0, "a") == 0.0


@pytest.mark.parametrize("every", [7, 12])
def test_a_paragraph_under_an_edit_every_few_words_is_still_a_passage(every: int) -> None:
    # with an edit every 7 words no 8 words in a row survive, but most words do over a long
    # stretch: a copy; a formula's short runs are not (the test below)
    generator = random.Random(4)
    paragraph = random_text(generator, 90).split()
    edited = [
        word + "x" if place % every == every - 1 else word for place, word in enumerate(paragraph)
    ]
    first = f"{random_text(generator, 30)} {' '.join(paragraph)}"
    second = f"{' '.join(edited)} {random_text(generator, 40)}"
    found = _compare(first, second)
    assert found is not None and found.relation == Relation.PARTIAL
    (passage,) = found.passages
    assert passage.b_start == 0 and passage.b_end >= len(" ".join(edited)) - 10


def test_a_formula_filled_with_other_facts_is_no_passage() -> None:
    # one agency's sentences about two earthquakes: runs of 7 and 6 words that only the gaps
    # between them join; nobody copied anything
    japan = (
        "TOKYO (Reuters) - A magnitude 6.8 earthquake struck off the coast of northern Japan on "
        "Thursday, shaking buildings in the city of Sendai, the Japan Meteorological Agency "
        "said.\n\nThe quake hit at 10:42 a.m. local time at a depth of about 40 km."
    )
    chile = (
        "SANTIAGO (Reuters) - A magnitude 6.8 earthquake struck central Chile on Thursday, "
        "shaking buildings in the capital Santiago, the national disaster agency said.\n\n"
        "The quake hit at 3:15 p.m. local time at a depth of 60 km near Valparaiso."
    )
    assert _compare(japan, chile) is None
    lifted = f"{chile}\n\nEarlier: {japan.split(' - ', 1)[1]}"
    found = _compare(japan, lifted)
    assert found is not None and found.relation == Relation.CONTAINED  # lifted whole: found


def test_a_stock_opening_run_on_into_other_facts_is_no_passage() -> None:
    """Nine words in a row of a wire formula, each side's sentence then naming its own event
    (a new user's two earthquakes of one day were "lifts passages from", the source named,
    and one story). A sentence lifted whole keeps its facts and is still a passage."""
    chile = (
        "VALPARAISO, Chile - A magnitude 6.8 earthquake struck off the coast of central Chile "
        "on Friday afternoon, shaking buildings in Santiago and Valparaiso, but the navy said "
        "there was no tsunami threat.\n\nInterior Minister Carolina Toha said two people died "
        "in San Antonio when a wall collapsed."
    )
    japan = (
        "TOKYO - A magnitude 6.8 earthquake struck off the coast of Miyagi prefecture in "
        "northeastern Japan on Friday evening, the Japan Meteorological Agency said.\n\n"
        "Bullet train services between Tokyo and Shin-Aomori were suspended for checks."
    )
    assert _compare(chile, japan) is None
    lifted = f"{japan}\n\nElsewhere, {chile.split(' - ', 1)[1].split(chr(10))[0]}"
    found = _compare(chile, lifted)
    assert found is not None and found.relation == Relation.PARTIAL  # lifted whole: found


def test_a_sentence_is_read_by_the_stops_of_its_script_or_not_at_all() -> None:
    """Chinese ends its sentences with "。" and no space: a lifted Chinese paragraph was read
    as one long sentence, its numbers against the host's, and dropped as a formula."""
    from wiretrace.compare.relation import _sentence

    text = "地震发生在周五。救援人员已经抵达现场，三人受伤。当局表示没有海啸危险。"
    start = text.index("救援")
    assert _sentence(text, start, start + 6) == (text.index("救援"), text.index("当局"))
    assert _sentence(text, start, text.index("当局") + 2) is None  # runs past a stop
    unbroken = "x" * 700 + " a passage in the middle " + "y" * 700
    middle = unbroken.index("a passage")
    assert _sentence(unbroken, middle, middle + 9) is None  # no stop within reach: unknown


def test_a_sentence_opens_after_the_last_real_stop_before_it() -> None:
    """The opening is found backwards from the stops: a stop inside a sentence ("6.8",
    "U.S") is passed over, a closing quote stays with the sentence it closes, and a passage
    near the text's start opens there."""
    from wiretrace.compare.relation import _sentence

    text = 'He said "it is over." A magnitude 6.8 quake hit the U.S coast on Friday. More later.'
    start = text.index("quake")
    assert _sentence(text, start, start + 9) == (text.index(" A magnitude"), text.index(" More"))
    assert _sentence(text, 3, 7) == (0, text.index(" A magnitude"))
    far = "Words without a stop " * 40 + "and then a passage here. Next."
    assert _sentence(far, far.index("a passage"), far.index(" here")) is None  # 600 back


def test_a_capital_that_opens_a_sentence_names_nothing() -> None:
    text = "Nobody was hurt. The cause of the fire is under investigation in Leeds."
    start, end = text.index("The"), text.index(" in Leeds")
    assert not names_a_fact(text, start, end)  # "The" opens its sentence
    assert not names_a_fact("The cause is unknown.")  # the text's first word opens one
    assert names_a_fact(text, start)  # "Leeds" is a name
    assert names_a_fact("2 people were hurt.")  # a number is a fact wherever it stands
    assert names_a_fact(text, text.index("Leeds"))  # a capital mid-sentence is a name


def test_documents_are_prepared_once_only_where_batches_would_prepare_them_again() -> None:
    """Pairs of copies side by side name each document in about one batch: prepared batch by
    batch; pairs that join documents far apart name them in batch after batch: prepared once
    before the pairs are compared."""
    import numpy as np

    from wiretrace.stages.compare import _recurring

    families = np.array([(i, i + 1) for i in range(0, 20_000, 2)], dtype=np.int64)
    assert not _recurring(families, np.unique(families).size, 2)
    rng = np.random.default_rng(7)
    scattered = np.sort(rng.integers(0, 500, size=(len(families), 2)), axis=1)
    assert _recurring(scattered, np.unique(scattered).size, 2)
