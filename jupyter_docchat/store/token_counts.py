"""Token counts for the chunker, without loading an embedding model (or LangChain): cheap enough for
every reading worker."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jupyter_docchat.store.embedding_names import MINILM, canonical_name

OPENAI_MAX_TOKENS = 8191  # OpenAI's embedding models' window

TOKENIZER_DIR = Path(__file__).parents[1] / "models" / "minilm"  # package data of jupyter_docchat


class MiniLMTokenCounter:
    """MiniLM's token counts without the model: cheap to build in a worker process."""

    max_tokens = 256

    def __init__(self) -> None:
        from tokenizers import Tokenizer

        self._tokenizer = Tokenizer.from_file(str(TOKENIZER_DIR / "tokenizer.json"))
        self._tokenizer.no_truncation()
        self._tokenizer.no_padding()

    def __call__(self, texts: list[str]) -> list[int]:
        return [len(e.ids) for e in self._tokenizer.encode_batch(texts)]


def token_counter(name: str | None) -> tuple[Any, int]:
    """(count_tokens, window) for an embeddings name, without loading the model itself."""
    if canonical_name(name) == MINILM:
        return MiniLMTokenCounter(), MiniLMTokenCounter.max_tokens
    return approximate_tokens, OPENAI_MAX_TOKENS


def approximate_tokens(texts: list[str]) -> list[int]:
    return [len(t) // 3 for t in texts]
