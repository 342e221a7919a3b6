"""Boilerplate: the spans of a document's text that are not article body.

Two sources of spans:

- rules over one document (:func:`find_boilerplate`): general patterns of page noise, line by
  line: a line that repeats an earlier one (captions printed twice), photo and agency credits,
  scraped metadata lines (dates, bylines), consent and cookie notices, "Read more" / "Related"
  link blocks, subscription prompts, share widgets, and site trailers at the end;
- corpus statistics (:class:`LineCounter`): lines that recur in many documents *with different
  neighbours* (mastheads, disclaimers). Requiring different neighbours keeps syndicated copies
  safe: a paragraph of a wire story recurs in every copy too, but with the same paragraphs
  around it.

Spans are blanked (:func:`blank`: replaced by spaces, which cleaning collapses) before
shingling, sentence splitting and embedding, so offsets into the original text stay valid
while the noise takes no part in matching.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable, Sequence
from hashlib import blake2b

import numpy as np
from numpy.typing import NDArray

from wiretrace.clean.patterns import AGENCY, ANY_DATE, NAME
from wiretrace.records import Span

REPEATED = "repeated"
CREDIT = "credit"
METADATA = "metadata"
CONSENT = "consent"
RELATED = "related"
SUBSCRIPTION = "subscription"
SHARE = "share"
TRAILER = "trailer"
RECURRING = "recurring"

Line = tuple[int, int]  # [start, end) of a non-blank line, surrounding whitespace excluded

_SHORT = 300  # prompts, widgets and headings are short lines; article paragraphs rarely are
_NOTICE = 1_000  # a consent notice is one short paragraph
_CREDIT_TAIL = 120  # photo credits sit in the last characters of a caption line
_EXTENSION = 80  # a repeated caption may carry a credit of up to this many characters
_DATE_CHARS = 80  # a line that is only a date (and time) is short

_LABEL = r"\(?(?i:photo|image|picture|photograph|video|credit)s?(?:\s+(?i:by|credit))?\s*[:/]?\s*"
CREDIT_TAIL = re.compile(
    rf"(?:^|(?<=\s))(?P<label>{_LABEL})?(?:{NAME}\s*/\s*)?(?P<agency>{AGENCY})"
    rf"(?:\s*/\s*(?:-|{NAME}))?(?:\s+via\s+Getty\s+Images)?\)?\s*$"
)
_LABELLED_CREDIT = re.compile(
    r"(?:^|(?<=\s))\(?(?i:photo|image|picture|photograph)s?(?:\s+(?i:credit))?\s*:\s*\S.{0,60}$"
)
CREDIT_LINE = re.compile(
    rf"^[(\[—–-]?\s*(?:(?i:with)\s+)?{AGENCY}(?:\s*[,/&]\s*{AGENCY})*\s*[)\]]?\.?$"
)
_LABELLED_META = re.compile(
    r"^(?i:date|dated|published|posted|updated|last\s+updated|first\s+published|modified|created)"
    rf"(?:\s+(?i:on|at))?\s*:?\s*(?:{ANY_DATE}|\d+\s+(?i:minutes?|hours?|days?|weeks?)\s+ago)"
)
_DATE_LINE = re.compile(rf"^(?:[\w.]+\s*:?\s*)?{ANY_DATE}\.?$")
_BYLINE = re.compile(rf"^(?:By|BY)\s+{NAME}(?:\s*(?:,|and|&)\s*{NAME})*(?:\s*[,|-]\s*[\w ]+)?$")
_CREDITS_LINE = re.compile(
    r"^\(?(?i:reporting|writing|editing|additional\s+reporting|compiled)\s+by\s+.+$"
)
_URL_LINE = re.compile(r"^(?:https?://|www\.)\S+$")
_READ_TIME = re.compile(r"^(?i:\d+\s*min(?:ute)?s?\s+read)$")

_CONSENT_STRONG = re.compile(
    r"(?i:we use cookies|(?:site|website|page) uses cookies|we need your consent|"
    r"(?:accept|allow|reject|decline) (?:all|cookies)|manage (?:your )?(?:cookie )?"
    r"(?:preferences|settings|consent|choices)|cookie (?:settings|preferences|policy|notice)|"
    r"by (?:continuing|clicking|using)[^.]{0,40}(?:site|website|accept|agree|consent)|"
    r"to load this (?:\S+ )?content)"
)
_CONSENT_WORDS = re.compile(
    r"(?i:cookies?|consent|privacy|preferences|third[- ]part(?:y|ies)|personal data|"
    r"partners|tracking|your device|your activity)"
)
_BUTTON = re.compile(
    r"^(?i:(?:accept|reject|decline|agree|ok|okay|got it|manage|settings|preferences|allow|"
    r"close|more info(?:rmation)?|learn more|continue|i agree|yes|no)"
    r"(?:\s+(?:all|cookies|settings|preferences|and close|&\s+close))?[\s|/·•]*)+$"
)
_RELATED_HEADING = re.compile(
    r"^(?i:(?:read|see|watch|listen)(?:\s+(?:more|also|next|this))?(?:\s+(?:on|about|from)"
    r"\s+.{1,40})?|related(?:\s+(?:articles?|stories|content|coverage|topics|news|links|"
    r"reading))?|more\s+(?:on|from|about|in)\s+.{1,40}|more\s+stories|recommended(?:\s+for\s+"
    r"you)?|you\s+(?:may|might)\s+(?:also\s+)?like|most\s+(?:read|popular|viewed|shared)|"
    r"trending(?:\s+now)?|top\s+stories|also\s+read|further\s+reading|editor'?s\s+picks?)"
    r"\s*[:»>]?$"
)
_RELATED_INLINE = re.compile(
    r"^(?i:read\s+more|read\s+also|also\s+read|see\s+also|related|read\s+next|more|watch|"
    r"listen|recommended)\s*[:|»>]\s*\S"
)
_SUBSCRIPTION = re.compile(
    r"(?i:subscribe\s+(?:now|today|to\s+(?:our|the|read|continue)|for\s+(?:free|just|only|"
    r"unlimited))|sign\s+up\s+(?:for|to)\s+(?:our|the|a|receive|get)|(?:our|free|daily|weekly)"
    r"\s+newsletters?\b|already\s+(?:a\s+subscriber|have\s+an\s+account|subscribed)|"
    r"(?:log|sign)\s*in\s+to\s+(?:continue|read|comment)|support\s+(?:our|independent|quality|"
    r"local)\s+journalism|become\s+a\s+(?:member|subscriber|supporter|patron)|"
    r"unlock\s+(?:this|unlimited|full)|start\s+(?:your|a)\s+free\s+trial|"
    r"this\s+(?:article|content|story)\s+is\s+(?:only\s+)?(?:for|available\s+to|reserved\s+for)"
    r"\s+(?:subscribers|members)|(?:donate|contribute)\s+(?:now|today)|"
    r"enter\s+your\s+e-?mail)"
)
_SHARE_WORD = (
    r"(?:share(?:\s+(?:this|on|via|article|story|page))*|tweet|e-?mail|print|copy\s+link|"
    r"comments?|whatsapp|facebook|twitter|linkedin|pinterest|reddit|messenger|telegram|x|save)"
)
_SHARE = re.compile(rf"^(?i:{_SHARE_WORD}(?:[\s|,/·•:]+{_SHARE_WORD})*)\s*:?$")
_TRAILER = re.compile(
    r"(?:(?:©|\(c\)\s*\d{4}|(?i:copyright)\b)|(?i:all rights reserved)|"
    r"(?i:this\s+(?:article|story|report|piece|content)\s+(?:was\s+|is\s+|has\s+been\s+)?"
    r"(?:originally\s+|first\s+)?(?:published|appeared|republished|reproduced)\s+"
    r"(?:on|in|by|at|with|from|under))|"
    r"(?i:(?:originally|first)\s+(?:published|appeared)\s+(?:on|in|by|at))|"
    r"(?i:follow\s+(?:us|[a-z]+)\s+on\s+(?:twitter|facebook|instagram|linkedin|telegram|"
    r"whatsapp|x|youtube|tiktok|google\s+news))|"
    r"(?i:(?:download|get)\s+(?:our|the\s+\w+)\s+app)|(?i:(?:click|tap)\s+here\s+(?:to|for)))"
)
# "Brief News from Washington Newsday.", "Source: Example Times": the whole sentence is a name.
_TRAILER_CREDIT = re.compile(
    rf"^(?:(?:[A-Z][a-z]+\s+){{0,2}}(?i:news|stories|articles|reports|content|updates)\s+"
    rf"(?i:from|by|via|courtesy\s+of|powered\s+by)\s+(?:the\s+)?{NAME}|"
    rf"(?i:source|sources|via)\s*:\s*{NAME})\s*\.?$"
)
# Substrings that each pattern needs: cheap tests that spare most lines the regular expressions.
_CREDIT_LABELS = ("photo", "image", "picture", "credit", "video")
_CONSENT_HINTS = ("cookie", "consent")
_SUBSCRIPTION_HINTS = (
    "subscri",
    "sign up",
    "newsletter",
    "log in",
    "login",
    "sign in",
    "journalism",
    "become a",
    "unlock",
    "free trial",
    "donate",
    "contribute",
    "mail",
)
_SENTENCE_START = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=\S)")
_TRAILER_LINES = 3  # trailers sit in the last lines of a document
_TRAILER_CHARS = 250  # ... and are short


def line_spans(text: str) -> list[Line]:
    """``[start, end)`` of every non-blank line, without its surrounding whitespace."""
    lines: list[Line] = []
    position = 0
    for line in text.splitlines(keepends=True):
        size = len(line)
        stripped = line.lstrip()
        if stripped:
            start = position + size - len(stripped)
            lines.append((start, start + len(stripped.rstrip())))
        position += size
    return lines


def blank(text: str, spans: Sequence[Span]) -> str:
    """``text`` with every span replaced by spaces: same length, so offsets stay valid."""
    if not spans:
        return text
    pieces: list[str] = []
    position = 0
    for span in spans:
        pieces.append(text[position : span.start])
        pieces.append(" " * (span.end - span.start))
        position = span.end
    pieces.append(text[position:])
    return "".join(pieces)


def merge(spans: Iterable[Span]) -> tuple[Span, ...]:
    """Sorted spans with overlaps joined (the earlier span's kind wins), except that a span
    at the very end of another keeps its own kind (the credit of a repeated caption)."""
    merged: list[Span] = []
    for span in sorted(spans):
        if span.end <= span.start:
            continue
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            if span.end == last.end and span.kind != last.kind and span.start > last.start:
                merged[-1] = Span(last.start, span.start, last.kind)
                merged.append(span)
            else:
                merged[-1] = Span(last.start, max(last.end, span.end), last.kind)
        else:
            merged.append(span)
    return tuple(merged)


def _repeated(text: str, lines: list[Line]) -> list[Span]:
    """Lines that repeat an earlier line, alone or followed by a short addition (a caption
    printed a second time with its photo credit), or that an earlier line begins with."""
    found: list[Span] = []
    earlier: dict[str, list[str]] = {}  # first 24 characters -> earlier lines
    for start, end in lines:
        line = text[start:end]
        key = line[:24]
        previous = earlier.setdefault(key, [])
        for before in previous:
            longer, shorter = (line, before) if len(line) >= len(before) else (before, line)
            if (
                longer.startswith(shorter)
                and len(longer) - len(shorter) <= _EXTENSION
                and (len(shorter) == len(longer) or len(shorter.split()) >= 4)
            ):
                found.append(Span(start, end, REPEATED))
                break
        else:
            if len(line) <= _SHORT + _EXTENSION:
                previous.append(line)
    return found


def _credit(text: str, start: int, end: int) -> Span | None:
    line = text[start:end]
    offset = max(0, len(line) - _CREDIT_TAIL)
    tail = line[offset:]
    labelled = _has_any(tail.lower(), _CREDIT_LABELS)
    # A credit needs a slash, a label, or the whole line: "... he told AFP" ends with an
    # agency too. Substring tests come first: the regular expressions are costly.
    if "/" in tail or labelled:
        found = CREDIT_TAIL.search(tail)
        if found and ("/" in found.group() or found["label"] or found.start() + offset == 0):
            return Span(start + offset + found.start(), end, CREDIT)
    elif len(line) <= _CREDIT_TAIL and (CREDIT_LINE.match(line) or CREDIT_TAIL.match(line)):
        return Span(start, end, CREDIT)
    if labelled:
        found = _LABELLED_CREDIT.search(tail)
        if found:
            return Span(start + offset + found.start(), end, CREDIT)
    return None


def _metadata(text: str, start: int, end: int) -> Span | None:
    line = text[start:end]
    found = _LABELLED_META.match(line)
    if found:
        return Span(start, start + found.end(), METADATA)
    if len(line) > _SHORT:
        return None
    dated = len(line) <= _DATE_CHARS and any(char.isdigit() for char in line)
    if dated and (_DATE_LINE.match(line) or _READ_TIME.match(line)):
        return Span(start, end, METADATA)
    if line.startswith(("http", "www.")) and _URL_LINE.match(line):
        return Span(start, end, METADATA)
    if "by" in line.lower() and _CREDITS_LINE.match(line):
        return Span(start, end, METADATA)
    if (
        line[:3] in ("By ", "BY ")
        and len(line.split()) <= 10
        and line[-1] not in ".!?"
        and _BYLINE.match(line)
    ):
        return Span(start, end, METADATA)
    return None


def _has_any(lowered: str, words: tuple[str, ...]) -> bool:
    return any(word in lowered for word in words)


def _consent(line: str, lowered: str) -> bool:
    if len(line) > _NOTICE or not _has_any(lowered, _CONSENT_HINTS):
        return False
    if not _CONSENT_STRONG.search(line):
        return False
    return len({found.lower() for found in _CONSENT_WORDS.findall(line)}) >= 2


def _headline_like(line: str) -> bool:
    return len(line.split()) <= 20 and line[-1] not in ".:;," and not line[0].islower()


def _trailer(text: str, start: int, end: int) -> int | None:
    """Where the trailer sentences at the end of the line start, if it ends with any."""
    window = max(start, end - _TRAILER_CHARS)
    line = text[window:end]
    starts = [found.end() for found in _SENTENCE_START.finditer(line)]
    if window == start:
        starts.insert(0, 0)
    first: int | None = None
    for sentence_start in reversed(starts):
        sentence = line[sentence_start:]
        if _TRAILER.match(sentence) or _TRAILER_CREDIT.match(sentence):
            first = sentence_start
        else:
            break
    return None if first is None else window + first


def find_boilerplate(
    text: str, extra: Iterable[Span] = (), lines: list[Line] | None = None
) -> tuple[Span, ...]:
    """Boilerplate spans of one document by the rules of this module, merged with ``extra``
    (the corpus-level spans found by :class:`LineCounter`); ``lines`` are its
    :func:`line_spans` when already known."""
    lines = line_spans(text) if lines is None else lines
    spans: list[Span] = [*extra, *_repeated(text, lines)]
    # Which rules can fire anywhere in the document: substring tests on the whole text spare
    # most lines of most documents the per-line tests and regular expressions.
    short_lines = "\n".join(text[start:end] for start, end in lines if end - start <= _SHORT)
    may_subscribe = _has_any(short_lines.lower(), _SUBSCRIPTION_HINTS)
    may_consent = _has_any(text.lower(), _CONSENT_HINTS)
    in_block = False  # inside a "Read more" / consent block: following short lines belong to it
    block_kind = RELATED
    for start, end in lines:
        line = text[start:end]
        short = len(line) <= _SHORT
        if in_block:
            if block_kind == RELATED and _headline_like(line):
                spans.append(Span(start, end, RELATED))
                continue
            if block_kind == CONSENT and short and _BUTTON.match(line):
                spans.append(Span(start, end, CONSENT))
                continue
            in_block = False
        if short and (_RELATED_HEADING.match(line) or _RELATED_INLINE.match(line)):
            spans.append(Span(start, end, RELATED))
            in_block, block_kind = True, RELATED
        elif may_consent and _consent(line, line.lower()):
            spans.append(Span(start, end, CONSENT))
            in_block, block_kind = True, CONSENT
        elif (
            short
            and may_subscribe
            and _has_any(line.lower(), _SUBSCRIPTION_HINTS)
            and _SUBSCRIPTION.search(line)
        ):
            spans.append(Span(start, end, SUBSCRIPTION))
        elif short and _SHARE.match(line):
            spans.append(Span(start, end, SHARE))
        else:
            found = _metadata(text, start, end) or _credit(text, start, end)
            if found:
                spans.append(found)
    for start, end in reversed(lines[-_TRAILER_LINES:]):
        trailer = _trailer(text, start, end)
        if trailer is None:
            break
        spans.append(Span(trailer, end, TRAILER))
        if trailer > start:
            break
    return merge(spans)


def line_keys(text: str, lines: list[Line]) -> list[int]:
    """A 64-bit key per line for :class:`LineCounter`, the same in every process (worker
    processes compute them; Python's own string hash differs between processes)."""
    return [
        int.from_bytes(
            blake2b(text[start:end].encode("utf-8", "surrogatepass"), digest_size=8).digest(),
            "little",
            signed=True,
        )
        for start, end in lines
    ]


class LineCounter:
    """Counts lines across the corpus (first pass) to find the ones that recur in many
    documents with different neighbours: mastheads, disclaimers, site-wide notices.

    Lines come as :func:`line_keys` (64 bits: collisions are negligible). Memory: 8 bytes per
    line of the corpus while counting, about 40 while finding.
    """

    def __init__(self) -> None:
        self._keys = array("q")
        self._first_line = array("q", [0])
        self._recurring: NDArray[np.bool_] | None = None

    def __len__(self) -> int:
        return len(self._first_line) - 1

    def add_many(self, keys: NDArray[np.int64], counts: NDArray[np.int64]) -> None:
        """Count the lines of the next ``counts.size`` documents: ``counts[i]`` keys each."""
        self._keys.frombytes(keys.astype(np.int64).tobytes())
        self._first_line.frombytes((np.cumsum(counts) + self._first_line[-1]).tobytes())

    def find(self, min_documents: int, min_context_share: float) -> int:
        """Mark the lines that recur in at least ``min_documents`` documents, where at least
        ``min_context_share`` of those occurrences have distinct neighbours; returns how
        many distinct lines recur."""
        keys = np.frombuffer(self._keys, dtype=np.int64)
        recurring = np.zeros(keys.size, dtype=bool)
        self._recurring = recurring
        if min_documents <= 0 or keys.size == 0:
            return 0
        first = np.frombuffer(self._first_line, dtype=np.int64)
        documents = np.repeat(np.arange(first.size - 1), np.diff(first))
        distinct_keys, document_counts = _count_distinct(keys, documents)
        frequent = distinct_keys[document_counts >= min_documents]
        if frequent.size == 0:
            return 0
        candidates = np.flatnonzero(np.isin(keys, frequent))
        # the neighbours of each candidate line (0 at a document's edge), as one number
        padded = np.concatenate([[0], keys, [0]])
        before = np.where(candidates == first[documents[candidates]], 0, padded[candidates])
        after = np.where(
            candidates + 1 == first[documents[candidates] + 1], 0, padded[candidates + 2]
        )
        with np.errstate(over="ignore"):
            contexts = before * np.int64(-7046029254386353131) + after
        context_keys, context_counts = _count_distinct(keys[candidates], contexts)
        index = np.searchsorted(distinct_keys, context_keys)
        varied = context_keys[context_counts >= min_context_share * document_counts[index]]
        recurring[candidates] = np.isin(keys[candidates], varied)
        return int(varied.size)

    def documents_with_recurring(self) -> list[int]:
        """The documents (0-based, in the order added) that hold a recurring line."""
        if self._recurring is None:
            return []
        first = np.frombuffer(self._first_line, dtype=np.int64)
        lines = np.flatnonzero(self._recurring)
        return [int(number) for number in np.unique(np.searchsorted(first, lines, "right") - 1)]

    def spans(self, document: int, text: str) -> list[Span]:
        """The recurring lines of document ``document`` (0-based, in the order added), whose
        text is ``text``."""
        if self._recurring is None:
            return []
        first = self._first_line[document]
        marked = self._recurring[first : self._first_line[document + 1]]
        return [
            Span(start, end, RECURRING)
            for (start, end), recurring in zip(line_spans(text), marked, strict=True)
            if recurring
        ]


def _count_distinct(
    keys: NDArray[np.int64], values: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Sorted distinct keys and, for each, the number of distinct values paired with it."""
    if keys.size == 0:
        return keys, keys
    order = np.lexsort((values, keys))  # by key, then value: ~5x faster than np.unique(axis=0)
    keys, values = keys[order], values[order]
    new_key = np.empty(keys.size, dtype=bool)
    new_key[0] = True
    np.not_equal(keys[1:], keys[:-1], out=new_key[1:])
    new_pair = new_key.copy()
    new_pair[1:] |= values[1:] != values[:-1]
    starts = np.flatnonzero(new_key)
    counts = np.add.reduceat(new_pair.astype(np.int64), starts)
    return keys[starts], counts
