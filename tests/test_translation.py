"""Across languages: a translated copy, stories in two languages, and what an English corpus
does not pay for."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from wiretrace import ScanConfig, scan
from wiretrace.records import Relation
from wiretrace.semantic.sentences import sentence_spans
from wiretrace.stages.languages import candidate_pairs, story_chance

GERMAN = Path(__file__).with_name("texts") / "seed000-de.txt"  # translated by hand
WEATHER = """Der Deutsche Wetterdienst warnt für das Wochenende vor starkem Schneefall in den \
Alpen und im Bayerischen Wald.

Bis zu 40 Zentimeter Neuschnee seien in höheren Lagen möglich, teilte der Wetterdienst am \
Freitag in Offenbach mit.

Autofahrer sollten sich auf glatte Straßen und Verzögerungen einstellen, hieß es weiter.
"""
FOOTBALL = """El Real Madrid venció este sábado por dos goles a uno al Sevilla en el estadio \
Santiago Bernabéu y se mantiene líder de la liga con tres puntos de ventaja.

Los goles del equipo blanco llegaron en la segunda parte, después de un primer tiempo en el \
que el Sevilla dominó la posesión del balón.

El entrenador del Sevilla lamentó las ocasiones falladas y dijo que su equipo mereció al \
menos el empate.
"""
# a German report of the seed's event, written from its facts, not from its sentences
SUMMARY_DE = """Die Taliban haben nach eigenen Angaben die Provinzhauptstadt Faisabad im \
Nordosten Afghanistans erobert. Es ist bereits die neunte Provinzhauptstadt, die seit \
vergangenem Freitag in die Hände der Islamisten gefallen ist.

Präsident Aschraf Ghani reiste unterdessen nach Masar-i-Scharif, um die Verteidigung der \
wichtigsten Stadt im Norden zu organisieren. Dort traf er sich mit örtlichen Machthabern.

