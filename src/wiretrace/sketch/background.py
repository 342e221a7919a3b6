"""News at large, as a prior for how rare a word is: stop words and background frequencies.

In a corpus of a few dozen articles every word is rare, so weights judged only against the
corpus call "points" or "beat" strong evidence that a football and a tennis report tell one
story. Two corrections, both from libraries made for the job rather than hand-made lists:

- **Stop words are never evidence**: the list of the ``stop-words`` package for the
  document's language (English: 1,333 words: function words and the commonest verbs,
  numbers and nouns of news, "said", "year", "two"; 33 languages, English for the others).
  They are dropped from a document's words, and a lone capitalised one ("Four", "Top") is no
  entity. Numbers still count as evidence through the event arguments.
- **Background frequencies**: how often each of the 60,000 commonest English words occurs,
  from ``wordfreq`` (Speer et al., a blend of news, books, subtitles, web and Wikipedia),
  kept as ``background_en.npz`` in this folder: the hash of each word (as the topic kernel
  hashes it) and the chance that an article of ~500 words holds it. A word the table does
  not list is rarer than one in a million words. Other languages have their own lists
  (``background_languages.npz``: the words themselves, at most 30,000 per language, those
  more common than an unlisted word): a German article's "wurden" and "bekannt" are as
  common as the English "were" and "known", not words news at large never prints (weighed
  by the English list, ten short German reports that end on one stock sentence were one
  story). Languages ``wordfreq`` has no list for, and those written without spaces (a
  Chinese "word" here is a whole clause), are weighed by the English list.
  ``python -m wiretrace.sketch.background`` remakes both files (``pip install wordfreq``).

The corpus weighs a word by ``log((N + 1) / (df + 1))`` over its ``N`` documents; pooled
with ``PRIOR_DOCUMENTS`` articles of news at large (see ``idf``): in a corpus of 35 articles
they outnumber the corpus, so a word weighs mostly as it does in news; in one of 100,000 they
only matter for a word the corpus holds a few times (a common word held by one article is
still weak evidence).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

_TABLE = Path(__file__).with_name("background_en.npz")
_LANGUAGE_TABLE = Path(__file__).with_name("background_languages.npz")
_WORDS = 60_000  # the commonest English words listed (zipf >= ~2.9)
_LANGUAGE_WORDS = 30_000  # at most this many of another language's commonest words
# the languages listed in the other table: those both wordfreq and the stop-words package
# have lists for, written with spaces between words
LISTED_LANGUAGES = frozenset(
    {"ar", "bg", "ca", "cs", "da", "de", "el", "es", "fa", "fi", "fr", "he", "hi", "hu"}
    | {"id", "it", "ms", "nb", "nl", "pl", "pt", "ro", "ru", "sk", "sv", "tr", "uk"}
)
ARTICLE_WORDS = 500  # the length of an article of news at large, to turn frequencies into df
UNLISTED = 1e-6  # the frequency given to a word the table does not list
_UNLISTED_SHARE = float(1.0 - np.exp(-UNLISTED * ARTICLE_WORDS))  # of articles holding it
# How many articles of news at large the prior counts as, beside the corpus's own: a corpus
# of 50 articles weighs a word mostly by news at large, one of 2,000 a word held by dozens of
# its articles mostly by itself.
PRIOR_DOCUMENTS = 200
_MASK = 2**64 - 1
_FNV_OFFSET = 0xCBF29CE484222325
_FNV_PRIME = 0x100000001B3
_COMBINE = 0x9E3779B97F4A7C15
_MIX_1 = 0xBF58476D1CE4E5B9
_MIX_2 = 0x94D049BB133111EB


def word_hash(word: str) -> int:
    """The topic kernel's hash of a lower-case word (``kernels.topic_keys``)."""
    value = _FNV_OFFSET
    for char in word:
        value = ((value ^ ord(char)) * _FNV_PRIME) & _MASK
    return value


