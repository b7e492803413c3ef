"""``DocIndex``: the plain-Python face of a store (no IPython anywhere)."""

from __future__ import annotations

import functools
import json
import math
import numbers
import os
import sqlite3
import sys
import time
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, TypeVar

from jupyter_docchat.store.catalog import Catalog, damaged, damaged_store
from jupyter_docchat.store.records import ChunkRow, CollectionInfo
from jupyter_docchat.indexing.chunking import Chunker
from jupyter_docchat.store.embedding_names import canonical_name, check_usable
from jupyter_docchat.errors import DocChatError, EmbeddingMismatchError, FolderEmptiedError, FolderError, FolderGoneError, IndexClosedError, NoIndexError, SettingError, StoreError, StoreLockedError, first_line
from jupyter_docchat.retrieval.evaluation import EvalFileError, EvalReport, evaluate, load_questions
from jupyter_docchat.indexing.fill import FillJob, running_job
from jupyter_docchat.types import SEARCH_MODES, Hit, SearchMode
from jupyter_docchat.indexing.index_options import IndexOptions, Reading
from jupyter_docchat.indexing.ingest import KEY_NAMED, Updater
from jupyter_docchat.indexing.reading import ChunkerSpec, early_pool
from jupyter_docchat.indexing.report import IndexReport
from jupyter_docchat.indexing.scan import Scan, file_stamp, folder_gone, scan_folder, stored_name
from jupyter_docchat.qa.answer_record import Answer
from jupyter_docchat.qa.conversation import Conversation
from jupyter_docchat.qa.extractive import without_notice
from jupyter_docchat.qa.key_guard import KeyGuard, withhold_hits
from jupyter_docchat.paths import user_path
from jupyter_docchat.retrieval.fusion import Fusion
from jupyter_docchat.retrieval.search import hybrid_search
from jupyter_docchat.safe_text import as_typed, has_words, hide_credentials, is_blank, name_on_one_line, url_secrets
from jupyter_docchat.settings import BACKGROUND_MIN_CHUNKS, DEFAULT_COLLECTION, Settings, check_setting
from jupyter_docchat.store.vectors import (CHROMA_DIR, REOPEN_EVERY, VectorStore, check_collection_name, close_client, open_client,
                                          reopen_client, settle_mark, settled, system_stopped, writer_mark,
                                          written_by_another, chroma_vector_counts)

T = TypeVar("T")
CATALOG_FILE = "docchat.sqlite"
LOCK_FILE = "write.lock"
# The collection the run holding the write lock indexes, written by it once it holds the lock and removed before it
# lets go: the lock names no collection, and an emptied collection said "being indexed now" while another
# collection was (probe 27). Where it is missing (a run of an older docchat, a moment after the lock is taken), a
# held lock counts as this collection's, as before.
LOCK_OWNER = "write.lock.collection"


def _owner_note(lock_file: str | Path) -> Path:
    """Where the run holding ``lock_file`` names the collection it indexes (LOCK_OWNER, beside the lock)."""
    return Path(lock_file).with_name(LOCK_OWNER)


def _check_mode(mode: str) -> None:
    if mode not in SEARCH_MODES:
        raise DocChatError(f"unknown search mode {mode!r}: use 'hybrid', 'dense' or 'lexical'")


def _check_argument(name: str, value: Any, kinds: tuple[type, ...], said: str) -> None:
    """A wrong kind of argument named in one line: further down it fails as if the store had."""
    if not isinstance(value, kinds):
        raise DocChatError(f"{name} must be {said}, not {type(value).__name__}")


def _is_query(query: Any) -> bool:
    """A string, or a list of (query, weight) pairs."""
    return isinstance(query, str) or isinstance(query, list) and all(
        isinstance(pair, tuple) and len(pair) == 2 and isinstance(pair[0], str)
        and isinstance(pair[1], numbers.Real) and not isinstance(pair[1], bool) for pair in query)  # np.int64 too


def _fair_weight(weight: Any) -> bool:
    """A finite weight of at least 0, as a float holds it (math.isfinite(10**400) raised OverflowError: "the store
    ... failed")."""
    try:
        return math.isfinite(weight) and weight >= 0
    except OverflowError:
        return False


def _stamp_or_none(path: Path) -> tuple[int, int] | None:
    try:
        return file_stamp(path)
    except OSError:
        return None  # gone since the scan: differs from any recorded stamp


def core_errors(method: Callable[..., T]) -> Callable[..., T]:
    """The one funnel of the public methods: whatever fails below (SQLite, the file system, Chroma,
    an HTTP client) leaves as a one-line DocChatError, the original kept as its cause for %tb."""
    return _funnel(method, check_store=True)


def _letting_go(method: Callable[..., T]) -> Callable[..., T]:
    """core_errors for close, which is not refused for a store that is a file: nothing was opened there to let go
    of, and a with block over one raised that error again on leaving, in place of the block's own."""
    return _funnel(method, check_store=False, closing=True)


def _funnel(method: Callable[..., T], check_store: bool, closing: bool = False) -> Callable[..., T]:
    """core_errors; ``check_store``: refuse a store that is a file first (not for close, which only lets go).
    ``closing``: the method is close itself, which no close runs under."""
    funnelled = _one_line(method, check_store, closing)

    @functools.wraps(method)
    def wrapper(self: "DocIndex", *args: Any, **kwargs: Any) -> T:
        try:
            return funnelled(self, *args, **kwargs)
        except DocChatError as exc:
            hide_secrets(exc, self._secrets())
            raise

    return wrapper


def hide_secrets(exc: DocChatError, guard: KeyGuard) -> None:
    """``exc`` with each configured secret its message repeats masked: a value given where the key went by
    mistake (``DocIndex(store, "docs", key)``: the third argument is the embeddings) was in the error, and the
    traceback a notebook saves (probe 14)."""
    message = str(exc)
    masked = guard.masked(message)
    if masked != message:
        exc.args = (masked,)


def _given_secrets(api_key: Any, server_token: Any, base_url: Any, server: Any) -> KeyGuard:
    """The environment's secrets and those an index was given (a URL's password); an argument that is no string is
    refused by name elsewhere, and holds none."""
    key, token, url, server_url = (value if isinstance(value, str) else "" for value in (api_key, server_token,
                                                                                      base_url, server))
    return KeyGuard.of_environ(also=(key, token, *url_secrets(url), *url_secrets(server_url)))


def _one_line(method: Callable[..., T], check_store: bool, closing: bool) -> Callable[..., T]:
    @functools.wraps(method)
    def wrapper(self: "DocIndex", *args: Any, **kwargs: Any) -> T:
        # else status says "nothing indexed yet" and an update "File exists"; so for /dev/null or a pipe (probe 24)
        if check_store and self.store.exists() and not self.store.is_dir():
            what = "a file" if self.store.is_file() else "a device, pipe or socket"
            raise StoreError(f"the store {self.store} is {what}, not a folder: name a folder for the store")
        closes = self._closes
        try:
            with store_errors(self.store, self._catalog_path()):
                return method(self, *args, **kwargs)
        except DocChatError as exc:
            if not closing and (self._closed_under(closes) or self._let_go_if_stopped(exc)):
                raise closed_under(self.where) from exc
            raise
        except Exception as exc:
            if not closing and (self._closed_under(closes) or self._let_go_if_stopped(exc)):
                raise closed_under(self.where) from exc
            raise StoreError(f"{self.where} failed: {first_line(exc)}") from exc

    return wrapper


