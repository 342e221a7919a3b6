"""An index's add: new documents read, cleaned and sketched as a scan does, then compared with
what the index holds through its postings, and the corpus-wide state brought up to date.

The scan's stages run here on the new documents (``Sketcher``) and on the pairs that involve
them (``PairComparer``); what a scan learns from the whole corpus is kept so that it need not
be learnt again:

- recurring lines: every line's key, document and neighbours (``lines``); a line's status
  depends on its own occurrences and the documents holding them alone, so the lines an add
  touches are decided again, and the indexed documents holding a line whose status changed
  are cleaned and sketched again, and compared again (exact);
- copy candidates: LSH band postings, with the scan's estimate floors (a bucket larger than
  ``max_bucket_size`` links a new document to its first member only, as the scan does);
- passage candidates: fingerprint postings, grouped by the components of the LSH pairs kept
  (``lsh_pairs``), with the scan's kernel;
- rewrite and story candidates: each document's nearest neighbours by its centred vector
  over the whole index, worked out again at each whole pass;
- duplicate groups, provenance and stories: worked out again over the whole index at each
  whole pass (``wiretrace.index.derive``), their ids kept stable.

Which adds are whole passes, and what the others (provisional adds) do instead:
``wiretrace.index.provisional``.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import ChainMap, deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from wiretrace.backend import LocalBackend
from wiretrace.candidates import kernels as candidate_kernels
from wiretrace.candidates.lsh import band_keys_of
from wiretrace.candidates.neighbours import (
    day_numbers,
    neighbours_wanted,
    wider_pairs,
    within_window,
)
from wiretrace.candidates.passages import passage_pairs_grouped
from wiretrace.clean.boilerplate import (
    RECURRING,
    LineOccurrences,
    document_lines,
    line_spans,
    merge,
    not_shared_body,
    recurring_keys,
)
from wiretrace.compare.pairs import (
    Carried,
    CompareSources,
    PairBatch,
    PairComparer,
    compare_batch,
    release_comparer,
)
from wiretrace.config import ScanConfig
from wiretrace.group.provenance import ProvenanceFacts, attribute
from wiretrace.index.store import DocumentSketch, IndexStore, StoredDocument, StoredSkip, signed
from wiretrace.read.files import source_file
from wiretrace.records import Match, Skipped, Span
from wiretrace.semantic.static import background_mean, check_static_model
from wiretrace.semantic.store import centred
from wiretrace.sketch.batch import BatchItem, SketchParams, sketch_batch
from wiretrace.stages.languages import english
from wiretrace.stages.semantic import relations_not_searched, semantic_store
from wiretrace.stages.sketching import Sketcher
from wiretrace.stages.state import DocumentRows, Reporter

_COMPARE_CHUNK = 2_000  # pairs compared per load of their documents


class _IndexedSources(Mapping[str, str]):
    """The ids the index holds, and the file each was read from (a ``Sketcher``'s ``seen``:
    an id read again from the same file is a duplicate; from another file, another record)."""

    def __init__(self, store: IndexStore) -> None:
        self._store = store

    def __getitem__(self, key: str) -> str:
        found = self._store.sources_of([key])
        if key not in found:
            raise KeyError(key)
        return found[key]

    def __iter__(self) -> Iterator[str]:
        return iter(())  # never listed: looked up one id at a time

    def holds_text(self, doc_id: str, text: str) -> bool:
        """Whether the document indexed under ``doc_id`` is ``text`` (a feed's item sent
        again in a later file, which is no new record)."""
        number = self._store.numbers_of([doc_id]).get(doc_id)
        return number is not None and self._store.text(number) == text

    def __len__(self) -> int:
        return self._store.count()


class _Recurring:
    """The group-by of lines for an add: the new documents' lines with those the index holds
    under the same keys. Notes which keys the index held as recurring before and which
    changed."""

    def __init__(self, store: IndexStore) -> None:
        self._store = store
        self.changed = np.empty(0, dtype=np.int64)  # keys whose status the add changed
        self.holders = np.empty(0, dtype=np.int64)  # indexed documents holding them
        self.now = np.empty(0, dtype=np.int64)  # the touched keys that recur now
        self.touched = np.empty(0, dtype=np.int64)

    def __call__(
        self, lines: LineOccurrences, min_documents: int, min_context_share: float
    ) -> NDArray[np.int64]:
        touched = np.unique(lines.keys)
        keys, numbers, contexts = self._store.postings("lines", touched)
        both = LineOccurrences(
            np.concatenate([lines.keys, keys]),
            # indexed documents as negative numbers: apart from the new ones' queue numbers
            np.concatenate([lines.documents, -1 - numbers]),
            np.concatenate([lines.contexts, contexts]),
        )
        found = recurring_keys(both, min_documents, min_context_share)
        now = indexed_site_lines(self._store, found, keys, numbers, document_lines(lines))
        before = self._store.recurring(touched)
        self.changed = np.setxor1d(now, before)
        self.holders = np.unique(numbers[np.isin(keys, self.changed)])
        self.now, self.touched = now, touched
        return now


def indexed_site_lines(
    store: IndexStore,
    found: NDArray[np.int64],
    keys: NDArray[np.int64],
    numbers: NDArray[np.int64],
    new: tuple[NDArray[np.int64], NDArray[np.int64]] | None = None,
) -> NDArray[np.int64]:
    """Of the keys ``found`` recurring (``recurring_keys``), those that are site text
    (``not_shared_body``) in the documents holding them: the indexed ones by the postings
    (``keys``, ``numbers``), and the ``new`` ones not yet indexed (their lines' keys and
    where each document's start, ``document_lines``)."""
    if found.size == 0:
        return found
    held = store.line_keys(np.unique(numbers[np.isin(keys, found)]).tolist())
    lines, first = new if new is not None else (np.empty(0, np.int64), np.zeros(1, np.int64))
    starts = first[-1] + np.cumsum([0, *(len(document) for document in held)])
    every = np.concatenate([lines, *held]).astype(np.int64)
    return not_shared_body(found, every, np.concatenate([first, starts[1:]]).astype(np.int64))


def line_contexts(keys: NDArray[np.int64]) -> NDArray[np.int64]:
    """Each line's neighbours' keys as one number (0 at the edges), as ``LineCounter``."""
    padded = np.concatenate([[0], keys, [0]]).astype(np.int64)
    with np.errstate(over="ignore"):
        return padded[:-2] * np.int64(-7046029254386353131) + padded[2:]


def _covered(spans: Sequence[Span]) -> int:
    return sum(span.end - span.start for span in spans)


@dataclass(slots=True)
class Update:
    """What an add changed: the documents sketched (new, and indexed ones sketched again),
    the records skipped, the new matches, and what the summary reports."""

    new: list[StoredDocument] = field(default_factory=list)
    resketched: list[StoredDocument] = field(default_factory=list)
    skipped: list[StoredSkip] = field(default_factory=list)
    matches: list[Match] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    invalid: list[tuple[Any, Any]] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)  # the numbers a takedown took out