def hash_strings(strings: Sequence[str]) -> NDArray[np.uint64]:
    """Each string's hash, as the topic kernel hashes a word (``word_hash``), all in one
    pass."""
    from wiretrace.sketch.kernels import hash_segments

    lengths = np.fromiter((len(text) for text in strings), dtype=np.int64, count=len(strings))
    offsets = np.zeros(len(strings) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    codes = np.frombuffer("".join(strings).encode("utf-32-le"), dtype=np.uint32)
    found: NDArray[np.uint64] = hash_segments(codes, offsets)
    return found


def _mix(value: int) -> int:
    value = ((value ^ (value >> 30)) * _MIX_1) & _MASK
    value = ((value ^ (value >> 27)) * _MIX_2) & _MASK
    return value ^ (value >> 31)


def lone_entity_hash(word: str) -> int:
    """The topic kernel's hash of an entity of one word (a run of one capitalised word)."""
    return _mix(((1 ^ word_hash(word)) * _COMBINE) & _MASK)


def entity_hash(name: str) -> int:
    """The topic kernel's hash of an entity of one or more words ("Associated Press"), from
    its words in lower case."""
    value = 1
    for word in re.findall(r"[^\W_]+", name.lower()):
        value = ((value ^ word_hash(word)) * _COMBINE) & _MASK
    return _mix(value)


def stop_words(language: str = "en") -> list[str]:
    """The ``stop-words`` package's list for ``language``, lower case."""
    from stop_words import get_stop_words

    return sorted({word.lower() for word in get_stop_words(language)})


@functools.cache
def stop_words_set(language: str | None = "en") -> frozenset[str]:
    """The stop words a document of ``language`` gets (``stop_language``), as a set."""
    return frozenset(stop_words(stop_language(language)))


def stop_language(language: str | None) -> str:
    """The stop-word list a document of ``language`` gets: its own where the ``stop-words``
    package has one, else the English list."""
    from stop_words import LANGUAGE_MAPPING

    return language if language is not None and language in LANGUAGE_MAPPING else "en"


@functools.cache
def stop_hashes(language: str = "en") -> tuple[NDArray[np.uint64], NDArray[np.uint64]]:
    """Sorted hashes of the stop words of ``language`` (``stop_language``) as words, and as
    entities of one word; the names of days and months are no entities either (a date is the
    event's ``when``, weighed as a date: "Tuesday" in two reports says nothing of whether they
    tell one event), nor the AP's state abbreviations ("Calif" of "REDDING, Calif.": it places
    the dateline's city, and two events in one state share nothing by it), nor the news
    agencies a dateline or credit names ("TOKYO (Reuters) -" and "SANTIAGO (Reuters) -" are
    two earthquakes)."""
    from wiretrace.clean.patterns import AGENCIES, MONTHS
    from wiretrace.sketch.event import STATE_ABBREVIATIONS

    words = stop_words(stop_language(language))
    calendar = [
        *MONTHS,
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]
    return (
        np.array(sorted({word_hash(word) for word in words}), dtype=np.uint64),
        np.array(
            sorted(
                {
                    *(
                        lone_entity_hash(word.rstrip("."))
                        for word in [*words, *calendar, *STATE_ABBREVIATIONS]
                    ),
                    *(entity_hash(name) for name in AGENCIES),
                }
            ),
            dtype=np.uint64,
        ),
    )


def unlisted(keys: NDArray[np.uint64], language: str) -> NDArray[np.bool_]:
    """Which word ``keys`` ``language``'s list of news at large does not know (as rare as
    ``UNLISTED``)."""
    found: NDArray[np.bool_] = ~held(keys, _table(False, background_language(language))[0])
    return found


def lone_entity_keys(word_keys: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """``lone_entity_hash`` of each word, from its hash (``word_hash``)."""
    with np.errstate(over="ignore"):
        return _mix_array((np.uint64(1) ^ word_keys) * np.uint64(_COMBINE))


def background_language(language: str | None) -> str:
    """The language whose list weighs words of ``language``: its own where one is kept,
    else English."""
    return language if language in LISTED_LANGUAGES else "en"


def _mix_array(values: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """``_mix`` of every value (numpy's unsigned products wrap, as the kernel's do)."""
    values = (values ^ (values >> np.uint64(30))) * np.uint64(_MIX_1)
    values = (values ^ (values >> np.uint64(27))) * np.uint64(_MIX_2)
    mixed: NDArray[np.uint64] = values ^ (values >> np.uint64(31))
    return mixed


@functools.cache
def _table(entities: bool, language: str = "en") -> tuple[NDArray[np.uint64], NDArray[np.float32]]:
    """Hashes (sorted) of the listed words of ``language``, or of the entities of one such
    word, and each one's chance to occur in an article of news at large."""
    if language == "en":
        with np.load(_TABLE) as stored:
            hashes = stored["entity_hashes" if entities else "hashes"]
            share = stored["document_share"]
    else:
        hashes, share = _listed(language)
        if entities:
            hashes = lone_entity_keys(hashes)
    order = np.argsort(hashes, kind="stable")
    return hashes[order], share[order]


@functools.cache
def _listed(language: str) -> tuple[NDArray[np.uint64], NDArray[np.float32]]:
    """The hashes of ``language``'s listed words (in the list's order) and each one's chance
    to occur in an article of news at large, read once for its words and its names."""
    with np.load(_LANGUAGE_TABLE) as stored:
        words = bytes(stored[f"{language}_words"]).decode("utf-8").split("\n")
        zipf = stored[f"{language}_zipf"].astype(np.float64) / 100.0
    share = (1.0 - np.exp(-(10.0 ** (zipf - 9.0)) * ARTICLE_WORDS)).astype(np.float32)
    return hash_strings(words), share


# Languages that capitalise every noun: there a capital letter is no sign of a name.
NOUNS_CAPITALISED = frozenset({"de"})


@functools.cache
def _names_elsewhere(language: str) -> NDArray[np.uint64]:
    """Sorted hashes of the entities of one word that another language's list holds."""
    others = sorted((LISTED_LANGUAGES | {"en"}) - {language})
    return np.unique(np.concatenate([_table(True, other)[0] for other in others]))


def common_nouns(keys: NDArray[np.uint64], language: str | None) -> NDArray[np.bool_]:
    """Which entity ``keys`` are, in a language that capitalises its nouns, one word that its
    news at large lists and that no other language's list holds: a noun, not a name
    ("Einzelheiten", "Polizei", "Bundesregierung"), where a name is written alike in the news
    of other languages ("Merkel" in 16 lists, "Berlin" 19, "Heidelberg" 2; "Hotel" 25, which
    a name's test lets pass as it lets "Hotel" pass in English). A name only German news
    lists ("Gütersloh", "Scholz") is taken for a noun: the price of telling them apart without
    a dictionary of German."""
    if language not in NOUNS_CAPITALISED or not len(keys):
        return np.zeros(len(keys), dtype=np.bool_)
    return held(keys, _table(True, language)[0]) & ~held(keys, _names_elsewhere(language))


_COMPOUND_HEAD = 3  # letters before the noun a compound ends with, at least
_COMPOUND_TAIL = 5  # letters of that noun, at least ("-mann", "-berg" end many names)


def compound_nouns(names: Sequence[str], language: str | None) -> list[bool]:
    """Which one-word ``names`` are, in a language that capitalises its nouns, compounds that
    its news at large does not list but that end with one of its common nouns
    (``common_nouns``): "Brandursache", "Polizeiangaben", "Kriminalpolizei" are nouns, and
    each rare, so two German police reports of two fires shared three rare "names" and were
    one story. The noun ending it has ``_COMPOUND_TAIL`` letters or more."""
    if language not in NOUNS_CAPITALISED or not names:
        return [False] * len(names)
    words = [name.lower() for name in names]
    listed = held(lone_entity_keys(hash_strings(words)), _table(True, language)[0])
    tails = [
        (number, word[start:])
        for number, word in enumerate(words)
        if not listed[number] and word.isalpha()
        for start in range(_COMPOUND_HEAD, len(word) - _COMPOUND_TAIL + 1)
    ]
    found = [False] * len(names)
    if tails:
        keys = lone_entity_keys(hash_strings([tail for _, tail in tails]))
        for (number, _), noun in zip(tails, common_nouns(keys, language).tolist(), strict=True):
            found[number] = found[number] or noun
    return found


def held(keys: NDArray[np.uint64], sorted_keys: NDArray[np.uint64]) -> NDArray[np.bool_]:
    """Which ``keys`` are in ``sorted_keys`` (a binary search: ``np.isin`` sorts both, ~50x
    slower for a document's few hundred words)."""
    place = np.minimum(np.searchsorted(sorted_keys, keys), len(sorted_keys) - 1)
    found: NDArray[np.bool_] = sorted_keys[place] == keys
    return found


def document_share(
    keys: NDArray[np.uint64], entities: bool = False, language: str | None = "en"
) -> NDArray[np.float64]:
    """For each key (a word's hash, or an entity's with ``entities``), the share of news
    articles at large in ``language`` (``background_language``) that hold it; words the
    table does not list, and entities of more than one word, as rare as ``UNLISTED``."""
    hashes, share = _table(entities, background_language(language))
    place = np.minimum(np.searchsorted(hashes, keys), len(hashes) - 1)
    found = hashes[place] == keys
    return np.where(found, share[place].astype(np.float64), _UNLISTED_SHARE)


def rare_key_weight(documents: int) -> float:
    """The weight ``idf`` gives a key that one of ``documents`` articles holds and news at
    large does not: what one rare key in common is worth."""
    return float(idf(np.array([1]), documents, np.array([_UNLISTED_SHARE]))[0])


def idf(
    frequency: NDArray[np.int64], documents: int, share: NDArray[np.float64]
) -> NDArray[np.float32]:
    """Inverse document frequency of keys held by ``frequency`` of ``documents`` articles,
    pooled with ``PRIOR_DOCUMENTS`` articles of news at large that hold each with chance
    ``share``: ``log((N + 1 + P) / (df + 1 + P * share))``."""
    prior = PRIOR_DOCUMENTS
    return np.log((documents + 1 + prior) / (frequency + 1 + prior * share)).astype(np.float32)


def make_table(path: Path = _TABLE, languages_path: Path = _LANGUAGE_TABLE) -> None:
    """Write the background tables from ``wordfreq``'s lists (deterministic)."""
    from wordfreq import top_n_list, word_frequency

    words = [word for word in top_n_list("en", _WORDS) if word.isalpha() and len(word) >= 2]
    frequency = np.array([word_frequency(word, "en") for word in words], dtype=np.float64)
    share = 1.0 - np.exp(-frequency * ARTICLE_WORDS)
    np.savez_compressed(
        path,
        hashes=np.array([word_hash(word) for word in words], dtype=np.uint64),
        entity_hashes=np.array([lone_entity_hash(word) for word in words], dtype=np.uint64),
        document_share=share.astype(np.float32),
    )
    lists: dict[str, Any] = {}
    for language in sorted(LISTED_LANGUAGES):
        lists.update(_language_lists(language))
    np.savez_compressed(languages_path, **lists)


def _language_lists(language: str) -> dict[str, NDArray[np.generic]]:
    """``language``'s commonest words (those more common than ``UNLISTED``, at most
    ``_LANGUAGE_WORDS``, each one word to the topic kernel) as UTF-8 text, one per line,
    and their Zipf frequencies in hundredths."""
    from wordfreq import iter_wordlist, zipf_frequency

    from wiretrace.clean.normalize import fold_table, run_table
    from wiretrace.sketch.kernels import words_of

    least = float(np.log10(UNLISTED)) + 9.0  # Zipf: log10 of the frequency per 10^9 words
    words: list[str] = []
    zipf: list[int] = []
    ends, starts, hashes = np.empty(64, np.int64), np.empty(64, np.int64), np.empty(64, np.uint64)
    for word in iter_wordlist(language):
        frequency = zipf_frequency(word, language)
        if frequency <= least or len(words) == _LANGUAGE_WORDS:
            break
        codes = fold_table()[np.frombuffer(word.encode("utf-32-le"), dtype=np.uint32)]
        if len(word) < 2 or len(word) > 64 or "\n" in word:
            continue
        # one word to the topic kernel, as it hashes it (case, quotes and dashes folded)
        count = words_of(codes, run_table(), starts, ends, hashes)
        if count == 1 and starts[0] == 0 and ends[0] == len(word) and word == word.lower():
            words.append(word)
            zipf.append(round(frequency * 100))
    return {
        f"{language}_words": np.frombuffer("\n".join(words).encode("utf-8"), dtype=np.uint8),
        f"{language}_zipf": np.array(zipf, dtype=np.uint16),
    }


if __name__ == "__main__":
    make_table()
    print(f"wrote {_TABLE}")
