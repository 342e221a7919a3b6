"""Record dates: the other languages' month names, 年月日 and Unix time (``read.dates``)."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.test_hostile_input import articles, invoke, jsonl, summary_of
from wiretrace.clean import date_names
from wiretrace.clean.metadata import extract_facts
from wiretrace.read.dates import DateError, parse_published

IN_OTHER_LANGUAGES = [
    ("14. Juli 2026", "2026-07-14"),
    ("Montag, 14. Juli 2026, 10:30 Uhr", "2026-07-14T10:30:00"),
    ("14 de julio de 2026", "2026-07-14"),
    ("martes, 14 de julio de 2026", "2026-07-14"),
    ("lundi 14 juillet 2026 à 10h30", "2026-07-14T10:30:00"),
    ("14 luglio 2026 alle ore 10:30", "2026-07-14T10:30:00"),
    ("14 lipca 2026 r.", "2026-07-14"),
    ("14 Temmuz 2026 Pazartesi", "2026-07-14"),
    ("14 MAYIS 2026", "2026-05-14"),
    ("14 июля 2026 г.", "2026-07-14"),
    ("14 ИЮЛЯ 2026", "2026-07-14"),
    ("١٤ يوليو ٢٠٢٦", "2026-07-14"),
    ("14 تموز 2026", "2026-07-14"),
    ("14 كانون الثاني 2026", "2026-01-14"),
    ("14 juli 2026", "2026-07-14"),
    ("14 de julho de 2026", "2026-07-14"),
    ("2026年7月14日", "2026-07-14"),
    ("2026年7月14日 10:30", "2026-07-14T10:30:00"),
    ("2026년 7월 14일", "2026-07-14"),
    # as right-to-left pages and full-width forms give them: marks a reader does not see
    ("\u200f2026-07-14\u200f", "2026-07-14"),
    ("\u200e14 يوليو 2026", "2026-07-14"),
    ("２０２６－０７－１４", "2026-07-14"),
]


@pytest.mark.parametrize(("value", "iso"), IN_OTHER_LANGUAGES)
def test_a_date_in_another_language_is_read(value: str, iso: str) -> None:
    assert parse_published(value) == iso


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("1752480000", "2025-07-14T08:00:00+00:00"),
        (1752480000, "2025-07-14T08:00:00+00:00"),
        (1752480000.25, "2025-07-14T08:00:00.250000+00:00"),
        ("1752480000123", "2025-07-14T08:00:00.123000+00:00"),
        (1752480000123, "2025-07-14T08:00:00.123000+00:00"),
        (20260714, "2026-07-14"),
        (20260714103000, "2026-07-14T10:30:00"),
        # day, month and year between dots, day first wherever dots are used: one reading
        ("03.12.2026", "2026-12-03"),
        ("Do., 03.12.2026, 14:30 Uhr", "2026-12-03T14:30:00"),
        ("3.2.2026 9.05", "2026-02-03T09:05:00"),
        ("12.01.2027 08:05 CET", "2027-01-12T08:05:00+01:00"),  # with its zone
        ("12.01.2027 08:05 +0100", "2027-01-12T08:05:00+01:00"),
        # a US site's "ET": standard or daylight time, as the date has it
        ("Jan 14, 2027 10:00 AM ET", "2027-01-14T10:00:00-05:00"),
        ("Jul 14, 2027 10:00 AM ET", "2027-07-14T10:00:00-04:00"),
        ("Jan 14, 2027 10:00 AM PT", "2027-01-14T10:00:00-08:00"),
        ("14.07.2026 10:00 MESZ", "2026-07-14T10:00:00+02:00"),
        ("10.08.2021 10:00 AM ET", "2021-08-10T10:00:00-04:00"),
        ("10.08.2021 10:00 cet", "2021-08-10T10:00:00+01:00"),
        # GMT+2 is two hours ahead as feeds mean it (dateutil reads it the POSIX way, behind)
        ("Tue, 10 Aug 2021 09:00:00 GMT+2", "2021-08-10T09:00:00+02:00"),
        ("10.08.2021 10:00 UTC+2", "2021-08-10T10:00:00+02:00"),
        ("Tue Aug 10 2021 09:00:00 GMT+0530 (India Standard Time)", "2021-08-10T09:00:00+05:30"),
    ],
)
def test_unix_time_and_year_first_numbers_are_read(value: str | float, iso: str) -> None:
    assert parse_published(value) == iso


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("Juli 2026", "incomplete"),  # no day, in any language
        ("14 juillet", "incomplete"),
        ("14 de blah de 2026", "not a date"),  # an unknown word is not left out
        ("jul 14 2026 blah", "not a date"),
        (12345, "Unix time"),
        (-1752480000, "Unix time"),
        (float("nan"), "not a date"),
        (True, "not a date"),
        ("2025-02-30", "no such date"),  # ISO 8601's form, a day February lacks
        ("2025-13-01T10:00:00Z", "no such date"),
        ("31.02.2026", "no such date"),
        ("2026-03-10T25:00:00Z", "no such time"),  # the day is right, the hour is not
        ("10/08/2021", "day/month or month/day"),  # slashes: Europe's or the US's order
        # a zone read as local time moved the date by hours and turned a copy's direction
        ("Jan 14, 2027 10:00 AM XST", "XST is no time zone wiretrace reads"),
        ("Jan 14, 2027 10:00 IST", "India .* Ireland .* Israel"),
    ],
)
def test_what_is_still_refused_says_why(value: object, why: str) -> None:
    with pytest.raises(DateError, match=why):
        parse_published(value)


def test_a_zone_name_is_read_alike_on_every_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    # dateutil reads a name the machine's own zone goes by as local time: IST was +05:30 in
    # India, +00:00 in Dublin and refused elsewhere
    monkeypatch.setattr("time.tzname", ("IST", "IST"))
    with pytest.raises(DateError, match="India"):
        parse_published("August 10, 2021 10:00 AM IST")
    monkeypatch.setattr("time.tzname", ("EST", "EDT"))
    assert parse_published("August 10, 2021 10:00 AM EDT") == "2021-08-10T10:00:00-04:00"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40) | st.sampled_from([value for value, _ in IN_OTHER_LANGUAGES]))
def test_any_text_is_a_date_or_a_date_error(text: str) -> None:
    try:
        found = parse_published(text)
    except DateError:
        return
    assert found is None or isinstance(found, str)


def test_the_name_tables_are_cldrs() -> None:
    """The tables are what babel gives (see ``date_names``' docstring) where it is installed."""
    dates = pytest.importorskip("babel.dates")
    months: dict[str, int] = {}
    weekdays: set[str] = set()
    for locale in ("de", "es", "fr", "it", "pl", "tr", "ru", "ar", "ar_SY", "pt", "nl"):
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in dates.get_month_names(width, context, locale).items():
                    months.setdefault(name.lower().rstrip("."), number)
                for name in dates.get_day_names(width, context, locale).values():
                    weekdays.add(name.lower().rstrip("."))
    assert months == date_names.MONTHS
    assert weekdays - set(months) == date_names.WEEKDAYS


def test_record_dates_in_other_languages_and_unix_time_date_the_documents(
    tmp_path: Path,
) -> None:
    records = articles(4)
    for record, published in zip(
        records, ["14. Juli 2026", 1752480000, "2026年7月14日", "14 июля 2026 г."], strict=True
    ):
        record["published"] = published
    out = tmp_path / "out"

    result = invoke("scan", jsonl(tmp_path / "in.jsonl", *records), "--out", out, "-q")

    assert result.exit_code == 0, result.output
    table = pq.read_table(out / "documents.parquet").to_pylist()
    assert [row["published"] for row in table] == [
        "2026-07-14",
        "2025-07-14T08:00:00+00:00",
        "2026-07-14",
        "2026-07-14",
    ]
    assert summary_of(out)["counts"]["invalid_published"] == 0


@pytest.mark.parametrize(
    ("opening", "place", "credit", "published"),
    [
        ("BERLIN, 14. Juli 2026 (dpa) - Die Regierung", "BERLIN", "dpa", "2026-07-14"),
        ("MÜNCHEN (dpa) - Die Polizei", "MÜNCHEN", "dpa", None),
        ("PARIS, 14 juillet 2026 (AFP) - Le ministre", "PARIS", "AFP", "2026-07-14"),
        ("MADRID, 14 de julio de 2026 (EFE) - El ministro", "MADRID", "EFE", "2026-07-14"),
        ("МОСКВА, 14 июля 2026 г. (Reuters) - Министр", "МОСКВА", "Reuters", "2026-07-14"),
        ("SÃO PAULO (Reuters) - O ministro", "SÃO PAULO", "Reuters", None),
        # a slash in the place, the agency's desk, EFE's ".-", other scripts' agencies
        ("FRANKFURT/MAIN (dpa) - Die GDL", "FRANKFURT/MAIN", "dpa", None),
        ("HAMBURG (dpa/lno) - Bei einem Brand", "HAMBURG", "dpa", None),
        ("MADRID, 14 jul (EFE).- La Guardia Civil", "MADRID", "EFE", "2026-07-14"),
        ("БРЮССЕЛЬ, 14 июля (Рейтер) - Министры", "БРЮССЕЛЬ", "Reuters", "2026-07-14"),
        ("القاهرة (رويترز) - قالت الوزارة", "القاهرة", "Reuters", None),
        ("بيروت (أ ف ب) - أعلنت الوزارة", "بيروت", "AFP", None),
        ("新华社北京7月14日电 记者获悉", "北京", "Xinhua", None),
    ],
)
def test_a_dateline_in_another_language_gives_its_place_credit_and_date(
    opening: str, place: str, credit: str, published: str | None
) -> None:
    """A dateline's date in another language, or a place beyond ASCII, no longer hides the
    dateline and with it the agency it credits."""
    facts = extract_facts(opening + " hat heute etwas beschlossen.", (), 2026)
    assert (facts.dateline, facts.credits, facts.published) == (place, (credit,), published)


def test_a_date_line_below_a_site_s_name_and_menu_dates_the_page(tmp_path: Path) -> None:
    # a saved page: the site's name, its menu, the headline, then "Published: 16 October
    # 2025": the date line was fourth, past the three lines where dates are looked for, and
    # the page had no date (its line still blanked as metadata)
    page = (
        "Kenya Business Daily\n"
        "Home | Markets | Economy | Companies | Opinion\n\n"
        "Kenya raises rates\n\n"
        "Published: 16 October 2025\n\n"
        "Kenya's central bank raised its benchmark lending rate by half a percentage point "
        "on Thursday, its first increase in more than a year.\n"
    )
    (tmp_path / "page.txt").write_text(page, "utf-8")
    out = tmp_path / "out"
    assert invoke("scan", tmp_path / "page.txt", "--out", out, "--no-semantic").exit_code == 0
    (row,) = pq.read_table(out / "documents.parquet").to_pylist()
    assert row["published"] == "2025-10-16"
