"""A development set of rewrites made from real articles by rules (issue 26, item 4).

Each chosen article of GVA dev (shooting reports) and ECB+ dev (news of 40 stories) is
rewritten sentence by sentence the way a content farm spins a wire story, by a seeded choice
of techniques:

- **synonyms**: common words and phrases of news prose swapped for others ("said" -> "told
  reporters", "after" -> "following", "police" -> "officers"); names, numbers and quotes are
  never touched, so the particular facts stay where they were;
- **clauses**: an attribution moved to the front ("X, police said." -> "Police said X.");
- **split** a long sentence at ", and" / ";" and **merge** two short ones;
- **drop** some sentences (never the first) and **add local** ones (a few generic lines of a
  local site: "Residents of the area said ...");
- and last, every run of 8 or more words still shared with the original is broken (a filler
  word inserted in it), so no rewrite keeps an 8-word verbatim stretch: the copy and passage
  stages cannot find it, only the paraphrase stage can.

The negatives are the **independent reports**: the other articles of the same gold story
(ECB+ story, GVA incident) that share no verbatim passage with the original (a scan decides),
paired with the original and with its rewrite; and every pair of different stories. Scanned
together, one corpus per source, the figures are the rewrites found as ``paraphrase`` (or
another reuse relation) and the independent reports called ``paraphrase``.

    python benchmarks/rewrite_set.py                  # both sources, a table each
    python benchmarks/rewrite_set.py --show 3         # and three rewrites beside their original
    python benchmarks/rewrite_set.py --json out.json  # the figures and every pair's evidence

The texts are publishers' (research use only): they are made at run time from
``../shared/data`` and never written into the repository.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from stories_quality import Article, ecbplus_articles, gva_articles, scanned

from wiretrace import ScanConfig
from wiretrace.records import Match

DEFAULT_SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = 20261202
MAX_RUN = 7  # the longest run of words a rewrite may share with its original
REUSE = frozenset({"exact", "near_duplicate", "contained", "partial", "paraphrase"})

# news prose's common words and phrases, each with what a spinner writes instead
_SYNONYMS_TEXT = """
said: told reporters | stated | explained
says: states | explains
told: informed | said to
according to: citing | as reported by
police: officers | authorities | law enforcement
officials: authorities | representatives
authorities: officials
officers: police | deputies
after: following | in the wake of
before: prior to | ahead of
about: around | roughly
more than: over | in excess of
at least: no fewer than | a minimum of
killed: slain | left dead
died: passed away | lost their life
dead: deceased
injured: wounded | hurt
wounded: injured | hurt
shooting: gunfire incident | shooting incident
shot: gunned down | hit by gunfire
arrested: taken into custody | detained
charged: accused
suspect: alleged assailant | person of interest
victim: person harmed
victims: those harmed
man: male | individual
woman: female | individual
people: individuals | persons
home: residence | house
house: residence | home
car: vehicle | automobile
vehicle: car
hospital: medical center | infirmary
found: discovered | located
began: started | commenced
started: began
called: summoned | rang
responded: answered | reacted
investigation: probe | inquiry
investigating: looking into | probing
investigate: look into | probe
several: a number of | multiple
many: numerous | plenty of
also: additionally | as well
however: but | nonetheless
because: since | as
help: assist | aid
show: reveal | indicate
showed: revealed | indicated
identified: named
attack: assault
area: vicinity | neighborhood
near: close to | nearby
early: in the early hours of
night: evening
morning: forenoon
large: big | sizeable
big: large | major
small: little | minor
new: fresh | recent
first: initial
last: previous | final
later: subsequently | afterward
during: throughout | amid
while: whereas | as
around: about | approximately
announced: revealed | made public
reported: stated | said
company: firm | business
government: administration | authorities
agreed: consented
plans: intends
want: wish
wanted: wished
building: structure | premises
city: municipality | town
street: road
earthquake: quake | tremor
fire: blaze
storm: tempest
including: among them | such as
because of: due to | owing to
due to: because of | owing to
as well as: along with | together with
child: youngster | kid
children: kids | youngsters
boy: youngster | young boy
girl: young girl | youngster
family: relatives | loved ones
father: dad
mother: mom
wife: spouse
husband: spouse
gun: firearm | weapon
weapon: firearm | gun
bullet: round
bullets: rounds
scene: location | site
residents: locals | inhabitants
neighbors: people living nearby
community: neighborhood
fired: discharged | let off
shots: rounds | gunshots
incident: episode | event
crime: offense
believed: thought
believe: think
confirmed: verified
remains: is still
tried: attempted
received: got | was given
need: require
needs: requires
used: utilized | employed
enough: sufficient
important: significant | key
major: significant | key
recently: lately | not long ago
currently: at present | right now
went: headed
took: grabbed
"""


def _synonyms() -> tuple[re.Pattern[str], dict[str, list[str]]]:
    """One pattern for every word and phrase of the table (the longest first, so "more than"
    wins over a shorter entry; one pass, so a replacement is never replaced again)."""
    table: dict[str, list[str]] = {}
    for line in _SYNONYMS_TEXT.strip().splitlines():
        word, _, others = line.partition(":")
        table[word.strip().casefold()] = [other.strip() for other in others.split("|")]
    alternatives = "|".join(re.escape(word) for word in sorted(table, key=lambda w: -len(w)))
    # never inside a hyphenated word ("3-year-old")
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE), table


SYNONYM, SYNONYMS = _synonyms()
LOCAL = (
    "Residents of the area said they had not expected anything like it.",
    "Check back with this site for updates as the story develops.",
    "Neighbors gathered outside as the afternoon went on, several of them visibly shaken.",
    "Our newsroom reached out for further comment but had not heard back by publication.",
    "The news spread quickly on local social media, where many shared their reactions.",
    "Local leaders are expected to address the matter at their next public meeting.",
)
FILLERS = ("also", "then", "reportedly", "indeed", "apparently", "still")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’]?\s+(?=[\"“A-Z0-9])")
_QUOTE = re.compile(r"[\"“][^\"”]*[\"”]")
_WORD = re.compile(r"\w+")
_ATTRIBUTION = re.compile(
    r"^(?P<body>[^\"“”]{30,}?),\s+(?P<who>(?:[A-Z][\w.'-]*\s){0,4}?(?:police|officials|"
    r"authorities|officers|he|she|they|[A-Z][\w.'-]*)\s+(?:said|says|told \w+))\.$"
)


def sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE_END.split(" ".join(text.split())) if part.strip()]


def _keep_case(original: str, replacement: str) -> str:
    return replacement[:1].upper() + replacement[1:] if original[:1].isupper() else replacement


def _outside_quotes(sentence: str) -> list[tuple[int, int]]:
    """The spans of ``sentence`` outside its quotes (which are never reworded)."""
    spans, start = [], 0
    for quote in _QUOTE.finditer(sentence):
        spans.append((start, quote.start()))
        start = quote.end()
    spans.append((start, len(sentence)))
    return spans


def synonyms(sentence: str, chooser: random.Random, share: float = 0.85) -> str:
    """Words of the table outside quotes swapped, each with chance ``share``; a capitalised
    word only at the start of the sentence (elsewhere it may be a name: "Mother Jones")."""

    def swap(found: re.Match[str]) -> str:
        word = found.group(0)
        if (word[:1].isupper() and found.start() > 0) or chooser.random() >= share:
            return word
        return _keep_case(word, chooser.choice(SYNONYMS[word.casefold()]))

    pieces = []
    for start, end in _outside_quotes(sentence):
        pieces.append(
            SYNONYM.sub(swap, sentence[start:end])
            if start == 0
            else SYNONYM.sub(swap, " " + sentence[start:end])[1:]
        )
        if end < len(sentence):
            quote = _QUOTE.match(sentence, end)
            pieces.append(quote.group(0) if quote else "")
    return "".join(pieces)


def move_attribution(sentence: str) -> str:
    """ "X, police said." -> "Police said X." (only where the shape is plain)."""
    found = _ATTRIBUTION.match(sentence)
    if found is None:
        return sentence
    body = found.group("body")
    body = (
        body[:1].lower() + body[1:] if not body.split()[0].isupper() and body[:2] != "I " else body
    )
    who = found.group("who")
    return f"{who[:1].upper()}{who[1:]} that {body}."


def split(sentence: str) -> list[str]:
    for mark in ("; ", ", and ", ", but "):
        at = sentence.find(mark, 40)
        if 0 < at < len(sentence) - 40 and '"' not in sentence and "“" not in sentence:
            first = sentence[:at].rstrip(",;") + "."
            rest = sentence[at + len(mark) :]
            return [first, rest[:1].upper() + rest[1:]]
    return [sentence]


def merge(first: str, second: str) -> str:
    if first.endswith(".") and not second.startswith(('"', "“")):
        return f"{first[:-1]}, and {second[:1].lower()}{second[1:]}"
    return f"{first} {second}"


def longest_run(first: Sequence[str], second: Sequence[str]) -> tuple[int, int, int]:
    """The longest run of equal words: (start in first, start in second, length)."""
    matcher = SequenceMatcher(None, first, second, autojunk=False)
    found = matcher.find_longest_match(0, len(first), 0, len(second))
    return found.a, found.b, found.size


def _breakable(words: Sequence[re.Match[str]], text: str, index: int) -> bool:
    """Whether a filler may go before word ``index``: it and the word before it are plain
    lower-case words (not inside a name, a number or a hyphenated word)."""
    if index == 0:
        return False
    before, word = words[index - 1], words[index]
    gap = text[before.end() : word.start()]
    return (
        word.group(0).isalpha()
        and word.group(0).islower()
        and before.group(0).isalpha()
        and (gap == " ")
    )


def break_runs(original: str, rewritten: str, chooser: random.Random) -> str:
    """``rewritten`` with a filler word put inside every run of more than ``MAX_RUN`` words
    it shares with ``original``, between two plain words (never inside a name or a number)
    as near the run's middle as there is one."""
    source = [word.casefold() for word in _WORD.findall(original)]
    for _ in range(1000):
        words = list(_WORD.finditer(rewritten))
        _, at, size = longest_run(source, [word.group(0).casefold() for word in words])
        if size <= MAX_RUN:
            return rewritten
        inside = range(at + 1, at + size)
        places = [i for i in inside if _breakable(words, rewritten, i)] or list(inside)
        index = min(places, key=lambda i: (abs(i - (at + size // 2)), i))
        start = words[index].start()
        rewritten = f"{rewritten[:start]}{chooser.choice(FILLERS)} {rewritten[start:]}"
    raise RuntimeError("a run of shared words would not break")


@dataclass(frozen=True)
class Rewrite:
    original: Article
    text: str
    techniques: tuple[str, ...]


def rewrite(article: Article, chooser: random.Random) -> Rewrite:
    """The article spun by rules (see the module's docstring)."""
    techniques = ["synonyms"] + [
        name
        for name in ("clauses", "split", "merge", "drop", "add local")
        if chooser.random() < 0.5
    ]
    out = [synonyms(sentence, chooser) for sentence in sentences(article.text)]
    if "clauses" in techniques:
        out = [move_attribution(sentence) for sentence in out]
    if "split" in techniques:
        out = [part for sentence in out for part in split(sentence)]
    if "merge" in techniques:
        merged: list[str] = []
        for sentence in out:
            if merged and len(merged[-1]) < 90 and len(sentence) < 90 and chooser.random() < 0.5:
                merged[-1] = merge(merged[-1], sentence)
            else:
                merged.append(sentence)
        out = merged
    if "drop" in techniques and len(out) > 4:
        out = [out[0], *(sentence for sentence in out[1:] if chooser.random() >= 0.2)]
    if "add local" in techniques:
        for line in chooser.sample(LOCAL, 2):
            out.insert(chooser.randrange(1, len(out) + 1), line)
    paragraphs = [" ".join(out[start : start + 3]) for start in range(0, len(out), 3)]
    text = break_runs(article.text, "\n\n".join(paragraphs), chooser)
    return Rewrite(article, text, tuple(techniques))


@dataclass
class Source:
    """The articles of one labelled set chosen to be rewritten, and their same-story ones."""

    name: str
    originals: list[Article]
    siblings: dict[str, list[Article]] = field(default_factory=dict)  # by original id


def _fit(article: Article) -> bool:
    """Long enough to be worth spinning: five sentences and 120 words."""
    return len(sentences(article.text)) >= 5 and len(article.text.split()) >= 120


def choose(name: str, articles: Sequence[Article], per_story: int, stories: int) -> Source:
    """Up to ``per_story`` originals from each of ``stories`` stories with two or more
    articles (chosen by the seed), each with up to four other articles of its story."""
    by_story: dict[str, list[Article]] = {}
    for article in articles:
        if _fit(article):
            by_story.setdefault(article.gold, []).append(article)
    names = sorted(story for story, members in by_story.items() if len(members) >= 2)
    chooser = random.Random(f"{SEED}:{name}")
    chooser.shuffle(names)
    source = Source(name, [])
    for story in names[:stories]:
        members = sorted(by_story[story], key=lambda article: article.id)
        for original in members[:per_story]:
            source.originals.append(original)
            others = [article for article in members if article.id != original.id]
            source.siblings[original.id] = others[:4]
    return source


def _articles(source: Source, rewrites: Sequence[Rewrite]) -> list[Article]:
    """The originals, their stories' other articles (each once) and the rewrites."""
    found: dict[str, Article] = {}
    for article in [*source.originals, *(a for s in source.siblings.values() for a in s)]:
        found.setdefault(article.id, article)
    for made in rewrites:
        copy = "rewrite:" + made.original.id
        found[copy] = Article(copy, made.text, made.original.gold)
    return list(found.values())


@dataclass
class Labelled:
    kind: str  # "rewrite" or "independent"
    a: str
    b: str
    relation: str | None
    evidence: dict[str, Any] | None


def evaluate(source: Source, config: ScanConfig) -> tuple[list[Labelled], list[Rewrite]]:
    chooser = random.Random(f"{SEED}:{source.name}:rewrite")
    rewrites = [rewrite(article, chooser) for article in source.originals]
    result = scanned(_articles(source, rewrites), config)
    found: dict[tuple[str, str], Match] = {(m.a, m.b): m for m in result.matches}

    def match(first: str, second: str) -> Match | None:
        return found.get((min(first, second), max(first, second)))

    labelled = []
    for original in source.originals:
        copy = "rewrite:" + original.id
        labelled.append(_labelled("rewrite", original.id, copy, match(original.id, copy)))
        for sibling in source.siblings[original.id]:
            between = match(original.id, sibling.id)
            if between is not None and any(p.kind == "verbatim" for p in between.passages):
                continue  # shares copied text: not an independent report
            for one in (original.id, copy):
                labelled.append(_labelled("independent", one, sibling.id, match(one, sibling.id)))
    return labelled, rewrites


def _labelled(kind: str, a: str, b: str, found: Match | None) -> Labelled:
    relation = None if found is None else found.relation.value
    evidence = None
    if found is not None and found.derivation is not None:
        evidence = {**asdict(found.derivation), "semantic": found.semantic}
    return Labelled(kind, a, b, relation, evidence)


def figures(labelled: Sequence[Labelled]) -> dict[str, float]:
    rewrites = [pair for pair in labelled if pair.kind == "rewrite"]
    independent = [pair for pair in labelled if pair.kind == "independent"]
    found = sum(pair.relation in REUSE for pair in rewrites)
    false = sum(pair.relation in REUSE for pair in independent)
    return {
        "rewrites": len(rewrites),
        "independent": len(independent),
        "recall": found / max(1, len(rewrites)),
        "precision": found / max(1, found + false),
        "independent_called_reuse": false,
        "rewrites_same_story": sum(pair.relation == "same_story" for pair in rewrites),
        "rewrites_unmatched": sum(pair.relation is None for pair in rewrites),
    }


def sources(shared: Path) -> list[Source]:
    data = shared / "data"
    return [
        choose("gva", gva_articles(data), per_story=1, stories=150),
        choose("ecb", ecbplus_articles(data / "ecbplus-dev" / "ECB+"), per_story=4, stories=40),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--json", type=Path, help="write the figures and pairs here")
    parser.add_argument("--show", type=int, default=0, help="print this many rewrites")
    options = parser.parse_args()
    if not (options.shared / "data" / "gva-events").is_dir():
        sys.exit(f"no labelled data under {options.shared}; pass --shared")
    config = ScanConfig(workers=1)
    report: dict[str, Any] = {}
    columns = ("source", "rewrites", "independent pairs", "recall", "precision")
    columns += ("rewrites same_story", "unmatched")
    print("| " + " | ".join(columns) + " |\n" + "|---" * len(columns) + "|")
    for source in sources(options.shared):
        labelled, rewrites = evaluate(source, config)
        row = figures(labelled)
        print(
            f"| {source.name} | {row['rewrites']} | {row['independent']} | {row['recall']:.3f} | "
            f"{row['precision']:.3f} | {row['rewrites_same_story']} | {row['rewrites_unmatched']} |"
        )
        report[source.name] = {"figures": row, "pairs": [vars(pair) for pair in labelled]}
        for made in rewrites[: options.show]:
            print(
                f"\n--- {made.original.id} ({', '.join(made.techniques)})\n{made.original.text}\n"
            )
            print(f"+++ rewrite\n{made.text}\n")
    if options.json:
        options.json.write_text(json.dumps(report, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
