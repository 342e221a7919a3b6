"""Lifted passages: is a pair that shares one paragraph compared, whatever its lengths?

Two measurements (issue 13), each with the passage candidates on (the default) and off
(``passage_window=0``: candidates by whole-document similarity only, as before):

- **Planted**: the generated corpus (``generate_corpus.py``) plus documents that each lift one
  paragraph of 40-150 words out of a document of the corpus into a new document 3-10x as
  long as that source, made of other sentences. Recall: the lifting document is matched with
  its source (or a copy of it), and the reported passages cover at least 90% of the lifted
  paragraph on the lifting side. Precision of the reported ``partial`` pairs: the two
  passages' texts share a run of 8 words (checked here on the raw texts, not by wiretrace).
- **PAN 2013** (``pan13-train``, 857 real web documents, 100 annotated pairs per category):
  every document scanned at once; per category the share of pairs matched, and the character
  recall and precision of the reused passages on the suspicious side. ``01-no-plagiarism``
  pairs share nothing: the share matched there is the false-alarm rate.

    python benchmarks/passages.py                          # both, 20,000-document corpus
    python benchmarks/passages.py --only pan13 --semantic  # PAN with the semantic stage too
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import random
import re
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from generate_corpus import DEFAULT_SHARED, default_out, load_pool, truth_path

from wiretrace import ScanConfig, scan
from wiretrace.records import Match

BENCH_DIR = Path(__file__).resolve().parent
LIFTED_WORDS = (40, 150)
HOST_TIMES = (3.0, 10.0)
MIN_COVER = 0.9
_WORDS = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]?\s+")


@dataclass(frozen=True)
class Planted:
    source: str
    host: str
    start: int  # the lifted paragraph in the host's text
    end: int


def _paragraph(rng: random.Random, text: str) -> str | None:
    """A run of whole sentences of one paragraph, 40-150 words long."""
    paragraphs = [p for p in text.split("\n\n") if len(p.split()) >= LIFTED_WORDS[0]]
    if not paragraphs:
        return None
    sentences = [s for s in _SENTENCE_END.split(rng.choice(paragraphs)) if s.strip()]
    first = rng.randrange(len(sentences))
    taken: list[str] = []
    for sentence in sentences[first:]:
        if len(" ".join([*taken, sentence]).split()) > LIFTED_WORDS[1]:
            break
        taken.append(sentence)
        if len(" ".join(taken).split()) >= LIFTED_WORDS[0] and rng.random() < 0.5:
            break
    lifted = " ".join(taken)
    return lifted if LIFTED_WORDS[0] <= len(lifted.split()) <= LIFTED_WORDS[1] else None


def planted_corpus(
    base: Path, shared: Path, hosts: int, seed: int, out: Path
) -> tuple[list[Planted], dict[str, set[str]]]:
    """Write ``base`` plus ``hosts`` lifting documents to ``out``; the planted pairs, and each
    document's family (itself and its planted copies in ``base``)."""
    rng = random.Random(seed)
    pool = load_pool(shared)
    family: dict[str, set[str]] = defaultdict(set)
    truth = truth_path(base)
    if truth.exists():
        for line in truth.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            family[row["source"]].add(row["copy"])
    copies = {copy for members in family.values() for copy in members}
    with gzip.open(base, "rt", encoding="utf-8") as stream:
        records = [json.loads(line) for line in stream]
    originals = [record for record in records if record["id"] not in copies]
    planted: list[Planted] = []
    with out.open("w", encoding="utf-8") as stream:
        for record in records:
            stream.write(json.dumps(record) + "\n")
        while len(planted) < hosts:
            source = rng.choice(originals)
            lifted = _paragraph(rng, source["text"])
            if lifted is None:
                continue
            target = rng.uniform(*HOST_TIMES) * len(source["text"])
            paragraphs: list[str] = []
            length = 0
            while length < target:
                paragraph = " ".join(rng.choice(pool) for _ in range(rng.randint(3, 6)))
                paragraphs.append(paragraph)
                length += len(paragraph) + 2
            at = rng.randint(1, len(paragraphs))
            before = "\n\n".join(paragraphs[:at]) + "\n\n"
            text = before + lifted + "\n\n" + "\n\n".join(paragraphs[at:])
            published = dt.date.fromisoformat(source["published"]) + dt.timedelta(
                days=rng.randint(0, 3)
            )
            host = f"lift{len(planted):05d}"
            stream.write(
                json.dumps(
                    {
                        "id": host,
                        "text": text,
                        "outlet": "Lifting Times",
                        "published": str(published),
                    }
                )
                + "\n"
            )
            planted.append(Planted(source["id"], host, len(before), len(before) + len(lifted)))
    for source in list(family):
        family[source].add(source)
    return planted, family


