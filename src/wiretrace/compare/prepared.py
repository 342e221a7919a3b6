"""Documents prepared for the verbatim comparison once each, before their pairs are compared.

A comparer keeps the documents it prepared last (``compare.pairs``), which serves pairs that
share their first document. But pairs of a large corpus join documents far apart: in the
10,000-document benchmark corpus a batch of 2,000 pairs names ~1,700 documents, and a document
was prepared again for nearly every pair it is in (141,866 preparations for 150,039 pairs, a
fifth of the comparison). So, where the workers read this machine's files, every document of a
pair is prepared once, by the workers, into files beside the spill; a comparer reads its arrays
back (one read of a few kilobytes) instead of cleaning, splitting and shingling its text again.

A file holds, per document, its shingles, its sorted unique shingles, its words' original
offsets and, for text with characters that are words of their own, their running count, as one
run of 8-byte values; the index holds where each document's run lies, its lengths and the
digest of its clean text.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from wiretrace.clean.boilerplate import blank
from wiretrace.compare.align import Prepared, prepare
from wiretrace.records import Span
from wiretrace.spill import SpillReader, no_room

INDEX = "prepared.npy"
# the index's columns: file, offset (bytes), shingles, unique shingles, words, wide (0 or 1),
# and the clean text's 128-bit digest as two 8-byte values; -1 in the first: not prepared
_COLUMNS = 8
_VALUE = 8  # bytes
_DIGEST = struct.Struct("<qq")  # the digest's 16 bytes as the index's two values


def file_name(file: int) -> str:
    return f"prepared-{file}.bin"


@dataclass(frozen=True, slots=True)
class PrepareBatch:
    """Documents to prepare (by number) into one file, and their boilerplate."""

    file: int
    numbers: list[int]
    boilerplate: dict[int, tuple[Span, ...]]


def prepare_into(
    texts: str, folder: str, shingle_size: int, batch: PrepareBatch
) -> NDArray[np.int64]:
    """Prepare the documents of ``batch`` (their texts read from the spill file ``texts``,
    their boilerplate blanked) into its file in ``folder``; their index rows
    (``(len(numbers), 1 + _COLUMNS)``: the number, then the index's columns)."""
    reader = SpillReader(Path(texts))
    rows = np.zeros((len(batch.numbers), 1 + _COLUMNS), dtype=np.int64)
    runs: list[bytes] = []
    offset = 0
    for row, number in enumerate(batch.numbers):
        text = blank(reader.get(number), batch.boilerplate.get(number, ()))
        document = prepare(text, shingle_size)
        wide = document.wide_before
        parts = [document.shingles, document.unique, document.word_starts, document.word_ends]
        if wide is not None:
            parts.append(wide)
        run = b"".join(np.ascontiguousarray(part).tobytes() for part in parts)
        digest = _DIGEST.unpack(document.digest)
        rows[row] = (
            number,
            batch.file,
            offset,
            document.shingles.size,
            document.unique.size,
            document.word_count,
            wide is not None,
            digest[0],
            digest[1],
        )
        runs.append(run)
        offset += len(run)
    path = Path(folder) / file_name(batch.file)
    try:
        path.write_bytes(b"".join(runs))
    except OSError as error:
        raise no_room(Path(folder).parent, error) from error
    return rows


def write_index(folder: Path, rows: Sequence[NDArray[np.int64]]) -> None:
    """The index of the prepared documents (the rows ``prepare_into`` gave), by number."""
    found = np.concatenate(rows) if rows else np.zeros((0, 1 + _COLUMNS), dtype=np.int64)
    size = int(found[:, 0].max()) + 1 if len(found) else 0
    index = np.full((size, _COLUMNS), -1, dtype=np.int64)
    index[found[:, 0]] = found[:, 1:]
    try:
        np.save(folder / INDEX, index)
    except OSError as error:
        raise no_room(folder.parent, error) from error


class PreparedReader:
    """The prepared documents of a folder, by number (``None`` for one not prepared there)."""

    def __init__(self, folder: Path, shingle_size: int) -> None:
        self._folder = folder
        self._index: NDArray[np.int64] = np.load(folder / INDEX)
        self._shingle_size = shingle_size
        self._files: dict[int, int] = {}

    def get(self, number: int, text: str) -> Prepared | None:
        """Document ``number`` as ``prepare`` made it from ``text`` (its text as compared:
        boilerplate blanked)."""
        if number >= len(self._index):
            return None
        file, offset, shingles, unique, words, wide, *digest = self._index[number].tolist()
        if file < 0:
            return None
        found = self._files.get(file)
        if found is None:
            found = self._files[file] = os.open(self._folder / file_name(file), os.O_RDONLY)
        values = shingles + unique + 2 * words + (words + 1 if wide else 0)
        run = np.frombuffer(os.pread(found, values * _VALUE, offset), dtype=np.uint64)
        starts = shingles + unique
        return Prepared(
            shingles=run[:shingles],
            unique=run[shingles:starts],
            word_starts=run[starts : starts + words].view(np.int64),
            word_ends=run[starts + words : starts + 2 * words].view(np.int64),
            digest=_DIGEST.pack(*digest),
            shingle_size=self._shingle_size,
            wide_before=run[starts + 2 * words :].view(np.int64) if wide else None,
            text=text,
        )

    def close(self) -> None:
        for file in self._files.values():
            os.close(file)
        self._files.clear()
