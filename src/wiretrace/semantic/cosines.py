"""Vector arithmetic whose results do not depend on where it runs.

A scan gives the same tables on every backend, with any number of workers and any batch
size, on any CPU (DESIGN.md). Float sums are not associative, and BLAS and numpy's SIMD
reductions sum in an order that depends on the shapes of the matrices, the threads and the
CPU's vector width: the last bits of a cosine then moved a reported similarity across its
fourth decimal (0.973 against 0.9729) or made another of two equal sentences the best
partner, between the local and the Spark backends (issue 23). So:

- norms and sums of a vector's parts are taken in float64, one after the other in a fixed
  order (numba loops: LLVM does not reorder float additions without fast-math);
- sentence cosines are of float16 values (the spill keeps sentence vectors as half floats).
  Every product of two of them is a multiple of 2**-48 and a cosine's partial sums stay
  below 2, so float64 holds every product and partial sum exactly: BLAS may sum them in any
  order and still gives the exact cosine;
- decisions (thresholds, the best partner, ties broken by position) are taken on cosines
  rounded to ``PRECISION`` decimals, and what is written is rounded further from those.
"""

from __future__ import annotations

import numpy as np
from numba import njit
from numpy.typing import NDArray

PRECISION = 6  # decimals of the cosines that decisions compare
_SCALE = 10.0**PRECISION


def rounded(values: NDArray[np.float64]) -> NDArray[np.float64]:
    """``values`` to ``PRECISION`` decimals (as ``np.round`` does it, which took 15 times as
    long on a sentence matrix)."""
    return np.rint(values * _SCALE) / _SCALE


@njit(cache=True, nogil=True)
def _unit_rows(vectors: NDArray[np.float64]) -> NDArray[np.float32]:
    found = np.zeros(vectors.shape, dtype=np.float32)
    for row in range(vectors.shape[0]):
        squares = 0.0
        for column in range(vectors.shape[1]):
            squares += vectors[row, column] * vectors[row, column]
        if squares > 0.0:
            norm = np.sqrt(squares)
            for column in range(vectors.shape[1]):
                found[row, column] = vectors[row, column] / norm
    return found


def unit_rows(vectors: NDArray[np.floating]) -> NDArray[np.float32]:
    """Each row divided by its length (a row of zeros stays zeros), as float32."""
    return _unit_rows(np.ascontiguousarray(vectors, dtype=np.float64))


@njit(cache=True, nogil=True)
def _pair_dots(
    first: NDArray[np.float32], second: NDArray[np.float32], pairs: NDArray[np.int64]
) -> NDArray[np.float64]:
    dots = np.zeros(pairs.shape[0], dtype=np.float64)
    for at in range(pairs.shape[0]):
        left, right = pairs[at, 0], pairs[at, 1]
        total = 0.0
        for column in range(first.shape[1]):
            total += np.float64(first[left, column]) * np.float64(second[right, column])
        dots[at] = total
    return dots


def pair_cosines(vectors: NDArray[np.float32], pairs: NDArray[np.int64]) -> NDArray[np.float64]:
    """The cosines of the rows ``pairs`` names (``(n, 2)`` row numbers) of unit ``vectors``,
    rounded to ``PRECISION`` decimals."""
    data = np.ascontiguousarray(vectors, dtype=np.float32)
    indices = np.ascontiguousarray(pairs, dtype=np.int64).reshape(-1, 2)
    return rounded(_pair_dots(data, data, indices))


@njit(cache=True, nogil=True)
def _dot(first: NDArray[np.float32], second: NDArray[np.float32]) -> float:
    total = 0.0  # summed as _pair_dots sums
    for column in range(first.shape[0]):
        total += np.float64(first[column]) * np.float64(second[column])
    return total


def cosine(first: NDArray[np.float32], second: NDArray[np.float32]) -> float:
    """The cosine of two unit vectors, rounded to ``PRECISION`` decimals (as ``pair_cosines``
    gives it)."""
    left = np.ascontiguousarray(first, dtype=np.float32).reshape(-1)
    right = np.ascontiguousarray(second, dtype=np.float32).reshape(-1)
    return float(np.rint(_dot(left, right) * _SCALE) / _SCALE)


def sentence_cosines(
    first: NDArray[np.floating], second: NDArray[np.floating]
) -> NDArray[np.float64]:
    """The cosines of every row of ``first`` with every row of ``second`` (unit sentence
    vectors of half-float values, as read from the spill: then the float64 product is exact),
    rounded to ``PRECISION`` decimals. Other float32 vectors get float64 sums whose order
    moves only their last bits, far below the rounding."""
    left = np.asarray(first, dtype=np.float64)
    right = np.asarray(second, dtype=np.float64)
    return rounded(left @ right.T)


@njit(cache=True, nogil=True)
def _best_and_alike(product, floor, scale):  # type: ignore[no-untyped-def]
    """``product`` rounded in place; each row's first largest column and its value; the cells
    at least ``floor``, row by row."""
    rows, columns = product.shape
    partners = np.zeros(rows, dtype=np.int64)
    scores = np.empty(rows, dtype=np.float64)
    alike = 0
    for row in range(rows):
        for column in range(columns):
            value = np.rint(product[row, column] * scale) / scale
            product[row, column] = value
            if column == 0 or value > scores[row]:
                partners[row] = column
                scores[row] = value
            if value >= floor:
                alike += 1
    cell_rows = np.empty(alike, dtype=np.int64)
    cell_columns = np.empty(alike, dtype=np.int64)
    similarity = np.empty(alike, dtype=np.float64)
    at = 0
    for row in range(rows):
        for column in range(columns):
            if product[row, column] >= floor:
                cell_rows[at], cell_columns[at] = row, column
                similarity[at] = product[row, column]
                at += 1
    return partners, scores, cell_rows, cell_columns, similarity


def best_and_alike(
    first: NDArray[np.floating], second: NDArray[np.floating], floor: float
) -> tuple[
    NDArray[np.int64],
    NDArray[np.float64],
    NDArray[np.int64],
    NDArray[np.int64],
    NDArray[np.float64],
]:
    """From ``sentence_cosines(first, second)``: each row's most similar column (the first of
    equals) and their cosine, and every cell at least ``floor`` alike (rows, columns,
    cosines, row by row), in one compiled pass over the product."""
    product = np.asarray(first, dtype=np.float64) @ np.asarray(second, dtype=np.float64).T
    found: tuple[
        NDArray[np.int64],
        NDArray[np.float64],
        NDArray[np.int64],
        NDArray[np.int64],
        NDArray[np.float64],
    ] = _best_and_alike(product, floor, _SCALE)
    return found
