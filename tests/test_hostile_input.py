"""Careless and hostile use, end to end through the CLI (issue 10, points 1-13).

Each test reproduces a way wiretrace once destroyed a user's file, lost or corrupted a record
silently, crashed on one bad record, or left processes and files behind.
"""

from __future__ import annotations

import gc
import gzip
import io
import json
import multiprocessing
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner, Result

import wiretrace
import wiretrace.cli
from tests.test_cli import article
from wiretrace import ConfigError, InputError, ScanConfig
from wiretrace.cli import main
from wiretrace.read import read_documents
from wiretrace.records import Skipped

SCRIPT = Path(sys.executable).parent / "wiretrace"
RECORD = {"id": "a", "text": "x y z w v u"}


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(arg) for arg in args])


def one_line_error(result: Result) -> str:
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, result.output
    assert "Traceback" not in result.output
    return lines[0]


def jsonl(path: Path, *records: dict[str, Any] | bytes) -> Path:
    path.write_bytes(
        b"".join(
            record if isinstance(record, bytes) else json.dumps(record).encode() + b"\n"
            for record in records
        )
    )
    return path


_VOCABULARY = sorted(set(article(0, 4000).split()))


def articles(count: int, first: int = 0) -> list[dict[str, Any]]:
    """Unrelated articles of made-up words (fast enough for thousands)."""
    found = []
    for number in range(first, count):
        generator = random.Random(number)
        found.append({"id": f"d{number}", "text": " ".join(generator.choices(_VOCABULARY, k=60))})
    return found


def summary_of(out: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((out / "summary.json").read_text("utf-8"))
    return loaded


def statuses(out: Path) -> dict[str, str]:
    table = pq.read_table(out / "documents.parquet").to_pylist()
    return {row["source"]: row["status"] for row in table}


# --- 1. the output folder never destroys an input or a user's file -----------------------


def test_out_holding_the_input_is_refused_and_the_input_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    source = jsonl(tmp_path / "documents.jsonl", RECORD)
    before = source.read_bytes()

    result = invoke("scan", "documents.jsonl", "--out", ".")

    assert result.exit_code == 2
    assert "holds the input documents.jsonl" in one_line_error(result)
    assert source.read_bytes() == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["documents.jsonl"]


def test_out_that_is_an_input_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "feed"
    folder.mkdir()
    source = jsonl(folder / "matches.jsonl", RECORD)

    result = invoke("scan", folder, "--out", folder, "--format", "jsonl")

    assert result.exit_code == 2
    assert f"is the input {folder}" in one_line_error(result)
    assert source.read_bytes() == json.dumps(RECORD).encode() + b"\n"


def test_a_users_own_summary_or_table_in_out_is_never_replaced(tmp_path: Path) -> None:
    source = jsonl(tmp_path / "in.jsonl", RECORD)
    out = tmp_path / "out"
    out.mkdir()
    (out / "summary.json").write_text('{"mine": true}\n', "utf-8")

    result = invoke("scan", source, "--out", out, "--no-semantic")

    assert result.exit_code == 2
    assert "holds summary.json, which wiretrace did not write" in one_line_error(result)
    assert (out / "summary.json").read_text("utf-8") == '{"mine": true}\n'

    (out / "summary.json").unlink()
    (out / "stories.jsonl").write_text("my notes\n", "utf-8")  # the other format's name
    result = invoke("scan", source, "--out", out, "--no-semantic")
    assert result.exit_code == 2
    assert "holds stories.jsonl" in one_line_error(result)
    assert (out / "stories.jsonl").read_text("utf-8") == "my notes\n"


def test_its_own_output_is_replaced_and_switching_format_removes_only_its_tables(
    tmp_path: Path,
) -> None:
    source = jsonl(tmp_path / "in.jsonl", *articles(3))
    out = tmp_path / "out"
    assert invoke("scan", source, "--out", out, "-q", "--no-semantic").exit_code == 0
    (out / "notes.txt").write_text("the user's notes", "utf-8")

    result = invoke("scan", source, "--out", out, "-q", "--no-semantic", "--format", "jsonl")

    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in out.iterdir()) == [
        ".wiretrace-output",
        "documents.jsonl",
        "groups.jsonl",
        "matches.jsonl",
        "notes.txt",
        "stories.jsonl",
        "summary.json",
    ]
    assert json.loads((out / ".wiretrace-output").read_text("utf-8"))["files"] == [
        "documents.jsonl",
        "groups.jsonl",
        "matches.jsonl",
        "stories.jsonl",
        "summary.json",
    ]


