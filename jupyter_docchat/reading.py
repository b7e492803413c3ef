"""Read and split the files an update needs, in worker processes when there are many.

Reading HTML and PDF is CPU work of its own (about 1 MB/s per core here); with
two workers the lexical side of a large folder is ready in half the time, and
in the overlapped mode the main process embeds while the workers read ahead.
"""

from __future__ import annotations

import hashlib
import signal
from dataclasses import dataclass
from functools import lru_cache
from collections import deque
from pathlib import Path
from typing import Any

from .chunking import Chunk, Chunker
from .readers import UnreadableFile, read_sections

# A pool costs about a second to start (imports in each worker), so small updates read in-process.
POOL_MIN_BYTES = 2 * 1024 * 1024
POOL_MIN_FILES = 8
WORKERS = 2
AHEAD = 32  # files read ahead of the consumer at most, so memory does not grow with the folder


@dataclass(frozen=True)
class ChunkerSpec:
    """What a worker needs to build the same Chunker as the parent (picklable)."""

    chunk_size: int
    chunk_overlap: int
    embeddings: str

    def build(self) -> Chunker:
        return _chunker(self)


@lru_cache(maxsize=4)
def _chunker(spec: ChunkerSpec) -> Chunker:
    from .embeddings import token_counter

    count, window = token_counter(spec.embeddings)
    return Chunker(spec.chunk_size, spec.chunk_overlap, count, window)


@dataclass
class ReadResult:
    rel: str
    digest: str = ""
    size: int = 0
    chunks: list[Chunk] | None = None
    skipped: str = ""  # why the file could not be read; "" when it was
    gone: bool = False  # an OSError (deleted or unreadable since the scan), rather than bad content


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_one(rel: str, path: Path, spec: ChunkerSpec) -> ReadResult:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return ReadResult(rel, skipped=f"unreadable ({exc.strerror or type(exc).__name__})", gone=True)
    digest = file_hash(data)  # the bytes actually indexed, even if the file moved on since the check
    try:
        chunks = spec.build().chunk(rel, digest, read_sections(path, data))
    except UnreadableFile as exc:
        return ReadResult(rel, digest, len(data), skipped=exc.reason)
    return ReadResult(rel, digest, len(data), chunks)


class FileReader:
    """Read results in the order of ``todo``; with a pool, the workers read ahead of the consumer.

    ``ready()`` tells whether the next result would come without waiting, so the consumer can
    use the wait for other work (embedding) instead of blocking.
    """

    def __init__(self, todo: list[tuple[str, Path]], spec: ChunkerSpec) -> None:
        self._spec = spec
        self._waiting: deque = deque(todo)  # not handed to a worker yet
        self._pending: deque = deque()  # futures, in order
        self._pool: Any = None
        if _worth_a_pool(todo):
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # spawn, not fork: the parent may be a kernel with threads (ZMQ, ONNX Runtime) that fork would copy mid-state.
            self._pool = ProcessPoolExecutor(WORKERS, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_ignore_sigint)
            self._submit()

    def _submit(self) -> None:
        while self._waiting and len(self._pending) < AHEAD:
            rel, path = self._waiting.popleft()
            self._pending.append(self._pool.submit(read_one, rel, path, self._spec))

    def ready(self) -> bool:
        return self._pool is None or not self._pending or self._pending[0].done()

    def next(self) -> ReadResult | None:
        if self._pool is None:
            if not self._waiting:
                return None
            rel, path = self._waiting.popleft()
            return read_one(rel, path, self._spec)
        if not self._pending:
            return None
        result = self._pending.popleft().result()
        self._submit()
        return result

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> "FileReader":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _worth_a_pool(todo: list[tuple[str, Path]]) -> bool:
    if len(todo) < POOL_MIN_FILES:
        return False
    total = 0
    for _, path in todo:
        try:
            total += path.stat().st_size
        except OSError:
            continue
        if total >= POOL_MIN_BYTES:
            return True
    return False


def _ignore_sigint() -> None:
    # Ctrl-C is the parent's to handle: it stops the update and shuts the pool down.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
