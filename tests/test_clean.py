"""Cleaning: folding rules, and the offset map back into the original text."""

from __future__ import annotations

import unicodedata

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from wiretrace.clean import clean_text, word_table
from wiretrace.sketch import words_and_shingles


def test_folds_case_quotes_dashes_and_whitespace() -> None:
    clean = clean_text("  The “Taliban’s”\u00a0advance — FAST\n\n\tand ﬁerce  ")
    assert clean.text == 'the "taliban\'s" advance - fast\nand fierce'


def test_every_clean_character_points_into_the_original() -> None:
    original = "Straße ÉCOLE ﬁne a\u0301b ＡＢＣ “q”"
    clean = clean_text(original)
    assert clean.starts.size == len(clean) == clean.ends.size
    for index, char in enumerate(clean.text):
        piece = original[clean.starts[index] : clean.ends[index]]
        if char in " \n":
            assert piece.isspace()
            continue
        folded = unicodedata.normalize("NFKC", piece).casefold()
        assert char in folded or char in "'\"-", (char, piece)


text_strategy = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs",), whitelist_categories=("L", "M", "N", "P", "S", "Z", "Cc")
    ),
    max_size=200,
)


@settings(max_examples=200, deadline=None)
@given(text_strategy)
def test_offsets_are_monotone_and_in_range(original: str) -> None:
    clean = clean_text(original)
    assert np.all(np.diff(clean.starts) >= 0)
    assert np.all(clean.starts < clean.ends)
    assert np.all(clean.ends <= len(original))


@settings(max_examples=200, deadline=None)
@given(text_strategy)
def test_words_do_not_depend_on_offsets(original: str) -> None:
    with_map = clean_text(original)
    without = clean_text(original, offsets=False)
    assert np.array_equal(with_map.codes, without.codes)
    words = words_and_shingles(with_map, 5)
    table = word_table()
    for start, end in zip(words.starts.tolist(), words.ends.tolist(), strict=True):
        assert all(table[code] for code in with_map.codes[start:end])
        begin, stop = with_map.original_span(start, end)
        assert 0 <= begin < stop <= len(original)


def test_quote_like_modifier_letters_split_words_like_apostrophes() -> None:
    # U+02BC is a letter (Lm) but folds to an apostrophe: both spellings give the same words.
    first = words_and_shingles(clean_text("don\u02bct stop"), 5)
    second = words_and_shingles(clean_text("don't stop"), 5)
    assert np.array_equal(first.shingles, second.shingles)
