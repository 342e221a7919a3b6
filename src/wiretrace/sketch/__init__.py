"""Sketch: clean text -> words -> shingles -> MinHash signatures."""

from wiretrace.sketch.minhash import (
    Permutations,
    Sketches,
    Words,
    sketch_texts,
    words_and_shingles,
)

__all__ = ["Permutations", "Sketches", "Words", "sketch_texts", "words_and_shingles"]
