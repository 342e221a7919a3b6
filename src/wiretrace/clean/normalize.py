"""Unicode NFKC, case, quote, dash and whitespace folding, keeping an offset map.

Matching only ever sees the clean text; every offset written to the output is mapped back to
the original text through ``CleanText.starts`` / ``CleanText.ends``.

Beyond case, matching folds the spelling variants that one text's copies differ in without
being other words: Arabic vowel marks and tatweel go, its alef, alef maqsura and teh marbuta
forms become one letter each; Turkish dotless i is i (and casefolded dotted capital I loses its
dot); Russian yo is ye; Greek accents go (capitals are written without them). Chinese and
Japanese have no spaces between words, so each ideograph or kana is a word of its own (see
:func:`word_table`): shingles of five such words are five-character n-grams.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from wiretrace.clean import kernels

UNICODE_SIZE = 0x110000
SPACE = ord(" ")
NEWLINE = ord("\n")
DROP = 0xFFFFFFFF  # what the clean table maps a dropped code point to
_NO_OFFSETS: NDArray[np.int64] = np.empty(0, dtype=np.int64)

_QUOTES_SINGLE = "‘’‚‛′‵ʹʼˈ`´"
_QUOTES_DOUBLE = "“”„‟″‶«»〝〞"
_DASHES = "‐‑‒–—―−⁃﹘﹣－"
_LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
# punctuation of other scripts to its ASCII form (sentence marks break sentences as "." does)
_PUNCTUATION = {"。": ".", "｡": ".", "、": ",", "「": '"', "」": '"', "『": '"', "』": '"'}
_PUNCTUATION.update({"،": ",", "؛": ";", "؟": "?", "۔": "."})
# letters folded for matching (after casefolding): spelling variants of one word
_LETTERS = {"ı": "i", "ё": "е", "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"}
_LETTERS.update(zip("άέήίόύώΐΰϊϋ", "αεηιουωιυιυ", strict=True))
# marks dropped for matching: Arabic vowel marks (harakat, superscript alef, Quranic
# annotation), tatweel, and the dot above that casefolding leaves on Turkish "İ"
_DROPPED = [0x0640, 0x0670, 0x0307, *range(0x064B, 0x0660), *range(0x06D6, 0x06EE)]
# scripts written without spaces between words: each character is a word
_WIDE = [
    (0x3040, 0x30FF),  # hiragana, katakana
    (0x31F0, 0x31FF),  # katakana phonetic extensions
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0x20000, 0x3134F),  # CJK extensions B-G
]


@functools.cache
def fold_table() -> NDArray[np.uint32]:
    """Code point -> folded code point: quotes, dashes and whitespace to one ASCII form each."""
    table = np.arange(UNICODE_SIZE, dtype=np.uint32)
    for char in _QUOTES_SINGLE:
        table[ord(char)] = ord("'")
    for char in _QUOTES_DOUBLE:
        table[ord(char)] = ord('"')
    for char in _DASHES:
        table[ord(char)] = ord("-")
    for char, folded in _PUNCTUATION.items():
        table[ord(char)] = ord(folded)
    for code in range(0x3000 + 1):  # every whitespace code point lies below U+3001
        char = chr(code)
        if char.isspace():
            table[code] = NEWLINE if char in _LINE_BREAKS else SPACE
    return table


@functools.cache
def clean_table() -> NDArray[np.uint32]:
    """:func:`fold_table` with the letters folded and the marks dropped (:data:`DROP`) for
    matching: what the clean text is made with."""
    table = fold_table().copy()
    for char, folded in _LETTERS.items():
        table[ord(char)] = ord(folded)
    table[_DROPPED] = DROP
    return table


# Where Unicode puts letters, marks and digits: planes 0-3, and plane 14's variation
# selectors (marks). Planes 4-13 hold nothing and 15-16 only private use, in every Unicode
# version so far; looking only here builds the table in a third of the time (once a process).
_ASSIGNED = ((0, 0x40000), (0xE0000, 0xE0200))


def _letters_marks_digits(first: int, stop: int) -> NDArray[np.uint8]:
    """1 for each code point of ``[first, stop)`` whose category is a letter, mark or
    number, else 0."""
    category = unicodedata.category
    found = bytes(category(chr(code))[0] in "LMN" for code in range(first, stop))
    return np.frombuffer(found, dtype=np.uint8)


@functools.cache
def word_table() -> NDArray[np.uint8]:
    """1 for code points that belong to words (letters, marks, digits), 2 for those that are
    a word each (Chinese and Japanese), else 0.

    Words are maximal runs of 1s, or one 2; everything else (punctuation, symbols, space)
    separates them. Characters that :func:`fold_table` rewrites (some quote-like ones are
    modifier letters) never belong to words, so folding cannot change the words. Built once
    (~0.06 s).
    """
    table = np.zeros(UNICODE_SIZE, dtype=np.uint8)
    for first, stop in _ASSIGNED:
        table[first:stop] = _letters_marks_digits(first, stop)
    folded = fold_table()
    table[folded != np.arange(UNICODE_SIZE, dtype=np.uint32)] = 0
    for first, last in _WIDE:
        table[first : last + 1][table[first : last + 1] == 1] = 2
    return table


@functools.cache
def run_table() -> NDArray[np.uint8]:
    """:func:`word_table` with every word character 1: words as runs of them in every script
    (topic terms keep a Chinese clause whole)."""
    return np.minimum(word_table(), 1)


WIDE_FROM = _WIDE[0][0]  # no code point below this is a word of its own
_WIDE_CLASS = "".join(f"{chr(first)}-{chr(last)}" for first, last in _WIDE)
# words as :func:`word_table` splits them, for code that works on strings (the report's diff)
WORD = re.compile(f"[{_WIDE_CLASS}]|[^\\W{_WIDE_CLASS}]+")
WIDE_CHARACTER = re.compile(f"[{_WIDE_CLASS}]")  # a character that is a word of its own


def word_capacity(text: CleanText) -> int:
    """At most how many words ``text`` holds: one per two code points (a word and its
    separator), plus one, plus one per character that is a word of its own."""
    size = len(text)
    if not text.wide:
        return size // 2 + 1
    return size // 2 + 1 + int(np.count_nonzero(word_table()[text.codes] == 2))


@dataclass(frozen=True, slots=True, eq=False)
class CleanText:
    """Clean text as code points, and where each clean character came from.

    ``starts[i]:ends[i]`` is the span of the original text that clean character ``i`` comes
    from (several clean characters may share one span, e.g. "ﬁ" -> "fi"). The maps are empty
    when the text was cleaned without offsets (the sketch stage does not need them).
    """

    codes: NDArray[np.uint32]
    starts: NDArray[np.int64]
    ends: NDArray[np.int64]
    wide: bool = False  # holds a character that is a word of its own (Chinese, Japanese)

    @property
    def text(self) -> str:
        return self.codes.tobytes().decode("utf-32-le")

    def __len__(self) -> int:
        return int(self.codes.size)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map the clean span ``[start, end)`` to the original text."""
        if end <= start:
            position = int(self.starts[start]) if start < len(self) else int(self.ends[-1])
            return position, position
        return int(self.starts[start]), int(self.ends[end - 1])


