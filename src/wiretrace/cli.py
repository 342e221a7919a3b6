"""The ``wiretrace`` command: parses options, calls the library, draws progress.

Exit codes: 0 success; 1 internal error (a bug: please report it); 2 bad input or options
(the message says what to fix); 130 interrupted (Ctrl-C); 143 terminated (SIGTERM).
"""

from __future__ import annotations

import dataclasses
import errno
import os
import re
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any, TypeVar

import click
from click.core import ParameterSource
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from wiretrace import __version__
from wiretrace.backend import Backend
from wiretrace.collector import keep, spared
from wiretrace.config import FieldNames, OutputFormat, ScanConfig
from wiretrace.errors import ConfigError, WiretraceError
from wiretrace.pipeline import Advance, ScanResult, scan
from wiretrace.read.files import (
    FILE_REASONS,
    SUPPORTED,
    UNREADABLE_FILE,
    check_inputs,
    classify,
    is_url,
)
from wiretrace.semantic.cache import check_cache_file
from wiretrace.spark import SparkBackend
from wiretrace.write import DedupResult, dedup, write_scan
from wiretrace.write.dedup import passes_through
from wiretrace.write.findings import findings
from wiretrace.write.output import file_url_path, output_lock, refuse_inputs
from wiretrace.write.report import (
    ReportStats,
    check_report_target,
    default_report_path,
    write_report,
)
from wiretrace.write.tables import check_output

EXIT_OK, EXIT_INTERNAL, EXIT_USAGE, EXIT_INTERRUPTED, EXIT_TERMINATED = 0, 1, 2, 130, 143
MAX_WARNINGS = 20
EXIT_CODES = """\b
Exit codes:
  0    success
  1    internal error (a bug: please report it; WIRETRACE_DEBUG=1 shows the traceback)
  2    bad input or options (the message names the file, line or field and the fix)
  130  interrupted by Ctrl-C, 143 by SIGTERM (no complete-looking output, no
       temporary files and no worker processes are left behind)"""

F = TypeVar("F", bound=Callable[..., Any])
# Control characters (ESC starts terminal commands, a newline breaks one-line messages) and
# bidirectional overrides and marks (they reorder what is shown: a right-to-left mark in an
# id turned the rest of its line around) from a record's id or a file's name are shown as
# escapes, never sent to the terminal.
_UNPRINTABLE = {
    code: f"\\x{code:02x}" if code < 256 else f"\\u{code:04x}"
    for code in [
        *range(32),
        *range(127, 160),
        0x061C,
        0x200E,
        0x200F,
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
    ]
}


def _shown(text: str) -> str:
    """``text`` safe to print on a terminal with rich: no control characters, no markup."""
    return escape(text.translate(_UNPRINTABLE))


class ConsoleReporter:
    """Progress bars per stage and capped warnings on standard error."""

    def __init__(self, console: Console, quiet: bool) -> None:
        self.console = console
        self.quiet = quiet
        self.warnings = 0

    @contextmanager
    def stage(self, name: str, total: int | None) -> Iterator[Advance]:
        if self.quiet:
            yield lambda count: None
            return
        columns = [SpinnerColumn(), TextColumn("{task.description}"), BarColumn()]
        columns += [MofNCompleteColumn(), TimeElapsedColumn()]
        with Progress(*columns, console=self.console, transient=False) as progress:
            task = progress.add_task(name, total=total)
            yield lambda count: progress.advance(task, count)
            if total is None:
                progress.update(task, total=progress.tasks[0].completed)

    def warn(self, message: str) -> None:
        self.warnings += 1
        if self.quiet:
            return
        if self.warnings <= MAX_WARNINGS:
            self.console.print(
                f"[yellow]warning:[/] {_shown(message)}", highlight=False, soft_wrap=True
            )
        elif self.warnings == MAX_WARNINGS + 1:
            self.console.print("[yellow]warning:[/] further warnings are listed in summary.json")

    def finish(self) -> None:
        if not self.quiet and self.warnings > MAX_WARNINGS:
            extra = self.warnings - MAX_WARNINGS
            self.console.print(f"[yellow]warning:[/] {extra} more warnings not shown")


