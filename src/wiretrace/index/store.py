"""Where an index keeps its documents: one small interface (:class:`IndexStore`), and SQLite in
WAL mode behind it (:class:`SqliteStore`), so that a server database can take its place
without touching the stages.

What is kept, per document: its row (the documents table's facts, the boilerplate spans found
by the rules and the spans used), its text (zlib), and its sketch (:class:`DocumentSketch`:
signature, passage fingerprints, line keys, words and entities, sentence spans and vectors,
document and lead vectors), each array as raw bytes. Postings name the documents behind each
LSH band key, passage fingerprint (for queries) and line key; the matches and the story
and group ids are kept as found. Every change is one transaction: an add is in the index
whole or not at all.
"""

from __future__ import annotations

import json
import sqlite3
import time
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from wiretrace.errors import InputError
from wiretrace.group.duplicates import instant
from wiretrace.records import Span
from wiretrace.sketch.event import EventArguments
from wiretrace.sketch.topics import TopicTerms

# The layout of the tables below and what the sketches mean; an index of another format is
# refused, never misread. 2: documents carry their language; text in other scripts folded
# and split into words as ``clean.normalize`` says. 3: a site's menu lines are boilerplate
# (``navigation``), so the sketches of such pages changed. 4: news agencies are no names of
# an event (a dateline's "(Reuters)") and paywall notices are boilerplate: words, names and
# events of such documents changed. 5: an outlet a dateline credits, known agency or not
# ("LEEDS (Northern Wire) —"), is a credit and no name of the event. 6: the postings' key
# indexes hold the document too (a query reads its postings from the index alone: a third
# of the time at 30,000 documents). 7: a price or an exchange rate is no amount of money of
# the event, a match's score is counted, and an English title before a name is no part of
# it: events and names changed. 8: what is owned or invested in ("shares in Tesco") is no
# place of the event. 9: a cookie notice whose button is written as a sentence ("... Accept
# all cookies.") is boilerplate: clean texts changed. 10: a clock time ends a sentence ("after
# 9 a.m. Nobody was hurt"): sentences and their vectors changed. 11: a clean text's hash is
# xxh3's, not blake2b's (exact copies are told apart by it).
FORMAT = 11
_CHUNK = 500  # values per IN (...) list: SQLite allows 32,766, smaller lists plan better
_SCRUB_TRIES = 20  # checkpoints tried after a takedown while readers hold the log ...
_SCRUB_WAIT = 0.05  # ... this many seconds apart


@dataclass(frozen=True, slots=True)
class DocumentSketch:
    """What the stages need of a document besides its text."""

    signature: NDArray[np.uint32]
    shingles: int
    fingerprints: NDArray[np.uint64]
    text_hash: int
    line_keys: NDArray[np.int64]  # its lines' keys in order (empty when lines are not counted)
    topics: TopicTerms
    sentences: NDArray[np.int32] | None = None  # (n, 2) spans, with the semantic stage
    sentence_vectors: NDArray[np.float16] | None = None  # (n, d), as the compare stage reads them
    vector: NDArray[np.float32] | None = None  # the document's vector, not centred
    lead: NDArray[np.float32] | None = None  # its lead's vector, not centred


@dataclass(frozen=True, slots=True)
class StoredDocument:
    """One indexed document: ``number`` is its place in the index, never reused."""

    number: int
    id: str
    source: str
    outlet: str | None
    url: str | None
    title: str | None
    published: str | None
    chars: int
    clean_chars: int
    credits: tuple[str, ...]
    dateline: str | None
    language: str | None
    rule_spans: tuple[Span, ...]  # boilerplate the rules found
    spans: tuple[Span, ...]  # ... and the recurring lines: what is blanked
    text: str
    sketch: DocumentSketch
    added: str  # when (ISO time, UTC)


@dataclass(frozen=True, slots=True)
class StoredSkip:
    """A record an add could not index, and why (the documents table lists it)."""

    source: str
    reason: str
    detail: str
    id: str | None
    outlet: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None
    chars: int | None = None