US-Präsident Joe Biden hält trotz der Offensive am Abzug der amerikanischen Truppen bis Ende \
August fest. Die afghanischen Streitkräfte müssten nun selbst für ihr Land kämpfen, sagte er.
"""
WIRE, COPY, REWRITE, FOLLOW_UP = (
    "000_ea26541dd92894a5",
    "001_2db72752c1eb80f1",
    "002_0a0ff87c3f88bdf4",
    "003_f4ab7b8fa4ae20c2",
)


@pytest.fixture(scope="module")
def scanned(seeds: Path, tmp_path_factory: pytest.TempPathFactory) -> object:
    folder = tmp_path_factory.mktemp("translated")
    for name in (WIRE, FOLLOW_UP):
        shutil.copy(seeds / f"{name}.txt", folder / f"{name}.txt")
    shutil.copy(GERMAN, folder / "wire-de.txt")
    return scan([folder], ScanConfig())


def test_a_german_translation_of_the_wire_story_is_a_translation(scanned: object) -> None:
    result = scanned
    matches = {(m.a, m.b): m for m in result.matches}  # type: ignore[attr-defined]
    found = matches[(WIRE, "wire-de")]
    assert found.relation == Relation.TRANSLATION
    assert {passage.kind for passage in found.passages} == {"translation"}
    # most of the 20 sentences of the wire story are paired, in order
    assert len(found.passages) >= 15
    starts = [passage.a_start for passage in found.passages]
    assert starts == sorted(starts)
    german = GERMAN.read_text(encoding="utf-8")
    english = (Path(__file__).parents[1] / "examples" / "seeds" / f"{WIRE}.txt").read_text(
        encoding="utf-8"
    )
    quoted = next(
        p for p in found.passages if "Taliban have captured" in english[p.a_start : p.a_end]
    )
    assert "Die Taliban haben die Stadt jetzt eingenommen" in german[quoted.b_start : quoted.b_end]
    assert all(0.65 <= passage.similarity <= 1.0 for passage in found.passages)


def test_a_sentence_split_in_two_by_the_translator_is_read_whole(tmp_path: Path) -> None:
    """A new user's shortened German version of a wire story (a quote left out, the first
    sentence split in two, the safety authority renamed): each half is only partly the
    English sentence (0.50 and 0.56), so 4 of its 7 sentences had a counterpart."""
    texts = Path(__file__).with_name("texts")
    for name in ("crane-en", "crane-de"):
        shutil.copy(texts / f"{name}.txt", tmp_path / f"{name}.txt")
    result = scan([tmp_path], ScanConfig())
    (found,) = result.matches
    assert found.relation == Relation.TRANSLATION
    english = (texts / "crane-en.txt").read_text(encoding="utf-8")
    german = (texts / "crane-de.txt").read_text(encoding="utf-8")
    whole = next(p for p in found.passages if english[p.b_start :].startswith("SOUTHAMPTON"))
    halves = [p for p in found.passages if (p.b_start, p.b_end) == (whole.b_start, whole.b_end)]
    assert [german[p.a_start : p.a_end].split()[0] for p in halves] == ["Im", "Zwei"]


def test_two_sentences_are_read_as_one_only_where_they_stand_out() -> None:
    from wiretrace.stages.languages import _split_in_two

    spans = [(0, 100), (101, 200), (201, 300)]  # three sentences of 100 characters
    whole = [(0, 200), (201, 300)]  # the other's: one of 200, one of 100
    cosines = np.array([[0.50, 0.10], [0.56, 0.12], [0.05, 0.90]])
    joined = np.array([[0.70, 0.10], [0.40, 0.60]])  # rows 0+1 and 1+2 read as one
    found = _split_in_two(cosines, joined, spans, whole)
    assert found[:, 0].tolist() == [0.70, 0.70, 0.05]  # the split sentence, both halves
    assert found[:, 1].tolist() == cosines[:, 1].tolist()  # row 2 alone says it better
    # a subject's sentences all somewhat alike: the two stand out from nothing
    alike = np.full((3, 2), 0.62)
    assert _split_in_two(alike, np.full((2, 2), 0.66), spans, whole).tolist() == alike.tolist()
    # nor do two sentences as one take a sentence of half their length
    assert _split_in_two(cosines, joined, spans, [(0, 100), (101, 200)])[:, 0].tolist() == [
        0.50,
        0.56,
        0.05,
    ]


def test_the_console_counts_the_pairs_looked_at_across_languages(
    seeds: Path, tmp_path: Path
) -> None:
    """A new user saw "candidate pairs 0" beside a translation found: the multilingual
    model's pairs are counted apart."""
    from click.testing import CliRunner

    from wiretrace.cli import main

    shutil.copy(seeds / f"{WIRE}.txt", tmp_path / "wire.txt")
    shutil.copy(GERMAN, tmp_path / "wire-de.txt")
    said = CliRunner().invoke(main, ["scan", str(tmp_path), "--out", str(tmp_path / "out")])
    assert said.exit_code == 0, said.output
    flat = " ".join(re.sub(r"[│┃|]", " ", said.output).split())  # the table may wrap
    assert "across languages, by the multilingual model" in flat


def test_the_follow_up_is_no_translation_but_one_story(scanned: object) -> None:
    result = scanned
    relations = {(m.a, m.b): m.relation for m in result.matches}  # type: ignore[attr-defined]
    assert relations.get((FOLLOW_UP, "wire-de")) != Relation.TRANSLATION
    stories = {m: s.story for s in result.stories for m in s.members}  # type: ignore[attr-defined]
    assert stories[WIRE] == stories["wire-de"]
    summary = result.summary  # type: ignore[attr-defined]
    assert summary["semantic"]["across_languages"]["languages"] == ["de", "en"]
    assert summary["semantic"]["across_languages"]["translations"] == 1