class Terminated(BaseException):
    """SIGTERM arrived: unwinds like Ctrl-C, so that every clean-up runs on the way out."""


# Signals received while the command runs. A clean-up that fails because of the signal (a
# Spark session whose JVM connection the signal cut) raises an error of its own; the run
# still ends as the signal asked, not as an internal error.
_RECEIVED: list[int] = []


def _terminate(signum: int, frame: object) -> None:
    _RECEIVED.append(signum)
    raise Terminated


def _interrupt(signum: int, frame: object) -> None:
    _RECEIVED.append(signum)
    raise KeyboardInterrupt


def _stopped_by(error: BaseException) -> int | None:
    """The exit code of the signal that ``error`` was raised while unwinding from, if any."""
    seen: set[int] = set()
    cause: BaseException | None = error
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, Terminated):
            return EXIT_TERMINATED
        if isinstance(cause, KeyboardInterrupt):
            return EXIT_INTERRUPTED
        cause = cause.__cause__ or cause.__context__
    if _RECEIVED:
        return EXIT_TERMINATED if _RECEIVED[-1] == signal.SIGTERM else EXIT_INTERRUPTED
    return None


def _run(action: Callable[[], None]) -> None:
    console = Console(stderr=True)
    _RECEIVED.clear()
    previous = signal.signal(signal.SIGTERM, _terminate)
    previous_interrupt = signal.getsignal(signal.SIGINT)
    if previous_interrupt is signal.default_int_handler:
        signal.signal(signal.SIGINT, _interrupt)
    try:
        action()
    except BaseException as error:
        if isinstance(error, SystemExit | GeneratorExit):
            raise
        stopped = _stopped_by(error)
        if stopped == EXIT_TERMINATED:
            console.print("[red]terminated[/]")
            sys.exit(EXIT_TERMINATED)
        if stopped == EXIT_INTERRUPTED:
            console.print("[red]interrupted[/]")
            sys.exit(EXIT_INTERRUPTED)
        if isinstance(error, WiretraceError):
            console.print(f"[red]error:[/] {_shown(str(error))}", highlight=False, soft_wrap=True)
            sys.exit(EXIT_USAGE)
        if isinstance(error, OSError) and error.errno == errno.ENOSPC:
            # a write the library does not name (its own writes say which): still the user's
            # to fix, not a bug
            where = f" writing {_shown(str(error.filename))}" if error.filename else ""
            console.print(
                f"[red]error:[/] no space left on device{where}; free some space (temporary "
                "files go to TMPDIR)",
                highlight=False,
                soft_wrap=True,
            )
            sys.exit(EXIT_USAGE)
        if os.environ.get("WIRETRACE_DEBUG") or not isinstance(error, Exception):
            raise
        # one line: an error a Spark executor raised carries the whole Python traceback in
        # its message, and its last line says what went wrong
        lines = [line for line in str(error).splitlines() if line.strip()]
        console.print(
            f"[red]internal error:[/] {type(error).__name__}: "
            f"{_shown(lines[-1] if lines else '')}; please "
            "report it (WIRETRACE_DEBUG=1 shows the traceback)",
            highlight=False,
            soft_wrap=True,
        )
        sys.exit(EXIT_INTERNAL)
    finally:
        signal.signal(signal.SIGTERM, previous)
        if previous_interrupt is signal.default_int_handler:
            signal.signal(signal.SIGINT, previous_interrupt)


def _apply(function: F, options: list[Callable[[F], F]]) -> F:
    for option in reversed(options):
        function = option(function)
    return function


