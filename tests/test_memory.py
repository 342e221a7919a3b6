"""Memory bounded by a batch's bytes, not by record size times pairs (issue 23, point 8).

Near-identical huge records were each kept prepared by the comparer for the whole scan (375
MB for a 15 MB record), sketched in one batch whatever their size, and compared a sentence
against every sentence of the other record in one matrix. The tests measure allocations with
tracemalloc (numpy reports its arrays to it), never wall-clock time.
"""

from __future__ import annotations

import gc
import json
import random
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from numpy.typing import NDArray

import wiretrace.compare.pairs
import wiretrace.stages.compare
import wiretrace.stages.sketching
from tests.corpus import edit, random_text
from wiretrace import Match, ScanConfig, scan
from wiretrace.collector import keep, spared
from wiretrace.compare import paraphrase
from wiretrace.compare.pairs import CompareSources, PairBatch
from wiretrace.compare.paraphrase import SemanticDocument, align_sentences, semantic_document
from wiretrace.sketch.batch import BatchItem, BatchSketch, SketchParams

MIB = 2**20


def _near_identical(path: Path, records: int, paragraphs: int, seed: int = 5) -> dict[str, str]:
    """``records`` copies of one text of ``paragraphs`` paragraphs (~700 characters each),
    each with about one word in a thousand edited, written as JSONL; the texts by id."""
    generator = random.Random(seed)
    base = [random_text(generator, 120) for _ in range(paragraphs)]
    texts = {
        f"r{number:02d}": "\n\n".join(edit(generator, paragraph, 0.001) for paragraph in base)
        for number in range(records)
    }
    lines = (json.dumps({"id": key, "text": text}) for key, text in texts.items())
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return texts


def test_the_comparer_holds_its_budget_and_one_pair_not_every_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Six near-identical ~1 MB records, fifteen pairs: the compare stage's peak is the
    comparer's budget of prepared documents plus what one pair needs, about 25 bytes a
    character of the pair (its two documents prepared, the alignment's arrays, one document
    being cleaned); before, every record stayed prepared at ~30 bytes a character."""
    budget = 8 * MIB
    monkeypatch.setattr(wiretrace.compare.pairs, "_KEPT_BYTES", budget, raising=False)
    texts = _near_identical(tmp_path / "records.jsonl", records=6, paragraphs=1_400)
    pair_chars = 2 * max(map(len, texts.values()))
    assert pair_chars > 1.8 * MIB
    peaks = _stage_peaks(monkeypatch, "compare_stage")
    result = scan(tmp_path / "records.jsonl", ScanConfig(semantic=False, workers=1))
    assert len(result.matches) == 15
    assert peaks["compare_stage"] < budget + 30 * pair_chars, peaks


def _stage_peaks(monkeypatch: pytest.MonkeyPatch, *stages: str) -> dict[str, int]:
    """The peak of traced allocations above their level at the start of each of ``stages``
    (functions the scan calls from ``wiretrace.pipeline``), filled in as the scan runs.
    Tracing only there keeps the rest of the scan at its usual speed."""
    import wiretrace.pipeline

    peaks: dict[str, int] = {}
    for name in stages:
        function = getattr(wiretrace.pipeline, name)

        def traced(*args: Any, _name: str = name, _function: Callable[..., Any] = function) -> Any:
            tracemalloc.start()
            try:
                start = tracemalloc.get_traced_memory()[0]
                found = _function(*args)
                peaks[_name] = tracemalloc.get_traced_memory()[1] - start
            finally:
                tracemalloc.stop()
            return found

        monkeypatch.setattr(wiretrace.pipeline, name, traced)
    return peaks


def test_batches_are_cut_by_their_characters_not_only_by_their_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sketch batch closes at ``_BATCH_CHARS`` characters, a batch of pairs once its pairs'
    documents reach ``_COMPARE_BATCH_CHARS`` (each pair's two counted): both are held whole,
    and a count of records or pairs alone let one batch hold every huge record. Limits are
    lowered here to cut thirty 20 KB records, which 2,048 records and 2,000 pairs would not."""
    texts = _near_identical(tmp_path / "records.jsonl", records=30, paragraphs=24)
    record_chars = max(map(len, texts.values()))
    sketch_limit, compare_limit = 100_000, 400_000
    monkeypatch.setattr(wiretrace.stages.sketching, "_BATCH_CHARS", sketch_limit, raising=False)
    monkeypatch.setattr(
        wiretrace.stages.compare, "_COMPARE_BATCH_CHARS", compare_limit, raising=False
    )
    sketched: list[int] = []
    compared: list[int] = []
    sketch_batch = wiretrace.stages.sketching.sketch_batch
    compare_batch = wiretrace.stages.compare.compare_batch

    def sketching(items: list[BatchItem], params: SketchParams) -> BatchSketch:
        sketched.append(sum(len(item.text) for item in items))
        return sketch_batch(items, params)

    def comparing(sources: CompareSources, batch: PairBatch) -> list[Match]:
        chars = [len(texts[batch.ids[number]]) for number in batch.pairs.ravel().tolist()]
        compared.append(sum(chars))
        return compare_batch(sources, batch)

    monkeypatch.setattr(wiretrace.stages.sketching, "sketch_batch", sketching)
    monkeypatch.setattr(wiretrace.stages.compare, "compare_batch", comparing)
    result = scan(tmp_path / "records.jsonl", ScanConfig(semantic=False, workers=1))
    assert len(result.matches) == 30 * 29 // 2
    assert sum(sketched) >= sum(map(len, texts.values()))  # and again those with recurring lines
    assert len(sketched) > 1 and max(sketched) < sketch_limit + record_chars
    assert len(compared) > 1 and max(compared) < compare_limit + 2 * record_chars


