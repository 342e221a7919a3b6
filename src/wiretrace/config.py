"""Typed, frozen, validated configuration; derived values (LSH banding) are computed here only."""

from __future__ import annotations

import math
import os
import types
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

from wiretrace.errors import ConfigError

OutputFormat = Literal["parquet", "jsonl"]
OUTPUT_FORMATS: tuple[OutputFormat, ...] = ("parquet", "jsonl")
# One news article is a few KB of text and a page of HTML rarely 2 MB; a record far larger is a
# mistake or an attack (a gzip bomb), and reading it whole could exhaust memory.
DEFAULT_MAX_RECORD_BYTES = 16 * 1024 * 1024


def _kind_of(hint: Any) -> str:
    if get_origin(hint) is Literal:
        return "one of " + ", ".join(map(repr, get_args(hint)))
    allowed = get_args(hint) if get_origin(hint) in (Union, types.UnionType) else (hint,)
    names = {bool: "true or false", int: "an integer", float: "a finite number", str: "a string"}
    return " or ".join(
        "None" if kind is type(None) else names.get(kind, getattr(kind, "__name__", str(kind)))
        for kind in allowed
    )


def _has_type(value: Any, hint: Any) -> bool:
    if get_origin(hint) is Literal:
        return any(value == choice and type(value) is type(choice) for choice in get_args(hint))
    allowed = get_args(hint) if get_origin(hint) in (Union, types.UnionType) else (hint,)
    if value is None:
        return type(None) in allowed
    if isinstance(value, bool):  # bool is an int to Python, never to a user
        return bool in allowed
    if isinstance(value, int) and (int in allowed or float in allowed):
        return True
    if isinstance(value, float) and float in allowed:
        return math.isfinite(value)
    return any(
        isinstance(kind, type) and kind not in (int, float, bool) and isinstance(value, kind)
        for kind in allowed
    )


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = get_type_hints(cls)
    return _HINTS[cls]


def check_types(instance: Any) -> None:
    """Refuse a value of the wrong type (``seed="x"``, ``shingle_size=2.5``, a NaN threshold)
    before any range check compares it: the message names the field, the value and the type
    wanted."""
    hints = _hints(type(instance))
    for item in fields(instance):
        value = getattr(instance, item.name)
        if not _has_type(value, hints[item.name]):
            raise ConfigError(
                f"{item.name} must be {_kind_of(hints[item.name])}, got {value!r} "
                f"({type(value).__name__})"
            )


@dataclass(frozen=True, slots=True)
class FieldNames:
    """Names of the fields of record inputs (JSONL, CSV, Parquet) that map to a Document."""

    id: str = "id"
    text: str = "text"
    title: str = "title"
    url: str = "url"
    outlet: str = "outlet"
    published: str = "published"
    language: str = "language"  # ISO 639-1 ("de", "de-AT"); detected when absent
    html: str = "html"  # read when a record has no text: the page's main text is extracted

    def __post_init__(self) -> None:
        check_types(self)
        for name, value in asdict(self).items():
            if not value:
                raise ConfigError(f"field name for {name!r} is empty; give the input's field name")


@dataclass(frozen=True, slots=True)
class LshBanding:
    """How the signature is cut into bands for candidate generation."""

    bands: int
    rows: int
    jaccard_floor: float

    def catch_probability(self, jaccard: float) -> float:
        """Chance that a pair with this Jaccard similarity shares at least one band."""
        return 1.0 - (1.0 - jaccard**self.rows) ** self.bands


SemanticModel = Literal["fast", "exact"]


