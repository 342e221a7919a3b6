"""`wiretrace index ...`: the index's commands (thin: the work is ``wiretrace.index``)."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from wiretrace.cli import (
    _COPIES_OPTIONS,
    _FINDS_OPTIONS,
    _LANGUAGE_OPTIONS,
    _READ_OPTIONS,
    _RUN_OPTIONS,
    EXIT_CODES,
    ConsoleReporter,
    _apply,
    _config,
    _plural,
    _run,
    _shown,
    main,
)
from wiretrace.config import OutputFormat
from wiretrace.errors import ConfigError, FieldError, InputError, MissingExtraError
from wiretrace.index import Index, IndexResult, UpdatePolicy
from wiretrace.stages.state import ScanResult
from wiretrace.write import write_scan
from wiretrace.write.atomic import atomic_path
from wiretrace.write.findings import findings
from wiretrace.write.output import check_folder, mark, output_lock, owned
from wiretrace.write.report import check_report_target
from wiretrace.write.tables import check_output

SERVICE_INSTALL = "pip install 'wiretrace[service]'"
TEXTS = "texts.jsonl"  # an export's texts, for `wiretrace report`
_PATH = click.argument("index_path", metavar="INDEX", type=click.Path(path_type=Path))
_INPUTS = click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=str))
_QUIET = click.option("--quiet", "-q", is_flag=True, help="No progress and no summary.")
_WORKERS = click.option(
    "--workers",
    type=int,
    default=None,
    help="Processes that extract pages, clean, sketch and compare (default 0: one per core).",
)
_DEFAULT = UpdatePolicy()
_POLICY = [
    click.option(
        "--whole-below",
        type=click.IntRange(min=0),
        default=_DEFAULT.whole_below,
        show_default=True,
        help="Every add works the whole index out (the answer of a scan of all it holds) "
        "while it holds at most this many documents; above, adds are provisional until the "
        'next whole pass (docs/feed.md, "Update policy"). Lower it for a feed that wants '
        "its adds answered in well under a second (a whole pass of 10,000 takes ~10 s).",
    ),
    click.option(
        "--growth",
        type=click.FloatRange(min=0, min_open=True),
        default=_DEFAULT.growth,
        show_default=True,
        help="Above --whole-below, an add is a whole pass once the documents added since "
        "the last one pass this share of what it held.",
    ),
]


_OUT = [
    click.option(
        "--out",
        "-o",
        type=click.Path(path_type=str),
        default=None,
        help="Folder to write the new documents' tables into (documents, matches, groups, "
        "stories, summary.json), as a scan writes them.",
    ),
    click.option(
        "--format",
        "output_format",
        type=click.Choice(["parquet", "jsonl"]),
        default="parquet",
        show_default=True,
        help="Table format.",
    ),
]


@main.group(name="index")
def index_group() -> None:
    """A persistent index for a feed: create it, add documents as they come (each is compared
    with everything indexed), query it, take documents out, export it as a scan's tables."""


def _write(result: ScanResult, out: str, output_format: str) -> None:
    chosen: OutputFormat = "jsonl" if output_format == "jsonl" else "parquet"
    with output_lock(out):
        write_scan(result, out, chosen)


def _check_out(out: str | None, output_format: str, inputs: list[str]) -> None:
    if out is not None:
        check_output(out, inputs, "jsonl" if output_format == "jsonl" else "parquet")


def _line(verb: str, found: IndexResult, path: Path) -> str:
    result = found.result
    parts = [
        f"{verb} {found.added} {_plural(found.added, 'document')}",
        f"{found.skipped} skipped",
        f"{len(result.matches)} {'match' if len(result.matches) == 1 else 'matches'} with them",
        f"{len(result.stories)} {'story' if len(result.stories) == 1 else 'stories'}",
    ]
    if found.resketched:
        parts.append(f"{found.resketched} indexed documents cleaned again (recurring lines)")
    parts += _merged(found.merges)
    if verb == "added" and not found.whole_pass:
        parts.append(
            "provisional: stories and groups grow by copies and rewrites only until the next "
            "whole pass (`wiretrace index refresh`)"
        )
    return f"{_shown(str(path))}: " + ", ".join(parts) + f" ({found.seconds:.1f} s)"


