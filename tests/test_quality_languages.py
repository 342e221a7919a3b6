"""Quality gate: copies planted in real articles of ten languages are found, nothing else is
reported, and each article's language is detected (``benchmarks/multilingual.py``; figures in
benchmarks/README.md, "Languages")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from wiretrace import ScanConfig

RECALL_MIN = 0.98  # per language: the floor (measured 0.994-1.000)
PRECISION_MIN = 0.99  # per language (measured 0.992-1.000)
LANGUAGE_MIN = 0.98  # per language (measured 0.991-1.000: a few labels are wrong)


@pytest.fixture(scope="module")
def planted_figures(shared_data: Path, benchmarks_on_path: Path) -> dict[str, Any]:
    from multilingual import plant, score, semeval_articles

    articles = semeval_articles(shared_data / "semeval2022" / "training_set.csv")
    found: dict[str, Any] = score(
        plant(articles, 60, 7), ScanConfig(semantic=False, stories=False)
    )["languages"]
    return found


@pytest.mark.parametrize("language", ["en", "de", "es", "pl", "tr", "ru", "ar", "zh", "fr", "it"])
def test_planted_copies_are_found_in_every_language(
    language: str, planted_figures: dict[str, Any]
) -> None:
    row = planted_figures[language]
    assert row["copy_planted"] >= 50
    assert row["recall"] >= RECALL_MIN, row
    assert row["precision"] >= PRECISION_MIN, row
    assert row["language_accuracy"] >= LANGUAGE_MIN, row


# "One story" F1 of SemEval-2022's rated pairs, all 2,419 articles in one scan (measured
# 0.841 / 0.764 / 0.728; benchmarks/README.md, "Languages"). The English floor holds what an
# English corpus's pairs lose when most of the corpus is in other languages: before the
# leads were centred on the English leads and words weighed within their language, 0.795;
# before the leads of text not in English were read from the multilingual heads, 0.824.
STORY_F1_MIN = {"English": 0.83, "one other language": 0.75, "two languages": 0.71}


@pytest.fixture(scope="module")
def story_f1s(shared_data: Path, benchmarks_on_path: Path) -> dict[str, Any]:
    from multilingual import rated_pairs, scanned_semeval, semeval_articles, story_f1

    source = shared_data / "semeval2022" / "training_set.csv"
    result, _ = scanned_semeval(semeval_articles(source))
    pairs = rated_pairs(source)
    return {kind: story_f1(result, pairs, kind) for kind in STORY_F1_MIN}


@pytest.mark.parametrize("kind", list(STORY_F1_MIN))
def test_stories_in_a_corpus_of_ten_languages(kind: str, story_f1s: dict[str, Any]) -> None:
    assert story_f1s[kind]["f1"] >= STORY_F1_MIN[kind], story_f1s[kind]
