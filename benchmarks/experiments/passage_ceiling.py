"""Issue 26: how many of PAN 2013's obfuscated passages any rule over sentence pairs could
find without calling an independent report of one story a rewrite (ECB+ dev).

Every PAN pair of the train sample and every ECB+ pair of one story that shares no verbatim
passage is looked at whole, whether or not the scan proposed it for comparison (so this is
the decision's ceiling, candidates aside). The sentence pairs that count are those the
passage rule (``compare.derivation.passage_run``) counts: away from both texts' first and last
3 sentences, not copied word for word (words overlap < 0.8). A pair is found where a *block*
of ``k`` sentence pairs, with ``k`` different sentences on each side, lies within ``W``
consecutive sentences of each text, in any order (obfuscation moves sentence boundaries and
clauses: a stride rule is stricter), each pair at least ``cos`` alike (fast sentence model)
and keeping at least ``words`` of its content words (Jaccard, stop words aside; with
``plain``, names and numbers aside too: an independent report shares them). A pair the
default scan already finds as reuse counts as found in every row.

    python benchmarks/experiments/passage_ceiling.py [--shared ../shared]

Prints, per rule, the PAN categories' shares found (01 is the false-alarm rate) and the ECB+
pairs of one story called reuse; then, per budget of ECB+ false alarms, the best rule's PAN
figures. The 2026-12-07 figures are in benchmarks/README.md ("Rewrites").
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from evaldata import ecbplus_documents
from passages import pan_pairs

from wiretrace import ScanConfig, scan
from wiretrace.compare.derivation import EDGE, facts
from wiretrace.compare.paraphrase import _similar, semantic_document, words_of
from wiretrace.semantic.stage import sentence_batch
from wiretrace.semantic.static import static_model_folder
from wiretrace.sketch.background import stop_words_set

DEFAULT_SHARED = Path(__file__).resolve().parents[3] / "shared"
FLOOR = 0.6  # the lowest cosine any rule below asks for
COPIED = 0.8  # ScanConfig.paraphrase_max_overlap: above it a sentence pair is a copy


class Cell(NamedTuple):
    row: int
    column: int
    cosine: float
    words: float  # content words' Jaccard
    plain: float  # the same without names and numbers


class Item(NamedTuple):
    group: str  # PAN category ("01".."05") or "ecb"
    found: bool  # by the default scan, as reuse
    cells: list[Cell]


def _scan(records: dict[str, str]) -> dict[tuple[str, str], tuple[str, bool]]:
    """Each matched pair's relation, and whether it has a verbatim passage."""
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / "corpus.jsonl"
        with corpus.open("w", encoding="utf-8") as stream:
            for key, text in records.items():
                stream.write(json.dumps({"id": key, "text": text}) + "\n")
        result = scan([corpus], ScanConfig(workers=1))
    return {
        (m.a, m.b): (m.relation.value, any(p.kind == "verbatim" for p in m.passages))
        for m in result.matches
    }


def _documents(records: dict[str, str]) -> dict[str, object]:
    keys = sorted(records)
    batch = sentence_batch([records[key] for key in keys], str(static_model_folder()))
    return {
        key: semantic_document(
            records[key], batch.spans[at], batch.vectors[at], batch.documents[at]
        )
        for at, key in enumerate(keys)
    }


def _cells(first, second) -> list[Cell]:  # type: ignore[no-untyped-def]
    small_is_a = first.chars <= second.chars
    small, other = (first, second) if small_is_a else (second, first)
    if not small.sentences or not other.sentences:
        return []
    _, _, near = _similar(first.vectors, second.vectors, small_is_a, FLOOR)
    stop = stop_words_set()
    rows, columns = len(small.sentences), len(other.sentences)
    found = []
    for row, column, cosine in zip(
        near.rows.tolist(), near.columns.tolist(), near.similarity.tolist(), strict=True
    ):
        if (row < EDGE and column < EDGE) or (row >= rows - EDGE and column >= columns - EDGE):
            continue
        mine, theirs = (
            words_of(text[start:end])
            for text, (start, end) in (
                (small.text, small.sentences[row]),
                (other.text, other.sentences[column]),
            )
        )
        if len(mine & theirs) >= COPIED * max(1, len(mine | theirs)):
            continue
        named = set().union(*facts(small.text[slice(*small.sentences[row])]))
        named |= set().union(*facts(other.text[slice(*other.sentences[column])]))
        content, content_other = mine - stop, theirs - stop
        plain, plain_other = content - named, content_other - named
        found.append(
            Cell(
                row, column, cosine, _jaccard(content, content_other), _jaccard(plain, plain_other)
            )
        )
    return found


