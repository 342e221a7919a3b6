"""Passage candidates: a paragraph lifted into a long document is compared and found."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.corpus import VOCABULARY, random_text
from wiretrace import ScanConfig, scan
from wiretrace.candidates.passages import passage_pairs
from wiretrace.clean import clean_text
from wiretrace.compare.align import prepare
from wiretrace.sketch import Permutations, sketch_texts

CONFIG = ScanConfig(semantic=False)


def _fingerprints(texts: list[str], window: int = 4) -> list[np.ndarray]:
    sketches = sketch_texts(
        [clean_text(text, offsets=False) for text in texts], 5, Permutations.create(8, 1), 8, window
    )
    offsets = sketches.fingerprint_offsets
    return [sketches.fingerprints[offsets[i] : offsets[i + 1]] for i in range(len(texts))]


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 10**6),
    window=st.integers(1, 6),
    before=st.integers(0, 40),
    after=st.integers(0, 40),
)
def test_a_shared_run_of_the_guaranteed_length_always_shares_a_fingerprint(
    seed: int, window: int, before: int, after: int
) -> None:
    generator = random.Random(seed)
    shared = " ".join(generator.choice(VOCABULARY) for _ in range(8 + window - 1))
    first = f"{random_text(generator, before)} {shared} {random_text(generator, 30)}"
    second = f"{random_text(generator, after)} {shared}"
    a, b = _fingerprints([first, second], window)
    assert np.intersect1d(a, b).size >= 1


def _write(path: Path, records: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    return path


def test_a_paragraph_lifted_into_a_long_document_is_found_with_its_offsets(
    tmp_path: Path, on_backend: Callable[[], Any]
) -> None:
    generator = random.Random(3)
    paragraph = random_text(generator, 50)
    source = f"{random_text(generator, 200)}\n\n{paragraph}\n\n{random_text(generator, 150)}"
    before = random_text(generator, 2_000) + "\n\n"
    host = before + paragraph + "\n\n" + random_text(generator, 2_000)
    others = [{"id": f"x{i}", "text": random_text(generator, 400)} for i in range(20)]
    corpus = _write(
        tmp_path / "c.jsonl", [{"id": "host", "text": host}, {"id": "src", "text": source}, *others]
    )
    without = scan(corpus, ScanConfig(semantic=False, passage_window=0))
    assert not without.matches  # the whole documents are far apart: LSH alone never proposes it
    result = scan(corpus, CONFIG, backend=on_backend())  # on every backend
    assert [(m.a, m.b, m.relation.value) for m in result.matches] == [("host", "src", "partial")]
    (passage,) = result.matches[0].passages
    words = paragraph.rstrip(".")  # a passage runs from its first word to its last
    assert host[passage.a_start : passage.a_end] == words
    assert source[passage.b_start : passage.b_end] == words
    assert result.summary["counts"]["passage_candidate_pairs"] == 1


def test_a_phrase_that_many_unrelated_documents_share_is_no_match(tmp_path: Path) -> None:
    generator = random.Random(5)
    phrase = "anyone with information is asked to call the police tip line at once"
    records = [
        {
            "id": f"d{i:02d}",
            "text": f"{random_text(generator, 150)} {phrase}. {random_text(generator, 150)}",
        }
        for i in range(40)
    ]
    result = scan(_write(tmp_path / "c.jsonl", records), CONFIG)
    assert result.matches == ()
    assert result.summary["counts"]["passage_candidate_pairs"] == 0


def test_a_passage_of_a_story_copied_many_times_is_still_found() -> None:
    """Copies of one story count once: the lifting document is proposed with one of them,
    however many copies there are."""
    generator = random.Random(7)
    paragraph = random_text(generator, 60)
    story = f"{random_text(generator, 100)} {paragraph} {random_text(generator, 100)}"
    copies = [story] * 30
    host = f"{random_text(generator, 800)} {paragraph} {random_text(generator, 800)}"
    fingerprints = _fingerprints([*copies, host])
    copy_pairs = np.array([(0, i) for i in range(1, 30)], dtype=np.int64)
    pairs, _ = passage_pairs(fingerprints, copy_pairs, max_groups=8)
    assert pairs.tolist() == [[0, 30]]
    pairs, too_common = passage_pairs(fingerprints, np.empty((0, 2), dtype=np.int64), 8)
    assert pairs.size == 0 and too_common > 0  # counted as 31 documents, it is too common


def test_passage_work_is_bounded_by_the_documents_a_fingerprint_may_name() -> None:
    generator = random.Random(9)
    shared = random_text(generator, 40)
    texts = [
        f"{random_text(generator, 50)} {shared} {random_text(generator, 50)}" for _ in range(9)
    ]
    fingerprints = _fingerprints(texts)
    none = np.empty((0, 2), dtype=np.int64)
    assert len(passage_pairs(fingerprints, none, max_groups=9)[0]) == 36  # every pair
    assert len(passage_pairs(fingerprints[:8], none, max_groups=8)[0]) == 28
    assert len(passage_pairs(fingerprints, none, max_groups=8)[0]) == 0  # nine: too common


def test_a_passage_s_words_are_counted_as_a_reader_counts_them(tmp_path: Path) -> None:
    # "U.S." and "Sedlabanki's" are one word each, not two: a court's name of 7 words made a
    # verbatim passage of 8 and a new user's wire story 'partial' with its own follow-up
    text = "They went to the 10th U.S. Circuit Court of Appeals; Sedlabanki's 3.5 rate isn't set."
    prepared = prepare(text, 5)
    spans = zip(prepared.word_starts.tolist(), prepared.word_ends.tolist(), strict=True)
    words = [text[start:end] for start, end in spans]
    court = words.index("the"), words.index("Appeals") + 1
    assert court[1] - court[0] == 8  # as shingled
    assert prepared.fifths(*court) == 5 * 7
    rest = words.index("Sedlabanki"), len(words)
    assert prepared.fifths(*rest) == 5 * 5  # Sedlabanki's, 3.5, rate, isn't, set
    # a character that is a word of its own counts three fifths, after a dot or not
    assert prepare("中.国.人.民.银.行.宣.布", 5).fifths(0, 8) == 8 * 3

    def relations(shared: str, name: str) -> list[str]:
        records = [
            {"id": "a", "text": f"A town's ban was blocked. It will appeal at {shared}, soon."},
            {"id": "b", "text": f"Lawyers filed a case before {shared}. The hearing is in May."},
        ]
        path = _write(tmp_path / f"{name}.jsonl", records)
        return [match.relation.value for match in scan([path], CONFIG).matches]

    assert relations("the 10th U.S. Circuit Court of Appeals", "seven") == []
    assert relations("the 10th U.S. Circuit Court of Appeals in Denver", "eight") == ["partial"]
