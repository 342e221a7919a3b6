"""The fast paths give what the paths they replace give (issue 29): each is checked against
the slower code it stands for, on generated input of every kind that code handles."""

from __future__ import annotations

import json
import random
import unicodedata
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from tests.pages import UNRELATED, WIRE_STORY
from wiretrace.clean import boilerplate, clean_text
from wiretrace.clean.boilerplate import PhraseSearch, blank, find_boilerplate
from wiretrace.clean.normalize import (
    UNICODE_SIZE,
    _letters_marks_digits,
    fold_table,
    run_table,
)
from wiretrace.compare.align import Prepared, prepare, prepare_in_steps
from wiretrace.compare.derivation import PARTNERS, Cells, chain_cells, ordered_chain
from wiretrace.compare.paraphrase import _inside, _not_inside
from wiretrace.compare.prepared import PrepareBatch, PreparedReader, prepare_into, write_index
from wiretrace.read.sources import _json_checked, _json_record
from wiretrace.spill import TextSpill

# words of every class cleaning treats apart: accents to fold or keep, Turkish i, Russian
# yo, Greek accents, Arabic marks, tatweel and alef forms, ligatures, full-width forms,
# combining marks, Hangul jamo, Chinese and Japanese written without spaces, typographic
# quotes and dashes, and a sharp s that casefolds to two letters
_WORDS = [
    "Straße",
    "İstanbul",
    "ılık",
    "ёлка",
    "Ἀθῆναι",
    "άνθρωπος",
    "مُحَمَّد",
    "الـــعربية",
    "أحمد",
    "إلى",
    "مدرسة",
    "ﬁnancial",
    "ＡＢＣ１２３",
    "a\u0301b",
    "e\u0308",
    "\u1100\u1161",
    "北京市今天发布",
    "東京都の天気",
    "カタカナ",
    "“quoted”",
    "it’s",
    "—",
    "…",
    "½",
    "x²",
    "Ǆungla",
    "ΣΊΣΥΦΟΣ",
    "naïve",
    "١٢٣",
    "\u200bzero",
    "tab\tbed",
]
_NOISE = [
    "We use cookies to improve your experience. Accept all cookies",
    "Read more:",
    "Share on Facebook | Share on X | Email",
    "Sign up for our daily newsletter",
    "Photo: Reuters/Jane Doe",
    "© 2026 Example Media. All rights reserved.",
]


def _page(generator: random.Random) -> str:
    """A page of real article paragraphs, page noise and words of every class, its lines
    ending in CRLF, LF or CR."""
    lines: list[str] = []
    paragraphs = WIRE_STORY + [line for story in UNRELATED for line in story]
    for _ in range(generator.randint(3, 12)):
        kind = generator.random()
        if kind < 0.4:
            lines.append(generator.choice(paragraphs))
        elif kind < 0.6:
            lines.append(generator.choice(_NOISE))
        else:
            words = generator.choices(_WORDS + paragraphs[0].split(), k=generator.randint(1, 30))
            lines.append(" ".join(words))
    ends = generator.choices(["\r\n", "\n", "\r", "\n\n", "  \u2028"], k=len(lines))
    return "".join(line + end for line, end in zip(lines, ends, strict=True))


def _same_prepared(fast: Prepared, steps: Prepared) -> None:
    for name in ("shingles", "unique", "word_starts", "word_ends"):
        got, want = getattr(fast, name), getattr(steps, name)
        assert got.dtype == want.dtype and np.array_equal(got, want), name
    assert fast.digest == steps.digest and fast.shingle_size == steps.shingle_size
    if steps.wide_before is None:
        assert fast.wide_before is None
    else:
        assert fast.wide_before is not None
        assert np.array_equal(fast.wide_before, steps.wide_before)


def test_a_document_is_prepared_in_one_call_as_in_steps() -> None:
    generator = random.Random(29)
    for _ in range(300):
        text = _page(generator)
        body = blank(text, find_boilerplate(text))
        for size in (1, 5):
            _same_prepared(prepare(body, size), prepare_in_steps(body, size))


