"""What every stage shares: the rows of the documents read, the result, progress reports."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from wiretrace.clean.metadata import TextFacts
from wiretrace.group.duplicates import DocumentFacts
from wiretrace.records import Document, DuplicateGroup, Match, Skipped, Span, Story
from wiretrace.sketch.event import EventArguments

Advance = Callable[[int], None]
OK = "ok"


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
    language: list[str | None] = field(default_factory=list)  # the record's, else detected
    # by row, for the documents whose stories were clustered: who, where, when, how many,
    # and the event's date (the publication moved by "on Tuesday"...)
    event: dict[int, tuple[EventArguments, str | None]] = field(default_factory=dict)

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
        self.language.append(document.language)
        self._extend_facts()
        return len(self.status) - 1

    def facts(self, row: int) -> DocumentFacts:
        """What choosing a duplicate group's representative needs to know of the row."""
        return DocumentFacts(
            self.published[row], self.clean_chars[row] or 0, self.chars[row] or 0, self.title[row]
        )

    def add_facts(self, row: int, spans: tuple[Span, ...], facts: TextFacts) -> None:
        """Boilerplate and metadata found in the text; a date in the record wins."""
        self.boilerplate[row] = spans
        self.credits[row] = facts.credits
        self.dateline[row] = facts.dateline
        if self.language[row] is None:
            self.language[row] = facts.language
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
        self.language.append(document.language if document else None)
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
