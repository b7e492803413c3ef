"""The Chroma side of the store: vectors keyed by chunk id.

Chroma is always given vectors we computed; the collection is opened with no
embedding function so Chroma never falls back to its downloading default.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import os
import re
import shutil
import sqlite3
import stat
import tempfile
import uuid
import threading
from pathlib import Path
from typing import Any, Iterator

from jupyter_docchat.store.chroma_import import import_chromadb
from jupyter_docchat.store.locks import while_locked
from jupyter_docchat.store.records import ChunkRow
from jupyter_docchat.types import Chunk
from jupyter_docchat.errors import DocChatError, EmbeddingError, StoreError, first_line
from jupyter_docchat.safe_text import hide_credentials

_MAX_BATCH = 4000
# Chroma's refusal of a vector of another length than the collection's: the model (or its server) changed.
_DIMENSIONS = re.compile(r"expecting embedding with dimension of (\d+), got (\d+)")
# How many candidates Chroma's HNSW graph explores for a query (its default is 100). At 100 the dense side's
# first 30 held 0.93 of the exact first 30 on django's 69 questions (one query none of them), and its first
# chunk was not the nearest for 5; at 400, 0.991 and 1. A store updated in place loses more: the graph keeps
# its replaced points.
SEARCH_EF = 400
CHROMA_DIR = "chroma"  # the Chroma folder inside a local store
_NAME = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9._-]{1,510}[a-zA-Z0-9]$")


def check_collection_name(name: str) -> str:
    if not isinstance(name, str) or not _NAME.fullmatch(name):  # match: its "$" let a final line break through
        raise DocChatError(
            f"invalid collection name {name!r}: use 3-512 letters, digits, '.', '_' or '-', starting and ending with a letter or digit"
        )
    return name


def _settings() -> Any:
    chromadb = import_chromadb()
    return chromadb.Settings(anonymized_telemetry=False, allow_reset=False)


def open_client(store: Path | None = None, server: str = "", token: str = "", read_only: bool = False) -> Any:
    """A Chroma client: on-disk under ``store/chroma`` (``CHROMA_DIR``) (a copy of it when the store is ``read_only``) or an
    HTTP client for ``server``."""
    chromadb = import_chromadb()

    try:
        if server:
            from urllib.parse import urlparse

            url = urlparse(server if "://" in server else f"http://{server}")
            headers = {"Authorization": f"Bearer {token}"} if token else None
            return chromadb.HttpClient(host=url.hostname or "127.0.0.1", port=url.port or (443 if url.scheme == "https" else 8000),
                                       ssl=url.scheme == "https", headers=headers, settings=_settings())
        assert store is not None
        if (store / CHROMA_DIR).exists() and not (store / CHROMA_DIR).is_dir():  # else "File exists (os error 17)"
            raise StoreError(f"{store / CHROMA_DIR} is not a folder, and the store keeps its vectors there: move it aside "
                             "and index the folder again", remedy="index")
        folder = _writable_copy(store / CHROMA_DIR) if read_only else store / CHROMA_DIR
        _forget_deleted(chromadb, folder)
        client = chromadb.PersistentClient(path=str(folder), settings=_settings())
        client._docchat_system = _cached_systems(chromadb).get(str(folder))  # what close_client may release
        return client
    except DocChatError:
        raise
    except Exception as exc:
        where = hide_credentials(server) or str(store)
        raise StoreError(f"cannot open the Chroma store at {where}: {hide_credentials(first_line(exc))}") from exc


def _forget_deleted(chromadb: Any, folder: Path) -> None:
    """Chroma keeps one open database per folder for the process: once the folder is deleted (by hand,
    while the kernel runs) every write to it fails as "attempt to write a readonly database". A folder
    whose database is gone is opened afresh."""
    if (folder / "chroma.sqlite3").exists():
        return
    system = _uncached(chromadb, folder)
    if system is not None:
        try:
            system.stop()
        except Exception:  # its files are gone: there is nothing left to close cleanly
            pass


def _shared_systems(chromadb: Any) -> Any:
    """Chroma's class that keeps the process's systems, one per folder, and how many clients hold each."""
    return getattr(getattr(chromadb.api, "shared_system_client", None), "SharedSystemClient", None)


def _cached_systems(chromadb: Any) -> dict[str, Any]:
    cached = getattr(_shared_systems(chromadb), "_identifier_to_system", None)
    return cached if isinstance(cached, dict) else {}


def close_client(client: Any) -> None:
    """Let go of a client's share of Chroma's system for its folder: the last share closes its database and
    files. Chroma keeps one system per folder for the process, counted by its clients; one never closed kept
    about a dozen descriptors open for good, for every store a process opened (a script indexing folder after
    folder, the test suite past 1,024). A client whose system was taken out of the cache (reopened, or its
    folder deleted) is left alone: its count is now another system's."""
    system = getattr(client, "_docchat_system", None)
    if system is None or _cached_systems(import_chromadb()).get(str(getattr(client, "_identifier", ""))) is not system:
        return
    try:
        client.close()
    except Exception:  # closing is tidying up: a failure to close leaves things as they were before
        pass


