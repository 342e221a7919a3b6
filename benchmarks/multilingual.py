"""Languages: copies planted in real articles of ten languages, found by the copy scan, and
each article's language as detected.

    python benchmarks/multilingual.py [--per-language 60] [--json PATH] [--stories] [--cost]

The articles are the SemEval-2022 Task 8 training texts (``../shared/data/semeval2022``), one
per id, at least 400 characters (150 in Chinese, whose words are characters). For each
language, ``--per-language`` originals get three planted relatives each:

- ``copy``: the whole article under a different page (a headline line of the site, a link
  line and a copyright line around it, the sentences one per line): exact or near duplicate;
- ``truncated``: its first 60% of sentences (at least three): contained;
- ``lifted``: consecutive sentences of it (40 words or more, 80 characters in Chinese, where
  the article has them) put inside another article of the language: a partial (or
  contained) match.

Every article of the language stays in the corpus, and all languages are scanned at once with
the copy scan (``--no-semantic --no-stories``). Recall: planted pairs found with one of their
relations (a lifted passage against the original or one of its whole copies: passages are
reported once per duplicate group). Precision: every copy, containment or passage match
reported between two documents that share no planted text is checked for real shared text
(a passage whose two sides hold at least 40 characters, 20 in Chinese, and are alike by
difflib, ratio >= 0.8, in the folded texts): true when there is one (an article the dataset
holds twice, a wire story or a page's chrome that two outlets share), else a false positive.
Language: the share of the articles whose ``documents.language`` is SemEval's label (a few
labels are wrong: an "en" article in Hindi, a "zh" one in Spanish, an "fr" one in German).

``--stories``: every SemEval training article scanned at once with the defaults; a pair rated
clearly one event (overall <= 1.5) or clearly two (>= 3) is called one story when both
articles land in one story. F1 per kind of pair (both English, both in one other language, in
two languages), beside a character 3-5-gram TF-IDF cosine whose threshold is tuned on the same
pairs of each kind; the translations found among the pairs in two languages; and the fit of the
chances that a pair in two languages, or in one language other than English, is one event
(``stages.languages``: a logistic of the heads' cosine, heads as the scan makes them without
its boilerplate rules), each with its F1 when one language pair (or one language) at a time is
left out of the fit.

``--cost``: a corpus of 20% documents not in English (every SemEval training article not in
English, and four times as many documents of the benchmark corpus,
``benchmarks/data/corpus-100000.jsonl.gz``, in English) scanned with the copy scan
(``--no-semantic --no-stories``) and with the defaults, on every core: the seconds of each and
of each stage.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import json
import random
import re
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wiretrace import ScanConfig, ScanResult, scan
from wiretrace.clean import clean_text
from wiretrace.records import Match, Relation

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
LANGUAGES = ("en", "de", "es", "pl", "tr", "ru", "ar", "zh", "fr", "it")
WANTED = {
    "copy": {Relation.EXACT, Relation.NEAR_DUPLICATE},
    "truncated": {Relation.CONTAINED, Relation.NEAR_DUPLICATE},
    "lifted": {Relation.PARTIAL, Relation.CONTAINED},
}
REUSE = {Relation.EXACT, Relation.NEAR_DUPLICATE, Relation.CONTAINED, Relation.PARTIAL}
_SENTENCE_END = re.compile(r"(?<=[.!?。！？؟])\s*")


def semeval_articles(path: Path) -> dict[str, tuple[str, str]]:
    """Each article of the SemEval-2022 training pairs once: id -> (language, text)."""
    csv.field_size_limit(1 << 30)
    found: dict[str, tuple[str, str]] = {}
    with path.open(encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            first, second = row["pair_id"].split("_")
            for doc_id, lang, text in (
                (first, row["lang1"], row["text1"]),
                (second, row["lang2"], row["text2"]),
            ):
                if text.strip():
                    found.setdefault(doc_id, (lang, " ".join(text.split())))
    return found


def sentences(text: str) -> list[str]:
    return [piece.strip() for piece in _SENTENCE_END.split(text) if len(piece.strip()) > 1]


def _size(lang: str, parts: list[str]) -> int:
    return sum(len(part) // 2 if lang == "zh" else len(part.split()) for part in parts)


def _joined(lang: str, parts: list[str]) -> str:
    return ("" if lang == "zh" else " ").join(parts)


@dataclass
class Planted:
    records: list[dict[str, Any]] = field(default_factory=list)
    language: dict[str, str] = field(default_factory=dict)
    pairs: dict[tuple[str, str], str] = field(default_factory=dict)  # (original, plant) -> kind
    holds: dict[str, set[str]] = field(default_factory=dict)  # doc -> originals it holds text of


def plant(articles: dict[str, tuple[str, str]], per_language: int, seed: int) -> Planted:
    rng = random.Random(seed)
    planted = Planted()
    for doc_id, (lang, text) in sorted(articles.items()):
        if lang in LANGUAGES:
            planted.records.append({"id": doc_id, "text": text})
            planted.language[doc_id] = lang
            planted.holds[doc_id] = {doc_id}
    for lang in LANGUAGES:
        least = 150 if lang == "zh" else 400
        eligible = sorted(
            doc_id
            for doc_id, (found, text) in articles.items()
            if found == lang and len(text) >= least and len(sentences(text)) >= 5
        )
        rng.shuffle(eligible)
        originals = eligible[:per_language]
        hosts = sorted(
            doc_id
            for doc_id, (found, text) in articles.items()
            if found == lang and doc_id not in originals and len(sentences(text)) >= 2
        )
        for number, original in enumerate(originals):
            parts = sentences(articles[original][1])
            cut = max(3, round(0.6 * len(parts)))
            start = rng.randrange(0, len(parts) - 2)
            stop = start + 1  # a paragraph's worth: 40 words (80 characters in Chinese)
            while stop < len(parts) and _size(lang, parts[start:stop]) < 40:
                stop += 1
            host = hosts[number % len(hosts)]
            host_parts = sentences(articles[host][1])
            middle = len(host_parts) // 2
            lifted = host_parts[:middle] + parts[start:stop] + host_parts[middle:]
            texts = {
                "copy": "\n".join(
                    [
                        f"News {number} | Site {lang.upper()}",
                        *parts,
                        f"https://site-{lang}.example/{number}",
                        "© Site",
                    ]
                ),
                "truncated": _joined(lang, parts[:cut]),
                "lifted": _joined(lang, lifted),
            }
            for kind, text in texts.items():
                plant_id = f"{original}-{kind}"
                planted.records.append({"id": plant_id, "text": text})
                planted.language[plant_id] = lang
                planted.pairs[(original, plant_id)] = kind
                planted.holds[plant_id] = {original} | ({host} if kind == "lifted" else set())
    return planted


def _folded(text: str) -> str:
    return clean_text(text, offsets=False).text


def shares_text(match: Match, texts: dict[str, str], least: int) -> bool:
    """Whether one of the match's passages is real shared text: both sides at least ``least``
    characters and alike (difflib ratio >= 0.8 of the folded texts)."""
    for passage in match.passages:
        first = _folded(texts[match.a][passage.a_start : passage.a_end])
        second = _folded(texts[match.b][passage.b_start : passage.b_end])
        if min(len(first), len(second)) < least:
            continue
        if difflib.SequenceMatcher(None, first, second, autojunk=False).ratio() >= 0.8:
            return True
    return False


def score(planted: Planted, config: ScanConfig) -> dict[str, Any]:
    texts = {record["id"]: record["text"] for record in planted.records}
    with tempfile.TemporaryDirectory() as work:
        corpus = Path(work) / "corpus.jsonl"
        with corpus.open("w", encoding="utf-8") as stream:
            for record in planted.records:
                stream.write(json.dumps(record, ensure_ascii=False) + "\n")
        started = time.perf_counter()
        result = scan([corpus], config)
        seconds = time.perf_counter() - started
    detected = dict(zip(result.documents.id, result.documents.language, strict=True))
    found: dict[tuple[str, str], Relation] = {}
    for match in result.matches:
        if match.relation in REUSE:
            found[(match.a, match.b)] = found[(match.b, match.a)] = match.relation
    table: dict[str, dict[str, Any]] = defaultdict(lambda: defaultdict(int))
    missed: list[str] = []
    for doc_id, lang in planted.language.items():
        if doc_id in planted.holds[doc_id]:  # the articles themselves, not the plants
            table[lang]["articles"] += 1
            table[lang]["detected"] += detected.get(doc_id) == lang
    for (original, plant_id), kind in planted.pairs.items():
        row = table[planted.language[original]]
        row[f"{kind}_planted"] += 1
        # a lifted passage is reported once per duplicate group: against any whole copy
        family = (
            [original]
            if kind != "lifted"
            else [original, f"{original}-copy", f"{original}-truncated"]
        )
        hit = any(found.get((member, plant_id)) in WANTED[kind] for member in family)
        row[f"{kind}_found"] += hit
        if not hit:
            missed.append(f"{original} {plant_id} {found.get((original, plant_id))}")
    false_examples: list[str] = []
    for match in result.matches:
        if match.relation not in REUSE:
            continue
        langs = {planted.language[match.a], planted.language[match.b]}
        for lang in langs:
            table[lang]["reported"] += 1
        if planted.holds[match.a] & planted.holds[match.b]:
            continue
        if shares_text(match, texts, 20 if "zh" in langs else 40):
            for lang in langs:
                table[lang]["natural"] += 1
            continue
        for lang in langs:
            table[lang]["false"] += 1
        false_examples.append(f"{match.a} {match.b} {match.relation.value}")
    rows = {}
    for lang in LANGUAGES:
        row = dict(table[lang])
        planted_total = sum(row.get(f"{kind}_planted", 0) for kind in WANTED)
        found_total = sum(row.get(f"{kind}_found", 0) for kind in WANTED)
        reported = row.get("reported", 0)
        row["recall"] = round(found_total / planted_total, 4) if planted_total else None
        row["language_accuracy"] = round(row["detected"] / row["articles"], 4)
        row["precision"] = round(1 - row.get("false", 0) / reported, 4) if reported else None
        rows[lang] = row
    return {
        "seconds": round(seconds, 1),
        "documents": len(planted.records),
        "languages": rows,
        "false_examples": false_examples[:20],
        "missed": missed[:20],
    }


def rated_pairs(path: Path) -> list[tuple[str, str, str, bool]]:
    """SemEval's pairs rated clearly one event or clearly two: (id, id, kind, one event)."""
    csv.field_size_limit(1 << 30)
    pairs = []
    with path.open(encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            first, second = row["pair_id"].split("_")
            overall = float(row["Overall"])
            if 1.5 < overall < 3 or not row["text1"].strip() or not row["text2"].strip():
                continue
            if row["lang1"] != row["lang2"]:
                kind = "two languages"
            else:
                kind = "English" if row["lang1"] == "en" else "one other language"
            pairs.append((first, second, kind, overall <= 1.5))
    return pairs


def _f1(called: list[bool], truth: list[bool]) -> dict[str, float]:
    hits = sum(c and t for c, t in zip(called, truth, strict=True))
    precision = hits / max(1, sum(called))
    recall = hits / max(1, sum(truth))
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}


