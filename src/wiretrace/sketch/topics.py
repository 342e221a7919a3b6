"""What a document is about, for story clustering: its words and its named entities.

Named entities come from a documented light method rather than a tagger (no NER model installs
from the package index the way the embedding model does): runs of capitalised words separated
by single spaces ("Ashraf Ghani", "Atta Mohammad Noor"), plus years 1950-2049. A single
capitalised word that opens a sentence is left out ("Taliban" is kept mid-sentence, "Fighters"
opening a sentence is not), and leading function words are dropped ("The Taliban" ->
"taliban"; in another language its stop words too: "Die Bundesregierung" ->
"bundesregierung"). It over-collects a little (headline-cased phrases, "Afghan President Ashraf
Ghani" as one name), which the corpus-level weighting of rare entities absorbs. A compiled
kernel walks the text once (quotes, dashes and spaces folded, case kept) for words and entities:
~55 µs for a 2.5 KB article, against ~1.2 ms with regular expressions.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence, Set
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from wiretrace.clean.language import script_of
from wiretrace.clean.normalize import UNICODE_SIZE, fold_table, run_table
from wiretrace.sketch import kernels
from wiretrace.sketch.background import (
    LISTED_LANGUAGES,
    NOUNS_CAPITALISED,
    common_nouns,
    compound_nouns,
    document_share,
    entity_hash,
    held,
    idf,
    lone_entity_keys,
    stop_hashes,
    stop_language,
    stop_words,
    unlisted,
    word_hash,
)
from wiretrace.sketch.event import NO_EVENT, EventArguments, event_arguments
from wiretrace.sketch.kernels import shared_weight
from wiretrace.sketch.packed import sort_packed

_LEAD_CHARS = 200  # a lead sentence longer than this is cut
_LEAD_MIN_CHARS = 20  # "Mr." or "U.S." early in a line do not end its first sentence
_FIRST_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z\"“‘'])")
# scripts with capital letters: a text in any other (Arabic, Hebrew, Devanagari) is read for
# caseless names; reading a German or Polish text so found none and cost 40-60% of its
# topic terms
_CASED_SCRIPTS = frozenset({"Latn", "Cyrl", "Grek", "Armn"})
_ENTITY_SPACE = 0x9E3779B97F4A7C15  # entity keys are kept apart from word keys
_FUNCTION_TEXT = (
    "a an and as at but by for from he her his i if in it its mr mrs ms dr of on or our she "
    "so that the their there these they this those to we when where while who with you"
)
# English titles before a name are no part of it, as "Mr" is not: "Chief Executive Tim Cook"
# and "Tim Cook" name one man (two reports of one company's results shared no name by it).
# Words that open place names too ("King County", "Prince George's County", "General
# Motors", "Police Department") are not listed.
_TITLE_TEXT = (
    "president vice chief executive financial operating officer chairman chairwoman "
    "governor senator sen rep mayor minister prime secretary chancellor spokesman "
    "spokeswoman spokesperson detective sergeant sgt lieutenant lt coach professor prof "
    "reverend rev ambassador commissioner superintendent sheriff deputy inspector judge "
    "director ceo cfo pope archbishop bishop cardinal councillor councilor councilman "
    "councilwoman alderman assemblyman assemblywoman congressman congresswoman prosecutor "
    "attorney solicitor coroner constable trooper"
)


@functools.cache
def _case_tables() -> tuple[NDArray[np.uint32], NDArray[np.uint8]]:
    """Code point -> its lower case (where that is one code point), and 1 for upper case."""
    lower = np.arange(UNICODE_SIZE, dtype=np.uint32)
    upper = np.zeros(UNICODE_SIZE, dtype=np.uint8)
    for code in range(UNICODE_SIZE):
        char = chr(code)
        if char.isupper():
            upper[code] = 1
            folded = char.lower()
            if len(folded) == 1:
                lower[code] = ord(folded)
    return lower, upper


@functools.cache
def _function_words(stop_list: str = "en") -> NDArray[np.uint64]:
    """Words that do not start a name: the English function words, and with another
    language's stop-word list (``stop_language``) its stop words too ("Die
    Bundesregierung", "La Generalitat": the article is no part of the name, and a report that
    says "die Bundesregierung" mid-sentence names the same one). English keeps its short
    list: its stop words hold "Four", "Top"."""
    words = set(_FUNCTION_TEXT.split())
    if stop_list == "en":
        words.update(_TITLE_TEXT.split())
    else:
        words.update(stop_words(stop_list))
    return np.array(sorted(word_hash(word) for word in words), dtype=np.uint64)


class TopicTerms(NamedTuple):  # a tuple: it crosses from the sketch workers for every document
    """A document's distinct words with their counts, and its named entities (lower case)."""

    terms: NDArray[np.uint64]  # sorted hashes of the distinct words
    counts: NDArray[np.float32]  # how often each occurs
    entities: NDArray[np.uint64]  # sorted hashes of the distinct named entities
    lead: str | None  # the first sentence, a story's title when the document has none
    event: EventArguments = NO_EVENT  # who, where, when, how many


