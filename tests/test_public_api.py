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


def test_wrong_arguments_are_refused_by_wiretrace_s_own_errors(tmp_path: object) -> None:
    """What a notebook passes by mistake is refused with a one-line error of the family,
    never read as something else: an empty path (it was the working folder, scanned whole),
    a record or bytes for the inputs, an article's text for a path, a dict for the config,
    a string for a policy's number; one id given as a string is that id."""
    import pytest

    from wiretrace import ConfigError, InputError, ScanConfig, scan
    from wiretrace.index import Index, UpdatePolicy

    for inputs, said in [
        ("", "empty"),
        ([""], "empty"),
        (b"corpus.jsonl", "bytes"),
        ({"id": "1", "text": "A record."}, "JSON-lines"),
        (None, "NoneType"),
        ("A text given as a path. " * 20, "no path"),
    ]:
        with pytest.raises(InputError, match=said):
            scan(inputs)  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="config must be a ScanConfig, got dict"):
        scan("corpus.jsonl", {"semantic": False})  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="whole_below must be an integer"):
        UpdatePolicy(whole_below="x")  # type: ignore[arg-type]
    config = ScanConfig(workers=1, semantic=False)
    with (
        Index.create(f"{tmp_path}/index", config) as index,
        pytest.raises(InputError, match="no document 'wire' in the index"),
    ):
        index.remove("wire")
