"""The semantic stage: sentence embeddings per document (candidate pairs from the document
embeddings come from ``wiretrace.candidates.neighbours``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np
from numpy.typing import NDArray

from wiretrace.compare.paraphrase import SemanticDocument, semantic_document
from wiretrace.records import Span
from wiretrace.semantic.cache import EmbeddingCache, document_key
from wiretrace.semantic.model import SentenceEncoder
from wiretrace.semantic.sentences import sentence_spans

_SENTENCES_PER_CALL = 512  # sentences embedded per model call (batched inside the model)


def embed_documents(
    documents: Iterable[tuple[str, Sequence[Span]]],
    encoder: SentenceEncoder,
    advance: Callable[[int], None] = lambda count: None,
    cache: EmbeddingCache | None = None,
) -> list[SemanticDocument]:
    """Sentences and embeddings of every (text, boilerplate) document, in order; with a
    cache, only documents whose sentences it does not hold yet are embedded."""
    found: list[SemanticDocument] = []
    waiting: list[tuple[str, list[tuple[int, int]]]] = []
    pending_sentences = 0

    def flush() -> None:
        nonlocal pending_sentences
        texts = [[text[start:end] for start, end in spans] for text, spans in waiting]
        vectors = _embedded(texts, encoder, cache)
        for (text, spans), found_vectors in zip(waiting, vectors, strict=True):
            found.append(semantic_document(text, spans, found_vectors))
        advance(len(waiting))
        waiting.clear()
        pending_sentences = 0

    for text, boilerplate in documents:
        spans = sentence_spans(text, boilerplate)
        waiting.append((text, spans))
        pending_sentences += len(spans)
        if pending_sentences >= _SENTENCES_PER_CALL:
            flush()
    if waiting:
        flush()
    return found


def _embedded(
    texts: list[list[str]], encoder: SentenceEncoder, cache: EmbeddingCache | None
) -> list[NDArray[np.float32]]:
    """The sentence embeddings of each document (a list of sentences), from the cache where
    it holds them."""
    if cache is None:
        return _per_document(encoder.encode([s for sentences in texts for s in sentences]), texts)
    keys = [document_key(encoder.name, sentences) for sentences in texts]
    known = cache.get_many(keys)
    missing = [number for number, key in enumerate(keys) if key not in known]
    computed = _per_document(
        encoder.encode([sentence for number in missing for sentence in texts[number]]),
        [texts[number] for number in missing],
    )
    cache.put_many([(keys[number], found) for number, found in zip(missing, computed, strict=True)])
    fresh = dict(zip(missing, computed, strict=True))
    return [fresh[number] if number in fresh else known[key] for number, key in enumerate(keys)]


def _per_document(
    vectors: NDArray[np.float32], texts: list[list[str]]
) -> list[NDArray[np.float32]]:
    """Consecutive rows of ``vectors``, as many for each document as it has sentences."""
    found, position = [], 0
    for sentences in texts:
        found.append(vectors[position : position + len(sentences)])
        position += len(sentences)
    return found