def test_a_corpus_in_two_languages_says_rewrites_were_searched_in_english_only(
    scanned: object,
) -> None:
    # a French or German rewrite came out as same_story with "paraphrase 0" among the counts,
    # as if it had been looked for
    summary = scanned.summary  # type: ignore[attr-defined]
    assert "paraphrase" not in summary["not_searched"]
    assert "English only" in summary["searched_in_part"]["paraphrase"]
    assert "1 of 3 documents" in summary["searched_in_part"]["paraphrase"]


def test_an_english_corpus_runs_no_multilingual_model(seeds: Path) -> None:
    summary = scan([seeds], ScanConfig()).summary
    assert summary["searched_in_part"] == {}
    assert "across_languages" not in summary["semantic"]
    assert not any(key.startswith("languages") for key in summary["timings_seconds"])


def test_candidates_are_nearest_in_other_languages_and_within_a_language_not_english() -> None:
    vectors = np.array(
        [[1.0, 0.0], [0.96, 0.28], [0.0, 1.0], [0.6, 0.8], [0.8, 0.6]], dtype=np.float16
    )
    languages = ["en", "en", "de", "de", "fr"]
    pairs, cosines, across = candidate_pairs(vectors, languages, neighbours=1)
    found = {tuple(pair): two for pair, two in zip(pairs.tolist(), across.tolist(), strict=True)}
    assert (0, 1) not in found  # English pairs are the fast model's
    assert found[(2, 3)] is False  # two German documents: each the other's nearest German one
    assert found[(0, 4)] is True  # en 0's nearest elsewhere: fr 4
    assert found[(3, 4)] is True  # de 3 and fr 4 are nearest to each other
    assert all(
        (languages[i] != languages[j]) == two
        for (i, j), two in zip(pairs.tolist(), across.tolist(), strict=True)
    )
    assert np.all(cosines <= 1.0) and len(pairs) == len(cosines)
    again, _, _ = candidate_pairs(vectors[::-1].copy(), languages[::-1], neighbours=1)
    flipped = sorted(sorted((4 - i, 4 - j)) for i, j in again.tolist())
    assert flipped == sorted(pairs.tolist())


def test_the_chance_of_one_event_grows_with_the_heads_cosine() -> None:
    for across in (True, False):
        chances = story_chance(np.array([0.2, 0.5, 0.8]), np.array([across] * 3))
        assert chances[0] < 0.05 and chances[1] < 0.5 < chances[2]
        assert np.all(np.diff(chances) > 0)


def test_unrelated_articles_in_one_language_other_than_english_stay_apart(
    seeds: Path, tmp_path: Path
) -> None:
    """The English fast model finds two German articles alike whatever they say (0.94): a
    weather warning must not join the translated war report, nor its story."""
    for name in (WIRE, FOLLOW_UP):
        shutil.copy(seeds / f"{name}.txt", tmp_path / f"{name}.txt")
    shutil.copy(GERMAN, tmp_path / "wire-de.txt")
    (tmp_path / "wetter.txt").write_text(WEATHER, encoding="utf-8")
    (tmp_path / "futbol.txt").write_text(FOOTBALL, encoding="utf-8")
    result = scan([tmp_path], ScanConfig())
    stories = {m: s.story for s in result.stories for m in s.members}
    assert stories["wire-de"] == stories[WIRE] == stories[FOLLOW_UP]
    assert len({stories["wetter"], stories["futbol"], stories[WIRE]}) == 3
    assert not any("wetter" in (m.a, m.b) for m in result.matches)


def test_a_german_report_of_the_event_is_its_story_not_a_rewrite(tmp_path: Path) -> None:
    """The English fast model finds a German report written from the same facts a rewrite of
    the German translation (0.96); the multilingual model puts it in the story."""
    shutil.copy(GERMAN, tmp_path / "wire-de.txt")
    (tmp_path / "summary-de.txt").write_text(SUMMARY_DE, encoding="utf-8")
    (tmp_path / "wetter.txt").write_text(WEATHER, encoding="utf-8")
    result = scan([tmp_path], ScanConfig())
    relations = {(m.a, m.b): m.relation for m in result.matches}
    assert relations == {("summary-de", "wire-de"): Relation.SAME_STORY}
    stories = {m: s.story for s in result.stories for m in s.members}
    assert stories["summary-de"] == stories["wire-de"] != stories["wetter"]


