"""Token counts for the chunker, without loading an embedding model (or LangChain): cheap enough for
every reading worker."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from jupyter_docchat.store.embedding_names import MINILM, canonical_name

OPENAI_MAX_TOKENS = 8191  # OpenAI's embedding models' window

TOKENIZER_DIR = Path(__file__).parents[1] / "models" / "minilm"  # package data of jupyter_docchat


# What MiniLM's BertNormalizer turns into a space: Unicode's White_Space but for the control characters
# (\v, \f, \x1c-\x1f, \x85) it deletes instead. Its pre-tokenizer then splits words there, and nothing
# else crosses a space (added tokens like [MASK] hold none), so a text's count is the sum of its words'.
_SPACES = re.compile("[\t\n\r \xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
WORDS_KEPT = 200_000  # distinct words whose counts a counter remembers (a few MB) before starting afresh


class MiniLMTokenCounter:
    """MiniLM's token counts without the model: cheap to build in a worker process.

    Exactly the tokenizer's counts (tests/test_token_counts.py checks), computed word by word with each
    distinct word tokenized once: documents repeat their words, and tokenizing whole chunks was most of
    the keyword pass's time (bench/keyword_pass.py).
    """

    max_tokens = 256

    def __init__(self) -> None:
        from tokenizers import Tokenizer

        self._tokenizer = Tokenizer.from_file(str(TOKENIZER_DIR / "tokenizer.json"))
        self._tokenizer.no_truncation()
        self._tokenizer.no_padding()
        self._special = len(self._tokenizer.encode("").ids)  # [CLS] and [SEP]
        self._words: dict[str, int] = {}

    def __call__(self, texts: list[str]) -> list[int]:
        split = [_SPACES.split(text) for text in texts]
        counts = self._words
        if len(counts) > WORDS_KEPT:
            # Start afresh but for the words asked now: the chunker asks again for the halves of what it just
            # counted, and a file of more distinct words than this (a large CSV: an id a row) was tokenized
            # twice when every count went (bench/scaling.py --formats csv: x3.0 from 8 to 16 MB).
            asked = {word for words in split for word in words}
            self._words = counts = {word: counts[word] for word in asked if word in counts}
        new = list({word for words in split for word in words if word not in counts})
        if new:
            encoded = self._tokenizer.encode_batch_fast(new, add_special_tokens=False)
            counts.update(zip(new, (len(e.ids) for e in encoded)))
        return [self._special + sum(map(counts.__getitem__, words)) for words in split]


def token_counter(name: str | None) -> tuple[Any, int]:
    """(count_tokens, window) for an embeddings name, without loading the model itself."""
    if canonical_name(name) == MINILM:
        return MiniLMTokenCounter(), MiniLMTokenCounter.max_tokens
    return approximate_tokens, OPENAI_MAX_TOKENS


def approximate_tokens(texts: list[str]) -> list[int]:
    return [len(t) // 3 for t in texts]