def system_stopped(exc: BaseException) -> bool:
    """Whether ``exc`` (or an error it came from) is Chroma's for a client whose system was stopped: only a close
    stops it, so a call that meets it was closed under, whatever the counts of closes say (a call that took a client
    just as another thread's close let go of the folder's shared system, once in a few CI runs)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, AttributeError) and "RustBindingsAPI" in str(current) and "bindings" in str(current):
            return True
        current = current.__cause__ or current.__context__
    return False


def _uncached(chromadb: Any, folder: Path) -> Any:
    """Take the folder's system out of the process's cache of Chroma systems, so the next client opens it afresh;
    the system taken out, or None."""
    getattr(_shared_systems(chromadb), "_identifier_to_refcount", {}).pop(str(folder), None)
    return _cached_systems(chromadb).pop(str(folder), None)


# Chroma's on-disk client keeps a collection's vector index in memory and never sees vectors another process
# adds (chroma-core/chroma#3769): a kernel answered from the vectors it had when it first searched, however
# often another kernel or `docchat index` updated the store. Every process that writes vectors leaves its mark
# in this file; a process that finds another's mark opens Chroma afresh (DocIndex.vectors, reopen_client).
WRITER_FILE = "docchat-writer"
_WRITER = f"{os.getpid()}-{uuid.uuid4().hex}"  # this process's mark


def chroma_vector_counts(folder: Path) -> dict[str, int] | None:
    """How many vectors each collection of a Chroma folder holds, read from its SQLite file without loading
    Chroma (a status must stay quick); None when it cannot be read so (no file yet, another Chroma's layout)."""
    path = folder / "chroma.sqlite3"
    if not path.is_file():
        return None
    try:
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=1)
        try:
            rows = connection.execute("SELECT c.name, COUNT(e.id) FROM collections c LEFT JOIN segments s ON "
                                      "s.collection = c.id LEFT JOIN embeddings e ON e.segment_id = s.id GROUP BY c.name")
            return {str(name): int(count) for name, count in rows}
        finally:
            connection.close()
    except sqlite3.Error:
        return None


_MARK_BYTES = 256  # a mark is a pid, a uuid, a count and a word


def writer_mark(folder: Path) -> str:
    """The mark of the process that last wrote vectors into the Chroma ``folder`` ("" when none did, or when
    something else stands in its place). Read before every search: a FIFO or a link to /dev/zero put there
    (a shared store) blocked every search for ever, so it is opened non-blocking, read only if a regular
    file, and only its first bytes."""
    try:
        fd = os.open(folder / WRITER_FILE, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError:
        return ""
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return ""
        return os.read(fd, _MARK_BYTES).decode("ascii", errors="replace").strip()
    except OSError:
        return ""
    finally:
        os.close(fd)


_WRITES = itertools.count(1)
SETTLED = "settled"


def _write_mark(folder: Path, *words: str) -> None:
    # Written beside and moved in place: opening a FIFO put there for writing blocked the update for ever,
    # and the move replaces it (or a link) with the mark.
    temporary = folder / f"{WRITER_FILE}.{_WRITER}"
    try:
        temporary.write_text(" ".join([_WRITER, str(next(_WRITES)), *words]), encoding="ascii")
        os.replace(temporary, folder / WRITER_FILE)
    except OSError:  # a store that cannot take the mark still takes vectors: others reopen on their restart
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)


def _mark_written(folder: Path | None) -> None:
    """Every write leaves a new mark: a reader sees that another process's vectors changed since it opened Chroma."""
    if folder is not None:
        _write_mark(folder)


def written_by_another(mark: str) -> bool:
    return bool(mark) and mark.split(" ")[0] != _WRITER


def settle_mark(folder: Path) -> None:
    """Say that this process's writes are done (an update or a vector pass finished): a reader opens Chroma
    afresh for a settled mark at once, and during another process's pass only now and then (REOPEN_EVERY)."""
    _write_mark(folder, SETTLED)


def settled(mark: str) -> bool:
    return mark.endswith(f" {SETTLED}")