def test_a_document_prepared_once_reads_back_as_prepared(tmp_path: Path) -> None:
    """A document prepared before its pairs are compared (``compare.prepared``) reads back
    as preparing it again would make it: pages with boilerplate blanked, text with words of
    every script (characters that are words of their own among them), and an empty one."""
    generator = random.Random(31)
    texts = [_page(generator) for _ in range(40)] + [" ".join(_WORDS), ""]
    spill = TextSpill(tmp_path)
    spill.append(texts[:20])
    spill.append(texts[20:])
    path = spill.seal()
    boilerplate = {number: tuple(find_boilerplate(text)) for number, text in enumerate(texts)}
    wanted = list(range(0, len(texts), 2)) + list(range(1, len(texts), 2))[::-1]
    rows = [
        prepare_into(
            str(path),
            str(tmp_path),
            5,
            PrepareBatch(
                file,
                wanted[at : at + 9],
                {
                    number: boilerplate[number]
                    for number in wanted[at : at + 9]
                    if boilerplate[number]
                },
            ),
        )
        for file, at in enumerate(range(0, len(wanted), 9))
    ]
    write_index(tmp_path, rows)
    reader = PreparedReader(tmp_path, 5)
    for number, text in enumerate(texts):
        body = blank(text, boilerplate[number])
        found = reader.get(number, body)
        assert found is not None and found.text == body
        _same_prepared(found, prepare(body, 5))
    assert reader.get(len(texts), "") is None  # not prepared there
    reader.close()
    spill.close()


_UNICODE = st.lists(
    st.characters(blacklist_categories=("Cs",)) | st.just("\r\n"), max_size=300
).map("".join)


@settings(max_examples=300, deadline=None)
@given(_UNICODE)
def test_any_text_is_prepared_in_one_call_as_in_steps(text: str) -> None:
    _same_prepared(prepare(text, 5), prepare_in_steps(text, 5))


@settings(max_examples=300, deadline=None)
@given(_UNICODE)
def test_every_clean_character_maps_back_to_where_it_came_from(text: str) -> None:
    """Each clean character's span of the original text holds it: the span's own text,
    normalised, gives the character (whitespace gives whitespace)."""
    clean = clean_text(text)
    assert np.all(np.diff(clean.starts) >= 0) and np.all(clean.starts < clean.ends)
    assert np.all(clean.ends <= len(text))
    for index, char in enumerate(clean.text):
        piece = text[clean.starts[index] : clean.ends[index]]
        if char in " \n":  # a white space, or what holds one ("´" is NFKC " \u0301")
            assert any(other.isspace() for other in unicodedata.normalize("NFKC", piece))
            continue
        assert char in clean_text(piece).text, (char, piece)


def test_the_word_table_looks_at_every_code_point_that_can_be_a_word() -> None:
    every = _letters_marks_digits(0, UNICODE_SIZE).copy()
    every[fold_table() != np.arange(UNICODE_SIZE, dtype=np.uint32)] = 0
    assert np.array_equal(run_table(), every)


_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(),
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=12,
)


@st.composite
def _json_lines(draw: st.DrawFn) -> bytes:
    """A JSONL line as writers make them (ASCII-escaped or not, surrogates in escapes), a
    line of another JSON value, or bytes that are not JSON at all."""
    kind = draw(st.sampled_from(["record", "record", "value", "bytes", "surrogate"]))
    if kind == "bytes":
        return draw(st.binary(max_size=60))
    if kind == "surrogate":
        escape = draw(st.sampled_from(["\\ud800", "\\udfff", "\\ud83d\\ude00", "\\ud83d"]))
        return ('{"id": "a", "text": "x' + escape + 'y"}').encode()
    value = draw(st.dictionaries(st.text(max_size=8), _VALUES, max_size=5))
    if kind == "value":
        value = draw(_VALUES)
    line = json.dumps(value, ensure_ascii=draw(st.booleans()))
    bom = draw(st.sampled_from([b"", b"", b"\xef\xbb\xbf"]))
    end = draw(st.sampled_from([b"", b"\n", b"\r\n"]))
    return bom + line.encode("utf-8", "surrogatepass") + end