def _report(console: Console, found: IndexResult, verb: str, path: Path, quiet: bool) -> None:
    if quiet:
        return
    console.print(_line(verb, found, path), highlight=False, soft_wrap=True)
    for line in findings(found.result, representatives=found.representatives):
        console.print(f"  {_shown(line)}", highlight=False, soft_wrap=True)


def _create_options(function: Callable[..., Any]) -> Callable[..., Any]:
    # every scan option but the inputs: the settings are fixed at creation
    return _apply(
        function,
        [*_READ_OPTIONS[1:], *_LANGUAGE_OPTIONS, *_COPIES_OPTIONS, *_FINDS_OPTIONS, *_RUN_OPTIONS],
    )


def require_service() -> None:
    """`wiretrace serve`'s libraries, or the install that brings them."""
    if importlib.util.find_spec("fastapi") is None or importlib.util.find_spec("uvicorn") is None:
        raise MissingExtraError(f"`wiretrace serve` needs the service extra: {SERVICE_INSTALL}")


@index_group.command(name="create", epilog=EXIT_CODES)
@_PATH
@_create_options
def create_command(index_path: Path, quiet: bool, **options: Any) -> None:
    """Create an empty index at INDEX (a new folder) with the scan options given: they are
    recorded, and every later add, query and export uses them."""

    def action() -> None:
        config = _config(options)
        with Index.create(index_path, config):
            pass
        if not quiet:
            Console(stderr=True).print(
                f"created {_shown(str(index_path))}; add documents with `wiretrace index add "
                f"{_shown(str(index_path))} INPUT...`",
                highlight=False,
                soft_wrap=True,
            )

    _run(action)


def _adding(keep: bool) -> Callable[..., None]:
    def command(
        index_path: Path,
        inputs: tuple[str, ...],
        out: str | None,
        output_format: str,
        workers: int | None,
        quiet: bool,
        whole_below: int = _DEFAULT.whole_below,
        growth: float = _DEFAULT.growth,
    ) -> None:
        def action() -> None:
            console = Console(stderr=True)
            reporter = ConsoleReporter(console, quiet)
            paths = list(inputs)
            _check_out(out, output_format, paths)
            policy = UpdatePolicy(whole_below, growth)
            with Index.open(index_path, workers or 0, policy) as index:
                try:
                    found = index.add(paths, reporter) if keep else index.query(paths, reporter)
                except FieldError as error:
                    raise _fields_of_the_index(error, index_path) from error
                if not quiet:
                    found = index.with_representatives(found)
            reporter.finish()
            if out is not None:
                _write(found.result, out, output_format)
            _report(console, found, "added" if keep else "would add", index_path, quiet)
            if out is not None and not quiet:
                console.print(f"wrote {_shown(out)}/ ({output_format})", highlight=False)

        _run(action)

    return command


def _fields_of_the_index(error: FieldError, index_path: Path) -> InputError:
    """The scan's advice on a missing field, for an index: its fields were named when it was
    created (``index add`` has no field options)."""
    options = error.hint or "--text-field FIELD"
    return InputError(
        f"{error.found}; {_shown(str(index_path))} reads the fields named when it was created: "
        f"make an index that reads these with `wiretrace index create NEW_INDEX {options}`"
    )


def _add_command(name: str, keep: bool, help_text: str) -> None:
    command = _adding(keep)
    command.__doc__ = help_text
    # a query works nothing out again: only an add has a policy
    for option in reversed([_PATH, _INPUTS, *_OUT, _WORKERS, _QUIET, *(_POLICY if keep else [])]):
        command = option(command)
    index_group.command(name=name, epilog=EXIT_CODES)(command)


_add_command(
    "add",
    True,
    """Add the records of INPUTS (read as `wiretrace scan` reads them) to INDEX: each new
    document is compared with everything indexed and with the other new ones; groups, stories
    and likely sources are brought up to date. An id already indexed from the same file is
    skipped as a duplicate; from another file it is made unique by its file.""",
)
_add_command(
    "query",
    False,
    """What `wiretrace index add` would find for INPUTS, without adding them.""",
)