def _document(sentences: NDArray[np.float32]) -> SemanticDocument:
    """A document of one short sentence for each row of ``sentences`` (its vector)."""
    text = " ".join(f"word{index} other{index % 7}." for index in range(len(sentences)))
    spans, start = [], 0
    for index in range(len(sentences)):
        end = start + len(f"word{index} other{index % 7}.")
        spans.append((start, end))
        start = end + 1
    found = np.asarray(spans, dtype=np.int32)
    vector = sentences.mean(axis=0).astype(np.float32)
    return semantic_document(text, found, sentences, vector)


def test_sentence_similarities_are_made_a_block_at_a_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two documents of 2,000 and 2,500 sentences: their similarity matrix (20 MB of float32)
    is never held whole, only blocks of ``_SIMILARITY_CELLS``."""
    generator = np.random.default_rng(3)
    vectors = generator.normal(size=(4_500, 32)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    a, b = _document(vectors[:2_000]), _document(vectors[2_000:])
    monkeypatch.setattr(paraphrase, "_SIMILARITY_CELLS", 1 << 16, raising=False)
    tracemalloc.start()
    try:
        align_sentences(a, b, 0.5, 0.6)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 * MIB, peak


@pytest.mark.parametrize("small_is_a", [True, False])
def test_blocks_of_similarities_find_the_partners_of_the_whole_matrix(
    monkeypatch: pytest.MonkeyPatch, small_is_a: bool
) -> None:
    """Oracle: the best partner of each sentence and its similarity, by blocks and from the
    whole matrix at once. Vectors of small integers make every product exact, whatever order
    the sums run in, so that the blocks must find equal values; ties (frequent here) go to
    the first partner both ways."""
    generator = np.random.default_rng(5)
    in_a = generator.integers(-2, 3, size=(300, 8)).astype(np.float32)
    in_b = generator.integers(-2, 3, size=(170, 8)).astype(np.float32)
    whole = in_a @ in_b.T if small_is_a else (in_a @ in_b.T).T
    expected = whole.argmax(axis=1)
    monkeypatch.setattr(paraphrase, "_SIMILARITY_CELLS", 1_000, raising=False)
    partners, scores = paraphrase._best_partners(in_a, in_b, small_is_a)
    assert partners.tolist() == expected.tolist()
    assert scores.tolist() == whole[np.arange(len(expected)), expected].tolist()


def test_what_a_scan_keeps_is_spared_by_the_collector_until_it_ends(tmp_path: Path) -> None:
    """A scan freezes what its stages made (the collector leaves it alone) and unfreezes it
    as it ends, so that a program that scans keeps its memory collectable; blocks nest, and
    ``keep`` outside one freezes nothing."""
    keep()
    assert gc.get_freeze_count() == 0
    with spared():
        with spared():
            keep()
        assert gc.get_freeze_count() > 0  # the outer block is still open
    assert gc.get_freeze_count() == 0
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        "".join(
            json.dumps({"id": f"d{n}", "text": random_text(random.Random(n), 200)}) + "\n"
            for n in range(5)
        ),
        encoding="utf-8",
    )
    frozen: list[int] = []
    original = gc.freeze

    def counted() -> None:
        original()
        frozen.append(gc.get_freeze_count())

    gc.freeze = counted  # type: ignore[assignment]
    try:
        scan(corpus, ScanConfig(workers=1))
    finally:
        gc.freeze = original  # type: ignore[assignment]
    assert frozen and max(frozen) > 0
    assert gc.get_freeze_count() == 0
