"""The wiretrace benchmark: speed, memory, recall and precision against rensa, gaoya and
datasketch.

wiretrace runs twice: ``wiretrace`` is the copy scan (``--no-semantic``), compared with the
peers, which find copies only; ``wiretrace-default`` is the default scan (the semantic stage
on), its own row, with its ratio to the copy scan.

    python benchmarks/run.py [--docs 100000] [--tools wiretrace,rensa,datasketch]

Generates the corpus when it is missing (``generate_corpus.py``), scans its first 300
documents once untimed (numba compiles wiretrace's kernels on first use after an install),
then runs every tool in its own subprocess, one after the other, on the same corpus:

* peers (``peers.py``): the child reports its own run time (from the first byte read to the
  finished pair set; interpreter start and imports excluded);
* wiretrace: ``wiretrace scan CORPUS --out TMPDIR --quiet``, timed around the subprocess (so
  interpreter start and imports are included); pairs are read from ``TMPDIR/matches.parquet``,
  counting the relations exact, near_duplicate, contained and partial.

Peak memory is the child's ``ru_maxrss`` from ``os.wait4`` (the largest single process of the
child's tree); the sampled sum of RSS over the child and its descendants is reported beside it
because a process pool's workers run at the same time. Recall is over the planted
``(source, copy)`` pairs (overall and per kind); precision counts a reported pair as correct
when both documents belong to the same family (an original and all its copies).

Results go to the console (a table and the speed and memory ratios) and to
``benchmarks/results/<date>-<docs>.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import platform
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from importlib import metadata
from itertools import islice
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
PEERS = ("rensa", "gaoya", "datasketch")
# "wiretrace" is the copy scan (--no-semantic: the peers find copies only); "wiretrace-default"
# is the default scan (the semantic stage on), its own row; "wiretrace-copies" leaves out the
# stories too (what a user who wants copies or a deduplicated corpus runs)
# "wiretrace-dedup" is `wiretrace dedup` writing the deduplicated corpus: its row reports what
# it removed and whether it lost unique text, beside keep-one-per-component of each tool's pairs
ALL_TOOLS = ("wiretrace", "wiretrace-copies", "wiretrace-default", "wiretrace-dedup", *PEERS)
DEDUP_TOOL = "wiretrace-dedup"
WIRETRACE_ARGS = {
    "wiretrace": ["--no-semantic"],
    "wiretrace-copies": ["--no-semantic", "--no-stories"],
    "wiretrace-default": [],
}
KINDS = ("verbatim", "edited", "truncated", "noise", "reordered")
# the relations scored against the planted copies, as the peers' pairs are: `partial` pairs
# (passages shared by unrelated documents of the generated corpus, which draws its sentences
# from one pool) are counted apart, with a sample checked for a shared 8-word passage
WIRETRACE_RELATIONS = ("exact", "near_duplicate", "contained")
SAMPLE_SECONDS = 0.1
CROSS_FAMILY_SAMPLE = 1_000  # cross-family pairs per tool (and relation) checked for reuse
PASSAGE_WORDS = 8
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")

sys.path.insert(0, str(BENCH_DIR))
import dedup_quality  # noqa: E402
import generate_corpus  # noqa: E402
import peers  # noqa: E402

_WORD_RE = re.compile(r"\w+")

Pair = tuple[str, str]


@dataclass
class Truth:
    pairs: list[tuple[str, str, str]]  # (source, copy, kind)
    family: dict[str, str]  # document id -> id of its family's original

    def same_family(self, a: str, b: str) -> bool:
        return self.family.get(a, a) == self.family.get(b, b)


@dataclass
class Measured:
    returncode: int
    wall_seconds: float
    peak_rss_mb: float  # ru_maxrss of the child (largest process of its tree)
    tree_peak_rss_mb: float  # sampled max of the summed RSS of the child and its descendants
    stdout: str
    stderr: str


@dataclass
class ToolResult:
    tool: str
    status: str = "ok"
    docs: int = 0
    seconds: float = 0.0
    seconds_source: str = ""
    wall_seconds: float = 0.0
    docs_per_s: float = 0.0
    peak_rss_mb: float = 0.0
    tree_peak_rss_mb: float = 0.0
    pairs: int = 0
    correct_pairs: int = 0
    precision: float | None = None
    recall: float = 0.0
    recall_by_kind: dict[str, float] = field(default_factory=dict)
    found_by_kind: dict[str, int] = field(default_factory=dict)
    relations: dict[str, dict[str, int]] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------------------------------
# Corpus and truth
# --------------------------------------------------------------------------------------------


def ensure_corpus(corpus: Path, docs: int, seed: int | None, shared: Path | None) -> None:
    truth = generate_corpus.truth_path(corpus)
    if corpus.exists() and truth.exists():
        return
    print(f"corpus {corpus} not found: generating {docs:,} documents", flush=True)
    cmd = [
        sys.executable,
        str(BENCH_DIR / "generate_corpus.py"),
        "--docs",
        str(docs),
        "--out",
        str(corpus),
    ]
    if seed is not None:
        cmd += ["--seed", str(seed)]
    if shared is not None:
        cmd += ["--shared", str(shared)]
    subprocess.run(cmd, check=True)


def load_truth(corpus: Path) -> Truth:
    pairs: list[tuple[str, str, str]] = []
    family: dict[str, str] = {}
    with generate_corpus.truth_path(corpus).open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                pairs.append((row["source"], row["copy"], row["kind"]))
                family[row["copy"]] = row["source"]
    return Truth(pairs=pairs, family=family)


def count_docs(corpus: Path) -> int:
    opener = gzip.open if corpus.name.endswith(".gz") else open
    with opener(corpus, "rb") as handle:
        return sum(1 for line in handle if line.strip())


# --------------------------------------------------------------------------------------------
# Running a tool
# --------------------------------------------------------------------------------------------


# A fork of a big process inherits its RSS high-water mark: Linux carries the old ``mm``'s peak
# into ``ru_maxrss`` at ``exec`` (with fork, vfork and posix_spawn alike). So every tool is started
# by this tiny launcher (``python -S``, ~10 MB), which forks and execs the tool and reports the
# tool's own ``wait4`` usage; the launcher's RSS is then the floor of the figure, not run.py's.
LAUNCHER = """
import json, os, sys, time
report, cmd = sys.argv[1], sys.argv[2:]
started = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execv(cmd[0], cmd)
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - started
with open(report, "w") as handle:
    json.dump({"returncode": os.waitstatus_to_exitcode(status), "wall_seconds": wall,
               "maxrss_kb": usage.ru_maxrss}, handle)