# What to read: the inputs and the record fields that hold each part of a document.
_READ_OPTIONS: list[Callable[[F], F]] = [
    # str, not Path: Path would turn a URL's "//" into "/" before it could be named
    click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=str)),
    click.option(
        "--id-field",
        default="id",
        show_default=True,
        help="Record field holding the document id.",
    ),
    click.option(
        "--text-field", default="text", show_default=True, help="Record field holding the text."
    ),
    click.option(
        "--title-field",
        default="title",
        show_default=True,
        help="Record field holding the title.",
    ),
    click.option(
        "--url-field", default="url", show_default=True, help="Record field holding the URL."
    ),
    click.option(
        "--outlet-field",
        default="outlet",
        show_default=True,
        help="Record field holding the outlet (else the URL's host).",
    ),
    click.option(
        "--published-field",
        default="published",
        show_default=True,
        help="Record field holding the publication date (ISO 8601, or as news sites write dates: "
        "'14 July 2026', '03.12.2026 14:30', Unix time...; default: published, else a field "
        "named date, pubdate, published_at...).",
    ),
    click.option(
        "--html-field",
        default="html",
        show_default=True,
        help="Record field holding an HTML page, read when the text field is empty "
        "(needs the html extra).",
    ),
]

# A record's language: read by every command (dedup checks it, and tells no languages)
_LANGUAGE_OPTIONS: list[Callable[[F], F]] = [
    click.option(
        "--language-field",
        default="language",
        show_default=True,
        help="Record field holding the language (ISO 639-1, e.g. de; else detected; dedup "
        "detects none).",
    ),
]

# How copies are found: shingles, signatures, candidate thresholds, page noise.
_COPIES_OPTIONS: list[Callable[[F], F]] = [
    click.option("--shingle-size", default=5, show_default=True, help="Words per shingle."),
    click.option(
        "--num-perm", default=128, show_default=True, help="MinHash permutations per signature."
    ),
    click.option(
        "--seed",
        default=1,
        show_default=True,
        help="Seed of the MinHash permutations (runs are deterministic for a seed).",
    ),
    click.option(
        "--jaccard",
        "jaccard_threshold",
        default=0.5,
        show_default=True,
        help="Candidate pairs: propose every pair with at least this Jaccard similarity.",
    ),
    click.option(
        "--containment",
        "containment_threshold",
        default=0.8,
        show_default=True,
        help="... or with at least this share of the smaller document inside the larger.",
    ),
    click.option(
        "--boilerplate/--no-boilerplate",
        default=True,
        show_default=True,
        help="Find page noise (cookie notices, link lists, credits, trailers, ...) and keep "
        "it out of matching.",
    ),
    click.option(
        "--recurring-min-documents",
        default=10,
        show_default=True,
        help="A line found in this many documents, with different neighbouring lines, is "
        "boilerplate (mastheads, disclaimers); 0 turns the count off.",
    ),
    click.option(
        "--window",
        "window_days",
        type=float,  # read as a number, so that 0.5 gets the message that says why not
        metavar="DAYS",
        default=None,
        help="Pair only documents published at most this many days apart, a whole number "
        "(pairs with an unknown date are kept).",
    ),
    click.option(
        "--big-group-size",
        type=int,
        default=100,
        show_default=True,
        help="A duplicate group of more copies than this proposes no more pairs inside it: "
        "each member is compared with the group's representative (dedup: and its longest "
        "member), and a scan lists its match with the representative and with its likely "
        "source, not every pair; exact copies are compared with the representative only "
        "(0: every pair).",
    ),
]

