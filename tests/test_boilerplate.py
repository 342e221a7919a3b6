"""Boilerplate rules and metadata from text, on examples written for these tests (the seeds
are checked in test_seeds.py): each rule must fire on page noise and leave article text."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.corpus import random_text
from wiretrace import Relation, ScanConfig, scan
from wiretrace.clean.boilerplate import LineCounter, blank, find_boilerplate, line_keys, line_spans
from wiretrace.clean.metadata import extract_facts

BODY = (
    "The council voted on Tuesday to close the old bridge to heavy traffic after engineers "
    "found cracks in two of its supporting piers during a routine inspection."
)


def _marked(text: str) -> list[tuple[str, str]]:
    return [(span.kind, text[span.start : span.end]) for span in find_boilerplate(text)]


@pytest.mark.parametrize(
    ("noise", "kind"),
    [
        ("Published: 12 March 2020, 10:15 GMT", "metadata"),
        ("Updated 3 hours ago", "metadata"),
        ("By Jane Smith and Tom Okafor", "metadata"),
        ("5 min read", "metadata"),
        ("Reporting by Tom Okafor; Editing by Jane Smith", "metadata"),
        ("2020-03-12 10:15", "metadata"),
        ("https://www.example.com/news/2020/03/12/bridge-closed", "metadata"),
        ("Share this article", "share"),
        ("Facebook | Twitter | WhatsApp | Email", "share"),
        ("Share on Facebook  Share on Twitter  Email this article", "share"),
        ("By Reuters | 11 Mar 2026, 10:15 am", "metadata"),  # a byline and its date
        ("Tags: Manchester, fire, Trafford", "metadata"),
        ("Sign up for our free morning newsletter", "subscription"),
        ("Already a subscriber? Log in to continue reading", "subscription"),
        ("Support independent journalism: donate today", "subscription"),
        ("You have reached the limit for free access to our important work.", "subscription"),
        (
            "Subscribers, click below to register your subscription to continue. Log In Sign Up",
            "subscription",
        ),
        ("See also: Bridge repairs to cost millions, report says", "related"),
        ("(Photo by John Doe/AFP via Getty Images)", "credit"),
        ("Photo: Maria Lopez", "credit"),
        ("Reuters", "credit"),
        (
            "This site uses cookies to improve your experience and to show personalised ads. "
            "By continuing to browse you agree to our cookie policy and privacy notice.",
            "consent",
        ),
        (
            "Accept cookies? We use cookies to improve your experience. Accept all | Manage",
            "consent",
        ),
        # the button written as a sentence (a new user's republished page kept it as body, and
        # dedup kept that page over the clean wire for its longer body)
        ("We use cookies to improve your experience. Accept all cookies.", "consent"),
    ],
)
def test_noise_lines_are_marked_and_the_body_is_not(noise: str, kind: str) -> None:
    text = f"{BODY}\n\n{noise}\n\n{BODY.replace('Tuesday', 'Monday')}"
    assert _marked(text) == [(kind, noise)]


@pytest.mark.parametrize(
    "menu",
    [
        "Home | World | Politics | Sport | Business",
        "Home › News › Europe",
        "City Watch > News > Manchester",  # a breadcrumb with ">"
    ],
)
def test_a_menu_above_or_below_the_article_is_navigation(menu: str) -> None:
    later = BODY.replace("Tuesday", "Monday")
    for text in (f"{menu}\n\n{BODY}\n\n{later}", f"{BODY}\n\n{later}\n\n{menu}"):
        assert _marked(text) == [("navigation", menu)]


@pytest.mark.parametrize(
    "line",
    [
        "Mon Sunny | Tue Showers | Wed Heavy rain | Thu Cloudy | Fri Sunny spells",
        "Leeds 2-1 Hull | Derby 0-0 Stoke | Preston 3-1 Luton | Millwall 1-2 Sunderland",
    ],
)
def test_a_line_of_bars_between_the_article_s_lines_is_the_article_s(line: str) -> None:
    # a new user's two five-day forecasts (and two lists of results) differed by that line
    # alone: taken for a menu, it made them one text, and dedup kept one of the two
    brief = f"Here is the five-day outlook from our weather desk.\n\n{line}\n\nHighs of 16C."
    assert _marked(brief) == []


@pytest.mark.parametrize(
    "sentence",
    [
        # article text that resembles noise
        "The EU rules require websites to obtain consent before they set cookies, and the "
        "regulator said many sites still ignore them.",
        'The pop-up read "We use cookies." Accept all of them, the regulator advised.',
        "A local lawmaker told AFP that the security forces had retreated.",
        "By Friday, the army had retaken the airport and most of the old city.",
        "Reports from Kabul said the city had fallen.",
        "Read the full statement, the minister told reporters, and judge for yourselves.",
        "Published figures show unemployment fell for the third month in a row.",
        "He said the newsletter of the party had been banned since 2019.",
        "Writing by candlelight, she finished the first draft in a month.",
        # an article reporting on a company's free trial, newsletter and subscribers
        "Customers who start a free trial will be asked for card details but will not be "
        "charged until the trial ends.",
        "Lapsed subscribers will be able to start a free trial again after 12 months.",
        "Harbour Media also plans to relaunch its weekly newsletter, which already reaches "
        "800,000 readers.",
        '"Our free trial is the best advertisement we have," the chief executive said.',
        "The grants support local journalism in three rural counties.",
        "Voters must log in or register online before the deadline, the county clerk said.",
        "The team reached the limit of free substitutions before half-time.",
    ],
)
def test_article_sentences_that_resemble_noise_are_kept(sentence: str) -> None:
    assert _marked(f"{BODY}\n\n{sentence}") == []
    assert _marked(f"{sentence}\n\n{BODY}") == []


def test_a_line_of_items_between_bars_inside_the_body_is_body() -> None:
    # a menu sits at the top or the bottom of a page; inside the text such a line is the
    # article's own (a table's header, a list)
    paragraphs = [BODY.replace("Tuesday", day) for day in ("Monday", "Friday", "Sunday")]
    table = "Goals | Assists | Minutes played"
    text = "\n\n".join([*paragraphs, table, *paragraphs])
    assert _marked(text) == []
    assert _marked(f"{table}\n\n{text}") == [("navigation", table)]


def test_caption_printed_twice_with_credit() -> None:
    caption = "Volunteers fill sandbags outside the town hall on Wednesday"
    text = f"{BODY}\n\n{caption}\n{caption} Reuters/Jane Doe\n\n{BODY.replace('two', 'three')}"
    marked = _marked(text)
    assert marked == [("repeated", caption + " "), ("credit", "Reuters/Jane Doe")]


@pytest.mark.parametrize("credit", ["AFP / -", "AFP / Paz PIZARRO", "(Photo: Maria Lopez)"])
def test_caption_copy_with_credit_in_either_order_and_apart(credit: str) -> None:
    caption = "Volunteers fill sandbags outside the town hall on Wednesday"
    other = BODY.replace("two", "three")
    text = f"{caption} {credit}\n\n{BODY}\n\n{caption}\n\n{other}"
    assert _marked(text) == [("credit", credit), ("repeated", caption)]


def test_adjacent_duplicate_is_removed() -> None:
    text = f"{BODY}\n\n{BODY}\n{BODY.replace('two', 'three')}"
    assert _marked(text) == [("repeated", BODY)]


def _article(*pieces: str) -> str:
    """Pieces between article paragraphs, as an article prints them."""
    numbers = ("three", "four", "five", "six", "seven", "eight")
    paragraphs = [BODY.replace("two", number) for number in numbers]
    between = [*pieces, *[""] * (len(paragraphs) - len(pieces))]
    return "\n\n".join(
        part for pair in zip(paragraphs, between, strict=True) for part in pair if part
    )


@pytest.mark.parametrize(
    "repeated",
    [
        # ingredient lines of two recipes
        "Ingredients\n1 tbsp olive oil\n1 onion, finely chopped\n2 garlic cloves, crushed\n"
        "Salt and pepper\nHeat the oil in a large pan and soften the onion for eight minutes.",
        # the question put to each guest of an interview
        "What was the first book you loved?\nA battered copy of a novel my uncle left behind.",
        # a product's bullet lines
        "Battery life: up to 50 hours\nMultipoint Bluetooth: yes\nWeight: 240g",
        # a table header printed above each table
        "Team Played Won Drawn Lost Points\nRiverside 3 3 0 0 9",
    ],
)
def test_lines_an_article_prints_more_than_once_are_body(repeated: str) -> None:
    assert _marked(_article(repeated, repeated, repeated)) == []


@given(
    st.lists(
        st.sampled_from(
            [
                "1 onion, finely chopped",
                "Salt and pepper",
                "What are you working on now?",
                "Team Played Won Drawn Lost Points",
                "Battery life: up to 50 hours and more",
                "Battery life: up to 50 hours",
            ]
        ),
        min_size=2,
        max_size=12,
    )
)
def test_only_adjacent_copies_are_repeated(lines: list[str]) -> None:
    text = "\n".join(lines)
    starts = list(itertools.accumulate((len(line) + 1 for line in lines), initial=0))
    marked = {
        starts.index(span.start) for span in find_boilerplate(text) if span.kind == "repeated"
    }
    adjacent = [
        line
        for before, line in itertools.pairwise(lines)
        if before == line
        or (
            len(min(before, line, key=len).split()) >= 4
            and (before.startswith(line) or line.startswith(before))
        )
    ]
    assert len(marked) <= len(adjacent)
    assert bool(marked) == bool(adjacent)
    # nothing is lost: a line marked is held whole by a line kept
    kept = [line for number, line in enumerate(lines) if number not in marked]
    for number in marked:
        assert any(line.startswith(lines[number]) for line in kept)


def test_a_url_line_inside_the_text_is_body_and_at_the_edge_metadata() -> None:
    address = "https://www.gov.uk/the-warm-home-discount-scheme"
    assert _marked(_article("", "", address)) == []
    text = f"{address}\n{_article()}"
    assert _marked(text) == [("metadata", address)]
    assert _marked(f"{_article()}\n{address}") == [("metadata", address)]


def test_a_prompt_sentence_is_marked_and_the_reporting_sentence_kept() -> None:
    said = "The victim was rushed to the hospital, police said."
    prompt = (
        "For the latest on this story, subscribe to the Valley Post for email newsletters "
        "and news alerts."
    )
    assert _marked(f"{BODY}\n\n{said} {prompt}") == [("subscription", prompt)]


def test_a_link_block_ends_where_the_article_resumes_its_spacing() -> None:
    headlines = ["The best stock cubes, tested", "How to store fresh herbs for longer"]
    recipe = "White bean and kale soup\nServes four\n1 tbsp olive oil"
    text = "\n".join([BODY, "", "Read more:", *headlines, "", recipe])
    assert _marked(text) == [("related", "Read more:"), *(("related", h) for h in headlines)]


def test_related_block_takes_its_headlines_and_stops_at_the_body() -> None:
    headlines = ["Bridge repairs to cost millions", "Ferry timetable changes from May"]
    text = "\n".join([BODY, "Related stories", *headlines, BODY.replace("two", "four")])
    assert _marked(text) == [("related", "Related stories"), *(("related", h) for h in headlines)]


def test_rows_of_figures_under_a_more_on_heading_are_the_article() -> None:
    # an update's new results under "More on the count:" were marked as a block of links,
    # and dedup dropped the update as an exact copy of the first version
    rows = ["Labour 29 seats", "Conservatives 37 seats", "Turnout 71 percent"]
    text = "\n".join([BODY, "", "More on the count:", *rows])
    assert _marked(text) == [("related", "More on the count:")]


@pytest.mark.parametrize(
    "trailer",
    [
        "This article was originally published on The Conversation.",
        "© 2021 Example Media Group. All rights reserved.",
        "Follow us on Twitter for the latest updates.",
        "Source: Regional Daily",
        "Read the full story at AP News.",
        "Copyright 2026 The Associated Press. All rights reserved. This material may not be "
        "published, broadcast, rewritten or redistributed.",
        "This article was originally published on The Conversation: read the original.",
        "Copyright 2026 Northern Post. Reuters content may not be reproduced.",
    ],
)
def test_site_trailers_at_the_end(trailer: str) -> None:
    text = f"{BODY}\n\n{BODY.replace('Tuesday', 'Monday')} {trailer}"
    assert _marked(text) == [("trailer", trailer)]
    assert _marked(f"{trailer} {BODY}") == []  # only at the end of a document


@pytest.mark.parametrize(
    "news",
    [
        # an update's news after a trailer's words, and a sentence about copyright: dedup
        # dropped such updates as exact copies of the first version
        "This story was first published at 6am and has been updated: two people died when "
        "their car was swept off the road.",
        "Copyright holders lose any claim to streaming revenue under the ruling.",
    ],
)
def test_news_in_a_trailer_s_words_is_body(news: str) -> None:
    assert _marked(f"{BODY}\n\n{news}") == []


def test_a_page_s_controls_above_the_article_are_navigation() -> None:
    # a line each above the article hid its dateline from the dateline reader
    controls = ["Skip to main content", "Menu", "Search", "Sign in", "Menu  Search  Log in"]
    dated = "Published: 12 March 2025 | Updated 08:15"
    text = "\n".join([*controls, "", dated, "", BODY, "Search", "Home"])
    assert _marked(text) == [*(("navigation", line) for line in controls), ("metadata", dated)]


def test_a_menu_below_the_page_s_controls_is_navigation() -> None:
    # a new user's page: the sections' menu was the fourth line, kept as text, so the page
    # was a near duplicate of the wire story it copies, the group's representative and the
    # title of their story
    menu = "Home | News | Business | Sport | What's On | Property"
    controls = ["Skip to main content", "Menu", "Search"]
    days = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
    said = [BODY.replace("Tuesday", day) for day in days]
    text = "\n".join([*controls, menu, "", *said])
    assert _marked(text) == [*(("navigation", line) for line in [*controls, menu])]
    # in the article, a line of bars is the article's
    assert _marked("\n\n".join([*said[:3], menu, *said[3:]])) == []


def test_a_line_repeated_with_a_sentence_added_keeps_the_sentence() -> None:
    line = "The jury found him guilty on two counts."
    text = f"{BODY}\n{line}\n{line} He faces life in prison."
    assert _marked(text) == [("repeated", line)]


@pytest.mark.parametrize(
    "marker",
    [
        "Advertisement",
        "ADVERTISEMENT",
        "- Advertisement -",
        "Story continues below advertisement",
        "Anzeige",
        "-- Publicité --",
        "REKLAMA",
        "广告",
    ],
)
def test_a_line_that_only_marks_an_advertisement(marker: str) -> None:
    text = f"{BODY}\n\n{marker}\n\n{BODY.replace('Tuesday', 'Monday')}"
    assert _marked(text) == [("advertisement", marker)]


@pytest.mark.parametrize(
    "line",
    [
        "Advertising",  # a results article's segment heading
        "Advertisement spending rose 4% in the quarter, the company said.",
        "Read more at the council's website, where the plans are published.",
    ],
)
def test_lines_about_advertising_or_reading_stay_body(line: str) -> None:
    assert _marked(f"{BODY}\n\n{line}\n\n{BODY.replace('Tuesday', 'Monday')}") == []
    assert _marked(f"{BODY}\n\n{line}") == []


def test_blank_keeps_offsets() -> None:
    text = f"{BODY}\nShare this article\n{BODY.upper()}"
    spans = find_boilerplate(text)
    blanked = blank(text, spans)
    assert len(blanked) == len(text)
    assert "Share" not in blanked and blanked.startswith(BODY) and blanked.endswith(BODY.upper())


def _count(texts: list[str], min_documents: int = 5) -> LineCounter:
    counter = LineCounter()
    keys = [line_keys(text, line_spans(text)) for text in texts]
    counter.add_many(
        np.array([key for document in keys for key in document], dtype=np.int64),
        np.array([len(document) for document in keys], dtype=np.int64),
    )
    counter.find(min_documents, 0.5)
    return counter


MASTHEAD = "The Valley Post: independent news for the upper valley since 1921"
STORIES = [
    f"Story number {number} tells of event {number} in the valley, with details {number}."
    for number in range(8)
]


def test_lines_recurring_with_different_neighbours_are_boilerplate() -> None:
    texts = [f"{MASTHEAD}\n{story}\n{BODY}" for story in STORIES]
    counter = _count(texts)
    assert counter.documents_with_recurring() == list(range(len(texts)))
    for number, text in enumerate(texts):
        kinds = [(span.kind, text[span.start : span.end]) for span in counter.spans(number, text)]
        # the masthead always precedes a different story; the BODY line always follows one
        assert ("recurring", MASTHEAD) in kinds


def test_syndicated_paragraphs_are_not_recurring() -> None:
    wire = [f"Paragraph {number} of the wire story, as the agency sent it." for number in range(6)]
    copies = ["\n".join(wire) for _ in range(8)]
    assert _count(copies).documents_with_recurring() == []


def test_a_syndicated_lead_under_each_outlets_header_is_not_recurring() -> None:
    # ten outlets each put their own line above one wire story: the lead's neighbours
    # differ above, but it runs on into the same story below, which is the whole document
    wire = [f"Paragraph {number} of the wire story, as the agency sent it." for number in range(6)]
    copies = [f"Outlet {number} news desk" + "\n" + "\n".join(wire) for number in range(10)]
    assert _count(copies).documents_with_recurring() == []


def test_a_footer_block_beside_different_articles_is_still_recurring() -> None:
    footer = ["Copyright The Valley Post.", "All rights reserved.", "Contact the newsroom."]
    texts = [
        "\n".join([*(f"{story} More of it, line {line}." for line in range(4)), *footer])
        for story in STORIES
    ]
    counter = _count(texts)
    assert counter.documents_with_recurring() == list(range(len(texts)))
    for number, text in enumerate(texts):
        marked = [text[span.start : span.end] for span in counter.spans(number, text)]
        assert marked == [footer[0]]


def test_scan_keeps_syndicated_copies_and_drops_a_shared_masthead(tmp_path: Path) -> None:
    wire = "\n".join(
        f"Paragraph {number}: the agency reported that the storm moved east on day {number} "
        f"and that roads in district {number} were closed."
        for number in range(6)
    )
    for number in range(6):
        (tmp_path / f"copy{number}.txt").write_text(f"{MASTHEAD}\n{wire}", encoding="utf-8")
        unrelated = random_text(random.Random(number), 120)
        (tmp_path / f"other{number}.txt").write_text(f"{MASTHEAD}\n{unrelated}", encoding="utf-8")
    result = scan([tmp_path], ScanConfig(recurring_min_documents=5, semantic=False))
    relations = {(m.a, m.b): m.relation for m in result.matches}
    copies = [
        pair for pair in relations if pair[0].startswith("copy") and pair[1].startswith("copy")
    ]
    assert len(copies) == 15 and {relations[pair] for pair in copies} == {Relation.EXACT}
    assert all(not (a.startswith("other") and b.startswith("other")) for a, b in relations)
    assert result.summary["counts"]["recurring_lines"] >= 1


@pytest.mark.parametrize(
    ("text", "place", "credits", "published"),
    [
        (
            "KABUL, Aug 11 (Reuters) - Taliban fighters took the city.",
            "KABUL",
            ("Reuters",),
            "2021-08-11",
        ),
        ("Berlin (dpa) - Die Regierung hat am Montag beschlossen.", "Berlin", ("dpa",), None),
        ("LONDON (AP) — Prime Minister said on Monday that talks go on.", "LONDON", ("AP",), None),
        ("Paris, 11 August 2021 (AFP) - The minister resigned.", "Paris", ("AFP",), "2021-08-11"),
        ("The minister resigned on Monday, officials said. (AFP)", None, ("AFP",), None),
        # an outlet the agency list does not know, credited as a dateline credits one
        (
            "LEEDS (Northern Wire) — A warehouse burned on Wednesday.",
            "LEEDS",
            ("Northern Wire",),
            None,
        ),
        # an agency under its full name, as a publisher field would name it
        ("YORK (Press Association) - The bridge shut.", "YORK", ("PA",), None),
        ("SYDNEY (Australian Associated Press) - Rain fell.", "SYDNEY", ("AAP",), None),
        ("The minister resigned, officials said.\n\nPhoto: AP", None, ("AP",), None),
        # as the agencies of other countries write them
        ("(ANSA) - MILANO, 11 AGO - Un incendio è divampato.", "MILANO", ("ANSA",), "2021-08-11"),
        ("МОСКВА, 11 августа. /ТАСС/. Сильный ливень.", "МОСКВА", ("TASS",), "2021-08-11"),
        ("MOSCOW, August 11. /TASS/. A heavy downpour.", "MOSCOW", ("TASS",), "2021-08-11"),
        ("Warszawa, 11.08.2021 (PAP) - Dwa tramwaje.", "Warszawa", ("PAP",), "2021-08-11"),
        ("الرياض 11 أغسطس 2021 (واس) - افتتح الأمير.", "الرياض", ("SPA",), "2021-08-11"),
        ("МОСКВА, 11 авг - РИА Новости. Сильный ливень.", "МОСКВА", ("RIA Novosti",), "2021-08-11"),
        ("Un incendio è divampato nella notte. (ANSA).", None, ("ANSA",), None),
        ("（新华社）北京市气象台发布暴雨红色预警。", None, ("Xinhua",), None),
    ],
)
def test_datelines_and_credits(
    text: str, place: str | None, credits: tuple[str, ...], published: str | None
) -> None:
    facts = extract_facts(text, find_boilerplate(text), year=2021)
    assert (facts.dateline, facts.credits, facts.published) == (place, credits, published)


@pytest.mark.parametrize(
    "opening",
    [
        "Taliban take Ghazni as the offensive goes on\n",  # a page's headline
        "Taliban take Ghazni\nBy Staff Writer\n",  # a headline and a byline
        "Listen to this article · 4 min read\n",  # noise the rules do not know
        # a page's header in a language the date rules do not read: a masthead, a headline
        # and its date line put the dateline fourth
        "Le Quotidien du Centre\nLes talibans prennent Ghazni\nPublié le 11 août 2021 à 11h05\n\n",
    ],
)
def test_the_dateline_is_found_below_a_headline_or_a_line_of_noise(opening: str) -> None:
    text = f"{opening}Kabul (AFP), Aug 11 - Afghan forces withdrew from the city of Ghazni."
    facts = extract_facts(text, find_boilerplate(text), year=2021)
    assert (facts.dateline, facts.credits, facts.published) == ("Kabul", ("AFP",), "2021-08-11")


def test_a_dateline_deep_in_the_body_is_not_the_documents() -> None:
    lines = [f"Line {number} of the story went on about the city." for number in range(4)]
    text = "\n".join([*lines, "Paris (AFP) - a quoted wire story inside the article."])
    assert extract_facts(text, find_boilerplate(text)).dateline is None


def test_a_date_without_a_year_needs_one_from_elsewhere() -> None:
    text = "Kabul (AFP), Aug 11 - Afghan forces withdrew from the city."
    assert extract_facts(text, ()).published is None
    assert extract_facts(text, (), year=2021).published == "2021-08-11"


def test_leading_date_line_dates_the_document_and_the_record_wins(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(
        '{"id": "a", "text": "Posted on March 3, 2022\\nThe bridge was closed."}\n'
        '{"id": "b", "text": "Posted on March 3, 2022\\nThe bridge was closed.", '
        '"published": "2022-03-05"}\n',
        encoding="utf-8",
    )
    result = scan([path])
    assert result.documents.published == ["2022-03-03", "2022-03-05"]


def test_a_document_that_is_all_boilerplate_is_skipped_with_the_reason(tmp_path: Path) -> None:
    (tmp_path / "widget.txt").write_text("Share this article\nFacebook | Twitter\n", "utf-8")
    (tmp_path / "story.txt").write_text(BODY, "utf-8")
    result = scan([tmp_path])
    assert result.documents.status == ["ok", "no_words"]
    skipped = [item for item in result.skipped if item.reason == "no_words"]
    assert skipped[0].detail == "no letters or digits outside boilerplate"


@given(st.lists(st.tuples(st.integers(-3, 3), st.integers(-3, 3)), max_size=40))
def test_count_distinct_agrees_with_sets(pairs: list[tuple[int, int]]) -> None:
    from wiretrace.clean.boilerplate import _count_distinct

    keys = np.array([key for key, _ in pairs], dtype=np.int64)
    values = np.array([value for _, value in pairs], dtype=np.int64)
    distinct, counts = _count_distinct(keys, values)
    expected: dict[int, set[int]] = {}
    for key, value in pairs:
        expected.setdefault(key, set()).add(value)
    assert distinct.tolist() == sorted(expected)
    assert counts.tolist() == [len(expected[key]) for key in sorted(expected)]


COOKIE_NOTICE = (
    "We use cookies and similar technologies to personalise content and ads, and to analyse "
    "our traffic with our partners."
)
STORM = "The storm hit the coast on Monday and left thousands of homes without power."
LATER = "Engineers worked through the night, and most homes had power again by Tuesday."


@pytest.mark.parametrize(
    "lines",
    [
        [COOKIE_NOTICE, "Accept all cookies", "Reject all", "Manage preferences", STORM],
        ["Accept all cookies", "Reject all", COOKIE_NOTICE, STORM],
        [STORM, "Reject all", "Manage preferences", COOKIE_NOTICE, LATER],
        [STORM, "Accept all cookies | Reject all | Manage preferences", LATER],
    ],
)
def test_consent_buttons_next_to_a_notice_are_consent(lines: list[str]) -> None:
    text = "\n".join(lines)
    marked = {text[span.start : span.end] for span in find_boilerplate(text)}
    for line in lines:
        assert (line in marked) == (line not in (STORM, LATER)), line
    assert {span.kind for span in find_boilerplate(text)} == {"consent"}


@pytest.mark.parametrize(
    "notice, buttons",
    [
        ("We use cookies to improve your experience on our website.", ["Accept all", "Settings"]),
        (
            "Wir verwenden Cookies, um Ihnen die bestmögliche Nutzung unserer Website zu "
            "ermöglichen.",
            ["Alle akzeptieren", "Einstellungen"],
        ),
        ("Nous utilisons des cookies pour améliorer votre expérience.", ["Tout accepter"]),
        # the buttons on one line, naming the cookies as each language does
        (
            "Nous utilisons des cookies pour améliorer votre expérience.",
            ["Accepter les cookies   Refuser   Paramétrer"],
        ),
        ("Utilizamos cookies para mejorar su experiencia.", ["Aceptar todas las cookies"]),
        ("Wir verwenden Cookies auf dieser Seite.", ["Alle Cookies akzeptieren | Ablehnen"]),
    ],
)
@pytest.mark.parametrize("buttons_first", [False, True])
def test_a_notice_that_says_cookies_alone_is_consent_beside_its_buttons(
    notice: str, buttons: list[str], buttons_first: bool
) -> None:
    # a plain notice names one consent word ("cookies"): alone it may be an article's
    # sentence, but with its buttons right above or below it, it is the notice (it stayed
    # in the text, in every language, and its buttons with it)
    lines = [*buttons, notice] if buttons_first else [notice, *buttons]
    text = "\n".join([*lines, STORM])
    found = find_boilerplate(text)
    assert [text[span.start : span.end] for span in found] == lines
    assert {span.kind for span in found} == {"consent"}
    # without its buttons, or with the article between them, it is text
    for apart in ([notice, STORM], [notice, STORM, *buttons]):
        text = "\n".join(apart)
        assert notice not in {text[span.start : span.end] for span in find_boilerplate(text)}


def test_button_words_far_from_any_notice_are_text() -> None:
    text = "\n".join([STORM, "Reject all", "Manage preferences", LATER, "We use cookies."])
    marked = {text[span.start : span.end] for span in find_boilerplate(text)}
    assert "Reject all" not in marked and "Manage preferences" not in marked


@given(st.lists(st.sampled_from(list(".!?…。！？\"'”’)]」』 \n\tab中")), max_size=40).map("".join))
@example("He left.) Then 'she' came.\" Done. ok!  Yes?\n")
@example("Gone… (then) back.”  Next")
@example("他走了。”她来了！  好？」是")
@settings(max_examples=500)
def test_sentence_starts_where_a_stop_is_looked_behind_for(line: str) -> None:
    """The sentence starts match the stops rather than look behind for them: the same
    positions as the plain form of the rule (a sentence starts after its stop, closing
    quotes and space)."""
    import re

    from wiretrace.clean.boilerplate import _sentence_starts

    behind = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=\S)")
    behind_any = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=\S)|(?<=[。！？])[”’」』]*\s*(?=\S)")
    pattern = behind if line.isascii() else behind_any
    assert _sentence_starts(line) == [found.end() for found in pattern.finditer(line)]
