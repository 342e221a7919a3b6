"""Sentence spans in original-text offsets, boilerplate excluded.

Lines are split first (headlines and captions have no full stop), then each line by
blingfire's sentence breaker, which knows abbreviations ("Mr.", "U.S.", "Jan.") and quotes.

blingfire's own Python wrapper turns the breaker's UTF-8 byte offsets into string offsets with
a loop over every byte of the text: ~1 ms for a 2.5 KB article, most of the semantic stage's
time with the fast model. :func:`_sentence_offsets` calls the same C function and maps the
offsets with numpy, giving the same spans at a fifth of the cost.
"""

from __future__ import annotations

import ctypes
import functools
import itertools
import re
import threading
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from wiretrace.clean.boilerplate import blank, line_spans
from wiretrace.clean.date_names import MONTH
from wiretrace.clean.normalize import WIDE_CHARACTER
from wiretrace.clean.patterns import CALENDAR_WORDS
from wiretrace.records import Span

MIN_WORDS = 3  # shorter pieces ("Read more", "— No regrets —") carry no statement
# Chinese and Japanese write no spaces, and blingfire does not break at their full stops: a
# character there is a word (``clean.normalize``), and a sentence ends at 。！？
_WIDE_END = re.compile(r"(?<=[。！？])")
# blingfire reads "a.m." as an abbreviation and ends a sentence at it only before a function
# word ("at 9 a.m. The fire ..."): "under control after 9 a.m. Nobody was hurt" stayed one
# sentence, and a careful rewrite's sentences no longer lined up with its source's. A clock
# time ends the sentence where a capitalised word follows that is no day, month or time
# zone ("at 9 a.m. Tuesday", "10 p.m. Eastern time", "6 a.m. GMT" go on).
_CLOCK_TIME = re.compile(r"\d\s?[ap]\.m\.(?=\s+([A-Z][A-Za-z]*))")
_CLOCK_GOES_ON_TEXT = (
    "today tonight eastern central pacific mountain atlantic local "
    "gmt utc et ct mt pt est edt cst cdt mst mdt pst pdt bst cet cest ist jst"
)
_CLOCK_GOES_ON = CALENDAR_WORDS | frozenset(_CLOCK_GOES_ON_TEXT.split())


@functools.cache
def _breaker() -> Callable[..., int]:
    import blingfire

    function: Callable[..., int] = blingfire.blingfire.TextToSentencesWithOffsets
    return function


class _Buffers:
    """The breaker's output buffers, kept between calls and grown when a line needs more:
    allocating three per line cost as much as the breaking (one set per thread)."""

    def __init__(self) -> None:
        self.size = 0
        self.grow(1 << 12)

    def grow(self, size: int) -> None:
        self.size = size
        self.out = ctypes.create_string_buffer(size)
        self.starts = (ctypes.c_int32 * size)()
        self.ends = (ctypes.c_int32 * size)()


class _ThreadBuffers(threading.local):
    """One set of buffers per thread: a service breaks the sentences of several queries at
    once, and threads sharing one set read each other's offsets."""

    def __init__(self) -> None:
        self.buffers = _Buffers()


_BUFFERS = _ThreadBuffers()


def _sentence_offsets(line: str) -> list[tuple[int, int]]:
    """``[start, end)`` string offsets of the sentences of one line, as
    ``blingfire.text_to_sentences_and_offsets`` gives them."""
    data = line.encode("utf-8")
    size = len(data)
    buffers = _BUFFERS.buffers
    if size * 2 > buffers.size:
        buffers.grow(size * 2)
    found = _breaker()(
        ctypes.c_char_p(data),
        ctypes.c_int(size),
        ctypes.byref(buffers.out),
        ctypes.byref(buffers.starts),
        ctypes.byref(buffers.ends),
        ctypes.c_int(size * 2),
    )
    if found < 0 or found > size * 2:
        return []
    # only what this call wrote: the buffer holds earlier, longer lines' output past it
    count = ctypes.string_at(buffers.out, found).split(b"\0", 1)[0].count(b"\n") + 1
    begin = buffers.starts[:count]
    finish = [end + 1 for end in buffers.ends[:count]]
    if data.isascii():
        return [(start, min(end, size)) for start, end in zip(begin, finish, strict=True)]
    # character index of every byte (bytes inside a character count with its lead byte)
    lead = (np.frombuffer(data, dtype=np.uint8) & 0xC0) != 0x80
    index: Any = np.concatenate([np.cumsum(lead) - 1, [len(line)]]).tolist()
    return [
        (index[start], len(line) if end >= size else index[end])
        for start, end in zip(begin, finish, strict=True)
    ]


