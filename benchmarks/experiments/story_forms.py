"""Which form of story model holds on feeds it was not fitted on? (issue 25)

Each form is fitted on the labelled pairs of ``fit_stories.py`` and printed three ways:

- leave one set out: fitted on two sets, the resolution chosen on them (``choose_resolution``),
  the third clustered and scored;
- in-sample: fitted on all three, the resolution chosen on all of them;
- within each set, five folds: the pairs of a fifth of the gold stories (SemEval: of the
  rated pairs, by their first article) left out of the fit, the whole set clustered at the
  in-sample resolution and scored on that fifth only (B-cubed over its articles, or
  SemEval's one-story F1 over its pairs), pooled over the folds. This asks what held-out data
  of the same kind would give (roughly: a pair goes with its first article's story, so a
  pair whose second article is in the held-out fifth may stay in the fit).

The forms: ``products`` (every feature and every product of two: the model shipped until
2026-12-04), ``plain`` (every feature, no products), ``text+time`` (the shipped one,
``group/story_model.py``: no products, no ``gap`` or ``undated`` in the regression, the days
between two dated events weighed beside it by band, as log m / u against the corpus' span).

    python benchmarks/experiments/story_forms.py     # ~3 minutes once the sets are cached
"""

from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from fit_stories import (
    DEFAULT_DATA,
    Pairs,
    _source,
    choose_resolution,
    fit_logistic,
    same_bands,
    time_offsets,
)
from stories_quality import bcubed, pair_f1
from story_sets import SETS, StorySet, score, story_sets

from wiretrace import ScanConfig
from wiretrace.group.evidence import FEATURES
from wiretrace.group.stories import cluster_stories
from wiretrace.group.story_model import TEXT_FEATURES, StoryModel, time_bands, time_log_odds

COLUMN = {name: index for index, name in enumerate(FEATURES)}
TEXT = [COLUMN[name] for name in TEXT_FEATURES]
FOLDS = 5


def _fold(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "little") % FOLDS


def folds(pairs: Pairs) -> NDArray[np.int64]:
    """Each pair's fold, by its group (the gold story of its first article; SemEval: the
    first article)."""
    return np.array([_fold(group) for group in pairs.groups])


@dataclass(frozen=True)
class Form:
    """A logistic regression over some columns (and their products), plus time by band."""

    columns: list[int]
    products: bool
    time_bands: bool

    def design(self, features: NDArray[np.float64]) -> NDArray[np.float64]:
        chosen = features[:, self.columns]
        if not self.products:
            return chosen
        extra = [chosen[:, a] * chosen[:, b] for a, b in combinations(range(chosen.shape[1]), 2)]
        return np.column_stack([chosen, *extra])


@dataclass(frozen=True)
class Fitted:
    form: Form
    mean: NDArray[np.float64]
    scale: NDArray[np.float64]
    coef: NDArray[np.float64]
    intercept: float
    same: NDArray[np.float64] | None  # m per band, None: no time outside the regression

    def log_odds(
        self, features: NDArray[np.float64], spread: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        score: NDArray[np.float64] = (
            self.form.design(features) - self.mean
        ) / self.scale @ self.coef + self.intercept
        if self.same is not None:
            score = score + time_log_odds(time_bands(features), self.same, spread)
        return score

    def probability(
        self, features: NDArray[np.float64], spread: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        chance: NDArray[np.float64] = 1.0 / (1.0 + np.exp(-self.log_odds(features, spread)))
        return chance


def fit(pairs: Pairs, mask: NDArray[np.bool_], form: Form) -> Fitted:
    labels = pairs.labels[mask]
    features = pairs.features[mask]
    same, offset = None, np.zeros(len(labels))
    if form.time_bands:
        same = same_bands(time_bands(features), labels)
        offset = time_offsets(features, pairs.spreads[mask], same)
    fitted = fit_logistic(form.design(features), labels, pairs.weights(mask)[mask], offset)
    return Fitted(form, *fitted, same)


def _model(fitted: Fitted, resolution: float) -> StoryModel:
    return StoryModel(fitted, fitted, resolution, {})  # type: ignore[arg-type]


def within_sets(
    sets: dict[str, StorySet], config: ScanConfig, pairs: Pairs, form: Form, resolution: float
) -> dict[str, float]:
    """Each set scored on a fifth of its stories by the model fitted without their pairs."""
    settings = config.story_settings()
    of_pair = folds(pairs)
    found: dict[str, float] = {}
    for name, story_set in sets.items():
        source = _source(name)
        pooled: list[tuple[list[object], list[object]]] = []
        rated_mine: list[bool] = []
        rated_gold: list[bool] = []
        for fold in range(FOLDS):
            model = _model(fit(pairs, of_pair != fold, form), resolution)
            for scanned in story_set.scans:
                stories = cluster_stories(scanned.inputs, scanned.matches, settings, model)
                story = {member: s.story for s in stories.stories for member in s.members}
                if story_set.rated is not None:
                    position = {doc_id: i for i, doc_id in enumerate(scanned.inputs.ids)}
                    for a, b, gold in story_set.rated:
                        first = a if position[a] < position[b] else b
                        if _fold(f"{source}:{first}") == fold:
                            rated_mine.append(story[a] == story[b])
                            rated_gold.append(gold)
                    continue
                inside = [
                    i for i, gold in enumerate(scanned.gold) if _fold(f"{source}:{gold}") == fold
                ]
                if inside:
                    pooled.append(
                        (
                            [story[scanned.inputs.ids[i]] for i in inside],
                            [scanned.gold[i] for i in inside],
                        )
                    )
        if story_set.rated is not None:
            found[name] = pair_f1(rated_mine, rated_gold)[2]
        else:
            found[name] = float(np.mean([bcubed(mine, gold)[2] for mine, gold in pooled]))
    return found


FORMS = {
    "products": Form(list(range(len(FEATURES))), True, False),
    "plain": Form(list(range(len(FEATURES))), False, False),
    "text+time": Form(TEXT, False, True),
}


def main() -> None:
    config = ScanConfig()
    sets = story_sets(DEFAULT_DATA, config, (*SETS, "topics"))
    pairs = Pairs({name: sets[name] for name in SETS}, config)
    for label, form in FORMS.items():
        held_out = {}
        for held in SETS:
            judged = {name: s for name, s in sets.items() if _source(name) != held}
            fitted = fit(pairs, pairs.sets != held, form)
            chosen, _ = choose_resolution(judged, config, _model(fitted, 0.0))
            for name, story_set in sets.items():
                if _source(name) == held:
                    held_out[name] = score(story_set, config, _model(fitted, chosen))
        everything = fit(pairs, np.ones(len(pairs.labels), dtype=bool), form)
        resolution, in_sample = choose_resolution(sets, config, _model(everything, 0.0))
        within = within_sets(sets, config, pairs, form, resolution)
        print(f"{label}: resolution {resolution}")
        for name in sets:
            print(
                f"  {name:8} leave one set out {held_out[name]:.3f}  in-sample "
                f"{in_sample[name]:.3f}  within the set, five folds {within[name]:.3f}"
            )


if __name__ == "__main__":
    main()
