"""Split sections into chunks: structure first (sections), then size."""

from __future__ import annotations

import re

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Callable, Iterable, Iterator

from jupyter_docchat.indexing.read_progress import tick
from jupyter_docchat.indexing.readers import format_suffix, read_as
from jupyter_docchat.indexing.table_chunks import Piece, halve_rows, holds_table, table_pieces
from jupyter_docchat.indexing.text_splitter import RecursiveSplitter
from jupyter_docchat.safe_text import is_blank
from jupyter_docchat.settings import check_chunking
from jupyter_docchat.types import Chunk, HeadingTrail, Section, embed_text

# The separators each kind of file is cut at (indexing/text_splitter.py, LangChain's names for them).
_LANGUAGES = {
    ".py": "PYTHON", ".js": "JS", ".ts": "TS", ".java": "JAVA", ".go": "GO", ".rs": "RUST", ".c": "C", ".h": "C",
    ".cpp": "CPP", ".hpp": "CPP", ".cc": "CPP", ".md": "MARKDOWN", ".rst": "RST",
    # Since readers 9 (new formats: no chunk of an older store changes). A LaTeX file splits at its sectioning
    # commands and environments first.
    ".tex": "LATEX", ".sty": "LATEX", ".cls": "LATEX", ".rmd": "MARKDOWN", ".qmd": "MARKDOWN", ".jsx": "JS", ".tsx": "TS", ".mjs": "JS",
    ".rb": "RUBY", ".php": "PHP", ".kt": "KOTLIN", ".swift": "SWIFT", ".scala": "SCALA", ".cs": "CSHARP",
    ".lua": "LUA", ".pl": "PERL", ".hs": "HASKELL",
    ".org": "MARKDOWN",  # the Org reader writes its code fenced and its tables piped, as Markdown does
    # Not AsciiDoc, though its reader writes Markdown's forms (readers/asciidoc.py): cut as plain text, at paragraphs.
    # Its sections hold one title each, and Markdown's "```\n", which a plain listing opens with as well as closes,
    # began a piece at a listing's closing fence, the prose below quoted as code (walk 40).
}

# Characters handed to the splitter at once: a large section is cut in pieces at paragraph breaks, so the
# reading of one large file ticks its progress (read_progress) and no splitter call grows with the file.
WINDOW = 256 * 1024
# A section holding a table keeps the table whole when it fits, else is cut at its rows with the table's
# head repeated (indexing/table_chunks.py). Off: tables are cut as text.
TABLES_KEPT = True
# Blank lines at most between two sections joined when the second opens with a table (_table_far_below).
TABLE_GAP = 2


_SEEN = re.compile(r"[!-~]")  # a character of ASCII that shows: no need to look further


def _shows(text: str) -> bool:
    """Whether a piece shows anything (is_blank over 24 MB of text took 1.3 s; the search for a visible ASCII character
    stops at the first)."""
    return _SEEN.search(text) is not None or not is_blank(text)


