"""Readers for the labelled evaluation data in ``../shared/data`` (see its README.md).

Used by the benchmarks and by the quality gates in ``tests/`` (as ``benchmarks.evaldata``);
the data itself is never copied into the repository.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

_NO_SPACE_BEFORE = {
    ",",
    ".",
    ";",
    ":",
    "!",
    "?",
    ")",
    "]",
    "}",
    "%",
    "...",
    "''",
    "”",
    "’",
    "'s",
    "'re",
    "'ve",
    "'ll",
    "'d",
    "'m",
    "n't",
    "’s",
    "'S",
    "N'T",
}
_NO_SPACE_AFTER = {"(", "[", "{", "$", "``", "“", "‘", "#"}
_QUOTE_MAP = {"``": '"', "''": '"', "“": '"', "”": '"', "-LRB-": "(", "-RRB-": ")"}


def detokenise(tokens: list[str]) -> str:
    """Join PTB-style tokens into plain text ("Lohan 's ." -> "Lohan's.")."""
    out: list[str] = []
    no_space_next = True
    quote_open = False
    for tok in tokens:
        space = not no_space_next
        no_space_next = False
        if tok == '"':  # straight quotes alternate between opening and closing
            if quote_open:
                space = False
            else:
                no_space_next = True
            quote_open = not quote_open
        elif tok.startswith('"'):  # a quote glued to a word ('"The') opens a quotation
            quote_open = not tok.endswith('"')
        elif tok in _NO_SPACE_BEFORE or tok.lower() in _NO_SPACE_BEFORE:
            space = False
        if tok in _NO_SPACE_AFTER:
            no_space_next = True
        if space:
            out.append(" ")
        out.append(_QUOTE_MAP.get(tok, tok))
    return "".join(out)


@dataclass(frozen=True)
class EcbDocument:
    """One ECB+ article: ``story`` is the topic and the ``ecb``/``ecbplus`` suffix (the same
    story means the same real-world event)."""

    id: str
    story: str
    text: str


def ecbplus_documents(root: Path) -> Iterator[EcbDocument]:
    """Every ECB+ article under ``root`` (``<topic>/*.xml``): tokens joined into sentences,
    one sentence per line."""
    for path in sorted(root.glob("*/*.xml")):
        try:
            tree = ET.parse(path)
        except ET.ParseError:
            continue
        by_sentence: dict[int, list[str]] = {}
        for token in tree.getroot().iter("token"):
            number = token.get("sentence")
            if number is None or token.text is None:
                continue
            by_sentence.setdefault(int(number), []).append(token.text)
        text = "\n".join(detokenise(by_sentence[index]) for index in sorted(by_sentence))
        suffix = "ecbplus" if path.stem.endswith("ecbplus") else "ecb"
        yield EcbDocument(id=path.stem, story=f"{path.parent.name}{suffix}", text=text)
