"""Provenance: which document of a match is the likely source, with readable reasons."""

from __future__ import annotations

from dataclasses import replace

import pytest

from wiretrace.group.provenance import ProvenanceFacts, attribute
from wiretrace.records import Match, Passage, Relation

PLAIN = ProvenanceFacts(None, (), None, None, 1000, 0)
MIN_SCORE = 1.5


def _match(relation: Relation = Relation.NEAR_DUPLICATE, **fields: object) -> Match:
    values: dict[str, object] = {
        "a": "a",
        "b": "b",
        "relation": relation,
        "jaccard": 0.8,
        "containment_a": 0.9,
        "containment_b": 0.9,
        "passages": (),
    }
    values.update(fields)
    return Match(**values)  # type: ignore[arg-type]


def _attribute(a: ProvenanceFacts, b: ProvenanceFacts, match: Match | None = None) -> Match:
    return attribute(match or _match(), {"a": a, "b": b}, MIN_SCORE)


def test_the_earlier_document_is_the_source() -> None:
    found = _attribute(
        replace(PLAIN, published="2024-03-02"), replace(PLAIN, published="2024-03-01")
    )
    assert found.source == "b"
    assert found.provenance_confidence is not None and found.provenance_confidence > 0.8
    assert any("published a day apart" in r for r in found.provenance_reasons)


def test_a_date_without_its_time_is_compared_by_the_day() -> None:
    # a wire story at 09:12 and a page of the next day that gives no time: 15 hours from
    # that day's midnight, they were "too close together to tell"; on different days, one
    # was surely first. On the same day, nothing is sure
    timed = replace(PLAIN, published="2026-07-14T09:12:00+02:00")
    found = _attribute(timed, replace(PLAIN, published="2026-07-15"))
    assert found.source == "a"
    assert any("published a day apart" in r for r in found.provenance_reasons)
    earlier = _attribute(replace(PLAIN, published="2026-07-13"), timed)
    assert earlier.source == "a"
    assert _attribute(timed, replace(PLAIN, published="2026-07-14")).source is None


def test_the_same_day_without_times_says_nothing() -> None:
    same = replace(PLAIN, published="2024-03-01")
    found = _attribute(same, same)
    assert found.source is None
    assert found.provenance_reasons == (
        "no clue of direction (published too close together to tell, no credits or "
        "datelines, alike in page noise)",
    )


def test_a_reason_says_no_dates_only_where_there_are_none() -> None:
    (undated,) = _attribute(PLAIN, PLAIN).provenance_reasons
    assert undated.startswith("no clue of direction (no dates,")
    (one,) = _attribute(replace(PLAIN, published="2024-03-01"), PLAIN).provenance_reasons
    assert "only a has a date" in one and "no dates" not in one
    marked = replace(PLAIN, published="2024-03-01", dateline="Kabul")
    (both,) = _attribute(marked, marked).provenance_reasons
    assert "both carry agency marks" in both and "no dates" not in both


def test_times_an_hour_apart_order_the_documents() -> None:
    found = _attribute(
        replace(PLAIN, published="2024-03-01T09:00:00+00:00"),
        replace(PLAIN, published="2024-03-01T12:30:00+01:00"),
    )
    assert found.source == "a"


def test_a_credit_only_the_source_carries() -> None:
    wire = replace(PLAIN, credits=("AFP",), dateline="Kabul")
    found = _attribute(PLAIN, wire)
    assert found.source == "b"
    assert (
        "only b carries the credit AFP and the dateline Kabul; a dropped it (for b as the source)"
        in found.provenance_reasons
    )


def test_a_credit_alone_names_no_source_of_a_rewrite_or_a_translation() -> None:
    # an English rewrite of a wire story and the story's Spanish translation that kept the
    # credit: the Spanish one was named the rewrite's source at 0.82 (both derive from the wire)
    wire = replace(PLAIN, credits=("Harbor Wire",), dateline="NORTHPORT")
    for relation in (Relation.PARAPHRASE, Relation.TRANSLATION):
        assert _attribute(PLAIN, wire, _match(relation)).source is None
    assert _attribute(PLAIN, wire, _match(Relation.NEAR_DUPLICATE)).source == "b"


def test_a_credit_carried_by_a_republisher_is_weaker() -> None:
    # the newspaper that kept the credit copied the agency too: the other may have as well
    newspaper = replace(PLAIN, credits=("AFP",), outlet="dailyherald.example")
    assert _attribute(PLAIN, newspaper).source is None
    agency = replace(PLAIN, credits=("AFP",), outlet="afp.com")
    assert _attribute(PLAIN, agency).source == "b"


