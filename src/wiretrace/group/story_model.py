"""The story model: the chance that two articles report the same event, from their evidence.

A logistic regression over the text evidence of ``evidence.FEATURES`` (every feature but
``gap`` and ``undated``), plus the time between the two events weighed apart from it, the
way splink weighs a comparison's levels: per band of days (same day, 1, 2-3, 4-7, 8-30,
31-365, 366-730, more), the log of how often two reports of one event lie that far apart (``m``,
learned on the development sets' dated pairs) over how often any two articles of *this*
corpus do (``u``, counted over all its pairs of dated articles at run time, as word rarity
is). Both are taken over the bands the corpus spans, so in a day's news the day says
nothing, while in a feed of years a same-day pair is strong evidence. Nothing is added when
either article is undated. Why apart from the regression: only one development set dates its
articles (GVA), and time learned inside the regression did not carry to feeds of another
kind or span (benchmarks/README.md, "Stories").

The corpus's own prior, the way splink estimates λ by expectation maximisation: the sets the
model was fitted on hold one-event pairs among their candidates in very different shares (GVA's
shootings 6%, ECB+'s topics 46%), and a regression fitted on them carries their mean share in
its intercept. A feed unlike the mean was mis-weighed by up to two in log-odds (fitted on two
sets, ranked the third's pairs well, AUC 0.96-0.99, but joined too many or too few). So at
run time the share of the corpus's own weighed candidates is estimated by EM over their
chances (``CorpusPrior``), shrunk towards the fitted share by a few pairs' worth, and every
pair's log-odds moves by the difference of the two shares' logits, at most ``limit`` either
way: the estimate leans on the model's calibration, which is what is off.

Fitted on labelled pairs of the development sets by ``benchmarks/fit_stories.py``
(deterministic) and shipped as ``story_model.json`` beside this file: no training at run time and
nothing but numpy to apply it. Two variants share the file: one for scans with the semantic
stage (``lead`` weighed), one without it. The file also names the clustering's
``resolution`` that was chosen with it and how the fit went (its reliability table on
held-aside pairs).
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from wiretrace.group.evidence import FEATURES

MODEL_FILE = Path(__file__).with_name("story_model.json")
# the regression's columns: the text evidence (time is weighed by band)
TEXT_FEATURES = tuple(name for name in FEATURES if name not in ("gap", "undated"))
_TEXT_COLUMNS = [FEATURES.index(name) for name in TEXT_FEATURES]
# the upper ends of the bands of days between two events (the last band has none)
BAND_DAYS = (0.5, 1.5, 3.5, 7.5, 30.5, 365.5, 730.5)


def time_bands(features: NDArray[np.float64]) -> NDArray[np.int64]:
    """Each pair's band of days between its events (``BAND_DAYS``), -1 when either article is
    undated."""
    band = np.searchsorted(np.log1p(np.array(BAND_DAYS)), features[:, FEATURES.index("gap")])
    undated = features[:, FEATURES.index("undated")] > 0
    return np.where(undated, -1, band).astype(np.int64)


def band_spread(days: NDArray[np.float64]) -> NDArray[np.float64]:
    """The share of all pairs of dated documents (``days``: day numbers, NaN undated) in each
    band of days apart (``u``); zeros with fewer than two dated. Exact, in n log n."""
    dated = np.sort(days[~np.isnan(days)])
    if len(dated) < 2:
        return np.zeros(len(BAND_DAYS) + 1)
    within = [0.0]  # pairs at most each edge apart, counted from each pair's earlier document
    for edge in BAND_DAYS:
        later = np.searchsorted(dated, dated + edge, side="right")
        within.append(float((later - np.arange(1, len(dated) + 1)).sum()))
    total = len(dated) * (len(dated) - 1) / 2
    counts = np.diff(np.array([*within, total]))
    spread: NDArray[np.float64] = counts / total
    return spread


def time_log_odds(
    bands: NDArray[np.int64], same: NDArray[np.float64], spread: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Per pair, log m / u of its band: ``same`` the share of one event's pairs in each band,
    ``spread`` this corpus' (``band_spread``), both over the bands the corpus spans; 0 for an
    undated pair."""
    spanned = spread > 0
    if not spanned.any():
        return np.zeros(len(bands))
    m = np.where(spanned, same, 0.0)
    m = m / m.sum()
    # math.log, not numpy's: its vector paths may differ in the last bit by CPU
    weight = [
        math.log(a / b) if b > 0 else 0.0 for a, b in zip(m.tolist(), spread.tolist(), strict=True)
    ]
    # Farther apart never says more for one event than nearer does (one event's reports
    # thin out with the days between them): a band the corpus barely spans has a tiny u, so
    # an article dated weeks from a three-week folder's other articles read its stray date as
    # strong evidence (log m / u +1.3 at 31-365 days, against -1.6 at 8-30) and joined a
    # story it was not part of. A feed of years is unchanged (GVA's weights already fall).
    running = math.inf
    for band, spans in enumerate(spanned.tolist()):
        if spans:
            running = weight[band] = min(running, weight[band])
    weights = np.array(weight)
    found: NDArray[np.float64] = np.where(bands < 0, 0.0, weights[np.maximum(bands, 0)])
    return found


