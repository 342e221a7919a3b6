"""``wiretrace report``: one self-contained HTML file built from a scan folder and the texts
of its matched documents (read again from the inputs). The views are tested in a real browser
in test_report_browser.py; here, what the file holds and what is refused."""

from __future__ import annotations

import base64
import gzip
import json
import random
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from wiretrace import ScanConfig, scan
from wiretrace.cli import main
from wiretrace.errors import InputError
from wiretrace.write import write_scan
from wiretrace.write.report import GENERATOR, word_changes, write_report

NO_SEMANTIC = ScanConfig(semantic=False)


def _scripts(html: str) -> tuple[dict[str, Any], dict[str, str]]:
    """The report's embedded data and texts."""
    scripts = r'<script type="application/json" id="(wt-\w+)">(.*?)</script>'
    found = dict(re.findall(scripts, html, re.S))
    return json.loads(found["wt-data"]), json.loads(found["wt-texts"])


def _unpack(packed: str) -> str:
    return gzip.decompress(base64.b64decode(packed)).decode("utf-8")


@pytest.fixture
def copied_seeds(seeds: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    shutil.copytree(seeds, folder)
    return folder


def _scan(inputs: list[Path], out: Path, config: ScanConfig = NO_SEMANTIC, **options: Any) -> Path:
    write_scan(scan(inputs, config), out, **options)
    return out


def test_report_holds_the_matched_texts_and_nothing_from_the_network(
    copied_seeds: Path, tmp_path: Path
) -> None:
    out = _scan([copied_seeds], tmp_path / "scan")
    stats = write_report(out)
    assert stats.path == out / "report.html"
    html = stats.path.read_text("utf-8")
    assert f'<meta name="generator" content="{GENERATOR}' in html
    data, texts = _scripts(html)
    matched = {row[0] for row in data["matches"]} | {row[1] for row in data["matches"]}
    assert matched and set(texts) == matched
    for doc_id, packed in texts.items():
        assert _unpack(packed) == (copied_seeds / f"{doc_id}.txt").read_text("utf-8")
    # inline only: no external script, style sheet, image or frame
    assert not re.search(r"""<(script|img|iframe)[^>]*\ssrc=|<link[^>]*href=["'](?!data:)""", html)
    assert "default-src 'none'" in html  # and the browser refuses any request it would make


def test_texts_are_kept_only_for_matched_documents(copied_seeds: Path, tmp_path: Path) -> None:
    rng = random.Random(5)
    words = [f"w{rng.randrange(10**9):x}" for _ in range(3000)]
    for number in range(30):  # unrelated documents: no match, no group, no story
        text = " ".join(rng.sample(words, 120))
        (copied_seeds / f"unrelated_{number:02}.txt").write_text(text + ".\n", "utf-8")
    out = _scan([copied_seeds], tmp_path / "scan")
    stats = write_report(out)
    data, texts = _scripts(stats.path.read_text("utf-8"))
    assert stats.texts == len(texts) == 4
    assert {row[0][:3] for row in data["docs"]} == {"000", "001", "002", "003"}
    assert data["counts"]["documents"] == 34


def test_report_of_a_jsonl_scan(copied_seeds: Path, tmp_path: Path) -> None:
    out = _scan([copied_seeds], tmp_path / "scan", output_format="jsonl")
    stats = write_report(out, tmp_path / "elsewhere" / "seeds.html")
    data, _ = _scripts(stats.path.read_text("utf-8"))
    assert {row[2] for row in data["matches"]} >= {"near_duplicate", "partial"}


@pytest.mark.parametrize("output_format", ["parquet", "jsonl"])
def test_report_of_a_scan_that_found_nothing(tmp_path: Path, output_format: str) -> None:
    folder = tmp_path / "texts"
    folder.mkdir()
    rng = random.Random(8)
    words = [f"w{rng.randrange(10**9):x}" for _ in range(3000)]
    for number in range(3):  # empty tables: matches, groups, stories of one
        (folder / f"{number}.txt").write_text(" ".join(rng.sample(words, 100)) + ".\n", "utf-8")
    out = _scan(
        [folder],
        tmp_path / "scan",
        ScanConfig(semantic=False, stories=False),
        output_format=output_format,
    )
    assert (out / f"matches.{output_format}").stat().st_size == 0 or output_format == "parquet"
    stats = write_report(out)
    assert (stats.matches, stats.documents, stats.texts) == (0, 0, 0)


def test_never_overwrites_a_file_it_did_not_write(copied_seeds: Path, tmp_path: Path) -> None:
    out = _scan([copied_seeds], tmp_path / "scan")
    mine = tmp_path / "notes.html"
    mine.write_text("<p>my notes</p>", "utf-8")
    with pytest.raises(InputError, match="not a wiretrace report"):
        write_report(out, mine)
    assert mine.read_text("utf-8") == "<p>my notes</p>"
    an_input = next(copied_seeds.glob("000_*.txt"))
    before = an_input.read_bytes()
    with pytest.raises(InputError, match="not a wiretrace report"):
        write_report(out, an_input)
    assert an_input.read_bytes() == before
    first = write_report(out)
    again = write_report(out)  # its own report is replaced
    assert again.path == first.path


def test_an_input_changed_since_the_scan_is_refused(copied_seeds: Path, tmp_path: Path) -> None:
    out = _scan([copied_seeds], tmp_path / "scan")
    changed = next(copied_seeds.glob("001_*.txt"))
    changed.write_text(changed.read_text("utf-8") + "\nA late correction.\n", "utf-8")
    with pytest.raises(InputError, match="changed since the scan"):
        write_report(out)


def test_a_record_skipped_for_its_repeated_id_is_not_read_as_the_scanned_one(
    seeds: Path, tmp_path: Path
) -> None:
    # the second record under one id is skipped (`duplicate_id`); its length was taken for
    # the scanned one's, and the report refused the scan as "changed since"
    texts = sorted(seeds.glob("*.txt"))
    wire, copy = (path.read_text("utf-8") for path in texts[:2])
    records = [
        {"id": "wire", "text": wire},
        {"id": "copy", "text": copy},
        {"id": "copy", "text": "A short record under an id read before."},
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(record) + "\n" for record in records), "utf-8")
    out = _scan([path], tmp_path / "scan", ScanConfig(semantic=False, stories=False))
    stats = write_report(out)
    assert stats.texts == 2


