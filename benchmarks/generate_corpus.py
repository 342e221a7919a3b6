"""Generate a labelled benchmark corpus of news-length documents from real sentences.

The sentences come from the evaluation data in ``../shared/data`` (ECB+ articles, MSRP and STS-B
sentence pairs, Clough-Stevenson answers); the documents are random arrangements of them. About
15% of the documents are planted copies of another document (verbatim, edited, truncated, wrapped
in page noise, or with paragraphs reordered) and a truth file lists every planted pair.

    python benchmarks/generate_corpus.py                       # 100,000 docs
    python benchmarks/generate_corpus.py --docs 2000 --seed 7  # -> benchmarks/data/corpus-2000...

Output: JSONL (gzip when the name ends in ``.gz``) with ``id``, ``text``, ``outlet``,
``published``, and ``<stem>.truth.jsonl`` next to it: ``{"source": id, "copy": id, "kind": k}``.
The run is deterministic for a given ``--seed`` and ``--docs``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import io
import json
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from evaldata import ecbplus_documents

BENCH_DIR = Path(__file__).resolve().parent
DEFAULT_SHARED = Path(__file__).resolve().parents[2] / "shared"
DEFAULT_DOCS = 100_000
DEFAULT_COPY_SHARE = 0.15
DEFAULT_SEED = 20240611

KINDS: tuple[str, ...] = ("verbatim", "edited", "truncated", "noise", "reordered")

TARGET_CHARS = (2_200, 2_800)  # length range of an original document
MIN_WORDS = 6  # sentences with fewer words are dropped
MAX_SENTENCE_CHARS = 450  # very long "sentences" are usually broken splits; drop them
PARAGRAPHS = (3, 6)
EDIT_SHARE = (0.10, 0.20)  # share of sentences that get word edits in an `edited` copy
TRUNCATE_SHARE = (0.40, 0.70)  # share of characters kept by a `truncated` copy
NOISE_SHARE = (0.20, 0.60)  # noise length relative to the article in a `noise` copy
MAX_DELAY_DAYS = 3  # a copy is published 0..3 days after its source
FIRST_DATE = dt.date(2021, 1, 1)
DATE_SPAN_DAYS = 3 * 365

Doc = list[list[str]]  # paragraphs of sentences

# --------------------------------------------------------------------------------------------
# Sentence pool
# --------------------------------------------------------------------------------------------

_WORD_RE = re.compile(r"\w+")
_TERMINAL_RE = re.compile(r"[.!?][\"'”’)\]]*$")
_URLISH_RE = re.compile(r"https?\b|www\.|\.com\b|\.org\b|\.html?\b|@", re.IGNORECASE)
_SPLIT_RE = re.compile(r"(?<=[.!?])[\"'”’)]?\s+(?=[\"“‘(]?[A-Z0-9])")


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def ecb_sentences(root: Path) -> Iterator[str]:
    """Sentences of every ECB+ article under ``root`` (``<topic>/*.xml``)."""
    for document in ecbplus_documents(root):
        yield from document.text.split("\n")


_FIXES = (
    (re.compile(r"(?<=\w) - (?=\w)"), "-"),  # "first - degree" -> "first-degree"
    (re.compile(r"(?<=\d)\. (?=\d)"), "."),  # "39. 9 million" -> "39.9 million"
    (re.compile(r"\b([ap])\. m\."), r"\1.m."),  # "p. m." -> "p.m."
    (re.compile(r"(?<=s) ' "), "' "),  # "Victims ' relatives" -> "Victims' relatives"
)


def tidy(sentence: str) -> str:
    """Collapse whitespace, repair a few tokenisation leftovers, capitalise the first letter."""
    sentence = " ".join(sentence.split())
    for pattern, replacement in _FIXES:
        sentence = pattern.sub(replacement, sentence)
    return sentence[:1].upper() + sentence[1:]


def msrp_sentences(path: Path) -> Iterator[str]:
    """Both strings of every MSRP pair (tab-separated, no header)."""
    for line in _read_text(path).splitlines():
        parts = line.split("\t")
        if len(parts) >= 5 and parts[0].strip() in {"0", "1"}:
            yield parts[3]
            yield parts[4]


def sts_sentences(folder: Path) -> Iterator[str]:
    """Both sentences of every STS-B pair (columns 6 and 7; some lines carry extra columns)."""
    for path in sorted(folder.glob("sts-*.csv")):
        for line in _read_text(path).splitlines():
            parts = line.split("\t")
            if len(parts) >= 7:
                yield parts[5]
                yield parts[6]


def clough_sentences(folder: Path) -> Iterator[str]:
    """Clough-Stevenson answers and sources, re-flowed and split into sentences."""
    for path in sorted(folder.glob("*.txt")):
        text = " ".join(_read_text(path).split())
        yield from _SPLIT_RE.split(text)


def load_pool(shared: Path) -> list[str]:
    """Deduplicated, filtered sentence pool in a deterministic order."""
    data = shared / "data"
    sources: list[tuple[str, Iterable[str]]] = [
        ("ECB+", ecb_sentences(data / "ecbplus-dev" / "ECB+")),
        ("MSRP", msrp_sentences(data / "msrp" / "msr_paraphrase_train.txt")),
        ("STS-B", sts_sentences(data / "stsbenchmark")),
        ("Clough-Stevenson", clough_sentences(data / "clough-stevenson")),
    ]
    seen: set[str] = set()
    pool: list[str] = []
    for name, sentences in sources:
        try:
            for raw in sentences:
                sentence = tidy(raw)
                if (
                    len(sentence.split()) < MIN_WORDS
                    or len(sentence) > MAX_SENTENCE_CHARS
                    or not _TERMINAL_RE.search(sentence)
                    or _URLISH_RE.search(sentence)
                ):
                    continue
                key = " ".join(_WORD_RE.findall(sentence.lower()))
                if key in seen:
                    continue
                seen.add(key)
                pool.append(sentence)
        except FileNotFoundError as exc:
            print(f"warning: {name} not found ({exc.filename}); skipped", file=sys.stderr)
    return pool


# --------------------------------------------------------------------------------------------
# Documents
# --------------------------------------------------------------------------------------------


def render(doc: Doc) -> str:
    return "\n\n".join(" ".join(paragraph) for paragraph in doc)


def make_original(rng: random.Random, pool: list[str]) -> Doc:
    target = rng.randint(*TARGET_CHARS)
    sentences: list[str] = []
    used: set[int] = set()
    length = 0
    while length < target:
        index = rng.randrange(len(pool))
        if index in used:
            continue
        used.add(index)
        sentences.append(pool[index])
        length += len(pool[index]) + 1
    n_par = min(rng.randint(*PARAGRAPHS), len(sentences))
    cuts = sorted(rng.sample(range(1, len(sentences)), n_par - 1)) if n_par > 1 else []
    bounds = [0, *cuts, len(sentences)]
    return [sentences[bounds[i] : bounds[i + 1]] for i in range(n_par)]


def _edit_sentence(rng: random.Random, sentence: str, vocab: list[str]) -> str:
    """Change, insert or delete one to three words (never the first or the last word)."""
    words = sentence.split()
    for _ in range(rng.randint(1, 3)):
        op = rng.choice(("change", "insert", "delete"))
        if op == "change":
            pos = rng.randrange(len(words))
            core = words[pos].rstrip(".,;:!?\"'”’)")
            tail = words[pos][len(core) :]
            new = rng.choice(vocab)
            words[pos] = (new.capitalize() if core[:1].isupper() else new) + tail
        elif op == "insert":
            words.insert(rng.randint(1, len(words) - 1), rng.choice(vocab))
        elif len(words) > MIN_WORDS:
            del words[rng.randint(1, len(words) - 2)]
    return " ".join(words)


def make_edited(rng: random.Random, doc: Doc, pool: list[str], vocab: list[str]) -> Doc:
    out = [list(paragraph) for paragraph in doc]
    slots = [(p, s) for p, paragraph in enumerate(out) for s in range(len(paragraph))]
    n_edit = max(1, round(rng.uniform(*EDIT_SHARE) * len(slots)))
    for p, s in rng.sample(slots, min(n_edit, len(slots))):
        out[p][s] = _edit_sentence(rng, out[p][s], vocab)
    removable = [(p, s) for p, s in slots if len(out[p]) > 1]
    if removable and rng.random() < 0.5:
        p, s = rng.choice(removable)
        del out[p][s]
    else:
        p = rng.randrange(len(out))
        out[p].insert(rng.randint(0, len(out[p])), rng.choice(pool))
    return out


def make_truncated(rng: random.Random, doc: Doc) -> Doc:
    """Keep the first 40-70% of the characters, cut at the sentence end nearest the target."""
    total = len(render(doc))
    target = rng.uniform(*TRUNCATE_SHARE) * total
    ends: list[tuple[int, int, int]] = []  # (chars so far, paragraph, sentence)
    length = 0
    for p, paragraph in enumerate(doc):
        for s, sentence in enumerate(paragraph):
            length += len(sentence) + (0 if (p, s) == (0, 0) else (1 if s else 2))
            ends.append((length, p, s))
    low, high = TRUNCATE_SHARE[0] * total, TRUNCATE_SHARE[1] * total
    inside = [end for end in ends[:-1] if low <= end[0] <= high] or ends[:-1] or ends
    _, last_p, last_s = min(inside, key=lambda end: abs(end[0] - target))
    return [list(paragraph) for paragraph in doc[:last_p]] + [doc[last_p][: last_s + 1]]


def make_reordered(rng: random.Random, doc: Doc) -> Doc:
    order = list(range(len(doc)))
    if len(order) > 1:
        while order == sorted(order):
            rng.shuffle(order)
    return [list(doc[i]) for i in order]


# --------------------------------------------------------------------------------------------
# Page noise (generated from templates with random variation)
# --------------------------------------------------------------------------------------------

NAV_ITEMS = (
    "Home",
    "World",
    "Politics",
    "Business",
    "Markets",
    "Tech",
    "Science",
    "Health",
    "Sport",
    "Culture",
    "Opinion",
    "Entertainment",
    "Travel",
    "Lifestyle",
    "Video",
    "Podcasts",
    "Weather",
    "Local",
    "Climate",
    "Education",
    "Money",
    "Arts",
    "Books",
    "Obituaries",
)
NAV_EXTRAS = (
    "Skip to main content",
    "Menu",
    "Search",
    "Sign in",
    "Subscribe",
    "Log in",
    "Today's paper",
    "Live",
    "Newsletters",
    "Edition: International",
)
NAV_SEPARATORS = (" | ", " · ", " • ", " / ", "  ")
COOKIE_OPENERS = (
    "We use cookies",
    "This site uses cookies",
    "Our website uses cookies",
    "We and our partners use cookies and similar technologies",
    "This website stores cookies on your device",
)
COOKIE_PURPOSES = (
    "to improve your experience",
    "to personalise content and ads",
    "to analyse our traffic",
    "to provide social media features",
    "to remember your preferences",
    "to measure the performance of our advertising",
    "to keep the site secure",
)
COOKIE_CONSENTS = (
    "By continuing to browse, you agree to our use of cookies.",
    'Click "Accept" to consent, or "Manage settings" to choose which cookies we may use.',
    "You can change your choices at any time in Privacy Settings.",
    'By clicking "I agree", you consent to this use of cookies.',
    "See our Cookie Policy for details.",
    "You can withdraw your consent at any time.",
)
COOKIE_BUTTONS = (
    "Accept all",
    "Reject all",
    "Manage preferences",
    "I agree",
    "Cookie settings",
    "OK",
    "Got it",
    "Learn more",
)
RELATED_HEADERS = (
    "Read more:",
    "Related",
    "Related stories",
    "More on this story",
    "You may also like",
    "Most read",
    "Recommended for you",
    "Trending now",
)
RELATED_BULLETS = ("", "- ", "• ", "» ", "> ")
NEWSLETTER_NAMES = (
    "Morning",
    "Daily",
    "Weekend",
    "Breaking News",
    "Politics",
    "Business",
    "Evening",
    "First Edition",
)
NEWSLETTER_LINES = (
    "Sign up for the {name} newsletter{when}.",
    "Get our {name} briefing in your inbox{when}.",
    "Subscribe to {name}: the news you need{when}.",
    "Don't miss the {name} email{when}.",
)
NEWSLETTER_WHEN = ("", " every morning", " each weekday", " — it's free", " once a week")
NEWSLETTER_FORMS = ("Enter your email address", "Your email", "Email address")
NEWSLETTER_BUTTONS = ("Sign up", "Subscribe", "Sign me up", "Join now")
SHARE_HEADERS = ("Share this article", "Share", "Share this story", "Share on")
SHARE_PLATFORMS = (
    "Facebook",
    "Twitter",
    "X",
    "LinkedIn",
    "WhatsApp",
    "Email",
    "Copy link",
    "Reddit",
    "Print",
)
FIRST_NAMES = (
    "Anna",
    "James",
    "Maria",
    "David",
    "Sofia",
    "Peter",
    "Laura",
    "Omar",
    "Chen",
    "Fatima",
    "John",
    "Elena",
    "Lucas",
    "Amira",
    "Tom",
)
LAST_NAMES = (
    "Smith",
    "Garcia",
    "Müller",
    "Rossi",
    "Kowalski",
    "Nakamura",
    "Okafor",
    "Dubois",
    "Jensen",
    "Silva",
    "Brown",
    "Novak",
    "Haddad",
    "Kim",
    "Walsh",
)
AGENCIES = (
    "Reuters",
    "AP",
    "AFP",
    "Getty Images",
    "EPA",
    "Shutterstock",
    "PA Images",
    "Bloomberg",
    "Alamy",
)
TRAILER_LINKS = (
    "About us",
    "Contact",
    "Privacy Policy",
    "Terms of Use",
    "Advertise",
    "Careers",
    "Cookie Policy",
    "Accessibility",
    "Corrections",
    "Help",
    "Sitemap",
    "Complaints",
)
TRAILER_NOTES = (
    "All rights reserved.",
    "This material may not be published, broadcast, rewritten or redistributed.",
    "Reproduction without permission is prohibited.",
    "Registered in England and Wales.",
    "Part of the {group} group.",
)


def _nav(rng: random.Random) -> str:
    sep = rng.choice(NAV_SEPARATORS)
    items = rng.sample(NAV_ITEMS, rng.randint(5, 10))
    extras = rng.sample(NAV_EXTRAS, rng.randint(0, 3))
    lines = [sep.join(items)]
    if extras:
        lines.insert(rng.randint(0, 1), sep.join(extras))
    return "\n".join(lines)


def _cookie(rng: random.Random) -> str:
    purposes = rng.sample(COOKIE_PURPOSES, rng.randint(1, 3))
    joined = (
        purposes[0] if len(purposes) == 1 else ", ".join(purposes[:-1]) + " and " + purposes[-1]
    )
    text = f"{rng.choice(COOKIE_OPENERS)} {joined}. " + " ".join(
        rng.sample(COOKIE_CONSENTS, rng.randint(1, 2))
    )
    buttons = rng.sample(COOKIE_BUTTONS, rng.randint(2, 3))
    return text + "\n" + rng.choice(("  ", " | ", "\n")).join(buttons)


def _headline(rng: random.Random, pool: list[str]) -> str:
    words = rng.choice(pool).split()
    head = " ".join(words[: rng.randint(6, 12)]).rstrip(".,;:!?\"'”’ ")
    return head[:1].upper() + head[1:]


def _related(rng: random.Random, pool: list[str], count: int) -> str:
    bullet = rng.choice(RELATED_BULLETS)
    numbered = not bullet and rng.random() < 0.3
    lines = [rng.choice(RELATED_HEADERS)]
    for i in range(count):
        prefix = f"{i + 1}. " if numbered else bullet
        lines.append(prefix + _headline(rng, pool))
    return "\n".join(lines)


def _newsletter(rng: random.Random) -> str:
    line = rng.choice(NEWSLETTER_LINES).format(
        name=rng.choice(NEWSLETTER_NAMES), when=rng.choice(NEWSLETTER_WHEN)
    )
    return f"{line}\n{rng.choice(NEWSLETTER_FORMS)}  {rng.choice(NEWSLETTER_BUTTONS)}"


def _share(rng: random.Random) -> str:
    platforms = rng.sample(SHARE_PLATFORMS, rng.randint(3, 6))
    return rng.choice(SHARE_HEADERS) + rng.choice((": ", "\n", " ")) + " ".join(platforms)


def _credit(rng: random.Random) -> str:
    name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    agency = rng.choice(AGENCIES)
    return rng.choice(
        (
            f"Photo: {name}/{agency}",
            f"(Photo by {name} / {agency})",
            f"Image: {agency}",
            f"{name} / {agency}",
            f"Photograph: {name}/{agency}",
        )
    )


def _trailer(rng: random.Random, outlet: str, year: int) -> str:
    links = rng.sample(TRAILER_LINKS, rng.randint(4, 8))
    notes = " ".join(
        n.format(group=outlet.removeprefix("The "))
        for n in rng.sample(TRAILER_NOTES, rng.randint(1, 2))
    )
    copyright_line = rng.choice(
        (f"© {year} {outlet}.", f"Copyright © {outlet} {year}.", f"© {outlet} {year}.")
    )
    return rng.choice(NAV_SEPARATORS).join(links) + f"\n{copyright_line} {notes}"


def make_noise(
    rng: random.Random, doc: Doc, pool: list[str], outlet: str, year: int
) -> tuple[str, int]:
    """Wrap the article in page noise; returns the page text and the noise length in chars."""
    article = [" ".join(paragraph) for paragraph in doc]
    article_chars = sum(len(p) for p in article)
    target = rng.uniform(*NOISE_SHARE) * article_chars
    head: list[str] = [_nav(rng)]
    tail: list[str] = []
    optional = [
        ("cookie", _cookie(rng)),
        ("credit", _credit(rng)),
        ("share", _share(rng)),
        ("newsletter", _newsletter(rng)),
    ]
    rng.shuffle(optional)
    trailer = _trailer(rng, outlet, year)
    used = len(head[0]) + len(trailer)
    inline: str | None = None
    for name, block in optional:
        if used + len(block) > target * 0.6:
            continue
        used += len(block)
        if name == "cookie":
            (head if rng.random() < 0.6 else tail).append(block)
        elif name == "credit":
            head.append(block)
        elif name == "share":
            (head if rng.random() < 0.5 else tail).insert(0, block)
        else:
            tail.append(block)
    if len(article) > 1 and rng.random() < 0.3:
        inline = rng.choice(("Read more: ", "READ MORE: ", "Related: ", "See also: "))
        inline += _headline(rng, pool)
        used += len(inline)
    related_lines: list[str] = []
    while used < target or len(related_lines) < 2:
        related_lines.append(_headline(rng, pool))
        used += len(related_lines[-1]) + 3
    related = _related(rng, pool, 0) + "\n" + "\n".join(related_lines)
    tail.insert(rng.randint(0, len(tail)), related)
    tail.append(trailer)
    body = list(article)
    if inline is not None:
        body.insert(rng.randint(1, len(body) - 1), inline)
    parts = head + body + tail
    text = "\n\n".join(parts)
    return text, len(text) - len("\n\n".join(article))


# --------------------------------------------------------------------------------------------
# Corpus
# --------------------------------------------------------------------------------------------


def make_outlets(rng: random.Random, count: int = 50) -> list[str]:
    places = (
        "Northfield",
        "Riverside",
        "Lakeview",
        "Eastport",
        "Westbrook",
        "Harbor City",
        "Milltown",
        "Fairhaven",
        "Redcliff",
        "Stonebridge",
        "Kingsley",
        "Ashford",
        "Bayside",
        "Greenvale",
        "Highmoor",
        "Clearwater",
        "Oakridge",
        "Silverton",
    )
    titles = (
        "Herald",
        "Tribune",
        "Post",
        "Observer",
        "Chronicle",
        "Gazette",
        "Courier",
        "Times",
        "Ledger",
        "Dispatch",
        "Sentinel",
        "Record",
        "Journal",
        "Standard",
        "Examiner",
        "Monitor",
        "Bulletin",
        "Express",
        "Star",
        "News",
    )
    wires = (
        "Daily Wire Service",
        "Global News Network",
        "Metro Newsdesk",
        "Continental Press",
        "Newsline Today",
        "The Morning Brief",
        "Capital Report",
        "Open Press Agency",
    )
    names: list[str] = []
    seen: set[str] = set()
    for name in rng.sample(wires, 5):
        names.append(name)
        seen.add(name)
    while len(names) < count:
        name = f"{rng.choice(('', 'The '))}{rng.choice(places)} {rng.choice(titles)}"
        if name.removeprefix("The ") not in seen:
            seen.add(name.removeprefix("The "))
            names.append(name)
    return names


def default_out(docs: int) -> Path:
    return BENCH_DIR / "data" / f"corpus-{docs}.jsonl.gz"


def truth_path(out: Path) -> Path:
    name = out.name
    for suffix in (".gz", ".jsonl", ".json"):
        name = name.removesuffix(suffix)
    return out.with_name(f"{name}.truth.jsonl")


def _open_out(path: Path, name: str) -> IO[str]:
    """Text writer for ``path``; gzip (fixed header: byte-identical reruns) if ``name`` ends .gz."""
    if not name.endswith(".gz"):
        return path.open("w", encoding="utf-8")
    raw = path.open("wb")
    packed = gzip.GzipFile(filename=name, mode="wb", fileobj=raw, compresslevel=4, mtime=0)
    return _ClosingText(packed, raw)


class _ClosingText(io.TextIOWrapper):
    """UTF-8 text over a GzipFile that also closes the underlying file."""

    def __init__(self, packed: gzip.GzipFile, raw: IO[bytes]) -> None:
        super().__init__(packed, encoding="utf-8")
        self._raw = raw

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._raw.close()


@dataclass
class CorpusInfo:
    out: Path
    truth: Path
    docs: int
    originals: int
    copies: int
    kinds: dict[str, int]
    originals_with_copies: int
    originals_with_several_copies: int
    pool_sentences: int
    mean_chars: int
    mean_noise_share: float | None
    bytes: int
    seconds: float
    seed: int


def generate(shared: Path, out: Path, docs: int, copy_share: float, seed: int) -> CorpusInfo:
    started = time.perf_counter()
    pool = load_pool(shared)
    if len(pool) < 1_000:
        raise SystemExit(
            f"only {len(pool)} sentences found under {shared / 'data'}; "
            "pass --shared pointing at the shared folder"
        )
    vocab = sorted(
        {w for s in pool for w in s.split() if w.isalpha() and w.islower() and len(w) >= 3}
    )
    master = random.Random(seed)
    n_copy = round(docs * copy_share)
    n_orig = docs - n_copy
    if n_orig < 1 or n_copy < 0:
        raise SystemExit("--copy-share must leave at least one original document")
    outlets = make_outlets(master)
    orig_outlet = [master.randrange(len(outlets)) for _ in range(n_orig)]
    orig_day = [master.randrange(DATE_SPAN_DAYS) for _ in range(n_orig)]
    kinds = [KINDS[i % len(KINDS)] for i in range(n_copy)]
    master.shuffle(kinds)
    copy_src = [master.randrange(n_orig) for _ in range(n_copy)]
    copy_outlet: list[int] = []
    copy_day: list[int] = []
    for j in range(n_copy):
        src_outlet = orig_outlet[copy_src[j]]
        outlet = master.randrange(len(outlets) - 1)
        copy_outlet.append(outlet + 1 if outlet >= src_outlet else outlet)
        copy_day.append(orig_day[copy_src[j]] + master.randint(0, MAX_DELAY_DAYS))
    order = list(range(docs))  # 0..n_orig-1 originals, n_orig.. copies
    master.shuffle(order)
    width = max(6, len(str(docs - 1)))
    doc_id = [""] * docs
    for position, index in enumerate(order):
        doc_id[index] = f"d{position:0{width}d}"

    def original(k: int) -> Doc:
        return make_original(random.Random(f"{seed}/original/{k}"), pool)

    out.parent.mkdir(parents=True, exist_ok=True)
    truth_file = truth_path(out)
    tmp_out = out.with_name(out.name + ".part")
    noise_share: list[float] = []
    chars = 0
    with _open_out(tmp_out, out.name) as handle:
        for index in order:
            if index < n_orig:
                text = render(original(index))
                outlet, day = orig_outlet[index], orig_day[index]
            else:
                j = index - n_orig
                rng = random.Random(f"{seed}/copy/{j}")
                source = original(copy_src[j])
                outlet, day = copy_outlet[j], copy_day[j]
                kind = kinds[j]
                if kind == "verbatim":
                    text = render(source)
                elif kind == "edited":
                    text = render(make_edited(rng, source, pool, vocab))
                elif kind == "truncated":
                    text = render(make_truncated(rng, source))
                elif kind == "reordered":
                    text = render(make_reordered(rng, source))
                else:
                    year = (FIRST_DATE + dt.timedelta(days=day)).year
                    text, noise_chars = make_noise(rng, source, pool, outlets[outlet], year)
                    noise_share.append(noise_chars / max(1, len(render(source))))
            chars += len(text)
            record = {
                "id": doc_id[index],
                "text": text,
                "outlet": outlets[outlet],
                "published": (FIRST_DATE + dt.timedelta(days=day)).isoformat(),
            }
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    tmp_out.replace(out)
    truth = sorted((doc_id[n_orig + j], doc_id[copy_src[j]], kinds[j]) for j in range(n_copy))
    with truth_file.open("w", encoding="utf-8") as handle:
        for copy_id, source_id, kind in truth:
            handle.write(json.dumps({"source": source_id, "copy": copy_id, "kind": kind}) + "\n")
    per_source = Counter(copy_src)
    return CorpusInfo(
        out=out,
        truth=truth_file,
        docs=docs,
        originals=n_orig,
        copies=n_copy,
        kinds=dict(sorted(Counter(kinds).items())),
        originals_with_copies=len(per_source),
        originals_with_several_copies=sum(1 for c in per_source.values() if c > 1),
        pool_sentences=len(pool),
        mean_chars=round(chars / max(1, docs)),
        mean_noise_share=round(sum(noise_share) / len(noise_share), 3) if noise_share else None,
        bytes=out.stat().st_size,
        seconds=round(time.perf_counter() - started, 2),
        seed=seed,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=DEFAULT_DOCS, help="number of documents")
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="output JSONL (.gz to compress); default benchmarks/data/corpus-<docs>.jsonl.gz",
    )
    parser.add_argument(
        "--shared",
        type=Path,
        default=DEFAULT_SHARED,
        help=f"shared folder holding data/ (default {DEFAULT_SHARED})",
    )
    parser.add_argument(
        "--copy-share",
        type=float,
        default=DEFAULT_COPY_SHARE,
        help="share of documents that are planted copies (default 0.15)",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    if args.docs < 2:
        parser.error("--docs must be at least 2")
    if not 0.0 <= args.copy_share < 1.0:
        parser.error("--copy-share must be in [0, 1)")
    out = args.out if args.out is not None else default_out(args.docs)
    info = generate(args.shared, out, args.docs, args.copy_share, args.seed)
    kinds = ", ".join(f"{kind} {count:,}" for kind, count in info.kinds.items())
    print(
        f"wrote {info.docs:,} documents ({info.originals:,} originals, {info.copies:,} planted "
        f"copies: {kinds}) to {info.out} ({info.bytes / 1e6:.1f} MB)"
    )
    print(
        f"  mean {info.mean_chars:,} chars/doc; sentence pool {info.pool_sentences:,}; "
        f"{info.originals_with_copies:,} originals copied, "
        f"{info.originals_with_several_copies:,} of them more than once; "
        f"mean noise share {info.mean_noise_share}"
    )
    print(f"wrote {info.copies:,} planted pairs to {info.truth}")
    print(f"took {info.seconds} s (seed {info.seed})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