# Chroma does not give back the memory of a client opened afresh, stopped or not: about 11 MB a reopen on a
# store of 2,283 chunks (more on a larger one). So a reader reopens for a settled mark, and while another
# process's vector pass runs (a new mark every batch) at most once in this many seconds.
REOPEN_EVERY = 300.0


def reopen_client(store: Path, replaced: Any = None) -> Any:
    """A client on ``store`` that reads Chroma's files afresh, in place of ``replaced``. That one is closed when it
    alone holds its system (Chroma counts the clients of each): left open, each reopen kept its database and files
    for good. A system other clients hold (another index on the store, a vector pass under way writing through
    it) is left to them, not stopped, and so is one already taken out of the cache (close_client)."""
    chromadb = import_chromadb()
    folder = store / CHROMA_DIR
    if replaced is not None and _sole_holder(chromadb, replaced, folder):
        close_client(replaced)
    _uncached(chromadb, folder)
    return open_client(store)


def _sole_holder(chromadb: Any, client: Any, folder: Path) -> bool:
    """Whether ``client`` is the only client of the system the cache holds for ``folder``. A client counts twice:
    itself and the admin client it makes (Chroma's Client.close lets go of both)."""
    system = getattr(client, "_docchat_system", None)
    counts = getattr(_shared_systems(chromadb), "_identifier_to_refcount", {})
    own = 2 if hasattr(client, "_admin_client") else 1
    return (system is not None and _cached_systems(chromadb).get(str(folder)) is system
            and isinstance(counts, dict) and counts.get(str(folder)) == own)


_copies: dict[tuple[Path, int], Path] = {}
_copies_lock = threading.Lock()


def _writable_copy(folder: Path) -> Path:
    """A temporary copy of a read-only Chroma folder, made once per process (and per state of the folder)
    and removed at exit. Chroma writes to its database when it opens one and has no read-only client
    (chroma-core/chroma#1438), so a store on a read-only mount is searched from a copy."""
    try:
        stamp = (folder / "chroma.sqlite3").stat().st_mtime_ns
    except FileNotFoundError:
        stamp = 0  # no vectors yet: an empty copy
    with _copies_lock:
        copy = _copies.get((folder, stamp))
        if copy is None or not copy.is_dir():
            scratch = Path(tempfile.mkdtemp(prefix="docchat-read-only-"))
            atexit.register(shutil.rmtree, scratch, ignore_errors=True)
            copy = scratch / "chroma"
            if stamp:
                shutil.copytree(folder, copy)
            _copies[(folder, stamp)] = copy
    return copy


