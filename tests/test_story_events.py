"""Stories told apart by their events: who, where, when, how many (issue 25).

Hand-written reports, scanned whole with the defaults: two shootings in one city on one day
with different victims stay two stories; a follow-up weeks later that names the victims
rejoins its incident; unrelated articles of a small corpus join nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wiretrace import ScanConfig, scan
from wiretrace.sketch.background import stop_words_set

ARTICLES = {
    "bar-1": (
        "2016-05-11",
        "Two killed, one wounded in shooting at Dayton bar",
        "DAYTON, Ohio — Two men were killed and a woman was wounded in a shooting on Tuesday "
        "night at the Blue Note Lounge on East Third Street, police said. Officers found "
        "Marcus Reed, 24, and Tyrone Banks, 31, dead inside the bar shortly before 11 p.m. "
        "A 27-year-old woman was taken to Miami Valley Hospital with a gunshot wound to the "
        "leg. Police said an argument inside the lounge spilled onto the sidewalk before the "
        "gunman opened fire. No arrests had been made by Wednesday morning.",
    ),
    "bar-2": (
        "2016-05-11",
        "Police seek gunman after deadly lounge shooting",
        "Dayton police are searching for the man who opened fire at the Blue Note Lounge late "
        "Tuesday, killing Marcus Reed and Tyrone Banks and injuring a third person. Witnesses "
        "told investigators the shooter left in a dark sedan heading toward Interstate 75. "
        "Reed, 24, was a cook at a nearby restaurant; Banks, 31, had two young daughters, his "
        "family said. Anyone with information is asked to call Crime Stoppers.",
    ),
    "teen-1": (
        "2016-05-11",
        "Teen shot and killed on Salem Avenue",
        "DAYTON, Ohio — A 16-year-old boy was shot and killed Tuesday afternoon on Salem "
        "Avenue, police said. Jalen Cooper was walking home from school when a car pulled "
        "alongside him and someone inside fired several shots. He died at the scene. Police "
        "said they do not believe the shooting was random and asked witnesses to come "
        "forward.",
    ),
    "teen-2": (
        "2016-05-12",
        "Vigil held for Jalen Cooper, 16",
        "Friends and teachers gathered Wednesday evening on Salem Avenue to remember Jalen "
        "Cooper, the 16-year-old shot dead on his way home from school on Tuesday. His mother "
        "asked the community to help police find whoever fired from the passing car. The "
        "Dayton Public Schools district sent counsellors to his high school.",
    ),
    "bar-charge": (
        "2016-06-01",
        "Man charged with murder in Blue Note Lounge shooting",
        "A 29-year-old Dayton man has been charged with two counts of murder in the deaths of "
        "Marcus Reed and Tyrone Banks, who were shot last month at the Blue Note Lounge on "
        "East Third Street. Prosecutors said Darnell Price turned himself in on Tuesday. He "
        "is being held in the Montgomery County jail on a $1 million bond.",
    ),
    "football": (
        "2016-05-11",
        "City beat Rovers to go top",
        "City beat Rovers 3-1 on Tuesday night to go top of the league on points, with four "
        "games left. Their striker scored twice in the first half and the visitors never "
        "recovered. The manager said his side would take nothing for granted in the run-in.",
    ),
    "tennis": (
        "2016-05-11",
        "Second seed beaten in Rome",
        "The second seed was beaten in straight sets in Rome on Tuesday, losing four games in "
        "a row to fall out of the tournament in the second round. Her opponent, ranked 40th, "
        "goes on to meet the champion of two years ago, who beat a qualifier on points.",
    ),
    "council": (
        "2016-05-10",
        "Council approves budget for new library",
        "The city council approved a budget of $12 million for a new central library on "
        "Monday night after a debate of four hours. Construction is to start next spring and "
        "the building should open two years later, the mayor said.",
    ),
    "results": (
        "2016-05-10",
        "Chipmaker's profit beats forecasts",
        "The chipmaker reported a quarterly profit of $2.1 billion on Monday, beating "
        "forecasts as demand for data-centre processors grew. Its shares rose four per cent "
        "in after-hours trading and the company raised its outlook for the year.",
    ),
    "weather": (
        "2016-05-10",
        "Storms to sweep across the region",
        "Thunderstorms with hail and strong winds are expected to sweep across the region on "
        "Wednesday afternoon, forecasters said, with up to two inches of rain in places. Drivers "
        "were told to avoid flooded roads.",
    ),
}


@pytest.fixture(scope="module")
def stories(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[str]]:
    """Each article's story, as the set of its members; and the stories rows by number."""
    folder = tmp_path_factory.mktemp("events")
    corpus = folder / "articles.jsonl"
    with corpus.open("w", encoding="utf-8") as stream:
        for key, (published, title, text) in ARTICLES.items():
            record = {"id": key, "published": published, "title": title, "text": text}
            stream.write(json.dumps(record) + "\n")
    result = scan([corpus], ScanConfig(workers=1))
    members = {story.story: set(story.members) for story in result.stories}
    found = {doc_id: members[number] for doc_id, number in result.story_of().items()}
    found["__stories__"] = result.stories  # type: ignore[assignment]
    return found


