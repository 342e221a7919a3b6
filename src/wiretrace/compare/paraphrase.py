"""Rewrites: sentences of one document said again in other words in the other.

Each sentence of the document with less text is paired with its most similar sentence of the
other (cosine of sentence embeddings; several sentences may pair with one); pairs out of the
order of both texts count only when strongly alike (the ``strong`` threshold of the sentence
model, ``ScanConfig.semantic_thresholds``). A pair at or above its ``sentence`` threshold
whose words overlap less than ``paraphrase_max_overlap`` is a rewritten sentence (above that
overlap it is a copy, which the verbatim passages show). The relation of the pair of documents
then follows DESIGN.md's order, strongest first:

- a copy relation found by the verbatim comparison (``exact``, ``near_duplicate``,
  ``contained``) stands;
- ``paraphrase`` when rewritten sentences cover more of the smaller document than lifted
  verbatim passages do (a verbatim stretch inside a rewritten sentence is part of the rewrite),
  and either they cover at least ``paraphrase_coverage`` of it with at least
  ``paraphrase_min_sentences`` of them at the ``strong`` threshold or more, or at least
  ``paraphrase_min_derived`` sentences are rewritten and a verbatim stretch inside one of them
  shows that it was derived from the other, or (a careful rewrite that keeps no sentence very
  close) the ordered chain of aligned sentences (``compare.derivation``) has at least
  ``paraphrase_min_chain`` sentences and covers at least ``paraphrase_chain_coverage`` of the
  smaller document, or (a rewrite that says each sentence less closely) a chain that also
  takes sentence pairs sharing a fact a little below the threshold steps through both texts
  together and keeps most of its facts (``derivation.ANCHOR_MARGIN``), or (a passage
  retold inside a longer text) a run of at least ``paraphrase_min_passage`` sentence pairs in
  stride that keep their content words, away from both texts' openings and endings
  (``derivation.passage_run``). Independent texts
  on one topic also have sentences that say much the same, but they rarely share a verbatim
  stretch of 8 words, and they do not retell the other sentence by sentence in its order,
  with its facts;
- ``partial`` when verbatim passages remain;
- ``same_story`` when the documents' vectors are at least ``same_story`` alike (for the fast
  model, vectors without the corpus mean);
- else nothing.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import pairwise

import numpy as np
from numpy.typing import NDArray

from wiretrace.clean.normalize import WORD
from wiretrace.compare.derivation import (
    ANCHOR_MARGIN,
    FACTS_KEPT,
    NO_CELLS,
    PASSAGE_MARGIN,
    SENTENCES_KEPT,
    Cells,
    anchored,
    chain_cells,
    chain_derivation,
    derivation,
    facts,
    facts_kept,
    in_stride,
    passage_run,
)
from wiretrace.config import ScanConfig, SemanticThresholds
from wiretrace.records import Derivation, Match, Passage, Relation
from wiretrace.semantic.cosines import best_and_alike, cosine

PARAPHRASE = "paraphrase"
_SIMILARITY_CELLS = 1 << 21  # sentence similarities held at a time: 16 MiB of float64
_WORD = WORD  # a Chinese or Japanese character is a word


@dataclass(frozen=True, slots=True)
class SemanticDocument:
    """A document's sentences (original offsets), their embeddings and its own embedding."""

    text: str
    sentences: list[tuple[int, int]]
    # one row per sentence, L2-normalised: half-float values, held in float64 (in which the
    # cosines' products and sums are exact)
    vectors: NDArray[np.float64]
    vector: NDArray[np.float32]  # the document, as documents are compared (see decide)
    chars: int  # of its sentences
    _words: dict[int, frozenset[str]] = field(default_factory=dict)
    _facts: dict[int, tuple[frozenset[str], frozenset[str]]] = field(default_factory=dict)

    def words(self, sentence: int) -> frozenset[str]:
        """The words of one sentence, for the lexical check. Found when first asked: only
        sentences that align with another's ever are (a regular expression over every
        sentence of every compared document cost more than the rest of the comparison)."""
        found = self._words.get(sentence)
        if found is None:
            start, end = self.sentences[sentence]
            found = self._words[sentence] = words_of(self.text[start:end])
        return found

    def facts(self, sentence: int) -> tuple[frozenset[str], frozenset[str]]:
        """The numbers and names of one sentence (``derivation.facts``), found when first
        asked, like its words."""
        found = self._facts.get(sentence)
        if found is None:
            start, end = self.sentences[sentence]
            found = self._facts[sentence] = facts(self.text[start:end])
        return found


