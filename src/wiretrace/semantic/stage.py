"""The semantic stage: sentence embeddings per document, and candidate pairs from document
embeddings (exact nearest neighbours by blocked matrix products: at the sizes one machine
embeds, that is faster than building an approximate index)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Sequence

import numpy as np
from numpy.typing import NDArray

from wiretrace.compare.paraphrase import SemanticDocument, semantic_document
from wiretrace.records import Span
from wiretrace.semantic.model import SentenceEncoder
from wiretrace.semantic.sentences import sentence_spans

_SENTENCES_PER_CALL = 512  # sentences embedded per model call (batched inside the model)
_BLOCK = 2048  # documents per block of the similarity matrix (2048 x n float32)


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


def day_numbers(published: Sequence[str | None]) -> NDArray[np.float64]:
    """Days since 1970-01-01 of ISO dates (NaN where unknown or unreadable)."""
    days = np.full(len(published), np.nan)
    for index, value in enumerate(published):
        if value:
            try:
                day = dt.date.fromisoformat(value[:10])
            except ValueError:
                continue
            days[index] = (day - dt.date(1970, 1, 1)).days
    return days


def within_window(
    pairs: NDArray[np.int64], days: NDArray[np.float64], window_days: float | None
) -> NDArray[np.int64]:
    """The pairs published at most ``window_days`` apart, or with a date unknown."""
    if window_days is None or len(pairs) == 0:
        return pairs
    gap = np.abs(days[pairs[:, 0]] - days[pairs[:, 1]])
    keep = np.isnan(gap) | (gap <= window_days)
    return pairs[keep]


def neighbour_pairs(
    vectors: NDArray[np.float32],
    neighbours: int,
    min_similarity: float,
    days: NDArray[np.float64] | None = None,
    window_days: float | None = None,
) -> NDArray[np.int64]:
    """Pairs ``(i, j)``, ``i < j``, where ``j`` is among the ``neighbours`` most similar
    documents of ``i`` (or the reverse), at least ``min_similarity`` alike and, when a window
    is given, published close enough. Time and memory grow with the documents times the block
    size, never with all pairs at once."""
    count = len(vectors)
    if count < 2:
        return np.empty((0, 2), dtype=np.int64)
    keep = min(neighbours, count - 1)
    found: list[NDArray[np.int64]] = []
    for first in range(0, count, _BLOCK):
        block = vectors[first : first + _BLOCK] @ vectors.T
        rows = np.arange(block.shape[0])
        block[rows, rows + first] = -math.inf  # not its own neighbour
        if window_days is not None and days is not None:
            gap = np.abs(days[first : first + _BLOCK, None] - days[None, :])
            block[gap > window_days] = -math.inf  # NaN (unknown) compares False: kept
        nearest = np.argpartition(-block, keep - 1, axis=1)[:, :keep]
        similar = np.take_along_axis(block, nearest, axis=1) >= min_similarity
        sources = np.repeat(rows + first, keep).reshape(-1, keep)
        pairs = np.stack([sources[similar], nearest[similar]], axis=1)
        found.append(np.sort(pairs, axis=1))
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    return np.unique(np.concatenate(found), axis=0).astype(np.int64)