def now_text() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _stored_skip(skipped: Skipped, rows: DocumentRows, row: int | None) -> StoredSkip:
    if row is None:
        return StoredSkip(skipped.source, skipped.reason, skipped.detail, skipped.id)
    return StoredSkip(
        skipped.source,
        skipped.reason,
        skipped.detail,
        skipped.id,
        rows.outlet[row],
        rows.url[row],
        rows.title[row],
        rows.published[row],
        rows.chars[row],
    )


def read_new(
    store: IndexStore,
    config: ScanConfig,
    inputs: Sequence[str | os.PathLike[str]],
    reporter: Reporter,
    spill_folder: str | Path | None = None,
    names: Mapping[str, str] | None = None,
) -> tuple[Update, _Recurring | None]:
    """Read, clean and sketch the records of ``inputs`` as a scan does, and the indexed
    documents whose recurring lines changed again. ``names``: what the records' ``source``
    calls an input file instead of its path (a service's request, whose file is its own and
    gone once answered), their place in it kept (``POST /documents ...:2``)."""
    update = Update()
    rows, log = DocumentRows(), list[Skipped]()
    recurring = _Recurring(store) if config.recurring_min_documents else None
    semantic = "paraphrase" not in relations_not_searched(config)
    with LocalBackend(config.workers, spill_folder) as backend:
        sem_store, static_model = None, None
        if semantic:
            sem_store, static_model = semantic_store(config, backend.spill.folder, reporter)
        try:
            sketcher = Sketcher(
                config, reporter, backend, rows, log, sem_store, static_model, recurring
            )
            indexed = _IndexedSources(store)
            seen: ChainMap[str, str] = ChainMap({}, indexed)  # type: ignore[arg-type]
            sketcher.read([str(path) for path in inputs], seen, indexed.holds_text)
            rule_spans = list(rows.boilerplate)  # before the recurring lines are known
            sketcher.sketch_recurring()
            sketched = sketcher.sketched()
            line_keys = _line_keys(sketcher, len(sketcher.queued))
            added, first = now_text(), store.next_number()
            for place, (row, spilled) in enumerate(
                zip(sketched.rows, sketched.spilled, strict=True)
            ):
                semantic_part: tuple[Any, ...] = (None, None, None, None)
                if sem_store is not None:
                    semantic_part = sem_store.document(spilled)
                sketch = DocumentSketch(
                    signature=sketched.signatures[place],
                    shingles=sketched.shingles[place],
                    fingerprints=sketched.fingerprints[place],
                    text_hash=sketched.text_hashes[place],
                    line_keys=line_keys[spilled],
                    topics=sketched.topics[place],
                    sentences=semantic_part[0],
                    sentence_vectors=semantic_part[1],
                    vector=semantic_part[2],
                    lead=semantic_part[3],
                )
                update.new.append(
                    StoredDocument(
                        number=first + place,
                        id=sketched.ids[place],
                        source=rows.source[row],
                        outlet=rows.outlet[row],
                        url=rows.url[row],
                        title=rows.title[row],
                        published=rows.published[row],
                        chars=rows.chars[row] or 0,
                        clean_chars=rows.clean_chars[row] or 0,
                        credits=rows.credits[row],
                        dateline=rows.dateline[row],
                        language=rows.language[row],
                        rule_spans=rule_spans[row],
                        spans=rows.boilerplate[row],
                        text=backend.spill.get(spilled),
                        sketch=sketch,
                        added=added,
                    )
                )
            skipped_rows = {
                (rows.source[row], rows.id[row]): row
                for row, status in enumerate(rows.status)
                if status != "ok"
            }
            for item in log:
                update.skipped.append(
                    _stored_skip(item, rows, skipped_rows.get((item.source, item.id)))
                )
            update.invalid = [(document, found) for document, found in sketcher.invalid]
        finally:
            if sem_store is not None:
                sem_store.close()
    if names:
        _rename_files(update, names)
    return update, recurring


