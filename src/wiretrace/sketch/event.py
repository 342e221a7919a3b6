"""The arguments of a news article's event: who, where, when and how many.

Two reports of one event name the same people and places, date it to the same day and count
the same dead; two stories that merely share a topic ("a shooting in Chicago") seldom agree
on all of these. The arguments are read by documented rules from the text alone (no model),
for every document in the sketch workers. English only: the rules are English words and
English ways of writing dates and numbers; a text in another language yields names (its
capitalised words) and little else.

Speed: most rules start at a word rarer than the text around it (a victim verb, "in" before a
capitalised word, a street suffix, "year", a currency sign), so one regex pass finds those
anchors (its alternatives grouped by first letter, after a space that Python's engine scans
for) and the rules run only there, reading a few words back and forth; a regex opening with
words would be tried at every character, several times slower. The temporal expressions are
sought from their keys ("day", "night", month names) in order and the search stops at the
first. A 3 KB article takes a few hundred microseconds, about a third of them in
:func:`~wiretrace.sketch.topics.entities_of`.

The rules, and what they are known to miss or over-collect:

- **names**: the named entities of :func:`~wiretrace.sketch.topics.entities_of` (runs of
  capitalised words, lower case), distinct, in order, less the places found below and the
  names inside them ("clark st" of "n. clark st"), years, bare month or weekday names, number
  words, titles ("sen") and state abbreviations ("neb"); 30 at most. Headline-cased phrases
  come along, and sentence-opening single words are missed (as entities_of misses them).
- **places**: a run of one to four capitalised words ("St. Louis", "Fort Worth"; "of", "de",
  "la" may join them: "Isle of Man") right after "in", "at", "near" or "outside" and one
  space (an optional "the" between: "in the Bronx"), or after "city of", "town of", "county
  of" ...; "<Name> County", "<Name> Township", "<Name> Parish"; street addresses ("the 1200
  block of West Madison Street" -> "west madison street", "at 45 Main St." -> "main st";
  "St", "Dr" and "Lane" count only after a house number, since "St. Louis", "Dr. Smith" and
  "Diane Lane" are not streets); "Interstate 95" and "I-95" (both "interstate 95"),
  "Highway 101", "Route 66"; a US "City, State" pair ("Dayton, Ohio"; AP abbreviations,
  "Sacramento, Calif.") gives the city, and the state ("california") only where no city
  comes before it: the state places the city, and two events in one state (two fires in
  California on one day) must not share a place by it. Leading function and calendar words
  are dropped ("The Hague" -> "hague"), and a run is cut at a weekday or month name ("in
  Chicago Tuesday" -> "chicago"), at a possessive ("Chicago's South Side" -> "chicago"), after
  a county ("in Los Angeles County Superior Court" -> "los angeles county") and after an
  abbreviation that may end the sentence ("in the U.S. Officials ..." -> "u.s."). Over-
  collected: organisations where people work or meet ("at Google", "at the Pentagon"), which
  then leave the names. Missed: places not introduced by these words ("Chicago police said",
  "coast of Japan"), all-capital datelines. 20 at most.
- **when**: the first temporal expression of the first ~4,000 characters, in text order, as
  ``(kind, value)``, which :func:`event_date` resolves against publication:
  ``("days", n)`` n days from publication: "yesterday", "last night" (-1), "the day before
  yesterday" (-2), "today", "tonight", "this morning", "overnight" (0), "N days ago" (-N),
  "last week", "a week ago" (-7), "N weeks ago" (-7N), "last month", "a month ago" (-30),
  "N months ago" (-30N), N digits, a number word or "a";
  ``("weekday", d)`` d = 0 Monday ... 6 Sunday: any capitalised weekday name ("on Tuesday",
  "Tuesday night", "late Saturday", AP's "police said Tuesday"), the latest such day on or
  before publication (the publication day itself when it is one);
  ``("last_weekday", d)``: "last Tuesday", strictly before publication; "next Tuesday" and
  "every Tuesday" are passed over (they date no past event);
  ``("month_day", month * 100 + day)``: "March 3", "March 3rd", "3 March", "3rd of March",
  "Dec. 12", the latest such date on or before publication (February 29 waits for a leap
  year);
  ``("date", yyyymmdd)``: a date with its year written ("March 3, 2014"), that date.
  Known limits: the first expression is taken even when it dates something other than the
  event (a hearing "on Tuesday" announced for next week, a birth date, a dateline's date);
  "last night" is the day before publication even for an article published late that night;
  a month is 30 days; "last year", "this week", "in March" and numeric dates ("3/12") are
  not read; "USA Today" is not today, but other names holding "Today" are.
- **counts**: ``(what, value)`` pairs, distinct, in order of appearance, 30 at most. Numbers
  are digits ("1,500"), decimals with a scale ("1.5 million") or number words one to
  ninety-nine ("Three", "twenty-one"); "dozens", "a dozen" and "twenty one" (two words) are
  not read.
  ``killed``: "N (people) were killed", "N dead", "N died", "left N dead", "N were found
  dead", "N were stabbed to death", "N fatalities", "N deaths", "killing N", "shot and killed
  N", "N were fatally shot", "N shot dead";
  ``injured``: "N injured", "N wounded", "N people were hurt", "N were seriously injured",
  "wounding N", "injuring N"; ``shot``: "N people were shot", "shot N people";
  ``arrested``: "N arrested", "arresting N", "N were detained". Up to three lower-case words
  may stand between the number and the verb ("three teenage boys were shot", "two other
  people were wounded"), none of them a determiner, a preposition, a conjunction or a unit
  (which would let the number reach into another clause: "3 days after the man was killed"),
  and no punctuation. A verb with no "were"/"was" before it must not be followed by an object
  ("3 killed in Chicago" counts; "two gunmen killed three people" counts three, not two); a
  number after the verb must not be followed by a unit ("shot 3 times"). A four-digit number
  1900-2100 written without a comma is taken for a year and never counts people.
  ``age``: "a 16-year-old", "16 years old", "aged 42", "age 42", "at the age of 42", "John
  Smith, 42," and "a man, 34," (a capitalised word or a word for a person, then the age and a
  comma), "John Smith (42)" (two capitalised words before the brackets); 1 to 110.
  ``money``: the amount in whatever currency it is written, the currency not recorded (so that
  "$2 million" and "2 million dollars" agree; a converted amount does not; a price or a rate,
  "$2.50", "$1.302", is none):
  "$2 million" -> 2000000, "$450,000", "US$3.5 billion", "£5m", "€20bn", "2 million dollars",
  "ten thousand pounds".
  ``magnitude``: ten times an earthquake's magnitude, rounded: "magnitude 6.1",
  "6.1-magnitude", "a magnitude of 6.1", "6.1 on the Richter scale" -> 61.
  ``score``: a match's score beside a word of winning, losing or scoring, the higher number
  first, as 100 times it plus the other: "beat Chelsea 3-1", "a 1-1 draw", "lost 0-2" -> 301,
  101, 200 (two reports of one match give its score, two matches of one day mostly two).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple, TypeVar

from wiretrace.clean.date_names import MONTHS as OTHER_MONTHS
from wiretrace.clean.date_names import WEEKDAYS as OTHER_WEEKDAYS
from wiretrace.clean.metadata import dateline_end
from wiretrace.clean.patterns import AGENCIES, CALENDAR_WORDS, MONTHS, WEEKDAYS
from wiretrace.sketch.background import stop_words_set

_WHEN_CHARS = 4000  # an article dates its event in its first paragraphs
_MAX_NAMES = 30
_MAX_PLACES = 20
_MAX_COUNTS = 30
_MAX_AGE = 110
_MAX_AMOUNT = 10**15  # beyond any budget: a run of digits, not an amount
_MAX_DIGITS = 24  # "1,000,000,000,000,000" with its commas
_WORD_CHARS = 16  # characters looked back per word wanted before an anchor


class EventArguments(NamedTuple):  # a tuple: it crosses from worker processes for every document
    """Who, where, when and how many of a document's event (see the module's rules)."""

    names: tuple[str, ...]  # people and organisations, lower case, distinct, in order
    places: tuple[str, ...]  # lower case, distinct, in order
    when: tuple[str, int] | None  # how the text dates its event, resolved by event_date
    counts: tuple[tuple[str, int], ...]  # (what, value), distinct, in order


NO_EVENT = EventArguments((), (), None, ())  # what a document carries when events are off

_T = TypeVar("_T")


def _distinct(items: Iterable[_T], most: int) -> tuple[_T, ...]:
    """The first ``most`` distinct items, in order."""
    kept: dict[_T, None] = {}
    for item in items:
        if len(kept) == most:
            break
        kept.setdefault(item, None)
    return tuple(kept)


def _finds(text: str, needles: Iterable[str]) -> list[int]:
    """Where each needle occurs in ``text``, in order (``str.find`` scans in C: for a few
    rare needles it beats a regex, which Python tries at every character)."""
    found: list[int] = []
    for needle in needles:
        at = text.find(needle)
        while at >= 0:
            found.append(at)
            at = text.find(needle, at + 1)
    found.sort()
    return found


def _words_before(text: str, at: int, count: int) -> list[str]:
    """The last ``count`` (or fewer) white-space separated words before ``at``; a word the
    window cuts is left out."""
    start = max(0, at - _WORD_CHARS * count)
    words = text[start:at].rsplit(None, count)
    if len(words) > count or (
        start > 0 and words and not text[start - 1].isspace() and not text[start].isspace()
    ):
        del words[0]  # beyond the count, or cut by the window
    return words


# Numbers
_SMALL_TEXT = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
)
_TENS_TEXT = "twenty thirty forty fifty sixty seventy eighty ninety"
_SMALL_WORDS = _SMALL_TEXT.split()
_TENS_WORDS = _TENS_TEXT.split()
_NUMBER_WORDS: dict[str, int] = {word: index for index, word in enumerate(_SMALL_WORDS, 1)}
_NUMBER_WORDS.update({word: 10 * index for index, word in enumerate(_TENS_WORDS, 2)})
_SCALES = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9}
_SCALES.update({"trillion": 10**12, "k": 1000, "m": 10**6, "mn": 10**6, "b": 10**9})
_SCALES.update({"bn": 10**9})
_SCALE_WORDS = frozenset(("hundred", "thousand", "million", "billion", "trillion"))
# longest first, so that "seventeen" is not read as "seven"; case-insensitive, since
# "Three people were killed" opens a sentence
_WORD_NUMBER = (
    r"(?i:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
    r"(?:-(?:one|two|three|four|five|six|seven|eight|nine)\b)?|"
    + "|".join(sorted(_SMALL_WORDS, key=len, reverse=True))
    + r")\b"
)
_INTEGER = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")
_DECIMAL = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")


def _number(word: str, scale: str | None = None) -> int | None:
    """The integer a number written as one word stands for ("12", "1,500", "Three",
    "twenty-one", "1.5" with a scale); None for anything else, for a fraction without a
    scale and for a run of digits too long to be a count or an amount."""
    lower = word.lower()
    value: float
    if lower in _NUMBER_WORDS:
        value = _NUMBER_WORDS[lower]
    elif "-" in lower:  # "twenty-one"
        tens, _, unit = lower.partition("-")
        if tens not in _TENS_WORDS or _NUMBER_WORDS.get(unit, 10) >= 10:
            return None
        value = _NUMBER_WORDS[tens] + _NUMBER_WORDS[unit]
    elif (
        word[:1].isdigit()
        and len(word) <= _MAX_DIGITS
        and (_DECIMAL if scale else _INTEGER).fullmatch(word)
    ):
        value = float(word.replace(",", ""))
    else:
        return None
    if scale:  # "1.1 million": rounded, the float being a hair off
        value = round(value * _SCALES[scale.lower()])
    return int(value) if value < _MAX_AMOUNT else None


def _number_ending(words: list[str], index: int) -> tuple[int, str] | None:
    """The number whose last word is ``words[index]`` ("3", "2 million"), with its first
    word."""
    word = words[index]
    if word.lower() in _SCALE_WORDS and index > 0:
        value = _number(words[index - 1], word)
        return None if value is None else (value, words[index - 1])
    value = _number(word)
    return None if value is None else (value, word)


def _is_year(written: str) -> bool:
    """A four-digit number written without a comma that reads as a year: never a count of
    people."""
    return len(written) == 4 and written.isdigit() and 1900 <= int(written) <= 2100


# Counts of victims and arrests are read around their verbs (see _ANCHOR)
_VICTIM_TEXT = "kill arrest detain injur wound hurt shot shoot dead died death fatal"
_VICTIM_STEMS = _VICTIM_TEXT.split()
_PASSIVE = (
    r"(?:shot\s+(?:dead|to\s+death)|shot\s+and\s+killed|"
    r"fatally\s+(?:shot|injured|wounded|stabbed|struck)|killed|injured|wounded|hurt|shot|"
    r"arrested|detained)"
)
_VICTIM_PHRASE = re.compile(
    rf"(?:{_PASSIVE}|(?P<intransitive>died|dead|fatalities|deaths|death))\b"
)
_AUX_WORDS = frozenset(("were", "was", "are", "is", "been", "being", "got", "get"))
# words that end the stretch between a number and its verb: past them, the verb belongs to
# another phrase ("3 days after the man was killed", "three men and two women were hurt")
_STOP_TEXT = (
    "the a an and or but nor to in on at by for from with after before since than when while "
    "because as his her their its this that these those he she it they we you year years "
    "month months week weeks day days hour hours minute minutes second seconds percent times "
    "per ago million billion thousand hundred dozen dozens"
)
_STOP_WORDS = frozenset(_STOP_TEXT.split())
_BETWEEN_MOST = 3
_NONE_BEFORE = frozenset(("no", "not"))  # before "one": nobody
_NONE_OF = frozenset(("none", "neither"))  # "none of the 22 crew", "neither of its two"
_OWNERS = frozenset(("the", "its", "their", "his", "her", "our"))
# "were stabbed to death", "were found dead": the participle before "dead" or "to death"
_PARTICIPLES = frozenset(("shot", "beaten", "hit", "struck", "found", "left"))
# what follows a transitive verb used actively: its object ("two gunmen killed three people")
_OBJECT_AFTER = re.compile(
    rf"\s+(?:a|an|the|his|her|their|its|him|them|me|us|at\s+least|\d|{_WORD_NUMBER}|"
    r"[A-Z](?!\w*day\b))"
)
_ACTIVE_VERB = (
    r"(?:killing|killed|kills|wounding|wounded|injuring|injured|shooting|shot|arresting|"
    r"arrested|detaining|detained)"
)
_MEASURE = (
    r"(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?|times|percent|per|miles?|feet|"
    r"foot|yards?|metres?|meters?|km|kilometres?|kilometers?|rounds|shots|bullets|am|pm|"
    r"a\.m|p\.m|o'clock)"
)
_COUNT_AFTER = re.compile(
    rf"(?P<verb>{_ACTIVE_VERB})\s+(?:(?:and|or)\s+(?P<then>{_ACTIVE_VERB})\s+)?"
    r"(?:(?:at\s+least|at\s+most|nearly|almost|about|around|some|more\s+than|over|up\s+to|"
    r"another|an\s+estimated)\s+)?"
    rf"(?P<number>(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?|{_WORD_NUMBER})(?![\w%]|[.,]\d)"
    # "killed 17-year-old Devon Hayes": an age, not a count of the dead
    r"(?![-–\s]+years?[- ]old)"
    rf"(?:\s+(?P<scale>(?i:hundred|thousand|million|billion))\b)?"
    rf"(?!\s+{_MEASURE}\b)"
)


def _victim_kind(verb: str) -> str:
    """What a verb counts: the dead, the injured, the shot or the arrested."""
    if "kill" in verb or "dea" in verb or "died" in verb or "fatal" in verb:
        return "killed"
    if "injur" in verb or "wound" in verb or "hurt" in verb:
        return "injured"
    return "shot" if verb.startswith("sho") else "arrested"


def _count_before(words: list[str]) -> tuple[int, str, bool] | None:
    """The count that the words before a victim verb end with, its first word, and whether
    "were" (or "was", "have been" ...) stands before the verb: "three people were", "2
    dead" has none."""
    index = len(words) - 1
    auxiliary = False
    if index >= 1 and words[index].endswith("ly") and words[index - 1] in _AUX_WORDS:
        index, auxiliary = index - 2, True  # "were seriously injured"
    elif index >= 0 and words[index] in _AUX_WORDS:
        index, auxiliary = index - 1, True
        if words[index + 1] == "been" and index >= 0 and words[index] in ("have", "has", "had"):
            index -= 1
    for between in range(_BETWEEN_MOST + 1):
        if index < 0:
            return None
        number = _number_ending(words, index)
        if number is not None:
            if index > 0 and words[index - 1].lower() in _NONE_BEFORE:
                return None  # "no one was hurt", "not one person was killed": none
            # "none of the 22 crew members was hurt": none
            lowered = [word.lower() for word in words[max(0, index - 3) : index]]
            if lowered[-1:] == ["of"]:
                whole = index - 2  # "none of 22"
            elif lowered[-2:-1] == ["of"] and lowered[-1] in _OWNERS:
                whole = index - 3  # "none of the 22", "neither of its two"
            else:
                whole = -1
            if whole >= 0 and words[whole].lower() in _NONE_OF:
                return None
            return number[0], number[1], auxiliary
        word = words[index]
        # a lower-case word ("teenage", "off-duty"); punctuation ends the clause
        if (
            between == _BETWEEN_MOST
            or word in _STOP_WORDS
            or not (word.islower() and word.replace("-", "").isalpha())
        ):
            return None
        index -= 1
    return None


