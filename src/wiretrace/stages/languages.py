"""Across languages: translated copies, and stories of one event told in two languages.

Runs only on a corpus of more than one language (``documents.language``) with the semantic
stage on: an English-only corpus pays nothing. Every document's head (its first
``HEAD_CHARS`` characters outside boilerplate) is embedded by the multilingual model
(``semantic.multilingual``); each document's ``ACROSS_NEIGHBOURS`` nearest heads *in other
languages* are its candidates, kept when at least ``ACROSS_CANDIDATE`` alike.

- **Translation**: the sentences of both documents of a candidate pair are embedded, and
  sentence pairs at least ``TRANSLATION_SENTENCE`` alike are aligned as an ordered chain
  (``compare.derivation.ordered_chain``: the source's order kept, a sentence may be split in
  two). When the chain takes at least ``TRANSLATION_MIN_SENTENCES`` sentences and
  ``TRANSLATION_COVERAGE`` of the sentences of the document that has fewer, the pair is a
  ``translation``; its passages are the chained sentence pairs (kind ``translation``, with
  their cosines). On SemEval-2022's 383 pairs in two languages this called 3 pairs
  translations, each a machine translation of the other article by eye; reports of one event
  by two outlets stay below it (benchmarks/README.md, "Languages").
- **One story**: every other candidate pair is proposed to the story stage with the chance
  that it is one event, ``logistic(STORY_INTERCEPT + STORY_SLOPE * cosine)`` of the heads'
  cosine, fitted on SemEval-2022's rated pairs in two languages (leave-one-language-pair-out
  figures in benchmarks/README.md): words, names and headlines, the story model's evidence,
  are not comparable across languages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from wiretrace.backend import Backend
from wiretrace.clean.boilerplate import blank
from wiretrace.compare.derivation import Cells, chain_cells
from wiretrace.records import Match, Passage, Relation
from wiretrace.semantic.cosines import rounded
from wiretrace.semantic.multilingual import (
    DIMENSIONS,
    MULTILINGUAL_NAME,
    PACKAGE,
    TEXTS_PER_TASK,
    embed_texts,
)
from wiretrace.semantic.sentences import sentence_spans
from wiretrace.stages.sketching import Sketched
from wiretrace.stages.state import DocumentRows, Reporter

HEAD_CHARS = 600  # of a document's visible text, spaces collapsed: its head
ACROSS_NEIGHBOURS = 5
ACROSS_CANDIDATE = 0.45
TRANSLATION_SENTENCE = 0.65
TRANSLATION_COVERAGE = 0.6
TRANSLATION_MIN_SENTENCES = 3
MAX_SENTENCES = 400  # of a document, compared for translation
STORY_INTERCEPT = -6.81  # benchmarks/multilingual.py --stories fits both
STORY_SLOPE = 12.72
TRANSLATION = "translation"
_BLOCK = 1024  # query rows per matrix product


@dataclass(frozen=True, slots=True)
class Across:
    """What the stage found: translations, the pairs in two languages proposed as one story
    (indices into the sketched documents, ``i < j``) with the chance of one event, and what
    ``summary.json`` says of it."""

    translations: list[Match]
    pairs: NDArray[np.int64]
    chances: NDArray[np.float64]
    similarities: NDArray[np.float64]
    report: dict[str, Any] = field(default_factory=dict)

    def story_matches(self, ids: Sequence[str]) -> list[Match]:
        """The candidate pairs as ``same_story`` matches (the story stage keeps those it puts
        in one story as likely one event)."""
        found = []
        for (first, second), similarity in zip(
            self.pairs.tolist(), self.similarities.tolist(), strict=True
        ):
            a, b = sorted((ids[first], ids[second]))
            found.append(
                Match(a, b, Relation.SAME_STORY, 0.0, 0.0, 0.0, (), semantic=round(similarity, 4))
            )
        return found


def languages_of(sketched: Sketched, rows: DocumentRows) -> list[str | None]:
    return [rows.language[row] for row in sketched.rows]


def several_languages(languages: Sequence[str | None]) -> bool:
    return len({language for language in languages if language}) >= 2


def _embedded(
    backend: Backend, texts: list[str], advance: Callable[[int], None]
) -> NDArray[np.float16]:
    """``texts`` embedded by the backend's workers, in batches made by position."""
    batches = [
        texts[start : start + TEXTS_PER_TASK] for start in range(0, len(texts), TEXTS_PER_TASK)
    ]
    found = []
    for batch, vectors in zip(batches, backend.map(embed_texts, batches), strict=True):
        found.append(vectors)
        advance(len(batch))
    return np.concatenate(found) if found else np.zeros((0, DIMENSIONS), dtype=np.float16)


