"""A persistent index for a feed: documents added as they come, each compared with everything
indexed before, the batch scan's answers kept (see ``wiretrace.index.update`` for what is
kept, and how each stage runs incrementally).

An index is a folder: ``index.sqlite`` (the store, SQLite in WAL mode) and ``write.lock`` (one
writer at a time). The settings that shape sketches, models and thresholds are fixed when the
index is created and recorded in it; an index written by another format or version of
wiretrace is refused, never misread.
"""

from __future__ import annotations

import dataclasses
import fcntl
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np
from numpy.typing import NDArray

from wiretrace import __version__
from wiretrace.config import FieldNames, ScanConfig, config_of
from wiretrace.errors import ConfigError, IndexBusyError, InputError
from wiretrace.group.duplicates import DocumentFacts, representative
from wiretrace.index.derive import (
    Derived,
    Whole,
    add_row,
    add_skipped_row,
    derive,
    match_json,
    match_of,
    stable_labels,
    story_json,
    story_of,
    whole,
)
from wiretrace.index.provisional import (
    PENDING,
    STALE,
    WHOLE_PASS,
    UpdatePolicy,
    extreme,
    keep_provisional,
    provisional_numbers,
)
from wiretrace.index.query import REWRITTEN, Warm, answer, query_index
from wiretrace.index.store import FORMAT, SqliteStore
from wiretrace.index.update import (
    Neighbourhood,
    Update,
    candidate_pairs,
    compare_pairs,
    current_documents,
    neighbourhood,
    now_text,
    read_new,
    resketch,
)
from wiretrace.read.files import as_paths, check_inputs
from wiretrace.records import DuplicateGroup, Match, Skipped, Story
from wiretrace.semantic.static import check_static_model
from wiretrace.sketch.event import event_date
from wiretrace.stages.grouping import with_dateline
from wiretrace.stages.semantic import relations_not_searched
from wiretrace.stages.state import DocumentRows, Reporter, ScanResult, SilentReporter
from wiretrace.stages.summary import add_invalid_fields, scan_summary
from wiretrace.write import write_scan
from wiretrace.write.output import REPORT
from wiretrace.write.report import write_report

__all__ = ["Index", "IndexResult", "UpdatePolicy"]

DATABASE = "index.sqlite"
LOCK = "write.lock"
# Settings that say how a run goes, not what it finds: an open index takes them anew.
_RUN_SETTINGS = ("workers", "batch_size", "embedding_cache")
# what a scan counts of its search and an index does not keep (the summary's band collisions,
# verbatim, passage and all candidate pairs, recurring lines, exact copies as stars): null,
# where 0 would say that nothing was searched
_NOT_COUNTED: tuple[None, ...] = (None,) * 6


@dataclass(frozen=True, slots=True)
class IndexResult:
    """What an add or a query found: the new documents' matches, groups, stories and sources
    as a scan's result (``result``, restricted to them), and what the add changed."""

    result: ScanResult
    added: int  # documents added (a query: documents that would be)
    skipped: int
    resketched: int  # indexed documents cleaned again (their recurring lines changed)
    merges: tuple[tuple[int, int], ...]  # stories merged: (old id, the id it goes on as)
    seconds: float
    # whether the add worked the whole index out (else it was provisional: see
    # ``index.provisional``; a query: False)
    whole_pass: bool = False
    # each document the matches name, by its group of copies' representative (the result's
    # own groups, and in the index those of indexed partners): ``Index.with_representatives``
    # fills it, for saying a relation once per group and naming a likely source
    representatives: Mapping[str, str] = dataclasses.field(default_factory=dict)


def _config_json(config: ScanConfig) -> str:
    found = dataclasses.asdict(config)
    for name in _RUN_SETTINGS:
        found.pop(name)
    return json.dumps(found, sort_keys=True)


def _config_of(text: str, **run: Any) -> ScanConfig:
    found = json.loads(text)
    found["fields"] = FieldNames(**found["fields"])
    return ScanConfig(**found, **run)