FOOTBALL_EN = """Arsenal beat Chelsea 3-1 at the Emirates on Saturday to move four points clear \
at the top of the Premier League table.

Bukayo Saka opened the scoring after 12 minutes with a curling shot from the edge of the area, \
and Martin Odegaard doubled the lead before half-time.

Chelsea pulled one back through Cole Palmer early in the second half, but Gabriel Jesus sealed \
the win with a header from a corner in the 78th minute.
"""


def test_two_matches_reported_in_two_languages_are_two_stories(tmp_path: Path) -> None:
    """Alike heads across languages say "one subject"; one event needs a name, a place or a
    count in common, as any pair does (a new user's English and Spanish match reports were
    one story at confidence 0.77)."""
    (tmp_path / "football-en.txt").write_text(FOOTBALL_EN, encoding="utf-8")
    (tmp_path / "futbol.txt").write_text(FOOTBALL, encoding="utf-8")
    (tmp_path / "wetter.txt").write_text(WEATHER, encoding="utf-8")
    result = scan([tmp_path], ScanConfig())
    assert all(len(story.members) == 1 for story in result.stories)
    assert not result.matches


# a Chinese brief of the seed's event in two sentences (too few to be a translation), written
# from its facts
BRIEF_ZH = """阿富汗总统加尼周三飞抵遭围困的北部城市马扎里沙里夫，为节节败退的政府军打气，\
塔利班武装在不到一周内已攻占该国四分之一以上的省会。

据总统府声明，加尼此行是为了检查北部地区的总体安全局势，塔利班周二夜间攻占了法扎巴德，\
这是自上周五以来第九个失守的省会城市。
"""


def test_a_report_in_another_script_joins_the_story_by_the_model_alone(
    seeds: Path, tmp_path: Path
) -> None:
    """Between two scripts no name or place is spelled alike ("加尼" is Ghani), so the test of
    one event by shared names (two football reports in English and Spanish stay apart) is
    left to the heads: a Chinese brief of the wire story is its story."""
    from wiretrace.clean.language import script_of

    assert [script_of(code) for code in ("en", "es", "zh", "ja", "ru", None)] == [
        "Latn",
        "Latn",
        "Hani",
        "Hani",
        "Cyrl",
        None,
    ]
    shutil.copy(seeds / f"{WIRE}.txt", tmp_path / "wire.txt")
    (tmp_path / "brief-zh.txt").write_text(BRIEF_ZH, encoding="utf-8")
    result = scan([tmp_path], ScanConfig())
    assert [story.members for story in result.stories] == [("brief-zh", "wire")]
    assert not any(m.relation == Relation.TRANSLATION for m in result.matches)


QUAKE_EN = """A magnitude 6.4 earthquake struck southern Peru on Tuesday, killing at least 12 \
people and damaging hundreds of adobe homes in the Arequipa region, authorities said.

The quake hit at 4:17 a.m. local time at a depth of 35 kilometres, according to Peru's \
Geophysical Institute. At least 58 people were injured.
"""
QUAKE_RU = """Землетрясение магнитудой 5,9 произошло в четверг в турецкой провинции Малатья, \
в результате погибли три человека, еще 27 получили ранения, сообщили спасатели.

Очаг подземных толчков залегал на глубине 10 километров, около 200 зданий получили \
повреждения.
"""


def test_two_earthquakes_in_two_scripts_are_two_stories(tmp_path: Path) -> None:
    """Without a name in common, numbers still tell two events apart in two scripts (a new
    user's earthquakes in Peru and in Turkey, 6.4 and 5,9, were one story at 0.74)."""
    from wiretrace.group.stories import written_numbers

    assert written_numbers("6.4 and 5,9; 50,000 or 50.000; ٣٤; 12 in 2023; 7") == {
        "64",
        "59",
        "50000",
        "34",
        "12",
    }
    (tmp_path / "quake-en.txt").write_text(QUAKE_EN, encoding="utf-8")
    (tmp_path / "quake-ru.txt").write_text(QUAKE_RU, encoding="utf-8")
    result = scan([tmp_path], ScanConfig())
    assert all(len(story.members) == 1 for story in result.stories)


