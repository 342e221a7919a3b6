"""Sorting 64-bit keys with what owns them, in one sort of plain numbers.

A key's upper bits go above its owner (a document, a position) in the lower bits; sorting
those numbers is 2-4x faster than an argsort of the keys. Keys cut to ``64 - bits`` bits may
meet (two of a million distinct keys once in ~10^6 runs at 25 bits of owners): callers use
the cut keys where a rare false meeting costs nothing (a candidate pair the exact comparison
rejects, two words sharing a document frequency).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray


def sort_with_owners(
    keys: NDArray[np.uint64], owners: NDArray[np.int64], width: int
) -> tuple[NDArray[np.uint64], NDArray[np.int64], NDArray[np.int64]]:
    """``keys`` sorted with their ``owners`` (each below ``width``): the cut keys, the owners
    in the same order, and where each run of one cut key starts."""
    bits = max(1, (width - 1).bit_length())
    packed = keys >> np.uint64(bits) << np.uint64(bits)
    packed |= owners.astype(np.uint64)
    packed.sort()
    high = packed >> np.uint64(bits)
    low = (packed & np.uint64((1 << bits) - 1)).astype(np.int64)
    starts = np.flatnonzero(np.concatenate([[True], high[1:] != high[:-1]])) if len(high) else low
    return high, low, starts
