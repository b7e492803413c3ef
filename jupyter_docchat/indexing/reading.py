"""Read and split the files an update needs, in worker processes when there are many.

Reading HTML and PDF is CPU work of its own (about 1 MB/s per core here); with
two workers the lexical side of a large folder is ready in half the time, and
in the overlapped mode the main process embeds while the workers read ahead.
"""

from __future__ import annotations

import os
import pickle
import queue
import selectors
import subprocess
import sys
import threading
import time
from concurrent import futures
from concurrent.futures import Future
from dataclasses import dataclass
from collections import deque
from pathlib import Path
from typing import Callable

from jupyter_docchat.indexing.read_progress import Progress, listening
# What a worker runs, in a module of its own (read_file); named here too, where the callers have found them.
from jupyter_docchat.indexing.read_file import (NO_TEXT, NO_TEXT_PDF, ChunkerSpec, ReadResult, file_hash, read_one,
                                                unreadable)
from jupyter_docchat.indexing.readers import (CODE_EXTS, HTML_EXTS, LATEX_EXTS, MARKDOWN_EXTS, RST_EXTS, TABLE_EXTS,
                                              TEXT_EXTS, format_suffix, read_as)
from jupyter_docchat.indexing.scan import file_stamp

__all__ = ["NO_TEXT", "NO_TEXT_PDF", "ChunkerSpec", "ReadResult", "file_hash", "read_one", "unreadable", "FileReader",
           "WorkerPool", "early_pool", "PoolShape", "pool_shape", "reads_here"]

# A pool costs about a second to start (imports in each worker), so small updates read in-process.
POOL_MIN_BYTES = 2 * 1024 * 1024
POOL_MIN_FILES = 8
WORKERS = 2
AHEAD = 32  # files read ahead of the consumer at most, so memory does not grow with the folder
# Files this process reads ahead of the consumer at most (FileReader._read_here), besides: small ones (HERE_MAX_BYTES),
# read while a worker starts. Within AHEAD alone it waited for the worker once it had read the 31 behind its first.
HERE_AHEAD = 256
IN_FLIGHT = 2  # requests written to a worker at once: one it reads, the next waiting in its pipe (WorkerPool._drive)
# A file whose reading shows no progress (read_progress: pages, characters chunked) for this long in a
# worker is skipped and named, and the worker replaced; one that keeps progressing is read however long.
READ_TIME_LIMIT = float(os.environ.get("DOCCHAT_READ_TIME_LIMIT", "120"))
# While the workers' next result is not in, this process reads a file the workers have not taken yet itself, when it
# is as small as this and of a format read in Python alone (not PDF, .docx or a notebook: native parsers, and heavy
# imports this process may not hold). A worker's start is 0.1-0.15 CPU-s and its every result is pickled twice: on two
# cores one worker and this process read a folder of small pages (mpich's 966) in a fifth less CPU than two workers.
HERE_MAX_BYTES = 64 * 1024
HERE_FORMATS = frozenset(TEXT_EXTS | LATEX_EXTS | TABLE_EXTS | MARKDOWN_EXTS | RST_EXTS | HTML_EXTS | CODE_EXTS)
HERE_SHARE = 0.75  # of the bytes to read, in files read here too: then one worker fewer (_pool_shape)

OnProgress = Callable[[str, int, int, str], None]  # (file, done, total, unit) inside one file


