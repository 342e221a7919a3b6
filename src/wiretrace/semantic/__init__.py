"""Semantic: sentences, embeddings, semantic candidates and paraphrase alignment (the
``semantic`` extra). Without the extra wiretrace runs verbatim matching only and says, in
``summary.json``, which relations it could not look for."""

from wiretrace.semantic.model import SentenceEncoder, load_encoder, semantic_available
from wiretrace.semantic.sentences import sentence_spans

__all__ = ["SentenceEncoder", "load_encoder", "semantic_available", "sentence_spans"]