class VectorStore:
    def __init__(self, client: Any, name: str, embeddings: str, where: str = "", folder: Path | None = None) -> None:
        self.where = where or "the Chroma store"
        self.folder = folder  # a local store's Chroma folder: writes leave this process's mark there
        self.client, self.name = client, check_collection_name(name)
        try:
            self.collection = client.get_or_create_collection(
                name, embedding_function=None, configuration={"hnsw": {"space": "cosine", "ef_search": SEARCH_EF}},
                metadata={"docchat_embeddings": embeddings},
            )
        except Exception as exc:
            raise StoreError(f"cannot open collection {name!r} in {self.where}: {first_line(exc)}") from exc
        self._search_wide()

    def _search_wide(self) -> None:
        """A collection made before SEARCH_EF (or by another tool) searches as widely from now on: the setting is
        the query's alone, so the vectors and the graph stay as they are."""
        hnsw = (getattr(self.collection, "configuration", None) or {}).get("hnsw") or {}
        if not isinstance(hnsw.get("ef_search"), int) or hnsw["ef_search"] >= SEARCH_EF:
            return
        try:
            # Chroma's own SQLite fails at once while another client writes (a vector pass closing): waited out, or
            # the store searched at 100 until next opened (CI saw it).
            while_locked(lambda: self.collection.modify(configuration={"hnsw": {"ef_search": SEARCH_EF}}))
        except Exception:  # a server that refuses it (its own setting stands) is no reason to refuse the store
            pass

    @property
    def recorded_embeddings(self) -> str | None:
        return (self.collection.metadata or {}).get("docchat_embeddings")

    def revision(self) -> str:
        """A token that changes with every completed update (kept in the collection's metadata)."""
        fresh = self._guard(lambda: self.client.get_collection(self.name, embedding_function=None))
        return str((fresh.metadata or {}).get("docchat_revision", ""))

    def set_revision(self, revision: str) -> None:
        meta = {**(self.collection.metadata or {}), "docchat_revision": revision}
        self._guard(lambda: self.collection.modify(metadata=meta))

    def records(self, page: int = 1000) -> Iterator[tuple[list[str], list[str], list[dict[str, Any]]]]:
        """Every (ids, documents, metadatas) page of the collection."""
        offset = 0
        while True:
            got = self._guard(lambda: self.collection.get(limit=page, offset=offset, include=["documents", "metadatas"]))
            if not got["ids"]:
                return
            yield got["ids"], got["documents"], got["metadatas"]
            offset += len(got["ids"])

    def rows(self, ids: list[str]) -> dict[str, ChunkRow]:
        got = self._guard(lambda: self.collection.get(ids=ids, include=["documents", "metadatas"]))
        return {i: ChunkRow(d, dict(m or {})) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])}

    def count(self) -> int:
        return int(self._guard(lambda: self.collection.count()))

    def add(self, chunks: list[Chunk], vectors: list[list[float]]) -> None:
        self.upsert_rows([c.id for c in chunks], vectors, [c.text for c in chunks], [c.metadata() for c in chunks])

    def upsert_rows(self, ids: list[str], vectors: list[list[float]], documents: list[str], metadatas: list[dict[str, Any]]) -> None:
        _mark_written(self.folder)  # before: a reader that sees the vectors sees the mark
        for start in range(0, len(ids), _MAX_BATCH):
            end = start + _MAX_BATCH
            self._guard(lambda: self.collection.upsert(
                ids=ids[start:end], embeddings=vectors[start:end], documents=documents[start:end],
                metadatas=metadatas[start:end],
            ))

    def delete_sources(self, sources: list[str]) -> None:
        _mark_written(self.folder)
        for start in range(0, len(sources), 500):
            part = sources[start : start + 500]
            self._guard(lambda: self.collection.delete(where={"source": {"$in": part}}))

    def vectors(self, ids: list[str]) -> dict[str, list[float]]:
        out: dict[str, list[float]] = {}
        for start in range(0, len(ids), _MAX_BATCH):
            got = self._guard(lambda: self.collection.get(ids=ids[start : start + _MAX_BATCH], include=["embeddings"]))
            for chunk_id, vec in zip(got["ids"], got["embeddings"]):
                out[chunk_id] = list(vec)
        return out

    def query(self, vector: list[float], limit: int) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) best first."""
        count = self.count()
        if count == 0:
            return []
        res = self._guard(lambda: self.collection.query(query_embeddings=[vector], n_results=min(limit, count),
                                                        include=["distances"]))
        return [(i, 1.0 - d) for i, d in zip(res["ids"][0], res["distances"][0])]

    def _guard(self, call: Any) -> Any:
        try:
            return call()
        except Exception as exc:
            self._check_dimensions(exc)
            if not (isinstance(exc, import_chromadb().errors.NotFoundError) and self._reopen()):
                raise StoreError(f"{self.where} failed: {first_line(exc)}") from exc
        # The collection was made anew since it was opened (another kernel or a shell ran --rebuild): every call
        # failed with "Collection [id] does not exist" until the kernel restarted. Once more, on the new one.
        try:
            return call()
        except Exception as exc:
            raise StoreError(f"{self.where} failed: {first_line(exc)}") from exc

    def _check_dimensions(self, exc: Exception) -> None:
        """Vectors of another length than the collection's: ``openai:MODEL`` now answered by another server (Ollama
        in place of OpenAI) or model. Every search, question and update failed as the store's fault, "the store
        failed: Collection expecting embedding with dimension of 64, got 32", with no way out named (probe 33)."""
        sizes = _DIMENSIONS.search(str(exc))
        if sizes:
            model = self.recorded_embeddings or "the embedding model"
            raise EmbeddingError(
                f"{model} now gives vectors of {sizes[2]} dimensions, but collection {self.name!r} in {self.where} "
                f"holds vectors of {sizes[1]}: the model or its server changed since it was indexed; use the one it "
                "was indexed with, or index again with --rebuild") from exc

    def _reopen(self) -> bool:
        """Open the collection of this name again; False when there is none (dropped, not yet made anew)."""
        try:
            self.collection = self.client.get_collection(self.name, embedding_function=None)
        except Exception:
            return False
        return True

    @staticmethod
    def drop(client: Any, name: str, where: str = "the Chroma store") -> None:
        """Delete the collection; one that does not exist is already dropped, any other failure is an error
        (a rebuild must not empty the catalog while the vectors stay)."""
        not_found = import_chromadb().errors.NotFoundError
        try:
            client.delete_collection(name)
        except not_found:
            pass
        except Exception as exc:
            raise StoreError(f"cannot drop collection {name!r} in {where}: {first_line(exc)}") from exc

