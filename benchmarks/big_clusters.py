"""Big copy clusters: a wire story republished a thousand times must cost O(n), not O(n²).

Builds a 100,000-document corpus of which 20,000 are copies of 20 stories (1,000 each: the
story itself and 999 copies, verbatim, edited, truncated or wrapped in page noise, as
``generate_corpus.py`` makes them), the other 80,000 the first documents of the standard
corpus; then times ``wiretrace scan --no-semantic`` on it and on the standard 100,000-document
corpus in the same run (wall time and peak memory of the process tree), and checks that every
copy lands in its story's duplicate group. Also with ``--big-group-size 0`` (every pair) on
request, which is quadratic in the cluster size.

    python benchmarks/big_clusters.py                  # needs benchmarks/data/corpus-100000
    python benchmarks/big_clusters.py --every-pair     # also the run without the limit
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import random
import sys
import tempfile
from pathlib import Path
from typing import Any

from generate_corpus import (
    DEFAULT_SHARED,
    FIRST_DATE,
    default_out,
    load_pool,
    make_edited,
    make_noise,
    make_original,
    make_truncated,
    render,
)
from run import measure, wiretrace_command

STORIES = 20
COPIES = 1_000  # per story, the story included
KINDS = ("verbatim", "edited", "truncated", "noise")


def cluster_corpus(base: Path, shared: Path, out: Path, seed: int = 5) -> dict[str, str]:
    """Write the corpus; each planted document's story id."""
    pool = load_pool(shared)
    vocab = sorted({w for s in pool for w in s.split() if w.isalpha() and w.islower()})
    rng = random.Random(seed)
    story_of: dict[str, str] = {}
    with gzip.open(base, "rt", encoding="utf-8") as stream, out.open("w", encoding="utf-8") as sink:
        for index, line in enumerate(stream):
            if index >= 100_000 - STORIES * COPIES:
                break
            sink.write(line)
        for story in range(STORIES):
            source = make_original(rng, pool)
            day = FIRST_DATE + dt.timedelta(days=rng.randrange(900))
            for copy in range(COPIES):
                kind = "verbatim" if copy == 0 else KINDS[copy % len(KINDS)]
                if kind == "edited":
                    text = render(make_edited(rng, source, pool, vocab))
                elif kind == "truncated":
                    text = render(make_truncated(rng, source))
                elif kind == "noise":
                    text, _ = make_noise(rng, source, pool, f"Outlet {copy % 50}", day.year)
                else:
                    text = render(source)
                doc_id = f"story{story:02d}-{copy:04d}"
                published = day + dt.timedelta(days=0 if copy == 0 else rng.randint(0, 3))
                record = {"id": doc_id, "text": text, "published": published.isoformat()}
                sink.write(json.dumps(record) + "\n")
                story_of[doc_id] = f"story{story:02d}"
    return story_of


def scan_once(corpus: Path, out: Path, extra: list[str]) -> dict[str, Any]:
    exe = wiretrace_command()
    if exe is None:
        sys.exit("no `wiretrace` command next to this Python: pip install -e .")
    cmd = [str(exe), "scan", str(corpus), "--out", str(out), "--quiet", "--no-semantic", *extra]
    measured = measure(cmd)
    if measured.returncode != 0:
        sys.exit(f"scan failed: {measured.stderr[-500:]}")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    return {
        "seconds": round(measured.wall_seconds, 1),
        "peak_mb": round(measured.tree_peak_rss_mb),
        "candidate_pairs": summary["counts"]["candidate_pairs"],
        "matches": summary["counts"]["matches"],
        "star_pairs": summary["counts"]["big_group_star_pairs"],
        "not_listed": summary["counts"]["big_group_pairs_not_listed"],
        "timings": summary["timings_seconds"],
    }


def grouped(out: Path, story_of: dict[str, str]) -> tuple[int, int]:
    """Stories whose copies are all in one group with nothing else planted; copies outside
    their story's group."""
    import pyarrow.parquet as pq

    group_of: dict[str, int] = {}
    for row in pq.read_table(out / "groups.parquet").to_pylist():
        for member in row["members"]:
            group_of[member] = row["group"]
    members: dict[str, set[int | None]] = {}
    for doc_id, story in story_of.items():
        members.setdefault(story, set()).add(group_of.get(doc_id))
    whole = sum(1 for groups in members.values() if len(groups) == 1 and None not in groups)
    # a copy is astray when its group is not the one most of its story is in
    astray = 0
    for story, _ in members.items():
        ids = [doc_id for doc_id, s in story_of.items() if s == story]
        counts: dict[int | None, int] = {}
        for doc_id in ids:
            counts[group_of.get(doc_id)] = counts.get(group_of.get(doc_id), 0) + 1
        main = max(counts, key=lambda key: counts[key])
        astray += sum(n for key, n in counts.items() if key != main or key is None)
    return whole, astray


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--every-pair", action="store_true", help="also --big-group-size 0")
    parser.add_argument("--json", type=Path, default=None, help="write the figures here")
    options = parser.parse_args()
    base = default_out(100_000)
    if not base.exists():
        sys.exit(f"{base} missing: python benchmarks/generate_corpus.py")
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="wiretrace-clusters-") as folder:
        work = Path(folder)
        corpus = work / "clusters.jsonl"
        story_of = cluster_corpus(base, options.shared, corpus)
        runs = [("standard 100k corpus", base, []), ("20 stories x 1,000 copies", corpus, [])]
        if options.every_pair:
            runs.append(("20 x 1,000, --big-group-size 0", corpus, ["--big-group-size", "0"]))
        print(
            "\n| corpus | seconds | peak MB | candidate pairs | star pairs | matches | not listed "
            "| stories whole | copies astray |\n|---|---|---|---|---|---|---|---|---|"
        )
        for number, (name, path, extra) in enumerate(runs):
            out = work / f"out{number}"
            row = scan_once(path, out, extra)
            if path == corpus:
                row["stories_whole"], row["copies_astray"] = grouped(out, story_of)
            figures[name] = row
            print(
                f"| {name} | {row['seconds']} | {row['peak_mb']:,} | {row['candidate_pairs']:,} | "
                f"{row['star_pairs']:,} | {row['matches']:,} | {row['not_listed']:,} | "
                f"{row.get('stories_whole', '-')} | "
                f"{row.get('copies_astray', '-')} |",
                flush=True,
            )
    standard, clusters = figures["standard 100k corpus"], figures["20 stories x 1,000 copies"]
    print(
        f"\nclusters ÷ standard: time {clusters['seconds'] / standard['seconds']:.2f}x, "
        f"peak memory {clusters['peak_mb'] / standard['peak_mb']:.2f}x (target <= 1.5x each)"
    )
    if options.json is not None:
        options.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
