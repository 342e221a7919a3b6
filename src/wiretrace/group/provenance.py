"""Provenance: for a match with shared or rewritten text, which document is the likely source.

Each clue gives a signed score (positive: ``a`` is the source) and a reason a person can read:

- publication time: the earlier document (dates a day or more apart, or times an hour or more
  apart) scores 2;
- the agency: a document published by the agency that both credit scores 3 (the agency's own
  copy); otherwise an agency credit or a dateline that only one of them carries scores 1.5
  (republishers drop them more often than they add them). It scores 1 when the document
  that carries them is known to be published by someone other than the agency (it is a
  copy of the agency's story itself, and the other may have copied the agency directly) and
  for a rewrite or a translation (either drops them whatever it rewrote, possibly a sibling
  story of the same agency); nothing for a ``partial`` match (a credit speaks for a whole
  text, not for one shared passage);
- truncation: when one document is contained in the opening of the other and the rest is
  missing, the longer one scores 1 (copies are cut short, sources rarely grow a tail);
- page noise: the document with clearly more boilerplate (consent notices, link lists,
  trailers) scores 0.5 as the copy's page.

The source is named when the clues add up to at least ``provenance_min_score`` and no clue of
weight 1.5 or more points the other way; the confidence is the logistic of the total. It stays
null, with the reason, when the clues conflict, when there are too few, and when both documents
credit the same agency without either being the agency's own copy: both are then likely
copies of the agency's story, which the corpus does not hold (the later one may have copied
the earlier, but nothing in the texts tells). Two of the agency's own pages (its story and
its update) are ordered by the other clues, as any two versions are.

A source named for a pair is taken back where the corpus shows that both derive from one third
document (``derived_from_one``): a cut copy of a wire story and an op-ed that lifted one of its
paragraphs share that paragraph, and the earlier of the two is not its source.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from wiretrace.clean.patterns import AGENCY_PUBLISHERS
from wiretrace.group.duplicates import published_key
from wiretrace.records import Match, Relation

_TIME = 2.0
_AGENCY_OWN = 3.0
_CREDIT = 1.5
_OUTLET_WORD = re.compile(r"[^\W_]+")
_CREDIT_REPUBLISHED = 1.0
# a rewrite, in its language or another, drops credits whatever it rewrote (possibly a
# sibling of the same agency's story: an English rewrite of a wire story and the story's
# Spanish translation, the Spanish one keeping the credit, were "translation, source: the
# Spanish" at 0.82); a shared passage says nothing of the whole
_CREDIT_WEIGHT = {Relation.PARAPHRASE: 1.0, Relation.TRANSLATION: 1.0, Relation.PARTIAL: 0.0}
_TRUNCATED = 1.0
_NOISE = 0.5
_STRONG = 1.5  # a clue this heavy pointing the other way is a conflict
_NOISE_MARGIN = 0.05  # share of characters marked as boilerplate
_EDGE_SHARE = 0.05  # text before the shared part that still counts as the opening
_TAIL_SHARE = 0.15  # text after it that counts as a missing tail


def _name_words(name: str) -> list[str]:
    """A name's words in lower case, a leading "the" left out."""
    words = _OUTLET_WORD.findall(name.casefold())
    return words[1:] if words[:1] == ["the"] else words


def _publisher_words() -> dict[str, list[list[str]]]:
    """Each agency's names as words: "AP" -> [["ap"], ["associated", "press"], ...]."""
    found: dict[str, list[list[str]]] = {}
    for name, agency in AGENCY_PUBLISHERS.items():
        found.setdefault(agency, []).append(_name_words(name))
    return found


_PUBLISHER_WORDS = _publisher_words()
_ATTRIBUTED = frozenset(
    {
        Relation.EXACT,
        Relation.NEAR_DUPLICATE,
        Relation.CONTAINED,
        Relation.PARTIAL,
        Relation.PARAPHRASE,
        Relation.TRANSLATION,
    }
)


@dataclass(frozen=True, slots=True)
class ProvenanceFacts:
    """What provenance needs to know of one document."""

    published: str | None
    credits: tuple[str, ...]
    dateline: str | None
    outlet: str | None
    chars: int
    boilerplate_chars: int