@functools.lru_cache(maxsize=65536)
def _changes_length(char: str) -> bool:
    """Whether NFKC + casefold may not map ``char`` to exactly one character on its own:
    expansions ("ß", "ﬁ", "…"), combining marks (they compose with their base) and Hangul
    conjoining jamo (they compose with each other)."""
    return (
        len(unicodedata.normalize("NFKC", char).casefold()) != 1
        or unicodedata.combining(char) != 0
        or 0x1100 <= ord(char) <= 0x11FF
    )


def _normalize_with_map(text: str) -> tuple[str, NDArray[np.int64], NDArray[np.int64]]:
    """NFKC + casefold keeping every output character's original span (used only when the
    length changes). Runs of ordinary characters map one to one; each special character is
    normalised with its base and its combining marks as one cluster."""
    special = "".join(char for char in set(text) if _changes_length(char))
    if not special:
        return unicodedata.normalize("NFKC", text).casefold(), _NO_OFFSETS, _NO_OFFSETS
    pieces: list[str] = []
    starts: list[NDArray[np.int64]] = []
    ends: list[NDArray[np.int64]] = []
    position, size = 0, len(text)

    def ordinary(stop: int) -> None:
        if stop > position:
            pieces.append(unicodedata.normalize("NFKC", text[position:stop]).casefold())
            starts.append(np.arange(position, stop, dtype=np.int64))
            ends.append(starts[-1] + 1)

    for found in re.finditer(f"[{re.escape(special)}]", text) if special else ():
        index = found.start()
        if index < position:
            continue  # already inside the previous cluster
        base = index - 1 if unicodedata.combining(text[index]) and index > position else index
        ordinary(base)
        stop = index + 1
        while stop < size and unicodedata.combining(text[stop]):
            stop += 1
        piece = unicodedata.normalize("NFKC", text[base:stop]).casefold()
        pieces.append(piece)
        starts.append(np.full(len(piece), base, dtype=np.int64))
        ends.append(np.full(len(piece), stop, dtype=np.int64))
        position = stop
    ordinary(size)
    if not pieces:
        return "", np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    return "".join(pieces), np.concatenate(starts), np.concatenate(ends)


def folded(text: str) -> tuple[NDArray[np.uint32], NDArray[np.int64], NDArray[np.int64], bool]:
    """``text`` after NFKC and case folding, as code points, with each one's original span
    (``starts``/``ends``), or empty spans and True when they map one to one onto ``text``:
    the input of the clean table and the whitespace collapse (:func:`clean_text`)."""
    # The common cases map one clean character to one original character: ASCII, and text
    # already in NFKC whose case folding keeps its length (folding never shortens a character,
    # so an equal length means one to one). C-speed checks; the mapping path is the exception.
    starts = ends = _NO_OFFSETS
    if text.isascii():
        lowered = text.lower()
    elif unicodedata.is_normalized("NFKC", text) and len(lowered := text.casefold()) == len(text):
        pass
    else:
        lowered, starts, ends = _normalize_with_map(text)
    codes = np.frombuffer(lowered.encode("utf-32-le"), dtype=np.uint32)
    return codes, starts, ends, starts is _NO_OFFSETS


def clean_text(text: str, *, offsets: bool = True) -> CleanText:
    """Normalise ``text`` for matching; with ``offsets`` also map it back to the original.

    Steps: NFKC, case folding, quotes and dashes to ASCII, the letter variants and marks of
    :func:`clean_table`, whitespace runs to one space (or one newline when the run breaks a
    line), no leading or trailing whitespace. A dropped mark's original span joins that of
    the character before it.
    """
    codes, starts, ends, identity = folded(text)
    size = codes.size
    out_codes = np.empty(size, dtype=np.uint32)
    out_starts = np.empty(size if offsets else 0, dtype=np.int64)
    out_ends = np.empty(size if offsets else 0, dtype=np.int64)
    count, top = kernels.fold_and_collapse(
        codes, clean_table(), starts, ends, identity, offsets, out_codes, out_starts, out_ends
    )
    return CleanText(
        codes=out_codes[:count],
        starts=out_starts[:count] if offsets else _NO_OFFSETS,
        ends=out_ends[:count] if offsets else _NO_OFFSETS,
        wide=int(top) >= WIDE_FROM,
    )