def test_chinese_sentences_end_at_their_full_stops() -> None:
    text = (
        "中国央行周三表示将下调存款准备金率。北京的分析人士认为这将释放流动性。好。\n"
        "A short line of English here."
    )
    sentences = [text[start:end] for start, end in sentence_spans(text)]
    assert sentences == [
        "中国央行周三表示将下调存款准备金率。",
        "北京的分析人士认为这将释放流动性。",
        "A short line of English here.",
    ]


def test_how_rare_a_word_is_is_counted_within_its_language() -> None:
    from wiretrace.sketch.topics import topic_terms, topic_vectors

    english = [
        "Firefighters in Leeds put out a warehouse fire on Monday night.",
        "The council in Leeds approved a new tram line after a long debate.",
        "A warehouse fire closed the ring road in Leeds for three hours.",
    ]
    german = [
        "Die Feuerwehr in Leeds loschte am Montag einen Brand in einer Lagerhalle.",
        "Der Stadtrat hat die neue Strassenbahn nach langer Debatte beschlossen.",
    ] * 4
    alone = topic_vectors([topic_terms(text) for text in english])
    texts = [*english, *german]
    languages = ["en"] * len(english) + ["de"] * len(german)
    mixed = topic_vectors([topic_terms(text) for text in texts], languages)
    ends = alone.term_offsets[-1], alone.entity_offsets[-1]
    # the English rows weigh their words and names as an English corpus of them alone would
    np.testing.assert_array_equal(mixed.weights[: ends[0]], alone.weights)
    np.testing.assert_array_equal(mixed.entity_weights[: ends[1]], alone.entity_weights)
    # counted among all rows, "Leeds" (in one German article in four) weighs otherwise
    counted_together = topic_vectors([topic_terms(text) for text in texts])
    assert not np.array_equal(counted_together.entity_weights[: ends[1]], alone.entity_weights)


def test_english_leads_are_centred_on_the_english_leads() -> None:
    from wiretrace.semantic.store import centred

    generator = np.random.default_rng(3)
    vectors = generator.normal(size=(12, 8)).astype(np.float32)
    vectors[4:] += 3.0  # the other languages' leads: far from the English ones
    background = generator.normal(size=8).astype(np.float32)
    read = np.array([True] * 4 + [False] * 8)
    among = centred(vectors, background, read)
    np.testing.assert_allclose(among[:4], centred(vectors[:4], background), rtol=1e-6)
    assert not np.allclose(centred(vectors, background)[:4], among[:4], atol=1e-3)


def test_a_word_is_weighed_against_news_at_large_in_its_language() -> None:
    from wiretrace.sketch.background import (
        _UNLISTED_SHARE,
        background_language,
        document_share,
        lone_entity_hash,
        word_hash,
    )

    common, rare = word_hash("wurden"), word_hash("klimaschutzgesetz")
    keys = np.array([common, rare], dtype=np.uint64)
    german = document_share(keys, False, "de")
    # "wurden" ("were") is as common in German as "were" in English; the English list does
    # not know it, nor a rare compound
    assert german[0] > 0.05 and german[1] == _UNLISTED_SHARE
    assert document_share(keys, False, "en").tolist() == [_UNLISTED_SHARE] * 2
    assert document_share(np.array([word_hash("were")], np.uint64), False, "en")[0] > 0.05
    # a lone capitalised word is an entity weighed as its word ("Polizei" is a common noun)
    assert document_share(np.array([lone_entity_hash("polizei")], np.uint64), True, "de")[0] > 0.001
    # Chinese has no list of words (a "word" is a clause here): the English list weighs it
    assert background_language("zh") == "en" and background_language(None) == "en"


