"""Arrow arrays built from their buffers (``wiretrace.arrow``) are the arrays ``pa.array``
builds, for every type of the output contract, nulls at every level included."""

from __future__ import annotations

import math
import subprocess
import sys
from typing import Any

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wiretrace import arrow
from wiretrace.write.tables import SCHEMAS

_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)


def _values(kind: pa.DataType) -> st.SearchStrategy[Any]:
    """Values ``pa.array`` takes as ``kind``, or None."""
    if kind == pa.string():
        found: st.SearchStrategy[Any] = _TEXT
    elif kind == pa.int64():
        found = st.integers(-(2**63), 2**63 - 1)
    elif kind == pa.float64():
        found = st.floats(allow_nan=True, allow_infinity=True)
    elif pa.types.is_list(kind):
        found = st.lists(_values(kind.value_type), max_size=4)
        found = found | found.map(tuple)
    else:  # a struct: a dict by field name, or a tuple in the fields' order
        found = st.fixed_dictionaries({field.name: _values(field.type) for field in kind})
        found = found | st.tuples(*[_values(field.type) for field in kind])
    return st.none() | found


_KINDS = [field.type for schema in SCHEMAS.values() for field in schema]


@st.composite
def _columns(draw: st.DrawFn) -> tuple[pa.DataType, list[Any]]:
    kind = draw(st.sampled_from(_KINDS))
    return kind, draw(st.lists(_values(kind), max_size=6))


@settings(max_examples=400, deadline=None)
@given(_columns())
def test_a_column_is_the_array_pyarrow_builds(found: tuple[pa.DataType, list[Any]]) -> None:
    kind, values = found
    try:
        expected = pa.array(values, type=kind)
    except pa.ArrowException as error:  # a struct column of dicts and tuples both
        with pytest.raises(type(error)):
            arrow.column(values, kind)
        return
    built = arrow.column(values, kind)
    built.validate(full=True)
    assert built.type == expected.type
    assert built.null_count == expected.null_count
    assert _seen(built.to_pylist()) == _seen(expected.to_pylist())


def _seen(value: Any) -> Any:
    """``value`` with NaN comparable (NaN is no NaN's equal)."""
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    if isinstance(value, list):
        return [_seen(item) for item in value]
    if isinstance(value, dict):
        return {key: _seen(item) for key, item in value.items()}
    return value


def _outcome(build: Any, values: list[Any], kind: pa.DataType) -> Any:
    """The array's values, or the kind of error building it raised."""
    try:
        return build(values, type=kind).to_pylist()
    except (pa.ArrowException, OverflowError, UnicodeEncodeError, TypeError) as error:
        return type(error)


def test_values_the_builders_do_not_take_are_left_to_pyarrow() -> None:
    # a bool or a float where an integer is asked, an int where a float is, a numpy value,
    # a number too big for 64 bits, a lone surrogate, a set where a list is
    odd = [
        ([True, None], pa.int64()),
        ([1.5], pa.int64()),
        ([3, 2.5], pa.float64()),
        ([2**53 + 1], pa.float64()),
        ([np.int64(3)], pa.int64()),
        ([2**64], pa.int64()),
        (["\ud800"], pa.string()),
        ([{"a"}], pa.list_(pa.string())),
    ]
    for values, kind in odd:
        expected = _outcome(pa.array, values, kind)
        assert _outcome(lambda v, type: arrow.column(v, type), values, kind) == expected


def test_writing_a_scan_does_not_import_pandas(tmp_path: Any) -> None:
    # pyarrow imports pandas wherever it is installed to convert Python values: 0.4-0.6 s of
    # every scan, in the one process that works while the others wait
    corpus = tmp_path / "c.jsonl"
    text = "One two three four five six seven eight nine ten eleven twelve thirteen."
    corpus.write_text(f'{{"id": "a", "text": "{text}"}}\n{{"id": "b", "text": "{text}"}}\n')
    code = (
        "import sys\n"
        "from wiretrace import ScanConfig, scan\n"
        "from wiretrace.write.tables import write_scan\n"
        f"result = scan([{str(corpus)!r}], ScanConfig(semantic=False))\n"
        f"write_scan(result, {str(tmp_path / 'out')!r})\n"
        "print('pandas' in sys.modules)\n"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.strip().splitlines()[-1] == "False"