"""


def _tree_rss_bytes(root: int, include_root: bool = True) -> int:
    """Summed RSS of ``root`` (optionally) and its live descendants (``/proc`` children)."""
    total = 0
    stack = [root]
    seen: set[int] = set()
    while stack:
        pid = stack.pop()
        if pid in seen:
            continue
        seen.add(pid)
        proc_dir = Path("/proc") / str(pid)
        try:
            if include_root or pid != root:
                statm = (proc_dir / "statm").read_text(encoding="ascii")
                total += int(statm.split()[1]) * PAGE_BYTES
            for task in (proc_dir / "task").iterdir():
                children = (task / "children").read_text(encoding="ascii").split()
                stack.extend(int(child) for child in children)
        except (OSError, ValueError, IndexError):
            continue
    return total


def measure(cmd: list[str], cwd: Path | None = None) -> Measured:
    """Run ``cmd`` (absolute executable path) through the launcher: wall time and
    ``ru_maxrss`` of the tool process from ``os.wait4``, plus the sampled RSS of its tree."""
    with (
        tempfile.TemporaryDirectory(prefix="wiretrace-bench-run-") as tmp,
        tempfile.TemporaryFile("w+") as out,
        tempfile.TemporaryFile("w+") as err,
    ):
        report = Path(tmp) / "usage.json"
        started = time.perf_counter()
        launcher = [sys.executable, "-S", "-c", LAUNCHER, str(report), *cmd]
        proc = subprocess.Popen(launcher, stdout=out, stderr=err, cwd=cwd)
        peak = 0
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, _tree_rss_bytes(proc.pid, include_root=False))
                done.wait(SAMPLE_SECONDS)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        returncode = proc.wait()
        wall = time.perf_counter() - started
        done.set()
        sampler.join()
        maxrss_mb = 0.0
        if report.exists():
            usage = json.loads(report.read_text(encoding="utf-8"))
            returncode = int(usage["returncode"])
            wall = float(usage["wall_seconds"])
            maxrss_mb = usage["maxrss_kb"] / 1024  # Linux reports kilobytes
        out.seek(0)
        err.seek(0)
        return Measured(
            returncode=returncode,
            wall_seconds=wall,
            peak_rss_mb=maxrss_mb,
            tree_peak_rss_mb=max(peak / 2**20, maxrss_mb),
            stdout=out.read(),
            stderr=err.read(),
        )


def read_pairs_tsv(path: Path) -> set[Pair]:
    pairs: set[Pair] = set()
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            a, _, b = line.rstrip("\n").partition("\t")
            if b:
                pairs.add((a, b) if a < b else (b, a))
    return pairs


def run_peer(tool: str, corpus: Path, workdir: Path) -> tuple[ToolResult, set[Pair]]:
    pairs_file = workdir / f"{tool}-pairs.tsv"
    cmd = [
        sys.executable,
        str(BENCH_DIR / "peers.py"),
        tool,
        str(corpus),
        "--pairs-out",
        str(pairs_file),
    ]
    measured = measure(cmd)
    result = ToolResult(
        tool=tool,
        wall_seconds=measured.wall_seconds,
        peak_rss_mb=measured.peak_rss_mb,
        tree_peak_rss_mb=measured.tree_peak_rss_mb,
    )
    if measured.returncode != 0:
        result.status = f"failed (exit {measured.returncode}): {_last_line(measured.stderr)}"
        return result, set()
    report = json.loads(measured.stdout.strip().splitlines()[-1])
    result.docs = int(report["docs"])
    result.seconds = float(report["seconds"])
    result.seconds_source = "child's own report (imports and interpreter start excluded)"
    return result, read_pairs_tsv(pairs_file)


def wiretrace_command() -> Path | None:
    exe = Path(sys.executable).parent / "wiretrace"
    return exe if exe.exists() else None


_WARM_DOCS = 300


def warm_up(corpus: Path, workdir: Path) -> None:
    """A default scan of the corpus's first documents, untimed: numba compiles wiretrace's
    kernels on their first use after an install (~13 s of CPU) and keeps them on disk, which
    the first timed row would otherwise pay alone."""
    exe = wiretrace_command()
    if exe is None:
        return
    sample = workdir / "warm-up.jsonl"
    with peers.open_text(corpus) as stream, sample.open("w", encoding="utf-8") as out:
        out.writelines(islice(stream, _WARM_DOCS))
    subprocess.run(
        [str(exe), "scan", str(sample), "--out", str(workdir / "warm-up"), "--quiet"],
        check=False,
        capture_output=True,
    )


def run_wiretrace(
    corpus: Path, workdir: Path, docs: int, tool: str = "wiretrace"
) -> tuple[ToolResult, set[Pair]]:
    exe = wiretrace_command()
    result = ToolResult(tool=tool)
    if exe is None:
        result.status = (
            f"skipped: no `wiretrace` command at {Path(sys.executable).parent} "
            "(install the package into this venv: pip install -e .)"
        )
        return result, set()
    out_dir = workdir / f"{tool}-out"
    measured = measure(
        [str(exe), "scan", str(corpus), "--out", str(out_dir), "--quiet", *WIRETRACE_ARGS[tool]]
    )
    result.wall_seconds = measured.wall_seconds
    result.seconds = measured.wall_seconds
    result.seconds_source = "wall time around `wiretrace scan` (interpreter start included)"
    result.peak_rss_mb = measured.peak_rss_mb
    result.tree_peak_rss_mb = measured.tree_peak_rss_mb
    result.docs = docs
    if measured.returncode != 0:
        result.status = f"failed (exit {measured.returncode}): {_last_line(measured.stderr)}"
        return result, set()
    matches = out_dir / "matches.parquet"
    if not matches.exists():
        result.status = f"failed: {matches.name} was not written"
        return result, set()
    import pyarrow.parquet as pq

    table = pq.read_table(matches, columns=["a", "b", "relation"]).to_pydict()
    by_relation: dict[str, set[Pair]] = defaultdict(set)
    for a, b, relation in zip(table["a"], table["b"], table["relation"], strict=True):
        a, b = str(a), str(b)
        by_relation[str(relation)].add((a, b) if a < b else (b, a))
    summary_file = out_dir / "summary.json"
    if summary_file.exists():
        try:
            summary = json.loads(summary_file.read_text(encoding="utf-8"))
            result.details["summary"] = {
                k: summary[k]
                for k in ("counts", "timings_seconds", "semantic", "version")
                if k in summary
            }
        except (OSError, ValueError) as exc:
            result.details["summary_error"] = str(exc)
    result.details["pairs_by_relation"] = {r: len(p) for r, p in sorted(by_relation.items())}
    counted: set[Pair] = set()
    for relation in WIRETRACE_RELATIONS:
        counted |= by_relation.get(relation, set())
    result.details["by_relation_sets"] = by_relation  # removed before saving
    return result, counted


def run_wiretrace_dedup(
    corpus: Path, workdir: Path, docs: int
) -> tuple[ToolResult, dict[str, str]]:
    """``wiretrace dedup``: its time and memory, and the dropped ids with the kept ones."""
    exe = wiretrace_command()
    result = ToolResult(tool=DEDUP_TOOL, docs=docs)
    if exe is None:
        result.status = "skipped: no `wiretrace` command (pip install -e .)"
        return result, {}
    out = workdir / "dedup" / "deduplicated.jsonl.gz"
    measured = measure([str(exe), "dedup", str(corpus), "--out", str(out), "--quiet"])
    result.wall_seconds = result.seconds = measured.wall_seconds
    result.seconds_source = "wall time around `wiretrace dedup` (interpreter start included)"
    result.peak_rss_mb = measured.peak_rss_mb
    result.tree_peak_rss_mb = measured.tree_peak_rss_mb
    if measured.returncode != 0:
        result.status = f"failed (exit {measured.returncode}): {_last_line(measured.stderr)}"
        return result, {}
    result.docs_per_s = docs / result.seconds if result.seconds else 0.0
    dropped = dedup_quality.read_dropped_table(out.with_name("deduplicated.dropped.jsonl"))
    written = len(dedup_quality.read_ids(out))
    if written + len(dropped) != docs:
        result.details["warning"] = f"{written} written + {len(dropped)} dropped != {docs}"
    return result, dropped


def dedup_report(
    corpus: Path,
    truth: Truth,
    tool_pairs: dict[str, set[Pair]],
    wiretrace_dropped: dict[str, str] | None,
) -> dict[str, dict[str, Any]]:
    """What each deduplication removed and lost: `wiretrace dedup`, and keep-one-per-component
    of every other tool's pairs (the usual way pairs become a deduplicated corpus)."""
    texts = dedup_quality.corpus_texts(corpus)
    report: dict[str, dict[str, Any]] = {}
    if wiretrace_dropped is not None:
        found = dedup_quality.figures(wiretrace_dropped, texts, truth.family)
        report[DEDUP_TOOL] = found.as_dict()
    for tool, pairs in tool_pairs.items():
        dropped = dedup_quality.by_components(pairs)
        report[f"{tool} (components)"] = dedup_quality.figures(
            dropped, texts, truth.family
        ).as_dict()
    return report


