"""What the semantic stage knows of each document during a scan, addressed by the document's
number in the scan (its place in the text spill).

Sentence spans and vectors stay on disk (:class:`wiretrace.spill.SentenceSpill`); memory holds
each document's vector and its lead's (2 KB a document with the fast model). Once the
documents are prepared for comparison, the folder holds all that the compare stage reads
(:class:`wiretrace.compare.pairs.PairComparer`, in any process): the sentence spill and
the documents' vectors as compared (``COMPARED``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from wiretrace.semantic.cosines import unit_rows
from wiretrace.semantic.stage import ExactEmbedder, SentenceBatch, summarise
from wiretrace.spill import SentenceSpill

COMPARED = "compared.npy"  # row n: document n's vector as documents are compared
# How many documents the background mean counts as: a corpus of 4 articles on one story is
# compared against general news, one of 100,000 against itself.
_BACKGROUND_WEIGHT = 50


class SemanticStore:
    """``background``, for a model whose document vectors are compared centred: the mean
    document vector of general news text under that model (``static.background_mean``)."""

    def __init__(self, folder: Path, background: NDArray[np.float32] | None = None) -> None:
        self.folder = folder
        self._spill = SentenceSpill(folder)
        self._background = background
        self._documents: dict[int, NDArray[np.float32]] = {}
        self._leads: dict[int, NDArray[np.float32]] = {}
        self._counts: dict[int, int] = {}  # sentences per document

    def put_batch(self, numbers: Sequence[int], batch: SentenceBatch) -> None:
        """A batch from the sketch workers (sentence spans, and vectors if embedded there)."""
        for index, number in enumerate(numbers):
            self._spill.put_spans(number, batch.spans[index])
            self._counts[number] = len(batch.spans[index])
            if batch.vectors:
                self._spill.put_vectors(number, batch.vectors[index])
                self._documents[number] = batch.documents[index]
                self._leads[number] = batch.leads[index]

    def spans(self, number: int) -> NDArray[np.int32]:
        return self._spill.spans(number)

    def document(
        self, number: int
    ) -> tuple[NDArray[np.int32], NDArray[np.float16], NDArray[np.float32], NDArray[np.float32]]:
        """Document ``number``'s sentence spans and vectors, its vector and its lead's, not
        centred (what an index keeps of it)."""
        return (
            self._spill.spans(number),
            self._spill.vectors(number),
            self._documents[number],
            self._leads[number],
        )

    def embed_exact(
        self,
        numbers: Sequence[int],
        text: Callable[[int], str],
        embedder: ExactEmbedder,
        advance: Callable[[int], None],
    ) -> None:
        """Sentence vectors of the documents ``numbers`` by the exact model."""
        sentences = (
            [text(number)[start:end] for start, end in self._spill.spans(number)]
            for number in numbers
        )
        for number, vectors in zip(numbers, embedder.embed(sentences, advance), strict=True):
            self._spill.put_vectors(number, vectors)
            documents, leads = summarise([vectors], embedder.encoder.dimensions)
            self._documents[number], self._leads[number] = documents[0], leads[0]

    def prepare(self, numbers: Sequence[int]) -> NDArray[np.float32]:
        """The vectors of the documents ``numbers`` as they are compared (one row each, in
        order; also written to the folder, with the sentence spill's index). With a
        background, without what documents share: the mean of the corpus, drawn towards the
        background's by ``_BACKGROUND_WEIGHT`` documents' worth."""
        vectors = centred(
            np.stack([self._documents[number] for number in numbers]), self._background
        )
        compared = np.zeros((max(numbers) + 1, vectors.shape[1]), dtype=np.float32)
        compared[list(numbers)] = vectors
        np.save(self.folder / COMPARED, compared)
        self._spill.seal()
        return vectors

    def sentences(self, numbers: Sequence[int]) -> int:
        return sum(self._counts[number] for number in numbers)

    def counts(self, numbers: Sequence[int]) -> NDArray[np.int64]:
        """The documents' numbers of sentences, in order."""
        return np.array([self._counts[number] for number in numbers], dtype=np.int64)

    def leads(
        self, numbers: Sequence[int], among: NDArray[np.bool_] | None = None
    ) -> NDArray[np.float32]:
        """The leads' vectors, centred like the documents' (what every lead of the corpus
        shares says nothing of which story one tells), on the mean of those ``among`` marks
        (None: all)."""
        leads = np.stack([self._leads[number] for number in numbers])
        return centred(leads, self._background, among)

    def close(self) -> None:
        self._spill.close()


def centred(
    vectors: NDArray[np.float32],
    background: NDArray[np.float32] | None,
    among: NDArray[np.bool_] | None = None,
) -> NDArray[np.float32]:
    """With a ``background``, ``vectors`` without their mean (of the rows ``among`` marks;
    None: all), drawn towards the background's by ``_BACKGROUND_WEIGHT`` documents' worth,
    normalised again. The mean is summed in float64 in the order of the rows (the order the
    documents were read in, whatever the batches or the backend)."""
    present = (vectors != 0).any(axis=1)  # a document without sentences stays 0
    if among is not None:
        present &= among
    if background is None or not present.any():
        return vectors
    within = vectors[present].astype(np.float64)
    return centre(vectors, mean_with(within.sum(axis=0), int(present.sum()), background))


def mean_with(
    total: NDArray[np.float64], count: int, background: NDArray[np.float32]
) -> NDArray[np.float64]:
    """The mean of ``count`` vectors summing to ``total``, drawn towards the background's by
    ``_BACKGROUND_WEIGHT`` documents' worth."""
    weighted = _BACKGROUND_WEIGHT * background.astype(np.float64)
    return (total + weighted) / (count + _BACKGROUND_WEIGHT)


def mean_weight() -> int:
    """How many documents' worth the background's vector counts for in ``mean_with``."""
    return _BACKGROUND_WEIGHT


def centre(vectors: NDArray[np.float32], mean: NDArray[np.float64]) -> NDArray[np.float32]:
    """``vectors`` less ``mean``, normalised again (a row of zeros stays zeros)."""
    present = (vectors != 0).any(axis=1)
    found = np.zeros(vectors.shape, dtype=np.float64)
    found[present] = vectors[present].astype(np.float64) - mean
    return unit_rows(found)
