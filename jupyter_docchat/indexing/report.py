"""What an index run did, as numbers and one summary line."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from jupyter_docchat.indexing.skips import DEFAULT_REASONS
from jupyter_docchat.safe_text import for_terminal, name_on_one_line


@dataclass
class IndexReport:
    collection: str = ""
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: Counter = field(default_factory=Counter)
    skipped_files: list[tuple[str, str]] = field(default_factory=list)
    chunks_added: int = 0
    chunks_removed: int = 0
    chunks_total: int = 0
    embedded: int = 0
    reused: int = 0
    seconds: float = 0.0
    interrupted: bool = False
    lexical_seconds: float = 0.0  # from the update's start until every chunk was searchable by words
    setup_seconds: float = 0.0  # from the update's start until reading began (scan, lock, catalog)
    vectors_waiting: int = 0  # chunks whose vector is still to be computed
    background: bool = False  # the vectors are being filled in by a background job
    reread: bool = False  # every file was read again: the store was made by older readers or another chunk size
    replaced_folder: str = ""  # the folder the collection mirrored until this update, when another was given
    kept: str = ""  # why the check before a question left the index as it was, for a notice under the answer
    stages: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))  # seconds per stage: check, read, embed, write

    def skip(self, source: str, reason: str, detail: str = "") -> None:
        """Name a file left out: ``reason`` groups it in the summary, ``detail`` (or the reason) names it."""
        self.skipped[reason] += 1
        self.skipped_files.append((source, detail or reason))

    def unskip(self, source: str, reason: str) -> None:
        """Take back a file named as left out for ``reason``: it was indexed after all."""
        before = len(self.skipped_files)
        self.skipped_files = [(s, r) for s, r in self.skipped_files if s != source]
        self.skipped[reason] -= before - len(self.skipped_files)
        if self.skipped[reason] <= 0:
            del self.skipped[reason]

    def changes(self) -> str:
        """What changed, for a note under an answer: "re-indexed 2 changed files (1 added, 1 updated)"; "" for nothing."""
        parts = [f"{n} {what}" for n, what in ((self.added, "added"), (self.updated, "updated"), (self.removed, "removed")) if n]
        total = self.added + self.updated + self.removed
        if not total:  # only a skipped file came or went: nothing the answers use changed ("re-indexed 0 changed files")
            return ""
        return f"re-indexed {total} changed file{'s' if total != 1 else ''}" + (f" ({', '.join(parts)})" if parts else "")

    @property
    def chunks_handled(self) -> int:
        """Chunks given a vector by this run: new ones, and those an earlier, stopped run left waiting."""
        return max(self.chunks_added, self.embedded + self.reused)

    @property
    def chunks_per_second(self) -> float:
        return self.chunks_handled / self.seconds if self.seconds > 0 else 0.0

    def summary(self, listed_in: str = "skipped_files") -> str:
        """One line; ``listed_in`` says where the caller's user finds every file not indexed."""
        skipped = sum(self.skipped.values())
        reasons = ", ".join(f"{n} {r}" for r, n in sorted(self.skipped.items()))
        named = [f"{name_on_one_line(s)} ({r})" for s, r in self.skipped_files[:5]]
        if len(self.skipped_files) > 5:
            named.append(f"and {len(self.skipped_files) - 5} more (see {listed_in})")
        parts = [
            f"{self.collection}: {self.added} added, {self.updated} updated, {self.removed} removed, "
            f"{self.unchanged} unchanged, {skipped} skipped" + (f" ({reasons})" if reasons else ""),
            (f"{self.chunks_added} chunks read ({self.reused} reused a stored vector), " if self.background else
             f"{self.chunks_handled} chunks embedded or reused ({self.embedded} embedded, {self.reused} reused), ")
            + f"{self.chunks_total} in store",
            f"{self.seconds:.1f} s" + ("" if self.background else f", {self.chunks_per_second:.1f} chunks/s"),
        ]
        if self.vectors_waiting:
            parts.append(f"keyword search ready, {self.vectors_waiting} chunks waiting for vectors"
                         + (" (filling in the background)" if self.background else " (run again to finish)"))
        line = "; ".join(parts)
        if self.kept:  # nothing was read into the index or removed from it: the counts say nothing of the folder
            line = f"{self.collection}: {self.kept}; {self.chunks_total} chunks in store"
        if named:
            line += "; not indexed: " + ", ".join(named)
        if any(reason in DEFAULT_REASONS for reason in self.skipped):
            line += " (--include GLOB or --all indexes what is skipped by default)"
        if self.replaced_folder:
            line = (f"the collection {self.collection} mirrored {name_on_one_line(self.replaced_folder)} until now: its files not in "
                    "this folder left it (index into another --collection to keep both): " + line)
        if self.reread:
            line = "read every file again (the store was made by an older docchat or another chunk size): " + line
        if self.interrupted:
            line = "interrupted, run again to finish: " + line
        # print(report) is how a script shows it: a file named "bad\u202egpj.pdf" reversed the rest of the line on a
        # terminal, as the magics and the CLI, which clean it, did not (probe 31). skipped_files keeps the names as they are.
        return for_terminal(line)

    def __str__(self) -> str:
        return self.summary()

    def to_dict(self) -> dict:
        return {
            "collection": self.collection, "added": self.added, "updated": self.updated, "removed": self.removed,
            "unchanged": self.unchanged, "skipped": dict(self.skipped), "skipped_files": self.skipped_files,
            "chunks_added": self.chunks_added, "chunks_removed": self.chunks_removed, "chunks_total": self.chunks_total,
            "embedded": self.embedded, "reused": self.reused, "seconds": round(self.seconds, 3),
            "interrupted": self.interrupted, "lexical_seconds": round(self.lexical_seconds, 3),
            "setup_seconds": round(self.setup_seconds, 3),
            "vectors_waiting": self.vectors_waiting, "background": self.background, "reread": self.reread, "replaced_folder": self.replaced_folder, "kept": self.kept, "stages": {k: round(v, 3) for k, v in self.stages.items()},
        }