NO_TOPICS = TopicTerms(
    np.empty(0, np.uint64), np.empty(0, np.float32), np.empty(0, np.uint64), None
)  # what a document carries when stories are off (no words counted)


Keys = tuple[NDArray[np.uint64], NDArray[np.float32], NDArray[np.uint64], NDArray[np.int64]]


def _codes(text: str) -> NDArray[np.uint32]:
    """The text's code points, quotes, dashes and white space folded (case is kept)."""
    return fold_table()[np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)]


def _keys(codes: NDArray[np.uint32], language: str | None = None) -> Keys:
    """Words and their counts, entities and entity spans (see ``kernels.topic_keys``), of
    a text in ``language``."""
    lower, upper = _case_tables()
    function_words = _function_words(stop_language(language))
    found: Keys = kernels.topic_keys(codes, run_table(), lower, upper, function_words)
    return found


def entities_of(text: str, language: str | None = None) -> list[str]:
    """Named entities of ``text`` (lower case, in order of appearance, repeats kept)."""
    codes = _codes(text)
    return _span_names(codes, _keys(codes, language)[3])


def _span_names(codes: NDArray[np.uint32], spans: NDArray[np.int64]) -> list[str]:
    """The text of each ``start, end, key`` span of ``codes``, lower case."""
    folded = codes.astype(np.uint32).tobytes().decode("utf-32-le")
    return [folded[start:end].lower() for start, end, _ in spans.tolist()]


def key_names(
    text: str, words: Sequence[int], entities: Sequence[int], language: str | None = None
) -> tuple[dict[int, str], dict[int, str]]:
    """The names in ``text`` of the word keys ``words`` and the entity keys ``entities`` (as in
    :class:`TopicTerms`): words in lower case, entities as first written. Keys the text does
    not hold are left out."""
    codes = _codes(text)
    found: tuple[dict[int, str], dict[int, str]] = ({}, {})
    rows = _word_rows(codes) if words else None
    if rows is not None:
        _name(found[0], rows, words, codes, fold=True)
    if entities:
        _name(found[1], _keys(codes, language)[3], entities, codes, fold=False)
        # a word of a script without capitals taken for a name (``_caseless_names``)
        missing = [key for key in entities if key not in found[1]]
        if missing:
            named = (_word_rows(codes) if rows is None else rows).copy()
            named[:, 2] = lone_entity_keys(named[:, 2].view(np.uint64)).view(np.int64)
            _name(found[1], named, missing, codes, fold=True)
    return found


def _word_rows(codes: NDArray[np.uint32]) -> NDArray[np.int64]:
    """``start, end, key`` of each word of two characters or more, hashed as topic_keys
    hashes them (lower case; keys as signed integers)."""
    lower, _ = _case_tables()
    size = len(codes) // 2 + 1
    starts, ends = np.empty(size, dtype=np.int64), np.empty(size, dtype=np.int64)
    hashes = np.empty(size, dtype=np.uint64)
    count = kernels.words_of(lower[codes], run_table(), starts, ends, hashes)
    rows = np.stack([starts[:count], ends[:count], hashes[:count].view(np.int64)], axis=1)
    return rows[ends[:count] - starts[:count] >= 2]


