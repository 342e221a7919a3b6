"""Quality gate for stories and provenance (issue 5), on the labelled data in ../shared/data.

Figures measured with ``python benchmarks/stories_quality.py`` and
``python benchmarks/provenance_quality.py`` (2026-11-25, CPU; a seeded CPU run gives the same
figures every time):

- ECB+ dev, all 462 articles at once, the story being topic + ecb/ecbplus (40 stories),
  with the story model of issue 25, the corpus's own prior and communities joined by
  average link (2026-12-05, later; in-sample: ECB+ dev is one of the three sets it was
  fitted on; fitted on the other two, F1 0.948): wiretrace's defaults (the fast sentence
  model) B-cubed P 0.936, R 0.938, F1 0.937, ARI 0.919 (before the join P 0.964, R 0.902,
  F1 0.932, ARI 0.916; before the prior P 0.978, R 0.888, F1 0.931; the hand-weighed
  evidence before the model: F1 0.963); with the exact model (MiniLM), whose leads are
  weighed by a model fitted on them, P 0.959, R 0.952, F1 0.955, ARI 0.950 (with the fast
  model's fit: P 0.950, R 0.950, F1 0.950, ARI 0.933); without the semantic stage P 0.965,
  R 0.924, F1 0.944, ARI 0.940. The classic
  baseline, TF-IDF cosine with average link and its cut tuned on the same data (0.84),
  reaches F1 0.8973, ARI 0.8464; the gate recomputes it rather than trusting a constant.
- Provenance on the generated corpus (40 pairs, 8 scenarios, sources known): direction
  accuracy 1.000 where a source is named, right 0.975, null 0.025, wrong 0.000, missed 0.000.

Floors sit 0.005 under the measured figures: room for rounding on other hardware, none for a
change that lowers them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import locate_shared_data, require_semantic
from wiretrace import ScanConfig

# sentence model -> (precision, recall, F1, ARI) floors
STORY_FLOORS = {
    "fast": (0.931, 0.933, 0.932, 0.914),
    "exact": (0.959, 0.937, 0.948, 0.946),
}
# exact: 0.959 / 0.952 / 0.955 / 0.950 until 2026-12-07, night, when communities came to be
# found part by part (a story no longer moves with documents it is not linked to): 0.964 /
# 0.942 / 0.953 / 0.951, one near tie of the walk the other way (fast: the same figures)
# 0.944 / 0.940 until 2026-12-07, when a passage's words came to be counted as a reader
# counts them: "the U.S. Fish and Wildlife Service and" is no passage of 8 words, and the
# false `partial` it made had held one document of topic 9's first event in the second's
# story, which kept the two events' stories apart by chance; without it the two join (0.935 /
# 0.921). A near tie of the average-link join, not a trend (benchmarks/README.md, "Stories")
STORY_F1_WITHOUT_SEMANTIC = 0.930
STORY_ARI_WITHOUT_SEMANTIC = 0.915
# Measured margins over the baseline: 0.040 F1 and 0.073 ARI with the semantic stage (0.058
# and 0.104 with the exact model), 0.047 F1 without it.
MARGIN_OVER_BASELINE = 0.03
MARGIN_OVER_BASELINE_WITHOUT_SEMANTIC = 0.02
BASELINE_F1_MEASURED = 0.8973
PROVENANCE_RIGHT = 0.970
PROVENANCE_NULL = 0.030


def _ecbplus(shared_data: Path) -> Path:
    return shared_data / "ecbplus-dev" / "ECB+"


@pytest.fixture(scope="module")
def baseline(shared_data: Path, benchmarks_on_path: Path) -> tuple[float, float]:
    """B-cubed F1 and ARI of the TF-IDF average-link baseline at its best cut."""
    from stories_quality import tfidf_baseline

    best = tfidf_baseline(_ecbplus(shared_data))
    assert best is not None, "the baseline needs scikit-learn: pip install -e '.[dev]'"
    _, (_, _, f1), ari = best
    # guards the figure the README quotes and the margins below are measured against
    assert f1 == pytest.approx(BASELINE_F1_MEASURED, abs=0.005)
    return f1, ari


@pytest.mark.usefixtures("semantic_extra")
@pytest.mark.parametrize("model", ["fast", pytest.param("exact", marks=pytest.mark.slow)])
def test_ecbplus_stories_beat_the_tfidf_baseline(
    shared_data: Path, benchmarks_on_path: Path, baseline: tuple[float, float], model: str
) -> None:
    from stories_quality import adjusted_rand, bcubed, wiretrace_stories

    config = ScanConfig(semantic_model="fast" if model == "fast" else "exact")
    predicted, gold = wiretrace_stories(_ecbplus(shared_data), config)
    assert len(gold) == 462
    precision, recall, f1 = bcubed(predicted, gold)
    ari = adjusted_rand(predicted, gold)
    floors = STORY_FLOORS[model]
    assert all(
        found >= floor for found, floor in zip((precision, recall, f1, ari), floors, strict=True)
    )
    baseline_f1, baseline_ari = baseline
    assert f1 >= baseline_f1 + MARGIN_OVER_BASELINE
    assert ari >= baseline_ari + MARGIN_OVER_BASELINE


def test_ecbplus_stories_without_semantic(
    shared_data: Path, benchmarks_on_path: Path, baseline: tuple[float, float]
) -> None:
    from stories_quality import adjusted_rand, bcubed, wiretrace_stories

    predicted, gold = wiretrace_stories(_ecbplus(shared_data), ScanConfig(semantic=False))
    f1 = bcubed(predicted, gold)[2]
    assert f1 >= STORY_F1_WITHOUT_SEMANTIC
    assert adjusted_rand(predicted, gold) >= STORY_ARI_WITHOUT_SEMANTIC
    assert f1 >= baseline[0] + MARGIN_OVER_BASELINE_WITHOUT_SEMANTIC


def test_provenance_on_generated_copies(shared_data: Path, benchmarks_on_path: Path) -> None:
    from provenance_quality import SCENARIOS, evaluate, summary

    outcomes = evaluate(_ecbplus(shared_data))
    assert {outcome.pair.scenario for outcome in outcomes} == set(SCENARIOS)
    figures = summary(outcomes)
    assert figures["pairs"] == 40
    assert figures["missed"] == 0.0
    assert figures["wrong"] == 0.0  # a wrong direction is worse than a null
    assert figures["direction_accuracy"] == 1.0
    assert figures["right"] >= PROVENANCE_RIGHT
    assert figures["null"] <= PROVENANCE_NULL
    # copies of a source the corpus does not hold are left open, with the reason
    for outcome in outcomes:
        if outcome.pair.source is None:
            assert outcome.source is None and outcome.reasons


# --- a gate whose prerequisite is missing skips locally and fails under CI ---------------

CI_VALUES = ["true", "TRUE", "True", "1", " true\n"]
NOT_CI_VALUES = ["", "false", "0", "no"]


@pytest.mark.parametrize("value", CI_VALUES)
def test_missing_shared_data_fails_under_ci(tmp_path: Path, value: str) -> None:
    with pytest.raises(pytest.fail.Exception) as failure:
        locate_shared_data(tmp_path / "absent", {"CI": value})
    message = str(failure.value)
    assert str(tmp_path / "absent") in message and "../shared/data" in message
    assert "CI" in message and "quality gates" in message


@pytest.mark.parametrize("value", NOT_CI_VALUES)
def test_missing_shared_data_skips_outside_ci(tmp_path: Path, value: str) -> None:
    with pytest.raises(pytest.skip.Exception, match="shared/data"):
        locate_shared_data(tmp_path / "absent", {"CI": value})
    with pytest.raises(pytest.skip.Exception):
        locate_shared_data(tmp_path / "absent", {})


def test_present_shared_data_is_returned_under_ci(tmp_path: Path) -> None:
    assert locate_shared_data(tmp_path, {"CI": "true"}) == tmp_path


def test_a_missing_sentence_model_fails_under_ci_and_skips_outside() -> None:
    with pytest.raises(pytest.fail.Exception, match=r"fast sentence model.*CI"):
        require_semantic(False, {"CI": "true"})
    with pytest.raises(pytest.skip.Exception, match="fast sentence model"):
        require_semantic(False, {"CI": "false"})
    require_semantic(True, {"CI": "true"})


def test_fixtures_read_ci_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception):
        locate_shared_data(tmp_path / "absent")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        locate_shared_data(tmp_path / "absent")
