"""One incremental update of a collection from a folder: the lexical pass, and the vector pass.

Files are compared by content hash; only new and edited files are read. Their
chunks are written to the catalog at once, so keyword search covers them within
seconds; a chunk whose exact text already has a stored vector (a renamed file,
the untouched half of an edited one) reuses it, and the rest wait for the
vector pass (``fill.VectorFill``). With ``fill_now`` that pass runs in this
thread while worker processes read ahead; without it the caller runs it later,
e.g. in the background of a kernel. Chroma and the model are asked for when
first needed: a fresh folder's keyword pass needs neither, so a caller may hand
over ways to load them rather than the loaded things (the keyword pass is then
not kept waiting by their imports).
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from jupyter_docchat.errors import FolderEmptiedError, FolderGoneError
from jupyter_docchat.safe_text import for_terminal, name_on_one_line
from jupyter_docchat.store.catalog import Catalog
from jupyter_docchat.types import Chunk
from jupyter_docchat.indexing.copies import Copies, TextRecord
from jupyter_docchat.indexing.fill import BATCH, WINDOW, VectorFill
from jupyter_docchat.indexing.readers import UnreadableFile
from jupyter_docchat.indexing.reading import ChunkerSpec, FileReader, ReadResult, WorkerPool, file_hash, unreadable as unreadable_reason
from jupyter_docchat.indexing.scan import FROM_THE_INDEX, file_stamp
from jupyter_docchat.indexing.user_file import read_user_file
from jupyter_docchat.indexing.report import IndexReport
from jupyter_docchat.indexing.skips import BUILT, COPY, SkipRules
from jupyter_docchat.store.vectors import VectorStore

GROUP_CHUNKS = 256
GROUP_WAIT = 0.1  # seconds a group waits for the next file's chunks before it is staged (_read_and_stage)
OVERLAP_STEP = 4 * BATCH  # chunks embedded between looks at whether the readers have more


@dataclass
class _Group:
    sources: list[str] = field(default_factory=list)
    chunks: list[Chunk] = field(default_factory=list)
    files: list[tuple[str, str, int, int]] = field(default_factory=list)
    fresh: set[str] = field(default_factory=set)


class Updater:
    def __init__(self, catalog: Catalog, vectors: Callable[[], VectorStore], embedder: Callable[[], Any],
                 spec: ChunkerSpec, collection: str, progress: bool = False, reread: bool = False,
                 rules: SkipRules | None = None, previous_rules: SkipRules | None = None,
                 pool: WorkerPool | None = None, folder: Path | None = None,
                 secret_in: Callable[[str], bool] = lambda name: False, keep_if_emptied: bool = False) -> None:
        """``vectors`` and ``embedder`` give the Chroma collection and the model, called when first needed;
        ``folder``, the folder the files are in: when it is gone by the end, no indexed file is removed;
        ``secret_in``, whether a file's name holds a configured key (the progress bar does not show such a name);
        ``keep_if_emptied``, raise FolderEmptiedError rather than remove every indexed file and add none."""
        self.folder, self.secret_in, self.keep_if_emptied = folder, secret_in, keep_if_emptied
        self.catalog, self.vectors, self.embedder, self.spec = catalog, vectors, embedder, spec
        self.pool = pool  # reading workers started before this update's set-up (reading.early_pool), if any
        self.collection, self.progress = collection, progress
        self.reread = reread  # read every file again, changed or not (the readers or the chunk size changed)
        self.rules = rules or SkipRules()
        self._waiting = 0  # chunks staged without a vector and not yet filled
        self.stats: dict[str, tuple[int, int]] = {}  # (size, mtime_ns) of each file checked
        self.copies = Copies()
        self._copied: list[str] = []  # indexed files read again and found to be copies: their chunks go
        self._unchanged: list[str] = []  # indexed files not read again
        self._lost = 0  # files gone when read (after the plan found them)
        self._unread: set[str] = set()  # files read to no text, or not at all
        # Files the previous rules exempted from the default skips and these do not, or the reverse, are read
        # again: what the skips that look at the content (copies, machine-length lines) say may differ.
        self.previous_rules = previous_rules or self.rules

    def run(self, files: list[tuple[str, Path]], report: IndexReport, fill_now: bool = True,
            fill_below: int = 0, started: float | None = None,
            builds: dict[str, tuple[str, Path]] | None = None) -> IndexReport:
        """``fill_now``: compute the vectors here too; otherwise only when at most ``fill_below`` wait.
        ``started``: the ``perf_counter`` the update began at (its set-up before this run counts too).
        ``builds``: the files left out as built from a source (``Scan.builds``), read when their source gives no text."""
        started = time.perf_counter() if started is None else started
        report.setup_seconds = time.perf_counter() - started
        try:
            self._recover()
            known = self.catalog.files(self.collection)
            with _stage(report, "check"):
                todo, unreadable = self._plan(files, known, report)
            self._waiting = self.catalog.todo_count(self.collection)  # left by an earlier, unfinished run
            with _bar(None, self.progress and fill_now, "embedding", "chunk") as bar:
                filler = self._filler(report, bar) if fill_now else None
                self._read_and_stage(todo, known, report, filler)
                # A source that read to no text (a notebook that is not JSON, a .tex of comments) does not stand
                # for its build: left out, the build's text was in no index (probe 14).
                dead = self._unread | set(unreadable)
                fallback = [(rel, path) for rel, (source, path) in (builds or {}).items() if source in dead]
                if fallback:
                    self.pool = None  # the first reading shut the early workers down: this one starts its own if worth it
                    for rel, _ in fallback:
                        report.unskip(rel, BUILT)
                    more, more_unreadable = self._plan(fallback, known, report)
                    self._read_and_stage(more, known, report, filler)
                    files, unreadable = files + fallback, unreadable + more_unreadable
                present = {rel for rel, _ in files}
                gone = {s for s in known if s not in present} | {s for s in unreadable if s in known}
                unread = len(unreadable) + self._lost
                if (gone or unread) and self.folder is not None and not self.folder.is_dir():
                    # Deleted or moved after the scan (rm -r, a checkout switching branches): its files are
                    # not gone from it, it is gone; the index stays as it was, as for a folder gone before.
                    # A first update says so too: it reported "0 added, ... unreadable" as a success.
                    kept = (f"nothing was removed (the index keeps its {len(known)} files)" if known else
                            f"{unread} of its {len(files)} files could not be read")
                    raise FolderGoneError(f"the folder {self.folder} was deleted or moved while it was indexed: {kept}; "
                                          "index it again once it is back")
                self._keep_if_emptied(known, gone, report)
                # After the staging, so the copy now indexed reused their vectors.
                self._remove(sorted(set(self._copied + self.copies.demoted)), known, report, count=False)
                self._remove(sorted(gone), known, report)
                for copy, holder in self.copies.copies():
                    report.skip(copy, COPY, f"copy of {holder}")
                gone_now = set(self.copies.demoted)
                report.unchanged += sum(rel not in gone_now for rel in self._unchanged)
                self.catalog.set_file_stats(self.collection, self.stats)
                self.catalog.set_file_texts(self.collection, {
                    rel: (r.hash, r.key, r.copy_of) for rel, r in self.copies.records.items() if rel in present})
                report.lexical_seconds = time.perf_counter() - started
                if filler is None and 0 < self.catalog.todo_count(self.collection) <= fill_below:
                    filler = self._filler(report, bar)  # too little to be worth a background pass
                if filler is not None:
                    bar.total = bar.n + self.catalog.todo_count(self.collection)
                    while self._fill_step(filler, report):
                        pass
        except KeyboardInterrupt:
            report.interrupted = True
            raise
        finally:
            report.seconds = time.perf_counter() - started
            report.chunks_total = self.catalog.chunk_count(self.collection)
            report.vectors_waiting = self.catalog.todo_count(self.collection)
        return report

    def _keep_if_emptied(self, known: dict, gone: set[str], report: IndexReport) -> None:
        """Before a question, a folder whose files are all gone but for ones the update skips (a minified script,
        files its .gitignore names, an image) is kept as a folder holding hidden entries alone is: a mount point or
        a sync gone wrong mirrored would lose every file of the collection, vectors and all. Nothing is written
        yet when nothing was staged; ``docchat index`` of the folder still empties the collection."""
        if not (self.keep_if_emptied and known and gone >= known.keys()) or report.added or report.updated:
            return
        said = f" ({', '.join(f'{n} {why}' for why, n in sorted(report.skipped.items()))})" if report.skipped else ""
        raise FolderEmptiedError(f"the folder {self.folder} holds no file to index now{said}: {FROM_THE_INDEX}; "
                                 "index the folder again to empty the collection")

    def _recover(self) -> None:
        """Undo whatever a crashed run left half-written, so it is redone cleanly."""
        pending = self.catalog.pending(self.collection)
        if pending:
            self.vectors().delete_sources(pending)
            self.catalog.remove_sources(self.collection, pending)

    def _plan(self, files: list[tuple[str, Path]], known: dict, report: IndexReport) -> tuple[list, list[str]]:
        """The files to read, best copy first (``copies.rank``); an indexed file or a copy whose size and
        modification time are as recorded is not even hashed (a refresh before every question stays
        cheap on a large folder)."""
        todo: list[tuple[str, Path]] = []
        unreadable: list[str] = []
        unchanged: list[str] = []
        copies: list[str] = []
        recorded = self.catalog.file_stats(self.collection)
        texts = {rel: TextRecord(*row) for rel, row in self.catalog.file_texts(self.collection).items()}
        for rel, path in _bar(files, self.progress, "checking files", "file"):
            text = texts.get(rel)
            copy = text is not None and bool(text.copy_of) and rel not in known and not self.reread
            try:
                self.stats[rel] = file_stamp(path)
                same = not self.reread and self.rules.exempt(rel) == self.previous_rules.exempt(rel)
                if (rel in known or copy) and recorded.get(rel) == self.stats[rel] and same:
                    (copies if copy else unchanged).append(rel)
                    continue
                if rel not in known and not copy:
                    # New: its hash would be compared with nothing. Its reader reads and hashes it (and names it
                    # if it cannot), rather than this process reading every file once more before the first
                    # is handed out (mpich's 967 files: 0.065 CPU-s).
                    todo.append((rel, path))
                    continue
                digest = file_hash(read_user_file(path))
            except UnreadableFile as exc:
                report.skip(rel, exc.reason)
                unreadable.append(rel)
                continue
            except OSError as exc:
                report.skip(rel, unreadable_reason(exc))
                unreadable.append(rel)
                self.stats.pop(rel, None)  # perhaps passing: look again next time
                continue
            record = known.get(rel)
            if record is not None and record.hash == digest and same:
                unchanged.append(rel)
            elif copy and same and text is not None and text.hash == digest:
                copies.append(rel)
            else:
                todo.append((rel, path))
        paths = dict(files)
        # The indexed files as they are hold their texts, best first; one the options now make a copy goes.
        self.copies.links |= {rel for rel, path in files if path.is_symlink()}
        rank = self.copies.rank
        for rel in sorted(unchanged, key=rank):
            text = texts.get(rel)
            if text is None or text.hash != known[rel].hash:
                self._unchanged.append(rel)  # read before texts were recorded (or since): it holds no text
            elif self.copies.hold(rel, text, self.rules.exempt(rel)):
                self._unchanged.append(rel)
            else:
                self._copied.append(rel)
        # A copy stays one while a better file with its text is indexed; otherwise it is read again.
        for rel in copies:
            holder = self.copies.holder_of(texts[rel].key)
            if holder and rank(holder) < rank(rel) and not self.rules.exempt(rel):
                self.copies.records[rel] = texts[rel]
            else:
                todo.append((rel, paths[rel]))
        todo.sort(key=lambda item: rank(item[0]))
        return todo, unreadable

    def _filler(self, report: IndexReport, bar: Any) -> VectorFill:
        started: list[bool] = []

        def tick(n: int) -> None:
            if not started:  # the bar was made before reading; its rate and estimate count from here
                started.append(True)
                bar.reset(total=max(bar.total or 0, self.catalog.todo_count(self.collection) + n))
            report.embedded += n
            bar.update(n)

        return VectorFill(self.catalog, self.vectors(), self.embedder(), self.collection, on_progress=tick)

    def _read_and_stage(self, todo: list[tuple[str, Path]], known: dict, report: IndexReport,
                        filler: VectorFill | None) -> None:
        group = _Group()
        with _bar(None, self.progress, "reading", "file") as bar, \
                FileReader(todo, self.spec, self.rules.exempt, on_progress=_inside_file(bar, self.secret_in), pool=self.pool) as reader:
            bar.total = len(todo)
            while True:
                if filler is not None and self._waiting and not reader.ready():
                    # The workers are still reading: embed meanwhile rather than wait for them.
                    if not self._fill_step(filler, report, OVERLAP_STEP):
                        self._waiting = 0
                    continue
                with _stage(report, "read"):
                    result = reader.next()
                if result is None:
                    break
                bar.update(1)
                if not self._take(result, group, known, report):
                    continue
                # Staged when the workers have nothing ready, rather than waited on: searchable by words from now on.
                # Without vectors to compute meanwhile, a result coming soon is waited for and joins the group: a
                # transaction of a few small files each cost SQLite's FTS5 twice the CPU of larger ones (mpich's
                # 966 pages: 155 transactions, 0.45 CPU-s).
                if len(group.chunks) >= GROUP_CHUNKS or not reader.ready(0.0 if filler is not None else GROUP_WAIT):
                    self._stage_group(group, known, report)
                    group = _Group()
            if group.sources:
                self._stage_group(group, known, report)

    def _take(self, result: ReadResult, group: _Group, known: dict, report: IndexReport) -> bool:
        if result.skipped:
            report.skip(result.rel, result.skipped)
            self._unread.add(result.rel)
            self._lost += result.gone
            if result.rel in known and not result.gone:
                self._remove([result.rel], known, report)
            return False
        assert result.chunks is not None
        if not self.copies.hold(result.rel, TextRecord(result.digest, result.text_key), self.rules.exempt(result.rel)):
            if result.rel in known:
                self._copied.append(result.rel)  # indexed before its better copy came
            return False
        group.sources.append(result.rel)
        group.chunks.extend(result.chunks)
        group.files.append((result.rel, result.digest, result.size, len(result.chunks)))
        if result.rel not in known:
            group.fresh.add(result.rel)
        return True

    def _fill_step(self, filler: VectorFill, report: IndexReport, limit: int | None = None) -> int:
        before = filler.seconds.copy()
        stored = filler.step(limit or WINDOW)
        self._waiting -= stored
        report.stages["embed"] += filler.seconds["embed"] - before["embed"]
        report.stages["write"] += filler.seconds["write"] - before["write"]
        return stored

    def _stage_group(self, group: _Group, known: dict, report: IndexReport) -> None:
        """Write a group's chunks to the catalog (searchable by words at once), reusing stored vectors."""
        with _stage(report, "write"):
            self.catalog.mark_pending(self.collection, group.sources)
            reused = self._stored_vectors(group.chunks)
            replaced = [s for s in group.sources if s not in group.fresh]
            if replaced:
                self.vectors().delete_sources(replaced)
            if reused:
                kept = [c for c in group.chunks if c.id in reused]
                self.vectors().add(kept, [reused[c.id] for c in kept])
            waiting = [c for c in group.chunks if c.id not in reused]
            self.catalog.replace_sources(self.collection, group.sources, group.chunks, group.files, waiting)
        self._waiting += len(waiting)
        for source in group.sources:
            if source in group.fresh:
                report.added += 1
            else:
                report.updated += 1
                report.chunks_removed += known[source].chunks
        report.chunks_added += len(group.chunks)
        report.reused += len(reused)

    def _stored_vectors(self, chunks: list[Chunk]) -> dict[str, list[float]]:
        """Chunk id -> an existing vector for the same text (before the old rows are dropped)."""
        by_hash = self.catalog.ids_by_text_hash(self.collection, sorted({c.text_hash for c in chunks}))
        if not by_hash:
            return {}
        stored = self.vectors().vectors(sorted(set(by_hash.values())))
        out = {}
        for chunk in chunks:
            vector = stored.get(by_hash.get(chunk.text_hash, ""))
            if vector is not None:
                out[chunk.id] = vector
        return out

    def _remove(self, sources: list[str], known: dict, report: IndexReport, count: bool = True) -> None:
        """Drop the sources' chunks; ``count``: as removed files (not so for files now named as copies)."""
        if not sources:
            return
        self.catalog.mark_pending(self.collection, sources)
        self.vectors().delete_sources(sources)
        self.catalog.remove_sources(self.collection, sources)
        for source in sources:
            report.removed += count
            report.chunks_removed += known[source].chunks if source in known else 0
            known.pop(source, None)