def _rename_files(update: Update, names: Mapping[str, str]) -> None:
    """Every record's ``source`` in ``update`` with its file called as ``names`` says."""

    def named(source: str) -> str:
        file = source_file(source)
        return names.get(file, file) + source[len(file) :]

    update.new = [replace(d, source=named(d.source)) for d in update.new]
    update.skipped = [replace(s, source=named(s.source)) for s in update.skipped]
    update.invalid = [(replace(d, source=named(d.source)), f) for d, f in update.invalid]


def _line_keys(sketcher: Sketcher, count: int) -> list[NDArray[np.int64]]:
    """Each queued document's line keys, in order (empty when lines are not counted)."""
    empty = np.empty(0, dtype=np.int64)
    if sketcher.lines is None or not len(sketcher.lines):
        return [empty] * count
    lines = sketcher.lines.occurrences()
    bounds = np.searchsorted(lines.documents, np.arange(count + 1))
    return [lines.keys[bounds[n] : bounds[n + 1]].copy() for n in range(count)]


def resketch(
    store: IndexStore, config: ScanConfig, numbers: NDArray[np.int64], static_model: str | None
) -> list[StoredDocument]:
    """The indexed documents ``numbers`` cleaned of the recurring lines as the index knows
    them now, sketched again where that changes what is blanked."""
    params = SketchParams.of(config, static_model is not None, static_model)
    found: list[StoredDocument] = []
    for document in store.documents(numbers.tolist()):
        keys = document.sketch.line_keys
        recurring = np.isin(keys, store.recurring(keys))
        lines = [
            Span(start, end, RECURRING)
            for (start, end), marked in zip(line_spans(document.text), recurring, strict=True)
            if marked
        ]
        spans = merge([*document.rule_spans, *lines])
        if spans == document.spans:
            continue
        result = sketch_batch(
            [BatchItem(document.text, spans, None, False, document.language, document.credits)],
            params,
        )
        semantic = result.semantic
        sketch = DocumentSketch(
            signature=result.signatures[0],
            shingles=max(1, int(result.word_counts[0]) - config.shingle_size + 1),
            fingerprints=result.fingerprints_of(0),
            text_hash=int(result.text_hashes[0]),
            line_keys=keys,
            topics=result.topics[0],
            sentences=None if semantic is None else semantic.spans[0],
            sentence_vectors=(None if semantic is None else semantic.vectors[0].astype(np.float16)),
            vector=None if semantic is None else semantic.documents[0],
            lead=None if semantic is None else semantic.leads[0],
        )
        found.append(_replace_sketch(document, spans, int(result.clean_chars[0]), sketch))
    return found