def _chance_fit(
    pairs: list[tuple[str, str, str, bool]],
    heads: dict[str, Any],
    articles: dict[str, tuple[str, str]],
) -> dict[str, Any]:
    """A logistic of the heads' cosine (``stages.languages.story_chance``), and its F1 with
    each group of pairs (a language, or a pair of languages) left out of the fit in turn."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    values = np.array(
        [float(heads[a].astype(float) @ heads[b].astype(float)) for a, b, _, _ in pairs]
    ).reshape(-1, 1)
    labels = np.array([same for *_, same in pairs])
    groups = np.array(["-".join(sorted({articles[a][0], articles[b][0]})) for a, b, _, _ in pairs])
    fitted = LogisticRegression(C=1e6).fit(values, labels)
    held_out: list[bool] = []
    held_truth: list[bool] = []
    for group in sorted(set(groups.tolist())):
        train = groups != group
        model = LogisticRegression(C=1e6).fit(values[train], labels[train])
        held_out += (model.predict_proba(values[~train])[:, 1] >= 0.5).tolist()
        held_truth += labels[~train].tolist()
    return {
        "intercept": round(float(fitted.intercept_[0]), 2),
        "slope": round(float(fitted.coef_[0, 0]), 2),
        "leave_one_group_out": _f1(held_out, held_truth),
    }


def scanned_semeval(
    articles: dict[str, tuple[str, str]], captured: list[Any] | None = None
) -> tuple[ScanResult, float]:
    """Every SemEval article in one scan with the defaults, and its seconds; with
    ``captured``, the story stage's inputs and matches appended to it."""
    if captured is not None:
        from story_sets import _capturing

        with _capturing() as seen:
            found = scanned_semeval(articles)
        captured.extend(seen)
        return found
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / "semeval.jsonl"
        with corpus.open("w", encoding="utf-8") as stream:
            for doc_id, (_, text) in sorted(articles.items()):
                stream.write(json.dumps({"id": doc_id, "text": text}, ensure_ascii=False) + "\n")
        started = time.perf_counter()
        result = scan([corpus], ScanConfig(workers=0))
        return result, time.perf_counter() - started