# What a scan finds beyond copies: passages, rewrites, stories, series.
_FINDS_OPTIONS: list[Callable[[F], F]] = [
    click.option(
        "--min-passage-words",
        default=8,
        show_default=True,
        help="Shortest verbatim passage reported, in words.",
    ),
    click.option(
        "--semantic",
        "semantic_model",
        type=click.Choice(["fast", "exact"]),
        default="fast",
        show_default=True,
        help="Sentence model for rewrites (paraphrase) and same-story pairs: fast (a static "
        "model distilled from MiniLM, shipped inside wiretrace, ~30,000 sentences/s per "
        "core) or exact (MiniLM itself, ~80 sentences/s per CPU core; for a GPU; needs the "
        "exact extra).",
    ),
    click.option(
        "--no-semantic",
        is_flag=True,
        help="Skip the semantic stage: copies and reused passages only.",
    ),
    click.option(
        "--embedding-cache",
        type=click.Path(dir_okay=False),
        default=None,
        help="With --semantic exact: a file that keeps sentence embeddings between runs "
        "(created if missing); a scan then embeds only documents that are new or changed.",
    ),
    click.option(
        "--series/--no-series",
        default=True,
        show_default=True,
        help="Treat the documents of one outlet as a series: reuse inside it (mastheads, "
        "its own follow-ups) is marked (matches.series) and counted apart.",
    ),
    click.option(
        "--no-stories",
        is_flag=True,
        help="Skip story clustering (documents.story stays empty, no same_story matches): "
        "for copies and passages only, faster.",
    ),
    click.option(
        "--story-resolution",
        type=float,
        default=None,
        help="How likely, on average, the pairs inside a story must be one event (0-1); "
        "higher splits stories finer.  [default: the value chosen with the story model; "
        "summary.json's config.story_resolution_used gives it]",
    ),
]

# How the work runs: workers, the record size bound, quiet output.
_RUN_OPTIONS: list[Callable[[F], F]] = [
    click.option(
        "--workers",
        default=0,
        show_default=True,
        help="Processes that extract pages, clean and sketch large inputs (0: one per core).",
    ),
    click.option(
        "--max-record-mib",
        type=float,
        default=16,
        show_default=True,
        help="Largest record read, in MiB (a file after decompression, a JSONL line, a CSV "
        "row, a WARC payload); larger ones are skipped as too_large, so memory stays bounded.",
    ),
    click.option(
        "--quiet",
        "-q",
        is_flag=True,
        help="No progress, warnings or summary table (for scripts).",
    ),
]


def scan_options(function: F) -> F:
    """Options of ``scan``: every stage."""
    return _apply(
        function,
        [*_READ_OPTIONS, *_LANGUAGE_OPTIONS, *_COPIES_OPTIONS, *_FINDS_OPTIONS, *_RUN_OPTIONS],
    )


def dedup_options(function: F) -> F:
    """Options of ``dedup``: reading and finding copies, nothing it does not run."""
    return _apply(function, [*_READ_OPTIONS, *_LANGUAGE_OPTIONS, *_COPIES_OPTIONS, *_RUN_OPTIONS])


def backend_options(function: F) -> F:
    """--backend and --spark-master, for the commands that scan."""
    for option in reversed(
        [
            click.option(
                "--backend",
                "backend_name",
                type=click.Choice(["local", "spark"]),
                default="local",
                show_default=True,
                help="Where the stages run: this machine's processes, or Apache Spark (needs "
                "the spark extra; same results).",
            ),
            click.option(
                "--spark-master",
                default=None,
                help="Spark master URL for --backend spark (default: the Spark "
                "configuration's, as spark-submit sets it, else local[*]).",
            ),
        ]
    ):
        function = option(function)
    return function


def _backend(name: str, master: str | None) -> Backend | None:
    """The backend the options name (None: the local one, made by the scan)."""
    if master is not None and name != "spark":
        raise ConfigError("--spark-master needs --backend spark")
    if name != "spark":
        return None
    return SparkBackend(master=master)  # the session starts with the scan


def _out_url(
    out: str, backend: Backend | None, with_report: bool, inputs: list[str]
) -> SparkBackend | None:
    """The Spark backend that writes to ``out`` when it is a URL (None: a local folder)."""
    if not is_url(out):
        return None
    local = file_url_path(out)
    if local is not None:  # refused like a local --out: Spark would write into the input
        refuse_inputs(local, inputs, "--out")
    if not isinstance(backend, SparkBackend):
        raise ConfigError(
            f"--out {out} is a URL: only --backend spark writes to one; give a local folder "
            "or add --backend spark"
        )
    if with_report:
        raise ConfigError(
            "--report needs a local --out folder; copy the tables here and run "
            "`wiretrace report` on them"
        )
    return backend


