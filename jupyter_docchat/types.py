"""The located records every layer passes around: a section of a file, a chunk of it, a retrieved hit.

Plain dataclasses with no behaviour beyond naming where they came from; the bottom layer, importing nothing
of the package.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import asdict, dataclass, field
from pathlib import PurePosixPath
from typing import Literal

SearchMode = Literal["dense", "lexical", "hybrid"]
SEARCH_MODES: tuple[SearchMode, ...] = ("dense", "lexical", "hybrid")  # in the order reports show them
# Where a hit comes from: a chunk of an indexed file, a kernel variable (described) or a cell of this notebook.
Origin = Literal["document", "variable", "cell"]
# How an answer ended: whole, stopped by Ctrl-C as it streamed (the text is the part received), or by a model error.
TurnStatus = Literal["ok", "interrupted", "failed"]
TURN_STATUSES: tuple[TurnStatus, ...] = ("ok", "interrupted", "failed")

TRAIL_SEPARATOR = " > "
# A ">" a heading holds with a space before it ("Use a > b", "Next >") would split it in two levels of the trail
# it is joined into. It is written "›" (U+203A) there: it reads as the same mark, and the keyword index takes
# neither for a word, so the heading is searched as before. HTML's "&gt;" would show as written in a terminal.
_JOINS_TRAIL = re.compile(r"(?<= )>(?= |$)")


@dataclass(frozen=True)
class HeadingTrail:
    """The headings above a chunk, outermost first (a page title, a chapter, a section). A chunk's and a hit's
    ``heading`` is its text, ``str(trail)``: this is the one place that joins or splits it."""

    parts: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if any(">" in part for part in self.parts):
            object.__setattr__(self, "parts", tuple(_JOINS_TRAIL.sub("\u203a", part) for part in self.parts))

    @classmethod
    def of(cls, heading: str) -> "HeadingTrail":
        if cls is HeadingTrail:
            return _trail_of(heading)
        return cls(tuple(heading.split(TRAIL_SEPARATOR)) if heading else ())

    def __str__(self) -> str:
        return TRAIL_SEPARATOR.join(self.parts)

    @property
    def title(self) -> str:
        """The innermost heading ('' for none)."""
        return self.parts[-1] if self.parts else ""

    @property
    def nested(self) -> bool:
        """Whether there is a heading below the outermost one (a section of a page, not the page)."""
        return len(self.parts) > 1

    def upto(self, depth: int) -> "HeadingTrail":
        """The first ``depth`` headings."""
        return HeadingTrail(self.parts[:depth])

    def holds(self, other: "HeadingTrail") -> bool:
        """Whether ``other`` is this trail or one below it."""
        return other.parts[:len(self.parts)] == self.parts


@functools.lru_cache(maxsize=4096)
def _trail_of(heading: str) -> HeadingTrail:
    # The chunker asks for the trails of a page's few headings again and again (mpich's 4,000 chunks: 7,300 asks,
    # 0.03 CPU-s of splitting and checking them); a trail is frozen, so one made is as good as a new one.
    return HeadingTrail(tuple(heading.split(TRAIL_SEPARATOR)) if heading else ())


# The line a notebook's reader writes over a code cell's output, a block of its own under the cell's code; the answer
# quotes the two together.
OUTPUT_LABEL = "Output:"
CODELESS_OUTPUT_LABEL = "Output of a cell without code:"  # no code of its own to go with


@dataclass
class Section:
    text: str
    start_line: int = 1
    heading: str = ""
    page: int | None = None
    cell: int | None = None
    kind: str = "text"
    # The file line of each line of ``text``, when they are not the lines from ``start_line`` on (an HTML page's
    # text is laid out anew: a paragraph on one source line is followed by a blank line).
    line_map: tuple[int, ...] | None = None
    # A notebook's cells joined into one section (a Markdown cell and the code it introduces): (line, cell) where
    # each of them starts, lines counted as ``line`` is.
    cell_lines: tuple[tuple[int, int], ...] | None = None
    # A unit of its own, never joined to the section before it, and joined only by sections under it: an API
    # reference's member (a Doxygen page's function, macro or struct), whose small neighbours were joined into one
    # chunk cited under the first one's name ("MDB_CURRENT" under "MDB_NODUPDATA").
    apart: bool = False

    def file_line(self, line: int) -> int:
        """The file line of ``line``, counted as ``start_line`` plus the lines of ``text`` above it."""
        if not self.line_map:
            return line
        return self.line_map[min(max(line - self.start_line, 0), len(self.line_map) - 1)]

    def cells(self, first: int, last: int) -> tuple[int | None, int | None]:
        """The first and the last cell of lines ``first`` to ``last``: a piece of joined cells is cited by the cells
        it holds, not by all the section's (a half of a section of four cells is not "cells 1-4")."""
        starts = self.cell_lines
        if not starts:
            return self.cell, None
        return _cell_at(starts, first), _cell_at(starts, last)