def _name(
    found: dict[int, str],
    rows: NDArray[np.int64],
    wanted: Sequence[int],
    codes: NDArray[np.uint32],
    fold: bool,
) -> None:
    """Name each wanted key from its first ``start, end, key`` row (keys as signed
    integers, as the kernels hand them over)."""
    keys = rows[:, 2]
    for key in wanted:  # a few keys: one comparison each beats a set operation
        at = np.flatnonzero(keys == np.uint64(key).astype(np.int64))
        if at.size:
            start, end = rows[at[0], :2].tolist()
            name = "".join(map(chr, codes[start:end]))
            found[key] = name.lower() if fold else name


def topic_terms(text: str, language: str | None = None, credits: Sequence[str] = ()) -> TopicTerms:
    """Words and entities of a text (boilerplate blanked), the stop words of its language
    left out (they are never evidence: see ``background``), and its event's arguments. The
    outlets it ``credits`` (``clean.metadata``: "LEEDS (Northern Wire) —") are no entities:
    they say who wrote it, not who is in the event."""
    codes = _codes(text)
    terms, counts, entities, spans = _keys(codes, language)
    stop_terms, stop_entities = stop_hashes(stop_language(language))
    kept = ~held(terms, stop_terms)
    entities = entities[~held(entities, stop_entities)]
    names = _span_names(codes, spans)
    compounds = compound_nouns(names, language)
    if any(compounds):
        keys = [key for (_, _, key), noun in zip(spans.tolist(), compounds, strict=True) if noun]
        entities = entities[~np.isin(entities, np.array(keys, np.int64).view(np.uint64))]
    if language in LISTED_LANGUAGES and script_of(language) not in _CASED_SCRIPTS:
        entities = np.union1d(entities, _caseless_names(text, terms[kept], language))
    if credits:
        credited = np.array([entity_hash(name) for name in credits], dtype=np.uint64)
        entities = entities[~np.isin(entities, credited)]
    return TopicTerms(
        terms=terms[kept],
        counts=counts[kept],
        entities=entities,
        lead=first_sentence(text),
        event=_without_nouns(
            event_arguments(text, names),
            language,
            {name for name, noun in zip(names, compounds, strict=True) if noun},
        ),
    )


def _caseless_names(text: str, terms: NDArray[np.uint64], language: str) -> NDArray[np.uint64]:
    """The entity keys of the words of ``terms`` written in letters that have no case
    (Arabic, Hebrew, Devanagari) that news at large in ``language`` does not write: a
    script without capitals shows no name by them, and a word the language's list does not
    know is most often one ("زيلينسكي", "الكاظمي"), or a rare inflected form ("تعافيها");
    a name the list knows ("العاصي", also a word) is missed, as a name written like a common
    word is in English."""
    rare = terms[unlisted(terms, language)]
    if not rare.size:
        return rare
    words, _ = key_names(text, rare.tolist(), [], language)
    caseless = [key for key, word in words.items() if _caseless_word(word)]
    return lone_entity_keys(np.array(caseless, dtype=np.uint64))


def _caseless_word(word: str) -> bool:
    """Whether ``word`` is written in letters that have no case: letters and their marks
    (Devanagari's vowel signs, Arabic's shadda), no digit, no letter with a capital."""
    return (
        word.upper() == word.lower()
        and any(char.isalpha() for char in word)
        and all(char.isalpha() or unicodedata.category(char) in ("Mn", "Mc") for char in word)
    )


def _without_nouns(
    event: EventArguments, language: str | None, compounds: Set[str] = frozenset()
) -> EventArguments:
    """The event without the one-word names that are common nouns of a language that
    capitalises its nouns (``background.common_nouns``): a German report listed "polizei",
    "nacht" and "täter" as who. Places stay: "in Wien" is a place though only German news
    writes "Wien" so; dropping such places cost SemEval's pairs in one other language 0.759
    -> 0.745 (``benchmarks/multilingual.py --stories``), for "in Betrieb gehen" read as one."""
    if language not in NOUNS_CAPITALISED or not event.names:
        return event
    keys = np.array([entity_hash(name) for name in event.names], dtype=np.uint64)
    nouns = common_nouns(keys, language).tolist()
    return event._replace(
        names=tuple(
            name
            for name, noun in zip(event.names, nouns, strict=True)
            if not (noun or name in compounds) or " " in name
        )
    )