def _replace_sketch(
    document: StoredDocument, spans: tuple[Span, ...], clean_chars: int, sketch: DocumentSketch
) -> StoredDocument:
    return replace(document, spans=spans, clean_chars=clean_chars, sketch=sketch)


def postings(documents: Sequence[StoredDocument], config: ScanConfig) -> dict[str, NDArray[Any]]:
    """The postings rows of ``documents``: band keys, fingerprints, lines."""
    banding = config.lsh()
    bands: list[NDArray[np.int64]] = []
    fingerprints: list[NDArray[np.int64]] = []
    lines: list[NDArray[np.int64]] = []
    if documents:
        signatures = np.stack([document.sketch.signature for document in documents])
        numbers = np.array([document.number for document in documents], dtype=np.int64)
        for _, keys in band_keys_of(signatures, banding):
            bands.append(np.stack([signed(keys), numbers], axis=1))
    for document in documents:
        prints = np.unique(document.sketch.fingerprints)
        number = np.full(len(prints), document.number, dtype=np.int64)
        fingerprints.append(np.stack([signed(prints), number], axis=1))
        line_keys = document.sketch.line_keys
        holder = np.full(len(line_keys), document.number, dtype=np.int64)
        lines.append(np.stack([line_keys, holder, line_contexts(line_keys)], axis=1))
    return {
        "bands": np.concatenate(bands) if bands else np.empty((0, 2), np.int64),
        "fingerprints": (
            np.concatenate(fingerprints) if fingerprints else np.empty((0, 2), np.int64)
        ),
        "lines": np.concatenate(lines) if lines else np.empty((0, 3), np.int64),
    }


@dataclass(slots=True)
class Neighbourhood:
    """Every indexed document's centred vector and nearest neighbours, by number."""

    numbers: NDArray[np.int64]
    vectors: NDArray[np.float32]
    leads: NDArray[np.float32]
    similar: NDArray[np.int64]  # pairs of numbers, each among the other's nearest
    similarities: NDArray[np.float64]
    # pairs of numbers to compare: alike enough, one among the other's nearest, a long
    # document proposing more (``neighbours_wanted``)
    compared: NDArray[np.int64] = field(default_factory=lambda: np.empty((0, 2), np.int64))


def current_documents(
    store: IndexStore, changed: Sequence[StoredDocument]
) -> dict[int, StoredDocument]:
    """Every indexed document without its text, by number in order, ``changed`` standing for
    the stored state of those it names (loaded once an add: the neighbours and the
    whole-index derivation both read every one)."""
    replaced = {document.number: document for document in changed}
    numbers = np.union1d(store.numbers(), np.array(list(replaced), dtype=np.int64)).tolist()
    stored = {
        d.number: d for d in store.documents([n for n in numbers if n not in replaced], False)
    }
    return {number: replaced.get(number) or stored[number] for number in numbers}


def neighbourhood(config: ScanConfig, documents: dict[int, StoredDocument]) -> Neighbourhood | None:
    """Each of ``documents``' nearest neighbours among them, by vectors centred as a scan
    centres them."""
    if "paraphrase" in relations_not_searched(config):
        return None
    numbers = np.array(list(documents), dtype=np.int64)
    dimensions = next(
        (len(d.sketch.vector) for d in documents.values() if d.sketch.vector is not None), 0
    )
    vectors = np.zeros((len(numbers), dimensions), dtype=np.float32)
    leads = np.zeros((len(numbers), dimensions), dtype=np.float32)
    for place, number in enumerate(numbers.tolist()):
        sketch = documents[number].sketch
        if sketch.vector is not None and len(sketch.vector):
            vectors[place] = sketch.vector
        if sketch.lead is not None and len(sketch.lead):
            leads[place] = sketch.lead
    background = None
    if config.semantic_thresholds().centred:
        background = background_mean(str(check_static_model()))
    # the leads centred on those the fast model reads, as a scan centres them
    read = english([documents[number].language for number in numbers.tolist()])
    vectors, leads = centred(vectors, background), centred(leads, background, read)
    if len(numbers) < 2:
        empty = np.empty((0, 2), dtype=np.int64)
        return Neighbourhood(numbers, vectors, leads, empty, np.empty(0))
    counts = [documents[number].sketch.sentences for number in numbers.tolist()]
    wanted = neighbours_wanted(
        np.array([0 if spans is None else len(spans) for spans in counts], dtype=np.int64),
        config.semantic_neighbours,
    )
    pairs, similarities, closest = wider_pairs(vectors, config.semantic_neighbours, wanted)
    compared = numbers[pairs[similarities >= config.semantic_thresholds().candidate]]
    return Neighbourhood(
        numbers, vectors, leads, numbers[pairs[closest]], similarities[closest], compared
    )


