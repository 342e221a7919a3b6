"""The rule-made rewrites of benchmarks/rewrite_set.py keep what a spinner keeps (names,
numbers, quotes) and leave no run of 8 words of the original, so they measure the paraphrase
stage and not the copy scan."""

from __future__ import annotations

import random
import re
from pathlib import Path
from types import ModuleType

import pytest

ARTICLE = (
    "Two men were shot early Sunday outside a bar in the 1200 block of West Madison Street, "
    "police said. The victims, a 24-year-old and a 31-year-old, were taken to Stroger Hospital "
    "in serious condition, according to Officer Jane Ruiz. Witnesses told police that a gray "
    "car pulled up and at least one person inside opened fire before driving away. "
    '"We heard five or six shots and everybody ran," said Marcus Bell, who lives nearby. '
    "No arrests have been made, and detectives are looking for the car. The shooting was the "
    "third in the area this month, after a woman was wounded on May 3."
)


@pytest.fixture(scope="module")
def rewrite_set(benchmarks_on_path: Path) -> ModuleType:
    import rewrite_set

    return rewrite_set


def _words(text: str) -> list[str]:
    return [word.casefold() for word in re.findall(r"\w+", text)]


@pytest.mark.parametrize("seed", range(12))
def test_a_rewrite_keeps_no_run_of_eight_words(rewrite_set: ModuleType, seed: int) -> None:
    from stories_quality import Article

    made = rewrite_set.rewrite(Article("a", ARTICLE, "story"), random.Random(seed))
    assert made.text != ARTICLE
    _, _, size = rewrite_set.longest_run(_words(ARTICLE), _words(made.text))
    assert size <= rewrite_set.MAX_RUN
    # the particular facts stay: the first sentence's always (it is never dropped), every
    # number and name when no sentence was dropped
    kept = ["1200", "Madison"]
    if "drop" not in made.techniques:
        kept += ["24", "31", "Stroger", "Ruiz", "Marcus", "Bell", "May 3"]
    for fact in kept:
        assert fact in made.text, (fact, made.techniques)


def test_synonyms_leave_quotes_names_and_hyphenated_words_alone(rewrite_set: ModuleType) -> None:
    chooser = random.Random(1)
    sentence = 'Police said "the man was shot" near Mother Jones, a 3-year-old boy said.'
    swapped = rewrite_set.synonyms(sentence, chooser, share=1.0)
    assert '"the man was shot"' in swapped
    assert "Mother Jones" in swapped and "3-year-old" in swapped
    assert "said" not in swapped.split('"')[0]  # outside the quote, "said" was swapped


def test_a_long_run_is_broken_between_plain_words(rewrite_set: ModuleType) -> None:
    original = "the council met on Tuesday and voted to close the old library for good"
    broken = rewrite_set.break_runs(original, original, random.Random(0))
    assert rewrite_set.longest_run(_words(original), _words(broken))[2] <= rewrite_set.MAX_RUN
    assert "Tuesday" in broken  # fillers go between plain lower-case words