def test_the_agency_own_copy_is_the_source_even_when_both_credit_it() -> None:
    agency = replace(PLAIN, credits=("Reuters",), outlet="reuters.com")
    paper = replace(PLAIN, credits=("Reuters",), outlet="paper.example")
    found = _attribute(paper, agency)
    assert found.source == "b"
    assert "b is Reuters's own copy (for b as the source)" in found.provenance_reasons


def test_two_copies_of_the_agency_own_are_ordered_by_their_times_alone() -> None:
    # one record sent twice by the agency (or its wire and its site): the first was named
    # the other's source, "a is Reuters's own copy" (0.95); both are copies of its story
    agency = replace(PLAIN, credits=("Reuters",), outlet="reuters")
    found = _attribute(agency, agency)
    assert found.source is None
    assert not any("own copy" in reason for reason in found.provenance_reasons)
    assert "both are Reuters's own" in found.provenance_reasons
    # its story and, eight hours later, its update: the first version is the update's source
    # (a new user's agency update had "no source named: both are copies of the agency's story")
    story = replace(agency, published="2026-03-14T06:01:00+00:00")
    update = replace(agency, published="2026-03-14T14:00:00+00:00")
    assert _attribute(story, update).source == "a"


@pytest.mark.parametrize(
    ("outlet", "credit", "own"),
    [
        ("The Associated Press", "AP", True),
        ("Associated Press", "AP", True),
        ("Agence France-Presse", "AFP", True),
        ("Deutsche Presse-Agentur", "dpa", True),
        ("apnews.com", "AP", True),
        ("Australian Associated Press", "AP", False),  # AAP
        ("Pennsylvania Times", "PA", False),
        # an outlet a dateline credits as written ("OSLO (Nordic Press) -"), no agency we
        # list: the record published by it is its own copy (its copies named no source)
        ("Nordic Press", "Nordic Press", True),
        ("Press Gazette", "Nordic Press", False),
        # its host writes the name as one word: two new users' regional wires were known
        # only with an outlet field, their copies named no source
        ("continentalpress.com", "Continental Press", True),
        ("www.meridianwire.com", "Meridian Wire", True),
        ("meridiannews.com", "Meridian Wire", False),
        ("thehill.com", "The Hill", True),
        ("usnews.com", "U.S.", False),  # initials are no name a host spells
        # as the agencies write their names at home, or their hosts; a credit "(AA)"
        ("新华社", "Xinhua", True),
        ("news.cn", "Xinhua", True),
        ("Anadolu Ajansı", "AA", True),
        ("aa.com.tr", "Anadolu", True),
        ("Malatya Haber", "AA", False),
    ],
)
def test_an_agency_named_in_full_as_the_outlet_is_its_own_copy(
    outlet: str, credit: str, own: bool
) -> None:
    """A record whose outlet field is the agency's full name ("The Associated Press") is the
    agency's own copy: a new user's AP story and its republication were left open as "both
    copies of the agency's story, which is not in the corpus"."""
    day = "2026-07-14"
    wire = replace(PLAIN, credits=(credit,), outlet=outlet, published=day)
    paper = replace(PLAIN, credits=(credit,), outlet="Ojai Valley News", published=day)
    found = _attribute(paper, wire)
    assert (found.source == "b") is own
    own_copy = f"b is {credit}'s own copy (for b as the source)"
    assert (own_copy in found.provenance_reasons) is own


def test_two_copies_crediting_one_agency_are_left_open() -> None:
    first = replace(PLAIN, credits=("AP",), outlet="one.example", published="2024-03-01T08:00")
    second = replace(PLAIN, credits=("AP",), outlet="two.example", published="2024-03-01T12:00")
    found = _attribute(first, second)
    assert found.source is None and found.provenance_confidence is None
    assert "both credit AP" in found.provenance_reasons[-1]


def test_two_reports_sharing_a_passage_of_one_agency_are_no_copies_of_one_story() -> None:
    first = replace(PLAIN, credits=("AP",), outlet="one.example")
    second = replace(PLAIN, credits=("AP",), outlet="two.example")
    copied = _attribute(first, second).provenance_reasons[-1]
    shared = _attribute(first, second, _match(Relation.PARTIAL)).provenance_reasons[-1]
    assert "both are copies of the agency's story" in copied
    assert "what they share is from the agency's story" in shared and "copies" not in shared


def test_conflicting_clues_name_no_source() -> None:
    # a is two days earlier, but only b carries the agency's credit and dateline
    earlier = replace(PLAIN, published="2024-03-01")
    credited = replace(PLAIN, published="2024-03-03", credits=("AFP",), dateline="Paris")
    found = _attribute(earlier, credited)
    assert found.source is None
    assert found.provenance_reasons[-1] == "the clues conflict: no source named"