_MOST_MIB = 1 << 20  # 1 TiB: no record is larger, and the bytes still fit an int64


def _given(name: str) -> bool:
    """Whether the user set option ``name`` (not left at its default)."""
    source = click.get_current_context().get_parameter_source(name)
    return source in (ParameterSource.COMMANDLINE, ParameterSource.ENVIRONMENT)


def _check_conflicts(options: dict[str, Any]) -> None:
    """Refuse options that contradict each other or do nothing together."""
    if "semantic_model" not in options:
        return  # dedup: no semantic stage, so none of its options
    model = options["semantic_model"]
    if options["no_semantic"] and _given("semantic_model"):
        raise ConfigError(
            f"--semantic {model} and --no-semantic contradict each other (the one chooses the "
            "sentence model, the other turns the semantic stage off); give one of them"
        )
    if options["embedding_cache"] is None:
        return
    if options["no_semantic"]:
        raise ConfigError(
            "--embedding-cache does nothing with --no-semantic (no sentence is embedded); "
            "leave one of them out"
        )
    if model != "exact":  # the fast model embeds ~30,000 sentences/s: nothing to keep
        raise ConfigError(
            "--embedding-cache keeps the vectors of the exact sentence model only, and the "
            "fast one (--semantic fast, the default) does not use it; add --semantic exact or "
            "leave --embedding-cache out"
        )


def _option_names(message: str) -> str:
    """``message`` of the library's checks with each configuration field it names (such as
    ``jaccard_threshold``) replaced by the option that sets it (``--jaccard``)."""
    settings = {item.name for item in dataclasses.fields(ScanConfig)}
    options = {
        parameter.name: max(parameter.opts, key=len)
        for parameter in click.get_current_context().command.params
        if isinstance(parameter, click.Option) and parameter.name in settings
    }
    message = re.sub(r"field name for '(\w+)'", r"--\1-field", message)
    message = message.replace(" or None", "")  # an option left out is the None
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, options)) + r")\b")
    return pattern.sub(lambda found: options[found[1]], message)


def _config(options: dict[str, Any]) -> ScanConfig:
    mib = options.pop("max_record_mib")
    if not 0 < mib < _MOST_MIB:  # NaN fails too
        raise ConfigError(
            f"--max-record-mib must be more than 0 and less than {_MOST_MIB} (MiB: 1 TiB), "
            f"got {mib!r}"
        )
    _check_conflicts(options)
    options["max_record_bytes"] = int(mib * 1024 * 1024)
    if "no_semantic" in options:  # scan's options; dedup runs neither
        options["semantic"] = not options.pop("no_semantic")
    if "no_stories" in options:
        options["stories"] = not options.pop("no_stories")
    try:
        fields = FieldNames(
            id=options.pop("id_field"),
            text=options.pop("text_field"),
            title=options.pop("title_field"),
            url=options.pop("url_field"),
            outlet=options.pop("outlet_field"),
            published=options.pop("published_field"),
            language=options.pop("language_field"),
            html=options.pop("html_field"),
        )
        return ScanConfig(fields=fields, **options)
    except ConfigError as error:
        raise ConfigError(_option_names(str(error))) from None


def _plural(count: int, word: str) -> str:
    return word if count == 1 else f"{word}s"


