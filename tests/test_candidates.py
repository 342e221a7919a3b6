"""LSH candidates against brute force on random corpora with planted copies."""

from __future__ import annotations

import itertools
import random

import numpy as np

from tests.corpus import edit, random_text, truncate
from wiretrace.candidates import candidate_pairs
from wiretrace.candidates.lsh import LshSearch, band_keys_of
from wiretrace.clean import clean_text
from wiretrace.config import ScanConfig
from wiretrace.sketch import Permutations, sketch_texts, words_and_shingles


def _corpus(seed: int) -> list[str]:
    generator = random.Random(seed)
    originals = [random_text(generator, generator.randint(150, 500)) for _ in range(120)]
    texts = list(originals)
    for original in generator.sample(originals, 60):
        kind = generator.choice(["edited", "truncated", "truncated_edited"])
        if kind == "edited":
            texts.append(edit(generator, original, generator.uniform(0.02, 0.15)))
        elif kind == "truncated":
            texts.append(truncate(original, generator.uniform(0.4, 0.7)))
        else:
            texts.append(edit(generator, truncate(original, generator.uniform(0.4, 0.7)), 0.03))
    return texts


def test_recall_against_brute_force() -> None:
    config = ScanConfig()
    texts = _corpus(seed=11)
    cleaned = [clean_text(text, offsets=False) for text in texts]
    sketches = sketch_texts(cleaned, 5, Permutations.create(config.num_perm, config.seed))
    sizes = np.maximum(sketches.word_counts - 4, 1)
    search = LshSearch(config.lsh(), config.estimate_floors(), 500)
    pairs, collisions = candidate_pairs(sketches.signatures, sizes, search)
    found = {tuple(pair) for pair in pairs.tolist()}
    assert collisions >= len(found)
    sets = [set(words_and_shingles(clean_text(text), 5).shingles.tolist()) for text in texts]
    targets, related, far = set(), set(), set()
    for first, second in itertools.combinations(range(len(texts)), 2):
        shared = len(sets[first] & sets[second])
        if not shared:
            continue
        related.add((first, second))
        small, large = sorted((len(sets[first]), len(sets[second])))
        jaccard = shared / (small + large - shared)
        containment = shared / small
        if jaccard >= 0.5 or (containment >= 0.8 and small / large >= config.min_length_ratio):
            targets.add((first, second))
        if jaccard < 0.05 and containment < 0.3:
            far.add((first, second))
    assert len(targets) >= 40  # most planted copies are targets; some edits fall below
    recall = len(targets & found) / len(targets)
    assert recall >= 0.97, recall
    assert found <= related  # pairs sharing no shingle are never proposed
    assert not found & far  # nor pairs far below both targets


def test_oversized_bucket_is_linked_as_a_star() -> None:
    config = ScanConfig()
    text = clean_text(random_text(random.Random(1), 100), offsets=False)
    sketches = sketch_texts([text] * 30, 5, Permutations.create(config.num_perm, config.seed))
    sizes = np.full(30, 96, dtype=np.int64)
    floors = config.estimate_floors()
    everything, _ = candidate_pairs(
        sketches.signatures, sizes, LshSearch(config.lsh(), floors, 500)
    )
    star, _ = candidate_pairs(sketches.signatures, sizes, LshSearch(config.lsh(), floors, 10))
    assert len(everything) == 30 * 29 // 2
    assert len(star) == 29
    assert set(star[:, 0].tolist()) == {0}


def test_buckets_settled_in_any_partition_give_the_kernels_pairs() -> None:
    """The Spark plan's arithmetic without Spark: buckets spread over partitions, each turned
    into pairs on its own, then settled, give candidate_pairs' pairs and collisions."""
    from wiretrace.candidates.lsh import band_rows, bucket_collisions, bucket_pairs, settle_pairs

    config = ScanConfig()
    generator = random.Random(5)
    story = random_text(generator, 300)
    texts = [edit(generator, story, 0.03) for _ in range(300)] + _corpus(seed=5)
    generator.shuffle(texts)
    cleaned = [clean_text(text, offsets=False) for text in texts]
    sketches = sketch_texts(cleaned, 5, Permutations.create(config.num_perm, config.seed))
    signatures, sizes = sketches.signatures, np.maximum(sketches.word_counts - 4, 1)
    floors, targets = config.estimate_floors(), (config.jaccard_threshold, 0.8)
    bands, keys, documents = band_rows(np.arange(len(texts)), signatures, config.lsh())
    _, bucket, held = np.unique(
        np.stack([bands, keys], axis=1), axis=0, return_inverse=True, return_counts=True
    )
    colliding = held[bucket.ravel()] >= 2
    bands, keys, documents = bands[colliding], keys[colliding], documents[colliding]
    for big_group_size, max_bucket_size in [(20, 500), (0, 40)]:
        search = LshSearch(config.lsh(), floors, max_bucket_size, big_group_size, targets)
        expected = candidate_pairs(signatures, sizes, search)
        found = []
        for partition in range(5):
            chosen = (keys + bands) % 5 == partition
            order = np.lexsort((documents[chosen], keys[chosen], bands[chosen]))
            rows = documents[chosen][order]
            sorted_rows = (bands[chosen][order], keys[chosen][order], rows)
            found.append(bucket_pairs(*sorted_rows, signatures[rows], sizes[rows], search))
        columns = [np.concatenate([part[column] for part in found]) for column in range(5)]
        pairs = settle_pairs(*columns, len(texts), big_group_size)
        assert np.array_equal(pairs, expected[0])
        assert bucket_collisions(held[held >= 2], max_bucket_size) == expected[1]


def test_a_few_documents_band_keys_are_each_bands_own() -> None:
    """A query's few documents have every band's key worked out at once: the keys the
    band-at-a-time path gives (it still serves many documents)."""
    generator = np.random.default_rng(11)
    banding = ScanConfig().lsh()
    many = generator.integers(0, 2**32, (200, 128), dtype=np.uint64).astype(np.uint32)
    by_band = dict(band_keys_of(many, banding))  # more than a few: a band at a time
    for count in (1, 3, 64):
        few = dict(band_keys_of(many[:count], banding))
        assert sorted(few) == sorted(by_band) == list(range(banding.bands))
        for band, keys in few.items():
            assert keys.dtype == np.uint64
            assert np.array_equal(keys, by_band[band][:count])
