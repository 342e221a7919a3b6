"""The story model: the chance that two articles report the same event, from their evidence.

A logistic regression over ``evidence.FEATURES`` and their pairwise products (``terms``: so
that, say, the words two undated articles share may count for more than those of two
articles a month apart), fitted on labelled pairs of the development
sets by ``benchmarks/fit_stories.py`` (fixed seed, scikit-learn) and shipped as
``story_model.json`` beside this file: no training at run time and nothing but numpy to apply
it. Two variants share the file: one for scans with the semantic stage (``lead`` weighed), one
without it. The file also names the clustering's ``resolution`` that was chosen with it and
how the fit went (its reliability table on held-aside pairs).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from wiretrace.group.evidence import FEATURES

MODEL_FILE = Path(__file__).with_name("story_model.json")


def terms(features: NDArray[np.float64]) -> NDArray[np.float64]:
    """The features, then the product of every two of them (first with second, first with
    third, ..., in ``FEATURES`` order)."""
    count = features.shape[1]
    products = [
        features[:, first] * features[:, second]
        for first in range(count)
        for second in range(first + 1, count)
    ]
    return np.concatenate([features, np.stack(products, axis=1)], axis=1) if products else features


@dataclass(frozen=True, slots=True)
class PairModel:
    """Standardised ``terms`` of the features times ``coef`` plus ``intercept``, through the
    logistic."""

    mean: NDArray[np.float64]
    scale: NDArray[np.float64]
    coef: NDArray[np.float64]
    intercept: float

    def probability(self, features: NDArray[np.float64]) -> NDArray[np.float64]:
        expanded = terms(features)
        # summed in a fixed order, term by term: a BLAS dot's order depends on the CPU
        score = np.full(len(features), self.intercept)
        for column in range(expanded.shape[1]):
            standard = (expanded[:, column] - self.mean[column]) / self.scale[column]
            score += standard * self.coef[column]
        chance: NDArray[np.float64] = 1.0 / (1.0 + np.exp(-score))
        return chance

    def as_json(self) -> dict[str, Any]:
        return {
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
            "coef": self.coef.tolist(),
            "intercept": self.intercept,
        }

    @classmethod
    def from_json(cls, stored: dict[str, Any]) -> PairModel:
        return cls(
            np.array(stored["mean"], dtype=np.float64),
            np.array(stored["scale"], dtype=np.float64),
            np.array(stored["coef"], dtype=np.float64),
            float(stored["intercept"]),
        )


@dataclass(frozen=True, slots=True)
class StoryModel:
    """The pair model with and without leads, and the resolution chosen with them."""

    with_leads: PairModel
    without_leads: PairModel
    resolution: float
    about: dict[str, Any]  # how it was fitted, and its reliability table

    def probability(self, features: NDArray[np.float64], leads: bool) -> NDArray[np.float64]:
        """The chance that each pair (a row of ``evidence.FEATURES``) is of one event."""
        return (self.with_leads if leads else self.without_leads).probability(features)

    def write(self, path: Path = MODEL_FILE) -> None:
        stored = {
            "features": list(FEATURES),
            "with_leads": self.with_leads.as_json(),
            "without_leads": self.without_leads.as_json(),
            "resolution": self.resolution,
            "about": self.about,
        }
        path.write_text(json.dumps(stored, indent=1) + "\n", encoding="utf-8")


def read_model(path: Path) -> StoryModel:
    stored = json.loads(path.read_text(encoding="utf-8"))
    if tuple(stored["features"]) != FEATURES:  # a file from another version of the features
        raise ValueError(f"{path}: fitted on features {stored['features']}, not {FEATURES}")
    return StoryModel(
        PairModel.from_json(stored["with_leads"]),
        PairModel.from_json(stored["without_leads"]),
        float(stored["resolution"]),
        stored.get("about", {}),
    )


@functools.cache
def story_model() -> StoryModel:
    """The shipped model."""
    return read_model(MODEL_FILE)
