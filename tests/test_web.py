"""HTML pages and WARC crawls: extraction, page chrome, skipped records (the html extra)."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest

from tests.pages import OUTLETS, WIRE_STORY, page, unrelated_pages, wire_copies
from wiretrace import MissingExtraError, Relation, ScanConfig, ScanResult, scan

warcio = pytest.importorskip("warcio")
pytest.importorskip("trafilatura")

from warcio.statusandheaders import StatusAndHeaders  # noqa: E402
from warcio.warcwriter import WARCWriter  # noqa: E402

COPIES = set(wire_copies())
# warcio's writer leaves its digest buffers (temporary files) to the garbage collector
WRITER_WARNINGS = (
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
)


def _pairs(result: ScanResult) -> dict[frozenset[str], Relation]:
    return {frozenset((match.a, match.b)): match.relation for match in result.matches}


def _check_copies_and_chrome(result: ScanResult, ids: dict[str, str]) -> None:
    """The three outlets' copies are near duplicates of each other; nothing else matches."""
    pairs = _pairs(result)
    copies = {ids[name] for name in COPIES}
    for a, b in combinations(sorted(copies), 2):
        assert pairs.get(frozenset((a, b))) == Relation.NEAR_DUPLICATE, (a, b)
    assert len(pairs) == 3, pairs  # identical chrome on unrelated pages matches nothing


@pytest.fixture
def page_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir()
    for name, text in {**wire_copies(), **unrelated_pages()}.items():
        (folder / f"{name}.html").write_text(text, encoding="utf-8")
    return folder


def test_html_folder_copies_under_different_chrome(
    page_folder: Path, on_backend: Callable[[], Any]
) -> None:
    result = scan([page_folder], backend=on_backend())  # on every backend
    names = {name: name for name in [*wire_copies(), *unrelated_pages()]}
    _check_copies_and_chrome(result, names)
    rows = result.documents
    row = rows.id.index("valley-floods")
    assert rows.title[row] == "Flood warning: river to peak on Thursday"
    assert rows.outlet[row] == "Valley Post"  # the site name, not the host
    assert rows.url[row] == "https://valleypost.example/news/river-floods"  # canonical link
    assert rows.published[row] == "2023-03-09T07:30:00+00:00"  # with the time it states
    kinds = {span.kind for spans in rows.boilerplate for span in spans}
    assert {"related", "trailer"} <= kinds  # the in-body link line and the outlet's trailer


def test_a_same_day_copy_of_a_page_names_its_source_by_the_time_of_day(tmp_path: Path) -> None:
    # pages state the time of day (article:published_time); with the day alone, a copy
    # republished that afternoon could not be told from its morning source
    first, second, _ = OUTLETS
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "wire.html").write_text(
        page(
            first,
            "floods",
            "River flood defences raised",
            WIRE_STORY,
            published="2023-03-09T07:30:00Z",
        ),
        encoding="utf-8",
    )
    (folder / "copy.html").write_text(
        page(second, "floods", "River to peak", WIRE_STORY, published="2023-03-09T15:05:00+01:00"),
        encoding="utf-8",
    )
    (folder / "undated.html").write_text(
        page(second, "floods-2", "River peak", WIRE_STORY[:6], published="2023-03-09"),
        encoding="utf-8",
    )

    result = scan([folder], ScanConfig(workers=1))

    rows = result.documents
    assert rows.published[rows.id.index("copy")] == "2023-03-09T15:05:00+01:00"
    assert rows.published[rows.id.index("undated")] == "2023-03-09"  # no time: no midnight
    (match,) = [m for m in result.matches if {m.a, m.b} == {"copy", "wire"}]
    assert match.source == "wire"


def test_page_chrome_alone_gives_no_match_without_boilerplate_rules(page_folder: Path) -> None:
    """The outlet trailer kept by the extractor is what the rules take out: without them the
    unrelated pages of one outlet share it."""
    with_rules = _pairs(scan([page_folder]))
    without = _pairs(scan([page_folder], ScanConfig(boilerplate=False)))
    assert frozenset(("courier-orchestra", "courier-cycle-lane")) not in with_rules
    assert len(without) >= len(with_rules)


def _response(
    writer: WARCWriter,
    url: str,
    body: bytes,
    *,
    status: str = "200 OK",
    content_type: str = "text/html; charset=utf-8",
    date: str = "2023-03-10T12:00:00Z",
    truncated: bool = False,
) -> None:
    headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
    warc_headers = {"WARC-Date": date}
    if truncated:
        warc_headers["WARC-Truncated"] = "length"
    record = writer.create_warc_record(
        url,
        "response",
        payload=io.BytesIO(body),
        http_headers=headers,
        warc_headers_dict=warc_headers,
    )
    writer.write_record(record)


def _crawl(path: Path) -> None:
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests"}))
        for name, text in {**wire_copies(), **unrelated_pages()}.items():
            request = writer.create_warc_record(f"https://crawl.example/{name}", "request")
            writer.write_record(request)
            _response(writer, f"https://crawl.example/{name}", text.encode("utf-8"))
        _response(
            writer, "https://crawl.example/missing", b"<html>gone</html>", status="404 Not Found"
        )
        _response(writer, "https://crawl.example/logo.png", b"\x89PNG...", content_type="image/png")
        page = wire_copies()["courier-floods"].encode("utf-8")
        _response(writer, "https://crawl.example/cut", page[:200], truncated=True)