class IndexStore(Protocol):
    """What the index needs of its storage. Reads may run beside one writer; every write
    happens inside :meth:`transaction`."""

    def meta(self) -> dict[str, str]: ...

    def set_meta(self, values: dict[str, str]) -> None: ...

    def transaction(self) -> Any: ...  # a context manager: commit on exit, roll back on error

    def count(self) -> int: ...

    def numbers(self, after: int = -1) -> NDArray[np.int64]: ...

    def numbers_of(self, ids: Sequence[str]) -> dict[str, int]: ...

    def sources_of(self, ids: Sequence[str]) -> dict[str, str]: ...

    def documents(self, numbers: Sequence[int], text: bool = True) -> list[StoredDocument]: ...

    def text(self, number: int) -> str: ...

    def signatures(self, numbers: Sequence[int]) -> dict[int, tuple[NDArray[np.uint32], int]]: ...

    def vectors(self, numbers: Sequence[int]) -> dict[int, NDArray[np.float32] | None]: ...

    def put_documents(self, documents: Sequence[StoredDocument]) -> None: ...

    def remove_documents(self, numbers: Sequence[int]) -> None: ...

    def remove_skips(self, ids: Sequence[str]) -> None: ...

    def scrub(self) -> None: ...  # what was removed leaves every file of the store, now

    def next_number(self) -> int: ...

    def fingerprints(self) -> dict[int, NDArray[np.uint64]]: ...

    def postings(
        self, table: str, keys: NDArray[np.int64], first: int = 0
    ) -> tuple[NDArray[np.int64], ...]: ...

    def put_postings(self, table: str, rows: NDArray[np.int64]) -> None: ...

    def line_keys(self, numbers: Sequence[int]) -> list[NDArray[np.int64]]: ...

    def recurring(self, keys: NDArray[np.int64]) -> NDArray[np.int64]: ...

    def set_recurring(self, added: NDArray[np.int64], removed: NDArray[np.int64]) -> None: ...

    def pairs(self, table: str, after: int = -1) -> NDArray[np.int64]: ...

    def put_pairs(self, table: str, rows: list[tuple[int, int, str]]) -> None: ...

    def remove_pairs(self, table: str, numbers: Sequence[int]) -> None: ...

    def matches(self) -> list[str]: ...

    def match_count(self) -> int: ...

    def found(self, number: int) -> list[str]: ...

    def compared_of(self, numbers: Sequence[int]) -> list[str]: ...

    def compared(self) -> tuple[NDArray[np.int64], NDArray[np.int64]]: ...

    def put_compared(self, rows: list[tuple[int, int, int, str | None]]) -> None: ...

    def set_reasons(self, pairs: NDArray[np.int64], reasons: NDArray[np.int64]) -> None: ...

    def labels(self, table: str) -> dict[int, int]: ...

    def label_of(self, table: str, number: int) -> int | None: ...

    def set_labels(self, table: str, labels: dict[int, int]) -> None: ...

    def add_labels(self, table: str, labels: dict[int, int]) -> None: ...

    def labelled(self, table: str, label: int) -> list[int]: ...

    def members_published(
        self, table: str, labels: Sequence[int]
    ) -> list[tuple[int, str, str | None, int, int]]: ...  # label, id, published, clean, chars

    def put_merges(self, rows: list[tuple[int, int, str]]) -> None: ...

    def merges(self) -> list[tuple[int, int, str]]: ...

    def skips(self) -> list[StoredSkip]: ...

    def put_skips(self, skips: Sequence[StoredSkip]) -> None: ...

    def sizes(self) -> dict[str, int]: ...

    def close(self) -> None: ...


