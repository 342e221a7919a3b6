"""The stages that group the whole corpus by a key, as Spark DataFrame plans: documents by
LSH band (an explode of bands and a group-by), lines by their key. Each gives what its
one-machine kernel gives (``candidates.lsh.candidate_pairs``, ``clean.boilerplate.
recurring_keys``), pair for pair and line for line: the numbers are computed by the same
functions, in Python tasks over Arrow batches (``mapInArrow``), and only the grouping is
Spark's.

Today their input comes from the driver (the sketches are collected there), so they spread
the work, not yet the memory: the plans start from a DataFrame of documents, which the read
tasks could keep on the executors instead (issue 15).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from wiretrace.candidates.lsh import (
    LshSearch,
    band_rows,
    bucket_collisions,
    bucket_pairs,
    settle_pairs,
)
from wiretrace.clean.boilerplate import LineOccurrences
from wiretrace.config import LshBanding

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

_ROWS_PER_CHUNK = 1 << 16  # documents an Arrow chunk of the driver's input holds
# rows a shuffle partition holds: a band row with its signature is ~0.6 KB, a line's ~30 B
_BAND_ROWS_PER_PARTITION = 500_000
_LINES_PER_PARTITION = 4_000_000
_BUCKET_PAIRS = "band short, key long, first long, second long, sure boolean"


def lsh_pairs(
    session: SparkSession,
    signatures: NDArray[np.uint32],
    sizes: NDArray[np.int64],
    search: LshSearch,
) -> tuple[NDArray[np.int64], int]:
    """``candidate_pairs`` as Spark jobs: each document's band keys exploded into rows, the
    rows grouped by (band, key), buckets of one document dropped, each remaining row joined
    with its document's signature, and a partition of whole buckets at a time turned into
    pairs by the kernel (``bucket_pairs``, which settles big groups within what it sees).
    The driver gets the pairs, with their band and key, and settles big groups across
    buckets in the kernel's order (``settle_pairs``): the same pairs as one machine."""
    from pyspark import StorageLevel
    from pyspark.sql import Window, functions

    count, banding = signatures.shape[0], search.banding
    if count < 2 or banding.bands == 0:
        return np.empty((0, 2), dtype=np.int64), 0
    # Spark's default of 200 shuffle partitions costs ~10 s of empty tasks on a small input
    parts = _partitions(session, count * banding.bands, _BAND_ROWS_PER_PARTITION)
    documents = _documents(session, signatures, sizes).repartition(parts, "doc")
    documents = documents.persist(StorageLevel.MEMORY_AND_DISK)  # exploded, then joined
    explode = partial(_band_rows, banding=banding)
    rows = documents.select("doc", "signature").mapInArrow(
        explode, "band short, key long, doc long"
    )
    in_bucket = functions.count(functions.lit(1)).over(Window.partitionBy("band", "key"))
    rows = rows.repartition(parts, "band", "key")  # the window's partitions
    colliding = rows.withColumn("held", in_bucket).where("held >= 2")
    colliding = colliding.persist(StorageLevel.MEMORY_AND_DISK)
    try:
        held = colliding.groupBy("band", "key").agg(functions.first("held").alias("held"))
        counted = partial(_collisions, max_bucket_size=search.max_bucket_size)
        each = held.select("held").mapInArrow(counted, "collisions long")  # a row a partition
        collisions = int(_to_arrow(each).column("collisions").to_numpy().sum())
        pair = partial(_bucket_pairs, search=search)
        found = (
            colliding.select("band", "key", "doc")
            .repartition(parts, "doc")  # as the documents are: the join moves only these
            .join(documents, "doc")
            .repartition(parts, "band", "key")
            .sortWithinPartitions("band", "key", "doc")
            .mapInArrow(pair, _BUCKET_PAIRS)
        )
        table = _to_arrow(found)
    finally:
        colliding.unpersist()
        documents.unpersist()
    column = {name: table.column(name).to_numpy() for name in table.column_names}
    pairs = settle_pairs(
        column["band"].astype(np.int16),
        column["key"].astype(np.int64),
        column["first"].astype(np.int64),
        column["second"].astype(np.int64),
        column["sure"].astype(bool),
        count,
        search.big_group_size,
    )
    return pairs, collisions


