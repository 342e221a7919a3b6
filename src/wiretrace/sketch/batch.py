"""The sketch stage's function over a batch of texts: boilerplate and metadata, clean text,
MinHash signature, passage fingerprints, text hash, story words, sentences. Whichever backend
runs the scan calls it on batches (the local one in this process or its worker processes)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import xxhash
from numpy.typing import NDArray

from wiretrace.clean import CleanText, clean_text
from wiretrace.clean.boilerplate import blank, find_boilerplate, line_keys, line_spans
from wiretrace.clean.language import detect_language
from wiretrace.clean.metadata import TextFacts, extract_facts
from wiretrace.config import ScanConfig
from wiretrace.records import Span
from wiretrace.semantic.stage import SentenceBatch, sentence_batch
from wiretrace.sketch.minhash import Permutations, sketch_texts
from wiretrace.sketch.topics import NO_TOPICS, TopicTerms, topic_terms


@dataclass(frozen=True, slots=True)
class SketchParams:
    """What the workers need to know of the configuration."""

    shingle_size: int
    num_perm: int
    seed: int
    boilerplate: bool
    passage_words: int = 8
    passage_window: int = 0  # 0: no passage fingerprints
    count_lines: bool = False
    sentences: bool = False  # split sentences (the semantic stage runs)
    static_model: str | None = None  # ... and embed them with the static model in this folder
    topics: bool = True  # words and entities for stories (off with --no-stories)
    languages: bool = True  # tell each text's language (off for dedup)

    @classmethod
    def of(
        cls, config: ScanConfig, sentences: bool = False, static_model: str | None = None
    ) -> SketchParams:
        return cls(
            config.shingle_size,
            config.num_perm,
            config.seed,
            config.boilerplate,
            config.min_passage_words,
            config.passage_window if config.finds_passages else 0,
            config.recurring_min_documents > 0,
            sentences,
            static_model,
            config.stories,
            config.languages,
        )


class BatchItem(NamedTuple):  # a tuple: pickled to the workers at a third of a dataclass's cost
    """One text to sketch, with boilerplate spans already known, and the year that completes
    a date written in the text without one. With ``find`` False the spans are final: no rules
    run and no metadata is extracted (a second sketch once recurring lines are known), and
    ``language`` and ``credits`` are those found the first time (the language's stop words
    and the outlets credited are no topic words or names)."""

    text: str
    spans: tuple[Span, ...] = ()
    year: int | None = None
    find: bool = True
    language: str | None = None
    credits: tuple[str, ...] = ()


PlainSpan = tuple[int, int, str]


@dataclass(frozen=True, slots=True, eq=False)
class BatchSketch:
    """What sketching one batch of texts returns, per text.

    Everything is numbers, strings and tuples: the results cross a process boundary, and
    unpickling thousands of small record objects in the main process costs more than making
    them there, for the few documents that have any.
    """

    signatures: NDArray[np.uint32]
    word_counts: NDArray[np.int64]
    fingerprints: NDArray[np.uint64]  # passage fingerprints, back to back
    fingerprint_offsets: NDArray[np.int64]  # text i owns [offsets[i], offsets[i + 1])
    text_hashes: NDArray[np.uint64]  # of each clean text: exact copies share one
    clean_chars: NDArray[np.int64]
    boilerplate: list[tuple[PlainSpan, ...]]
    facts: list[tuple[str | None, str | None, tuple[str, ...], str | None] | None]
    line_keys: NDArray[np.int64]  # the lines of every text, in order (first sketch only)
    line_counts: NDArray[np.int64]  # lines per text (empty when not counted)
    topics: list[TopicTerms]  # words and entities, for stories
    semantic: SentenceBatch | None  # sentences (and vectors), when the semantic stage runs

    def fingerprints_of(self, index: int) -> NDArray[np.uint64]:
        offsets = self.fingerprint_offsets
        return self.fingerprints[offsets[index] : offsets[index + 1]]

    def spans(self, index: int) -> tuple[Span, ...]:
        return tuple(Span(*span) for span in self.boilerplate[index])

    def text_facts(self, index: int) -> TextFacts | None:
        found = self.facts[index]
        return None if found is None else TextFacts(*found)

    def select(self, kept: Sequence[int]) -> BatchSketch:
        """The sketches of texts ``kept`` (indices, in order) alone."""
        index = np.asarray(kept, dtype=np.int64)
        lines = np.concatenate([[0], np.cumsum(self.line_counts)]).astype(np.int64)
        semantic = self.semantic
        if semantic is not None:
            semantic = SentenceBatch(
                [semantic.spans[i] for i in kept],
                [semantic.vectors[i] for i in kept] if semantic.vectors else [],
                semantic.documents[index],
                semantic.leads[index],
            )
        return BatchSketch(
            self.signatures[index],
            self.word_counts[index],
            _slices(self.fingerprints, self.fingerprint_offsets, kept),
            np.concatenate([[0], np.cumsum(np.diff(self.fingerprint_offsets)[index])]).astype(
                np.int64
            ),
            self.text_hashes[index],
            self.clean_chars[index],
            [self.boilerplate[i] for i in kept],
            [self.facts[i] for i in kept],
            _slices(self.line_keys, lines, kept) if self.line_counts.size else self.line_keys,
            self.line_counts[index] if self.line_counts.size else self.line_counts,
            [self.topics[i] for i in kept],
            semantic,
        )


def _slices(values: NDArray[Any], offsets: NDArray[np.int64], kept: Sequence[int]) -> NDArray[Any]:
    """Rows ``kept`` of rows stored back to back (row i is ``offsets[i]:offsets[i + 1]``)."""
    parts = [values[offsets[i] : offsets[i + 1]] for i in kept]
    return np.concatenate(parts) if parts else values[:0]


def sketch_batch(items: list[BatchItem], params: SketchParams) -> BatchSketch:
    """Find boilerplate and metadata, then clean and sketch a batch of texts without their
    boilerplate: the stage function the workers run."""
    spans: list[tuple[Span, ...]] = []
    facts: list[tuple[str | None, str | None, tuple[str, ...], str | None] | None] = []
    keys: list[int] = []
    counts: list[int] = []
    blanked: list[str] = []
    found_facts: list[TextFacts | None] = []
    for text, known, year, find, _, _ in items:
        found = known
        if find:
            lines = line_spans(text)
            if params.boilerplate:
                found = find_boilerplate(text, known, lines)
            found_facts.append(extract_facts(text, found, year, lines))
            if params.count_lines:
                keys.extend(line_keys(text, lines))
                counts.append(len(lines))
        else:
            found_facts.append(None)
        blanked.append(blank(text, found))
        spans.append(found)
    # Languages after the loop, not in it: the language model's tables stay in the cache
    # from one document to the next (a prediction ~45 us in a row, ~120 us between the
    # rules of each page). The language of the body (a cookie notice in English says nothing
    # of it), or of the page when all of it is noise.
    for item, fact, body in zip(items, found_facts, blanked, strict=True):
        if fact is None:
            facts.append(None)
        else:
            language = None
            if params.languages:
                language = detect_language(body) or detect_language(item.text)
            facts.append((fact.published, fact.dateline, fact.credits, language))
    cleaned = [clean_text(text, offsets=False) for text in blanked]
    sketches = sketch_texts(
        cleaned,
        params.shingle_size,
        Permutations.create(params.num_perm, params.seed),
        params.passage_words,
        params.passage_window,
    )
    lengths = np.fromiter((len(text) for text in cleaned), dtype=np.int64, count=len(cleaned))
    return BatchSketch(
        sketches.signatures,
        sketches.word_counts,
        sketches.fingerprints,
        sketches.fingerprint_offsets,
        np.array([_text_hash(text) for text in cleaned], dtype=np.uint64),
        lengths,
        [tuple((span.start, span.end, span.kind) for span in found) for found in spans],
        facts,
        np.array(keys, dtype=np.int64),
        np.array(counts, dtype=np.int64),
        [
            topic_terms(text, *((fact[3], fact[2]) if fact else (item.language, item.credits)))
            for text, fact, item in zip(blanked, facts, items, strict=True)
        ]
        if params.topics
        else [NO_TOPICS] * len(blanked),
        sentence_batch(blanked, params.static_model) if params.sentences else None,
    )


def _text_hash(text: CleanText) -> int:
    # xxh3 over the array, not a copy: a thirtieth of blake2b's time; the hash tells exact
    # copies apart (their lengths are compared too), in a scan and in an index, which stores
    # it (its format says which hash it holds)
    return xxhash.xxh3_64_intdigest(text.codes.data)