def _cell_at(starts: tuple[tuple[int, int], ...], line: int) -> int:
    """The cell holding ``line``: the last to start at or above it (the first cell, above them all)."""
    return next((cell for start, cell in reversed(starts) if start <= line), starts[0][1])


@dataclass
class Chunk:
    text: str
    source: str
    file_hash: str
    index: int
    heading: str = ""
    page: int | None = None
    cell: int | None = None
    start_line: int = 1
    end_line: int = 1
    kind: str = "text"
    last_cell: int | None = None  # cells ``cell`` to ``last_cell`` of a notebook, when the chunk holds several
    id: str = field(default="", init=False)

    def __post_init__(self) -> None:
        self.id = hashlib.sha1(f"{self.source}\x00{self.file_hash}\x00{self.index}".encode()).hexdigest()

    @property
    def embed_text(self) -> str:
        return embed_text(self.heading, self.source, self.text)

    @property
    def text_hash(self) -> str:
        # Asked for three times a chunk on the keyword pass (its row, its metadata, the look-up of vectors already
        # made); kept while the heading, source and text are the strings it was made of, so a chunk changed after
        # it was asked is hashed again.
        made = self.__dict__.get("_hashed")
        if made and made[0] is self.heading and made[1] is self.source and made[2] is self.text:
            return made[3]
        value = hashlib.sha1(self.embed_text.encode()).hexdigest()
        self.__dict__["_hashed"] = (self.heading, self.source, self.text, value)
        return value

    def metadata(self) -> dict[str, str | int]:
        meta: dict[str, str | int] = {
            "source": self.source, "heading": self.heading, "start_line": self.start_line,
            "end_line": self.end_line, "file_hash": self.file_hash, "chunk_index": self.index,
            "kind": self.kind, "text_hash": self.text_hash,
        }
        if self.page is not None:
            meta["page"] = self.page
        if self.cell is not None:
            meta["cell"] = self.cell
            if self.last_cell is not None and self.last_cell != self.cell:
                meta["last_cell"] = self.last_cell
        return meta


# A file's name heads its chunks only this far: a name of 250 marks ("!!!...!.txt", a word piece each) took the whole
# window of 256, and every chunk of the file was halved under it down to slivers of 20 characters (probe 18).
NAME_CHARS = 100


@functools.lru_cache(maxsize=4096)
def _file_name(source: str) -> str:
    # A path built for each of a store's chunks was a tenth of the keyword pass's own time on a source checkout;
    # a file's chunks come together, so its name is made once.
    return PurePosixPath(source).name


def embed_text(heading: str, source: str, text: str) -> str:
    """What the embedding model sees: the heading trail (or file name) gives a chunk its context."""
    name = _file_name(source)
    # A heading trail is cut already, to the window's half (Chunker._fit_headings).
    title = heading or (name if len(name) <= NAME_CHARS else name[:NAME_CHARS - 1] + "…")
    return f"{title}\n{text}" if title not in text[:200] else text


# Files whose ``page`` is a slide's number (a slide a section, as a PDF's page is): cited "slide 4", not "p. 4".
SLIDE_SUFFIXES = (".pptx", ".pptm", ".odp", ".fodp", ".ppt", ".pps", ".pot")  # .pot: a 97-2003 template's
# Workbooks, whose lines are a sheet's rows (indexing/readers/sheets.py): cited "Sales rows 4-40", the sheet's name the
# innermost heading of the trail "book.xlsx > Sales".
SHEET_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
# Files whose ``page`` is a page's place in a book's reading order: cited by its chapter, the trail's second heading
# ("Book > Chapter > ..."), as a reader finds it in the book's contents; the book's name for a page under it alone
# (the title page, a chapter named as the book); "part N" where the chunk has no heading at all.
BOOK_SUFFIXES = (".epub",)
# Saved mail (indexing/readers/mail.py): a mailbox's ``page`` is a message's place in it, cited "message 12"; a message
# saved alone (.eml) is cited by its lines.
MAILBOX_SUFFIXES = (".mbox",)
MAIL_SUFFIXES = (".eml", *MAILBOX_SUFFIXES)
# Outlook's saved message (indexing/readers/outlook.py), an OLE file: cited as an .eml is, by the lines of its text.
OUTLOOK_SUFFIXES = (".msg",)
# Transcripts and subtitles (indexing/readers/transcript.py), whose lines are a cue's second counted from 1: cited
# "00:12:05-00:14:30", where a player seeks to, not by lines.
TRANSCRIPT_SUFFIXES = (".vtt", ".srt")


