"""The vector pass: embed the chunks that wait for a vector and store them in Chroma.

Chunks are taken a window at a time in the order they were added, sorted by
length inside the window so each model batch pads little, and written to
Chroma in one upsert per window. Identical texts in a window share one vector.
The pass can stop between batches without losing finished work, and any later
run resumes what is left.
"""

from __future__ import annotations

import atexit
import threading
import time
import weakref
from typing import Any, Callable

from jupyter_docchat.store.catalog import Catalog
from jupyter_docchat.store.records import TodoRow
from jupyter_docchat.types import embed_text
from jupyter_docchat.store.vectors import VectorStore

WINDOW = 1024
BATCH = 32

Progress = Callable[[int], None]  # called with the number of chunks just embedded


class VectorFill:
    def __init__(self, catalog: Catalog, vectors: VectorStore, embedder: Any, collection: str,
                 on_progress: Progress | None = None, stop: threading.Event | None = None) -> None:
        self.catalog, self.vectors, self.embedder, self.collection = catalog, vectors, embedder, collection
        self.on_progress = on_progress
        self.stop = stop or threading.Event()
        self.embedded = 0  # texts the model embedded
        self.stored = 0  # chunks whose vector was stored (duplicates share one embedding)
        self.seconds = {"embed": 0.0, "write": 0.0}

    def run(self) -> int:
        """Fill until nothing waits or ``stop`` is set; returns the chunks stored."""
        while not self.stop.is_set():
            if not self.step(WINDOW):
                break
        return self.stored

    def step(self, limit: int) -> int:
        """Embed and store up to ``limit`` waiting chunks; returns how many were stored."""
        rows = self.catalog.todo(self.collection, limit)
        if not rows:
            return 0
        texts: dict[str, str] = {}  # text hash -> what the model sees, once per distinct text
        uses: dict[str, int] = {}
        for row in rows:
            texts.setdefault(row.text_hash, embed_text(row.heading, str(row.meta.get("source", "")), row.text))
            uses[row.text_hash] = uses.get(row.text_hash, 0) + 1
        by_hash: dict[str, list[float]] = {}
        started = time.perf_counter()
        try:
            self._embed(texts, uses, by_hash)
        finally:  # Ctrl-C or a failure mid-window still keeps the batches already embedded
            self.seconds["embed"] += time.perf_counter() - started
            stored = self._store([row for row in rows if row.text_hash in by_hash], by_hash)
        return stored

    def _store(self, rows: list[TodoRow], by_hash: dict[str, list[float]]) -> int:
        if not rows:
            return 0
        started = time.perf_counter()
        ids = [r.id for r in rows]
        self.vectors.upsert_rows(ids, [by_hash[r.text_hash] for r in rows], [r.text for r in rows], [r.meta for r in rows])
        self.catalog.vectors_stored(self.collection, ids)
        self.seconds["write"] += time.perf_counter() - started
        self.stored += len(rows)
        return len(rows)

    def _embed(self, texts: dict[str, str], uses: dict[str, int], out: dict[str, list[float]]) -> None:
        order = sorted(texts, key=lambda h: len(texts[h]))
        for start in range(0, len(order), BATCH):
            if start and self.stop.is_set():
                break
            batch = order[start : start + BATCH]
            for text_hash, vector in zip(batch, self.embedder.embed_documents([texts[h] for h in batch])):
                out[text_hash] = vector
            self.embedded += len(batch)
            if self.on_progress:
                self.on_progress(sum(uses[h] for h in batch))


class FillJob(threading.Thread):
    """The vector pass on a thread of its own, holding the store's write lock until it ends.

    It uses its own SQLite connection; ``stop()`` ends it after the current batch,
    and whatever it did not finish waits for the next run. When the interpreter exits, running
    passes are stopped that way and waited for (``_stop_running_jobs``).
    """

    def __init__(self, open_catalog: Callable[[], Catalog], vectors: VectorStore, embedder: Any, collection: str,
                 release: Callable[[], None], on_done: Callable[[Catalog], None],
                 guard: Callable[[], Any], total: int = 0, lock_path: str = "") -> None:
        super().__init__(name=f"docchat-vectors-{collection}", daemon=True)
        self.lock_path = lock_path  # the store's write lock, which it holds until it ends
        self._open_catalog, self._release, self._on_done, self._guard = open_catalog, release, on_done, guard
        self.vectors, self.embedder, self.collection = vectors, embedder, collection
        self.stop_event = threading.Event()
        self.total = total  # chunks waiting when the job started
        self.done = 0
        self.error = ""
        self.started_at = time.monotonic()
        self.finished_at: float | None = None

    def run(self) -> None:
        catalog = None
        try:
            with self._guard():
                catalog = self._open_catalog()
                self.total = catalog.todo_count(self.collection)
                fill = VectorFill(catalog, self.vectors, self.embedder, self.collection,
                                  on_progress=self._tick, stop=self.stop_event)
                fill.run()
                if not self.stop_event.is_set():
                    self._on_done(catalog)
        except Exception as exc:  # shown by whoever watches the job; the store stays resumable
            self.error = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        finally:
            if catalog is not None:
                catalog.close()
            self.finished_at = time.monotonic()
            self._release()

    def start(self) -> None:
        _register_at_exit()
        _running.add(self)
        super().start()

    def _tick(self, n: int) -> None:
        self.done += n

    def stop(self, wait: bool = True) -> None:
        self.stop_event.set()
        if wait:
            self.join()

    @property
    def seconds(self) -> float:
        return (self.finished_at or time.monotonic()) - self.started_at

    @property
    def state(self) -> str:
        if self.is_alive():
            return "running"
        if self.error:
            return "failed"
        return "stopped" if self.stop_event.is_set() and self.done < self.total else "done"


EXIT_WAIT = 120.0  # seconds a batch in flight is given to finish when the interpreter exits
_running: "weakref.WeakSet[FillJob]" = weakref.WeakSet()
_exit_lock = threading.Lock()
_exit_registered = False


def _register_at_exit() -> None:
    """Registered when the first pass starts, after Chroma and onnxruntime registered theirs, so it runs
    before them (atexit runs last registered first)."""
    global _exit_registered
    with _exit_lock:
        if not _exit_registered:
            atexit.register(_stop_running_jobs)
            _exit_registered = True


def running_job(lock_path: str) -> FillJob | None:
    """The vector pass of this process holding the write lock at ``lock_path``, if one is running."""
    return next((job for job in list(_running) if job.is_alive() and job.lock_path == lock_path), None)


def _stop_running_jobs() -> None:
    """Stop every running pass after its batch and wait for it. A daemon thread still inside onnxruntime
    when the process tears onnxruntime down aborts the process ("terminate called without an active
    exception", exit 134); stopped here, it stores its batch, releases the lock, and the next run resumes."""
    jobs = [job for job in list(_running) if job.is_alive()]
    for job in jobs:
        job.stop_event.set()
    for job in jobs:
        job.join(EXIT_WAIT)
