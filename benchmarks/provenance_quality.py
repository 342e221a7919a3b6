"""Provenance quality on a generated corpus where every copy's source is known.

Sources are real articles (one per ECB+ story) dressed as agency wires: an agency outlet
(afp.com, reuters.com, apnews.com) and a dateline with the agency's credit. Each source gets
one scenario; the copies are republications by other outlets:

| scenario | what the corpus holds | right answer |
|---|---|---|
| `dropped_credit` | copy 3 hours later, credit dropped, page noise added | the wire |
| `kept_credit` | copy a day later that keeps the credit | the wire |
| `truncated_undated` | no dates; the copy is the wire's first 60%, credit dropped | the wire |
| `local_paragraphs` | copy undated, credit dropped, local paragraphs added | the wire |
| `undated_kept_credit` | no dates; the copy keeps the credit | the wire |
| `source_undated` | the wire undated; copy dated, credit dropped, page noise | the wire |
| `unseen_both_credit` | wire not in the corpus; two copies crediting it, hours apart | null |
| `unseen_one_credit` | wire not in the corpus; two copies one day, one credits it | null |

A wrong direction is worse than a null: the report gives both.

    python benchmarks/provenance_quality.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from evaldata import ecbplus_documents

from wiretrace import ScanConfig, scan

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SCENARIOS = (
    "dropped_credit",
    "kept_credit",
    "truncated_undated",
    "local_paragraphs",
    "undated_kept_credit",
    "source_undated",
    "unseen_both_credit",
    "unseen_one_credit",
)
AGENCIES = (("AFP", "afp.com"), ("Reuters", "reuters.com"), ("AP", "apnews.com"))
CITIES = ("BERLIN", "NAIROBI", "LIMA", "MANILA", "OSLO", "CAIRO", "QUITO", "HANOI")
NOISE = (
    "We use cookies to improve your experience. By continuing you accept our cookie policy.",
    "Read More: Council approves new budget for road repairs",
    "Share this article on Facebook Twitter WhatsApp Email",
)
LOCAL = (
    "Residents of our county who have relatives in the region can call the consulate hotline.",
    "The county emergency office said it was following the news closely and had no comment.",
    "Local officials plan to discuss the matter at the next town hall meeting on Thursday.",
)


@dataclass(frozen=True)
class Pair:
    """Two generated documents, the scenario, and the right source (None: none of them)."""

    a: str
    b: str
    scenario: str
    source: str | None


def _record(doc_id: str, outlet: str, text: str, published: dt.datetime | None) -> dict[str, str]:
    record = {"id": doc_id, "outlet": outlet, "text": text}
    if published is not None:
        record["published"] = published.isoformat(timespec="minutes")
    return record


def generate(root: Path, seed: int = 5) -> tuple[list[dict[str, str]], list[Pair]]:
    """The corpus records and the pairs whose provenance is known."""
    chooser = random.Random(seed)
    bodies: dict[str, str] = {}
    for document in ecbplus_documents(root):
        bodies.setdefault(document.story, document.text)
    records: list[dict[str, str]] = []
    pairs: list[Pair] = []
    start = dt.datetime(2021, 3, 1, 8, 0, tzinfo=dt.UTC)
    for number, (story, body) in enumerate(sorted(bodies.items())):
        scenario = SCENARIOS[number % len(SCENARIOS)]
        agency, host = AGENCIES[number % len(AGENCIES)]
        when = start + dt.timedelta(days=number)
        dateline = f"{chooser.choice(CITIES)}, {when:%b} {when.day} ({agency}) - "
        wire = dateline + body
        lines = body.splitlines()
        source_id, copy_id = f"{story}-wire", f"{story}-copy"
        outlet = f"daily{number}.example"
        if scenario == "dropped_credit":
            records.append(_record(source_id, host, wire, when))
            text = "\n".join([NOISE[0], body, NOISE[1], NOISE[2]])
            records.append(_record(copy_id, outlet, text, when + dt.timedelta(hours=3)))
        elif scenario == "kept_credit":
            records.append(_record(source_id, host, wire, when))
            records.append(_record(copy_id, outlet, wire, when + dt.timedelta(days=1)))
        elif scenario == "truncated_undated":
            records.append(_record(source_id, host, wire, None))
            cut = "\n".join(lines[: max(2, int(len(lines) * 0.6))])
            records.append(_record(copy_id, outlet, cut, None))
        elif scenario == "local_paragraphs":
            records.append(_record(source_id, host, wire, when))
            records.append(_record(copy_id, outlet, "\n".join([body, *LOCAL]), None))
        elif scenario == "undated_kept_credit":
            records.append(_record(source_id, host, wire, None))
            records.append(_record(copy_id, outlet, wire, None))
        elif scenario == "source_undated":
            records.append(_record(source_id, host, wire, None))
            text = "\n".join([NOISE[0], body, NOISE[2]])
            records.append(_record(copy_id, outlet, text, when + dt.timedelta(hours=5)))
        else:  # the wire is not in the corpus: two copies of it
            other_id, other = f"{story}-copy2", f"weekly{number}.example"
            if scenario == "unseen_both_credit":
                records.append(_record(copy_id, outlet, wire, when + dt.timedelta(hours=2)))
                records.append(_record(other_id, other, wire, when + dt.timedelta(hours=6)))
            else:
                day = dt.datetime(when.year, when.month, when.day)
                records.append(_record(copy_id, outlet, wire, None) | {"published": f"{day:%F}"})
                records.append(_record(other_id, other, body, None) | {"published": f"{day:%F}"})
            pairs.append(Pair(*sorted((copy_id, other_id)), scenario, None))
            continue
        pairs.append(Pair(*sorted((source_id, copy_id)), scenario, source_id))
    return records, pairs


@dataclass(frozen=True)
class Outcome:
    pair: Pair
    relation: str | None
    source: str | None
    confidence: float | None
    reasons: tuple[str, ...]

    @property
    def verdict(self) -> str:
        if self.relation is None:
            return "missed"
        if self.source is None:
            return "right" if self.pair.source is None else "null"
        return "right" if self.source == self.pair.source else "wrong"


def evaluate(root: Path, config: ScanConfig | None = None) -> list[Outcome]:
    records, pairs = generate(root)
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / "provenance.jsonl"
        corpus.write_text("".join(json.dumps(record) + "\n" for record in records), "utf-8")
        result = scan([corpus], config or ScanConfig(semantic=False))
    by_pair = {(match.a, match.b): match for match in result.matches}
    outcomes = []
    for pair in pairs:
        match = by_pair.get((pair.a, pair.b))
        outcomes.append(
            Outcome(
                pair,
                match.relation.value if match else None,
                match.source if match else None,
                match.provenance_confidence if match else None,
                match.provenance_reasons if match else (),
            )
        )
    return outcomes


def summary(outcomes: list[Outcome]) -> dict[str, float]:
    """Direction accuracy where a source is named, and the shares of each verdict."""
    verdicts = Counter(outcome.verdict for outcome in outcomes)
    named = sum(1 for outcome in outcomes if outcome.source is not None)
    named_right = sum(
        1 for outcome in outcomes if outcome.source is not None and outcome.verdict == "right"
    )
    total = len(outcomes)
    return {
        "pairs": total,
        "direction_accuracy": named_right / named if named else 0.0,
        "right": verdicts["right"] / total,
        "null": verdicts["null"] / total,
        "wrong": verdicts["wrong"] / total,
        "missed": verdicts["missed"] / total,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_DATA.parent)
    parser.add_argument("--verbose", action="store_true", help="print every pair's reasons")
    options = parser.parse_args()
    root = options.shared / "data" / "ecbplus-dev" / "ECB+"
    if not root.is_dir():
        sys.exit(f"no ECB+ data at {root}; pass --shared")
    outcomes = evaluate(root)
    print("| scenario | pairs | right | null | wrong | missed |")
    print("|---|---|---|---|---|---|")
    for scenario in SCENARIOS:
        mine = [outcome for outcome in outcomes if outcome.pair.scenario == scenario]
        counts = Counter(outcome.verdict for outcome in mine)
        print(
            f"| `{scenario}` | {len(mine)} | {counts['right']} | {counts['null']} | "
            f"{counts['wrong']} | {counts['missed']} |"
        )
    figures = summary(outcomes)
    print()
    print(
        f"{figures['pairs']} pairs: direction accuracy {figures['direction_accuracy']:.3f} where a "
        f"source is named; right {figures['right']:.3f}, null {figures['null']:.3f}, "
        f"wrong {figures['wrong']:.3f}, missed {figures['missed']:.3f}"
    )
    if options.verbose:
        for outcome in outcomes:
            print(outcome.verdict, outcome.pair.scenario, outcome.relation, outcome.reasons)


if __name__ == "__main__":
    main()
