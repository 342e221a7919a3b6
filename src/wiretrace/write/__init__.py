"""Write: the output contract (tables + summary) and the deduplicated export."""

from wiretrace.write.dedup import DedupResult, dedup
from wiretrace.write.tables import write_scan

__all__ = ["DedupResult", "dedup", "write_scan"]
