"""Fit the story model and write it into the package (``src/wiretrace/group/story_model.json``).

The labelled sets (``../shared/data``): GVA incidents, SemEval-2022 English pairs rated
clearly the same event or clearly not, ECB+ dev all at once. Each is scanned once with the
defaults (once without the semantic stage, for the model that weighs no leads, and once
with the exact sentence model, whose leads are weighed by a model of their own); the
candidate pairs the scan proposes are labelled by the gold stories (SemEval: its rated pairs
only; their features worked out among the scan's candidates and those pairs together) and a
logistic regression is fitted over their text evidence, each set weighing the same in total,
with the days between two dated events weighed beside it by band (log m / u added to the
log-odds: m the share of one event's dated pairs in the band, u that of all pairs of the
pair's own corpus, see ``group/story_model.py``). The clustering's resolution is then chosen
as the one whose largest loss against each set's best is smallest, among those at which
small mixed corpora keep their precision (``SMALL_PRECISION``). A fifth of the pairs (a
fixed hash of the pair) is held aside from the fit that measures the reliability table; the
shipped model is fitted on all pairs. Deterministic: the solver is deterministic and starts
from zeros.

    python benchmarks/fit_stories.py              # fit, print the figures, write the model
    python benchmarks/fit_stories.py --dry-run    # fit and print, write nothing
"""

from __future__ import annotations

import argparse
import datetime
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from story_sets import (
    SETS,
    Scanned,
    StorySet,
    held_aside,
    labelled_pairs,
    score,
    small_precision,
    small_sets,
    story_sets,
)

from wiretrace import ScanConfig
from wiretrace.group.evidence import FEATURES
from wiretrace.group.story_model import (
    BAND_DAYS,
    MODEL_FILE,
    TEXT_FEATURES,
    CorpusPrior,
    PairModel,
    StoryModel,
    story_model,
    text_columns,
    time_bands,
    time_log_odds,
)

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
# The regression's inverse regularisation (10 text features from three sets; stronger than
# scikit-learn's default 1.0: see benchmarks/README, "Stories").
C = 0.1
RESOLUTIONS = tuple(round(value, 2) for value in np.arange(0.20, 0.51, 0.02))
# A corpus's own prior (group/story_model.py): twenty pairs' worth of the fitted share, and a
# move of at most a half in log-odds (benchmarks/README, "Stories": 0.5, 1, 2 and none measured).
PRIOR = CorpusPrior(weight=20.0, limit=0.5)
# issue 25: small mixed corpora (a first try) keep a B-cubed precision of 0.98 at every size
SMALL_PRECISION = 0.98


class Pairs:
    """The labelled pairs of some sets: features, labels, their set, a key per pair, the group
    a pair belongs to when sets are split (the gold story of its first article; SemEval's
    rated pairs, which have no stories: the first article), and each pair's scan's
    ``band_spread``."""

    def __init__(self, sets: dict[str, StorySet], config: ScanConfig) -> None:
        features, labels, names, keys, groups, spreads = [], [], [], [], [], []
        for name, story_set in sets.items():
            for scan, (candidates, same) in enumerate(labelled_pairs(story_set, config)):
                copy = candidates.is_copy
                # copies are stories by definition, and pairs without a name, a place, a
                # count or text in common are never joined: neither is the model's to weigh
                chosen = ~copy & candidates.weighed()
                features.append(candidates.features[chosen])
                spreads.append(np.tile(candidates.spread, (int(chosen.sum()), 1)))
                labels.append(same[chosen])
                names.extend([name] * int(chosen.sum()))
                scanned = story_set.scans[scan]
                ids = scanned.inputs.ids
                grouped = ids if story_set.rated is not None else scanned.gold
                for a, b in candidates.pairs[chosen].tolist():
                    keys.append(f"{name}:{ids[a]}:{ids[b]}")
                    groups.append(f"{name}:{grouped[a]}")
        self.features = np.concatenate(features)
        self.spreads = np.concatenate(spreads)
        self.labels = np.concatenate(labels)
        self.sets = np.array(names)
        self.keys = keys
        self.groups = groups

    def weights(self, mask: NDArray[np.bool_]) -> NDArray[np.float64]:
        """Each set of the chosen pairs weighs the same in total."""
        weights = np.zeros(len(self.labels))
        chosen_sets = sorted(set(self.sets[mask].tolist()))
        for name in chosen_sets:
            inside = mask & (self.sets == name)
            weights[inside] = len(self.labels[mask]) / len(chosen_sets) / inside.sum()
        return weights


