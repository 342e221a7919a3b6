"""Story clustering quality: do ``documents.story`` and the matches mean the same event?

Four dev figures (issue 12), each beside a classic baseline tuned on the same data:

- ECB+ dev, all 462 articles at once, the story being the topic plus its ``ecb``/``ecbplus``
  half (the same kind of event at two times and places): B-cubed and ARI; TF-IDF cosine with
  average-link clustering, its cut the best of a grid.
- ECB+ dev one topic at a time (20 scans: the dev folder's topics): each topic holds two
  events of one kind, a single-subject feed whose events must be told apart. Mean B-cubed
  F1 over the topics; the baseline's one cut tuned for the best mean.
- GVA incidents (``gva-events/``): 2,488 articles on 1,368 US shootings scanned at once with
  title, date and url; B-cubed against the incidents; TF-IDF average link beside it.
- SemEval-2022 Task 8, English pairs: every English article in one corpus; a pair rated the
  same event (``Overall`` <= 1.5) should share a story, one rated different events (>= 3)
  should not; F1 of "same story" over those pairs, against TF-IDF cosine with its threshold
  tuned for the best F1.
- Small mixed corpora (issue 25): 20 samples each of 20, 50 and 200 articles drawn from many
  dev stories (up to three articles of each): B-cubed precision, the stories that mix dev
  stories, and any story whose listed words include a stop word; then the same samples with
  every article dated one day, as a day's news is.
- In-sample and leave-one-set-out figures of the story model (``fit_stories.py``): each set
  scored by the model fitted on all three, and by the one fitted on the other two.

The baselines need scikit-learn (``pip install -e '.[dev]'``; skipped without it).

    python benchmarks/stories_quality.py               # all four, with and without semantic
    python benchmarks/stories_quality.py --only gva --resolutions 0.1,0.15
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from evaldata import ecbplus_documents

from wiretrace import ScanConfig, ScanResult, scan

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
ONE_DAY = "2024-05-01"  # the small corpora dated as a day's news


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


@dataclass(frozen=True)
class Article:
    """One labelled article: ``gold`` names its event."""

    id: str
    text: str
    gold: str
    title: str | None = None
    published: str | None = None
    url: str | None = None


def ecbplus_articles(root: Path) -> list[Article]:
    return [Article(d.id, d.text, d.story) for d in ecbplus_documents(root)]


def gva_articles(data: Path) -> list[Article]:
    with (data / "gva-events" / "articles.jsonl").open(encoding="utf-8") as stream:
        records = [json.loads(line) for line in stream]
    return [
        Article(r["article_id"], r["text"], r["event_id"], r["title"], r["date"], r["url"])
        for r in records
    ]


def semeval_english(data: Path) -> tuple[list[Article], list[tuple[str, str, bool]]]:
    """Every English article of the English pairs, and the pairs rated clearly the same event
    (True) or clearly different events (False)."""
    articles: dict[str, Article] = {}
    pairs = []
    with (data / "semeval2022" / "training_set.csv").open(encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            if row["lang1"] != "en" or row["lang2"] != "en":
                continue
            first, second = row["pair_id"].split("_")
            for key, text in ((first, row["text1"]), (second, row["text2"])):
                articles.setdefault(key, Article(key, text, key))
            overall = float(row["Overall"])
            if overall <= 1.5 or overall >= 3:
                pairs.append((first, second, overall <= 1.5))
    return list(articles.values()), pairs


def scanned(articles: Sequence[Article], config: ScanConfig) -> ScanResult:
    """Scan the articles together, as one JSON-lines corpus."""
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / "articles.jsonl"
        with corpus.open("w", encoding="utf-8") as stream:
            for article in articles:
                record: dict[str, Any] = {"id": article.id, "text": article.text}
                for field in ("title", "published", "url"):
                    if getattr(article, field) is not None:
                        record[field] = getattr(article, field)
                stream.write(json.dumps(record) + "\n")
        return scan([corpus], config)


def story_of(articles: Sequence[Article], config: ScanConfig) -> dict[str, int]:
    """Scan the articles together; each article's story."""
    return scanned(articles, config).story_of()


def wiretrace_stories(root: Path, config: ScanConfig) -> tuple[list[int], list[str]]:
    """Scan every ECB+ article together; each document's story and its gold story."""
    articles = ecbplus_articles(root)
    found = story_of(articles, config)
    return [found[article.id] for article in articles], [article.gold for article in articles]


def ecbplus_topics(root: Path) -> list[list[Article]]:
    """ECB+ articles by topic (each topic: two events of one kind)."""
    by_topic: dict[str, list[Article]] = defaultdict(list)
    for article in ecbplus_articles(root):
        by_topic[article.gold.removesuffix("plus").removesuffix("ecb")].append(article)
    return list(by_topic.values())


def topic_scores(root: Path, config: ScanConfig) -> list[tuple[float, float, float]]:
    """ECB+ scanned one topic at a time: B-cubed of each topic's scan."""
    scores = []
    for articles in ecbplus_topics(root):
        found = story_of(articles, config)
        scores.append(bcubed([found[a.id] for a in articles], [a.gold for a in articles]))
    return scores