GERMAN_REPORTS = [
    "Die Bundesregierung hat am Mittwoch ein neues Klimaschutzgesetz beschlossen. Der Entwurf "
    "sieht strengere Ziele für den Verkehrssektor vor.",
    "Der FC Bayern München gewann am Samstag gegen Borussia Dortmund mit 3:1. Harry Kane "
    "erzielte zwei Tore.",
    "In Hamburg wurde ein neues Konzerthaus eröffnet. Die Baukosten lagen bei 200 Millionen Euro.",
    "Die Lufthansa streicht wegen eines Streiks des Bodenpersonals hunderte Flüge in Frankfurt "
    "und München.",
    "Ein Sturm hat in Norddeutschland zahlreiche Bäume entwurzelt und den Bahnverkehr "
    "unterbrochen.",
    "Die Inflation in Deutschland ist im Oktober auf 2,1 Prozent gesunken, teilte das "
    "Statistische Bundesamt mit.",
]


def test_short_reports_that_end_on_one_stock_sentence_are_not_one_story(tmp_path: Path) -> None:
    """A new user's German feed: each report closes "Weitere Einzelheiten wurden zunächst
    nicht bekannt gegeben." Weighed by the English list every German word was rare, and
    without leads the story model called them one story (0.64)."""
    for number, text in enumerate(GERMAN_REPORTS, start=1):
        closing = " Weitere Einzelheiten wurden zunächst nicht bekannt gegeben."
        (tmp_path / f"de{number}.txt").write_text(text + closing + "\n", encoding="utf-8")
    result = scan([tmp_path], ScanConfig())
    assert [len(story.members) for story in result.stories] == [1] * len(GERMAN_REPORTS)


def test_a_story_is_titled_in_the_language_most_of_its_articles_are_in(tmp_path: Path) -> None:
    """An English wire story, an English republication that dropped its dateline credit, one
    cut short, and a German translation that kept the credit: the German one was named the
    source of the republication's translation and titled the story of three English
    articles."""
    texts = Path(__file__).with_name("texts")
    english = (texts / "crane-en.txt").read_text(encoding="utf-8")
    german = (texts / "crane-de.txt").read_text(encoding="utf-8")
    title, body = english.split("\n\n", 1)
    credit = "SOUTHAMPTON (Coastal Press) — "
    pages = {
        "wire": english,
        "copy": "Crane collapse at Southampton docks\n\n" + body.replace(credit, ""),
        "short": title + "\n\n" + "\n\n".join(body.split("\n\n")[:2]),
        "german": german.replace(
            "Im Hafen von Southampton ist", credit + "Im Hafen von Southampton ist"
        ),
    }
    for name, text in pages.items():
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    result = scan([tmp_path], ScanConfig())
    (story,) = [story for story in result.stories if len(story.members) > 1]
    assert story.members == ("copy", "german", "short", "wire")
    assert story.title == title


def test_titled_short_reports_closing_on_one_stock_sentence_are_not_one_story(
    tmp_path: Path,
) -> None:
    """The same reports titled "Nachricht 1" ... as a new user's ticker titles them: German
    capitalises every noun, so "Einzelheiten" of the closing sentence was a name all of them
    share, and they were one story (0.71). A noun only German news lists is no name."""
    for number, text in enumerate(GERMAN_REPORTS, start=1):
        closing = " Weitere Einzelheiten wurden zunächst nicht bekannt gegeben."
        page = f"Nachricht {number}\n\n{text}{closing}\n"
        (tmp_path / f"de{number}.txt").write_text(page, encoding="utf-8")
    result = scan([tmp_path], ScanConfig())
    assert [len(story.members) for story in result.stories] == [1] * len(GERMAN_REPORTS)


