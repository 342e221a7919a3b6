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


def findings(result: ScanResult, limit: int = 8) -> list[str]:
    """Up to ``limit`` lines on the matches (copies first, then rewrites, then passages),
    a line on what was left out, and the largest stories of several documents."""
    listed = sorted(
        (match for match in result.matches if match.relation in _ORDER),
        key=lambda match: (_ORDER.index(match.relation), match.a, match.b),
    )
    lines = [_sentence(match) for match in listed[:limit]]
    if len(listed) > limit:
        lines.append(f"... and {len(listed) - limit:,} more matches (matches table, report)")
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