def _victims(text: str, at: int, found: list[tuple[int, str, int]]) -> None:
    """The counts read around the victim verb at ``at`` ("three people were killed",
    "killing 12"), into ``found``."""
    phrase = _VICTIM_PHRASE.match(text, at)
    if phrase is not None and (phrase[0] != "death" or text[at - 3 : at] == "to "):
        words = _words_before(text, at, 2 + _BETWEEN_MOST + 4)
        if phrase["intransitive"]:  # "were stabbed to death", "were shot dead"
            if phrase[0] == "death":
                words = words[:-1]
            if words and (words[-1].endswith("ed") or words[-1] in _PARTICIPLES):
                words = words[:-1]
        # "were fatally shot": the phrase at "fatally" counts the dead, not the shot
        before = _count_before(words) if words[-1:] != ["fatally"] else None
        if before is not None and not _is_year(before[1]):
            value, _, auxiliary = before
            # "3 killed in Chicago" counts; "two gunmen killed three" does not count two
            if auxiliary or phrase["intransitive"] or not _OBJECT_AFTER.match(text, phrase.end()):
                found.append((at, _victim_kind(phrase[0]), value))
    after = _COUNT_AFTER.match(text, at)
    if after is not None and not _is_year(after["number"]):
        counted = _number(after["number"], after["scale"])
        if counted is not None:
            found.append((at, _victim_kind(after["then"] or after["verb"]), counted))


