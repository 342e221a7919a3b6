"""What a scan found, in a few plain lines: the copies with their sources, the rewrites, the
reused passages and the largest stories (what ``wiretrace scan`` prints after its table)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace

from wiretrace.group.provenance import BY_STRENGTH
from wiretrace.pipeline import ScanResult
from wiretrace.records import Match, Relation

_RELATION_WORDS = {
    Relation.EXACT: "exact copy",
    Relation.NEAR_DUPLICATE: "near duplicate",
    Relation.CONTAINED: "contained",
}
_ORDER = list(BY_STRENGTH)
_TITLE_CHARS = 60
_DERIVED = frozenset(
    {
        Relation.EXACT,
        Relation.NEAR_DUPLICATE,
        Relation.CONTAINED,
        Relation.TRANSLATION,
        Relation.PARAPHRASE,
    }
)


_MOSTLY = 0.5  # of the shorter text rewritten: the rewrite of a text; below, of sentences


def _short(doc_id: str) -> str:
    # whole up to a URL's usual length, so that an id can be copied from the line
    return doc_id if len(doc_id) <= 80 else doc_id[:79] + "…"


def _sentence(match: Match, common: str | None = None) -> str:
    """One match as a sentence: who copied, rewrote or lifted from whom, when a source is
    named; the pair otherwise, and the source both derive from when they share one
    (``common``)."""
    if common is not None:
        match = replace(match, source=None)
    copy = match.b if match.source == match.a else match.a
    source, copy = _short(match.source or match.a), _short(copy if match.source else match.b)
    if match.relation.is_copy:
        what = _RELATION_WORDS[match.relation]
        if match.source is None:
            return f"{source} and {copy} are copies ({what}; no source named)"
        return f"{copy} copies {source} ({what})"
    unnamed = "no source named" if common is None else f"both derive from {_short(common)}"
    if match.relation == Relation.TRANSLATION:
        if match.source is None:
            return f"{source} and {copy}: one translates the other (translation; {unnamed})"
        return f"{copy} translates {source} (translation)"
    if match.relation == Relation.PARAPHRASE:
        # a digest that retells one paragraph of a wire story rewrites sentences of it, not
        # the story: the rewritten sentences cover less than half of the shorter text
        part = (
            "sentences of "
            if match.derivation is not None and match.derivation.coverage < _MOSTLY
            else ""
        )
        if match.source is None:
            return f"{source} and {copy}: one rewrites {part}the other (paraphrase; {unnamed})"
        return f"{copy} rewrites {part}{source} (paraphrase)"
    if match.source is None:
        said = "" if common is None else f"; {unnamed}"  # no source named is no news here
        return f"{source} and {copy} share passages (partial{said})"
    return f"{copy} lifts passages from {source} (partial)"


def _listed(result: ScanResult, representative: dict[str, str]) -> list[tuple[Match, list[Match]]]:
    """The matches to print, each with the matches it stands for: the copies of a duplicate
    group's representative relate to a document as it does (a follow-up quoting a wire story
    quotes each of its republications), so such a match is one line, the representative's;
    inside a group, each copy is one line, with its named source."""

    def canonical(doc_id: str) -> str:
        return representative.get(doc_id, doc_id)

    kept = [match for match in result.matches if match.relation in _ORDER]
    by_key: dict[tuple[str, str, Relation], list[Match]] = {}
    inside: dict[str, list[Match]] = {}  # per member of a group, its copy matches inside it
    for match in kept:
        ends = sorted((canonical(match.a), canonical(match.b)))
        if ends[0] == ends[1] and match.relation.is_copy:
            for end in (match.a, match.b):
                inside.setdefault(end, []).append(match)
            continue
        by_key.setdefault((ends[0], ends[1], match.relation), []).append(match)
    listed: list[tuple[Match, list[Match]]] = []
    for member, matches in inside.items():
        if representative.get(member, member) == member:
            continue
        # inside one group, each copy once: with the source named for it, the closest copy
        # first (an exact copy of the agency's update, not the near duplicate of its first
        # version that the group is named by), else with the group's representative
        sourced = [m for m in matches if m.source is not None and m.source != member]
        chosen = min(
            sourced or [m for m in matches if representative[member] in (m.a, m.b)] or matches,
            key=lambda m: (_ORDER.index(m.relation), representative[member] not in (m.a, m.b)),
        )
        if all(chosen is not other for other, _ in listed):
            listed.append((chosen, []))
    for (first, second, _), matches in by_key.items():
        line = next((m for m in matches if (m.a, m.b) == (first, second)), None)
        if line is None or first == second:
            listed += [(m, []) for m in matches]
        else:
            listed.append((line, [m for m in matches if m is not line]))
    return sorted(listed, key=lambda item: (_ORDER.index(item[0].relation), item[0].a, item[0].b))


def _also(match: Match, others: list[Match], representative: dict[str, str]) -> str:
    """``; also with 2 copies of X``: the copies the same relation holds with."""
    if not others:
        return ""
    sides = {match.a, match.b}
    ends = sorted({end for other in others for end in (other.a, other.b) if end not in sides})
    of = sorted({representative[end] for end in ends if end in representative})
    count = len(ends)
    copies = "copy" if count == 1 else "copies"
    return f"; also with {count} {copies} of {', '.join(_short(end) for end in of)}"


def _common_sources(
    matches: Iterable[Match], representative: dict[str, str]
) -> Callable[[Match], str | None]:
    """For a rewrite, translation or shared passage between two documents that each copy,
    translate or rewrite one third document (named their source), that document: the pair's
    likeness comes from it (an English rewrite of a wire story and the story's Spanish
    translation "translate" each other)."""
    sources: dict[str, set[str]] = {}
    for match in matches:
        if match.source is not None and match.relation in _DERIVED:
            copy = match.b if match.source == match.a else match.a
            sources.setdefault(representative.get(copy, copy), set()).add(
                representative.get(match.source, match.source)
            )

    def common(match: Match) -> str | None:
        if match.relation.is_copy:
            return None
        a, b = (representative.get(end, end) for end in (match.a, match.b))
        shared = (sources.get(a, set()) & sources.get(b, set())) - {a, b}
        return min(shared) if shared else None

    return common


def findings(
    result: ScanResult, limit: int = 8, representatives: Mapping[str, str] | None = None
) -> list[str]:
    """Up to ``limit`` lines on the matches (copies first, then rewrites, then passages; a
    relation that a group of copies shares, once; last, the likeness of two documents that
    derive from one third), a line on what was left out, and the largest stories of several
    documents. ``representatives``: groups of copies beyond the result's own (an index's
    answer names indexed partners whose groups it does not list), by each member."""
    representative = dict(representatives or {})
    representative.update(
        (member, group.representative) for group in result.groups for member in group.members
    )
    common = _common_sources(result.matches, representative)
    listed = sorted(
        _listed(result, representative), key=lambda item: common(item[0]) is not None
    )  # stable: the order of _listed within each part
    shown = _each_kind(listed, limit)
    lines = []
    for index in shown:
        match, others = listed[index]
        line = _sentence(match, common(match))
        lines.append(line[:-1] + _also(match, others, representative) + ")")
    if len(listed) > limit:
        rest = sum(
            1 + len(others) for index, (_, others) in enumerate(listed) if index not in shown
        )
        lines.append(f"... and {rest:,} more {_noun(rest, 'match')} (matches table, report)")
    stories = sorted(
        (story for story in result.stories if len(story.members) > 1),
        key=lambda story: (-len(story.members), story.story),
    )
    for story in stories[:3]:
        title = story.title or ""
        if len(title) > _TITLE_CHARS:
            title = title[: _TITLE_CHARS - 1].rstrip() + "…"
        # its weakest link: a story held by a coin toss should not read as sure
        sure = "" if story.confidence is None else f", confidence {story.confidence:.2f}"
        lines.append(f"story {story.story}: {len(story.members)} documents{sure}, {title!r}")
    if len(stories) > 3:
        more = len(stories) - 3
        lines.append(f"... and {more:,} more {_noun(more, 'story')} of several documents")
    return lines or ["no copies, rewrites, reused passages or stories of several documents"]


def _each_kind(listed: list[tuple[Match, list[Match]]], limit: int) -> list[int]:
    """The places of up to ``limit`` lines of ``listed``, in its order, taken a relation at a
    time (a line of each relation, then a second of each...): eight copies of two wire
    stories should not hide the one rewrite and the passage lifted from them."""
    by_relation: dict[Relation, list[int]] = {}
    for index, (match, _) in enumerate(listed):
        by_relation.setdefault(match.relation, []).append(index)
    queues = [iter(places) for places in by_relation.values()]
    shown: list[int] = []
    while queues and len(shown) < limit:
        for queue in list(queues):
            place = next(queue, None)
            if place is None:
                queues.remove(queue)
            elif len(shown) < limit:
                shown.append(place)
    return sorted(shown)


def _noun(count: int, word: str) -> str:
    """``word`` as many as ``count`` say: "1 more match", "2 more matches"."""
    if count == 1:
        return word
    return word[:-1] + "ies" if word.endswith("y") else word + ("es" if word.endswith("h") else "s")
