"""The seeds' HTML report, in headless Chromium (see tests/browser.py): what an analyst sees.

A screenshot of every view is written to the ``report-screenshots`` folder under pytest's
temporary folder (kept as CI artifacts)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from tests.browser import Session, open_report
from wiretrace import scan
from wiretrace.records import Match
from wiretrace.write import write_scan
from wiretrace.write.report import write_report


@dataclass(frozen=True)
class Seeds:
    report: Path
    texts: dict[str, str]  # by short id ("000")
    ids: dict[str, str]  # short id -> document id
    matches: list[dict[str, Any]]
    documents: dict[str, dict[str, Any]]
    stories: list[dict[str, Any]]

    def match(self, a: str, b: str) -> dict[str, Any]:
        ids = {self.ids[a], self.ids[b]}
        return next(row for row in self.matches if {row["a"], row["b"]} == ids)


@pytest.fixture(scope="module")
def seeds_report(
    seeds: Path, tmp_path_factory: pytest.TempPathFactory, semantic_extra: None
) -> Seeds:
    out = tmp_path_factory.mktemp("seeds-scan")
    write_scan(scan([seeds]), out)
    report = write_report(out).path
    texts = {path.stem[:3]: path.read_text("utf-8") for path in seeds.glob("*.txt")}
    ids = {path.stem[:3]: path.stem for path in seeds.glob("*.txt")}
    documents = {row["id"]: row for row in pq.read_table(out / "documents.parquet").to_pylist()}
    return Seeds(
        report,
        texts,
        ids,
        pq.read_table(out / "matches.parquet").to_pylist(),
        documents,
        pq.read_table(out / "stories.parquet").to_pylist(),
    )


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("report-screenshots")


@pytest.fixture
def page(seeds_report: Seeds) -> Iterator[Session]:
    with open_report(seeds_report.report) as session:
        yield session
    assert session.errors == [], session.errors  # no console errors, in any test
    assert session.requests == [seeds_report.report.resolve().as_uri()]  # nothing else fetched


def _pair(session: Session, seeds: Seeds, a: str, b: str) -> None:
    match = seeds.match(a, b)
    session.show(f"pair/{seeds.ids[a]}~{seeds.ids[b]}")
    session.wait_pair(match["a"], match["b"])


_MARKS = """(side) => {
  const found = {};
  for (const mark of document.querySelectorAll(`mark.psg[data-side="${side}"]`)) {
    for (const key of mark.dataset.p.split(" ")) {
      found[key] = found[key] || { text: "", classes: [] };
      found[key].text += mark.textContent;
      found[key].classes.push(mark.className);
    }
  }
  return found;
}"""


def test_the_story_of_the_four_articles_is_listed(page: Session, seeds_report: Seeds) -> None:
    page.show("stories")
    rows = page.evaluate(
        "() => [...document.querySelectorAll('tbody tr')].map((row) => "
        "[...row.cells].map((cell) => cell.textContent))"
    )
    four = [story for story in seeds_report.stories if len(story["members"]) == 4]
    assert len(four) == 1
    assert [row[1] for row in rows if row[3] == "4"] == [four[0]["title"]]
    page.page.click(f"a[href='#story/{four[0]['story']}']")
    page.wait_view("story")
    drawn = page.evaluate("() => [...document.querySelectorAll('.graph .node')].length")
    assert drawn == 4


def test_highlighted_passages_are_the_text_at_their_offsets(
    page: Session, seeds_report: Seeds
) -> None:
    _pair(page, seeds_report, "000", "001")
    match = seeds_report.match("000", "001")
    assert match["relation"] == "near_duplicate"
    sides = {"a": page.evaluate(_MARKS, "a"), "b": page.evaluate(_MARKS, "b")}
    assert len(sides["a"]) == len(match["passages"]) >= 2
    for index, passage in enumerate(match["passages"]):
        for side in ("a", "b"):
            text = seeds_report.texts[match[side][:3]]
            start, end = passage[f"{side}_start"], passage[f"{side}_end"]
            shown = sides[side][str(index)]
            assert shown["text"] == text[start:end]
            assert all("verbatim" in classes for classes in shown["classes"])


def test_the_cookie_notice_of_001_is_shown_as_boilerplate(
    page: Session, seeds_report: Seeds
) -> None:
    _pair(page, seeds_report, "000", "001")
    copy = seeds_report.ids["001"]
    side = "a" if seeds_report.match("000", "001")["a"] == copy else "b"
    shown = page.evaluate(
        """(side) => [...document.querySelectorAll(`#side-${side} .bp-label`)].map((label) => {
          let text = "", node = label.nextSibling;
          while (node && !(node.classList && node.classList.contains("bp-label"))) {
            if (node.classList && node.classList.contains("bp")) text += node.textContent;
            else break;
            node = node.nextSibling;
          }
          return [label.textContent, text];
        })""",
        side,
    )
    spans = seeds_report.documents[copy]["boilerplate"]
    consent = [span for span in spans if span["kind"] == "consent"]
    assert consent, spans
    text = seeds_report.texts["001"]
    expected = text[consent[0]["start"] : consent[0]["end"]]
    assert "cookie" in expected.lower()
    assert ["consent", expected] in [list(item) for item in shown]
    # page noise inside a passage is not compared: never marked as its edited words
    assert page.evaluate("() => document.querySelectorAll('mark.psg.bp.changed').length") == 0


def test_a_pair_of_one_story_says_why_and_every_relation_has_a_line(
    page: Session, seeds_report: Seeds
) -> None:
    _pair(page, seeds_report, "002", "003")
    assert seeds_report.match("002", "003")["relation"] == "same_story"
    # named by its two documents (every pair's tab was "wiretrace · wiretrace report")
    title = page.evaluate("() => document.title")
    assert seeds_report.ids["002"] in title and seeds_report.ids["003"] in title
    why = page.evaluate("() => document.querySelector('.pairhead .reasons').textContent")
    assert "no text of one is in the other" in why and "semantic" in why
    # a translation's arrow in a story's graph had no stroke: drawn with nothing
    strokes = page.evaluate(
        """() => ["exact", "near_duplicate", "contained", "partial", "paraphrase",
                  "translation", "same_story"].map((relation) => {
          const box = document.createElement("div");
          box.className = "graph";
          box.innerHTML = `<svg><path class="edge ${relation}" d="M0,0 L9,9"></path></svg>`;
          document.body.append(box);
          const stroke = getComputedStyle(box.querySelector("path")).stroke;
          box.remove();
          return [relation, stroke];
        })"""
    )
    assert all(stroke not in ("none", "") for _, stroke in strokes), strokes
    assert len({stroke for _, stroke in strokes}) == len(strokes)


def test_the_provenance_arrow_points_from_000_to_001_with_its_reasons(
    page: Session, seeds_report: Seeds
) -> None:
    match = seeds_report.match("000", "001")
    assert match["source"] == seeds_report.ids["000"]
    story = next(s for s in seeds_report.stories if seeds_report.ids["001"] in s["members"])
    page.show(f"story/{story['story']}")
    edge = page.page.locator(f".edge[data-source='{seeds_report.ids['000']}']")
    assert edge.count() == 1
    assert edge.get_attribute("marker-end") == "url(#arrow-near_duplicate)"
    # the arrow's head is at the copy: the path ends at the copy's box
    ends = page.evaluate(
        """(ids) => {
          const path = document.querySelector(`.edge[data-source="${ids[0]}"]`);
          const end = path.getPointAtLength(path.getTotalLength());
          const box = (id) => document.querySelector(`.node[data-id="${id}"] rect`).getBBox();
          const near = (b) => end.x >= b.x - 1 && end.x <= b.x + b.width + 1
            && end.y >= b.y - 1 && end.y <= b.y + b.height + 1;
          return [near(box(ids[0])), near(box(ids[1]))];
        }""",
        [seeds_report.ids["000"], seeds_report.ids["001"]],
    )
    assert ends == [False, True]
    edge.focus()
    page.page.keyboard.press("Enter")  # the keyboard opens it as a click does
    info = page.page.locator(".edgeinfo").inner_text()
    assert f"{seeds_report.ids['000']} → {seeds_report.ids['001']}" in info
    for reason in match["provenance_reasons"]:
        assert reason in info


def test_sentences_of_reports_of_one_story_are_said_alike_not_rewritten(
    page: Session, seeds_report: Seeds
) -> None:
    # a new user read an independent report's sentence pairs, labelled "rewritten", as
    # evidence of a rewrite
    short = {full: name for name, full in seeds_report.ids.items()}
    match = next(
        row
        for row in seeds_report.matches
        if row["relation"] in ("same_story", "partial")
        and all(p["kind"] == "paraphrase" for p in row["passages"])
        and row["passages"]
    )  # 002 ~ 003: same_story, three sentence pairs alike
    _pair(page, seeds_report, short[match["a"]], short[match["b"]])
    chips = page.page.locator("button.psg-chip")
    labels = [chips.nth(index).inner_text() for index in range(chips.count())]
    assert labels and all("alike" in label and "rewritten" not in label for label in labels)
    assert "alike sentence pairs" in page.page.locator(".pairhead").inner_text()
    assert "rewritten" not in page.page.locator(".legend").inner_text()


def test_the_rewrite_shows_rewritten_sentence_pairs(page: Session, seeds_report: Seeds) -> None:
    match = seeds_report.match("000", "002")
    assert match["relation"] == "paraphrase"
    _pair(page, seeds_report, "000", "002")
    rewritten = [p for p in match["passages"] if p["kind"] == "paraphrase"]
    assert len(rewritten) >= 3
    for side in ("a", "b"):
        marks = page.evaluate(_MARKS, side)
        text = seeds_report.texts[match[side][:3]]
        for index, passage in enumerate(match["passages"]):
            start, end = passage[f"{side}_start"], passage[f"{side}_end"]
            assert marks[str(index)]["text"] == text[start:end]
            kind = "verbatim" if passage["kind"] == "verbatim" else "paraphrase"
            assert all(kind in classes.split() for classes in marks[str(index)]["classes"])
    # the two kinds differ by more than colour: fill and solid line, or dotted underline
    styles = page.evaluate(
        """() => ["verbatim", "paraphrase"].map((kind) => {
          const style = getComputedStyle(document.querySelector(`mark.${kind}`));
          return [style.borderBottomStyle, style.textDecorationStyle];
        })"""
    )
    assert styles == [["solid", "solid"], ["none", "dotted"]]


def test_words_a_passage_does_not_share_are_marked_inside_it(
    page: Session, seeds_report: Seeds
) -> None:
    match = seeds_report.match("000", "002")
    _pair(page, seeds_report, "000", "002")
    for side in ("a", "b"):
        changed = page.evaluate(
            """(side) => [...document.querySelectorAll(`mark.changed[data-side="${side}"]`)]
              .map((mark) => [mark.textContent, getComputedStyle(mark).fontWeight])""",
            side,
        )
        assert changed, side
        assert all(weight == "700" for _, weight in changed)
        # whole words of the text, and fewer than the passages hold: the kept ones stay plain
        text = seeds_report.texts[match[side][:3]]
        assert all(word.strip() and word in text for word, _ in changed)
        kept = page.evaluate(
            """(side) => [...document.querySelectorAll(`mark.psg[data-side="${side}"]`)]
              .filter((mark) => !mark.classList.contains("changed")).length""",
            side,
        )
        assert kept > 0
    legend = page.evaluate("() => document.querySelector('.legend mark.changed').textContent")
    assert legend == "words not in its partner"
    evidence = match["derivation"]
    shown = page.evaluate("() => document.querySelector('dd.derivation').textContent")
    assert shown.startswith(f"ordered chain of {evidence['chain']} sentence")
    assert f"{evidence['facts_shared']} fact" in shown


def test_a_passage_leads_to_its_partner(page: Session, seeds_report: Seeds) -> None:
    _pair(page, seeds_report, "000", "002")
    first = page.page.locator("mark.paraphrase[data-side='a'][tabindex='0']").first
    index = (first.get_attribute("data-p") or "").split()[0]
    first.focus()
    page.page.keyboard.press("Enter")
    partner = page.page.locator(f"mark[data-side='b'][data-p~='{index}']").first
    assert "flash" in (partner.get_attribute("class") or "")
    page.page.wait_for_timeout(600)  # the smooth scroll
    assert partner.is_visible()
    inside = page.evaluate(
        """(index) => {
          const box = document.getElementById("side-b").getBoundingClientRect();
          const mark = document.querySelector(`mark[data-side="b"][data-p~="${index}"]`)
            .getBoundingClientRect();
          return mark.top >= box.top && mark.bottom <= box.bottom;
        }""",
        index,
    )
    assert inside


def test_documents_table_sorts_and_filters(page: Session, seeds_report: Seeds) -> None:
    page.show("documents")
    ids = "() => [...document.querySelectorAll('tbody td:first-child')].map((c) => c.textContent)"
    assert sorted(page.evaluate(ids)) == sorted(seeds_report.ids.values())
    page.page.fill("input[type=search]", "002_")
    assert page.evaluate(ids) == [seeds_report.ids["002"]]
    page.page.fill("input[type=search]", "")
    page.page.select_option("select", "near_duplicate")
    assert sorted(page.evaluate(ids)) == [seeds_report.ids["000"], seeds_report.ids["001"]]
    page.page.select_option("select", "")
    page.page.click("th[data-key=id] button")
    ascending = page.evaluate(ids)
    assert ascending == sorted(ascending)
    page.page.click("th[data-key=id] button")
    assert page.evaluate(ids) == sorted(ascending, reverse=True)


def test_views_are_linkable_and_keyboard_reachable(page: Session, seeds_report: Seeds) -> None:
    focused = []
    for _ in range(3):  # the skip link, then the views
        page.page.keyboard.press("Tab")
        focused.append(page.evaluate("() => document.activeElement.getAttribute('href')"))
    assert focused == ["#view", "#overview", "#stories"]
    page.page.keyboard.press("Enter")
    page.wait_view("stories")
    assert page.page.url.endswith("#stories")
    page.show("groups/1")
    title = page.page.locator("h1").inner_text()
    assert title.startswith("Duplicate group #1")


def test_dark_theme_follows_the_reader(seeds_report: Seeds) -> None:
    with open_report(seeds_report.report, dark=True) as session:
        theme = session.evaluate("() => document.documentElement.dataset.theme")
        background = session.evaluate("() => getComputedStyle(document.body).backgroundColor")
        session.page.click("#theme")
        light = session.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert theme == "dark"
    assert background != light
    assert session.errors == []


def test_a_screenshot_of_every_view(page: Session, seeds_report: Seeds, screenshots: Path) -> None:
    story = next(s for s in seeds_report.stories if len(s["members"]) == 4)["story"]
    views: dict[str, str | tuple[str, str]] = {
        "overview": "overview",
        "stories": "stories",
        "story": f"story/{story}",
        "pair-copy": ("000", "001"),
        "pair-rewrite": ("000", "002"),
        "documents": "documents",
        "groups": "groups",
    }
    for name, view in views.items():
        if isinstance(view, tuple):
            _pair(page, seeds_report, *view)
        else:
            page.show(view)
        path = screenshots / f"{name}.png"
        page.page.screenshot(path=str(path))
        assert path.stat().st_size > 10_000, name


def test_the_pair_lists_its_passages_with_their_similarity(
    page: Session, seeds_report: Seeds
) -> None:
    match = seeds_report.match("000", "002")
    _pair(page, seeds_report, "000", "002")
    chips = page.page.locator("button.psg-chip")
    assert chips.count() == len(match["passages"])
    for index, passage in enumerate(match["passages"]):
        label = chips.nth(index).inner_text()
        assert f"{passage['similarity']:.2f}" in label
        assert ("verbatim" if passage["kind"] == "verbatim" else "rewritten") in label
    chips.nth(0).click()
    flashed = page.evaluate(
        "() => [...document.querySelectorAll('mark.flash')].map((m) => m.dataset.side)"
    )
    assert set(flashed) == {"a", "b"}


def test_a_small_scan_lists_its_stories_instead_of_an_empty_chart(page: Session) -> None:
    page.show("overview")
    found = page.evaluate(
        "() => [document.querySelectorAll('.timeline svg').length, "
        "[...document.querySelectorAll('.timeline-list li')].map((item) => item.textContent)]"
    )
    charts, listed = found
    assert charts == 0  # one dated story: no chart of one dot
    assert len(listed) == 1 and "4 documents · first published 2021-08-10" in listed[0]


def test_story_nodes_say_what_is_known_never_dashes(page: Session, seeds_report: Seeds) -> None:
    story = next(s for s in seeds_report.stories if len(s["members"]) == 4)
    page.show(f"story/{story['story']}")
    lines = page.evaluate(
        "() => Object.fromEntries([...document.querySelectorAll('.graph .node')].map((node) => "
        "[node.dataset.id, node.querySelectorAll('text')[1].textContent]))"
    )
    assert len(lines) == 4
    for doc_id, line in lines.items():
        assert "–" not in line, (doc_id, line)
    assert lines[seeds_report.ids["002"]] == "2021-08-10"  # its date, found in the text


@contextmanager
def _pair_of(folder: Path, chosen: Callable[[Match], bool]) -> Iterator[tuple[Session, Match]]:
    """The report of a scan of ``folder`` (written beside it), open at its one chosen match."""
    out = folder.parent / "out"
    result = scan([folder])
    (match,) = [m for m in result.matches if chosen(m)]
    write_scan(result, out)
    with open_report(write_report(out).path) as session:
        session.show(f"pair/{match.a}~{match.b}")
        session.wait_pair(match.a, match.b)
        yield session, match


def test_an_arabic_text_reads_right_to_left_beside_an_english_one(tmp_path: Path) -> None:
    # the panes had no direction: Arabic was laid out left to right
    arabic = (
        "قالت وزارة الصحة إن عدد المصابين ارتفع إلى خمسين شخصا في المدينة بعد الفيضانات التي "
        "ضربت المنطقة يوم الثلاثاء، وإن فرق الإنقاذ ما زالت تبحث عن مفقودين في القرى المجاورة."
    )
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "ar.txt").write_text(arabic, "utf-8")
    # a copy whose page opens with a Latin label: "auto" read its first letter, left to right
    copy = "Navigation: Home > World\n" + arabic + "\nجميع الحقوق محفوظة"
    (folder / "ar-copy.txt").write_text(copy, "utf-8")
    with _pair_of(folder, lambda m: m.relation.is_copy) as (session, _):
        directions = session.evaluate(
            "() => ['side-a', 'side-b'].map((id) => "
            "getComputedStyle(document.getElementById(id)).direction)"
        )
    assert directions == ["rtl", "rtl"]
    assert session.errors == []


def test_a_translation_is_shown_as_translated_sentences(tmp_path: Path) -> None:
    # a translation's sentence pairs were listed as "rewritten", and every word of each was
    # marked as missing from its partner (the words of two languages)
    import shutil

    texts = Path(__file__).with_name("texts")
    folder = tmp_path / "texts"
    folder.mkdir()
    for name in ("crane-en", "crane-de"):
        shutil.copy(texts / f"{name}.txt", folder / f"{name}.txt")
    with _pair_of(folder, lambda m: m.relation.value == "translation") as (session, match):
        chips = session.evaluate(
            "() => [...document.querySelectorAll('.psg-chip')].map((c) => c.textContent)"
        )
        listed = session.evaluate("() => document.querySelector('.pairhead').textContent")
        changed = session.evaluate(
            "() => document.querySelectorAll('mark.changed:not(.swatch)').length"
        )
        # the legend called them "sentence said alike (no rewrite proved)"
        legend = session.evaluate("() => document.querySelector('.legend').textContent")
        # each side says its language, and so does the documents table of a corpus of two
        sides = session.evaluate(
            "() => [...document.querySelectorAll('.side h2')].map((h) => h.textContent)"
        )
        session.evaluate("() => { location.hash = '#documents'; }")
        headers = session.evaluate(
            "() => [...document.querySelectorAll('th')].map((th) => th.textContent.trim())"
        )
    assert chips and all(" · translated " in chip for chip in chips)
    assert f"{len(match.passages)} translated sentence pairs" in listed
    assert changed == 0
    assert "translated sentence" in legend and "said alike" not in legend
    assert any(" · de · " in side for side in sides) and any(" · en · " in side for side in sides)
    assert any(header.startswith("language") for header in headers)
    assert session.errors == []