# Ages
_YEARS_OLD = re.compile(r"years?[- ]old\b")
_AGED = re.compile(r"(?i:aged?)(?:\s+of)?\s+(?P<age>\d{1,3})(?!\d|[.,]\d)")
_COMMA_AGE = re.compile(r",\s+(?P<age>\d{1,3}),")  # "John Smith, 42,"
_PAREN_AGE = re.compile(r"\((?P<age>\d{1,3})\)")  # "John Smith (42)"
# letters of the Latin alphabets, accented ones too: Évora, Łódź, São Paulo, Zürich
_LATIN = [chr(code) for code in range(0xC0, 0x250) if chr(code).isalpha()]
_UPPER = "A-Z" + "".join(letter for letter in _LATIN if letter.isupper())
_LOWER = "a-z" + "".join(letter for letter in _LATIN if not letter.isupper())
_LETTER = _UPPER + _LOWER
_NAME_WORD = re.compile(rf"[{_UPPER}][{_LOWER}]+(?:['’-][{_LETTER}]+)*")
_SURNAME = re.compile(rf"[{_UPPER}][{_LETTER}'’-]+")
_PERSONS_TEXT = (
    "man woman boy girl teenager teen victim driver suspect son daughter mother father wife "
    "husband brother sister resident student officer passenger"
)
_PERSONS = frozenset(_PERSONS_TEXT.split())


