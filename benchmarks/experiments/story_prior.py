"""The corpus's own prior for the story model (issue 25), in its variants: how the model is
fitted and how far the prior may move it.

The shipped model (``group/story_model.py``, ``CorpusPrior``) is fitted with one intercept,
each set weighing the same (``--fit shared``), and each scan moves its pairs' log-odds by
logit(its share of one-event pairs, estimated by EM) - logit(the fitted sets' mean share), at
most ``limit`` either way. The variants: ``--fit per-set`` fits an intercept per set (the
coefficients then say only what tells pairs apart within a feed; the intercept kept is the
sets' mean of each intercept less the logit of its share), ``--fit offset`` gives the fit
each set's share as a known offset (one intercept); ``--limit`` (default: none) bounds the
move; ``--prior`` is the EM's shrinkage in pairs' worth of the fitted share. Printed: leave
one set out (resolution chosen on the other sets), in-sample (resolution chosen on all), and
at each of ``--resolutions`` the sets' figures and the small mixed corpora's B-cubed
precision (20 and 50 articles, spread dates and dated one day).

    python benchmarks/experiments/story_prior.py [--fit shared] [--limit 0.5] [--prior 20]
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path
from unittest import mock

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import fit_stories
from fit_stories import (
    DEFAULT_DATA,
    Pairs,
    _source,
    choose_resolution,
    fit_penalised,
    same_bands,
    set_shares,
    time_offsets,
)
from stories_quality import small_corpus_scores
from story_forms import TEXT
from story_sets import SETS, score, story_sets

from wiretrace import ScanConfig
from wiretrace.group import stories
from wiretrace.group.story_model import CorpusPrior, PairModel, StoryModel, time_bands


def logit(share: float) -> float:
    return math.log(share / (1 - share))


def fit(pairs: Pairs, mask: np.ndarray, form: str) -> PairModel:
    """The pair model of ``form`` on the pairs of ``mask``; its ``share`` the sets' mean."""
    if form == "shared":
        return fit_stories.fit(pairs, mask, leads=True)
    features, labels = pairs.features[mask], pairs.labels[mask]
    same = same_bands(time_bands(features), labels)
    offset = time_offsets(features, pairs.spreads[mask], same)
    sets = pairs.sets[mask]
    shares = set_shares(labels, sets)
    names = list(shares)
    share = float(np.mean(list(shares.values())))
    free = np.ones((len(features), 1))
    if form == "per-set":
        free = np.column_stack([(sets == name).astype(np.float64) for name in names])
    else:  # each set's share as a known offset
        offset = offset + np.array([logit(shares[name]) for name in sets.tolist()])
    mean, scale, coef, intercepts = fit_penalised(
        features[:, TEXT], free, labels, pairs.weights(mask)[mask], offset
    )
    if form == "per-set":  # the log likelihood ratio's constant, as the shared form's
        each = zip(intercepts.tolist(), names, strict=True)
        constant = float(np.mean([value - logit(shares[name]) for value, name in each]))
        intercept = constant + logit(share)
    else:
        intercept = float(intercepts[0]) + logit(share)
    return PairModel(mean, scale, coef, intercept, same, share)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fit", choices=("shared", "per-set", "offset"), default="shared")
    parser.add_argument("--limit", type=float, default=math.inf, help="most log-odds moved")
    parser.add_argument("--prior", type=float, default=20.0, help="EM shrinkage, in pairs")
    parser.add_argument("--resolutions", default="0.3,0.35,0.4")
    options = parser.parse_args()
    prior = CorpusPrior(weight=options.prior, limit=options.limit)

    def model(fitted: PairModel, resolution: float) -> StoryModel:
        return StoryModel(fitted, fitted, resolution, {}, prior)

    config = ScanConfig()
    sets = story_sets(DEFAULT_DATA, config, (*SETS, "topics"))
    pairs = Pairs({name: sets[name] for name in SETS}, config)
    for held in SETS:
        judged = {name: s for name, s in sets.items() if _source(name) != held}
        fitted = fit(pairs, pairs.sets != held, options.fit)
        chosen, _ = choose_resolution(judged, config, model(fitted, 0.0))
        for name, story_set in sets.items():
            if _source(name) == held:
                figure = score(story_set, config, model(fitted, chosen))
                print(f"leave {held} out: resolution {chosen}, {name} {figure:.3f}", flush=True)
    fitted = fit(pairs, np.ones(len(pairs.labels), dtype=bool), options.fit)
    resolution, in_sample = choose_resolution(sets, config, model(fitted, 0.0))
    print(
        f"in-sample, resolution {resolution}: "
        + ", ".join(f"{name} {value:.3f}" for name, value in in_sample.items())
    )
    for resolution in (float(value) for value in options.resolutions.split(",")):
        chosen_model = model(fitted, resolution)
        figures = {name: score(s, config, chosen_model) for name, s in sets.items()}
        with mock.patch.object(stories, "story_model", mock.Mock(return_value=chosen_model)):
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
