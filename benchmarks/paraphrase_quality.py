"""Quality of the paraphrase decisions on labelled data (the exact model needs the exact extra).

- MSRP (training part, news sentence pairs): accuracy and F1 of the sentence-level decision
  "cosine of the two sentences' embeddings >= paraphrase_similarity", at the default threshold
  and over a grid (the default was read off this grid: the best accuracy, rounded).
- Clough-Stevenson: one scan of the 3 sources and 57 answers together; for each answer, the
  relation reported with its source against its label (cut, light, heavy, non).

    python benchmarks/paraphrase_quality.py
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np

from wiretrace import ScanConfig, scan
from wiretrace.config import SemanticModel
from wiretrace.semantic import sentence_encoder

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
LABELS = ("cut", "light", "heavy", "non")


def msrp_pairs(path: Path) -> list[tuple[int, str, str]]:
    """(quality, sentence 1, sentence 2) of every pair; the file has no header line."""
    pairs = []
    with path.open(encoding="utf-8-sig", newline="") as stream:
        for row in csv.reader(stream, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) >= 5 and row[0] in ("0", "1"):
                pairs.append((int(row[0]), row[3], row[4]))
    return pairs


def msrp_similarities(path: Path, model: SemanticModel = "fast") -> tuple[np.ndarray, np.ndarray]:
    """Labels and cosine similarities of every MSRP pair under the sentence model ``model``."""
    pairs = msrp_pairs(path)
    encoder = sentence_encoder(model)
    first = encoder.encode([pair[1] for pair in pairs])
    second = encoder.encode([pair[2] for pair in pairs])
    labels = np.array([pair[0] for pair in pairs])
    return labels, np.einsum("ij,ij->i", first, second)


def accuracy_f1(labels: np.ndarray, decided: np.ndarray) -> tuple[float, float]:
    true_positive = int(np.sum(decided & (labels == 1)))
    precision = true_positive / max(1, int(decided.sum()))
    recall = true_positive / max(1, int((labels == 1).sum()))
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return float(np.mean(decided == (labels == 1))), f1


def clough_confusion(folder: Path, config: ScanConfig) -> dict[str, Counter[str]]:
    """Label -> Counter of the relation found between each answer and its source."""
    with (folder / "file_information.csv").open(encoding="utf-8-sig") as stream:
        info = [row for row in csv.DictReader(stream) if row["Category"] in LABELS]
    with tempfile.TemporaryDirectory() as scratch:
        records = Path(scratch) / "clough.jsonl"
        with records.open("w", encoding="utf-8") as stream:
            names = [row["File"] for row in info] + [f"orig_task{t}.txt" for t in "abcde"]
            for name in names:
                path = folder / name
                if path.exists():
                    text = path.read_bytes().decode("utf-8", errors="replace")
                    stream.write(json.dumps({"id": path.stem, "text": text}) + "\n")
        result = scan([records], config)
    relation = {frozenset((m.a, m.b)): m.relation.value for m in result.matches}
    confusion: dict[str, Counter[str]] = {label: Counter() for label in LABELS}
    for row in info:
        answer, source = Path(row["File"]).stem, f"orig_task{row['Task']}"
        found = relation.get(frozenset((answer, source)), "none")
        confusion[row["Category"]][found] += 1
    return confusion


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--model", choices=["fast", "exact"], default="fast")
    args = parser.parse_args(argv)
    config = ScanConfig(semantic_model=args.model)
    labels, similarity = msrp_similarities(
        args.data / "msrp" / "msr_paraphrase_train.txt", args.model
    )
    print(f"MSRP train ({args.model} model): {len(labels)} pairs, {int(labels.sum())} paraphrases")
    default = config.semantic_thresholds().sentence
    for threshold in np.arange(0.50, 0.951, 0.05):
        accuracy, f1 = accuracy_f1(labels, similarity >= threshold)
        mark = "  <- default" if abs(threshold - default) < 1e-9 else ""
        print(f"  cosine >= {threshold:.2f}: accuracy {accuracy:.3f}  F1 {f1:.3f}{mark}")
    confusion = clough_confusion(args.data / "clough-stevenson", config)
    relations = sorted({name for counts in confusion.values() for name in counts})
    print("\nClough-Stevenson: label -> relation found with the source")
    print(f"  {'label':6} " + " ".join(f"{name:>15}" for name in relations))
    for label in LABELS:
        counts = confusion[label]
        print(f"  {label:6} " + " ".join(f"{counts.get(name, 0):>15}" for name in relations))
    return 0


if __name__ == "__main__":
    sys.exit(main())
