"""What a document is about, for story clustering: its words and its named entities.

Named entities come from a documented light method rather than a tagger (no NER model installs
from the package index the way the embedding model does): runs of capitalised words, so
"Ashraf Ghani", "Mazar-i-Sharif" and "Atta Mohammad Noor", plus four-digit years. A single
capitalised word at the start of a sentence is left out ("Taliban" is kept where it occurs
mid-sentence; "Fighters" opening a sentence is not), and leading function words are dropped
("The Taliban" -> "taliban"). It over-collects a little (headline-cased phrases), which the
corpus-level weighting of rare entities absorbs.
"""

from __future__ import annotations

import math
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

_WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)
_CAPITALISED = re.compile(
    r"(?<![\w'’-])(?:[A-Z][\w'’-]*\.?)(?:\s+(?:(?:of|de|del|da|al|bin|van|von|the|la|le)\s+)?"
    r"[A-Z][\w'’-]*\.?)*"
)
_LEAD_CHARS = 200  # a lead sentence longer than this is cut
_LEAD_MIN_CHARS = 20  # "Mr." or "U.S." early in a line do not end its first sentence
_FIRST_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z\"“‘'])")
_PROJECTION_HASHES = 4
_GOLDEN = 0x9E3779B97F4A7C15
_YEAR = re.compile(r"\b(?:19[5-9]\d|20[0-4]\d)\b")
_SENTENCE_END = re.compile(r"(?:[.!?:;\"“”'‘’)\]–—-]|\A)\s*\Z")
_FUNCTION_TEXT = (
    "a an and as at but by for from he her his i if in it its mr mrs ms dr of on or our she "
    "so that the their there these they this those to we when where while who with you"
)
_FUNCTION_WORDS = frozenset(_FUNCTION_TEXT.split())


@dataclass(frozen=True, slots=True)
class TopicTerms:
    """A document's distinct words with their counts, and its named entities (lower case)."""

    terms: NDArray[np.uint64]  # sorted 32-bit hashes of the distinct words
    counts: NDArray[np.float32]  # how often each occurs
    entities: frozenset[str]
    lead: str | None  # the first sentence, a story's title when the document has none


def _hash(word: str) -> int:
    # CRC-32: stable across processes and runs, and ~10x cheaper than a cryptographic hash;
    # a collision merges two words of a 4-billion space, which a TF-IDF cosine shrugs off
    return zlib.crc32(word.encode())


def entities_of(text: str) -> frozenset[str]:
    """Named entities of ``text`` by the light method above."""
    found: set[str] = set(_YEAR.findall(text))
    for line in text.splitlines():
        for match in _CAPITALISED.finditer(line):
            words = match.group().rstrip(".").split()
            while words and words[0].lower() in _FUNCTION_WORDS:
                words = words[1:]
            if not words:
                continue
            opens_sentence = _SENTENCE_END.search(line, 0, match.start()) is not None
            if len(words) == 1 and (opens_sentence or len(words[0]) < 3):
                continue
            found.add(" ".join(words).lower())
    return frozenset(found)


def topic_terms(text: str) -> TopicTerms:
    """Words (letters only, two or more) and entities of a clean text (boilerplate blanked)."""
    counts: dict[int, int] = {}
    for word in _WORD.findall(text.lower()):
        key = _hash(word)
        counts[key] = counts.get(key, 0) + 1
    terms = np.array(sorted(counts), dtype=np.uint64)
    return TopicTerms(
        terms=terms,
        counts=np.array([counts[int(term)] for term in terms], dtype=np.float32),
        entities=entities_of(text),
        lead=first_sentence(text),
    )


def first_sentence(text: str) -> str | None:
    """The first sentence of a text's first line, cut at a word if it runs long."""
    line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    end = _FIRST_SENTENCE_END.search(line, _LEAD_MIN_CHARS)
    sentence = line[: end.start() + 1] if end else line
    if len(sentence) > _LEAD_CHARS:
        sentence = sentence[:_LEAD_CHARS].rsplit(" ", 1)[0] + " …"
    return sentence or None


