"""What summary.json says of a scan."""

from __future__ import annotations

from collections import Counter
from typing import Any

from wiretrace import __version__
from wiretrace.config import ScanConfig
from wiretrace.group.story_model import story_model
from wiretrace.read.fields import InvalidField
from wiretrace.read.files import FILE_REASONS, path_text
from wiretrace.records import Document, DuplicateGroup, Match, Relation, Skipped, Story
from wiretrace.stages.state import OK, DocumentRows


def add_invalid_fields(
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


def scan_summary(
    inputs: list[str],
    config: ScanConfig,
    rows: DocumentRows,
    log: list[Skipped],
    matches: list[Match],
    groups: list[DuplicateGroup],
    stories: list[Story],
    counts: tuple[int | None, ...],
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
            "documents_by_language": _by_language(rows) if config.languages else None,
            "skipped": sum(reasons.values()),
            # a whole file passed over is no record: records = documents + skipped_records
            "skipped_records": sum(n for why, n in reasons.items() if why not in FILE_REASONS),
            "skipped_files": sum(n for why, n in reasons.items() if why in FILE_REASONS),
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
        "config": _config_values(config),
        "timings_seconds": {stage: round(seconds, 3) for stage, seconds in timings.items()},
    }


def _config_values(config: ScanConfig) -> dict[str, Any]:
    """The settings, and the story resolution in force where none was asked for (the story
    model's own, for its sentence model): a new user saw null and could not tell what to
    raise it from."""
    values = config.to_dict()
    if config.stories:
        resolution = config.story_resolution
        if resolution is None:
            model = story_model().for_sentence_model(config.semantic_model)
            resolution = model.resolution
        values["story_resolution_used"] = resolution
    return values


def _by_language(rows: DocumentRows) -> dict[str, int]:
    """Documents read per language (ISO 639-1; "unknown": no letters to tell), most first."""
    found = Counter(
        language or "unknown"
        for language, status in zip(rows.language, rows.status, strict=True)
        if status == OK
    )
    return dict(sorted(found.items(), key=lambda item: (-item[1], item[0])))