@lru_cache(maxsize=SENTENCES_KEPT)
def words_of(sentence: str) -> frozenset[str]:
    """The words of a sentence, lower-cased. Kept by the sentence's text: pairs are compared
    because they share text, so the same sentence comes back in other documents (wire copy,
    lifted passages) long after its document left the comparer's cache."""
    return frozenset(_WORD.findall(sentence.lower()))


def semantic_document(
    text: str,
    sentences: NDArray[np.int32],
    vectors: NDArray[np.float32] | NDArray[np.float16],
    vector: NDArray[np.float32],
) -> SemanticDocument:
    spans = [(start, end) for start, end in sentences.tolist()]
    chars = sum(end - start for start, end in spans)
    # float64 once, not at each pair: half-float values, so the same values exactly
    return SemanticDocument(text, spans, vectors.astype(np.float64), vector, chars)


@dataclass(frozen=True, slots=True)
class SentencePair:
    a: int  # sentence index in document a
    b: int
    similarity: float
    overlap: float  # Jaccard of the two sentences' words


def _overlap(first: frozenset[str], second: frozenset[str]) -> float:
    union = len(first | second)
    return len(first & second) / union if union else 0.0


def align_sentences(
    a: SemanticDocument, b: SemanticDocument, min_similarity: float, moved_similarity: float
) -> list[SentencePair]:
    """Each sentence of the document with less text and its best partner in the other, when
    at least ``min_similarity`` alike (several may pair with one). Order is mostly preserved:
    the pairs on the longest run in the order of both texts stand; a pair out of that order
    (a sentence moved) stands only when at least ``moved_similarity`` alike, so that stray
    matches of similar-sounding sentences elsewhere in the text do not count as a rewrite."""
    if not a.sentences or not b.sentences:
        return []
    small_is_a = a.chars <= b.chars
    partners, scores = _best_partners(a.vectors, b.vectors, small_is_a)
    return _aligned(a, b, small_is_a, partners, scores, min_similarity, moved_similarity)


def _aligned(
    a: SemanticDocument,
    b: SemanticDocument,
    small_is_a: bool,
    partners: NDArray[np.intp],
    scores: NDArray[np.float64],
    min_similarity: float,
    moved_similarity: float,
) -> list[SentencePair]:
    """``align_sentences`` from each sentence's best partner and its score."""
    found: list[tuple[int, int, float]] = []
    for index, partner in enumerate(partners.tolist()):
        score = float(scores[index])
        if score >= min_similarity:
            found.append((index, partner, score))
    ordered = in_order([partner for _, partner, _ in found])
    pairs: list[SentencePair] = []
    for (index, partner, score), kept in zip(found, ordered, strict=True):
        if not kept and score < moved_similarity:
            continue
        in_a, in_b = (index, partner) if small_is_a else (partner, index)
        overlap = _overlap(a.words(in_a), b.words(in_b))
        pairs.append(SentencePair(in_a, in_b, score, overlap))
    return sorted(pairs, key=lambda pair: (pair.a, pair.b))


def _chained(
    a: SemanticDocument, b: SemanticDocument, small_is_a: bool, chain: Cells, config: ScanConfig
) -> list[SentencePair]:
    """The chain's sentence pairs whose words overlap less than ``paraphrase_max_overlap``
    (the others are copies, which the verbatim passages show)."""
    pairs = []
    for row, column, similarity in zip(
        chain.rows.tolist(), chain.columns.tolist(), chain.similarity.tolist(), strict=True
    ):
        in_a, in_b = (row, column) if small_is_a else (column, row)
        overlap = _overlap(a.words(in_a), b.words(in_b))
        if overlap < config.paraphrase_max_overlap:
            pairs.append(SentencePair(in_a, in_b, similarity, overlap))
    return pairs


