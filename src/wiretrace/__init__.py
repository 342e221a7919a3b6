"""wiretrace: find where news text came from and where it went.

The public API is what ``__all__`` lists (pinned by ``tests/test_public_api.py``).
"""

from __future__ import annotations

__version__ = "0.1.0"

from wiretrace.config import FieldNames, ScanConfig
from wiretrace.errors import ConfigError, InputError, MissingExtraError, WiretraceError
from wiretrace.pipeline import ScanResult, scan
from wiretrace.records import (
    Document,
    Dropped,
    DuplicateGroup,
    Match,
    Passage,
    Relation,
    Skipped,
    Story,
)
from wiretrace.write import DedupResult, dedup, write_scan

__all__ = [
    "ConfigError",
    "DedupResult",
    "Document",
    "Dropped",
    "DuplicateGroup",
    "FieldNames",
    "InputError",
    "Match",
    "MissingExtraError",
    "Passage",
    "Relation",
    "ScanConfig",
    "ScanResult",
    "Skipped",
    "Story",
    "WiretraceError",
    "__version__",
    "dedup",
    "scan",
    "write_scan",
]