@dataclass(frozen=True, slots=True)
class TopicVectors:
    """Every document's TF-IDF weights (sublinear term frequency, L2-normalised) and the
    inverse document frequency of its entities, over the whole corpus."""

    terms: list[NDArray[np.uint64]]
    weights: list[NDArray[np.float32]]
    entities: list[dict[str, float]]  # entity -> idf


def _idf(document_frequency: int, documents: int) -> float:
    # log(N/df): a word in every document weighs nothing; smoothed so a corpus of one works
    return math.log((documents + 1) / (document_frequency + 1))


def topic_vectors(documents: Sequence[TopicTerms]) -> TopicVectors:
    """Weigh every document's words and entities by how rare they are in the corpus."""
    total = len(documents)
    if total == 0:
        return TopicVectors([], [], [])
    every = np.concatenate([document.terms for document in documents])
    unique, frequency = np.unique(every, return_counts=True)
    idf = np.log((total + 1) / (frequency + 1)).astype(np.float32)
    entity_frequency: dict[str, int] = {}
    for document in documents:
        for entity in document.entities:
            entity_frequency[entity] = entity_frequency.get(entity, 0) + 1
    weights: list[NDArray[np.float32]] = []
    for document in documents:
        weight = (1.0 + np.log(document.counts)) * idf[np.searchsorted(unique, document.terms)]
        norm = float(np.linalg.norm(weight))
        weights.append((weight / norm if norm else weight).astype(np.float32))
    return TopicVectors(
        terms=[document.terms for document in documents],
        weights=weights,
        entities=[
            {entity: _idf(entity_frequency[entity], total) for entity in document.entities}
            for document in documents
        ],
    )


def projected(vectors: TopicVectors, dimensions: int = 256) -> NDArray[np.float32]:
    """Dense vectors whose dot products approximate the TF-IDF cosines (a sparse random
    projection: each word adds its weight to four dimensions with random signs, derived
    from its hash), L2-normalised; nearest-neighbour search runs on these."""
    out = np.zeros((len(vectors.terms), dimensions), dtype=np.float32)
    for row, (terms, weights) in enumerate(zip(vectors.terms, vectors.weights, strict=True)):
        for part in range(_PROJECTION_HASHES):
            mixed = _splitmix(terms + np.uint64(((part + 1) * _GOLDEN) % 2**64))
            columns = (mixed % np.uint64(dimensions)).astype(np.int64)
            signs = np.where((mixed >> np.uint64(63)) == 1, 0.5, -0.5)
            np.add.at(out[row], columns, signs * weights)
    return normalised(out)


def normalised(vectors: NDArray[np.float32]) -> NDArray[np.float32]:
    """Rows scaled to unit length (rows of zeros stay zero)."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    out = np.zeros(vectors.shape, dtype=np.float32)
    np.divide(vectors, norms, out=out, where=norms > 0)
    return out


def _splitmix(values: NDArray[np.uint64]) -> NDArray[np.uint64]:
    with np.errstate(over="ignore"):
        values = (values ^ (values >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        values = (values ^ (values >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return values ^ (values >> np.uint64(31))


def cosine(vectors: TopicVectors, first: int, second: int) -> float:
    """Exact TF-IDF cosine of two documents (their shared words)."""
    shared, in_first, in_second = np.intersect1d(
        vectors.terms[first], vectors.terms[second], assume_unique=True, return_indices=True
    )
    if len(shared) == 0:
        return 0.0
    return float(np.dot(vectors.weights[first][in_first], vectors.weights[second][in_second]))


def entity_overlap(vectors: TopicVectors, first: int, second: int) -> float:
    """Weight of the shared entities over that of the document with less: 1.0 when every
    entity of one is named by the other, rare ones counting most."""
    mine, theirs = vectors.entities[first], vectors.entities[second]
    if len(mine) > len(theirs):
        mine, theirs = theirs, mine
    shared = sum(weight for entity, weight in mine.items() if entity in theirs)
    least = min(sum(mine.values()), sum(theirs.values()))
    return shared / least if least > 0 else 0.0