def test_same_city_same_day_different_victims_stay_apart(stories: dict[str, set[str]]) -> None:
    assert {"bar-1", "bar-2"} <= stories["bar-1"]
    assert {"teen-1", "teen-2"} <= stories["teen-1"]
    assert stories["bar-1"].isdisjoint({"teen-1", "teen-2"})


def test_a_follow_up_weeks_later_naming_the_victims_joins_its_incident(
    stories: dict[str, set[str]],
) -> None:
    assert "bar-charge" in stories["bar-1"]


def test_unrelated_articles_of_a_small_corpus_join_nothing(stories: dict[str, set[str]]) -> None:
    for key in ("football", "tennis", "council", "results", "weather"):
        assert stories[key] == {key}, f"{key} joined {stories[key]}"


def test_stories_name_their_arguments_and_no_stop_word(stories: dict[str, set[str]]) -> None:
    stop = stop_words_set()
    shown = [story for story in stories["__stories__"] if len(story.members) > 1]  # type: ignore[attr-defined]
    assert shown
    for story in shown:
        assert story.confidence is not None and 0.0 < story.confidence <= 1.0
        assert not stop & {term.lower() for term in story.terms}
        assert not stop & {entity.lower() for entity in story.entities}
    teen = next(story for story in shown if "teen-1" in story.members)
    assert "age 16" in teen.counts
    # the shooting "Tuesday" (the 10th), the vigil "Wednesday evening": no date that two
    # members give, so none is shown as what holds the story together
    assert teen.when is None


def test_documents_carry_their_event(tmp_path: Path) -> None:
    corpus = tmp_path / "one.jsonl"
    published, title, text = ARTICLES["bar-1"]
    corpus.write_text(
        json.dumps({"id": "bar-1", "published": published, "title": title, "text": text}) + "\n",
        encoding="utf-8",
    )
    result = scan([corpus], ScanConfig(workers=1, semantic=False))
    event, date = result.documents.event[0]
    assert date == "2016-05-10"
    assert ("killed", 2) in event.counts
    assert "marcus reed" in event.names
    assert "dayton" in event.places


FIRES = {
    "ridge-1": (
        "2026-09-15",
        "Ridgeline Fire forces 1,800 to evacuate",
        "SANTA ROSA, Calif. (Metro Wire) — A wildfire that broke out in the hills north of "
        "Santa Rosa on Monday afternoon had burned more than 4,200 acres by Tuesday morning, "
        "forcing the evacuation of about 1,800 residents, fire officials said. Two homes were "
        "destroyed. Battalion chief Maria Delgado said gusts of up to 40 miles per hour could "
        "push the fire toward the Mark West Springs area. Evacuation centers were opened at "
        "the Finley Community Center.",
    ),
    "ridge-2": (
        "2026-09-17",
        "Crews gain on Ridgeline Fire",
        "SANTA ROSA, Calif. — Firefighters gained ground on the Ridgeline Fire on Thursday as "
        "winds eased, raising containment to 45%, officials said. Battalion chief Maria "
        "Delgado credited overnight air drops, and most evacuation orders near Mark West "
        "Springs were downgraded to warnings.",
    ),
    "creek-1": (
        "2026-09-15",
        "Clear Creek Fire destroys three homes",
        "REDDING, Calif. — A fast-moving brush fire near Redding destroyed three homes on "
        "Tuesday and forced about 600 people to evacuate, Shasta County officials said. The "
        "Clear Creek Fire started just after noon near Placer Road and grew to 900 acres within "
        "hours, pushed by dry north winds. An evacuation center opened at Shasta High School.",
    ),
}


