"""A prior per corpus for the story model (issue 25): does estimating each corpus's share of
one-event pairs carry the model to feeds it was not fitted on?

The shipped model's chance is miscalibrated from one kind of feed to another (fitted on two
sets, it ranks the third's pairs well but its log-odds are off by about two). This variant,
as splink estimates λ: the regression is fitted with an intercept per set (the coefficients
then say what tells pairs apart within a feed), ``c``, the mean over the sets of the set's
intercept less the logit of its share of one-event pairs, stands for the log likelihood
ratio's constant, and at run time the corpus's share λ is estimated by EM over its own
candidate pairs with event-level evidence (shrunk towards the fitted sets' mean share by
``--prior`` pairs' worth); each pair's chance is then the logistic of its score plus
logit λ. Printed: leave one set out (resolution chosen on the other sets), in-sample, and
the small mixed corpora's B-cubed precision (``--resolutions``; 20 and 50 articles, spread
dates and one day).

    python benchmarks/experiments/story_prior.py [--prior 20] [--resolutions 0.3,0.4]
"""

from __future__ import annotations

import argparse
import math
import sys
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import numpy as np
from numpy.typing import NDArray

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from fit_stories import (
    DEFAULT_DATA,
    Pairs,
    _source,
    choose_resolution,
    fit_penalised,
    same_bands,
    time_offsets,
)
from stories_quality import small_corpus_scores
from story_forms import TEXT
from story_sets import SETS, score, story_sets

from wiretrace import ScanConfig
from wiretrace.group import stories
from wiretrace.group.stories import event_evidence
from wiretrace.group.story_model import StoryModel, time_bands, time_log_odds


def logit(share: float) -> float:
    return math.log(share / (1 - share))


@dataclass
class PriorModel:
    mean: NDArray[np.float64]
    scale: NDArray[np.float64]
    coef: NDArray[np.float64]
    constant: float  # the log likelihood ratio's constant (c)
    same: NDArray[np.float64]
    share: float  # the fitted sets' mean share of one-event pairs
    prior: float  # pairs' worth of that share in the EM

    def probability(
        self, features: NDArray[np.float64], spread: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        text = (features[:, TEXT] - self.mean) / self.scale
        score = text @ self.coef + self.constant
        score = score + time_log_odds(time_bands(features), self.same, spread)
        inside = score[event_evidence(features)]
        share = self.share
        for _ in range(200):
            chance = 1 / (1 + np.exp(-(inside + logit(share))))
            new = (chance.sum() + self.prior * self.share) / (len(inside) + self.prior)
            if abs(new - share) < 1e-10:
                break
            share = new
        found: NDArray[np.float64] = 1 / (1 + np.exp(-(score + logit(share))))
        return found


def fit(pairs: Pairs, mask: NDArray[np.bool_], prior: float) -> PriorModel:
    features, labels = pairs.features[mask], pairs.labels[mask]
    same = same_bands(time_bands(features), labels)
    offset = time_offsets(features, pairs.spreads[mask], same)
    sets = pairs.sets[mask]
    names = sorted(set(sets.tolist()))
    each_set = np.column_stack([(sets == name).astype(np.float64) for name in names])
    mean, scale, coef, intercepts = fit_penalised(
        features[:, TEXT], each_set, labels, pairs.weights(mask)[mask], offset
    )
    shares = [float(labels[sets == name].mean()) for name in names]
    constants = [value - logit(share) for value, share in zip(intercepts, shares, strict=True)]
    return PriorModel(
        mean, scale, coef, float(np.mean(constants)), same, float(np.mean(shares)), prior
    )


def _model(fitted: PriorModel, resolution: float) -> StoryModel:
    return StoryModel(fitted, fitted, resolution, {})  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prior", type=float, default=20.0)
    parser.add_argument("--resolutions", default="0.3,0.4")
    options = parser.parse_args()
    config = ScanConfig()
    sets = story_sets(DEFAULT_DATA, config, (*SETS, "topics"))
    pairs = Pairs({name: sets[name] for name in SETS}, config)
    for held in SETS:
        judged = {name: s for name, s in sets.items() if _source(name) != held}
        fitted = fit(pairs, pairs.sets != held, options.prior)
        chosen, _ = choose_resolution(judged, config, _model(fitted, 0.0))
        for name, story_set in sets.items():
            if _source(name) == held:
                figure = score(story_set, config, _model(fitted, chosen))
                print(f"leave {held} out: resolution {chosen}, {name} {figure:.3f}", flush=True)
    fitted = fit(pairs, np.ones(len(pairs.labels), dtype=bool), options.prior)
    resolution, in_sample = choose_resolution(sets, config, _model(fitted, 0.0))
    print(
        f"in-sample, resolution {resolution}: "
        + ", ".join(f"{name} {value:.3f}" for name, value in in_sample.items())
    )
    for resolution in (float(value) for value in options.resolutions.split(",")):
        model = _model(fitted, resolution)
        figures = {name: score(s, config, model) for name, s in sets.items()}
        with mock.patch.object(stories, "story_model", mock.Mock(return_value=model)):
            small = {
                day: small_corpus_scores(DEFAULT_DATA, config, sizes=(20, 50), one_day=day)
                for day in (False, True)
            }
        print(
            f"resolution {resolution}: "
            + ", ".join(f"{name} {value:.3f}" for name, value in figures.items())
            + "; small corpora precision "
            + ", ".join(f"{size}: {row[0]:.3f}" for size, row in small[False].items())
            + "; dated one day "
            + ", ".join(f"{size}: {row[0]:.3f}" for size, row in small[True].items()),
            flush=True,
        )


if __name__ == "__main__":
    main()
