"""Boilerplate: the spans of a document's text that are not article body.

Two sources of spans:

- rules over one document (:func:`find_boilerplate`): general patterns of page noise, line by
  line: a line printed twice as page furniture (the same line right after itself, a caption
  printed again with its photo credit), photo and agency credits, scraped metadata lines
  (dates, bylines, and a bare URL at the top or bottom of the page), consent and cookie
  notices, "Read more" / "Related" link blocks, subscription prompts addressed to the reader,
  share widgets, lines that only mark an advertisement, a site's menu or breadcrumb trail in
  its first or last lines, and site trailers at the end;
- corpus statistics (:class:`LineCounter`): lines that recur in many documents *with different
  neighbours* (mastheads, disclaimers). Requiring different neighbours keeps syndicated copies
  safe: a paragraph of a wire story recurs in every copy too, but with the same paragraphs
  around it.

What an article itself prints stays body, even when it looks like noise: a line it prints
more than once further on (the ingredients of two recipes, the question put to each guest of
an interview, a table header), its own sentences about a newsletter or a free trial (third
person, attributed), the web addresses it lists in its text. ``benchmarks/boilerplate_body.py``
measures the body words the rules remove (under 0.1% on ECB+, GVA, PAN 2013 and hand-made
pages, 2026-11-25).

Spans are blanked (:func:`blank`: replaced by spaces, which cleaning collapses) before
shingling, sentence splitting and embedding, so offsets into the original text stay valid
while the noise takes no part in matching.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from hashlib import blake2b

import numpy as np
from numpy.typing import NDArray

from wiretrace.clean import kernels, phrases
from wiretrace.clean.normalize import WIDE_CHARACTER
from wiretrace.clean.patterns import (
    AGENCY,
    ANY_DATE,
    ATTRIBUTED,
    CONSENT_BUTTON,
    CONSENT_STRONG,
    CONSENT_WORDS,
    IMPERATIVE,
    NAME,
    NAVIGATION_LINE,
    PAYWALL,
    PROMPT_PHRASE,
    READER_VOICE,
    RELATED_HEADING,
    RELATED_INLINE,
    SHARE_LINE,
    SITE_CONTROL_LINE,
    SITE_VOICE,
    SUBSCRIBE_PHRASE,
    TRAILER_CREDIT,
    TRAILER_PHRASE,
)
from wiretrace.records import Span

REPEATED = "repeated"
CREDIT = "credit"
METADATA = "metadata"
CONSENT = "consent"
RELATED = "related"
SUBSCRIPTION = "subscription"
SHARE = "share"
NAVIGATION = "navigation"
TRAILER = "trailer"
ADVERTISEMENT = "advertisement"
RECURRING = "recurring"

Line = tuple[int, int]  # [start, end) of a non-blank line, surrounding whitespace excluded

_SHORT = 300  # prompts, widgets and headings are short lines; article paragraphs rarely are
_NOTICE = 1_000  # a consent notice is one short paragraph
_LAST_SENTENCE = re.compile(r"[.?!]\s+")  # what follows the last such stop ends the line
_CREDIT_TAIL = 120  # photo credits sit in the last characters of a caption line
_EXTENSION = 80  # a repeated caption may carry a credit of up to this many characters
_DATE_CHARS = 80  # a line that is only a date (and time) is short
_FRAGMENT_WORDS = 6  # "Daily newsletter", "Free trial!": a widget, not a sentence
_PROMPT_CHARS = 200  # a prompt of ``patterns.PROMPT_PHRASE`` is one sentence of at most this

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
    # ... and the update beside it: "Published: 12 March 2025 | Updated 08:15"
    r"(?:\s*[|·•]\s*(?i:updated|modified)\s*:?\s*(?:\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?)?)?"
)
_DATE_LINE = re.compile(rf"^(?:[\w.]+\s*:?\s*)?{ANY_DATE}\.?$")
# ... its tail a desk or a date: "By Reuters | 11 Mar 2026, 10:15 am"
_BYLINE = re.compile(rf"^(?:By|BY)\s+{NAME}(?:\s*(?:,|and|&)\s*{NAME})*(?:\s*[,|-]\s*[\w ,:./]+)?$")
# a page's tags: "Tags: Manchester, fire, Trafford"
_TAGS = re.compile(r"^(?i:tags|topics|keywords)\s*:\s*[^.!?]*$")
_TAG_WORDS = 16
# "Reporting by Tom Okafor; Editing by ...": a name follows, where "Writing by candlelight, she
# ..." goes on as a sentence.
_CREDITS_LINE = re.compile(
    r"^\(?(?i:reporting|writing|editing|additional\s+reporting|compiled)\s+by\s+[A-Z].*$"
)
# a character that is neither ASCII nor Latin-1 punctuation nor general punctuation
_BEYOND_ASCII = re.compile(r"[^\x00-\x7f\u00a0-\u00bf\u00d7\u00f7\u2000-\u206f]")
_URL_LINE = re.compile(r"^(?:https?://|www\.)\S+$")
_READ_TIME = re.compile(r"^(?i:\d+\s*min(?:ute)?s?\s+read)$")


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
    "reached",
)
# Where a sentence starts: after a full stop, closing quotes and a space, or (in a line beyond
# ASCII) after a Chinese or Japanese stop, which no space follows; each match ends there. A
# company's form ends no sentence: "© 2026 Stuttgarter Abendblatt GmbH & Co. KG" was cut at
# "Co.", and "KG" alone was no trailer. The stop is matched first and what stands before it
# looked behind for after it: the engine skips from stop to stop (the company forms, looked
# behind for at every character before the stop, took 7 times as long for the same ends).
# The "." in each lookbehind stands for the stop just matched, whichever it is ("Co!").
_END = r"[.!?…](?<!\bCo.)(?<!\bInc.)(?<!\bLtd.)(?<!\bCorp.)"
_SENTENCE_START = re.compile(_END + r"[\"'”’)\]]*\s+(?=\S)")
_ANY_SENTENCE_START = re.compile(_END + r"[\"'”’)\]]*\s+(?=\S)|[。！？][”’」』]*\s*(?=\S)")
_TRAILER_LINES = 3  # trailers sit in the last lines of a document
_EDGE_LINES = 3  # a page's scraped URL and its menu sit in its first or last lines
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
    """Lines printed twice as page furniture: a line that repeats the line before it (a
    teaser above its lede, a scraper's double), alone or with a short addition, and a line
    that is an earlier one plus or minus a credit (a caption printed a second time with its
    photo credit, in either order). A line that merely recurs further on is article body:
    the ingredients of two recipes, the question put to each guest, a table header."""
    found: list[Span] = []
    by_prefix: dict[str, list[str]] = {}  # first 24 characters -> earlier lines
    previous: str | None = None
    previous_start = previous_end = 0
    for start, end in lines:
        line = text[start:end]
        prefix = line[:24]
        copied = False
        # a copy starts with the shorter line, and so with its first character: most lines
        # are spared the call (lines are never empty)
        if previous is not None and previous[0] == line[0] and _copy(previous, line, True):
            # of a line and the one after it that adds a sentence of its own (not a credit),
            # the first is the copy: "... on two counts." above "... on two counts. He faces
            # life in prison." lost the sentence
            addition = line[len(previous) :].strip()
            copied = not addition or _credit_like(addition)
            previous_span = Span(previous_start, previous_end, REPEATED)
            if not copied and found[-1:] != [previous_span]:
                found.append(previous_span)
        earlier = by_prefix.get(prefix)
        if copied or (earlier and any(_copy(before, line, adjacent=False) for before in earlier)):
            found.append(Span(start, end, REPEATED))
        elif len(line) <= _SHORT + _EXTENSION:
            by_prefix.setdefault(prefix, []).append(line)
        previous, previous_start, previous_end = line, start, end
    return found


def _copy(before: str, line: str, adjacent: bool) -> bool:
    """Whether ``line`` is a copy of ``before``: the same line right after it, or either
    one the other plus a short addition, which must be a credit unless they are adjacent."""
    longer, shorter = (line, before) if len(line) >= len(before) else (before, line)
    if not longer.startswith(shorter):
        return False
    addition = longer[len(shorter) :].strip()
    if not addition:
        return adjacent
    if len(addition) > _EXTENSION or len(shorter.split()) < 4:
        return False
    return adjacent or _credit_like(addition)


def _credit_like(addition: str) -> bool:
    return bool(
        CREDIT_TAIL.match(addition)
        or CREDIT_LINE.match(addition)
        or _LABELLED_CREDIT.match(addition)
    )


def _credit(text: str, start: int, end: int, credited: bool) -> Span | None:
    """A credit at the end of the line; ``credited``: whether the page has a credit label
    anywhere (else no line's tail can)."""
    line = text[start:end]
    offset = max(0, len(line) - _CREDIT_TAIL)
    tail = line[offset:]
    labelled = credited and _has_any(tail.lower(), _CREDIT_LABELS)
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


def _metadata(text: str, start: int, end: int, edge: bool) -> Span | None:
    """Scraped metadata: a labelled date, a line that is only a date or a reading time, a
    byline, a credits line, and at the edges of the document (``edge``) a bare URL; a URL
    line inside the text is an article's own address list."""
    line = text[start:end]
    found = _LABELLED_META.match(line)
    if found:
        return Span(start, start + found.end(), METADATA)
    if len(line) > _SHORT:
        return None
    dated = len(line) <= _DATE_CHARS and any(map(str.isdigit, line))
    if dated and (_DATE_LINE.match(line) or _READ_TIME.match(line)):
        return Span(start, end, METADATA)
    if edge and line.startswith(("http", "www.")) and _URL_LINE.match(line):
        return Span(start, end, METADATA)
    if ":" in line[:9] and len(line.split()) <= _TAG_WORDS and _TAGS.match(line):
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


def _subscription(
    text: str, start: int, end: int, lowered: str, hints: tuple[str, ...]
) -> Span | None:
    """The run of sentences of the line (``lowered``: lower-cased) that prompt the reader to
    subscribe: from the first prompt over the prompts after it and, in a short line (a
    widget), over every sentence that still speaks to the reader."""
    line = text[start:end]
    widget = len(line) <= _SHORT
    starts = [0, *_sentence_starts(line)]
    # where the first hint lies in the line lowered (``lowered``), where lowering keeps each
    # character's place: no sentence that ends before it holds one (an article's paragraph
    # that says "mail" in its fifth sentence was lowered and searched sentence by sentence
    # from its first)
    hinted = 0
    if len(lowered) == len(line):
        hinted = min((at for hint in hints if (at := lowered.find(hint)) >= 0), default=0)
    first: int | None = None
    last = 0
    for sentence_start, sentence_end in zip(starts, [*starts[1:], len(line)], strict=True):
        if first is None and sentence_end <= hinted:
            continue
        sentence = line[sentence_start:sentence_end].rstrip()
        if first is None:
            if _has_any(sentence.lower(), hints):
                found = _prompt(sentence)
                first = None if found is None else sentence_start + found
        elif _prompt(sentence) is None and not (widget and READER_VOICE.search(sentence)):
            break
        if first is not None:
            last = sentence_start + len(sentence)
    return None if first is None else Span(start + first, start + last, SUBSCRIPTION)


def _prompt(sentence: str) -> int | None:
    """Where in ``sentence`` a prompt to subscribe starts, or None: at the sentence, or at
    the other languages' phrase (a scraped page runs the widget on after the headline, with
    no full stop between)."""
    if PAYWALL.search(sentence):
        return 0
    if (found := _other_prompt(sentence)) is not None:
        # the words that lead into the phrase are the prompt's own ("Jetzt unseren Newsletter
        # abonnieren!", "Dieser Artikel ist nur für Abonnenten verfügbar."); more are a
        # headline the page ran on into the widget
        lead_in = _latin_length(sentence[: found.start()].strip())
        return 0 if lead_in <= _PROMPT_LEAD_IN else found.start()
    if not SUBSCRIBE_PHRASE.search(sentence) or ATTRIBUTED.search(sentence):
        return None
    fragment = len(sentence.split()) <= _FRAGMENT_WORDS and sentence[-1] != "."
    return 0 if fragment or IMPERATIVE.match(sentence) or SITE_VOICE.search(sentence) else None


# the length (``_latin_length``) before another language's prompt phrase that is the
# prompt's still: a few words
_PROMPT_LEAD_IN = 20


def _other_prompt(sentence: str) -> re.Match[str] | None:
    """A prompt phrase of the other languages in a short sentence (``PROMPT_PHRASE``)."""
    if _latin_length(sentence) > _PROMPT_CHARS:
        return None
    if not _has_any(sentence.lower(), phrases.SUBSCRIBE_HINTS):
        return None
    return PROMPT_PHRASE.search(sentence)


def _sentence_starts(line: str) -> list[int]:
    """Where the sentences of ``line`` after its first start."""
    pattern = _SENTENCE_START if line.isascii() else _ANY_SENTENCE_START
    return [found.end() for found in pattern.finditer(line)]


def _latin_length(sentence: str) -> int:
    """The length of ``sentence`` in Latin letters: a Chinese or Japanese character carries
    about as much as three (a word of ~1.6 characters against ~5 letters)."""
    return len(sentence) + 2 * len(WIDE_CHARACTER.findall(sentence))


class PhraseSearch:
    """Which of up to 63 phrases occur in a text, in one compiled pass over its UTF-8 bytes
    (a substring of the text exactly when its bytes are a substring of the text's: UTF-8
    codes each character apart). Scanning a page once for each of 45 phrases cost ~20 µs of
    its ~180 µs of cleaning and sketching."""

    def __init__(self, phrases: Iterable[str]) -> None:
        unique = list(dict.fromkeys(phrases))  # a phrase listed twice is searched once
        if len(unique) > 63:  # a bit each in a signed 64-bit integer
            raise ValueError("at most 63 phrases")
        encoded = [phrase.encode() for phrase in unique]
        if any(len(data) < 2 for data in encoded):
            raise ValueError("every phrase needs two bytes at least")
        self.bits = {phrase: 1 << number for number, phrase in enumerate(unique)}
        keys = np.array([data[0] + 256 * data[1] for data in encoded], dtype=np.int64)
        self._order = np.argsort(keys, kind="stable").astype(np.int64)
        self._first = np.searchsorted(keys[self._order], np.arange(65536), "left")
        self._last = np.searchsorted(keys[self._order], np.arange(65536), "right")
        self._needles = np.frombuffer(b"".join(encoded), dtype=np.uint8)
        self._starts = np.cumsum([0, *map(len, encoded)]).astype(np.int64)

    def mask(self, phrases: Iterable[str]) -> int:
        """The bits of ``phrases`` (each one of those searched for)."""
        found = 0
        for phrase in phrases:
            found |= self.bits[phrase]
        return found

    def present(self, text: str) -> int:
        """The bits of the phrases that occur in ``text``."""
        data = np.frombuffer(text.encode("utf-8", "surrogatepass"), dtype=np.uint8)
        return int(
            kernels.phrases_present(
                data, self._first, self._last, self._order, self._needles, self._starts
            )
        )


def _has_any(lowered: str, words: tuple[str, ...]) -> bool:
    # a loop, not any() over a generator: half the time, and this runs for every line
    for word in words:  # noqa: SIM110
        if word in lowered:
            return True
    return False


_SURE, _BESIDE_BUTTONS = 2, 1  # a consent notice, or one only beside its buttons


def _consent(line: str, lowered: str, hints: tuple[str, ...]) -> int:
    """Whether ``line`` is a consent notice: ``_SURE``, ``_BESIDE_BUTTONS`` (a notice's
    words that say "cookies" alone, "We use cookies to improve your experience.", are one
    only next to its buttons: an article may say as much), or 0."""
    if len(line) > _NOTICE or not _has_any(lowered, hints):
        return 0
    if not CONSENT_STRONG.search(line):
        return 0
    if len({found.lower() for found in CONSENT_WORDS.findall(line)}) >= 2:
        return _SURE
    # a notice flattened into one line with its buttons ("... to improve your experience.
    # Accept all | Manage", "... Accept all cookies.") says "cookies" alone, but its buttons
    # say what it is
    tail = _LAST_SENTENCE.split(line)[-1]
    if tail != line and CONSENT_BUTTON.match(tail.rstrip(".!")) is not None:
        return _SURE
    return _BESIDE_BUTTONS


# a line of a few words with a figure in it is a row of results or a table ("Labour 41
# seats", "Turnout 58 percent"), which a heading such as "More on the count:" introduces as
# readily as a block of links; a linked headline says more ("Labour wins 412 seats in
# landslide")
_FIGURE_ROW_WORDS = 4
_FIGURE = re.compile(r"\d")


def _headline_like(line: str) -> bool:
    words = line.split()
    if len(words) <= _FIGURE_ROW_WORDS and _FIGURE.search(line):
        return False
    return len(words) <= 20 and line[-1] not in ".:;," and not line[0].islower()


# a trailer that goes on, after a colon, into a clause of its own is news: "This story was
# first published at 6am and has been updated: two people died when their car was swept off
# the road" (a short pointer after a colon, "on The Conversation: read the original", is not)
_OWN_CLAUSE = re.compile(r"[:;]\s*(?:[^\s:;]+\s+){5,}[^\s:;]+")


def _trailer(text: str, start: int, end: int) -> int | None:
    """Where the trailer sentences at the end of the line start, if it ends with any."""
    window = max(start, end - _TRAILER_CHARS)
    line = text[window:end]
    starts = _sentence_starts(line)
    if window == start:
        starts.insert(0, 0)
    first: int | None = None
    for sentence_start in reversed(starts):
        sentence = line[sentence_start:]
        if (
            TRAILER_PHRASE.match(sentence) or TRAILER_CREDIT.match(sentence)
        ) and not _OWN_CLAUSE.search(sentence):
            first = sentence_start
        else:
            break
    return None if first is None else window + first


# the phrases every page is searched for at once (each group's bits below)
_PHRASES = PhraseSearch(
    (
        *_SUBSCRIPTION_HINTS,
        *phrases.SUBSCRIBE_HINTS,
        *_CONSENT_HINTS,
        *phrases.CONSENT_HINTS,
        *_CREDIT_LABELS,
    )
)
_SUBSCRIBING = _PHRASES.mask(_SUBSCRIPTION_HINTS)
_SUBSCRIBING_OTHERS = _PHRASES.mask(phrases.SUBSCRIBE_HINTS)
_CONSENTING = _PHRASES.mask(_CONSENT_HINTS)
_CONSENTING_OTHERS = _PHRASES.mask(phrases.CONSENT_HINTS)
_CREDITED = _PHRASES.mask(_CREDIT_LABELS)


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
    lowered = text.lower()
    # The other languages' phrases are looked for in a page with letters beyond ASCII (their
    # words have letters English does not, somewhere on the page: an English page costs no
    # more than before, curly quotes and dashes or not), and per line only in a page that
    # has one.
    foreign = not lowered.isascii() and _BEYOND_ASCII.search(lowered) is not None
    present = _PHRASES.present(lowered)
    others: tuple[str, ...] = ()
    if foreign and present & _SUBSCRIBING_OTHERS:
        others = phrases.SUBSCRIBE_HINTS
    hints = (*_SUBSCRIPTION_HINTS, *others)
    may_subscribe = bool(others) or bool(present & _SUBSCRIBING)
    consent_hints = (*_CONSENT_HINTS, *phrases.CONSENT_HINTS) if foreign else _CONSENT_HINTS
    may_consent = bool(present & (_CONSENTING | (_CONSENTING_OTHERS if foreign else 0)))
    # a label in a line's lowered tail is in the lowered page (lower() maps each character
    # alone): a page without one spares every line the test
    credited = bool(present & _CREDITED)
    in_block = False  # inside a "Read more" / consent block: following short lines belong to it
    block_kind = RELATED
    # A link block is spaced as its first link is: a wider gap after a link is the article
    # going on (a recipe's next title after a "Read more" block, the next product's name).
    block_gap: int | None = None
    previous_end = 0
    buttons: list[Span] = []  # consent buttons just read, waiting for the notice below them
    waiting: list[Span] = []  # ... and those before the line being read
    above: Span | None = None  # the line before, a notice only if buttons follow it
    body_seen = False  # a line no rule took: the article has begun
    # menus found after a line no rule took: a menu has the article on one side only, so a
    # line of bars between two of the article's sentences is the article's ("Mon Sunny | Tue
    # Showers | ..." or a line of results in a three-line brief: two forecasts were one text,
    # and dedup kept one)
    below: list[tuple[int, Span]] = []
    marked = len(spans)  # the spans found before the line just read
    for number, (start, end) in enumerate(lines):
        body_seen = body_seen or (number > 0 and len(spans) == marked)
        marked = len(spans)
        line = text[start:end]
        short = len(line) <= _SHORT
        line_above_end, previous_end = previous_end, end
        button = may_consent and short and CONSENT_BUTTON.match(line) is not None
        if not button:
            waiting, buttons = buttons, []
        if button and not (in_block and block_kind == CONSENT):
            # "Accept all cookies" names what it is about: a notice of its own; "Reject all"
            # or "Manage preferences" are consent only next to a notice, above or below it
            if _has_any(line.lower(), consent_hints) or above is not None:
                spans.extend([*([above] if above else []), *buttons, Span(start, end, CONSENT)])
                buttons, in_block, block_kind, above = [], True, CONSENT, None
            else:
                buttons.append(Span(start, end, CONSENT))
            continue
        notice = _consent(line, line.lower(), consent_hints) if may_consent else 0
        above = Span(start, end, CONSENT) if notice == _BESIDE_BUTTONS and not waiting else None
        if in_block:
            if (
                block_kind == RELATED
                and _headline_like(line)
                # the blank lines above it, counted only here (most lines are in no block)
                and (block_gap is None or text.count("\n", line_above_end, start) <= block_gap)
            ):
                if block_gap is None:
                    block_gap = text.count("\n", line_above_end, start)
                spans.append(Span(start, end, RELATED))
                continue
            if block_kind == CONSENT and (
                (short and CONSENT_BUTTON.match(line)) or notice == _BESIDE_BUTTONS
            ):
                # more buttons, or the notice below buttons that name the cookies themselves
                # ("Accepter les cookies", then "Nous utilisons des cookies pour ...")
                spans.append(Span(start, end, CONSENT))
                continue
            in_block = False
        if short and (
            RELATED_HEADING.match(line)
            or RELATED_INLINE.match(line)
            or (foreign and phrases.related_heading(line))
        ):
            spans.append(Span(start, end, RELATED))
            in_block, block_kind, block_gap = True, RELATED, None
        elif notice == _SURE or (notice and waiting):
            spans.extend([*waiting, Span(start, end, CONSENT)])
            in_block, block_kind = True, CONSENT
        elif (
            may_subscribe
            and _has_any(lowered_line := line.lower(), hints)
            and (prompt := _subscription(text, start, end, lowered_line, hints))
        ):
            spans.append(prompt)
        elif short and (SHARE_LINE.match(line) or (foreign and phrases.share_line(line))):
            spans.append(Span(start, end, SHARE))
        elif short and phrases.advertisement_line(line):
            spans.append(Span(start, end, ADVERTISEMENT))
        else:
            edge = number < _EDGE_LINES or number >= len(lines) - _EDGE_LINES
            found = _metadata(text, start, end, edge) or _credit(text, start, end, credited)
            if found:
                spans.append(found)
            elif short and (
                # a menu in the first or last lines, or below the page's own controls
                # ("Skip to main content", "Menu", "Search", then the sections' menu)
                ((edge or not body_seen) and NAVIGATION_LINE.match(line))
                or (not body_seen and SITE_CONTROL_LINE.match(line))
            ):
                spans.append(Span(start, end, NAVIGATION))
                if body_seen:
                    below.append((number, spans[-1]))
    for start, end in reversed(lines[-_TRAILER_LINES:]):
        trailer = _trailer(text, start, end)
        if trailer is None:
            break
        spans.append(Span(trailer, end, TRAILER))
        if trailer > start:
            break
    if below:
        prose = set(_prose_lines(text, lines, spans))
        inside = {span for number, span in below if {number - 1, number + 1} <= prose}
        spans = [span for span in spans if span not in inside]
    return merge(spans)


_PROSE_WORDS = 3
_PROSE_END = (".", "!", "?", '"', "”", "’", ")")


def _prose_lines(text: str, lines: list[Line], spans: list[Span]) -> list[int]:
    """The numbers of the lines no span touches that read as the article's sentences (three
    words or more, ending as a sentence ends): a headline, a share bar the rules missed or a
    photo credit above a menu are none."""
    found = []
    for number, (start, end) in enumerate(lines):
        line = text[start:end]
        if (
            line.endswith(_PROSE_END)
            and len(line.split()) >= _PROSE_WORDS
            and not any(span.start < end and span.end > start for span in spans)
        ):
            found.append(number)
    return found


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


@dataclass(frozen=True, slots=True)
class LineOccurrences:
    """Every line counted (``LineCounter.occurrences``), one entry each: its key, its
    document, and its neighbours' keys as one number (0 at a document's edge)."""

    keys: NDArray[np.int64]
    documents: NDArray[np.int64]
    contexts: NDArray[np.int64]


# the group-by that finds the recurring lines' keys (recurring_keys, or a backend's)
RecurringKeys = Callable[[LineOccurrences, int, float], NDArray[np.int64]]


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

    def occurrences(self) -> LineOccurrences:
        """Every line counted, with its document and neighbours."""
        keys = np.frombuffer(self._keys, dtype=np.int64)
        first = np.frombuffer(self._first_line, dtype=np.int64)
        documents = np.repeat(np.arange(first.size - 1), np.diff(first))
        lines = np.arange(keys.size)
        padded = np.concatenate([[0], keys, [0]])
        before = np.where(lines == first[documents], 0, padded[lines])
        after = np.where(lines + 1 == first[documents + 1], 0, padded[lines + 2])
        with np.errstate(over="ignore"):
            contexts = before * np.int64(-7046029254386353131) + after
        return LineOccurrences(keys, documents, contexts)

    def find(
        self, min_documents: int, min_context_share: float, group: RecurringKeys | None = None
    ) -> int:
        """Mark the lines that recur in at least ``min_documents`` documents, where at least
        ``min_context_share`` of those occurrences have distinct neighbours; returns how
        many distinct lines recur. ``group``: the group-by that finds them (default:
        ``recurring_keys``, here)."""
        keys = np.frombuffer(self._keys, dtype=np.int64)
        self._recurring = np.zeros(keys.size, dtype=bool)
        if min_documents <= 0 or keys.size == 0:
            return 0
        varied = (group or site_lines)(self.occurrences(), min_documents, min_context_share)
        self._recurring = np.isin(keys, varied)
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


def site_lines(
    lines: LineOccurrences, min_documents: int, min_context_share: float
) -> NDArray[np.int64]:
    """The keys of the lines that are site text, not the story's, in a whole corpus's lines
    (``LineCounter.occurrences``: every line, documents in order): ``recurring_keys`` less
    those of a shared body (``not_shared_body``)."""
    found = recurring_keys(lines, min_documents, min_context_share)
    return not_shared_body(found, *document_lines(lines))


def document_lines(lines: LineOccurrences) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Every line's key, documents in order, and where each document's lines start (one
    more: the end), from a whole corpus's lines (``LineCounter.occurrences``)."""
    counts = np.bincount(lines.documents) if lines.documents.size else lines.documents
    return lines.keys, np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)


def not_shared_body(
    candidates: NDArray[np.int64], keys: NDArray[np.int64], first: NDArray[np.int64]
) -> NDArray[np.int64]:
    """Of ``candidates`` (keys whose neighbours vary: ``recurring_keys``), sorted, those that
    are no line of a shared body in the documents that hold them (every line's key,
    ``keys``; where each document's lines start, ``first``, one more: the end)."""
    candidates = np.unique(candidates)
    return candidates[~_in_shared_body(keys, first, candidates)]


def _in_shared_body(
    keys: NDArray[np.int64], first: NDArray[np.int64], candidates: NDArray[np.int64]
) -> NDArray[np.bool_]:
    """Which of the ``candidates`` (sorted keys whose neighbours vary) are a line of a shared
    body, not of the site around it: where most documents holding the line also share the
    lines that run on from it, on one side or the other, and that run is at least half of
    each such document's lines. Ten copies of a wire story under ten outlets' headers hold
    its lead beside a different line above, and beside the same second paragraph below, to
    the end: the lead is the story's, not a masthead's. A footer of three lines runs on
    two lines past its first: it stays site text beside articles longer than that."""
    if candidates.size == 0:
        return np.zeros(0, dtype=bool)
    where = np.flatnonzero(np.isin(keys, candidates))
    group = np.searchsorted(candidates, keys[where])
    document = np.searchsorted(first, where, "right") - 1
    start, end = first[document], first[document + 1]
    holders = np.bincount(group, minlength=candidates.size)
    block = np.ones(where.size, dtype=np.int64)  # the shared lines each occurrence sits in
    for step in (1, -1):
        alive = np.ones(where.size, dtype=bool)
        offset = step
        while True:
            at = where + offset
            alive &= (at >= start) & (at < end)
            live = np.flatnonzero(alive)
            if live.size == 0:
                break
            found = keys[at[live]]
            alive[live[~_most_held(group[live], found, holders)]] = False
            block += alive
            offset += step
    body = (block >= 2) & (2 * block >= end - start)
    return 2 * np.bincount(group, weights=body, minlength=candidates.size) > holders


def _most_held(
    group: NDArray[np.int64], found: NDArray[np.int64], holders: NDArray[np.int64]
) -> NDArray[np.bool_]:
    """Whether each ``found`` line is the one that more than half of its group's
    ``holders`` hold at this offset (of two as common, the smaller key: the same anywhere)."""
    order = np.lexsort((found, group))
    pair_group, pair_key = group[order], found[order]
    new = np.ones(order.size, dtype=bool)
    new[1:] = (pair_group[1:] != pair_group[:-1]) | (pair_key[1:] != pair_key[:-1])
    starts = np.flatnonzero(new)
    counts = np.diff(np.append(starts, order.size))
    starts_group, starts_key = pair_group[starts], pair_key[starts]
    ranked = np.lexsort((starts_key, -counts, starts_group))
    lead = np.ones(ranked.size, dtype=bool)
    lead[1:] = starts_group[ranked][1:] != starts_group[ranked][:-1]
    best_key = np.zeros(holders.size, dtype=np.int64)
    best_count = np.zeros(holders.size, dtype=np.int64)
    best_key[starts_group[ranked][lead]] = starts_key[ranked][lead]
    best_count[starts_group[ranked][lead]] = counts[ranked][lead]
    held: NDArray[np.bool_] = (found == best_key[group]) & (2 * best_count[group] > holders[group])
    return held


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


def recurring_keys(
    lines: LineOccurrences, min_documents: int, min_context_share: float
) -> NDArray[np.int64]:
    """The group-by of lines by key: the keys held by at least ``min_documents`` documents
    with at least ``min_context_share`` as many distinct neighbours' keys, sorted."""
    keys, documents, contexts = lines.keys, lines.documents, lines.contexts
    distinct_keys, document_counts = _count_distinct(keys, documents)
    frequent = distinct_keys[document_counts >= min_documents]
    if frequent.size == 0:
        return frequent
    candidates = np.isin(keys, frequent)
    context_keys, context_counts = _count_distinct(keys[candidates], contexts[candidates])
    index = np.searchsorted(distinct_keys, context_keys)
    return context_keys[context_counts >= min_context_share * document_counts[index]]
