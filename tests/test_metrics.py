"""The clustering metrics of the story gate, checked against scikit-learn as the oracle.

``benchmarks/stories_quality.py`` computes B-cubed and the adjusted Rand index itself (the
benchmark must not need scikit-learn for wiretrace's own figures); the floors in
``tests/test_quality_stories.py`` are only as good as these two functions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import adjusted_rand_score
from sklearn.metrics.cluster import contingency_matrix

Labels = Sequence[object]
BCubed = Callable[[Labels, Labels], tuple[float, float, float]]
AdjustedRand = Callable[[Labels, Labels], float]


@pytest.fixture(scope="module")
def metrics(benchmarks_on_path: Path) -> tuple[BCubed, AdjustedRand]:
    from stories_quality import adjusted_rand, bcubed

    return bcubed, adjusted_rand


def bcubed_oracle(predicted: list[int], gold: list[int]) -> tuple[float, float, float]:
    """B-cubed from the contingency table: an item in gold class i and predicted cluster j
    shares its cluster with n_ij items of its class, so precision averages n_ij / |cluster j|
    over the n_ij items: sum_ij n_ij^2 / |cluster j| / N; recall likewise over |class i|."""
    table = contingency_matrix(gold, predicted).astype(float)
    squares = table**2
    count = table.sum()
    precision = float((squares / table.sum(axis=0, keepdims=True)).sum() / count)
    recall = float((squares / table.sum(axis=1, keepdims=True)).sum() / count)
    return precision, recall, 2 * precision * recall / (precision + recall)


def check(metrics: tuple[BCubed, AdjustedRand], predicted: list[int], gold: list[int]) -> None:
    bcubed, adjusted_rand = metrics
    assert bcubed(predicted, gold) == pytest.approx(bcubed_oracle(predicted, gold), abs=1e-12)
    assert adjusted_rand(predicted, gold) == pytest.approx(
        adjusted_rand_score(gold, predicted), abs=1e-12
    )


labelings = st.integers(min_value=1, max_value=60).flatmap(
    lambda size: st.tuples(
        st.lists(st.integers(0, 8), min_size=size, max_size=size),
        st.lists(st.integers(0, 8), min_size=size, max_size=size),
    )
)


@settings(max_examples=300, deadline=None)
@given(labelings)
def test_agree_with_sklearn_on_random_labelings(
    metrics: tuple[BCubed, AdjustedRand], pair: tuple[list[int], list[int]]
) -> None:
    check(metrics, *pair)


@pytest.mark.parametrize("size", [50, 462, 2000])
def test_agree_with_sklearn_on_story_sized_labelings(
    metrics: tuple[BCubed, AdjustedRand], size: int
) -> None:
    generator = np.random.default_rng(size)
    gold = generator.integers(0, size // 10, size).tolist()
    # mostly right, some items moved: the regime the story gate measures
    predicted = [g if generator.random() < 0.8 else int(generator.integers(0, 60)) for g in gold]
    check(metrics, predicted, gold)


EDGE_CASES = {
    "identical": ([0, 0, 1, 1, 2], [0, 0, 1, 1, 2]),
    "renamed": ([7, 7, 3, 3, 5], [0, 0, 1, 1, 2]),
    "all singletons predicted": ([0, 1, 2, 3, 4, 5], [0, 0, 0, 1, 1, 2]),
    "one cluster predicted": ([0, 0, 0, 0, 0, 0], [0, 0, 0, 1, 1, 2]),
    "singletons against one cluster": ([0, 1, 2, 3], [0, 0, 0, 0]),
    "both all singletons": ([0, 1, 2, 3], [3, 2, 1, 0]),
    "both one cluster": ([1, 1, 1, 1], [0, 0, 0, 0]),
    "one item": ([0], [0]),
    "two items split": ([0, 1], [0, 0]),
}


@pytest.mark.parametrize("name", EDGE_CASES)
def test_agree_with_sklearn_on_edge_cases(metrics: tuple[BCubed, AdjustedRand], name: str) -> None:
    check(metrics, *EDGE_CASES[name])


def test_edge_case_values(metrics: tuple[BCubed, AdjustedRand]) -> None:
    bcubed, adjusted_rand = metrics
    gold = [0, 0, 0, 1, 1, 2]
    singletons = list(range(len(gold)))
    assert bcubed(singletons, gold)[0] == 1.0  # every cluster is pure
    assert bcubed(singletons, gold)[1] == pytest.approx((3 * 1 / 3 + 2 * 1 / 2 + 1) / 6)
    assert bcubed([0] * len(gold), gold)[1] == 1.0  # every class is whole
    assert bcubed(gold, gold) == (1.0, 1.0, 1.0)
    assert adjusted_rand(gold, gold) == 1.0
    assert adjusted_rand(["x", "x", "y"], ["b", "b", "a"]) == 1.0  # labels are only names