def _file_id(path: Path) -> tuple[int, int] | None:
    """The file at ``path`` as the system knows it (device and inode), None when there is none."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def closed_under(where: str) -> IndexClosedError:
    """What a call says when the index was closed while it ran (another thread closed it: a chat box's question
    while the notebook re-indexed, a script's worker thread). Its failure said "Cannot operate on a closed
    database ... (is it read-only, or the disk full?)" or "'RustBindingsAPI' object has no attribute 'bindings'"."""
    return IndexClosedError(f"the index on {where} was closed while this call was using it (by another thread, or an "
                            "update with --rebuild): nothing is lost; run it again, and it opens the store afresh")


@contextmanager
def store_errors(store: Path, catalog: Path) -> Iterator[None]:
    """SQLite and file-system failures (read-only, disk full) as one-line StoreErrors."""
    try:
        yield
    except sqlite3.Error as exc:
        if isinstance(exc, sqlite3.ProgrammingError) and "closed database" in str(exc):
            raise closed_under(f"the store at {store}") from exc  # closed just as the call began
        if damaged(exc):
            raise damaged_store(catalog, exc) from exc
        raise StoreError(f"the store at {store} cannot be used: {exc} (is it read-only, or the disk full?)") from exc
    except OSError as exc:
        raise StoreError(f"the store at {store} cannot be written: {exc.strerror or exc}") from exc


def _as_source(expected: Any, root: str, files: set[str], forms: dict[str, str] | None = None) -> Any:
    """``expected`` as the collection names its file: relative to the indexed folder ``root``; ``forms``, each file by
    its name composed (NFC): a folder from a Mac names "café.md" decomposed, a questions file typed here composed,
    and every score was 0 without a word why."""
    if isinstance(expected, str) and expected not in files and forms:
        expected = forms.get(unicodedata.normalize("NFC", expected), expected)
    if not isinstance(expected, str) or not expected.strip() or expected in files or not root:
        return expected
    # A path that steps up ("notes/../a.md", "../project/docs/a.md" from the working directory) names the file it
    # leads to: it was left unmatched, and its questions scored 0 (probe 16). Normalised as written, not resolved:
    # a folder indexed through a link is stored as given.
    stepped = os.path.normpath(expected.strip()).replace(os.sep, "/")
    if stepped in files:
        return stepped
    try:
        path = user_path(expected.strip())
    except DocChatError:  # under no user's home: a name that matches no file, as any other
        return expected
    try:
        absolute = Path(os.path.normpath(path if path.is_absolute() else Path.cwd() / path))
        relative = absolute.relative_to(os.path.normpath(root)).as_posix()
    except ValueError:
        return expected
    if relative not in files and forms:
        relative = forms.get(unicodedata.normalize("NFC", relative), relative)
    return relative if relative in files else expected


def _listed(value: list | str) -> list:
    return [value] if isinstance(value, str) else value


def _unrecordable(path: Path) -> str:
    """"" for a path whose name is UTF-8; else the path on one line, its undecodable bytes as \\xNN escapes, as the
    catalog records a file's name (scan.stored_name)."""
    name = os.fspath(path)
    stored = stored_name(name)
    return "" if stored == name else name_on_one_line(stored)


def _not_utf8_here() -> str:
    """Why a name may only seem not to be UTF-8: Python reads file names in the locale's encoding when UTF-8 mode
    is off in the C locale (LC_ALL=C PYTHONUTF8=0), and every "ü" of a UTF-8 name then read as undecodable bytes.
    The store "...\\xc3\\xbc..." was said to have a name that is not valid UTF-8 (probe 33)."""
    encoding = sys.getfilesystemencoding()
    if encoding.lower().replace("-", "").replace("_", "") == "utf8":
        return ""
    return (f" (Python reads file names as {encoding} here, so a UTF-8 name may only seem not to be: run it with "
            "PYTHONUTF8=1, or in a UTF-8 locale such as LANG=C.UTF-8)")


def _check_recordable(folder: Path) -> None:
    """A folder whose name holds bytes that are not UTF-8 (an old archive's Latin-1 "R\\xe9sum\\xe9s") cannot be recorded
    in the catalog, whose text is UTF-8: its update failed as the store's fault ("the store at ... failed: 'utf-8' codec
    can't encode character '\\udce9'", probe 26). Said before anything is read or written, with what to do."""
    if shown := _unrecordable(folder.absolute()):
        raise FolderError(f"the folder {shown} has a name that is not valid UTF-8, which the store "
                          f"cannot record: rename it, or index it through a link whose name is{_not_utf8_here()}")


def _hide_key_names(report: IndexReport, guard: KeyGuard) -> None:
    """A file or folder named with a configured key is not named in the report: a summary is printed, kept in a
    notebook's output and written as JSON by ``docchat index --json``."""
    if not guard:
        return
    hidden = KEY_NAMED
    report.skipped_files = [(hidden if guard.holds(name) else name,
                             "the reason names " + hidden if guard.holds(why) else why)  # "copy of NAME"
                            for name, why in report.skipped_files]
    if report.replaced_folder and guard.holds(report.replaced_folder):
        report.replaced_folder = "a folder whose name holds the configured key"


def _all_left_out(skipped: list[tuple[str, str]]) -> str:
    """Why a folder gave no file to index, when the scan left files out (a folder all ignored, all links)."""
    if not skipped:
        return ""
    from collections import Counter

    from jupyter_docchat.indexing.skips import DEFAULT_REASONS

    counts = Counter(why for _, why in skipped)
    said = ", ".join(f"{n} {why}" for why, n in sorted(counts.items()))
    hint = "; --include GLOB or --all indexes what is skipped by default" if set(counts) & set(DEFAULT_REASONS) else ""
    if "link outside the folder" in counts:
        hint += "; --follow-links indexes what links point to"
    return f": every file or folder in it is left out ({said}){hint}"


class DocIndex:
    """A collection of chunks in a store folder, updated incrementally and searched hybrid.

    >>> index = DocIndex(".docchat")                       # doctest: +SKIP
    >>> index.update("documents")                         # doctest: +SKIP
    >>> index.search("why did the bank fail?", k=5)       # doctest: +SKIP
    >>> answer = index.ask("Why did the bank fail?")      # doctest: +SKIP
    >>> index.ask("And who paid?", history=[answer])      # doctest: +SKIP
    """

    def __init__(self, store: str | Path = ".docchat", collection: str = DEFAULT_COLLECTION,
                 embeddings: str | None = None, *, api_key: str = "", base_url: str = "",
                 server: str = "", server_token: str = "", lock_timeout: float = 30.0) -> None:
        try:
            self._open(store, collection, embeddings, api_key, base_url, server, server_token, lock_timeout)
        except DocChatError as exc:
            hide_secrets(exc, _given_secrets(api_key, server_token, base_url, server))
            raise

    def _open(self, store: str | Path, collection: str, embeddings: str | None, api_key: str, base_url: str,
              server: str, server_token: str, lock_timeout: float) -> None:
        _check_argument("store", store, (str, os.PathLike), "a path (a string or a Path)")
        if "\x00" in os.fspath(store):  # no file name holds one: it failed as "embedded null byte"
            raise DocChatError(f"the store path {os.fspath(store)!r} holds a NUL character: name a folder")
        if isinstance(store, str) and not store.strip():  # Path("") would make the working directory the store
            raise DocChatError("no store given: name the store folder ('.docchat' by default)")
        for name, value in (("api_key", api_key), ("base_url", base_url), ("server", server),
                            ("server_token", server_token)):
            _check_argument(name, value, (str,), "a string")
        _check_argument("embeddings", embeddings, (str, type(None)), "a model name ('minilm' or 'openai:MODEL')")
        try:
            self.store = user_path(store).resolve()
            self.store.is_file()  # a name too long, a loop of links, a folder not to be entered: said here (probe 23)
        except (OSError, RuntimeError) as exc:  # they said "cannot write the output" (docchat), or a traceback
            reason = getattr(exc, "strerror", None) or "a loop of symbolic links"
            raise StoreError(f"the store {os.fspath(store)} cannot be used ({reason}): name another folder") from exc
        if not server and (shown := _unrecordable(self.store)):
            # Chroma opens a path of UTF-8 alone: its update failed after the catalog was made, with "'utf-8' codec
            # can't encode character '\udce9'" (probe 26)
            raise StoreError(f"the store {shown} has a name that is not valid UTF-8, which Chroma cannot "
                             f"open: name another folder{_not_utf8_here()}")
        self.collection = check_collection_name(collection)
        self.requested_embeddings = canonical_name(embeddings) if embeddings else None
        self.api_key, self.base_url = api_key, base_url
        self.server, self.server_token = server, server_token
        # A collection's name is printed (an update's summary, the status): one holding the key showed it (probe 14).
        # The environment's secrets and these arguments', not key_guard()'s settings: a bad $DOCCHAT_ number is
        # said where it is used, not here.
        if _given_secrets(api_key, server_token, base_url, server).holds(self.collection):
            raise SettingError("the collection's name holds the configured API key or server token: name the "
                               "collection otherwise")
        self.lock_timeout = check_setting("lock_timeout", lock_timeout)  # filelock waits for ever below 0
        self._catalog: Catalog | None = None
        self._client: Any = None
        self._vectors: VectorStore | None = None
        self._writer_seen = ""  # the mark of the last process to write vectors, when Chroma was opened or reopened
        self._opened_at = 0.0  # when Chroma was opened or reopened (time.monotonic)
        self._embedder: Any = None
        self.job: FillJob | None = None  # the latest background vector pass started here
        # What ensure_ready found, and the state of the store it found it in (see _ready_state).
        self._ready: tuple[tuple[int, int, str | None], str] | None = None
        # Twice the closes begun, plus one while one runs: a call that fails while a close runs says it was closed under
        # it, one started while a close was letting go of Chroma too (it failed with Chroma's "'RustBindingsAPI' object
        # has no attribute 'bindings'", once in four CI runs).
        self._closes = 0
        self._changes = 0  # updates and closes here: the catalog's data_version does not count our own writes
        # The folder a refresh kept the index for (FolderEmptiedError), as the check found it, and why it was kept.
        self._kept: tuple[Any, str] | None = None
        self._catalog_file: tuple[int, int] | None = None  # the catalog's file when opened (store_gone)

    # plumbing
    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            self._catalog = Catalog(self._catalog_path(), read_only=self.read_only)
            self._catalog_file = _file_id(self._catalog_path())
        return self._catalog

    def store_gone(self) -> bool:
        """Whether the catalog this object holds open is no longer the file at its path: the store folder was
        deleted (or made again by another process) under a running kernel. SQLite writes on to the unlinked
        file, so status and answers went on from a store no longer on disk, and indexing failed in Chroma
        (probe 32): whoever keeps an index open long opens it anew instead."""
        return self._catalog is not None and _file_id(self._catalog_path()) != self._catalog_file

    def _gone(self, remedy: str) -> StoreError:
        """What a call on a store that ``store_gone`` says: that it was deleted or moved, then ``remedy``."""
        return StoreError(f"the store at {self.store} was deleted or moved after this DocIndex opened it: {remedy}")

    @property
    def read_only(self) -> bool:
        """Whether the store exists where it cannot be written (a read-only mount, another user's folder):
        it is then searched and asked as it is, and never updated."""
        path = self._catalog_path()
        return path.exists() and not (os.access(path.parent, os.W_OK) and os.access(path, os.W_OK))

    def _catalog_path(self) -> Path:
        if not self.server:
            return self.store / CATALOG_FILE
        # The lexical side of a server collection lives locally, keyed by server and collection.
        import hashlib

        key = hashlib.sha1(self.server.encode()).hexdigest()[:12]
        return self.store / "servers" / key / CATALOG_FILE

    @property
    def where(self) -> str:
        """The store or server, for messages."""
        return f"the Chroma server at {hide_credentials(self.server)}" if self.server else f"the store at {self.store}"

    @property
    def client(self) -> Any:
        if self._client is None:
            self._writer_seen = "" if self.server else writer_mark(self.store / CHROMA_DIR)  # before: a later mark is news
            self._client = open_client(self.store, self.server, self.server_token, read_only=self.read_only)
            self._opened_at = time.monotonic()
        return self._client

    def recorded_embeddings(self) -> str | None:
        if not self.server and not self.exists():
            return None  # asking never makes a store
        row = self.catalog.collection(self.collection)
        return row.embeddings if row else None

    @property
    def embeddings_name(self) -> str:
        return self.requested_embeddings or self.recorded_embeddings() or canonical_name(None)

    def _check_embeddings(self) -> None:
        recorded = self.recorded_embeddings()
        if recorded and self.requested_embeddings and recorded != self.requested_embeddings:
            raise EmbeddingMismatchError(
                f"collection {self.collection!r} was built with {recorded!r}, not {self.requested_embeddings!r}: "
                f"re-index with --rebuild to switch, or use --embeddings {recorded}"
            )

    def embedder(self) -> Any:
        if self._embedder is None:
            from jupyter_docchat.store.embeddings import make_embeddings  # LangChain and onnxruntime: first use

            self._embedder = make_embeddings(self.embeddings_name, *self._embedding_credentials(), sendable=self._sendable)
        return self._embedder

    def _embedding_credentials(self) -> tuple[str, str]:
        """The key and URL of an ``openai:`` embedder: these arguments', else the environment's, as ``ask`` and
        ``docchat`` take them. A script's ``DocIndex(".docchat")`` on a store built with ``--embeddings openai:...``
        failed every search with "needs an API key: set one" while $OPENAI_API_KEY was set (probe 33). The
        environment's key goes to OpenAI or to the environment's base URL only, as in the magics."""
        environ_url = os.environ.get("OPENAI_BASE_URL", "")
        key = self.api_key
        if not key and (not self.base_url or self.base_url == environ_url):
            key = os.environ.get("OPENAI_API_KEY", "")
        return key, self.base_url or environ_url

    def _sendable(self, texts: list[str]) -> list[str]:
        """``texts`` as an embedding server may get them: a configured secret written whole is ``***``, and a
        text that holds one otherwise (split, escaped) is sent as a placeholder. Such a passage is withheld from
        every answer and search, so its vector hardly matters; the key must not leave."""
        guard = self.key_guard()
        return [guard.masked(text) if guard.holds(text) else text for text in texts]

    def vectors(self) -> VectorStore:
        local = not self.server and not self.read_only
        if local and self._client is not None:
            mark = writer_mark(self.store / CHROMA_DIR)
            if mark != self._writer_seen:
                if not written_by_another(mark):
                    self._writer_seen = mark
                elif settled(mark) or time.monotonic() - self._opened_at >= REOPEN_EVERY:
                    # Chroma here would not see the vectors another process added; an unsettled mark (its pass
                    # still writes) is looked at again by the next call. The client replaced is closed, unless this
                    # object's vector pass still writes through it.
                    writing = self.job is not None and self.job.is_alive()
                    self._client, self._vectors = reopen_client(self.store, None if writing else self._client), None
                    self._writer_seen, self._opened_at = mark, time.monotonic()
        if self._vectors is None:
            self._vectors = VectorStore(self.client, self.collection, self.embeddings_name, self.where,
                                        folder=self.store / CHROMA_DIR if local else None)
        return self._vectors

    def _lock(self, timeout: float | None = None) -> Any:
        from filelock import FileLock

        lock_dir = self._catalog_path().parent
        try:
            lock_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the store at {lock_dir}: {exc.strerror}") from exc
        # Not thread-local: a background vector pass releases the lock its starter took.
        return FileLock(str(lock_dir / LOCK_FILE), timeout=self.lock_timeout if timeout is None else timeout,
                        thread_local=False)

    # the API: every public method goes through core_errors
    @core_errors
    def update(self, folder: str | Path, options: IndexOptions | None = None, *, progress: bool = False,
               background: bool | int = False) -> IndexReport:
        """Bring the collection in line with ``folder``, indexed as ``options`` say; returns what was done.

        With ``background`` it returns as soon as every chunk is searchable by words, and a thread
        (``self.job``) computes the vectors, holding the write lock until done; a number there does so
        only when more than that many chunks need a vector (a few are quicker computed at once).
        Otherwise it returns when all is done. See ``IndexOptions`` for which files are indexed and how:
        links that resolve outside ``folder`` are left out (and named) unless ``follow_links``; the default
        skips are named in the report. Every file is read again when the store was made by older readers
        or with another chunk size.
        """
        if not isinstance(background, numbers.Integral) or background < 0:  # np.int64 too, as the settings take it
            raise DocChatError(f"background must be True, False or a number of chunks, not {background!r}")
        _check_argument("folder", folder, (str, os.PathLike), "a path (a string or a Path)")
        if isinstance(folder, str) and not folder.strip():  # Path("") is the working directory
            from jupyter_docchat.errors import FolderError

            raise FolderError("no folder given: name the folder to index ('.' for the working directory)")
        _check_argument("options", options, (IndexOptions, type(None)), "an IndexOptions")
        background_min = 0 if background is True else int(background)
        return self._update(folder, options or IndexOptions(),
                            _Run(progress=progress, background=background is not False, background_min=background_min))

    def _update(self, folder: str | Path, options: IndexOptions, run: "_Run") -> IndexReport:
        try:
            return self._do_update(folder, options, run)
        finally:
            self._changes += 1

    def _do_update(self, folder: str | Path, options: IndexOptions, run: "_Run") -> IndexReport:
        from filelock import Timeout

        started = time.perf_counter()
        Chunker(options.chunk_size, options.chunk_overlap)  # bad sizes fail before the store is touched
        if self.read_only:
            raise StoreError(f"the store at {self._catalog_path().parent} is read-only: it can be searched and asked "
                             "but not updated; index into a --store you can write to")
        if self.store_gone():
            # Moved or deleted under a script that keeps this object: the update failed in Chroma with "attempt to
            # write a readonly database" and left a folder holding a write.lock where the store had been (probe 33).
            raise self._gone("nothing was written; open it again (a new DocIndex) to index there")
        # The model loads when the vector pass needs it, after the keyword pass: what would stop it (another
        # model than the collection's, no key, onnxruntime missing) stops the update here, before anything is written.
        if not options.rebuild:  # a rebuild may switch models
            self._check_embeddings()
        check_usable(self.embeddings_name, *self._embedding_credentials())
        self.stop_filling()  # our own unfinished pass: this update resumes it
        folder = user_path(folder)
        _check_recordable(folder)
        scan = self._scan(folder, options)
        if not scan.files and not self.catalog.files(self.collection):
            from jupyter_docchat.errors import FolderError

            raise FolderError(f"no files to index in {folder}{_all_left_out(scan.skipped)}")
        if not scan.files:
            self._refuse_another_folder_giving_nothing(folder, scan)
        if not scan.files and (options.globs or options.excludes):
            self._refuse_patterns_leaving_nothing(folder, options)
        wait = self.lock_timeout if run.lock_timeout is None else run.lock_timeout
        lock = self._lock(wait)
        job = running_job(lock.lock_file)
        if job is not None:  # this process's own pass holds the lock, for another collection: waiting is no use
            raise StoreLockedError(
                f"the store at {self.store} is busy: this process is computing the vectors of collection "
                f"{job.collection!r} in the background ({job.done} of {job.total} done); try again when it "
                "finishes (the status shows how far it is)")
        try:
            lock.acquire()
        except Timeout as exc:  # a TimeoutError, so an OSError too: caught first
            owner = self._lock_owner()
            what = f"indexing collection {name_on_one_line(owner)!r} in" if owner is not None else "updating"
            raise StoreLockedError(
                f"another process is {what} the store at {self.store} (waited {wait:.0f} s); try again when it finishes"
            ) from exc
        except OSError as exc:
            lock_file = Path(lock.lock_file)
            if lock_file.is_dir() or lock_file.is_symlink():  # not read-only: something else stands in its place
                raise StoreError(f"cannot lock the store at {self.store}: its lock {lock_file} is not a file "
                                 "(a folder or a link): move it aside and try again") from exc
            raise StoreError(f"cannot lock the store at {self.store}: {exc.strerror} (is it read-only?)") from exc
        self._name_lock_owner(lock.lock_file)
        handed_over = False
        pool = None
        try:
            # Started now, the reading workers import while the rest of the set-up runs (Chroma and the model
            # too, where they load before the keyword pass: see _chroma_can_wait) (indexing/reading.py).
            pool = early_pool(scan.files, {} if options.rebuild else self.catalog.file_stats(self.collection))
            report = self._update_locked(folder, scan, options, run, pool, started)
            _hide_key_names(report, self.key_guard())
            if run.background and report.vectors_waiting:
                self._start_job(lock, report.vectors_waiting)
                report.background = handed_over = True
            elif report.added or report.updated or report.removed or report.embedded:
                self._publish(self.catalog)
            return report
        finally:
            if pool is not None:
                pool.shutdown()
            if not handed_over:
                self._release(lock)

    def _name_lock_owner(self, lock_file: str) -> None:
        """Write which collection this run indexes beside the lock it now holds (LOCK_OWNER); a store that takes the
        lock but not the note (a full disk) leaves the note missing, which says no more than the lock did."""
        owner = _owner_note(lock_file)
        temp = owner.with_name(f".{LOCK_OWNER}.{os.getpid()}.tmp")
        try:
            temp.write_text(json.dumps({"collection": self.collection, "pid": os.getpid()}), encoding="utf-8")
            os.replace(temp, owner)
        except OSError:
            try:
                temp.unlink(missing_ok=True)
                owner.unlink(missing_ok=True)  # a note of an earlier run would name another collection
            except OSError:
                pass

    @staticmethod
    def _release(lock: Any) -> None:
        """Let go of the write lock, its note of the collection removed first (while it is still held)."""
        try:
            _owner_note(lock.lock_file).unlink(missing_ok=True)
        except OSError:
            pass
        lock.release()

    def _lock_owner(self) -> str | None:
        """The collection the run holding the store's write lock said it indexes (None: it said none)."""
        try:
            owner = json.loads(_owner_note(self._catalog_path().parent / LOCK_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        named = owner.get("collection") if isinstance(owner, dict) else None
        return named if isinstance(named, str) else None

    def _lock_names_another(self) -> bool:
        """Whether the run holding the store's write lock said it indexes another collection than this one."""
        owner = self._lock_owner()
        return owner is not None and owner != self.collection

    def _refuse_another_folder_giving_nothing(self, folder: Path, scan: Scan) -> None:
        """A folder other than the one the collection mirrors, which gives nothing to index (a typo naming an empty
        folder, one whose files are all ignored), would replace it and remove every file of the collection, vectors
        and all: a mistake to name. The mirrored folder itself, emptied, still empties the collection."""
        earlier = next((c for c in self.catalog.collections() if c.name == self.collection), None)
        if earlier is None or not earlier.root or earlier.root == str(folder.absolute()):
            return
        from jupyter_docchat.errors import FolderError

        raise FolderError(f"no files to index in {folder}{_all_left_out(scan.skipped)}: nothing was removed (collection "
                          f"{self.collection!r} keeps the {earlier.files} files of {earlier.root})")

    def _refuse_patterns_leaving_nothing(self, folder: Path, options: IndexOptions) -> None:
        """An update mirrors the folder as its patterns see it, so a mistyped --glob or --exclude that
        matches nothing would remove every file of the collection. When the folder does hold files,
        that is a mistake to name, not a folder to mirror; a folder really emptied still empties it."""
        unfiltered = self._scan(folder, replace(options, globs=None, excludes=None))
        if unfiltered.files:
            from jupyter_docchat.errors import FolderError

            said = "; ".join(f"{name} {list(value)}" for name, value in
                             (("globs", options.globs), ("excludes", options.excludes)) if value)
            kept = len(self.catalog.files(self.collection))
            raise FolderError(f"the patterns ({said}) match none of the {len(unfiltered.files)} files in {folder}: "
                              f"nothing was removed (the collection keeps its {kept} files); check the patterns")

    def _scan(self, folder: Path, options: IndexOptions) -> Scan:
        globs = None if options.globs is None else list(options.globs)
        excludes = None if options.excludes is None else list(options.excludes)
        return scan_folder(folder, globs, excludes, skip_dirs=[self.store], follow_links=options.follow_links,
                           rules=options.rules)

    def _start_job(self, lock: Any, waiting: int) -> None:
        self.job = FillJob(lambda: Catalog(self._catalog_path()), self.vectors(), self.embedder(), self.collection,
                           release=lambda: self._release(lock), on_done=self._publish, guard=lambda: store_errors(self.store, self._catalog_path()),
                           total=waiting, lock_path=lock.lock_file)
        self.job.start()

    @core_errors
    def stop_filling(self) -> None:
        """Stop this object's background vector pass after its current batch; later runs resume it."""
        if self.job is not None and self.job.is_alive():
            self.job.stop(wait=True)

    @core_errors
    def refresh(self, background_min: int = BACKGROUND_MIN_CHUNKS) -> IndexReport | None:
        """Bring the collection in line with its folder when files were added, changed or removed since
        the last update, with the options it was indexed with. Sizes and modification times decide;
        only changed files are read. None when nothing changed, the folder is not on this machine, the store
        is read-only, or another process is updating the store (it is not waited for). A folder that holds no
        file to index now, where the collection holds some, is not mirrored: the report of no change says so
        (``kept``)."""
        if self.server or not self.exists() or self.read_only:
            return None
        row = self.catalog.collection(self.collection)
        if not row or not row.root or folder_gone(row.root):
            return None
        options = IndexOptions.from_stored(self.catalog.options(self.collection))
        try:
            scan = self._scan(Path(row.root), options)
        except FolderError:  # a folder one may no longer read: the question is answered from the index as it was
            return None
        stamps = self.catalog.file_stats(self.collection)
        now = {rel: path for rel, path in scan.files}
        # a build indexed last time because its source read to no text: checked as the files are
        now.update((rel, path) for rel, (_, path) in scan.builds.items() if rel in stamps)
        found = {rel: _stamp_or_none(path) for rel, path in now.items()}
        if found == stamps:
            return None
        # A folder kept as it was is as the last check found it: said again without reading its skipped files, which
        # took every question 9 s for 200 minified scripts (probe 26).
        seen = (self.collection, row.root, options, found, stamps)
        if self._kept is not None and self._kept[0] == seen:
            return self._kept_report(self._kept[1])
        try:
            return self._update(row.root, options, _Run(background=True, background_min=background_min,
                                                        lock_timeout=0.0, refreshing=True))
        except (StoreLockedError, FolderGoneError):  # the question is answered from the index as it was
            return None
        except FolderEmptiedError as exc:  # the same, and the answer says why
            self._kept = (seen, str(exc))
            return self._kept_report(str(exc))

    def _kept_report(self, why: str) -> IndexReport:
        """The report of a refresh that kept the index as it was: its chunks are all still there (it said "0 in store").
        Its folder named with a configured key is masked, as a summary's names are (_hide_key_names)."""
        return IndexReport(collection=self.collection, kept=self.key_guard().masked(why),
                           chunks_total=self.catalog.chunk_count(self.collection))

    @core_errors
    def filling(self) -> bool:
        """Whether a vector pass is running on this store now (here, or in another process holding the lock)."""
        if self.job is not None and self.job.is_alive():
            return True
        if not self._catalog_path().parent.is_dir():
            # No store, no pass; taking the lock made the folder: a question or a status after the store was moved
            # or deleted left a folder holding a write.lock where it had been (probe 33).
            return False
        from filelock import Timeout

        lock = self._lock()
        try:
            lock.acquire(timeout=0)
        except Timeout:
            return True
        except OSError:
            return False
        lock.release()
        return False

    def filled_share(self) -> float:
        """The share of the collection's chunks that have their vector (1.0 when none wait)."""
        waiting = self.catalog.todo_count(self.collection)
        if not waiting:
            return 1.0
        return max(0.0, 1.0 - waiting / max(self.catalog.chunk_count(self.collection), 1))

    @core_errors
    def vectors_waiting(self) -> int:
        """Chunks searchable by words whose vector is not computed yet, or was lost (the Chroma folder or
        collection deleted since: the next update computes them again)."""
        waiting = self.catalog.todo_count(self.collection)
        # A store moved or deleted under this object took its Chroma folder along: its vectors are not lost, and the
        # answers said "5 chunks have no vector yet (indexing stopped before it finished)" (probe 33).
        if self.server or waiting or self.store_gone():
            return waiting
        # All were computed: none is in Chroma only when they were lost (Chroma deletes a collection whole). The
        # chunks are counted only then: a question checks the store once (ensure_ready).
        folder = self.store / CHROMA_DIR
        counts = chroma_vector_counts(folder) if folder.is_dir() else {}
        return self.catalog.chunk_count(self.collection) if counts is not None and not counts.get(self.collection) else 0

    def _publish(self, catalog: Catalog) -> None:
        """Tell other kernels that vectors changed: in server mode by a new revision (other machines refresh their
        copy), on one machine by a settled writer's mark (they open Chroma afresh: vectors.settle_mark)."""
        if not self.server:
            if not self.read_only:
                settle_mark(self.store / CHROMA_DIR)
            return
        import uuid

        revision = uuid.uuid4().hex
        self.vectors().set_revision(revision)
        catalog.set_revision(self.collection, revision)

    def _update_locked(self, folder: Path, scan: Scan, options: IndexOptions, run: "_Run",
                       pool: Any = None, started: float | None = None) -> IndexReport:
        if options.rebuild:
            VectorStore.drop(self.client, self.collection, self.where)
            self.catalog.drop_collection(self.collection)
            self._vectors = None
        self.sync_from_server()
        self._check_embeddings()
        self._find_lost_vectors()
        name = self.embeddings_name
        if not self._chroma_can_wait(run):
            vectors = self.vectors()
            if vectors.recorded_embeddings and vectors.recorded_embeddings != name:
                raise EmbeddingMismatchError(
                    f"the Chroma collection {self.collection!r} holds {vectors.recorded_embeddings!r} vectors; "
                    "re-index with --rebuild"
                )
        # As given (made absolute, links kept): a folder indexed through a link is checked through it.
        earlier = next((c for c in self.catalog.collections() if c.name == self.collection), None)
        self.catalog.set_collection(self.collection, name, str(folder.absolute()))
        stored = self.catalog.options(self.collection)
        reading = options.reading
        read_as = Reading.stored(stored, reading)
        # Files read by older readers, or cut to another size, are read again: their chunks would differ.
        # A collection that records nothing (loaded from a Chroma server's copy) is taken as it is.
        reread = bool(stored) and bool(self.catalog.files(self.collection)) and read_as != reading
        if reread and run.refreshing:  # a refresh before a question reads only what changed
            reread, reading = False, reading._replace(readers=read_as.readers)
        # Until every file is read again the store says how they were read: an interruption resumes.
        self.catalog.set_options(self.collection, options.to_stored(read_as if reread else reading))
        spec = ChunkerSpec(options.chunk_size, options.chunk_overlap, name)
        report = IndexReport(collection=self.collection, reread=reread)
        if earlier is not None and earlier.files and earlier.root and earlier.root != str(folder.absolute()):
            report.replaced_folder = earlier.root  # one collection mirrors one folder: say so when it changes
        for rel, why in scan.skipped:
            report.skip(rel, why, scan.details.get(rel, ""))
        previous = IndexOptions.from_stored(stored).rules
        Updater(self.catalog, self.vectors, self.embedder, spec, self.collection, run.progress, reread=reread,
                rules=options.rules, previous_rules=previous, pool=pool, folder=folder,
                secret_in=self.key_guard().holds, keep_if_emptied=run.refreshing).run(scan.files, report, not run.background,
                                                                  fill_below=run.background_min, started=started,
                                                                  builds=scan.builds)
        if reread:
            self.catalog.set_options(self.collection, options.to_stored(reading))
        return report

    def _find_lost_vectors(self) -> None:
        """A local store whose Chroma folder (or collection) was deleted while the catalog stayed would
        answer by words alone for ever, its chunks counted as having vectors: they wait for them again."""
        if self.server:
            return
        had = self.catalog.chunk_count(self.collection) - self.catalog.todo_count(self.collection)
        if had <= 0:
            return
        if (self.store / CHROMA_DIR).is_dir() and self.vectors().count() >= had:
            return
        self.catalog.vectors_lost(self.collection)

    def _chroma_can_wait(self, run: "_Run") -> bool:
        """Whether Chroma's import and open may wait until the vector pass: in the background, on a local
        store that has no Chroma folder yet (a fresh store: no collection there to disagree with the model
        asked for, nothing to delete or reuse). Chroma's import is most of a small folder's set-up."""
        return run.background and not self.server and self._vectors is None and not (self.store / CHROMA_DIR).exists()

    @core_errors
    def sync_from_server(self) -> bool:
        """In server mode, refresh the local texts, hashes and lexical index when the server moved on.

        The server's collection carries a revision token that every completed update changes, so a
        kernel on another machine (or one that indexed nothing itself) sees the same collection.
        """
        if not self.server:
            return False
        vectors = self.vectors()
        revision = vectors.revision()
        if not revision or revision == self.catalog.revision(self.collection):
            return False
        row = self.catalog.collection(self.collection)
        self.catalog.load_remote(self.collection, vectors.recorded_embeddings or self.embeddings_name,
                                 row.root if row else "", revision, vectors.records())
        return True

    def exists(self) -> bool:
        """Whether this store has been made (asking never makes one)."""
        return self._catalog is not None or self._catalog_path().exists()

    @core_errors
    def ensure_ready(self) -> str:
        """The indexed folder; raises NoIndexError when there is nothing to search yet.

        A store's answer is remembered until the store changes, so that a question's search and the
        sections it reads do not each count the collection's chunks again; a server's is asked every time.
        """
        if not self.server and not self.exists():
            if self._catalog_path().parent.is_dir() and self.filling():
                # A first run has taken the write lock and not yet made the catalog: "index a folder first" sent the
                # user to start a second run of what was running, in another thread or process (probe 35).
                making = NoIndexError(f"the store at {self.store} is being made now (another run holds its write lock): "
                                      "nothing of it is searchable yet; try again when that run finishes")
                making.remedy = None
                raise making
            raise NoIndexError(f"no store at {self.store}: index a folder first")
        if self.store_gone():
            # Chroma reads its files as it needs them: a search of a store deleted under a script answered from what it
            # still held in memory, or failed with "Failed to get segments", as it happened (probe 33's test failed once in ten runs).
            raise self._gone("open it again (a new DocIndex) where it is now")
        state = None if self.server else self._ready_state()
        if state is not None and self._ready is not None and self._ready[0] == state:
            return self._ready[1]
        self.sync_from_server()
        row = self.catalog.collection(self.collection)
        if row is None or self.catalog.chunk_count(self.collection) == 0:
            root = row.root if row else ""
            busy = bool(root) and not self.server and self.filling() and not self._lock_names_another()
            nothing = NoIndexError(self._nothing_indexed(root, busy))
            if busy:
                nothing.remedy = None  # "(run docchat index <folder>)" would start a second run
            raise nothing
        self._check_embeddings()
        self._ready = (state, row.root) if state is not None else None
        return row.root

    def _nothing_indexed(self, root: str, busy: bool = False) -> str:
        """Why there is nothing to search: a collection emptied with its folder was indexed, and "index a folder
        first" sent the user to do what they had done."""
        if not root:
            return f"nothing indexed in collection {self.collection!r} yet: index a folder first"
        if busy:
            # A rebuild (or a first index) running in another process: its folder's files were not read yet, and
            # "held no readable files ... add documents to it" sent the user to fill a full folder (probe 25).
            return (f"collection {self.collection!r} is being indexed now (another run holds the store's write lock): "
                    "nothing of it is searchable yet; try again when that run finishes")
        return (f"collection {self.collection!r} is empty: its folder {root} held no readable files when it was last "
                "indexed; add documents to it and index it again")

    def _ready_state(self) -> tuple[int, int, str | None]:
        """What ensure_ready's answer depends on: other connections' commits, our own, the embeddings asked for."""
        return self.catalog.data_version(), self._changes, self.requested_embeddings

    @core_errors
    def search(self, query: str | list[tuple[str, float]], k: int = 5, mode: SearchMode = "hybrid",
               fusion: Fusion | None = None, explain: bool = False) -> list[Hit]:
        """The ``k`` best chunks for ``query``; ``mode`` is 'hybrid', 'dense' or 'lexical'.

        ``query`` may also be a list of (query, weight) pairs whose rankings are fused; ``fusion``
        overrides how (``fusion.SHIPPED`` by default). With ``explain`` each hit's ``explain`` holds its
        dense and lexical rank, fused score and the levers that moved it.
        """
        _check_mode(mode)
        _check_argument("explain", explain, (bool,), "True or False")
        # Else it failed as the store's fault ("'str' object has no attribute ..."), or a negative cap sliced from the
        # end: Fusion(capped_hits=-3) listed all chunks but three whatever k (probe 22).
        _check_argument("fusion", fusion, (Fusion, type(None)), "a Fusion (jupyter_docchat.retrieval.fusion) or None")
        if fusion is not None and not (isinstance(fusion.capped_hits, int) and fusion.capped_hits >= 0):
            raise DocChatError(f"fusion.capped_hits must be a whole number of at least 0, not {fusion.capped_hits!r:.40}")
        if not _is_query(query):
            raise DocChatError(f"query must be a string or a list of (query, weight) pairs, not {type(query).__name__}")
        if isinstance(query, str) and is_blank(query):  # as ask's: no words, only the nearest vectors
            raise DocChatError("the query is empty: give the words to search for")
        if isinstance(query, str) and not has_words(as_typed(query)):  # a colour code's "31m" is no word
            raise DocChatError("the query has no words, only punctuation or symbols: search for words")
        if isinstance(query, list) and query and not any(has_words(as_typed(t)) and not is_blank(t) for t, _ in query):
            raise DocChatError("the queries have no words, only white space, punctuation or symbols: search for words")
        # An inf or NaN weight made every fused score one, a negative one ranked the best chunks last.
        bad = next((weight for _, weight in query if not _fair_weight(weight)), None) if isinstance(query, list) else None
        if bad is not None:
            raise DocChatError(f"a query's weight must be a finite number of at least 0, not {bad!s:.40}")
        # [] listed nothing without a word; weights all 0 listed hits of score 0, ranked by nothing (probe 22).
        if isinstance(query, list) and not any(weight > 0 for _, weight in query):
            raise DocChatError("the queries weigh nothing: give at least one (query, weight) pair with a weight above 0")
        k = check_setting("k", k)
        root = self.ensure_ready()
        queries = [(query, 1.0)] if isinstance(query, str) else query
        return hybrid_search(_StoreRankings(self), queries, k, mode, root=root, fusion=fusion, explain=explain)

    def _secrets(self) -> "KeyGuard":
        """key_guard, or the environment's and this index's own secrets where the settings are what is wrong."""
        try:
            return self.key_guard()
        except DocChatError:
            return _given_secrets(self.api_key, self.server_token, self.base_url, self.server)

    def key_guard(self) -> "KeyGuard":
        """What this index knows of the configured secrets (its own and the environment's), to keep them unshown."""
        settings = Settings().with_(api_key=self.api_key or None, base_url=self.base_url or None,
                                    server=self.server or None, server_token=self.server_token or None)
        return KeyGuard.of(settings)

    @core_errors
    def file_chunks(self, source: str) -> list[Hit]:
        """Every chunk of one indexed file (``source`` as hits name it), in the file's order."""
        root = self.ensure_ready()
        return [Hit.from_row(row.id, row.text, row.meta, root) for row in self.catalog.source_rows(self.collection, source)]

    @core_errors
    def ask(self, question: str, history: list | None = None, *, model: str | None = None, k: int = 5,
            explain: bool = False, on_token: Callable[[str], None] | None = None) -> Answer:
        """Answer ``question`` from the indexed documents, citing them; follow-ups take the earlier
        answers as ``history`` (``Answer`` records, or the turns of ``docchat_history``), which is
        read, never changed.

        ``model``: a chat model name, 'local', 'gguf:PATH' or 'extractive'; by default the
        environment's (``DOCCHAT_MODEL``, ``OPENAI_API_KEY``, ``OPENAI_BASE_URL``), and an answer quoted
        from the sources when none is set. ``on_token`` receives a model's answer as it streams.
        """
        k = check_setting("k", k)
        _check_argument("question", question, (str, type(None)), "a string")
        _check_argument("history", history, (list, tuple, type(None)), "a list of earlier answers")
        _check_argument("model", model, (str, type(None)), "a string")
        _check_argument("explain", explain, (bool,), "True or False")  # explain="no" explained
        if on_token is not None and not callable(on_token):
            raise DocChatError(f"on_token must be a function of one string, not {type(on_token).__name__}")
        settings = Settings().with_(store=self.store, collection=self.collection, api_key=self.api_key or None,
                                    base_url=self.base_url or None, server=self.server or None)
        theirs: list[Exception] = []  # what the caller's on_token raised: theirs, not the model's or the store's

        def deliver(token: str) -> None:
            try:
                on_token(token)  # type: ignore[misc]
            except Exception as exc:
                theirs.append(exc)
                raise

        try:
            turn = Conversation(self, settings).ask(question, list(history or []), model=model, k=k, explain=explain,
                                                    on_token=deliver if on_token else None)
        except DocChatError:
            if theirs:
                raise DocChatError(f"on_token raised {type(theirs[0]).__name__}: {first_line(theirs[0])}") from theirs[0]
            raise
        return Answer.from_turn(turn)

    def as_retriever(self, k: int = 5, mode: SearchMode = "hybrid") -> Any:
        """This index as a LangChain ``BaseRetriever`` (``retrieval.langchain_retriever.SearchRetriever``)."""
        try:
            _check_mode(mode)
            k = check_setting("k", k)
        except DocChatError as exc:  # not through the funnel: it opens nothing
            hide_secrets(exc, self._secrets())
            raise
        from jupyter_docchat.retrieval.langchain_retriever import SearchRetriever

        return SearchRetriever(searcher=Withheld(self), k=k, mode=mode)

    @core_errors
    def evaluate(self, questions: str | Path | list[dict], k: int = 5, *, model: str | None = None) -> EvalReport:
        """R@1, R@k and MRR@10 of dense, lexical and hybrid search on your questions: a JSONL file
        or a list of {"question": ..., "expected": ["file", ...]} (paths relative to the indexed folder).
        A question with "answer" keywords is asked too (by ``model``, as ``ask`` takes it), and the report
        says whether the answer and its sources hold them."""
        _check_argument("model", model, (str, type(None)), "a string")
        # None or a number fails further down as if the store had; one question alone is iterated as its keys
        if isinstance(questions, dict) or not isinstance(questions, (str, os.PathLike, Iterable)):
            raise DocChatError("questions must be a JSONL file's path or a list of questions, "
                               f"not {type(questions).__name__}")
        if isinstance(questions, (str, os.PathLike)):
            questions = load_questions(questions)
        # Each question is printed in the report (and, with openai: embeddings, sent to be embedded): one holding
        # the key is refused as %ask refuses it (probe 14).
        questions, guard = list(questions), self.key_guard()  # iterated twice: a generator once
        held = next((n for n, q in enumerate(questions, 1) if isinstance(q, dict) and guard.holds(str(q.get("question")))), 0)
        if held:
            raise EvalFileError(f"question {held} holds the configured API key or server token, which is never shown "
                                "or sent: write it without the key")
        # Its expected files are printed too, and named again under the report when the index lacks them.
        held = next((n for n, q in enumerate(questions, 1) if isinstance(q, dict) and guard.holds(str(q.get("expected")))), 0)
        if held:
            raise EvalFileError(f"question {held}'s expected files hold the configured API key or server token, which "
                                "is never shown: name them without the key")
        root = self.ensure_ready()
        files = set(self.catalog.files(self.collection))
        # A file named by its whole path, or from the working directory ("docs/a.md" for a.md of ./docs), is the
        # indexed file it names: it was never found, and every score was 0 without a word why.
        forms = {unicodedata.normalize("NFC", f): f for f in files}
        questions = [dict(q, expected=[_as_source(e, root, files, forms) for e in _listed(q["expected"])])
                     if isinstance(q, dict) and isinstance(q.get("expected"), (list, str)) else q for q in questions]
        def answered(question: str) -> Answer:
            # Scored on the answer's own words: a quoted answer's notice under it ("... needs an API key ... For
            # written answers, set OPENAI_API_KEY ...") held "model", "key", "documents" and the model's name, and
            # every question with such a keyword was scored answered (probe 19).
            answer = self.ask(question, model=model)
            return replace(answer, text=without_notice(answer.text))

        return evaluate(self, questions, k, indexed=files, ask=answered)

    @core_errors
    def status(self) -> list[CollectionInfo]:
        """Each collection's folder, counts and embedding model; ``folder_gone`` when its folder was deleted,
        moved or replaced since (its index is still searched and answered from)."""
        if not self.server and not self.exists():
            return []
        collections = self.catalog.collections()
        # A folder whose path holds a configured key is shown with it masked: the status is printed and kept.
        mask = self.key_guard().masked
        if self.server:  # the folders are the server's machine's, not this one's
            return [replace(c, root=mask(c.root)) if c.root else c for c in collections]
        # as given when indexed: a folder reached through a link is checked through it
        gone = self.store_gone()  # moved or deleted under this object, Chroma's folder with it: nothing was lost
        lost = not gone and not (self.store / CHROMA_DIR).is_dir()  # deleted: every chunk waits for its vector again
        # A collection deleted inside Chroma (its client's delete_collection) lost its vectors as well: searches were
        # keyword-only without a word, and the status said nothing until the next update found it (as
        # _find_lost_vectors does, with Chroma loaded).
        counts = None if lost or gone else chroma_vector_counts(self.store / CHROMA_DIR)
        return [replace(c, root=mask(c.root) if c.root else c.root, folder_gone=folder_gone(c.root, c.files > 0), waiting=c.chunks if lost or (
                    counts is not None and counts.get(c.name, 0) < c.chunks - c.waiting) else c.waiting)
                for c in collections]

    def request_embeddings(self, name: str) -> None:
        """Ask for another embedding model from now on (checked against the collection's when used)."""
        canonical = canonical_name(name)
        if canonical != self.requested_embeddings:
            self.requested_embeddings = canonical
            self._vectors = self._embedder = None

    def set_credentials(self, api_key: str, base_url: str) -> None:
        """Use a key or URL set after this index was made (an ``openai:`` embedder is made anew)."""
        if (api_key, base_url) != (self.api_key, self.base_url):
            self.api_key, self.base_url = api_key, base_url
            self._embedder = None

    @_letting_go
    def close(self) -> None:
        """Stop this object's vector pass (later runs resume it) and let go of the catalog and Chroma."""
        self._closes += 1  # first: a call in flight on another thread fails from here on
        try:
            if self.job is not None and self.job.is_alive():  # stop_filling, less its check of the store
                self.job.stop(wait=True)
            self._changes += 1  # another connection's data_version may repeat this one's
            if self._catalog is not None:
                self._catalog.close()
                self._catalog = None
            client, self._vectors, self._client, self._embedder = self._client, None, None, None
            if client is not None:
                close_client(client)
        finally:
            self._closes += 1

    def _let_go_if_stopped(self, exc: BaseException) -> bool:
        """Whether ``exc`` says Chroma's system under this call was stopped (by a close); if so, the client and vector
        store held here are dropped unclosed (their system is gone), so that the next call opens the store afresh as
        the error promises."""
        if not system_stopped(exc):
            return False
        self._vectors = self._client = None
        return True

    def _closed_under(self, closes: int) -> bool:
        """Whether a call that began when ``_closes`` was ``closes`` ran while a close did: one began or ended since, or
        one was running when the call began."""
        return self._closes != closes or closes % 2 == 1

    def __enter__(self) -> "DocIndex":
        return self

    def __exit__(self, exc_type: object, exc: BaseException | None, tb: object) -> None:
        try:
            self.close()
        except DocChatError as error:
            if exc is None:
                raise
            # The block's exception says what went wrong first: closing's failure goes with it, not in its place.
            if hasattr(exc, "add_note"):  # Python 3.11
                exc.add_note(f"docchat: and closing the index failed: {error}")


class Withheld:
    """An index searched less the hits that hold a configured key or token: a retriever's documents go to a
    model, which must never see one (as ``ask`` leaves them out of its sources). Anything else is the index's."""

    def __init__(self, index: DocIndex) -> None:
        self.index = index

    def __getattr__(self, name: str) -> Any:
        if name == "index" or name.startswith("__"):  # a copy looks for these before it has an index
            raise AttributeError(name)
        return getattr(self.index, name)

    def search(self, query: str, k: int = 5, mode: SearchMode = "hybrid") -> list[Hit]:
        i = self.index
        return withhold_hits(i.key_guard(), i.search(query, k=k, mode=mode), i.file_chunks)[0]


@dataclass(frozen=True)
class _Run:
    """How one update runs (not stored with the collection, unlike its ``IndexOptions``)."""

    progress: bool = False
    background: bool = False
    background_min: int = 0  # in the background only when more chunks than this need a vector
    lock_timeout: float | None = None  # None: the index's own
    refreshing: bool = False  # the quick check before a question: only what changed is read


class _StoreRankings:
    """The ``search.Retriever`` of one index: Chroma's dense ranking, FTS5's lexical one, the catalog's rows."""

    def __init__(self, index: DocIndex) -> None:
        self.index = index
        # One search's query vectors: a search of more than ten ranks twice (search.hybrid_search), and each
        # ranking embedded the query again, a second model call (a paid one, with an API model).
        self._query_vectors: dict[str, list[float]] = {}

    def filled_share(self) -> float:
        return self.index.filled_share()

    def dense(self, query: str, limit: int) -> list[tuple[str, float]]:
        vector = self._query_vectors.get(query)
        if vector is None:
            vector = self._query_vectors[query] = self.index.embedder().embed_query(query)
        return self.index.vectors().query(vector, limit)

    def lexical(self, query: str, limit: int) -> list[tuple[str, float]]:
        return self.index.catalog.lexical(self.index.collection, query, limit)

    def sources_of(self, ids: list[str]) -> dict[str, str]:
        return self.index.catalog.sources_of(self.index.collection, ids)

    def pages_of(self, ids: list[str]) -> dict[str, int]:
        return self.index.catalog.pages_of(self.index.collection, ids)

    def joined_terms(self, query: str) -> list[str]:
        return self.index.catalog.joined_terms(query)

    def phrase_matches(self, words: list[str], query: str, limit: int) -> list[tuple[str, float, str]]:
        return self.index.catalog.phrase_matches(self.index.collection, words, query, limit)

    def term_coverage(self, query: str, ids: list[str]) -> dict[str, float]:
        return self.index.catalog.term_coverage(self.index.collection, query, ids)

    def rows(self, ids: list[str]) -> dict[str, ChunkRow]:
        rows = self.index.catalog.chunk_rows(self.index.collection, ids)
        missing = [i for i in ids if i not in rows]
        if missing and self.index.server:
            rows.update(self.index.vectors().rows(missing))  # written by another machine since our last sync
        return rows
