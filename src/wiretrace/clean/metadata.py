"""Metadata written in the text itself: leading date lines, datelines and agency credits.

Provenance needs them: a dateline "Kabul (AFP), Aug 11 –" or a photo credit "AFP / -" marks a
document as agency copy, and a scraped "date 2021-08-10" line dates a page that carries no
date in its record. A date in the record always wins over one found here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import islice

from wiretrace.clean.boilerplate import (
    CREDIT,
    CREDIT_LINE,
    CREDIT_TAIL,
    METADATA,
    Line,
    line_spans,
)
from wiretrace.clean.date_names import DAY_MONTH as OTHER_DAY_MONTH
from wiretrace.clean.date_names import day_month_in_english
from wiretrace.clean.patterns import AGENCIES, AGENCY, AGENCY_PUBLISHERS, DAY_MONTH, parse_date
from wiretrace.records import Span

# a capital letter of any script ("MÜNCHEN", "SÃO PAULO", "МОСКВА"), then letters
_CAPITAL = "[" + "".join(sorted({char for char in map(chr, range(0x3000)) if char.isupper()})) + "]"
_WORD = rf"{_CAPITAL}(?:[^\W\d_]|['’.-])+"
# "FRANKFURT/MAIN"; Arabic has no capitals: one to three of its words ("القاهرة (رويترز) -")
_PLACE = (
    rf"{_WORD}(?:[ /-]{_WORD}){{0,3}}(?:,\s*{_WORD}){{0,2}}"
    r"|[\u0621-\u064A\u066E-\u06D3]+(?: [\u0621-\u064A\u066E-\u06D3]+){0,2}"
)
# a dateline's date in English ("Aug 11"), in another language ("14. Juli 2026", "14 LUG"),
# or in figures between dots ("14.07.2026", PAP's)
_DATE = rf"(?:{DAY_MONTH}|{OTHER_DAY_MONTH}|\d{{1,2}}\.\d{{1,2}}\.\d{{4}})"
_DASH = r"\.?\s*[-–—:]"  # EFE's "(EFE).-"
# ... or a full stop before the text: TASS's "МОСКВА, 14 июля. /ТАСС/. Сильный ливень"
_END = rf"(?:{_DASH}|\.(?=\s))"
# an outlet the agency list does not know, credited as a dateline credits one: "LEEDS
# (Northern Wire) —" (up to four capitalised words)
_OUTLET = r"[A-Z][\w&'’.-]*(?: [A-Z][\w&'’.-]*){0,3}"
# "Kabul (AFP), Aug 11 –", "BERLIN, Aug 11 (Reuters) -", "LONDON (AP) —", "Paris, 11 August –",
# an agency between slashes ("МОСКВА, 14 июля /ТАСС/ -", "/قنا/"), a date without its comma
# ("الرياض 14 يوليو 2026 (واس) -"), the agency first ("(ANSA) - MILANO, 14 LUG -"), an
# agency after the date's dash ("МОСКВА, 14 июл - РИА Новости.")
_DATELINE = re.compile(
    rf"^(?P<place>(?:{_PLACE}))\s*(?:,?\s*(?P<before>{_DATE})\.?)?\s*"
    rf"(?:\((?:(?P<agency>{AGENCY})(?:/\w+)?|(?P<outlet>{_OUTLET}))\)|/(?P<slashed>{AGENCY})/)"
    rf"\s*(?:,\s*(?P<after>{_DATE}))?{_END}"
    rf"|^\((?P<first>{AGENCY})\)\s*[-–—]\s*(?P<place_after>(?:{_PLACE}))"
    rf"(?:,\s*(?P<date_after>{_DATE}))?{_DASH}"
    rf"|^(?P<place_only>(?:{_PLACE})),\s*(?P<date_only>{_DATE}){_DASH}"
    rf"(?:\s*(?P<last>{AGENCY})\.(?=\s))?"
)
# Chinese agencies open with their name, the place and the day, no space: "新华社北京7月14日电",
# or with their name in wide brackets: "（新华社）"
_CHINESE_AGENCIES = {
    "新华社": "Xinhua",
    "中新社": "China News Service",
    "路透社": "Reuters",
    "路透": "Reuters",
    "法新社": "AFP",
}
_CHINESE_DATELINE = re.compile(
    "^(?:(?P<agency>" + "|".join(_CHINESE_AGENCIES) + r")(?P<place>[\u4e00-\u9fff]{2,5}?)"
    r"\d{1,2}月\d{1,2}日电|（(?P<bracketed>" + "|".join(_CHINESE_AGENCIES) + r")）)"
)
_AGENCY_WORD = re.compile(rf"(?<![\w-]){AGENCY}(?![\w-])")
# "... officials said. (AFP)", "(ANSA).", "- AFP"
_LAST_CREDIT = re.compile(
    rf"(?:\((?:(?i:with)\s+)?(?P<a>{AGENCY})\)\.?|[-–—]\s*(?P<b>{AGENCY}))\s*$"
)
_LEADING_LINES = 3  # date lines of scraped pages come first
_DATELINE_LINES = 3  # lines of text (not boilerplate) in which the dateline is looked for
_DATELINE_CHARS = 120
_HEADER_LINES = 8  # lines above the dateline at most, header lines included
_HEADER_WORDS = 16  # a header line's words at most (a long headline's)
_CREDIT_CHARS = 40  # "... officials said. (AFP)": a closing credit is short


@dataclass(frozen=True, slots=True)
class TextFacts:
    """What the text says about itself."""

    published: str | None = None  # ISO date, from a date line or a dateline with a known year
    dateline: str | None = None  # the place of the dateline ("Kabul")
    credits: tuple[str, ...] = ()  # agencies credited, canonical names, sorted
    language: str | None = None  # detected (``clean.language``), ISO 639-1


_BLANKS = re.compile(r"\s*")


def dateline_end(text: str) -> int:
    """Where a dateline that opens ``text`` ends ("BERLIN, Aug 11 (Reuters) -"), 0 without
    one."""
    # past the blanks a page's noise left above it (lines of boilerplate, blanked); only the
    # opening is read (no copy of a long text for each document)
    start = _BLANKS.match(text).end()  # type: ignore[union-attr]  # it matches anywhere
    opening = text[start : start + _DATELINE_CHARS]
    found = _DATELINE.match(opening) or _CHINESE_DATELINE.match(opening)
    return start + found.end() if found else 0


def _opening_lines(lines: Iterable[Line], text: str) -> list[Line]:
    """The lines a dateline may open: the first ``_DATELINE_LINES`` of text, where a header
    line (a few words that end no sentence: a site's name, a headline, a date) does not
    count, of ``_HEADER_LINES`` lines at most."""
    found: list[Line] = []
    counted = 0
    for start, end in islice(lines, _HEADER_LINES):
        found.append((start, end))
        line = text[start:end].rstrip()
        # a paragraph's words are not all counted: a header has few
        words = len(line.split(maxsplit=_HEADER_WORDS))
        header = words <= _HEADER_WORDS and not line.endswith((".", "!", "?"))
        counted += not header
        if counted >= _DATELINE_LINES:
            break
    return found


def _agencies(text: str) -> list[str]:
    return [AGENCIES[name] for name in _AGENCY_WORD.findall(text)]


def extract_facts(
    text: str, spans: Sequence[Span], year: int | None = None, lines: list[Line] | None = None
) -> TextFacts:
    """Date, dateline and agency credits of ``text``, whose boilerplate ``spans`` are known;
    ``year`` completes a date written without one (from the record or the crawl); ``lines``
    are its ``line_spans`` when already known."""
    lines = line_spans(text) if lines is None else lines
    # the first lines of the page that are not its other noise: a site's name and menu above
    # the headline put "Published: 16 October 2025" fourth, and its date was not read
    noise = {(span.start, span.end) for span in spans if span.kind != METADATA}
    leading = [line for line in lines if line not in noise][:_LEADING_LINES]
    leading_end = leading[-1][1] if leading else 0
    credits: list[str] = []
    published = None
    for span in spans:
        piece = text[span.start : span.end]
        if span.kind == CREDIT or CREDIT_LINE.match(piece) or CREDIT_TAIL.search(piece):
            credits.extend(_agencies(piece))
        elif span.kind == METADATA and published is None and span.start < leading_end:
            published = parse_date(piece, year)
    dateline = None
    masked = {(span.start, span.end) for span in spans}
    # the dateline opens the body, which pages precede with a headline, a byline or a line
    # of noise the rules do not know: the first few lines of text are searched, the short
    # lines of a page's header not counted (a French page's masthead, headline and "Publié le
    # 3 décembre 2026 à 11h05" put "PARIS (AFP) -" fourth: its credit was not read, and a copy
    # without that header was named the page's source as the only one crediting AFP)
    for start, end in _opening_lines((line for line in lines if line not in masked), text):
        first = next((span for span in spans if span.start == start and span.end < end), None)
        # a dateline sits in the first characters of the line
        line = text[first.end if first else start : end].lstrip()[:_DATELINE_CHARS]
        chinese = _CHINESE_DATELINE.match(line)
        if chinese:
            dateline = chinese["place"]
            credits.append(_CHINESE_AGENCIES[chinese["agency"] or chinese["bracketed"]])
            break
        found = _DATELINE.match(line)
        if found:
            dateline = (found["place"] or found["place_after"] or found["place_only"]).strip()
            agency = found["agency"] or found["slashed"] or found["first"] or found["last"]
            if agency:
                credits.append(AGENCIES[agency])
            elif found["outlet"]:  # an outlet the agency list does not know, as written,
                # but an agency under its full name is the agency: "YORK (Press Association) -"
                credits.append(AGENCY_PUBLISHERS.get(found["outlet"], found["outlet"]))
            written = found["before"] or found["after"] or found["date_after"] or found["date_only"]
            if written and published is None:
                published = parse_date(written, year) or parse_date(
                    day_month_in_english(written), year
                )
            break
    if lines:
        last = text[max(lines[-1][0], lines[-1][1] - _CREDIT_CHARS) : lines[-1][1]]
        ending = _LAST_CREDIT.search(last)
        if ending:
            credits.append(AGENCIES[ending["a"] or ending["b"]])
    return TextFacts(published, dateline, tuple(sorted(set(credits))))