def _publishes(outlet: str, agency: str) -> bool:
    """Whether ``outlet`` (a name or a host: "AFP", "afp.com", "apnews.com", "The Associated
    Press", "Associated Press (AP)", "meridianwire.com") is the agency: one of its words is
    the agency's short name or its name's words written as one, or its words open with one of
    the agency's names (``AGENCY_PUBLISHERS``), "the" left out ("Australian Associated Press"
    is AAP, not AP)."""
    # a credit written as a name the agency goes by ("ANKARA (AA) -") is the agency
    agency = AGENCY_PUBLISHERS.get(agency, agency)
    name = agency.casefold()
    words = _name_words(outlet)
    # a host writes a name of several words as one ("Meridian Wire": meridianwire.com): an
    # agency no list knows is known by the name its dateline gives
    spelled = {name, f"{name}news"}
    parts = _name_words(agency)
    if parts and min(map(len, parts)) > 1:  # not initials: "U.S." is no usnews.com
        joined = "".join(parts)
        if len(parts) > 1:
            spelled |= {joined, f"{joined}news"}
        if name.startswith("the "):  # "The Hill": thehill.com
            spelled.add(f"the{joined}")
    if any(word in spelled for word in words):
        return True
    # an outlet a dateline credits as written ("OSLO (Nordic Press) -") is its own name
    names = [*_PUBLISHER_WORDS.get(agency, ()), _name_words(agency)]
    return any(full and words[: len(full)] == full for full in names)


def _label(doc_id: str) -> str:
    return doc_id if len(doc_id) <= 40 else doc_id[:37] + "..."


def _time_clue(a: ProvenanceFacts, b: ProvenanceFacts) -> tuple[float, str] | None:
    """Which was published first, when that is sure: an hour apart or more where both give
    the time of day; where one gives only its day, on different days (each as it is written:
    a report of 09:12 on the 14th and one of the 15th were "too close together to tell",
    held to 24 hours from the 15th's midnight)."""
    first, second = published_key(a.published), published_key(b.published)
    if first is None or second is None or a.published is None or b.published is None:
        return None
    shown = f"{a.published} vs {b.published}"
    if len(a.published) <= 10 or len(b.published) <= 10:
        days = (
            dt.date.fromisoformat(b.published[:10]) - dt.date.fromisoformat(a.published[:10])
        ).days
        if days == 0:
            return None
        apart = "a day" if abs(days) == 1 else f"{abs(days)} days"
        return (_TIME if days > 0 else -_TIME), f"published {apart} apart: {shown}"
    gap = (second - first).total_seconds()
    if abs(gap) < 3_600:
        return None
    hours = abs(gap) / 3600
    later = f"{hours / 24:.0f} days" if hours >= 48 else f"{hours:.0f} hours"
    later = "an hour" if later == "1 hours" else later
    return (_TIME if gap > 0 else -_TIME), f"published {later} apart: {shown}"


def _agency_clues(
    relation: Relation, a_id: str, a: ProvenanceFacts, b_id: str, b: ProvenanceFacts
) -> tuple[list[tuple[float, str]], str | None]:
    """Clues from credits and datelines, and the agency both credit (if any)."""
    clues: list[tuple[float, str]] = []
    shared = sorted(set(a.credits) & set(b.credits))
    for credit in shared:
        own = [
            (sign, doc_id)
            for sign, doc_id, facts in ((1.0, a_id, a), (-1.0, b_id, b))
            if facts.outlet and _publishes(facts.outlet, credit)
        ]
        if len(own) == 2:  # two of the agency's own pages: its story and its update, which
            # the other clues (their times, a cut) order as any two versions
            clues.append((0.0, f"both are {credit}'s own"))
            return clues, None
        if own:
            sign, doc_id = own[0]
            clues.append((sign * _AGENCY_OWN, f"{_label(doc_id)} is {credit}'s own copy"))
            return clues, None
    a_marks = bool(a.credits) or a.dateline is not None
    b_marks = bool(b.credits) or b.dateline is not None
    weight = _CREDIT_WEIGHT.get(relation, _CREDIT)
    if a_marks != b_marks and weight:
        sign, doc_id, facts = (1.0, a_id, a) if a_marks else (-1.0, b_id, b)
        if facts.outlet and not any(_publishes(facts.outlet, credit) for credit in facts.credits):
            weight = min(weight, _CREDIT_REPUBLISHED)
        carried = [f"the credit {', '.join(facts.credits)}"] if facts.credits else []
        if facts.dateline:
            carried.append(f"the dateline {facts.dateline}")
        other = _label(b_id if a_marks else a_id)
        clues.append(
            (
                sign * weight,
                f"only {_label(doc_id)} carries {' and '.join(carried)}; {other} dropped it",
            )
        )
    return clues, shared[0] if shared else None


