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
from itertools import chain
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


_NONE = type(None)
# the Python types each builder takes (checked for a whole column at once, not value by
# value): a plain int in an integer column, a plain float in a float one; a bool, an int in a
# float column (pa.array refuses one no double holds) or a numpy value is left to pa.array
_STRING_TYPES = frozenset({str, _NONE})
_LIST_TYPES = frozenset({list, tuple, _NONE})
_STRUCT_TYPES = frozenset({dict, _NONE})  # by field name
_TUPLE_STRUCT_TYPES = frozenset({tuple, _NONE})  # in the fields' order


def _validity(nulls: NDArray[np.bool_] | None) -> pa.Buffer | None:
    """The validity bitmap where some values are null (``nulls``), else none."""
    if nulls is None:
        return None
    return pa.py_buffer(np.packbits(~nulls, bitorder="little").tobytes())


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
    types = set(map(type, values))
    nulls = None
    if _NONE in types:
        nulls = np.fromiter((value is None for value in values), dtype=bool, count=count)
    validity = _validity(nulls)
    if kind in (pa.string(), pa.large_string()):
        if not types <= _STRING_TYPES:
            raise _UnbuildableError
        encoded = [b"" if value is None else value.encode() for value in values]
        offsets = _offsets([len(data) for data in encoded], kind == pa.large_string())
        data = pa.py_buffer(b"".join(encoded))
        return pa.Array.from_buffers(kind, count, [validity, offsets, data])
    if kind in (pa.int64(), pa.float64()):
        number = int if kind == pa.int64() else float
        if not types <= {number, _NONE}:
            raise _UnbuildableError
        plain = values if nulls is None else [0 if value is None else value for value in values]
        found = np.array(plain, dtype=np.int64 if number is int else np.float64)
        return pa.Array.from_buffers(kind, count, [validity, pa.py_buffer(found.tobytes())])
    if pa.types.is_list(kind):
        if not types <= _LIST_TYPES:
            raise _UnbuildableError
        lists = values if nulls is None else [() if value is None else value for value in values]
        child = _array(list(chain.from_iterable(lists)), kind.value_type)
        offsets = _offsets([len(items) for items in lists])
        return pa.ListArray.from_buffers(kind, count, [validity, offsets], children=[child])
    if pa.types.is_struct(kind):
        return _struct(values, kind, types, nulls)
    raise _UnbuildableError


def _struct(
    values: Sequence[Any],
    kind: pa.StructType,
    types: set[type],
    nulls: NDArray[np.bool_] | None,
) -> pa.Array[Any]:
    """A struct's values as dicts by field name, or as tuples in the fields' order (not both
    in one column), as pa.array takes them."""
    fields = list(kind)
    if types <= _TUPLE_STRUCT_TYPES:
        empty = (None,) * len(fields)
        rows = [empty if row is None else row for row in values]
        if any(len(row) != len(fields) for row in rows):
            raise _UnbuildableError
        columns = list(zip(*rows, strict=True)) if rows else [()] * len(fields)
        children = [
            _array(list(found), field.type) for found, field in zip(columns, fields, strict=True)
        ]
    elif types <= _STRUCT_TYPES:
        children = [
            _array([None if row is None else row.get(field.name) for row in values], field.type)
            for field in fields
        ]
    else:
        raise _UnbuildableError
    mask = None
    if nulls is not None:  # a boolean array true where null, from its bits
        bits = pa.py_buffer(np.packbits(nulls, bitorder="little").tobytes())
        mask = pa.Array.from_buffers(pa.bool_(), len(values), [None, bits])
    return pa.StructArray.from_arrays(children, fields=fields, mask=mask)
