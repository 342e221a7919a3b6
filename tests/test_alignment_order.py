"""Sentence alignment keeps mostly to the order of both texts."""

from __future__ import annotations

from wiretrace.compare.paraphrase import in_order


def test_the_longest_run_in_order_is_chosen() -> None:
    # partners of sentences 0..6; sentence 2 points far ahead, 5 points back
    assert in_order([0, 1, 7, 2, 3, 1, 4]) == [True, True, False, True, True, False, True]


def test_several_sentences_may_share_a_partner() -> None:
    assert in_order([0, 0, 1, 1]) == [True, True, True, True]
    assert in_order([]) == []
