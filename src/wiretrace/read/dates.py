"""Publication dates of records: the forms news feeds and archives write, to ISO 8601.

Understood: ISO 8601 (``2021-08-10``, ``2021-08-10T09:00:00Z``), RFC 2822 as RSS writes it
(``Tue, 10 Aug 2021 09:00:00 GMT``), dates with a month name (``10 August 2021``,
``Aug. 10, 2021 9:00 am``), also in the languages of ``date_names`` (``14. Juli 2026``,
``14 de julio de 2026``, ``14 июля 2026 г.``, ``١٤ يوليو ٢٠٢٦``) and written with 年月日
(``2026年7月14日``), year-first numeric dates (``2021/08/10``, ``20210810``), day/month
numeric dates that only one reading allows (``25/08/2021``), day, month and year between dots
(``03.12.2026``, as Europe writes them: day first wherever dots are used) and Unix time, a
number or a string of digits: 10 digits are seconds, 13 milliseconds (``1752480000``,
``1752480000000``; 2001 to 2286, in UTC), with a time zone as an offset or by the names
feeds write (``_ZONES``). Refused, so that the
scan lists them instead of guessing: dates that two readings allow (``10/08/2021`` is 10 August
in Europe and 8 October in the US), a time zone name not known or of several zones (``IST``;
read as local time it moved a date by hours), two-digit years, incomplete dates (``August 2021``,
``Tuesday``) and relative ones (``yesterday``). A date is also refused when Python cannot hold
it: a time zone offset of a day or more (``+25:00``, ``+9999``; dateutil builds one, and it
fails when first used), or a year with a sign (``-0001-01-01``, which dateutil reads as year
1 by dropping the sign).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from typing import Any

from dateutil import parser as date_parser
from dateutil.tz import gettz, tzoffset

from wiretrace.clean.date_names import in_english

# Two defaults that differ in every field: a field the text does not give comes out different.
_DEFAULTS = (dt.datetime(1900, 1, 1, 0, 0, 0), dt.datetime(1904, 2, 2, 1, 1, 1))
_NUMERIC = re.compile(r"^\s*(\d{1,2})[./-](\d{1,2})[./-](\d{2,4})\b")
# Day, month and year between dots, as German, French, Russian, Polish or Turkish write them
# ("03.12.2026", "Do., 03.12.2026 14:30 Uhr"): day first wherever dots are used, so only one
# reading; a weekday's short name may come first and "Uhr" after the time
_DOTTED = re.compile(
    r"^(?:[^\W\d_]{2,4}\.?,?\s+)?(\d{1,2})\.(\d{1,2})\.(\d{4})(?:,?\s+(?:(?i:um|à|alle)\s+)?"
    r"(\d{1,2}[:.]\d{2}(?::\d{2})?)(?:\s*(?i:uhr|h))?(?:\s*([AaPp]\.?[Mm]\.?))?"
    r"(?:\s+([A-Za-z]{1,5}|[+-]\d{2}:?\d{2}))?)?$"
)
# "GMT+2", "UTC+01:00", "GMT+0530" as an offset: dateutil reads the sign the POSIX way
# (GMT+2 is two hours *behind*), which no feed means; a zone's name in brackets after such
# an offset (JavaScript's "GMT+0530 (India Standard Time)") adds nothing
_NAMED_OFFSET = re.compile(r"\b(?:GMT|UTC)\s*([+\-\u2212])\s*(\d{1,2})(?::?(\d{2}))?(?!\d)")
_ZONE_NOTE = re.compile(r"\s*\([^()]*\)\s*$")
# "-0001-01-01", "+002021-08-10": a year before 1, or ISO 8601's expanded years
_SIGNED_YEAR = re.compile(r"^[+\u2212-]\s*\d")
# Time zone names feeds write most; dateutil knows only UTC by name. A name not known here is
# refused (``_Zones``): read as local time it moved a date by hours, and a wrong direction of
# copying is worse than none.
_ZONES: dict[str, dt.tzinfo] = {
    name: tzoffset(name, round(hours * 3600))
    for name, hours in {
        "GMT": 0,
        "UTC": 0,
        "UT": 0,
        "Z": 0,
        "EST": -5,
        "EDT": -4,
        "CST": -6,
        "CDT": -5,
        "MST": -7,
        "MDT": -6,
        "PST": -8,
        "PDT": -7,
        "BST": 1,
        "CET": 1,
        "CEST": 2,
        "EET": 2,
        "EEST": 3,
        "JST": 9,
        "AEST": 10,
        "AEDT": 11,
        "AKST": -9,
        "AKDT": -8,
        "HST": -10,
        "WET": 0,
        "WEST": 1,
        "MSK": 3,
        "EAT": 3,
        "SAST": 2,
        "WAT": 1,
        "CAT": 2,
        "PKT": 5,
        "WIB": 7,
        "SGT": 8,
        "HKT": 8,
        "AWST": 8,
        "KST": 9,
        "ACST": 9.5,
        "NZST": 12,
        "NZDT": 13,
        "ART": -3,
        "BRT": -3,
        "ICT": 7,
        "PHT": 8,
        "MYT": 8,
        "GST": 4,
        "TRT": 3,
        "NPT": 5.75,
        "PET": -5,
        "COT": -5,
        "CLT": -4,
        "WITA": 8,
        "WIT": 9,
        "MSD": 4,
        "ACDT": 10.5,
        "MEZ": 1,
        "MESZ": 2,
        "WEZ": 0,
        "WESZ": 1,
        "OEZ": 2,
        "OESZ": 3,
    }.items()
}
# US sites' "10:00 AM ET": the zone's standard or daylight time, as the date has it
_ZONES.update(
    (name, zone)
    for name, place in {
        "ET": "America/New_York",
        "CT": "America/Chicago",
        "MT": "America/Denver",
        "PT": "America/Los_Angeles",
        "AET": "Australia/Sydney",
        "NZT": "Pacific/Auckland",
    }.items()
    if (zone := gettz(place)) is not None
)
# names of more than one zone: which one a feed meant cannot be told
_AMBIGUOUS_ZONES = {
    "IST": "India (+05:30), Ireland (+01:00) and Israel (+02:00)",
    "AST": "the Atlantic (-04:00) and Arabia (+03:00)",
}


class _Zones:
    """dateutil's ``tzinfos``, one per date read: a zone name as ``_ZONES`` has it, an offset
    as given, and each other name kept to refuse the date (a function, so that dateutil never
    reads a name as this machine's local time, as it does one that the machine's zone goes
    by, and no warning is needed: catching one is not safe across threads)."""

    def __init__(self) -> None:
        self.unknown: list[str] = []

    def __call__(self, name: str | None, offset: int | None) -> dt.tzinfo | None:
        if name is not None:
            known = _ZONES.get(name)
            if known is not None:
                return known
            if offset is None:
                self.unknown.append(name)
                return None
        if offset is None:
            return None
        return dt.UTC if offset == 0 else tzoffset(None, offset)

    def check(self) -> None:
        """Refuse the date where its zone was a name not known."""
        if not self.unknown:
            return
        name = self.unknown[0]
        places = _AMBIGUOUS_ZONES.get(name)
        if places:
            raise DateError(f"time zone {name} names the time of {places}; give the offset instead")
        raise DateError(
            f"{name} is no time zone wiretrace reads; give the offset (such as -05:00) or an "
            "ISO 8601 date"
        )


_DIGITS = re.compile(r"^\d+$")
# Unix time: 10 digits are seconds, 13 milliseconds (2001-09-09 to 2286-11-20 either way)
_UNIX_DIGITS = {10: 1, 13: 1000}


class DateError(ValueError):
    """A value that is not a date this module understands; the message says why."""


def _iso(parsed: dt.datetime, with_time: bool) -> str:
    try:
        # also checks the offset: datetime holds any tzinfo, and refuses an offset of a day
        # or more only when it is used (printed, compared, subtracted)
        parsed.utcoffset()
        return parsed.isoformat() if with_time else parsed.date().isoformat()
    except (ValueError, OverflowError) as error:
        raise DateError(
            "the time zone offset is a day or more; an offset lies between -23:59 and +23:59"
        ) from error


def _ambiguous(text: str) -> str | None:
    found = _NUMERIC.match(text)
    if found is None:
        return None
    first, second, year = found.groups()
    if len(year) != 4:
        return "a two-digit year is ambiguous; write the year in full"
    if int(first) <= 12 and int(second) <= 12 and first.lstrip("0") != second.lstrip("0"):
        return (
            f"{first}/{second} reads as day/month or month/day; write the date as ISO 8601 "
            "(YYYY-MM-DD) or with the month's name"
        )
    return None


def _unix_time(digits: str, fraction: float = 0.0) -> str:
    """A Unix time of 10 or 13 digits (``_UNIX_DIGITS``) as an ISO date-time in UTC."""
    per_second = _UNIX_DIGITS[len(digits)]
    seconds = int(digits) // per_second + fraction
    moment = dt.datetime.fromtimestamp(seconds, dt.UTC)
    moment += dt.timedelta(milliseconds=int(digits) % per_second)
    return moment.isoformat()


def _parse_number(value: float) -> str:
    """A number as a date: Unix time (``_UNIX_DIGITS``; seconds may have a fraction) or
    YYYYMMDD[hhmmss]."""
    if isinstance(value, float) and math.isfinite(value) and value >= 0:
        whole = int(value)
        if len(str(whole)) == 10:
            return _unix_time(str(whole), value - whole)
        if value == whole:
            value = whole
    digits = str(value)
    if isinstance(value, int) and value > 0 and len(digits) in (*_UNIX_DIGITS, 8, 14):
        return _parse_text(digits)
    raise DateError(
        f"number {value!r:.40} is not a date: a number is read as Unix time (10 digits for "
        "seconds, 13 for milliseconds) or as YYYYMMDD; give an ISO 8601 date"
    )


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}(?:$|[T ])")
_ISO_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$"
)


def _parse_text(text: str) -> str:
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        pass
    else:
        return _iso(parsed, len(text) > 10)
    if _DIGITS.match(text) and len(text) in _UNIX_DIGITS:
        return _unix_time(text)
    if _SIGNED_YEAR.match(text):
        raise DateError("a year with a sign is not one wiretrace reads; give a year from 1 to 9999")
    offset = _NAMED_OFFSET.sub(_as_offset, text)
    if offset != text:
        text = _ZONE_NOTE.sub("", offset)
    dotted = _DOTTED.match(text)
    if dotted:
        day, month, year, time, half, zone = dotted.groups()
        iso = f"{year}-{int(month):02d}-{int(day):02d}"
        if not time:
            return _parse_text(iso)
        time = f"{time.replace('.', ':'):0>5}"
        if not (half or zone):
            return _parse_text(f"{iso}T{time}")
        return _parse_text(" ".join(filter(None, (iso, time, half, zone and zone.upper()))))
    problem = _ambiguous(text)
    if problem:
        raise DateError(problem)
    zones = _Zones()
    try:
        first, second = (
            date_parser.parse(text, default=default, tzinfos=zones) for default in _DEFAULTS
        )
    except (ValueError, OverflowError) as error:
        english = in_english(text)
        if english != text:  # a date in another language, read again in English
            return _parse_text(english)
        if _ISO_DAY.match(text):  # the form is right, the day or the time is not
            try:
                dt.date.fromisoformat(text[:10])
            except ValueError:  # 2025-02-30
                raise DateError(
                    "no such date: give a month from 01 to 12 and a day the month has"
                ) from error
            if _ISO_TIME.match(text):  # 2026-03-10T25:00:00Z
                raise DateError(
                    "no such time: give hours from 00 to 23, minutes and seconds from 00 to 59"
                ) from error
        raise DateError("not a date wiretrace understands; give an ISO 8601 date") from error
    if first.date() != second.date():
        raise DateError("an incomplete date (no day, month or year); give a full date")
    zones.check()
    return _iso(first, first.hour == second.hour)


def _as_offset(found: re.Match[str]) -> str:
    """A "GMT+2" (``_NAMED_OFFSET``) as the offset it means: "+02:00"."""
    sign = "-" if found.group(1) in "-\u2212" else "+"
    return f"{sign}{int(found.group(2)):02d}:{found.group(3) or '00'}"


def parse_published(value: Any) -> str | None:
    """``value`` as an ISO 8601 date or date-time; None for no value. Raises DateError, whose
    message says why, for anything else."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _parse_number(value)
    if not isinstance(value, str):
        raise DateError(f"{type(value).__name__} {value!r:.40}, not a date; give an ISO 8601 date")
    # full-width digits and marks ("２０２６－０７－１４") as their ASCII forms, and without
    # the invisible marks of right-to-left pages (U+200F): a date as a reader sees it
    if value.isascii():  # the usual date: nothing to fold (3.3 -> 1.1 us a date)
        text = value.strip()
    else:
        text = "".join(
            char
            for char in unicodedata.normalize("NFKC", value)
            if unicodedata.category(char) != "Cf"
        ).strip()
    if not text:
        return None
    return _parse_text(text)