def test_a_copy_cut_short_points_to_the_longer_text() -> None:
    # b's text is a's first 400 characters: a truncated copy
    match = _match(
        Relation.CONTAINED,
        containment_a=0.4,
        containment_b=1.0,
        passages=(Passage(0, 400, 0, 400, "verbatim", 1.0),),
    )
    noisy = replace(PLAIN, chars=500, boilerplate_chars=100)
    found = _attribute(PLAIN, noisy, match)
    assert found.source == "a"
    # each clue says which way it points
    assert "b is the opening of a, cut short (for a as the source)" in found.provenance_reasons
    noise = "b adds page noise (20% of its text is boilerplate) (for a as the source)"
    assert noise in found.provenance_reasons


def test_a_partial_match_ignores_credits_and_same_story_is_not_attributed() -> None:
    wire = replace(PLAIN, credits=("AFP",))
    assert _attribute(PLAIN, wire, _match(Relation.PARTIAL)).source is None
    untouched = _match(Relation.SAME_STORY)
    assert _attribute(PLAIN, wire, untouched) is untouched


def _sourced(
    a: str, b: str, relation: Relation, source: str, *spans: tuple[int, int, int, int]
) -> Match:
    passages = tuple(Passage(*span, kind="verbatim", similarity=1.0) for span in spans)
    return _match(
        relation,
        a=a,
        b=b,
        passages=passages,
        source=source,
        provenance_confidence=0.881,
        provenance_reasons=("published 2 hours apart",),
    )


def test_a_pair_that_both_derive_from_one_third_names_no_source() -> None:
    """A cut copy of the wire and an op-ed that lifted one of its paragraphs share that
    paragraph; the earlier of the two is not its source. A rewrite of the wire and a
    republisher's exact copy of it likewise."""
    from wiretrace.group.provenance import derived_from_one

    matches = [
        _sourced("cut", "wire", Relation.CONTAINED, "wire", (0, 900, 0, 900)),
        _sourced("oped", "wire", Relation.PARTIAL, "wire", (300, 500, 400, 600)),
        _sourced("cut", "oped", Relation.PARTIAL, "oped", (400, 600, 300, 500)),
        _sourced("farm", "wire", Relation.PARAPHRASE, "wire", (0, 800, 0, 900)),
        _sourced("ledger", "wire", Relation.EXACT, "wire"),
        _sourced("farm", "ledger", Relation.PARAPHRASE, "ledger", (0, 800, 0, 900)),
    ]
    found = {(m.a, m.b): m for m in derived_from_one(matches)}
    for pair in (("cut", "oped"), ("farm", "ledger")):
        assert found[pair].source is None and found[pair].provenance_confidence is None
        assert found[pair].provenance_reasons[-1] == "both derive from wire: no source named"
    for pair in (("cut", "wire"), ("oped", "wire"), ("farm", "wire"), ("ledger", "wire")):
        assert found[pair] == matches[[(m.a, m.b) for m in matches].index(pair)]


def test_a_pair_sharing_more_than_the_third_gives_keeps_its_source() -> None:
    """An op-ed that lifted one paragraph of the wire, rewritten whole by a farm: the farm's
    rewrite is of the op-ed (the op-ed's passage with the wire covers a tenth of what the
    rewrite covers), and two sites that share a paragraph the wire does not hold keep theirs."""
    from wiretrace.group.provenance import derived_from_one

    matches = [
        _sourced("oped", "wire", Relation.PARTIAL, "wire", (300, 400, 400, 500)),
        _sourced("farm", "wire", Relation.PARTIAL, "wire", (300, 400, 400, 500)),
        _sourced("farm", "oped", Relation.PARAPHRASE, "oped", (0, 1000, 0, 1000)),
        _sourced("one", "wire", Relation.PARTIAL, "wire", (0, 100, 0, 100)),
        _sourced("two", "wire", Relation.PARTIAL, "wire", (0, 100, 0, 100)),
        _sourced("one", "two", Relation.PARTIAL, "one", (500, 700, 500, 700)),
        # two pages that each hold the wire whole and share local paragraphs beyond it
        _sourced("big1", "wire", Relation.CONTAINED, "wire", (0, 500, 0, 500)),
        _sourced("big2", "wire", Relation.CONTAINED, "wire", (0, 500, 0, 500)),
        _sourced("big1", "big2", Relation.PARTIAL, "big1", (0, 2900, 0, 2900)),
        # a rewrite's passages overlap (a sentence and the verbatim stretch inside it): the
        # wire's passage holds 40 of the pair's 100 characters, not 60
        _sourced("farm2", "wire", Relation.PARAPHRASE, "wire", (0, 40, 0, 40), (10, 30, 10, 30)),
        _sourced("farm3", "wire", Relation.PARAPHRASE, "wire", (0, 40, 0, 40), (10, 30, 10, 30)),
        _sourced("farm2", "farm3", Relation.PARAPHRASE, "farm2", (0, 100, 0, 100)),
    ]
    assert derived_from_one(matches) == matches
