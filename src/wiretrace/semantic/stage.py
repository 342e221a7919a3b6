"""The semantic stage: sentence embeddings per document (candidate pairs from the document
embeddings come from ``wiretrace.candidates.neighbours``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from wiretrace.compare.paraphrase import SemanticDocument, semantic_document
from wiretrace.records import Span
from wiretrace.semantic.model import SentenceEncoder
from wiretrace.semantic.sentences import sentence_spans

_SENTENCES_PER_CALL = 512  # sentences embedded per model call (batched inside the model)


def embed_documents(
    documents: Iterable[tuple[str, Sequence[Span]]],
    encoder: SentenceEncoder,
    advance: Callable[[int], None] = lambda count: None,
) -> list[SemanticDocument]:
    """Sentences and embeddings of every (text, boilerplate) document, in order."""
    found: list[SemanticDocument] = []
    waiting: list[tuple[str, list[tuple[int, int]]]] = []
    pending_sentences = 0

    def flush() -> None:
        nonlocal pending_sentences
        sentences = [text[start:end] for text, spans in waiting for start, end in spans]
        vectors = encoder.encode(sentences)
        position = 0
        for text, spans in waiting:
            found.append(semantic_document(text, spans, vectors[position : position + len(spans)]))
            position += len(spans)
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
