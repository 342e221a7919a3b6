"""Embedding with the exact model: each distinct sentence of a run once, and a cache file that
spares documents already embedded by an earlier run."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from wiretrace.errors import InputError
from wiretrace.semantic.cache import EmbeddingCache
from wiretrace.semantic.stage import ExactEmbedder


class CountingEncoder:
    """Deterministic fake vectors from the sentence's letters; counts what it embeds."""

    name = "fake"
    dimensions = 8

    def __init__(self) -> None:
        self.embedded: list[str] = []

    def encode(self, sentences: list[str]) -> NDArray[np.float32]:
        self.embedded.extend(sentences)
        vectors = np.zeros((len(sentences), self.dimensions), dtype=np.float32)
        for row, sentence in enumerate(sentences):
            for char in sentence:
                vectors[row, ord(char) % self.dimensions] += 1.0
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-9)


DOCUMENTS = [
    ["The flood reached the old town on Monday.", "Rescuers moved two hundred people."],
    ["Chip makers expect higher demand next year.", "The new plant opens in March."],
]


def embed(
    documents: list[list[str]], encoder: CountingEncoder, cache: EmbeddingCache | None = None
) -> list[NDArray[np.float32]]:
    return list(ExactEmbedder(encoder, cache).embed(iter(documents)))


def test_a_second_run_embeds_nothing_and_gives_the_same_vectors(tmp_path: Path) -> None:
    path = tmp_path / "embeddings.sqlite"
    first_encoder, second_encoder = CountingEncoder(), CountingEncoder()
    with EmbeddingCache(path) as cache:
        first = embed(DOCUMENTS, first_encoder, cache)
        assert (cache.hits, cache.misses) == (0, 2)
    with EmbeddingCache(path) as cache:
        second = embed(DOCUMENTS, second_encoder, cache)
        assert (cache.hits, cache.misses) == (2, 0)
    assert len(first_encoder.embedded) == 4 and second_encoder.embedded == []
    for old, new in zip(first, second, strict=True):
        np.testing.assert_allclose(old, new, atol=1e-3)


def test_a_changed_document_is_embedded_again(tmp_path: Path) -> None:
    path = tmp_path / "embeddings.sqlite"
    with EmbeddingCache(path) as cache:
        embed(DOCUMENTS, CountingEncoder(), cache)
    changed = [
        DOCUMENTS[0],
        ["Chip makers expect lower demand next year.", "Nothing else changed today."],
    ]
    encoder = CountingEncoder()
    with EmbeddingCache(path) as cache:
        embed(changed, encoder, cache)
    assert encoder.embedded == [
        "chip makers expect lower demand next year.",
        "nothing else changed today.",
    ]


def test_a_file_that_is_no_cache_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not a database, just some notes that are long enough " * 20)
    with pytest.raises(InputError, match="cannot use it as a cache file"):
        EmbeddingCache(path)


def test_a_sentence_repeated_across_the_run_is_embedded_once() -> None:
    wire = "Rescuers moved two hundred people to safety."
    documents = [
        ["The flood reached the old town on Monday.", wire],
        [wire, "The mayor thanked the volunteers."],
        ["  rescuers moved two hundred   PEOPLE to safety.", "Schools stay closed."],  # the same
    ]
    encoder = CountingEncoder()
    embedder = ExactEmbedder(encoder)

    found = list(embedder.embed(iter(documents)))

    assert encoder.embedded.count(wire.lower()) == 1  # as the uncased model reads it
    assert len(encoder.embedded) == 4
    assert (embedder.sentences, embedder.embedded, embedder.repeated) == (6, 4, 2)
    np.testing.assert_array_equal(found[0][1], found[1][0])


def test_a_documents_vectors_do_not_depend_on_which_documents_share_its_sentences() -> None:
    shared = ["Rescuers moved two hundred people.", "The river peaked at noon."]
    alone = next(ExactEmbedder(CountingEncoder()).embed(iter([shared])))
    together = list(
        ExactEmbedder(CountingEncoder()).embed(
            iter([["Rescuers moved two hundred people.", "Other news."], shared])
        )
    )[1]
    np.testing.assert_array_equal(alone, together)
