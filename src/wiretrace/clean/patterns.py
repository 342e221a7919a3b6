"""Regular-expression building blocks shared by the boilerplate rules and the metadata reader:
news agencies as credits spell them, month names, dates.

They are general patterns of how news pages are written, not strings of any one page.
"""

from __future__ import annotations

import datetime as dt
import re

# How credits and datelines spell an agency -> the name recorded in ``credits``.
AGENCIES: dict[str, str] = {
    "AFP": "AFP",
    "AFPTV": "AFP",
    "Agence France-Presse": "AFP",
    "Agence France Presse": "AFP",
    "Reuters": "Reuters",
    "REUTERS": "Reuters",
    "Thomson Reuters": "Reuters",
    "AP": "AP",
    "AP Photo": "AP",
    "Associated Press": "AP",
    "The Associated Press": "AP",
    "dpa": "dpa",
    "DPA": "dpa",
    "PA": "PA",
    "PA Media": "PA",
    "PA Wire": "PA",
    "EPA": "EPA",
    "EPA-EFE": "EPA",
    "EFE": "EFE",
    "ANSA": "ANSA",
    "Xinhua": "Xinhua",
    "UPI": "UPI",
    "Bloomberg": "Bloomberg",
    "Kyodo": "Kyodo",
    "Kyodo News": "Kyodo",
    "Yonhap": "Yonhap",
    "TASS": "TASS",
    "AAP": "AAP",
    "Anadolu": "Anadolu",
    "Anadolu Agency": "Anadolu",
    "IANS": "IANS",
    "PTI": "PTI",
    "ANI": "ANI",
    "Belga": "Belga",
    "ANP": "ANP",
    "Lusa": "Lusa",
    "Getty Images": "Getty Images",
}
# Longest first, so that "AFPTV" wins over "AFP" and "PA Media" over "PA".
AGENCY = "(?:" + "|".join(re.escape(name) for name in sorted(AGENCIES, key=len, reverse=True)) + ")"

MONTHS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
MONTH = "(?i:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
WEEKDAY = r"(?i:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?i:day|nesday|rsday|urday)?\.?"
ORDINAL = r"\d{1,2}(?:st|nd|rd|th)?"
ISO_DATE = r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
# "Aug 11", "11 August", "Wednesday, Aug. 11, 2021"; the year is optional.
DAY_MONTH = (
    rf"(?:{WEEKDAY},?\s+)?(?:{MONTH}\s+{ORDINAL}|{ORDINAL}\s+(?:of\s+)?{MONTH})(?:,?\s+\d{{4}})?"
)
NUMERIC_DATE = r"\d{1,2}[./]\d{1,2}[./]\d{2,4}"
CLOCK = (
    r"(?:,?\s*(?:at\s+)?\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?i:[ap]\.?m\.?)?"
    r"(?:\s*(?:[A-Z]{2,5}|GMT|UTC)(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?)?)?"
)
ANY_DATE = rf"(?:{ISO_DATE}|{DAY_MONTH}|{NUMERIC_DATE}){CLOCK}"
# A capitalised name of up to four words ("Paz PIZARRO", "John Smith Jr.").
NAME = r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}"

_DAY_FIRST = re.compile(rf"(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{MONTH})")
_MONTH_FIRST = re.compile(rf"(?P<month>{MONTH})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?")
_YEAR = re.compile(r"\b(\d{4})\b")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def parse_date(text: str, year: int | None = None) -> str | None:
    """ISO date (``YYYY-MM-DD``) of a date written as ISO or with a month name; a date without
    a year takes ``year``; None when no valid date can be made (numeric ``dd/mm`` dates are
    ambiguous and never parsed)."""
    found = _ISO.search(text)
    if found:
        parts = (int(found[1]), int(found[2]), int(found[3]))
    else:
        named = _DAY_FIRST.search(text) or _MONTH_FIRST.search(text)
        if named is None:
            return None
        stated = _YEAR.search(text[named.end() :])
        if stated is None and year is None:
            return None
        month = MONTHS[named["month"].lower().rstrip(".")]
        parts = (int(stated[1]) if stated else year or 0, month, int(named["day"]))
    try:
        return dt.date(*parts).isoformat()
    except ValueError:
        return None