class FileReader:
    """Read results in the order of ``todo``; with a pool, the workers read ahead of the consumer.

    ``ready()`` tells whether the next result would come without waiting, so the consumer can
    use the wait for other work (embedding) instead of blocking.
    """

    def __init__(self, todo: list[tuple[str, Path]], spec: ChunkerSpec,
                 exempt: Callable[[str], bool] = lambda rel: False, on_progress: OnProgress | None = None,
                 pool: "WorkerPool | None" = None) -> None:
        """``pool``: workers started earlier (``early_pool``), used whatever ``todo`` holds. Otherwise a pool is
        started here when ``todo`` is worth one. close() shuts either down."""
        self._spec, self._exempt, self._on_progress = spec, exempt, on_progress
        self._waiting: deque = deque(todo)  # not handed to a worker yet
        self._pending: deque = deque()  # (future, rel, path), in order: handed to the pool, or read here
        self._pooled = 0  # of them, handed to the pool
        self._here: dict[Path, bool] = {}  # reads_here of each file asked about, asked once
        self._pool: WorkerPool | None = pool
        if pool is not None:
            pool.on_progress = on_progress
        elif sys.executable and (shape := pool_shape(todo)) is not None:
            self._pool = WorkerPool(shape.workers, on_progress=on_progress, formats=shape.formats)
        # Only with a core of its own besides the workers': on two cores beside two workers (nut's PDFs) its reading
        # took theirs, and the whole waited on them (keyword search ready 3.3 -> 3.8 s).
        self._reads_too = self._pool is not None and self._pool.workers < (os.cpu_count() or 1)
        if self._pool is not None:
            self._submit()

    def _submit(self) -> None:
        pool = self._pool
        while pool is not None and self._waiting and self._pooled < AHEAD:
            rel, path = self._waiting.popleft()
            self._pending.append((pool.submit(rel, path, self._spec, not self._exempt(rel)), rel, path))
            self._pooled += 1

    def ready(self, wait: float = 0.0) -> bool:
        """Whether the next result would come without waiting, once it has been waited for ``wait`` seconds at most
        (or a file has been read here meanwhile, ``_read_here``)."""
        if self._pool is None or not self._pending:
            return True
        head = self._pending[0][0]
        until = time.monotonic() + wait
        while wait > 0 and not head.done() and time.monotonic() < until:
            if not self._read_here():
                futures.wait([head], timeout=until - time.monotonic())
        return head.done()

    def next(self) -> ReadResult | None:
        if self._pool is None:
            if not self._waiting:
                return None
            rel, path = self._waiting.popleft()
            return self._read(rel, path)
        if not self._pending:
            return None
        while not self._pending[0][0].done() and self._read_here():
            pass
        future, _, _ = self._pending.popleft()
        self._pooled -= not isinstance(future, _ReadHere)
        result = future.result()
        self._submit()
        return result

    def _read(self, rel: str, path: Path) -> ReadResult:
        if self._on_progress is None:
            return read_one(rel, path, self._spec, not self._exempt(rel))
        on_progress = self._on_progress
        with listening(lambda done, total, unit: on_progress(rel, done, total, unit)):
            return read_one(rel, path, self._spec, not self._exempt(rel))

    def _read_here(self) -> bool:
        """Read one file in this process rather than wait for the workers' next result, if one is small and of a
        format read here (``reads_here``); whether one was. The last handed to the pool that no worker has taken
        (the workers reach it last), else the next not handed out, within HERE_AHEAD: the results still come in
        order."""
        if not self._reads_too:
            return False
        for n in range(len(self._pending) - 1, 0, -1):  # not the first: that one is waited for
            future, rel, path = self._pending[n]
            if isinstance(future, _ReadHere) or future.done() or future.running() or not self._reads_here(path):
                continue
            if not future.cancel():  # a worker took it meanwhile
                continue
            self._pending[n] = (self._read_into(rel, path), rel, path)
            self._pooled -= 1
            self._submit()
            return True
        if self._waiting and len(self._pending) - self._pooled < HERE_AHEAD and self._reads_here(self._waiting[0][1]):
            rel, path = self._waiting.popleft()
            self._pending.append((self._read_into(rel, path), rel, path))
            return True
        return False

    def _reads_here(self, path: Path) -> bool:
        here = self._here.get(path)
        if here is None:
            here = self._here[path] = reads_here(path)
        return here

    def _read_into(self, rel: str, path: Path) -> "_ReadHere":
        done = _ReadHere()
        try:
            done.set_result(self._read(rel, path))
        except Exception as exc:  # as a worker's reply would carry it, in its turn
            done.set_exception(exc)
        return done

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None

    def __enter__(self) -> "FileReader":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _ReadHere(Future):
    """The result of a file FileReader read in its own process."""


