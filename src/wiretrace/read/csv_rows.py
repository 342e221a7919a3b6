"""The rows of a CSV file, bounded in size, where one broken row loses that row only.

A quote opened in a row and never closed makes a CSV reader read on, across the lines of the
rows after it, to the next quote (or to the end of the file), as the text of one field: a
thousand rows came out as one malformed record, or, when the count of fields happened to fit,
as one document marked ok. Such a record is told from a legitimate quoted field that holds
newlines (an article's paragraphs) by what its lines after the first are: read one by one,
they are rows of the header's width, where an article's lines are text (with any number of
commas). A field that runs away holds no quote (the next one would have closed it), so its
lines read alone as they would in the file. A record that takes more than one line is
broken when, from one of its later lines on, at least ``_ROW_SHARE`` of the lines (blank
ones aside, the last too, which the runaway field may have cut) are well-formed rows of the
header's width, and

(a) it is not one well-formed record: a quote closes a field that goes on (``"a"b``: a quote
    that opened a later field closed the runaway one), or the file ends inside its quotes (a
    record that a CSV writer could have written, whatever its number of fields, is left as
    it is: its lines are a field's text, which may hold anything); or
(b) it runs on past the maximum record size, and the rows found are at least
    ``_FEWEST_ROWS`` (with no other quote after it, the field runs to the end of the file:
    the record is judged on the way instead of after reading the rest of the file into one
    field). A record is looked at once it runs past ``_MOST_LINES`` lines and
    ``_LINES_FACTOR`` times the longest record read so far, then read again with twice the
    room until it ends or reaches that size (a quoted article whose paragraphs each hold
    two commas reads as rows of a three-field header's width: it ends, and (a) keeps it);
    past the size, a record whose lines are text is read whole without looking.

Then the lines before those rows are skipped, as one ``malformed_line`` naming them, and
reading resumes at the first row. The limit of the rule: a quoted field larger than the
maximum record size whose own lines are rows of the header's width (a CSV table quoted
inside an article) is taken for a runaway one by (b), where it would have been too large
anyway; a record a CSV writer could write is never cut by (a).

The delimiter is the header's: of the comma, the semicolon (what spreadsheets write where the
comma is the decimal mark), the tab and the bar, the one that splits the header line into the
most fields (the comma on a tie).
"""

from __future__ import annotations

import csv
import io
import sys
from collections import deque
from collections.abc import Iterator

from wiretrace.errors import InputError
from wiretrace.read.files import (
    READ_ERRORS,
    TOO_LARGE,
    BoundedText,
    FileReadError,
    InputFile,
    LineTooLargeError,
    open_binary,
    too_large,
)
from wiretrace.records import Skipped

MALFORMED_LINE = "malformed_line"

# (b) above: how far a record runs before its lines are looked at. 16 lines holds a short
# article's paragraphs; 4 times the longest record so far lets a file of long articles be.
_MOST_LINES = 16
_LINES_FACTOR = 4
# The share of a runaway record's lines that must be rows of the header's width: an
# article's paragraphs hold any number of commas, rows of the file all hold the header's.
_ROW_SHARE = 0.9
# (b): rows a long record must have run over; a legitimate article's last few paragraphs may
# hold the header's number of fields by chance, not eight of them in a row.
_FEWEST_ROWS = 8

Line = tuple[int, str]  # a physical line and its number (from 1)


class _LongRecordError(Exception):
    """A record has run past the lines it may take before being looked at (see (b))."""


