"""Peer pipelines for the benchmark: MinHash + LSH candidate generation with datasketch, rensa
and gaoya.

Every tool gets the same work, and tokenisation is counted in its time: read the JSONL stream,
``text.lower()``, regex ``\\w+`` words, word 5-gram shingles (a document of fewer than 5 words
is one shingle of all its words), 128 permutations, LSH at Jaccard threshold 0.5, insert every
document, then query every document and collect the candidate pairs (no verification).

Run one pipeline (this is what ``run.py`` does, one subprocess per tool):

    python benchmarks/peers.py rensa CORPUS [--pairs-out FILE]

It prints one JSON line: ``{"tool", "docs", "pairs", "seconds"}``, where ``seconds`` runs from
the first byte read to the finished pair set (interpreter start and imports excluded).
"""

from __future__ import annotations

import argparse
import gzip
import importlib
import json
import re
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

NUM_PERM = 128
THRESHOLD = 0.5
SHINGLE_WORDS = 5
SEED = 42

# datasketch: MinHashLSH's own optimiser picks (bands, rows) for threshold 0.5 / 128 perms:
# (25, 5), i.e. 125 of the 128 values are used. rensa needs num_bands to divide num_perm and
# has no optimiser; we take the divisor of 128 that minimises the same false-positive +
# false-negative objective datasketch uses: 32 bands x 4 rows (S-curve midpoint ~0.42).
RENSA_BANDS = 32

Pair = tuple[str, str]
_WORD_RE = re.compile(r"\w+")


def open_text(path: Path) -> IO[str]:
    if path.name.endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8")
    return path.open(encoding="utf-8")


def read_corpus(path: Path) -> Iterator[tuple[str, str]]:
    """Stream ``(id, text)`` from a JSONL corpus (optionally gzipped)."""
    with open_text(path) as handle:
        for line in handle:
            if line.strip():
                record = json.loads(line)
                yield str(record["id"]), str(record.get("text") or "")


def shingles(text: str) -> list[str]:
    """Distinct word 5-gram shingles of ``text`` (lower-cased ``\\w+`` words)."""
    words = _WORD_RE.findall(text.lower())
    if len(words) < SHINGLE_WORDS:
        return [" ".join(words)]
    grams = zip(*(words[i:] for i in range(SHINGLE_WORDS)), strict=False)
    return list(set(map(" ".join, grams)))


def _pairs_from_candidates(ids: list[str], query: Callable[[int], list[int]]) -> set[Pair]:
    pairs: set[Pair] = set()
    for i, doc_id in enumerate(ids):
        for j in query(i):
            if j != i:
                other = ids[j]
                pairs.add((doc_id, other) if doc_id < other else (other, doc_id))
    return pairs


def run_datasketch(corpus: Path) -> tuple[set[Pair], int]:
    """datasketch 2.0: MinHash (affine32 scheme, xxh32 token hash) + MinHashLSH.

    The token hash is ``xxhash.xxh32_intdigest`` (C, returns a 32-bit int as the default
    affine32 scheme needs) instead of the default SHA-1 hash, which is ~3x slower. Both take
    bytes only, so the shingles are UTF-8 encoded first (counted in the time). Each
    document's MinHash comes from ``MinHash.generator`` (the streaming form of
    ``MinHash.bulk``: one shared permutation setup, ``update_batch`` per document). The index
    keeps its own band keys; we keep only the 128 x uint32 signature of each document for
    the query pass.
    """
    import numpy as np
    import xxhash
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    ids: list[str] = []
    signatures = bytearray()

    def token_sets() -> Iterator[list[bytes]]:
        for doc_id, text in read_corpus(corpus):
            ids.append(doc_id)
            yield [s.encode() for s in shingles(text)]  # xxhash (like sha1) takes bytes

    minhashes = MinHash.generator(
        token_sets(), num_perm=NUM_PERM, seed=1, hashfunc=xxhash.xxh32_intdigest
    )
    for key, minhash in enumerate(minhashes):
        lsh.insert(key, minhash)
        signatures += minhash.hashvalues.tobytes()
    matrix = np.frombuffer(bytes(signatures), dtype=np.uint32).reshape(len(ids), NUM_PERM)
    del signatures
    probe = MinHash(num_perm=NUM_PERM, seed=1, hashfunc=xxhash.xxh32_intdigest)

    def query(i: int) -> list[int]:
        probe.hashvalues = matrix[i]
        return lsh.query(probe)  # type: ignore[no-any-return]

    return _pairs_from_candidates(ids, query), len(ids)