@dataclass(frozen=True, slots=True)
class SemanticThresholds:
    """The thresholds of the semantic decisions for one sentence model.

    A cosine means something different for each model: the static model's vectors are all
    more alike than MiniLM's (unrelated news articles ~0.86 against ~0.2), so each has its
    own, read off the development data by one rule each (``benchmarks/semantic.py`` measures
    them again):

    - ``sentence`` (two sentences say the same thing): the best accuracy on MSRP (MiniLM:
      0.70, within 0.005 of its best; static: 0.75, its best);
    - ``strong`` (a sentence surely rewritten): MiniLM's 0.85, tuned on Clough-Stevenson,
      carried to the static model by quantiles over the MSRP pairs (0.875);
    - ``same_story`` (document vectors): MiniLM's 0.60 carried by quantiles over all pairs of
      ECB+ development articles (0.36);
    - ``candidate`` (a document's neighbours this alike are compared): MiniLM's 0.50; for the
      static model the same as ``same_story``: the quantile of 0.50 (0.26) found no rewrite
      or story on Clough-Stevenson or ECB+ that 0.36 misses, and compared 2.4 times as many
      pairs on the benchmark corpus.

    The static model's document vectors are compared without the corpus mean (``centred``):
    what all articles of a corpus share says nothing about two of them. On ECB+ that lifts
    the ROC AUC of its same-story pairs from 0.942 to 0.986 (MiniLM: 0.990).
    """

    sentence: float
    strong: float
    same_story: float
    candidate: float
    centred: bool


MODEL_THRESHOLDS: dict[str, SemanticThresholds] = {
    "exact": SemanticThresholds(0.70, 0.85, same_story=0.60, candidate=0.50, centred=False),
    "fast": SemanticThresholds(0.75, 0.875, same_story=0.36, candidate=0.36, centred=True),
}


@dataclass(frozen=True, slots=True)
class StorySettings:
    """How stories are clustered (see ``wiretrace.group.stories``)."""

    neighbours: int
    min_probability: float
    resolution: float | None  # None: the story model's
    sentence_model: str = "fast"  # whose leads the story model weighs
    window_days: float | None = None  # pairs published further apart are no candidates


_MOST_PERMUTATIONS = 1024


def _lowest_jaccard(num_perm: int, lsh_recall: float) -> float:
    """The lowest Jaccard similarity ``num_perm`` permutations catch at ``lsh_recall``."""
    return float(1.0 - (1.0 - lsh_recall) ** (1.0 / num_perm))


def _permutations_needed(jaccard: float, lsh_recall: float) -> float:
    """The fewest permutations that catch ``jaccard`` at ``lsh_recall`` (inf: none do; log1p
    keeps a tiny ``jaccard`` from rounding ``1 - jaccard`` to 1)."""
    needed = math.log(1 - lsh_recall) / math.log1p(-jaccard)
    return math.ceil(needed) if math.isfinite(needed) else math.inf


def _rounded_up(value: float) -> str:
    """``value`` to three significant digits, rounded up: a limit the message names is one
    that passes."""
    scale = 10 ** (2 - math.floor(math.log10(value)))
    return f"{math.ceil(value * scale) / scale:.3g}"


def _either(given: float | None, default: float) -> float:
    return default if given is None else given


def _check_fraction(name: str, value: float) -> None:
    if not 0.0 < value <= 1.0:
        raise ConfigError(f"{name} must be in (0, 1], got {value!r}")