class Index:
    """An open index. ``Index.create`` makes one, ``Index.open`` opens one; use either as a
    context manager (or call :meth:`close`)."""

    def __init__(
        self,
        path: Path,
        store: SqliteStore,
        config: ScanConfig,
        policy: UpdatePolicy | None = None,
    ) -> None:
        self.path = path
        self.store = store
        self.config = config
        self.policy = policy or UpdatePolicy()  # when an add works the whole index out
        self.warm = Warm()  # what queries keep in memory

    def with_representatives(self, found: IndexResult) -> IndexResult:
        """``found`` with ``representatives``: of each document its matches name, the member
        of its group of copies a scan would name (earliest, then longest...: ``dedup``'s
        rule), where the group is in the result or, for an indexed partner, in the index. A
        rewrite of a wire story held by three copies is then said once, of the wire, as a
        scan says it, and the wire is its likely source, not a truncated copy read first
        by id."""
        result = found.result
        chosen = {m: group.representative for group in result.groups for m in group.members}
        partners = {end for match in result.matches for end in (match.a, match.b)} - set(chosen)
        labels = set()
        for number in self.store.numbers_of(sorted(partners)).values():
            label = self.store.label_of("groups", number)
            if label is not None:
                labels.add(label)
        members: dict[int, dict[str, DocumentFacts]] = {}
        for label, doc_id, published, clean, chars in self.store.members_published(
            "groups", sorted(labels)
        ):
            members.setdefault(label, {})[doc_id] = DocumentFacts(published, clean, chars)
        for facts in members.values():
            kept = representative(facts, facts)
            chosen.update((doc_id, kept) for doc_id in facts if doc_id not in chosen)
        return dataclasses.replace(found, representatives=chosen)

    # -- opening ----------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        path: str | os.PathLike[str],
        config: ScanConfig | None = None,
        policy: UpdatePolicy | None = None,
    ) -> Index:
        """A new, empty index at ``path`` (a folder that does not exist, or is empty) with
        the settings of ``config``."""
        config = config_of(config)
        folder = Path(path)
        if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
            raise InputError(
                f"{folder}: already exists and is not an empty folder; give a new path for "
                "the index (wiretrace never writes over what it did not write)"
            )
        if config.semantic and config.semantic_model == "exact":
            raise ConfigError(
                "an index compares rewrites with the fast model only; create it without "
                "--semantic exact (scans take the exact model)"
            )
        if "paraphrase" not in relations_not_searched(config):
            check_static_model()
        folder.mkdir(parents=True, exist_ok=True)
        store = SqliteStore(folder / DATABASE, create=True)
        (folder / LOCK).touch()  # the writers' lock, there from the start as documented
        with store.transaction():
            store.set_meta(
                {
                    "format": str(FORMAT),
                    "wiretrace": __version__,
                    "config": _config_json(config),
                    "created": now_text(),
                    "next_number": "0",
                    # numbered from 1, as a scan numbers its stories and groups
                    "next_story": "1",
                    "next_group": "1",
                }
            )
        return cls(folder, store, config, policy)

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        workers: int | None = None,
        policy: UpdatePolicy | None = None,
    ) -> Index:
        """The index at ``path``; refused if another format or version of wiretrace wrote
        it."""
        folder = Path(path)
        database = folder / DATABASE
        if not database.is_file():
            if folder.exists() and not (folder.is_dir() and not any(folder.iterdir())):
                raise InputError(
                    f"{folder}: no index here (an index is a folder that wiretrace index "
                    "create made); give the index's folder, or make one in a new folder"
                )
            raise InputError(
                f"{folder}: no index here; make one with `wiretrace index create {folder}`"
            )
        store = SqliteStore(database)
        meta = store.meta()
        made_by = meta.get("wiretrace", "an unknown version")
        if meta.get("format") != str(FORMAT) or made_by != __version__:
            store.close()
            raise InputError(
                f"{folder}: an index of format {meta.get('format')} written by wiretrace "
                f"{made_by}; this is wiretrace {__version__} (format {FORMAT}): create a new "
                "index and add the documents to it again"
            )
        run = {} if workers is None else {"workers": workers}
        return cls(folder, store, _config_of(meta["config"], **run), policy)

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

    # -- writing ----------------------------------------------------------------------

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """The index's one writer: a second is refused at once, with who holds it."""
        lock_path = self.path / LOCK
        try:
            handle: IO[str] = lock_path.open("a+")
        except OSError as error:
            raise InputError(f"{lock_path}: cannot be opened to write ({error})") from None
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read().strip() or "another process"
                raise IndexBusyError(
                    f"{self.path}: another wiretrace process ({holder}) is writing to this "
                    "index; wait for it to finish and run this again"
                ) from None
            handle.seek(0)
            handle.truncate()
            handle.write(f"pid {os.getpid()}")
            handle.flush()
            with self.store.transaction():
                yield
        finally:
            handle.close()

    def add(
        self,
        inputs: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
        reporter: Reporter | None = None,
        names: Mapping[str, str] | None = None,
    ) -> IndexResult:
        """Read ``inputs`` as a scan does, compare the new documents with everything indexed
        and with each other, and bring groups, stories and sources up to date. ``names``:
        what the new records' ``source`` calls an input file instead of its path (a
        service's request)."""
        reporter = reporter or SilentReporter()
        paths = as_paths(inputs)
        check_inputs(paths)
        started = time.perf_counter()
        with self._writing():
            update, recurring = read_new(self.store, self.config, paths, reporter, names=names)
            holders = np.empty(0, dtype=np.int64)
            if recurring is not None:
                self.store.set_recurring(
                    np.setdiff1d(recurring.now, self.store.recurring(recurring.touched)),
                    np.setdiff1d(self.store.recurring(recurring.touched), recurring.now),
                )
                holders = recurring.holders
            if self._whole_pass(len(update.new)):
                if len(holders):  # sketched again now that the lines are known
                    update.resketched = resketch(self.store, self.config, holders, self._static())
                return self._apply(update, reporter, started, [str(p) for p in paths])[1]
            # the indexed documents holding a line whose status changed keep their sketches
            # until the next whole pass cleans them again
            stale = np.union1d(_stale(self.store), holders)
            self.store.set_meta({STALE: json.dumps(stale.tolist())})
            return self._provisional(update, reporter, started, paths)

    def _whole_pass(self, adding: int) -> bool:
        """Whether an add of ``adding`` documents works the whole index out (``policy``)."""
        done = provisional_numbers(self.store)
        return self.policy.whole(
            self.store.count() + adding, done["added_since"] + adding, done["at_last_whole_pass"]
        )

    def _provisional(
        self, update: Update, reporter: Reporter, started: float, paths: Sequence[str | Path]
    ) -> IndexResult:
        """An add that works out what its new documents change only (``index.provisional``)."""
        found = answer(self.store, self.config, self.warm, update.new, reporter, parallel=True)
        kept = keep_provisional(self.store, update.new, found)
        self.store.put_skips(update.skipped)
        generation = int(self.store.meta().get("generation", "0")) + 1
        self.store.set_meta({"generation": str(generation)})  # queries' memory is out of date
        return self._answer(update, kept.matches, kept.groups, kept.stories, paths, started)

    def warm_up(self) -> None:
        """Load what queries keep in memory (the indexed vectors and LSH groups) now, not at
        the first query (a service does at start)."""
        self.warm.current(self.store, "paraphrase" not in relations_not_searched(self.config))

    def query(
        self,
        inputs: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
        reporter: Reporter | None = None,
        names: Mapping[str, str] | None = None,
    ) -> IndexResult:
        """What ``inputs``' documents copy, lift from or rewrite among the indexed ones, their
        likely sources and stories, nothing added (see ``wiretrace.index.query`` for how it
        differs from :meth:`add`; ``names`` as for :meth:`add`). Needs no write lock: runs
        beside a writer."""
        reporter = reporter or SilentReporter()
        paths = as_paths(inputs)
        check_inputs(paths)
        started = time.perf_counter()
        update, matches, labels = query_index(
            self.store, self.config, self.warm, paths, reporter, names
        )
        stories: dict[int, Story] = {}
        published = {document.id: document.published for document in update.new}
        for doc_id, label in labels.items():
            if label is None:
                continue
            story = stories.get(label) or self.story(label)
            if story is not None:
                # its dates as an add would make them: the new document's among them
                stories[label] = dataclasses.replace(
                    story,
                    members=(*story.members, doc_id),
                    first_published=extreme(story.first_published, published.get(doc_id)),
                    last_published=extreme(story.last_published, published.get(doc_id), later=True),
                )
        return self._answer(update, matches, [], list(stories.values()), paths, started)

    def _answer(
        self,
        update: Update,
        matches: list[Match],
        groups: list[DuplicateGroup],
        stories: list[Story],
        paths: Sequence[str | Path],
        started: float,
    ) -> IndexResult:
        """What a provisional add or a query found of its new documents alone, as a scan's
        result."""
        rows = DocumentRows()
        for document in update.new:
            row = add_row(rows, document)
            if self.config.stories:  # who, where, when and how many, as a scan gives them
                event = with_dateline(document.sketch.topics.event, document.dateline)
                rows.event[row] = (event, event_date(event.when, document.published))
        log = []
        for skip in update.skipped:
            found = Skipped(skip.source, skip.reason, skip.detail, skip.id)
            log.append(found)
            add_skipped_row(rows, skip, found)
        result = ScanResult(
            rows,
            tuple(matches),
            tuple(groups),
            tuple(stories),
            tuple(log),
            {},
            tuple(str(p) for p in paths),
        )
        result = dataclasses.replace(result, summary=self._summary_of(result, update))
        return IndexResult(
            result,
            added=len(update.new),
            skipped=len(update.skipped),
            resketched=0,
            merges=(),
            seconds=time.perf_counter() - started,
        )

    def remove(self, ids: str | Sequence[str], reporter: Reporter | None = None) -> IndexResult:
        """Take documents out (a takedown): their texts, vectors, postings and matches are
        gone; groups and stories that held them are worked out again. Every id must be
        indexed (else nothing is removed). One id or several: a single string is one id,
        never its characters."""
        ids = [ids] if isinstance(ids, str) else list(ids)
        reporter = reporter or SilentReporter()
        started = time.perf_counter()
        with self._writing():
            numbers = self.store.numbers_of(list(ids))
            unknown = [doc_id for doc_id in ids if doc_id not in numbers]
            if unknown:
                shown = ", ".join(repr(doc_id) for doc_id in unknown[:5])
                raise InputError(
                    f"{self.path}: no document {shown} in the index (nothing was removed); "
                    "`wiretrace index export` lists the ids"
                )
            gone = sorted(set(numbers.values()))
            documents = self.store.documents(gone, text=False)
            keys = np.unique(
                np.concatenate([d.sketch.line_keys for d in documents] or [np.empty(0, np.int64)])
            )
            before = self.store.recurring(keys)
            self.store.remove_documents(gone)
            self.store.remove_skips(list(ids))
            update = Update(removed=gone)
            if self.config.recurring_min_documents and len(keys):
                now = self._recurring_now(keys)
                changed = np.setxor1d(now, before)
                self.store.set_recurring(np.setdiff1d(now, before), np.setdiff1d(before, now))
                if len(changed):
                    _, holders = self.store.postings("lines", changed)[:2]
                    update.resketched = resketch(
                        self.store, self.config, np.unique(holders), self._static()
                    )
            found = self._apply(update, reporter, started, [])[1]
        self.store.scrub()  # committed: the texts leave the write-ahead log too
        return found

    def _recurring_now(self, keys: NDArray[np.int64]) -> NDArray[np.int64]:
        from wiretrace.clean.boilerplate import LineOccurrences, recurring_keys
        from wiretrace.index.update import indexed_site_lines

        found, numbers, contexts = self.store.postings("lines", keys)
        lines = LineOccurrences(found, numbers, contexts)
        config = self.config
        recurring = recurring_keys(
            lines, config.recurring_min_documents, config.recurring_min_context_share
        )
        return indexed_site_lines(self.store, recurring, found, numbers)

    def refresh(self, reporter: Reporter | None = None) -> IndexResult:
        """Work out again what an add keeps as it was (the pairs among documents indexed
        earlier: their neighbours by the index's mean vector now)."""
        reporter = reporter or SilentReporter()
        started = time.perf_counter()
        with self._writing():
            numbers = self.store.numbers()
            # the documents provisional adds left holding a line that now recurs (or no
            # longer does) cleaned again, the rest as they are
            stale = np.intersect1d(_stale(self.store), numbers)
            cleaned = resketch(self.store, self.config, stale, self._static())
            again = {document.number: document for document in cleaned}
            documents = [again.get(d.number, d) for d in self.store.documents(numbers.tolist())]
            update = Update(resketched=documents)
            return self._apply(update, reporter, started, [])[1]

    def _static(self) -> str | None:
        if "paraphrase" in relations_not_searched(self.config):
            return None
        return str(check_static_model())

    def _apply(
        self, update: Update, reporter: Reporter, started: float, inputs: list[str]
    ) -> tuple[ScanResult, IndexResult]:
        """Write ``update`` and everything it changes (inside the writer's transaction):
        the whole index's result, and the update's."""
        store, config = self.store, self.config
        # documents a provisional add left with lines whose status changed
        done = {document.number for document in (*update.resketched, *update.new)}
        stale = np.setdiff1d(np.intersect1d(_stale(store), store.numbers()), sorted(done))
        if len(stale):
            update.resketched = [
                *update.resketched,
                *resketch(store, config, stale, self._static()),
            ]
        changed = [*update.resketched, *update.new]
        resketched = [document.number for document in update.resketched]
        documents = current_documents(store, changed)
        neighbours = neighbourhood(config, documents)
        plan = candidate_pairs(store, config, changed, resketched, neighbours)
        matches = compare_pairs(store, config, changed, plan.pairs, neighbours, reporter)
        store.put_documents(changed)
        for table, postings in plan.rows.items():
            store.put_postings(table, postings)
        store.remove_pairs("compared", resketched)
        store.remove_pairs("lsh_pairs", resketched)
        store.put_pairs("lsh_pairs", [(int(a), int(b), "") for a, b in plan.lsh.tolist()])
        store.set_reasons(plan.stored, plan.stored_reasons)
        numbers_of = {document.id: document.number for document in changed}
        numbers_of.update(store.numbers_of([m.a for m in matches] + [m.b for m in matches]))
        found = {_pair_key(match, numbers_of): match_json(match) for match in matches}
        store.put_compared(
            [
                (a, b, reason, found.get((a, b)))
                for (a, b), reason in zip(plan.pairs.tolist(), plan.reasons.tolist(), strict=True)
            ]
        )
        store.put_skips(update.skipped)
        generation = int(store.meta().get("generation", "0")) + 1
        meta = {"generation": str(generation), WHOLE_PASS: str(store.count())}
        if resketched or update.removed:  # what queries hold of indexed documents changed
            meta[REWRITTEN] = str(generation)
        store.set_meta({**meta, PENDING: "0", STALE: "[]"})  # nothing is provisional now
        with reporter.stage("groups and stories", None) as advance:
            state = whole(store, documents)
            derived = derive(
                store, config, state, neighbours, self._comparer(neighbours, reporter), self._text
            )
            merges = self._label(derived, state)
            advance(len(derived.stories))
        number_of = dict(zip(state.sketched.ids, state.numbers.tolist(), strict=True))
        store.put_found(
            [(*sorted((number_of[m.a], number_of[m.b])), match_json(m)) for m in derived.matches],
            [(s.story, s.last_published, story_json(s)) for s in derived.stories],
        )
        result = self._result(state, derived, inputs, update)
        restricted = restrict(result, {d.id for d in update.new}, update)
        restricted = dataclasses.replace(restricted, summary=self._summary_of(restricted, update))
        return result, IndexResult(
            restricted,
            added=len(update.new),
            skipped=len(update.skipped),
            resketched=len(update.resketched),
            merges=tuple(merges),
            seconds=time.perf_counter() - started,
            whole_pass=True,
        )

    def _comparer(
        self, neighbours: Neighbourhood | None, reporter: Reporter
    ) -> Callable[[NDArray[np.int64]], list[Match]]:
        def compare(pairs: NDArray[np.int64]) -> list[Match]:
            return compare_pairs(self.store, self.config, [], pairs, neighbours, reporter)

        return compare

    def _text(self, number: int) -> str:
        return self.store.text(number)

    def _label(self, derived: Derived, state: Whole) -> list[tuple[int, int]]:
        """Stable ids for the stories and groups just found (written to the store; the
        stories and groups in ``derived`` are renumbered in place)."""
        number_of = dict(zip(state.sketched.ids, state.numbers.tolist(), strict=True))
        meta = self.store.meta()
        merges, next_story = self._stable("stories", derived.stories, number_of, meta)
        _, next_group = self._stable("groups", derived.groups, number_of, meta)
        store = self.store
        at = now_text()
        store.put_merges([(old, into, at) for old, into in merges])
        store.set_meta({"next_story": str(next_story), "next_group": str(next_group)})
        return merges

    def _stable(
        self, table: str, items: list[Any], number_of: dict[str, int], meta: dict[str, str]
    ) -> tuple[list[tuple[int, int]], int]:
        """``items`` (stories or groups, in place) under their stable ids, written to the
        store; the merges and the next free id."""
        name = "story" if table == "stories" else "group"
        members = [[number_of[m] for m in item.members] for item in items]
        labels, merges, following = stable_labels(
            members, self.store.labels(table), int(meta[f"next_{name}"])
        )
        renamed = [
            dataclasses.replace(item, **{name: label})
            for item, label in zip(items, labels, strict=True)
        ]
        items[:] = sorted(renamed, key=lambda item: getattr(item, name))
        self.store.set_labels(
            table,
            {n: label for numbers, label in zip(members, labels, strict=True) for n in numbers},
        )
        return merges, following

    def _summary_of(
        self,
        part: ScanResult,
        update: Update,
        counts: tuple[int | None, ...] = (*_NOT_COUNTED, None, None),
    ) -> dict[str, Any]:
        """The summary of ``part`` (the whole index, or what an add, a query or a story's
        report holds): its counts are of what it holds, as the tables written beside it
        are."""
        not_searched = relations_not_searched(self.config)
        summary = scan_summary(
            list(part.inputs),
            self.config,
            part.documents,
            list(part.skipped),
            list(part.matches),
            list(part.groups),
            list(part.stories),
            counts,
            {},
            not_searched,
        )
        summary["semantic"] = {"model": None if not_searched else self.config.semantic_model}
        summary["backend"] = {"name": "index", "path": str(self.path)}
        add_invalid_fields(summary, list(update.invalid))
        return summary

    def _result(
        self, state: Whole, derived: Derived, inputs: list[str], update: Update
    ) -> ScanResult:
        result = ScanResult(
            documents=state.rows,
            matches=tuple(derived.matches),
            groups=tuple(derived.groups),
            stories=tuple(derived.stories),
            skipped=state.skipped,
            summary={},
            inputs=tuple(inputs),
        )
        counts = (*_NOT_COUNTED, derived.star_pairs, derived.not_listed)
        return dataclasses.replace(result, summary=self._summary_of(result, update, counts))

    # -- reading ----------------------------------------------------------------------

    def result(self) -> ScanResult:
        """The whole index as a scan's result (what `wiretrace index export` writes)."""
        with self._writing():  # stories are worked out again and their ids written
            return self._apply(Update(), SilentReporter(), time.perf_counter(), [])[0]

    def document(self, doc_id: str) -> dict[str, Any] | None:
        """An indexed document's fields, story and group (None: not indexed)."""
        number = self.store.numbers_of([doc_id]).get(doc_id)
        if number is None:
            return None
        (document,) = self.store.documents([number], text=False)
        return {
            "id": document.id,
            "outlet": document.outlet,
            "url": document.url,
            "title": document.title,
            "published": document.published,
            "chars": document.chars,
            "clean_chars": document.clean_chars,
            "source": document.source,
            "added": document.added,
            "story": self.store.label_of("stories", number),
            "duplicate_group": self.store.label_of("groups", number),
        }

    def matches_of(self, doc_id: str) -> list[Match] | None:
        """An indexed document's matches, with their likely sources (None: not indexed)."""
        number = self.store.numbers_of([doc_id]).get(doc_id)
        if number is None:
            return None
        return [match_of(value) for value in self.store.found(number)]

    def story(self, story: int) -> Story | None:
        found = self.store.story_record(story)
        return None if found is None else story_of(found)

    def stories(self, since: str | None = None, limit: int = 100) -> list[Story]:
        """The stories with a member published on or after ``since``, the latest first."""
        return [story_of(value) for value in self.store.story_records(since, limit)]

    def story_report(self, story: int) -> str | None:
        """The HTML report (as `wiretrace report` writes it) of one story: its documents and
        the matches among them. None: no such story."""
        found = self.story(story)
        if found is None:
            return None
        members = set(found.members)
        matches: dict[tuple[str, str], Match] = {}
        for doc_id in sorted(members):
            for match in self.matches_of(doc_id) or []:
                if match.a in members and match.b in members:
                    matches[(match.a, match.b)] = match
        state = whole(self.store, current_documents(self.store, []))
        derived = Derived(sorted(matches.values(), key=lambda m: (m.a, m.b)), [], [found], 0, 0)
        result = restrict(self._result(state, derived, [], Update()), members, Update())
        result = dataclasses.replace(result, summary=self._summary_of(result, Update()))
        with tempfile.TemporaryDirectory(prefix="wiretrace-report-") as folder:
            out = Path(folder) / "scan"
            texts = Path(folder) / "texts.jsonl"
            result.summary["inputs"] = [str(texts)]
            write_scan(result, out, "jsonl")
            numbers = self.store.numbers_of(sorted(members))
            self.write_texts(texts, sorted(numbers.values()))
            write_report(out)
            return (out / REPORT).read_text("utf-8")

    def write_texts(self, path: Path, numbers: Sequence[int] | None = None) -> None:
        """The indexed documents (all, or ``numbers``) as JSON lines (id, text and its
        fields), as a scan reads them."""
        fields = self.config.fields
        numbers = self.store.numbers().tolist() if numbers is None else list(numbers)
        with path.open("x", encoding="utf-8") as stream:
            for start in range(0, len(numbers), 1000):
                for document in self.store.documents(numbers[start : start + 1000]):
                    record = {
                        fields.id: document.id,
                        fields.text: document.text,
                        fields.title: document.title,
                        fields.url: document.url,
                        fields.outlet: document.outlet,
                        fields.published: document.published,
                    }
                    line = {key: value for key, value in record.items() if value is not None}
                    stream.write(json.dumps(line, ensure_ascii=False) + "\n")

    def stats(self) -> dict[str, Any]:
        """Counts and sizes: documents, skipped records, matches, stories, bytes per part."""
        store = self.store
        meta = store.meta()
        documents = store.count()
        sizes = store.sizes()
        blobs = store.column_bytes(
            "sketches",
            (
                "signature",
                "fingerprints",
                "line_keys",
                "terms",
                "sentences",
                "sentence_vectors",
                "vector",
                "lead",
            ),
        )
        texts = store.column_bytes("documents", ("text", "row"))
        return {
            "path": str(self.path),
            "format": int(meta["format"]),
            "wiretrace": meta["wiretrace"],
            "created": meta["created"],
            "documents": documents,
            "skipped": len(store.skips()),
            "matches": store.match_count(),
            "stories": len(set(store.labels("stories").values())),
            "groups": len(set(store.labels("groups").values())),
            "story_merges": len(store.merges()),
            # how many documents the last whole pass saw, and how many were added since
            # (provisional: see ``index.provisional``)
            "provisional": provisional_numbers(store),
            "file_bytes": sum(
                (self.path / name).stat().st_size
                for name in (DATABASE, f"{DATABASE}-wal")
                if (self.path / name).exists()
            ),
            "table_bytes": sizes,
            "blob_bytes": {**blobs, "text_compressed": texts["text"], "rows": texts["row"]},
            "settings": json.loads(meta["config"]),
        }


