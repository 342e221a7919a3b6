"""`wiretrace serve`: an HTTP service in front of an index (FastAPI; the ``service`` extra:
import this module only once ``wiretrace.index_cli.require_service`` has passed).

Thin: every answer comes from ``wiretrace.index``. Writes (adds, takedowns) go through one
writer thread, in the order they came (a queue: SQLite takes one writer); a 200 to a write is
sent once its transaction is committed. Reads run beside it, each thread with its own
connection (WAL: a reader sees the last commit). API keys (``Authorization: Bearer KEY``)
are compared in constant time and never stored in the index.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import hmac
import ipaddress
import json
import logging
import os
import shutil
import threading
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import FastAPI, Query, Request
from fastapi import Path as PathParameter
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from pydantic import BaseModel
from starlette.convertors import Convertor, register_url_convertor
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match as RouteMatch

from wiretrace.errors import ConfigError, IndexBusyError, InputError
from wiretrace.index import Index, IndexResult, UpdatePolicy
from wiretrace.index.query import Warm
from wiretrace.index.update import now_text
from wiretrace.read.fields import MISSING_FIELD, WRONG_TYPE, describe
from wiretrace.read.files import path_text
from wiretrace.records import Match, Skipped, Story
from wiretrace.stages.sketching import DUPLICATE_ID

KEYS_VARIABLE = "WIRETRACE_API_KEYS"
_RETRY_AFTER = 5  # seconds a client waits before sending again what another writer held up
_log = logging.getLogger("wiretrace.service")
INCOMING = "incoming"  # inside the index folder: what the service was sent, one add at a time


# The body of POST /documents and /query, for the schema at /docs (the service reads it
# itself, to name the field at fault and report unreadable records instead of refusing all).
_RECORDS_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        # any JSON value: each record is read as a scan reads a JSON line (a
                        # value that cannot be used is reported, not refused with the rest)
                        "properties": {
                            name: {"description": f"the record's {name}"}
                            for name in ("id", "text", "title", "url", "outlet", "published")
                        },
                    },
                }
            }
        },
    }
}


class ErrorBody(BaseModel):
    """Every error the service answers itself: what is wrong, and the field at fault."""

    error: str
    field: str | None = None


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    said = {
        401: "no API key",
        403: "an API key not accepted",
        404: "not found",
        413: "the body, the records or a record too large",
        422: "a body or parameter that cannot be read",
        503: "the service is stopping, or another process writes to the index: send it again",
    }
    schema = ErrorBody.model_json_schema()
    return {
        code: {"description": said[code], "content": {"application/json": {"schema": schema}}}
        for code in codes
    }


StoryId = Annotated[int, PathParameter(ge=0, le=2**62, description="A story's id")]


@dataclass(frozen=True, slots=True)
class Limits:
    """What one request may hold."""

    max_body_bytes: int = 16 * 2**20
    max_records: int = 1_000
    max_record_bytes: int = 2 * 2**20

    def body_too_large(self) -> str:
        return (
            f"the body is larger than {_mib(self.max_body_bytes)} MiB; send fewer records a "
            "request (or start the service with a larger --max-body-mib)"
        )


def _mib(size: int) -> str:
    return f"{size / 2**20:.3g}"


def read_keys(keys_file: Path | None, environ: dict[str, str] | None = None) -> frozenset[str]:
    """The API keys: one a line in ``keys_file`` (# starts a comment), and those of the
    environment variable ``WIRETRACE_API_KEYS`` (comma-separated)."""
    environ = dict(os.environ) if environ is None else environ
    keys: set[str] = set()
    if keys_file is not None:
        try:
            lines = keys_file.read_text("utf-8").splitlines()
        except OSError as error:
            raise InputError(f"{keys_file}: cannot read the API keys ({error.strerror})") from None
        from_file = {line.split("#", 1)[0].strip() for line in lines} - {""}
        if not from_file:
            # a secret that failed to mount must not open the writes to anyone
            raise ConfigError(
                f"{keys_file} holds no API keys (one a line); write the keys into it, or "
                "leave --api-keys-file out"
            )
        keys.update(from_file)
    keys.update(part.strip() for part in environ.get(KEYS_VARIABLE, "").split(","))
    keys.discard("")
    short = [key for key in keys if len(key) < 16]
    if short:
        raise ConfigError(
            f"an API key must be at least 16 characters ({len(short)} of those given "
            f"{'is' if len(short) == 1 else 'are'} shorter); make them "
            "with `python -c 'import secrets; print(secrets.token_urlsafe(32))'`"
        )
    return frozenset(keys)


def check_host(host: str, keys: frozenset[str]) -> None:
    """Refuse to listen beyond this machine without keys."""
    if keys:
        return
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise ConfigError(
            f"--host {host} listens beyond this machine: give API keys (--api-keys-file or "
            f"{KEYS_VARIABLE}) or listen on 127.0.0.1"
        )


def _iso_date(value: str) -> bool:
    """Whether ``value`` is a date, or a date and time, in ISO 8601 (``2025-04-09junk`` is
    neither: its first ten characters alone were read, and it matched nothing)."""
    for read in (dt.date.fromisoformat, dt.datetime.fromisoformat):
        try:
            read(value)
        except ValueError:
            continue
        return True
    return False


def _match(match: Match) -> dict[str, Any]:
    return dataclasses.asdict(match)


def _surest(
    match: Match, doc_id: str, representatives: Mapping[str, str]
) -> tuple[float, bool, float, str]:
    """The order of a document's named sources, surest first: the provenance confidence,
    then a source that its group of copies is named by (the wire, not a truncated copy of it
    that a rewrite retells as surely), then the share of the document the source holds,
    then the source's id."""
    held = match.containment_a if match.a == doc_id else match.containment_b
    source = match.source or ""
    named_by = representatives.get(source, source)
    return (-(match.provenance_confidence or 0.0), named_by != source, -held, source)


def _story(story: Story) -> dict[str, Any]:
    return dataclasses.asdict(story)


def _document_path(doc_id: str) -> str:
    """The path of an indexed document, its id percent-encoded (an id may hold slashes)."""
    return f"/documents/{quote(doc_id, safe='')}"


def _answer(
    done: tuple[IndexResult, set[str]],
    sent: list[dict[str, Any]],
    id_field: str,
    text_fields: tuple[str, ...],
    kept: bool = True,
) -> dict[str, Any]:
    """Each record sent: whether it was added (or why not), its matches, story and likely
    source (``kept``: an add; a query adds none)."""
    found, indexed = done
    result = found.result
    rows = result.documents
    story_of = result.story_of()
    # an id read twice (sent twice in one request): its first record is the one read
    status: dict[str, str] = {}
    for row, doc_id in enumerate(rows.id):
        if doc_id is not None:
            status.setdefault(doc_id, rows.status[row])
    skipped: dict[str, Skipped] = {}
    for item in result.skipped:
        if item.id is not None:
            skipped.setdefault(item.id, item)
    not_used: dict[str, list[dict[str, str]]] = {}
    for listed in ("invalid_published", "invalid_fields"):
        for value in result.summary.get(listed, ()):
            not_used.setdefault(value["id"], []).append(
                {name: value[name] for name in ("field", "value", "detail")}
            )
    documents = []
    first: dict[str, int] = {}  # each id's first record in the request: the one read
    by_line = {
        int(place): item
        for item in result.skipped
        if item.id is None and (place := item.source.rpartition(":")[2]).isdigit()
    }
    for number, record in enumerate(sent):
        given = record.get(id_field)
        # an id the reader refuses (a list, true) is named as sent, not as Python writes it
        usable = isinstance(given, str | int) and not isinstance(given, bool)
        doc_id = str(given) if usable else None
        entry: dict[str, Any] = {"record": number, "id": doc_id}
        if given is not None and not usable:
            detail = (
                f"id field {id_field!r} holds {describe(given)}; an id must be a string or an "
                "integer"
            )
            entry.update(status="skipped", reason=WRONG_TYPE, detail=detail)
        elif doc_id in indexed:
            # a new version sent under its id (a correction) is answered so too: said how
            detail = f"already indexed; to replace its text, DELETE {_document_path(doc_id)} first"
            entry.update(status="skipped", reason=DUPLICATE_ID, detail=detail)
        elif doc_id is not None and first.setdefault(doc_id, number) != number:
            detail = f"id {doc_id!r} already sent as record {first[doc_id]} of this request"
            entry.update(status="skipped", reason=DUPLICATE_ID, detail=detail)
        elif doc_id is None or doc_id == "":
            # a file without ids names its records by their lines; a request's records have
            # no lines worth naming them by
            detail = (
                f"no {id_field!r} field; give each record an id (a string or an integer), or "
                "create the index with --id-field naming the field"
            )
            entry.update(status="skipped", reason=MISSING_FIELD, detail=detail)
        elif not any(record.get(name) is not None for name in text_fields):
            # as the command line says it: the fields sent, and how to name the text
            sent_fields = ", ".join(map(str, record)) or "(none)"
            wanted = " or ".join(repr(name) for name in text_fields)
            # a text field sent as null is there, and empty: said so, not "no field"
            null = [name for name in text_fields if name in record]
            detail = (
                f"{' and '.join(repr(name) for name in null)} is null; send the text as a string"
                if null
                else f"no {wanted} field (fields sent: {sent_fields}); send the text under "
                f"{text_fields[0]!r}, or create the index with --text-field naming the field"
            )
            entry.update(status="skipped", reason=MISSING_FIELD, detail=detail)
        elif doc_id in status and status[doc_id] == "ok":
            matches = [m for m in result.matches if doc_id in (m.a, m.b)]
            # the source the clues name most surely; of two as sure, the one holding more of
            # this document (a follow-up named a truncated copy before the wire at 0.88),
            # then the first by id
            named = [m for m in matches if m.source and m.source != doc_id]
            likely = min(
                named, key=lambda m: _surest(m, doc_id, found.representatives), default=None
            )
            entry.update(
                status="ok",
                matches=[_match(m) for m in matches],
                story=story_of.get(doc_id),
                likely_source=likely.source if likely is not None else None,
            )
            if doc_id in not_used:  # values read and left out: said, never dropped silently
                entry["not_used"] = not_used[doc_id]
        elif doc_id in skipped:
            entry["status"] = "skipped"
            entry["reason"] = skipped[doc_id].reason
            entry["detail"] = skipped[doc_id].detail
        else:
            # a record read as no record (a lone surrogate in its text): its skip has no
            # id, but its place in the request is its line in the spooled file
            unread = by_line.get(number + 1)
            entry["status"] = "skipped"
            entry["reason"] = unread.reason if unread is not None else "unreadable"
            if unread is not None:
                entry["detail"] = unread.detail
        documents.append(entry)
    unnamed = [
        {"reason": item.reason, "detail": item.detail} for item in result.skipped if item.id is None
    ]
    return {
        "added": sum(1 for entry in documents if entry["status"] == "ok") if kept else 0,
        "skipped": sum(1 for entry in documents if entry["status"] == "skipped"),
        "documents": documents,
        "unreadable": unnamed,
        "story_merges": [list(merge) for merge in found.merges],
        # False: a provisional add (docs/feed.md, "Update policy"); a query adds nothing
        "whole_pass": found.whole_pass if kept else None,
        "seconds": round(found.seconds, 3),
    }


class _Service:
    """The index as the service holds it: one writer thread, a connection per reader."""

    def __init__(self, path: Path, workers: int, policy: UpdatePolicy | None = None) -> None:
        self.path = path
        self.workers = workers
        self.policy = policy
        self.writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="wiretrace-writer")
        self._local = threading.local()
        self.warm = Warm()
        self._writer_index: Index | None = None
        self.closing = False
        self.lock = threading.Lock()
        self.waiting: list[tuple[list[dict[str, Any]], Future[tuple[IndexResult, set[str]]]]] = []
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "wiretrace_requests",
            "Requests answered, by method, route and status.",
            ("method", "route", "status"),
            registry=self.registry,
        )
        self.latency = Histogram(
            "wiretrace_request_seconds",
            "Seconds to answer, by route.",
            ("route",),
            registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
        )
        self.documents = Gauge("wiretrace_documents", "Documents indexed.", registry=self.registry)
        with Index.open(path, workers) as index:  # refused now if it cannot be opened
            self.id_field = index.config.fields.id
            self.text_fields = (index.config.fields.text, index.config.fields.html)

    def reader(self) -> Index:
        index: Index | None = getattr(self._local, "index", None)
        if index is None:
            index = Index.open(self.path, self.workers)
            index.warm = self.warm  # one copy of the vectors for every reader thread
            self._local.index = index
        return index

    def _writing(self) -> Index:
        if self._writer_index is None:
            self._writer_index = Index.open(self.path, self.workers, self.policy)
        return self._writer_index

    def add(self, requests: list[list[dict[str, Any]]], keep: bool) -> tuple[IndexResult, set[str]]:
        """The records of ``requests`` added (in the writer thread) or queried (in a
        reader's): each request written as a JSON-lines file of its own, the records whose
        id is indexed already left out and returned (a scan would make an id read before
        from another file unique by its file; a service's records have no files of their
        own). A record's ``source`` names its request and its place in it
        (``POST /documents 2026-12-04T08:15:02+00:00:2``), not the file, which is gone once
        answered."""
        index = self._writing() if keep else self.reader()
        records = [record for request in requests for record in request]
        ids = [str(r[self.id_field]) for r in records if r.get(self.id_field) is not None]
        indexed = set(index.store.numbers_of(ids))
        # named by this process, so that a server starting can tell a spool left by one
        # killed (its texts, a takedown's too, stayed on disk) from one in flight
        folder = self.path / INCOMING / f"{os.getpid()}-{uuid.uuid4().hex}"
        folder.mkdir(parents=True)
        route = f"POST /{'documents' if keep else 'query'} {now_text()}"
        feeds, names = [], {}
        try:
            for number, request in enumerate(requests):
                feed = folder / f"{number}.jsonl"
                with feed.open("w", encoding="utf-8") as stream:
                    for record in request:
                        if str(record.get(self.id_field)) not in indexed and self.readable(record):
                            stream.write(json.dumps(record))  # a lone surrogate escaped
                        stream.write("\n")  # a blank line is no record: places kept
                feeds.append(feed)
                names[path_text(feed)] = route
            found = index.add(feeds, names=names) if keep else index.query(feeds, names=names)
            return index.with_representatives(found), indexed
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def readable(self, record: dict[str, Any]) -> bool:
        """Whether a record has an id and a text to read (else it is answered as skipped, and
        the others are still added: a reader refuses a file whose records lack the text
        field, and names records by their lines when the first has no id)."""
        given = record.get(self.id_field)
        if given in (None, "") or isinstance(given, bool) or not isinstance(given, str | int):
            return False
        return any(record.get(name) is not None for name in self.text_fields)

    def queue_add(self, records: list[dict[str, Any]]) -> Future[tuple[IndexResult, set[str]]]:
        """Queue ``records`` for the writer: the adds waiting when it is free go in as one
        add (an add's cost is mostly the index's, not the new documents': four writers
        sending an article each cost one add, not four). Answered each with its own records."""
        done: Future[tuple[IndexResult, set[str]]] = Future()
        with self.lock:
            self.waiting.append((records, done))
        self.writer.submit(self._add_waiting)
        return done

    def _add_waiting(self) -> None:
        """In the writer thread: every add waiting, as one (a request whose ids another in
        the batch already holds waits for the next, so each id is added once)."""
        with self.lock:
            batch: list[tuple[list[dict[str, Any]], Future[tuple[IndexResult, set[str]]]]] = []
            ids: set[str] = set()
            for item in list(self.waiting):
                mine = {str(r.get(self.id_field)) for r in item[0]}
                if batch and ids & mine:
                    break
                ids |= mine
                batch.append(item)
                self.waiting.remove(item)
        if not batch:
            return  # an earlier call took them
        try:
            found = self.add([records for records, _ in batch], keep=True)
        except BaseException as error:
            for _, done in batch:
                done.set_exception(error)
            if not isinstance(error, Exception):
                raise
            return
        for _, done in batch:
            done.set_result(found)

    def remove(self, doc_id: str) -> IndexResult:
        found = self._writing().remove([doc_id])
        clear_spool(self.path)  # a takedown's text in a dead server's spool goes too
        return found

    def close(self) -> None:
        self.closing = True
        if self._writer_index is not None:  # closed where it was opened, after the queue
            self.writer.submit(self._writer_index.close)
        self.writer.shutdown(wait=True)  # the writes taken finish; none is cut off