# The other files whose chunks have a ``page``: a PDF's, a deck's, a book's (a page of them gzipped too), and a deck
# saved under a document's name (read as the deck it is, cited "p. N" as before).
_PAGED_SUFFIXES = (".pdf", *SLIDE_SUFFIXES, *BOOK_SUFFIXES, ".docx", ".docm", ".odt", ".fodt")


def _mailbox(source: str) -> bool:
    """Whether a file whose chunks have a ``page`` is a mailbox: an .mbox, or a file read as one by its content and
    its place (a Thunderbird folder's "Inbox", its "Project.2024" beside "Project.2024.msf":
    indexing/readers/mail_folders.py), whatever its name ends with but another paged format's suffix."""
    name = source.rsplit("/", 1)[-1].lower()
    name = name.removesuffix(".gz")
    return name.endswith(MAILBOX_SUFFIXES) or not name.endswith(_PAGED_SUFFIXES)


def clock(second: int) -> str:
    """"00:12:05" for a transcript's line, a second counted from 1."""
    second = max(second - 1, 0)
    return f"{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}"


@dataclass
class Hit:
    id: str
    text: str
    source: str
    heading: str = ""
    page: int | None = None
    cell: int | None = None
    start_line: int = 1
    end_line: int = 1
    score: float = 0.0
    dense: float | None = None
    lexical: float | None = None
    path: str = ""
    explain: dict | None = None  # with search(..., explain=True): ranks, fused score, levers
    # A variable's and a cell's citation label is in ``heading``.
    origin: Origin = "document"
    last_cell: int | None = None  # a chunk of several notebook cells: ``cell`` to this one

    @property
    def location(self) -> str:
        """'p. 3', 'slide 3', a book's chapter, 'cell 4', 'Sales rows 4-40', 'message 12', '00:12:05-00:14:30' or
        'lines 10-24' for citations; a variable's or cell's own label."""
        if self.origin != "document":
            return self.heading
        if self.source.lower().endswith(TRANSCRIPT_SUFFIXES):
            start, end = clock(self.start_line), clock(self.end_line)
            return start if start == end else f"{start}-{end}"
        if self.page is not None and _mailbox(self.source):
            return f"message {self.page}"
        if self.source.lower().endswith(SHEET_SUFFIXES):
            sheet = HeadingTrail.of(self.heading).title if TRAIL_SEPARATOR in self.heading else ""
            rows = f"row {self.start_line}" if self.start_line == self.end_line \
                else f"rows {self.start_line}-{self.end_line}"
            return f"{sheet} {rows}" if sheet else rows
        if self.page is not None:
            if self.source.lower().endswith(BOOK_SUFFIXES):
                # A page under the book's name alone (its title page, a chapter named as the book) is cited by that
                # name, as the book's contents list it: "part 2" named no place a reader could find.
                trail = HeadingTrail.of(self.heading).parts
                return trail[1] if len(trail) > 1 else trail[0] if trail else f"part {self.page}"
            return f"slide {self.page}" if self.source.lower().endswith(SLIDE_SUFFIXES) else f"p. {self.page}"
        if self.cell is not None:
            return f"cells {self.cell}-{self.last_cell}" if self.last_cell and self.last_cell > self.cell \
                else f"cell {self.cell}"
        if self.start_line == self.end_line:
            return f"line {self.start_line}"
        return f"lines {self.start_line}-{self.end_line}"

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_row(cls, chunk_id: str, text: str, meta: dict, root: str = "") -> "Hit":
        source = meta.get("source", "")
        return cls(
            id=chunk_id, text=text, source=source, heading=meta.get("heading", ""), page=meta.get("page"),
            cell=meta.get("cell"), start_line=meta.get("start_line", 1), end_line=meta.get("end_line", 1),
            last_cell=meta.get("last_cell"), path=f"{root.rstrip('/')}/{source}" if root else source,
        )
