"""wiretrace: find where news text came from and where it went.

The public API is what ``__all__`` lists (pinned by ``tests/test_public_api.py``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

from wiretrace.config import FieldNames, ScanConfig
from wiretrace.errors import ConfigError, InputError, MissingExtraError, WiretraceError
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

if TYPE_CHECKING:
    from wiretrace.pipeline import ScanResult, scan
    from wiretrace.write.dedup import DedupResult, dedup
    from wiretrace.write.tables import write_scan

# The engine is imported on first use: a worker process imports the stage it runs and not
# every stage, table writer and their libraries (pandas under pyarrow.dataset, igraph,
# faiss): ~1.5 s of each spawned worker's start before.
_ENGINE = {
    "ScanResult": "wiretrace.pipeline",
    "scan": "wiretrace.pipeline",
    "DedupResult": "wiretrace.write",
    "dedup": "wiretrace.write",
    "write_scan": "wiretrace.write",
}


def __getattr__(name: str) -> Any:
    module = _ENGINE.get(name)
    if module is None:
        raise AttributeError(f"module 'wiretrace' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_ENGINE})


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