def story_f1(
    result: ScanResult, pairs: list[tuple[str, str, str, bool]], kind: str
) -> dict[str, float]:
    """ "One story" P/R/F1 of the rated pairs of one kind (an article the scan skipped is in
    no story with any other)."""
    member = {m: s.story for s in result.stories for m in s.members}
    chosen = [pair for pair in pairs if pair[2] == kind]
    called = [member.get(a, -1) == member.get(b, -2) for a, b, _, _ in chosen]
    return _f1(called, [same for *_, same in chosen])


def story_figures(source: Path) -> dict[str, Any]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    from wiretrace.semantic.multilingual import embed_heads
    from wiretrace.stages.languages import head

    articles = semeval_articles(source)
    pairs = rated_pairs(source)
    captured: list[Any] = []
    result, seconds = scanned_semeval(articles, captured)
    translations = {(m.a, m.b) for m in result.matches if m.relation == Relation.TRANSLATION}
    ids = sorted(articles)
    position = {doc_id: number for number, doc_id in enumerate(ids)}
    tfidf = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    matrix = tfidf.fit_transform([articles[doc_id][1] for doc_id in ids])
    cosine = [
        float(matrix[position[a]].multiply(matrix[position[b]]).sum()) for a, b, _, _ in pairs
    ]
    truth = [same for _, _, _, same in pairs]
    figures: dict[str, Any] = {"scan_seconds": round(seconds, 1)}
    print(f"\nSemEval-2022 pairs, all {len(ids)} articles in one scan ({seconds:.0f} s)")
    print(f"{'pairs':20} {'n':>4} {'one event':>9} {'wiretrace P/R/F1':>20} {'TF-IDF F1':>9}")
    for kind in ("English", "one other language", "two languages"):
        chosen = [number for number, pair in enumerate(pairs) if pair[2] == kind]
        kind_truth = [truth[n] for n in chosen]
        ours = story_f1(result, pairs, kind)
        # the baseline's threshold tuned on these very pairs: its best case
        best = max(
            (round(0.05 + 0.01 * step, 2) for step in range(80)),
            key=lambda cut: _f1([cosine[n] >= cut for n in chosen], kind_truth)["f1"],
        )
        theirs = _f1([cosine[n] >= best for n in chosen], kind_truth)
        figures[kind] = {
            "pairs": len(chosen),
            "wiretrace": ours,
            "tfidf": theirs,
            "tfidf_threshold": best,
        }
        print(
            f"{kind:20} {len(chosen):>4} {sum(kind_truth):>9} "
            f"{ours['precision']:>6} {ours['recall']:>6} {ours['f1']:>6} {theirs['f1']:>9}"
        )
    # the English target: no lower than the English articles scanned alone (the
    # same articles, read the same way)
    english = {doc_id: article for doc_id, article in articles.items() if article[0] == "en"}
    alone = story_f1(scanned_semeval(english)[0], pairs, "English")
    figures["English"]["wiretrace_english_alone"] = alone
    print(
        f"{'English, scanned alone':20} {figures['English']['pairs']:>4} "
        f"{sum(pair[3] for pair in pairs if pair[2] == 'English'):>9} "
        f"{alone['precision']:>6} {alone['recall']:>6} {alone['f1']:>6}"
    )
    across = [pair for pair in pairs if pair[2] == "two languages"]
    found = [pair for pair in across if tuple(sorted(pair[:2])) in translations]
    figures["translations_among_two_language_pairs"] = [list(pair[:2]) for pair in found]
    print(f"translations among the {len(across)} pairs in two languages: {len(found)}")
    # the chance of one event: a logistic of the heads' cosine, for pairs in two languages
    # (left out: one language pair at a time) and in one language not English (one language)
    heads = dict(zip(ids, embed_heads([head(articles[i][1]) for i in ids]), strict=True))
    for name, kind in (("across", "two languages"), ("within", "one other language")):
        chosen = [pair for pair in pairs if pair[2] == kind]
        figures[f"{name}_fit"] = _chance_fit(chosen, heads, articles)
        print(f"fit of the chance, {kind}:", figures[f"{name}_fit"])
    figures["head_to_lead_fit"] = _head_to_lead_fit(*captured[-1], heads)
    print("fit of a lead by the heads (group.stories.HEAD_TO_LEAD):", figures["head_to_lead_fit"])
    return figures