def run_rensa(corpus: Path) -> tuple[set[Pair], int]:
    """rensa 0.5: one ``RMinHash`` per document (``update`` with the shingle strings) and
    ``RMinHashLSH(threshold=0.5, num_perm=128, num_bands=32)``: insert all, then query all.

    ``RMinHashLSH.query`` only takes ``RMinHash`` objects (there is no query by digest), so
    the sketches are kept until the query pass (~0.5 KB of digest each plus object overhead).
    """
    from rensa import RMinHash, RMinHashLSH

    lsh = RMinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM, num_bands=RENSA_BANDS)
    ids: list[str] = []
    sketches: list[RMinHash] = []
    for key, (doc_id, text) in enumerate(read_corpus(corpus)):
        minhash = RMinHash(num_perm=NUM_PERM, seed=SEED)
        minhash.update(shingles(text))
        lsh.insert(key, minhash)
        ids.append(doc_id)
        sketches.append(minhash)

    def query(i: int) -> list[int]:
        return lsh.query(sketches[i])  # type: ignore[no-any-return]

    return _pairs_from_candidates(ids, query), len(ids)


_GAOYA_BATCH = 10_000  # documents inserted or queried at a time (on every core)


def run_gaoya(corpus: Path) -> tuple[set[Pair], int]:
    """gaoya 0.2: ``MinHashStringIndex`` with its own word tokenizer (Rust: lower-cased
    words, 5-grams), 32 bands x 4 rows of 32-bit hashes, Jaccard 0.5; documents inserted
    and then queried in batches with ``par_bulk_insert_docs`` / ``par_bulk_query``, which
    tokenise, hash and search on every core. Its query keeps only the candidates whose
    estimated Jaccard similarity reaches the threshold (a truncated copy's is below it).
    """
    from gaoya.minhash import MinHashStringIndex

    index = MinHashStringIndex(
        hash_size=32,
        jaccard_threshold=THRESHOLD,
        num_bands=RENSA_BANDS,
        band_size=NUM_PERM // RENSA_BANDS,
        analyzer="word",
        lowercase=True,
        ngram_range=(SHINGLE_WORDS, SHINGLE_WORDS),
        id_container="vec",
    )
    ids: list[str] = []
    texts: list[str] = []
    for doc_id, text in read_corpus(corpus):
        ids.append(doc_id)
        texts.append(text)
    for start in range(0, len(texts), _GAOYA_BATCH):
        stop = start + _GAOYA_BATCH
        index.par_bulk_insert_docs(list(range(start, min(stop, len(texts)))), texts[start:stop])
    found: list[list[int]] = []
    for start in range(0, len(texts), _GAOYA_BATCH):
        found.extend(index.par_bulk_query(texts[start : start + _GAOYA_BATCH]))
    return _pairs_from_candidates(ids, found.__getitem__), len(ids)


# Modules each pipeline imports: loaded before the clock starts, like the interpreter itself.
IMPORTS: dict[str, tuple[str, ...]] = {
    "datasketch": ("numpy", "xxhash", "datasketch"),
    "rensa": ("rensa",),
    "gaoya": ("gaoya.minhash",),
}

TOOLS: dict[str, Callable[[Path], tuple[set[Pair], int]]] = {
    "datasketch": run_datasketch,
    "rensa": run_rensa,
    "gaoya": run_gaoya,
}


def write_pairs(pairs: set[Pair], path: Path) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for a, b in sorted(pairs):
            handle.write(f"{a}\t{b}\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run one peer MinHash-LSH pipeline.")
    parser.add_argument("tool", choices=sorted(TOOLS))
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--pairs-out", type=Path, help="write candidate pairs (tab-separated)")
    args = parser.parse_args(argv)
    run = TOOLS[args.tool]
    for module in IMPORTS[args.tool]:
        importlib.import_module(module)
    started = time.perf_counter()
    pairs, docs = run(args.corpus)
    seconds = time.perf_counter() - started
    if args.pairs_out is not None:
        write_pairs(pairs, args.pairs_out)
    report = {"tool": args.tool, "docs": docs, "pairs": len(pairs), "seconds": seconds}
    print(json.dumps(report), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