def _years_old(text: str, at: int, found: list[tuple[int, str, int]]) -> None:
    """The age before "year" at ``at``: "a 16-year-old", "16 years old"."""
    if _YEARS_OLD.match(text, at) and text[at - 2 : at - 1].isalnum():
        words = _words_before(text, at - 1, 1)
        age = _number(words[-1]) if words else None
        if age is not None and 0 < age <= _MAX_AGE:
            found.append((at, "age", age))


def _aged(text: str, at: int, found: list[tuple[int, str, int]]) -> None:
    """The age after "age" at ``at``: "aged 42", "age 42", "at the age of 42"."""
    aged = _AGED.match(text, at)
    if aged is not None and 0 < int(aged["age"]) <= _MAX_AGE:
        found.append((at, "age", int(aged["age"])))


def _written_ages(text: str, found: list[tuple[int, str, int]]) -> None:
    """Ages after names: "John Smith, 42," "a man, 34," and "John Smith (42)"."""
    # a capitalised word or a person, then an age ("March, 12," is a date)
    for match in _COMMA_AGE.finditer(text):
        words = _words_before(text, match.start(), 1)
        if (
            words
            and text[match.start() - 1].isalpha()
            and (
                (_SURNAME.fullmatch(words[-1]) and words[-1].lower() not in CALENDAR_WORDS)
                or words[-1] in _PERSONS
            )
            and 0 < int(match["age"]) <= _MAX_AGE
        ):
            found.append((match.start(), "age", int(match["age"])))
    # only after a full name, as a count in brackets follows single words too ("Comments
    # (12)")
    for match in _PAREN_AGE.finditer(text):
        words = _words_before(text, match.start(), 2)
        if (
            len(words) == 2
            and text[match.start() - 1].isspace()
            and _NAME_WORD.fullmatch(words[0])
            and _SURNAME.fullmatch(words[1])
            and 0 < int(match["age"]) <= _MAX_AGE
        ):
            found.append((match.start(), "age", int(match["age"])))


# Money
_AMOUNT = re.compile(
    r"\s?(?P<amount>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(?![\d,]\d)"
    r"(?:\s?(?P<scale>(?i:trillion|billion|million|thousand|bn|mn|m|b|k))\b)?"
)
_CURRENCY_WORDS = ("dollars", "pounds", "euros", "rupees", "yuan", "yen")


def _amounts(text: str, found: list[tuple[int, str, int]]) -> None:
    """Amounts after a currency sign: "$2 million", "US$3.5bn", "£5m"."""
    for at in _finds(text, "$£€"):
        amount = _AMOUNT.match(text, at + 1)
        if amount is not None:
            written, scale = amount["amount"], amount["scale"]
            if "." in written and not scale:
                # "$2.50", "$1.302": a price or an exchange rate, no event's amount (read as
                # its whole part, every "$1.xx" agreed: a new user's rate cut by the ECB and
                # a rate decision of the Bank of England were one story by "$1.081", "$1.302")
                continue
            value = _number(written, scale)
            if value:
                found.append((at, "money", value))


def _currency_word(text: str, at: int, found: list[tuple[int, str, int]]) -> None:
    """The amount before the currency word at ``at``: "2 million dollars", "ten thousand
    pounds"."""
    words = _words_before(text, at, 2)
    number = _number_ending(words, len(words) - 1) if words else None
    if number is not None and number[0]:
        found.append((at, "money", number[0]))


# Earthquakes
_MAGNITUDE = re.compile(
    r"\b(?i:magnitude)(?:[- ]|\s+of\s+)(?P<after>\d{1,2}(?:\.\d)?)(?![\d.]\d)"
    r"|(?<![\d.])(?P<before>\d(?:\.\d)?)(?:[- ](?i:magnitude)\b|\s+on\s+the\s+Richter\b)"
)


def _magnitudes(text: str, found: list[tuple[int, str, int]]) -> None:
    if "agnitude" not in text and "Richter" not in text:
        return  # most articles are about no earthquake: the regex is not run
    for match in _MAGNITUDE.finditer(text):
        magnitude = round(float(match["after"] or match["before"]) * 10)
        if 0 < magnitude <= 100:
            found.append((match.start(), "magnitude", magnitude))


# When
_WEEKDAY_NAME = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MONTH_NAME = (
    r"(?:"
    + "|".join(name.capitalize() for name in sorted(MONTHS, key=len, reverse=True))
    + r")\b\.?"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d)"
_AGO_NUMBER = rf"(?:\d{{1,3}}|{_WORD_NUMBER}|(?i:an?))"
_WHEN = re.compile(
    # a date first: "Tuesday, March 3" is the date, not the weekday
    rf"\b(?:{_WEEKDAY_NAME},?\s+)?(?:(?P<month_a>{_MONTH_NAME})\s+(?P<day_a>{_DAY})"
    rf"|(?P<day_b>{_DAY})\s+(?:of\s+)?(?P<month_b>{_MONTH_NAME}))"
    r"(?:,?\s+(?P<year>\d{4})(?!\d))?"
    rf"|\b(?P<ago>{_AGO_NUMBER})\s+(?P<unit>(?i:days?|weeks?|months?))\s+(?i:ago)\b"
    r"|\b(?<!USA )(?P<relative>(?i:the\s+day\s+before\s+yesterday|yesterday|last\s+night|"
    r"overnight|earlier\s+today|today|tonight|this\s+(?:morning|afternoon|evening)|"
    r"last\s+week|last\s+month))\b"
    rf"|\b(?:(?P<modifier>(?i:last|next|every))\s+)?(?P<weekday>{_WEEKDAY_NAME})(?!s\b)"
)
# every expression holds one of these: "day" (weekdays, "yesterday", "today", "3 days ago"),
# "night", ..., the months' first three letters
_WHEN_KEY = re.compile(
    "day|night|morning|afternoon|evening|week|month|"
    + "|".join(name.capitalize() for name in MONTHS if len(name) == 3)
)
# the words a key may stand in for an expression: not "Mayor", "holiday" or "nightclub"
_WHEN_WORDS = frozenset(
    (*WEEKDAYS, *MONTHS, "yesterday", "today", "tonight", "overnight", "night", "morning")
) | frozenset(("afternoon", "evening", "day", "days", "week", "weeks", "month", "months"))
_WHEN_WORD_CHARS = 9  # "wednesday", "september", "yesterday": a longer word is none of them
_WHEN_BEFORE = 25  # characters of an expression before its key: "the day before yesterday"
_WHEN_AFTER = 35  # and after it: "Wednesday, September 30th, 2014"
_RELATIVE_DAYS = {
    "the day before yesterday": -2,
    "yesterday": -1,
    "last night": -1,
    "overnight": 0,
    "earlier today": 0,
    "today": 0,
    "tonight": 0,
    "this morning": 0,
    "this afternoon": 0,
    "this evening": 0,
    "last week": -7,
    "last month": -30,
}
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30}
_SPACES = re.compile(r"\s+")


