"""How many words of article body the boilerplate rules remove, and how much page noise they
find, on real text and on hand-made pages.

What counts as body, per corpus:

- ``pages``: hand-made articles in ``tests/pages/`` that legitimately print lines more than
  once (two recipes sharing ingredients, one question put to each guest, product bullets, a
  table header printed twice, a report on a free trial, web addresses in the text), wrapped in
  real page noise. Exact labels: ``<<noise>>`` / ``<<body>>`` lines switch the label of the
  lines after them, ``[[...]]`` marks noise inside a body line.
- ``seeds``: the four seed articles (``examples/seeds``); the noise is what
  ``seeds/EXPECTED.md`` lists (``tests/pages/seeds.json``), the rest is body.
- ``ecbplus``: ECB+ articles are article bodies, except that ``ecbplus`` files open with the
  scraped page header (source URL, headline, date lines): the lines before the first sentence
  (at most six) are left out of both counts, being neither body nor labelled noise.
- ``gva``, ``pan``: scraped pages that still hold some page noise (copyright lines, newsletter
  boxes, navigation). Body is the lines that read as prose (eight words or more, ending a
  sentence) and do not recur in three or more documents of the corpus (site furniture), so
  that a rule that eats article sentences shows while real noise does not count against it.

In the unlabelled corpora two adjacent lines of which one begins with the other (a scraper's
double, a video caption above the lede it repeats) are not counted: the words are on the page
once either way, and which copy is the body is a convention.

    python benchmarks/boilerplate_body.py              # ../shared/data, tests/pages
    python benchmarks/boilerplate_body.py --show 15 --results benchmarks/results/x.json
"""

from __future__ import annotations

import argparse
import bisect
import csv
import datetime as dt
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from evaldata import ecbplus_documents

from wiretrace.clean.boilerplate import find_boilerplate, line_spans
from wiretrace.clean.normalize import WORD
from wiretrace.clean.patterns import parse_date

REPO = Path(__file__).resolve().parents[1]
PAGES = REPO / "tests" / "pages"
SEEDS = REPO / "examples" / "seeds"
SHARED = REPO.parent / "shared" / "data"
TARGET = 0.005  # at most this share of body words removed, on every corpus

_WORD = WORD  # a run of word characters, or one Chinese or Japanese character
_NOISE, _BODY = "<<noise>>", "<<body>>"
_INLINE = re.compile(r"\[\[(.+?)\]\]")
_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’)\]」]*$")
_PROSE_WORDS = 8
_HEADER_LINES = 6  # the ECB+ page header: URL, headline, standfirst, date lines
_DATE_WORDS = 12  # "PUBLISHED: 02: 31 GMT, 12 March 2013 | UPDATED: 22: 43 GMT, ..."
_FURNITURE_DOCUMENTS = 3  # a line in this many documents is the site's, not the article's
_OWN = {"pages", "seeds"}  # the corpora whose text may be copied into results/

Range = tuple[int, int]


@dataclass(frozen=True)
class Labelled:
    """One text with the ranges that are body and, where labelled, the ranges that are noise."""

    id: str
    text: str
    body: tuple[Range, ...]
    noise: tuple[Range, ...] = ()


@dataclass
class Figures:
    """What the rules did to one corpus."""

    documents: int = 0
    words: int = 0  # every word of the texts, body, noise and unjudged lines alike
    removed: int = 0
    body_words: int = 0
    body_removed: int = 0
    noise_words: int = 0
    noise_found: int = 0
    removed_lines: Counter[tuple[str, str]] = field(default_factory=Counter)
    missed_lines: Counter[str] = field(default_factory=Counter)

    @property
    def share(self) -> float:
        return self.body_removed / max(1, self.body_words)

    @property
    def recall(self) -> float | None:
        return self.noise_found / self.noise_words if self.noise_words else None

    def as_json(self, show: int) -> dict[str, object]:
        """The figures, with up to ``show`` removed body lines (0 for the shared corpora:
        their texts stay out of the repository)."""
        by_kind: Counter[str] = Counter()
        for (kind, _), words in self.removed_lines.items():
            by_kind[kind] += words
        return {
            "documents": self.documents,
            "words": self.words,
            "words_removed": self.removed,
            "body_words": self.body_words,
            "body_words_removed": self.body_removed,
            "body_share_removed": round(self.share, 6),
            "noise_words": self.noise_words,
            "noise_words_found": self.noise_found,
            "noise_recall": None if self.recall is None else round(self.recall, 6),
            "body_words_removed_by_kind": dict(by_kind.most_common()),
            "top_removed_body_lines": [
                {"words": words, "kind": kind, "line": line}
                for (kind, line), words in self.removed_lines.most_common(show)
            ],
            "missed_noise_lines": [
                {"words": words, "line": line}
                for line, words in self.missed_lines.most_common(show)
            ],
        }


