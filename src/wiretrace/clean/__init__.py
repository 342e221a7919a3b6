"""Clean: normalised text for matching, with an offset map back to the original text."""

from wiretrace.clean.normalize import CleanText, clean_text, word_table

__all__ = ["CleanText", "clean_text", "word_table"]