def _dating(match: re.Match[str]) -> tuple[str, int] | None:
    """How one temporal expression dates a past event; None for one that does not ("next
    Tuesday", "February 30")."""
    if match["relative"]:
        return "days", _RELATIVE_DAYS[_SPACES.sub(" ", match["relative"].lower())]
    if match["ago"]:
        written = match["ago"].lower()
        count = 1 if written in ("a", "an") else _number(written)
        unit = _UNIT_DAYS[match["unit"].lower().rstrip("s")]
        return None if count is None else ("days", -count * unit)
    if match["weekday"]:
        modifier = (match["modifier"] or "").lower()
        if modifier in ("next", "every"):
            return None  # not a past event's day
        day = WEEKDAYS.index(match["weekday"].lower())
        return ("last_weekday" if modifier == "last" else "weekday"), day
    month = MONTHS[(match["month_a"] or match["month_b"]).lower().rstrip(".")]
    day = int((match["day_a"] or match["day_b"]).rstrip("stndrh"))
    year = int(match["year"]) if match["year"] else 0
    year = year if 1900 <= year <= 2100 else 0
    try:
        dt.date(year or 2000, month, day)  # 2000: a leap year, February 29 is a date
    except ValueError:
        return None
    if year:
        return "date", year * 10000 + month * 100 + day
    return "month_day", month * 100 + day


def _when(text: str, begin: int = 0) -> tuple[str, int] | None:
    """The first expression in ``text`` from ``begin`` on that dates a past event. The
    expression regex runs around the keys every expression holds, in order, not along the
    whole text, and the keys are sought one after the other: the search ends at the first
    expression, most often in the first sentences."""
    end = min(len(text), _WHEN_CHARS)
    for found in _WHEN_KEY.finditer(text, begin, end):
        key, stop = found.span()
        # the whole word the key stands in, read a few characters either side
        start = key
        while start > 0 and key - start <= _WHEN_WORD_CHARS and text[start - 1].isalpha():
            start -= 1
        while stop < end and stop - start <= _WHEN_WORD_CHARS and text[stop].isalpha():
            stop += 1
        if text[start:stop].lower() not in _WHEN_WORDS:
            continue
        for match in _WHEN.finditer(text, max(0, key - _WHEN_BEFORE), min(end, key + _WHEN_AFTER)):
            if match.start() <= key < match.end():
                dating = _dating(match)
                if dating is not None and not (match["weekday"] and _ahead(text, match.start())):
                    return dating
    return None


# a weekday in a sentence that looks ahead names a day to come, not the event's: "Heavy rain is
# forecast from midday on Sunday", "He will be sentenced on Monday"
_AHEAD = re.compile(r"\b(?i:will|shall|forecasts?|forecasters?|expected|scheduled|due\s+to)\b")
_AHEAD_CHARS = 80  # the sentence before the weekday, at most this far back


def _ahead(text: str, at: int) -> bool:
    """Whether the sentence before ``at`` looks ahead (``_AHEAD``)."""
    before = text[max(0, at - _AHEAD_CHARS) : at]
    stop = max(before.rfind(". "), before.rfind("\n"), before.rfind("! "), before.rfind("? "))
    return _AHEAD.search(before, stop + 1) is not None


_AHEAD_DAYS = 31  # a month and day within a month after publication lies ahead (further
# on, "held on March 3" in January is last year's)


def _days_ahead(day: dt.date, month: int, date: int) -> int | None:
    """How many days after ``day`` its next ``month``/``date`` falls, where that is within
    ``_AHEAD_DAYS`` (this year's, or next year's across the new year); else None."""
    for year in (day.year, day.year + 1):
        try:
            ahead = (dt.date(year, month, date) - day).days
        except ValueError:
            continue
        if 0 < ahead <= _AHEAD_DAYS:
            return ahead
    return None


def event_date(when: tuple[str, int] | None, published: str | None) -> str | None:
    """The event's ISO date: ``published`` (an ISO date or datetime string, first 10 chars
    YYYY-MM-DD) moved by ``when``; None without a usable published date; ``published``'s date
    when ``when`` is None (or is one this module does not make)."""
    try:
        day = dt.date.fromisoformat((published or "")[:10])
    except ValueError:
        return None
    if when is None:
        return day.isoformat()
    kind, value = when
    try:
        if kind == "days":
            return (day + dt.timedelta(days=value)).isoformat()
        if kind in ("weekday", "last_weekday"):
            back = (day.weekday() - value) % 7
            if kind == "last_weekday" and back == 0:
                back = 7  # "last Tuesday" on a Tuesday is a week ago
            return (day - dt.timedelta(days=back)).isoformat()
        if kind == "month_day":
            month, date = divmod(value, 100)
            # a date in the weeks after publication is one ahead ("a public hearing Nov. 10"
            # in an article of 21 October), not the event reported: it was read as last
            # year's, which moved the article 11 months from its story
            ahead = _days_ahead(day, month, date)
            if ahead == 1:  # the next day: two time zones' clocks, not a date to come
                return (day + dt.timedelta(days=1)).isoformat()
            if ahead is not None:
                return day.isoformat()
            # the latest such date on or before publication; February 29 waits for a leap year
            for year in range(day.year, day.year - 9, -1):
                try:
                    found = dt.date(year, month, date)
                except ValueError:
                    continue
                if found <= day:
                    return found.isoformat()
        if kind == "date":
            year, rest = divmod(value, 10000)
            found = dt.date(year, *divmod(rest, 100))
            # a date after publication is one ahead ("Nov. 10, 2026" of a hearing to come),
            # not the event the article reports
            return (day if found > day + dt.timedelta(days=1) else found).isoformat()
    except (ValueError, OverflowError):
        pass  # a date out of range: the publication date is the best left
    return day.isoformat()