def _merged(merges: Iterable[tuple[int, int]]) -> list[str]:
    """``story 7 merged into story 3`` for each merge of stories."""
    return [f"story {old} merged into story {into}" for old, into in merges]


@index_group.command(name="remove", epilog=EXIT_CODES)
@_PATH
@click.argument("ids", nargs=-1, required=True)
@_QUIET
def remove_command(index_path: Path, ids: tuple[str, ...], quiet: bool) -> None:
    """Take the documents IDS out of INDEX (a takedown): their texts, vectors, postings and
    matches are deleted; the stories and groups that held them are updated."""

    def action() -> None:
        console = Console(stderr=True)
        reporter = ConsoleReporter(console, quiet)
        with Index.open(index_path) as index:
            found = index.remove(list(ids), reporter)
        reporter.finish()
        if not quiet:
            count = len(set(ids))  # an id given twice is one document
            merged = "".join(f", {part}" for part in _merged(found.merges))
            console.print(
                f"{_shown(str(index_path))}: removed {count} "
                f"{_plural(count, 'document')}{merged} ({found.seconds:.1f} s)",
                highlight=False,
            )

    _run(action)


@index_group.command(name="stats", epilog=EXIT_CODES)
@_PATH
def stats_command(index_path: Path) -> None:
    """Print what INDEX holds (documents, matches, stories, bytes by part) as JSON."""

    def action() -> None:
        with Index.open(index_path) as index:
            click.echo(json.dumps(index.stats(), indent=2))

    _run(action)


@index_group.command(name="export", epilog=EXIT_CODES)
@_PATH
@click.option(
    "--out",
    "-o",
    required=True,
    type=click.Path(path_type=str),
    help="Folder to write the tables into (as `wiretrace scan` writes them: `wiretrace "
    "report` and the other readers of a scan's folder work on it).",
)
@_OUT[1]
@_QUIET
def export_command(index_path: Path, out: str, output_format: str, quiet: bool) -> None:
    """Write the whole of INDEX as a scan's tables."""

    def action() -> None:
        _check_out(out, output_format, [])
        folder = check_folder(out, [], [TEXTS]).resolve()  # a texts file it did not write
        texts = folder / TEXTS
        with Index.open(index_path) as index:
            result = index.result()
            # a scan's folder names its inputs (`wiretrace report` reads the texts from them);
            # an index's are the texts it holds, written beside the tables, in place of an
            # earlier export's at once (a report never reads tables with another's texts)
            result.summary["inputs"] = [str(texts)]
            _write(result, out, output_format)
            with atomic_path(texts) as temporary:
                index.write_texts(temporary)
            mark(folder, owned(folder) | {TEXTS})
        if not quiet:
            Console(stderr=True).print(
                f"wrote {_shown(out)}/ ({output_format}): {result.summary['counts']['documents']} "
                "documents",
                highlight=False,
            )

    _run(action)


@index_group.command(name="refresh", epilog=EXIT_CODES)
@_PATH
@_QUIET
def refresh_command(index_path: Path, quiet: bool) -> None:
    """Work INDEX out again as one scan of all it holds would: every document cleaned,
    sketched and compared again, then groups and stories over the whole index (what a
    provisional add leaves for later: see `docs/feed.md`, "Update policy")."""

    def action() -> None:
        console = Console(stderr=True)
        reporter = ConsoleReporter(console, quiet)
        with Index.open(index_path) as index:
            found = index.refresh(reporter)
        reporter.finish()
        if not quiet:
            # a whole pass may join stories the provisional adds kept apart: say which
            merged = "".join(f", {part}" for part in _merged(found.merges))
            console.print(
                f"{_shown(str(index_path))}: refreshed{merged} ({found.seconds:.1f} s)",
                highlight=False,
            )

    _run(action)