def _covered(spans: Iterable[tuple[int, int]], start: int, end: int) -> int:
    """Characters of ``start:end`` inside the union of ``spans``."""
    inside = sorted((max(s, start), min(e, end)) for s, e in spans if e > start and s < end)
    total, reach = 0, start
    for s, e in inside:
        s = max(s, reach)
        if e > s:
            total += e - s
            reach = e
    return total


def _side(match: Match, doc_id: str) -> list[tuple[int, int]]:
    """The passages of ``match`` on ``doc_id``'s side."""
    if match.a == doc_id:
        return [(p.a_start, p.a_end) for p in match.passages]
    return [(p.b_start, p.b_end) for p in match.passages]


def _shares_eight_words(first: str, second: str) -> bool:
    words = _WORDS.findall(first.lower())
    grams = {tuple(words[i : i + 8]) for i in range(len(words) - 7)}
    other = _WORDS.findall(second.lower())
    return any(tuple(other[i : i + 8]) in grams for i in range(len(other) - 7))


def planted_scores(
    corpus: Path, planted: Sequence[Planted], family: dict[str, set[str]], config: ScanConfig
) -> dict[str, Any]:
    started = time.perf_counter()
    result = scan([corpus], config)
    seconds = time.perf_counter() - started
    by_pair: dict[tuple[str, str], Match] = {(m.a, m.b): m for m in result.matches}
    found = with_offsets = 0
    texts: dict[str, str] = {}
    with corpus.open(encoding="utf-8") as stream:
        for line in stream:
            record = json.loads(line)
            texts[record["id"]] = record["text"]
    # one long sentence lifted alone is often held by dozens of unrelated generated documents
    # (the generator draws sentences from one pool): too common a passage to propose
    single = {
        item.host
        for item in planted
        if len(_SENTENCE_END.split(texts[item.host][item.start : item.end])) == 1
    }
    single_found = 0
    for item in planted:
        members = family.get(item.source, {item.source})
        matches = [
            by_pair[key]
            for member in members
            if (key := tuple(sorted((member, item.host)))) in by_pair  # type: ignore[arg-type]
        ]
        if not matches:
            continue
        found += 1
        single_found += item.host in single
        spans = [span for match in matches for span in _side(match, item.host)]
        if _covered(spans, item.start, item.end) >= MIN_COVER * (item.end - item.start):
            with_offsets += 1
    partial = [m for m in result.matches if m.relation.value == "partial"]
    sample = random.Random(1).sample(partial, min(2_000, len(partial)))
    correct = sum(
        1
        for m in sample
        if any(
            _shares_eight_words(texts[m.a][p.a_start : p.a_end], texts[m.b][p.b_start : p.b_end])
            for p in m.passages
        )
    )
    counts = result.summary["counts"]
    return {
        "planted": len(planted),
        "found": found,
        "recall": found / len(planted),
        "recall_with_offsets": with_offsets / len(planted),
        "one_sentence": len(single),
        "one_sentence_recall": single_found / len(single) if single else None,
        "several_sentences_recall": (found - single_found) / max(1, len(planted) - len(single)),
        "partial_pairs": len(partial),
        "partial_sampled": len(sample),
        "partial_precision": correct / len(sample) if sample else None,
        "candidate_pairs": counts["candidate_pairs"],
        "passage_candidate_pairs": counts.get("passage_candidate_pairs", 0),
        "seconds": round(seconds, 1),
    }


def pan_pairs(root: Path) -> list[tuple[str, str, str, list[tuple[int, int]]]]:
    """(category, suspicious id, source id, reused spans in the suspicious text) per pair."""
    pairs = []
    for folder in sorted(root.glob("0*-*")):
        for path in sorted(folder.glob("*.xml")):
            susp, source = path.stem.split("-source-")
            spans = [
                (
                    int(f.get("this_offset", 0)),
                    int(f.get("this_offset", 0)) + int(f.get("this_length", 0)),
                )
                for f in ElementTree.parse(path).getroot().iter("feature")
                if f.get("name") == "plagiarism"
            ]
            pairs.append((folder.name, susp, "source-" + source, spans))
    return pairs


