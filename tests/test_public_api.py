"""The public API is small and pinned: a change to it must change this test."""

import wiretrace

EXPECTED = {
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
}


def test_exported_members() -> None:
    assert set(wiretrace.__all__) == EXPECTED
    for name in wiretrace.__all__:
        assert hasattr(wiretrace, name), name


def test_errors_share_one_root() -> None:
    for error in (wiretrace.InputError, wiretrace.ConfigError, wiretrace.MissingExtraError):
        assert issubclass(error, wiretrace.WiretraceError)
