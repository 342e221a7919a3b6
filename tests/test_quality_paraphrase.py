"""Quality gate for rewrites (issues 4 and 11), on the labelled data in ../shared/data.

Figures measured with ``python benchmarks/paraphrase_quality.py [--model exact]``
(2026-11-25, Clough-Stevenson again 2026-12-03, CPU; a seeded CPU run gives the same
figures every time).

The fast sentence model (the default, static, distilled from MiniLM):

- MSRP, "cosine >= 0.75" (its best accuracy): accuracy 0.7269, F1 0.8173;
- Clough-Stevenson: light -> paraphrase 5, contained 2, near_duplicate 1, partial 2 (one
  light revision, g1pA_taskc, is ``partial`` since rewritten sentences that restate one
  sentence of the other count once, 2026-12-06: its two rewritten sentences both pair with
  the source's first); cut as with MiniLM; heavy -> paraphrase 9, partial 2,
  same_story 1 (one more paraphrase, by the ordered chain); non -> none 21, same_story 4
  (20 and 5 before the story model of 2026-12-04, 17 and 8 before the story model of issue
  25, 15 and 10 before the leads' vectors were centred for the stories) (independent
  answers on one topic are less often called one story: a same-story pair must also fall in
  one story, and the story model call it one event).

The exact model (MiniLM):

- MSRP training part, sentence decision "cosine >= 0.70": accuracy 0.7291, F1 0.8123 (the best
  accuracy on the grid is 0.731 at 0.65; 0.70 is the strictest threshold within 0.005 of it).
- Clough-Stevenson, relation of each answer with its source: non -> none 20, same_story 5
  (never a copy or paraphrase; none 19, same_story 6 before a name news at large often
  names was, alone, no evidence of one event; none 4, same_story 21 before the story model
  of issue 25);
  heavy -> paraphrase 8, partial 2, same_story 2 (9/1/2 before the alignment kept to the
  order of both texts); light -> paraphrase 6, contained 2, near_duplicate 1, partial 1;
  cut -> contained 3, near_duplicate 2, partial 3, same_story 1, none 1 (paraphrase 1, partial
  2 before a name shared verbatim proved no rewrite, 2026-12-06).

MSRP floors sit 0.005 under the measured figures. The README states the ``light`` and ``non``
rows, so those are pinned whole; the other rows keep the properties the README relies on.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from wiretrace import ScanConfig

pytestmark = pytest.mark.usefixtures("semantic_extra")

# sentence model -> (accuracy, F1) floors, 0.005 under the measured figures
MSRP_FLOORS = {"fast": (0.722, 0.812), "exact": (0.724, 0.807)}
# As measured and as the README states them.
LIGHT_ROWS = {
    "fast": {"paraphrase": 5, "contained": 2, "near_duplicate": 1, "partial": 2},
    "exact": {"paraphrase": 6, "contained": 2, "near_duplicate": 1, "partial": 1},
}
# (fast: same_story 4, none 21 before stories joined communities by average link, 2026-12-05;
# independent answers on one topic are no one event)
NON_ROWS = {"fast": {"same_story": 3, "none": 22}, "exact": {"same_story": 5, "none": 20}}
MODELS = ["fast", pytest.param("exact", marks=pytest.mark.slow)]
COPY_OR_REWRITE = {"exact", "near_duplicate", "contained", "partial", "paraphrase"}


def _config(model: str) -> ScanConfig:
    return ScanConfig(semantic_model="fast" if model == "fast" else "exact")


@pytest.mark.parametrize("model", MODELS)
def test_msrp_sentence_decision(shared_data: Path, benchmarks_on_path: Path, model: str) -> None:
    from paraphrase_quality import accuracy_f1, msrp_similarities

    config = _config(model)
    path = shared_data / "msrp" / "msr_paraphrase_train.txt"
    labels, similarity = msrp_similarities(path, config.semantic_model)
    assert len(labels) == 4076
    accuracy, f1 = accuracy_f1(labels, similarity >= config.semantic_thresholds().sentence)
    assert accuracy >= MSRP_FLOORS[model][0]
    assert f1 >= MSRP_FLOORS[model][1]


@pytest.mark.parametrize("model", MODELS)
def test_clough_stevenson_relations(
    shared_data: Path, benchmarks_on_path: Path, model: str
) -> None:
    from paraphrase_quality import clough_confusion

    confusion = clough_confusion(shared_data / "clough-stevenson", _config(model))
    # a Counter's unary plus drops the relations counted zero times
    assert dict(+confusion["light"]) == LIGHT_ROWS[model]
    assert dict(+confusion["non"]) == NON_ROWS[model]  # never a copy or rewrite
    assert confusion["heavy"]["paraphrase"] >= 8
    cut_copies = sum(confusion["cut"][name] for name in ("exact", "near_duplicate", "contained"))
    assert cut_copies >= 5
