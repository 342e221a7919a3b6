"""The Spark backend (``--backend spark``, the ``spark`` extra): the scan's stages run as Spark
jobs, with the same stage functions as the local backend, so the results are the same row for
row (``tests/test_spark.py``).

What runs where, today:

- **executors**: reading, cleaning and sketching (whole files a task, a large Parquet file
  cut at row groups and a plain JSONL file at line starts, pages extracted there:
  ``map_held``; the same readers, so the same records and skips); for a single input that
  cannot be cut (a ``.gz``, a CSV, a crawl) the driver reads it and the executors extract
  its pages and clean and sketch its documents (each batch a task); the exact sentence
  model; the recurring lines' second sketch; and the comparison of candidate pairs (each
  batch of pairs a task, with its documents joined on: executors read nothing from the
  driver's disk);
- **Spark SQL** (``groups``): LSH as an explode of band keys and a group-by, the recurring
  lines as a group-by of lines by key, both giving the one-machine kernels' answers;
- **driver**: the text spill, the per-document facts, passage candidates over the collected
  fingerprints, duplicate groups, provenance and stories over the collected matches;
- **Spark's writers**: the tables, a folder of parts each (``write_table`` into a local
  folder, ``write_url`` to any URL the session's Hadoop reaches: HDFS, S3, ...).

So the driver holds what the local scan holds in memory (~5 KB a document: signatures,
fingerprints, story words and the rows) and every record comes back to it; the group-bys
take their input from it. That fits corpora of millions of documents on a large driver,
not CC-NEWS: keeping the records and sketches on the executors, so that the group-bys start
there, is what is left (benchmarks/README.md, "Spark backend").

Starts as Spark users expect: ``local[*]`` when nothing says otherwise, ``--spark-master`` or
the standard Spark configuration (``spark-submit --master ...``) for a cluster, or an existing
``SparkSession`` passed in. The executors' Python must have wiretrace installed (ship it with
``spark-submit --py-files`` or install it on the nodes); in local mode they run this Python.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from wiretrace.backend import HeldMap, map_in_order
from wiretrace.config import OutputFormat
from wiretrace.errors import ConfigError, InputError, MissingExtraError
from wiretrace.spill import TextSpill
from wiretrace.write.atomic import atomic_path
from wiretrace.write.tables import SUMMARY, summary_json, table_files, tables_of

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa
    from numpy.typing import NDArray
    from pyspark import SparkContext
    from pyspark.sql import DataFrame, SparkSession

    from wiretrace.candidates.lsh import LshSearch
    from wiretrace.clean.boilerplate import LineOccurrences
    from wiretrace.pipeline import ScanResult
    from wiretrace.write.tables import TableWriter

INSTALL = "pip install 'wiretrace[spark]'"
_LOG_SETTINGS = "log4j2.properties"  # quiet start-up (see the file)
_JOB_BATCHES_PER_CORE = 2  # batches a job holds per core of the cluster: every core busy

Tag = TypeVar("Tag")
Batch = TypeVar("Batch")
Result = TypeVar("Result")


def spark_available() -> bool:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return False
    return True


class _InExecutor(Generic[Batch, Result]):
    """``function`` as a task: the executor's Python process is set up once (one numba thread:
    Spark already runs a task per core)."""

    def __init__(self, function: Callable[[Batch], Result]) -> None:
        self.function = function

    def __call__(self, batch: Batch) -> Result:
        if not os.environ.get("WIRETRACE_EXECUTOR"):
            import numba

            numba.set_num_threads(1)
            os.environ["TOKENIZERS_PARALLELISM"] = "false"
            os.environ["WIRETRACE_EXECUTOR"] = "1"
        return self.function(batch)


class SparkRunner(Generic[Tag, Batch, Result]):
    """Batches gathered into Spark jobs of ``per_job`` tasks (one task a batch); results are
    handed to ``deliver`` in submission order."""

    def __init__(
        self,
        context: SparkContext,
        function: Callable[[Batch], Result],
        deliver: Callable[[Tag, Result], None],
        per_job: int,
    ) -> None:
        self._context = context
        self._task = _InExecutor(function)
        self._deliver = deliver
        self._per_job = per_job
        self._pending: list[tuple[Tag, Batch]] = []

    def submit(self, tag: Tag, batch: Batch) -> None:
        self._pending.append((tag, batch))
        if len(self._pending) >= self._per_job:
            self.drain()

    def drain(self) -> None:
        if not self._pending:
            return
        tags = [tag for tag, _ in self._pending]
        batches = [batch for _, batch in self._pending]
        self._pending = []
        results = self._context.parallelize(batches, len(batches)).map(self._task).collect()
        for tag, result in zip(tags, results, strict=True):
            self._deliver(tag, result)

    def close(self) -> None:
        self._pending = []


class SparkBackend(AbstractContextManager["SparkBackend"]):
    """Runs the scan's stages on Spark (see the module's docstring). ``spark``: a session to
    use (left running at the end); otherwise the session already running in this process, or
    one started with ``master`` (default: the Spark configuration's, else ``local[*]``) and
    stopped at the end."""

    ships_documents = True  # executors cannot read the driver's spill

    def __init__(
        self,
        spark: SparkSession | None = None,
        master: str | None = None,
        spill_folder: str | Path | None = None,
    ) -> None:
        if not spark_available():
            raise MissingExtraError(f"--backend spark needs the spark extra: {INSTALL}")
        self._given = spark
        self._master = master
        self._spill_folder = spill_folder
        self._session: SparkSession | None = None
        self._started = False  # this backend started the session (and stops it)
        self._spill: TextSpill | None = None
        self._depth = 0  # `with` blocks open: a scan inside the caller's shares its session

    @property
    def spill(self) -> TextSpill:
        if self._spill is None:
            raise RuntimeError("the Spark backend is used inside `with`")
        return self._spill

    @property
    def context(self) -> SparkContext:
        return self._active().sparkContext

    @property
    def parallelism(self) -> int:
        return int(self.context.defaultParallelism)

    def runner(
        self,
        function: Callable[[Batch], Result],
        deliver: Callable[[Tag, Result], None],
    ) -> SparkRunner[Tag, Batch, Result]:
        per_job = max(2, _JOB_BATCHES_PER_CORE * self.parallelism)
        return SparkRunner(self.context, function, deliver, per_job)

    def map(
        self, function: Callable[[Batch], Result], batches: Iterable[Batch]
    ) -> Iterator[Result]:
        return map_in_order(self.runner, function, batches)

    def __enter__(self) -> SparkBackend:
        from pyspark.sql import SparkSession

        self._depth += 1
        if self._depth > 1:
            return self
        if self._given is None:  # a session already running here (a notebook) is used, kept
            self._given = SparkSession.getActiveSession()
            self._started = self._given is None
        self._session = self._given or _start_session(self._master)
        self._spill = TextSpill(self._spill_folder).__enter__()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._depth -= 1
        if self._depth:
            return
        try:
            if self._spill is not None:
                self._spill.__exit__(kind, error, traceback)
        finally:
            session, self._session, self._spill = self._session, None, None
            if not self._started:
                # A session left running (a notebook's, a service's) holds in its JVM what
                # the scan's Python objects refer to until they are freed, and some wait in
                # reference cycles for a full collection, which JVM memory never asks for:
                # ~50 MB of heap a scan of 1,000 documents, until Spark's default 1 GB ran out
                gc.collect()
            if self._started and session is not None:
                try:
                    session.stop()
                except Exception:
                    # What stopped the scan (SIGTERM, Ctrl-C) can cut a call to the JVM half
                    # way, and the session cannot be stopped then: that error is not the one
                    # to tell (the JVM exits with this process, which it watches).
                    if error is None:
                        raise

    def lsh_pairs(
        self, signatures: NDArray[np.uint32], sizes: NDArray[np.int64], search: LshSearch
    ) -> tuple[NDArray[np.int64], int]:
        """An explode of bands and a group-by (``groups.lsh_pairs``)."""
        from wiretrace.spark.groups import lsh_pairs

        return lsh_pairs(self._active(), signatures, sizes, search)

    def recurring_keys(
        self, lines: LineOccurrences, min_documents: int, min_context_share: float
    ) -> NDArray[np.int64]:
        """A group-by of the lines (``groups.recurring_lines``); of the keys it finds, those
        of a shared body are told here, over every line's key (``not_shared_body``)."""
        from wiretrace.clean.boilerplate import document_lines, not_shared_body
        from wiretrace.spark.groups import recurring_lines

        found = recurring_lines(self._active(), lines, min_documents, min_context_share)
        return not_shared_body(found, *document_lines(lines))

    def aside(self, function: Callable[..., Result], *args: Any) -> Result:
        return function(*args)

    def table_writer(self) -> TableWriter:
        return self.write_table

    def held_map(self) -> HeldMap:
        return self.map_held

    def map_held(
        self, function: Callable[[Batch], Iterable[Result]], batches: Iterable[Batch]
    ) -> Iterator[Result]:
        """``function`` over ``batches`` for results too large to gather many at once (the
        records of input files, a batch of them a result, and their sketches): every task
        runs at once, Spark keeps the results on the disks where they were made (in memory
        they would compete with the fetching, which copies a task's results in the JVM), and
        this process fetches them a task at a time, the next task's while it works on one,
        in order."""
        from pyspark import StorageLevel

        listed = list(batches)
        if not listed:
            return
        held = self.context.parallelize(listed, len(listed)).flatMap(_InExecutor(function))
        held = held.persist(StorageLevel.DISK_ONLY)
        try:
            held.count()  # every task at once; fetching alone would run them one by one
            yield from held.toLocalIterator(prefetchPartitions=True)
        finally:
            held.unpersist()

    def write_table(self, table: pa.Table, path: Path, output_format: OutputFormat) -> None:
        """One table as a folder of parts, written by Spark's own writers, put in place of
        ``path`` once complete. ``path`` is on this machine: Spark reaches it as a ``file:``
        URI, which on a cluster needs a folder every executor shares; elsewhere give
        ``--out`` as a URL (``write_url``)."""
        frame = self._active().createDataFrame(table)
        with atomic_path(path) as temporary:
            # not Path.as_uri(): Hadoop would keep its %20 for a space as three characters
            _spark_writer(frame, output_format)(f"file://{temporary.resolve()}")

    def check_url(self, url: str, output_format: OutputFormat) -> None:
        """Before a scan whose output goes to ``url`` (``hdfs://``, ``s3a://``, ``file://``:
        any file system the session's Hadoop reaches): it must hold none of the output's
        files. wiretrace keeps no list there of what it wrote, so it never replaces anything
        at a URL: each run writes into a new folder."""
        folder = _HadoopFolder(self._active(), url)
        for name in [*table_files(output_format).values(), SUMMARY]:
            if folder.exists(name):
                raise InputError(
                    f"--out {url} already holds {name}; write each scan to a new folder "
                    "(at a URL wiretrace replaces nothing)"
                )

    def write_url(self, result: ScanResult, url: str, output_format: OutputFormat) -> list[str]:
        """The output contract written to ``url`` by Spark: a folder of parts per table, then
        summary.json, last, as in a local folder. Checked again (``check_url``): a scan is
        long, and another run may have written there since."""
        self.check_url(url, output_format)
        session, base = self._active(), url.rstrip("/")
        files = table_files(output_format)
        for name, table in tables_of(result).items():
            _spark_writer(session.createDataFrame(table), output_format)(f"{base}/{files[name]}")
        summary = summary_json(result, output_format, list(files.values()))
        _HadoopFolder(session, url).write_text(SUMMARY, summary)
        return [f"{base}/{name}" for name in [*files.values(), SUMMARY]]

    def _active(self) -> SparkSession:
        if self._session is None:
            raise RuntimeError("the Spark backend is used inside `with`")
        return self._session

    def expect(self, input_bytes: int) -> None:
        """Nothing to start: the executors run already."""

    def describe(self) -> dict[str, Any]:
        """What summary.json says of the backend."""
        context = self.context
        return {
            "name": "spark",
            "master": context.master,
            "version": context.version,
            "parallelism": self.parallelism,
        }


def _spark_writer(frame: DataFrame, output_format: OutputFormat) -> Callable[[str], None]:
    """Spark's writer of a table in ``output_format``: Parquet, or JSON lines that keep nulls
    (Spark drops null fields by default); never over anything already there."""
    writer = frame.write.mode("errorifexists")
    if output_format == "parquet":
        return writer.parquet
    return writer.option("ignoreNullFields", "false").json


class _HadoopFolder:
    """A folder on a file system of the session's Hadoop configuration, through its
    FileSystem API (what Spark itself writes with)."""

    def __init__(self, session: SparkSession, url: str) -> None:
        from py4j.protocol import Py4JJavaError

        context = session.sparkContext
        self._paths = context._jvm.org.apache.hadoop.fs.Path  # type: ignore[union-attr]
        try:
            self._folder = self._paths(url)
            self._system = self._folder.getFileSystem(context._jsc.hadoopConfiguration())
        except Py4JJavaError as error:  # no file system for the scheme, a bad host...
            cause = str(error.java_exception.toString()).splitlines()[0]
            raise InputError(
                f"--out {url}: Spark cannot write there ({cause}); check the URL, and that "
                "the cluster's Hadoop has the file system for its scheme"
            ) from error

    def exists(self, name: str) -> bool:
        return bool(self._system.exists(self._paths(self._folder, name)))

    def write_text(self, name: str, text: str) -> None:
        stream = self._system.create(self._paths(self._folder, name), False)  # never replaces
        try:
            stream.write(bytearray(text.encode("utf-8")))
        finally:
            stream.close()


def _local_memory() -> str:
    """The JVM heap of a local session: a quarter of this machine's memory, 1 to 8 GB (the
    Python processes, this one and Spark's workers, need the rest)."""
    try:
        physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):  # not a POSIX system
        return "1g"
    return f"{max(1, min(8, physical // 4 >> 30))}g"