def first_sentence(text: str) -> str | None:
    """The first sentence of a text's first line, cut at a word if it runs long."""
    stripped = text.lstrip()
    line = stripped[: stripped.find("\n")] if "\n" in stripped else stripped
    line = line.strip()
    end = _FIRST_SENTENCE_END.search(line, _LEAD_MIN_CHARS)
    sentence = line[: end.start() + 1] if end else line
    if len(sentence) > _LEAD_CHARS:
        sentence = sentence[:_LEAD_CHARS].rsplit(" ", 1)[0] + " …"
    return sentence or None


@dataclass(frozen=True, slots=True)
class TopicVectors:
    """Every document's TF-IDF weights (sublinear term frequency, L2-normalised) and its
    entities weighed by inverse document frequency (within each language). Rows are stored
    back to back (document ``i`` owns ``offsets[i]:offsets[i + 1]``), keys sorted within a
    row, so that pairs are weighed by a compiled merge."""

    term_offsets: NDArray[np.int64]
    terms: NDArray[np.uint64]
    weights: NDArray[np.float32]
    entity_offsets: NDArray[np.int64]
    entities: NDArray[np.uint64]
    entity_weights: NDArray[np.float32]
    entity_totals: NDArray[np.float32]  # per document, the sum of its entities' weights

    def __len__(self) -> int:
        return len(self.term_offsets) - 1


def _rows(
    keys: Sequence[NDArray[np.uint64]],
    entities: bool = False,
    languages: Sequence[str] | None = None,
) -> tuple[NDArray[np.int64], NDArray[np.uint64], NDArray[np.float32]]:
    """Rows back to back, and the inverse document frequency of every key in them (a key is
    held once per row), pooled with news at large (``background.idf``); with ``languages``
    (one per row), counted among the rows of the row's own language only, and pooled with
    news at large in that language."""
    offsets = np.zeros(len(keys) + 1, dtype=np.int64)
    np.cumsum([len(row) for row in keys], out=offsets[1:])
    flat = np.concatenate(keys) if keys else np.empty(0, dtype=np.uint64)
    if languages is None or len(set(languages)) <= 1:
        language = languages[0] if languages else "en"
        return offsets, flat, _weights(flat, len(keys), entities, language)
    # how rare a word is, is a question within its language: counted among all rows, every
    # word of a language few documents are in looks rare to each of them (issue 28;
    # SemEval-2022's ten languages at once: pairs in one language other than English F1
    # 0.769 -> 0.775)
    weights = np.empty(len(flat), dtype=np.float32)
    labels = np.asarray(languages)
    held_in = np.repeat(labels, np.diff(offsets))  # each key's row's language
    for language in sorted(set(languages)):
        mine = held_in == language  # its rows' keys, back to back
        weights[mine] = _weights(flat[mine], int((labels == language).sum()), entities, language)
    return offsets, flat, weights


def _weights(
    flat: NDArray[np.uint64], rows: int, entities: bool, language: str
) -> NDArray[np.float32]:
    """The inverse document frequency of each of ``flat``, the keys of ``rows`` rows of
    ``language`` (each key once in its row)."""
    if not len(flat):
        return np.empty(0, dtype=np.float32)
    packed, bits = sort_packed(flat, np.arange(len(flat), dtype=np.uint64), len(flat))
    high = packed >> np.uint64(bits)
    starts = np.flatnonzero(np.concatenate([[True], high[1:] != high[:-1]]))
    frequency = np.diff(np.append(starts, len(flat)))
    distinct = flat[(packed[starts] & np.uint64((1 << bits) - 1)).astype(np.int64)]
    weight = idf(frequency, rows, document_share(distinct, entities, language))
    weights = np.empty(len(flat), dtype=np.float32)
    weights[(packed & np.uint64((1 << bits) - 1)).astype(np.int64)] = np.repeat(weight, frequency)
    return weights