def same_bands(bands: NDArray[np.int64], labels: NDArray[np.bool_]) -> NDArray[np.float64]:
    """Per band of days between the events, the share of the dated pairs of one event in it
    (``m``), each count smoothed by a half."""
    levels = len(BAND_DAYS) + 1
    same = (bands >= 0) & labels
    counts = np.bincount(bands[same], minlength=levels) + 0.5
    found: NDArray[np.float64] = counts / counts.sum()
    return found


def per_scan(
    spreads: NDArray[np.float64], weigh: Callable[[NDArray[np.bool_], NDArray[np.float64]], Any]
) -> NDArray[np.float64]:
    """``weigh(inside, spread)`` for the pairs of each scan (those of one ``band_spread``), put
    together in the pairs' order."""
    found = np.zeros(len(spreads))
    for spread in np.unique(spreads, axis=0):
        inside = (spreads == spread).all(axis=1)
        found[inside] = weigh(inside, spread)
    return found


def time_offsets(
    features: NDArray[np.float64], spreads: NDArray[np.float64], same: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Each pair's log m / u (``story_model.time_log_odds``) in its own scan."""
    bands = time_bands(features)
    return per_scan(spreads, lambda inside, spread: time_log_odds(bands[inside], same, spread))


def fit_logistic(
    design: NDArray[np.float64],
    labels: NDArray[np.bool_],
    weights: NDArray[np.float64],
    offset: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], float]:
    """A weighted logistic regression over standardised ``design`` with a fixed ``offset``
    added to each pair's log-odds (scikit-learn's has none), L2 penalty ``1 / (2 C)`` on the
    coefficients, not the intercept, as scikit-learn's. Returns mean, scale, coefficients,
    intercept."""
    mean, scale, coef, free = fit_penalised(
        design, np.ones((len(design), 1)), labels, weights, offset
    )
    return mean, scale, coef, float(free[0])


