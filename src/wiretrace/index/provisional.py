"""When an add works the whole index out again, and what it does when it does not.

An add that works the whole index out again (``Index._apply``) gives exactly what a scan of
everything indexed gives: every document's nearest neighbours by the index's mean, passage
candidacy over every fingerprint, groups, provenance and stories. Its cost grows with the
index (at 100,000 documents the neighbours alone take ~30 s), so in a large index most adds
are **provisional**: the new documents are compared with everything indexed and each other
exactly as a whole pass would compare them (LSH bands, passage fingerprints, their nearest
neighbours by the index's mean with them: what a query does), and what they found is kept:

- their matches, with likely sources, as a whole pass finds them (the same pairs, compared
  by the same code);
- each new document's story: that of the document it is most closely tied to (a copy first,
  then a rewrite, a shared passage, a same-story pair; ``index.query``), else a story of its
  own; its duplicate group: that of the copies it has, else a new one;
- what it does not do until the next whole pass: ask whether a new document becomes one of
  an indexed document's nearest neighbours (and compare such pairs), merge stories or groups
  that a new document ties together, work the stories' evidence and confidence out again,
  and clean again the indexed documents that hold a line the add made recurring (or no
  longer recurring: ``STALE``); the new documents are cleaned of it.

``UpdatePolicy`` says which: an index of at most ``whole_below`` documents is worked out
whole at every add (and so is the first add); a larger one when the documents added since
the last whole pass would pass ``growth`` of what it held then (so the whole passes cost a
constant share of the adds: a geometric series), and at every ``index refresh``, ``index
export`` and ``index remove``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from wiretrace.errors import ConfigError
from wiretrace.group.duplicates import DocumentFacts, published_key, representative
from wiretrace.index.derive import match_json, story_json, story_of
from wiretrace.index.query import Answer, by_document, taken_back
from wiretrace.index.store import SqliteStore, StoredDocument
from wiretrace.records import DuplicateGroup, Match, Relation, Story

# What ties a new document to a story before the next whole pass: relations that make one
# story whatever else the two documents say (a copy is its original's story, a rewrite or a
# translation its source's), the closest first. A shared passage or alike wording is left to
# the story model at the next whole pass: a stock phrase joined two fires, alike leads two
# storms a week apart.
_SAME_STORY = (
    Relation.EXACT,
    Relation.NEAR_DUPLICATE,
    Relation.CONTAINED,
    Relation.TRANSLATION,
    Relation.PARAPHRASE,
)

# meta keys: the documents the index held at its last whole pass, and added since
WHOLE_PASS = "whole_pass_documents"
PENDING = "provisional_documents"
# ... and the indexed documents holding a line whose status a provisional add changed (a JSON
# list of numbers): cleaned and sketched again at the next whole pass
STALE = "stale_documents"


@dataclass(frozen=True, slots=True)
class UpdatePolicy:
    """When an add works the whole index out again (see the module's docstring)."""

    whole_below: int = 20_000
    growth: float = 0.25

    def __post_init__(self) -> None:
        if isinstance(self.whole_below, bool) or not isinstance(self.whole_below, int):
            raise ConfigError(f"whole_below must be an integer, got {self.whole_below!r}")
        if isinstance(self.growth, bool) or not isinstance(self.growth, int | float):
            raise ConfigError(f"growth must be a number, got {self.growth!r}")
        if self.whole_below < 0:
            raise ConfigError(f"whole_below must be >= 0, got {self.whole_below!r}")
        if not self.growth > 0:
            raise ConfigError(f"growth must be > 0, got {self.growth!r}")

    def whole(self, documents: int, pending: int, at_last_pass: int) -> bool:
        """Whether an add that leaves ``documents`` indexed, ``pending`` of them added since
        the last whole pass (which saw ``at_last_pass``; 0: there was none), works the whole
        index out."""
        if documents <= self.whole_below or at_last_pass == 0:
            return True
        return pending > self.growth * at_last_pass


@dataclass(frozen=True, slots=True)
class Provisional:
    """What a provisional add wrote: its matches, and the groups and stories (as they now
    stand) that hold its new documents."""

    matches: list[Match]
    groups: list[DuplicateGroup]
    stories: list[Story]


def keep_provisional(
    store: SqliteStore, new: Sequence[StoredDocument], found: Answer
) -> Provisional:
    """Write ``new`` documents and what ``found`` says of them (inside the writer's
    transaction)."""
    store.put_documents(new)
    for table, rows in found.rows.items():
        store.put_postings(table, rows)
    store.put_pairs("lsh_pairs", [(int(a), int(b), "") for a, b in found.lsh.tolist()])
    numbers = {document.id: document.number for document in new}
    ends = sorted({end for match in found.matches for end in (match.a, match.b)} - set(numbers))
    numbers.update(store.numbers_of(ends))
    # every match is kept with its pair as compared (what a whole pass derives from); what
    # reads serve has its source taken back where both derive from a third, as a whole pass
    # and a query take it, and leaves out `same_story`, which the story model decides at the
    # next whole pass
    shown = taken_back(store, found.matches, {document.id for document in new})
    values, served, listed = {}, [], []
    for match, derived in zip(found.matches, shown, strict=True):
        a, b = numbers[match.a], numbers[match.b]
        key = (min(a, b), max(a, b))
        values[key] = match_json(match)
        if match.relation != Relation.SAME_STORY:
            served.append((*key, values[key] if derived is match else match_json(derived)))
            listed.append(derived)
    store.put_compared(
        [
            (a, b, reason, values.get((a, b)))
            for (a, b), reason in zip(found.pairs.tolist(), found.reasons.tolist(), strict=True)
        ]
    )
    meta = store.meta()
    story_of_new, next_story = _story_labels(
        store, new, found.matches, numbers, int(meta["next_story"])
    )
    groups, next_group = _groups(store, new, found.matches, numbers, int(meta["next_group"]))
    store.add_labels("stories", {numbers[doc_id]: s for doc_id, s in story_of_new.items()})
    store.add_labels(
        "groups", {numbers[m]: g.group for g in groups for m in g.members if m in numbers}
    )
    stories = _stories(store, new, story_of_new)
    store.add_found(
        served,
        [(s.story, s.last_published, story_json(s)) for s in stories],
    )
    pending = int(meta.get(PENDING, "0")) + len(new)
    store.set_meta(
        {
            "next_story": str(next_story),
            "next_group": str(next_group),
            PENDING: str(pending),
        }
    )
    return Provisional(listed, groups, stories)


def _tie(document: StoredDocument, matches: list[Match], labels: dict[str, int]) -> int | None:
    """The story of the document ``document`` is most closely tied to by a relation that
    makes one story whatever else the two say (``_SAME_STORY``), a copy first (``matches``:
    the document's)."""
    ties = [
        (_SAME_STORY.index(match.relation), -(match.semantic or match.jaccard), other)
        for match in matches
        if match.relation in _SAME_STORY
        for other in (match.b if match.a == document.id else match.a,)
        if other in labels
    ]
    return labels[min(ties)[2]] if ties else None


def _story_labels(
    store: SqliteStore,
    new: Sequence[StoredDocument],
    matches: list[Match],
    numbers: dict[str, int],
    next_story: int,
) -> tuple[dict[str, int], int]:
    """Each new document's story id and the next free id. In the order they were read, so
    that one tied to an earlier new document joins its story."""
    fresh = {document.id for document in new}
    labels: dict[str, int] = {}
    for doc_id in sorted({end for match in matches for end in (match.a, match.b)} - fresh):
        label = store.label_of("stories", numbers[doc_id])
        if label is not None:
            labels[doc_id] = label
    assigned: dict[str, int] = {}
    of_document = by_document(matches)
    for document in new:
        label = _tie(document, of_document.get(document.id, []), labels)
        if label is None:
            label, next_story = next_story, next_story + 1
        labels[document.id] = assigned[document.id] = label
    return assigned, next_story


def _facts(document: StoredDocument) -> DocumentFacts:
    return DocumentFacts(document.published, document.clean_chars, document.chars)


def _groups(
    store: SqliteStore,
    new: Sequence[StoredDocument],
    matches: list[Match],
    numbers: dict[str, int],
    next_group: int,
) -> tuple[list[DuplicateGroup], int]:
    """The duplicate groups holding new documents that have copies: each joins the group of
    its copies (the oldest id where they are in several: the next whole pass merges them),
    or a new one; and the next free id."""
    fresh = {document.id for document in new}
    partners: dict[str, set[str]] = {}
    for match in matches:
        if match.relation.is_copy:
            partners.setdefault(match.a, set()).add(match.b)
            partners.setdefault(match.b, set()).add(match.a)
    label_of: dict[str, int] = {}
    for doc_id in sorted(set(partners) - fresh):
        label = store.label_of("groups", numbers[doc_id])
        if label is not None:
            label_of[doc_id] = label
    touched: dict[int, set[str]] = {}
    for document in new:  # in the order read: a copy of an earlier new one joins its group
        if document.id not in partners:
            continue
        held = [label_of[other] for other in partners[document.id] if other in label_of]
        if held:
            label = min(held)
        else:
            label, next_group = next_group, next_group + 1
        for doc_id in (document.id, *sorted(partners[document.id])):
            label_of.setdefault(doc_id, label)
            touched.setdefault(label_of[doc_id], set()).add(doc_id)
    if not touched:
        return [], next_group
    stored = {label: store.labelled("groups", label) for label in sorted(touched)}
    wanted = sorted({n for found in stored.values() for n in found} - set(numbers.values()))
    documents = {d.id: d for d in store.documents(wanted, text=False)}
    documents.update((d.id, d) for d in new)
    by_number = {d.number: d.id for d in documents.values()}
    ends = sorted({m for members in touched.values() for m in members} - set(documents))
    for document in store.documents([numbers[doc_id] for doc_id in ends], text=False):
        documents[document.id] = document
    groups = []
    for label in sorted(touched):
        members = sorted(touched[label] | {by_number[n] for n in stored[label] if n in by_number})
        facts = {doc_id: _facts(documents[doc_id]) for doc_id in members}
        groups.append(DuplicateGroup(label, representative(members, facts), tuple(members)))
    return groups, next_group


def extreme(first: str | None, second: str | None, later: bool = False) -> str | None:
    """The earlier (``later``: the later) of two published dates; an unknown one loses."""
    known = [value for value in (first, second) if published_key(value) is not None]
    if not known:
        return first or second
    return (max if later else min)(known, key=published_key)  # type: ignore[arg-type]


def _stories(
    store: SqliteStore, new: Sequence[StoredDocument], labels: dict[str, int]
) -> list[Story]:
    """The stories that hold new documents, as they now stand: an indexed story with its new
    members (its title, evidence and confidence as the last whole pass gave them), or a new
    story of its new documents (titled by the first one's headline or lead)."""
    stories: dict[int, Story] = {}
    for document in new:
        label = labels[document.id]
        story = stories.get(label)
        if story is None:
            record = store.story_record(label)
            story = story_of(record) if record is not None else None
        if story is None:
            story = Story(
                label,
                (),
                document.published,
                document.title or document.sketch.topics.lead,
                document.published,
            )
        stories[label] = dataclasses.replace(
            story,
            members=(*story.members, document.id),
            first_published=extreme(story.first_published, document.published),
            last_published=extreme(story.last_published, document.published, later=True),
        )
    return [stories[label] for label in sorted(stories)]


def provisional_numbers(store: SqliteStore) -> dict[str, int]:
    """How many documents the index held at its last whole pass, and has added since."""
    meta = store.meta()
    return {
        "at_last_whole_pass": int(meta.get(WHOLE_PASS, "0")),
        "added_since": int(meta.get(PENDING, "0")),
    }
