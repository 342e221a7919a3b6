"""Web input: HTML pages and WARC crawls -> Documents (the ``html`` extra).

The main text, title, date, canonical URL and site name of a page come from trafilatura; WARC
files are streamed record by record with warcio, so memory stays flat on a crawl of any size.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any, NamedTuple
from urllib.parse import urlsplit

from wiretrace.errors import MissingExtraError
from wiretrace.read.files import TOO_LARGE, UNREADABLE_FILE, too_large
from wiretrace.records import Document, Skipped

# Metadata key of the date a crawler fetched the page (WARC-Date): the published date of last
# resort, and the year of a dateline that names none.
CRAWL_DATE = "crawl_date"
INSTALL = "pip install 'wiretrace[html]'"
NOT_HTML = "not_html"
HTTP_STATUS = "http_status"
TRUNCATED = "truncated"
NO_TEXT = "no_text"
UNREADABLE_PAGE = "unreadable_page"
_CHARSET = re.compile(r"charset=[\"']?([\w.:-]+)", re.IGNORECASE)
_LOOKS_HTML = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)", re.I | re.S)


def outlet_from_url(url: str | None) -> str | None:
    """The host of a URL without ``www.``, as the outlet when the record names none."""
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname
    except ValueError:  # a URL field holds anything: "[" is an unclosed IPv6 address
        return None
    if not host:
        return None
    return host.removeprefix("www.")


# Why the date a page states could not be read, for the page being extracted (see
# _guard_page_dates); a context variable, as pages are extracted in threads too.
_DATE_FAILURE: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "wiretrace_page_date_failure", default=None
)
_dates_guarded = False


def _guard_page_dates(metadata: Any) -> None:
    """Make a date that a page states and Python cannot hold (``+25:00`` as the offset of its
    ``article:published_time``) a date not found, instead of a page lost: htmldate raises
    ValueError when it compares such a date, and trafilatura discards the whole page on any
    ValueError (the page was skipped as ``no_text``). trafilatura calls htmldate through its
    ``metadata.find_date``, with no hook of its own, so that name is wrapped; the failure is
    kept in ``_DATE_FAILURE`` for :func:`extract_page` to report."""
    global _dates_guarded
    find_date = getattr(metadata, "find_date", None)
    if _dates_guarded or find_date is None:
        return

    def guarded(*args: Any, **kwargs: Any) -> Any:
        try:
            return find_date(*args, **kwargs)
        except (ValueError, OverflowError) as error:
            _DATE_FAILURE.set(f"{type(error).__name__}: {error}")
            return None

    metadata.find_date = guarded
    _dates_guarded = True


def _trafilatura() -> Any:
    try:
        import trafilatura
        import trafilatura.metadata
    except ImportError as error:
        raise MissingExtraError(f"reading HTML needs the html extra: {INSTALL}") from error
    _guard_page_dates(trafilatura.metadata)
    return trafilatura


def require_html() -> None:
    """Fail early, with the install command, when the html extra is missing."""
    _trafilatura()


@dataclass(frozen=True, slots=True)
class Page:
    """What the extractor found in one HTML page."""

    text: str
    title: str | None
    published: str | None
    url: str | None
    outlet: str | None
    date_problem: str | None = None  # why the date the page states could not be read


def extract_page(html: bytes | str, url: str | None = None) -> Page | None:
    """Main text and metadata of an HTML page; None when it holds no article text.

    ``url`` is where the page was found; the page's canonical link, when present, wins.
    """
    extractor = _trafilatura()
    token = _DATE_FAILURE.set(None)
    try:
        found = extractor.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_images=False,
            include_links=False,
            # only dates the page states; never guesses from the text or today's date; with
            # the time of day where the page gives one (two pages of one day are then in
            # order, which provenance needs to name a same-day copy's source)
            date_extraction_params={
                "extensive_search": False,
                "original_date": True,
                "outputformat": _DATE_TIME,
                # the date a page states (its article:published_time, with the time of day)
                # before the one its URL gives (the day alone): a wire page at .../2026/05/01/
                # stated 08:00, and a republication of 10:00 that day was kept as no later
                "deferred_url_extractor": True,
            },
        )
        date_problem = _DATE_FAILURE.get()
    finally:
        _DATE_FAILURE.reset(token)
    if found is None or not (found.text or "").strip():
        return None
    return Page(
        text=found.text,
        title=found.title or None,
        published=_stated(found.date),
        url=found.url or url,
        outlet=found.sitename or found.hostname or None,
        date_problem=date_problem,
    )


_DATE_TIME = "%Y-%m-%dT%H:%M:%S%z"
_NO_TIME = "T00:00:00"  # how htmldate writes a date stated without a time in _DATE_TIME


def _stated(date: str | None) -> str | None:
    """The page's date as it states it: a date without a time stays a date (htmldate gives
    it midnight, which would put it before every page of that day that states a time)."""
    if not date or date.endswith(_NO_TIME):
        return date[:10] if date else None
    # ISO 8601 as other inputs give it: +01:00, not htmldate's +0100; with no offset stated,
    # without one
    for pattern in (_DATE_TIME, _DATE_TIME.removesuffix("%z")):
        try:
            return dt.datetime.strptime(date, pattern).isoformat()
        except ValueError:
            continue
    return date  # as htmldate wrote it


class RawPage(NamedTuple):
    """An HTML page read but not yet extracted (extraction may run in a worker process)."""

    html: bytes | str
    id: str
    source: str
    url: str | None = None
    metadata: dict[str, Any] | None = None
    # a crawl knows where it fetched the page: that URL wins over the page's canonical link,
    # which on syndicated copies often names the original publisher
    url_wins: bool = False


def finish(items: list[RawPage | Document | Skipped]) -> list[Document | Skipped]:
    """Extract the pages among ``items``; documents and skipped records pass through."""
    return [
        document_from_html(
            item.html,
            item.id,
            item.source,
            url=item.url,
            metadata=item.metadata,
            url_wins=item.url_wins,
        )
        if isinstance(item, RawPage)
        else item
        for item in items
    ]


def document_from_html(
    html: bytes | str,
    doc_id: str,
    source: str,
    *,
    url: str | None = None,
    metadata: dict[str, Any] | None = None,
    url_wins: bool = False,
) -> Document | Skipped:
    """A Document from an HTML page, or Skipped when the page has no article text. ``url`` is
    where the page was found; the page's canonical link wins over it unless ``url_wins``."""
    try:
        page = extract_page(html, url)
    except Exception as error:  # one page the extractor cannot take must not stop the scan
        detail = f"the page cannot be parsed ({type(error).__name__}: {error!s:.100})"
        return Skipped(source, UNREADABLE_PAGE, detail, doc_id)
    if page is None:
        return Skipped(source, NO_TEXT, "no article text found in the page", doc_id)
    metadata = metadata or {}
    if page.date_problem is not None and page.published is None:
        # imported here: read.fields reads a record's page through this module
        from wiretrace.read.fields import INVALID_FIELDS, InvalidField

        invalid = InvalidField(
            "published",
            "page",
            "",
            f"the date the page states cannot be read ({page.date_problem:.100}); a time "
            "zone offset lies between -23:59 and +23:59",
        )
        metadata = {**metadata, INVALID_FIELDS: (*metadata.get(INVALID_FIELDS, ()), invalid)}
    return Document(
        id=doc_id,
        text=page.text,
        title=page.title,
        url=url if url_wins and url else page.url,
        outlet=page.outlet or outlet_from_url(url if url_wins and url else page.url),
        published=page.published,
        source=source,
        metadata=metadata,
    )


