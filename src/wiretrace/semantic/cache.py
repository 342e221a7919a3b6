"""A file that keeps each document's sentence embeddings between runs (SQLite, in the
standard library: one embedded file, safe to interrupt), so that scanning a corpus again, or
a corpus that grew, embeds only the documents that are new or changed.

A document's key is a hash of the model's name and its sentences' text: a document whose
sentences changed (new boilerplate rules, an edited text) gets a new key, and one with the
same sentences under another id shares the entry.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

import numpy as np
from numpy.typing import NDArray

from wiretrace.errors import InputError

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS embeddings "
    "(key BLOB PRIMARY KEY, dimensions INTEGER NOT NULL, vectors BLOB NOT NULL)"
)
_COLUMNS = ["key", "dimensions", "vectors"]
_LOOKUP_CHUNK = 500  # keys per query (SQLite limits the number of parameters)
_SQLITE_HEADER = b"SQLite format 3\x00"


def check_cache_file(path: str | Path, inputs: Sequence[str]) -> None:
    """Refuse, before any work, a cache file that would overwrite something that is not a
    cache: one of the inputs, an existing file that is not SQLite (an empty file included),
    or a folder that does not exist."""
    cache = Path(path)
    resolved = cache.resolve()
    for given in inputs:
        if Path(given).resolve() in (resolved, *resolved.parents):
            raise InputError(
                f"--embedding-cache {cache} is the input {given}, or inside it; name a file "
                "outside the inputs"
            )
    if resolved.is_dir():
        raise InputError(f"--embedding-cache {cache} is a folder; name a file")
    if resolved.exists():
        try:
            with resolved.open("rb") as stream:
                header = stream.read(len(_SQLITE_HEADER))
        except OSError as error:
            raise InputError(
                f"--embedding-cache {cache}: cannot read it ({error.strerror or error})"
            ) from None
        if header != _SQLITE_HEADER or not _is_cache(resolved):
            raise InputError(
                f"--embedding-cache {cache} exists and is not a wiretrace cache (another "
                "file, or a database with other tables); give a new file name"
            )
    elif not resolved.parent.is_dir():
        raise InputError(
            f"--embedding-cache {cache}: the folder {cache.parent} does not exist; create it "
            "or name a file in an existing folder"
        )


def _is_cache(path: Path) -> bool:
    """Whether the SQLite file ``path`` holds wiretrace's cache table and nothing else (read
    only: a user's database is never changed)."""
    try:
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            tables = connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
            ).fetchall()
            columns = connection.execute("PRAGMA table_info(embeddings)").fetchall()
        finally:
            connection.close()
    except sqlite3.Error:
        return False
    return tables == [("embeddings",)] and [column[1] for column in columns] == _COLUMNS


def document_key(model: str, sentences: Sequence[str]) -> bytes:
    digest = hashlib.blake2b(model.encode(), digest_size=16)
    for sentence in sentences:
        digest.update(b"\x00")
        digest.update(sentence.encode())
    return digest.digest()


class EmbeddingCache:
    """Sentence embeddings by document key, in the SQLite file ``path`` (created if missing)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.connection = sqlite3.connect(self.path)
            self.connection.execute(_SCHEMA)
        except sqlite3.Error as error:
            raise InputError(
                f"--embedding-cache {self.path}: cannot use it as a cache file ({error}); "
                "give a new file name or remove the file"
            ) from None
        self.hits = 0
        self.misses = 0

    def get_many(self, keys: Sequence[bytes]) -> dict[bytes, NDArray[np.float32]]:
        found: dict[bytes, NDArray[np.float32]] = {}
        for first in range(0, len(keys), _LOOKUP_CHUNK):
            chunk = keys[first : first + _LOOKUP_CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = self.connection.execute(
                f"SELECT key, dimensions, vectors FROM embeddings WHERE key IN ({marks})", chunk
            )
            for key, dimensions, blob in rows:
                found[key] = np.frombuffer(blob, dtype=np.float32).reshape(-1, dimensions)
        self.hits += len(found)
        self.misses += len(set(keys)) - len(found)
        return found

    def put_many(self, items: Sequence[tuple[bytes, NDArray[np.float32]]]) -> None:
        with self.connection:
            self.connection.executemany(
                "INSERT OR REPLACE INTO embeddings VALUES (?, ?, ?)",
                [
                    (key, vectors.shape[1], np.ascontiguousarray(vectors, np.float32).tobytes())
                    for key, vectors in items
                ],
            )

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> EmbeddingCache:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()