# Places
# a capitalised word of a place: "Fort", "St.", "O'Hare", "Wilkes-Barre", "D.C."
_PLACE_WORD = (
    rf"(?:(?:St|Ste|Ft|Mt)\.|(?:[A-Z]\.){{2,}}|[{_UPPER}][{_LETTER}]*(?:['’-][{_LETTER}]+)*)"
)
_PLACE_RUN = re.compile(rf"{_PLACE_WORD}(?:(?: | of | de | la | del ){_PLACE_WORD}){{0,3}}")
# the words that introduce a place ("in Chicago", "city of Dayton"), and the last words of a
# county, a street or a road, from which the rules look back (see _ANCHOR)
_SETTLEMENTS_TEXT = "city town village county state province region district capital suburb island"
_PLACE_CUES = [
    *(word + " " for word in ("in", "at", "near", "outside", "In", "At", "Near", "Outside")),
    *(word + " of " for word in _SETTLEMENTS_TEXT.split()),
]
_ROAD = re.compile(r"(?:Interstate|Highway|Route) \d{1,3}\b|I-\d{1,3}\b")
_AREAS = ("County", "Township", "Parish")
_STREET_TEXT = (
    "Street Avenue Ave Road Rd Boulevard Blvd Drive Parkway Pkwy Highway Hwy Expressway "
    "Turnpike Freeway St Dr Lane Ln"
)
_STREET_SUFFIXES = _STREET_TEXT.split()
_HOUSE_NUMBER_ONLY = frozenset(("St", "Dr", "Lane", "Ln"))  # "St. Louis", "Dr. Smith"
_ORDINAL = re.compile(r"\d{1,3}(?:st|nd|rd|th)")
_DIRECTION = re.compile(r"[NSEW]\.?")
_STATES_TEXT = (
    "alabama alaska arizona arkansas california colorado connecticut delaware florida georgia "
    "hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts "
    "michigan minnesota mississippi missouri montana nebraska nevada ohio oklahoma oregon "
    "pennsylvania tennessee texas utah vermont virginia washington wisconsin wyoming"
)
_STATES: dict[str, str] = {name: name for name in _STATES_TEXT.split()}
_STATES.update(
    {
        name: name
        for name in (
            "new hampshire",
            "new jersey",
            "new mexico",
            "new york",
            "north carolina",
            "north dakota",
            "rhode island",
            "south carolina",
            "south dakota",
            "west virginia",
        )
    }
)
# the Associated Press's abbreviations, as datelines write them
_STATES.update(
    {
        "ala.": "alabama",
        "ariz.": "arizona",
        "ark.": "arkansas",
        "calif.": "california",
        "colo.": "colorado",
        "conn.": "connecticut",
        "del.": "delaware",
        "fla.": "florida",
        "ga.": "georgia",
        "ill.": "illinois",
        "ind.": "indiana",
        "kan.": "kansas",
        "ky.": "kentucky",
        "la.": "louisiana",
        "md.": "maryland",
        "mass.": "massachusetts",
        "mich.": "michigan",
        "minn.": "minnesota",
        "miss.": "mississippi",
        "mo.": "missouri",
        "mont.": "montana",
        "neb.": "nebraska",
        "nev.": "nevada",
        "n.h.": "new hampshire",
        "n.j.": "new jersey",
        "n.m.": "new mexico",
        "n.y.": "new york",
        "n.c.": "north carolina",
        "n.d.": "north dakota",
        "okla.": "oklahoma",
        "ore.": "oregon",
        "pa.": "pennsylvania",
        "r.i.": "rhode island",
        "s.c.": "south carolina",
        "s.d.": "south dakota",
        "tenn.": "tennessee",
        "vt.": "vermont",
        "va.": "virginia",
        "wash.": "washington",
        "w.va.": "west virginia",
        "wis.": "wisconsin",
        "wyo.": "wyoming",
        "d.c.": "d.c.",
    }
)
# "Calif" of "REDDING, Calif.": no name (a dateline's state only places its city)
STATE_ABBREVIATIONS = frozenset(name.rstrip(".") for name in _STATES if name.endswith("."))
_STATE_AFTER_COMMA = re.compile(
    ",\\s+(?P<state>"
    + "|".join(re.escape(name).title() for name in sorted(_STATES, key=len, reverse=True))
    + r")(?!\w)"
)
_PLACE_PREFIXES = frozenset(("St.", "Ste.", "Ft.", "Mt."))
# "in" after a word of owning or investing names what is owned: "shares in Tesco", "a stake
# in Uber", "invested in Nvidia" (a new user's two grocers' results shared "Tesco" and
# "Sainsbury" as places)
_IN = frozenset(("in ", "In "))
_OWNING_TEXT = (
    "share shares stake stakes holding holdings interest interests investment investments "
    "invest invests invested investing"
)
_OWNING = frozenset(_OWNING_TEXT.split())


def _owning(before: list[str]) -> bool:
    """Whether the word ``before`` holds is one of owning or investing (``_OWNING``), or of
    what a business measures by region ("sales in North America", "demand in China": a
    market, not where an event was; two companies' results shared "North America")."""
    return bool(before) and before[-1].lower() in _OWNING | _MEASURED


_MEASURED_TEXT = (
    "sales revenue revenues demand growth exports imports earnings profit profits "
    "operations customers subscribers stores market markets"
)
_MEASURED = frozenset(_MEASURED_TEXT.split())
# "analysts at Jefferies", "an economist at ING": a firm the writer quotes, not a place
_QUOTED_AT_TEXT = "analyst analysts economist economists strategist strategists"
_QUOTED_AT = frozenset(_QUOTED_AT_TEXT.split())
_AT = frozenset(("at ", "At "))


def _quoted_at(before: list[str]) -> bool:
    return bool(before) and before[-1].lower() in _QUOTED_AT


# what a capitalised word opening a run can be without being part of a place
_NOT_PLACE_TEXT = (
    "the a an this that these those his her their its our my your some many all any each "
    "every it he she they we i you on in at near outside from to by for with and or but as "
    "when while after before since if during then english christmas easter thanksgiving "
    "halloween ramadan"
)
_NOT_PLACE_WORDS = CALENDAR_WORDS | frozenset(_NOT_PLACE_TEXT.split())
_TITLES = frozenset(("mr", "mrs", "ms", "dr", "sen", "rep", "gov", "gen", "lt", "sgt", "prof"))
_POSSESSIVE = ("'s", "’s")