def read_page(path: Path) -> Labelled:
    """A hand-made page: its text without the markers, and where body and noise lie."""
    text_parts: list[str] = []
    body: list[Range] = []
    noise: list[Range] = []
    position = 0
    label = _BODY
    for raw in path.read_text("utf-8").splitlines():
        if raw in (_NOISE, _BODY):
            label = raw
            continue
        pieces = _INLINE.split(raw)  # odd pieces are marked noise
        for number, piece in enumerate(pieces):
            noisy = label == _NOISE or number % 2 == 1
            (noise if noisy else body).append((position, position + len(piece)))
            text_parts.append(piece)
            position += len(piece)
        text_parts.append("\n")
        position += 1
    return Labelled(path.stem, "".join(text_parts), tuple(body), tuple(noise))


def handmade_pages(folder: Path = PAGES) -> list[Labelled]:
    return [read_page(path) for path in sorted(folder.glob("*.txt"))]


def seed_documents(folder: Path = SEEDS, labels: Path = PAGES / "seeds.json") -> list[Labelled]:
    """The seeds, with EXPECTED.md's noise (each string occurs once in its seed)."""
    expected: dict[str, list[str]] = json.loads(labels.read_text("utf-8"))
    documents = []
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text("utf-8")
        noise = sorted(
            (text.index(piece), text.index(piece) + len(piece)) for piece in expected[path.name[:3]]
        )
        documents.append(Labelled(path.stem, text, _complement(noise, len(text)), tuple(noise)))
    return documents


def ecbplus_bodies(root: Path) -> list[Labelled]:
    documents = []
    for document in ecbplus_documents(root):
        text = document.text
        lines = line_spans(text)
        header: set[Range] = set()
        if document.id.endswith("ecbplus"):
            opening = lines[:_HEADER_LINES]
            first = next((line for line in opening if _prose(text, line)), None)
            header = {
                line
                for line in opening
                if (first is None or line < first) or _date_line(text[line[0] : line[1]])
            }
        body = [line for line in _without_copies(text, lines) if line not in header]
        documents.append(Labelled(document.id, text, tuple(body)))
    return documents


def prose_bodies(texts: Iterable[tuple[str, str]]) -> list[Labelled]:
    """Scraped pages: their prose lines, less the scraper's doubles and the site's furniture."""
    texts = list(texts)
    lines = [line_spans(text) for _, text in texts]
    seen_in: Counter[str] = Counter()
    for (_, text), spans in zip(texts, lines, strict=True):
        seen_in.update({text[start:end] for start, end in spans})
    documents = []
    for (doc_id, text), spans in zip(texts, lines, strict=True):
        body = tuple(
            (start, end)
            for start, end in _without_copies(text, spans)
            if _prose(text, (start, end)) and seen_in[text[start:end]] < _FURNITURE_DOCUMENTS
        )
        documents.append(Labelled(doc_id, text, body))
    return documents


_SENTENCE = re.compile(r"[^.!?。！？]+(?:[.!?。！？][\"'”’)\]」]*|$)")
SEMEVAL_LANGUAGES = ("de", "es", "fr", "it", "pl", "tr", "ru", "ar", "zh")


def semeval_bodies(path: Path, language: str) -> list[Labelled]:
    """The SemEval-2022 training articles of ``language``: scraped pages often run together on
    one line, so body is the prose sentences of their lines (as ``prose_bodies`` takes
    lines), less a sentence's copy beside it and the sentences three or more articles hold."""
    csv.field_size_limit(1 << 30)
    texts: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            first, second = row["pair_id"].split("_")
            for doc_id, lang, text in ((first, "lang1", "text1"), (second, "lang2", "text2")):
                if row[lang] == language and row[text].strip():
                    texts.setdefault(doc_id, row[text])
    sentences = {
        doc_id: [
            (start + found.start(), start + found.end())
            for start, end in line_spans(text)
            for found in _SENTENCE.finditer(text[start:end])
        ]
        for doc_id, text in texts.items()
    }
    seen_in: Counter[str] = Counter()
    for doc_id, text in texts.items():
        seen_in.update({text[start:end].strip() for start, end in sentences[doc_id]})
    documents = []
    for doc_id, text in sorted(texts.items()):
        body = tuple(
            (start, end)
            for start, end in _without_copies(text, sentences[doc_id])
            if _prose(text, (start, end))
            and seen_in[text[start:end].strip()] < _FURNITURE_DOCUMENTS
        )
        documents.append(Labelled(doc_id, text, body))
    return documents


def gva_bodies(path: Path) -> list[Labelled]:
    with path.open(encoding="utf-8") as stream:
        rows = [json.loads(line) for line in stream if line.strip()]
    return prose_bodies((row["article_id"], row["text"]) for row in rows)


def pan_bodies(folder: Path) -> list[Labelled]:
    paths = sorted([*folder.glob("susp/*.txt"), *folder.glob("src/*.txt")])
    return prose_bodies((path.stem, path.read_text("utf-8", errors="replace")) for path in paths)