def _configured_master() -> str | None:
    """The master the user's Spark configuration names, where wiretrace starts Spark itself:
    ``--master`` in ``PYSPARK_SUBMIT_ARGS``, else ``spark.master`` in ``spark-defaults.conf``
    of ``SPARK_CONF_DIR`` (or ``SPARK_HOME/conf``), which Spark's launcher reads."""
    words = os.environ.get("PYSPARK_SUBMIT_ARGS", "").split()
    if "--master" in words[:-1]:
        return words[words.index("--master") + 1]
    folder = os.environ.get("SPARK_CONF_DIR") or (
        str(Path(os.environ["SPARK_HOME"]) / "conf") if "SPARK_HOME" in os.environ else None
    )
    if folder is None:
        return None
    try:
        lines = (Path(folder) / "spark-defaults.conf").read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    for line in lines:
        parts = line.split(None, 1)  # a key, then spaces or tabs, then its value
        if len(parts) == 2 and parts[0] == "spark.master":
            return parts[1].strip()
    return None


def _start_session(master: str | None) -> SparkSession:
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("wiretrace")
    # spark-submit starts this process with a gateway to its JVM: its --master and --conf hold
    submitted = "PYSPARK_GATEWAY_PORT" in os.environ
    configured = None if master or submitted else _configured_master()
    chosen = master or (None if submitted or configured else "local[*]")
    if chosen is not None:
        builder = builder.master(chosen)
    running = chosen or configured  # the master Spark will run on, where known here
    if running is not None and running.startswith("local"):
        # local executors run this Python (the default, `python3`, may lack wiretrace)
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    if not submitted:
        builder = builder.config("spark.ui.showConsoleProgress", "false")  # wiretrace draws its own
        if "SPARK_CONF_DIR" not in os.environ:  # no settings of the user's to honour
            logging = Path(__file__).with_name(_LOG_SETTINGS).as_uri()
            java = f"-Dlog4j2.configurationFile={logging}"
            builder = builder.config("spark.driver.extraJavaOptions", java)
            if running is not None and running.startswith("local"):
                # local executors live in this JVM: Spark's 1 GB default holds little data
                builder = builder.config("spark.driver.memory", _local_memory())
    try:
        session = builder.getOrCreate()
    except Exception as error:  # Java missing, a master URL Spark cannot parse or reach
        # said as a fix, not as wiretrace's bug: Spark's own error is Java's, many lines long
        raise ConfigError(
            f"Spark did not start (master {running or 'from spark-submit'}): {_said(error)}; "
            "check --spark-master, the Spark configuration and JAVA_HOME"
        ) from None
    session.sparkContext.setLogLevel("ERROR")
    return session


def _said(error: BaseException) -> str:
    """The first line of what Spark or Java said of ``error``, not its stack."""
    java = getattr(error, "java_exception", None)
    text = str(java) if java is not None else str(error)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    first = lines[0] if lines else type(error).__name__
    return first if len(first) <= 300 else first[:299] + "…"