def pair_keys(pairs: NDArray[np.int64]) -> NDArray[np.int64]:
    low, high = np.minimum(pairs[:, 0], pairs[:, 1]), np.maximum(pairs[:, 0], pairs[:, 1])
    return np.unique(np.stack([low, high], axis=1), axis=0) if len(pairs) else pairs


def lsh_candidates(
    store: IndexStore,
    config: ScanConfig,
    changed: Sequence[StoredDocument],
    rows: dict[str, NDArray[Any]],
) -> NDArray[np.int64]:
    """Pairs of numbers (smaller first) of a changed document and any other that share an LSH
    band and reach the scan's estimate floors."""
    bands = rows["bands"]
    if not len(bands):
        return np.empty((0, 2), dtype=np.int64)
    mine = set(int(number) for number in bands[:, 1])
    keys, numbers = store.postings("bands", bands[:, 0])
    stale = np.isin(numbers, np.array(sorted(mine), dtype=np.int64))
    keys, numbers = keys[~stale], numbers[~stale]  # a changed document's old postings
    all_keys = np.concatenate([keys, bands[:, 0]])
    all_numbers = np.concatenate([numbers, bands[:, 1]])
    order = np.lexsort((all_numbers, all_keys))
    all_keys, all_numbers = all_keys[order], all_numbers[order]
    starts = np.flatnonzero(np.r_[True, all_keys[1:] != all_keys[:-1]])
    ends = np.r_[starts[1:], len(all_keys)]
    found: list[tuple[int, int]] = []
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        holders = all_numbers[start:end].tolist()
        if len(holders) < 2:
            continue
        if len(holders) > config.max_bucket_size:
            # the scan's star: every member with the bucket's first
            hub = holders[0]
            found.extend((hub, other) for other in holders[1:] if hub in mine or other in mine)
            continue
        for i, first in enumerate(holders):
            for second in holders[i + 1 :]:
                if first in mine or second in mine:
                    found.append((first, second))
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    pairs = pair_keys(np.array(found, dtype=np.int64))
    return _reaching_floors(store, config, changed, pairs)


def _reaching_floors(
    store: IndexStore,
    config: ScanConfig,
    changed: Sequence[StoredDocument],
    pairs: NDArray[np.int64],
) -> NDArray[np.int64]:
    """The pairs whose MinHash estimates reach either of the scan's floors (the band
    kernel's own test)."""
    sketches = {d.number: (d.sketch.signature, d.sketch.shingles) for d in changed}
    sketches.update(store.signatures(sorted(set(pairs.ravel().tolist()) - set(sketches))))
    numbers = np.array(sorted(sketches), dtype=np.int64)
    signatures = np.stack([sketches[number][0] for number in numbers.tolist()])
    sizes = np.array([sketches[number][1] for number in numbers.tolist()], dtype=np.int64)
    rows = np.searchsorted(numbers, pairs)
    reach: NDArray[np.bool_] = candidate_kernels.reaching_floors(
        rows[:, 0], rows[:, 1], signatures, sizes, *config.estimate_floors()
    )
    return pairs[reach]


