"""One document, one entry: files whose extracted text is the same, white space aside, are indexed once.

Which copy is indexed depends only on the files present, never on the order they were found or
indexed: a file before a link to it, then the shallowest path, the shortest name, the first in
sorted order. So "report.pdf" wins over "backup/report.pdf", "Copy of report.pdf" and
"report (1).pdf", a rebuild gives the same index, and when the indexed copy is deleted or edited the next update indexes the
best of the others (reusing the vectors of chunks whose text is the same).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from typing import Iterable

from jupyter_docchat.types import Section


def text_key(sections: Iterable[Section]) -> str:
    """A digest of the file's text with its white space evened out; "" for a file with no text."""
    words = " ".join(" ".join(section.text.split()) for section in sections).strip()
    return hashlib.sha256(words.encode("utf-8", "surrogatepass")).hexdigest() if words else ""


def rank(source: str, link: bool = False) -> tuple[bool, int, int, str]:
    """The better copy sorts first."""
    return (link, source.count("/"), len(source.rsplit("/", 1)[-1]), source)


@dataclass(frozen=True)
class TextRecord:
    """What the store remembers of a file's text: the bytes it was read from, their text's key, and
    the indexed file it is a copy of ("" for a file that is indexed)."""

    hash: str
    key: str
    copy_of: str = ""


class Copies:
    """Which present file holds each text, through one update.

    ``holders`` maps a text key to the indexed file with that text; a file read later with the
    same text is a copy when the holder ranks before it, and the holder is demoted (its chunks
    removed after the new one is staged) when it ranks after. ``exempt`` files (``--include``,
    ``--all``) are indexed whatever they copy, and never demoted.
    """

    def __init__(self, links: set[str] | None = None) -> None:
        self.links = links or set()  # files that are symbolic links
        self.holders: dict[str, str] = {}
        self.records: dict[str, TextRecord] = {}  # every present file whose text is known
        self.demoted: list[str] = []  # indexed files that turned out to be copies: their chunks go
        self._exempt: set[str] = set()

    def hold(self, source: str, record: TextRecord, exempt: bool) -> bool:
        """Record a file's text; False when it is a copy of a better indexed file (and not exempt)."""
        record = replace(record, copy_of="")
        holder = self.holders.get(record.key) if record.key else None
        if exempt:
            self._exempt.add(source)
        if holder is None or holder == source or self.rank(source) < self.rank(holder):
            if holder is not None and holder != source and holder not in self._exempt:
                self.demoted.append(holder)
                self.records[holder] = replace(self.records[holder], copy_of=source)
            if record.key:
                self.holders[record.key] = source
            self.records[source] = record
            return True
        if exempt:
            self.records[source] = record
            return True
        self.records[source] = replace(record, copy_of=holder)
        return False

    def rank(self, source: str) -> tuple[bool, int, int, str]:
        return rank(source, source in self.links)

    def holder_of(self, key: str) -> str:
        return self.holders.get(key, "") if key else ""

    def copies(self) -> list[tuple[str, str]]:
        """(copy, the indexed file it copies) of every present copy, by the holders as they are now."""
        out = []
        for source, record in sorted(self.records.items()):
            if record.copy_of:
                holder = self.holders.get(record.key, record.copy_of)
                self.records[source] = replace(record, copy_of=holder)
                out.append((source, holder))
        return out

    def forget(self, source: str) -> None:
        record = self.records.pop(source, None)
        if record is not None and record.key and self.holders.get(record.key) == source:
            del self.holders[record.key]