def _decode(payload: bytes, content_type: str) -> bytes | str:
    """Decode by the charset the server declared; else let the extractor detect it."""
    declared = _CHARSET.search(content_type)
    if declared:
        try:
            return payload.decode(declared.group(1), errors="replace")
        except LookupError:  # an unknown charset name
            pass
    return payload


def _record_id(record: Any) -> str:
    raw = record.rec_headers.get_header("WARC-Record-ID") or ""
    return raw.strip("<>").removeprefix("urn:uuid:")


def _content_length(record: Any) -> int | None:
    value = record.rec_headers.get_header("Content-Length")
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _cut_short(record: Any) -> str | None:
    """Why a record read to its end is incomplete (the file was cut inside it), or None.

    warcio does not check a record against its ``Content-Length``: a crawl cut off mid-record
    gives the first part of the page as if it were all of it, and a record cut inside its
    headers may come with a mangled type.
    """
    length = _content_length(record)
    if length is None:
        return "no Content-Length: the record's headers are incomplete"
    missing = getattr(record.raw_stream, "limit", None)  # bytes of the block still unread
    if missing:
        return f"the file ends {missing:,} bytes before the record's end ({length:,} bytes)"
    return None


def read_warc(stream: IO[bytes], name: str, limit: int) -> Iterator[RawPage | Skipped]:
    """Every HTML ``response`` record of a WARC file (plain or gzip) as a page; other
    responses are Skipped with the reason (not HTML, an HTTP status other than 200, a
    truncated payload, a payload over ``limit`` bytes). Request, metadata and other
    non-response records are not pages and are passed over. A file cut short ends with one
    ``truncated`` record."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    _trafilatura()
    number = 0
    records = iter(ArchiveIterator(stream))
    while True:
        try:
            record = next(records)
        except StopIteration:
            return
        except ArchiveLoadFailed as error:
            if number == 0:  # the whole file, as a damaged gzip file is (sources._read_raw)
                detail = f"not a readable WARC file ({error}); check that it is a WARC file"
                yield Skipped(name, UNREADABLE_FILE, detail)
                return
            yield _cut(name, number + 1, str(error))
            return
        except Exception as error:  # warcio fails in many ways on a file cut inside headers
            yield _cut(name, number + 1, f"{type(error).__name__}: {error}")
            return
        if record.rec_type not in _WARC_TYPES:
            yield _cut(name, number + 1, f"unknown record type {record.rec_type!r}")
            return
        if record.rec_type != "response":
            continue
        number += 1
        yield _page(record, name, number, limit)


_WARC_TYPES = frozenset(
    {
        "warcinfo",
        "response",
        "resource",
        "request",
        "metadata",
        "revisit",
        "conversion",
        "continuation",
    }
)


def _cut(name: str, number: int, why: str) -> Skipped:
    return Skipped(
        f"{name}:record {number}", TRUNCATED, f"the file ends inside this record ({why})"
    )


def _page(record: Any, name: str, number: int, limit: int) -> RawPage | Skipped:
    doc_id = _record_id(record) or f"{name}#{number}"
    url = record.rec_headers.get_header("WARC-Target-URI")
    source = f"{name}:record {number}"
    try:
        payload = record.content_stream().read(limit + 1)
    except (OSError, EOFError, ValueError, zlib.error) as error:  # a gzip member cut short
        return Skipped(source, TRUNCATED, f"payload cannot be read ({error}): {url}", doc_id)
    if len(payload) > limit:
        size = _content_length(record) or len(payload)
        return Skipped(source, TOO_LARGE, too_large(size, limit, "payload"), doc_id)
    cut = _cut_short(record)
    if cut is not None:
        return Skipped(source, TRUNCATED, f"{cut}: {url}", doc_id)
    if record.rec_headers.get_header("WARC-Truncated"):
        reason = record.rec_headers.get_header("WARC-Truncated")
        return Skipped(source, TRUNCATED, f"payload truncated ({reason}): {url}", doc_id)
    http = record.http_headers
    status = http.get_statuscode() if http is not None else None
    if status != "200":
        return Skipped(source, HTTP_STATUS, f"HTTP status {status}: {url}", doc_id)
    content_type = http.get_header("Content-Type") or ""
    is_html = "html" in content_type.lower() or (
        not content_type and _LOOKS_HTML.match(payload[:1024]) is not None
    )
    if not is_html:
        kind = content_type.split(";")[0] or "unknown type"
        return Skipped(source, NOT_HTML, f"{kind}: {url}", doc_id)
    crawled = _crawl_date(record.rec_headers.get_header("WARC-Date"))
    return RawPage(
        _decode(payload, content_type),
        doc_id,
        source,
        url,
        {CRAWL_DATE: crawled} if crawled else {},
        url_wins=True,
    )


def _crawl_date(header: str | None) -> str | None:
    """The day of a record's WARC-Date (ISO 8601 by the standard), or None when the header
    holds something else: the scan takes the crawl date as a publication date and its first
    four characters as a year, so a header such as ``²²²²-01-01`` must not pass for one."""
    try:
        return dt.date.fromisoformat((header or "")[:10]).isoformat()
    except ValueError:
        return None