@contextmanager
def _stage(report: IndexReport, name: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        report.stages[name] += time.perf_counter() - started


# The index summary's words for such a file (index.py's _hide_key_names)
KEY_NAMED = "a file whose name holds the configured key"


def _inside_file(bar: Any, secret_in: Callable[[str], bool]) -> Any:
    """Progress inside a large file on the reading bar ("manual.pdf: 300/1,158 pages"), or None without a bar. A
    file named with a configured key is not named: the bar is drawn in a notebook's output and a terminal's
    scrollback, though it is redrawn away."""
    if bar.disable:
        return None

    def show(rel: str, done: int, total: int, unit: str) -> None:
        name = KEY_NAMED if secret_in(rel) else name_on_one_line(rel)  # a name is not to be trusted
        bar.set_postfix_str(for_terminal(f"{name}: {done:,}/{total:,} {unit}"))

    return show


def _bar(items: Any, enabled: bool, desc: str, unit: str) -> Any:
    if not enabled:
        return _NoBar(items)
    from tqdm.auto import tqdm

    return tqdm(items, desc=desc, unit=unit, disable=not enabled, leave=False, **_width(tqdm))


class _NoBar:
    """A disabled tqdm bar's behaviour (nothing drawn, ``n`` stays 0) without importing tqdm: the import (0.08-0.10
    CPU-s, up to 0.2 s wall) came before an update's first file was read, with no bar to show (``progress=False``,
    the API's default)."""

    disable = True

    def __init__(self, items: Any) -> None:
        self.items, self.n = items, 0
        self.total: int | None = None

    def __iter__(self) -> Any:
        return iter(self.items)

    def __enter__(self) -> "_NoBar":
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def update(self, n: int = 1) -> None:
        pass

    def reset(self, total: int | None = None) -> None:
        if total is not None:
            self.total = total

    def set_postfix_str(self, text: str = "", refresh: bool = True) -> None:
        pass

    def close(self) -> None:
        pass


def _width(bar_class: type) -> dict:
    """A terminal that reports no size (a pseudo-terminal nobody sized) makes tqdm draw nothing at all:
    there the bar takes $COLUMNS and $LINES, or 80 by 24."""
    notebook = sys.modules.get("tqdm.notebook")  # loaded by tqdm.auto only in a notebook
    if notebook is not None and issubclass(bar_class, notebook.tqdm_notebook):
        return {}
    try:
        if os.get_terminal_size(sys.stderr.fileno()).columns > 0:
            return {}
    except (OSError, ValueError, AttributeError):  # not a terminal, or no stderr: tqdm decides
        return {}
    columns, lines = shutil.get_terminal_size()
    return {"ncols": columns, "nrows": lines}