def _summary_table(result: ScanResult) -> Table:
    counts = result.summary["counts"]
    table = Table(title="wiretrace scan", show_header=False)
    table.add_row("records read", str(counts["records"]))
    table.add_row("documents scanned", str(counts["documents"]))
    for reason, count in counts["skipped_by_reason"].items():
        # a whole file skipped is no record read: counted apart, so that the rows add up
        what = _plural(count, "file") if reason in FILE_REASONS else _plural(count, "record")
        table.add_row(f"skipped: {reason.replace('_', ' ')}", f"{count} {what}")
    # values read and left out: the documents were scanned without them (nothing silently)
    if counts.get("invalid_published"):
        table.add_row(
            "published dates not understood",
            f"{counts['invalid_published']} (left out; summary.json lists them: give ISO 8601)",
        )
    if counts.get("invalid_fields"):
        table.add_row(
            "fields not read", f"{counts['invalid_fields']} (left out; summary.json lists them)"
        )
    kinds = counts["boilerplate_spans_by_kind"]
    if kinds:
        spans = ", ".join(f"{kind} {count}" for kind, count in kinds.items())
        table.add_row(
            "boilerplate spans",
            f"{spans} (in {counts['documents_with_boilerplate']} "
            f"{_plural(counts['documents_with_boilerplate'], 'document')})",
        )
    # the multilingual model's pairs are looked at apart (a translation's pair is one of them)
    across = ((result.summary.get("semantic") or {}).get("across_languages") or {}).get(
        "candidate_pairs"
    )
    also = f" (and {across} across languages, by the multilingual model)" if across else ""
    table.add_row("candidate pairs", f"{counts['candidate_pairs']}{also}")
    for relation, count in counts["matches_by_relation"].items():
        if relation not in result.summary["not_searched"]:
            table.add_row(f"matches: {relation}", str(count))
    table.add_row(
        "duplicate groups",
        f"{counts['duplicate_groups']} ({counts['documents_in_groups']} documents)",
    )
    table.add_row(
        "stories", f"{counts['stories']} ({counts['stories_with_several']} with 2+ documents)"
    )
    table.add_row(
        "provenance",
        f"{counts['sources_named']} {_plural(counts['sources_named'], 'source')} named, "
        f"{counts['sources_unknown']} left open",
    )
    if counts["series_matches"]:
        table.add_row("matches inside an outlet's series", str(counts["series_matches"]))
    for relation, why in result.summary["not_searched"].items():
        table.add_row(f"not searched: {relation}", why)
    for relation, why in result.summary.get("searched_in_part", {}).items():
        table.add_row(f"searched in part: {relation}", why)
    return table


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="wiretrace")
def main() -> None:
    """Find where news text came from and where it went: copies, reused passages, rewrites,
    translations, the stories articles tell, and the likely source of each copy. Start with
    `wiretrace scan FOLDER --out OUT --report`; `wiretrace COMMAND --help` lists a command's
    options."""


@main.command(epilog=EXIT_CODES)
@scan_options
@click.option(
    "--out",
    "-o",
    required=True,
    type=click.Path(path_type=str),
    help="Folder to write the tables and summary.json into; with --backend spark also a URL "
    "Spark writes to (hdfs://..., s3a://...: a new folder).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["parquet", "jsonl"]),
    default="parquet",
    show_default=True,
    help="Table format.",
)
@click.option(
    "--report",
    "with_report",
    is_flag=True,
    help="Also write the HTML report of the scan to OUT/report.html (see `wiretrace report`).",
)
@backend_options
def scan_command(
    inputs: tuple[str, ...],
    out: str,
    output_format: str,
    with_report: bool,
    backend_name: str,
    spark_master: str | None,
    quiet: bool,
    **options: Any,
) -> None:
    """Scan INPUTS (folders of .txt or .html files, .jsonl, .csv, .tsv, each optionally .gz,
    .parquet, or .warc crawls) for copies, reused passages, rewrites and stories, and write
    the output contract to --out: documents, matches (with the likely source), groups,
    stories and summary.json (written last: a folder without it is incomplete)."""

    def action() -> None:
        console = Console(stderr=True)
        reporter = ConsoleReporter(console, quiet)
        config = _config(options)
        chosen: OutputFormat = "jsonl" if output_format == "jsonl" else "parquet"
        paths = [str(path) for path in inputs]
        if config.embedding_cache is not None:  # every check before any work
            check_cache_file(config.embedding_cache, paths)
        check_inputs(paths)  # before a Spark session starts (it takes seconds)
        backend = _backend(backend_name, spark_master)
        to_url = _out_url(out, backend, with_report, paths)  # the Spark backend, for a URL --out
        if to_url is None:
            check_output(out, paths, chosen)
            _file_like(out, reporter)
        if with_report:
            check_report_target(default_report_path(Path(out)), paths)
        # a local folder is held for the whole run: another scan into it is refused now
        with output_lock(out) if to_url is None else nullcontext():
            with backend or nullcontext():  # Spark writes the tables in its session
                if to_url is not None:
                    to_url.check_url(out, chosen)
                result = scan(inputs, config, reporter=reporter, backend=backend)
                keep()  # the result lives until the command ends (``collector``)
                if to_url is not None:
                    to_url.write_url(result, out, chosen)
                else:
                    write_scan(result, out, chosen, backend.table_writer() if backend else None)
            stats = write_report(out, reporter=reporter) if with_report else None
        reporter.finish()
        if not quiet:
            counts = result.summary["counts"]
            if not counts["records"] and not counts["skipped"]:
                # an empty folder, or files of no records: a mistyped path should not read as
                # a corpus in which nothing was found
                # a file of a type wiretrace reads is empty; anything else may be mistyped
                readable = all(Path(p).is_file() and classify(Path(p)) for p in inputs)
                console.print(
                    f"[yellow]warning:[/] no records in {', '.join(map(_shown, inputs))}: "
                    + (
                        ("it holds none" if len(inputs) == 1 else "they hold none")
                        if readable
                        else f"wiretrace reads files {SUPPORTED.replace('`', '')}"
                    ),
                    highlight=False,
                    soft_wrap=True,
                )
            console.print(_summary_table(result))
            console.print("[bold]found[/]", highlight=False)
            for line in findings(result):
                console.print(f"  {_shown(line)}", highlight=False, soft_wrap=True)
            console.print(
                f"wrote {_shown(str(out))}/ ({output_format})", highlight=False, soft_wrap=True
            )
            if stats is not None:
                console.print(_report_line(stats), highlight=False, soft_wrap=True)

    _run(spared()(action))