def _jaccard(first: set[str], second: set[str]) -> float:
    union = len(first | second)
    return len(first & second) / union if union else 0.0


def _block(cells: list[tuple[int, int]], width: int) -> int:
    """The most sentence pairs with different sentences on each side (the smaller count)
    inside any window of ``width`` sentences of each text."""
    best = 0
    for row, column in cells:
        for shift in range(width):
            inside = [
                (r, c)
                for r, c in cells
                if row <= r < row + width and column - shift <= c < column - shift + width
            ]
            best = max(best, min(len({r for r, _ in inside}), len({c for _, c in inside})))
    return best


def items(shared: Path) -> list[Item]:
    root = shared / "data" / "pan13-train"
    records = {
        path.stem: path.read_text(encoding="utf-8")
        for sub in ("susp", "src")
        for path in sorted((root / sub).glob("*.txt"))
    }
    relations = _scan(records)
    documents = _documents(records)
    found: list[Item] = []
    for category, susp, source, _ in pan_pairs(root):
        key = tuple(sorted((susp, source)))
        relation = relations.get(key, ("none", False))[0]  # type: ignore[arg-type]
        cells = _cells(documents[susp], documents[source])
        found.append(Item(category[:2], relation not in ("none", "same_story"), cells))
    ecb = list(ecbplus_documents(shared / "data" / "ecbplus-dev" / "ECB+"))
    story = {document.id: document.story for document in ecb}
    records = {document.id: document.text for document in ecb}
    relations = _scan(records)
    documents = _documents(records)
    for first, second in itertools.combinations(sorted(records), 2):
        if story[first] != story[second] or relations.get((first, second), ("", False))[1]:
            continue  # other stories, or a verbatim passage: not an independent report
        found.append(Item("ecb", False, _cells(documents[first], documents[second])))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    options = parser.parse_args()
    looked = items(options.shared)
    totals = Counter(item.group for item in looked)
    groups = ("01", "03", "04", "05")
    print(f"pairs: {dict(totals)}; found by the default scan: ", end="")
    print({group: sum(i.found for i in looked if i.group == group) for group in groups})
    print("\n| cos | words | kind | W | k | " + " | ".join(groups) + " | ECB+ one story |")
    print("|---" * (6 + len(groups)) + "|")
    rows = []
    for cosine, words, kind, width, size in itertools.product(
        (0.6, 0.65, 0.7, 0.75), (0.2, 0.25, 0.3, 0.35), ("words", "plain"), (3, 4, 5, 6), (2, 3)
    ):
        hits: Counter[str] = Counter()
        for item in looked:
            kept = [
                (cell.row, cell.column)
                for cell in item.cells
                if cell.cosine >= cosine and getattr(cell, kind) >= words
            ]
            hits[item.group] += item.found or _block(kept, width) >= size
        shares = [hits[group] / totals[group] for group in groups]
        rows.append((hits["ecb"], shares, (cosine, words, kind, width, size)))
        print(
            f"| {cosine} | {words} | {kind} | {width} | {size} | "
            + " | ".join(f"{share:.2f}" for share in shares)
            + f" | {hits['ecb']} of {totals['ecb']} |"
        )
    print("\nthe most PAN random + translation pairs for each budget of ECB+ false alarms")
    print("| ECB+ pairs called reuse at most | rule | " + " | ".join(groups) + " |")
    print("|---" * (2 + len(groups)) + "|")
    for budget in (0, 1, 5, 20, 100):
        within = [row for row in rows if row[0] <= budget]
        if within:
            best = max(within, key=lambda row: (row[1][1] + row[1][2], row[1][3], -row[0]))
            print(f"| {budget} | {best[2]} | " + " | ".join(f"{s:.2f}" for s in best[1]) + " |")


if __name__ == "__main__":
    main()