def topic_vectors(
    documents: Sequence[TopicTerms], languages: Sequence[str] | None = None
) -> TopicVectors:
    """Weigh every document's words and entities by how rare they are in the corpus (among
    the documents of its language, with ``languages``)."""
    term_offsets, terms, idf = _rows([document.terms for document in documents], False, languages)
    counts = (
        np.concatenate([document.counts for document in documents])
        if documents
        else np.empty(0, dtype=np.float32)
    )
    weights = (1.0 + np.log(np.maximum(counts, 1.0))) * idf
    owner = np.repeat(np.arange(len(documents)), np.diff(term_offsets))
    squares = np.zeros(len(documents))
    np.add.at(squares, owner, weights.astype(np.float64) ** 2)
    norms = np.sqrt(squares)
    weights = (weights / np.where(norms > 0, norms, 1.0)[owner]).astype(np.float32)
    entity_offsets, entities, entity_weights = _rows(
        [document.entities for document in documents], True, languages
    )
    totals = np.zeros(len(documents), dtype=np.float32)
    if len(entities):
        owner = np.repeat(np.arange(len(documents)), np.diff(entity_offsets))
        np.add.at(totals, owner, entity_weights)
    return TopicVectors(
        term_offsets, terms, weights, entity_offsets, entities, entity_weights, totals
    )