def _truncation_clue(
    match: Match, a_id: str, a: ProvenanceFacts, b_id: str, b: ProvenanceFacts
) -> tuple[float, str] | None:
    if match.relation != Relation.CONTAINED or not match.passages:
        return None
    # the document covered less is the longer one: is the shorter its opening?
    a_longer = match.containment_a < match.containment_b
    longer = a if a_longer else b
    starts = [p.a_start if a_longer else p.b_start for p in match.passages]
    ends = [p.a_end if a_longer else p.b_end for p in match.passages]
    size = max(1, longer.chars - longer.boilerplate_chars)
    if min(starts) > _EDGE_SHARE * longer.chars or (longer.chars - max(ends)) < _TAIL_SHARE * size:
        return None
    shorter_id, longer_id = (b_id, a_id) if a_longer else (a_id, b_id)
    sign = 1.0 if a_longer else -1.0
    return (
        sign * _TRUNCATED,
        f"{_label(shorter_id)} is the opening of {_label(longer_id)}, cut short",
    )


def _noise_clue(
    a_id: str, a: ProvenanceFacts, b_id: str, b: ProvenanceFacts
) -> tuple[float, str] | None:
    a_share = a.boilerplate_chars / max(1, a.chars)
    b_share = b.boilerplate_chars / max(1, b.chars)
    if abs(a_share - b_share) < _NOISE_MARGIN:
        return None
    noisy, share = (b_id, b_share) if b_share > a_share else (a_id, a_share)
    sign = 1.0 if b_share > a_share else -1.0
    return (
        sign * _NOISE,
        f"{_label(noisy)} adds page noise ({share:.0%} of its text is boilerplate)",
    )


def _of_two(ids: list[str], both: str, one: str, neither: str) -> str:
    """What holds of two documents, said of the ones it holds for."""
    if len(ids) == 2:
        return both
    return f"only {_label(ids[0])} {one}" if ids else neither


def _no_clue(a_id: str, a: ProvenanceFacts, b_id: str, b: ProvenanceFacts) -> str:
    """Why no clue points either way, as the two documents are: said only of what holds."""
    pairs = ((a_id, a), (b_id, b))
    dated = [doc_id for doc_id, facts in pairs if published_key(facts.published) is not None]
    marked = [doc_id for doc_id, facts in pairs if facts.credits or facts.dateline is not None]
    dates = _of_two(dated, "published too close together to tell", "has a date", "no dates")
    marks = _of_two(
        marked, "both carry agency marks", "carries an agency mark", "no credits or datelines"
    )
    return f"no clue of direction ({dates}, {marks}, alike in page noise)"


def attribute(match: Match, facts: Mapping[str, ProvenanceFacts], min_score: float) -> Match:
    """``match`` with ``source``, ``provenance_confidence`` and ``provenance_reasons`` set
    (the source stays null, with reasons, where the evidence does not name one)."""
    if match.relation not in _ATTRIBUTED:
        return match
    a, b = facts[match.a], facts[match.b]
    clues, agency = _agency_clues(match.relation, match.a, a, match.b, b)
    for clue in (
        _time_clue(a, b),
        _truncation_clue(match, match.a, a, match.b, b),
        _noise_clue(match.a, a, match.b, b),
    ):
        if clue is not None:
            clues.append(clue)
    score = sum(weight for weight, _ in clues)
    # each clue says which way it points: "only a3s carries the credit; a3 dropped it" read
    # as evidence against a3 where a3 was named the source on the others
    reasons = [
        f"{reason} (for {_label(match.a if weight > 0 else match.b)} as the source)"
        if weight
        else reason
        for weight, reason in clues
    ]
    against = [weight for weight, _ in clues if weight * score < 0]
    if agency is not None:
        # two reports sharing a passage (one wire's formula in two of its stories) are not
        # copies of one story
        shared = "both are copies of" if match.relation.is_copy else "what they share is from"
        reasons.append(
            f"both credit {agency}: likely {shared} the agency's story (either may be it): no "
            "source named"
        )
        return replace(
            match, source=None, provenance_confidence=None, provenance_reasons=tuple(reasons)
        )
    if any(abs(weight) >= _STRONG for weight in against):
        reasons.append("the clues conflict: no source named")
        return replace(
            match, source=None, provenance_confidence=None, provenance_reasons=tuple(reasons)
        )
    if abs(score) < min_score:
        reasons.append(
            "too little evidence to name a source" if clues else _no_clue(match.a, a, match.b, b)
        )
        return replace(
            match, source=None, provenance_confidence=None, provenance_reasons=tuple(reasons)
        )
    confidence = 1.0 / (1.0 + math.exp(-abs(score)))
    return replace(
        match,
        source=match.a if score > 0 else match.b,
        provenance_confidence=round(confidence, 3),
        provenance_reasons=tuple(reasons),
    )


