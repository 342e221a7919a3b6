"""Sentence spans in original-text offsets, boilerplate excluded.

Lines are split first (headlines and captions have no full stop), then each line by
blingfire's sentence breaker, which knows abbreviations ("Mr.", "U.S.", "Jan.") and quotes.
"""

from __future__ import annotations

from collections.abc import Sequence

from wiretrace.clean.boilerplate import blank, line_spans
from wiretrace.records import Span

MIN_WORDS = 3  # shorter pieces ("Read more", "— No regrets —") carry no statement


def sentence_spans(text: str, boilerplate: Sequence[Span] = ()) -> list[tuple[int, int]]:
    """``[start, end)`` of each sentence of ``text`` outside its boilerplate."""
    import blingfire

    visible = blank(text, boilerplate)
    spans: list[tuple[int, int]] = []
    for line_start, line_end in line_spans(visible):
        line = visible[line_start:line_end]
        _, offsets = blingfire.text_to_sentences_and_offsets(line)
        for start, end in offsets:
            piece = line[start:end]
            stripped = piece.strip()
            if len(stripped.split()) < MIN_WORDS:
                continue
            first = start + len(piece) - len(piece.lstrip())
            spans.append((line_start + first, line_start + first + len(stripped)))
    return spans