def _head_to_lead_fit(inputs: Any, matches: list[Match], heads: dict[str, Any]) -> dict[str, Any]:
    """The fast model's lead cosine (as the story model weighs it) by the multilingual
    heads' cosine over the story candidates of two English articles (no labels used): the
    line that gives the heads' cosines the leads' mean and spread (reduced major axis), so
    that a read lead is as much evidence to the story model as a lead; least squares would
    shrink it toward the mean by the correlation."""
    import numpy as np

    from wiretrace.group.evidence import FEATURES
    from wiretrace.group.stories import story_pairs

    candidates = story_pairs(inputs, matches, ScanConfig().story_settings())
    english = np.asarray(inputs.english)
    both = english[candidates.pairs[:, 0]] & english[candidates.pairs[:, 1]]
    chosen = candidates.pairs[both]
    leads = candidates.features[both, FEATURES.index("lead")]
    vectors = np.array([heads[doc_id] for doc_id in inputs.ids], dtype=np.float64)
    cosines = np.einsum("ij,ij->i", vectors[chosen[:, 0]], vectors[chosen[:, 1]])
    slope = float(leads.std() / cosines.std())
    return {
        "pairs": len(chosen),
        "intercept": round(float(leads.mean() - slope * cosines.mean()), 3),
        "slope": round(slope, 3),
        "correlation": round(float(np.corrcoef(cosines, leads)[0, 1]), 3),
    }