def pan_scores(root: Path, config: ScanConfig) -> dict[str, dict[str, float]]:
    pairs = pan_pairs(root)
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / "pan.jsonl"
        with corpus.open("w", encoding="utf-8") as stream:
            for sub in ("susp", "src"):
                for path in sorted((root / sub).glob("*.txt")):
                    text = path.read_text(encoding="utf-8")
                    stream.write(json.dumps({"id": path.stem, "text": text}) + "\n")
        result = scan([corpus], config)
    by_pair = {(m.a, m.b): m for m in result.matches}
    scores: dict[str, dict[str, float]] = {}
    for category in sorted({pair[0] for pair in pairs}):
        chosen = [pair for pair in pairs if pair[0] == category]
        matched = reuse = hits = truth = reported = 0
        for _, susp, source, spans in chosen:
            match = by_pair.get(tuple(sorted((susp, source))))  # type: ignore[arg-type]
            mine = _side(match, susp) if match is not None else []
            matched += match is not None
            reuse += match is not None and match.relation.value != "same_story"
            truth += sum(end - start for start, end in spans)
            reported += _covered(mine, 0, sys.maxsize)
            hits += sum(_covered(mine, start, end) for start, end in spans)
        scores[category] = {
            "pairs": len(chosen),
            "matched": matched / len(chosen),
            "reuse": reuse / len(chosen),  # matched with a relation other than same_story
            "char_recall": hits / truth if truth else float("nan"),
            "char_precision": hits / reported if reported else float("nan"),
        }
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="planted,pan13", help="planted, pan13 or both")
    parser.add_argument("--docs", type=int, default=20_000, help="generated corpus size")
    parser.add_argument("--hosts", type=int, default=1_000, help="lifting documents planted")
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--semantic", action="store_true", help="PAN: also with semantic on")
    parser.add_argument("--json", type=Path, default=None, help="write the figures here")
    options = parser.parse_args()
    only = set(options.only.split(","))
    base = ScanConfig(semantic=False, workers=0)
    runs = [("passage candidates", base), ("whole documents only", replace(base, passage_window=0))]
    figures: dict[str, Any] = {}
    if "planted" in only:
        corpus = default_out(options.docs)
        if not corpus.exists():
            sys.exit(
                f"{corpus} missing: python benchmarks/generate_corpus.py --docs {options.docs}"
            )
        with tempfile.TemporaryDirectory() as folder:
            planted_path = Path(folder) / "planted.jsonl"
            planted, family = planted_corpus(
                corpus, options.shared, options.hosts, 13, planted_path
            )
            print(
                f"\nPlanted lifted paragraphs: {options.docs:,} documents + {len(planted):,} hosts"
            )
            print(
                "\n| --no-semantic | found | with offsets | one sentence | several | partial pairs "
                "| partial precision | passage candidates | seconds |"
                "\n|---|---|---|---|---|---|---|---|---|"
            )
            for name, config in runs:
                row = planted_scores(planted_path, planted, family, config)
                figures[f"planted, {name}"] = row
                precision = row["partial_precision"]
                print(
                    f"| {name} | {row['recall']:.3f} | {row['recall_with_offsets']:.3f} | "
                    f"{row['one_sentence_recall'] or 0:.3f} ({row['one_sentence']}) | "
                    f"{row['several_sentences_recall']:.3f} | "
                    f"{row['partial_pairs']:,} | "
                    f"{'-' if precision is None else format(precision, '.4f')} | "
                    f"{row['passage_candidate_pairs']:,} | {row['seconds']} |",
                    flush=True,
                )
    if "pan13" in only:
        root = options.shared / "data" / "pan13-train"
        if not root.is_dir():
            sys.exit(f"{root} missing")
        if options.semantic:
            runs.append(("passage candidates, semantic on", replace(base, semantic=True)))
        print(
            "\nPAN 2013 text alignment (train sample): share of pairs matched (as reuse: by any "
            "relation but same_story); characters of "
            "the reused passages found (recall) and of the reported ones that are reused "
            "(precision), suspicious side"
        )
        print(
            "\n| run | category | matched | as reuse | char recall | char precision |"
            "\n|---|---|---|---|---|---|"
        )
        for name, config in runs:
            scores = pan_scores(root, config)
            figures[f"pan13, {name}"] = scores
            for category, row in scores.items():
                print(
                    f"| {name} | {category} | {row['matched']:.2f} | {row['reuse']:.2f} | "
                    f"{row['char_recall']:.3f} | "
                    f"{row['char_precision']:.3f} |",
                    flush=True,
                )
    if options.json is not None:
        options.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