def early_pool(files: list[tuple[str, Path]], recorded: dict[str, tuple[int, int]]) -> "WorkerPool | None":
    """Reading workers started at once, before an update's other set-up (the store's lock, Chroma, the
    embedding model), when the files whose size or modification time differ from ``recorded`` are worth a
    pool: a worker's imports (LangChain's splitters, the readers) take about a second of its own, which then
    runs beside that set-up instead of before the first file is read. The FileReader given it shuts it down
    after reading; the caller shuts it down too, in case reading never started (a second shutdown does nothing)."""
    changed, sizes = [], []
    for rel, path in files:
        try:
            stamp = file_stamp(path)
        except OSError:
            continue
        if recorded.get(rel) != stamp:
            changed.append((rel, path))
            sizes.append(stamp[0])
    shape = _pool_shape(changed, sizes)
    if shape is None or not sys.executable:
        return None
    return WorkerPool(shape.workers, eager=True, formats=shape.formats)


def reads_here(path: Path) -> bool:
    """Whether the reading process itself may read this file while it waits for the workers (FileReader._read_here)."""
    if format_suffix(path) not in HERE_FORMATS:  # a gzipped page is not: its size says little of what it unpacks to
        return False
    try:
        return path.stat().st_size <= HERE_MAX_BYTES
    except OSError:
        return False  # a worker names what is wrong with it


@dataclass(frozen=True)
class PoolShape:
    """The reading workers a list of files is worth: how many, and the formats they import the readers of before
    they say they are ready."""

    workers: int
    formats: frozenset[str]


def pool_shape(todo: list[tuple[str, Path]]) -> PoolShape | None:
    """The workers ``todo`` is worth, None for none (few or small files: read in this process)."""
    sizes: list[int | None] = []
    for _, path in todo:
        try:
            sizes.append(path.stat().st_size)
        except OSError:
            sizes.append(None)  # its reader names what is wrong with it
    return _pool_shape(todo, sizes)


def _pool_shape(todo: list[tuple[str, Path]], sizes: list[int] | list[int | None]) -> PoolShape | None:
    """``pool_shape`` of files of ``sizes``, in one pass over them (an update's set-up, before the first file is read).
    One worker fewer than WORKERS where this process would take a core of its own otherwise left to them and can read
    HERE_SHARE of the bytes or more itself (``reads_here``): the rest (PDFs, large pages) is the workers' alone, and
    with one worker fewer they read it at that worker's pace once this process has read its share."""
    if len(todo) < POOL_MIN_FILES:
        return None
    total = here = 0
    formats: set[str] = set()
    for (_, path), size in zip(todo, sizes):
        own = format_suffix(path)
        ext = format_suffix(read_as(path)) if own == ".gz" else own  # page.html.gz: .html
        if ext:
            formats.add(ext)
        if size is not None:
            total += size
            here += size if size <= HERE_MAX_BYTES and own in HERE_FORMATS else 0
    if total < POOL_MIN_BYTES:
        return None
    workers = WORKERS if (os.cpu_count() or 1) > WORKERS or here < HERE_SHARE * total else max(WORKERS - 1, 1)
    return PoolShape(workers, frozenset(formats))