scan_command.name = "scan"


@main.command(name="dedup", epilog=EXIT_CODES)
@dedup_options
@click.option(
    "--out",
    "-o",
    required=True,
    type=click.Path(path_type=str),
    help="File to write (.jsonl, .csv, .tsv, optionally .gz, or .parquet; a folder for .txt "
    "inputs). "
    "Beside it: NAME.dropped.jsonl (each dropped id, the kept id that holds it, the relation, "
    "the coverage) and NAME.summary.json.",
)
@click.option(
    "--skipped-out",
    type=click.Path(path_type=str),
    default=None,
    help="Write the records the scan skipped (malformed, too large, empty, a repeated id...) "
    "here instead of passing them through to --out unchanged.",
)
@backend_options
def dedup_command(
    inputs: tuple[str, ...],
    out: str,
    skipped_out: str | None,
    backend_name: str,
    spark_master: str | None,
    quiet: bool,
    **options: Any,
) -> None:
    """Write the records of INPUTS to --out less the copies, in the input's format. A
    document is dropped only when a kept document is its exact or near duplicate or contains
    it, directly (never through a chain of copies); of a document and its container, the
    container is kept, and of a story and its update that adds to it, the update; among
    other copies, the earliest published, else the longest, else the smallest id. Records
    that cannot be scanned are passed through (docs/commands.md, "dedup")."""

    def action() -> None:
        console = Console(stderr=True)
        reporter = ConsoleReporter(console, quiet)
        for place in (out, skipped_out):
            if place is not None and is_url(place):
                raise ConfigError(f"{place} is a URL: dedup writes files here; give a local path")
        check_inputs(inputs)  # before a Spark session starts (it takes seconds)
        backend = _backend(backend_name, spark_master)
        config = _config(options)
        done = dedup(
            inputs, out, config, reporter=reporter, backend=backend, skipped_out=skipped_out
        )
        reporter.finish()
        if not quiet:
            console.print(_dedup_line(done), highlight=False, soft_wrap=True)

    _run(action)


# names a new --out of scan takes for a file (it is a folder): said, so the folder is no surprise
_FILE_SUFFIXES = frozenset({".jsonl", ".json", ".parquet", ".csv", ".tsv", ".gz", ".html", ".txt"})