class _RecordLines:
    """The physical lines of a CSV stream for ``csv.reader``, numbered; while a record is
    watched, its lines are kept, so that they can be handed out again (``again``), and
    reading stops (``_LongRecordError``) once it passes ``most`` lines or the maximum record
    size."""

    def __init__(self, text: BoundedText, limit: int) -> None:
        self._text = text
        self._limit = limit
        self._again: deque[Line] = deque()
        self.record: list[Line] = []  # the lines of the record being read (when watched)
        self.count = 0  # how many lines the record being read has taken
        self._chars = 0
        self._most: int | None = None
        self._watched = False

    def next_number(self) -> int:
        """The number of the line the next record starts on."""
        return self._again[0][0] if self._again else self._text.lines + 1

    def start(self, most: int | None, watched: bool) -> None:
        """A record starts: when ``watched``, its lines are kept, and reading it stops past
        ``most`` lines (None: no bound) or the maximum record size (then ``full``)."""
        self.record = []
        self.count = 0
        self._chars = 0
        self._most = most
        self._watched = watched

    def again(self, lines: list[Line]) -> None:
        """Hand ``lines`` out again, before any other."""
        self._again.extendleft(reversed(lines))

    def __iter__(self) -> _RecordLines:
        return self

    @property
    def full(self) -> bool:
        """Whether the lines kept of the record are past the maximum record size."""
        return self._chars > self._limit

    def __next__(self) -> str:
        if self._watched and (
            self.full or (self._most is not None and len(self.record) >= self._most)
        ):
            raise _LongRecordError
        if self._again:
            number, line = self._again.popleft()
        else:
            line = next(self._text)  # StopIteration and LineTooLargeError go to the reader
            number = self._text.lines
        self.count += 1
        if self._watched:
            self.record.append((number, line))
            self._chars += len(line)
        return line


DELIMITERS = (",", ";", "\t", "|")


def delimiter_of(header: str) -> str:
    """The delimiter of a CSV file whose first line is ``header``: of ``DELIMITERS``, the one
    that splits it into the most fields (the comma on a tie, and where the line cannot be
    read)."""
    best, most = ",", 1
    for delimiter in DELIMITERS:
        try:
            fields = len(next(csv.reader([header], delimiter=delimiter), []))
        except csv.Error:
            continue
        if fields > most:
            best, most = delimiter, fields
    return best


def _row_widths(lines: list[Line], delimiter: str) -> list[int | None]:
    """How many fields each line holds when read alone (None: blank, or not readable): a
    well-formed row, or the first line of one whose last field, quoted, goes on over the
    lines below (an article of several paragraphs)."""
    widths: list[int | None] = []
    for _, line in lines:
        try:  # strictly: a line that is not a well-formed row on its own is none
            fields = next(csv.reader([line], strict=True, delimiter=delimiter), [])
        except csv.Error:
            try:  # ... unless a quote closing its end makes it one
                closed = line.rstrip("\r\n") + '"'
                fields = next(csv.reader([closed], strict=True, delimiter=delimiter), [])
            except csv.Error:
                fields = []
        widths.append(len(fields) or None)
    return widths


def _first_row(lines: list[Line], width: int, fewest: int, delimiter: str) -> int | None:
    """Where in ``lines`` (a record's lines after its first) the rows it ran over start: the
    earliest line of ``width`` fields from which on at least ``_ROW_SHARE`` of the lines, but
    blank ones and the last, hold ``width`` fields, and at least ``fewest`` do; None when
    there is none."""
    widths = _row_widths(lines, delimiter)
    filled = [index for index, found in enumerate(widths) if found is not None]
    start, fitting, counted = None, 0, 0
    for index in reversed(filled):
        fitting += widths[index] == width
        counted += index != filled[-1]
        if widths[index] == width and fitting >= fewest and fitting >= _ROW_SHARE * counted:
            start = index
    return start


def _well_formed(lines: list[Line], delimiter: str) -> bool:
    """Whether ``lines`` are one record, read strictly: no quote that closes a field that
    goes on, no end of the text inside quotes (what a CSV writer writes always is)."""
    try:
        records = list(csv.reader((line for _, line in lines), strict=True, delimiter=delimiter))
    except csv.Error:
        return False
    return len(records) == 1


