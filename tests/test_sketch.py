"""MinHash signatures: estimates within the expected error of the exact Jaccard, deterministic."""

from __future__ import annotations

import math
import random

import numpy as np

from tests.corpus import edit, random_text
from wiretrace.clean import clean_text
from wiretrace.sketch import Permutations, sketch_texts, words_and_shingles


def _shingle_set(text: str) -> set[int]:
    return set(words_and_shingles(clean_text(text), 5).shingles.tolist())


def test_estimate_within_expected_error_of_exact_jaccard() -> None:
    generator = random.Random(7)
    permutations = Permutations.create(256, seed=3)
    errors = []
    for _ in range(120):
        original = random_text(generator, generator.randint(60, 400))
        copy = edit(generator, original, generator.uniform(0.0, 0.5))
        first, second = _shingle_set(original), _shingle_set(copy)
        exact = len(first & second) / len(first | second)
        sketches = sketch_texts(
            [clean_text(original, offsets=False), clean_text(copy, offsets=False)], 5, permutations
        )
        estimate = float(np.mean(sketches.signatures[0] == sketches.signatures[1]))
        sigma = math.sqrt(max(exact * (1 - exact), 0.01) / len(permutations))
        assert abs(estimate - exact) <= 4.5 * sigma, (exact, estimate)
        errors.append(estimate - exact)
    assert abs(float(np.mean(errors))) < 0.01  # no bias


def test_signatures_are_deterministic_for_a_seed_and_differ_across_seeds() -> None:
    texts = [
        clean_text(random_text(random.Random(index), 200), offsets=False) for index in range(5)
    ]
    first = sketch_texts(texts, 5, Permutations.create(128, seed=1)).signatures
    again = sketch_texts(texts, 5, Permutations.create(128, seed=1)).signatures
    other = sketch_texts(texts, 5, Permutations.create(128, seed=2)).signatures
    assert np.array_equal(first, again)
    assert not np.array_equal(first, other)


def test_batch_equals_one_by_one_and_short_documents_get_one_shingle() -> None:
    permutations = Permutations.create(64, seed=1)
    texts = [
        clean_text(text, offsets=False) for text in ("a b c", "one two three four five six", "")
    ]
    batch = sketch_texts(texts, 5, permutations)
    for index, text in enumerate(texts):
        alone = sketch_texts([text], 5, permutations)
        assert np.array_equal(alone.signatures[0], batch.signatures[index])
    assert batch.word_counts.tolist() == [3, 6, 0]
    assert len(words_and_shingles(texts[0], 5).shingles) == 1
    assert len(words_and_shingles(texts[1], 5).shingles) == 2


def test_a_batch_sketch_cut_to_some_texts_is_their_own_sketch() -> None:
    from dataclasses import fields

    from wiretrace import ScanConfig
    from wiretrace.sketch.batch import BatchItem, SketchParams, sketch_batch

    rng = random.Random(12)
    texts = [random_text(rng, rng.randint(0, 300)) + "\nRead more: example.com" for _ in range(7)]
    texts[3] = ""  # a text with no words, lines or sentences
    params = SketchParams.of(ScanConfig(semantic=False), sentences=True)
    whole = sketch_batch([BatchItem(text, year=2024) for text in texts], params)
    kept = [0, 3, 4, 6]
    alone = sketch_batch([BatchItem(texts[i], year=2024) for i in kept], params)
    cut = whole.select(kept)
    for field in fields(cut):
        mine, theirs = getattr(cut, field.name), getattr(alone, field.name)
        if isinstance(mine, np.ndarray):
            assert np.array_equal(mine, theirs), field.name
        elif field.name == "semantic":
            assert [s.tolist() for s in mine.spans] == [s.tolist() for s in theirs.spans]
            assert mine.documents.shape == theirs.documents.shape
        elif field.name == "topics":
            for ours, its in zip(mine, theirs, strict=True):
                assert all(np.array_equal(a, b) for a, b in zip(ours[:3], its[:3], strict=True))
                assert ours.lead == its.lead
        else:
            assert mine == theirs, field.name
    assert whole.select(range(7)).fingerprints.tolist() == whole.fingerprints.tolist()


def test_a_second_sketch_keeps_the_documents_language_for_its_topic_words() -> None:
    # once recurring lines are known a document is sketched again with its spans final and
    # no language detection: its own language's stop words must still be no topic words
    from wiretrace.config import ScanConfig
    from wiretrace.sketch.background import word_hash
    from wiretrace.sketch.batch import BatchItem, SketchParams, sketch_batch

    text = (
        "Die Regierung hat am Montag beschlossen, dass die neue Brücke über den Rhein im "
        "Sommer gebaut wird und dass der Verkehr während der Arbeiten umgeleitet wird."
    )
    params = SketchParams.of(ScanConfig())
    first = sketch_batch([BatchItem(text)], params)
    language = first.facts[0][3] if first.facts[0] else None
    assert language == "de"
    again = sketch_batch([BatchItem(text, find=False, language=language)], params)
    stop = {word_hash(word) for word in ("und", "dass", "der", "die")}
    for sketch in (first, again):
        assert not stop & set(sketch.topics[0].terms.tolist())
    assert set(again.topics[0].terms.tolist()) == set(first.topics[0].terms.tolist())