def _place(words: list[str]) -> str | None:
    """A place from a run of capitalised words: leading function and calendar words dropped
    ("The Hague", "In Cook County", "On Tuesday Dayton"), cut at a calendar word, a possessive
    or an abbreviation that may end the sentence ("in the U.S. Officials ...")."""
    kept: list[str] = []
    for word in words:
        lower = word.lower()
        if not kept and lower.rstrip(".") in _TITLES:
            return None  # "in Mr. Smith's case"
        if not kept and lower.rstrip(".") in _NOT_PLACE_WORDS:
            continue
        possessive = lower.endswith(_POSSESSIVE)
        if (lower[:-2] if possessive else lower).rstrip(".") in CALENDAR_WORDS:
            break  # "at Tuesday's meeting" is no place
        if possessive:
            kept.append(lower[:-2])
            break
        kept.append(lower)
        if lower.endswith(".") and word not in _PLACE_PREFIXES:
            break
        if len(kept) > 1 and word in _AREAS:
            break  # "in Los Angeles County Superior Court"
    while kept and kept[-1] in ("of", "de", "la", "del"):
        kept.pop()  # "University of" when the run was cut after it
    place = " ".join(kept)
    return place if len(place) >= 2 else None


def _capitalised_tail(words: list[str], most: int) -> list[str]:
    """The capitalised words (at most ``most``) that ``words`` end with."""
    run: list[str] = []
    for word in reversed(words):
        if len(run) == most or not (_NAME_WORD.fullmatch(word) or word in _PLACE_PREFIXES):
            break
        run.append(word)
    run.reverse()
    return run


def _street(words: list[str], suffix: str) -> str | None:
    """The street that ``words`` and ``suffix`` end with: one to three capitalised words or
    ordinals after an optional direction ("N."), then the suffix; "St", "Dr" and "Lane"
    only after a house number or "the 1200 block of"."""
    index = len(words)
    while index > 0 and len(words) - index < 3:
        if not (_NAME_WORD.fullmatch(words[index - 1]) or _ORDINAL.fullmatch(words[index - 1])):
            break
        index -= 1
    if index == len(words):
        return None
    if index > 0 and _DIRECTION.fullmatch(words[index - 1]):
        index -= 1
    name = [word.lower() for word in words[index:]]
    while name and name[0] in _NOT_PLACE_WORDS:
        name = name[1:]  # "On Madison Street", "The Main Street shooting"
    before = words[max(0, index - 3) : index]
    numbered = bool(before) and (
        (before[-1].isdigit() and len(before[-1]) <= 6)
        or (len(before) == 3 and before[0].isdigit() and before[1:] == ["block", "of"])
    )
    if not name or (suffix in _HOUSE_NUMBER_ONLY and not numbered):
        return None
    return " ".join([*name, suffix.lower()])


def _road(road: str) -> str:
    """ "Interstate 95" and "I-95" as "interstate 95"; "Highway 101", "Route 66"."""
    if road.startswith("I-"):
        return "interstate " + road[2:]
    return road.lower()


# Every rule of places and counts but a few starts at a word that follows a space (or a line
# break, or a hyphen for "16-year-old"): a victim verb, a word that introduces a place, the
# last word of a street ... One regex finds them all in one pass, the words grouped by their
# first letter (Python's engine tries each alternative in turn: grouped, a space followed by
# "the" costs one failed comparison per first letter, not one per word) after the space, a
# character it scans for quickly. A regex opening with words is tried at every character,
# several times slower. The rules then check what the anchor word is followed by.
_ANCHOR_KINDS: dict[str, str] = {
    **dict.fromkeys(_VICTIM_STEMS, "victim"),
    **dict.fromkeys(_PLACE_CUES, "cue"),
    **dict.fromkeys(_STREET_SUFFIXES, "street"),
    **dict.fromkeys(("Interstate ", "Highway ", "Route ", "I-"), "road"),
    **dict.fromkeys(_AREAS, "area"),
    **dict.fromkeys(("aged", "age", "Aged", "Age"), "aged"),
    **dict.fromkeys(_CURRENCY_WORDS, "currency"),
    "year": "years_old",
}


def _grouped(words: Iterable[str]) -> str:
    """An alternation of ``words`` grouped by first letter, longest first within a group; a
    word that introduces a place only where a capitalised word follows it ("in Chicago", "in
    the Bronx", not "in a statement")."""
    groups: dict[str, list[str]] = {}
    for word in sorted(words, key=len, reverse=True):
        ahead = f"(?=[{_UPPER}]|the [{_UPPER}])" if _ANCHOR_KINDS[word] == "cue" else ""
        groups.setdefault(word[0], []).append(re.escape(word[1:]) + ahead)
    return "|".join(f"{re.escape(first)}(?:{'|'.join(rest)})" for first, rest in groups.items())


_ANCHOR = re.compile(rf"[ \n-]({_grouped(_ANCHOR_KINDS)})")


def _scan(text: str) -> tuple[list[tuple[int, str]], list[tuple[int, str, int]]]:
    """Places and counts of a text given a leading space, with where they stand."""
    places: list[tuple[int, str]] = []
    counts: list[tuple[int, str, int]] = []
    for anchor in _ANCHOR.finditer(text):
        word = anchor[1]
        kind = _ANCHOR_KINDS[word]
        at, end = anchor.start(1), anchor.end(1)
        if kind == "victim":
            _victims(text, at, counts)
            continue
        if kind == "years_old":
            _years_old(text, at, counts)
            continue
        if kind == "cue":  # "in Chicago", "near Fort Worth", "in the Bronx", "city of Dayton"
            if word in _IN and _owning(_words_before(text, at, 1)):
                continue  # "shares in Tesco", "a stake in Uber": a company, not a place
            if word in _AT and _quoted_at(_words_before(text, at, 1)):
                continue  # "analysts at Jefferies": the firm quoted
            run = _PLACE_RUN.match(text, end + 4 if text.startswith("the ", end) else end)
            place = _place(run[0].split()) if run else None
            if run and place:
                places.append((run.start(), place))
            continue
        if kind == "road":
            road = _ROAD.match(text, at)
            if road is not None:
                places.append((at, _road(road[0])))
                continue
            if word != "Highway ":
                continue
            kind, word, end = "street", "Highway", end - 1  # "Pacific Coast Highway"
        if text[end : end + 1].isalnum():
            continue  # the rules below want a whole word: "Stephen" is not "St"
        if kind == "area":  # "Cook County", "Lower Merion Township"
            area = _capitalised_tail(_words_before(text, at, 3), 3)
            place = _place([*area, word]) if area else None
            if place:
                places.append((at, place))
        elif kind == "street":  # "West Madison Street", "45 Main St.", "the 1200 block of ..."
            street = _street(_words_before(text, at, 7), word)
            if street and not text.startswith(" Patrol", end):
                places.append((at, street))
        elif kind == "aged":
            _aged(text, at, counts)
        else:
            _currency_word(text, at, counts)
    # "Dayton, Ohio", "Sacramento, Calif.": the city, where the event was; the state only
    # places the city (two fires in one state on one day are two events: sharing the state
    # must not make their places agree)
    for match in _STATE_AFTER_COMMA.finditer(text):
        city = None
        if text[match.start() - 1].isalpha():
            city = _place(_capitalised_tail(_words_before(text, match.start(), 3), 3))
            if city:
                places.append((match.start() - len(city), city))
        # nor after a wire dateline's city in capitals ("SANTA ROSA, Calif. —", at the start
        # of a line): the dateline is its place
        line = text[text.rfind("\n", 0, match.start()) + 1 : match.start()].strip()
        if not city and not line.isupper():
            places.append((match.start("state"), _STATES[match["state"].lower()]))
    _written_ages(text, counts)
    _amounts(text, counts)
    _magnitudes(text, counts)
    return places, counts


