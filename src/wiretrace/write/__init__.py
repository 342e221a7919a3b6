"""Write: the output contract (tables + summary) and the deduplicated export."""

from wiretrace.write.dedup import dedup
from wiretrace.write.tables import TABLES, write_scan

__all__ = ["TABLES", "dedup", "write_scan"]
