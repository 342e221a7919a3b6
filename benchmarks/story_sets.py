"""The labelled story sets as the story model sees them: each scanned once, its story inputs
kept, so that models and resolutions are tried without scanning again.

Used by ``fit_stories.py`` (fits the shipped model) and ``stories_quality.py`` (prints every
figure, in-sample and leave-one-set-out). A set's scan is cached under
``benchmarks/data/story-sets/`` (a pickle of the story inputs: remove it after changing what
the sketch workers extract).
"""

from __future__ import annotations

import hashlib
import pickle
import random
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from functools import partial
from pathlib import Path
from typing import Any
from unittest import mock

import numpy as np
from numpy.typing import NDArray
from stories_quality import (
    Article,
    bcubed,
    ecbplus_articles,
    ecbplus_topics,
    gva_articles,
    pair_f1,
    semeval_english,
    story_of,
)

import wiretrace.stages.grouping as grouping
from wiretrace import ScanConfig
from wiretrace.candidates.neighbours import unique_pairs
from wiretrace.group.stories import StoryInputs, StoryPairs, cluster_stories, story_pairs
from wiretrace.group.story_model import StoryModel
from wiretrace.records import Match

CACHE = Path(__file__).resolve().parent / "data" / "story-sets"
SETS = ("gva", "semeval", "ecb")


@dataclass
class Scanned:
    """One scan's story inputs and matches, and each document's gold story."""

    inputs: StoryInputs
    matches: list[Match]
    gold: list[str]


@contextmanager
def _capturing() -> Iterator[list[tuple[StoryInputs, list[Match]]]]:
    """Every story stage's inputs while scanning (the texts' callable as a list's, which
    pickles: the story stage reads the texts a stock phrase is made of)."""
    seen: list[tuple[StoryInputs, list[Match]]] = []
    real = grouping.cluster_stories

    def keep(inputs: StoryInputs, matches: Sequence[Match], *args: Any, **kwargs: Any) -> Any:
        text = inputs.text
        texts = None if text is None else [text(i) for i in range(len(inputs.ids))]
        kept = replace(inputs, text=None if texts is None else texts.__getitem__)
        seen.append((kept, list(matches)))
        return real(inputs, matches, *args, **kwargs)

    with mock.patch.object(grouping, "cluster_stories", keep):
        yield seen


def scan_articles(articles: Sequence[Article], config: ScanConfig) -> Scanned:
    with _capturing() as seen:
        story_of(articles, config)
    inputs, matches = seen[-1]
    gold = {article.id: article.gold for article in articles}
    return Scanned(inputs, matches, [gold[doc_id] for doc_id in inputs.ids])


def _cached(name: str, make: Callable[[], Any]) -> Any:
    # the pickles are of ``StoryInputs``: named by its fields, so that a new field makes a
    # new scan instead of an old pickle that lacks it (what the sketch workers compute is
    # not in the name: delete the folder after changing that)
    shape = ",".join(field.name for field in fields(StoryInputs)).encode()
    path = CACHE / f"{name}-{hashlib.blake2b(shape, digest_size=4).hexdigest()}.pickle"
    if path.exists():
        with path.open("rb") as stream:
            return pickle.load(stream)
    found = make()
    CACHE.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as stream:
        pickle.dump(found, stream)
    return found


def _suffix(config: ScanConfig) -> str:
    if not config.semantic:
        return "-words"
    return "" if config.semantic_model == "fast" else f"-{config.semantic_model}"


@dataclass
class StorySet:
    """A labelled set: the scans to cluster (one, or one per ECB+ topic) and, for SemEval,
    the rated pairs (ids, True for the same event)."""

    name: str
    scans: list[Scanned]
    rated: list[tuple[str, str, bool]] | None = None


def story_sets(data: Path, config: ScanConfig, names: Sequence[str] = SETS) -> dict[str, StorySet]:
    """Each named set scanned (or read from the cache)."""
    root = data / "ecbplus-dev" / "ECB+"
    suffix = _suffix(config)
    found: dict[str, StorySet] = {}
    for name in names:
        if name == "gva":
            scans = [_cached("gva" + suffix, partial(scan_articles, gva_articles(data), config))]
            found[name] = StorySet(name, scans)
        elif name == "semeval":
            semeval, rated = semeval_english(data)
            scans = [_cached("semeval" + suffix, partial(scan_articles, semeval, config))]
            found[name] = StorySet(name, scans, rated)
        elif name == "ecb":
            ecb = ecbplus_articles(root)
            scans = [_cached("ecb" + suffix, partial(scan_articles, ecb, config))]
            found[name] = StorySet(name, scans)
        elif name == "topics":
            scans = _cached(
                "topics" + suffix,
                lambda: [scan_articles(topic, config) for topic in ecbplus_topics(root)],
            )
            found[name] = StorySet(name, scans)
    return found


