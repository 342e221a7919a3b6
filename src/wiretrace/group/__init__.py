"""Group: matches -> duplicate groups (and, later, stories and provenance)."""

from wiretrace.group.duplicates import DocumentFacts, duplicate_groups, published_key

__all__ = ["DocumentFacts", "duplicate_groups", "published_key"]
