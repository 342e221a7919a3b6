"""Every candidate pair compared, on every core."""

from __future__ import annotations

import tempfile
from collections import deque
from collections.abc import Iterator
from dataclasses import replace
from functools import partial
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from wiretrace.backend import Backend
from wiretrace.collector import keep
from wiretrace.compare.pairs import (
    CompareSources,
    PairBatch,
    PairComparer,
    compare_batch,
    release_comparer,
)
from wiretrace.compare.prepared import PrepareBatch, prepare_into, write_index
from wiretrace.config import ScanConfig
from wiretrace.records import Match, Span
from wiretrace.semantic.store import COMPARED, SemanticStore
from wiretrace.stages.sketching import Sketched
from wiretrace.stages.state import DocumentRows, Reporter

_COMPARE_BATCH = 2_000  # pairs a compare worker takes at a time
# ... and at most this many characters of their documents' texts (each pair's two counted),
# since a batch is sent with its documents where the workers cannot read the spill, and its
# matches come back whole: 2,000 pairs of news articles stay far below it, 2,000 pairs of
# 15 MB records would not.
_COMPARE_BATCH_CHARS = 64 * 2**20
_PREPARE_BATCH = 500  # documents a worker prepares into one file before the pairs are compared


def _pair_batches(
    pairs: NDArray[np.int64],
    sketched: Sketched,
    rows: DocumentRows,
    sizes: deque[int],
    parallelism: int,
) -> Iterator[PairBatch]:
    """The pairs (indices into ``sketched``) as batches of document numbers; each batch's
    size is appended to ``sizes`` as it is made. Pairs that take more than one batch but
    fewer than four full batches a worker are cut into four batches a worker, so that no
    worker waits long on another's last batch (3,256 pairs were one batch of 2,000 and one of
    1,256); those of one batch stay one (run here when the workers have not started)."""
    numbers = np.asarray(sketched.spilled, dtype=np.int64)
    chars = np.asarray([rows.chars[row] or 0 for row in sketched.rows], dtype=np.int64)
    size = _batch_size(len(pairs), parallelism)
    start = 0
    while start < len(pairs):
        piece = pairs[start : start + size]
        weights = np.cumsum(chars[piece].sum(axis=1))
        # the pairs up to the one that reaches the limit (one at least)
        piece = piece[: int(np.searchsorted(weights, _COMPARE_BATCH_CHARS)) + 1]
        start += len(piece)
        named = np.unique(piece).tolist()
        ids = {sketched.spilled[index]: sketched.ids[index] for index in named}
        sizes.append(len(piece))
        yield PairBatch(numbers[piece], ids, _boilerplate(named, sketched, rows))


def _batch_size(pairs: int, parallelism: int) -> int:
    """Pairs a batch (before the limit on characters)."""
    if pairs > _COMPARE_BATCH:
        return min(_COMPARE_BATCH, -(-pairs // (4 * parallelism)))
    return _COMPARE_BATCH


def _recurring(pairs: NDArray[np.int64], documents: int, parallelism: int) -> bool:
    """Whether the batches of ``pairs`` would prepare their documents half as many times
    again as preparing each of the ``documents`` (how many they name) once does. The pairs
    of a default scan join documents far apart (the benchmark's 10,000 documents: 150,039
    pairs name 129,691 documents batch by batch), those of ``dedup`` are mostly copies of one
    family side by side (20,000 documents: 3,256 pairs name 5,762 documents, batch by batch
    6,177), where writing and reading the prepared arrays cost more than they spare (its
    compare stage 0.72 -> 0.55 s)."""
    size = _batch_size(len(pairs), parallelism)
    batched = sum(
        np.unique(pairs[start : start + size]).size for start in range(0, len(pairs), size)
    )
    return 2 * batched > 3 * documents


def _boilerplate(
    indices: list[int], sketched: Sketched, rows: DocumentRows
) -> dict[int, tuple[Span, ...]]:
    """The boilerplate spans of the documents ``indices`` (into ``sketched``) that have any,
    by document number."""
    found = {}
    for index in indices:
        spans = rows.boilerplate[sketched.rows[index]]
        if spans:
            found[sketched.spilled[index]] = spans
    return found


def compare_stage(
    pairs: NDArray[np.int64],
    sketched: Sketched,
    rows: DocumentRows,
    backend: Backend,
    config: ScanConfig,
    reporter: Reporter,
    semantic: SemanticStore | None,
) -> list[Match]:
    """Every candidate pair compared, on every core once there are more than a few batches.
    The local backend's workers read the documents they need from the spill files; a backend
    whose workers cannot gets each batch with its documents joined on, read here."""
    if not len(pairs):
        # nothing to open: a scan of no document sealed no sentences (a Spark scan's
        # comparer, made here, looked for their index)
        with reporter.stage("compare", 0):
            return []
    spilled = str(backend.spill.seal())
    sources = CompareSources(
        spilled,
        config,
        sentences=str(semantic.folder) if semantic is not None else None,
        compared=str(semantic.folder / COMPARED) if semantic is not None else None,
        semantic=semantic is not None,
        run=spilled,
    )
    sizes: deque[int] = deque()
    batches = _pair_batches(pairs, sketched, rows, sizes, backend.parallelism)
    carrier = None
    if backend.ships_documents:
        carrier = PairComparer(sources)
        batches = (_carrying(batch, carrier) for batch in batches)
        sources = replace(sources, texts=None, sentences=None, compared=None)
    matches: list[Match] = []
    with reporter.stage("compare", len(pairs)) as advance:
        if not backend.ships_documents and len(pairs) > _COMPARE_BATCH:
            documents = np.unique(pairs)
            if _recurring(pairs, documents.size, backend.parallelism):
                folder = _prepare_once(documents.tolist(), sketched, rows, backend, config, spilled)
                sources = replace(sources, prepared=str(folder))
        try:
            for found in backend.map(partial(compare_batch, sources), batches):
                matches.extend(found)
                keep()  # until the scan ends: no full collection goes through them again
                advance(sizes.popleft())
        finally:
            release_comparer()
            if carrier is not None:
                carrier.close()
    matches.sort(key=lambda match: (match.a, match.b))
    return matches


def _prepare_once(
    documents: list[int],
    sketched: Sketched,
    rows: DocumentRows,
    backend: Backend,
    config: ScanConfig,
    texts: str,
) -> Path:
    """The ``documents`` of the pairs prepared for the verbatim comparison once, by the workers,
    into a new folder of the spill (``compare.prepared``): pairs of a large corpus join
    documents far apart, which the comparers' caches would prepare again for nearly every
    pair."""
    folder = Path(tempfile.mkdtemp(prefix="prepared-", dir=backend.spill.folder))

    def batches() -> Iterator[PrepareBatch]:
        for file, start in enumerate(range(0, len(documents), _PREPARE_BATCH)):
            chunk = documents[start : start + _PREPARE_BATCH]
            numbers = [sketched.spilled[index] for index in chunk]
            yield PrepareBatch(file, numbers, _boilerplate(chunk, sketched, rows))

    work = partial(prepare_into, texts, str(folder), config.shingle_size)
    write_index(folder, list(backend.map(work, batches())))
    return folder


def _carrying(batch: PairBatch, carrier: PairComparer) -> PairBatch:
    """``batch`` with its documents joined on."""
    return replace(batch, carried={number: carrier.carry(number) for number in batch.ids})
