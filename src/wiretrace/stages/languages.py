"""Text that is not English, and pairs across languages: translated copies, and stories of
one event told in other languages or in two of them.

The fast sentence model reads English (MiniLM's tokens): two unrelated German articles look
alike to it (cosine 0.94). So where a corpus holds documents in other languages (their
``documents.language``) and the semantic stage is on, the multilingual model
(``semantic.multilingual``) reads them instead; an English corpus pays nothing.

Every document's head (its first ``HEAD_CHARS`` characters outside boilerplate, at most
``semantic.multilingual.HEAD_TOKENS`` tokens) is embedded, each distinct text once.
Candidates: each document's ``NEIGHBOURS`` nearest heads in other languages and, for a
document not in English, in its own language, kept when at least ``CANDIDATE`` alike; a
document in a language the model does not know (``multilingual.LANGUAGES``) has none.

- **Translation** (pairs in two languages whose heads are at least ``TRANSLATION_HEAD``
  alike): the sentences of both documents are embedded, and sentence pairs at least
  ``TRANSLATION_SENTENCE`` alike are aligned as an ordered chain
  (``compare.derivation.chain_cells``: the order kept, a sentence may be split in two). When
  the chain takes at least ``TRANSLATION_MIN_SENTENCES`` sentences and
  ``TRANSLATION_COVERAGE`` of the sentences of the document that has fewer, the pair is a
  ``translation``; its passages are the chained sentence pairs (kind ``translation``, with
  their cosines). Same-language reports of one event reach such chains (one wire story
  rewritten by two outlets), which is why it is looked for only between languages; and not
  between two documents the copy scan already matched or put in one duplicate group.
- **One story**: every other candidate is proposed to the story stage with the chance that
  it is one event, a logistic of the heads' cosine fitted on SemEval-2022's rated pairs
  (``ACROSS`` for pairs in two languages, ``WITHIN`` for pairs in one language other than
  English; ``benchmarks/multilingual.py --stories`` fits both and gives their
  leave-one-out figures), and kept by the story stage where it holds event-level evidence
  as any story pair must, or joins two scripts whose numbers do not tell two events apart
  (``group.stories._in_two_scripts``). For a document not in English, the fast model's
  evidence is left out (``without_english_model``): its ``same_story`` matches, its
  neighbours by that model, and its lead (the story model without leads weighs its pairs).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import Any

import numpy as np
from numpy.typing import NDArray

from wiretrace.backend import Backend
from wiretrace.candidates.kernels import components
from wiretrace.clean.boilerplate import blank
from wiretrace.compare.derivation import Cells, chain_cells
from wiretrace.compare.relation import VERBATIM
from wiretrace.records import Match, Passage, Relation
from wiretrace.semantic.cosines import rounded
from wiretrace.semantic.multilingual import (
    DIMENSIONS,
    MULTILINGUAL_NAME,
    PACKAGE,
    TEXTS_PER_TASK,
    embed_heads,
    embed_texts,
)
from wiretrace.semantic.multilingual import (
    LANGUAGES as MODEL_LANGUAGES,
)
from wiretrace.semantic.sentences import sentence_spans
from wiretrace.stages.sketching import Sketched
from wiretrace.stages.state import DocumentRows, Reporter

HEAD_CHARS = 600  # of a document's visible text, spaces collapsed: its head
NEIGHBOURS = 5
CANDIDATE = 0.45
TRANSLATION_HEAD = 0.55  # the seed's German translation: 0.77
TRANSLATION_SENTENCE = 0.65
TRANSLATION_COVERAGE = 0.6
TRANSLATION_MIN_SENTENCES = 3
MAX_SENTENCES = 400  # of a document, compared for translation
# (intercept, slope) of the chance of one event by the heads' cosine: fitted by
# benchmarks/multilingual.py --stories (0.5 at 0.524 and 0.557)
ACROSS = (-6.56, 12.53)
WITHIN = (-5.19, 9.32)
TRANSLATION = "translation"
_BLOCK = 1024  # query rows per matrix product


@dataclass(frozen=True, slots=True)
class Across:
    """What the stage found: translations, the pairs proposed as one story (indices into the
    sketched documents, ``i < j``) with the chance of one event, which documents are in
    English (or of no known language), and what ``summary.json`` says of it."""

    translations: list[Match]
    pairs: NDArray[np.int64]
    chances: NDArray[np.float64]
    similarities: NDArray[np.float64]
    english: NDArray[np.bool_]
    report: dict[str, Any] = field(default_factory=dict)
    # every document's head vector (zeros where its language is unknown to the model) and
    # which documents have one: the stories' leads of the text not in English
    heads: NDArray[np.float16] | None = None
    headed: NDArray[np.bool_] | None = None

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


def english(languages: Sequence[str | None]) -> NDArray[np.bool_]:
    """Which documents the fast (English) model reads: English, or of no known language."""
    return np.array([language in (None, "en") for language in languages], dtype=bool)


def _embedded(
    backend: Backend,
    texts: list[str],
    advance: Callable[[int], None],
    embed: Callable[[list[str]], NDArray[np.float16]] = embed_texts,
) -> NDArray[np.float16]:
    """``texts`` embedded by the backend's workers, each distinct text once (copies share
    their heads and sentences), in batches made by position of first appearance."""
    distinct = list(dict.fromkeys(texts))
    batches = [
        distinct[start : start + TEXTS_PER_TASK]
        for start in range(0, len(distinct), TEXTS_PER_TASK)
    ]
    found = []
    for batch, vectors in zip(batches, backend.map(embed, batches), strict=True):
        found.append(vectors)
        advance(len(batch))
    if not found:
        return np.zeros((len(texts), DIMENSIONS), dtype=np.float16)
    row = {text: number for number, text in enumerate(distinct)}
    return np.concatenate(found)[[row[text] for text in texts]]


def head(text: str) -> str:
    return " ".join(text[: HEAD_CHARS * 4].split())[:HEAD_CHARS]


def _nearest(
    data: NDArray[np.float64], queries: NDArray[np.intp], base: NDArray[np.intp], keep: int
) -> NDArray[np.int64]:
    """Pairs ``(query, document)``: each query's ``keep`` most similar documents of ``base``
    other than itself (exact cosines of half floats; ties broken by position)."""
    found: list[NDArray[np.int64]] = []
    keep = min(keep, len(base) - int(bool(np.isin(queries, base).any())))
    if keep <= 0:
        return np.empty((0, 2), dtype=np.int64)
    for start in range(0, len(queries), _BLOCK):
        block = queries[start : start + _BLOCK]
        cosines = rounded(data[block] @ data[base].T)
        cosines[block[:, None] == base[None, :]] = -np.inf  # not itself
        # most similar first, then the earlier document
        order = np.lexsort((np.broadcast_to(base, cosines.shape), -cosines), axis=1)
        nearest = base[order[:, :keep]]
        found.append(np.stack([np.repeat(block, keep), nearest.reshape(-1)], axis=1))
    return np.concatenate(found).astype(np.int64)


def candidate_pairs(
    vectors: NDArray[np.float16], languages: Sequence[str | None], neighbours: int
) -> tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.bool_]]:
    """Pairs ``(i, j)``, ``i < j``, where one is among the other's ``neighbours`` most
    similar documents in other languages, or, for a document not in English, in its own;
    their cosines, and whether the two are in two languages."""
    data = vectors.astype(np.float64)
    # a language the model does not know takes part in no pair (``multilingual.LANGUAGES``)
    tags = np.array(
        [language if language in MODEL_LANGUAGES else "" for language in languages], dtype=object
    )
    found: list[NDArray[np.int64]] = [np.empty((0, 2), dtype=np.int64)]
    for language in sorted({tag for tag in tags.tolist() if tag}):
        queries = np.flatnonzero(tags == language)
        found.append(
            _nearest(data, queries, np.flatnonzero((tags != language) & (tags != "")), neighbours)
        )
        if language != "en":
            found.append(_nearest(data, queries, queries, neighbours))
    pairs = np.unique(np.sort(np.concatenate(found), axis=1), axis=0).astype(np.int64)
    cosines = rounded(np.einsum("ij,ij->i", data[pairs[:, 0]], data[pairs[:, 1]]))
    return pairs, cosines, tags[pairs[:, 0]] != tags[pairs[:, 1]]


def story_chance(
    similarities: NDArray[np.float64], across: NDArray[np.bool_]
) -> NDArray[np.float64]:
    """The chance that two documents report one event, by their heads' cosine: ``ACROSS``
    for a pair in two languages, ``WITHIN`` for one in a language other than English."""
    intercept = np.where(across, ACROSS[0], WITHIN[0])
    slope = np.where(across, ACROSS[1], WITHIN[1])
    chance: NDArray[np.float64] = 1.0 / (1.0 + np.exp(-(intercept + slope * similarities)))
    return chance


_NO_VECTORS = np.empty((0, 0), dtype=np.float16)


@dataclass(frozen=True, slots=True)
class _Sentences:
    spans: list[tuple[int, int]]
    vectors: NDArray[np.float16]
    # each two neighbouring sentences as one text (rows ``i`` and ``i + 1``), embedded only
    # for the pairs whose chain comes close (``_translation``)
    joined: NDArray[np.float16] = field(default_factory=lambda: _NO_VECTORS)


def _split_in_two(
    cosines: NDArray[np.float64],
    joined: NDArray[np.float64],
    split: list[tuple[int, int]],
    whole: list[tuple[int, int]],
) -> NDArray[np.float64]:
    """``cosines`` (the sentences of one document, ``split``'s spans, by those of the other,
    ``whole``'s) where two neighbouring sentences of the first, read as one text (``joined``,
    by the other's sentences), are one sentence of the other: each other's likeliest
    partner (the two before any other sentence of the other; that sentence before any other
    sentence or neighbouring two of the first), more alike than either half alone, and
    about as long (two thirds to three halves). Both cells take the two's cosine. A
    translator who splits a long sentence leaves halves that are each only partly the whole
    (0.50 and 0.56 in a new user's German version of a wire story; together 0.70). Reports
    of one subject in two languages hold many sentences that are all somewhat alike, where
    nothing stands out (SemEval-2022: without the partners and the lengths, reports of
    Huawei's new tablet in German and French were translations)."""
    found = cosines.copy()
    if not joined.size:
        return found
    two = np.array([second[1] - first[0] for first, second in pairwise(split)], np.float64)
    one = np.array([end - start for start, end in whole], dtype=np.float64)
    ratio = two[:, None] / np.maximum(one[None, :], 1.0)
    # each other's likeliest: the one sentence the two are most alike, and the two that
    # sentence is more alike than any other two or any one sentence (a tie stands out not)
    mine = joined == joined.max(axis=1, keepdims=True)
    mine &= mine.sum(axis=1, keepdims=True) == 1
    top = joined.max(axis=0)
    theirs = (joined == top) & ((joined == top).sum(axis=0) == 1) & (top > cosines.max(axis=0))
    better = (
        mine
        & theirs
        & (joined > np.maximum(cosines[:-1], cosines[1:]))
        & (ratio >= 2 / 3)
        & (ratio <= 3 / 2)
    )
    found[:-1] = np.where(better, np.maximum(found[:-1], joined), found[:-1])
    found[1:] = np.where(better, np.maximum(found[1:], joined), found[1:])
    return found


def _translation(
    first: _Sentences, second: _Sentences
) -> tuple[list[tuple[int, int, float]], bool] | bool:
    """The chained sentence pairs ``(row of first, row of second, cosine)`` when ``first`` and
    ``second`` are translations of each other; else whether the chain came close (half the
    sentences it needs: two sentences read as one, ``_split_in_two``, may make up the rest,
    and are embedded for such pairs alone)."""
    swapped = len(second.spans) < len(first.spans)
    small, other = (second, first) if swapped else (first, second)
    if len(small.spans) < TRANSLATION_MIN_SENTENCES:
        return False
    mine, theirs = small.vectors.astype(np.float64), other.vectors.astype(np.float64)
    cosines = rounded(mine @ theirs.T)
    if small.joined.size:
        joined = rounded(small.joined.astype(np.float64) @ theirs.T)
        cosines = _split_in_two(cosines, joined, small.spans, other.spans)
    if other.joined.size:
        joined = rounded(other.joined.astype(np.float64) @ mine.T)
        cosines = _split_in_two(cosines.T, joined, other.spans, small.spans).T
    rows, columns = np.nonzero(cosines >= TRANSLATION_SENTENCE)
    chain = chain_cells(Cells(rows, columns, cosines[rows, columns]))
    chained = len(chain.rows)
    needed = max(TRANSLATION_MIN_SENTENCES, TRANSLATION_COVERAGE * len(small.spans))
    if chained < needed:
        return chained >= needed / 2
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
    matches: Sequence[Match] = (),
) -> Across | None:
    """Translations, and story candidates read by the multilingual model (published at
    most ``window_days`` apart where both dates are known; pairs ``matches`` holds by more
    than one story are not looked at as translations); None for a corpus in English."""
    languages = languages_of(sketched, rows)
    read_in_english = english(languages)
    if read_in_english.all():
        return None

    def visible(index: int) -> str:
        text = backend.spill.get(sketched.spilled[index])
        return blank(text, rows.boilerplate[sketched.rows[index]])

    count = len(sketched.ids)
    # a document in a language the model does not know gets no head: it has no pairs
    texts_of_heads = [
        head(visible(index)) if languages[index] in MODEL_LANGUAGES else ""
        for index in range(count)
    ]
    with reporter.stage("embed heads (languages)", len(set(texts_of_heads))) as advance:
        heads = _embedded(backend, texts_of_heads, advance, embed_heads)
    pairs, similarities, across = candidate_pairs(heads, languages, NEIGHBOURS)
    kept = similarities >= CANDIDATE
    if window_days is not None:
        gap = np.abs(days[pairs[:, 0]] - days[pairs[:, 1]])
        kept &= np.isnan(gap) | (gap <= window_days)
    pairs, similarities, across = pairs[kept], similarities[kept], across[kept]

    # a pair the copy scan already matched keeps that match (``with_translations``), and
    # copies of one text (a duplicate group, whose members are not all compared) are no
    # translations of each other whatever language their pages were taken for
    matched = {(match.a, match.b) for match in matches if match.relation != Relation.SAME_STORY}
    position = {doc_id: index for index, doc_id in enumerate(sketched.ids)}
    copies = np.array(
        [(position[m.a], position[m.b]) for m in matches if m.relation.is_copy], dtype=np.int64
    ).reshape(-1, 2)
    group = components(len(sketched.ids), copies)
    checked = (
        across
        & (similarities >= TRANSLATION_HEAD)
        & np.array(
            [
                group[first] != group[second]
                and tuple(sorted((sketched.ids[first], sketched.ids[second]))) not in matched
                for first, second in pairs.tolist()
            ],
            dtype=bool,
        ).reshape(-1)
    )
    involved = np.unique(pairs[checked]).tolist()
    spans: dict[int, list[tuple[int, int]]] = {}
    texts: list[str] = []
    for index in involved:
        text = backend.spill.get(sketched.spilled[index])
        found = sentence_spans(text, rows.boilerplate[sketched.rows[index]])[:MAX_SENTENCES]
        spans[index] = found
        texts.extend(text[start:end] for start, end in found)
    with reporter.stage("embed sentences (languages)", len(set(texts))) as advance:
        vectors = _embedded(backend, texts, advance)
    sentences: dict[int, _Sentences] = {}
    start = 0
    for index in involved:
        end = start + len(spans[index])
        sentences[index] = _Sentences(spans[index], vectors[start:end])
        start = end

    translations = []
    story = np.ones(len(pairs), dtype=bool)

    def look_for_translations(numbers: list[int]) -> list[int]:
        """Record the pairs ``numbers`` that are translations; return those that came close."""
        close = []
        for number in numbers:
            first, second = pairs[number].tolist()
            pair = (sentences[first], sentences[second])
            found = _translation(*pair)
            if isinstance(found, bool):
                if found:
                    close.append(number)
                continue
            ids = (sketched.ids[first], sketched.ids[second])
            translations.append(_translation_match(ids, pair, *found))
            story[number] = False
        return close

    close = look_for_translations(np.flatnonzero(checked).tolist())
    if close:  # again, their neighbouring sentences read as one too
        joined_in = np.unique(pairs[close]).tolist()
        texts_joined: list[str] = []
        for index in joined_in:
            text = backend.spill.get(sketched.spilled[index])
            texts_joined.extend(text[a[0] : b[1]] for a, b in pairwise(spans[index]))
        with reporter.stage("embed joined sentences (languages)", len(texts_joined)) as advance:
            vectors = _embedded(backend, texts_joined, advance)
        start = 0
        for index in joined_in:
            end = start + max(0, len(spans[index]) - 1)
            sentences[index] = replace(sentences[index], joined=vectors[start:end])
            start = end
        look_for_translations(close)
        texts.extend(texts_joined)
    translations.sort(key=lambda match: (match.a, match.b))
    report = {
        "model": {"name": MULTILINGUAL_NAME, "package": PACKAGE},
        "languages": sorted({language for language in languages if language}),
        "candidate_pairs": len(pairs),
        "candidate_pairs_in_two_languages": int(across.sum()),
        "sentences": len(texts),
        "translations": len(translations),
    }
    return Across(
        translations,
        pairs[story],
        story_chance(similarities[story], across[story]),
        similarities[story],
        read_in_english,
        report,
        heads,
        np.array([bool(text) for text in texts_of_heads], dtype=bool),
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


def without_english_model(
    matches: list[Match],
    similar: NDArray[np.int64] | None,
    read_in_english: NDArray[np.bool_],
    ids: Sequence[str],
) -> tuple[list[Match], NDArray[np.int64] | None]:
    """The fast model's evidence on documents not in English left out: their ``same_story``
    matches, their ``paraphrase`` matches (its sentence cosines, which find two German
    summaries of one event a rewrite; the verbatim passages of one are kept as ``partial``),
    the rewritten sentences it paired inside any other match (two Chinese reports' unrelated
    sentences at 0.87) with its scores, and their neighbours by it (their leads are left out
    by the story stage)."""
    position = {doc_id: index for index, doc_id in enumerate(ids)}
    kept = []
    for match in matches:
        if read_in_english[position[match.a]] and read_in_english[position[match.b]]:
            kept.append(match)
        elif match.relation != Relation.SAME_STORY:
            verbatim = tuple(p for p in match.passages if p.kind == VERBATIM)
            if match.relation == Relation.PARAPHRASE and not verbatim:
                continue
            relation = Relation.PARTIAL if match.relation == Relation.PARAPHRASE else None
            kept.append(
                replace(
                    match,
                    relation=relation or match.relation,
                    passages=verbatim,
                    semantic=None,
                    derivation=None,
                )
            )
    if similar is not None:
        similar = similar[read_in_english[similar[:, 0]] & read_in_english[similar[:, 1]]]
    return kept, similar