def print_dedup(report: dict[str, dict[str, Any]], results: dict[str, ToolResult]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console() if sys.stdout.isatty() else Console(width=160)
    table = Table(title="dedup: removed, and unique documents wrongly removed (must be 0)")
    for name in ("dedup", "seconds", "peak MB", "dropped", "of ideal", "planted", "lost"):
        table.add_column(name, justify="left" if name == "dedup" else "right")
    for label, found in report.items():
        tool = label.split(" ")[0]
        result = results.get(tool)
        timing = result is not None and result.status == "ok"
        table.add_row(
            label,
            f"{result.seconds:.2f}" if timing and result else "–",
            f"{result.peak_rss_mb:,.0f}" if timing and result else "–",
            f"{found['dropped']:,}",
            f"{found['ideal_drops']:,}",
            f"{found['planted_dropped']:,}",
            f"{found['lost']:,}",
        )
    console.print(table)
    console.print(
        "dropped: documents removed; of ideal: family members beyond the first (what a perfect "
        "dedup removes); planted: removed documents of planted families; lost: removed "
        f"documents of which less than {dedup_quality.HELD:.0%} of the shingles are in the "
        "document kept in their place (the peers' rows keep the smallest id of each connected "
        "component of their pairs)."
    )


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else "(no error output)"


# --------------------------------------------------------------------------------------------
# Scoring and reporting
# --------------------------------------------------------------------------------------------


def score(result: ToolResult, pairs: set[Pair], truth: Truth) -> dict[str, list[Pair]]:
    """Fill in recall and precision; return samples of cross-family pairs to inspect, by label
    (the tool, and ``tool/relation`` for wiretrace's relations)."""
    rng = random.Random(0)
    samples: dict[str, list[Pair]] = {}

    def sample(label: str, chosen: Iterable[Pair]) -> None:
        cross = sorted(p for p in chosen if not truth.same_family(*p))
        if cross:
            samples[label] = rng.sample(cross, min(CROSS_FAMILY_SAMPLE, len(cross)))

    sample(result.tool, pairs)
    result.pairs = len(pairs)
    result.correct_pairs = sum(1 for a, b in pairs if truth.same_family(a, b))
    result.precision = result.correct_pairs / len(pairs) if pairs else None
    totals: Counter[str] = Counter()
    found: Counter[str] = Counter()
    for source, copy, kind in truth.pairs:
        totals[kind] += 1
        if ((source, copy) if source < copy else (copy, source)) in pairs:
            found[kind] += 1
    result.recall = sum(found.values()) / max(1, sum(totals.values()))
    result.found_by_kind = {kind: found[kind] for kind in KINDS if totals[kind]}
    result.recall_by_kind = {kind: found[kind] / totals[kind] for kind in KINDS if totals[kind]}
    by_relation = result.details.pop("by_relation_sets", None)
    if isinstance(by_relation, dict):
        for relation, rel_pairs in sorted(by_relation.items()):
            correct = sum(1 for a, b in rel_pairs if truth.same_family(a, b))
            result.relations[relation] = {"pairs": len(rel_pairs), "same_family": correct}
            sample(f"{result.tool}/{relation}", rel_pairs)
    if result.seconds > 0:
        result.docs_per_s = result.docs / result.seconds
    return samples


def word_ngrams(text: str, n: int = PASSAGE_WORDS) -> set[str]:
    words = _WORD_RE.findall(text.lower())
    return {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}


def inspect_cross_family(
    corpus: Path, samples: dict[str, list[Pair]], results: dict[str, ToolResult]
) -> None:
    """How many sampled cross-family pairs share a verbatim passage of >= 8 words?

    The corpus reuses pool sentences, so unrelated documents do share real passages now and
    then; a reported cross-family pair that shares one is incidental reuse, not a wrong match.
    """
    needed = {doc_id for pairs in samples.values() for pair in pairs for doc_id in pair}
    if not needed:
        return
    texts: dict[str, str] = {}
    for doc_id, text in peers.read_corpus(corpus):
        if doc_id in needed:
            texts[doc_id] = text
    grams: dict[str, set[str]] = {}

    def ngrams(doc_id: str) -> set[str]:
        if doc_id not in grams:
            grams[doc_id] = word_ngrams(texts.get(doc_id, ""))
        return grams[doc_id]

    for label, pairs in samples.items():
        tool, _, relation = label.partition("/")
        sharing = sum(1 for a, b in pairs if ngrams(a) & ngrams(b))
        stats = {"cross_family_sampled": len(pairs), "sharing_8_word_passage": sharing}
        if relation:
            results[tool].relations[relation].update(stats)
        else:
            results[tool].details["cross_family"] = stats


def ratios(results: dict[str, ToolResult]) -> dict[str, float]:
    """Speed (documents a second) of each wiretrace row over each peer's, memory of the copy
    scan over the peers', and the default scan's time over the copy scan's."""
    out: dict[str, float] = {}

    def ran(tool: str) -> ToolResult | None:
        found = results.get(tool)
        return found if found is not None and found.status == "ok" and found.docs_per_s else None

    rows = {"wiretrace": "wiretrace", "copies": "wiretrace-copies", "dedup": DEDUP_TOOL}
    for peer in PEERS:
        other = ran(peer)
        if other is None:
            continue
        for label, tool in rows.items():
            ours = ran(tool)
            if ours is not None:
                out[f"speed_{label}_over_{peer}"] = ours.docs_per_s / other.docs_per_s
        wt = ran("wiretrace")
        if wt is not None:
            out[f"memory_wiretrace_over_{peer}"] = wt.peak_rss_mb / other.peak_rss_mb
            out[f"tree_memory_wiretrace_over_{peer}"] = wt.tree_peak_rss_mb / other.tree_peak_rss_mb
    wt, default = ran("wiretrace"), ran("wiretrace-default")
    if wt is not None and default is not None:
        out["default_over_no_semantic"] = default.seconds / wt.seconds
    copies = ran("wiretrace-copies")
    if copies is not None and default is not None:
        out["default_over_copies"] = default.seconds / copies.seconds
    return out


def print_report(results: dict[str, ToolResult], ratio: dict[str, float], truth: Truth) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console() if sys.stdout.isatty() else Console(width=160)
    kinds = Counter(kind for _, _, kind in truth.pairs)
    table = Table(title="wiretrace benchmark", show_lines=False)
    for name, justify in (
        ("tool", "left"),
        ("docs", "right"),
        ("seconds", "right"),
        ("docs/s", "right"),
        ("peak MB", "right"),
        ("tree MB", "right"),
        ("pairs", "right"),
        ("precision", "right"),
        ("recall", "right"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for kind in KINDS:
        if kinds[kind]:
            table.add_column(f"{kind}\n(n={kinds[kind]})", justify="right")
    if "default_over_no_semantic" in ratio:
        console.print(
            f"wiretrace default scan ÷ --no-semantic scan: {ratio['default_over_no_semantic']:.2f}x"
        )
    for result in results.values():
        if result.status != "ok":
            table.add_row(result.tool, "[yellow]–[/]")
            continue
        precision = "–" if result.precision is None else f"{result.precision:.3f}"
        table.add_row(
            result.tool,
            f"{result.docs:,}",
            f"{result.seconds:.2f}",
            f"{result.docs_per_s:,.0f}",
            f"{result.peak_rss_mb:,.0f}",
            f"{result.tree_peak_rss_mb:,.0f}",
            f"{result.pairs:,}",
            precision,
            f"{result.recall:.3f}",
            *(f"{result.recall_by_kind[k]:.3f}" for k in KINDS if kinds[k]),
        )
    console.print(table)
    console.print(
        "seconds: peers = the child's own report (no interpreter start/imports); "
        "wiretrace = wall time around `wiretrace scan`. peak MB = ru_maxrss via wait4; "
        "tree MB = sampled summed RSS of the process tree."
    )
    wt = results.get("wiretrace")
    if wt is not None and wt.relations:
        rel = ", ".join(f"{r} {v['same_family']}/{v['pairs']}" for r, v in wt.relations.items())
        console.print(f"wiretrace relations (same-family / reported): {rel}")
    shared = []
    for result in results.values():
        cross = result.details.get("cross_family")
        if cross:
            shared.append(
                f"{result.tool} {cross['sharing_8_word_passage']}/{cross['cross_family_sampled']}"
            )
        for relation, stats in result.relations.items():
            if "cross_family_sampled" in stats:
                shared.append(
                    f"{result.tool}/{relation} "
                    f"{stats['sharing_8_word_passage']}/{stats['cross_family_sampled']}"
                )
    if shared:
        console.print(
            "cross-family pairs sharing a verbatim >=8-word passage (incidental reuse of pool "
            "sentences; sample): " + ", ".join(shared)
        )
    for peer in PEERS:
        key = f"speed_wiretrace_over_{peer}"
        if key in ratio:
            console.print(
                f"wiretrace ÷ {peer}: speed {ratio[key]:.2f}x, "
                f"peak memory {ratio[f'memory_wiretrace_over_{peer}']:.2f}x, "
                f"tree memory {ratio[f'tree_memory_wiretrace_over_{peer}']:.2f}x"
            )
        key = f"speed_copies_over_{peer}"
        if key in ratio:
            console.print(f"wiretrace --no-semantic --no-stories ÷ {peer}: speed {ratio[key]:.2f}x")
        key = f"speed_dedup_over_{peer}"
        if key in ratio:
            console.print(f"wiretrace dedup ÷ {peer}: speed {ratio[key]:.2f}x")
    for result in results.values():
        if result.status != "ok":
            console.print(f"[yellow]{result.tool}: {result.status}[/]")


def versions(names: Iterable[str]) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def git_commit() -> str | None:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=REPO_DIR,
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return done.stdout.strip() or None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Benchmark wiretrace against rensa, gaoya and datasketch."
    )
    parser.add_argument("--docs", type=int, default=generate_corpus.DEFAULT_DOCS)
    parser.add_argument(
        "--tools",
        default=",".join(ALL_TOOLS),
        help="comma-separated subset of: " + ", ".join(ALL_TOOLS),
    )
    parser.add_argument(
        "--corpus",
        type=Path,
        default=None,
        help="corpus to use (default benchmarks/data/corpus-<docs>.jsonl.gz, "
        "generated when missing)",
    )
    parser.add_argument("--seed", type=int, default=None, help="seed when generating")
    parser.add_argument("--shared", type=Path, default=None, help="shared folder when generating")
    parser.add_argument("--results-dir", type=Path, default=RESULTS_DIR)
    parser.add_argument("--no-save", action="store_true", help="do not write the results JSON")
    args = parser.parse_args(argv)
    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    unknown = sorted(set(tools) - set(ALL_TOOLS))
    if unknown:
        parser.error(f"unknown tool(s): {', '.join(unknown)}; choose from {', '.join(ALL_TOOLS)}")

    corpus = (args.corpus or generate_corpus.default_out(args.docs)).resolve()
    ensure_corpus(corpus, args.docs, args.seed, args.shared)
    truth = load_truth(corpus)
    docs = count_docs(corpus)  # also warms the page cache for every tool alike
    print(f"corpus {corpus}: {docs:,} documents, {len(truth.pairs):,} planted pairs", flush=True)

    results: dict[str, ToolResult] = {}
    samples: dict[str, list[Pair]] = {}
    tool_pairs: dict[str, set[Pair]] = {}
    wiretrace_dropped: dict[str, str] | None = None
    with tempfile.TemporaryDirectory(prefix="wiretrace-bench-") as tmp:
        workdir = Path(tmp)
        if any(tool.startswith("wiretrace") for tool in tools):
            warm_up(corpus, workdir)
        for tool in tools:
            print(f"running {tool} ...", flush=True)
            if tool == DEDUP_TOOL:
                result, dropped = run_wiretrace_dedup(corpus, workdir, docs)
                if result.status == "ok":
                    wiretrace_dropped = dropped
                    print(f"  {docs:,} docs in {result.seconds:.2f} s", flush=True)
                else:
                    print(f"  {result.status}", flush=True)
                results[tool] = result
                continue
            if tool in WIRETRACE_ARGS:
                result, pairs = run_wiretrace(corpus, workdir, docs, tool)
            else:
                result, pairs = run_peer(tool, corpus, workdir)
            if result.status == "ok":
                samples.update(score(result, pairs, truth))
                tool_pairs[tool] = pairs
                if result.docs != docs:
                    result.details["warning"] = f"read {result.docs} of {docs} documents"
                print(
                    f"  {result.docs:,} docs in {result.seconds:.2f} s "
                    f"({result.docs_per_s:,.0f} docs/s), peak {result.peak_rss_mb:,.0f} MB, "
                    f"recall {result.recall:.3f}",
                    flush=True,
                )
            else:
                print(f"  {result.status}", flush=True)
            result.details.pop("by_relation_sets", None)
            results[tool] = result

    inspect_cross_family(corpus, samples, results)
    ratio = ratios(results)
    print_report({tool: r for tool, r in results.items() if tool != DEDUP_TOOL}, ratio, truth)
    dedup = dedup_report(corpus, truth, tool_pairs, wiretrace_dropped)
    print_dedup(dedup, results)
    if not args.no_save:
        args.results_dir.mkdir(parents=True, exist_ok=True)
        out = args.results_dir / f"{dt.date.today().isoformat()}-{docs}.json"
        payload = {
            "date": dt.datetime.now().isoformat(timespec="seconds"),
            "corpus": {
                "path": str(corpus),
                "docs": docs,
                "bytes": corpus.stat().st_size,
                "planted_pairs": len(truth.pairs),
                "planted_by_kind": dict(Counter(k for _, _, k in truth.pairs)),
            },
            "settings": {
                "num_perm": 128,
                "threshold": 0.5,
                "shingle_words": 5,
                "wiretrace_relations_counted": list(WIRETRACE_RELATIONS),
            },
            "machine": {
                "platform": platform.platform(),
                "python": platform.python_version(),
                "cpus": os.cpu_count(),
                "processor": platform.processor() or None,
            },
            "versions": versions(
                ("wiretrace", "rensa", "gaoya", "datasketch", "numpy", "xxhash", "orjson", "isal")
            ),
            "git_commit": git_commit(),
            "results": {tool: asdict(result) for tool, result in results.items()},
            "ratios": ratio,
            "dedup": dedup,
        }
        out.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {out}")
    return (
        0
        if all(r.status == "ok" or r.status.startswith("skipped") for r in results.values())
        else 1
    )


if __name__ == "__main__":
    sys.exit(main())
