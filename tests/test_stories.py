"""Stories: named entities, the similarity graph and its communities."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from pathlib import Path

import numpy as np

from wiretrace import scan
from wiretrace.config import ScanConfig
from wiretrace.group.stories import StoryInputs, story_clusters
from wiretrace.index import Index
from wiretrace.records import Match, Relation, Story
from wiretrace.sketch.background import entity_hash
from wiretrace.sketch.batch import BatchItem, SketchParams, sketch_batch
from wiretrace.sketch.topics import (
    entities_of,
    names_in_common,
    pair_evidence,
    topic_terms,
    topic_vectors,
)


def test_entities_are_runs_of_capitalised_words_and_years() -> None:
    text = (
        "Afghan President Ashraf Ghani flew to Mazar on Wednesday. Fighters said The Taliban "
        "took Kunduz in 2021.\nOfficials met Atta Mohammad Noor."
    )
    assert entities_of(text) == [
        "afghan president ashraf ghani",
        "mazar",
        "wednesday",
        "taliban",  # "The" is dropped; "Fighters" opens a sentence and is no name
        "kunduz",
        "2021",
        "atta mohammad noor",
    ]


def test_a_title_before_a_name_is_no_part_of_it() -> None:
    # two reports of one company's results, one with the chief executive's title: one name
    assert entities_of("Chief Executive Tim Cook said demand recovered.") == ["tim cook"]
    assert entities_of("Demand recovered, Tim Cook told analysts.") == ["tim cook"]
    assert entities_of("Its Chief Financial Officer Amy Hood spoke.") == ["amy hood"]
    # British and local titles too (a new user's "councillor ruth ogunleye" in one report,
    # "ruth ogunleye" in the other)
    assert entities_of("It was approved, Councillor Ruth Ogunleye said.") == ["ruth ogunleye"]
    assert entities_of("The case was opened by Prosecutor Jonathan Akroyd.") == ["jonathan akroyd"]
    # words that open the names of places and companies stay in them
    assert entities_of("Deputies in King County and General Motors said.") == [
        "king county",
        "general motors",
    ]


def test_tfidf_cosine_and_entity_overlap() -> None:
    documents = [
        topic_terms("Rebels seized Kunduz and Herat on Sunday, officials in Kabul said."),
        topic_terms("Officials in Kabul said rebels seized Kunduz and Herat on Sunday."),
        topic_terms("The central bank raised interest rates in Frankfurt on Thursday."),
    ]
    vectors = topic_vectors(documents)
    cosines, overlaps = pair_evidence(vectors, np.array([[0, 1], [0, 2]]))
    assert cosines[0] > 0.99 and cosines[1] < 0.2  # same words; few shared, all common
    assert overlaps[0] == 1.0 and overlaps[1] == 0.0


def test_one_name_news_at_large_often_names_is_no_evidence_of_one_event() -> None:
    documents = [
        topic_terms("Prices in Germany rose again in March, the statistics office said."),
        topic_terms("A storm closed schools in northern Germany on Tuesday."),
        topic_terms("Two museums in Germany and Berlin reopened after the storm."),
        topic_terms("Flooding hit Germany and Berlin overnight, officials said."),
        topic_terms("The old bridge in Heidelberg will be closed for repairs."),
        topic_terms("Engineers inspected the bridge in Heidelberg after a crack appeared."),
    ]
    pairs = np.array([[0, 1], [2, 3], [4, 5], [0, 4]])
    found = names_in_common(topic_vectors(documents), pairs)
    # "Germany" alone (news at large names it in ~4% of articles): no; two names: yes; a
    # town news at large seldom names: yes; nothing in common: no
    assert found.tolist() == [False, True, True, False]


def test_the_year_both_were_written_in_is_no_name_another_year_is() -> None:
    documents = [
        topic_terms("Voters in Lyon chose a new mayor on July 13, 2026, officials said."),
        topic_terms("Voters in Rennes elected a council on July 13, 2026, the prefect said."),
        topic_terms("The flood of 2019 destroyed the old mill, officials said."),
        topic_terms("Engineers still study the flood of 2019, the prefect said."),
    ]
    pairs = np.array([[0, 1], [2, 3]])
    written = ["2026-07-13", "2026-07-13", "2026-07-13", "2026-07-13"]
    vectors = topic_vectors(documents)
    assert names_in_common(vectors, pairs).tolist() == [True, True]  # undated: a rare name
    # 2026 is when both were written, not which vote; 2019 is which flood
    assert names_in_common(vectors, pairs, None, written).tolist() == [False, True]
    assert names_in_common(vectors, pairs, None, ["2026-07-13", None, *written[2:]]).tolist() == [
        True,
        True,
    ]


def test_short_reports_sharing_only_their_country_are_not_one_story(tmp_path: Path) -> None:
    """A new user's feed of short reports, each closing on one stock sentence: a storm in
    Germany and inflation in Germany were one story (0.89), held by "Germany"."""
    close = " More details were not released."
    reports = {
        "prices": "Consumer prices in Germany rose 2.4 percent in May from a year earlier, "
        "the statistics office said.",
        "storm": "A storm felled trees across northern Germany and stopped trains between "
        "two ports.",
        "match": "Bayern Munich beat Borussia Dortmund 3-1 on Saturday.",
        "hall": "A concert hall opened in Hamburg after six years of building.",
    }
    for name, text in reports.items():
        (tmp_path / f"{name}.txt").write_text(f"Report\n\n{text}{close}\n", encoding="utf-8")
    result = scan([tmp_path], ScanConfig(workers=1))
    assert [len(story.members) for story in result.stories] == [1] * len(reports)
    # an index holds the same rule (``index.query``) when it adds them one at a time
    with Index.create(tmp_path / "index", ScanConfig(workers=1)) as index:
        for name in reports:
            index.add([tmp_path / f"{name}.txt"])
        stories = index.result().stories
    assert [len(story.members) for story in stories] == [1] * len(reports)


def test_a_storys_dates_are_moments_whatever_their_offsets(tmp_path: Path) -> None:
    """A feed's times in two offsets: the story's first publication came out later than its
    last (the strings compared), and the index listed stories since a moment out of order."""
    text = (
        "A warehouse fire in Trafford Park was put out on Tuesday after six hours, "
        "Greater Manchester Fire and Rescue Service said. Nobody was hurt."
    )
    records = [
        {"id": "wire", "text": text, "published": "2026-03-14T11:30:00+01:00"},  # 10:30 UTC
        {"id": "copy", "text": text, "published": "2026-03-14T11:00:00Z"},
    ]
    path = tmp_path / "feed.jsonl"
    path.write_text("".join(json.dumps(record) + "\n" for record in records), "utf-8")
    (story,) = scan([path], ScanConfig(workers=1, semantic=False)).stories
    assert (story.first_published, story.last_published) == (
        "2026-03-14T11:30:00+01:00",
        "2026-03-14T11:00:00+00:00",
    )
    with Index.create(tmp_path / "index", ScanConfig(workers=1, semantic=False)) as index:
        index.add([path])
        assert [s.members for s in index.stories("2026-03-14T10:45:00Z")] == [("copy", "wire")]
        assert index.stories("2026-03-14T11:15:00+00:00") == []


def _topic_text(chooser: random.Random, vocabulary: list[str], place: str) -> str:
    words = [chooser.choice(vocabulary) for _ in range(60)]
    return f"Officials in {place} said " + " ".join(words) + "."


def _inputs(texts: list[str], published: list[str | None]) -> StoryInputs:
    from wiretrace.candidates.neighbours import day_numbers

    terms = [topic_terms(text) for text in texts]
    return StoryInputs(
        ids=[f"d{index:02}" for index in range(len(texts))],
        headlines=[term.lead for term in terms],
        published=published,
        days=day_numbers(published),
        topics=topic_vectors(terms),
        leads=None,
    )


def _two_topics(size: int = 6) -> list[str]:
    chooser = random.Random(3)
    floods = ["flood", "river", "rain", "levee", "evacuated", "water", "dam", "rescue"]
    chips = ["chip", "wafer", "foundry", "semiconductor", "fab", "lithography", "node", "yield"]
    return [_topic_text(chooser, floods, "Dhaka") for _ in range(size)] + [
        _topic_text(chooser, chips, "Hsinchu") for _ in range(size)
    ]


def _members(stories: list[Story]) -> list[tuple[str, ...]]:
    return sorted(story.members for story in stories)


def test_documents_about_two_events_form_two_stories() -> None:
    texts = _two_topics()
    stories = story_clusters(_inputs(texts, [None] * 12), [], ScanConfig().story_settings())
    assert _members(stories) == [
        tuple(f"d{index:02}" for index in range(6)),
        tuple(f"d{index:02}" for index in range(6, 12)),
    ]
    assert [story.story for story in stories] == [1, 2]
    # repeatable: the community search is seeded
    again = story_clusters(_inputs(texts, [None] * 12), [], ScanConfig().story_settings())
    assert again == stories


def test_communities_likely_one_event_across_are_joined_likeliest_first() -> None:
    from wiretrace.group.stories import _joined

    # communities {0, 1}, {2, 3}, {4}: across the first two the mean chance over their four
    # pairs is 0.6 (one pair alone is below a half): joined; the third's one strong pair
    # with d0 is a mean of 0.45 over the first community's two members: not joined
    membership = np.array([0, 0, 1, 1, 2])
    pairs = np.array([[0, 2], [0, 3], [1, 2], [1, 3], [0, 4]])
    chance = np.array([0.9, 0.8, 0.4, 0.3, 0.9])
    assert _joined(membership, pairs, chance).tolist() == [0, 0, 0, 0, 1]
    # a pair no candidate holds counts 0: without (1, 3) the mean is 0.525, without (1, 2)
    # as well 0.425
    assert _joined(membership, pairs[[0, 1, 2, 4]], chance[[0, 1, 2, 4]]).tolist() == [
        0,
        0,
        0,
        0,
        1,
    ]
    assert _joined(membership, pairs[[0, 1, 4]], chance[[0, 1, 4]]).tolist() == [0, 0, 1, 1, 2]
    # the likeliest first: {2, 3} and {4} (mean 0.9) join before {0, 1} is weighed against
    # them, and then {0, 1} stands apart (its mean with the three is 0.35)
    chain = np.array([[2, 4], [3, 4], [0, 2], [0, 3], [1, 2]])
    likely = np.array([0.9, 0.9, 0.8, 0.8, 0.5])
    assert _joined(membership, chain, likely).tolist() == [0, 0, 1, 1, 1]
    # numbered again by first member, whatever the communities' numbers were
    assert _joined(np.array([2, 2, 0, 0, 1]), pairs, chance).tolist() == [0, 0, 0, 0, 1]
    # a resolution asked for above a half is the join's floor too: --story-resolution 1
    # left a story of two football matches of one day (0.89) joined
    assert _joined(membership, pairs, chance, 0.7).tolist() == [0, 0, 1, 1, 2]


_LEEDS_FIRE = {  # two reports of one fire, in other words
    "fire1": "A fire destroyed a carpet warehouse in Leeds on Monday night. Crews from "
    "West Yorkshire Fire and Rescue Service fought the blaze for six hours and nobody "
    "was hurt, a spokesman said.",
    "fire2": "Smoke could be seen across the city as a warehouse burned on Kirkstall Road "
    "in Leeds. West Yorkshire Fire and Rescue Service said the building, used to store "
    "carpets, was gutted.",
}


def test_a_resolution_above_a_pairs_chance_parts_it(tmp_path: Path) -> None:
    for name, text in _LEEDS_FIRE.items():
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    config = ScanConfig(workers=1, semantic=False)
    (joined,) = [s for s in scan([tmp_path], config).stories if len(s.members) == 2]
    assert joined.confidence is not None and joined.confidence < 0.999
    above = replace(config, story_resolution=min(1.0, joined.confidence + 0.001))
    assert all(len(s.members) == 1 for s in scan([tmp_path], above).stories)


def test_a_copy_joins_stories_and_a_report_far_apart_stays_one() -> None:
    texts = _two_topics()
    settings = ScanConfig().story_settings()
    # a page that shares no words with the floods (its text was mangled) but copies d00
    lone = [*texts, "Zzz qqq xxyy wwvv plorp."]
    alone = story_clusters(_inputs(lone, [None] * 13), [], settings)
    assert ("d12",) in _members(alone)
    copy = Match("d00", "d12", Relation.NEAR_DUPLICATE, 0.9, 0.9, 0.9, ())
    joined = story_clusters(_inputs(lone, [None] * 13), [copy], settings)
    assert (*(f"d{index:02}" for index in range(6)), "d12") in _members(joined)
    # the same report dated two years apart (every word, the place and the headline alike):
    # one story, a republication; time weighs where the text leaves doubt (a year alone is
    # not far: an incident's trial or anniversary is reported months later), see
    # test_story_model.py; the first dated member opens the story, the last closes it
    published = ["2020-06-01"] * 3 + ["2022-06-01"] * 3 + [None] * 6
    stories = story_clusters(_inputs(texts, published), [], settings)
    assert _members(stories)[0] == tuple(f"d{index:02}" for index in range(6))
    assert (stories[0].first_published, stories[0].last_published) == ("2020-06-01", "2022-06-01")
    assert all(story.title and story.title.startswith("Officials in") for story in stories)


def test_each_story_names_what_holds_it_together() -> None:
    texts = _two_topics()
    # one lone document, unlike the rest: a story of one, held together by nothing
    texts.append("Zzz qqq xxyy wwvv plorp.")
    published = ["2020-06-01", "2020-06-03", "2020-06-02"] + [None] * 10
    inputs = replace(_inputs(texts, published), text=lambda index: texts[index])
    stories = story_clusters(inputs, [], ScanConfig().story_settings())
    by_members = {story.members[0]: story for story in stories}
    floods, chips, lone = by_members["d00"], by_members["d06"], by_members["d12"]
    assert floods.entities == ("Dhaka",)  # named as written; "Officials" opens a sentence
    assert chips.entities == ("Hsinchu",)
    # the words all six share, each many times, fill the list before "dhaka" (once each)
    assert set(floods.terms) == {
        "flood",
        "river",
        "rain",
        "levee",
        "evacuated",
        "water",
        "dam",
        "rescue",
    }
    assert (floods.first_published, floods.last_published) == ("2020-06-01", "2020-06-03")
    assert (chips.first_published, chips.last_published) == (None, None)
    assert (lone.members, lone.entities, lone.terms) == (("d12",), (), ())
    # without the texts the evidence cannot be named: the stories are the same, unexplained
    unnamed = story_clusters(_inputs(texts, published), [], ScanConfig().story_settings())
    assert [story.members for story in unnamed] == [story.members for story in stories]
    assert all(story.entities == () and story.terms == () for story in unnamed)


def test_a_story_is_titled_by_the_member_another_member_copies() -> None:
    texts = _two_topics()
    settings = ScanConfig().story_settings()
    plain = story_clusters(_inputs(texts, [None] * 12), [], settings)
    floods = next(story for story in plain if "d00" in story.members)
    # d04 is copied whole by d05 (a republication): d04's headline titles the story, whoever
    # is most central; lifting a passage of d02 does not make it the source of the story
    copied = Match("d04", "d05", Relation.NEAR_DUPLICATE, 0.9, 0.9, 0.9, (), source="d04")
    lifted = Match("d02", "d03", Relation.PARTIAL, 0.1, 0.2, 0.2, (), source="d02")
    stories = story_clusters(_inputs(texts, [None] * 12), [lifted, copied], settings)
    titled = next(story for story in stories if "d00" in story.members)
    assert titled.title == topic_terms(texts[4]).lead != floods.title


def test_with_no_source_named_the_text_copied_whole_titles_the_story() -> None:
    # undated texts: no copy has a source, but one member holds another whole and a third lies
    # inside it (a cut copy): the text sites carried titles the story, not the cut copy's,
    # nor the most central member's (a rewrite of it, say)
    texts = _two_topics()
    settings = ScanConfig().story_settings()
    plain = story_clusters(_inputs(texts, [None] * 12), [], settings)
    leads = [topic_terms(text).lead for text in texts[:6]]
    central = leads.index(next(story for story in plain if "d00" in story.members).title)
    holder, twin, cut = [index for index in range(6) if index != central][:3]
    a, b = sorted((f"d{holder:02}", f"d{twin:02}"))
    exact = Match(a, b, Relation.EXACT, 1.0, 1.0, 1.0, ())

    def inside(small: int, large: int) -> Match:
        first, second = sorted((small, large))
        share = (1.0, 0.3) if first == small else (0.3, 1.0)
        return Match(f"d{first:02}", f"d{second:02}", Relation.CONTAINED, 0.3, *share, ())

    # the most central member rewrites each of the others (and so stays the most central)
    rewrites = [
        Match(*sorted((f"d{central:02}", f"d{other:02}")), Relation.PARAPHRASE, 0.1, 0.1, 0.1, ())
        for other in range(6)
        if other != central
    ]
    # of two exact copies either titles (they are one text on the web)
    for held, titled_by in (
        ([exact, inside(cut, holder)], {holder, twin}),
        ([inside(holder, cut)], {cut}),
    ):
        stories = story_clusters(_inputs(texts, [None] * 12), [*held, *rewrites], settings)
        titled = next(story for story in stories if "d00" in story.members)
        assert titled.title in {leads[index] for index in titled_by}


def test_the_outlet_a_dateline_credits_is_no_name_of_the_event() -> None:
    text = "LEEDS (Northern Wire) — Firefighters from West Yorkshire Fire Service were called."
    assert entity_hash("Northern Wire") in set(topic_terms(text).entities.tolist())
    params = SketchParams.of(ScanConfig())
    first = sketch_batch([BatchItem(text)], params)
    assert first.facts[0] is not None and first.facts[0][2] == ("Northern Wire",)
    # and sketched again once recurring lines are known, with what the first sketch found
    again = sketch_batch([BatchItem(text, (), None, False, "en", ("Northern Wire",))], params)
    for sketch in (first, again):
        found = set(sketch.topics[0].entities.tolist())
        assert entity_hash("Northern Wire") not in found
        assert entity_hash("West Yorkshire Fire Service") in found


def test_one_wires_reports_of_two_fires_sharing_a_stock_phrase_are_two_stories(
    tmp_path: Path,
) -> None:
    # one outlet, one day, one formula ("crews attended and the cause is under
    # investigation", a verbatim passage of 8 words) and two fires in two cities: neither the
    # outlet's name nor a stock phrase that names nothing is evidence of one event; the other
    # report of the Leeds fire (its own words) is
    wire = "{city} (Northern Wire) — {body} crews attended and the cause is under investigation."
    records = [
        (
            "leeds",
            wire.format(
                city="LEEDS",
                body="Firefighters were called to a warehouse fire in the Hunslet area of Leeds "
                "on Wednesday night. Two people were treated for smoke inhalation, West "
                "Yorkshire Fire and Rescue Service said. Six",
            ),
        ),
        (
            "leeds-other",
            "Two people were treated for smoke inhalation after a fire broke out at a "
            "warehouse in Hunslet, Leeds, on Wednesday evening. Six fire crews were sent to "
            "the blaze, and West Yorkshire Fire and Rescue Service said it was investigating "
            "what started it.",
        ),
        (
            "sheffield",
            wire.format(
                city="SHEFFIELD",
                body="A fire destroyed a disused mill in Kelham Island, Sheffield, on "
                "Wednesday. Nobody was hurt, South Yorkshire Fire and Rescue said. Four",
            ),
        ),
    ]
    path = tmp_path / "day.jsonl"
    path.write_text(
        "".join(
            json.dumps({"id": doc_id, "text": text, "published": "2025-06-12"}) + "\n"
            for doc_id, text in records
        ),
        encoding="utf-8",
    )
    result = scan([path], ScanConfig(workers=1))
    story = result.story_of()
    assert story["leeds"] == story["leeds-other"] != story["sheffield"]
    relation = {(m.a, m.b): m.relation for m in result.matches}
    assert relation.get(("leeds", "sheffield")) == Relation.PARTIAL  # still shared text


def test_a_stock_sentence_two_reports_of_two_fires_end_with_joins_nothing(tmp_path: Path) -> None:
    # a new user's day of news: two fires in two cities, each report closing with the same
    # whole sentence (a verbatim passage of 8 words whose first word is a capital only
    # because it opens the sentence)
    close = " The cause of the fire is under investigation."
    records = {
        "leeds": "Firefighters were called to a large fire at a warehouse on Kirkstall Road in "
        "Leeds on Monday morning. Eight fire engines attended and residents were asked to "
        "keep windows closed because of heavy smoke. West Yorkshire Fire and Rescue Service "
        "said nobody was hurt." + close,
        "sheffield": "Firefighters spent the night at a former steel mill in Attercliffe, "
        "Sheffield, after a fire broke out on Sunday evening. Six fire engines attended and "
        "South Yorkshire Fire and Rescue said the roof had partly collapsed. No injuries "
        "were reported." + close,
    }
    path = tmp_path / "day.jsonl"
    path.write_text(
        "".join(
            json.dumps({"id": doc_id, "text": text, "published": "2026-11-02"}) + "\n"
            for doc_id, text in records.items()
        ),
        encoding="utf-8",
    )
    result = scan([path], ScanConfig(workers=1))
    story = result.story_of()
    assert story["leeds"] != story["sheffield"]
    relation = {(m.a, m.b): m.relation for m in result.matches}
    assert relation.get(("leeds", "sheffield")) == Relation.PARTIAL


def test_two_reports_from_one_template_are_two_stories(tmp_path: Path) -> None:
    # a new user's market news: two companies' results of one day, written from one
    # template, share long passages (``partial``) and were one story at 1.00; what they
    # share is one formula filled in with two companies' facts, no reused text of one event
    def report(company: str, ticker: str, city: str, eps: str, revenue: str, price: str) -> str:
        return (
            f"{company} ({ticker}) released its quarterly earnings results on Thursday "
            f"morning. The {city}-based company reported ${eps} earnings per share for the "
            "quarter, beating the consensus estimate by a wide margin. The firm had revenue "
            f"of ${revenue} million for the quarter, compared to the estimates of the "
            f"analysts who follow the stock. Shares of {ticker} opened at ${price} on Friday. "
            "The stock has a fifty day moving average that is above its two hundred day "
            "moving average, and the company has a market capitalization of several billion "
            "dollars and a beta close to one."
        )

    records = tmp_path / "market.jsonl"
    rows = [
        ("embr", report("Ember Energy", "EMBR", "Tulsa", "1.98", "647.80", "22.39")),
        ("fjrd", report("Fjord Shipping", "FJRD", "Seattle", "1.40", "778.95", "56.98")),
    ]
    records.write_text(
        "".join(
            json.dumps({"id": name, "text": text, "published": "2025-03-13"}) + "\n"
            for name, text in rows
        ),
        "utf-8",
    )
    result = scan([records], ScanConfig(workers=1))
    assert [m.relation for m in result.matches] == [Relation.PARTIAL]
    assert [len(story.members) for story in result.stories] == [1, 1]


def test_a_window_keeps_stories_to_it_as_it_keeps_matches(tmp_path: Path) -> None:
    # --window 1 gave no match between reports three days apart, yet one story at 0.94
    records = [
        {"id": name, "text": text, "published": f"2026-03-0{2 + 3 * number}"}
        for number, (name, text) in enumerate(_LEEDS_FIRE.items())
    ]
    path = tmp_path / "fires.jsonl"
    path.write_text("".join(json.dumps(record) + "\n" for record in records), "utf-8")
    config = ScanConfig(workers=1, semantic=False)
    assert [len(s.members) for s in scan([path], config).stories] == [2]
    windowed = scan([path], replace(config, window_days=1))
    assert [len(s.members) for s in windowed.stories] == [1, 1]
    assert windowed.matches == ()


def test_a_story_does_not_change_with_documents_it_is_not_linked_to() -> None:
    """Communities are found part by part, each from the same seed: with one walk of the
    whole graph, three documents linked only to each other moved document 6 of this part
    from 0's community to 5's."""
    from wiretrace.group.stories import _communities

    pairs = np.array([[0, 3], [0, 6], [0, 7], [1, 6], [2, 3], [3, 4], [3, 7], [4, 6], [5, 6]])
    weights = np.array([0.39, 0.77, 0.75, 0.73, 0.57, 1.0, 0.99, 0.78, 0.76])
    no_copies = np.empty((0, 2), dtype=np.int64)
    alone = _communities(8, pairs, weights, no_copies, 0.5)
    triangle = np.array([[0, 1], [1, 2], [0, 2]])
    beside = _communities(
        11,
        np.concatenate([triangle, pairs + 3]),
        np.concatenate([[0.9, 0.9, 0.9], weights]),
        no_copies,
        0.5,
    )
    assert beside[:3].tolist() == [0, 0, 0]
    assert (beside[3:] - 1).tolist() == alone.tolist()  # numbered by first member
