"""The local backend: stage functions over batches, run in this process or a process pool.

Reading stays in this process (it is one stream); cleaning and sketching, the CPU-bound part,
go to worker processes once the input has proved larger than ``pool_after_batches`` batches,
so that small inputs never pay the workers' start-up (~1-2 s: they are spawned, not forked,
because forking a process that already runs numba or pyarrow threads is unsafe). Results come
back in submission order, so a run gives the same output with any number of workers.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import chain, islice
from typing import Generic, NamedTuple, TypeVar

import numpy as np
from numpy.typing import NDArray

from wiretrace.clean import CleanText, clean_text
from wiretrace.clean.boilerplate import blank, find_boilerplate, line_keys, line_spans
from wiretrace.clean.metadata import TextFacts, extract_facts
from wiretrace.config import ScanConfig
from wiretrace.records import Span
from wiretrace.semantic.stage import SentenceBatch, sentence_batch
from wiretrace.sketch import Permutations, sketch_texts
from wiretrace.sketch.topics import NO_TOPICS, TopicTerms, topic_terms

Tag = TypeVar("Tag")


@dataclass(frozen=True, slots=True)
class SketchParams:
    """What the workers need to know of the configuration."""

    shingle_size: int
    num_perm: int
    seed: int
    boilerplate: bool
    passage_words: int = 8
    passage_window: int = 0  # 0: no passage fingerprints
    count_lines: bool = False
    sentences: bool = False  # split sentences (the semantic stage runs)
    static_model: str | None = None  # ... and embed them with the static model in this folder
    topics: bool = True  # words and entities for stories (off with --no-stories)

    @classmethod
    def of(
        cls, config: ScanConfig, sentences: bool = False, static_model: str | None = None
    ) -> SketchParams:
        return cls(
            config.shingle_size,
            config.num_perm,
            config.seed,
            config.boilerplate,
            config.min_passage_words,
            config.passage_window if config.finds_passages else 0,
            config.recurring_min_documents > 0,
            sentences,
            static_model,
            config.stories,
        )


class BatchItem(NamedTuple):  # a tuple: pickled to the workers at a third of a dataclass's cost
    """One text to sketch, with boilerplate spans already known, and the year that completes
    a date written in the text without one. With ``find`` False the spans are final: no rules
    run and no metadata is extracted (a second sketch once recurring lines are known)."""

    text: str
    spans: tuple[Span, ...] = ()
    year: int | None = None
    find: bool = True


PlainSpan = tuple[int, int, str]


@dataclass(frozen=True, slots=True, eq=False)
class BatchSketch:
    """What sketching one batch of texts returns, per text.

    Everything is numbers, strings and tuples: the results cross a process boundary, and
    unpickling thousands of small record objects in the main process costs more than making
    them there, for the few documents that have any.
    """

    signatures: NDArray[np.uint32]
    word_counts: NDArray[np.int64]
    fingerprints: NDArray[np.uint64]  # passage fingerprints, back to back
    fingerprint_offsets: NDArray[np.int64]  # text i owns [offsets[i], offsets[i + 1])
    text_hashes: NDArray[np.uint64]  # of each clean text: exact copies share one
    clean_chars: NDArray[np.int64]
    boilerplate: list[tuple[PlainSpan, ...]]
    facts: list[tuple[str | None, str | None, tuple[str, ...]] | None]
    line_keys: NDArray[np.int64]  # the lines of every text, in order (first sketch only)
    line_counts: NDArray[np.int64]  # lines per text (empty when not counted)
    topics: list[TopicTerms]  # words and entities, for stories
    semantic: SentenceBatch | None  # sentences (and vectors), when the semantic stage runs

    def fingerprints_of(self, index: int) -> NDArray[np.uint64]:
        offsets = self.fingerprint_offsets
        return self.fingerprints[offsets[index] : offsets[index + 1]]

    def spans(self, index: int) -> tuple[Span, ...]:
        return tuple(Span(*span) for span in self.boilerplate[index])

    def text_facts(self, index: int) -> TextFacts | None:
        found = self.facts[index]
        return None if found is None else TextFacts(*found)


def sketch_batch(items: list[BatchItem], params: SketchParams) -> BatchSketch:
    """Find boilerplate and metadata, then clean and sketch a batch of texts without their
    boilerplate: the stage function the workers run."""
    spans: list[tuple[Span, ...]] = []
    facts: list[tuple[str | None, str | None, tuple[str, ...]] | None] = []
    keys: list[int] = []
    counts: list[int] = []
    for text, known, year, find in items:
        found = known
        if find:
            lines = line_spans(text)
            if params.boilerplate:
                found = find_boilerplate(text, known, lines)
            fact = extract_facts(text, found, year, lines)
            facts.append((fact.published, fact.dateline, fact.credits))
            if params.count_lines:
                keys.extend(line_keys(text, lines))
                counts.append(len(lines))
        else:
            facts.append(None)
        spans.append(found)
    blanked = [blank(item.text, found) for item, found in zip(items, spans, strict=True)]
    cleaned = [clean_text(text, offsets=False) for text in blanked]
    sketches = sketch_texts(
        cleaned,
        params.shingle_size,
        Permutations.create(params.num_perm, params.seed),
        params.passage_words,
        params.passage_window,
    )
    lengths = np.fromiter((len(text) for text in cleaned), dtype=np.int64, count=len(cleaned))
    return BatchSketch(
        sketches.signatures,
        sketches.word_counts,
        sketches.fingerprints,
        sketches.fingerprint_offsets,
        np.array([_text_hash(text) for text in cleaned], dtype=np.uint64),
        lengths,
        [tuple((span.start, span.end, span.kind) for span in found) for found in spans],
        facts,
        np.array(keys, dtype=np.int64),
        np.array(counts, dtype=np.int64),
        [topic_terms(text) for text in blanked] if params.topics else [NO_TOPICS] * len(blanked),
        sentence_batch(blanked, params.static_model) if params.sentences else None,
    )


def _text_hash(text: CleanText) -> int:
    return int.from_bytes(hashlib.blake2b(text.codes.tobytes(), digest_size=8).digest(), "little")


_PARENT_CHECK_SECONDS = 0.5


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (another user's process counts as running)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _exit_with_parent(parent: int) -> None:
    """Exit when the parent process is gone. A parent killed outright (SIGKILL, the OOM
    killer) cannot stop its pool, and idle workers would otherwise wait for work for ever,
    holding their memory and keeping multiprocessing's resource tracker alive. ``parent`` is
    passed in: a parent killed while this worker was still starting is already gone."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(_PARENT_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="wiretrace-parent-watch", daemon=True).start()


