"""Semantic: sentences, embeddings, semantic candidates and paraphrase alignment. The fast
sentence model ships inside wiretrace; the exact one (MiniLM) needs the ``exact`` extra,
without which a scan with it says, in ``summary.json``, which relations it could not look
for."""

from wiretrace.config import SemanticModel
from wiretrace.semantic.model import SentenceEncoder, load_encoder, semantic_available
from wiretrace.semantic.sentences import sentence_spans


def sentence_encoder(model: SemanticModel = "fast") -> SentenceEncoder:
    """The encoder of a sentence model: ``fast`` (static, shipped) or ``exact``."""
    if model == "exact":
        return load_encoder()
    from wiretrace.semantic.static import check_static_model, load_static

    return load_static(str(check_static_model()))


__all__ = [
    "SentenceEncoder",
    "load_encoder",
    "semantic_available",
    "sentence_encoder",
    "sentence_spans",
]
