"""Quality gates: the boilerplate rules remove no article body and still find page noise.

Figures measured on 2026-11-25:

- ``python benchmarks/boilerplate_share.py``: 462 ECB+ articles, 94 with boilerplate, median
  share 0.0, 95th percentile 0.0215; every span is a date line of the page header or a sentence
  printed twice in a row.
- ``python benchmarks/boilerplate_body.py`` (share of body words removed; see its docstring for
  what counts as body): hand-made pages 0 of 1,624 (0.0%, noise found 100%), seeds 0 of 2,275
  (noise found 100%), ECB+ 0 of 143,701, GVA 708 of 728,515 (0.097%), PAN 2013 123 of 358,932
  (0.034%). Before the rules kept lines an article prints more than once, the same run gave
  15.3% on the hand-made pages, 0.32% on GVA and 0.15% on PAN.

The bounds below leave a little room; a change that starts eating article text fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from wiretrace.clean.patterns import parse_date

MEDIAN_MAX = 0.0
P95_MAX = 0.025
WITH_BOILERPLATE_MAX = 100
BODY_REMOVED_MAX = 0.005  # share of body words the rules may remove, on every corpus


def test_ecbplus_articles_keep_their_body(shared_data: Path, benchmarks_on_path: Path) -> None:
    from boilerplate_share import measure

    figures, marked = measure(shared_data / "ecbplus-dev" / "ECB+")
    assert figures["documents"] >= 450
    assert figures["median_share"] <= MEDIAN_MAX
    assert figures["p95_share"] <= P95_MAX
    assert figures["documents_with_boilerplate"] <= WITH_BOILERPLATE_MAX
    for _, doc_id, pieces in marked:
        for kind, piece in pieces:
            assert kind in {"metadata", "repeated"}, (doc_id, kind, piece)
            if kind == "metadata":  # the date lines of the scraped pages
                assert parse_date(piece, 2000) is not None, (doc_id, piece)


def test_handmade_pages_keep_their_body_and_lose_their_noise(benchmarks_on_path: Path) -> None:
    from boilerplate_body import handmade_pages, measure, seed_documents

    for documents in (handmade_pages(), seed_documents()):
        figures = measure(documents)
        assert figures.body_words >= 1_500
        assert figures.share <= BODY_REMOVED_MAX, figures.removed_lines.most_common(5)
        assert figures.recall == 1.0, figures.missed_lines


@pytest.mark.parametrize("corpus", ["ecbplus", "gva", "pan"])
def test_real_articles_keep_their_body(
    corpus: str, shared_data: Path, benchmarks_on_path: Path
) -> None:
    from boilerplate_body import ecbplus_bodies, gva_bodies, measure, pan_bodies

    readers = {
        "ecbplus": lambda: ecbplus_bodies(shared_data / "ecbplus-dev" / "ECB+"),
        "gva": lambda: gva_bodies(shared_data / "gva-events" / "articles.jsonl"),
        "pan": lambda: pan_bodies(shared_data / "pan13-train"),
    }
    figures = measure(readers[corpus]())
    assert figures.documents >= 450 and figures.body_words >= 100_000
    assert figures.share <= BODY_REMOVED_MAX, figures.removed_lines.most_common(5)


def test_articles_in_other_languages_keep_their_body(
    shared_data: Path, benchmarks_on_path: Path
) -> None:
    # the nine languages together: one language's few hundred articles make a single long
    # prompt ("Подпишитесь на информационный бюллетень ...", 50 words, counted as prose by
    # the measure) 0.4% of its body; per language in benchmarks/README.md, "Languages"
    from boilerplate_body import SEMEVAL_LANGUAGES, measure, semeval_bodies

    path = shared_data / "semeval2022" / "training_set.csv"
    documents = [doc for language in SEMEVAL_LANGUAGES for doc in semeval_bodies(path, language)]
    figures = measure(documents)
    assert figures.documents >= 1_500 and figures.body_words >= 200_000
    assert figures.share <= BODY_REMOVED_MAX, figures.removed_lines.most_common(5)
