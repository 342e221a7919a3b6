"""Random corpora with planted copies, for oracle tests (not for quality figures)."""

from __future__ import annotations

import random

VOCABULARY = [f"w{index}" for index in range(5000)]


def random_text(generator: random.Random, words: int) -> str:
    sentences = []
    remaining = words
    while remaining > 0:
        length = min(remaining, generator.randint(8, 20))
        sentence = " ".join(generator.choice(VOCABULARY) for _ in range(length))
        sentences.append(sentence.capitalize() + ".")
        remaining -= length
    return " ".join(sentences)


def edit(generator: random.Random, text: str, share: float) -> str:
    """Replace, insert or delete about ``share`` of the words."""
    words = text.split()
    out: list[str] = []
    for word in words:
        roll = generator.random()
        if roll < share / 3:
            out.append(generator.choice(VOCABULARY))
        elif roll < 2 * share / 3:
            out.extend((word, generator.choice(VOCABULARY)))
        elif roll < share:
            continue
        else:
            out.append(word)
    return " ".join(out)


def truncate(text: str, share: float) -> str:
    words = text.split()
    return " ".join(words[: max(1, int(len(words) * share))])


def reword(generator: random.Random, text: str, share: float) -> str:
    """A rewrite sentence by sentence: each sentence keeps its place, with about ``share`` of
    its words replaced (what the semantic stage pairs as rewritten sentences)."""
    sentences = []
    for sentence in text.split(". "):
        words = [
            generator.choice(VOCABULARY) if generator.random() < share else word
            for word in sentence.rstrip(".").split()
        ]
        sentences.append(" ".join(words).capitalize() + ".")
    return " ".join(sentences)