@main.command(name="serve", epilog=EXIT_CODES)
@_PATH
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on.",
)
@click.option(
    "--api-keys-file",
    type=click.Path(path_type=Path),
    default=None,
    help="API keys, one a line (also WIRETRACE_API_KEYS, comma-separated); required for "
    "writes, and to listen beyond this machine.",
)
@click.option("--keys-for-reads", is_flag=True, help="Require an API key for reads too.")
@click.option(
    "--max-body-mib", type=float, default=16, show_default=True, help="Largest request body."
)
@click.option(
    "--max-records", type=int, default=1000, show_default=True, help="Most records a request."
)
@_WORKERS
@_POLICY[0]
@_POLICY[1]
def serve_command(
    index_path: Path,
    host: str,
    port: int,
    api_keys_file: Path | None,
    keys_for_reads: bool,
    max_body_mib: float,
    max_records: int,
    workers: int | None,
    whole_below: int,
    growth: float,
) -> None:
    """Serve INDEX over HTTP: POST /documents adds records and answers each one's matches,
    story and likely source; POST /query answers without adding; GET /documents/{id},
    /documents/{id}/matches, /stories/{id}, /stories?since=..., /stories/{id}/report;
    DELETE /documents/{id}; GET /health, /metrics; the API's schema at /docs."""

    def action() -> None:
        require_service()
        import uvicorn

        from wiretrace.service import Limits, check_host, create_app, read_keys

        keys = read_keys(api_keys_file)
        check_host(host, keys)
        if keys_for_reads and not keys:
            raise ConfigError(
                "--keys-for-reads needs API keys (--api-keys-file or WIRETRACE_API_KEYS)"
            )
        if not 0 < max_body_mib < 1024:
            raise ConfigError(
                f"--max-body-mib must be more than 0 and less than 1024, got {max_body_mib:g}"
            )
        if max_records < 1:
            raise ConfigError(f"--max-records must be at least 1, got {max_records}")
        limits = Limits(max_body_bytes=int(max_body_mib * 2**20), max_records=max_records)
        policy = UpdatePolicy(whole_below, growth)
        _check_port(host, port)
        app = create_app(index_path, keys, keys_for_reads, limits, workers or 1, policy)
        if not keys:
            Console(stderr=True).print(
                f"[yellow]warning:[/] no API keys: anyone on this machine may add and remove "
                f"documents through {host}:{port} (give --api-keys-file or WIRETRACE_API_KEYS "
                "to require a key for every write)",
                highlight=False,
            )
        uvicorn.run(app, host=host, port=port, log_level="info")

    _run(action)


def _check_port(host: str, port: int) -> None:
    """Refuse a port another program listens on, before the index is opened (uvicorn would
    log it and exit with a code of its own)."""
    import socket

    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise ConfigError(f"--host {host}: {error.strerror or error}") from None
    family, kind, protocol, _, address = found[0]
    with socket.socket(family, kind, protocol) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            raise ConfigError(
                f"cannot listen on {host}:{port} ({error.strerror or error}); give another "
                "--port, or stop what listens there"
            ) from None


@index_group.command(name="report", epilog=EXIT_CODES)
@_PATH
@click.option(
    "--story",
    type=int,
    required=True,
    help="The story's id (`index export` and an add's --out list them).",
)
@click.option(
    "--out",
    "-o",
    type=click.Path(path_type=Path),
    default=None,
    help="The HTML file to write (default: story-ID.html here).",
)
@_QUIET
def report_command(index_path: Path, story: int, out: Path | None, quiet: bool) -> None:
    """Write the HTML report of one story of INDEX (its documents and the matches among
    them), as `wiretrace report` writes a scan's."""

    def action() -> None:
        target = out or Path(f"story-{story}.html")
        check_report_target(target, [])
        with Index.open(index_path) as index:
            html = index.story_report(story)
        if html is None:
            raise InputError(f"{index_path}: no story {story}; `wiretrace index export` lists them")
        with atomic_path(target) as temporary:
            temporary.write_text(html, "utf-8")
        if not quiet:
            Console(stderr=True).print(f"wrote {_shown(str(target))}", highlight=False)

    _run(action)
