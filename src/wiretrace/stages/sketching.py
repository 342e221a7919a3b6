"""Read, clean and sketch: documents in, signatures and the per-document facts out (texts to
the spill), then a second sketch of the documents holding lines that recur across the corpus."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TypeGuard, TypeVar

import numpy as np
from numpy.typing import NDArray

from wiretrace.backend import Backend, Runner
from wiretrace.clean.boilerplate import LineCounter, RecurringKeys, merge
from wiretrace.config import FieldNames, ScanConfig
from wiretrace.errors import InputError
from wiretrace.processes import input_bytes
from wiretrace.read import CRAWL_DATE, FILE_REASONS, InputFile, read_documents
from wiretrace.read.fields import INVALID_FIELDS, InvalidField
from wiretrace.read.files import source_file
from wiretrace.read.sources import ReadFailure, plan_file_tasks, read_files
from wiretrace.records import Document, Skipped, Span
from wiretrace.semantic.store import SemanticStore
from wiretrace.sketch.batch import BatchItem, BatchSketch, SketchParams, sketch_batch
from wiretrace.sketch.topics import TopicTerms
from wiretrace.stages.state import Advance, DocumentRows, Reporter

_PROGRESS_EVERY = 256
# A sketch batch is held whole while it is sketched: its texts, their clean code points and the
# sketching's work arrays come to ~20 bytes a character (tracemalloc, 4 MB records), and more
# with the semantic stage's sentence vectors. So a batch also closes at this many characters,
# not only at ``batch_size`` records (a batch of news articles stays under it): thirty 15 MB
# records made one batch of 450 MB, sketched in ~9 GB (issue 23).
_BATCH_CHARS = 16 * 2**20
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class _Queued:
    """A document read and spilled (its spill index is its place in the queue)."""

    row: int  # in DocumentRows
    id: str
    source: str
    year: int | None  # completes a date written in the text without a year
    fallback_published: str | None  # the crawl date, used when neither record nor text dates it


@dataclass(slots=True)
class _Sketches:
    """Per queued document, in queue order: its signature, word count, clean length, passage
    fingerprints and the words and entities that story clustering weighs."""

    signatures: list[NDArray[np.uint32]] = field(default_factory=list)
    words: list[int] = field(default_factory=list)
    clean_chars: list[int] = field(default_factory=list)
    fingerprints: list[NDArray[np.uint64]] = field(default_factory=list)
    text_hashes: list[int] = field(default_factory=list)
    topics: list[TopicTerms] = field(default_factory=list)

    def put(self, number: int, result: BatchSketch, index: int) -> None:
        _place(self.signatures, number, result.signatures[index])
        _place(self.words, number, int(result.word_counts[index]))
        _place(self.clean_chars, number, int(result.clean_chars[index]))
        _place(self.fingerprints, number, result.fingerprints_of(index))
        _place(self.text_hashes, number, int(result.text_hashes[index]))
        _place(self.topics, number, result.topics[index])


def _place(values: list[T], number: int, value: T) -> None:
    """``value`` as item ``number``: a new last item, or a document sketched again."""
    if number == len(values):
        values.append(value)
    else:
        values[number] = value


@dataclass(slots=True)
class Sketched:
    """Signatures of the documents that can be matched, and how to find their texts again."""

    rows: list[int] = field(default_factory=list)  # row in DocumentRows
    ids: list[str] = field(default_factory=list)
    spilled: list[int] = field(default_factory=list)  # index in the text spill
    signatures: list[NDArray[np.uint32]] = field(default_factory=list)
    shingles: list[int] = field(default_factory=list)
    fingerprints: list[NDArray[np.uint64]] = field(default_factory=list)
    text_hashes: list[int] = field(default_factory=list)
    topics: list[TopicTerms] = field(default_factory=list)


DUPLICATE_ID = "duplicate_id"  # the skip reason of a record whose id was read before


def _skip(
    skipped: Skipped,
    rows: DocumentRows,
    log: list[Skipped],
    reporter: Reporter,
    document: Document | None = None,
) -> None:
    log.append(skipped)
    if skipped.reason not in FILE_REASONS:  # a file, not a record: listed in the summary only
        rows.add_skipped(skipped, document)
    reporter.warn(skip_warning(skipped))


def skip_warning(skipped: Skipped) -> str:
    """The warning a record or file skipped is reported with."""
    return f"skipped {skipped.source}: {skipped.reason.replace('_', ' ')}: {skipped.detail}"


def _covered(spans: Iterable[Span]) -> int:
    return sum(span.end - span.start for span in spans)


def _year(published: str | None) -> int | None:
    # isdecimal, not isdigit: "²" is a digit that int() refuses
    return int(published[:4]) if published and published[:4].isdecimal() else None


def document_year(document: Document) -> int | None:
    """The year that completes a date written in the text without one: the record's, else
    the crawl's."""
    return _year(document.published) or _year(document.metadata.get(CRAWL_DATE))