@dataclass(frozen=True, slots=True)
class ScanConfig:
    """Everything a scan can be told. Defaults are tuned on the development data (see README).

    Thresholds:

    - ``jaccard_threshold`` / ``containment_threshold``: the candidate stage must propose every
      pair with Jaccard at least the first *or* containment of the smaller document at least
      the second, for copies down to ``min_length_ratio`` of their source's length (a truncated
      copy cut to 40% of a wire story has Jaccard 0.4 but containment 1.0).
    - ``lsh_recall``: the chance of proposing a pair at the lowest Jaccard those targets imply;
      bands and rows follow from it (see :meth:`lsh`).
    - ``estimate_sigmas``: band collisions whose signature estimates lie this many standard
      errors below both targets are dropped before the exact comparison (see
      :meth:`estimate_floors`).
    - ``near_duplicate_coverage``: verbatim passages must cover this share of both documents.
    - ``contained_coverage``: ... of the smaller document only (the larger one is lower).
    - ``min_passage_words``: the shortest verbatim passage reported (words).
    - ``max_gap_words``: edits up to this many words inside a passage are bridged.
    - ``passage_window`` / ``passage_max_groups``: every document keeps the smallest hash of
      every ``passage_window`` consecutive shingles of ``min_passage_words`` words; two
      documents that share two of these held by at most ``passage_max_groups`` duplicate
      groups, or one that no third group holds, are compared whatever their lengths (a
      paragraph lifted into a long article).
      A shared passage of ``min_passage_words + passage_window - 1`` words always shares one;
      commoner ones (set phrases, quotes in every article) propose nothing, which bounds the
      work. 0 in either: candidates by whole-document similarity only.
    - ``big_group_size``: a group of exact copies (one clean text) of more documents than this
      is compared as a star: each member with the group's representative (the earliest
      published, so the likely source), and only the representative is searched for other
      matches. Near-duplicate pairs inside an LSH group past this size are not proposed
      again. Any duplicate group past this size is then listed as a star and a provenance
      tree: ``matches`` keeps each member's edge to the representative (compared where it
      was not) and to its likely source, not every pair; ``groups`` keeps every member.
      0: every pair, whatever the size.
    - ``boilerplate``: find page noise by the rules of ``wiretrace.clean.boilerplate`` and
      keep it out of matching (False: match the text as it is).
    - ``recurring_min_documents``: a line found in at least this many documents is
      boilerplate of the corpus (mastheads, disclaimers) (0: do not count lines). Ten keeps
      a quote that several outlets repeat (ECB+: one quote in 6 articles of one story).
    - ``recurring_min_context_share``: ... when at least this share of its occurrences have
      distinct neighbouring lines; the paragraphs of a syndicated story recur too, but keep
      their neighbours.
    - ``semantic``: embed sentences to find rewrites, translations and same-story pairs (the
      fast model ships in the package; ``exact`` needs the ``exact`` extra); off, the scan
      says which relations it did not look for.
    - ``semantic_model``: ``fast`` (a static model distilled from MiniLM: ~30,000 sentences/s
      on one core) or ``exact`` (MiniLM itself: ~80 sentences/s on a CPU core; for a GPU).
      The thresholds below left at None are the model's own (:class:`SemanticThresholds`).
    - ``semantic_neighbours`` / ``semantic_candidate_similarity``: each document proposes its
      nearest neighbours by document embedding, up to this many, at least this alike; a
      document of more than 50 sentences this many more for every 50, four times as many at
      most (``candidates.neighbours.neighbours_wanted``).
    - ``paraphrase_similarity``: two sentences this alike (cosine) say the same thing;
      ``paraphrase_max_overlap``: ... unless their words overlap this much (then a copy).
    - ``paraphrase_coverage`` / ``paraphrase_min_sentences`` /
      ``paraphrase_strong_similarity``: a ``paraphrase`` needs rewritten sentences covering
      this share of the smaller document, this many of them at least this alike (tuned on
      Clough-Stevenson: independent answers on the same topic reach 0.66 coverage and at
      most 2 sentences at MiniLM's 0.85; see benchmarks/README.md).
    - ``paraphrase_min_derived``: ... or this many rewritten sentences (restating as many
      sentences of the other), one of which holds a verbatim passage that is no name and is
      at the ``strong`` threshold (a sentence carried over and edited: proof that it was
      derived from the other document).
    - ``paraphrase_min_chain`` / ``paraphrase_chain_coverage``: ... or an ordered chain of at
      least this many aligned sentences (the source's order kept) covering at least this
      share of the smaller document: a careful rewrite that keeps no sentence very close
      (independent reports of one event reach 0.67 with 4 sentences on the dev sets; see
      benchmarks/README.md, "Rewrites").
    - ``paraphrase_min_passage``: ... or a passage rewritten inside a longer text: a run of
      at least this many sentence pairs in stride that keep their words, away from both
      texts' openings and endings (``compare.derivation.passage_run``).
    - ``same_story_similarity``: documents this alike, with no substantial shared or rewritten
      text, tell the same story.
    - ``embedding_cache``: a file (SQLite) that keeps each document's sentence embeddings
      between runs; a scan embeds only documents whose sentences it does not hold yet
      (None: embed everything every run).
    - ``window_days``: compare only documents published at most this many days apart (when
      both dates are known; None: no bound), for matches and stories alike; a whole number,
      as dates are compared by day.
    - ``stories``: cluster documents into stories (False: ``documents.story`` is empty, no
      ``stories`` rows and no ``same_story`` matches; for copies and a deduplicated corpus,
      which do not need them: stories cost ~250 µs a document).
    - ``story_neighbours``: each document's story evidence is weighed against at most this
      many nearest documents (by wording and, with the semantic stage, by lead), plus every
      document it has a match with.
    - ``story_min_probability``: a pair the story model gives a lower chance of being one
      event is no edge of the story graph at all.
    - ``story_resolution``: how likely, on average, the pairs inside a story must be one event
      (the mean chance over all pairs of members, missing edges counting 0); higher splits
      stories finer. None: the value chosen with the story model (see
      ``wiretrace.group.story_model`` and benchmarks/README.md, "Stories").
    - ``provenance``: name each match's likely source (False: ``matches.source`` stays
      empty; ``dedup`` needs none).
    - ``provenance_min_score``: the clues must add up to this before a source is named (one
      agency credit or dateline that only one document carries is 1.5; see
      ``wiretrace.group.provenance``).
    - ``series``: treat the documents of one outlet as a series: matches inside it carry
      ``series`` (the outlet) and are counted apart from cross-outlet reuse.
    - ``languages``: tell each document's language (False: ``documents.language`` holds only
      a record's own language field and ``summary.json`` counts no languages; ``dedup``
      needs none, and telling them is a tenth of the cleaning and sketching).
    - ``workers``: processes that clean and sketch once the input is larger than two
      batches (0: one per core; 1, the library default: everything in this process). Worker
      processes start afresh (forked by a fork server, or spawned) and import the script
      that asks for them, so it needs the usual ``if __name__ == "__main__":`` guard; the
      CLI uses one per core.
    - ``max_record_bytes``: the largest record read (a text or HTML file after decompression,
      a JSONL line, a CSV row, a text or page field, a WARC payload); a larger one is skipped
      as ``too_large`` with its size, so memory stays bounded whatever the input.
    """

    shingle_size: int = 5
    num_perm: int = 128
    seed: int = 1
    jaccard_threshold: float = 0.5
    containment_threshold: float = 0.8
    min_length_ratio: float = 0.4
    lsh_recall: float = 0.99
    estimate_sigmas: float = 3.0
    near_duplicate_coverage: float = 0.75
    contained_coverage: float = 0.8
    min_passage_words: int = 8
    max_gap_words: int = 6
    max_bucket_size: int = 500
    passage_window: int = 4
    passage_max_groups: int = 8
    big_group_size: int = 100
    boilerplate: bool = True
    recurring_min_documents: int = 10
    recurring_min_context_share: float = 0.5
    semantic: bool = True
    semantic_model: SemanticModel = "fast"
    semantic_neighbours: int = 10
    semantic_candidate_similarity: float | None = None
    paraphrase_similarity: float | None = None
    paraphrase_max_overlap: float = 0.8
    paraphrase_coverage: float = 0.5
    paraphrase_min_sentences: int = 3
    paraphrase_strong_similarity: float | None = None
    paraphrase_min_derived: int = 2
    paraphrase_min_chain: int = 4
    paraphrase_min_passage: int = 3
    paraphrase_chain_coverage: float = 0.75
    same_story_similarity: float | None = None
    window_days: float | None = None
    embedding_cache: str | None = None
    stories: bool = True
    story_neighbours: int = 10
    story_min_probability: float = 0.05
    story_resolution: float | None = None
    provenance: bool = True
    provenance_min_score: float = 1.5
    series: bool = True
    languages: bool = True
    batch_size: int = 2048
    workers: int = 1
    max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES
    fields: FieldNames = field(default_factory=FieldNames)

    def __post_init__(self) -> None:
        if isinstance(self.embedding_cache, os.PathLike):  # a pathlib.Path is welcome too
            object.__setattr__(self, "embedding_cache", os.fspath(self.embedding_cache))
        check_types(self)
        if not 1 <= self.shingle_size <= 32:
            raise ConfigError(f"shingle_size must be 1..32 words, got {self.shingle_size!r}")
        if not 8 <= self.num_perm <= _MOST_PERMUTATIONS:
            raise ConfigError(f"num_perm must be 8..{_MOST_PERMUTATIONS}, got {self.num_perm!r}")
        if self.seed < 0:
            raise ConfigError(f"seed must be >= 0, got {self.seed!r}")
        if self.max_record_bytes < 1:
            raise ConfigError(f"max_record_bytes must be >= 1, got {self.max_record_bytes!r}")
        for name in (
            "jaccard_threshold",
            "containment_threshold",
            "min_length_ratio",
            "near_duplicate_coverage",
            "contained_coverage",
            "recurring_min_context_share",
            "semantic_candidate_similarity",
            "paraphrase_similarity",
            "paraphrase_max_overlap",
            "paraphrase_coverage",
            "paraphrase_strong_similarity",
            "paraphrase_chain_coverage",
            "same_story_similarity",
            "story_min_probability",
            "story_resolution",
        ):
            if getattr(self, name) is not None:  # None: the sentence model's own threshold
                _check_fraction(name, getattr(self, name))
        if not 0.5 <= self.lsh_recall < 1.0:
            raise ConfigError(f"lsh_recall must be in [0.5, 1), got {self.lsh_recall!r}")
        self._check_reachable()
        if not 0.0 <= self.estimate_sigmas <= 10.0:
            raise ConfigError(f"estimate_sigmas must be in [0, 10], got {self.estimate_sigmas!r}")
        if self.min_passage_words < 1:
            raise ConfigError(f"min_passage_words must be >= 1, got {self.min_passage_words!r}")
        if self.max_gap_words < 0:
            raise ConfigError(f"max_gap_words must be >= 0, got {self.max_gap_words!r}")
        if self.max_bucket_size < 2:
            raise ConfigError(f"max_bucket_size must be >= 2, got {self.max_bucket_size!r}")
        for name in ("passage_window", "passage_max_groups", "big_group_size"):
            if getattr(self, name) < 0:
                raise ConfigError(f"{name} must be >= 0 (0: off), got {getattr(self, name)!r}")
        if self.recurring_min_documents < 0 or self.recurring_min_documents == 1:
            raise ConfigError(
                "recurring_min_documents must be 0 (off) or >= 2, got "
                f"{self.recurring_min_documents!r}"
            )
        if self.semantic_neighbours < 1:
            raise ConfigError(f"semantic_neighbours must be >= 1, got {self.semantic_neighbours!r}")
        if self.paraphrase_min_derived < 1:
            raise ConfigError(
                f"paraphrase_min_derived must be >= 1, got {self.paraphrase_min_derived!r}"
            )
        if self.paraphrase_min_chain < 1:
            raise ConfigError(
                f"paraphrase_min_chain must be >= 1, got {self.paraphrase_min_chain!r}"
            )
        if self.paraphrase_min_passage < 1:
            raise ConfigError(
                f"paraphrase_min_passage must be >= 1, got {self.paraphrase_min_passage!r}"
            )
        if self.paraphrase_min_sentences < 1:
            raise ConfigError(
                f"paraphrase_min_sentences must be >= 1, got {self.paraphrase_min_sentences!r}"
            )
        if self.window_days is not None and self.window_days < 0:
            raise ConfigError(f"window_days must be >= 0 or None, got {self.window_days!r}")
        if self.window_days is not None and self.window_days != int(self.window_days):
            # documents' dates are compared by their day (most dates give no time of day), so
            # 0.5 would silently act as 0: refused rather than truncated
            raise ConfigError(
                f"window_days must be a whole number of days, got "
                f"{self.window_days!r}: dates are compared by their day (most give no time); "
                "give 0 for the same day, 1 for a day apart"
            )
        if self.story_neighbours < 1:
            raise ConfigError(f"story_neighbours must be >= 1, got {self.story_neighbours!r}")
        if self.provenance_min_score < 0:
            raise ConfigError(
                f"provenance_min_score must be >= 0, got {self.provenance_min_score!r}"
            )
        if self.workers < 0:
            raise ConfigError(f"workers must be >= 0 (0: one per core), got {self.workers!r}")
        most = 4 * (os.cpu_count() or 1)  # each worker holds ~300 MB; more than cores is waste
        if self.workers > most:
            raise ConfigError(
                f"workers must be at most {most} (4 per core) on this machine, got "
                f"{self.workers!r}; 0 means one per core"
            )
        if self.batch_size < 1:
            raise ConfigError(f"batch_size must be >= 1, got {self.batch_size!r}")

    def semantic_thresholds(self) -> SemanticThresholds:
        """The sentence model's thresholds, with the ones this configuration sets instead."""
        model = MODEL_THRESHOLDS[self.semantic_model]
        return SemanticThresholds(
            sentence=_either(self.paraphrase_similarity, model.sentence),
            strong=_either(self.paraphrase_strong_similarity, model.strong),
            same_story=_either(self.same_story_similarity, model.same_story),
            candidate=_either(self.semantic_candidate_similarity, model.candidate),
            centred=model.centred,
        )

    @property
    def finds_passages(self) -> bool:
        """Whether documents sharing a passage are proposed whatever their lengths."""
        return self.passage_window > 0 and self.passage_max_groups > 0

    def story_settings(self) -> StorySettings:
        return StorySettings(
            neighbours=self.story_neighbours,
            min_probability=self.story_min_probability,
            resolution=self.story_resolution,
            sentence_model=self.semantic_model,
            window_days=self.window_days,
        )

    @property
    def jaccard_floor(self) -> float:
        """The lowest Jaccard similarity the candidate stage must catch.

        A document of relative size ``r`` whose shingles are ``c`` contained in a larger one
        has Jaccard ``c*r / (1 + r - c*r)``: with c = 0.8 and r = 0.4 that is 0.296.
        """
        c, r = self.containment_threshold, self.min_length_ratio
        return min(self.jaccard_threshold, c * r / (1.0 + r - c * r))

    def estimate_floors(self) -> tuple[float, float]:
        """Lowest estimated Jaccard and containment a candidate pair must reach to be compared.

        Band collisions also happen between documents that share only a sentence or two
        (Jaccard ~0.02); the signatures already estimate their similarity, and comparing them
        exactly costs ~100x more. The floors sit ``estimate_sigmas`` standard errors of a
        ``num_perm`` MinHash estimate below the targets (twice that for the containment,
        which is derived from the Jaccard estimate and the sizes).
        """
        floor, target = self.jaccard_floor, self.containment_threshold
        jaccard_error = math.sqrt(floor * (1 - floor) / self.num_perm)
        containment_error = 2 * math.sqrt(target * (1 - target) / self.num_perm)
        return (
            max(0.0, floor - self.estimate_sigmas * jaccard_error),
            max(0.0, target - self.estimate_sigmas * containment_error),
        )

    def _check_reachable(self) -> None:
        """Refuse targets below what ``num_perm`` permutations can find: with one row per band
        (the most bands) a pair of Jaccard ``j`` shares a band with probability
        ``1 - (1 - j)**num_perm``, so the lowest Jaccard caught at ``lsh_recall`` is
        ``1 - (1 - lsh_recall)**(1 / num_perm)`` (0.035 for 128). The message names the target
        that is too low (a tiny one would otherwise divide by zero further on) and its limit."""
        floor = self.jaccard_floor
        if LshBanding(self.num_perm, 1, floor).catch_probability(floor) >= self.lsh_recall:
            return
        lowest = _lowest_jaccard(self.num_perm, self.lsh_recall)
        need = _permutations_needed(floor, self.lsh_recall)
        fix = (
            f"use num_perm >= {need} for it"
            if need <= _MOST_PERMUTATIONS
            else f"num_perm={_MOST_PERMUTATIONS}, the most, reaches "
            f"{_rounded_up(_lowest_jaccard(_MOST_PERMUTATIONS, self.lsh_recall))}"
        )
        why = (
            f"below it, LSH with num_perm={self.num_perm} finds a pair with less than "
            f"lsh_recall={self.lsh_recall} chance"
        )
        if self.jaccard_threshold < lowest:
            raise ConfigError(
                f"jaccard_threshold must be at least {_rounded_up(lowest)}, got "
                f"{self.jaccard_threshold!r} ({why}); {fix}"
            )
        # the floor comes from the containment target: c*r / (1 + r - c*r) >= lowest
        ratio = self.min_length_ratio
        least = lowest * (1 + ratio) / (ratio * (1 + lowest))
        if least <= 1.0:
            raise ConfigError(
                f"containment_threshold must be at least {_rounded_up(least)} with "
                f"min_length_ratio={ratio}, got {self.containment_threshold!r} ({why}); {fix}"
            )
        raise ConfigError(
            f"containment_threshold={self.containment_threshold} of copies down to "
            f"min_length_ratio={ratio} needs Jaccard {floor:.3g} ({why}); {fix}, or a higher "
            "min_length_ratio"
        )

    def lsh(self) -> LshBanding:
        """Bands and rows: the most rows per band (fewest false candidates) that still propose a
        pair at :attr:`jaccard_floor` with probability at least ``lsh_recall`` (one row per
        band always does: ``_check_reachable``)."""
        floor = self.jaccard_floor
        best = LshBanding(bands=self.num_perm, rows=1, jaccard_floor=floor)
        for rows in range(2, self.num_perm + 1):
            banding = LshBanding(bands=self.num_perm // rows, rows=rows, jaccard_floor=floor)
            if banding.catch_probability(floor) < self.lsh_recall:
                break
            best = banding
        return best

    def to_dict(self) -> dict[str, Any]:
        """Plain values for ``summary.json``, with the derived banding."""
        values = asdict(self)
        banding = self.lsh()
        values["lsh"] = {
            "bands": banding.bands,
            "rows": banding.rows,
            "jaccard_floor": round(banding.jaccard_floor, 4),
        }
        jaccard_min, containment_min = self.estimate_floors()
        values["estimate_floors"] = {
            "jaccard": round(jaccard_min, 4),
            "containment": round(containment_min, 4),
        }
        values["semantic_thresholds"] = asdict(self.semantic_thresholds())
        return values


def config_of(config: object) -> ScanConfig:
    """``config`` as given to ``scan`` or ``Index.create``: a ScanConfig, or None for the
    defaults (a dict of options is refused with how to make one)."""
    if config is None:
        return ScanConfig()
    if not isinstance(config, ScanConfig):
        raise ConfigError(
            f"config must be a ScanConfig, got {type(config).__name__} {config!r:.60}; "
            "make one with ScanConfig(**options)"
        )
    return config