# German, Polish, Turkish and others write an ordinal as a number and a full stop: "am
# 12. Dezember", "im 10. Pariser Arrondissement". The breaker ended sentences there, and a
# translation's halves stayed unpaired. An ordinal it is where the next word is a month's
# name or begins in lower case, or where the number follows a word that takes one ("am",
# "im", "den"...); "rose to 10. The ..." still ends.
_ORDINAL_END = re.compile(r"(?:^|\s)(?:(\w+)\s+)?\d{1,2}\.\s*$")
_MONTH_FIRST = re.compile(rf"{MONTH}(?!\w)")
_ORDINAL_DIGIT = re.compile(r"\d\.\s")
_BEFORE_ORDINALS_TEXT = (
    "am im vom zum beim bis ab seit den der dem des die das ein einem einer einen zur "
    "od do w we na przed po"
)
_BEFORE_ORDINALS = frozenset(_BEFORE_ORDINALS_TEXT.split())


def _ordinals_joined(line: str, found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``found`` with a sentence that ends at an ordinal (``_ORDINAL_END``) joined to the
    next."""
    joined: list[tuple[int, int]] = []
    for start, end in found:
        if joined:
            before = _ORDINAL_END.search(line, joined[-1][0], joined[-1][1])
            following = line[joined[-1][1] : end].lstrip()
            if before and (
                (before.group(1) or "").lower() in _BEFORE_ORDINALS
                or following[:1].islower()
                or _MONTH_FIRST.match(following)
            ):
                joined[-1] = (joined[-1][0], end)
                continue
        joined.append((start, end))
    return joined


def _sentence_pieces(line: str) -> list[tuple[int, int]]:
    """The sentences of a line, split after a clock time that ends one (``_CLOCK_TIME``),
    joined again after an ordinal (``_ordinals_joined``), those of Chinese or Japanese at
    their full stops."""
    found = _sentence_offsets(line)
    if len(found) > 1 and _ORDINAL_DIGIT.search(line):  # spares most lines the search
        found = _ordinals_joined(line, found)
    if ".m." in line:  # spares most lines the search
        found = _clock_ends(line, found)
    if line.isascii() or not WIDE_CHARACTER.search(line):
        return found
    pieces: list[tuple[int, int]] = []
    for start, end in found:
        cuts = [start, *(start + at.start() for at in _WIDE_END.finditer(line[start:end])), end]
        pieces.extend((first, last) for first, last in itertools.pairwise(cuts) if last > first)
    return pieces


def _clock_ends(line: str, found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``found`` with each sentence cut after a clock time that ends it."""
    pieces: list[tuple[int, int]] = []
    for start, end in found:
        cuts = [
            at.end()
            for at in _CLOCK_TIME.finditer(line, start, end)
            if at.group(1).lower() not in _CLOCK_GOES_ON
        ]
        for first, last in itertools.pairwise([start, *cuts, end]):
            piece = line[first:last]
            pieces.append((first + len(piece) - len(piece.lstrip()), last))
    return pieces


def _wide_words(sentence: str) -> int:
    """Words of a sentence with Chinese or Japanese characters (each a word) in it."""
    return 0 if sentence.isascii() else len(WIDE_CHARACTER.findall(sentence))


def sentence_spans(text: str, boilerplate: Sequence[Span] = ()) -> list[tuple[int, int]]:
    """``[start, end)`` of each sentence of ``text`` outside its boilerplate."""
    visible = blank(text, boilerplate)
    spans: list[tuple[int, int]] = []
    for line_start, line_end in line_spans(visible):
        line = visible[line_start:line_end]
        for start, end in _sentence_pieces(line):
            piece = line[start:end]
            stripped = piece.strip()
            if len(stripped.split()) < MIN_WORDS and _wide_words(stripped) < MIN_WORDS:
                continue
            first = start + len(piece) - len(piece.lstrip())
            spans.append((line_start + first, line_start + first + len(stripped)))
    return spans