_CALENDAR_NAME_LETTERS = 5
_AGENCY_NAMES = frozenset(name.lower() for name in AGENCIES)
# the days and months of the other languages ("Donnerstag", "Dezember", "Juillet"), as long
# as no short given name is one ("Sam", "Mar")
_OTHER_CALENDAR_WORDS = frozenset(
    word for word in (*OTHER_WEEKDAYS, *OTHER_MONTHS) if len(word) >= _CALENDAR_NAME_LETTERS
)


def _names(entities: Iterable[str], places: Iterable[str]) -> tuple[str, ...]:
    # a name inside a place is part of it: "clark st" of "n. clark st", "interstate" of
    # "interstate 80"
    within = " " + " | ".join(places) + " "
    names = (
        name
        for name in entities
        if f" {name} " not in within
        and name not in CALENDAR_WORDS
        and name not in _OTHER_CALENDAR_WORDS
        and name not in _NUMBER_WORDS  # "Three people were killed" after a dash
        and name not in _TITLES  # "Sen. Mitch McConnell": "sen", then "mitch mcconnell"
        and name + "." not in _STATES  # "Omaha, Neb.": "neb"
        and name not in _AGENCY_NAMES  # "TOKYO (Reuters) -": who sent it, not who did it
        and name not in stop_words_set()  # "Most of the residents ...": a sentence's first word
        and not (len(name) == 4 and name.isdigit())
    )
    return _distinct(names, _MAX_NAMES)


# A wire dateline: a city in capitals at the very start, perhaps its state or country, then a
# dash or an agency's parenthesis ("DAYTON, Ohio —", "KABUL (Reuters) -"). Only at the start:
# below a headline, datelines of international news name the bureau more often than the
# event's place ("WASHINGTON (Reuters) -" on many events), and reading them there joined
# SemEval's different events (one-story F1 0.919 -> 0.895).
_DATELINE = re.compile(
    r"\s*(?P<city>[A-Z][A-Z.'-]+(?: [A-Z][A-Z.'-]+){0,3})"
    r"(?:, [A-Z][\w.]+(?: [A-Z][\w.]+)?)?\s*(?:\(|—|–|-)"
)


# Sports: two numbers of at most two digits joined by a hyphen or a dash, nothing numeric or
# hyphenated on either side (no date, no range of a longer run), no unit after them ("2-3
# times", "10-15 minutes", "40-45%"), and a word of the match's
# outcome at most ``_SCORE_REACH`` characters before it or after it
_SCORE = re.compile(
    r"(?<![\w.,:/–-])(\d{1,2})[-–](\d{1,2})(?![\w:/–-]|[.,]\d)"
    r"(?!\s*(?:%|(?i:percent|per|times|seconds|minutes|hours|days|weeks|months|years)\b))"
)
_SCORE_WORDS = re.compile(
    r"\b(?i:beat|beats|beaten|beating|defeat|defeats|defeated|won|win|wins|victory|lost|"
    r"lose|loses|loss|draw|drew|drawn|held|thrashed|edged|scoreline|score|scored|final)\b"
)
_SCORE_REACH = 30


def _scores(text: str, counts: list[tuple[int, str, int]]) -> None:
    """A match's scores (see the module's rules). The dashes between two digits are found
    first (``str.find``: ~1 µs for an article, where the pattern over the whole text took
    ~40 µs) and the pattern tried only there."""
    for dash in "-–":
        at = text.find(dash, 1)
        while at > 0:
            if text[at - 1].isdigit() and text[at + 1 : at + 2].isdigit():
                start = at - 2 if at >= 2 and text[at - 2].isdigit() else at - 1
                match = _SCORE.match(text, start)
                if match is not None:
                    end = match.end()
                    around = text[max(0, start - _SCORE_REACH) : end + _SCORE_REACH]
                    if _SCORE_WORDS.search(around):
                        high, low = sorted((int(match[1]), int(match[2])), reverse=True)
                        counts.append((start, "score", 100 * high + low))
            at = text.find(dash, at + 1)


def event_arguments(text: str, entities: Sequence[str] | None = None) -> EventArguments:
    """Who, where, when and how many of the event ``text`` reports (see the module's rules);
    ``entities`` are the text's ``topics.entities_of`` where the caller has them already (the
    sketch workers do: their kernel found them)."""
    if entities is None:
        from wiretrace.sketch.topics import entities_of  # which imports this module

        entities = entities_of(text)
    if not text.strip():
        return NO_EVENT
    places, counts = _scan(" " + text)
    _scores(" " + text, counts)
    opening = _DATELINE.match(text)
    if opening:  # "DAYTON, Ohio — ...": where the story was filed, first
        places.append((-1, opening["city"].lower()))
    places.sort(key=lambda item: item[0])
    counts.sort(key=lambda item: item[0])  # stable: the kinds found at one place keep order
    distinct_places = _distinct((place for _, place in places), _MAX_PLACES)
    return EventArguments(
        names=_names(entities, distinct_places),
        places=distinct_places,
        # a dateline's date is the day the story was filed, not its event's ("LIMA, Ohio,
        # March 10 (Reuters) - ... derailed late on Monday" is Monday's derailment)
        when=_when(text, dateline_end(text)),
        counts=_distinct(((what, value) for _, what, value in counts), _MAX_COUNTS),
    )