def _same(a: Any, b: Any) -> bool:
    """Equal, NaN equal to NaN and types compared too (1 is not 1.0 here)."""
    if isinstance(a, float) and isinstance(b, float) and a != a and b != b:
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


@settings(max_examples=400, deadline=None)
@given(_json_lines())
def test_a_jsonl_line_reads_as_json_reads_it(raw: bytes) -> None:
    assert _same(_json_record(raw, "in.jsonl:1"), _json_checked(raw, "in.jsonl:1"))


def test_the_slower_json_path_reads_what_orjson_would_misread() -> None:
    long = b'{"id": 123456789012345678901234567890, "text": "t"}'
    record = _json_record(long, "in.jsonl:1")
    assert isinstance(record, dict) and record["id"] == 123456789012345678901234567890


def test_a_record_nested_too_deep_is_skipped_as_before() -> None:
    for depth in (60, 99, 100, 150, 2000):
        raw = b'{"a": ' + b"[" * depth + b"]" * depth + b"}"
        fast, checked = _json_record(raw, "in.jsonl:1"), _json_checked(raw, "in.jsonl:1")
        assert fast == checked, depth


_PHRASES = ["subscri", "sign up", "cookie", "photo", "订阅", "подпи", "abo ", "ẞ ", "ab", "ba"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PHRASES) | _UNICODE, max_size=8).map("".join))
def test_one_pass_finds_the_phrases_that_substring_search_finds(text: str) -> None:
    search = PhraseSearch(_PHRASES)
    want = sum(search.bits[phrase] for phrase in _PHRASES if phrase in text)
    assert search.present(text) == want
    assert search.present(text + "\udc80") == want  # a lone surrogate read from a file


def test_pages_lose_the_same_noise_with_the_page_searched_once(monkeypatch: Any) -> None:
    """``find_boilerplate`` asks which phrases a page holds in one pass; asking ``in`` once
    per phrase, as it did before, gives the same spans on pages of every kind."""
    generator = random.Random(31)
    pages = [_page(generator) for _ in range(400)]
    one_pass = [find_boilerplate(page) for page in pages]
    search = boilerplate._PHRASES
    phrases = list(search.bits)

    def each_phrase(text: str) -> int:
        return sum(search.bits[phrase] for phrase in phrases if phrase in text)

    monkeypatch.setattr(search, "present", each_phrase)
    assert [find_boilerplate(page) for page in pages] == one_pass
    assert sum(1 for spans in one_pass if spans) > 100  # the noise was there to find