def test_an_output_folder_inside_an_input_folder_is_not_read_as_input(tmp_path: Path) -> None:
    feed = tmp_path / "feed"
    feed.mkdir()
    jsonl(feed / "in.jsonl", *articles(3))
    out = feed / "out"
    assert invoke("scan", feed / "in.jsonl", "--out", out, "-q", "--no-semantic").exit_code == 0

    again = tmp_path / "again"
    result = invoke("scan", feed, "--out", again, "--no-semantic")

    assert result.exit_code == 0, result.output
    summary = summary_of(again)
    assert summary["counts"]["documents"] == 3
    assert {"source": str(out), "id": None, "reason": "wiretrace_output"}.items() <= (
        summary["skipped"][0].items()
    )


def test_output_written_beside_articles_hides_only_its_own_files(tmp_path: Path) -> None:
    # a script's write_scan into its corpus folder: the folder's articles are still read
    # (the whole folder was skipped as output, and the next scan read no record)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    jsonl(corpus / "in.jsonl", *articles(3))
    other = jsonl(tmp_path / "other.jsonl", *articles(2))
    assert invoke("scan", other, "--out", corpus, "-q", "--no-semantic").exit_code == 0
    again = tmp_path / "again"
    assert invoke("scan", corpus, "--out", again, "-q", "--no-semantic").exit_code == 0
    summary = summary_of(again)
    assert summary["counts"]["documents"] == 3
    skipped = {item["source"]: item["reason"] for item in summary["skipped"]}
    assert skipped[str(corpus / "documents.parquet")] == "wiretrace_output"
    assert str(corpus) not in skipped


# --- 2. paths are resolved before they are checked ---------------------------------------


def test_dedup_out_through_a_missing_folder_and_dotdot_is_the_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    source = jsonl(tmp_path / "in.jsonl", *articles(2))
    before = source.read_bytes()

    result = invoke("dedup", "in.jsonl", "--out", "new/../in.jsonl", "-q")

    assert result.exit_code == 2
    assert "is the input in.jsonl" in one_line_error(result)
    assert source.read_bytes() == before
    assert not (tmp_path / "new").exists()


# --- 3. the same file given twice is read once -------------------------------------------


@pytest.mark.parametrize("twice", ["same", "dot", "folder"])
def test_the_same_file_given_twice_is_read_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, twice: str
) -> None:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "feed"
    folder.mkdir()
    jsonl(folder / "two.jsonl", *articles(3))
    inputs = {
        "same": ["feed/two.jsonl", "feed/two.jsonl"],
        "dot": ["feed/two.jsonl", "./feed/two.jsonl"],
        "folder": ["feed", "feed/two.jsonl"],
    }[twice]

    result = invoke("dedup", *inputs, "--out", "out.jsonl")

    assert result.exit_code == 0, result.output
    assert len((tmp_path / "out.jsonl").read_text("utf-8").splitlines()) == 3
    assert "wrote 3 of 3 records" in result.stderr
    assert "given again; read once" in result.stderr


# --- 4. a WARC cut off mid-record --------------------------------------------------------


