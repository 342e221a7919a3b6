"""Records (JSONL objects, CSV rows, Parquet rows) -> Documents, checking every field's type.

A record's text must be a string (an HTML page: a string or bytes) and its id a string or an
integer: anything else is skipped as ``wrong_type`` with the field and what it held, never
turned into text such as ``"42"`` or ``"['x']"``. An optional field (title, URL, outlet,
published) that holds something else, or a date that cannot be read, is left out of the
document and listed (``Document.metadata[INVALID_FIELDS]``; the scan reports them in
``summary.json``).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, NamedTuple

from wiretrace.clean.language import language_code
from wiretrace.config import FieldNames
from wiretrace.errors import FieldError
from wiretrace.read import web
from wiretrace.read.dates import DateError, parse_published
from wiretrace.read.files import TOO_LARGE, source_file, too_large
from wiretrace.read.web import outlet_from_url
from wiretrace.records import Document, Skipped

MISSING_FIELD = "missing_field"
WRONG_TYPE = "wrong_type"
INVALID_FIELDS = "invalid_fields"  # Document.metadata key: a tuple of InvalidField


_DEFAULTS = FieldNames()
_DEFAULT_ID = _DEFAULTS.id

# optional fields read under another usual name when the record lacks ours (an export's
# ``date`` is its publication date); not a crawl's ``timestamp`` (when it was fetched) nor a
# ``name`` (often an author's)
_READ_AS = {
    "published": (
        "date",
        "pubdate",
        "pub_date",
        "published_at",
        "publish_date",
        "publication_date",
    ),
    "title": ("headline", "heading"),
    "url": ("link", "permalink", "source_url"),
    "outlet": ("publisher", "source_name", "site", "media"),
}
# field names that other tools and feeds give the parts of a document, by the role they play
# (named in the hint of an error where a field is missing)
_USUAL_NAMES = {
    "id": ("doc_id", "docid", "guid", "uuid", "article_id", "key", "uid"),
    "text": ("body", "content", "article", "article_text", "full_text", "fulltext", "maintext"),
    "title": (*_READ_AS["title"], "name"),
    "published": (*_READ_AS["published"], "datetime", "timestamp", "created_at"),
    "url": (*_READ_AS["url"], "href"),
    "outlet": (*_READ_AS["outlet"], "source", "domain"),
}


class InvalidField(NamedTuple):
    """An optional field whose value was not used, and why."""

    role: str  # the FieldNames attribute: "published", "title", "url", "outlet", "language"
    field: str  # the record's field name
    value: str  # the value as it was, shortened
    detail: str


@dataclass(frozen=True, slots=True)
class UnreadableValue:
    """A Parquet value with no Python equivalent (a date past the year 9999, a time with
    nanoseconds, an unknown time zone): it stands in for the value so that the field is
    reported like any other value of the wrong type, instead of failing the scan."""

    type: str  # the Arrow type, e.g. "date32[day]"
    error: str

    def __repr__(self) -> str:  # as messages show it
        return f"<{self.type} value: {self.error}>"


def describe(value: Any) -> str:
    """What a value is, in a user's words: ``an integer (42)``, ``a list``."""
    if isinstance(value, UnreadableValue):
        return f"a {value.type} value that cannot be read ({value.error:.60})"
    if isinstance(value, bool):
        return f"true/false ({value})"
    if isinstance(value, int | float):
        return f"a number ({value!r:.40})"
    if isinstance(value, bytes | bytearray):
        return "bytes"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, dt.date | dt.datetime):
        return f"a date ({value})"
    return f"a {type(value).__name__}"


def in_their_case(fields: FieldNames, names: list[str]) -> FieldNames:
    """``fields`` with each default name the record lacks replaced by the one field it has
    that differs from it only in case (a spreadsheet's ``ID``, ``Title``, ``Text``), and an
    optional field it lacks (title, publication date, URL, outlet) by the one field it has
    of a usual name for it (``date``, ``headline``, ``link``, ``publisher``): a name given
    by an option is the record's own spelling, and two such fields (``Text`` and ``TEXT``,
    ``date`` and ``pubdate``) leave the name as it was."""
    present = set(names)
    found = {}
    for role, name in asdict(fields).items():
        if name != getattr(_DEFAULTS, role) or name in present:
            continue
        alike = [other for other in names if other.casefold() == name.casefold()]
        if not alike:
            usual = _READ_AS.get(role, ())
            alike = [other for other in names if other.casefold() in usual]
        if len(alike) == 1 and alike[0] not in asdict(fields).values():
            found[role] = alike[0]
    return replace(fields, **found) if found else fields