def test_two_fires_in_one_state_on_one_day_are_two_stories(tmp_path: Path) -> None:
    # the state of "SANTA ROSA, Calif." and "REDDING, Calif." places each city; it is no
    # place the two events share
    corpus = tmp_path / "fires.jsonl"
    with corpus.open("w", encoding="utf-8") as stream:
        for key, (published, title, text) in FIRES.items():
            record = {"id": key, "published": published, "title": title, "text": text}
            stream.write(json.dumps(record) + "\n")
    story = scan([corpus], ScanConfig(workers=1)).story_of()
    assert story["ridge-1"] == story["ridge-2"] != story["creek-1"]


QUAKES = {
    "japan": (
        "TOKYO (Reuters) - A magnitude 6.8 earthquake struck off the coast of northern Japan on "
        "Thursday, shaking buildings in the city of Sendai and prompting a brief tsunami "
        "advisory, the Japan Meteorological Agency said.\n\nThe quake hit at 10:42 a.m. local "
        "time at a depth of about 40 km, the agency said. There were no immediate reports of "
        "serious damage or injuries.\n\nEast Japan Railway Co suspended some bullet train "
        "services as a precaution, and Tohoku Electric Power said it was checking its Onagawa "
        "nuclear plant."
    ),
    "japan-follow-up": (
        "SENDAI, Japan (AP) - Residents of Sendai cleaned up broken glass on Friday, a day after "
        "a magnitude 6.8 earthquake struck off northern Japan. Officials said 12 people had "
        "been treated for minor injuries. Tohoku Electric Power said inspections at the "
        "Onagawa nuclear plant had found no problems."
    ),
    "chile": (
        "SANTIAGO (Reuters) - A magnitude 6.8 earthquake struck central Chile on Thursday, "
        "shaking buildings in the capital Santiago, but there were no immediate reports of "
        "damage, the national disaster agency said.\n\nThe quake hit at 3:15 p.m. local time "
        "at a depth of 60 km near the coastal city of Valparaiso, the U.S. Geological Survey "
        "said. No tsunami warning was issued."
    ),
}


def test_two_earthquakes_of_one_magnitude_in_two_countries_are_two_stories(
    tmp_path: Path,
) -> None:
    # the same agency's formula, the same magnitude and the same day: what tells them apart
    # is where (a count in common holds no pair that names other places) and the agency
    # is no name the events share; nor is the formula a passage one lifted from the other
    corpus = tmp_path / "quakes.jsonl"
    with corpus.open("w", encoding="utf-8") as stream:
        for key, text in QUAKES.items():
            stream.write(json.dumps({"id": key, "text": text}) + "\n")
    result = scan([corpus], ScanConfig(workers=1))
    story = result.story_of()
    assert story["japan"] == story["japan-follow-up"] != story["chile"]
    assert not [m for m in result.matches if "chile" in (m.a, m.b)]
    names = {name for row in range(3) for name in result.documents.event[row][0].names}
    assert {"chile", "tohoku electric power"} <= names
    assert not names & {"reuters", "ap"}


def test_a_storys_counts_read_as_people_write_them() -> None:
    # a new user read "magnitude 64" of a magnitude 6.4 quake and "score 101" of a 1-1 draw
    from wiretrace.group.stories import count_text

    assert count_text("magnitude", 64) == "magnitude 6.4"
    assert count_text("magnitude", 70) == "magnitude 7.0"
    assert count_text("score", 101) == "score 1-1"
    assert count_text("money", 4_200_000) == "money 4,200,000"
    assert count_text("killed", 3) == "killed 3"