def sketchable(item: Document | Skipped) -> TypeGuard[Document]:
    """A document with text: sketched (a read task cannot know yet whether its id is taken)."""
    return isinstance(item, Document) and bool(item.text.strip())


def read_and_sketch(
    files: list[InputFile], fields: FieldNames, limit: int, params: SketchParams, per_result: int
) -> Iterator[ReadFailure | tuple[list[Document | Skipped], BatchSketch | None]]:
    """A read task where the workers are elsewhere: the records of ``files`` and the sketches
    of those with text (a document dropped later as a duplicate id is left out of them), in
    results of ``per_result`` sketched records at most: a result is held whole where the
    workers are, so its size is bounded, not the files'. An InputError ends the task with
    a ReadFailure."""
    records: list[Document | Skipped] = []
    items: list[BatchItem] = []
    chars = 0
    try:
        for record in read_files(files, fields, limit):
            records.append(record)
            if sketchable(record):
                items.append(BatchItem(record.text, year=document_year(record)))
                chars += len(record.text)
                if len(items) == per_result or chars >= _BATCH_CHARS:
                    yield records, sketch_batch(items, params)
                    records, items, chars = [], [], 0
    except InputError as error:
        yield ReadFailure(str(error))
        return
    if records:
        yield records, sketch_batch(items, params) if items else None


