"""Story clustering quality on ECB+ dev: B-cubed precision, recall, F1 and ARI of
``documents.story`` over the whole folder at once (not per topic), the story being the topic
plus its ``ecb``/``ecbplus`` half (the same kind of event, at two different times and places).

The baseline is the classic one: TF-IDF cosine with average-link clustering, its cut tuned on
the same data (the best F1 over a grid), with scikit-learn (``pip install scikit-learn``; the
baseline is skipped without it).

    python benchmarks/stories_quality.py               # wiretrace with and without semantic
    python benchmarks/stories_quality.py --resolutions 0.08,0.1,0.12,0.15,0.2
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from evaldata import ecbplus_documents

from wiretrace import ScanConfig, scan

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def bcubed(predicted: Sequence[object], gold: Sequence[object]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 (Bagga and Baldwin), averaged over items."""
    by_predicted: dict[object, set[int]] = defaultdict(set)
    by_gold: dict[object, set[int]] = defaultdict(set)
    for index, (mine, theirs) in enumerate(zip(predicted, gold, strict=True)):
        by_predicted[mine].add(index)
        by_gold[theirs].add(index)
    precision = recall = 0.0
    for mine, theirs in zip(predicted, gold, strict=True):
        shared = len(by_predicted[mine] & by_gold[theirs])
        precision += shared / len(by_predicted[mine])
        recall += shared / len(by_gold[theirs])
    precision, recall = precision / len(gold), recall / len(gold)
    return precision, recall, 2 * precision * recall / (precision + recall)


def adjusted_rand(predicted: Sequence[object], gold: Sequence[object]) -> float:
    """Adjusted Rand index (Hubert and Arabie)."""

    def pairs(count: int) -> float:
        return count * (count - 1) / 2

    together = sum(pairs(n) for n in Counter(zip(predicted, gold, strict=True)).values())
    mine = sum(pairs(n) for n in Counter(predicted).values())
    theirs = sum(pairs(n) for n in Counter(gold).values())
    if len(gold) < 2:  # no pair to disagree on; scikit-learn's convention
        return 1.0
    expected = mine * theirs / pairs(len(gold))
    top = (mine + theirs) / 2
    return (together - expected) / (top - expected) if top != expected else 1.0


def wiretrace_stories(root: Path, config: ScanConfig) -> tuple[list[int], list[str]]:
    """Scan every ECB+ article together; each document's story and its gold story."""
    documents = list(ecbplus_documents(root))
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / "ecbplus.jsonl"
        with corpus.open("w", encoding="utf-8") as stream:
            for document in documents:
                stream.write(json.dumps({"id": document.id, "text": document.text}) + "\n")
        result = scan([corpus], config)
    story_of = result.story_of()
    return [story_of[document.id] for document in documents], [d.story for d in documents]


def tfidf_baseline(root: Path) -> tuple[float, tuple[float, float, float], float] | None:
    """The best cut of TF-IDF average-link clustering: (cut, B-cubed, ARI)."""
    try:
        from sklearn.cluster import AgglomerativeClustering
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.metrics.pairwise import cosine_distances
    except ImportError:
        return None
    documents = list(ecbplus_documents(root))
    gold = [document.story for document in documents]
    vectors = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(
        [document.text for document in documents]
    )
    # Distances once from the sparse vectors: the same clusters at every cut as metric="cosine"
    # on the dense matrix (checked 2026-11-25), 20 s -> 0.1 s, so the story gate can afford it.
    distances = cosine_distances(vectors)
    best: tuple[float, tuple[float, float, float], float] | None = None
    for step in range(25, 50):
        cut = step / 50
        predicted = AgglomerativeClustering(
            n_clusters=None, metric="precomputed", linkage="average", distance_threshold=cut
        ).fit_predict(distances)
        scores = bcubed(list(predicted), gold)
        if best is None or scores[2] > best[1][2]:
            best = (cut, scores, adjusted_rand(list(predicted), gold))
    return best


def _row(name: str, scores: tuple[float, float, float], ari: float) -> str:
    return f"| {name} | {scores[0]:.3f} | {scores[1]:.3f} | **{scores[2]:.3f}** | {ari:.3f} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_DATA.parent)
    parser.add_argument("--resolutions", default="", help="also try these story resolutions")
    parser.add_argument("--no-semantic", action="store_true", help="skip the semantic runs")
    options = parser.parse_args()
    root = options.shared / "data" / "ecbplus-dev" / "ECB+"
    if not root.is_dir():
        sys.exit(f"no ECB+ data at {root}; pass --shared")
    print("| clustering | B-cubed P | B-cubed R | B-cubed F1 | ARI |")
    print("|---|---|---|---|---|")
    baseline = tfidf_baseline(root)
    if baseline is not None:
        cut, scores, ari = baseline
        print(_row(f"TF-IDF average link, best cut {cut:.2f}", scores, ari))
    resolutions = [float(value) for value in options.resolutions.split(",") if value]
    for semantic in (True, False) if not options.no_semantic else (False,):
        for resolution in [ScanConfig().story_resolution, *resolutions]:
            config = replace(ScanConfig(semantic=semantic), story_resolution=resolution)
            predicted, gold = wiretrace_stories(root, config)
            name = f"wiretrace, resolution {resolution}" + ("" if semantic else ", no semantic")
            print(_row(name, bcubed(predicted, gold), adjusted_rand(predicted, gold)))


if __name__ == "__main__":
    main()