@WRITER_WARNINGS[0]
@WRITER_WARNINGS[1]
def test_warc_crawl(tmp_path: Path, on_backend: Callable[[], Any]) -> None:
    crawl = tmp_path / "crawl.warc.gz"
    _crawl(crawl)
    result = scan([crawl], backend=on_backend())  # on every backend: skips and reasons alike
    rows = result.documents
    # the URL is where the crawler fetched the page (not the page's canonical link)
    by_url = {url: doc_id for doc_id, url in zip(rows.id, rows.url, strict=True) if url}
    ids = {
        name: by_url[f"https://crawl.example/{name}"]
        for name in [*wire_copies(), *unrelated_pages()]
    }
    row = rows.id.index(ids["valley-floods"])
    assert rows.outlet[row] == "Valley Post"
    _check_copies_and_chrome(result, ids)
    assert result.summary["counts"]["skipped_by_reason"] == {
        "http_status": 1,
        "not_html": 1,
        "truncated": 1,
    }
    assert rows.status.count("ok") == 5
    # ids are the WARC record ids; every skipped record has a row with its reason
    assert all(doc_id and len(doc_id) == 36 for doc_id in rows.id)
    assert sorted(status for status in rows.status if status != "ok") == [
        "http_status",
        "not_html",
        "truncated",
    ]


@WRITER_WARNINGS[0]
@WRITER_WARNINGS[1]
def test_warc_dates_come_from_the_page_else_the_crawl(tmp_path: Path) -> None:
    crawl = tmp_path / "crawl.warc"
    copies = wire_copies()
    undated = page(OUTLETS[1], "undated", "Undated page", WIRE_STORY[:4], published=None)
    with crawl.open("wb") as stream:
        writer = WARCWriter(stream, gzip=False)
        _response(writer, "https://a.example/dated", copies["courier-floods"].encode())
        _response(
            writer, "https://b.example/undated", undated.encode(), date="2023-03-11T08:00:00Z"
        )
    result = scan([crawl])
    published = sorted(p for p in result.documents.published if p)
    assert published == ["2023-03-09T07:30:00+00:00", "2023-03-11"]


@pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
def test_html_field_in_records(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"pages{suffix}"
    records = [
        {"id": name, "html": text, "published": "2023-03-08" if name == "valley-floods" else None}
        for name, text in {**wire_copies(), **unrelated_pages()}.items()
    ]
    if suffix == ".jsonl":
        path.write_text("\n".join(json.dumps(record) for record in records) + "\n", "utf-8")
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.Table.from_pylist(records), path)
    result = scan([path])
    _check_copies_and_chrome(result, {name: name for name in [*wire_copies(), *unrelated_pages()]})
    row = result.documents.id.index("valley-floods")
    assert result.documents.published[row] == "2023-03-08"  # the record's date wins
    assert result.documents.title[row] == "Flood warning: river to peak on Thursday"


def test_missing_html_extra_names_the_install(
    page_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # import fails as if not installed
    with pytest.raises(MissingExtraError, match=r"pip install 'wiretrace\[html\]'"):
        scan([page_folder])


def test_pages_extracted_in_workers_give_the_same_result(tmp_path: Path) -> None:
    # more pages than the first two chunks extracted in this process, so the pool runs
    for copy in range(8):
        for name, text in {**wire_copies(), **unrelated_pages()}.items():
            (tmp_path / f"{name}-{copy}.html").write_text(text, encoding="utf-8")
    one = scan([tmp_path])
    two = scan([tmp_path], ScanConfig(workers=2))
    assert len(one.documents.id) == 40
    assert one.matches == two.matches
    assert one.documents.published == two.documents.published
    assert one.documents.boilerplate == two.documents.boilerplate


def test_dedup_of_pages_writes_the_extracted_documents(page_folder: Path, tmp_path: Path) -> None:
    from wiretrace.errors import InputError
    from wiretrace.write.dedup import dedup

    out = tmp_path / "kept.jsonl"
    done = dedup([page_folder], out)
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert done.written == len(records) == 3  # one of the three copies, and the two other stories
    assert {record["id"] for record in records} >= set(unrelated_pages())
    with pytest.raises(InputError, match=r"\.jsonl, \.csv, \.tsv \(optionally \.gz\) or \.parquet"):
        dedup([page_folder], tmp_path / "kept.warc")


def test_a_page_s_stated_time_wins_over_the_day_its_url_gives(tmp_path: Path) -> None:
    # htmldate reads a date in the URL first: a wire page at .../2023/03/09/floods lost the
    # 07:30 it states, and its republication of that afternoon was no later than it
    first, _, _ = OUTLETS
    html = page(first, "2023/03/09/floods", "River flood defences raised", WIRE_STORY)
    html = html.replace(
        f'href="https://{first.host}/news/2023/03/09/floods"',
        f'href="https://{first.host}/2023/03/09/floods"',
    )
    (tmp_path / "wire.html").write_text(html, encoding="utf-8")
    result = scan([tmp_path], ScanConfig(semantic=False, stories=False))
    assert result.documents.published == ["2023-03-09T07:30:00+00:00"]