def fit_penalised(
    design: NDArray[np.float64],
    free: NDArray[np.float64],
    labels: NDArray[np.bool_],
    weights: NDArray[np.float64],
    offset: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """``fit_logistic`` with the columns of ``free`` (as they are, not penalised) instead of
    the one intercept: an intercept per set, for one. Returns mean, scale, the coefficients of
    ``design`` and those of ``free``."""
    from scipy.optimize import minimize

    mean, scale = design.mean(axis=0), design.std(axis=0)
    scale[scale == 0] = 1.0
    standard = np.column_stack([(design - mean) / scale, free])
    count = design.shape[1]
    target = labels.astype(np.float64)
    total = weights.sum()  # the loss as a mean, so the solver's tolerances are relative to it

    def loss(beta: NDArray[np.float64]) -> tuple[float, NDArray[np.float64]]:
        score = standard @ beta + offset
        chance = 1.0 / (1.0 + np.exp(-score))
        each = np.logaddexp(0.0, score) - target * score  # -log-likelihood, stable
        gradient = -(standard.T @ (weights * (target - chance)))
        gradient[:count] += beta[:count] / C
        value = (weights * each).sum() + beta[:count] @ beta[:count] / (2 * C)
        return float(value / total), gradient / total

    found = minimize(
        loss,
        np.zeros(standard.shape[1]),
        jac=True,
        method="L-BFGS-B",
        options={"ftol": 1e-14, "gtol": 1e-10, "maxiter": 10_000},
    )
    if not found.success:
        raise RuntimeError(f"the story regression did not converge: {found.message}")
    beta = found.x
    return mean, scale, beta[:count], beta[count:]


def chances(
    model: PairModel, features: NDArray[np.float64], spreads: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Each pair's chance of one event, in its own scan."""
    return per_scan(spreads, lambda inside, spread: model.probability(features[inside], spread))


def fit(pairs: Pairs, mask: NDArray[np.bool_], leads: bool) -> PairModel:
    features = pairs.features[mask].copy()
    if not leads:
        features[:, FEATURES.index("lead")] = 0.0
    labels = pairs.labels[mask]
    same = same_bands(time_bands(features), labels)
    offset = time_offsets(features, pairs.spreads[mask], same)
    fitted = fit_logistic(text_columns(features), labels, pairs.weights(mask)[mask], offset)
    # each set weighs the same in the fit, so the intercept stands for their mean share
    share = float(np.mean(list(set_shares(labels, pairs.sets[mask]).values())))
    return PairModel(*fitted, same, share)


def set_shares(labels: NDArray[np.bool_], sets: NDArray[np.str_]) -> dict[str, float]:
    """Each set's share of one-event pairs, by name in order."""
    return {name: float(labels[sets == name].mean()) for name in sorted(set(sets.tolist()))}


def choose_resolution(
    sets: dict[str, StorySet],
    config: ScanConfig,
    model: StoryModel,
    small: dict[int, list[Scanned]] | None = None,
) -> tuple[float, dict[str, float]]:
    """The resolution no set loses much with, and the sets' figures at it: each set's figure
    is compared with its best over ``RESOLUTIONS``, and the resolution whose largest loss is
    smallest wins (ties: the lower). Over 0.25-0.40 the mean figure moves by under 0.005, so
    the best mean would pick noise; the largest loss asks that every kind of feed holds.
    With ``small`` (``story_sets.small_sets``), only among the resolutions at which the small
    mixed corpora of every size keep a B-cubed precision of ``SMALL_PRECISION`` (a first try
    must not join unrelated articles; where none does, the one that comes nearest)."""
    tried: dict[float, dict[str, float]] = {}
    for resolution in RESOLUTIONS:
        candidate = replace(model, resolution=resolution)
        tried[resolution] = {name: score(s, config, candidate) for name, s in sets.items()}
    best = {name: max(figures[name] for figures in tried.values()) for name in sets}
    allowed = list(tried)
    if small is not None:
        held = {
            r: min(small_precision(small, config, replace(model, resolution=r)).values())
            for r in tried
        }
        allowed = [r for r in tried if held[r] >= SMALL_PRECISION] or [
            max(tried, key=lambda r: (held[r], -r))
        ]
    chosen = min(allowed, key=lambda r: (max(best[name] - tried[r][name] for name in sets), r))
    return chosen, tried[chosen]


def _source(name: str) -> str:
    """The labelled set a scan set comes from."""
    return "ecb" if name == "topics" else name


def reliability(
    probability: NDArray[np.float64], labels: NDArray[np.bool_]
) -> list[dict[str, Any]]:
    """Pairs by predicted chance in tenths: how many, the mean chance, the share that are."""
    table = []
    for low in range(10):
        inside = (probability >= low / 10) & (probability < (low + 1) / 10 if low < 9 else True)
        if inside.any():
            table.append(
                {
                    "chance": f"{low / 10:.1f}-{(low + 1) / 10:.1f}",
                    "pairs": int(inside.sum()),
                    "mean_chance": round(float(probability[inside].mean()), 3),
                    "one_event": round(float(labels[inside].mean()), 3),
                }
            )
    return table


def both(pairs: Pairs, words: Pairs, mask_sets: Sequence[str]) -> tuple[PairModel, PairModel]:
    with_leads = fit(pairs, np.isin(pairs.sets, mask_sets), leads=True)
    without = fit(words, np.isin(words.sets, mask_sets), leads=False)
    return with_leads, without


def _folds(
    sets: dict[str, StorySet],
    config: ScanConfig,
    pairs: Pairs,
    words: Pairs,
    in_sample: dict[str, float],
) -> dict[str, tuple[float, float, float]]:
    """Per scan set: its in-sample figure, its figure under the model fitted on the other
    labelled sets (resolution chosen on them, without the small corpora's floor: those hold
    articles of every set), and that resolution."""
    found = {}
    for held in [*SETS, *(name for name in sets if name not in SETS)]:
        rest = [name for name in SETS if name != _source(held)]
        fold = StoryModel(*both(pairs, words, rest), 0.0, {}, PRIOR)
        judged = {n: sets[n] for n in sets if _source(n) != _source(held)}
        chosen, _ = choose_resolution(judged, config, fold)
        fold = replace(fold, resolution=chosen)
        found[held] = (in_sample[held], score(sets[held], config, fold), chosen)
    return found


def leave_one_set_out(data: Path) -> dict[str, tuple[float, float, float]]:
    """In-sample and leave-one-set-out figures of each set (see ``_folds``), the in-sample
    ones with the shipped model."""
    semantic = ScanConfig()
    sets = story_sets(data, semantic, (*SETS, "topics"))
    pairs = Pairs({name: sets[name] for name in SETS}, semantic)
    words = Pairs(story_sets(data, ScanConfig(semantic=False)), ScanConfig(semantic=False))
    shipped = story_model()
    in_sample = {name: score(story_set, semantic, shipped) for name, story_set in sets.items()}
    return _folds(sets, semantic, pairs, words, in_sample)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_DATA.parent)
    parser.add_argument("--dry-run", action="store_true", help="print, write nothing")
    parser.add_argument("--no-loso", action="store_true", help="skip leave-one-set-out")
    options = parser.parse_args()
    data = options.shared / "data"
    if not (data / "gva-events").is_dir():
        sys.exit(f"no labelled data at {data}; pass --shared")
    semantic, words_only = ScanConfig(), ScanConfig(semantic=False)
    # ECB+ one topic at a time is judged beside ECB+ at once (the same articles, scanned as
    # single-subject feeds) when the resolution is chosen; its pairs are not fitted again
    sets = story_sets(data, semantic, (*SETS, "topics"))
    word_sets = story_sets(data, words_only)
    pairs = Pairs({name: sets[name] for name in SETS}, semantic)
    words = Pairs(word_sets, words_only)
    for name in SETS:
        inside = pairs.sets == name
        print(f"{name}: {inside.sum()} pairs, {pairs.labels[inside].mean():.3f} of one event")

    # reliability on held-aside pairs, of a model fitted without them
    aside = np.array([held_aside(key) for key in pairs.keys])
    probe = fit(pairs, ~aside, leads=True)
    chance = chances(probe, pairs.features[aside], pairs.spreads[aside])
    table = reliability(chance, pairs.labels[aside])
    print("\nreliability on held-aside pairs (a fifth, by a fixed hash):")
    for row in table:
        print(
            f"  {row['chance']}: {row['pairs']} pairs, mean chance {row['mean_chance']}, "
            f"one event {row['one_event']}"
        )

    with_leads, without = both(pairs, words, SETS)
    model = StoryModel(with_leads, without, 0.0, {}, PRIOR)
    resolution, figures = choose_resolution(sets, semantic, model, small_sets(data, semantic))
    print(f"\nresolution {resolution}: " + ", ".join(f"{k} {v:.3f}" for k, v in figures.items()))
    # the exact model's leads lie on another scale: its own fit, and its own resolution
    exact = ScanConfig(semantic_model="exact")
    exact_sets = story_sets(data, exact, (*SETS, "topics"))
    exact_pairs = Pairs({name: exact_sets[name] for name in SETS}, exact)
    exact_leads = fit(exact_pairs, np.ones(len(exact_pairs.labels), dtype=bool), leads=True)
    exact_resolution, exact_figures = choose_resolution(
        exact_sets,
        exact,
        StoryModel(exact_leads, without, 0.0, {}, PRIOR),
        small_sets(data, exact),
    )
    print(
        f"with the exact model's leads: resolution {exact_resolution}: "
        + ", ".join(f"{k} {v:.3f}" for k, v in exact_figures.items())
    )
    print("coefficients (standardised):")
    for name, value in zip(TEXT_FEATURES, with_leads.coef, strict=True):
        print(f"  {name}: {value:+.3f}")
    days = ["<=0", "1", "2-3", "4-7", "8-30", "31-365", "366-730", ">730"]
    shares = zip(days, with_leads.same_bands, strict=True)
    print("one event's dated pairs by days apart: " + ", ".join(f"{d} {m:.3f}" for d, m in shares))

    loso: dict[str, float] = {}
    if not options.no_loso:
        for held, (_, left_out, chosen) in _folds(sets, semantic, pairs, words, figures).items():
            loso[held] = left_out
            print(f"leave {held} out: resolution {chosen}, {held} {left_out:.3f}")

    about = {
        "fitted": datetime.date.today().isoformat(),
        "by": "benchmarks/fit_stories.py",
        "pairs": {name: int((pairs.sets == name).sum()) for name in SETS},
        "in_sample": {k: round(v, 3) for k, v in figures.items()},
        "in_sample_exact": {k: round(v, 3) for k, v in exact_figures.items()},
        "leave_one_set_out": {k: round(v, 3) for k, v in loso.items()},
        "reliability": table,
    }
    final = StoryModel(
        with_leads, without, resolution, about, PRIOR, {"exact": (exact_leads, exact_resolution)}
    )
    if not options.dry_run:
        final.write(MODEL_FILE)
        story_model.cache_clear()
        print(f"wrote {MODEL_FILE}")


if __name__ == "__main__":
    main()
