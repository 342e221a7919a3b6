"""Arrow arrays from Python values, built from their buffers.

``pa.array`` (and so ``pa.table`` and ``Table.from_pylist``) asks pandas, where it is
installed, whether its input is one of pandas' arrays, and so imports it: 0.4-0.6 s of every
scan's writing, in the one process that works while the others wait, for a library the scan
never uses. The types of the output contract (strings, 64-bit integers and floats, lists and
structs of them, each nullable) are few enough to build directly; any other type, and any
value these builders cannot take as ``pa.array`` would (a string that is no valid UTF-8, an
integer beyond 64 bits), is left to ``pa.array``, so that what it accepts or refuses stays
the same. ``tests/test_arrow.py`` holds the arrays to ``pa.array``'s.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

_MOST_OFFSET = 2**31 - 1  # a string or list array's offsets are 32-bit


class _UnbuildableError(Exception):
    """Values these builders do not take: ``pa.array`` decides."""


def column(values: Sequence[Any], kind: pa.DataType) -> pa.Array[Any]:
    """``pa.array(values, type=kind)``, built without asking pandas where it can be."""
    try:
        return _array(values, kind)
    except (_UnbuildableError, UnicodeEncodeError, OverflowError, TypeError, ValueError):
        return pa.array(values, type=kind)


def table(columns: Mapping[str, Any], schema: pa.Schema) -> pa.Table:
    """``pa.table(columns, schema=schema)`` (every field of the schema a column)."""
    arrays = [column(columns[field.name], field.type) for field in schema]
    return pa.Table.from_arrays(arrays, schema=schema)


def _validity(values: Sequence[Any]) -> tuple[pa.Buffer | None, NDArray[np.bool_] | None]:
    """The validity bitmap of ``values`` (None where none is null) and where they are null."""
    nulls = np.fromiter((value is None for value in values), dtype=bool, count=len(values))
    if not nulls.any():
        return None, None
    return pa.py_buffer(np.packbits(~nulls, bitorder="little").tobytes()), nulls


def _offsets(sizes: Sequence[int], large: bool = False) -> pa.Buffer:
    """Where each value starts, and the end: 32-bit, or 64-bit for a ``large`` type."""
    offsets = np.zeros(len(sizes) + 1, dtype=np.int64)
    np.cumsum(sizes, out=offsets[1:])
    if large:
        return pa.py_buffer(offsets.tobytes())
    if offsets[-1] > _MOST_OFFSET:
        raise _UnbuildableError
    return pa.py_buffer(offsets.astype(np.int32).tobytes())


def _array(values: Sequence[Any], kind: pa.DataType) -> pa.Array[Any]:
    count = len(values)
    validity, nulls = _validity(values)
    if kind in (pa.string(), pa.large_string()):
        encoded = [b"" if value is None else _text(value).encode() for value in values]
        offsets = _offsets([len(data) for data in encoded], kind == pa.large_string())
        return pa.Array.from_buffers(
            kind, count, [validity, offsets, pa.py_buffer(b"".join(encoded))]
        )
    if kind in (pa.int64(), pa.float64()):
        number = int if kind == pa.int64() else float
        dtype = np.int64 if kind == pa.int64() else np.float64
        found = np.fromiter(
            (0 if value is None else _number(value, number) for value in values), dtype, count
        )
        return pa.Array.from_buffers(kind, count, [validity, pa.py_buffer(found.tobytes())])
    if pa.types.is_list(kind):
        lists = [() if value is None else _items(value) for value in values]
        child = _array([item for items in lists for item in items], kind.value_type)
        offsets = _offsets([len(items) for items in lists])
        return pa.ListArray.from_buffers(kind, count, [validity, offsets], children=[child])
    if pa.types.is_struct(kind):
        rows = [_fields(value) for value in values]
        children = [
            _array([None if row is None else row.get(field.name) for row in rows], field.type)
            for field in kind
        ]
        mask = None
        if nulls is not None:  # a boolean array true where null, from its bits
            bits = pa.py_buffer(np.packbits(nulls, bitorder="little").tobytes())
            mask = pa.Array.from_buffers(pa.bool_(), count, [None, bits])
        return pa.StructArray.from_arrays(children, fields=list(kind), mask=mask)
    raise _UnbuildableError


def _text(value: Any) -> str:
    if type(value) is not str:
        raise _UnbuildableError
    return value


def _number(value: Any, number: type) -> Any:
    # only a plain int in an integer column, a plain float in a float one: a bool, an int in a
    # float column (pa.array refuses one no double holds) or a numpy value is left to it
    if type(value) is number:
        return value
    raise _UnbuildableError


def _items(value: Any) -> Sequence[Any]:
    if type(value) not in (list, tuple):
        raise _UnbuildableError
    return value  # type: ignore[no-any-return]


def _fields(value: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    if type(value) is not dict:
        raise _UnbuildableError
    return value