def text_columns(features: NDArray[np.float64]) -> NDArray[np.float64]:
    """The columns of ``TEXT_FEATURES``."""
    chosen: NDArray[np.float64] = features[:, _TEXT_COLUMNS]
    return chosen


@dataclass(frozen=True, slots=True)
class PairModel:
    """Standardised text features times ``coef`` plus ``intercept``, plus the pair's time
    band's log m / u (``same_bands``: m, the share of one event's dated pairs in each band),
    through the logistic. ``share``: the fitted sets' mean share of one-event pairs among the
    pairs weighed, the prior ``intercept`` stands for."""

    mean: NDArray[np.float64]
    scale: NDArray[np.float64]
    coef: NDArray[np.float64]
    intercept: float
    same_bands: NDArray[np.float64]
    share: float

    def log_odds(
        self, features: NDArray[np.float64], spread: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        text = text_columns(features)
        # summed in a fixed order, term by term: a BLAS dot's order depends on the CPU
        score = np.full(len(features), self.intercept)
        for column in range(text.shape[1]):
            score += (text[:, column] - self.mean[column]) / self.scale[column] * self.coef[column]
        found: NDArray[np.float64] = score + time_log_odds(
            time_bands(features), self.same_bands, spread
        )
        return found

    def probability(
        self, features: NDArray[np.float64], spread: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        chance: NDArray[np.float64] = 1.0 / (1.0 + np.exp(-self.log_odds(features, spread)))
        return chance

    def as_json(self) -> dict[str, Any]:
        return {
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
            "coef": self.coef.tolist(),
            "intercept": self.intercept,
            "same_bands": self.same_bands.tolist(),
            "share": self.share,
        }

    @classmethod
    def from_json(cls, stored: dict[str, Any]) -> PairModel:
        return cls(
            np.array(stored["mean"], dtype=np.float64),
            np.array(stored["scale"], dtype=np.float64),
            np.array(stored["coef"], dtype=np.float64),
            float(stored["intercept"]),
            np.array(stored["same_bands"], dtype=np.float64),
            float(stored["share"]),
        )


def _logit(share: float) -> float:
    return math.log(share / (1.0 - share))


@dataclass(frozen=True, slots=True)
class CorpusPrior:
    """How a corpus's own share of one-event pairs is estimated (see the module's text):
    ``weight`` pairs' worth of the fitted share join the corpus's pairs in the estimate (a
    corpus of twenty articles says little), and the log-odds move by at most ``limit``."""

    weight: float
    limit: float

    def shift(self, log_odds: NDArray[np.float64], share: float) -> float:
        """What to add to the log-odds of a corpus whose weighed pairs have ``log_odds`` under
        a model fitted at ``share``: logit of the corpus's share less logit ``share``, within
        the limit. The share is EM's fixed point (the mean chance of the corpus's pairs
        under it, with ``weight`` pairs at ``share``), which is unique (the likelihood of a
        mixture's share is concave), so it is bisected for in logit space: a pass over the
        pairs per halving, two when it lies beyond the limit (EM's own rounds took 30 times
        as long on a million pairs)."""
        if not len(log_odds):
            return 0.0
        fitted, count = _logit(share), len(log_odds)

        def excess(move: float) -> float:
            """EM's next share less the share at logit ``fitted + move`` (falls with it)."""
            chance = 1.0 / (1.0 + np.exp(-(log_odds + move)))
            # summed as integers (2^-32 each): the same sum in whatever order a CPU's vector
            # width adds, where floats' would differ in the last bits
            total = int(np.rint(chance * _UNIT).astype(np.int64).sum()) / _UNIT
            mean = (total + self.weight * share) / (count + self.weight)
            return mean - 1.0 / (1.0 + math.exp(-(fitted + move)))

        low, high = -min(self.limit, _FARTHEST), min(self.limit, _FARTHEST)
        if excess(high) >= 0:
            return high
        if excess(low) <= 0:
            return low
        while high - low > _PRECISION:
            middle = (low + high) / 2
            if excess(middle) > 0:
                low = middle
            else:
                high = middle
        return (low + high) / 2

    def as_json(self) -> dict[str, float]:
        return {"weight": self.weight, "limit": self.limit}


_FARTHEST = 20.0  # logits: a share within 2e-9 of 0 or 1
_PRECISION = 1e-6  # logits
_UNIT = float(2**32)  # a chance's fixed-point unit: 2^31 pairs sum below 2^63


@dataclass(frozen=True, slots=True)
class StoryModel:
    """The pair model with and without leads, the resolution chosen with them, and how a
    corpus's own prior moves them (None: not at all). ``with_leads`` weighs the leads of
    the default sentence model (fast); ``other_leads`` holds, per other sentence model, the
    pair model fitted on its leads and the resolution chosen with it: one model's cosines
    are not another's
    (MiniLM's leads of two unrelated articles lie ~0.15 higher than the fast model's), and
    a chance weighed on the wrong scale joins events of one kind."""

    with_leads: PairModel
    without_leads: PairModel
    resolution: float
    about: dict[str, Any]  # how it was fitted, and its reliability table
    prior: CorpusPrior | None = None
    other_leads: dict[str, tuple[PairModel, float]] = field(default_factory=dict)

    def for_sentence_model(self, name: str) -> StoryModel:
        """The model that weighs the leads of sentence model ``name`` (itself where it has
        none fitted for it)."""
        if name not in self.other_leads:
            return self
        with_leads, resolution = self.other_leads[name]
        return replace(self, with_leads=with_leads, resolution=resolution, other_leads={})

    def log_odds(
        self, features: NDArray[np.float64], leads: bool, spread: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        """The log-odds that each pair (a row of ``evidence.FEATURES``) is of one event, in a
        corpus whose pairs of dated articles lie apart as ``spread`` says (``band_spread``),
        before the corpus's prior (``corpus_shift``)."""
        return (self.with_leads if leads else self.without_leads).log_odds(features, spread)

    def corpus_shift(self, log_odds: NDArray[np.float64], leads: bool) -> float:
        """What the corpus's prior adds to the log-odds of its pairs, from those of all the
        pairs the model weighs in it (``log_odds``)."""
        if self.prior is None:
            return 0.0
        fitted = self.with_leads if leads else self.without_leads
        return self.prior.shift(log_odds, fitted.share)

    def write(self, path: Path = MODEL_FILE) -> None:
        stored = {
            "features": list(FEATURES),
            "text_features": list(TEXT_FEATURES),
            "band_days": list(BAND_DAYS),
            "with_leads": self.with_leads.as_json(),
            "without_leads": self.without_leads.as_json(),
            "resolution": self.resolution,
            "prior": None if self.prior is None else self.prior.as_json(),
            "other_leads": {
                name: {"with_leads": model.as_json(), "resolution": resolution}
                for name, (model, resolution) in self.other_leads.items()
            },
            "about": self.about,
        }
        path.write_text(json.dumps(stored, indent=1) + "\n", encoding="utf-8")


def read_model(path: Path) -> StoryModel:
    stored = json.loads(path.read_text(encoding="utf-8"))
    shape = (tuple(stored["features"]), tuple(stored.get("text_features", ())))
    if (
        shape != (FEATURES, TEXT_FEATURES)
        or tuple(stored.get("band_days", ())) != BAND_DAYS
        or "share" not in stored["with_leads"]
    ):
        # a file from another version of the features
        raise ValueError(
            f"{path}: fitted on other features or time bands than this version weighs; "
            "refit it with benchmarks/fit_stories.py"
        )
    return StoryModel(
        PairModel.from_json(stored["with_leads"]),
        PairModel.from_json(stored["without_leads"]),
        float(stored["resolution"]),
        stored.get("about", {}),
        None if stored.get("prior") is None else CorpusPrior(**stored["prior"]),
        {
            name: (PairModel.from_json(other["with_leads"]), float(other["resolution"]))
            for name, other in stored.get("other_leads", {}).items()
        },
    )


@functools.cache
def story_model() -> StoryModel:
    """The shipped model."""
    return read_model(MODEL_FILE)
