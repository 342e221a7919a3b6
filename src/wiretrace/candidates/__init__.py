"""Candidates: signatures -> candidate pairs (LSH banding, then the signature estimate)."""

from wiretrace.candidates.lsh import candidate_pairs

__all__ = ["candidate_pairs"]
