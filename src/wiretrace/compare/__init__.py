"""Compare: candidate pair -> match or nothing (exact similarity, passages, relation)."""

from wiretrace.compare.align import Prepared, WordPassage, align, prepare
from wiretrace.compare.relation import compare_pair

__all__ = ["Prepared", "WordPassage", "align", "compare_pair", "prepare"]
