"""The embedding cache: a scan embeds only documents whose sentences it has not seen."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from wiretrace.errors import InputError
from wiretrace.semantic.cache import EmbeddingCache
from wiretrace.semantic.stage import embed_documents


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
    ("The flood reached the old town on Monday. Rescuers moved two hundred people.", ()),
    ("Chip makers expect higher demand next year. The new plant opens in March.", ()),
]


def test_a_second_run_embeds_nothing_and_gives_the_same_vectors(tmp_path: Path) -> None:
    path = tmp_path / "embeddings.sqlite"
    first_encoder, second_encoder = CountingEncoder(), CountingEncoder()
    with EmbeddingCache(path) as cache:
        first = embed_documents(DOCUMENTS, first_encoder, cache=cache)
        assert (cache.hits, cache.misses) == (0, 2)
    with EmbeddingCache(path) as cache:
        second = embed_documents(DOCUMENTS, second_encoder, cache=cache)
        assert (cache.hits, cache.misses) == (2, 0)
    assert len(first_encoder.embedded) == 4 and second_encoder.embedded == []
    for old, new in zip(first, second, strict=True):
        assert old.sentences == new.sentences
        np.testing.assert_array_equal(old.vectors, new.vectors)


def test_a_changed_document_is_embedded_again(tmp_path: Path) -> None:
    path = tmp_path / "embeddings.sqlite"
    with EmbeddingCache(path) as cache:
        embed_documents(DOCUMENTS, CountingEncoder(), cache=cache)
    changed = [
        DOCUMENTS[0],
        ("Chip makers expect lower demand next year. Nothing else changed today.", ()),
    ]
    encoder = CountingEncoder()
    with EmbeddingCache(path) as cache:
        embed_documents(changed, encoder, cache=cache)
    assert encoder.embedded == [
        "Chip makers expect lower demand next year.",
        "Nothing else changed today.",
    ]


def test_a_file_that_is_no_cache_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not a database, just some notes that are long enough " * 20)
    with pytest.raises(InputError, match="cannot use it as a cache file"):
        EmbeddingCache(path)