def _file_like(out: str, reporter: ConsoleReporter) -> None:
    """Warn where a new --out is named like a file: the scan makes it a folder."""
    if Path(out).suffix.lower() in _FILE_SUFFIXES and not Path(out).exists():
        reporter.warn(
            f"--out {out} is made a folder: the scan writes its tables and summary.json "
            "into it (--format jsonl writes them as .jsonl files)"
        )


def _dedup_line(done: DedupResult) -> str:
    records = done.scan.summary["counts"]["records"]
    copies = len(done.dropped)
    line = (
        f"wrote {done.written} of {records} records to {_shown(str(done.out))} "
        f"({copies} {'copy' if copies == 1 else 'copies'} dropped, each listed with the kept "
        f"document that holds it in {_shown(str(done.dropped_table))}"
    )
    skipped = done.passed_through + len(done.not_written)
    if skipped:
        where = "passed through" if done.skipped_out is None else f"written to {done.skipped_out}"
        line += f"; {done.passed_through} skipped {_plural(skipped, 'record')} {where}"
        if done.not_written:
            # the remedy only where there is one: a page or a crawl is never written as it is
            remedy = any(map(passes_through, done.not_written))
            line += (
                f", {len(done.not_written)} not written (they cannot be written in the "
                f"output's format: see why in {_shown(str(done.summary_file))}, 'skipped'"
                + ("; an output in the input's format passes them through)" if remedy else ")")
            )
    # a file none of whose records could be read is in no count above: say so
    unreadable = [
        skip["source"] for skip in done.scan.summary["skipped"] if skip["reason"] == UNREADABLE_FILE
    ]
    if unreadable:
        files = ", ".join(_shown(str(source)) for source in unreadable[:3])
        more = f" and {len(unreadable) - 3} more" if len(unreadable) > 3 else ""
        line += (
            f"; {len(unreadable)} input {_plural(len(unreadable), 'file')} could not be read "
            f"({files}{more}: see why in {_shown(str(done.summary_file))}, 'skipped')"
        )
    return line + ")"


def _report_line(stats: ReportStats) -> str:
    return (
        f"wrote {_shown(str(stats.path))} ({stats.size / 1e6:.1f} MB: {stats.documents:,} "
        f"{_plural(stats.documents, 'document')}, {stats.matches:,} "
        f"{'match' if stats.matches == 1 else 'matches'}, {stats.texts:,} "
        f"{_plural(stats.texts, 'text')})"
    )


@main.command(name="report", epilog=EXIT_CODES)
@click.argument("scan_dir", type=click.Path(path_type=Path))
@click.option(
    "--out",
    "-o",
    type=click.Path(path_type=Path),
    default=None,
    help="HTML file to write.  [default: SCAN_DIR/report.html]",
)
@click.option(
    "--input",
    "inputs",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Read the texts from this input instead of the scan's (repeat for several); for "
    "inputs moved since the scan.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress and no summary.")
def report_command(scan_dir: Path, out: Path | None, inputs: tuple[Path, ...], quiet: bool) -> None:
    """Write one self-contained HTML file that shows the scan in SCAN_DIR: overview, stories
    with their provenance graph, each pair's texts side by side with the reused passages and
    rewritten sentences highlighted, and a table of documents and groups. It opens from disk
    in any current browser, with no network. The texts of matched documents are read again
    from the scan's inputs (as recorded in summary.json, relative to the current folder), and
    must be unchanged since the scan."""

    def action() -> None:
        console = Console(stderr=True)
        reporter = ConsoleReporter(console, quiet)
        stats = write_report(scan_dir, out, [str(path) for path in inputs] or None, reporter)
        reporter.finish()
        if not quiet:
            console.print(_report_line(stats), highlight=False, soft_wrap=True)

    _run(action)


# the index's commands register themselves on ``main`` (kept apart: this module is long enough)
from wiretrace import index_cli  # noqa: E402

__all__ = ["index_cli", "main"]