def test_a_german_noun_is_no_name_and_a_name_other_news_writes_alike_is() -> None:
    from wiretrace.sketch.background import common_nouns, lone_entity_hash
    from wiretrace.sketch.topics import names_as_evidence

    words = ["Einzelheiten", "Polizei", "Bundesregierung", "Merkel", "Berlin", "Hotel"]
    keys = np.array([lone_entity_hash(word.lower()) for word in words], dtype=np.uint64)
    assert common_nouns(keys, "de").tolist() == [True, True, True, False, False, False]
    assert not common_nouns(keys, "en").any() and not common_nouns(keys, "fr").any()
    counted, rare = names_as_evidence(keys, "de")
    assert counted.tolist() == [False, False, False, True, True, True]
    assert not rare[:3].any()


def test_a_german_compound_of_a_noun_is_no_name(tmp_path: Path) -> None:
    """A compound news at large does not list but that ends with a German noun is a noun:
    two police reports of two fires (Kassel, Rostock) shared "Brandursache",
    "Polizeiangaben" and "Feuerwehrsprecher", each rare, and were one story."""
    from wiretrace.sketch.background import compound_nouns
    from wiretrace.sketch.topics import topic_terms

    words = ["Brandursache", "Polizeiangaben", "Feuerwehrsprecher", "Schwarzenegger", "Merkel"]
    assert compound_nouns(words, "de") == [True, True, True, False, False]
    assert compound_nouns(words, "en") == [False] * 5
    kassel = (
        "KASSEL – Bei einem Brand in einem Mehrfamilienhaus in Kassel ist in der Nacht zum "
        "Samstag ein Sachschaden von rund 250.000 Euro entstanden. Nach Polizeiangaben brach "
        "das Feuer gegen 2 Uhr im Dachgeschoss aus.\nEin Feuerwehrsprecher sagte, die Bewohner "
        "hätten sich selbst ins Freie retten können. Zwei Menschen wurden mit "
        "Rauchgasvergiftungen ins Krankenhaus gebracht.\nDie Brandursache ist noch unklar, die "
        "Kriminalpolizei hat die Ermittlungen aufgenommen. Das Haus ist vorerst nicht bewohnbar."
    )
    rostock = (
        "ROSTOCK – Vierzehn Bewohner eines Plattenbaus im Stadtteil Lütten Klein mussten am "
        "Samstagmorgen über Drehleitern gerettet werden, nachdem im Keller Sperrmüll in Flammen "
        "aufgegangen war.\nEine 67-jährige Frau erlitt nach Polizeiangaben eine "
        "Rauchgasvergiftung. Laut Feuerwehrsprecher Jens Trautmann waren 40 Einsatzkräfte vor "
        "Ort.\nDie Stadtverwaltung stellte den Betroffenen Notunterkünfte in einer Turnhalle "
        "zur Verfügung. Zur Brandursache ermittelt die Kriminalpolizei; Brandstiftung wird "
        "nicht ausgeschlossen."
    )
    path = tmp_path / "fires.jsonl"
    records = [
        {"id": "kassel", "published": "2026-11-21", "text": kassel},
        {"id": "rostock", "published": "2026-11-21", "text": rostock},
    ]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    result = scan([path], ScanConfig(workers=1))
    assert all(len(story.members) == 1 for story in result.stories)
    names = topic_terms(kassel, "de").event.names
    assert not {"polizeiangaben", "feuerwehrsprecher", "brandursache"} & set(names)


