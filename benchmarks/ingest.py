"""Ingest benchmark: how fast wiretrace reads a WARC crawl, against the loop users write by hand.

A crawl is generated from the benchmark corpus: every document becomes an HTML page inside one
of several outlets' page chrome (navigation, cookie banner, link lists, newsletter box,
footer), with a request record before each response, and some image, 404 and truncated
responses among them, as in a real crawl. Each tool runs in its own process (peak memory from
``wait4``, see run.py):

- ``wiretrace-read``: ``wiretrace.read.read_documents`` over the crawl (workers: one per core);
- ``naive``: warcio's ArchiveIterator + ``trafilatura.bare_extraction`` in one process, with
  the same extraction options (what a user writes without wiretrace);
- ``wiretrace-scan``: the whole ``wiretrace scan`` of the crawl, tables written.

    python benchmarks/ingest.py                       # 10,000 pages
    python benchmarks/ingest.py --pages 5000,10000,20000

Prints pages/s, records/s and MB/s of the compressed crawl, and peak memory per tool and size;
memory that stays flat as the crawl grows shows the reading is streamed.
"""

from __future__ import annotations

import argparse
import gzip
import html
import io
import json
import random
import sys
import tempfile
import time
from pathlib import Path

from run import ensure_corpus, measure

BENCH_DIR = Path(__file__).resolve().parent
DATA_DIR = BENCH_DIR / "data"
SOURCE_DOCS = 20_000  # the corpus the pages are made from
NOT_HTML_SHARE = 0.08
NOT_FOUND_SHARE = 0.02
TRUNCATED_SHARE = 0.01

OUTLETS = [
    ("Northern Courier", "northern-courier.example", ("News", "Sport", "Business", "Weather")),
    ("Valley Post", "valleypost.example", ("Home", "Local", "Opinion")),
    ("Harbour Times", "harbourtimes.example", ("Latest", "Region", "Culture", "Podcasts")),
    ("Capital Ledger", "capital-ledger.example", ("Politics", "Economy", "World")),
    ("Coastal Daily", "coastaldaily.example", ("Front page", "Crime", "Health", "Travel")),
]


def page(rng: random.Random, doc: dict[str, str], number: int) -> tuple[str, str]:
    """(url, HTML page) of one corpus document inside an outlet's chrome."""
    name, host, sections = OUTLETS[number % len(OUTLETS)]
    paragraphs = [part for part in doc["text"].split("\n") if part.strip()]
    title = " ".join(paragraphs[0].split()[:9]).rstrip(".,;:")
    body = "".join(f"<p>{html.escape(part)}</p>" for part in paragraphs)
    nav = "".join(f'<li><a href="/{s.lower()}">{s}</a></li>' for s in sections)
    related = "".join(
        f'<li><a href="/story/{key}">Story {key} of the day</a></li>'
        for key in (rng.randrange(10**6) for _ in range(rng.randint(3, 8)))
    )
    url = f"https://{host}/news/{doc['id']}"
    published = doc.get("published") or "2022-01-01"
    return (
        url,
        f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)} | {name}</title>
<meta property="og:site_name" content="{name}"><link rel="canonical" href="{url}">
<meta property="article:published_time" content="{published}T08:00:00Z">
<script>window.dataLayer = window.dataLayer || [];</script>
</head><body>
<div class="consent">We use cookies to personalise content and ads. Accept all or manage your
preferences.</div>
<header><a class="logo" href="/">{name}</a><nav><ul>{nav}</ul></nav></header>
<main><article><h1>{html.escape(title)}</h1><p class="byline">By Staff Reporter</p>{body}</article>
<aside><h2>Most read</h2><ul>{related}</ul></aside>
<section class="newsletter"><h3>Sign up for our daily newsletter</h3></section></main>
<footer><p>&copy; 2023 {name}. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
</body></html>""",
    )


def generate_crawl(path: Path, pages: int, seed: int = 7) -> dict[str, int]:
    """Write a gzip WARC of ``pages`` response records (plus requests and a warcinfo)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    corpus = DATA_DIR / f"corpus-{SOURCE_DOCS}.jsonl.gz"
    ensure_corpus(corpus, SOURCE_DOCS, None, None)
    rng = random.Random(seed)
    counts = {"records": 0, "responses": 0, "html_200": 0}
    with gzip.open(corpus, "rt", encoding="utf-8") as source, path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "ingest.py"}))
        counts["records"] += 1
        for number, line in enumerate(source):
            if number >= pages:
                break
            url, body = page(rng, json.loads(line), number)
            roll = rng.random()
            status, content_type, payload, truncated = (
                "200 OK",
                "text/html; charset=utf-8",
                body.encode(),
                False,
            )
            if roll < NOT_HTML_SHARE:
                url, content_type = url + ".jpg", "image/jpeg"
                payload = rng.randbytes(rng.randint(2_000, 20_000))
            elif roll < NOT_HTML_SHARE + NOT_FOUND_SHARE:
                status, payload = "404 Not Found", b"<html><body>Not found</body></html>"
            elif roll < NOT_HTML_SHARE + NOT_FOUND_SHARE + TRUNCATED_SHARE:
                truncated, payload = True, payload[: len(payload) // 3]
            else:
                counts["html_200"] += 1
            writer.write_record(writer.create_warc_record(url, "request"))
            headers = StatusAndHeaders(
                status, [("Content-Type", content_type)], protocol="HTTP/1.1"
            )
            warc_headers = {"WARC-Truncated": "length"} if truncated else {}
            record = writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(payload),
                http_headers=headers,
                warc_headers_dict=warc_headers,
            )
            writer.write_record(record)
            counts["records"] += 2
            counts["responses"] += 1
    return counts


