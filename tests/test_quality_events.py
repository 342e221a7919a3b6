"""Quality gate for stories as events (issues 12 and 25), on the labelled data in
../shared/data.

Figures measured with ``python benchmarks/stories_quality.py`` (2026-12-04, CPU, defaults:
the fast sentence model and the story model of issue 25 with the corpus's own prior, fitted on
GVA, ECB+ dev and SemEval, so these are in-sample figures; ``benchmarks/fit_stories.py``
prints the leave-one-set-out ones: GVA 0.934, SemEval 0.840, one topic 0.924; README,
"Stories"):

- ECB+ dev one topic at a time (20 scans, two events of one kind each): mean B-cubed P
  0.975, R 0.900, F1 0.933; TF-IDF average link with its one cut tuned for the best mean
  (0.88): F1 0.893.
- GVA incidents, 2,488 articles at once: B-cubed P 0.954, R 0.949, F1 0.951 (0.947 without
  the semantic stage); TF-IDF average link at its best cut (0.78): F1 0.884.
- SemEval-2022 English pairs (36 rated the same event, 101 different events): "one story"
  precision 0.886, recall 0.861, F1 0.873; TF-IDF cosine at its best threshold (0.19): F1
  0.853.
- Small mixed corpora, articles of many dev stories (up to three of each): B-cubed
  precision 0.981 / 0.991 / 0.986 over 20 samples of 20 / 50 / 200 articles; the gate's five
  samples of each 0.990 / 0.987 / 0.985; no story held together by a stop word. The same
  samples with every article dated one day (a day's news): 0.968 / 0.987 / 0.978, the gate's
  five 0.970 / 0.988 / 0.978 (the model before the prior: 0.968 / 0.976 / 0.966, its five
  0.970 / 0.972 / 0.970; the model before that, which learned time inside the regression
  from GVA's span of years: 0.957 / 0.967 / 0.938, its five 0.920 / 0.966 / 0.942).

Before the corpus's own prior the in-sample figures were one topic 0.929, GVA 0.944, SemEval
0.883 (P 0.829, R 0.944), and held out GVA 0.921, SemEval 0.815, one topic 0.852. The model
of 2026-12-04 gave up in-sample figures (one topic 0.947, GVA 0.948, SemEval 0.919 before)
for figures on sets it was not fitted on (GVA 0.681 -> 0.924, SemEval 0.674 -> 0.815):
benchmarks/README.md, "Stories".
Floors sit 0.005 under what is reached.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from wiretrace import ScanConfig

TOPICS_F1 = 0.928
TOPICS_MARGIN_OVER_BASELINE = 0.03  # measured 0.036
GVA_F1 = 0.946
GVA_BASELINE_CUT = 0.78
GVA_BASELINE_F1 = 0.884
SEMEVAL_F1 = 0.868
SMALL_PRECISION = {20: 0.985, 50: 0.982, 200: 0.980}  # by corpus size, five samples each
SMALL_ONE_DAY_PRECISION = {20: 0.965, 50: 0.983, 200: 0.973}

pytestmark = pytest.mark.usefixtures("semantic_extra")


def _ecbplus(shared_data: Path) -> Path:
    return shared_data / "ecbplus-dev" / "ECB+"


def test_single_topic_scans_tell_two_events_of_one_kind_apart(
    shared_data: Path, benchmarks_on_path: Path
) -> None:
    from stories_quality import ecbplus_topics, tfidf_average_link, topic_scores

    scores = topic_scores(_ecbplus(shared_data), ScanConfig())
    assert len(scores) == 20  # the dev folder holds 20 topics (15 and 17 are not in it)
    f1 = sum(score[2] for score in scores) / len(scores)
    assert f1 >= TOPICS_F1
    baseline = tfidf_average_link(ecbplus_topics(_ecbplus(shared_data)))
    assert baseline is not None, "the baseline needs scikit-learn: pip install -e '.[dev]'"
    baseline_f1 = sum(score[2] for score in baseline[1]) / len(baseline[1])
    assert f1 >= baseline_f1 + TOPICS_MARGIN_OVER_BASELINE


def test_gva_incidents_as_stories(shared_data: Path, benchmarks_on_path: Path) -> None:
    from stories_quality import average_link, bcubed, gva_articles, story_of, tfidf_distances

    articles = gva_articles(shared_data)
    assert len(articles) == 2488
    gold = [article.gold for article in articles]
    found = story_of(articles, ScanConfig())
    _, _, f1 = bcubed([found[article.id] for article in articles], gold)
    assert f1 >= GVA_F1
    pytest.importorskip("sklearn")
    # the baseline at its tuned cut (the grid is in the benchmark): wiretrace stays above it
    distances = tfidf_distances([article.text for article in articles])
    _, _, baseline_f1 = bcubed(average_link(distances, GVA_BASELINE_CUT), gold)
    assert baseline_f1 == pytest.approx(GVA_BASELINE_F1, abs=0.005)
    assert f1 > baseline_f1


def test_semeval_same_event_pairs_share_a_story(
    shared_data: Path, benchmarks_on_path: Path
) -> None:
    from stories_quality import semeval_english, semeval_scores

    _, pairs = semeval_english(shared_data)
    assert sum(same for _, _, same in pairs) == 36
    assert len(pairs) == 137
    _, _, f1 = semeval_scores(shared_data, ScanConfig())
    assert f1 >= SEMEVAL_F1


def test_small_mixed_corpora_join_no_unrelated_articles(
    shared_data: Path, benchmarks_on_path: Path
) -> None:
    """Five samples of each size (the benchmark takes twenty): articles of many different
    dev stories, up to three of each. A story of a small corpus must not join unrelated
    articles, and no story is held together by stop words."""
    from stories_quality import small_corpus_scores

    scores = small_corpus_scores(shared_data, ScanConfig(), samples=5)
    for size, (precision, _, shown, stop_held) in scores.items():
        assert precision >= SMALL_PRECISION[size], size
        assert shown > 0 and stop_held == 0, size


def test_a_days_news_joins_no_more_unrelated_articles(
    shared_data: Path, benchmarks_on_path: Path
) -> None:
    """The same samples with every article dated one day: in a day's news the date is no
    evidence that two articles report one event."""
    from stories_quality import small_corpus_scores

    scores = small_corpus_scores(shared_data, ScanConfig(), samples=5, one_day=True)
    for size, (precision, _, shown, stop_held) in scores.items():
        assert precision >= SMALL_ONE_DAY_PRECISION[size], size
        assert shown > 0 and stop_held == 0, size
