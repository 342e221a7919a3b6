"""Careless and hostile use of the options and the output, end to end through the CLI (issue
23, points 5, 6, 7 and 10).

Each test reproduces a way wiretrace once crashed with a traceback, wrote into a user's
things, or let two runs mix their output.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import sqlite3
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from tests.test_hostile_input import (
    RECORD,
    SCRIPT,
    _alive,
    _children,
    _wait_for,
    articles,
    invoke,
    jsonl,
    one_line_error,
)
from wiretrace.write.tables import TABLES


def _full(*args: Any, **kwargs: Any) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


# --- 5. options that crashed: one line naming the option and its real limit ---------------


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--jaccard", "1e-20"], "--jaccard must be at least 0.0354, got 1e-20"),
        (["--jaccard", "0.001"], "--jaccard must be at least 0.0354, got 0.001"),
        (["--containment", "1e-300"], "--containment must be at least 0.12 "),
        (["--jaccard", "0.001", "--num-perm", "1024"], "--jaccard must be at least 0.00449"),
        (["--max-record-mib", "1e30"], "less than 1048576 (MiB: 1 TiB), got 1e+30"),
        (["--seed", "-1"], "--seed must be >= 0, got -1"),
        (["--window", "nan"], "--window must be a finite number"),
        (["--id-field", ""], "--id-field is empty"),
    ],
)
def test_out_of_range_options_name_the_option_and_its_limit(
    tmp_path: Path, option: list[str], message: str
) -> None:
    source = jsonl(tmp_path / "in.jsonl", RECORD)

    result = invoke("scan", source, "--out", tmp_path / "out", "--no-semantic", *option)

    assert result.exit_code == 2, result.output
    line = one_line_error(result)
    assert message in line
    assert "_threshold" not in line and "num_perm" not in line
    assert not (tmp_path / "out").exists()


def test_the_limit_a_message_names_is_accepted(tmp_path: Path) -> None:
    source = jsonl(tmp_path / "in.jsonl", RECORD)

    result = invoke(
        "scan", source, "--out", tmp_path / "out", "--no-semantic", "-q", "--jaccard", "0.0354"
    )

    assert result.exit_code == 0, result.output


# --- 10. options that contradict each other, or do nothing together ----------------------


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--semantic", "exact", "--no-semantic"], "--semantic exact and --no-semantic contradict"),
        (["--semantic", "fast", "--no-semantic"], "--semantic fast and --no-semantic contradict"),
        (["--embedding-cache", "cache.db"], "add --semantic exact or leave --embedding-cache out"),
        (
            ["--embedding-cache", "cache.db", "--semantic", "fast"],
            "the fast one (--semantic fast, the default) does not use it",
        ),
        (["--embedding-cache", "cache.db", "--no-semantic"], "does nothing with --no-semantic"),
    ],
)
def test_conflicting_options_are_refused_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, option: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    source = jsonl(tmp_path / "in.jsonl", RECORD)

    result = invoke("scan", source, "--out", "out", *option)

    assert result.exit_code == 2, result.output
    assert message in one_line_error(result)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["in.jsonl"]


# --- 5. a full disk: one line that says so, exit 2 ----------------------------------------


class _FullDiskWriter:
    """An Arrow file writer on a disk that is full: every write fails, the footer too."""

    def __init__(self, *args: Any) -> None:
        pass

    write_batch = close = staticmethod(_full)


def test_a_full_disk_under_the_spill_is_an_error_that_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pa.ipc, "new_file", _FullDiskWriter)
    spill = tmp_path / "spill"
    spill.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spill))  # TMPDIR, as the module read it
    source = jsonl(tmp_path / "in.jsonl", *articles(3))

    result = invoke("scan", source, "--out", tmp_path / "out", "--no-semantic")

    assert result.exit_code == 2, result.output
    line = one_line_error(result)
    assert "No space left on device; set TMPDIR to a folder with more free space" in line
    assert f"in {spill}:" in line
    assert list(spill.iterdir()) == []
    assert not (tmp_path / "out" / "summary.json").exists()


def test_a_full_disk_while_writing_the_report_is_an_error_that_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = jsonl(tmp_path / "in.jsonl", *articles(3))
    out = tmp_path / "out"
    assert invoke("scan", source, "--out", out, "--no-semantic", "-q").exit_code == 0
    write_text = Path.write_text

    def report_on_a_full_disk(path: Path, *args: Any, **kwargs: Any) -> int:
        if path.name.startswith(".report.html"):
            _full()
        return write_text(path, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", report_on_a_full_disk)
    result = invoke("report", out)

    assert result.exit_code == 2, result.output
    line = one_line_error(result)
    assert f"cannot write the report to {out / 'report.html'}: No space left on device" in line
    assert sorted(path.name for path in out.iterdir() if "report" in path.name) == []


def test_a_full_disk_anywhere_else_is_an_error_not_a_bug(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import wiretrace.cli

    monkeypatch.setattr(wiretrace.cli, "scan", _full)
    source = jsonl(tmp_path / "in.jsonl", RECORD)

    result = invoke("scan", source, "--out", tmp_path / "out", "--no-semantic")

    assert result.exit_code == 2, result.output
    assert "no space left on device; free some space" in one_line_error(result)


# --- 5. an --out that is a bad link: refused before any work -----------------------------


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("dangling", "out is a symbolic link to {missing}, which does not exist"),
        ("dangling-parent", "out is a symbolic link to {missing}, which does not exist"),
        ("loop", "out is a symbolic link that leads back to itself (a loop)"),
        ("loop-parent", "out is a symbolic link that leads back to itself (a loop)"),
        ("file", "is a file; give a folder"),
    ],
)
def test_an_out_that_is_a_bad_link_is_refused_before_the_scan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str, message: str
) -> None:
    import wiretrace.cli

    monkeypatch.setattr(wiretrace.cli, "scan", _full)  # the scan must not start
    source = jsonl(tmp_path / "in.jsonl", RECORD)
    link, missing = tmp_path / "out", tmp_path / "missing" / "folder"
    if kind.startswith("dangling"):
        link.symlink_to(missing)
    elif kind.startswith("loop"):
        link.symlink_to(tmp_path / "back")
        (tmp_path / "back").symlink_to(link)
    else:
        (tmp_path / "notes.txt").write_text("mine", "utf-8")
        link.symlink_to(tmp_path / "notes.txt")
    out = link / "scan" if kind.endswith("parent") else link

    result = invoke("scan", source, "--out", out, "--no-semantic")

    assert result.exit_code == 2, result.output
    assert message.format(missing=missing) in one_line_error(result)
    assert not missing.exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        [
            "in.jsonl",
            "out",
            *(["back"] if kind.startswith("loop") else []),
            *(["notes.txt"] if kind == "file" else []),
        ]
    )


# --- 5. a damaged fast model (a broken install): said, with the fix ----------------------
# The model ships inside wiretrace (no cache folder to prepare, fill or damage); what is left
# is an install that lost or cut a file of it.


def _damage(folder: Path, kind: str) -> None:
    weights = folder / "model.safetensors"
    if kind == "truncated":
        weights.write_bytes(weights.read_bytes()[:-5])
    elif kind == "empty-config":
        (folder / "config.json").write_bytes(b"")
    else:  # half deleted
        (folder / "tokenizer.json").unlink()


DAMAGES = {
    "truncated": "model.safetensors is cut short or not a model",
    "empty-config": "config.json is empty or cut short",
    "half-deleted": "tokenizer.json is missing",
}


@pytest.mark.parametrize("kind", DAMAGES)
def test_a_damaged_fast_model_is_said_with_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    import shutil

    from wiretrace.semantic import static

    folder = tmp_path / "fast_model"
    shutil.copytree(static.static_model_folder(), folder)
    _damage(folder, kind)
    monkeypatch.setattr(static, "static_model_folder", lambda: folder)
    source = jsonl(tmp_path / "in.jsonl", *articles(3))

    result = invoke("scan", source, "--out", tmp_path / "out")

    assert result.exit_code == 2, result.output
    assert (
        f"the fast sentence model shipped with wiretrace ({folder}) is damaged: "
        f"{DAMAGES[kind]}; reinstall wiretrace" in one_line_error(result)
    )
    assert not (tmp_path / "out").exists()


def test_the_shipped_fast_model_is_whole() -> None:
    from wiretrace.semantic import static

    assert static.static_model_damage() is None
    vectors = static.load_static(str(static.check_static_model())).encode(["A storm hit."])
    assert vectors.shape == (1, static.DIMENSIONS)


# --- 6. two scans into one --out at once ---------------------------------------------------


def test_a_second_scan_into_a_folder_being_written_is_refused(tmp_path: Path) -> None:
    import fcntl

    source = jsonl(tmp_path / "in.jsonl", *articles(3))
    out = tmp_path / "out"
    out.mkdir()
    holder = os.open(out, os.O_RDONLY)  # as a scan running in another process holds it
    try:
        fcntl.flock(holder, fcntl.LOCK_EX)
        result = invoke("scan", source, "--out", out, "--no-semantic")
    finally:
        os.close(holder)

    assert result.exit_code == 2, result.output
    assert (
        f"--out {out} is being written by another wiretrace run; wait until it ends"
        in one_line_error(result)
    )
    assert list(out.iterdir()) == []

    assert invoke("scan", source, "--out", out, "--no-semantic", "-q").exit_code == 0
    names = sorted(path.name for path in out.iterdir())
    assert names == [
        ".wiretrace-output",
        *sorted(f"{name}.parquet" for name in TABLES),
        "summary.json",
    ]


def test_a_folder_made_for_a_run_that_fails_is_not_left_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import wiretrace.cli

    monkeypatch.setattr(wiretrace.cli, "scan", _full)
    source = jsonl(tmp_path / "in.jsonl", RECORD)

    result = invoke("scan", source, "--out", tmp_path / "new" / "out", "--no-semantic")

    assert result.exit_code == 2, result.output
    assert sorted(path.name for path in tmp_path.iterdir()) == ["in.jsonl"]


# --- 7. never write into a user's things ---------------------------------------------------


@pytest.mark.parametrize("kind", ["folder", "file"])
def test_a_spark_file_url_out_that_is_an_input_is_refused_before_any_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    import wiretrace.cli

    monkeypatch.setattr(wiretrace.cli, "scan", _full)  # the scan must not start
    folder = tmp_path / "in"
    folder.mkdir()
    source = jsonl(folder / "feed.jsonl", RECORD)
    given = folder if kind == "folder" else source
    before = sorted(folder.iterdir())

    result = invoke(
        "scan", given, "--out", f"file://{given}", "--backend", "spark", "--no-semantic"
    )

    assert result.exit_code == 2, result.output
    assert f"--out {given} is the input {given}" in one_line_error(result)
    assert sorted(folder.iterdir()) == before


@pytest.mark.parametrize("kind", ["other-tables", "extra-table", "no-tables", "other-columns"])
def test_an_embedding_cache_that_is_a_users_database_is_refused_and_kept(
    tmp_path: Path, kind: str
) -> None:
    database = tmp_path / "user.db"
    with contextlib.closing(sqlite3.connect(database)) as connection:
        statements = {
            "other-tables": ["CREATE TABLE people (name TEXT)"],
            "extra-table": [
                "CREATE TABLE embeddings (key BLOB PRIMARY KEY, dimensions INTEGER NOT NULL, "
                "vectors BLOB NOT NULL)",
                "CREATE TABLE people (name TEXT)",
            ],
            "no-tables": ["PRAGMA user_version = 7"],
            "other-columns": ["CREATE TABLE embeddings (name TEXT)"],
        }[kind]
        for statement in statements:
            connection.execute(statement)
        connection.commit()
    before = database.read_bytes()
    source = jsonl(tmp_path / "in.jsonl", *articles(2))

    result = invoke(
        "scan",
        source,
        "--out",
        tmp_path / "out",
        "--semantic",
        "exact",
        "--embedding-cache",
        database,
    )

    assert result.exit_code == 2, result.output
    assert f"--embedding-cache {database} exists and is not a wiretrace cache" in (
        one_line_error(result)
    )
    assert database.read_bytes() == before
    assert not (tmp_path / "out").exists()


def test_wiretraces_own_embedding_cache_is_accepted(tmp_path: Path) -> None:
    from wiretrace.semantic.cache import EmbeddingCache, check_cache_file

    cache = tmp_path / "cache.db"
    EmbeddingCache(cache).close()

    check_cache_file(cache, [str(tmp_path / "in.jsonl")])


def test_a_stale_report_of_an_earlier_scan_is_removed_by_a_scan_without_report(
    tmp_path: Path,
) -> None:
    first = jsonl(tmp_path / "first.jsonl", *articles(3))
    second = jsonl(tmp_path / "second.jsonl", *articles(5, 3))
    out = tmp_path / "out"
    assert invoke("scan", first, "--out", out, "--no-semantic", "--report", "-q").exit_code == 0
    assert (out / "report.html").is_file()

    result = invoke("scan", second, "--out", out, "--no-semantic", "-q")

    assert result.exit_code == 0, result.output
    assert not (out / "report.html").exists()
    assert "report.html" not in (out / ".wiretrace-output").read_text("utf-8")

    # a report the user wrote there (not listed in the marker) is never removed
    (out / "report.html").write_text("my notes", "utf-8")
    assert invoke("scan", first, "--out", out, "--no-semantic", "-q").exit_code == 0
    assert (out / "report.html").read_text("utf-8") == "my notes"


def test_a_report_written_by_wiretrace_report_is_listed_and_replaced_by_the_next_scan(
    tmp_path: Path,
) -> None:
    source = jsonl(tmp_path / "in.jsonl", *articles(3))
    out = tmp_path / "out"
    assert invoke("scan", source, "--out", out, "--no-semantic", "-q").exit_code == 0
    assert invoke("report", out, "-q").exit_code == 0

    assert "report.html" in (out / ".wiretrace-output").read_text("utf-8")
    assert invoke("scan", source, "--out", out, "--no-semantic", "-q").exit_code == 0
    assert not (out / "report.html").exists()


# --- 5. SIGTERM during a Spark scan ----------------------------------------------------------


def _java_children(pid: int) -> list[int]:
    return [
        child
        for child in _children(pid)
        if "java" in (Path("/proc") / str(child) / "comm").read_text(errors="replace")
    ]


@pytest.mark.slow
def test_sigterm_during_a_spark_scan_exits_143_not_an_internal_error(tmp_path: Path) -> None:
    pytest.importorskip("pyspark")
    corpus = jsonl(tmp_path / "big.jsonl", *articles(3000))
    errors = tmp_path / "stderr.txt"
    out = tmp_path / "out"
    command = [str(SCRIPT), "scan", str(corpus), "--out", str(out), "--no-semantic"]
    with errors.open("wb") as stream:
        process = subprocess.Popen(
            [*command, "--backend", "spark", "--spark-master", "local[2]"],
            stdout=subprocess.DEVNULL,
            stderr=stream,
        )
        # the read stage is drawn when it ends; the next stage calls Spark (a group-by)
        assert _wait_for(lambda: b"read, clean, sketch" in errors.read_bytes(), 600), (
            errors.read_text(errors="replace")
        )
        java = _java_children(process.pid)
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=300)

    stderr = errors.read_text(errors="replace")
    assert process.returncode == 143, stderr
    assert "terminated" in stderr
    assert "internal error" not in stderr and "Traceback" not in stderr
    assert _wait_for(lambda: not any(_alive(child) for child in java), 120)
    assert not (out / "summary.json").exists()