def pair_f1(same: Sequence[bool], gold: Sequence[bool]) -> tuple[float, float, float]:
    """Precision, recall and F1 of predicting "same event" for the rated pairs."""
    hits = sum(1 for mine, theirs in zip(same, gold, strict=True) if mine and theirs)
    precision = hits / max(1, sum(same))
    recall = hits / max(1, sum(gold))
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return precision, recall, f1


def semeval_scores(data: Path, config: ScanConfig) -> tuple[float, float, float]:
    articles, pairs = semeval_english(data)
    found = story_of(articles, config)
    return pair_f1([found[a] == found[b] for a, b, _ in pairs], [same for _, _, same in pairs])


def tfidf_distances(texts: Sequence[str]) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_distances

    vectors = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)
    # Distances once from the sparse vectors: the same clusters at every cut as
    # metric="cosine" on the dense matrix (checked 2026-11-25), 20 s -> 0.1 s.
    return cosine_distances(vectors)


def average_link(distances: Any, cut: float) -> list[int]:
    from sklearn.cluster import AgglomerativeClustering

    if distances.shape[0] < 2:
        return [0] * distances.shape[0]
    clusters = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average", distance_threshold=cut
    ).fit_predict(distances)
    return [int(label) for label in clusters]


def _has_sklearn() -> bool:
    try:
        import sklearn  # noqa: F401
    except ImportError:
        return False
    return True


def tfidf_average_link(
    groups: Sequence[Sequence[Article]],
) -> tuple[float, list[tuple[float, float, float]]] | None:
    """TF-IDF average link over each group of articles, with the one cut that gives the best
    mean B-cubed F1 over the groups: (cut, B-cubed of each group)."""
    if not _has_sklearn():
        return None
    distances = [tfidf_distances([a.text for a in group]) for group in groups]
    best: tuple[float, list[tuple[float, float, float]]] | None = None
    for step in range(25, 50):
        cut = step / 50
        scores = [
            bcubed(average_link(found, cut), [a.gold for a in group])
            for found, group in zip(distances, groups, strict=True)
        ]
        if best is None or _mean_f1(scores) > _mean_f1(best[1]):
            best = (cut, scores)
    return best


def _mean_f1(scores: Sequence[tuple[float, float, float]]) -> float:
    return sum(score[2] for score in scores) / len(scores)


def tfidf_baseline(root: Path) -> tuple[float, tuple[float, float, float], float] | None:
    """ECB+ all at once: the best cut of TF-IDF average link, (cut, B-cubed, ARI)."""
    articles = ecbplus_articles(root)
    best = tfidf_average_link([articles])
    if best is None:
        return None
    cut, (scores,) = best
    predicted = average_link(tfidf_distances([a.text for a in articles]), cut)
    return cut, scores, adjusted_rand(predicted, [a.gold for a in articles])


def tfidf_pairs(data: Path) -> tuple[float, tuple[float, float, float]] | None:
    """SemEval English pairs: TF-IDF cosine (fitted on all their articles) with the threshold
    that gives the best F1, (threshold, scores)."""
    if not _has_sklearn():
        return None
    articles, pairs = semeval_english(data)
    place = {article.id: index for index, article in enumerate(articles)}
    distances = tfidf_distances([a.text for a in articles])
    similarity = [1 - distances[place[a], place[b]] for a, b, _ in pairs]
    gold = [same for _, _, same in pairs]
    best: tuple[float, tuple[float, float, float]] | None = None
    for step in range(1, 100):
        threshold = step / 100
        scores = pair_f1([value >= threshold for value in similarity], gold)
        if best is None or scores[2] > best[1][2]:
            best = (threshold, scores)
    return best


def _row(name: str, scores: tuple[float, float, float], ari: float | None = None) -> str:
    tail = f" {ari:.3f} |" if ari is not None else ""
    return f"| {name} | {scores[0]:.3f} | {scores[1]:.3f} | **{scores[2]:.3f}** |{tail}"


def _mean(scores: Sequence[tuple[float, float, float]]) -> tuple[float, float, float]:
    count = len(scores)
    return (
        sum(s[0] for s in scores) / count,
        sum(s[1] for s in scores) / count,
        sum(s[2] for s in scores) / count,
    )


def _runs(options: argparse.Namespace) -> list[tuple[str, ScanConfig]]:
    resolutions = [float(value) for value in options.resolutions.split(",") if value]
    runs = []
    for semantic in (True, False) if not options.no_semantic else (False,):
        for resolution in [None, *resolutions]:
            config = replace(ScanConfig(semantic=semantic), story_resolution=resolution)
            name = "wiretrace" + (f", resolution {resolution}" if resolution else " (defaults)")
            runs.append((name + ("" if semantic else ", no semantic"), config))
    return runs


