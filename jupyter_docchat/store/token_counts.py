"""Token counts for the chunker, without loading an embedding model (or LangChain): cheap enough for
every reading worker."""

from __future__ import annotations

import json
import re
from itertools import chain
from pathlib import Path
from typing import Any

from jupyter_docchat.store.embedding_names import MINILM, canonical_name

OPENAI_MAX_TOKENS = 8191  # OpenAI's embedding models' window
SPECIAL_TOKENS = 2  # [CLS] and [SEP], which MiniLM's post-processor puts around every text (tokenizer.json)
MAX_WORD_CHARS = 100  # WordPiece's max_input_chars_per_word: a longer word is one [UNK]

TOKENIZER_DIR = Path(__file__).parents[1] / "models" / "minilm"  # package data of jupyter_docchat


# What MiniLM's BertNormalizer turns into a space: Unicode's White_Space but for the control characters
# (\v, \f, \x1c-\x1f, \x85) it deletes instead. Its pre-tokenizer then splits words there, and nothing
# else crosses a space (added tokens like [MASK] hold none), so a text's count is the sum of its words'.
_SPACES = re.compile("[\t\n\r \xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
# str.split() splits at all of those and at these too, which the normalizer deletes: a text without them is split by
# str.split(), five times as fast as the pattern (token counts were an eighth of reading a folder).
_DELETED_SPACES = re.compile("[\v\f\x1c-\x1f\x85]")
WORDS_KEPT = 200_000  # distinct words whose counts a counter remembers (a few MB) before starting afresh
# A word of printable ASCII is what BERT's pre-tokenizer makes of it: runs of letters and digits, and each other
# character alone (all ASCII punctuation is a token of its own, one word piece). Its count is its runs' counts summed.
_RUNS = re.compile("[A-Za-z0-9]+|[^A-Za-z0-9]")


class MiniLMTokenCounter:
    """MiniLM's token counts without the model: cheap to build in a worker process.

    Exactly the tokenizer's counts (tests/test_token_counts.py checks), computed word by word with each
    distinct word tokenized once: documents repeat their words, and tokenizing whole chunks was most of
    the keyword pass's time (bench/keyword_pass.py).
    """

    max_tokens = 256

    def __init__(self) -> None:
        # The tokenizer itself (its import and tokenizer.json: 0.04 CPU-s of each reading process) is loaded only for a
        # word that is not plain ASCII (_tokenizer): the plain words, all of an English man page's, are counted by
        # their runs and WordPiece below, from vocab.txt alone.
        self._loaded: Any = None
        self._special = SPECIAL_TOKENS
        self._words: dict[str, int] = {}
        # A run that is a whole entry of the vocabulary is one word piece: most runs are, and looking them up
        # spares WordPiece most of the words (sdist's 17,321 distinct words: 1,694 runs to cut).
        pieces = vocabulary()
        continuations = [piece for piece in pieces if piece[:2] == "##"]
        # The few continuations taken out rather than the rest filtered (a third of a counter's build).
        self._whole_pieces = dict.fromkeys(pieces, 1)
        for piece in continuations:
            del self._whole_pieces[piece]
        self._continuations = frozenset([piece[2:] for piece in continuations])
        self._runs = dict(self._whole_pieces)
        # An added token ("[MASK]") is matched in the text before any splitting: a word holding one goes whole.
        self._added = [token.lower() for token in special_tokens()]

    @property
    def _tokenizer(self) -> Any:
        """The tokenizer, loaded when first needed."""
        if self._loaded is None:
            from tokenizers import Tokenizer

            tokenizer = Tokenizer.from_file(str(TOKENIZER_DIR / "tokenizer.json"))
            tokenizer.no_truncation()
            tokenizer.no_padding()
            self._loaded = tokenizer
        return self._loaded

    def __call__(self, texts: list[str]) -> list[int]:
        split = [_SPACES.split(text) if _DELETED_SPACES.search(text) else text.split() for text in texts]
        counts = self._words
        if len(counts) > WORDS_KEPT:
            # Start afresh but for the words asked now: the chunker asks again for the halves of what it just
            # counted, and a file of more distinct words than this (a large CSV: an id a row) was tokenized
            # twice when every count went (bench/scaling.py --formats csv: x3.0 from 8 to 16 MB).
            asked = {word for words in split for word in words}
            self._words = counts = {word: counts[word] for word in asked if word in counts}
        new = set(chain.from_iterable(split)).difference(counts)  # in C: a Python test of every word was a tenth
        if new:
            self._count(new)
        return [self._special + sum(map(counts.__getitem__, words)) for words in split]

    def _count(self, words: set[str]) -> None:
        """Each word's count into ``self._words``: a word of plain ASCII by its runs, any other by the tokenizer."""
        runs = self._runs
        whole: list[str] = []
        plain: list[str] = []
        lowered: list[str] = []
        for word in words:
            low = word.lower()
            if word.isascii() and word.isprintable() and not ("[" in word and any(t in low for t in self._added)):
                plain.append(word)
                lowered.append(low)
            else:
                whole.append(word)
        # The runs of all the plain words in one search, a line break (in no printable word) after each word's: a search
        # and a sum a word were most of a cold count (sdist's 17,321 new words).
        found = _RUNS.findall("\n".join(lowered) + "\n") if lowered else []
        new = set(found).difference(runs)
        new.discard("\n")  # the words' ends (no piece of the vocabulary, nor any run learnt, is a line break)
        for run in new:
            runs[run] = self._word_pieces(run)
        counts = self._words
        n, total = 0, 0
        for run in found:
            if run == "\n":
                counts[plain[n]] = total
                n, total = n + 1, 0
            else:
                total += runs[run]
        if whole:
            counts.update(zip(whole, self._tokenized(whole)))
        if len(runs) > len(self._whole_pieces) + WORDS_KEPT:
            self._runs = dict(self._whole_pieces)

    def _word_pieces(self, run: str) -> int:
        """WordPiece's count for a run of lowercase ASCII letters and digits, or one other printable character (what
        BERT's pre-tokenizer makes a word of): the longest piece of the vocabulary its start is, then the longest
        continuation ("##" pieces) of the rest, and so on; a run it cannot cover, or longer than MAX_WORD_CHARS, is one
        [UNK]. The tokenizer's own algorithm (tests/test_token_counts.py compares the counts), without loading it."""
        if len(run) > MAX_WORD_CHARS:
            return 1
        end = len(run)
        whole = self._whole_pieces
        while end and run[:end] not in whole:
            end -= 1
        if not end:
            return 1
        count, start, more = 1, end, self._continuations
        while start < len(run):
            end = len(run)
            while end > start and run[start:end] not in more:
                end -= 1
            if end == start:
                return 1
            count, start = count + 1, end
        return count

    def _tokenized(self, texts: list[str]) -> list[int]:
        return [len(e.ids) for e in self._tokenizer.encode_batch_fast(texts, add_special_tokens=False)]


def special_tokens() -> list[str]:
    """MiniLM's special tokens ([UNK], [CLS], ...: the tokenizer's added tokens), from special_tokens_map.json."""
    return list(json.loads((TOKENIZER_DIR / "special_tokens_map.json").read_text(encoding="utf-8")).values())


def vocabulary() -> list[str]:
    """MiniLM's word pieces, from its vocab.txt: the tokenizer's vocabulary (tests/test_reading_fast_paths.py checks),
    read in a quarter of the time ``Tokenizer.get_vocab`` takes to make it a dict (a reading worker's start)."""
    return (TOKENIZER_DIR / "vocab.txt").read_text(encoding="utf-8").splitlines()


def token_counter(name: str | None) -> tuple[Any, int]:
    """(count_tokens, window) for an embeddings name, without loading the model itself."""
    if canonical_name(name) == MINILM:
        return MiniLMTokenCounter(), MiniLMTokenCounter.max_tokens
    return approximate_tokens, OPENAI_MAX_TOKENS


def approximate_tokens(texts: list[str]) -> list[int]:
    return [len(t) // 3 for t in texts]
