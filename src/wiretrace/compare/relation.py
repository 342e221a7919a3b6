"""Decide the relation of a candidate pair, or nothing when no threshold holds."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Set
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from wiretrace.compare.align import Prepared, WordPassage, align, coverage, member_of
from wiretrace.config import ScanConfig
from wiretrace.records import Match, Passage, Relation

VERBATIM = "verbatim"


def _passage(
    a: Prepared, b: Prepared, passage_words: tuple[int, int, int, int], similarity: float
) -> Passage:
    a_start, a_end = a.original_span(passage_words[0], passage_words[1])
    b_start, b_end = b.original_span(passage_words[2], passage_words[3])
    return Passage(a_start, a_end, b_start, b_end, VERBATIM, round(similarity, 4))


class Overlap(NamedTuple):
    """What two documents' shingle sets share."""

    shared: NDArray[np.uint64]  # the shingles of a that b holds too
    scores: tuple[float, float, float]  # Jaccard, containment of a, of b (rounded as written)


def overlap(a: Prepared, b: Prepared) -> Overlap:
    """The exact Jaccard of the two documents' shingle sets and the containment of each in
    the other."""
    if a.unique.size == 0 or b.unique.size == 0:
        return Overlap(np.empty(0, dtype=np.uint64), (0.0, 0.0, 0.0))
    shared = a.unique[member_of(a.unique, b.unique)]
    intersection = int(shared.size)
    union = a.unique.size + b.unique.size - intersection
    scores = (
        round(intersection / union, 4),
        round(intersection / a.unique.size, 4),
        round(intersection / b.unique.size, 4),
    )
    return Overlap(shared, scores)


# A fact of a text: a word with a digit ("6.8", "10:42"), or a capitalised word that does
# not open a sentence ("Chile", "Japan"; "The" after a full stop is no fact).
_FACT = re.compile(r"\w*\d[\w.:,]*\w|\d|(?<![.!?\n]\s)(?<!\n)\b[A-Z]\w+")


def _facts(text: str) -> set[str]:
    return {found.lower() for found in _FACT.findall(text)}


def names_a_fact(text: str, start: int = 0, end: int | None = None) -> bool:
    """Whether ``text[start:end]`` holds a fact: a number, or a name (a capitalised word that
    does not open a sentence). What goes before ``start`` says whether its first word opens
    one ("The cause of the fire is under investigation." after a full stop); the text's
    first word does."""
    return any(map(_named, _FACT.finditer(text, start, len(text) if end is None else end)))


def _named(found: re.Match[str]) -> bool:
    """Whether a ``_FACT`` found is one: the searched text's first word only where it holds
    a digit (it opens a sentence)."""
    return found.start() > 0 or any(char.isdigit() for char in found.group())


def _other_facts(a: Prepared, b: Prepared, passage: WordPassage) -> bool:
    """Whether each side of a passage of short runs holds facts the other does not: one
    agency's formula filled with two events' facts ("A magnitude 6.8 earthquake struck
    [central Chile | off northern Japan] on Thursday, shaking buildings in the"; "The quake
    hit at [3:15 p.m. | 10:42 a.m.] local time"), not text one copied from the other and
    edited (a rewriter's changed words are rarely names and numbers on both sides)."""
    a_start, a_end = a.original_span(passage.a_start, passage.a_end)
    b_start, b_end = b.original_span(passage.b_start, passage.b_end)
    in_a, in_b = _facts(a.text[a_start:a_end]), _facts(b.text[b_start:b_end])
    return bool(in_a - in_b) and bool(in_b - in_a)


# The end of a sentence: its stop (and any closing quote or bracket) before a space, a stop of
# the scripts written without spaces ("。", "！", "？") or of Arabic and Devanagari, or a
# line's end. An abbreviation's full stop ("Mr. Smith") reads as one too, which only makes
# ``_formula`` below see a passage as crossing sentences, and so leave it alone.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s)|[。！？؟।][\"'”’」』)\]]*|\n")
_STOPS = ".!?。！？؟।\n"  # the characters an end of a sentence starts with
_SENTENCE_REACH = 600  # characters looked at on either side of a passage for its sentence