class RecordMapper:
    """Turns raw records (mappings) of one file into Documents, checking the fields once."""

    def __init__(self, path: Path, fields: FieldNames, max_bytes: int, look_ahead: int = 0) -> None:
        self.path = path
        self.fields = fields
        self.max_bytes = max_bytes
        self.checked = False
        # records whose keys vary (JSONL) may open with one that leaves out a field the
        # others have: up to this many such records are skipped for it before the file is
        # refused, and a file none of whose records has the field is refused at its end
        self.look_ahead = look_ahead
        self.refused: FieldError | None = None
        self._lacking = 0
        # no id field in the first record (a crawl's records often have none): each record
        # without one is named by its place in the file, ``feb.jsonl:12``, the same whichever
        # worker reads it
        self.positional = False

    def check_fields(self, present: Iterable[str]) -> None:
        """Refuse a file whose record (its header, or its first JSONL record that has them:
        see ``look_ahead``) has no text field, or no id field where one looks like an id by
        its name (``doc_id``) or was named by ``--id-field``: one sentence
        naming every field missing, the fields it has, and the options, with the fields that
        look like ours by their names (``body`` for the text, ``date`` for the publication).
        A file with no id field at all names its records by their places in it."""
        names = [str(name) for name in present]
        self.fields = in_their_case(self.fields, names)
        text_fields = (self.fields.text, self.fields.html)
        self.positional = (
            self.fields.id == _DEFAULT_ID
            and self.fields.id not in names
            and not any(name.lower() in _USUAL_NAMES["id"] for name in names)
        )
        missing = [
            (role, wanted, option)
            for role, wanted, option in (
                ("id", (self.fields.id,), "--id-field"),
                ("text", text_fields, "--text-field or --html-field"),
            )
            if not any(name in names for name in wanted) and not (role == "id" and self.positional)
        ]
        if missing:
            wanted = " and ".join(" or ".join(map(repr, item[1])) for item in missing)
            options = " and ".join(f"the {role} field with {option}" for role, _, option in missing)
            hint = self._likely_fields(names)
            raise FieldError(
                f"{self.path}: field{'s' if len(missing) > 1 else ''} {wanted} not found; "
                f"fields present: {', '.join(names) or '(none)'}",
                f"name {options}",
                hint,
            )
        self.checked = True

    def finish(self) -> None:
        """At the file's end: refuse it when none of its records had the fields."""
        if self.refused is not None:
            raise self.refused

    def _place(self, location: str) -> str:
        """A record's place as its id: the file's name and the line or row (``feb.jsonl:12``,
        ``feb.parquet:row 3``), without the folders of the path."""
        return self.path.name + location[len(source_file(location)) :]

    def _likely_fields(self, names: list[str]) -> str:
        """Options naming the fields of ``names`` that look like ours and that the options
        do not name yet: ``--text-field body --published-field date``."""
        taken = set(asdict(self.fields).values())
        found = []
        for role, usual in _USUAL_NAMES.items():
            if getattr(self.fields, role) in names:
                continue
            match = next((n for n in names if n.lower() in usual and n not in taken), None)
            if match is not None:
                taken.add(match)
                found.append(f"--{role}-field {match}")
        return " ".join(found)

    def _body(
        self, record: Mapping[str, Any], location: str, doc_id: str
    ) -> tuple[str | None, str | bytes | None] | Skipped:
        """The record's text, or its page when the text is empty, type- and size-checked."""
        fields = self.fields
        text = record.get(fields.text)
        html = record.get(fields.html) if text is None or text == "" else None
        if text is None and html is None:
            detail = f"no value for text field {fields.text!r} or html field {fields.html!r}"
            return Skipped(location, MISSING_FIELD, detail, doc_id)
        if text is not None and not isinstance(text, str):
            detail = f"text field {fields.text!r} holds {describe(text)}; text must be a string"
            return Skipped(location, WRONG_TYPE, detail, doc_id)
        if html is not None and not isinstance(html, str | bytes):
            detail = (
                f"html field {fields.html!r} holds {describe(html)}; a page must be a string "
                "or bytes"
            )
            return Skipped(location, WRONG_TYPE, detail, doc_id)
        body = html if html is not None else text
        if body is not None and len(body) > self.max_bytes:
            field = fields.html if html is not None else fields.text
            detail = too_large(len(body), self.max_bytes, f"field {field!r}")
            return Skipped(location, TOO_LARGE, detail, doc_id)
        return text, html

    def map(self, record: Mapping[str, Any], location: str) -> Document | Skipped:
        if not self.checked:
            try:
                self.check_fields(record.keys())
            except FieldError as error:
                self._lacking += 1
                if self._lacking > self.look_ahead:
                    raise
                self.refused = self.refused or error
                detail = error.found.removeprefix(f"{self.path}: ")
                return Skipped(location, MISSING_FIELD, detail)
            self.refused = None
        fields = self.fields
        # a file named by places from its first record on may still give ids further on
        # (JSONL records' keys vary): those are kept, not silently replaced by places
        positional = self.positional and record.get(fields.id) is None
        raw_id = self._place(location) if positional else record.get(fields.id)
        if isinstance(raw_id, float) and (raw_id.is_integer() or math.isnan(raw_id)):
            # pandas writes a column of integer ids with a gap as floats: 19.0, and NaN
            raw_id = None if math.isnan(raw_id) else int(raw_id)
        if raw_id is None or raw_id == "":
            return Skipped(location, MISSING_FIELD, f"no value for id field {fields.id!r}")
        if isinstance(raw_id, bool) or not isinstance(raw_id, str | int):
            detail = (
                f"id field {fields.id!r} holds {describe(raw_id)}; an id must be a string or "
                "an integer"
            )
            return Skipped(location, WRONG_TYPE, detail)
        doc_id = str(raw_id)
        body = self._body(record, location, doc_id)
        if isinstance(body, Skipped):
            return body
        text, html = body
        invalid: list[InvalidField] = []
        optional = {}
        for role in ("title", "url", "outlet"):
            name = getattr(fields, role)
            value = record.get(name)
            if value is None or isinstance(value, str):
                optional[role] = value
            else:
                detail = f"holds {describe(value)}, not a string"
                invalid.append(InvalidField(role, name, f"{value!r:.80}", detail))
                optional[role] = None
        published_raw = record.get(fields.published)
        try:
            published = parse_published(published_raw)
        except DateError as error:
            published = None
            invalid.append(
                InvalidField("published", fields.published, f"{published_raw!s:.80}", str(error))
            )
        language = None
        language_raw = record.get(fields.language)
        if language_raw is not None and language_raw != "":
            language = language_code(language_raw) if isinstance(language_raw, str) else None
            if language is None:
                detail = "not a language code such as 'de' or 'pt-BR'; the language is detected"
                invalid.append(
                    InvalidField("language", fields.language, f"{language_raw!s:.80}", detail)
                )
        url = optional["url"]
        document = Document(
            id=doc_id,
            text=text or "",
            title=optional["title"],
            url=url,
            outlet=optional["outlet"] or outlet_from_url(url),
            published=published,
            source=location,
            metadata={INVALID_FIELDS: tuple(invalid)} if invalid else {},
            language=language,
        )
        if html is None:
            return document
        return _with_page(document, html)


def _with_page(document: Document, html: str | bytes) -> Document | Skipped:
    """The record's own fields, completed by what its HTML page says (the record wins)."""
    page = web.document_from_html(
        html, document.id, document.source, url=document.url, metadata=document.metadata
    )
    if isinstance(page, Skipped):
        return page
    return Document(
        id=document.id,
        text=page.text,
        title=document.title or page.title,
        url=document.url or page.url,
        outlet=document.outlet or page.outlet,
        published=document.published or page.published,
        source=document.source,
        # the page's own invalid date matters only when the record gives no date
        metadata=document.metadata if document.published else page.metadata,
        language=document.language,
    )
