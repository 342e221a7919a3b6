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
        keys = [document_key(encoder.name, sentences) for sentences in texts]
        known = cache.get_many(keys) if cache is not None else {}
        missing = [number for number, key in enumerate(keys) if key not in known]
        vectors = encoder.encode([sentence for number in missing for sentence in texts[number]])
        position = 0
        computed: dict[bytes, NDArray[np.float32]] = {}
        for number in missing:
            computed[keys[number]] = vectors[position : position + len(texts[number])]
            position += len(texts[number])
        if cache is not None and computed:
            cache.put_many(list(computed.items()))
        for (text, spans), key in zip(waiting, keys, strict=True):
            vectors = known[key] if key in known else computed[key]
            found.append(semantic_document(text, spans, vectors))
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