class WorkerPool:
    """Reading workers started as ``python -m jupyter_docchat.indexing.read_worker``, one thread driving each.

    Not multiprocessing: its spawn re-runs the parent's ``__main__`` (a user's unguarded script
    would index again in every worker) and its workers outlive a parent killed by a signal. These
    workers are killed with their parent on Linux (read_worker._die_with_parent), and elsewhere exit
    when their stdin closes, which the OS does for us when the parent dies.
    """

    def __init__(self, workers: int, time_limit: float | None = None, on_progress: OnProgress | None = None,
                 eager: bool = False, formats: frozenset[str] | None = None) -> None:
        """``eager``: start the worker processes now rather than at the first request. ``formats``: the
        suffixes of the files expected (their readers are imported before a worker is ready; any other
        file is still read, its reader imported when it comes); None: every format."""
        self.formats = formats
        self.workers = workers
        self.time_limit = READ_TIME_LIMIT if time_limit is None else time_limit  # of no progress
        self.on_progress = on_progress
        self._eager = eager
        self._jobs: queue.Queue = queue.Queue()
        self._procs: list[subprocess.Popen] = []
        self._lock = threading.Lock()
        self._closed = False
        self._threads = [threading.Thread(target=self._drive, name=f"docchat-reader-{n}", daemon=True)
                         for n in range(workers)]
        for thread in self._threads:
            thread.start()

    def submit(self, rel: str, path: Path, spec: ChunkerSpec, checks: bool = True) -> Future:
        future: Future = Future()
        self._jobs.put((future, (rel, path, spec, checks)))
        return future

    def shutdown(self) -> None:
        self._closed = True
        while True:  # nobody will ask for the rest
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                break
            if job is not None:
                job[0].cancel()
        for _ in self._threads:
            self._jobs.put(None)
        with self._lock:
            procs = list(self._procs)
        for proc in procs:  # an idle worker exits at end of input; a busy one is not waited for
            if proc.poll() is None and proc.stdin:
                try:
                    proc.stdin.close()
                except OSError:
                    pass
        for thread in self._threads:
            thread.join(timeout=2)
        for proc in procs:
            _stop(proc)

    def _spawn(self) -> subprocess.Popen:
        env = dict(os.environ)
        # The child must import this very copy of the package, wherever the parent found it.
        here = str(Path(__file__).resolve().parents[2])  # the folder holding jupyter_docchat/
        env["PYTHONPATH"] = os.pathsep.join([here, env["PYTHONPATH"]]) if env.get("PYTHONPATH") else here
        env["DOCCHAT_READER_PARENT"] = str(os.getpid())  # read_worker.PARENT_VARIABLE (not imported here)
        if self.formats is not None:  # read_worker.FORMATS_VARIABLE
            env["DOCCHAT_READER_FORMATS"] = ",".join(sorted(self.formats))
        else:
            env.pop("DOCCHAT_READER_FORMATS", None)
        proc = subprocess.Popen([sys.executable, "-m", "jupyter_docchat.indexing.read_worker"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, env=env, close_fds=True)
        with self._lock:
            self._procs.append(proc)
        assert proc.stdout is not None
        os.read(proc.stdout.fileno(), 1)  # READY, or b"" if it died: the next request then reports the failure
        return proc

    def _drive(self) -> None:
        """Hand one worker its requests. The next request is written to the worker before the reply to the one
        it reads comes back, so it starts the next file at once instead of idling while this process takes the
        reply and writes the next request (mpich's 966 small pages: each worker idled a third of its pass on
        two busy cores). A request's time limit still counts from the worker's last message, which is when it
        starts on the queued file."""
        proc: subprocess.Popen | None = None
        messages: _Messages | None = None  # proc's, kept: its buffer may hold the start of the next reply
        sent: deque = deque()  # (future, request) written to proc, replies not read yet, in order
        again: deque = deque()  # written to a worker that failed before reaching them: for the next worker
        try:
            if self._eager:
                try:
                    proc = self._spawn()
                except OSError:
                    proc = None  # the first request tries again, and reports a failure to its caller
            while True:
                while len(sent) < IN_FLIGHT:
                    if again:
                        job = again.popleft()
                    else:
                        try:
                            job = self._jobs.get(block=not sent)
                        except queue.Empty:
                            break
                        if job is None or self._closed:
                            if job is not None:
                                job[0].cancel()
                            for future, _ in (*again, *sent):  # taken, but nobody waits for them any more
                                future.set_exception(RuntimeError("reading stopped"))
                            return
                        if not job[0].set_running_or_notify_cancel():
                            continue
                    future, request = job
                    if proc is None or proc.poll() is not None:
                        if sent:  # it failed holding files of ours: the reply to the first says how, first
                            again.appendleft(job)
                            break
                        try:
                            proc = self._spawn()
                        except Exception as exc:  # the caller hears of it; the next file tries a fresh worker
                            future.set_exception(exc)
                            proc = None
                            continue
                        messages = None
                    try:
                        _write(proc, request)
                    except OSError:  # it died
                        if sent:
                            again.appendleft(job)
                            break
                        future.set_result(_failed(proc, request[0]))
                        _stop(proc)
                        proc = None
                        continue
                    sent.append(job)
                if not sent:
                    continue
                assert proc is not None and proc.stdout is not None
                if messages is None:
                    messages = _Messages(proc.stdout.fileno())
                future, request = sent.popleft()
                reply, proc_ok = self._reply(proc, messages, request[0])
                if not proc_ok:
                    _stop(proc)
                    proc = None
                    again.extendleft(reversed(sent))  # the next worker reads them, in the same order
                    sent.clear()
                if isinstance(reply, BaseException):
                    future.set_exception(reply)
                else:
                    future.set_result(reply)
        finally:
            if proc is not None:
                _stop(proc)

    def _reply(self, proc: subprocess.Popen, messages: "_Messages", rel: str) -> tuple[object, bool]:
        """The worker's reply to the request for ``rel``, and whether the worker can take another. The time
        limit counts from the worker's last message: its progress ticks (``read_progress``), then the reply."""
        try:
            while True:
                message = messages.next(self.time_limit)
                if message is _SILENT:
                    return ReadResult(rel, skipped=f"no progress in {self.time_limit:g} s of reading"), False
                if not isinstance(message, Progress):
                    return message, True
                if self.on_progress is not None:
                    self.on_progress(rel, message.done, message.total, message.unit)
        except (EOFError, OSError, pickle.UnpicklingError):
            return _failed(proc, rel), False


def _write(proc: subprocess.Popen, request: tuple) -> None:
    assert proc.stdin is not None
    pickle.dump(request, proc.stdin, protocol=pickle.HIGHEST_PROTOCOL)
    proc.stdin.flush()


def _failed(proc: subprocess.Popen, rel: str) -> ReadResult:
    code = proc.poll()
    why = f"exit code {code}" if code is not None else "no answer"
    return ReadResult(rel, skipped=f"its reader process failed ({why})")


_SILENT = object()
# Bytes asked of a worker's pipe at once. Not a megabyte: os.read allocates what it is asked for before it reads, and a
# megabyte for each reply of a few kilobytes was 25 µs more a read (mpich's 966 pages: the most of the threads' time).
READ_BYTES = 64 * 1024


class _Messages:
    """A worker's messages as ``read_worker.send`` frames them (8 bytes of length, then a pickle), each
    waited for at most a time limit. Read straight from the descriptor: a buffered ``pickle.load`` could
    hold the next message in its buffer while the selector waits on an empty pipe."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buffer = bytearray()

    def next(self, timeout: float) -> object:
        """The next message, or _SILENT when no byte came for ``timeout`` seconds; EOFError at the end."""
        # A selector, not select.select: a kernel holding over 1,024 open files would fail there.
        with selectors.DefaultSelector() as selector:
            selector.register(self.fd, selectors.EVENT_READ)
            while True:
                if len(self.buffer) >= 8:
                    size = int.from_bytes(self.buffer[:8], "big")
                    if len(self.buffer) >= 8 + size:
                        payload = bytes(self.buffer[8:8 + size])
                        del self.buffer[:8 + size]
                        return pickle.loads(payload)
                if not selector.select(timeout):
                    return _SILENT
                data = os.read(self.fd, READ_BYTES)
                if not data:
                    raise EOFError("the worker closed its output")
                self.buffer += data


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.kill()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass
    for stream in (proc.stdin, proc.stdout):
        try:
            if stream:
                stream.close()
        except OSError:
            pass