def passage_candidates(
    store: IndexStore,
    config: ScanConfig,
    changed: Sequence[StoredDocument],
    lsh_pairs: NDArray[np.int64],
) -> NDArray[np.int64]:
    """Every pair of the index that shares passage fingerprints, by the scan's kernel over
    every document's fingerprints (``changed`` as they are now), grouped by the components of
    every LSH pair of the index. Over the whole index, not only the changed documents' pairs:
    a fingerprint held by more than ``passage_max_groups`` groups proposes nothing, so a
    pair's candidacy can end as documents arrive (~1 s for 100,000 documents)."""
    if not config.finds_passages:
        return np.empty((0, 2), dtype=np.int64)
    prints = store.fingerprints()
    prints.update((document.number, document.sketch.fingerprints) for document in changed)
    numbers = np.array(sorted(prints), dtype=np.int64)
    if len(numbers) < 2:
        return np.empty((0, 2), dtype=np.int64)
    width = int(max(numbers.max(), lsh_pairs.max(initial=0))) + 1
    group = candidate_kernels.components(width, np.ascontiguousarray(lsh_pairs, dtype=np.int64))
    rows = [prints[number] for number in numbers.tolist()]
    found, _ = passage_pairs_grouped(rows, group[numbers], config.passage_max_groups)
    return numbers[found]


def compare_pairs(
    store: IndexStore,
    config: ScanConfig,
    changed: Sequence[StoredDocument],
    pairs: NDArray[np.int64],
    neighbours: Neighbourhood | None,
    reporter: Reporter,
    parallel: bool = True,
) -> list[Match]:
    """The matches of ``pairs`` (numbers), compared as a scan compares them, each with its
    likely source and series (which depend on the pair's two documents alone). With
    ``parallel``, on ``config.workers`` processes (each batch carrying its documents), by the
    process's one comparer: for the index's one writer; without, by a comparer of this call's
    own (queries run in several threads at once)."""
    if not len(pairs):
        return []
    sources = CompareSources(None, config, semantic=neighbours is not None, run="index")
    compared: dict[int, NDArray[np.float32]] = {}
    if neighbours is not None:
        compared = dict(zip(neighbours.numbers.tolist(), neighbours.vectors, strict=True))
    known = {document.number: document for document in changed}
    facts: dict[str, StoredDocument] = {}
    sizes: deque[int] = deque()

    def batches() -> Iterator[PairBatch]:
        for start in range(0, len(pairs), _COMPARE_CHUNK):
            piece = pairs[start : start + _COMPARE_CHUNK]
            sizes.append(len(piece))
            wanted = np.unique(piece).tolist()
            documents = {n: known[n] for n in wanted if n in known}
            missing = [n for n in wanted if n not in documents]
            documents.update((d.number, d) for d in store.documents(missing))
            facts.update((document.id, document) for document in documents.values())
            yield PairBatch(
                piece,
                {number: document.id for number, document in documents.items()},
                {number: document.spans for number, document in documents.items()},
                {n: _carried(d, compared.get(n)) for n, d in documents.items()},
            )

    matches: list[Match] = []
    with reporter.stage("compare", len(pairs)) as advance:
        if not parallel:
            comparer = PairComparer(sources)
            try:
                for batch in batches():
                    matches.extend(attributed(comparer.compare(batch), facts, config))
                    advance(sizes.popleft())
            finally:
                comparer.close()
            return matches
        with LocalBackend(config.workers) as backend:
            try:
                for found in backend.map(partial(compare_batch, sources), batches()):
                    matches.extend(attributed(found, facts, config))
                    advance(sizes.popleft())
            finally:
                release_comparer()
    return matches


def attributed(
    matches: Iterable[Match], documents: Mapping[str, StoredDocument], config: ScanConfig
) -> list[Match]:
    """``matches`` with their likely sources and series, as a scan's group stage names them
    (from the two documents' facts)."""
    facts = {}
    found = []
    for match in matches:
        for doc_id in (match.a, match.b):
            if doc_id not in facts:
                facts[doc_id] = provenance_facts(documents[doc_id])
        if config.provenance:
            match = attribute(match, facts, config.provenance_min_score)
        outlet_a, outlet_b = documents[match.a].outlet, documents[match.b].outlet
        if config.series and outlet_a and outlet_b and outlet_a.casefold() == outlet_b.casefold():
            match = replace(match, series=outlet_a)
        found.append(match)
    return found


def provenance_facts(document: StoredDocument) -> ProvenanceFacts:
    return ProvenanceFacts(
        published=document.published,
        credits=document.credits,
        dateline=document.dateline,
        outlet=document.outlet,
        chars=document.chars,
        boilerplate_chars=sum(span.end - span.start for span in document.spans),
    )