# relations by how much of a text they derive from the other: copies first (the found
# lines list them in this order too)
BY_STRENGTH = (
    Relation.EXACT,
    Relation.NEAR_DUPLICATE,
    Relation.CONTAINED,
    Relation.TRANSLATION,
    Relation.PARAPHRASE,
    Relation.PARTIAL,
)


def _side(match: Match, doc_id: str) -> list[tuple[int, int]]:
    """The spans of ``doc_id``'s text that ``match``'s passages cover."""
    if doc_id == match.a:
        return [(passage.a_start, passage.a_end) for passage in match.passages]
    return [(passage.b_start, passage.b_end) for passage in match.passages]


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` as disjoint intervals, in order (a rewrite's match lists the verbatim
    passage inside a sentence and the sentence both)."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        elif end > start:
            merged.append((start, end))
    return merged


def _mostly_within(spans: list[tuple[int, int]], cover: list[tuple[int, int]]) -> bool:
    """Whether ``cover`` holds at least half of ``spans``' characters (both merged)."""
    total = sum(end - start for start, end in spans)
    held = sum(
        max(0, min(end, last) - max(start, first)) for start, end in spans for first, last in cover
    )
    return 2 * held >= total > 0


def derived_from_one(matches: list[Match]) -> list[Match]:
    """``matches`` with the source of a shared passage, rewrite or translation taken back
    where a third document is named the source of both, by a relation that holds what the pair
    shares: a copy of it, or a passage, rewrite or translation of it that covers on each side
    most of what the pair's passages cover (a relation no weaker than the pair's). A cut copy
    of a wire story and an op-ed that lifted one of its paragraphs were "the copy lifts from
    the op-ed" by their times alone; an English copy of a wire story and the wire's Spanish
    translation, "the copy translates the Spanish"; a rewrite of the wire, "a rewrite of a
    republisher's verbatim copy" beside "a rewrite of the wire". A pair that shares more
    than the third document gives keeps its source (a rewrite of a text that lifted one
    paragraph of the third)."""
    strength = {relation: place for place, relation in enumerate(BY_STRENGTH)}
    # by copy, then by source: the matches naming the source of the copy, each with the
    # spans of the copy its passages cover
    sources: dict[str, dict[str, list[tuple[Match, list[tuple[int, int]]]]]] = {}
    for match in matches:
        if match.source is not None and match.relation in strength:
            copy = match.b if match.source == match.a else match.a
            named = sources.setdefault(copy, {}).setdefault(match.source, [])
            named.append((match, _merged(_side(match, copy))))

    def holds(
        third: Match, cover: list[tuple[int, int]], pair: Match, shared: list[tuple[int, int]]
    ) -> bool:
        """Whether ``third`` (a document and its source; ``cover``: what it covers of the
        document) holds what ``pair`` shares on that side (``shared``): a copy that holds
        its source and more (a wire story with local paragraphs) may share the more with
        the other."""
        if third.relation == Relation.EXACT and not third.passages:
            return True
        return strength[third.relation] <= strength[pair.relation] and _mostly_within(shared, cover)

    found = []
    for match in matches:
        if match.source is not None and not match.relation.is_copy and match.relation in strength:
            of_a, of_b = sources.get(match.a, {}), sources.get(match.b, {})
            # only a source named on both sides is read (in a corpus of recurring sentences a
            # page is named the copy of hundreds: reading them all cost 71 s of a scan's 138)
            both = sorted(of_a.keys() & of_b.keys() - {match.a, match.b})
            on_a = _merged(_side(match, match.a)) if both else []
            on_b = _merged(_side(match, match.b)) if both else []
            common: list[tuple[float, str]] = []
            for source in both:
                held = [
                    third.provenance_confidence or 0.0
                    for third, cover in of_a[source]
                    if holds(third, cover, match, on_a)
                ]
                if held:
                    common.extend(
                        (-min(held[-1], third.provenance_confidence or 0.0), source)
                        for third, cover in of_b[source]
                        if holds(third, cover, match, on_b)
                    )
            # the third named most surely on both sides (then the first by id)
            common.sort()
            if common:
                reason = f"both derive from {_label(str(common[0][1]))}: no source named"
                match = replace(
                    match,
                    source=None,
                    provenance_confidence=None,
                    provenance_reasons=(*match.provenance_reasons, reason),
                )
        found.append(match)
    return found
