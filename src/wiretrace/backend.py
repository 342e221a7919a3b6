"""Where a scan's stages run: the backend seam.

A stage is a plain function over a batch (of documents, of candidate pairs); a backend decides
where it runs. The scan needs four things of one (DESIGN.md, "Data flow"):

- **map a stage over batches**, results back in order (``Backend.runner``): cleaning and
  sketching the documents, comparing the candidate pairs;
- **group by a key**: documents sharing an LSH band (``Backend.lsh_pairs``), lines by their
  key (``Backend.recurring_keys``), documents sharing a passage fingerprint;
- **join texts onto pairs**: a compare batch names documents by number, and whoever compares it
  reads their texts (``Backend.spill``, with their sentences and vectors);
- **collect the small results**: signatures, matches, groups and stories come back to the
  caller, which groups and clusters them.

``LocalBackend`` is this process plus a pool of worker processes: grouping by key is a sort in
this process (``wiretrace.candidates``, ``wiretrace.clean.boilerplate``), texts are spilled to
a temporary Arrow file that every process reads (``wiretrace.spill``), and one pool serves
every stage of a scan. Work goes to the pool only once the input has proved larger than
``pool_after`` batches, so that small inputs never pay the workers' start-up, or at once when
the files named hold more than ``EARLY_POOL_BYTES`` of text (``LocalBackend.expect``): the
workers then start while the first batches are read. Workers are never forked from this
process, which may already run numba, pyarrow or progress-bar threads (a fork copies their
locks, held or not): where the platform has one, a fork server (``wiretrace.processes``) that
imported the stages and loaded numba's tables once (``wiretrace.forkserver``) forks each of
them ready in ~0.1 s; elsewhere (Windows) they are spawned and each imports everything itself
(~0.7 s). Results come back in submission order, so a run gives the same output with any
number of workers.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import AbstractContextManager
from itertools import chain, islice
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from wiretrace.candidates.lsh import candidate_pairs
from wiretrace.clean.boilerplate import site_lines
from wiretrace.errors import WorkerError
from wiretrace.processes import EARLY_POOL_BYTES, worker_context
from wiretrace.spill import TextSpill

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from wiretrace.candidates.lsh import LshSearch
    from wiretrace.clean.boilerplate import LineOccurrences
    from wiretrace.write.tables import TableWriter

Tag = TypeVar("Tag")
Batch = TypeVar("Batch")
TagIn = TypeVar("TagIn", contravariant=True)
BatchIn = TypeVar("BatchIn", contravariant=True)
Result = TypeVar("Result")
Item = TypeVar("Item")


# a stage whose task gives several results, mapped over batches: the results, in order
HeldMap = Callable[[Callable[[Any], Iterable[Any]], Iterable[Any]], Iterator[Any]]


class Runner(Protocol[TagIn, BatchIn]):
    """A stage mapped over batches: ``submit`` a batch (with a tag the results are delivered
    with), ``drain`` to deliver all that is pending, ``close`` when done."""

    def submit(self, tag: TagIn, batch: BatchIn) -> None: ...

    def drain(self) -> None: ...

    def close(self) -> None: ...


class Backend(Protocol):
    """Where the stages of one scan run (see the module's docstring), used as a context
    manager around the scan (it holds the spill and the workers)."""

    @property
    def spill(self) -> TextSpill: ...

    @property
    def ships_documents(self) -> bool:
        """Whether the workers run elsewhere (other machines): a batch carries its documents,
        as they cannot read the spill, and the exact model embeds there too."""
        ...

    @property
    def parallelism(self) -> int:
        """How many batches run at once."""
        ...

    def describe(self) -> dict[str, Any]:
        """What summary.json says of the backend."""
        ...

    def table_writer(self) -> TableWriter | None:
        """How the tables of a scan on this backend are written (``write_scan``'s ``write``;
        None: one file each, by pyarrow). Used inside the backend's ``with``."""
        ...

    def expect(self, input_bytes: int) -> None:
        """Told the size of the input about to be read (its files named directly): a
        backend whose workers start only once the input has proved large can start them
        now, to be ready when the first batches are."""
        ...

    def held_map(self) -> HeldMap | None:
        """A map of a stage over batches for results too large to gather many at once (the
        records of whole input files, read and sketched where the workers are, a batch of
        records a result), in order; None: the inputs are read in this process (the workers
        share its disk)."""
        ...

    def lsh_pairs(
        self, signatures: NDArray[np.uint32], sizes: NDArray[np.int64], search: LshSearch
    ) -> tuple[NDArray[np.int64], int]:
        """``wiretrace.candidates.candidate_pairs``'s pairs and collisions, wherever the
        documents are grouped by band."""
        ...

    def recurring_keys(
        self, lines: LineOccurrences, min_documents: int, min_context_share: float
    ) -> NDArray[np.int64]:
        """``wiretrace.clean.boilerplate.site_lines``, wherever the lines are grouped."""
        ...

    def aside(self, function: Callable[..., Result], *args: Any) -> Result:
        """``function(*args)``, a step of the driver's over compiled kernels (passage
        candidates), run where they are loaded already."""
        ...

    def __enter__(self) -> Backend: ...

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...

    def runner(
        self,
        function: Callable[[Batch], Result],
        deliver: Callable[[Tag, Result], None],
    ) -> Runner[Tag, Batch]: ...

    def map(
        self, function: Callable[[Batch], Result], batches: Iterable[Batch]
    ) -> Iterator[Result]: ...


def map_in_order(
    runner_of: Callable[
        [Callable[[Batch], Result], Callable[[None, Result], None]], Runner[None, Batch]
    ],
    function: Callable[[Batch], Result],
    batches: Iterable[Batch],
) -> Iterator[Result]:
    """``function`` over ``batches`` by a backend's runner, results in order, as they come:
    ``Backend.map`` for every backend."""
    done: deque[Result] = deque()
    runner = runner_of(function, lambda _, result: done.append(result))
    try:
        for batch in batches:
            runner.submit(None, batch)
            while done:
                yield done.popleft()
        runner.drain()
        yield from done
    finally:
        runner.close()


def _exit_with_parent() -> None:
    """Exit when the process that started the pool is gone. A parent killed outright
    (SIGKILL, the OOM killer) cannot stop its pool, and idle workers would otherwise wait for
    work for ever, holding their memory and keeping multiprocessing's resource tracker
    alive. The parent's sentinel (a pipe it holds open) says so whether the worker was
    spawned by it or forked by the fork server, and also when it died while this worker was
    still starting."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="wiretrace-parent-watch", daemon=True).start()


def _ignore_interrupt() -> None:
    # Ctrl-C reaches the whole process group: the parent stops the pool, the workers must
    # not print tracebacks of their own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with_parent()


_STOPPED = (
    "a worker process stopped before its work was done: it was killed (by the system when "
    "memory ran out, or by a signal), or a script that calls wiretrace with workers does not "
    'guard the call with `if __name__ == "__main__":` (each worker imports the script, see '
    "ScanConfig.workers); --workers 1 (ScanConfig(workers=1)) runs everything in one process"
)


def _result(future: Future[Result]) -> Result:
    """What a worker's task returned; a worker that stopped abruptly is a WorkerError."""
    try:
        return future.result()
    except BrokenProcessPool as error:
        raise WorkerError(_STOPPED) from error


def _ready() -> None:
    """A task that does nothing: sent to start a worker."""


# Arguments of more bytes than this make ``LocalBackend.aside`` run its step here: sending
# them to a worker (pickled, through a pipe) costs about what loading the compiled kernels
# here does (~0.5 s) from ~100 MB (the 100k dedup: its 51 MB of signatures sent, 17.0 s;
# worked on here, 17.5 s, three runs each).
_ASIDE_BYTES = 100 * 2**20


def _payload(values: Iterable[Any]) -> int:
    """About how many bytes of arrays ``values`` hold (arrays, and lists or tuples of them)."""
    total = 0
    for value in values:
        if isinstance(value, list | tuple):
            total += _payload(value)
        else:
            total += getattr(value, "nbytes", 0)
    return total


def _start_processes(pool: ProcessPoolExecutor, workers: int) -> None:
    try:
        for _ in range(workers):  # one task each: the pool starts a process per task
            pool.submit(_ready)
    except RuntimeError:
        pass  # the pool was shut down meanwhile (the scan failed early)


def _start_worker() -> None:
    import numba

    from wiretrace.sketch.batch import BatchItem, SketchParams, sketch_batch

    _ignore_interrupt()
    numba.set_num_threads(1)  # the pool already uses every core
    os.environ["TOKENIZERS_PARALLELISM"] = "false"  # ... the tokenizer's threads too
    # the compiled kernels loaded while the first batches are read; not the story words'
    # tables (~0.25 s), which a scan without stories never needs
    sketch_batch(
        [BatchItem("warm up the compiled kernels")],
        SketchParams(5, 8, 0, True, 8, 4, topics=False),
    )


def ordered_map(
    function: Callable[[list[Item]], list[Result]],
    items: Iterable[Item],
    workers: int,
    chunk: int,
    pool_after_chunks: int = 2,
) -> Iterator[Result]:
    """``function`` over chunks of ``items``, yielding results in input order. The first
    ``pool_after_chunks`` chunks run in this process (small inputs never pay the workers'
    start-up); the rest in a pool of worker processes when ``workers`` is not 1 (0: one per
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
        mp_context=worker_context(),
        initializer=_ignore_interrupt,
    )
    pending: deque[Future[list[Result]]] = deque()
    try:
        for piece in chunks:
            pending.append(pool.submit(function, piece))
            while len(pending) > 2 * count:
                yield from _result(pending.popleft())
        while pending:
            yield from _result(pending.popleft())
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def resolve_workers(workers: int) -> int:
    """0 means one worker per core."""
    return workers if workers > 0 else max(1, os.cpu_count() or 1)


class BatchRunner(Generic[Tag, Batch, Result]):
    """Runs ``function`` on submitted batches, in this process for the first ``pool_after``
    ones, then in the backend's pool, and hands results to ``deliver`` in submission order.
    At most two batches per worker are in flight, so memory stays flat on a stream."""

    def __init__(
        self,
        backend: LocalBackend,
        function: Callable[[Batch], Result],
        deliver: Callable[[Tag, Result], None],
        pool_after: int,
    ) -> None:
        self._backend = backend
        self._function = function
        self._deliver = deliver
        self._pool_after = pool_after
        self._submitted = 0
        self._pending: deque[tuple[Tag, Future[Result]]] = deque()

    def submit(self, tag: Tag, batch: Batch) -> None:
        self._submitted += 1
        early = self._backend.started
        pool = self._backend.pool() if early or self._submitted > self._pool_after else None
        if pool is None:
            self._deliver(tag, self._function(batch))
            return
        self._pending.append((tag, pool.submit(self._function, batch)))
        while len(self._pending) > 2 * self._backend.workers:
            self._deliver_oldest()

    def _deliver_oldest(self) -> None:
        tag, future = self._pending.popleft()
        self._deliver(tag, _result(future))

    def drain(self) -> None:
        """Deliver every pending result (the pool stays up for more)."""
        while self._pending:
            self._deliver_oldest()

    def close(self) -> None:
        """Forget what is pending (after an error: the backend's close stops the pool)."""
        for _, future in self._pending:
            future.cancel()
        self._pending.clear()


class LocalBackend(AbstractContextManager["LocalBackend"]):
    """This process, a pool of worker processes started when first needed and kept for every
    stage of the scan, and the texts spilled to a temporary file (see the module's docstring).
    ``workers``: processes in the pool (0: one per core; 1: no pool)."""

    def __init__(
        self, workers: int, spill_folder: str | Path | None = None, pool_after: int = 2
    ) -> None:
        self.workers = resolve_workers(workers)
        self.pool_after = pool_after
        self._spill = TextSpill(spill_folder)
        self._pool: ProcessPoolExecutor | None = None
        self._kernels_here = False  # a step run here (``aside``) loaded the kernels here

    ships_documents = False  # the workers read the spill files themselves

    @property
    def spill(self) -> TextSpill:
        return self._spill

    @property
    def parallelism(self) -> int:
        return self.workers

    def describe(self) -> dict[str, Any]:
        return {"name": "local", "workers": self.workers}

    def table_writer(self) -> TableWriter | None:
        return None

    @property
    def started(self) -> bool:
        """Whether the pool runs (every batch goes to it then)."""
        return self._pool is not None

    def expect(self, input_bytes: int) -> None:
        """Start the workers now when the input is surely larger than ``pool_after``
        batches: they start (the fork server's imports and tables, ~0.6 s, unless the command
        started it already) while this process reads the first batches, none of them
        sketched here."""
        if input_bytes < EARLY_POOL_BYTES:
            return
        pool = self.pool()
        if pool is not None:
            # aside: starting a worker waits until the fork server has imported the stages
            # (~0.6 s), which this process spends reading
            threading.Thread(
                target=_start_processes, args=(pool, self.workers), daemon=True
            ).start()

    def held_map(self) -> HeldMap | None:
        return None  # the spill is local: reading here and extracting pages in the pool is best

    def lsh_pairs(
        self, signatures: NDArray[np.uint32], sizes: NDArray[np.int64], search: LshSearch
    ) -> tuple[NDArray[np.int64], int]:
        return self.aside(candidate_pairs, signatures, sizes, search)

    def aside(self, function: Callable[..., Result], *args: Any) -> Result:
        """In a worker once the pool runs: its compiled kernels and numba's tables are
        loaded already, and this process, which never runs a kernel then, never spends the
        ~0.5 s it takes to load them. Here, though, once a step has run here (they are
        loaded), or when the arguments are so large that sending them would cost about as
        much (``_ASIDE_BYTES``: the 100k copy scan's 136 MB of passage fingerprints)."""
        if self._pool is None or self._kernels_here or _payload(args) > _ASIDE_BYTES:
            self._kernels_here = True
            return function(*args)
        return _result(self._pool.submit(function, *args))

    def recurring_keys(
        self, lines: LineOccurrences, min_documents: int, min_context_share: float
    ) -> NDArray[np.int64]:
        return site_lines(lines, min_documents, min_context_share)

    def pool(self) -> ProcessPoolExecutor | None:
        """The worker pool, started on first use; None with one worker."""
        if self._pool is None and self.workers > 1:
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=worker_context(),
                initializer=_start_worker,
            )
        return self._pool

    def runner(
        self,
        function: Callable[[Batch], Result],
        deliver: Callable[[Tag, Result], None],
    ) -> BatchRunner[Tag, Batch, Result]:
        return BatchRunner(self, function, deliver, self.pool_after)

    def map(
        self, function: Callable[[Batch], Result], batches: Iterable[Batch]
    ) -> Iterator[Result]:
        return map_in_order(self.runner, function, batches)

    def __enter__(self) -> LocalBackend:
        self._spill.__enter__()
        return self

    def close(self, wait: bool = True) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=wait, cancel_futures=True)
            self._pool = None

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        # after a success nothing is pending: idle workers exit on their own (joining them
        # costs ~0.5 s); after an error they are stopped and waited for
        self.close(wait=error is not None)
        self._spill.__exit__(kind, error, traceback)
