"""The scan: read -> clean -> sketch -> candidates -> compare -> group, on the local backend.

Each stage is a function of ``wiretrace.stages``; this module only wires them together.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from wiretrace.backend import Backend, LocalBackend
from wiretrace.candidates.neighbours import (
    day_numbers,
    unique_pairs,
    within_window,
)
from wiretrace.collector import keep, spared
from wiretrace.config import ScanConfig, config_of
from wiretrace.read.files import as_paths, check_inputs
from wiretrace.records import Match, Relation, Skipped, Story
from wiretrace.semantic.cache import check_cache_file
from wiretrace.stages.candidates import candidate_stage
from wiretrace.stages.compare import compare_stage
from wiretrace.stages.grouping import group_stage, story_inputs, story_stage
from wiretrace.stages.languages import (
    across_stage,
    english,
    languages_of,
    with_translations,
    without_english_model,
)
from wiretrace.stages.semantic import relations_not_searched, semantic_stage, semantic_store
from wiretrace.stages.sketching import Sketcher
from wiretrace.stages.state import OK, Advance, DocumentRows, Reporter, ScanResult, SilentReporter
from wiretrace.stages.summary import add_invalid_fields, scan_summary

__all__ = ["OK", "Advance", "DocumentRows", "Reporter", "ScanResult", "SilentReporter", "scan"]


def scan(
    inputs: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    config: ScanConfig | None = None,
    *,
    reporter: Reporter | None = None,
    spill_folder: str | Path | None = None,
    backend: Backend | None = None,
) -> ScanResult:
    """Find copies, reused passages, rewrites and stories among the documents of ``inputs``
    (one path or several: files or folders). ``backend``: where the stages run (default: this
    process and ``config.workers`` worker processes, spilling to ``spill_folder``; see
    ``wiretrace.spark.SparkBackend``)."""
    config = config_of(config)
    reporter = reporter or SilentReporter()
    paths = as_paths(inputs)
    check_inputs(paths)  # a missing input is said before any progress is drawn
    if config.embedding_cache is not None:
        check_cache_file(config.embedding_cache, paths)  # before any work
    timings: dict[str, float] = {}
    timed = partial(_timed, timings)
    rows, log = DocumentRows(), list[Skipped]()
    not_searched = relations_not_searched(config)
    semantic_report: dict[str, Any] = {}
    backend = backend or LocalBackend(config.workers, spill_folder)
    with backend, ExitStack() as closing:
        closing.enter_context(spared())
        described = backend.describe()
        store, static_model = None, None
        if "paraphrase" not in not_searched:
            store, static_model = semantic_store(config, backend.spill.folder, reporter)
            closing.callback(store.close)

        with timed("read_clean_sketch"):
            sketcher = Sketcher(config, reporter, backend, rows, log, store, static_model)
            sketcher.read(paths)
        with timed("recurring_lines"):
            recurring = sketcher.sketch_recurring()
            sketched, invalid = sketcher.sketched(), sketcher.invalid
            del sketcher

        with timed("candidates"), reporter.stage("candidates", None) as advance:
            found = candidate_stage(sketched, rows, config, backend)
            pairs, collisions, verbatim_pairs, passage_candidates, stars = found
            advance(len(pairs))
        sketched.fingerprints.clear()

        days = day_numbers([rows.published[row] for row in sketched.rows])
        leads, similar = None, None
        read_in_english = english(languages_of(sketched, rows))
        if store is not None and sketched.rows:
            with timed("semantic"):
                neighbours, similar, semantic_report = semantic_stage(
                    store, sketched, backend, config, reporter
                )
                # the fast model reads English: its neighbours of other text are no candidates
                neighbours = neighbours[
                    read_in_english[neighbours[:, 0]] & read_in_english[neighbours[:, 1]]
                ]
                pairs = unique_pairs(np.concatenate([pairs, neighbours]), len(sketched.ids))
                # centred on the leads the fast model reads: in a corpus mostly in other
                # languages their mean is what any English lead differs from it by, and
                # every two English leads looked alike (SemEval-2022's ten languages at
                # once: English pairs' F1 0.795 so, 0.824 now, 0.857 scanned alone)
                leads = store.leads(sketched.spilled, read_in_english) if config.stories else None
        pairs = within_window(stars.apply(pairs), days, config.window_days)

        def compare(pairs: NDArray[np.int64]) -> list[Match]:
            return compare_stage(pairs, sketched, rows, backend, config, reporter, store)

        with timed("compare"):
            matches = compare(pairs)
        across = None
        if store is not None and not read_in_english.all():
            with timed("languages"):
                across = across_stage(
                    sketched, rows, backend, reporter, days, config.window_days, matches
                )
            if across is not None:
                matches, similar = without_english_model(
                    matches, similar, across.english, sketched.ids
                )
                matches = with_translations(matches, across, sketched.ids, config.stories)
                semantic_report["across_languages"] = across.report
        with timed("group"):
            grouped = group_stage(matches, sketched, rows, config, compare, config.provenance)
        matches, stories = grouped.matches, list[Story]()
        if config.stories:
            with timed("stories"), reporter.stage("stories", None) as advance:
                evidence = story_inputs(
                    sketched, rows, backend.spill.get, days, leads, similar, config, across
                )
                matches, stories = story_stage(matches, evidence, config)
                advance(len(stories))
        else:
            matches = [match for match in matches if match.relation != Relation.SAME_STORY]

    counts = (
        collisions,
        verbatim_pairs,
        passage_candidates,
        len(pairs),
        recurring,
        stars.leaves,
        grouped.star_pairs,
        grouped.not_listed,
    )
    summary = scan_summary(
        paths, config, rows, log, matches, grouped.groups, stories, counts, timings, not_searched
    )
    summary["semantic"] = semantic_report or {"model": None}  # None: the stage did not run
    # said, not left for the counts to suggest: "paraphrase 0" read as searched
    summary["searched_in_part"] = {}
    if store is not None and not read_in_english.all():
        others = int((~read_in_english).sum())
        summary["searched_in_part"]["paraphrase"] = (
            f"between documents in English only (the sentence model reads English): {others} "
            f"of {len(read_in_english)} documents are in other languages"
        )
    summary["backend"] = described
    add_invalid_fields(summary, invalid)
    return ScanResult(
        documents=rows,
        matches=tuple(matches),
        groups=tuple(grouped.groups),
        stories=tuple(stories),
        skipped=tuple(log),
        summary=summary,
        inputs=tuple(paths),
    )


@contextmanager
def _timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    """Adds the seconds the block takes to ``timings[stage]``. What the stages before made
    lives until the scan ends (``collector``)."""
    keep()
    started = time.perf_counter()
    try:
        yield
    finally:
        timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - started
