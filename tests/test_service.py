"""`wiretrace serve`: answers, API keys, limits and error bodies, and a real server."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from wiretrace import Match, Relation, ScanConfig
from wiretrace.errors import ConfigError
from wiretrace.index import LOCK, Index, UpdatePolicy
from wiretrace.service import (
    KEYS_VARIABLE,
    Limits,
    _surest,
    check_host,
    create_app,
    read_keys,
)

KEY = "k" * 24
WRITE = {"Authorization": f"Bearer {KEY}"}


def _records(seeds: Path) -> list[dict[str, Any]]:
    return [
        {"id": path.stem[:3], "text": path.read_text("utf-8"), "outlet": "Wire"}
        for path in sorted(seeds.glob("*.txt"))
    ]


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    Index.create(tmp_path / "index", ScanConfig(workers=1)).close()
    app = create_app(
        tmp_path / "index",
        frozenset({KEY}),
        limits=Limits(max_body_bytes=200_000, max_records=5, max_record_bytes=50_000),
    )
    with TestClient(app) as found:
        yield found


def test_a_killed_server_s_spool_is_removed_when_a_server_starts(tmp_path: Path) -> None:
    # kill -9 during an add left the posted texts in INDEX/incoming for good, a takedown's
    # too; a server starting removes the spools of processes no longer running
    Index.create(tmp_path / "index", ScanConfig(workers=1)).close()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    spool = tmp_path / "index" / "incoming"
    for name in (f"{dead.pid}-abc", "0123456789abcdef", f"{os.getpid()}-mine"):
        (spool / name).mkdir(parents=True)
        (spool / name / "0.jsonl").write_text('{"id": "x", "text": "a text"}\n', "utf-8")
    create_app(tmp_path / "index", frozenset({KEY}))
    assert sorted(folder.name for folder in spool.iterdir()) == [f"{os.getpid()}-mine"]


def test_the_update_policy_is_the_services(tmp_path: Path, seeds: Path) -> None:
    # a feed that wants its adds answered at once: provisional past the first
    Index.create(tmp_path / "index", ScanConfig(workers=1)).close()
    app = create_app(tmp_path / "index", frozenset({KEY}), policy=UpdatePolicy(0, 10.0))
    records = _records(seeds)
    with TestClient(app) as client:
        first = client.post("/documents", json=records[:1], headers=WRITE).json()
        later = client.post("/documents", json=records[1:2], headers=WRITE).json()
    assert first["whole_pass"] is True and later["whole_pass"] is False
    assert later["documents"][0]["likely_source"] == "000"  # found as a whole pass finds it


def test_adds_and_answers(client: TestClient, seeds: Path) -> None:
    records = _records(seeds)
    first = client.post("/documents", json=records[:2], headers=WRITE)
    assert first.status_code == 200
    body = first.json()
    assert body["added"] == 2
    copy = body["documents"][1]
    assert copy["status"] == "ok" and copy["likely_source"] == "000"
    assert [m["relation"] for m in copy["matches"]] == ["near_duplicate"]
    later = client.post("/documents", json=records[2:], headers=WRITE).json()
    stories = {entry["story"] for entry in later["documents"]}
    assert stories == {copy["story"]}  # the story id holds as the story grows
    again = client.post("/documents", json=records[:1], headers=WRITE).json()
    assert again["documents"][0]["reason"] == "duplicate_id"
    # a correction sent under its id is answered so too: the answer says how to replace it
    assert "DELETE /documents/000 first" in again["documents"][0]["detail"]
    assert client.get("/documents/001").json()["story"] == copy["story"]
    matches = client.get("/documents/001/matches").json()["matches"]
    assert {(m["a"], m["b"]) for m in matches} >= {("000", "001")}
    story = client.get(f"/stories/{copy['story']}").json()
    assert sorted(story["members"]) == ["000", "001", "002", "003"]
    assert client.get("/stories", params={"since": "1900-01-01"}).status_code == 200
    report = client.get(f"/stories/{copy['story']}/report")
    assert report.status_code == 200 and report.text.startswith("<!doctype html>")
    asked = client.post("/query", json=[{"id": "new", "text": records[0]["text"]}]).json()
    assert asked["documents"][0]["matches"][0]["relation"] == "exact"
    assert asked["added"] == 0 and asked["documents"][0]["status"] == "ok"
    assert asked["whole_pass"] is None  # a query makes no pass over the index
    assert client.get("/documents/new").status_code == 404  # a query adds nothing
    assert client.delete("/documents/003", headers=WRITE).json() == {"removed": "003"}
    assert client.get("/documents/003").status_code == 404
    assert client.delete("/documents/003", headers=WRITE).status_code == 404
    metrics = client.get("/metrics").text
    assert 'wiretrace_requests_total{method="POST",route="/documents",status="200"}' in metrics
    assert "wiretrace_documents 3.0" in metrics


def test_a_record_that_cannot_be_read_is_reported_and_the_rest_added(
    client: TestClient, seeds: Path
) -> None:
    records = [{"id": "blank", "text": "   "}, {"text": "no id"}, *_records(seeds)[:1]]
    body = client.post("/documents", json=records, headers=WRITE).json()
    assert body["added"] == 1
    reasons = [entry.get("reason") for entry in body["documents"]]
    assert reasons[0] == "empty_text" and reasons[2] is None
    assert body["unreadable"] or reasons[1]  # the record without an id is named too


def test_an_id_sent_twice_in_one_request_is_added_once_and_answered_so(
    client: TestClient, seeds: Path
) -> None:
    # both were answered as skipped duplicates (one was added), the detail naming the
    # request's file inside the index
    first = _records(seeds)[0]
    records = [first, {**first, "text": first["text"] + " A correction."}]
    body = client.post("/documents", json=records, headers=WRITE).json()
    assert body["added"] == 1 and body["skipped"] == 1
    assert [entry["status"] for entry in body["documents"]] == ["ok", "skipped"]
    assert body["documents"][1]["detail"] == "id '000' already sent as record 0 of this request"
    assert client.get("/documents/000").json()["chars"] == len(first["text"])


def test_the_likely_source_is_the_one_named_most_surely(client: TestClient, seeds: Path) -> None:
    records = [
        {**record, "published": f"2021-08-0{number + 1}"}
        for number, record in enumerate(_records(seeds))
    ]
    client.post("/documents", json=records[:2], headers=WRITE)
    body = client.post("/documents", json=records[2:3], headers=WRITE).json()
    (entry,) = body["documents"]
    named = [m for m in entry["matches"] if m["source"] not in (None, entry["id"])]
    assert named
    best = max(m["provenance_confidence"] for m in named)
    chosen = [m for m in named if m["source"] == entry["likely_source"]]
    assert chosen and chosen[0]["provenance_confidence"] == best


def test_of_two_sources_named_as_surely_the_one_holding_more_is_likely() -> None:
    # a follow-up named a truncated copy of the wire (0.88) before the wire itself (0.88)
    def named(source: str, held: float) -> Match:
        return Match(
            a="followup",
            b=source,
            relation=Relation.PARTIAL,
            jaccard=0.1,
            containment_a=held,
            containment_b=0.2,
            passages=(),
            source=source,
            provenance_confidence=0.88,
        )

    matches = [named("a-cut-copy", 0.31), named("b-wire", 0.47), named("c-other", 0.47)]
    assert min(matches, key=lambda m: _surest(m, "followup", {})).source == "b-wire"
    # a rewrite holds no shingles of either: the group's own name goes before its copy's
    # (the service named a truncated copy of the wire as a rewrite's likely source)
    matches = [named("a-cut-copy", 0.0), named("b-wire", 0.0)]
    grouped = {"a-cut-copy": "b-wire", "b-wire": "b-wire"}
    assert min(matches, key=lambda m: _surest(m, "followup", grouped)).source == "b-wire"


def test_a_record_without_an_id_is_skipped_even_first(client: TestClient, seeds: Path) -> None:
    # a file without ids names its records by their lines; a request's are refused one by one
    records = [{"text": "no id at all, first"}, *_records(seeds)[:1]]
    body = client.post("/documents", json=records, headers=WRITE).json()
    assert body["added"] == 1
    first = body["documents"][0]
    assert (first["status"], first["reason"]) == ("skipped", "missing_field")
    assert "give each record an id" in first["detail"]  # and the fix, as the CLI says it


def test_a_record_without_the_text_says_the_fields_it_sent(client: TestClient) -> None:
    # "no 'text' or 'html' field" alone, where the command line lists the fields and the fix
    body = client.post("/query", json=[{"id": "y", "body": "Words."}]).json()
    detail = body["documents"][0]["detail"]
    assert "fields sent: id, body" in detail and "--text-field" in detail
    # a text sent as null is there: "no 'text' field (fields sent: id, text)" read as a bug
    body = client.post("/query", json=[{"id": "y", "text": None}]).json()
    assert body["documents"][0]["detail"] == "'text' is null; send the text as a string"


def test_a_record_names_its_request_as_its_source(client: TestClient, seeds: Path) -> None:
    # not the request's file, which is gone once answered: the route, the time and the
    # record's place in the request (counting the records left out)
    records = [{"text": "no id"}, *_records(seeds)[:1]]
    client.post("/documents", json=records, headers=WRITE)
    source = client.get(f"/documents/{records[1]['id']}").json()["source"]
    assert re.fullmatch(r"POST /documents \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00:2", source)


def test_keys_are_required_for_writes(client: TestClient, seeds: Path) -> None:
    records = _records(seeds)[:1]
    missing = client.post("/documents", json=records)
    assert missing.status_code == 401 and "Bearer" in missing.json()["error"]
    wrong = client.post("/documents", json=records, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 403
    assert client.delete("/documents/000").status_code == 401
    assert client.get("/health").status_code == 200  # reads need none here
    # counted under their routes (they were "unmatched": refused before the router)
    metrics = client.get("/metrics").text
    assert 'wiretrace_requests_total{method="POST",route="/documents",status="401"}' in metrics
    assert 'method="DELETE",route="/documents/{doc_id}",status="401"' in metrics


def test_keys_for_reads(tmp_path: Path) -> None:
    Index.create(tmp_path / "index", ScanConfig(workers=1)).close()
    app = create_app(tmp_path / "index", frozenset({KEY}), keys_for_reads=True)
    with TestClient(app) as client:
        assert client.get("/documents/x").status_code == 401
        assert client.get("/documents/x", headers=WRITE).status_code == 404
        assert client.get("/health").status_code == 200


def test_limits_name_the_field(client: TestClient) -> None:
    big = client.post("/documents", content=b"[" + b" " * 300_000 + b"]", headers=WRITE)
    assert big.status_code == 413 and big.json()["field"] == "body"
    assert "fewer records" in big.json()["error"]  # the fix, not a byte count alone
    # without a key, the key is asked for first: the limits are none of a stranger's business
    stranger = client.post("/documents", content=b"[" + b" " * 300_000 + b"]")
    assert stranger.status_code == 401
    many = client.post(
        "/documents", json=[{"id": str(n), "text": "x"} for n in range(6)], headers=WRITE
    )
    assert many.status_code == 413 and many.json()["field"] == "records"
    assert "send at most 5 a request" in many.json()["error"]
    huge = client.post("/documents", json=[{"id": "a", "text": "x" * 60_000}], headers=WRITE)
    assert huge.status_code == 413 and huge.json()["field"] == "records[0]"
    assert "nothing of this request was added" in huge.json()["error"]
    shape = client.post("/documents", json={"id": "a"}, headers=WRITE)
    assert shape.status_code == 422 and shape.json()["field"] == "body"
    item = client.post("/documents", json=[1], headers=WRITE)
    assert item.status_code == 422 and item.json()["field"] == "records[0]"
    broken = client.post("/documents", content=b"[{", headers=WRITE)
    assert broken.status_code == 422
    for path, params, field in (
        ("/stories", {"limit": 0}, "limit"),
        ("/stories/123456789012345678901234", {}, "story"),
        ("/stories/abc", {}, "story"),
    ):
        refused = client.get(path, params=params)
        # in the service's error body (it was FastAPI's {"detail": [...]}), naming the field
        assert refused.status_code == 422 and refused.json()["field"] == field, refused.text
        assert set(refused.json()) == {"error", "field"}
    refused = client.request("PUT", "/documents/000")
    assert refused.status_code == 405 and refused.headers["allow"] == "DELETE, GET"
    assert set(refused.json()) == {"error", "field"}
    unknown = client.get("/no/such/route")
    assert unknown.status_code == 404 and set(unknown.json()) == {"error", "field"}


def test_an_id_of_the_wrong_type_is_answered_with_its_reason(
    client: TestClient, seeds: Path
) -> None:
    # it was named by its Python repr ("['l']") and answered "unreadable" with no detail
    records = [{"id": ["l"], "text": "A list is no id."}, *_records(seeds)[:1]]
    body = client.post("/documents", json=records, headers=WRITE).json()
    first = body["documents"][0]
    assert (first["id"], first["status"], first["reason"]) == (None, "skipped", "wrong_type")
    assert "holds a list" in first["detail"]
    assert body["added"] == 1 and not body["unreadable"]


def test_values_left_out_of_a_record_are_listed_in_its_answer(client: TestClient) -> None:
    # a date that cannot be read, a title that is no string: stored as null without a word
    record = {"id": "a", "text": "The council met on Tuesday to discuss the parks budget."}
    body = client.post(
        "/documents", json=[{**record, "published": "not a date", "title": ["x"]}], headers=WRITE
    ).json()
    (entry,) = body["documents"]
    assert entry["status"] == "ok"
    assert [item["field"] for item in entry["not_used"]] == ["published", "title"]


def test_stories_since_a_date_that_is_none_is_refused(client: TestClient) -> None:
    for since in ("yesterday", "2024-13-45", "", "2025-04-09junk"):
        answer = client.get("/stories", params={"since": since})
        assert answer.status_code == 422 and answer.json()["field"] == "since", since
    assert client.get("/stories", params={"since": "2024-01-02"}).status_code == 200
    assert client.get("/stories", params={"since": "2024-01-02T08:00:00+00:00"}).status_code == 200


def test_keys_and_hosts_are_checked(tmp_path: Path) -> None:
    keys_file = tmp_path / "keys"
    keys_file.write_text(f"{KEY}  # the desk\n\n", "utf-8")
    assert read_keys(keys_file, {}) == {KEY}
    assert read_keys(None, {"WIRETRACE_API_KEYS": f"{KEY}, {'z' * 20}"}) == {KEY, "z" * 20}
    with pytest.raises(ConfigError, match="at least 16"):
        read_keys(None, {"WIRETRACE_API_KEYS": "short"})
    with pytest.raises(ConfigError, match="beyond this machine"):
        check_host("0.0.0.0", frozenset())
    check_host("127.0.0.1", frozenset())
    check_host("0.0.0.0", frozenset({KEY}))


def _call(url: str, method: str = "GET", body: Any = None) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers=WRITE)
    request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_a_real_server_adds_and_stops_cleanly_on_sigterm(tmp_path: Path, seeds: Path) -> None:
    Index.create(tmp_path / "index", ScanConfig(workers=1)).close()
    env = {**os.environ, "WIRETRACE_API_KEYS": KEY, "PYTHONPATH": os.pathsep.join(sys.path)}
    # port 0: the system gives a free one, which uvicorn names once it listens (a port found
    # free beforehand may be taken by another test before the server binds it)
    server = subprocess.Popen(
        [sys.executable, "-m", "wiretrace", "serve", str(tmp_path / "index"), "--port", "0"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert server.stdout is not None
    lines: list[str] = []
    try:
        listening = None
        for line in server.stdout:
            lines.append(line)
            listening = re.search(r"running on http://127\.0\.0\.1:(\d+)", line)
            if listening:
                break
        assert listening, "".join(lines)
        base = f"http://127.0.0.1:{listening.group(1)}"
        assert _call(f"{base}/health")[0] == 200
        status, body = _call(f"{base}/documents", "POST", _records(seeds))
        assert status == 200 and body["added"] == 4
        assert _call(f"{base}/documents/001")[1]["id"] == "001"
        schema = _call(f"{base}/openapi.json")[1]
        assert "/documents" in schema["paths"]
    finally:
        server.send_signal(signal.SIGTERM)
        rest, _ = server.communicate(timeout=60)
        output = "".join(lines) + rest
    # uvicorn finishes the requests in flight, then ends as SIGTERM asks (128 + 15)
    assert server.returncode == 143 and "Application shutdown complete" in output, output
    with Index.open(tmp_path / "index") as index:
        assert index.store.count() == 4  # what was acknowledged is there


def test_queries_at_once_give_one_answer(client: TestClient, seeds: Path) -> None:
    """Queries run in several threads beside each other (each compares with its own
    comparer): every one gets the answer one query alone gets."""
    from concurrent.futures import ThreadPoolExecutor

    records = _records(seeds)
    assert client.post("/documents", json=records[:3], headers=WRITE).status_code == 200
    asked = [{"id": "new", "text": records[3]["text"]}]
    alone = client.post("/query", json=asked).json()["documents"]
    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(lambda _: client.post("/query", json=asked).json(), range(12)))
    assert all(answer["documents"] == alone for answer in answers)
    assert alone[0]["matches"]  # the follow-up shares passages with the wire story


def test_adds_sent_at_once_are_each_answered(client: TestClient, seeds: Path) -> None:
    """Adds waiting for the writer go in together; each request is answered for its own
    records, and an id sent twice at once is added once."""
    from concurrent.futures import ThreadPoolExecutor

    records = _records(seeds)
    sent = [[record] for record in records] + [[records[0]]]
    with ThreadPoolExecutor(max_workers=5) as pool:
        answers = list(
            pool.map(lambda body: client.post("/documents", json=body, headers=WRITE), sent)
        )
    assert all(answer.status_code == 200 for answer in answers)
    bodies = [answer.json() for answer in answers]
    assert [body["documents"][0]["id"] for body in bodies] == ["000", "001", "002", "003", "000"]
    added = [body["documents"][0]["status"] for body in bodies]
    assert added.count("ok") == 4 and added.count("skipped") == 1
    assert all(body["added"] == (entry == "ok") for body, entry in zip(bodies, added, strict=True))
    assert client.get("/health").json()["documents"] == 4


def test_serve_on_a_port_in_use_says_so_and_exits_2(tmp_path: Path) -> None:
    # uvicorn logged it and exited with a code of its own (3, none of ours)
    import socket

    from click.testing import CliRunner

    from wiretrace.cli import main

    Index.create(tmp_path / "index", ScanConfig(workers=1)).close()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        result = CliRunner().invoke(main, ["serve", str(tmp_path / "index"), "--port", port])
    assert result.exit_code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.output


def test_a_write_while_another_process_writes_is_answered_503(
    client: TestClient, tmp_path: Path, seeds: Path
) -> None:
    # an `index add` or `refresh` holding the index: a takedown was answered "no document"
    # (404) and an add 422, as if the records were bad; both may be sent again
    import fcntl

    records = _records(seeds)
    assert client.post("/documents", json=records[:1], headers=WRITE).status_code == 200
    with (tmp_path / "index" / LOCK).open("a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        for answer in (
            client.post("/documents", json=records[1:2], headers=WRITE),
            client.delete("/documents/000", headers=WRITE),
        ):
            assert answer.status_code == 503, answer.text
            assert "another wiretrace process" in answer.json()["error"]
            assert int(answer.headers["retry-after"]) > 0
        fcntl.flock(held, fcntl.LOCK_UN)
    assert client.get("/documents/000").status_code == 200  # not taken out
    assert client.delete("/documents/000", headers=WRITE).status_code == 200
    assert client.delete("/documents/000", headers=WRITE).status_code == 404


def test_bodies_that_cannot_be_written_are_answered_not_failed(
    client: TestClient, seeds: Path
) -> None:
    # a lone surrogate (no character of UTF-8) and arrays nested past Python's stack were
    # internal errors (500)
    lone = json.dumps([{"id": "s", "text": "A lone \ud800 half."}, *_records(seeds)[:1]])
    answer = client.post("/documents", content=lone.encode(), headers=WRITE)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["added"] == 1
    assert body["documents"][0]["status"] == "skipped"
    assert [item["reason"] for item in body["unreadable"]] == ["undecodable"]
    # the record's own entry says why, as the output contract names it ("unreadable" before)
    assert body["documents"][0]["reason"] == "undecodable" and body["documents"][0]["detail"]
    deep = b"[" * 100_000 + b"]" * 100_000
    nested = client.post("/documents", content=deep, headers=WRITE)
    assert nested.status_code == 413 or (
        nested.status_code == 422 and nested.json()["field"] == "body"
    )
    shallow_body = b'[{"id": "d", "text": "x", "title": ' + b"[" * 5_000 + b"]" * 5_000 + b"}]"
    inner = client.post("/documents", content=shallow_body, headers=WRITE)
    assert inner.status_code in (200, 422), inner.text


def test_ids_holding_a_slash_are_read_and_taken_out(client: TestClient, seeds: Path) -> None:
    # a feed's ids are often paths or URLs: added, then never found again over HTTP
    record = {**_records(seeds)[0], "id": "news/2026/03/fire"}
    assert client.post("/documents", json=[record], headers=WRITE).json()["added"] == 1
    for path in ("/documents/news/2026/03/fire", "/documents/news%2F2026%2F03%2Ffire"):
        assert client.get(path).json()["id"] == "news/2026/03/fire"
        assert client.get(path + "/matches").json()["id"] == "news/2026/03/fire"
    assert client.delete("/documents/news%2F2026%2F03%2Ffire", headers=WRITE).status_code == 200
    assert client.get("/documents/news/2026/03/fire").status_code == 404


def test_an_id_holding_a_line_break_is_read_and_taken_out(client: TestClient, seeds: Path) -> None:
    record = {**_records(seeds)[0], "id": "line1\nline2"}
    assert client.post("/documents", json=[record], headers=WRITE).json()["added"] == 1
    assert client.get("/documents/line1%0Aline2").json()["id"] == "line1\nline2"
    assert client.get("/documents/line1%0Aline2/matches").status_code == 200
    assert client.delete("/documents/line1%0Aline2", headers=WRITE).status_code == 200
    assert client.get("/documents/line1%0Aline2").status_code == 404


def test_an_internal_error_is_answered_in_the_error_body_and_counted(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: Index, story: int) -> None:
        raise RuntimeError("a fault")

    monkeypatch.setattr(Index, "story", broken)
    answer = client.get("/stories/1")
    assert answer.status_code == 500 and set(answer.json()) == {"error", "field"}
    assert 'status="500"' in client.get("/metrics").text


def test_a_keys_file_without_keys_is_refused(tmp_path: Path) -> None:
    # a secret that failed to mount opened the writes to anyone, with a warning
    empty = tmp_path / "keys"
    empty.write_text("# the desk's keys\n\n", "utf-8")
    with pytest.raises(ConfigError, match="holds no API keys"):
        read_keys(empty, {KEYS_VARIABLE: KEY})