def cost_figures(source: Path) -> dict[str, Any]:
    import gzip

    corpus = Path(__file__).with_name("data") / "corpus-100000.jsonl.gz"
    if not corpus.exists():
        sys.exit(f"{corpus}: not found (python benchmarks/generate_corpus.py makes it)")
    others = [
        {"id": doc_id, "text": text}
        for doc_id, (lang, text) in sorted(semeval_articles(source).items())
        if lang != "en"
    ]
    records = []
    with gzip.open(corpus, "rt", encoding="utf-8") as stream:
        for line in stream:
            records.append(json.loads(line))
            if len(records) == 4 * len(others):
                break
    figures: dict[str, Any] = {"documents": len(records) + len(others), "not_english": len(others)}
    with tempfile.TemporaryDirectory() as folder:
        mixed = Path(folder) / "mixed.jsonl"
        with mixed.open("w", encoding="utf-8") as stream:
            for record in records + others:
                stream.write(json.dumps(record, ensure_ascii=False) + "\n")
        for name, config in (
            ("copy scan", ScanConfig(semantic=False, stories=False, workers=0)),
            ("default scan", ScanConfig(workers=0)),
        ):
            started = time.perf_counter()
            result = scan([mixed], config)
            seconds = time.perf_counter() - started
            figures[name] = {"seconds": round(seconds, 1), **result.summary["timings_seconds"]}
            print(f"{name}: {seconds:.1f} s, stages {result.summary['timings_seconds']}")
    ratio = figures["default scan"]["seconds"] / figures["copy scan"]["seconds"]
    figures["default_over_copy"] = round(ratio, 2)
    print(
        f"{figures['documents']:,} documents, {len(others):,} not in English: default scan "
        f"{ratio:.1f}x the copy scan"
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-language", type=int, default=60)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--stories", action="store_true", help="also the SemEval pair figures")
    parser.add_argument("--cost", action="store_true", help="also the cost on a mixed corpus")
    options = parser.parse_args()
    source = DATA / "semeval2022" / "training_set.csv"
    if not source.exists():
        sys.exit(
            f"{source}: not found (the SemEval-2022 training split; see ../shared/data/README.md)"
        )
    planted = plant(semeval_articles(source), options.per_language, options.seed)
    report = {"planted": score(planted, ScanConfig(semantic=False, stories=False))}
    print(
        f"{'lang':5} {'copy':>9} {'trunc':>9} {'lifted':>9} {'recall':>7} {'reported':>8} "
        f"{'natural':>7} {'false':>5} {'precision':>9} {'language':>8}"
    )
    for lang, row in report["planted"]["languages"].items():
        cells = [f"{row.get(k + '_found', 0)}/{row.get(k + '_planted', 0)}" for k in WANTED]
        print(
            f"{lang:5} {cells[0]:>9} {cells[1]:>9} {cells[2]:>9} {row['recall']!s:>7} "
            f"{row.get('reported', 0):>8} {row.get('natural', 0):>7} {row.get('false', 0):>5} "
            f"{row['precision']!s:>9} {row['language_accuracy']:>8}"
        )
    for example in report["planted"]["false_examples"]:
        print("false:", example)
    for example in report["planted"]["missed"]:
        print("missed:", example)
    if options.stories:
        report["stories"] = story_figures(source)
    if options.cost:
        report["cost"] = cost_figures(source)
    if options.json:
        options.json.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
