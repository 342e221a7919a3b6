"""Candidates: signatures -> candidate pairs (LSH banding)."""

from wiretrace.candidates.lsh import candidate_pairs, likely_pairs

__all__ = ["candidate_pairs", "likely_pairs"]
