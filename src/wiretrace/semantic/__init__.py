"""Semantic: sentences, embeddings, semantic candidates and paraphrase alignment (the
``semantic`` extra). Without the extra wiretrace runs verbatim matching only and says, in
``summary.json``, which relations it could not look for."""

from wiretrace.config import SemanticModel
from wiretrace.semantic.model import SentenceEncoder, load_encoder, semantic_available
from wiretrace.semantic.sentences import sentence_spans


def sentence_encoder(model: SemanticModel = "fast") -> SentenceEncoder:
    """The encoder of a sentence model: ``fast`` (static, prepared once) or ``exact``."""
    if model == "exact":
        return load_encoder()
    from wiretrace.semantic.static import load_static, prepare_static_model

    return load_static(str(prepare_static_model()))


__all__ = [
    "SentenceEncoder",
    "load_encoder",
    "semantic_available",
    "sentence_encoder",
    "sentence_spans",
]