class CsvRows:
    """The rows of a CSV file, each with the line it starts on, bounded in size: a row over
    the maximum record size comes as a ``too_large`` Skipped, a broken one as
    ``malformed_line`` (a quote never closed loses its own row only, see the module).
    ``header`` is None for an empty file. Bytes that cannot be read are a FileReadError."""

    def __init__(self, file: InputFile, limit: int) -> None:
        self.file = file
        self.limit = limit
        self.header: list[str] | None = None
        self.delimiter = ","

    def __iter__(self) -> Iterator[tuple[str, list[str] | Skipped]]:
        # a field may be as large as a record; the stdlib default (128 KiB) is too small
        csv.field_size_limit(min(sys.maxsize, self.limit))
        path = self.file.source
        with open_binary(self.file) as binary:
            # surrogateescape keeps undecodable bytes visible per record instead of failing
            stream = io.TextIOWrapper(
                binary, encoding="utf-8-sig", errors="surrogateescape", newline=""
            )
            text = BoundedText(stream, self.limit)
            lines = _RecordLines(text, self.limit)
            try:
                try:
                    first = next(lines, None)
                    if first is None:
                        return
                    self.delimiter = delimiter_of(first)
                    # handed out again, not chained before the lines: a chain ends for good
                    # with its last iterator, and the lines of a quote left open to the end
                    # of the file are handed out again after it (the rows it ran over)
                    lines.again([(text.lines, first)])
                    reader = csv.reader(lines, delimiter=self.delimiter)
                    self.header = next(reader, None)
                except (csv.Error, LineTooLargeError) as error:
                    raise InputError(f"{path}:1: cannot read the CSV header ({error})") from error
                if self.header is not None:
                    yield from self._rows(reader, lines, len(self.header))
            except READ_ERRORS as error:
                after = f" past line {text.lines}" if text.lines else ""
                raise FileReadError(self.file, error, after) from error

    def _rows(
        self, reader: Iterator[list[str]], lines: _RecordLines, width: int
    ) -> Iterator[tuple[str, list[str] | Skipped]]:
        path = self.file.source
        longest = 1  # lines of the longest record read so far
        room: int | None = None  # lines a record read again may take (None: unwatched)
        again = False
        while True:
            first = lines.next_number()
            location = f"{path}:{first}"
            watched = not again or room is not None
            lines.start((room if again else max(_MOST_LINES, _LINES_FACTOR * longest)), watched)
            again = False
            try:
                row = next(reader)
            except StopIteration:
                return
            except _LongRecordError:
                record = lines.record
                # judged on the way only once past the maximum record size: before it, read
                # on (a quoted article whose paragraphs each hold two commas is rows of a
                # three-field header's width, and (a) judges it once it ends)
                start = (
                    _first_row(record[1:], width, _FEWEST_ROWS, self.delimiter)
                    if lines.full
                    else None
                )
                if start is not None:
                    yield location, self._broken(location, record, start + 1, ran_on=True)
                    lines.again(record[start + 1 :])
                else:  # text so far: read again with twice the room, or whole past the limit
                    lines.again(record)
                    again, room = True, None if lines.full else 2 * len(record)
                continue
            except LineTooLargeError as error:
                detail = too_large(error.size, self.limit, "line")
                yield location, Skipped(location, TOO_LARGE, detail)
                continue
            except csv.Error as error:
                record, over = lines.record, "field limit" in str(error)
                # a field over the limit across many lines: one that ran away, or text
                if over and watched and len(record) > 1:
                    start = _first_row(record[1:], width, _FEWEST_ROWS, self.delimiter)
                    if start is not None:
                        yield location, self._broken(location, record, start + 1, ran_on=True)
                        lines.again(record[start + 1 :])
                        continue
                reason = TOO_LARGE if over else MALFORMED_LINE
                yield location, Skipped(location, reason, f"CSV error: {error}")
                continue
            record = lines.record
            if (
                watched
                and len(record) > 1
                and not lines.full
                and not _well_formed(record, self.delimiter)
            ):
                start = _first_row(record[1:], width, 1, self.delimiter)
                if start is not None:
                    yield location, self._broken(location, record, start + 1, ran_on=False)
                    lines.again(record[start + 1 :])
                    continue
            longest = max(longest, lines.count)
            if row:
                yield location, row

    def _broken(self, location: str, record: list[Line], rows: int, ran_on: bool) -> Skipped:
        """The skip of a record whose field ran over the rows from ``record[rows]`` on."""
        last, resume = record[-1][0], record[rows][0]
        runs = f"runs on past line {last}" if ran_on else f"runs to line {last}"
        skipped = "this line is" if rows == 1 else f"lines {record[0][0]} to {resume - 1} are"
        detail = (
            f"a quote opened here is not closed where the row ends: the field {runs}, over "
            f"rows of the file; {skipped} skipped and reading goes on at line {resume} (close "
            "the quote, or double a quote inside a quoted field)"
        )
        return Skipped(location, MALFORMED_LINE, detail)