class Chunker:
    """Sections to chunks of at most ``chunk_size`` characters and the model's token window."""

    def __init__(self, chunk_size: int, chunk_overlap: int,
                 count_tokens: Callable[[list[str]], list[int]] | None = None, max_tokens: int = 0) -> None:
        check_chunking(chunk_size, chunk_overlap)
        self.chunk_size, self.chunk_overlap = chunk_size, chunk_overlap
        self.count_tokens, self.max_tokens = count_tokens, max_tokens
        self._splitters: dict[str, RecursiveSplitter] = {}

    def _splitter(self, ext: str) -> RecursiveSplitter:
        if ext not in self._splitters:
            self._splitters[ext] = RecursiveSplitter(self.chunk_size, self.chunk_overlap, _LANGUAGES.get(ext))
        return self._splitters[ext]

    def chunk(self, source: str, file_hash: str, sections: Iterable[Section]) -> list[Chunk]:
        ext = format_suffix(read_as(PurePosixPath(source)))  # a gzipped page is split as the page, a rotated log as a log
        pieces: list[Piece] = []
        merged = _merge_small(list(sections), self.chunk_size)
        if self.count_tokens and self.max_tokens:
            self._fit_headings(merged)
        total, done = sum(len(section.text) for section in merged), 0
        for section in merged:
            text = section.text
            if TABLES_KEPT and holds_table(text):
                pieces.extend(table_pieces(section, self.chunk_size, lambda s, t, line: self._split(ext, s, t, line)))
            elif len(text) <= self.chunk_size:
                pieces.append(Piece(section, text.strip("\n"), section.start_line + _leading_newlines(text)))
            else:
                def ticked(n: int, before: int = done) -> None:
                    tick(before + n, total, "characters")

                pieces.extend(self._split(ext, section, text, section.start_line, ticked))
            done += len(text)
            tick(done, total, "characters")
        # Repeats go before slivers join: a sliver joins the neighbour that stays. A piece that shows nothing (zero-width
        # spaces, a direction mark) is none: a file of them was a source with an empty snippet (probe 26).
        pieces = _join_slivers(_first_of_each([p for p in pieces if _shows(p.text)]), self.chunk_size)
        if self.count_tokens and self.max_tokens and pieces:
            pieces = self._fit_window(source, pieces)
            pieces = _first_of_each(pieces)  # halves alike
        chunks = []
        for i, p in enumerate(pieces):
            first, last = p.section.cells(p.line, p.end_line)
            # max: a CSV's first section starts at line 0, its header's delimiter being in no file line (delimited.py)
            chunks.append(Chunk(p.text, source, file_hash, i, p.section.heading, p.section.page, first,
                                max(p.section.file_line(p.line), 1), max(p.section.file_line(p.end_line), 1),
                                p.section.kind, last))
        return chunks

    def _split(self, ext: str, section: Section, text: str, first_line: int,
               progress: Callable[[int], None] | None = None) -> list[Piece]:
        """Text longer than a chunk, cut by the text splitter; ``first_line`` is the file line of its first line.
        ``progress`` hears how many of its characters are cut so far."""
        pieces = []
        lines = _LineCounter(text)
        for start, window in _windows(text, WINDOW):
            for index, content in _placed(self._splitter(ext), window):
                offset = start + max(index, 0)
                line = first_line + lines.before(offset) + _leading_newlines(content)
                pieces.append(Piece(section, content.strip("\n"), line))
            if progress is not None:
                progress(start + len(window))
        return pieces

    def _fit_headings(self, sections: list[Section]) -> None:
        """Cut each heading trail that would take over half the window to half: eight levels of titles written in
        math took it all, and their text was halved into pieces of 40 characters, each still over it (40 kB of text,
        2,047 chunks)."""
        count_tokens, budget = self.count_tokens, self.max_tokens // 2
        headings = sorted({section.heading for section in sections if section.heading})
        if count_tokens is None or not headings:
            return
        cut: dict[str, str] = {}
        for heading, count in zip(headings, count_tokens(headings)):
            text = heading
            while count > budget:
                text = text[:max(len(text) * budget // count - 1, 0)].rstrip()
                count = count_tokens([f"{text}…"])[0]
            if text != heading:
                cut[heading] = f"{text}…"
        for section in sections:
            section.heading = cut.get(section.heading, section.heading)

    def _fit_window(self, source: str, pieces: list[Piece]) -> list[Piece]:
        """Halve any piece the model would truncate, so nothing is silently cut (a table piece between its rows).
        The pieces to count at one depth go to the tokenizer in one batch: a large file costs a few calls, not
        one per halving. Each is counted as it is embedded: a piece with no heading goes under its file's name,
        which took a piece of numbers counted at 250 to 274 word pieces, its end never embedded (probe 17)."""
        count_tokens = self.count_tokens
        if count_tokens is None:
            return pieces
        check = [True] * len(pieces)
        while any(check):
            asked = [n for n, c in enumerate(check) if c]
            counts = count_tokens([embed_text(pieces[n].section.heading, source, pieces[n].text) for n in asked])
            over = {n for n, count in zip(asked, counts) if count > self.max_tokens and len(pieces[n].text) >= 40}
            halved: list[Piece] = []
            check = []
            for n, piece in enumerate(pieces):
                parts = list(halve_rows(piece) or _halve_piece(piece)) if n in over else [piece]
                halved += parts
                check += [n in over] * len(parts)
            pieces = halved
        return pieces


# A piece this short beside another of its section says nothing a search can match, and takes a source's place when
# it matches: a title the splitter cut from its underline ("Version 8.1.4", then "-------------  Released ..."),
# a code fence alone ("```"). It joins its neighbour (the piece after it; the one before, at a section's end).
SLIVER_CHARS = 80


def sliver_chars(chunk_size: int) -> int:
    """Pieces shorter than this are slivers at ``chunk_size``."""
    return min(SLIVER_CHARS, chunk_size // 4)


def _join_slivers(pieces: list[Piece], limit: int) -> list[Piece]:
    # Short for the chunk size too (80 from a chunk size of 320): at a chunk size of 50 every piece was a sliver, and
    # they were joined one to the next, a whole section of 9,697 characters into a single chunk.
    short = sliver_chars(limit)
    out: list[Piece] = []
    for piece in pieces:
        last = out[-1] if out else None
        joined = _joined(last, piece) if (
            last is not None and last.section is piece.section and (len(last.text) < short or len(piece.text) < short)
            and not (last.repeated or piece.repeated) and not holds_table(f"{last.text}\n{piece.text}")) \
            else None
        if joined is not None:
            out[-1] = joined
        else:
            out.append(piece)
    return out


def _joined(first: Piece, then: Piece) -> Piece | None:
    """Two pieces of a section as one at the lines between them; None where they share a line (the splitter's
    overlap, or a cut inside a line), whose text only offsets into the section could join."""
    if then.text.startswith(first.text) and then.line == first.line:
        return then
    if then.line <= first.end_line:
        return None
    return Piece(first.section, first.text + "\n" * (then.line - first.end_line) + then.text, first.line)


def _placed(splitter: RecursiveSplitter, text: str) -> Iterator[tuple[int, str]]:
    """(start index, text) of each chunk the splitter cuts ``text`` into, found as LangChain's
    ``create_documents`` with ``add_start_index`` finds them (so the line numbers of older stores hold)."""
    index = previous = 0
    for chunk in splitter.split_text(text):
        index = text.find(chunk, max(0, index + previous - splitter.chunk_overlap))
        previous = len(chunk)
        yield index, chunk


def _first_of_each(pieces: list[Piece]) -> list[Piece]:
    """The pieces less any that repeats an earlier one of the file word for word under the same heading: a log of
    one block over and over was hundreds of identical chunks, which filled the dense side's candidates (their
    vectors alike, Chroma's order among them changed from run to run) and hid every other file (probe 16)."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for piece in pieces:
        key = (piece.section.heading, piece.text)
        if key not in seen:
            seen.add(key)
            kept.append(piece)
    return kept


def _halve_piece(piece: Piece) -> tuple[Piece, ...]:
    left, right = _halve(piece.text)
    if piece.one_row:
        # A row's pairs, all at its line: each half keeps them, the second led by the row's first pair again. Taken
        # for a head repeated from above, the first half was left out: 366 of a 500-column sheet row's 499 values
        # were never indexed (probe 36).
        lead = piece.text.split("\n", 1)[0]
        right = right.lstrip("\n")
        # Led again only by a short pair: a half with it is shorter than the piece (_halve cuts in its middle half),
        # so halving ends.
        led = right.startswith(lead) or 8 * len(lead) > len(piece.text)
        halves = [left.rstrip("\n"), right if led else f"{lead}\n{right}"]
        return tuple(Piece(piece.section, half, piece.line, half.count("\n"), one_row=True) for half in halves if half)
    above = left.count("\n")  # lines of the left half, which the right one follows
    second = Piece(piece.section, right, piece.line + max(above - piece.repeated, 0), max(piece.repeated - above, 0))
    if above + (not left.endswith("\n")) <= piece.repeated:
        # The left half is only the lines repeated from above (a table's introduction over the rows halve_rows cut
        # off): a chunk saying nothing new, cited as "lines 4-2", its end above its start (probe 28). The rows go on.
        return (second,)
    return Piece(piece.section, left.rstrip("\n"), piece.line, min(piece.repeated, above)), second


@dataclass
class _Joined:
    """A section of ``_merge_small``'s output, with the headings of the sections joined into it."""

    section: Section
    headings: list[str]
    opens_with_title: bool  # its first section was a title alone, or a line as short
    alone: list[bool]  # per section joined into it, whether it is a title alone (``_title_alone``)

    @property
    def lowest(self) -> str:
        """The heading of the section joined last."""
        return self.headings[-1]

    @property
    def titles_only(self) -> bool:
        return all(self.alone)


def _merge_small(sections: list[Section], limit: int) -> list[Section]:
    """Join neighbouring short sections of the same page/cell kind so chunks aren't just a heading."""
    merged: list[_Joined] = []
    for n, section in enumerate(sections):
        joined = merged[-1] if merged else None
        following = sections[n + 1] if n + 1 < len(sections) else None
        last = joined.section if joined else None
        if (joined is not None and last is not None and last.cell is not None and section.cell is not None
                and _cells_join(last, section, limit)):
            before = sections[n - 1]
            if before.cell == section.cell:
                # The next part of a Markdown cell cut at its headings goes on at its own line: joined after a blank
                # line, "# A / x / # A" was cited as lines 1-4 of a cell of three (Hypothesis found it).
                gap = max(section.start_line - (before.start_line + before.text.count("\n")) - 1, 0)
                last.text = last.text + "\n" * (gap + 1) + section.text
            else:
                starts = last.cell_lines or ((last.start_line, last.cell),)
                last.cell_lines = (*starts, (last.start_line + last.text.count("\n") + 2, section.cell))
                last.text = f"{last.text}\n\n{section.text}"
            last.kind = "markdown" if "markdown" in (last.kind, section.kind) else last.kind
            joined.headings.append(section.heading)
            joined.alone.append(False)
        elif (joined is not None and last is not None and last.page == section.page and last.cell is None
                and section.cell is None and not _table_far_below(last, section) and not _tables_touching(last, section)
                and not _title_of_what_follows(joined, section, following) and _joins_apart(joined, section)
                and (len(last.text) + len(section.text) + 1 <= limit // 2 or _title_over(joined, section)
                     or (last.apart and len(last.text) + len(section.text) + 1 <= limit))):
            if len(last.text) + len(section.text) + 1 > limit // 2 and not last.apart:
                last.heading = section.heading  # a title alone over a long section ("Changelog"): it heads no chunk
            gap = max(_lines_between(last, section), 0)
            if last.line_map is not None or section.line_map is not None:
                # The map cites each line, so the lines between need not be written: an HTML page's title alone
                # over a section 400 lines of markup below was joined with 400 blank lines. One blank line always:
                # a section opens with its heading, a block of its own, and a heading on the markup's next line
                # ("Released: Thu Mar 10 2022<section><h4>changed") was joined to the line above as its last line.
                gap = 1
                below = _line_map(section)
                last.line_map = _line_map(last) + below[:1] * gap + below
            last.text = last.text + "\n" * (gap + 1) + section.text
            last.apart = last.apart or section.apart  # a title over a unit: the unit's chunk
            joined.headings.append(section.heading)
            joined.alone.append(_title_alone(section))
        else:
            copy = Section(section.text, section.start_line, section.heading, section.page, section.cell, section.kind,
                           section.line_map, section.cell_lines, section.apart)
            merged.append(_Joined(copy, [section.heading], len(section.text.strip()) < SLIVER_CHARS, [_title_alone(section)]))
    for joined in merged:
        # A title alone joined with the one section it heads (the walk's "Methods" over "Data from GPS loggers") is
        # cited under that section's trail, which names the title too; over several, under the title's own. Not a
        # short passage with a title alone under it ("# Launch", "Start the engine.", then "## Checklist" and
        # nothing): the passage was cited as "Launch > Checklist" (probe 20).
        # An empty title over a sibling's passage ("# Notes", then "# Limits" and "Up to 3."): the passage is the
        # sibling's, and was cited under the empty title (probe 20).
        headings = joined.headings
        if joined.opens_with_title and len(headings) == 2 and headings[1] != headings[0] and (
                (HeadingTrail.of(headings[0]).holds(HeadingTrail.of(headings[1]))
                 and (joined.titles_only or not joined.alone[-1]))
                or (joined.alone[0] and not joined.alone[1])):
            joined.section.heading = headings[1]
    return [joined.section for joined in merged]


_WORD = re.compile(r"\w+")
# A LaTeX command with its options and argument: "\section{Results}\label{sec:res}" is a title's line, its label no word.
_TEX_COMMAND = re.compile(r"\\[A-Za-z]+\*?(?:\[[^\]\n]*\])?(?:\{[^{}\n]*\})?")
# A line that only names a section for links: MyST's "(install)=", reST's ".. _install:", an HTML anchor alone.
_LABEL_LINE = re.compile(r"\s*(?:\([^()\s]+\)=|\.\.\s+_[^:\n]+:|<a\s+(?:name|id)=[^>]*>\s*</a>)\s*")
_ESCAPED = re.compile(r"\\(?=[^\w\s])")


def _joins_apart(joined: _Joined, section: Section) -> bool:
    """Whether ``section`` may join the chunk so far, ``joined``, as far as units of their own go (Section.apart):
    such a unit starts a chunk, and only what lies under it joins it (a struct's "Data Fields" under the struct),
    while the whole fits a chunk: a member's documentation is one passage where it can be (MDB_val's fields were a
    passage apart from MDB_val, headed "Data Fields", and "What are the fields of MDB_val?" found neither)."""
    if section.apart:  # only a title alone over it joins it, and is cited under its name (a page's title was a chunk)
        return joined.titles_only and HeadingTrail.of(joined.lowest).holds(HeadingTrail.of(section.heading))
    return not joined.section.apart or HeadingTrail.of(joined.headings[0]).holds(HeadingTrail.of(section.heading))


def _cells_join(last: Section, section: Section, limit: int) -> bool:
    """Whether a notebook's cell joins the cells before it: under the same heading, while they fit one chunk. A cell
    a chunk of its own left the code apart from the Markdown saying what it does ("The decomposition requires 1
    input ..." over ``STL(co2, seasonal=13)``), a search found the words and never the code, and a notebook of short
    cells was mostly chunks of one line ("print(res.summary())"): 1,056 of a folder's 2,884 under 100 characters."""
    return last.heading == section.heading and len(last.text) + len(section.text) + 2 <= limit


def _as_words(line: str) -> str:
    """A line of a title's source as its words are read: entities as their characters ("Caf&eacute;"), Markdown's
    escapes without their backslash ("foo\\_bar")."""
    if "&" not in line and "\\" not in line:
        return line
    import html  # here: its table of entities, not in every reading worker's start, for a rare title

    return _ESCAPED.sub("", html.unescape(line))


def _title_alone(section: Section) -> bool:
    """Whether ``section`` is its title and nothing more: short, and one line of words at most besides labels, which
    holds a word of its heading's last title ("## [1.2.0](https://...) - 2024-05-01", an underlined "Version 8.1.4",
    "(how)=" over "# How It Works", "\\section{Results}\\label{sec:res}", an HTML page's h1). Short is not enough:
    "## Limits" over "Up to 3.", or "### Fixed" with "- A fix" on the next line, is a passage of its own."""
    text = section.text.strip()
    if len(text) >= SLIVER_CHARS:  # asked of every section: the cheap answer first
        return False
    if not section.heading:
        return True  # a short line above a page's first heading ("(how)=", a badge) has no trail of its own to lose
    title = set(_WORD.findall(HeadingTrail.of(section.heading).title.casefold()))
    worded = [words for line in text.splitlines() if not _LABEL_LINE.fullmatch(line)
              and (words := _WORD.findall(_as_words(_TEX_COMMAND.sub(" ", line)).casefold()))]
    return len(worded) == 0 or (len(worded) == 1 and not title.isdisjoint(worded[0]))


def _title_over(joined: _Joined, section: Section) -> bool:
    """Whether the chunk so far, ``joined``, is short enough to be a title alone and ``section`` lies under the heading
    it ends in (or neither has one): joined, the chunk takes ``section``'s heading, which names the title too. A short
    sibling above ("Limits" and its small table, over a long "Usage") keeps its own heading: joined, its table was
    cited as Usage."""
    if len(joined.section.text.strip()) >= SLIVER_CHARS:
        return False
    return HeadingTrail.of(joined.lowest).holds(HeadingTrail.of(section.heading))


def _title_of_what_follows(joined: _Joined, section: Section, following: Section | None) -> bool:
    """Whether ``section`` is a title alone over the section after it, ``following``, and lies outside the heading
    the chunk so far, ``joined``, ends in: joined to it, it ended a chunk cited under another heading, and the
    passage it heads lost its title. A changelog's "1.2.0" and "Released: Thu Mar 10 2022" (its changes in a
    subsection "changed") closed the chunk of 1.2.1's "misc". It joins what it heads instead. A chunk of titles
    alone ("Guide" over it): they join. A short passage is no title: "Limits" and "Up to 3." took "Usage" and the
    long "Flying" under it, and the line was cited as "Usage > Flying"."""
    if following is None or len(section.text.strip()) >= SLIVER_CHARS or joined.titles_only:
        return False
    if following.page != section.page or following.cell is not None or not section.heading:
        return False
    title, below = HeadingTrail.of(section.heading), HeadingTrail.of(following.heading)
    return below != title and title.holds(below) and not HeadingTrail.of(joined.lowest).holds(title)


def _table_far_below(last: Section, section: Section) -> bool:
    """Whether ``section`` opens with a table more than TABLE_GAP blank lines below ``last``: joined, the blank
    lines would be in the chunk's text (a table's rows are cited at their lines), thousands where a CSV has a
    long run of them (readers/delimited.py). Only tables: an HTML page's sections are far apart in its markup
    often, and are joined as before."""
    return _lines_between(last, section) > TABLE_GAP and section.text.startswith("|")


def _tables_touching(last: Section, section: Section) -> bool:
    """Whether ``section`` opens with a table that would be joined under the table ``last`` ends with, no blank line
    between: the second table's header and rows would read as rows of the first (a CSV's tables one blank line
    apart: the second's section starts on that line, its header cited there)."""
    return (_lines_between(last, section) < 1 and section.text.startswith("|")
            and last.text.rsplit("\n", 1)[-1].startswith("|"))


def _lines_between(last: Section, section: Section) -> int:
    """The file lines between the end of ``last`` and the start of ``section`` (negative where they overlap)."""
    return section.start_line - last.start_line - last.text.count("\n") - 1


def _line_map(section: Section) -> tuple[int, ...]:
    """The file line of each line of the section's text."""
    if section.line_map is not None:
        return section.line_map
    return tuple(range(section.start_line, section.start_line + section.text.count("\n") + 1))


def _leading_newlines(text: str) -> int:
    return len(text) - len(text.lstrip("\n"))


def _halve(text: str) -> tuple[str, str]:
    middle = len(text) // 2
    for sep in ("\n\n", "\n", ". ", " "):
        cut = text.rfind(sep, 0, middle + len(text) // 4)
        if cut > len(text) // 4:
            cut += len(sep)
            return text[:cut], text[cut:]
    return text[:middle], text[middle:]


def _windows(text: str, size: int) -> Iterator[tuple[int, str]]:
    """``text`` in pieces of about ``size`` characters, cut at a paragraph break where there is one in the
    piece's second half (else a line break, a space), so no chunk spans two pieces it would have kept whole."""
    start = 0
    while len(text) - start > size:
        end = start + size
        for sep in ("\n\n", "\n", " "):
            cut = text.rfind(sep, start + size // 2, end)
            if cut > 0:
                end = cut + len(sep)
                break
        yield start, text[start:end]
        start = end
    yield start, text[start:]


class _LineCounter:
    """Line breaks before an offset, counted on from the last offset asked: chunks come in order, so a
    section costs one pass however many chunks it has (counting from 0 each time was quadratic)."""

    def __init__(self, text: str) -> None:
        self.text, self.offset, self.lines = text, 0, 0

    def before(self, offset: int) -> int:
        if offset < self.offset:  # not in order (the splitter could not place a chunk): count afresh
            self.offset, self.lines = 0, 0
        self.lines += self.text.count("\n", self.offset, offset)
        self.offset = offset
        return self.lines