def _read_wiretrace(crawl: Path) -> None:
    from wiretrace.read import read_documents
    from wiretrace.records import Document

    started = time.perf_counter()
    documents = sum(isinstance(item, Document) for item in read_documents([crawl], workers=0))
    print(json.dumps({"documents": documents, "seconds": time.perf_counter() - started}))


def _read_naive(crawl: Path) -> None:
    import trafilatura
    from warcio.archiveiterator import ArchiveIterator

    started = time.perf_counter()
    documents = 0
    with crawl.open("rb") as stream:
        for record in ArchiveIterator(stream):
            if record.rec_type != "response" or record.rec_headers.get_header("WARC-Truncated"):
                continue
            if record.http_headers.get_statuscode() != "200":
                continue
            if "html" not in (record.http_headers.get_header("Content-Type") or ""):
                continue
            found = trafilatura.bare_extraction(
                record.content_stream().read(),
                url=record.rec_headers.get_header("WARC-Target-URI"),
                with_metadata=True,
                include_comments=False,
                include_images=False,
                include_links=False,
                date_extraction_params={"extensive_search": False, "original_date": True},
            )
            documents += found is not None and bool(found.text)
    print(json.dumps({"documents": documents, "seconds": time.perf_counter() - started}))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", default="10000", help="crawl sizes, comma-separated")
    parser.add_argument("--tools", default="naive,wiretrace-read,wiretrace-scan")
    parser.add_argument("--results", type=Path, default=None, help="write the figures as JSON")
    args, rest = parser.parse_known_args(argv)
    if rest[:1] == ["_read"]:  # the child processes
        (_read_wiretrace if rest[1] == "wiretrace" else _read_naive)(Path(rest[2]))
        return 0
    wiretrace = Path(sys.executable).with_name("wiretrace")
    rows = []
    for pages in [int(size) for size in args.pages.split(",")]:
        crawl = DATA_DIR / f"crawl-{pages}.warc.gz"
        if not crawl.exists():
            print(f"generating {crawl} ...", flush=True)
            counts = generate_crawl(crawl, pages)
            (crawl.with_suffix(".counts.json")).write_text(json.dumps(counts))
        counts = json.loads(crawl.with_suffix(".counts.json").read_text())
        megabytes = crawl.stat().st_size / 2**20
        for tool in args.tools.split(","):
            with tempfile.TemporaryDirectory() as out:
                if tool == "wiretrace-scan":
                    command = [str(wiretrace), "scan", str(crawl), "--out", out, "-q"]
                else:
                    kind = "wiretrace" if tool == "wiretrace-read" else "naive"
                    command = [sys.executable, __file__, "_read", kind, str(crawl)]
                result = measure(command)
            if result.returncode != 0:
                print(f"{tool} failed: {result.stderr[-2000:]}", file=sys.stderr)
                return 1
            seconds = result.wall_seconds
            rows.append(
                {
                    "pages": pages,
                    "tool": tool,
                    "seconds": round(seconds, 2),
                    "html_pages_per_s": round(counts["html_200"] / seconds, 1),
                    "records_per_s": round(counts["records"] / seconds, 1),
                    "mb_per_s": round(megabytes / seconds, 2),
                    "peak_rss_mb": round(result.peak_rss_mb, 1),
                    "tree_peak_rss_mb": round(result.tree_peak_rss_mb, 1),
                    "crawl_mb": round(megabytes, 1),
                }
            )
            print(json.dumps(rows[-1]), flush=True)
    header = ("pages", "tool", "s", "pages/s", "rec/s", "MB/s", "peak MB", "tree MB")
    print("\n{:>7} {:15} {:>7} {:>8} {:>8} {:>6} {:>8} {:>8}".format(*header))
    for row in rows:
        print(
            f"{row['pages']:>7} {row['tool']:15} {row['seconds']:>7} {row['html_pages_per_s']:>8} "
            f"{row['records_per_s']:>8} {row['mb_per_s']:>6} {row['peak_rss_mb']:>8} "
            f"{row['tree_peak_rss_mb']:>8}"
        )
    naive = {row["pages"]: row["seconds"] for row in rows if row["tool"] == "naive"}
    for row in rows:
        if row["tool"] == "wiretrace-read" and row["pages"] in naive:
            ratio = naive[row["pages"]] / row["seconds"]
            print(f"{row['pages']} pages: wiretrace-read is {ratio:.2f}x naive")
    if args.results:
        args.results.write_text(json.dumps(rows, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