POSTINGS = ("bands", "fingerprints")  # key -> document
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    number INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    source TEXT NOT NULL,
    added TEXT NOT NULL,
    row TEXT NOT NULL,
    text BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS sketches (
    number INTEGER PRIMARY KEY,
    signature BLOB NOT NULL,
    fingerprints BLOB NOT NULL,
    line_keys BLOB NOT NULL,
    terms BLOB NOT NULL,
    counts BLOB NOT NULL,
    entities BLOB NOT NULL,
    sentences BLOB,
    sentence_vectors BLOB,
    vector BLOB,
    lead BLOB
);
CREATE TABLE IF NOT EXISTS bands (key INTEGER NOT NULL, number INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS bands_key ON bands (key, number);
CREATE INDEX IF NOT EXISTS bands_number ON bands (number);
CREATE TABLE IF NOT EXISTS fingerprints (key INTEGER NOT NULL, number INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS fingerprints_key ON fingerprints (key, number);
CREATE INDEX IF NOT EXISTS fingerprints_number ON fingerprints (number);
CREATE TABLE IF NOT EXISTS lines (key INTEGER NOT NULL, number INTEGER NOT NULL,
    context INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS lines_key ON lines (key, number, context);
CREATE INDEX IF NOT EXISTS lines_number ON lines (number);
CREATE TABLE IF NOT EXISTS recurring (key INTEGER PRIMARY KEY);
CREATE TABLE IF NOT EXISTS lsh_pairs (a INTEGER NOT NULL, b INTEGER NOT NULL, value TEXT,
    PRIMARY KEY (a, b));
CREATE INDEX IF NOT EXISTS lsh_pairs_b ON lsh_pairs (b);
CREATE TABLE IF NOT EXISTS compared (a INTEGER NOT NULL, b INTEGER NOT NULL,
    reasons INTEGER NOT NULL, value TEXT, PRIMARY KEY (a, b));
CREATE INDEX IF NOT EXISTS compared_b ON compared (b);
CREATE TABLE IF NOT EXISTS stories (number INTEGER PRIMARY KEY, label INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS groups (number INTEGER PRIMARY KEY, label INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS merges (story INTEGER NOT NULL, into_story INTEGER NOT NULL,
    at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS skipped (value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS found (a INTEGER NOT NULL, b INTEGER NOT NULL, value TEXT NOT NULL,
    PRIMARY KEY (a, b));
CREATE INDEX IF NOT EXISTS found_b ON found (b);
CREATE TABLE IF NOT EXISTS story_records (story INTEGER PRIMARY KEY, last TEXT,
    value TEXT NOT NULL);
"""
_PAIR_TABLES = ("lsh_pairs", "compared")
_LABEL_TABLES = ("stories", "groups")


def _blob(array: NDArray[Any] | None) -> bytes | None:
    return None if array is None else np.ascontiguousarray(array).tobytes()


def _array(blob: bytes | None, dtype: Any, width: int = 0) -> NDArray[Any] | None:
    if blob is None:
        return None
    found = np.frombuffer(blob, dtype=dtype)
    return found.reshape(-1, width) if width else found


def _spans(rows: list[list[Any]]) -> tuple[Span, ...]:
    return tuple(Span(int(start), int(end), str(kind)) for start, end, kind in rows)


def _topics_row(topics: TopicTerms) -> dict[str, Any]:
    event = topics.event
    return {
        "lead": topics.lead,
        "event": [list(event.names), list(event.places), event.when, event.counts],
    }


def _topics(row: dict[str, Any], terms: bytes, counts: bytes, entities: bytes) -> TopicTerms:
    names, places, when, count_rows = row["event"]
    event = EventArguments(
        tuple(names),
        tuple(places),
        None if when is None else (str(when[0]), int(when[1])),
        tuple((str(what), int(value)) for what, value in count_rows),
    )
    return TopicTerms(
        np.frombuffer(terms, dtype=np.uint64),
        np.frombuffer(counts, dtype=np.float32),
        np.frombuffer(entities, dtype=np.uint64),
        row["lead"],
        event,
    )


def _as_moments(
    stories: list[tuple[int, str | None, str]],
) -> list[tuple[int, str | None, str]]:
    """Stories with their latest publication as a moment in UTC (``group.duplicates.instant``),
    so that SQLite's order of the strings is that of the moments, whatever their offsets."""
    return [(story, instant(last) or last, value) for story, last, value in stories]


def signed(keys: NDArray[Any]) -> NDArray[np.int64]:
    """Unsigned 64-bit keys as the signed numbers SQLite's INTEGER holds (same bits)."""
    return np.ascontiguousarray(keys).view(np.int64)


def _chunks(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _marks(count: int) -> str:
    return ",".join("?" * count)


class SqliteStore:
    """An index in one SQLite file, WAL mode: readers see the last commit while one writer
    works; ``synchronous=FULL``: a commit returned is on disk (an acknowledged add survives a
    power cut, not only a killed process)."""

    def __init__(self, path: Path, create: bool = False) -> None:
        self.path = path
        try:
            self._db = sqlite3.connect(path, isolation_level=None, timeout=60.0)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            # a takedown's text is overwritten in the file, not only unlinked from the tree
            self._db.execute("PRAGMA secure_delete=ON")
            if create:
                self._db.executescript(_SCHEMA)
            else:
                self._db.execute("SELECT value FROM meta LIMIT 1")
        except sqlite3.DatabaseError as error:
            raise InputError(f"{path}: not a wiretrace index ({error})") from None
        self._depth = 0

    # -- transactions ------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction (``BEGIN IMMEDIATE``: the write lock is taken at once);
        nested calls join the outer one."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            raise _write_error(self.path, error) from None
        self._depth = 1
        try:
            yield
            self._db.execute("COMMIT")
        except BaseException as error:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            if isinstance(error, sqlite3.OperationalError):
                raise _write_error(self.path, error) from None
            raise
        finally:
            self._depth = 0

    # -- meta ---------------------------------------------------------------------------

    def meta(self) -> dict[str, str]:
        return dict(self._db.execute("SELECT key, value FROM meta").fetchall())

    def set_meta(self, values: dict[str, str]) -> None:
        self._db.executemany(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", values.items()
        )

    # -- documents ----------------------------------------------------------------------

    def count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM documents").fetchone()[0])

    def numbers(self, after: int = -1) -> NDArray[np.int64]:
        """The documents' numbers (those above ``after``), in order."""
        query = "SELECT number FROM documents WHERE number > ? ORDER BY number"
        found = self._db.execute(query, (after,)).fetchall()
        return np.array([row[0] for row in found], dtype=np.int64)

    def next_number(self) -> int:
        found = self._db.execute("SELECT value FROM meta WHERE key = 'next_number'").fetchone()
        return int(found[0]) if found else 0

    def numbers_of(self, ids: Sequence[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for chunk in _chunks(list(ids)):
            query = f"SELECT id, number FROM documents WHERE id IN ({_marks(len(chunk))})"
            found.update(self._db.execute(query, list(chunk)).fetchall())
        return found

    def sources_of(self, ids: Sequence[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for chunk in _chunks(list(ids)):
            query = f"SELECT id, source FROM documents WHERE id IN ({_marks(len(chunk))})"
            found.update(self._db.execute(query, list(chunk)).fetchall())
        return found

    def documents(self, numbers: Sequence[int], text: bool = True) -> list[StoredDocument]:
        """The documents ``numbers``, in that order (a number not indexed is left out)."""
        found: dict[int, StoredDocument] = {}
        column = "d.text" if text else "NULL"
        for chunk in _chunks(list(numbers)):
            query = (
                f"SELECT d.number, d.id, d.source, d.added, d.row, {column}, s.signature, "
                "s.fingerprints, s.line_keys, s.terms, s.counts, s.entities, s.sentences, "
                "s.sentence_vectors, s.vector, s.lead FROM documents d JOIN sketches s "
                f"ON s.number = d.number WHERE d.number IN ({_marks(len(chunk))})"
            )
            for row in self._db.execute(query, list(chunk)):
                document = _document(row)
                found[document.number] = document
        return [found[number] for number in numbers if number in found]

    def text(self, number: int) -> str:
        """Document ``number``'s text alone (a story's stock phrases read a few thousand,
        one at a time: the whole document cost ~15 times as much)."""
        row = self._db.execute("SELECT text FROM documents WHERE number = ?", (number,)).fetchone()
        if row is None:
            raise KeyError(number)
        return _text(row[0])

    def signatures(self, numbers: Sequence[int]) -> dict[int, tuple[NDArray[np.uint32], int]]:
        """The MinHash signatures and shingle counts of the documents ``numbers``, by number
        (what a pair's estimate needs, without the rest of the sketch)."""
        found: dict[int, tuple[NDArray[np.uint32], int]] = {}
        for chunk in _chunks(list(numbers)):
            query = (
                "SELECT s.number, s.signature, json_extract(d.row, '$.shingles') FROM sketches s "
                f"JOIN documents d ON d.number = s.number WHERE s.number IN ({_marks(len(chunk))})"
            )
            for number, signature, shingles in self._db.execute(query, list(chunk)):
                found[number] = (np.frombuffer(signature, dtype=np.uint32), int(shingles))
        return found

    def vectors(self, numbers: Sequence[int]) -> dict[int, NDArray[np.float32] | None]:
        """The document vectors of ``numbers``, by number (what queries hold in memory)."""
        found: dict[int, NDArray[np.float32] | None] = {}
        for chunk in _chunks(list(numbers)):
            query = f"SELECT number, vector FROM sketches WHERE number IN ({_marks(len(chunk))})"
            for number, vector in self._db.execute(query, list(chunk)):
                found[number] = _array(vector, np.float32)
        return found

    def put_documents(self, documents: Sequence[StoredDocument]) -> None:
        """Insert or replace ``documents`` with their postings (a document sketched again
        replaces its old rows)."""
        numbers = [document.number for document in documents]
        self._remove_postings(numbers)
        self._db.executemany(
            "INSERT OR REPLACE INTO documents (number, id, source, added, row, text) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (_document_row(document) for document in documents),
        )
        self._db.executemany(
            "INSERT OR REPLACE INTO sketches VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (_sketch_row(document) for document in documents),
        )
        if numbers:
            top = max(max(numbers) + 1, self.next_number())
            self.set_meta({"next_number": str(top)})

    def remove_documents(self, numbers: Sequence[int]) -> None:
        self._remove_postings(numbers)
        for chunk in _chunks(list(numbers)):
            marks = _marks(len(chunk))
            for table in ("documents", "sketches", *_LABEL_TABLES):
                self._db.execute(f"DELETE FROM {table} WHERE number IN ({marks})", list(chunk))
        for table in (*_PAIR_TABLES, "found"):
            self.remove_pairs(table, numbers)

    def scrub(self) -> None:
        """Write every commit into the file and empty the write-ahead log: a removed text is
        overwritten in the file (``secure_delete``), but the log keeps the frames of the add
        that wrote it until a checkpoint, which SQLite runs when the last connection closes
        (a takedown served by a running service stayed readable in ``index.sqlite-wal``).
        Readers in the middle of a query hold their frames: tried again briefly, then left to
        the next checkpoint."""
        for _ in range(_SCRUB_TRIES):
            busy, _, _ = self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            if not busy:
                return
            time.sleep(_SCRUB_WAIT)

    def _remove_postings(self, numbers: Sequence[int]) -> None:
        for chunk in _chunks(list(numbers)):
            for table in (*POSTINGS, "lines"):
                self._db.execute(
                    f"DELETE FROM {table} WHERE number IN ({_marks(len(chunk))})", list(chunk)
                )

    def fingerprints(self) -> dict[int, NDArray[np.uint64]]:
        """Every document's passage fingerprints, by number."""
        rows = self._db.execute("SELECT number, fingerprints FROM sketches")
        return {number: np.frombuffer(blob, dtype=np.uint64) for number, blob in rows}

    # -- postings -----------------------------------------------------------------------

    def postings(
        self, table: str, keys: NDArray[np.int64], first: int = 0
    ) -> tuple[NDArray[np.int64], ...]:
        """The rows of ``table`` whose key is one of ``keys``: (keys, numbers[, contexts]),
        by key and then number; with ``first``, only the rows of the ``first`` lowest
        numbers of each key (not for ``lines``)."""
        if table == "lines":
            rows: list[tuple[int, ...]] = []
            for chunk in _chunks(np.unique(keys).tolist()):
                query = (
                    f"SELECT key, number, context FROM lines WHERE key IN ({_marks(len(chunk))})"
                )
                rows.extend(self._db.execute(query, list(chunk)).fetchall())
            found = np.array(rows, dtype=np.int64).reshape(-1, 3)
            order = np.lexsort((found[:, 2], found[:, 1], found[:, 0]))
            return tuple(found[order, column] for column in range(3))
        # a key's documents as one string: a Python tuple a row cost a query against 30,000
        # documents (~3,700 postings rows for one article) three times the reading
        counted: list[int] = []
        held: list[str] = []
        for chunk in _chunks(np.unique(keys).tolist()):
            if not first:
                query = (
                    f"SELECT key, count(*), group_concat(number) FROM {table} "
                    f"WHERE key IN ({_marks(len(chunk))}) GROUP BY key"
                )
            else:
                # each key's first rows in the (key, number) index, where the search stops:
                # what is read no longer grows with the documents that hold a common key
                query = (
                    f"WITH asked(key) AS (VALUES {','.join(['(?)'] * len(chunk))}) "
                    "SELECT key, count(*), group_concat(number) FROM (SELECT asked.key AS key, "
                    f"number FROM asked JOIN {table} ON {table}.key = asked.key "
                    f"AND {table}.number <= coalesce((SELECT number FROM {table} AS last "
                    f"WHERE last.key = asked.key ORDER BY number LIMIT 1 OFFSET {int(first) - 1}), "
                    f"{2**63 - 1})) GROUP BY key"
                )
            for key, count, numbers in self._db.execute(query, list(chunk)):
                counted.extend((key, count))
                held.append(numbers)
        pairs = np.array(counted, dtype=np.int64).reshape(-1, 2)
        found_keys = np.repeat(pairs[:, 0], pairs[:, 1])
        numbers = np.fromstring(",".join(held), dtype=np.int64, sep=",")  # parsed in C
        order = np.lexsort((numbers, found_keys))
        return found_keys[order], numbers[order]

    def put_postings(self, table: str, rows: NDArray[np.int64]) -> None:
        marks = _marks(rows.shape[1])
        self._db.executemany(f"INSERT INTO {table} VALUES ({marks})", rows.tolist())

    def line_keys(self, numbers: Sequence[int]) -> list[NDArray[np.int64]]:
        """The lines' keys of the documents ``numbers``, in order (each in that order)."""
        found: dict[int, NDArray[np.int64]] = {}
        for chunk in _chunks(list(numbers)):
            query = f"SELECT number, line_keys FROM sketches WHERE number IN ({_marks(len(chunk))})"
            for number, blob in self._db.execute(query, list(chunk)):
                found[number] = np.frombuffer(blob, dtype=np.int64)
        return [found[number] for number in numbers]

    def recurring(self, keys: NDArray[np.int64]) -> NDArray[np.int64]:
        """Which of ``keys`` were recurring lines when last decided."""
        found: list[int] = []
        for chunk in _chunks(np.unique(keys).tolist()):
            query = f"SELECT key FROM recurring WHERE key IN ({_marks(len(chunk))})"
            found.extend(row[0] for row in self._db.execute(query, list(chunk)))
        return np.array(sorted(found), dtype=np.int64)

    def set_recurring(self, added: NDArray[np.int64], removed: NDArray[np.int64]) -> None:
        self._db.executemany(
            "INSERT OR IGNORE INTO recurring VALUES (?)", [(key,) for key in added.tolist()]
        )
        self._db.executemany(
            "DELETE FROM recurring WHERE key = ?", [(key,) for key in removed.tolist()]
        )

    # -- pairs: LSH candidates (their components group passage postings), matches --------

    def pairs(self, table: str, after: int = -1) -> NDArray[np.int64]:
        """The pairs of ``table`` (those with a document above ``after``)."""
        if after < 0:
            found = self._db.execute(f"SELECT a, b FROM {table}").fetchall()
        else:
            query = (
                f"SELECT a, b FROM {table} WHERE a > ? UNION SELECT a, b FROM {table} WHERE b > ?"
            )
            found = self._db.execute(query, (after, after)).fetchall()
        return np.array(found, dtype=np.int64).reshape(-1, 2)

    def put_pairs(self, table: str, rows: list[tuple[int, int, str]]) -> None:
        self._db.executemany(f"INSERT OR REPLACE INTO {table} VALUES (?, ?, ?)", rows)

    def remove_pairs(self, table: str, numbers: Sequence[int]) -> None:
        for chunk in _chunks(list(numbers)):
            marks = _marks(len(chunk))
            self._db.execute(
                f"DELETE FROM {table} WHERE a IN ({marks}) OR b IN ({marks})", [*chunk, *chunk]
            )

    def compared(self) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """Every pair compared (smaller number first) and why it was a candidate."""
        found = self._db.execute("SELECT a, b, reasons FROM compared").fetchall()
        rows = np.array(found, dtype=np.int64).reshape(-1, 3)
        return rows[:, :2], rows[:, 2]

    def put_compared(self, rows: list[tuple[int, int, int, str | None]]) -> None:
        self._db.executemany("INSERT OR REPLACE INTO compared VALUES (?, ?, ?, ?)", rows)

    def set_reasons(self, pairs: NDArray[np.int64], reasons: NDArray[np.int64]) -> None:
        """New reasons for pairs compared before; a pair with none left is forgotten."""
        rows = [(int(r), int(a), int(b)) for (a, b), r in zip(pairs, reasons, strict=True)]
        self._db.executemany(
            "UPDATE compared SET reasons = ? WHERE a = ? AND b = ?", [r for r in rows if r[0]]
        )
        self._db.executemany(
            "DELETE FROM compared WHERE a = ? AND b = ?", [r[1:] for r in rows if not r[0]]
        )

    def matches(self) -> list[str]:
        """Every match found (JSON), of the pairs compared."""
        query = "SELECT value FROM compared WHERE value IS NOT NULL"
        return [row[0] for row in self._db.execute(query)]

    def match_count(self) -> int:
        # the matches as read and exported (``found``): a pair compared as ``same_story``
        # is one only where the stories hold both
        return int(self._db.execute("SELECT COUNT(*) FROM found").fetchone()[0])

    # -- story and group ids --------------------------------------------------------------

    def labels(self, table: str) -> dict[int, int]:
        return dict(self._db.execute(f"SELECT number, label FROM {table}").fetchall())

    def set_labels(self, table: str, labels: dict[int, int]) -> None:
        self._db.execute(f"DELETE FROM {table}")
        self._db.executemany(f"INSERT INTO {table} VALUES (?, ?)", labels.items())

    def add_labels(self, table: str, labels: dict[int, int]) -> None:
        """Ids for documents that had none (a provisional add's), the others left as they are."""
        self._db.executemany(f"INSERT OR REPLACE INTO {table} VALUES (?, ?)", labels.items())

    def labelled(self, table: str, label: int) -> list[int]:
        """The documents (numbers) that hold story or group id ``label``."""
        query = f"SELECT number FROM {table} WHERE label = ? ORDER BY number"
        return [int(row[0]) for row in self._db.execute(query, (label,))]

    def members_published(
        self, table: str, labels: Sequence[int]
    ) -> list[tuple[int, str, str | None, int, int]]:
        """The members of stories or groups ``labels``: each one's label, id, publication
        date, clean and whole length (what names a group's representative), without reading
        their sketches."""
        found: list[tuple[int, str, str | None, int, int]] = []
        for chunk in _chunks(list(labels)):
            query = (
                "SELECT t.label, d.id, json_extract(d.row, '$.published'), "
                "json_extract(d.row, '$.clean_chars'), json_extract(d.row, '$.chars') "
                f"FROM {table} t JOIN documents d ON d.number = t.number "
                f"WHERE t.label IN ({_marks(len(chunk))}) ORDER BY t.label, d.number"
            )
            found.extend(
                (int(label), doc_id, published, int(clean or 0), int(chars or 0))
                for label, doc_id, published, clean, chars in self._db.execute(query, list(chunk))
            )
        return found

    def put_merges(self, rows: list[tuple[int, int, str]]) -> None:
        self._db.executemany("INSERT INTO merges VALUES (?, ?, ?)", rows)

    def merges(self) -> list[tuple[int, int, str]]:
        return list(self._db.execute("SELECT story, into_story, at FROM merges ORDER BY rowid"))

    # -- what the last add derived: matches with their sources, stories ------------------

    def put_found(
        self, matches: list[tuple[int, int, str]], stories: list[tuple[int, str | None, str]]
    ) -> None:
        """Replace the matches and stories as the whole index's derivation gives them (the
        matches that changed are written, not all)."""
        before = {
            (a, b): value for a, b, value in self._db.execute("SELECT a, b, value FROM found")
        }
        after = {(a, b): value for a, b, value in matches}
        self._db.executemany(
            "DELETE FROM found WHERE a = ? AND b = ?", [key for key in before if key not in after]
        )
        self._db.executemany(
            "INSERT OR REPLACE INTO found VALUES (?, ?, ?)",
            [(*key, value) for key, value in after.items() if before.get(key) != value],
        )
        self._db.execute("DELETE FROM story_records")
        self._db.executemany("INSERT INTO story_records VALUES (?, ?, ?)", _as_moments(stories))

    def add_found(
        self, matches: list[tuple[int, int, str]], stories: list[tuple[int, str | None, str]]
    ) -> None:
        """Matches and stories of a provisional add, written beside what the last whole pass
        derived (a story written again replaces its record)."""
        self._db.executemany("INSERT OR REPLACE INTO found VALUES (?, ?, ?)", matches)
        self._db.executemany(
            "INSERT OR REPLACE INTO story_records VALUES (?, ?, ?)", _as_moments(stories)
        )

    def found(self, number: int) -> list[str]:
        query = "SELECT value FROM found WHERE a = ? OR b = ? ORDER BY a, b"
        return [row[0] for row in self._db.execute(query, (number, number))]

    def compared_of(self, numbers: Sequence[int]) -> list[str]:
        """The matches of ``numbers``' pairs as they were compared (before the whole
        corpus's derivation: what a whole pass derives from), by pair."""
        values: dict[tuple[int, int], str] = {}
        for chunk in _chunks(sorted(set(numbers))):
            marks = _marks(len(chunk))
            query = (
                f"SELECT a, b, value FROM compared WHERE value IS NOT NULL AND (a IN ({marks}) "
                f"OR b IN ({marks}))"
            )
            for a, b, value in self._db.execute(query, [*chunk, *chunk]):
                values[(a, b)] = value
        return [values[key] for key in sorted(values)]

    def story_record(self, story: int) -> str | None:
        query = "SELECT value FROM story_records WHERE story = ?"
        row = self._db.execute(query, (story,)).fetchone()
        return None if row is None else str(row[0])

    def story_records(self, since: str | None, limit: int) -> list[str]:
        """Stories whose latest member was published on or after ``since`` (all: None), the
        latest first."""
        where = "" if since is None else "WHERE last >= ?"
        query = f"SELECT value FROM story_records {where} ORDER BY last DESC, story LIMIT ?"
        values: list[Any] = [] if since is None else [instant(since) or since]
        return [row[0] for row in self._db.execute(query, [*values, limit])]

    def label_of(self, table: str, number: int) -> int | None:
        row = self._db.execute(f"SELECT label FROM {table} WHERE number = ?", (number,)).fetchone()
        return None if row is None else int(row[0])

    # -- records that could not be indexed ----------------------------------------------

    def skips(self) -> list[StoredSkip]:
        rows = self._db.execute("SELECT value FROM skipped ORDER BY rowid").fetchall()
        return [StoredSkip(**json.loads(row[0])) for row in rows]

    def remove_skips(self, ids: Sequence[str]) -> None:
        """Forget the records skipped under ``ids`` (a takedown: a re-sent copy skipped as a
        repeated id kept the document's title, outlet and date)."""
        for chunk in _chunks(list(ids)):
            self._db.execute(
                f"DELETE FROM skipped WHERE json_extract(value, '$.id') IN ({_marks(len(chunk))})",
                list(chunk),
            )

    def put_skips(self, skips: Sequence[StoredSkip]) -> None:
        """The records skipped, a row said again not stored again: a file added again by
        its path is skipped again whole, as the same rows, which say nothing new (a new
        user's index held a record's ``duplicate_id`` row once for each time its file was
        sent). A record sent again from another file or request is another row (its
        source differs)."""
        rows = [json.dumps(_skip_row(skip)) for skip in skips]
        if not rows:
            return
        held = {row[0] for row in self._db.execute("SELECT value FROM skipped")}
        self._db.executemany(
            "INSERT INTO skipped VALUES (?)",
            [(row,) for row in dict.fromkeys(rows) if row not in held],
        )

    # -- size ---------------------------------------------------------------------------

    def sizes(self) -> dict[str, int]:
        """Bytes each table and its indexes take (SQLite's dbstat), by table."""
        try:
            rows = self._db.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name").fetchall()
        except sqlite3.OperationalError:  # a SQLite built without dbstat
            return {}
        return {name: int(size) for name, size in rows}

    def column_bytes(self, table: str, columns: Sequence[str]) -> dict[str, int]:
        """The bytes of each of ``columns`` of ``table``, summed (the blobs' own sizes)."""
        sums = ", ".join(f"COALESCE(SUM(LENGTH({column})), 0)" for column in columns)
        found = self._db.execute(f"SELECT {sums} FROM {table}").fetchone()
        return dict(zip(columns, (int(value) for value in found), strict=True))

    def close(self) -> None:
        self._db.close()


def _skip_row(skip: StoredSkip) -> dict[str, Any]:
    return {
        "source": skip.source,
        "reason": skip.reason,
        "detail": skip.detail,
        "id": skip.id,
        "outlet": skip.outlet,
        "url": skip.url,
        "title": skip.title,
        "published": skip.published,
        "chars": skip.chars,
    }


def _document_row(document: StoredDocument) -> tuple[Any, ...]:
    row = {
        "outlet": document.outlet,
        "url": document.url,
        "title": document.title,
        "published": document.published,
        "chars": document.chars,
        "clean_chars": document.clean_chars,
        "credits": list(document.credits),
        "dateline": document.dateline,
        "language": document.language,
        "rule_spans": [[s.start, s.end, s.kind] for s in document.rule_spans],
        "spans": [[s.start, s.end, s.kind] for s in document.spans],
        "shingles": document.sketch.shingles,
        "text_hash": str(document.sketch.text_hash),
        "topics": _topics_row(document.sketch.topics),
    }
    text = zlib.compress(document.text.encode("utf-8", "surrogatepass"), 6)
    return (
        document.number,
        document.id,
        document.source,
        document.added,
        json.dumps(row),
        text,
    )


def _sketch_row(document: StoredDocument) -> tuple[Any, ...]:
    sketch = document.sketch
    return (
        document.number,
        _blob(sketch.signature),
        _blob(sketch.fingerprints),
        _blob(sketch.line_keys),
        _blob(sketch.topics.terms),
        _blob(sketch.topics.counts),
        _blob(sketch.topics.entities),
        _blob(sketch.sentences),
        _blob(sketch.sentence_vectors),
        _blob(sketch.vector),
        _blob(sketch.lead),
    )


def _document(row: tuple[Any, ...]) -> StoredDocument:
    (number, doc_id, source, added, facts, text, signature, fingerprints, line_keys) = row[:9]
    terms, counts, entities, sentences, sentence_vectors, vector, lead = row[9:]
    found = json.loads(facts)
    vectors = _array(sentence_vectors, np.float16)
    dimensions = 0 if vector is None else len(vector) // 4
    sketch = DocumentSketch(
        signature=np.frombuffer(signature, dtype=np.uint32),
        shingles=int(found["shingles"]),
        fingerprints=np.frombuffer(fingerprints, dtype=np.uint64),
        text_hash=int(found["text_hash"]),
        line_keys=np.frombuffer(line_keys, dtype=np.int64),
        topics=_topics(found["topics"], terms, counts, entities),
        sentences=_array(sentences, np.int32, 2),
        sentence_vectors=None if vectors is None else vectors.reshape(-1, max(dimensions, 1)),
        vector=_array(vector, np.float32),
        lead=_array(lead, np.float32),
    )
    return StoredDocument(
        number=number,
        id=doc_id,
        source=source,
        outlet=found["outlet"],
        url=found["url"],
        title=found["title"],
        published=found["published"],
        chars=found["chars"],
        clean_chars=found["clean_chars"],
        credits=tuple(found["credits"]),
        dateline=found["dateline"],
        language=found["language"],
        rule_spans=_spans(found["rule_spans"]),
        spans=_spans(found["spans"]),
        text=_text(text),
        sketch=sketch,
        added=added,
    )


def _text(stored: bytes | None) -> str:
    return "" if stored is None else zlib.decompress(stored).decode("utf-8", "surrogatepass")


def _write_error(path: Path, error: sqlite3.OperationalError) -> InputError:
    """A write that SQLite refused, as what to do about it."""
    message = str(error)
    if "full" in message:
        return InputError(f"{path}: the disk is full; free some space and run the add again")
    if "readonly" in message or "read-only" in message:
        return InputError(f"{path}: the index is read-only here; add with write permission")
    if "locked" in message or "busy" in message:
        return InputError(f"{path}: another process holds the index's write lock; try again")
    return InputError(f"{path}: the index could not be written ({message})")