def _best_partners(
    in_a: NDArray[np.floating], in_b: NDArray[np.floating], small_is_a: bool
) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
    """For each sentence of the document with less text, its most similar sentence of the
    other and their similarity (``_similar`` without its cells)."""
    partners, scores, _ = _similar(in_a, in_b, small_is_a, np.inf)
    return partners, scores


def _similar(
    in_a: NDArray[np.floating], in_b: NDArray[np.floating], small_is_a: bool, floor: float
) -> tuple[NDArray[np.intp], NDArray[np.float64], Cells]:
    """For each sentence of the document with less text, its most similar sentence of the
    other and their similarity; and every pair of sentences at least ``floor`` alike (rows
    of the smaller side ascending, then columns). The similarities are made a block of the
    smaller side's sentences at a time, ``_SIMILARITY_CELLS`` at most (one block for news
    articles): the whole matrix is sentences_a x sentences_b, 90 GB for two 15 MB records
    (issue 23). The cosines are exact and rounded (``sentence_cosines``), so a block holds
    the same values as the whole product on every machine; of two equally alike partners
    the one earlier in the text is taken."""
    rows, other = (in_a, in_b) if small_is_a else (in_b, in_a)
    other = np.asarray(other, dtype=np.float64)  # once for every block
    step = max(1, _SIMILARITY_CELLS // max(1, other.shape[0]))
    blocks = [
        (start, best_and_alike(rows[start : start + step], other, floor))
        for start in range(0, rows.shape[0], step)
    ]
    if len(blocks) == 1:  # news articles: no copies
        partners, scores, cell_rows, columns, similarity = blocks[0][1]
    else:
        partners, scores, cell_rows, columns, similarity = (
            np.concatenate([block[part] + (start if part == 2 else 0) for start, block in blocks])
            for part in range(5)
        )
    if not cell_rows.size:
        return partners, scores, NO_CELLS
    return partners, scores, Cells(cell_rows, columns, similarity)


def in_order(partners: list[int]) -> list[bool]:
    """Which items lie on one longest non-decreasing run of ``partners`` (patience sorting:
    the alignment's backbone, in the order of both texts)."""
    tails: list[int] = []  # tails[k]: index of the smallest last item of a run of length k+1
    before = [-1] * len(partners)
    for index, partner in enumerate(partners):
        low, high = 0, len(tails)
        while low < high:  # first run whose last item is greater than this one
            middle = (low + high) // 2
            if partners[tails[middle]] <= partner:
                low = middle + 1
            else:
                high = middle
        before[index] = tails[low - 1] if low else -1
        if low == len(tails):
            tails.append(index)
        else:
            tails[low] = index
    chosen = [False] * len(partners)
    index = tails[-1] if tails else -1
    while index >= 0:
        chosen[index] = True
        index = before[index]
    return chosen


def _inside(span: tuple[int, int], sentences: list[tuple[int, int]]) -> bool:
    """Whether most of ``span`` lies in one of ``sentences``."""
    start, end = span
    return any(min(end, last) - max(start, first) >= (end - start) / 2 for first, last in sentences)


def _not_inside(
    spans: list[tuple[int, int]], sentences: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """The ``spans`` of which no one of ``sentences`` holds most (``_inside``). A document's
    sentences lie apart, so only those that end after a span starts and start before it ends
    are looked at (every one was, for every span: a tenth of a pair's comparison)."""
    ordered = sorted(sentences)
    ends = [last for _, last in ordered]
    if any(later < earlier for earlier, later in pairwise(ends)):  # nested: each one
        return [span for span in spans if not _inside(span, sentences)]
    kept = []
    for span in spans:
        start, end = span
        if end <= start:
            inside = _inside(span, sentences)
        else:
            at, inside = bisect_right(ends, start), False
            while not inside and at < len(ordered) and ordered[at][0] < end:
                first, last = ordered[at]
                inside = min(end, last) - max(start, first) >= (end - start) / 2
                at += 1
        if not inside:
            kept.append(span)
    return kept


def _mostly_in(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    """Whether ``spans`` cover at least half of ``span``."""
    start, end = span
    clipped = [(max(start, first), min(end, last)) for first, last in spans]
    return 2 * _covered_chars([part for part in clipped if part[0] < part[1]]) >= end - start


def _a_name(text: str) -> bool:
    """Whether a verbatim stretch is mostly capitalised words: a name with its title ("Andrew
    Wetzler, director of the Natural Resources Defense Council's Endangered Species Program",
    "Fish and Wildlife Service or the National Marine Fisheries"), which every report spells
    the same, so that sharing it proves nothing of how a sentence was written. Scripts
    without capitals never are."""
    words = _WORD.findall(text)
    capitalised = sum(word[0].isupper() for word in words)
    return bool(5 * capitalised >= 3 * len(words) > 0)


def _covered_chars(spans: list[tuple[int, int]]) -> int:
    covered, reach = 0, 0
    for start, end in sorted(spans):
        if end > reach:
            covered += end - max(start, reach)
            reach = end
    return covered


def decide(
    verbatim: Match | None,
    scores: tuple[float, float, float],
    a_id: str,
    a: SemanticDocument,
    b_id: str,
    b: SemanticDocument,
    config: ScanConfig,
    thresholds: SemanticThresholds,
) -> Match | None:
    """The relation of a pair from its verbatim match (or None) and its sentences; ``a_id`` <
    ``b_id``; ``scores`` are the pair's Jaccard and containments."""
    document_similarity = round(cosine(a.vector, b.vector), 4)
    if verbatim is not None and verbatim.relation.is_copy:
        return replace(verbatim, semantic=document_similarity)
    small_is_a = a.chars <= b.chars
    small, other = (a, b) if small_is_a else (b, a)
    aligned: list[SentencePair] = []
    cells = near = NO_CELLS
    if a.sentences and b.sentences:
        partners, similarities, near = _similar(
            a.vectors, b.vectors, small_is_a, thresholds.sentence - ANCHOR_MARGIN
        )
        cells = near.at_least(thresholds.sentence)
        aligned = _aligned(
            a, b, small_is_a, partners, similarities, thresholds.sentence, thresholds.strong
        )
    rewritten = [pair for pair in aligned if pair.overlap < config.paraphrase_max_overlap]
    verbatim_passages = verbatim.passages if verbatim is not None else ()
    verbatim_spans = [
        (passage.a_start, passage.a_end) if small_is_a else (passage.b_start, passage.b_end)
        for passage in verbatim_passages
    ]

    def shares(rewritten: list[SentencePair]) -> tuple[float, float, int]:
        """The share of the smaller document the rewritten sentences cover, the share verbatim
        passages outside them cover, and how many rewritten sentences are derived: a verbatim
        stretch lies inside one that is surely rewritten (the sentence carried over and
        edited around the words it kept: proof that it was derived from the other, where a
        sentence only somewhat alike that shares a stock phrase, "of four counts of bribery
        and one of misconduct in public office", restates a fact as any report may), and none
        is mostly verbatim (a sentence cut short at a text's edge, "...ates at 4.5 percent on
        Thursday, saying", is the copy of its whole, not a rewrite of it: two cuts of one
        story share a passage, ``partial``)."""
        spans = [small.sentences[pair.a if small_is_a else pair.b] for pair in rewritten]
        lifted = _not_inside(verbatim_spans, spans)
        total = max(1, small.chars)
        derived = 0
        carried = [
            span
            for span, pair in zip(spans, rewritten, strict=True)
            if pair.similarity >= thresholds.strong
        ]
        kept = [span for span in verbatim_spans if not _a_name(small.text[span[0] : span[1]])]
        if len(_not_inside(kept, carried)) < len(kept):
            # each sentence of the other text accounts for one rewritten sentence: three
            # sentences that each restate one sentence of the other are not three rewrites
            derived = len(
                {
                    pair.b if small_is_a else pair.a
                    for span, pair in zip(spans, rewritten, strict=True)
                    if not _mostly_in(span, verbatim_spans)
                }
            )
        return _covered_chars(spans) / total, _covered_chars(lifted) / total, derived

    rewritten_share, verbatim_share, derived = shares(rewritten)
    strong = sum(pair.similarity >= thresholds.strong for pair in rewritten)
    rewrite = (
        strong >= config.paraphrase_min_sentences and rewritten_share >= config.paraphrase_coverage
    ) or derived >= config.paraphrase_min_derived
    evidence: Derivation | None = None
    judged = rewritten  # the sentence pairs the shares above are of
    if not rewrite and cells.row_count() >= config.paraphrase_min_chain:
        # a careful rewrite keeps no sentence very close, but it follows its source sentence
        # by sentence: an ordered chain that accounts for most of the shorter text
        chain = chain_cells(cells)
        evidence = chain_derivation(small, other, chain)
        if (
            evidence.chain >= config.paraphrase_min_chain
            and evidence.coverage >= config.paraphrase_chain_coverage
            # none left when every chained pair is a copy: the verbatim passages show it
            and (chained := _chained(a, b, small_is_a, chain, config))
        ):
            # shown as the chain: its sentence pairs in the order of both texts
            rewrite, rewritten = True, chained
    if (
        not rewrite
        and len(near.rows) > len(cells.rows)
        and near.row_count() >= config.paraphrase_min_chain
    ):
        # a careful rewrite says each sentence again less closely, but keeps its facts: the
        # sentence pairs that share one align too, where the chain steps through both texts
        # together and keeps most of their facts
        facts_held = anchored(small, other, near, thresholds.sentence)
        chain = chain_cells(facts_held)
        found = chain_derivation(small, other, chain)
        if (
            in_stride(chain) >= config.paraphrase_min_chain
            and found.coverage >= config.paraphrase_chain_coverage
            and facts_kept(small, other, chain) >= FACTS_KEPT
            and (chained := _chained(a, b, small_is_a, chain, config))
        ):
            evidence, rewrite, rewritten = found, True, chained
    if not rewrite and near.row_count() >= config.paraphrase_min_passage:
        # a passage rewritten inside a longer text: a run of sentence pairs in stride that
        # keep the source's words, away from the openings and endings where every report of
        # an event and every page say the same
        run = passage_run(small, other, near, thresholds.sentence - PASSAGE_MARGIN)
        chained = _chained(a, b, small_is_a, run, config)
        # counted without the sentences copied word for word: "She was 91." in two
        # obituaries is shown as the verbatim passage it is, and proves no rewrite
        if len(chained) >= config.paraphrase_min_passage:
            evidence, rewrite, rewritten = chain_derivation(small, other, run), True, chained
    if rewritten is not judged:  # shown as a chain or a run: the shares of its pairs
        rewritten_share, verbatim_share, _ = shares(rewritten)
    # a sentence copied word for word is shown as the verbatim passage that holds it, not
    # also as the rewrite of a sentence no verbatim passage holds (a lifted paragraph's
    # sentence beside an unrelated one at 0.75); one held on both sides stays (it shows the
    # whole sentence the passage is part of)
    copied_a = [(passage.a_start, passage.a_end) for passage in verbatim_passages]
    copied_b = [(passage.b_start, passage.b_end) for passage in verbatim_passages]
    paraphrases = tuple(
        Passage(
            *a.sentences[pair.a],
            *b.sentences[pair.b],
            kind=PARAPHRASE,
            similarity=round(pair.similarity, 4),
        )
        for pair in rewritten
        if _mostly_in(a.sentences[pair.a], copied_a) == _mostly_in(b.sentences[pair.b], copied_b)
    )
    if rewrite and rewritten_share > verbatim_share:
        relation = Relation.PARAPHRASE
    elif verbatim is not None:
        relation = Relation.PARTIAL
    elif document_similarity >= thresholds.same_story:
        relation = Relation.SAME_STORY
    else:
        return None
    passages = tuple(
        sorted(
            (*verbatim_passages, *paraphrases),
            key=lambda passage: (passage.a_start, passage.b_start, passage.kind),
        )
    )
    return Match(
        a_id,
        b_id,
        relation,
        *scores,
        passages=passages,
        semantic=document_similarity,
        # worked out only for the pairs that are matches: most compared pairs are not
        derivation=derivation(small, other, cells) if evidence is None else evidence,
    )
