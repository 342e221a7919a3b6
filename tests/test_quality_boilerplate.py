"""Quality gate: the boilerplate rules remove no article body from real articles (ECB+).

Figures measured with ``python benchmarks/boilerplate_share.py`` (2026-11-23): 462 articles,
95 with boilerplate, median share 0.0, 95th percentile 0.0215; every span is a date line or a
sentence printed twice. The bounds below leave a little room; a change that starts eating
article text fails here.
"""

from __future__ import annotations

from pathlib import Path

from wiretrace.clean.patterns import parse_date

MEDIAN_MAX = 0.0
P95_MAX = 0.03
WITH_BOILERPLATE_MAX = 110


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