def _stale(store: SqliteStore) -> NDArray[np.int64]:
    """The documents a provisional add left to be cleaned again (``STALE``)."""
    return np.array(json.loads(store.meta().get(STALE, "[]")), dtype=np.int64)


def _pair_key(match: Match, numbers_of: dict[str, int]) -> tuple[int, int]:
    a, b = numbers_of[match.a], numbers_of[match.b]
    return (min(a, b), max(a, b))


def restrict(result: ScanResult, ids: set[str], update: Update) -> ScanResult:
    """``result`` narrowed to the documents ``ids`` (an add's new ones): their rows and the
    records skipped by the add, their matches, the groups and stories that hold them (its
    summary is still the whole's: ``Index._summary_of`` counts the part)."""
    rows = result.documents
    skipped = {(skip.source, skip.id) for skip in update.skipped}
    keep = [
        row
        for row, doc_id in enumerate(rows.id)
        if (rows.status[row] == "ok" and doc_id in ids)
        or (rows.status[row] != "ok" and (rows.source[row], doc_id) in skipped)
    ]
    narrowed = type(rows)()
    for column in dataclasses.fields(rows):
        values = getattr(rows, column.name)
        if isinstance(values, list):  # a column (``event`` is kept by row, below)
            setattr(narrowed, column.name, [values[row] for row in keep])
    narrowed.event = {place: rows.event[row] for place, row in enumerate(keep) if row in rows.event}
    log = tuple(item for item in result.skipped if (item.source, item.id) in skipped)
    return dataclasses.replace(
        result,
        documents=narrowed,
        matches=tuple(m for m in result.matches if m.a in ids or m.b in ids),
        groups=tuple(g for g in result.groups if ids.intersection(g.members)),
        stories=tuple(s for s in result.stories if ids.intersection(s.members)),
        skipped=log,
    )