class Sketcher:
    """Reads, spills and sketches documents, then sketches again those that hold lines found
    to recur across the corpus (known only once everything is read)."""

    def __init__(
        self,
        config: ScanConfig,
        reporter: Reporter,
        backend: Backend,
        rows: DocumentRows,
        log: list[Skipped],
        semantic: SemanticStore | None = None,
        static_model: str | None = None,
        recurring: RecurringKeys | None = None,
    ) -> None:
        self.config = config
        self.reporter = reporter
        self.spill = backend.spill
        self.backend = backend
        self.map = backend.map  # pages are extracted where the backend runs stages
        self.held_map = backend.held_map()  # ... or whole files read and sketched there
        self.parallelism = backend.parallelism
        # the group-by of lines by key (an index's also counts the lines it holds)
        self.group_lines = recurring or backend.recurring_keys
        self.rows = rows
        self.log = log
        self.semantic = semantic
        self.queued: list[_Queued] = []
        self.invalid: list[tuple[Document, InvalidField]] = []
        self.sketches = _Sketches()
        self.lines = LineCounter() if config.recurring_min_documents else None
        self.params = SketchParams.of(config, semantic is not None, static_model)
        self._indexed: Callable[[str, str], bool] | None = None  # ``read``'s
        # one pool for both passes: starting workers costs ~1-2 s
        self.runner: Runner[Sequence[int], list[BatchItem]] = backend.runner(
            partial(sketch_batch, params=self.params), self._deliver
        )

    def _deliver(self, numbers: Sequence[int], result: BatchSketch) -> None:
        if self.lines is not None and result.line_counts.size:
            self.lines.add_many(result.line_keys, result.line_counts)
        if self.semantic is not None and result.semantic is not None:
            self.semantic.put_batch(numbers, result.semantic)
        rows = self.rows
        for index, number in enumerate(numbers):
            document = self.queued[number]
            facts = result.text_facts(index)
            spans = result.spans(index) if result.boilerplate[index] else ()
            if facts is None:
                rows.boilerplate[document.row] = spans
            else:
                rows.add_facts(document.row, spans, facts)
                if rows.published[document.row] is None:
                    rows.published[document.row] = document.fallback_published
            self.sketches.put(number, result, index)

    def read(
        self,
        inputs: Iterable[str | Path],
        seen: MutableMapping[str, str] | None = None,
        indexed: Callable[[str, str], bool] | None = None,
    ) -> None:
        """Read every record; clean and sketch them in batches while reading goes on (where
        the workers are elsewhere and there are several files, they read and sketch whole
        files: ``_read_in_tasks``). ``seen``: the ids taken before, and where they were read
        (an index's documents); ``indexed``: whether the index holds a text under an id (a
        feed's item repeated in the next hour's file is the item it indexed, where a scan's
        two files that both number their records from 0 hold two records)."""
        inputs = list(inputs)  # planned, then maybe read
        seen = {} if seen is None else seen
        self._indexed = indexed
        planned = None
        if self.held_map is not None:  # two tasks a worker, each reading and sketching files
            planned = plan_file_tasks(inputs, 2 * self.parallelism)
        with self.reporter.stage("read, clean, sketch", None) as advance:
            try:
                if planned is None:
                    self.backend.expect(input_bytes(inputs))
                    self._read_here(inputs, seen, advance)
                else:
                    self._read_in_tasks(*planned, seen, advance)
                self.runner.drain()
            except BaseException:
                self.runner.close()
                raise

    def _read_here(
        self, inputs: Iterable[str | Path], seen: MutableMapping[str, str], advance: Advance
    ) -> None:
        """Records read in this process, sketched in batches by the backend."""
        config = self.config
        batch: list[BatchItem] = []
        chars = 0

        def flush() -> None:
            nonlocal chars
            first = len(self.queued) - len(batch)
            self.spill.append([item.text for item in batch])
            self.runner.submit(range(first, len(self.queued)), list(batch))
            batch.clear()
            chars = 0

        read = 0
        for item in read_documents(
            inputs, config.fields, config.workers, config.max_record_bytes, self.map
        ):
            read += 1
            if read % _PROGRESS_EVERY == 0:  # drawing per record would cost ~5%
                advance(_PROGRESS_EVERY)
            if self._take(item, seen):
                batch.append(BatchItem(item.text, year=self.queued[-1].year))
                chars += len(item.text)
                if len(batch) >= config.batch_size or chars >= _BATCH_CHARS:
                    flush()
        if batch:
            flush()
        advance(read % _PROGRESS_EVERY)

    def _read_in_tasks(
        self,
        ignored: list[Skipped],
        groups: list[list[InputFile]],
        seen: MutableMapping[str, str],
        advance: Advance,
    ) -> None:
        """Files read and sketched where the workers are, a group of files a task: the
        driver gets each task's records and sketches, a batch at a time, in input order."""
        assert self.held_map is not None
        for item in ignored:
            self._take(item, seen)
        task = partial(
            read_and_sketch,
            fields=self.config.fields,
            limit=self.config.max_record_bytes,
            params=self.params,
            per_result=self.config.batch_size,
        )
        for found in self.held_map(task, groups):
            if isinstance(found, ReadFailure):
                raise InputError(found.message)
            records, sketch = found
            sketched = -1  # the record's place among those the task sketched
            kept: list[int] = []
            texts: list[str] = []
            for item in records:
                sketched += sketchable(item)
                if self._take(item, seen):
                    kept.append(sketched)
                    texts.append(item.text)
            advance(len(records))
            if kept:
                assert sketch is not None
                first = len(self.queued) - len(kept)
                self.spill.append(texts)
                whole = len(kept) == len(sketch.word_counts)  # no duplicate id dropped
                self._deliver(
                    range(first, len(self.queued)), sketch if whole else sketch.select(kept)
                )

    def _take(
        self, item: Document | Skipped, seen: MutableMapping[str, str]
    ) -> TypeGuard[Document]:
        """Queue a record read (True), or log why it is skipped: a duplicate id (``seen``:
        the ids read so far and where), no text."""
        rows = self.rows
        if isinstance(item, Skipped):
            _skip(item, rows, self.log, self.reporter)
            return False
        first_seen = seen.get(item.id)
        if (
            first_seen is not None
            and self._indexed is not None
            and not _same_file(first_seen, item.source)
            and self._indexed(item.id, item.text)
        ):
            detail = f"id {item.id!r} already indexed with this text (read at {first_seen})"
            duplicate = Skipped(item.source, DUPLICATE_ID, detail, item.id)
            _skip(duplicate, rows, self.log, self.reporter, item)
            return False
        if first_seen is not None and not _same_file(first_seen, item.source):
            # an id repeated in another file names another record (jan.jsonl and feb.jsonl
            # both numbering from 0): made unique by its file, never dropped
            unique = _renamed(item, seen)
            self.reporter.warn(
                f"{item.source}: id {item.id!r} already read at {first_seen}; "
                f"this record's id is {unique!r}"
            )
            item = replace(item, id=unique)
            first_seen = seen.get(item.id)
        if first_seen is not None:
            detail = (
                # an index's record added again: "already read at" itself read as a bug
                f"id {item.id!r} was added before from this same record"
                if first_seen == item.source
                else f"id {item.id!r} already read at {first_seen}"
            )
            duplicate = Skipped(item.source, DUPLICATE_ID, detail, item.id)
            _skip(duplicate, rows, self.log, self.reporter, item)
            return False
        seen[item.id] = item.source
        for invalid in item.metadata.get(INVALID_FIELDS, ()):
            self.invalid.append((item, invalid))
            self.reporter.warn(
                f"{item.source}: {invalid.field} {invalid.value!r} not used: {invalid.detail}"
            )
        if not sketchable(item):
            empty = Skipped(item.source, "empty_text", "no text", item.id)
            _skip(empty, rows, self.log, self.reporter, item)
            return False
        crawl_date = item.metadata.get(CRAWL_DATE)
        year = document_year(item)
        self.queued.append(_Queued(rows.add(item), item.id, item.source, year, crawl_date))
        return True

    def sketch_recurring(self) -> int:
        """Find the lines that recur across the corpus and sketch the documents holding any
        again without them; returns the number of distinct recurring lines."""
        if self.lines is None:
            self.runner.close()
            return 0
        config = self.config
        found = self.lines.find(
            config.recurring_min_documents, config.recurring_min_context_share, self.group_lines
        )
        affected = self.lines.documents_with_recurring()
        runner = self.runner
        if not affected:
            runner.close()
            return found
        with self.reporter.stage("recurring lines", len(affected)) as advance:
            try:
                numbers: list[int] = []
                items: list[BatchItem] = []
                chars = 0
                for number in affected:
                    text = self.spill.get(number)
                    row = self.queued[number].row
                    known = self.rows.boilerplate[row]
                    spans = merge([*known, *self.lines.spans(number, text)])
                    advance(1)
                    if _covered(spans) == _covered(known):
                        continue  # the rules had already taken these lines out
                    self.rows.boilerplate[row] = spans
                    numbers.append(number)
                    first = self.rows.language[row], self.rows.credits[row]
                    items.append(BatchItem(text, spans, None, False, *first))
                    chars += len(text)
                    if len(items) >= config.batch_size or chars >= _BATCH_CHARS:
                        runner.submit(numbers, items)
                        numbers, items, chars = [], [], 0
                if items:
                    runner.submit(numbers, items)
                runner.drain()
            finally:
                runner.close()
        return found

    def sketched(self) -> Sketched:
        """The documents that have words outside their boilerplate; the others are skipped."""
        sketched = Sketched()
        for number, document in enumerate(self.queued):
            words = self.sketches.words[number]
            if words == 0:
                spans = self.rows.boilerplate[document.row]
                detail = "no letters or digits" + (" outside boilerplate" if spans else "")
                reason = Skipped(document.source, "no_words", detail, document.id)
                self.log.append(reason)
                self.rows.mark_skipped(document.row, reason.reason)
                self.reporter.warn(f"skipped {document.source}: no words: {reason.detail}")
                continue
            self.rows.clean_chars[document.row] = self.sketches.clean_chars[number]
            sketched.rows.append(document.row)
            sketched.ids.append(document.id)
            sketched.spilled.append(number)
            sketched.signatures.append(self.sketches.signatures[number])
            sketched.shingles.append(max(1, words - self.config.shingle_size + 1))
            sketched.fingerprints.append(self.sketches.fingerprints[number])
            sketched.text_hashes.append(self.sketches.text_hashes[number])
            sketched.topics.append(self.sketches.topics[number])
        return sketched


def _renamed(item: Document, seen: Mapping[str, str]) -> str:
    """The id of a record whose id another file gave first: ``id@its file``, as the file was
    named when this record was read before under another spelling of its path (an index's
    file added again by its absolute path was added twice)."""
    file = source_file(item.source)
    resolved = Path(file).resolve()
    for spelling in (file, os.path.relpath(resolved), str(resolved)):
        known = f"{item.id}@{spelling}"
        if known in seen and _same_file(seen[known], item.source):
            return known
    return f"{item.id}@{file}"


def _same_file(first: str, then: str) -> bool:
    """Whether records at ``first`` and ``then`` are of one file, however its path is
    spelled (an index's file added again by its absolute path, from another folder, or
    through a link is the same file: its ids are duplicates, not records of another)."""
    one, other = source_file(first), source_file(then)
    return one == other or Path(one).resolve() == Path(other).resolve()