@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("compressed", [False, True])
def test_a_warc_cut_mid_record_skips_that_record_as_truncated(
    tmp_path: Path, compressed: bool
) -> None:
    warcio = pytest.importorskip("warcio.warcwriter")
    from warcio.statusandheaders import StatusAndHeaders

    from tests.pages import wire_copies

    buffer = io.BytesIO()
    writer = warcio.WARCWriter(buffer, gzip=compressed)
    ends = []
    for name, page in list(wire_copies().items())[:2]:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], "HTTP/1.1")
        record = writer.create_warc_record(
            f"https://crawl.example/{name}",
            "response",
            payload=io.BytesIO(page.encode("utf-8")),
            http_headers=headers,
        )
        writer.write_record(record)
        ends.append(buffer.tell())
    data = buffer.getvalue()
    del writer, record
    gc.collect()  # warcio leaves its digest buffers to the collector: warn inside this test
    suffix = ".warc.gz" if compressed else ".warc"
    # mid-way through the second record's page
    crawl = tmp_path / f"cut{suffix}"
    crawl.write_bytes(data[: ends[0] + (ends[1] - ends[0]) * 2 // 3])
    out = tmp_path / "out"

    result = invoke("scan", crawl, "--out", out, "--no-semantic")

    assert result.exit_code == 0, result.output
    found = statuses(out)
    assert found == {f"{crawl}:record 1": "ok", f"{crawl}:record 2": "truncated"}
    assert "truncated" in result.stderr


# --- 5. values of the wrong type ---------------------------------------------------------


def test_records_with_values_of_the_wrong_type_are_skipped_not_stringified(
    tmp_path: Path,
) -> None:
    source = jsonl(
        tmp_path / "in.jsonl",
        {"id": "number", "text": 42},
        {"id": "list", "text": ["x", "y"]},
        {"id": "object", "text": {"body": "x"}},
        {"id": 7, "text": article(1, 40)},
        {"id": True, "text": article(2, 40)},
        {"id": ["x"], "text": article(3, 40)},
        {"id": 1.5, "text": article(4, 40)},
        {"id": "t", "text": article(5, 40), "title": 2021, "url": ["u"]},
    )
    out = tmp_path / "out"

    result = invoke("scan", source, "--out", out, "--no-semantic")

    assert result.exit_code == 0, result.output
    rows = pq.read_table(out / "documents.parquet").to_pylist()
    by_line = {row["source"].rsplit(":", 1)[1]: row for row in rows}
    assert [by_line[str(line)]["status"] for line in range(1, 9)] == [
        "wrong_type",
        "wrong_type",
        "wrong_type",
        "ok",
        "wrong_type",
        "wrong_type",
        "wrong_type",
        "ok",
    ]
    assert by_line["4"]["id"] == "7"
    assert by_line["8"]["title"] is None and by_line["8"]["url"] is None
    summary = summary_of(out)
    details = {item["source"].rsplit(":", 1)[1]: item["detail"] for item in summary["skipped"]}
    assert "holds a number (42); text must be a string" in details["1"]
    assert "holds a list" in details["2"]
    assert "an id must be a string or an integer" in details["5"]
    assert [(item["field"], item["value"]) for item in summary["invalid_fields"]] == [
        ("title", "2021"),
        ("url", "['u']"),
    ]


def test_parquet_text_that_is_not_a_string_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "in.parquet"
    table = pa.table(
        {
            "id": pa.array(["bytes", "list", "encoded"]),
            "text": pa.array([b"raw bytes here", None, article(1, 40).encode()]),
            "tags": pa.array([["x"], ["y"], []]),
        }
    )
    pq.write_table(table, path)
    other = tmp_path / "lists.parquet"
    pq.write_table(pa.table({"id": ["l"], "text": pa.array([["x", "y"]])}), other)
    structs = tmp_path / "structs.parquet"
    pq.write_table(pa.table({"id": ["s"], "text": pa.array([{"body": "x"}])}), structs)

    result = wiretrace.scan([path, other, structs], ScanConfig(semantic=False))

    assert dict(zip(result.documents.id, result.documents.status, strict=True)) == {
        "bytes": "wrong_type",
        "list": "missing_field",
        "encoded": "wrong_type",
        "l": "wrong_type",
        "s": "wrong_type",
    }


# --- 6. unreadable folders, hidden files --------------------------------------------------


def test_an_unreadable_folder_inside_an_input_folder_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    feed = tmp_path / "feed"
    (feed / "locked").mkdir(parents=True)
    (feed / "a.txt").write_text(article(1, 30), "utf-8")
    (feed / "locked" / "b.txt").write_text(article(2, 30), "utf-8")
    locked = str(feed / "locked")
    real_scandir = os.scandir

    def scandir(path: Any = ".") -> Any:  # root reads any folder: deny it as a user would be
        if isinstance(path, str | os.PathLike) and os.fspath(path) == locked:
            raise PermissionError(13, "Permission denied", locked)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)

    result = invoke("scan", feed, "--out", tmp_path / "out", "--no-semantic")

    assert result.exit_code == 2
    line = one_line_error(result)
    assert f"cannot read folder {locked}: Permission denied" in line
    assert "fix its permissions" in line


def test_hidden_files_and_folders_are_listed_when_skipped(tmp_path: Path) -> None:
    feed = tmp_path / "feed"
    (feed / ".git").mkdir(parents=True)
    (feed / "a.txt").write_text(article(1, 30), "utf-8")
    (feed / ".a.txt").write_text(article(2, 30), "utf-8")
    (feed / ".git" / "b.txt").write_text(article(3, 30), "utf-8")
    out = tmp_path / "out"

    result = invoke("scan", feed, "--out", out, "--no-semantic")

    assert result.exit_code == 0, result.output
    summary = summary_of(out)
    assert summary["counts"]["documents"] == 1
    assert [(item["source"], item["reason"]) for item in summary["skipped"]] == [
        (str(feed / ".a.txt"), "hidden"),
        (str(feed / ".git"), "hidden"),
    ]
    assert "hidden folder, not searched" in result.stderr
    # named directly, a hidden file is read
    direct = invoke("scan", feed / ".a.txt", "--out", tmp_path / "direct", "--no-semantic")
    assert direct.exit_code == 0
    assert summary_of(tmp_path / "direct")["counts"]["documents"] == 1


# --- 7. dates of news feeds --------------------------------------------------------------


def test_feed_dates_are_parsed_and_unreadable_ones_listed(tmp_path: Path) -> None:
    source = jsonl(
        tmp_path / "in.jsonl",
        {"id": "rss", "text": article(1, 30), "published": "Tue, 10 Aug 2021 09:00:00 GMT"},
        {"id": "named", "text": article(2, 30), "published": "August 11, 2021"},
        {"id": "slashes", "text": article(3, 30), "published": "10/08/2021"},
        {"id": "relative", "text": article(4, 30), "published": "yesterday"},
    )
    out = tmp_path / "out"

    result = invoke("scan", source, "--out", out, "--no-semantic")

    assert result.exit_code == 0, result.output
    rows = {row["id"]: row for row in pq.read_table(out / "documents.parquet").to_pylist()}
    assert rows["rss"]["published"] == "2021-08-10T09:00:00+00:00"
    assert rows["named"]["published"] == "2021-08-11"
    assert rows["slashes"]["published"] is None
    summary = summary_of(out)
    assert summary["counts"]["invalid_published"] == 2
    listed = {item["id"]: item for item in summary["invalid_published"]}
    assert listed["slashes"]["source"] == f"{source}:3"
    assert listed["slashes"]["value"] == "10/08/2021"
    assert "day/month or month/day" in listed["slashes"]["detail"]
    assert listed["relative"]["source"] == f"{source}:4"
    assert "'10/08/2021' not used" in result.stderr


# --- 8. one hostile line never stops the scan --------------------------------------------


def test_hostile_jsonl_lines_are_skipped_and_the_scan_goes_on(tmp_path: Path) -> None:
    source = jsonl(
        tmp_path / "in.jsonl",
        {"id": "before", "text": article(1, 30)},
        b'{"id": "deep", "text": ' + b"[" * 1000 + b"]" * 1000 + b"}\n",
        b'{"id": "big", "text": "x", "n": ' + b"7" * 4301 + b"}\n",
        b'{"id": "surrogate", "text": "a \xed\xa0\x80 b"}\n',
        {"id": "after", "text": article(2, 30)},
    )
    out = tmp_path / "out"

    result = invoke("scan", source, "--out", out, "--no-semantic")

    assert result.exit_code == 0, result.output
    assert statuses(out) == {
        f"{source}:1": "ok",
        f"{source}:2": "malformed_line",
        f"{source}:3": "malformed_line",
        f"{source}:4": "undecodable",
        f"{source}:5": "ok",
    }


def test_how_deep_a_line_may_nest_does_not_depend_on_the_caller(tmp_path: Path) -> None:
    # The parser's own limit counts from its caller's stack depth: a line nested ~990 deep
    # was read by one call and skipped by another, then broke the repr of its value.
    lines = [
        b'{"id": "fine", "text": "x", "title": ' + b"[" * 99 + b"]" * 99 + b"}\n",
        b'{"id": "deep", "text": "x", "title": ' + b"[" * 100 + b"]" * 100 + b"}\n",
        b'{"id": "deeper", "text": "x", "title": ' + b"[" * 990 + b"]" * 990 + b"}\n",
    ]
    source = jsonl(tmp_path / "in.jsonl", *lines)

    def statuses_from(depth: int) -> list[str]:
        if depth:
            return statuses_from(depth - 1)
        return [
            item.reason if isinstance(item, Skipped) else "read" for item in read_documents(source)
        ]

    assert statuses_from(0) == statuses_from(400) == ["read", "malformed_line", "malformed_line"]


# --- 9. options are checked before any work ----------------------------------------------


def test_an_output_that_cannot_be_written_fails_before_the_scan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = jsonl(tmp_path / "in.jsonl", RECORD)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", "utf-8")

    def no_scan(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the scan started before the output was checked")

    monkeypatch.setattr(wiretrace.cli, "scan", no_scan)

    for out in (blocker, blocker / "sub"):
        result = invoke("scan", source, "--out", out)
        assert result.exit_code == 2, result.output
        assert "--out" in one_line_error(result)


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--seed", "-1"], "seed must be >= 0, got -1"),
        (["--window", "nan"], "--window must be a finite number, got nan"),
        (["--jaccard", "nan"], "--jaccard must be a finite number"),
        (["--max-record-mib", "0"], "--max-record-mib must be more than 0"),
    ],
)
def test_bad_option_values_exit_2_naming_the_option(
    tmp_path: Path, option: list[str], message: str
) -> None:
    source = jsonl(tmp_path / "in.jsonl", RECORD)
    result = invoke("scan", source, "--out", tmp_path / "out", *option)
    assert result.exit_code == 2
    assert message in one_line_error(result)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"seed": "x"}, "seed must be an integer, got 'x' (str)"),
        ({"shingle_size": 2.5}, "shingle_size must be an integer, got 2.5 (float)"),
        ({"semantic": 1}, "semantic must be true or false, got 1 (int)"),
        ({"containment_threshold": float("nan")}, "containment_threshold must be a finite"),
        ({"window_days": float("inf")}, "window_days must be a finite number or None"),
        ({"workers": True}, "workers must be an integer, got True (bool)"),
        ({"max_record_bytes": 0}, "max_record_bytes must be >= 1"),
    ],
)
def test_scan_config_checks_types(arguments: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        ScanConfig(**arguments)
    assert message in str(caught.value)


# --- 10. the library takes one path or several -------------------------------------------


def test_the_library_takes_a_single_path_and_refuses_unknown_formats(tmp_path: Path) -> None:
    folder = tmp_path / "feed"
    folder.mkdir()
    jsonl(folder / "in.jsonl", *articles(2))

    result = wiretrace.scan(str(folder), ScanConfig(semantic=False))
    assert result.documents.id == ["d0", "d1"]
    assert result.summary["inputs"] == [str(folder)]
    assert wiretrace.scan(folder / "in.jsonl", ScanConfig(semantic=False)).documents.id == [
        "d0",
        "d1",
    ]
    done = wiretrace.dedup(str(folder), tmp_path / "out.jsonl", ScanConfig(semantic=False))
    assert done.written == 2
    with pytest.raises(ConfigError, match="output format must be one of parquet, jsonl"):
        wiretrace.write_scan(result, tmp_path / "tables", "xml")  # type: ignore[arg-type]
    assert not (tmp_path / "tables").exists()
    with pytest.raises(InputError, match="inputs must be paths"):
        wiretrace.scan([folder, 3], ScanConfig(semantic=False))  # type: ignore[list-item]


# --- 11. SIGTERM, and a parent that disappears -------------------------------------------


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def _descendants(pid: int) -> list[int]:
    found = _children(pid)
    return found + [below for child in found for below in _descendants(child)]


# a scan's processes: the two workers and multiprocessing's resource tracker, and the fork
# server that forks the workers where the platform has one
_PROCESSES = 3 + ("forkserver" in multiprocessing.get_all_start_methods())


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait_for(condition: Any, seconds: float = 60.0) -> bool:
    """Poll ``condition`` (a liveness check, not a speed limit: generous on a busy machine)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def big_corpus(tmp_path: Path) -> Path:
    """Enough documents for worker processes (more than two batches of 2,048)."""
    return jsonl(tmp_path / "big.jsonl", *articles(9000))


def _start_scan(corpus: Path, tmp_path: Path) -> tuple[subprocess.Popen[bytes], Path, Path]:
    spill = tmp_path / "tmp"
    spill.mkdir()
    env = {**os.environ, "TMPDIR": str(spill)}
    out = tmp_path / "out"
    process = subprocess.Popen(
        [str(SCRIPT), "scan", str(corpus), "--out", str(out), "--no-semantic", "--workers", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )
    return process, spill, out


@pytest.mark.slow
def test_sigterm_stops_workers_removes_temporary_files_and_exits_143(
    big_corpus: Path, tmp_path: Path
) -> None:
    process, spill, out = _start_scan(big_corpus, tmp_path)
    assert _wait_for(lambda: len(_descendants(process.pid)) >= _PROCESSES), "no workers started"
    children = _descendants(process.pid)

    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=120)

    assert process.returncode == 143, stderr
    assert b"terminated" in stderr
    assert b"Traceback" not in stderr
    assert _wait_for(lambda: not any(_alive(child) for child in children))
    assert list(spill.iterdir()) == []
    assert not (out / "summary.json").exists()


def _workers(pid: int) -> list[int]:
    """The scan's worker processes: forked by its fork server, or spawned by it."""
    found = []
    for child in _children(pid):
        command = (Path("/proc") / str(child) / "cmdline").read_bytes()
        if b"multiprocessing.forkserver" in command:
            found.extend(_children(child))
        elif b"multiprocessing.spawn" in command:
            found.append(child)
    return found


@pytest.mark.slow
def test_a_worker_killed_stops_the_scan_with_a_line_that_says_what_stops_one(
    big_corpus: Path, tmp_path: Path
) -> None:
    process, spill, out = _start_scan(big_corpus, tmp_path)
    assert _wait_for(lambda: len(_workers(process.pid)) >= 2), "no workers started"

    os.kill(_workers(process.pid)[0], signal.SIGKILL)  # as the out-of-memory killer would
    _, stderr = process.communicate(timeout=120)

    assert process.returncode == 2, stderr
    errors = [line for line in stderr.decode().splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and errors[0].startswith("error: a worker process stopped"), stderr
    assert b"Traceback" not in stderr and b"internal error" not in stderr
    assert not (out / "summary.json").exists()
    assert not any(path.name.startswith("wiretrace-spill-") for path in spill.iterdir())


@pytest.mark.slow
def test_workers_exit_when_the_parent_is_killed(big_corpus: Path, tmp_path: Path) -> None:
    process, spill, _ = _start_scan(big_corpus, tmp_path)
    assert _wait_for(lambda: len(_descendants(process.pid)) >= _PROCESSES), "no workers started"
    children = _descendants(process.pid)

    process.kill()
    process.communicate()

    assert _wait_for(lambda: not any(_alive(child) for child in children)), [
        child for child in children if _alive(child)
    ]
    # the killed run could not remove its spill: the next run does (multiprocessing's own
    # folder, which holds the fork server's socket, is Python's to leave, not wiretrace's)
    spills = [path for path in spill.iterdir() if path.name.startswith("wiretrace-spill-")]
    assert [path.name.split("-")[2] for path in spills] == [str(process.pid)]
    jsonl(tmp_path / "small.jsonl", *articles(2))
    wiretrace.scan(tmp_path / "small.jsonl", ScanConfig(semantic=False), spill_folder=spill)
    assert not any(path.name.startswith("wiretrace-spill-") for path in spill.iterdir())


# --- 12. a gzip bomb ----------------------------------------------------------------------


@pytest.mark.slow
def test_a_gzip_bomb_is_skipped_as_too_large_with_bounded_memory(tmp_path: Path) -> None:
    folder = tmp_path / "feed"
    folder.mkdir()
    bomb = folder / "bomb.txt.gz"
    zeros = bytes(1 << 20)
    with gzip.open(bomb, "wb", compresslevel=1) as stream:
        for _ in range(1024):  # 1 GiB of zeros in ~1 MB
            stream.write(zeros)
    (folder / "fine.txt").write_text(article(1, 30), "utf-8")
    out = tmp_path / "out"

    process = subprocess.run(
        [sys.executable, "-c", _MEASURED_SCAN, str(folder), str(out)],
        capture_output=True,
        text=True,
        check=False,
    )

    assert process.returncode == 0, process.stderr
    peak_mib = int(process.stdout.split()[-1]) / 1024
    found = statuses(out)
    assert found == {str(bomb): "too_large", str(folder / "fine.txt"): "ok"}
    detail = summary_of(out)["skipped"][0]["detail"]
    assert "over the maximum record size of 16,777,216 bytes" in detail
    assert peak_mib < 512, peak_mib  # the scan alone takes ~250 MiB; the record is 1 GiB


# VmHWM, not getrusage: a child's ru_maxrss starts at its parent's size at the fork (pytest's)
_MEASURED_SCAN = """
import sys
from pathlib import Path
from wiretrace.cli import main
from wiretrace.read import read_documents
from wiretrace.records import Skipped
try:
    main(["scan", sys.argv[1], "--out", sys.argv[2], "--no-semantic", "-q"])
except SystemExit as exit:
    if exit.code:
        raise
status = Path("/proc/self/status").read_text()
print(next(line for line in status.splitlines() if line.startswith("VmHWM")).split()[1])
"""


def test_long_lines_and_rows_are_too_large_and_reading_goes_on(tmp_path: Path) -> None:
    long_text = "word " * 300_000  # 1.5 MB
    source = jsonl(
        tmp_path / "in.jsonl",
        {"id": "a", "text": article(1, 30)},
        {"id": "long", "text": long_text},
        {"id": "b", "text": article(2, 30)},
    )
    table = tmp_path / "in.csv"
    table.write_text(f"id,text\nc,{article(3, 30)}\nlong2,{long_text}\nd,{article(4, 30)}\n")
    config = ScanConfig(semantic=False, max_record_bytes=1 << 20)

    result = wiretrace.scan([source, table], config)

    assert dict(zip(result.documents.source, result.documents.status, strict=True)) == {
        f"{source}:1": "ok",
        f"{source}:2": "too_large",
        f"{source}:3": "ok",
        f"{table}:2": "ok",
        f"{table}:3": "too_large",
        f"{table}:4": "ok",
    }


# --- 13. partial files of killed runs ----------------------------------------------------


def test_stale_partial_files_of_killed_runs_are_removed(tmp_path: Path) -> None:
    source = jsonl(tmp_path / "in.jsonl", *articles(2))
    out = tmp_path / "out"
    assert invoke("scan", source, "--out", out, "-q", "--no-semantic").exit_code == 0
    gone = _exited_pid()
    (out / f".documents.parquet.partial-{gone}").write_bytes(b"PAR1 half")
    (out / f".summary.json.partial-{gone}").write_text("{", "utf-8")
    running = out / f".matches.parquet.partial-{os.getppid()}"  # a run still writing
    running.write_bytes(b"PAR1")
    users = out / f".notes.partial-{gone}"  # not a name wiretrace writes
    users.write_text("mine", "utf-8")

    assert invoke("scan", source, "--out", out, "-q", "--no-semantic").exit_code == 0

    assert sorted(path.name for path in out.iterdir() if path.name.startswith(".")) == sorted(
        [".wiretrace-output", running.name, users.name]
    )


def _exited_pid() -> int:
    """The pid of a process that is gone, as a run killed by SIGKILL leaves in its files."""
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


# --- the same faults elsewhere -----------------------------------------------------------


@pytest.mark.parametrize("kind", ["input", "text", "empty"])
def test_an_embedding_cache_that_is_not_a_cache_is_refused_before_any_work(
    tmp_path: Path, kind: str
) -> None:
    source = jsonl(tmp_path / "in.jsonl", *articles(2))
    cache = {"input": source, "text": tmp_path / "notes.txt", "empty": tmp_path / "empty.db"}[kind]
    if kind == "text":
        cache.write_text("my notes", "utf-8")
    elif kind == "empty":
        cache.write_bytes(b"")
    before = cache.read_bytes()

    result = invoke("scan", source, "--out", tmp_path / "out", "--embedding-cache", cache)

    assert result.exit_code == 2
    assert "--embedding-cache" in one_line_error(result)
    assert cache.read_bytes() == before
    assert not (tmp_path / "out").exists()


def test_control_characters_in_ids_never_reach_the_terminal(tmp_path: Path) -> None:
    hostile = "a\x1b]0;owned\x07\x1b[2J\u202eb\u200f\nc"  # a right-to-left mark too
    source = jsonl(
        tmp_path / "in.jsonl",
        {"id": hostile, "text": article(1, 30)},
        {"id": hostile, "text": article(2, 30)},  # a duplicate id: warned about
    )

    result = invoke("scan", source, "--out", tmp_path / "out", "--no-semantic")

    assert result.exit_code == 0, result.output
    warning = next(line for line in result.stderr.splitlines() if "already read" in line)
    assert "\\x1b]0;owned\\x07\\x1b[2J\\u202eb\\u200f" in warning
    assert not any(char in result.stderr for char in "\x1b\x07\u202e\u200f")


def test_a_full_disk_while_writing_is_an_error_that_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wiretrace.write import tables

    source = jsonl(tmp_path / "in.jsonl", *articles(2))

    def full(*args: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tables, "write_table", full)
    result = invoke("scan", source, "--out", tmp_path / "out", "--no-semantic")

    assert result.exit_code == 2
    assert "No space left on device; free some space" in one_line_error(result)
    assert not (tmp_path / "out" / "summary.json").exists()


def test_a_page_the_extractor_cannot_parse_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    trafilatura = pytest.importorskip("trafilatura")
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "bad.html").write_text("<html><body><p>bad</p></body></html>", "utf-8")
    real = trafilatura.bare_extraction

    def extract(html: Any, **options: Any) -> Any:
        if "bad" in str(html):
            raise RecursionError("maximum recursion depth exceeded")
        return real(html, **options)

    monkeypatch.setattr(trafilatura, "bare_extraction", extract)
    (folder / "good.html").write_text(
        f"<html><body><article><p>{article(1, 80)}</p></article></body></html>", "utf-8"
    )

    result = wiretrace.scan(folder, ScanConfig(semantic=False))

    assert dict(zip(result.documents.id, result.documents.status, strict=True)) == {
        "bad": "unreadable_page",
        "good": "ok",
    }


def test_far_more_workers_than_cores_is_refused() -> None:
    with pytest.raises(ConfigError, match="workers must be at most"):
        ScanConfig(workers=100_000)


def test_file_names_that_are_not_utf8_are_read_and_shown_escaped(tmp_path: Path) -> None:
    folder = tmp_path / "feed"
    folder.mkdir()
    odd = os.fsdecode(os.fsencode(folder) + b"/bad\xff.txt")  # Linux names are any bytes
    Path(odd).write_text(article(1, 30), "utf-8")
    Path(odd).with_name("copy.txt").write_text(article(1, 30), "utf-8")
    out = tmp_path / "out"

    result = invoke("scan", folder, "--out", out, "--no-semantic")

    assert result.exit_code == 0, result.output
    rows = pq.read_table(out / "documents.parquet").to_pylist()
    assert sorted(row["id"] for row in rows) == ["bad\\xff", "copy"]
    assert f"{folder}/bad\\xff.txt" in {row["source"] for row in rows}
    deduplicated = tmp_path / "dedup"
    assert invoke("dedup", folder, "--out", deduplicated, "-q").exit_code == 0
    assert len(list(deduplicated.iterdir())) == 1
