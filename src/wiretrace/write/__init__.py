"""Write: the output contract (tables + summary) and the deduplicated export."""

from wiretrace.write.dedup import dedup
from wiretrace.write.tables import write_scan

__all__ = ["dedup", "write_scan"]
