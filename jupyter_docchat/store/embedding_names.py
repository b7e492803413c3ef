"""Embedding model names as a collection records them, without loading any model (or LangChain)."""

from __future__ import annotations

from jupyter_docchat.errors import EmbeddingError

MINILM = "minilm"
# Word pieces of a chunk (heading trail first, [CLS] and [SEP] included) that make its MiniLM vector: the
# window all-MiniLM-L6-v2 was trained on is 128, its limit 256. Part of the store format (EMBED_INPUT).
DOCUMENT_TOKENS = 256
MINILM_ALIASES = {"minilm", "all-minilm-l6-v2", "sentence-transformers/all-minilm-l6-v2"}


def canonical_name(name: str | None) -> str:
    """'minilm' for the offline default and its aliases, 'openai:MODEL' as given; anything else is an error."""
    if not name or name.lower() in MINILM_ALIASES:
        return MINILM
    if name.startswith("openai:"):
        return name
    raise EmbeddingError(f"unknown embeddings {name!r}: use 'minilm' or 'openai:MODEL'")
