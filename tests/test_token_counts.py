"""MiniLM token counts word by word are exactly the tokenizer's counts of the whole text."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tokenizers import Tokenizer

from jupyter_docchat.store import token_counts
from jupyter_docchat.store.token_counts import TOKENIZER_DIR, MiniLMTokenCounter

_REFERENCE = Tokenizer.from_file(str(TOKENIZER_DIR / "tokenizer.json"))
_REFERENCE.no_truncation()
_REFERENCE.no_padding()


def reference(texts: list[str]) -> list[int]:
    return [len(_REFERENCE.encode(t).ids) for t in texts]


# Every kind of space and control character (those BERT's normalizer maps to a space and those it deletes),
# format characters, accents and combining marks, CJK, punctuation, and the tokenizer's own added tokens.
_AWKWARD = ("\t\n\r \x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2005\u200a\u200b\u200d\u2028\u2029\u202f\u205f"
            "\u3000\ufeff\x00\ufffd\x7f\u0301\u0308éÉßİıǅﬁ中文字日本語한국어.,;:!?-_/\\'\"()[]{}<>#@$%^&*+=|~`0123456789")
_PIECES = st.one_of(
    st.text(alphabet=_AWKWARD, max_size=12),
    st.sampled_from(["[MASK]", "[CLS]", "[SEP]", "[UNK]", "[PAD]", "[mask]", "a" * 101, "tokenization", "Dönüş"]),
    st.text(max_size=8),  # anything Unicode holds, surrogates aside
    st.from_regex(r"[a-z]{1,15}", fullmatch=True),
    # Words of printable ASCII are counted by their runs of letters and digits (token_counts._RUNS): code, options,
    # identifiers, words longer than WordPiece's 100 characters, added tokens inside a word.
    st.from_regex(r"[!-~]{1,30}", fullmatch=True),
    st.from_regex(r"(--?[A-Za-z_]{1,12}(=[A-Z0-9_]{1,6})?|[A-Za-z_]{1,8}\([a-z, ]{0,10}\)|[A-Z][a-z]+[A-Z][a-z]+)", fullmatch=True),
    st.sampled_from(["x" * 120, "ab" * 60 + ".", "a[MASK]b", "[SEP]]", "x[unk]", "Hello,World!", "a.b.c.d"]),
)
_TEXTS = st.lists(_PIECES, max_size=30).map("".join)


_COUNTER = MiniLMTokenCounter()  # one for all examples, as a reading worker keeps one for all its files


@settings(max_examples=300, deadline=None)
@given(texts=st.lists(_TEXTS, min_size=1, max_size=5))
def test_counts_match_the_tokenizer_on_any_text(texts: list[str]) -> None:
    assert _COUNTER(texts) == reference(texts)


@settings(max_examples=50, deadline=None)
@given(batches=st.lists(st.lists(_TEXTS, min_size=1, max_size=4), min_size=1, max_size=6))
def test_counts_stay_exact_when_the_remembered_words_are_forgotten(batches) -> None:
    original = token_counts.WORDS_KEPT
    token_counts.WORDS_KEPT = 3
    try:
        counter = MiniLMTokenCounter()
        for texts in batches:
            assert counter(texts) == reference(texts)
    finally:
        token_counts.WORDS_KEPT = original


def test_counts_match_on_real_documents() -> None:
    from jupyter_docchat.indexing.chunking import Chunker
    from jupyter_docchat.indexing.readers import read_sections

    docs = Path(__file__).parents[1] / "examples" / "documents"
    texts = []
    for path in sorted(docs.iterdir()):
        for chunk in Chunker(300, 0).chunk(path.name, "", read_sections(path, path.read_bytes())):
            texts.append(f"{chunk.heading}\n{chunk.text}")
    assert len(texts) > 20
    assert MiniLMTokenCounter()(texts) == reference(texts)


class _CountingTokenizer:
    """The real tokenizer, counting the words it is asked to encode."""

    def __init__(self, tokenizer) -> None:
        self.tokenizer, self.encoded = tokenizer, 0

    def encode_batch_fast(self, words, add_special_tokens=False):
        self.encoded += len(words)
        return self.tokenizer.encode_batch_fast(words, add_special_tokens=add_special_tokens)


@pytest.mark.parametrize("accent", ["", "é"])  # plain ASCII is counted by runs, other text word by word
def test_the_words_of_a_call_are_kept_when_the_counter_starts_afresh(monkeypatch, accent) -> None:
    """A file of more distinct words than WORDS_KEPT (a CSV with an id a row): the chunker's second call, for the
    halves of what it just counted, tokenizes nothing again; the counts stay the tokenizer's."""
    monkeypatch.setattr(token_counts, "WORDS_KEPT", 50)
    counter = MiniLMTokenCounter()
    counter._loaded = spy = _CountingTokenizer(counter._tokenizer)
    rows = [f"| item{n}{accent} | {n * 7919} | batch{n % 13} |" for n in range(120)]
    assert counter(rows) == reference(rows)
    first = spy.encoded
    halves = [" ".join(rows[n:n + 2]) for n in range(0, 120, 2)]
    assert counter(halves) == reference(halves)
    assert spy.encoded == first  # every word was counted by the first call
    news = [f"something entirely new{accent}"]
    assert counter(news) == reference(news)
    # memory stays bounded: the earlier words went
    assert len(counter._words) <= 50 + 3 and len(counter._runs) <= len(counter._whole_pieces) + 50 + 3


# Runs WordPiece must cut: pieces of the vocabulary glued (whole words, "##" continuations), rare letters and digits,
# runs near and over WordPiece's 100 characters, and single characters (ASCII punctuation).
_VOCAB = token_counts.vocabulary()
_GLUED = st.lists(st.sampled_from([p.removeprefix("##") for p in _VOCAB if p.isascii() and p.replace("##", "").isalnum()]),
                  min_size=1, max_size=6).map("".join)
_RUN_TEXT = st.one_of(_GLUED, st.from_regex(r"[a-z0-9]{1,40}", fullmatch=True), st.from_regex(r"[qxzj0-9]{1,12}", fullmatch=True),
                      st.integers(95, 105).map(lambda n: "ab" * (n // 2) + "c" * (n % 2)),
                      st.sampled_from(list("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")))


@settings(max_examples=500, deadline=None)
@given(run=_RUN_TEXT)
def test_a_runs_word_pieces_are_the_tokenizers(run: str) -> None:
    assert _COUNTER._word_pieces(run) == len(_REFERENCE.encode(run, add_special_tokens=False).ids)


def test_the_counters_constants_are_the_tokenizers() -> None:
    assert token_counts.SPECIAL_TOKENS == len(_REFERENCE.encode("").ids)
    assert sorted(token_counts.special_tokens()) == sorted(t.content for t in _REFERENCE.get_added_tokens_decoder().values())
    model = __import__("json").loads(_REFERENCE.to_str())["model"]
    assert (model["type"], model["continuing_subword_prefix"], model["max_input_chars_per_word"]) == (
        "WordPiece", "##", token_counts.MAX_WORD_CHARS)


def test_plain_ascii_is_counted_without_loading_the_tokenizer() -> None:
    """A reading process whose files hold only plain ASCII words (an English man page's) never loads it (0.04 CPU-s)."""
    counter = MiniLMTokenCounter()
    texts = ["MPI_Comm_rank(comm, &rank) determines the rank of the calling process", "zyxwvut qqq 12345x", "a" * 150]
    assert counter(texts) == reference(texts)
    assert counter._loaded is None
    assert counter(["café"]) == reference(["café"])  # a word of other text loads it
    assert counter._loaded is not None