def recurring_lines(
    session: SparkSession, lines: LineOccurrences, min_documents: int, min_context_share: float
) -> NDArray[np.int64]:
    """``recurring_keys`` as a Spark group-by: lines grouped by key, each key's distinct
    documents and distinct neighbours counted."""
    from pyspark.sql import functions

    table = pa.table({"key": lines.keys, "doc": lines.documents, "context": lines.contexts})
    parts = _partitions(session, len(lines.keys), _LINES_PER_PARTITION)  # not Spark's 200
    frame = session.createDataFrame(table).repartition(parts, "key")
    distinct = functions.countDistinct
    counted = frame.groupBy("key").agg(
        distinct("doc").alias("documents"), distinct("context").alias("contexts")
    )
    share = float(min_context_share)
    recurring = counted.where(f"documents >= {int(min_documents)}").where(
        functions.col("contexts") >= functions.lit(share) * functions.col("documents")
    )
    found = _to_arrow(recurring.select("key")).column("key").to_numpy().astype(np.int64)
    return np.sort(found)


def _partitions(session: SparkSession, rows: int, per_partition: int) -> int:
    """Partitions for a shuffle of ``rows`` rows: every core busy, none too large."""
    cores = int(session.sparkContext.defaultParallelism)
    return max(2 * cores, -(-rows // per_partition))


def _documents(
    session: SparkSession, signatures: NDArray[np.uint32], sizes: NDArray[np.int64]
) -> DataFrame:
    """The documents to band: number, shingle count and signature (as 32-bit integers)."""
    count, width = signatures.shape
    chunks = []
    for first in range(0, count, _ROWS_PER_CHUNK):
        block = signatures[first : first + _ROWS_PER_CHUNK]
        offsets = np.arange(0, (len(block) + 1) * width, width, dtype=np.int32)
        values = pa.array(np.ascontiguousarray(block).view(np.int32).ravel())
        chunks.append(
            pa.record_batch(
                {
                    "doc": np.arange(first, first + len(block), dtype=np.int64),
                    "size": np.asarray(sizes[first : first + len(block)], dtype=np.int64),
                    "signature": pa.ListArray.from_arrays(
                        cast(pa.Int32Array, pa.array(offsets)), values
                    ),
                }
            )
        )
    return session.createDataFrame(pa.Table.from_batches(chunks))


def _matrix(column: pa.ChunkedArray[Any] | pa.Array[Any]) -> NDArray[np.uint32]:
    """A column of signatures as a matrix, a row each."""
    lists = cast(
        "pa.ListArray[Any]",
        column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column,
    )
    values = np.asarray(lists.flatten().to_numpy(zero_copy_only=False), dtype=np.int32)
    return values.view(np.uint32).reshape(len(lists), -1)


def _band_rows(batches: Iterator[pa.RecordBatch], banding: LshBanding) -> Iterator[pa.RecordBatch]:
    for batch in batches:
        if batch.num_rows == 0:
            continue
        documents = batch.column("doc").to_numpy().astype(np.int64)
        bands, keys, held = band_rows(documents, _matrix(batch.column("signature")), banding)
        yield pa.record_batch({"band": bands, "key": keys, "doc": held})


def _collisions(
    batches: Iterator[pa.RecordBatch], max_bucket_size: int
) -> Iterator[pa.RecordBatch]:
    held = [batch.column("held").to_numpy().astype(np.int64) for batch in batches]
    looked_at = bucket_collisions(np.concatenate(held), max_bucket_size) if held else 0
    yield pa.record_batch({"collisions": np.array([looked_at], dtype=np.int64)})


def _bucket_pairs(
    batches: Iterator[pa.RecordBatch],
    search: LshSearch,
) -> Iterator[pa.RecordBatch]:
    # a bucket may span Arrow batches: the partition is taken whole (its rows are sorted);
    # a partition the repartition left empty has no batch at all (few buckets collide in a
    # small corpus)
    held = list(batches)
    if not held:
        return
    table = pa.Table.from_batches(held)
    if table.num_rows == 0:
        return
    bands, keys, first, second, sure = bucket_pairs(
        table.column("band").to_numpy().astype(np.int16),
        table.column("key").to_numpy().astype(np.int64),
        table.column("doc").to_numpy().astype(np.int64),
        _matrix(table.column("signature")),
        table.column("size").to_numpy().astype(np.int64),
        search,
    )
    yield pa.record_batch(
        {"band": bands, "key": keys, "first": first, "second": second, "sure": sure}
    )


def _to_arrow(frame: DataFrame) -> pa.Table:
    """The rows of ``frame`` on the driver, as Arrow."""
    return frame.toArrow()
