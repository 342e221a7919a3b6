"""The fast paths give what the paths they replace give (issue 29): each is checked against
the slower code it stands for, on generated input of every kind that code handles."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from wiretrace.clean.normalize import (
    UNICODE_SIZE,
    _letters_marks_digits,
    fold_table,
    run_table,
)
from wiretrace.read.sources import _json_checked, _json_record


def test_the_word_table_looks_at_every_code_point_that_can_be_a_word() -> None:
    every = _letters_marks_digits(0, UNICODE_SIZE).copy()
    every[fold_table() != np.arange(UNICODE_SIZE, dtype=np.uint32)] = 0
    assert np.array_equal(run_table(), every)


_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(),
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=12,
)


@st.composite
def _json_lines(draw: st.DrawFn) -> bytes:
    """A JSONL line as writers make them (ASCII-escaped or not, surrogates in escapes), a
    line of another JSON value, or bytes that are not JSON at all."""
    kind = draw(st.sampled_from(["record", "record", "value", "bytes", "surrogate"]))
    if kind == "bytes":
        return draw(st.binary(max_size=60))
    if kind == "surrogate":
        escape = draw(st.sampled_from(["\\ud800", "\\udfff", "\\ud83d\\ude00", "\\ud83d"]))
        return ('{"id": "a", "text": "x' + escape + 'y"}').encode()
    value = draw(st.dictionaries(st.text(max_size=8), _VALUES, max_size=5))
    if kind == "value":
        value = draw(_VALUES)
    line = json.dumps(value, ensure_ascii=draw(st.booleans()))
    bom = draw(st.sampled_from([b"", b"", b"\xef\xbb\xbf"]))
    end = draw(st.sampled_from([b"", b"\n", b"\r\n"]))
    return bom + line.encode("utf-8", "surrogatepass") + end


def _same(a: Any, b: Any) -> bool:
    """Equal, NaN equal to NaN and types compared too (1 is not 1.0 here)."""
    if isinstance(a, float) and isinstance(b, float) and a != a and b != b:
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


@settings(max_examples=400, deadline=None)
@given(_json_lines())
def test_a_jsonl_line_reads_as_json_reads_it(raw: bytes) -> None:
    assert _same(_json_record(raw, "in.jsonl:1"), _json_checked(raw, "in.jsonl:1"))


def test_the_slower_json_path_reads_what_orjson_would_misread() -> None:
    long = b'{"id": 123456789012345678901234567890, "text": "t"}'
    record = _json_record(long, "in.jsonl:1")
    assert isinstance(record, dict) and record["id"] == 123456789012345678901234567890


def test_a_record_nested_too_deep_is_skipped_as_before() -> None:
    for depth in (60, 99, 100, 150, 2000):
        raw = b'{"a": ' + b"[" * depth + b"]" * depth + b"}"
        fast, checked = _json_record(raw, "in.jsonl:1"), _json_checked(raw, "in.jsonl:1")
        assert fast == checked, depth