def head(text: str) -> str:
    return " ".join(text[: HEAD_CHARS * 4].split())[:HEAD_CHARS]


def cross_pairs(
    vectors: NDArray[np.float16], languages: Sequence[str | None], neighbours: int
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Pairs ``(i, j)``, ``i < j``, of documents in two languages where one is among the
    other's ``neighbours`` most similar documents in languages not its own, with their cosines
    (exact: products of half floats in float64; ties broken by position)."""
    data = vectors.astype(np.float64)
    tags = np.array([language or "" for language in languages], dtype=object)
    found: list[NDArray[np.int64]] = []
    for language in sorted({tag for tag in tags.tolist() if tag}):
        queries = np.flatnonzero(tags == language)
        others = np.flatnonzero((tags != language) & (tags != ""))
        if not len(others):
            continue
        keep = min(neighbours, len(others))
        for start in range(0, len(queries), _BLOCK):
            block = queries[start : start + _BLOCK]
            cosines = rounded(data[block] @ data[others].T)
            # most similar first, then the earlier document
            order = np.lexsort((np.broadcast_to(others, cosines.shape), -cosines), axis=1)
            nearest = others[order[:, :keep]]
            found.append(np.stack([np.repeat(block, keep), nearest.reshape(-1)], axis=1))
    if not found:
        return np.empty((0, 2), dtype=np.int64), np.empty(0, dtype=np.float64)
    pairs = np.unique(np.sort(np.concatenate(found), axis=1), axis=0).astype(np.int64)
    cosines = rounded(np.einsum("ij,ij->i", data[pairs[:, 0]], data[pairs[:, 1]]))
    return pairs, cosines


def story_chance(similarities: NDArray[np.float64]) -> NDArray[np.float64]:
    """The chance that two documents in two languages report one event, by their heads'
    cosine."""
    return 1.0 / (1.0 + np.exp(-(STORY_INTERCEPT + STORY_SLOPE * similarities)))


@dataclass(frozen=True, slots=True)
class _Sentences:
    spans: list[tuple[int, int]]
    vectors: NDArray[np.float16]


def _translation(
    first: _Sentences, second: _Sentences
) -> tuple[list[tuple[int, int, float]], bool] | None:
    """The chained sentence pairs ``(row of first, row of second, cosine)`` when ``first`` and
    ``second`` are translations of each other, else None."""
    swapped = len(second.spans) < len(first.spans)
    small, other = (second, first) if swapped else (first, second)
    if len(small.spans) < TRANSLATION_MIN_SENTENCES:
        return None
    cosines = rounded(small.vectors.astype(np.float64) @ other.vectors.astype(np.float64).T)
    rows, columns = np.nonzero(cosines >= TRANSLATION_SENTENCE)
    chain = chain_cells(Cells(rows, columns, cosines[rows, columns]))
    chained = len(chain.rows)
    if chained < TRANSLATION_MIN_SENTENCES or chained < TRANSLATION_COVERAGE * len(small.spans):
        return None
    cells = [
        (int(row), int(column), float(similarity))
        for row, column, similarity in zip(chain.rows, chain.columns, chain.similarity, strict=True)
    ]
    return cells, swapped


def _translation_match(
    ids: tuple[str, str],
    sentences: tuple[_Sentences, _Sentences],
    found: list[tuple[int, int, float]],
    swapped: bool,
) -> Match:
    """The match of a translation; its passages are the chained sentence pairs."""
    first, second = sentences
    passages = []
    for small_row, other_row, cosine in found:
        row, column = (other_row, small_row) if swapped else (small_row, other_row)
        (a_start, a_end), (b_start, b_end) = first.spans[row], second.spans[column]
        passages.append(Passage(a_start, a_end, b_start, b_end, TRANSLATION, round(cosine, 4)))
    if ids[0] > ids[1]:  # a match's a is the smaller id
        ids = (ids[1], ids[0])
        passages = [
            Passage(p.b_start, p.b_end, p.a_start, p.a_end, p.kind, p.similarity) for p in passages
        ]
        passages.sort(key=lambda p: (p.a_start, p.b_start))
    mean = sum(cosine for _, _, cosine in found) / len(found)
    return Match(
        ids[0],
        ids[1],
        Relation.TRANSLATION,
        0.0,
        0.0,
        0.0,
        tuple(passages),
        semantic=round(mean, 4),
    )


def across_stage(
    sketched: Sketched,
    rows: DocumentRows,
    backend: Backend,
    reporter: Reporter,
    days: NDArray[np.float64],
    window_days: float | None,
) -> Across | None:
    """Translations and story candidates across languages (published at most
    ``window_days`` apart where both dates are known); None for a corpus of one language."""
    languages = languages_of(sketched, rows)
    if not several_languages(languages):
        return None

    def visible(index: int) -> str:
        text = backend.spill.get(sketched.spilled[index])
        return blank(text, rows.boilerplate[sketched.rows[index]])

    count = len(sketched.ids)
    with reporter.stage("embed heads (languages)", count) as advance:
        heads = _embedded(backend, [head(visible(index)) for index in range(count)], advance)
    pairs, similarities = cross_pairs(heads, languages, ACROSS_NEIGHBOURS)
    kept = similarities >= ACROSS_CANDIDATE
    if window_days is not None:
        gap = np.abs(days[pairs[:, 0]] - days[pairs[:, 1]])
        kept &= np.isnan(gap) | (gap <= window_days)
    pairs, similarities = pairs[kept], similarities[kept]

    involved = np.unique(pairs).tolist()
    spans: dict[int, list[tuple[int, int]]] = {}
    texts: list[str] = []
    for index in involved:
        text = backend.spill.get(sketched.spilled[index])
        found = sentence_spans(text, rows.boilerplate[sketched.rows[index]])[:MAX_SENTENCES]
        spans[index] = found
        texts.extend(text[start:end] for start, end in found)
    with reporter.stage("embed sentences (languages)", len(texts)) as advance:
        vectors = _embedded(backend, texts, advance)
    sentences: dict[int, _Sentences] = {}
    start = 0
    for index in involved:
        end = start + len(spans[index])
        sentences[index] = _Sentences(spans[index], vectors[start:end])
        start = end

    translations = []
    story = np.ones(len(pairs), dtype=bool)
    for number, (first, second) in enumerate(pairs.tolist()):
        pair = (sentences[first], sentences[second])
        found_chain = _translation(*pair)
        if found_chain is None:
            continue
        cells, swapped = found_chain
        ids = (sketched.ids[first], sketched.ids[second])
        translations.append(_translation_match(ids, pair, cells, swapped))
        story[number] = False
    translations.sort(key=lambda match: (match.a, match.b))
    report = {
        "model": {"name": MULTILINGUAL_NAME, "package": PACKAGE},
        "languages": sorted({language for language in languages if language}),
        "candidate_pairs": len(pairs),
        "sentences": len(texts),
        "translations": len(translations),
    }
    return Across(
        translations,
        pairs[story],
        story_chance(similarities[story]),
        similarities[story],
        report,
    )


def with_translations(
    matches: list[Match], across: Across, ids: Sequence[str], stories: bool
) -> list[Match]:
    """``matches`` with the translations (where a pair has no stronger match than
    ``same_story``) and, with stories, the pairs in two languages as ``same_story``
    candidates; in order of the pair."""
    held = {(match.a, match.b): match.relation for match in matches}
    translated = {
        (match.a, match.b)
        for match in across.translations
        if held.get((match.a, match.b), Relation.SAME_STORY) == Relation.SAME_STORY
    }
    found = [match for match in matches if (match.a, match.b) not in translated]
    found += [match for match in across.translations if (match.a, match.b) in translated]
    if stories:
        found += [match for match in across.story_matches(ids) if (match.a, match.b) not in held]
    return sorted(found, key=lambda match: (match.a, match.b))