def corpora(shared: Path = SHARED) -> Iterator[tuple[str, list[Labelled]]]:
    """Every corpus at hand: the hand-made pages and seeds always, the shared data if present."""
    yield "pages", handmade_pages()
    yield "seeds", seed_documents()
    if (shared / "ecbplus-dev" / "ECB+").is_dir():
        yield "ecbplus", ecbplus_bodies(shared / "ecbplus-dev" / "ECB+")
    if (shared / "gva-events" / "articles.jsonl").is_file():
        yield "gva", gva_bodies(shared / "gva-events" / "articles.jsonl")
    if (shared / "pan13-train").is_dir():
        yield "pan", pan_bodies(shared / "pan13-train")
    semeval = shared / "semeval2022" / "training_set.csv"
    if semeval.is_file():
        for language in SEMEVAL_LANGUAGES:
            yield f"semeval-{language}", semeval_bodies(semeval, language)


def measure(documents: Iterable[Labelled]) -> Figures:
    """Words of body the rules remove and words of labelled noise they find (a word is
    removed when it starts inside a boilerplate span)."""
    figures = Figures()
    for document in documents:
        figures.documents += 1
        text = document.text
        spans = find_boilerplate(text)
        removed = _Coverage([(span.start, span.end) for span in spans])
        kinds = {(span.start, span.end): span.kind for span in spans}
        lines = line_spans(text)
        for word in _WORD.finditer(text):
            figures.words += 1
            figures.removed += removed.find(word.start()) is not None
        for start, end in document.body:
            for word in _WORD.finditer(text, start, end):
                figures.body_words += 1
                where = removed.find(word.start())
                if where is not None:
                    figures.body_removed += 1
                    figures.removed_lines[(kinds[where], _line_of(text, lines, word.start()))] += 1
        for start, end in document.noise:
            for word in _WORD.finditer(text, start, end):
                figures.noise_words += 1
                if removed.find(word.start()) is not None:
                    figures.noise_found += 1
                else:
                    figures.missed_lines[_line_of(text, lines, word.start())] += 1
    return figures


class _Coverage:
    """Which of a sorted list of non-overlapping ranges holds a position."""

    def __init__(self, ranges: list[Range]) -> None:
        self._ranges = sorted(ranges)
        self._starts = [start for start, _ in self._ranges]

    def find(self, position: int) -> Range | None:
        index = bisect.bisect_right(self._starts, position) - 1
        if index >= 0 and position < self._ranges[index][1]:
            return self._ranges[index]
        return None


def _prose(text: str, line: Range) -> bool:
    piece = text[line[0] : line[1]]
    return len(_WORD.findall(piece)) >= _PROSE_WORDS and bool(_SENTENCE_END.search(piece))


def _without_copies(text: str, lines: list[Range]) -> list[Range]:
    """``lines`` less the adjacent pairs where one line begins with the other: which of the
    two copies is the body is a convention, and its words are on the page once either way."""
    pieces = [text[start:end] for start, end in lines]
    copies: set[int] = set()
    for number in range(1, len(pieces)):
        before, line = pieces[number - 1], pieces[number]
        if before.startswith(line) or line.startswith(before):
            copies.update((number - 1, number))
    return [line for number, line in enumerate(lines) if number not in copies]


def _date_line(line: str) -> bool:
    return len(_WORD.findall(line)) <= _DATE_WORDS and parse_date(line, 2000) is not None


def _complement(ranges: list[Range], length: int) -> tuple[Range, ...]:
    gaps, position = [], 0
    for start, end in ranges:
        gaps.append((position, start))
        position = end
    gaps.append((position, length))
    return tuple(gap for gap in gaps if gap[1] > gap[0])


def _line_of(text: str, lines: list[Range], position: int) -> str:
    for start, end in lines:
        if start <= position < end:
            return text[start:end]
    return ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=SHARED, help="the shared data folder")
    parser.add_argument("--show", type=int, default=10, help="removed body lines to show")
    parser.add_argument(
        "--results",
        type=Path,
        default=REPO / "benchmarks" / "results" / f"{dt.date.today()}-boilerplate-body.json",
        help="where to write the figures as JSON",
    )
    args = parser.parse_args(argv)
    results: dict[str, object] = {}
    rows = []
    for name, documents in corpora(args.shared):
        figures = measure(documents)
        results[name] = figures.as_json(args.show if name in _OWN else 0)
        rows.append((name, figures))
    print(
        f"{'corpus':8} {'docs':>5} {'body words':>10} {'removed':>7} {'share':>7} "
        f"{'noise found':>11} {'all words':>9} {'removed':>7}"
    )
    for name, figures in rows:
        recall = "-" if figures.recall is None else f"{figures.recall:.1%}"
        print(
            f"{name:8} {figures.documents:>5} {figures.body_words:>10} {figures.body_removed:>7} "
            f"{figures.share:>7.3%} {recall:>11} {figures.words:>9} "
            f"{figures.removed / max(1, figures.words):>7.2%}"
        )
    for name, figures in rows:
        print(f"\n{name}: the body lines removed most (words, kind, line)")
        for (kind, line), words in figures.removed_lines.most_common(args.show):
            print(f"  {words:5} {kind:12} {line[:100]!r}")
        for line, words in figures.missed_lines.most_common():
            print(f"  missed noise: {words:3} {line[:100]!r}")
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(f"\nwrote {args.results}")
    failed = [name for name, figures in rows if figures.share > TARGET]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