def _carried(document: StoredDocument, compared: NDArray[np.float32] | None) -> Carried:
    sketch = document.sketch
    if compared is None or sketch.sentences is None:
        return Carried(document.text)
    vectors = sketch.sentence_vectors
    found = None if vectors is None else vectors.astype(np.float32)  # as the spill reads them
    return Carried(document.text, sketch.sentences, found, compared)


LSH, PASSAGE, NEIGHBOUR = 1, 2, 4  # why a pair is a candidate (bits)


@dataclass(frozen=True, slots=True)
class PairPlan:
    """What an add compares and keeps: the pairs to compare (numbers, the smaller first) and
    why each is a candidate; the pairs compared before whose reasons changed (a pair left
    with none is forgotten, as a scan of the index now would not compare it); the new LSH
    pairs; the changed documents' postings."""

    pairs: NDArray[np.int64]
    reasons: NDArray[np.int64]
    stored: NDArray[np.int64]
    stored_reasons: NDArray[np.int64]
    lsh: NDArray[np.int64]
    rows: dict[str, NDArray[Any]]


def packed_keys(pairs: NDArray[np.int64]) -> NDArray[np.int64]:
    return pairs[:, 0] * np.int64(1 << 32) + pairs[:, 1]


def candidate_pairs(
    store: IndexStore,
    config: ScanConfig,
    changed: Sequence[StoredDocument],
    resketched: Sequence[int],
    neighbours: Neighbourhood | None,
) -> PairPlan:
    """The pairs a scan of the whole index would compare now that it has not compared yet:
    the changed documents' LSH and passage pairs, and every neighbour pair (the neighbours of
    indexed documents change as documents arrive); and the reasons of the pairs compared
    before, brought up to date."""
    rows = postings(changed, config)
    lsh = lsh_candidates(store, config, changed, rows)
    mine = np.array(sorted({document.number for document in changed}), dtype=np.int64)
    kept = store.pairs("lsh_pairs")
    kept = kept[~(np.isin(kept[:, 0], mine) | np.isin(kept[:, 1], mine))]
    passages = passage_candidates(store, config, changed, np.concatenate([kept, lsh]))
    stored, stored_reasons = store.compared()
    stale = np.isin(stored, np.asarray(resketched, dtype=np.int64)).any(axis=1)
    stored, stored_reasons = stored[~stale], stored_reasons[~stale]  # compared again
    near = np.empty((0, 2), dtype=np.int64)
    if neighbours is not None and len(neighbours.compared):
        near = pair_keys(neighbours.compared)
    parts = [(lsh, LSH), (passages, PASSAGE), (near, NEIGHBOUR)]
    found = pair_keys(np.concatenate([pairs for pairs, _ in parts]))
    reasons = np.zeros(len(found), dtype=np.int64)
    for pairs, bit in parts:
        reasons[np.isin(packed_keys(found), packed_keys(pairs))] |= bit
    held = np.isin(packed_keys(found), packed_keys(stored))
    # a pair compared before keeps its match; only why it is a candidate changes (its
    # passages and neighbours are the whole index's; its LSH band, its own)
    place = {key: index for index, key in enumerate(packed_keys(stored).tolist())}
    now = stored_reasons & ~(NEIGHBOUR | PASSAGE)
    for key, bits in zip(packed_keys(found[held]).tolist(), reasons[held].tolist(), strict=True):
        now[place[key]] |= bits
    changed_reasons = now != stored_reasons
    pairs, reasons = found[~held], reasons[~held]
    if config.window_days is not None and len(pairs):
        inside = _within_window(store, changed, pairs, config.window_days)
        keep = np.isin(packed_keys(pairs), packed_keys(inside))
        pairs, reasons = pairs[keep], reasons[keep]
    return PairPlan(pairs, reasons, stored[changed_reasons], now[changed_reasons], lsh, rows)


def _within_window(
    store: IndexStore, changed: Sequence[StoredDocument], pairs: NDArray[np.int64], window: float
) -> NDArray[np.int64]:
    documents = {document.number: document for document in changed}
    missing = sorted(set(pairs.ravel().tolist()) - set(documents))
    documents.update((d.number, d) for d in store.documents(missing, text=False))
    numbers = sorted(documents)
    days = day_numbers([documents[number].published for number in numbers])
    place = np.searchsorted(np.array(numbers, dtype=np.int64), pairs)
    kept = within_window(place, days, window)
    return np.array(numbers, dtype=np.int64)[kept].reshape(-1, 2)