def _ignore_interrupt(parent: int) -> None:
    # Ctrl-C reaches the whole process group: the parent stops the pool, the workers must
    # not print tracebacks of their own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with_parent(parent)


def _start_worker(parent: int) -> None:
    import numba

    _ignore_interrupt(parent)
    numba.set_num_threads(1)  # the pool already uses every core
    os.environ["TOKENIZERS_PARALLELISM"] = "false"  # ... the tokenizer's threads too
    sketch_batch([BatchItem("warm up the compiled kernels")], SketchParams(5, 8, 0, True, 8, 4))


Item = TypeVar("Item")
Result = TypeVar("Result")


def ordered_map(
    function: Callable[[list[Item]], list[Result]],
    items: Iterable[Item],
    workers: int,
    chunk: int,
    pool_after_chunks: int = 2,
) -> Iterator[Result]:
    """``function`` over chunks of ``items``, yielding results in input order. The first
    ``pool_after_chunks`` chunks run in this process (small inputs never pay the workers'
    start-up); the rest in a pool of spawned processes when ``workers`` is not 1 (0: one per
    core). At most two chunks per worker are in flight, so memory stays flat on a stream of
    any length."""
    count = resolve_workers(workers)
    iterator = iter(items)
    chunks = iter(lambda: list(islice(iterator, chunk)), [])
    for piece in islice(chunks, pool_after_chunks if count > 1 else None):
        yield from function(piece)
    following = next(chunks, None)
    if following is None:
        return  # all done in this process: no pool started
    chunks = chain([following], chunks)
    pool = ProcessPoolExecutor(
        max_workers=count,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_ignore_interrupt,
        initargs=(os.getpid(),),
    )
    pending: deque[Future[list[Result]]] = deque()
    try:
        for piece in chunks:
            pending.append(pool.submit(function, piece))
            while len(pending) > 2 * count:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def resolve_workers(workers: int) -> int:
    """0 means one worker per core."""
    return workers if workers > 0 else max(1, os.cpu_count() or 1)


class BatchRunner(Generic[Tag]):
    """Runs ``sketch_batch`` on submitted batches and hands results back in order."""

    def __init__(
        self,
        workers: int,
        pool_after_batches: int,
        deliver: Callable[[Tag, BatchSketch], None],
    ) -> None:
        self._workers = resolve_workers(workers)
        self._pool_after = pool_after_batches
        self._deliver = deliver
        self._submitted = 0
        self._pool: ProcessPoolExecutor | None = None
        self._pending: deque[tuple[Tag, Future[BatchSketch]]] = deque()

    def submit(self, tag: Tag, items: list[BatchItem], params: SketchParams) -> None:
        self._submitted += 1
        if self._pool is None and self._workers > 1 and self._submitted > self._pool_after:
            self._pool = ProcessPoolExecutor(
                max_workers=self._workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
                initargs=(os.getpid(),),
            )
        if self._pool is None:
            self._deliver(tag, sketch_batch(items, params))
            return
        future = self._pool.submit(sketch_batch, items, params)
        self._pending.append((tag, future))
        while len(self._pending) > 2 * self._workers:  # bound the batches held in memory
            self._deliver_oldest()

    def _deliver_oldest(self) -> None:
        tag, future = self._pending.popleft()
        self._deliver(tag, future.result())

    def drain(self) -> None:
        """Deliver every pending result; the workers stay up for more batches."""
        while self._pending:
            self._deliver_oldest()

    def finish(self) -> None:
        """Deliver every pending result and stop the workers."""
        try:
            self.drain()
        except BaseException:
            self.close()
            raise
        # nothing is pending: the idle workers exit on their own (joining them costs ~0.5 s)
        self.close(wait=False)

    def close(self, wait: bool = True) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=wait, cancel_futures=True)
            self._pool = None
        self._pending.clear()
