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
  hashes it) and the chance that an article of ~500 words holds it. ``python -m
  wiretrace.sketch.background`` remakes the file (``pip install wordfreq``). A word the
  table does not list is rarer than one in a million words.

The corpus weighs a word by ``log((N + 1) / (df + 1))`` over its ``N`` documents; pooled
with ``PRIOR_DOCUMENTS`` articles of news at large (see ``idf``): in a corpus of 35 articles
they outnumber the corpus, so a word weighs mostly as it does in news; in one of 100,000 they
only matter for a word the corpus holds a few times (a common word held by one article is
still weak evidence).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

_TABLE = Path(__file__).with_name("background_en.npz")
_WORDS = 60_000  # the commonest English words listed (zipf >= ~2.9)
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
def stop_words_set() -> frozenset[str]:
    """The English stop words, as a set."""
    return frozenset(stop_words())


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


@functools.cache
def _table(entities: bool) -> tuple[NDArray[np.uint64], NDArray[np.float32]]:
    """Hashes (sorted) of the listed words, or of the entities of one such word, and each
    one's chance to occur in an article of news at large."""
    with np.load(_TABLE) as stored:
        hashes = stored["entity_hashes" if entities else "hashes"]
        share = stored["document_share"]
    order = np.argsort(hashes, kind="stable")
    return hashes[order], share[order]


def document_share(keys: NDArray[np.uint64], entities: bool = False) -> NDArray[np.float64]:
    """For each key (a word's hash, or an entity's with ``entities``), the share of news
    articles at large that hold it; words the table does not list, and entities of more than
    one word, as rare as ``UNLISTED``."""
    hashes, share = _table(entities)
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


def make_table(path: Path = _TABLE) -> None:
    """Write the background table from ``wordfreq``'s English list (deterministic)."""
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


if __name__ == "__main__":
    make_table()
    print(f"wrote {_TABLE}")
