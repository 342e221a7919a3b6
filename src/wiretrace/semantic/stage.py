"""The semantic stage: each document's sentences and their vectors, its own vector and its
lead's (candidate pairs from the document vectors come from ``wiretrace.candidates.neighbours``).

Two ways to embed the sentences (``ScanConfig.semantic_model``):

- ``fast`` (the default): the static model (``wiretrace.semantic.static``), in the sketch
  workers, next to the cleaning and sketching of the same batch (:func:`sentence_batch`);
- ``exact``: MiniLM itself, in this process (on the GPU when there is one), each distinct
  sentence of the run once (:class:`ExactEmbedder`): syndicated copies repeat whole
  paragraphs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from wiretrace.semantic.cache import EmbeddingCache, document_key
from wiretrace.semantic.cosines import unit_rows
from wiretrace.semantic.model import SentenceEncoder
from wiretrace.semantic.sentences import sentence_spans
from wiretrace.semantic.static import load_static

LEAD_SENTENCES = 3  # a document's lead, for story evidence
SENTENCES_PER_CALL = 512  # sentences embedded per model call (batched inside the model)


class SentenceBatch(NamedTuple):
    """Per document of a batch: sentence spans, and with the fast model their vectors
    (half floats: they go to disk), the document's vector and its lead's."""

    spans: list[NDArray[np.int32]]  # (sentences, 2): [start, end) in the original text
    vectors: list[NDArray[np.float16]]  # (sentences, dimensions); empty list: not embedded
    documents: NDArray[np.float32]  # (documents, dimensions); (documents, 0): not embedded
    leads: NDArray[np.float32]


def spans_array(spans: Sequence[tuple[int, int]]) -> NDArray[np.int32]:
    return np.asarray(spans, dtype=np.int32).reshape(-1, 2)


def sentence_batch(visible: list[str], static_model: str | None) -> SentenceBatch:
    """Sentences of texts whose boilerplate is already blanked, embedded by the static model
    in ``static_model`` (a folder; None: split only)."""
    spans = [spans_array(sentence_spans(text)) for text in visible]
    if static_model is None:
        empty = np.zeros((len(visible), 0), dtype=np.float32)
        return SentenceBatch(spans, [], empty, empty)
    vectors = load_static(static_model).encode_documents(visible, spans)
    documents, leads = summarise(vectors)
    return SentenceBatch(spans, [found.astype(np.float16) for found in vectors], documents, leads)


def summarise(
    vectors: Sequence[NDArray[np.floating]], dimensions: int | None = None
) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
    """Each document's vector (the normalised sum of its sentences') and its lead's (of its
    first sentences'); zeros for a document without sentences. Summed in float64, sentence
    after sentence, and normalised in a fixed order (``wiretrace.semantic.cosines``)."""
    width = dimensions if dimensions is not None else (vectors[0].shape[1] if vectors else 0)
    documents = np.zeros((len(vectors), width), dtype=np.float64)
    leads = np.zeros((len(vectors), width), dtype=np.float64)
    for row, found in enumerate(vectors):
        if len(found):
            documents[row] = found.astype(np.float64).sum(axis=0)
            leads[row] = found[:LEAD_SENTENCES].astype(np.float64).sum(axis=0)
    return unit_rows(documents), unit_rows(leads)


def normalised(sentence: str) -> str:
    """A sentence as the uncased model reads it: case and spacing do not make it another."""
    return " ".join(sentence.lower().split())


def sentence_key(sentence: str) -> bytes:
    return hashlib.blake2b(normalised(sentence).encode(), digest_size=16).digest()


class ExactEmbedder:
    """Embeds documents' sentences with the exact model (MiniLM), each distinct sentence of
    the run once; with a cache file, documents it holds are not embedded again. Counts what
    it did, for ``summary.json``."""

    def __init__(
        self,
        encoder: SentenceEncoder,
        cache: EmbeddingCache | None = None,
        per_call: int = SENTENCES_PER_CALL,
    ) -> None:
        self.encoder = encoder
        self.cache = cache
        self.per_call = per_call  # sentences handed to the encoder at once (at least)
        # half floats: a run of millions of distinct sentences keeps ~0.8 KB each
        self._known: dict[bytes, NDArray[np.float16]] = {}
        self.sentences = 0  # sentences of the documents
        self.embedded = 0  # distinct sentences the model embedded
        self.from_cache = 0  # sentences of documents the cache file held

    @property
    def repeated(self) -> int:
        """Sentences another document (or sentence) of the run had already."""
        return self.sentences - self.embedded - self.from_cache

    def embed(
        self, documents: Iterator[list[str]], advance: Callable[[int], None] = lambda count: None
    ) -> Iterator[NDArray[np.float32]]:
        """The sentence vectors of each document (a list of sentences), in order."""
        waiting: list[list[str]] = []
        pending = 0
        for sentences in documents:
            waiting.append(sentences)
            pending += len(sentences)
            if pending >= self.per_call:
                yield from self._flush(waiting)
                advance(len(waiting))
                waiting, pending = [], 0
        if waiting:
            yield from self._flush(waiting)
            advance(len(waiting))

    def _flush(self, waiting: list[list[str]]) -> Iterator[NDArray[np.float32]]:
        cache, name = self.cache, self.encoder.name
        keys = [document_key(name, sentences) for sentences in waiting] if cache else []
        stored = cache.get_many(keys) if cache else {}
        held = [bool(stored) and keys[number] in stored for number in range(len(waiting))]
        sentence_keys = [
            [] if done else [sentence_key(sentence) for sentence in sentences]
            for sentences, done in zip(waiting, held, strict=True)
        ]
        # the normalised text is embedded: a sentence's vector cannot depend on which of its
        # spellings the run met first
        wanted = {
            key: normalised(sentence)
            for sentences, found, done in zip(waiting, sentence_keys, held, strict=True)
            if not done
            for sentence, key in zip(sentences, found, strict=True)
        }
        fresh = [key for key in wanted if key not in self._known]
        if fresh:
            vectors = self.encoder.encode([wanted[key] for key in fresh])
            self._known.update(zip(fresh, vectors.astype(np.float16), strict=True))
        self.embedded += len(fresh)
        new_entries = []
        for number, (sentences, done) in enumerate(zip(waiting, held, strict=True)):
            self.sentences += len(sentences)
            if done:
                self.from_cache += len(sentences)
                yield stored[keys[number]]
                continue
            found = (
                np.stack([self._known[key] for key in sentence_keys[number]]).astype(np.float32)
                if sentences
                else np.zeros((0, self.encoder.dimensions), dtype=np.float32)
            )
            if cache:
                new_entries.append((keys[number], found))
            yield found
        if cache:
            cache.put_many(new_entries)
