"""One frozen record type per concept of the vocabulary (see DESIGN.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Relation(StrEnum):
    """How two documents are related; a match carries the strongest that holds."""

    EXACT = "exact"
    NEAR_DUPLICATE = "near_duplicate"
    CONTAINED = "contained"
    PARTIAL = "partial"
    PARAPHRASE = "paraphrase"
    TRANSLATION = "translation"
    SAME_STORY = "same_story"

    @property
    def is_copy(self) -> bool:
        """Whether the relation joins documents into one duplicate group."""
        return self in _COPY_RELATIONS


_COPY_RELATIONS = frozenset({Relation.EXACT, Relation.NEAR_DUPLICATE, Relation.CONTAINED})


@dataclass(frozen=True, slots=True)
class Document:
    """One input record.

    ``source`` says where it was read (``path`` or ``path:line``) so that every message and
    every skipped record can point back to it. Fields other than the named ones go in
    ``metadata``.
    """

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    source: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)
    language: str | None = None  # the record's own (ISO 639-1); detected when None


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A span ``[start, end)`` of a document's original text that is not article body.

    ``kind`` says what it is: ``repeated``, ``credit``, ``metadata``, ``consent``, ``related``,
    ``subscription``, ``share``, ``advertisement``, ``navigation``, ``trailer`` or
    ``recurring`` (see ``wiretrace.clean.boilerplate``).
    """

    start: int
    end: int
    kind: str


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input record that was not processed, and why (nothing is lost silently)."""

    source: str
    reason: str
    detail: str
    id: str | None = None


@dataclass(frozen=True, slots=True)
class Passage:
    """An aligned span pair in original-text character offsets of documents ``a`` and ``b``."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    kind: str
    similarity: float


@dataclass(frozen=True, slots=True)
class Derivation:
    """What shows that one text of a pair was written from the other, sentence by sentence
    (see ``compare.derivation``): the ordered chain of aligned sentences, the share of the
    shorter text it covers, the numbers and names its sentence pairs share and contradict,
    and the quotes carried over."""

    chain: int  # sentences of the shorter text on the ordered chain
    coverage: float  # share of the shorter text's sentence characters on the chain
    facts_shared: int  # numbers and names that chained sentence pairs share
    facts_contradicted: int  # chained pairs that both give numbers, none the same
    quotes: int  # quoted passages of the shorter text found again in the partner sentence


@dataclass(frozen=True, slots=True)
class Match:
    """A verified relation between documents ``a`` and ``b`` (``a < b`` by id)."""

    a: str
    b: str
    relation: Relation
    jaccard: float
    containment_a: float
    containment_b: float
    passages: tuple[Passage, ...]
    semantic: float | None = None
    source: str | None = None
    provenance_confidence: float | None = None
    provenance_reasons: tuple[str, ...] = ()
    series: str | None = None  # the outlet, when both documents are of one outlet's series
    # the sentences' derivation evidence, where the semantic stage compared the pair and it is
    # no copy (compare.derivation)
    derivation: Derivation | None = None


@dataclass(frozen=True, slots=True)
class DuplicateGroup:
    """A connected component of copy matches, and its representative (the earliest published,
    else longest, else smallest id; ``dedup`` drops by a stricter rule, see ``Dropped``)."""

    group: int
    representative: str
    members: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Dropped:
    """A document ``dedup`` leaves out, and the kept document that holds its text directly:
    its exact or near duplicate, or a document that contains it. ``coverage``: the share of
    the dropped document's shingles found in the kept one."""

    id: str
    kept: str
    relation: Relation
    coverage: float


@dataclass(frozen=True, slots=True)
class Story:
    """Documents about the same news event; ``title`` is the headline (or lead sentence) of
    its most central member that another member copies and that copies no other (else of its
    most central member that copies no other, else of its most central member),
    ``first_published`` and ``last_published`` the earliest and the latest known dates of its
    members. What holds it together: ``entities`` and ``terms``,
    the named entities and the words that most of its members share and few other documents
    hold; the event's arguments two or more members give: ``places``, ``when`` (the event's
    date most members give) and ``counts`` ("killed 3"); and ``confidence``, the weakest link
    that holds it (the story model's chance that the two articles it joins are of one event;
    None for a story of one)."""

    story: int
    members: tuple[str, ...]
    first_published: str | None
    title: str | None
    last_published: str | None = None
    entities: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    when: str | None = None
    counts: tuple[str, ...] = ()
    confidence: float | None = None
