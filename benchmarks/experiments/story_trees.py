"""A small boosted-tree story model against the shipped logistic one, leave one set out
(issue 25: "a logistic regression or a small boosted-tree model are both fine: measure").

The trees (scikit-learn's ``HistGradientBoostingClassifier``) see the same text features as
the logistic model plus each pair's time evidence (log m / u by band, the offset the
logistic model adds), each constrained to move the chance one way only (more words, names,
lead, headline, places, agreeing counts, reused text and time evidence: more likely one
event; a place conflict, conflicting counts and a worse rank: less), with each set weighing
the same, as ``fit_stories.py`` fits. Printed as ``fit_stories.py --dry-run`` prints its
own: in-sample (resolution chosen on all sets), then each set left out (fitted and the
resolution chosen on the others).

    python benchmarks/experiments/story_trees.py [--iterations 100] [--depth 3] [--rate 0.1]
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from fit_stories import (
    DEFAULT_DATA,
    PRIOR,
    Pairs,
    _source,
    choose_resolution,
    same_bands,
    set_shares,
    time_offsets,
)
from story_sets import SETS, score, story_sets

from wiretrace import ScanConfig
from wiretrace.group.evidence import FEATURES
from wiretrace.group.story_model import (
    TEXT_FEATURES,
    StoryModel,
    text_columns,
    time_bands,
    time_log_odds,
)

DIRECTION = {
    "words": 1,
    "entities": 1,
    "lead": 1,
    "title": 1,
    "places": 1,
    "place_conflict": -1,
    "agree": 1,
    "conflict": -1,
    "reuse": 1,
    "rank": -1,
}


@dataclass
class TreeModel:
    """Duck-typed as ``story_model.PairModel`` where the story stage reads it."""

    trees: Any
    same_bands: NDArray[np.float64]
    share: float

    def log_odds(self, features: NDArray[np.float64], spread: NDArray[np.float64]) -> Any:
        if not len(features):
            return np.zeros(0)
        time = time_log_odds(time_bands(features), self.same_bands, spread)
        return self.trees.decision_function(np.column_stack([text_columns(features), time]))


def fit_trees(pairs: Pairs, mask: NDArray[np.bool_], leads: bool, options: Any) -> TreeModel:
    from sklearn.ensemble import HistGradientBoostingClassifier

    features = pairs.features[mask].copy()
    if not leads:
        features[:, FEATURES.index("lead")] = 0.0
    labels = pairs.labels[mask]
    same = same_bands(time_bands(features), labels)
    design = np.column_stack(
        [text_columns(features), time_offsets(features, pairs.spreads[mask], same)]
    )
    directions = [DIRECTION[name] if leads or name != "lead" else 0 for name in TEXT_FEATURES]
    trees = HistGradientBoostingClassifier(
        max_iter=options.iterations,
        max_depth=options.depth,
        learning_rate=options.rate,
        monotonic_cst=[*directions, 1],
        l2_regularization=1.0,
        min_samples_leaf=40,
        early_stopping=False,
        random_state=0,
    )
    trees.fit(design, labels, sample_weight=pairs.weights(mask)[mask])
    share = float(np.mean(list(set_shares(labels, pairs.sets[mask]).values())))
    return TreeModel(trees, same, share)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=100)
    parser.add_argument("--depth", type=int, default=3)
    parser.add_argument("--rate", type=float, default=0.1)
    options = parser.parse_args()
    semantic, words_only = ScanConfig(), ScanConfig(semantic=False)
    sets = story_sets(DEFAULT_DATA, semantic, (*SETS, "topics"))
    pairs = Pairs({name: sets[name] for name in SETS}, semantic)
    words = Pairs(story_sets(DEFAULT_DATA, words_only), words_only)

    def model(fitted_on: list[str]) -> StoryModel:
        with_leads = fit_trees(pairs, np.isin(pairs.sets, fitted_on), True, options)
        without = fit_trees(words, np.isin(words.sets, fitted_on), False, options)
        return StoryModel(with_leads, without, 0.0, {}, PRIOR)  # type: ignore[arg-type]

    resolution, figures = choose_resolution(sets, semantic, model(list(SETS)))
    print(
        f"in-sample, resolution {resolution}: "
        + ", ".join(f"{name} {value:.3f}" for name, value in figures.items())
    )
    for held in [*SETS, "topics"]:
        fold = model([name for name in SETS if name != _source(held)])
        judged = {name: sets[name] for name in sets if _source(name) != _source(held)}
        chosen, _ = choose_resolution(judged, semantic, fold)
        left_out = score(sets[held], semantic, replace(fold, resolution=chosen))
        print(f"leave {held} out: resolution {chosen}, {held} {left_out:.3f}")


if __name__ == "__main__":
    main()