@st.composite
def _sentences_and_spans(
    draw: Any,
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """A document's sentences (apart, in any order; sometimes one holding others) and spans
    anywhere over them, empty ones included."""
    sentences, at = [], 0
    for _ in range(draw(st.integers(0, 8))):
        start = at + draw(st.integers(0, 5))
        at = start + draw(st.integers(1, 30))
        sentences.append((start, at))
        at += draw(st.integers(0, 3))
    if sentences and draw(st.booleans()):
        sentences.append((sentences[0][0], sentences[-1][1]))
    sentences = draw(st.permutations(sentences))
    spans = []
    for _ in range(draw(st.integers(0, 6))):
        start = draw(st.integers(0, at + 5))
        spans.append((start, start + draw(st.integers(0, 40))))
    return sentences, spans


@settings(max_examples=500, deadline=None)
@given(_sentences_and_spans())
def test_the_spans_left_out_of_sentences_are_found_by_their_neighbours(
    drawn: tuple[list[tuple[int, int]], list[tuple[int, int]]],
) -> None:
    """Looking only at the sentences around a span finds the spans no sentence holds most
    of, as looking at every sentence does."""
    sentences, spans = drawn
    expected = [span for span in spans if not _inside(span, sentences)]
    assert _not_inside(spans, sentences) == expected


def _plain_chain(
    rows: NDArray[np.intp], columns: NDArray[np.intp], similarity: NDArray[np.float64]
) -> list[int]:
    """``derivation.ordered_chain`` in plain Python, as it was before it was compiled."""
    if not len(rows):
        return []
    if bool(np.all(rows[1:] > rows[:-1]) and np.all(columns[1:] >= columns[:-1])):
        return list(range(len(rows)))  # every cell in order (a copied passage): one chain
    size = int(columns.max()) + 1
    tree: list[tuple[int, float, int]] = [(0, 0.0, -1)] * (size + 1)

    def better(first: tuple[int, float, int], second: tuple[int, float, int]) -> bool:
        # longer, then more similar, then ending at the earlier cell
        return (first[0], first[1], -first[2]) > (second[0], second[1], -second[2])

    def best_up_to(column: int) -> tuple[int, float, int]:
        found = (0, 0.0, -1)
        index = column + 1
        while index > 0:
            if better(tree[index], found):
                found = tree[index]
            index -= index & -index
        return found

    def offer(column: int, value: tuple[int, float, int]) -> None:
        index = column + 1
        while index <= size:
            if better(value, tree[index]):
                tree[index] = value
            index += index & -index

    before = [-1] * len(rows)
    ends: list[tuple[int, float, int]] = [(0, 0.0, -1)] * len(rows)
    start = 0
    while start < len(rows):  # one row at a time: a chain takes one cell of a row
        end = start
        while end < len(rows) and rows[end] == rows[start]:
            end += 1
        for cell in range(start, end):
            length, total, last = best_up_to(int(columns[cell]))
            before[cell] = last
            ends[cell] = (length + 1, total + float(similarity[cell]), cell)
        for cell in range(start, end):
            offer(int(columns[cell]), ends[cell])
        start = end
    best = ends[0]
    for value in ends[1:]:
        if better(value, best):
            best = value
    chain = []
    cell = best[2]
    while cell >= 0:
        chain.append(cell)
        cell = before[cell]
    return chain[::-1]


@st.composite
def _cells(draw: Any) -> tuple[Any, Any, Any]:
    """Cells sorted by row, then column, with similarities drawn from few values (ties)."""
    found = sorted(draw(st.sets(st.tuples(st.integers(0, 12), st.integers(0, 15)), max_size=40)))
    values = [draw(st.sampled_from([0.6, 0.7, 0.75, 0.8, 0.9, 1.0])) for _ in found]
    return (
        np.array([row for row, _ in found], dtype=np.intp),
        np.array([column for _, column in found], dtype=np.intp),
        np.array(values, dtype=np.float64),
    )


@settings(max_examples=500, deadline=None)
@given(_cells())
def test_the_compiled_chain_is_the_plain_one(cells: tuple[Any, Any, Any]) -> None:
    assert ordered_chain(*cells) == _plain_chain(*cells)


def _plain_best_of_each_row(cells: Cells, count: int) -> Cells:
    """Each row's ``count`` most similar cells (of equals, the earlier column), in row then
    column order."""
    if not np.any(cells.rows[count:] == cells.rows[:-count]):
        return cells  # no row has more (rows are sorted)
    order = np.lexsort((cells.columns, -cells.similarity, cells.rows))
    rows = cells.rows[order]
    first = np.searchsorted(rows, rows)  # each cell's row starts there (rows are sorted)
    kept = np.sort(order[np.arange(len(rows)) - first < count])  # back in row, column order
    return Cells(cells.rows[kept], cells.columns[kept], cells.similarity[kept])


@settings(max_examples=500, deadline=None)
@given(_cells())
def test_the_compiled_chain_of_best_cells_is_the_plain_one(cells: tuple[Any, Any, Any]) -> None:
    """Each row's best cells, then their chain, as the plain code found them."""
    best = _plain_best_of_each_row(Cells(*cells), PARTNERS)
    chain = _plain_chain(*best)
    found = chain_cells(Cells(*cells))
    assert found.rows.tolist() == best.rows[chain].tolist()
    assert found.columns.tolist() == best.columns[chain].tolist()
    assert found.similarity.tolist() == best.similarity[chain].tolist()