def _sentence(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The sentence that holds ``text[start:end]``, or None where the span runs past the
    end of one (a stop followed by more of the span) or no end of a sentence lies within
    ``_SENTENCE_REACH`` of it (a text whose stops are not read here: no sentence is
    known)."""
    if _SENTENCE_END.search(text, start, end) is not None:
        return None
    opening = _opening(text, start)
    if opening is None:
        return None
    closing = _SENTENCE_END.search(text, end, end + _SENTENCE_REACH)
    if closing is not None:
        return opening, closing.end()
    return (opening, len(text)) if end + _SENTENCE_REACH >= len(text) else None


def _opening(text: str, start: int) -> int | None:
    """Where the sentence that ``start`` lies in opens: the end of the last end of a sentence
    within ``_SENTENCE_REACH`` before it, found backwards from the stops (each end holds one);
    the text's start where that is within the reach; None otherwise."""
    before = max(0, start - _SENTENCE_REACH)
    last = start
    while True:
        at = max([text.rfind(stop, before, last) for stop in _STOPS])
        if at < 0:
            return None if before > 0 else 0
        found = _SENTENCE_END.match(text, at, start)
        if found is not None:
            return found.end()
        last = at  # a stop inside a sentence: "6.8", "U.S"


def _formula(a: Prepared, b: Prepared, passage: WordPassage) -> bool:
    """Whether a passage is a stock opening filled in with two events' facts: it lies inside
    one sentence on each side, and the two sentences hold more names and numbers the other
    lacks than they share (``filled_in``): "A magnitude 6.8 earthquake struck off the coast
    of [central Chile on Friday afternoon, shaking buildings in Santiago | Miyagi prefecture
    in northeastern Japan on Friday evening, the Japan Meteorological Agency said]". A
    sentence lifted whole, or most of one, shares its facts; a passage that runs on into the
    next sentence is left to the rules of copies."""
    a_span = _sentence(a.text, *a.original_span(passage.a_start, passage.a_end))
    b_span = _sentence(b.text, *b.original_span(passage.b_start, passage.b_end))
    if a_span is None or b_span is None:
        return False
    return _apart(_sentence_facts(a.text, *a_span), _sentence_facts(b.text, *b_span))


def _sentence_facts(text: str, start: int, end: int) -> frozenset[str]:
    """The facts of a sentence, its first word a name only where it holds a digit
    (``names_a_fact``: "Six crews attended ..." names nothing)."""
    return _facts_of(text[start:end].lstrip())


@functools.lru_cache(maxsize=8192)
def _facts_of(sentence: str) -> frozenset[str]:
    # kept by the sentence: a sentence lifted into many documents is met again in each pair
    # that shares it, and reading its facts was most of this rule's cost (benchmarks/README)
    return frozenset(found.group().lower() for found in _FACT.finditer(sentence) if _named(found))


def _apart(mine: Set[str], theirs: Set[str]) -> bool:
    """Whether each side holds more facts the other lacks than the two share."""
    return min(len(mine - theirs), len(theirs - mine)) > len(mine & theirs)


def _filled_in(a: Prepared, b: Prepared, passages: list[WordPassage]) -> bool:
    """:func:`filled_in` of word passages."""
    spans = [
        (
            *a.original_span(passage.a_start, passage.a_end),
            *b.original_span(passage.b_start, passage.b_end),
        )
        for passage in passages
    ]
    return filled_in(a.text, b.text, spans)


def filled_in(a_text: str, b_text: str, spans: Iterable[tuple[int, int, int, int]]) -> bool:
    """Whether passages (``a_start, a_end, b_start, b_end`` in the original texts) are one
    formula filled in with other facts: each side holds more names and numbers the other
    lacks than the two share ("Ember Energy (EMBR) posted ... $1.98 earnings per share" and
    "Fjord Shipping (FJRD) posted ... $1.40": a template's two companies, not one report and
    its copy). A copy edited here and there, or cut, shares most of its facts with its
    source; such a pair shares passages (``partial``), neither holds the other, and what it
    shares is no evidence of one event."""
    mine: set[str] = set()
    theirs: set[str] = set()
    for a_start, a_end, b_start, b_end in spans:
        mine |= _facts(a_text[a_start:a_end])
        theirs |= _facts(b_text[b_start:b_end])
    return _apart(mine, theirs)


def compare_pair(
    a_id: str, a: Prepared, b_id: str, b: Prepared, config: ScanConfig
) -> Match | None:
    """Exact Jaccard and containments, verbatim passages and the relation; None when the pair
    shares no passage of at least ``min_passage_words`` words."""
    if a_id > b_id:
        a_id, a, b_id, b = b_id, b, a_id, a
    return verbatim_match(a_id, a, b_id, b, overlap(a, b), config)


def verbatim_match(
    a_id: str, a: Prepared, b_id: str, b: Prepared, found: Overlap, config: ScanConfig
) -> Match | None:
    """:func:`compare_pair` for a pair in order (``a_id`` < ``b_id``) whose overlap is
    known."""
    words_a, words_b = a.word_count, b.word_count
    if words_a == 0 or words_b == 0 or found.shared.size == 0:
        return None
    scores = found.scores
    if words_a == words_b and a.digest == b.digest:
        whole = _passage(a, b, (0, words_a, 0, words_b), 1.0)
        return Match(a_id, b_id, Relation.EXACT, *scores, passages=(whole,))
    passages = [
        passage
        for passage in align(a, b, found.shared, config.max_gap_words)
        if min(a.fifths(passage.a_start, passage.a_end), b.fifths(passage.b_start, passage.b_end))
        >= 5 * config.min_passage_words
        and (
            passage.runs_long(a.shingle_size, config.min_passage_words)
            or not _other_facts(a, b, passage)
        )
        and not _formula(a, b, passage)
    ]
    if not passages:
        return None
    coverage_a = coverage(passages, words_a, "a")
    coverage_b = coverage(passages, words_b, "b")
    if min(coverage_a, coverage_b) >= config.near_duplicate_coverage:
        relation = Relation.NEAR_DUPLICATE
    elif max(coverage_a, coverage_b) >= config.contained_coverage:
        relation = Relation.CONTAINED
    else:
        relation = Relation.PARTIAL
    # the passages cover more than the shingles they share can: the gaps they bridge hold
    # much of it, and may be another text's facts (read only then: a copy's shingles are
    # most of its text, and reading every copy's facts cost a fifth of dedup)
    bridged = max(scores[1:]) < min(config.near_duplicate_coverage, config.contained_coverage)
    if relation.is_copy and bridged and _filled_in(a, b, passages):
        relation = Relation.PARTIAL
    written = tuple(
        _passage(
            a,
            b,
            (passage.a_start, passage.a_end, passage.b_start, passage.b_end),
            passage.similarity(a.shingle_size),
        )
        for passage in sorted(passages, key=lambda passage: (passage.a_start, passage.b_start))
    )
    return Match(a_id, b_id, relation, *scores, passages=written)
