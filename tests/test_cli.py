"""The ``wiretrace`` command: output contract on disk, exit codes, messages, help, interrupts."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner, Result

import wiretrace.cli
from tests.test_output_contract import readme_tables
from wiretrace.cli import MAX_WARNINGS, main
from wiretrace.write import tables
from wiretrace.write.atomic import atomic_path

SCRIPT = Path(sys.executable).parent / "wiretrace"
TABLE_NAMES = ("documents", "matches", "groups", "stories")
# the fields README.md's Output contract lists (tests/test_output_contract.py checks them all)
CONTRACT = {name: set(fields) for name, fields in readme_tables().items()}

SYLLABLES = ["ka", "lo", "mi", "ren", "tas", "vo", "quel", "dor", "pha", "sin", "tru", "bex"]


def article(seed: int, words: int = 160) -> str:
    """Sentences of made-up words; different seeds share no run of five words."""
    generator = random.Random(seed)
    vocabulary = sorted(
        {"".join(generator.choices(SYLLABLES, k=generator.randint(2, 4))) for _ in range(3000)}
    )
    sentences: list[str] = []
    count = 0
    while count < words:
        length = generator.randint(8, 16)
        sentence = " ".join(generator.choice(vocabulary) for _ in range(length))
        sentences.append(sentence.capitalize() + ".")
        count += length
    return " ".join(sentences)


def write_jsonl(path: Path, records: list[dict[str, Any]], extra: bytes = b"") -> Path:
    path.write_bytes(b"".join(json.dumps(record).encode() + b"\n" for record in records) + extra)
    return path


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """An original, its exact copy, an unrelated article and one malformed line."""
    original = article(1)
    return write_jsonl(
        tmp_path / "corpus.jsonl",
        [
            {"id": "orig", "text": original, "published": "2024-01-01", "title": "Original"},
            {"id": "copy", "text": original, "url": "https://www.copier.example/a"},
            {"id": "other", "text": article(2)},
        ],
        extra=b"{not json\n",
    )


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(arg) for arg in args])


def error_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("error:")]


# --- scan writes the output contract -----------------------------------------------------


def test_scan_writes_parquet_tables_and_summary(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"

    # random-vocabulary texts all look alike to a sentence model: verbatim matching only
    result = invoke("scan", corpus, "--out", out, "--no-semantic")

    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in out.iterdir()) == sorted(
        [f"{name}.parquet" for name in TABLE_NAMES] + ["summary.json", ".wiretrace-output"]
    )
    loaded = {name: pq.read_table(out / f"{name}.parquet") for name in TABLE_NAMES}
    for name, table in loaded.items():
        assert CONTRACT[name] <= set(table.column_names), name

    documents = loaded["documents"].to_pylist()
    by_id = {row["id"]: row for row in documents}
    assert [row["status"] for row in documents].count("ok") == 3
    assert [row["status"] for row in documents].count("malformed_line") == 1
    assert by_id["orig"]["published"] == "2024-01-01"
    assert by_id["orig"]["title"] == "Original"
    assert by_id["copy"]["outlet"] == "copier.example"
    assert by_id["orig"]["duplicate_group"] == by_id["copy"]["duplicate_group"] == 1
    assert by_id["other"]["duplicate_group"] is None

    matches = loaded["matches"].to_pylist()
    assert [(row["a"], row["b"], row["relation"]) for row in matches] == [("copy", "orig", "exact")]
    assert loaded["groups"].to_pylist() == [
        {"group": 1, "representative": "orig", "members": ["copy", "orig"]}
    ]
    # the copy and its original form one story, the unrelated document another
    stories = loaded["stories"].to_pylist()
    assert sorted(story["members"] for story in stories) == [["copy", "orig"], ["other"]]
    assert by_id["orig"]["story"] == by_id["copy"]["story"] != by_id["other"]["story"]

    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["counts"]["records"] == 4
    assert summary["counts"]["documents"] == 3
    assert summary["counts"]["skipped_by_reason"] == {"malformed_line": 1}
    assert summary["counts"]["matches_by_relation"]["exact"] == 1
    assert summary["skipped"][0]["source"] == f"{corpus}:4"
    assert summary["output"] == {
        "format": "parquet",
        "files": [f"{name}.parquet" for name in TABLE_NAMES],
    }
    assert {"version", "config", "timings_seconds", "inputs"} <= set(summary)
    assert "Traceback" not in result.output


def test_scan_format_jsonl_writes_jsonl_tables_and_replaces_parquet(
    corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert invoke("scan", corpus, "--out", out, "--quiet").exit_code == 0
    assert (out / "documents.parquet").exists()

    result = invoke("scan", corpus, "--out", out, "--format", "jsonl", "--quiet")

    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in out.iterdir()) == sorted(
        [f"{name}.jsonl" for name in TABLE_NAMES] + ["summary.json", ".wiretrace-output"]
    )
    documents = [
        json.loads(line)
        for line in (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert len(documents) == 4
    assert CONTRACT["documents"] <= set(documents[0])
    groups = [json.loads(line) for line in (out / "groups.jsonl").read_text().splitlines()]
    assert groups == [{"group": 1, "representative": "orig", "members": ["copy", "orig"]}]
    stories = [json.loads(line) for line in (out / "stories.jsonl").read_text().splitlines()]
    assert CONTRACT["stories"] <= set(stories[0])
    assert sorted(member for story in stories for member in story["members"]) == [
        "copy",
        "orig",
        "other",
    ]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["output"]["format"] == "jsonl"


# --- errors ------------------------------------------------------------------------------


def test_missing_input_exits_2_with_one_line_naming_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "no such folder" / "articles.jsonl"
    out = tmp_path / "out"

    result = invoke("scan", missing, "--out", out)

    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit)
    lines = error_lines(result.stderr)
    assert len(lines) == 1
    assert str(missing) in lines[0]
    assert "Traceback" not in result.output
    assert not (out / "summary.json").exists()


@pytest.mark.parametrize("command", ["scan", "dedup"])
def test_an_input_url_is_named_as_one_with_the_fix(tmp_path: Path, command: str) -> None:
    given = "hdfs://namenode/news/2024.parquet"

    result = invoke(command, given, "--out", tmp_path / "out.jsonl")

    assert result.exit_code == 2
    lines = error_lines(result.stderr)
    assert len(lines) == 1 and given in lines[0]  # as given, not "hdfs:/namenode/..."
    assert "is a URL" in lines[0] and "copy or mount" in lines[0]


def test_missing_field_names_the_fields_present(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "body": "Words.", "headline": "H"}])

    result = invoke("scan", path, "--out", tmp_path / "out")

    assert result.exit_code == 2
    (line,) = error_lines(result.stderr)
    assert str(path) in line
    assert "'text'" in line
    assert "id, body, headline" in line
    assert "--text-field" in line
    assert "Traceback" not in result.output


def test_text_field_option_reads_the_named_field(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "in.jsonl", [{"key": "a", "body": "Some words to read."}])
    out = tmp_path / "out"

    result = invoke("scan", path, "--out", out, "--id-field", "key", "--text-field", "body", "-q")

    assert result.exit_code == 0, result.output
    rows = pq.read_table(out / "documents.parquet").to_pylist()
    assert [(row["id"], row["status"]) for row in rows] == [("a", "ok")]


def test_invalid_option_value_is_a_usage_error(corpus: Path, tmp_path: Path) -> None:
    result = invoke("scan", corpus, "--out", tmp_path / "out", "--shingle-size", "0")

    assert result.exit_code == 2
    (line,) = error_lines(result.stderr)
    assert "--shingle-size must be 1..32 words" in line
    assert "Traceback" not in result.output


def test_internal_error_exits_1_without_traceback(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        # as a Spark executor's error reads: the worker's traceback, then what went wrong
        raise RuntimeError('Traceback (most recent call last):\n  File "x.py"\nkaboom\n')

    monkeypatch.setattr(wiretrace.cli, "scan", broken)
    monkeypatch.delenv("WIRETRACE_DEBUG", raising=False)

    result = invoke("scan", corpus, "--out", tmp_path / "out")

    assert result.exit_code == 1
    assert "internal error: RuntimeError: kaboom" in result.stderr
    assert "WIRETRACE_DEBUG=1" in result.stderr
    assert "Traceback" not in result.output and "x.py" not in result.output

    monkeypatch.setenv("WIRETRACE_DEBUG", "1")
    debug = invoke("scan", corpus, "--out", tmp_path / "out")
    assert isinstance(debug.exception, RuntimeError)


# --- output on the terminal --------------------------------------------------------------


def test_quiet_prints_nothing_on_success(corpus: Path, tmp_path: Path) -> None:
    # the corpus has a malformed line: its warning is suppressed too
    for flag in ("--quiet", "-q"):
        out = tmp_path / flag
        result = invoke("scan", corpus, "--out", out, flag)

        assert result.exit_code == 0
        assert result.output == ""
        assert result.stderr == ""
        assert (out / "summary.json").exists()


def test_scan_without_quiet_reports_a_summary(corpus: Path, tmp_path: Path) -> None:
    result = invoke("scan", corpus, "--out", tmp_path / "out")

    assert result.exit_code == 0
    assert "documents scanned" in result.stderr
    assert "skipped: malformed line" in result.stderr
    assert f"skipped {corpus}:4: malformed line" in result.stderr


def test_an_out_named_like_a_file_is_said_to_be_made_a_folder(corpus: Path, tmp_path: Path) -> None:
    result = invoke("scan", corpus, "--out", tmp_path / "results.jsonl", "--no-semantic")

    assert result.exit_code == 0
    assert "results.jsonl is made a folder" in result.stderr
    assert (tmp_path / "results.jsonl" / "summary.json").is_file()
    again = invoke("scan", corpus, "--out", tmp_path / "plain", "--no-semantic")
    assert "made a folder" not in again.stderr


def test_warnings_are_one_line_each_and_capped(tmp_path: Path) -> None:
    bad_lines = 30
    records = [{"id": "good", "text": "A perfectly fine article about the weather."}]
    path = write_jsonl(
        tmp_path / "in.jsonl",
        records,
        extra=b"".join(b"{broken line %d\n" % number for number in range(bad_lines)),
    )
    out = tmp_path / "out"

    result = invoke("scan", path, "--out", out)

    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    skipped = [line for line in warnings if line.startswith("warning: skipped ")]
    assert len(skipped) == MAX_WARNINGS
    for number, line in enumerate(skipped, start=2):
        assert f"{path}:{number}: malformed line: invalid JSON: Expecting" in line
        assert line.endswith(": column 2")
    assert len(warnings) <= MAX_WARNINGS + 2
    assert len([line for line in warnings if "more warnings" in line]) == 1
    assert f"{bad_lines - MAX_WARNINGS} more warnings" in result.stderr

    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert [item["source"] for item in summary["skipped"]] == [
        f"{path}:{number}" for number in range(2, bad_lines + 2)
    ]
    assert summary["counts"]["skipped_by_reason"] == {"malformed_line": bad_lines}


def test_markup_like_text_in_ids_and_paths_is_printed_verbatim(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "in.jsonl",
        [{"id": "[/]", "text": "First article."}, {"id": "[/]", "text": "Second article."}],
    )
    result = invoke("scan", path, "--out", tmp_path / "out")
    assert result.exit_code == 0
    assert "id '[/]' already read" in result.stderr

    missing = tmp_path / "in[red].jsonl"
    result = invoke("scan", missing, "--out", tmp_path / "out2")
    assert result.exit_code == 2
    assert str(missing) in result.stderr


# --- help --------------------------------------------------------------------------------


def test_every_command_and_option_has_help() -> None:
    assert main.help
    assert main.commands, "no commands registered"
    undocumented: list[str] = []
    for name, command in main.commands.items():
        if not (command.help or "").strip():
            undocumented.append(f"command {name}")
        for param in command.params:
            if isinstance(param, click.Option) and not (param.help or "").strip():
                undocumented.append(f"{name} {param.opts[0]}")
    for param in main.params:
        if isinstance(param, click.Option) and not (param.help or "").strip():
            undocumented.append(f"wiretrace {param.opts[0]}")
    assert undocumented == []


def test_help_exits_0_and_lists_commands() -> None:
    result = invoke("--help")

    assert result.exit_code == 0
    for name in main.commands:
        assert name in result.output
    assert {"scan", "dedup"} <= set(main.commands)


@pytest.mark.parametrize("command", ["scan", "dedup"])
def test_command_help_lists_options_and_exit_codes(command: str) -> None:
    result = invoke(command, "--help")

    assert result.exit_code == 0
    assert "Exit codes" in result.output
    for code in ("0", "1", "2", "130"):
        assert any(line.strip().startswith(code) for line in result.output.splitlines())
    for param in main.commands[command].params:
        if isinstance(param, click.Option):
            assert param.opts[-1] in result.output


# --- interrupts --------------------------------------------------------------------------


def test_interrupted_write_leaves_no_summary_and_no_partial_files(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    assert invoke("scan", corpus, "--out", out, "-q").exit_code == 0
    assert (out / "summary.json").exists()

    real_write_table = tables.write_table
    calls: list[str] = []

    def interrupted(table: pa.Table, path: Path, output_format: Any) -> None:
        calls.append(path.name)
        if len(calls) == 2:
            with atomic_path(path) as temporary:  # half-way through writing the second table
                temporary.write_bytes(b"PAR1 half a table")
                raise KeyboardInterrupt
        real_write_table(table, path, output_format)

    monkeypatch.setattr(tables, "write_table", interrupted)

    result = invoke("scan", corpus, "--out", out)

    assert result.exit_code == 130
    assert "interrupted" in result.stderr
    assert "Traceback" not in result.output
    assert calls == ["documents.parquet", "matches.parquet"]
    assert not (out / "summary.json").exists()
    leftovers = [path.name for path in out.iterdir() if "partial" in path.name]
    assert leftovers == []
    for path in out.glob("*.parquet"):  # what is there is a complete table
        pq.read_table(path)


def test_interrupted_write_from_the_library_leaves_no_summary(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import wiretrace

    result = wiretrace.scan([corpus])
    out = tmp_path / "out"
    wiretrace.write_scan(result, out)
    assert (out / "summary.json").exists()

    def interrupted(table: pa.Table, path: Path, output_format: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(tables, "write_table", interrupted)
    with pytest.raises(KeyboardInterrupt):
        wiretrace.write_scan(result, out)
    assert not (out / "summary.json").exists()


# --- the installed console script --------------------------------------------------------


def run_script(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)  # without WIRETRACE_DEBUG (plain_console cleaned the rest)
    env.pop("WIRETRACE_DEBUG", None)
    return subprocess.run(
        [str(SCRIPT), *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def test_console_script_scan_quiet(corpus: Path, tmp_path: Path) -> None:
    assert SCRIPT.exists(), "the wiretrace console script is not installed"
    out = tmp_path / "out"

    completed = run_script("scan", corpus, "--out", out, "--quiet")

    assert completed.returncode == 0, completed.stderr
    assert completed.stdout == ""
    assert completed.stderr == ""
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["counts"]["duplicate_groups"] == 1
    assert (out / "documents.parquet").exists()


def test_console_script_missing_input(tmp_path: Path) -> None:
    missing = tmp_path / "missing.jsonl"

    completed = run_script("scan", missing, "--out", tmp_path / "out")

    assert completed.returncode == 2
    assert "Traceback" not in completed.stderr + completed.stdout
    lines = error_lines(completed.stderr)
    assert len(lines) == 1
    assert str(missing) in lines[0]


def test_no_stories_writes_every_table_without_stories(seeds: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke("scan", seeds, "--out", out, "--no-stories", "--quiet")
    assert result.exit_code == 0, result.output
    assert pq.read_table(out / "stories.parquet").num_rows == 0
    assert set(pq.read_table(out / "documents.parquet").column("story").to_pylist()) == {None}
    matches = pq.read_table(out / "matches.parquet").to_pylist()
    assert any(match["source"] for match in matches)  # provenance is named all the same
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert "--no-stories" in summary["not_searched"]["same_story"]


@pytest.mark.parametrize("command", ["scan", "dedup"])
def test_a_missing_input_is_the_only_line_printed(tmp_path: Path, command: str) -> None:
    result = invoke(command, str(tmp_path / "missing.jsonl"), "--out", str(tmp_path / "o.jsonl"))

    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"error: input not found: {tmp_path / 'missing.jsonl'}; check the path"
    ]


def test_a_bad_option_value_names_the_option_the_user_typed(seeds: Path, tmp_path: Path) -> None:
    result = invoke("scan", str(seeds), "--out", str(tmp_path / "out"), "--jaccard", "1.5")

    assert result.exit_code == 2
    assert result.stderr.splitlines() == ["error: --jaccard must be in (0, 1], got 1.5"]


def test_scan_says_what_it_found_in_plain_lines(seeds: Path, tmp_path: Path) -> None:
    result = invoke("scan", str(seeds), "--out", str(tmp_path / "out"), "--no-semantic")

    assert result.exit_code == 0, result.output
    lines = [line.strip() for line in result.stderr.splitlines()]
    found = lines[lines.index("found") + 1 :]
    assert found[0] == "001_2db72752c1eb80f1 copies 000_ea26541dd92894a5 (near duplicate)"
    assert "001_2db72752c1eb80f1 and 003_f4ab7b8fa4ae20c2 share passages (partial)" in found
    assert f"wrote {tmp_path / 'out'}/ (parquet)" in found


def test_what_a_group_of_copies_shares_is_said_once(seeds: Path, tmp_path: Path) -> None:
    # the follow-up shares passages with the wire and with its republished copy, and the
    # rewrite rewrites both: one line each, on the wire's, naming the copy
    result = invoke("scan", str(seeds), "--out", str(tmp_path / "out"))

    assert result.exit_code == 0, result.output
    lines = [line.strip() for line in result.stderr.splitlines()]
    found = lines[lines.index("found") + 1 :]
    assert (
        "000_ea26541dd92894a5 and 003_f4ab7b8fa4ae20c2 share passages "
        "(partial; also with 1 copy of 000_ea26541dd92894a5)"
    ) in found
    assert not any(line.startswith("001_2db72752c1eb80f1 and ") for line in found)


def test_two_documents_that_derive_from_one_third_are_said_to_last() -> None:
    """An English rewrite of a wire story and the story's Spanish translation "translate"
    each other: their likeness comes from the wire, which both name as their source, so the
    line says so and comes after the direct ones (a new user read "farm-rewrite translates
    spanish" as the farm having translated the Spanish page)."""
    from types import SimpleNamespace
    from typing import cast

    from wiretrace.pipeline import ScanResult
    from wiretrace.records import Match, Relation
    from wiretrace.write.findings import findings

    def match(a: str, b: str, relation: Relation, source: str | None) -> Match:
        return Match(a, b, relation, 0.0, 0.0, 0.0, passages=(), source=source)

    result = SimpleNamespace(
        matches=(
            match("farm", "spanish", Relation.TRANSLATION, "spanish"),
            match("farm", "wire", Relation.PARAPHRASE, "wire"),
            match("spanish", "wire", Relation.TRANSLATION, "wire"),
            match("blog", "wire", Relation.PARTIAL, None),
        ),
        groups=(),
        stories=(),
    )
    assert findings(cast(ScanResult, result)) == [
        "spanish translates wire (translation)",
        "farm rewrites wire (paraphrase)",
        "blog and wire share passages (partial)",
        "farm and spanish: one translates the other (translation; both derive from wire)",
    ]


def test_a_long_list_of_copies_does_not_hide_the_rewrite_and_the_lifted_passage() -> None:
    """A new user's corpus of two wire stories with four copies each, a rewrite and a lifted
    paragraph: the eight lines were all copies and the rewrite was never printed."""
    from types import SimpleNamespace
    from typing import cast

    from wiretrace.pipeline import ScanResult
    from wiretrace.records import Match, Relation
    from wiretrace.write.findings import findings

    copies = [
        Match(f"{wire}{n}", wire, Relation.NEAR_DUPLICATE, 0.9, 0.9, 0.9, (), source=wire)
        for wire in ("a", "b")
        for n in range(5)
    ]
    rewrite = Match("a", "farm", Relation.PARAPHRASE, 0.5, 0.1, 0.8, (), source="a")
    lifted = Match("b", "blog", Relation.PARTIAL, 0.2, 0.1, 0.3, (), source="b")
    result = SimpleNamespace(matches=(*copies, rewrite, lifted), groups=(), stories=())
    assert findings(cast(ScanResult, result), limit=4) == [
        "a0 copies a (near duplicate)",
        "a1 copies a (near duplicate)",
        "farm rewrites a (paraphrase)",
        "blog lifts passages from b (partial)",
        "... and 8 more matches (matches table, report)",
    ]


def test_rewritten_sentences_are_not_said_to_be_a_rewritten_text() -> None:
    """A new user's weekly digest that retells five sentences of a wire story was said to
    rewrite the story."""
    from types import SimpleNamespace
    from typing import cast

    from wiretrace.pipeline import ScanResult
    from wiretrace.records import Derivation, Match, Relation
    from wiretrace.write.findings import findings

    def rewrite(a: str, b: str, coverage: float, source: str | None) -> Match:
        evidence = Derivation(5, coverage, 6, 0, 0)
        return Match(
            a, b, Relation.PARAPHRASE, 0.0, 0.0, 0.0, (), derivation=evidence, source=source
        )

    result = SimpleNamespace(
        matches=(
            rewrite("digest", "wire", 0.31, None),
            rewrite("farm", "wire", 0.88, None),
            rewrite("column", "levy", 0.2, "levy"),
        ),
        groups=(),
        stories=(),
    )
    assert findings(cast(ScanResult, result)) == [
        "column rewrites sentences of levy (paraphrase)",
        "digest and wire: one rewrites sentences of the other (paraphrase; no source named)",
        "farm and wire: one rewrites the other (paraphrase; no source named)",
    ]


def test_a_copy_inside_a_group_is_said_to_copy_its_own_source() -> None:
    """A new user's agency story, its update, and a page copying the update word for word:
    the line said the page copies the first version (the group's representative), a near
    duplicate, though the page is an exact copy of the update, which the table names."""
    from types import SimpleNamespace
    from typing import cast

    from wiretrace.pipeline import ScanResult
    from wiretrace.records import Match, Relation
    from wiretrace.write.findings import findings

    first, update, page = "npa-0601", "npa-1400", "page-2230"
    result = SimpleNamespace(
        matches=(
            Match(first, update, Relation.NEAR_DUPLICATE, 0.9, 0.9, 0.9, (), source=first),
            Match(first, page, Relation.NEAR_DUPLICATE, 0.9, 0.9, 0.9, (), source=first),
            Match(update, page, Relation.EXACT, 1.0, 1.0, 1.0, (), source=update),
        ),
        groups=(SimpleNamespace(representative=first, members=(first, update, page)),),
        stories=(),
    )
    assert findings(cast(ScanResult, result)) == [
        "page-2230 copies npa-1400 (exact copy)",
        "npa-1400 copies npa-0601 (near duplicate)",
    ]


def test_a_found_line_names_each_id_whole() -> None:
    # ids were cut at 24 characters ("post-fire-kirkstall-cha…"): a user could not copy one
    from types import SimpleNamespace
    from typing import cast

    from wiretrace.pipeline import ScanResult
    from wiretrace.records import Match, Relation
    from wiretrace.write.findings import findings

    long_id = "post-fire-kirkstall-charged-2025-10-20"
    url = "https://news.example/" + "a" * 100
    copied = Match(long_id, url, Relation.NEAR_DUPLICATE, 0.9, 0.9, 0.9, (), source=url)
    result = SimpleNamespace(matches=(copied,), groups=(), stories=())
    (line,) = findings(cast(ScanResult, result))
    assert line.startswith(f"{long_id} copies https://news.example/aaa")
    assert "…" in line  # past 80 characters an id is cut


def test_the_table_says_how_many_dates_were_left_out(tmp_path: Path) -> None:
    """A new user's export with a date two readings allow ("10/08/2026": 10 August or 8
    October): the document was scanned without it and only summary.json said so."""
    records = [
        {"id": "a", "text": "The council voted on Tuesday to close the old bridge.", "published": d}
        for d in ("2026-07-14", "10/08/2026")
    ]
    records[1]["id"] = "b"
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    result = invoke("scan", source, "--out", tmp_path / "out", "--no-semantic")
    assert result.exit_code == 0, result.output
    row = next(line for line in result.stderr.splitlines() if "dates not understood" in line)
    assert "│ 1 (left out; summary.json lists them" in row


def test_an_empty_folder_is_said_to_hold_no_records(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = invoke("scan", tmp_path / "empty", "--out", tmp_path / "out", "--no-semantic")
    assert result.exit_code == 0, result.output
    said = " ".join(result.stderr.split())
    assert f"warning: no records in {tmp_path / 'empty'}: wiretrace reads files .txt" in said
    # an empty file of a type wiretrace reads is said to be empty, not of another type
    (tmp_path / "empty.jsonl").write_text("\n", "utf-8")
    result = invoke("scan", tmp_path / "empty.jsonl", "--out", tmp_path / "o2", "--no-semantic")
    said = " ".join(result.stderr.split())
    assert f"no records in {tmp_path / 'empty.jsonl'}: it holds none" in said


def test_dedup_names_the_outputs_it_writes(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "1", "text": "Words of a story."}) + "\n", "utf-8")
    # records of a JSON-lines file are not written as a folder of texts: name what is
    result = invoke("dedup", feed, "--out", tmp_path / "x.txt")
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    assert "dedup writes .txt files only from text files" in said and ".tsv" in said


def test_the_remedy_for_records_not_written_is_offered_only_where_it_exists() -> None:
    from wiretrace.write.dedup import passes_through

    assert passes_through("feed.jsonl:20") and passes_through("rows.csv.gz:4")
    # a page or a crawl's record is written as the document extracted from it, never as it is
    assert not passes_through("crawl.warc.gz:record 3") and not passes_through("page.html")


def test_the_table_counts_one_document_as_one(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    page = "Home | News | Sport | Weather\n\nThe council voted on Tuesday to close the bridge."
    (tmp_path / "in" / "a.txt").write_text(page, encoding="utf-8")
    result = invoke("scan", tmp_path / "in", "--out", tmp_path / "out", "--no-semantic")
    assert result.exit_code == 0, result.output
    assert "navigation 1 (in 1 document)" in " ".join(result.stderr.split())
