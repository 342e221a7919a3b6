"""Candidate pairs -> matches, a batch at a time, in this process or in a worker.

A batch carries only the pairs (document numbers: places in the text spill), the documents'
ids and boilerplate spans; whoever compares it reads the texts, sentences and vectors itself
from the scan's spill files (:class:`CompareSources`, by path). So batches can go to worker
processes at the cost of a few bytes a pair, and the comparison runs on every core: it was
the scan's longest stage with the semantic stage on (a pair is compared verbatim, then
sentence by sentence). Each comparer keeps the documents it prepared last, since pairs come
sorted by their first document, and reads those a scan prepared once beforehand
(``compare.prepared``) rather than preparing them again.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, NamedTuple, TypeVar

import numpy as np
from numpy.typing import NDArray

from wiretrace.clean.boilerplate import blank
from wiretrace.compare.align import Prepared, prepare
from wiretrace.compare.paraphrase import SemanticDocument, decide, semantic_document
from wiretrace.compare.prepared import PreparedReader
from wiretrace.compare.relation import overlap, verbatim_match
from wiretrace.config import ScanConfig
from wiretrace.records import Match, Span
from wiretrace.spill import SentenceReader, SpillReader

# Documents kept prepared: at most this many, and at most this many bytes (beside the two of
# the pair being compared). A news article prepared is ~15 KB verbatim and ~45 KB with its
# sentence vectors (1 KB a sentence), so the count binds; the bytes bind for huge records
# (a 15 MB one is ~55 MB prepared, ~235 MB with its sentences), and keep a
# comparer's memory bounded whatever the records' size (issue 23: thirty 15 MB records were
# all kept, at 375 MB each).
_KEPT = 512
_KEPT_BYTES = 256 * 2**20
_SPAN_BYTES = 120  # a sentence span as a tuple of two ints in a list

Key = TypeVar("Key")
Value = TypeVar("Value")


@dataclass(frozen=True, slots=True)
class CompareSources:
    """Where the documents of a scan are, for whoever compares its pairs: the spill files (by
    path), or nothing when every batch carries its documents (``texts`` None: a backend whose
    workers cannot read this machine's files)."""

    texts: str | None  # the text spill's file
    config: ScanConfig
    sentences: str | None = None  # the sentence spill's folder (None: verbatim only)
    compared: str | None = None  # the documents' vectors as compared, one row per number
    semantic: bool = False  # compare sentence by sentence too (the semantic stage ran)
    # which scan (its spill): a worker's comparer keeps documents by number, which another
    # scan's numbers must not find (workers outlive a scan: Spark reuses its Python workers)
    run: str = ""
    prepared: str | None = None  # the folder of documents prepared once (``compare.prepared``)


@dataclass(frozen=True, slots=True)
class Carried:
    """A document sent with a batch: its text and, with the semantic stage, its sentence spans,
    their vectors and its document vector as compared."""

    text: str
    sentences: NDArray[np.int32] | None = None
    vectors: NDArray[np.float32] | NDArray[np.float16] | None = None
    compared: NDArray[np.float32] | None = None


@dataclass(frozen=True, slots=True)
class PairBatch:
    """Pairs of document numbers, and the ids and boilerplate of the documents they name (and
    the documents themselves, when the comparer cannot read the spill)."""

    pairs: NDArray[np.int64]  # (n, 2)
    ids: dict[int, str]
    boilerplate: dict[int, tuple[Span, ...]]
    carried: dict[int, Carried] | None = None


class _Kept(Generic[Key, Value]):
    """The values made last, by key: at most ``size`` of them and ``budget`` bytes as
    ``weigh`` counts them, but always the last two (a pair's documents: pairs come sorted by
    their first document, which so stays kept while the second ones change)."""

    def __init__(
        self,
        make: Callable[[Key], Value],
        weigh: Callable[[Value], int],
        size: int,
        budget: int,
    ) -> None:
        self._make = make
        self._weigh = weigh
        self._size = size
        self._budget = budget
        self._values: OrderedDict[Key, tuple[Value, int]] = OrderedDict()
        self.held = 0  # bytes

    def __call__(self, key: Key) -> Value:
        found = self._values.get(key)
        if found is not None:
            self._values.move_to_end(key)
            return found[0]
        value = self._make(key)
        weight = self._weigh(value)
        self._values[key] = (value, weight)
        self.held += weight
        while len(self._values) > self._size or (
            self.held > self._budget and len(self._values) > 2
        ):
            _, (_, dropped) = self._values.popitem(last=False)
            self.held -= dropped
        return value

    def clear(self) -> None:
        self._values.clear()
        self.held = 0


class _Compared(NamedTuple):
    """A document as the comparison reads it: verbatim, and sentence by sentence when the
    semantic stage ran."""

    prepared: Prepared
    semantic: SemanticDocument | None


def _document_size(document: _Compared) -> int:
    """Bytes a prepared document holds: its arrays and text, and its sentence spans and
    vectors (the text is one string for both)."""
    size = document.prepared.size
    semantic = document.semantic
    if semantic is not None:
        spans = len(semantic.sentences) * _SPAN_BYTES
        size += spans + semantic.vectors.nbytes + semantic.vector.nbytes
    return size


class PairComparer:
    """Compares the pairs of batches of one scan."""

    def __init__(self, sources: CompareSources) -> None:
        self.sources = sources
        self._config = sources.config
        self._thresholds = sources.config.semantic_thresholds()
        self._texts = SpillReader(Path(sources.texts)) if sources.texts is not None else None
        # the sentence spill and the compared document vectors, when the semantic stage ran
        self._semantic_sources: tuple[SentenceReader, NDArray[np.float32]] | None = None
        if sources.sentences is not None and sources.compared is not None:
            self._semantic_sources = (
                SentenceReader(Path(sources.sentences)),
                np.load(sources.compared, mmap_mode="r"),
            )
        self._ready: PreparedReader | None = None
        if sources.prepared is not None:
            self._ready = PreparedReader(Path(sources.prepared), sources.config.shingle_size)
        self._boilerplate: dict[int, tuple[Span, ...]] = {}
        self._carried: dict[int, Carried] | None = None
        self._documents = _Kept(self._document, _document_size, _KEPT, _KEPT_BYTES)

    def _text(self, number: int) -> str:
        if self._carried is not None:
            return self._carried[number].text
        if self._texts is None:
            raise RuntimeError("a batch without its documents, and no spill to read them from")
        return self._texts.get(number)

    def _document(self, number: int) -> _Compared:
        """Document ``number`` ready for comparison: its text read once for both kinds."""
        found = (
            self._carried[number] if self._carried is not None else self.carry(number, half=True)
        )
        text = blank(found.text, self._boilerplate.get(number, ()))
        prepared = self._ready.get(number, text) if self._ready is not None else None
        if prepared is None:
            prepared = prepare(text, self._config.shingle_size)
        if not self.sources.semantic:
            return _Compared(prepared, None)
        if found.sentences is None or found.vectors is None or found.compared is None:
            raise RuntimeError("the semantic stage did not run for these pairs")
        semantic = semantic_document(found.text, found.sentences, found.vectors, found.compared)
        return _Compared(prepared, semantic)

    def compare(self, batch: PairBatch) -> list[Match]:
        self._boilerplate = batch.boilerplate
        self._carried = batch.carried
        matches = []
        for first, second in batch.pairs.tolist():
            a_id, b_id = batch.ids[first], batch.ids[second]
            if a_id > b_id:
                first, second, a_id, b_id = second, first, b_id, a_id
            (a, in_a), (b, in_b) = self._documents(first), self._documents(second)
            shared = overlap(a, b)
            match = verbatim_match(a_id, a, b_id, b, shared, self._config)
            if in_a is not None and in_b is not None:
                config, thresholds = self._config, self._thresholds
                match = decide(match, shared.scores, a_id, in_a, b_id, in_b, config, thresholds)
            if match is not None:
                matches.append(match)
        return matches

    def close(self) -> None:
        # now, not when the collector finds the comparer: each cache refers back to it
        self._documents.clear()
        if self._ready is not None:
            self._ready.close()
        if self._semantic_sources is not None:
            self._semantic_sources[0].close()

    def carry(self, number: int, *, half: bool = False) -> Carried:
        """Document ``number`` as a batch would carry it (read here from the spill); with
        ``half``, its sentence vectors as the spill keeps them (half floats: made float64 at
        once for the comparison, twice as fast as through float32)."""
        if self._semantic_sources is None:
            return Carried(self._text(number))
        sentences, compared = self._semantic_sources
        return Carried(
            self._text(number),
            sentences.spans(number),
            sentences.half_vectors(number) if half else sentences.vectors(number),
            np.asarray(compared[number], dtype=np.float32),
        )


_comparer: PairComparer | None = None  # a worker's, kept from one batch to the next


def compare_batch(sources: CompareSources, batch: PairBatch) -> list[Match]:
    """The matches of a batch, by this process's comparer for ``sources``."""
    global _comparer
    if _comparer is None or _comparer.sources != sources:
        if _comparer is not None:
            _comparer.close()
        _comparer = PairComparer(sources)
    return _comparer.compare(batch)


def release_comparer() -> None:
    """Close this process's comparer (its files) once a scan's pairs are compared."""
    global _comparer
    if _comparer is not None:
        _comparer.close()
        _comparer = None
