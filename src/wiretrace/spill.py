"""A disk spill of the original texts, so that memory holds signatures, not the corpus.

The sketch stage appends each batch's texts to an Arrow IPC file in a temporary folder; the
compare stage reads back the few texts it needs through a memory map.
"""

from __future__ import annotations

import bisect
import contextlib
import os
import re
import shutil
import tempfile
from pathlib import Path
from types import TracebackType
from typing import Any

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from wiretrace import arrow
from wiretrace.errors import InputError
from wiretrace.processes import process_alive

_SCHEMA = pa.schema([("text", pa.large_string())])
_PREFIX = "wiretrace-spill-"
_OWNER = re.compile(rf"^{_PREFIX}(\d+)-")


def remove_stale_spills(folder: Path) -> list[Path]:
    """Remove the spill folders that scans killed outright (SIGKILL: no clean-up runs) left
    in ``folder``: this user's, named for a process that is gone."""
    removed = []
    for path in folder.glob(f"{_PREFIX}*"):
        owner = _OWNER.match(path.name)
        try:
            mine = path.is_dir() and not path.is_symlink() and path.stat().st_uid == os.getuid()
        except OSError:
            continue
        if owner and mine and not process_alive(int(owner[1])):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def no_room(parent: Path, error: OSError) -> InputError:
    why = os.strerror(error.errno) if error.errno else error.strerror or str(error)
    return InputError(
        f"cannot write the scan's temporary copy of the texts in {parent}: {why}; set TMPDIR "
        "to a folder with more free space"
    )


class SpillReader:
    """The texts of a finished spill file, by their append order; any process may open one
    (the compare workers do)."""

    def __init__(self, path: Path) -> None:
        reader = pa.ipc.open_file(pa.memory_map(str(path), "r"))
        # zero-copy views of the memory map (keeping them all costs no memory): each batch's
        # offsets as integers and its UTF-8 bytes, sliced and decoded here (a text through
        # pyarrow's scalar took ~11 us, most of a compare worker's reading)
        self._offsets: list[NDArray[np.int64]] = []
        self._data: list[memoryview] = []
        for number in range(reader.num_record_batches):
            column = reader.get_batch(number).column(0)
            _, offsets, data = column.buffers()
            first = column.offset
            if offsets is None:  # no batch is empty (``TextSpill.append``)
                raise ValueError(f"{path}: a batch of the spill has no offsets")
            found = np.frombuffer(memoryview(offsets), dtype=np.int64)[
                first : first + len(column) + 1
            ]
            self._offsets.append(found)
            self._data.append(memoryview(data) if data is not None else memoryview(b""))
        self._ends = np.cumsum([len(offsets) - 1 for offsets in self._offsets]).tolist()

    def get(self, index: int) -> str:
        batch = bisect.bisect_right(self._ends, index)
        first = self._ends[batch - 1] if batch else 0
        start, end = self._offsets[batch][index - first : index - first + 2].tolist()
        return str(self._data[batch][start:end], "utf-8")


class TextSpill:
    """Append-only store of texts addressed by their append order."""

    def __init__(self, folder: str | Path | None = None) -> None:
        parent = Path(folder or tempfile.gettempdir())
        remove_stale_spills(parent)
        try:
            self._folder = tempfile.TemporaryDirectory(
                prefix=f"{_PREFIX}{os.getpid()}-", dir=parent
            )
            self._path = Path(self._folder.name) / "texts.arrow"
            self._sink = pa.OSFile(str(self._path), "wb")
        except OSError as error:
            raise no_room(parent, error) from error
        self._writer: pa.ipc.RecordBatchFileWriter | None = pa.ipc.new_file(self._sink, _SCHEMA)
        self._batch_ends: list[int] = []
        self._reader: SpillReader | None = None

    def __len__(self) -> int:
        return self._batch_ends[-1] if self._batch_ends else 0

    @property
    def folder(self) -> Path:
        """The spill's temporary folder (removed on close)."""
        return Path(self._folder.name)

    def append(self, texts: list[str]) -> None:
        if self._writer is None:
            raise RuntimeError("TextSpill is closed for writing")
        if not texts:
            return
        batch = pa.RecordBatch.from_arrays([arrow.column(texts, pa.large_string())], schema=_SCHEMA)
        try:
            self._writer.write_batch(batch)
        except OSError as error:
            raise no_room(self._path.parent.parent, error) from error
        self._batch_ends.append(len(self) + len(texts))

    def _finish(self) -> None:
        """Close the file for appending (its footer is written now)."""
        if self._writer is None:
            return
        writer, self._writer = self._writer, None
        try:
            writer.close()
        finally:
            self._sink.close()

    def seal(self) -> Path:
        """Close the store for appending; its file, for a :class:`SpillReader` anywhere."""
        try:
            self._finish()
        except OSError as error:
            raise no_room(self.folder.parent, error) from error
        return self._path

    def get(self, index: int) -> str:
        """The text appended ``index``-th (0-based); reading seals the store."""
        if self._reader is None:
            self._reader = SpillReader(self.seal())
        return self._reader.get(index)

    def close(self) -> None:
        # The file is thrown away: a full disk that fails its footer changes nothing, and must
        # not replace the error that stopped the scan (often that same full disk).
        with contextlib.suppress(OSError):
            self._finish()
        self._reader = None
        self._folder.cleanup()

    def __enter__(self) -> TextSpill:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