def pair_evidence(
    vectors: TopicVectors, pairs: NDArray[np.int64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """For each pair ``(i, j)``: the exact TF-IDF cosine, and the entity overlap (the weight
    of the shared entities over that of the document with less: 1.0 when every entity of one
    is named by the other, rare ones counting most)."""
    pairs = np.ascontiguousarray(pairs, dtype=np.int64).reshape(-1, 2)
    cosines = shared_weight(vectors.term_offsets, vectors.terms, vectors.weights, pairs, True)
    shared = shared_weight(
        vectors.entity_offsets, vectors.entities, vectors.entity_weights, pairs, False
    )
    least = np.minimum(vectors.entity_totals[pairs[:, 0]], vectors.entity_totals[pairs[:, 1]])
    overlaps = np.divide(shared, least, out=np.zeros_like(shared), where=least > 0)
    # the totals were summed in float32: a shared weight may pass them by a rounding
    return cosines, np.minimum(overlaps, 1.0)


# A name that at least this share of news articles at large holds ("Germany", "Obama",
# "London": 1-10%) is no evidence of one event when it is the only one two articles share:
# two short reports, on inflation in Germany and on a storm in northern Germany, were one
# story at 0.89. Names of more than one word and names the lists do not know count as rare.
COMMON_NAME_SHARE = 0.01


def rare_names(keys: NDArray[np.uint64], language: str | None) -> NDArray[np.bool_]:
    """Which of the entity ``keys`` fewer than ``COMMON_NAME_SHARE`` of the news articles at
    large in ``language`` hold."""
    found: NDArray[np.bool_] = document_share(keys, True, language) < COMMON_NAME_SHARE
    return found


def names_as_evidence(
    keys: NDArray[np.uint64], language: str | None
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """Which entity ``keys`` of ``language`` count as names in the test of event-level
    evidence (not a common noun of a language that capitalises its nouns:
    ``background.common_nouns``), and which of those are rare (``rare_names``)."""
    counted = ~common_nouns(keys, language)
    return counted, counted & rare_names(keys, language)


@functools.cache
def year_key(year: int) -> int:
    """The entity key of a year as ``kernels.topic_keys`` finds it in a text."""
    return int(_keys(_codes(f"in {year}"))[2][0])


def written_year(published: str | None) -> int | None:
    """The year of an ISO publication date, where it is one an entity could name."""
    if published and len(published) >= 4 and published[:4].isdigit():
        year = int(published[:4])
        return year if 1950 <= year <= 2049 else None
    return None


def names_in_common(
    vectors: TopicVectors,
    pairs: NDArray[np.int64],
    languages: Sequence[str] | None = None,
    published: Sequence[str | None] | None = None,
) -> NDArray[np.bool_]:
    """Which pairs ``(i, j)`` share two names, or one that is rare (``rare_names``) in their
    language; a pair in two languages, any name (across languages the names are most of what
    two texts can share: two reports of Australia's bushfires, one in Spanish, share
    "Australia" and little else a reader of words can see). A German noun is no name here
    (``names_as_evidence``): ten short German reports that closed on "Weitere Einzelheiten
    ..." were one story. A year both were ``published`` in is no name here: it says when they
    were written, not which event (two cities' by-elections, each dated "13 juillet 2026",
    were one story by the year); any other year is (ECB+'s two events of a kind are years
    apart)."""
    pairs = np.ascontiguousarray(pairs, dtype=np.int64).reshape(-1, 2)
    owner = np.repeat(np.arange(len(vectors)), np.diff(vectors.entity_offsets))
    counted = np.zeros(len(vectors.entities), dtype=np.float32)
    rare = np.zeros(len(vectors.entities), dtype=np.float32)
    labels = np.asarray(languages if languages else ["en"] * len(vectors))
    for language in sorted(set(labels.tolist())):
        mine = labels[owner] == language
        counted[mine], rare[mine] = names_as_evidence(vectors.entities[mine], language)
    offsets, keys = vectors.entity_offsets, vectors.entities
    names = shared_weight(offsets, keys, counted, pairs, True)
    rare_names = shared_weight(offsets, keys, rare, pairs, True)
    if published is not None:
        # each document's own year, where it names it: its key, and what it counts for
        years = np.array([written_year(date) or 0 for date in published], dtype=np.int64)
        own = np.array([year_key(year) if year else 0 for year in years.tolist()], np.uint64)
        holds = (keys == own[owner]) & (own[owner] != 0)
        named_year = np.zeros((2, len(vectors)), dtype=np.float64)
        named_year[0, owner[holds]] = counted[holds]
        named_year[1, owner[holds]] = rare[holds]
        first, second = pairs[:, 0], pairs[:, 1]
        same = years[first] == years[second]
        names -= np.where(same, named_year[0, first] * named_year[0, second], 0.0)
        rare_names -= np.where(same, named_year[1, first] * named_year[1, second], 0.0)
    return named_enough(names, rare_names, labels[pairs[:, 0]] != labels[pairs[:, 1]])


def named_enough(counted: ArrayLike, rare: ArrayLike, across: ArrayLike) -> NDArray[np.bool_]:
    """The test of the names a pair shares (counts, or arrays of them): two that count as
    names (``names_as_evidence``), or one rare one; across two languages, any one."""
    found: NDArray[np.bool_] = (np.asarray(counted) >= np.where(across, 1, 2)) | (
        np.asarray(rare) > 0
    )
    return found


def rare_key_pairs(
    vectors: TopicVectors, keys_per_document: int, max_sharing: int
) -> NDArray[np.int64]:
    """Pairs of documents that share one of their ``keys_per_document`` heaviest words, or an
    entity, held by at most ``max_sharing`` documents. Every document proposes at most
    keys x max_sharing partners, so the pairs grow linearly with the corpus."""
    count = len(vectors)
    owner = np.repeat(np.arange(count), np.diff(vectors.term_offsets))
    chosen = kernels.heaviest_in_rows(vectors.term_offsets, vectors.weights, keys_per_document)
    entity_owner = np.repeat(np.arange(count), np.diff(vectors.entity_offsets))
    keys = np.concatenate([vectors.terms[chosen], vectors.entities ^ np.uint64(_ENTITY_SPACE)])
    documents = np.concatenate([owner[chosen], entity_owner]).astype(np.int64)
    by_key = np.lexsort((documents, keys))
    keys, documents = keys[by_key], documents[by_key]
    boundaries = np.flatnonzero(np.diff(keys)) + 1
    starts = np.concatenate([[0], boundaries, [len(keys)]]).astype(np.int64)
    sizes = np.diff(starts)
    usable = (sizes >= 2) & (sizes <= max_sharing)
    members = documents[np.repeat(usable, sizes)]
    group_starts = np.concatenate([[0], np.cumsum(sizes[usable])]).astype(np.int64)
    total = int((sizes[usable] * (sizes[usable] - 1) // 2).sum())
    out = np.empty((total, 2), dtype=np.int64)
    written = kernels.pairs_in_groups(members, group_starts, out)
    return out[:written]