def clear_spool(path: Path) -> int:
    """Remove what servers killed while adding or querying (SIGKILL) left in the index's
    spool: the folders of processes no longer running (or of no process: an older
    version's); returns how many. A running server's own are in flight and kept."""
    cleared = 0
    spool = path / INCOMING
    for folder in sorted(spool.iterdir()) if spool.is_dir() else []:
        owner = folder.name.partition("-")[0]
        if owner.isdigit() and (int(owner) == os.getpid() or _running(int(owner))):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        cleared += 1
    return cleared


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: running
        return True
    return True


class _AnyId(Convertor[str]):
    """A document id in a path as it was added: slashes (paths, URLs) and line breaks too
    (Starlette's ``path`` stops at a line break: an id holding one could be added, never
    read or taken down)."""

    regex = r"[\s\S]*"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("any_id", _AnyId())


def create_app(
    path: str | os.PathLike[str],
    keys: frozenset[str] = frozenset(),
    keys_for_reads: bool = False,
    limits: Limits | None = None,
    workers: int = 1,
    policy: UpdatePolicy | None = None,
) -> FastAPI:
    """The FastAPI application serving the index at ``path``; its adds are whole passes as
    ``policy`` says (``UpdatePolicy``'s defaults)."""
    limits = limits or Limits()
    service = _Service(Path(path), workers, policy)
    if cleared := clear_spool(Path(path)):
        _log.warning("removed %d request spool(s) a killed server left in %s", cleared, path)

    @asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[None]:
        # the first query would otherwise wait for every indexed vector to be read
        await asyncio.to_thread(lambda: service.reader().warm_up())
        yield
        service.close()

    app: FastAPI = FastAPI(
        title="wiretrace",
        summary="Where news text came from and where it went: a feed against an index.",
        lifespan=lifespan,
    )

    def error(status: int, message: str, field: str | None = None) -> JSONResponse:
        return JSONResponse({"error": message, "field": field}, status_code=status)

    @app.exception_handler(StarletteHTTPException)
    async def http_problem(request: Request, problem: StarletteHTTPException) -> Any:
        """An unknown path or a method a path does not take, in the service's error body
        (``{"error", "field"}``, as every other answer), not the framework's ``{"detail"}``."""
        answer = error(problem.status_code, str(problem.detail))
        answer.headers.update(problem.headers or {})
        return answer

    @app.exception_handler(RequestValidationError)
    async def unreadable_parameter(request: Request, problem: RequestValidationError) -> Any:
        """A path or query parameter FastAPI could not read (``/stories/abc``, ``limit=0``):
        answered in the service's error body, naming the parameter."""
        first = problem.errors()[0] if problem.errors() else {}
        where = [str(part) for part in first.get("loc", ()) if part not in ("path", "query")]
        field = ".".join(where) or None
        return error(422, f"{field or 'a parameter'}: {first.get('msg', 'cannot be read')}", field)

    def busy(problem: IndexBusyError) -> JSONResponse:
        """Another process (an `index add` or `refresh`, another service) holds the index's
        writer: the request was not carried out and may be sent again."""
        answer = error(503, str(problem).split(": ", 1)[-1])
        answer.headers["Retry-After"] = str(_RETRY_AFTER)
        return answer

    def authorised(request: Request, write: bool) -> JSONResponse | None:
        if not keys or (not write and not keys_for_reads):
            return None
        header = request.headers.get("authorization", "")
        scheme, _, given = header.partition(" ")
        if scheme.lower() != "bearer" or not given:
            return error(401, "an API key is required: send `Authorization: Bearer KEY`")
        given_bytes = given.strip().encode()
        # every key compared, in constant time each: the time says nothing of which is near
        matched = False
        for key in keys:
            matched |= hmac.compare_digest(given_bytes, key.encode())
        return None if matched else error(403, "this API key is not accepted")

    @app.middleware("http")
    async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Any:
        started = time.perf_counter()
        length = request.headers.get("content-length")
        write = request.method in ("POST", "DELETE") and request.url.path != "/query"
        # the key first: a caller without one learns nothing of the limits (a 16 MiB body
        # without a key was a 413)
        refused = None
        if request.url.path not in ("/health", "/docs", "/openapi.json", "/metrics"):
            refused = authorised(request, write)
        if refused is not None:
            response: Response = refused
        elif length is not None and (not length.isdecimal() or int(length) > limits.max_body_bytes):
            response = error(413, limits.body_too_large(), "body")
        elif service.closing and request.method in ("POST", "DELETE"):
            response = error(503, "the service is stopping; send this again later")
        else:
            try:
                response = await call_next(request)
            except Exception:  # answered and counted, in the error body's form
                _log.exception("%s %s failed", request.method, request.url.path)
                response = error(500, "internal error; the service's log has the details")
        if response.status_code == 405:  # every method of the path, not the first route's
            allowed = sorted(
                method
                for route in app.routes
                if route.matches(request.scope)[0] != RouteMatch.NONE
                for method in getattr(route, "methods", ()) or ()
            )
            response.headers["Allow"] = ", ".join(allowed)
        # a request refused for its key never reached the router: its route is looked up
        matched = request.scope.get("route") or next(
            (r for r in app.routes if r.matches(request.scope)[0] == RouteMatch.FULL), None
        )
        # as the route is written for people: "/documents/{doc_id}", not its converter's form
        route = getattr(matched, "path_format", getattr(matched, "path", "unmatched"))
        service.requests.labels(request.method, route, str(response.status_code)).inc()
        service.latency.labels(route).observe(time.perf_counter() - started)
        return response

    async def records_of(
        request: Request, done: str = "added"
    ) -> list[dict[str, Any]] | JSONResponse:
        body = await request.body()
        if len(body) > limits.max_body_bytes:
            return error(413, limits.body_too_large(), "body")
        try:
            records = json.loads(body)
        except (ValueError, UnicodeDecodeError) as problem:
            return error(422, f"the body is not JSON: {problem}", "body")
        except RecursionError:
            return error(422, "the body nests arrays or objects too deeply to read", "body")
        if not isinstance(records, list):
            return error(422, "send a JSON array of records (objects)", "body")
        if len(records) > limits.max_records:
            return error(
                413,
                f"{len(records):,} records; send at most {limits.max_records:,} a request "
                "(the service's --max-records)",
                "records",
            )
        for number, record in enumerate(records):
            if not isinstance(record, dict):
                return error(422, f"record {number} is not an object", f"records[{number}]")
            try:
                # a lone surrogate ("\\ud800") is no character of UTF-8: counted as written,
                # the record is read (and skipped, ``undecodable``) as a scan reads it
                size = len(json.dumps(record, ensure_ascii=False).encode("utf-8", "surrogatepass"))
            except RecursionError:
                return error(422, f"record {number} nests too deeply to read", f"records[{number}]")
            if size > limits.max_record_bytes:
                return error(
                    413,
                    f"record {number} is {_mib(size)} MiB, more than a record may hold "
                    f"({_mib(limits.max_record_bytes)} MiB); nothing of this request was "
                    f"{done}: send it without that record, its text cut",
                    f"records[{number}]",
                )
        return records

    async def in_writer(function: Callable[[], Any]) -> Any:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(service.writer, function)

    @app.post(
        "/documents",
        summary="Add records; each one's matches, story, likely source",
        openapi_extra=_RECORDS_BODY,
        responses=_errors(401, 403, 413, 422, 503),
    )
    async def add_documents(request: Request) -> Any:
        records = await records_of(request)
        if isinstance(records, JSONResponse):
            return records
        try:
            found = await asyncio.wrap_future(service.queue_add(records))
        except IndexBusyError as problem:
            return busy(problem)
        except InputError as problem:  # the records as a file could not be read at all
            return error(422, str(problem).split(": ", 1)[-1], "records")
        return _answer(found, records, service.id_field, service.text_fields)

    @app.post(
        "/query",
        summary="What adding the records would find, without adding them",
        openapi_extra=_RECORDS_BODY,
        responses=_errors(401, 403, 413, 422, 503),
    )
    async def query_documents(request: Request) -> Any:
        records = await records_of(request, "read")
        if isinstance(records, JSONResponse):
            return records
        # a query needs no writer: it runs beside the writes, in a reader's thread
        try:
            found = await asyncio.to_thread(service.add, [records], False)
        except InputError as problem:
            return error(422, str(problem).split(": ", 1)[-1], "records")
        return _answer(found, records, service.id_field, service.text_fields, kept=False)

    @app.get(
        "/documents/{doc_id:any_id}/matches",
        summary="An indexed document's matches",
        responses=_errors(401, 403, 404),
    )
    def get_matches(doc_id: str) -> Any:
        found = service.reader().matches_of(doc_id)
        if found is None:
            return error(404, f"no document {doc_id!r}", "id")
        return {"id": doc_id, "matches": [_match(m) for m in found]}

    @app.get(
        "/documents/{doc_id:any_id}",
        summary='An indexed document, its story and group (an id may hold "/", sent as is '
        "or as %2F)",
        responses=_errors(401, 403, 404),
    )
    def get_document(doc_id: str) -> Any:
        found = service.reader().document(doc_id)
        return found if found is not None else error(404, f"no document {doc_id!r}", "id")

    @app.delete(
        "/documents/{doc_id:any_id}",
        summary="Take a document out (a takedown)",
        responses=_errors(401, 403, 404, 503),
    )
    async def delete_document(doc_id: str) -> Any:
        try:
            await in_writer(lambda: service.remove(doc_id))
        except IndexBusyError as problem:
            return busy(problem)
        except InputError:
            return error(404, f"no document {doc_id!r}", "id")
        return {"removed": doc_id}

    @app.get(
        "/stories/{story}",
        summary="A story and its documents",
        responses=_errors(401, 403, 404, 422),
    )
    def get_story(story: StoryId) -> Any:
        found = service.reader().story(story)
        return _story(found) if found is not None else error(404, f"no story {story}", "story")

    @app.get(
        "/stories",
        summary="Recent stories (a member published on or after `since`)",
        responses=_errors(401, 403, 422),
    )
    def list_stories(
        since: str | None = None, limit: Annotated[int, Query(ge=1, le=1000)] = 100
    ) -> Any:
        if since is not None and not _iso_date(since):
            return error(422, f"since {since!r} is no date: give YYYY-MM-DD", "since")
        return {"stories": [_story(s) for s in service.reader().stories(since, limit)]}

    @app.get(
        "/stories/{story}/report",
        summary="A story's HTML report",
        response_class=HTMLResponse,
        responses=_errors(401, 403, 404, 422),
    )
    def story_report(story: StoryId) -> Any:
        html = service.reader().story_report(story)
        if html is None:
            return error(404, f"no story {story}", "story")
        return HTMLResponse(html)

    @app.get("/health", summary="Whether the index answers")
    def health() -> Any:
        return {"status": "ok", "documents": service.reader().store.count()}

    @app.get("/metrics", summary="Prometheus text format", response_class=PlainTextResponse)
    def metrics() -> Any:
        service.documents.set(service.reader().store.count())
        return Response(generate_latest(service.registry), media_type=CONTENT_TYPE_LATEST)

    return app