_SPANS, _VECTORS = "sentence-spans.bin", "sentence-vectors.bin"
_INDEX = "sentence-index.npy"


def _rows(file: int, offset: int, count: int, dtype: type, width: int) -> NDArray[Any]:
    """``count`` rows of ``width`` values of ``dtype`` read from ``offset`` of an open file."""
    if count <= 0:
        return np.zeros((0, width), dtype=dtype)
    data = os.pread(file, count * width * np.dtype(dtype).itemsize, offset)
    return np.frombuffer(data, dtype=dtype).reshape(count, width)


class SentenceReader:
    """Per document (by its number): its sentence spans and their vectors, read from a
    sealed :class:`SentenceSpill`'s folder; any process may open one."""

    def __init__(self, folder: Path) -> None:
        index = np.load(folder / _INDEX)
        self._index: NDArray[np.int64] = index[:, :4]  # spans at, count; vectors at, count
        self.dimensions = int(index[0, 4]) if len(index) else 0
        self._spans = os.open(folder / _SPANS, os.O_RDONLY)
        self._vectors = os.open(folder / _VECTORS, os.O_RDONLY)

    def spans(self, number: int) -> NDArray[np.int32]:
        offset, count = self._index[number, :2].tolist()
        return _rows(self._spans, offset, count, np.int32, 2)

    def vectors(self, number: int) -> NDArray[np.float32]:
        return self.half_vectors(number).astype(np.float32)

    def half_vectors(self, number: int) -> NDArray[np.float16]:
        """Document ``number``'s sentence vectors as kept (half floats)."""
        offset, count = self._index[number, 2:].tolist()
        return _rows(self._vectors, offset, count, np.float16, self.dimensions)

    def close(self) -> None:
        os.close(self._spans)
        os.close(self._vectors)


class SentenceSpill:
    """Per document (by its number): its sentence spans and their vectors, on disk.

    Sentence vectors take ~15 KB a document (25 sentences of 256 half floats): 1.5 GB for a
    corpus of 100,000, which stays on disk; memory holds 32 bytes per document. A document
    put again (sketched a second time) is appended anew; its old bytes are left unread.
    :meth:`seal` writes the index that :class:`SentenceReader` opens.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        # unbuffered: what is written is in the file for readers in any process
        try:
            self._files = {
                name: (folder / name).open("w+b", buffering=0) for name in (_SPANS, _VECTORS)
            }
        except OSError as error:
            raise no_room(folder.parent, error) from error
        self._ends = dict.fromkeys(self._files, 0)
        self._at: dict[str, dict[int, tuple[int, int]]] = {name: {} for name in self._files}
        self.dimensions = 0

    def _put(self, name: str, number: int, data: NDArray[Any]) -> None:
        stream = self._files[name]
        stream.seek(self._ends[name])
        try:
            stream.write(np.ascontiguousarray(data).tobytes())
        except OSError as error:
            raise no_room(self.folder.parent, error) from error
        self._at[name][number] = (self._ends[name], len(data))
        self._ends[name] += data.nbytes

    def put_spans(self, number: int, spans: NDArray[np.int32]) -> None:
        self._put(_SPANS, number, spans.astype(np.int32, copy=False))

    def put_vectors(self, number: int, vectors: NDArray[np.floating]) -> None:
        if len(vectors):
            self.dimensions = vectors.shape[1]
        self._put(_VECTORS, number, vectors.astype(np.float16, copy=False))

    def spans(self, number: int) -> NDArray[np.int32]:
        offset, count = self._at[_SPANS][number]
        return _rows(self._files[_SPANS].fileno(), offset, count, np.int32, 2)

    def vectors(self, number: int) -> NDArray[np.float16]:
        """Document ``number``'s sentence vectors, as put (float16)."""
        offset, count = self._at[_VECTORS].get(number, (0, 0))
        found = _rows(self._files[_VECTORS].fileno(), offset, count, np.float16, self.dimensions)
        return found

    def seal(self) -> None:
        """Write the index of what was put, for :class:`SentenceReader`."""
        size = 1 + max((max(at, default=-1) for at in self._at.values()), default=-1)
        index = np.full((size, 5), -1, dtype=np.int64)
        index[:, 4] = self.dimensions
        for column, name in ((0, _SPANS), (2, _VECTORS)):
            for number, (offset, count) in self._at[name].items():
                index[number, column : column + 2] = (offset, count)
        try:
            np.save(self.folder / _INDEX, index)
        except OSError as error:
            raise no_room(self.folder.parent, error) from error

    def close(self) -> None:
        for stream in self._files.values():
            stream.close()