def test_a_pair_not_in_english_reads_its_lead_from_the_heads() -> None:
    from wiretrace.group.evidence import FEATURES
    from wiretrace.group.stories import HEAD_TO_LEAD, StoryInputs, story_pairs
    from wiretrace.sketch.topics import topic_terms, topic_vectors

    texts = ["Ein Sturm in Kiel.", "Ein Sturm in Kiel am Montag.", "Storm in Kiel."]
    generator = np.random.default_rng(5)
    heads = generator.normal(size=(3, 16))
    heads[1] = heads[0] + 0.3 * heads[1]
    heads = (heads / np.linalg.norm(heads, axis=1, keepdims=True)).astype(np.float16)
    leads = generator.normal(size=(3, 8)).astype(np.float32)
    leads /= np.linalg.norm(leads, axis=1, keepdims=True)
    inputs = StoryInputs(
        ids=["a", "b", "c"],
        headlines=[None] * 3,
        published=[None] * 3,
        days=np.full(3, np.nan),
        topics=topic_vectors([topic_terms(text) for text in texts], ["de", "de", "en"]),
        leads=leads,
        english=np.array([False, False, True]),
        languages=["de", "de", "en"],
        heads=heads,
        headed=np.array([True, True, True]),
    )
    pairs = np.array([[0, 1], [0, 2]])
    found = story_pairs(inputs, [], ScanConfig().story_settings(), only=pairs)
    assert found.lead_known is not None and found.lead_known.all()
    cosine = float(heads[0].astype(np.float32) @ heads[1].astype(np.float32))
    expected = HEAD_TO_LEAD[0] + HEAD_TO_LEAD[1] * cosine
    assert found.features[0, FEATURES.index("lead")] == pytest.approx(expected, abs=1e-3)
    # without heads, the pair's lead is unknown (the model without leads weighs it)
    bare = story_pairs(
        replace(inputs, heads=None, headed=None), [], ScanConfig().story_settings(), only=pairs
    )
    assert bare.lead_known is not None and not bare.lead_known.any()


def test_an_article_opens_no_name_in_other_languages() -> None:
    from wiretrace.sketch.topics import entities_of

    german = (
        "Die Bundesregierung beschloss am Mittwoch ein Gesetz. Kritik kam von der Bundesregierung."
    )
    # "Die Bundesregierung" opening a sentence and "der Bundesregierung" name one body
    assert entities_of(german, "de").count("bundesregierung") == 2
    assert "die bundesregierung" in entities_of(german)  # read as English: "Die" is a name
    assert entities_of("La Generalitat investiga el fuego.", "es") == ["generalitat"]


def test_the_english_model_s_sentence_pairs_of_other_languages_are_left_out() -> None:
    # two Chinese reports of two fires share a verbatim formula (``partial``), and the fast
    # model, which reads English, had paired two of their unrelated sentences at 0.87 inside
    # that match: the docs say such a pair keeps only its verbatim passages
    from wiretrace.records import Derivation, Match, Passage
    from wiretrace.stages.languages import without_english_model

    verbatim = Passage(0, 12, 0, 12, "verbatim", 1.0)
    rewritten = Passage(20, 40, 30, 50, "paraphrase", 0.87)
    derivation = Derivation(2, 0.3, 1, 0, 0)
    shared = Match(
        "zh1",
        "zh2",
        Relation.PARTIAL,
        0.1,
        0.2,
        0.2,
        (verbatim, rewritten),
        0.7,
        None,
        derivation=derivation,
    )
    english = Match("en1", "en2", Relation.PARTIAL, 0.1, 0.2, 0.2, (verbatim, rewritten), 0.7)
    kept, _ = without_english_model(
        [shared, english], None, np.array([False, False, True, True]), ["zh1", "zh2", "en1", "en2"]
    )
    assert kept[0].passages == (verbatim,)
    assert kept[0].semantic is None and kept[0].derivation is None
    assert kept[1] == english


def test_the_model_reads_text_as_the_tokenizer_it_was_trained_with() -> None:
    """SentencePiece's own reading: a literal "<s>" is text, not the start marker, and a
    run of characters the vocabulary lacks is one unknown (the package's pure-Python port
    read both otherwise)."""
    from wiretrace.semantic.multilingual import _model

    tokenize = _model().tokenize
    start, end, unknown = 1, 2, 0
    tagged = tokenize("The tag <s> is text", out_type=int, add_bos=True, add_eos=True)
    assert tagged[0] == start and tagged[-1] == end
    assert tagged.count(start) == 1
    private = tokenize("a \ue000\ue001\ue002 b", out_type=int, add_bos=True, add_eos=True)
    assert private.count(unknown) == 1