def labelled_pairs(
    story_set: StorySet, config: ScanConfig
) -> list[tuple[StoryPairs, NDArray[np.bool_]]]:
    """Per scan of the set, its candidate pairs with their features, and whether each is of
    one gold story. SemEval: only its rated pairs (the rest have no label), their features
    worked out among the scan's candidates and the rated pairs together (``rank`` is relative
    to them, as in a scan to the candidates; not to the rated pairs alone)."""
    settings = config.story_settings()
    found = []
    for scanned in story_set.scans:
        candidates = story_pairs(scanned.inputs, scanned.matches, settings)
        if story_set.rated is None:
            gold = np.array(scanned.gold)
            same = gold[candidates.pairs[:, 0]] == gold[candidates.pairs[:, 1]]
            found.append((candidates, same))
            continue
        count = len(scanned.inputs.ids)
        position = {doc_id: index for index, doc_id in enumerate(scanned.inputs.ids)}
        rated = np.array(
            [sorted((position[a], position[b])) for a, b, _ in story_set.rated], dtype=np.int64
        ).reshape(-1, 2)
        union = unique_pairs(np.concatenate([candidates.pairs, rated]), count)
        every = story_pairs(scanned.inputs, scanned.matches, settings, only=union)
        at = np.searchsorted(union[:, 0] * count + union[:, 1], rated[:, 0] * count + rated[:, 1])
        chosen = replace(
            every,
            pairs=every.pairs[at],
            features=every.features[at],
            is_copy=every.is_copy[at],
            lead_known=None if every.lead_known is None else every.lead_known[at],
            named=None if every.named is None else every.named[at],
        )
        found.append((chosen, np.array([same for _, _, same in story_set.rated])))
    return found


def score(story_set: StorySet, config: ScanConfig, model: StoryModel) -> float:
    """The set's figure: B-cubed F1 (mean over scans), or SemEval's one-story F1."""
    settings = config.story_settings()
    figures = []
    for scanned in story_set.scans:
        stories = cluster_stories(scanned.inputs, scanned.matches, settings, model).stories
        story = {member: s.story for s in stories for member in s.members}
        if story_set.rated is not None:
            same = [story[a] == story[b] for a, b, _ in story_set.rated]
            figures.append(pair_f1(same, [gold for _, _, gold in story_set.rated])[2])
        else:
            figures.append(bcubed([story[i] for i in scanned.inputs.ids], scanned.gold)[2])
    return float(np.mean(figures))


def small_corpora(
    data: Path, sizes: Sequence[int] = (20, 50, 200), samples: int = 20, seed: int = 7
) -> Iterator[tuple[int, list[Article]]]:
    """Samples of ``sizes`` articles drawn from many different dev stories (ECB+ stories, GVA
    incidents, SemEval articles): stories drawn at random, up to three articles of each."""
    by_story: dict[str, list[Article]] = {}
    for article in ecbplus_articles(data / "ecbplus-dev" / "ECB+"):
        by_story.setdefault("ecb:" + article.gold, []).append(article)
    for article in gva_articles(data):
        by_story.setdefault("gva:" + article.gold, []).append(article)
    articles, rated = semeval_english(data)
    joined: dict[str, str] = {}
    for first, second, same in rated:  # the pairs rated one event share a story
        if same:
            root = joined.get(first, first)
            joined[second] = root
            joined.setdefault(first, root)
    for article in articles:
        story = "semeval:" + joined.get(article.id, article.id)
        by_story.setdefault(story, []).append(replace(article, gold=story))
    names = sorted(by_story)
    chooser = random.Random(seed)
    for size in sizes:
        for _ in range(samples):
            order = names[:]
            chooser.shuffle(order)
            sample: list[Article] = []
            for name in order:
                take = by_story[name][:]
                chooser.shuffle(take)
                sample.extend(replace(a, gold=name) for a in take[: min(3, size - len(sample))])
                if len(sample) >= size:
                    break
            yield size, sample


def held_aside(key: str, share: float = 0.2) -> bool:
    """Whether a pair (or story) named ``key`` is held aside from fitting: a fixed hash."""
    digest = hashlib.blake2b(key.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little") / 2**64 < share


def small_sets(data: Path, config: ScanConfig) -> dict[int, list[Scanned]]:
    """The small mixed corpora (``small_corpora``) scanned, by size (cached)."""

    def scan_all() -> dict[int, list[Scanned]]:
        found: dict[int, list[Scanned]] = {}
        for size, sample in small_corpora(data):
            found.setdefault(size, []).append(scan_articles(sample, config))
        return found

    scanned: dict[int, list[Scanned]] = _cached("small" + _suffix(config), scan_all)
    return scanned


def small_precision(
    small: dict[int, list[Scanned]], config: ScanConfig, model: StoryModel
) -> dict[int, float]:
    """Per size of the small mixed corpora (``small_sets``), the mean B-cubed precision of
    their stories."""
    settings = config.story_settings()
    found = {}
    for size, scans in small.items():
        figures = []
        for scanned in scans:
            stories = cluster_stories(scanned.inputs, scanned.matches, settings, model).stories
            story = {member: s.story for s in stories for member in s.members}
            figures.append(bcubed([story[i] for i in scanned.inputs.ids], scanned.gold)[0])
        found[size] = float(np.mean(figures))
    return found