def small_corpus_scores(
    data: Path,
    config: ScanConfig,
    samples: int = 20,
    sizes: Sequence[int] = (20, 50, 200),
    one_day: bool = False,
) -> dict[int, tuple[float, int, int, int]]:
    """Per size of small mixed corpora (``story_sets.small_corpora``): the mean B-cubed
    precision of their stories, the stories of two or more that mix dev stories, all such
    stories, and those whose listed words or entities include a stop word. ``one_day``:
    every article dated one day, as a day's news is (the commonest first corpus)."""
    from story_sets import small_corpora

    from wiretrace.sketch.background import stop_words_set

    stop = stop_words_set()
    found: dict[int, list[Any]] = {}
    for size, sample in small_corpora(data, sizes, samples):
        if one_day:
            sample = [replace(article, published=ONE_DAY) for article in sample]
        result = scanned(sample, config)
        story = result.story_of()
        gold = {article.id: article.gold for article in sample}
        precision = bcubed([story[a.id] for a in sample], [a.gold for a in sample])[0]
        shown = [s for s in result.stories if len(s.members) > 1]
        mixed = sum(1 for s in shown if len({gold[m] for m in s.members}) > 1)
        stop_held = sum(
            1 for s in shown if stop & {word.lower() for word in (*s.terms, *s.entities)}
        )
        found.setdefault(size, []).append((precision, mixed, len(shown), stop_held))
    return {
        size: (
            sum(row[0] for row in rows) / len(rows),
            sum(row[1] for row in rows),
            sum(row[2] for row in rows),
            sum(row[3] for row in rows),
        )
        for size, rows in found.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_DATA.parent)
    parser.add_argument("--resolutions", default="", help="also try these story resolutions")
    parser.add_argument("--no-semantic", action="store_true", help="skip the semantic runs")
    parser.add_argument("--only", default="ecb,topics,gva,semeval,small,loso", help="which figures")
    options = parser.parse_args()
    data = options.shared / "data"
    root = data / "ecbplus-dev" / "ECB+"
    if not root.is_dir():
        sys.exit(f"no ECB+ data at {root}; pass --shared")
    only = set(options.only.split(","))
    runs = _runs(options)
    if "ecb" in only:
        print("\nECB+ dev, all at once\n")
        print("| clustering | B-cubed P | B-cubed R | B-cubed F1 | ARI |\n|---|---|---|---|---|")
        baseline = tfidf_baseline(root)
        if baseline is not None:
            print(_row(f"TF-IDF average link, best cut {baseline[0]:.2f}", *baseline[1:]))
        for name, config in runs:
            predicted, gold = wiretrace_stories(root, config)
            print(_row(name, bcubed(predicted, gold), adjusted_rand(predicted, gold)), flush=True)
    if "topics" in only:
        print("\nECB+ dev, one topic at a time (mean over its 20 topics)\n")
        print("| clustering | B-cubed P | B-cubed R | B-cubed F1 |\n|---|---|---|---|")
        grouped = tfidf_average_link(ecbplus_topics(root))
        if grouped is not None:
            print(_row(f"TF-IDF average link, best cut {grouped[0]:.2f}", _mean(grouped[1])))
        for name, config in runs:
            print(_row(name, _mean(topic_scores(root, config))), flush=True)
    if "gva" in only:
        print("\nGVA incidents, all at once\n")
        print("| clustering | B-cubed P | B-cubed R | B-cubed F1 |\n|---|---|---|---|")
        articles = gva_articles(data)
        incidents = tfidf_average_link([articles])
        if incidents is not None:
            print(_row(f"TF-IDF average link, best cut {incidents[0]:.2f}", incidents[1][0]))
        for name, config in runs:
            found = story_of(articles, config)
            scores = bcubed([found[a.id] for a in articles], [a.gold for a in articles])
            print(_row(name, scores), flush=True)
    if "semeval" in only:
        print("\nSemEval-2022 English pairs (same event <= 1.5, different >= 3)\n")
        print("| decision | precision | recall | F1 |\n|---|---|---|---|")
        paired = tfidf_pairs(data)
        if paired is not None:
            print(_row(f"TF-IDF cosine >= {paired[0]:.2f} (best)", paired[1]))
        for name, config in runs:
            print(_row(f"{name}: one story", semeval_scores(data, config)), flush=True)
    if "small" in only:
        print("\nSmall mixed corpora (20 samples of each size from many dev stories)\n")
        print("| run | articles | B-cubed P | stories of 2+ mixing dev stories | stop words |")
        print("|---|---|---|---|---|")
        for name, config in runs:
            for one_day in (False, True):
                scores = small_corpus_scores(data, config, one_day=one_day)
                for size, (precision, mixed, shown, stop) in scores.items():
                    label = name + (", all dated one day" if one_day else "")
                    print(
                        f"| {label} | {size} | {precision:.3f} | {mixed} of {shown} | {stop} |",
                        flush=True,
                    )
    if "loso" in only:
        from fit_stories import leave_one_set_out

        print("\nIn-sample and leave-one-set-out (fit on two sets, score the third)\n")
        print("| set | in-sample | leave-one-set-out (resolution) |\n|---|---|---|")
        for held, (in_sample, left_out, resolution) in leave_one_set_out(data).items():
            print(f"| {held} | {in_sample:.3f} | {left_out:.3f} ({resolution}) |", flush=True)


if __name__ == "__main__":
    main()