def test_a_folder_of_inputs_is_no_scan_and_the_fix_names_another_folder(
    copied_seeds: Path,
) -> None:
    # the fix offered was to scan into the folder of articles itself
    with pytest.raises(InputError, match="not the --out folder of a scan") as caught:
        write_report(copied_seeds)
    assert f"--out {copied_seeds}" not in str(caught.value)


def test_moved_inputs_are_named_with_the_fix(copied_seeds: Path, tmp_path: Path) -> None:
    out = _scan([copied_seeds], tmp_path / "scan")
    moved = copied_seeds.rename(tmp_path / "moved")
    with pytest.raises(InputError, match="--input"):
        write_report(out)
    assert write_report(out, inputs=[moved]).texts == 4


def test_ids_made_unique_are_found_however_the_inputs_are_spelled(
    seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # an id repeated in another file is made unique by its path as typed ("7@crawl/b.jsonl"):
    # the report given the same folder by its absolute path, or moved, found none of them
    wire, copy = (path.read_text("utf-8") for path in sorted(seeds.glob("*.txt"))[:2])
    (tmp_path / "crawl" / "more").mkdir(parents=True)
    for name, text in (("a.jsonl", wire), ("more/b.jsonl", copy)):
        (tmp_path / "crawl" / name).write_text(json.dumps({"id": "7", "text": text}) + "\n")
    monkeypatch.chdir(tmp_path)
    out = _scan([Path("crawl")], tmp_path / "scan", ScanConfig(semantic=False, stories=False))
    assert write_report(out, inputs=[tmp_path / "crawl"]).texts == 2
    moved = (tmp_path / "crawl").rename(tmp_path / "moved")
    assert write_report(out, inputs=[moved]).texts == 2


def test_cli_scan_report_and_report_command(
    copied_seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    scanned = runner.invoke(main, ["scan", "seeds", "--out", "scan", "--no-semantic", "--report"])
    assert scanned.exit_code == 0, scanned.output
    assert (tmp_path / "scan" / "report.html").is_file()
    assert "report.html" in scanned.output
    again = runner.invoke(main, ["report", "scan", "--out", "copy.html", "--quiet"])
    assert again.exit_code == 0, again.output
    assert (tmp_path / "copy.html").read_text("utf-8").startswith("<!doctype html>")
    bad = runner.invoke(main, ["report", "nowhere"])
    assert bad.exit_code == 2
    assert bad.output.strip().count("\n") == 0  # one line, no traceback
    assert "nowhere" in bad.output and "not a folder" in bad.output
    unfinished = tmp_path / "unfinished"
    unfinished.mkdir()
    bad = runner.invoke(main, ["report", "unfinished"])
    assert bad.exit_code == 2 and "summary.json" in bad.output


def test_texts_of_an_id_repeated_in_another_file_are_read_by_their_file(
    copied_seeds: Path, tmp_path: Path
) -> None:
    wire = (next(copied_seeds.glob("000_*.txt"))).read_text("utf-8")
    other = (next(copied_seeds.glob("003_*.txt"))).read_text("utf-8")
    january, february = tmp_path / "jan.jsonl", tmp_path / "feb.jsonl"
    january.write_text(json.dumps({"id": "7", "text": wire}) + "\n", "utf-8")
    february.write_text(
        json.dumps({"id": "7", "text": other})
        + "\n"
        + json.dumps({"id": "8", "text": other})
        + "\n",
        "utf-8",
    )
    out = _scan([january, february], tmp_path / "scan")

    _, texts = _scripts(write_report(out).path.read_text("utf-8"))

    repeated = f"7@{february}"
    assert _unpack(texts[repeated]) == other
    assert "7" not in texts or _unpack(texts["7"]) == wire


def test_word_changes_mark_the_words_each_side_lacks() -> None:
    first = "Eight engines were sent to the Carrow Lane mill on Sunday."
    second = "Nine engines were sent to the carrow lane mill late on Sunday night."
    changed_first, changed_second = word_changes(first, second) or ([], [])
    assert [first[s:e] for s, e in changed_first] == ["Eight"]  # case is no change
    assert [second[s:e] for s, e in changed_second] == ["Nine", "late", "night"]
    assert word_changes(first, first) == ([], [])
    assert word_changes("a " * 2_001, "a") is None  # too long to diff: shown without changes


def test_a_text_in_decomposed_form_has_no_changes_against_it_composed() -> None:
    # NFD, as macOS writes it: every accented word was marked as missing from the other
    import unicodedata

    composed = "Le ministre de la Santé, Étienne Marchal, a annoncé un plan."
    decomposed = unicodedata.normalize("NFD", composed)
    assert word_changes(composed, decomposed) == ([], [])
    edited = decomposed.replace("Marchal", "Martin")
    [(start, end)] = (word_changes(composed, edited) or ([], []))[1]
    assert edited[start:end] == "Martin"


def test_passages_carry_the_changed_words_of_both_sides(copied_seeds: Path, tmp_path: Path) -> None:
    out = _scan([copied_seeds], tmp_path / "scan", ScanConfig())
    data, texts = _scripts(write_report(out).path.read_text("utf-8"))
    rewritten = 0
    for row in data["matches"]:
        sides = (_unpack(texts[row[0]]), _unpack(texts[row[1]]))
        for a_start, a_end, b_start, b_end, kind, _, changed_a, changed_b in row[11]:
            for text, start, end, changed in (
                (sides[0], a_start, a_end, changed_a),
                (sides[1], b_start, b_end, changed_b),
            ):
                spans = list(zip(changed[::2], changed[1::2], strict=True))
                assert all(start <= s < e <= end for s, e in spans)
                assert all(re.fullmatch(r"\w.*\w|\w", text[s:e], re.S) for s, e in spans)
            if kind == "paraphrase":
                rewritten += 1
                assert changed_a and changed_b  # a rewrite changes words on both sides
    assert rewritten >= 3
