"""What a scan found, in a few plain lines: the copies with their sources, the rewrites, the
reused passages and the largest stories (what ``wiretrace scan`` prints after its table)."""

from __future__ import annotations

from wiretrace.pipeline import ScanResult
from wiretrace.records import Match, Relation

_RELATION_WORDS = {
    Relation.EXACT: "exact copy",
    Relation.NEAR_DUPLICATE: "near duplicate",
    Relation.CONTAINED: "contained",
}
_ORDER = [
    Relation.EXACT,
    Relation.NEAR_DUPLICATE,
    Relation.CONTAINED,
    Relation.TRANSLATION,
    Relation.PARAPHRASE,
    Relation.PARTIAL,
]
_TITLE_CHARS = 60


def _short(doc_id: str) -> str:
    return doc_id if len(doc_id) <= 24 else doc_id[:23] + "…"


def _sentence(match: Match) -> str:
    """One match as a sentence: who copied, rewrote or lifted from whom, when a source is
    named; the pair otherwise."""
    copy = match.b if match.source == match.a else match.a
    source, copy = _short(match.source or match.a), _short(copy if match.source else match.b)
    if match.relation.is_copy:
        what = _RELATION_WORDS[match.relation]
        if match.source is None:
            return f"{source} and {copy} are copies ({what}; no source named)"
        return f"{copy} copies {source} ({what})"
    if match.relation == Relation.TRANSLATION:
        if match.source is None:
            return f"{source} and {copy}: one translates the other (translation; no source named)"
        return f"{copy} translates {source} (translation)"
    if match.relation == Relation.PARAPHRASE:
        if match.source is None:
            return f"{source} and {copy}: one rewrites the other (paraphrase; no source named)"
        return f"{copy} rewrites {source} (paraphrase)"
    if match.source is None:
        return f"{source} and {copy} share passages (partial)"
    return f"{copy} lifts passages from {source} (partial)"


def _listed(result: ScanResult, representative: dict[str, str]) -> list[tuple[Match, list[Match]]]:
    """The matches to print, each with the matches it stands for: the copies of a duplicate
    group's representative relate to a document as it does (a follow-up quoting a wire story
    quotes each of its republications), so such a match is one line, the representative's,
    and two copies of one group are no line of their own (each copies the representative)."""

    def canonical(doc_id: str) -> str:
        return representative.get(doc_id, doc_id)

    kept = [match for match in result.matches if match.relation in _ORDER]
    by_key: dict[tuple[str, str, Relation], list[Match]] = {}
    for match in kept:
        ends = sorted((canonical(match.a), canonical(match.b)))
        by_key.setdefault((ends[0], ends[1], match.relation), []).append(match)
    listed: list[tuple[Match, list[Match]]] = []
    for (first, second, relation), matches in by_key.items():
        if first == second and relation.is_copy:  # inside one group: its copies of the
            # representative only
            listed += [(m, []) for m in matches if first in (m.a, m.b)]
            continue
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


def findings(result: ScanResult, limit: int = 8) -> list[str]:
    """Up to ``limit`` lines on the matches (copies first, then rewrites, then passages; a
    relation that a group of copies shares, once), a line on what was left out, and the
    largest stories of several documents."""
    representative = {
        member: group.representative for group in result.groups for member in group.members
    }
    listed = _listed(result, representative)
    lines = []
    for match, others in listed[:limit]:
        line = _sentence(match)
        lines.append(line[:-1] + _also(match, others, representative) + ")")
    if len(listed) > limit:
        rest = sum(1 + len(others) for _, others in listed[limit:])
        lines.append(f"... and {rest:,} more matches (matches table, report)")
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
        lines.append(f"... and {len(stories) - 3:,} more stories of several documents")
    return lines or ["no copies, rewrites, reused passages or stories of several documents"]
