"""Across languages: a translated copy, stories in two languages, and what an English corpus
does not pay for."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from wiretrace import ScanConfig, scan
from wiretrace.records import Relation
from wiretrace.semantic.sentences import sentence_spans
from wiretrace.stages.languages import cross_pairs, story_chance

GERMAN = Path(__file__).with_name("texts") / "seed000-de.txt"  # translated by hand
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


def test_the_follow_up_is_no_translation_but_one_story(scanned: object) -> None:
    result = scanned
    relations = {(m.a, m.b): m.relation for m in result.matches}  # type: ignore[attr-defined]
    assert relations.get((FOLLOW_UP, "wire-de")) != Relation.TRANSLATION
    stories = {m: s.story for s in result.stories for m in s.members}  # type: ignore[attr-defined]
    assert stories[WIRE] == stories["wire-de"]
    summary = result.summary  # type: ignore[attr-defined]
    assert summary["semantic"]["across_languages"]["languages"] == ["de", "en"]
    assert summary["semantic"]["across_languages"]["translations"] == 1


def test_an_english_corpus_runs_no_multilingual_model(seeds: Path) -> None:
    summary = scan([seeds], ScanConfig()).summary
    assert "across_languages" not in summary["semantic"]
    assert not any(key.startswith("languages") for key in summary["timings_seconds"])


def test_each_document_gets_its_nearest_documents_in_other_languages() -> None:
    vectors = np.array(
        [[1.0, 0.0], [0.96, 0.28], [0.0, 1.0], [0.6, 0.8], [0.8, 0.6]], dtype=np.float16
    )
    languages = ["en", "en", "de", "de", "fr"]
    pairs, cosines = cross_pairs(vectors, languages, neighbours=1)
    # no pair of one language; each document's nearest in another one
    assert all(languages[i] != languages[j] for i, j in pairs.tolist())
    assert [0, 4] in pairs.tolist()  # en 0's nearest elsewhere: fr 4
    assert [3, 4] in pairs.tolist()  # de 3 and fr 4 are nearest to each other
    assert np.all(cosines <= 1.0) and len(pairs) == len(cosines)
    again, _ = cross_pairs(vectors[::-1].copy(), languages[::-1], neighbours=1)
    flipped = sorted(sorted((4 - i, 4 - j)) for i, j in again.tolist())
    assert flipped == sorted(pairs.tolist())


def test_the_chance_of_one_event_grows_with_the_heads_cosine() -> None:
    chances = story_chance(np.array([0.2, 0.5, 0.8]))
    assert chances[0] < 0.05 and chances[2] > 0.95
    assert np.all(np.diff(chances) > 0)


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
