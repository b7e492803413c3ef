"""One incremental update of a collection from a folder.

Files are compared by content hash; only new and edited files are read and
embedded, and a chunk whose exact text is already in the collection (a renamed
file, the untouched half of an edited one) reuses its stored vector.
"""

from __future__ import annotations

import hashlib
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from .catalog import Catalog
from .chunking import Chunk, Chunker
from .readers import UnreadableFile, read_sections
from .report import IndexReport
from .vectors import VectorStore

GROUP_CHUNKS = 256
MAX_FILE_BYTES = 64 * 1024 * 1024


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class _Group:
    sources: list[str] = field(default_factory=list)
    chunks: list[Chunk] = field(default_factory=list)
    files: list[tuple[str, str, int, int]] = field(default_factory=list)
    fresh: set[str] = field(default_factory=set)


class Updater:
    def __init__(self, catalog: Catalog, vectors: VectorStore, embedder: Any, chunker: Chunker,
                 collection: str, progress: bool = False) -> None:
        self.catalog, self.vectors, self.embedder, self.chunker = catalog, vectors, embedder, chunker
        self.collection, self.progress = collection, progress

    def run(self, files: list[tuple[str, Path]], report: IndexReport) -> IndexReport:
        started = time.perf_counter()
        try:
            self._recover()
            known = self.catalog.files(self.collection)
            with _stage(report, "check"):
                todo, unreadable = self._plan(files, known, report)
            self._process(todo, known, report)
            present = {rel for rel, _ in files}
            gone = {s for s in known if s not in present} | {s for s in unreadable if s in known}
            self._remove(sorted(gone), known, report)
        except KeyboardInterrupt:
            report.interrupted = True
            raise
        finally:
            report.seconds = time.perf_counter() - started
            report.chunks_total = self.catalog.chunk_count(self.collection)
        return report

    def _recover(self) -> None:
        """Undo whatever a crashed run left half-written, so it is redone cleanly."""
        pending = self.catalog.pending(self.collection)
        if pending:
            self.vectors.delete_sources(pending)
            self.catalog.remove_sources(self.collection, pending)

    def _plan(self, files: list[tuple[str, Path]], known: dict, report: IndexReport) -> tuple[list, list[str]]:
        todo, unreadable = [], []
        for rel, path in _bar(files, self.progress, "checking files", "file"):
            try:
                size = path.stat().st_size
                if size > MAX_FILE_BYTES:
                    raise UnreadableFile("too large")
                digest = file_hash(path.read_bytes())
            except UnreadableFile as exc:
                report.skip(rel, exc.reason)
                unreadable.append(rel)
                continue
            except OSError as exc:
                report.skip(rel, f"unreadable ({exc.strerror or type(exc).__name__})")
                unreadable.append(rel)
                continue
            record = known.get(rel)
            if record is not None and record.hash == digest:
                report.unchanged += 1
            else:
                todo.append((rel, path))
        return todo, unreadable

    def _process(self, todo: list[tuple[str, Path]], known: dict, report: IndexReport) -> None:
        group = _Group()
        with _bar(None, self.progress, "embedding", "chunk") as bar:
            for rel, path in todo:
                try:
                    with _stage(report, "read"):
                        data = path.read_bytes()
                        digest = file_hash(data)  # the bytes actually indexed, even if the file moved on since _plan
                        chunks = self.chunker.chunk(rel, digest, read_sections(path, data))
                except UnreadableFile as exc:
                    report.skip(rel, exc.reason)
                    if rel in known:
                        self._remove([rel], known, report)
                    continue
                except OSError as exc:
                    report.skip(rel, f"unreadable ({exc.strerror or type(exc).__name__})")
                    continue
                group.sources.append(rel)
                group.chunks.extend(chunks)
                group.files.append((rel, digest, len(data), len(chunks)))
                if rel not in known:
                    group.fresh.add(rel)
                if len(group.chunks) >= GROUP_CHUNKS:
                    self._flush(group, known, report, bar)
                    group = _Group()
            if group.sources:
                self._flush(group, known, report, bar)

    def _flush(self, group: _Group, known: dict, report: IndexReport, bar: Any) -> None:
        with _stage(report, "write"):
            self.catalog.mark_pending(self.collection, group.sources)
        with _stage(report, "embed"):
            vectors = self._embed(group.chunks, report, bar)
        with _stage(report, "write"):
            self.vectors.delete_sources(group.sources)
            self.vectors.add(group.chunks, vectors)
            self.catalog.replace_sources(self.collection, group.sources, group.chunks, group.files)
        for source in group.sources:
            if source in group.fresh:
                report.added += 1
            else:
                report.updated += 1
                report.chunks_removed += known[source].chunks
        report.chunks_added += len(group.chunks)

    def _embed(self, chunks: list[Chunk], report: IndexReport, bar: Any) -> list[list[float]]:
        by_hash = self.catalog.ids_by_text_hash(self.collection, sorted({c.text_hash for c in chunks}))
        stored = self.vectors.vectors(sorted(set(by_hash.values()))) if by_hash else {}
        out: list[list[float] | None] = []
        missing: list[int] = []
        for i, chunk in enumerate(chunks):
            vec = stored.get(by_hash.get(chunk.text_hash, ""))
            out.append(vec)
            if vec is None:
                missing.append(i)
        report.reused += len(chunks) - len(missing)
        bar.update(len(chunks) - len(missing))
        step = 64
        for start in range(0, len(missing), step):
            part = missing[start : start + step]
            for i, vec in zip(part, self.embedder.embed_documents([chunks[i].embed_text for i in part])):
                out[i] = vec
            report.embedded += len(part)
            bar.update(len(part))
        return out  # type: ignore[return-value]

    def _remove(self, sources: list[str], known: dict, report: IndexReport) -> None:
        if not sources:
            return
        self.catalog.mark_pending(self.collection, sources)
        self.vectors.delete_sources(sources)
        self.catalog.remove_sources(self.collection, sources)
        for source in sources:
            report.removed += 1
            report.chunks_removed += known[source].chunks if source in known else 0
            known.pop(source, None)


@contextmanager
def _stage(report: IndexReport, name: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        report.stages[name] += time.perf_counter() - started


def _bar(items: Any, enabled: bool, desc: str, unit: str) -> Any:
    from tqdm.auto import tqdm

    return tqdm(items, desc=desc, unit=unit, disable=not enabled, leave=False)
