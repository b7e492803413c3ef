"""How a section that holds a table is cut into chunks: the table whole when it fits, else at its rows,
each chunk led by the table's head (the line introducing it and its header), so a row is never read
without the names of its columns.

A table (jupyter_docchat.table_text) comes with its introduction: the short paragraph right before it
("Converter types:"), which names what its rows are. Neighbouring parts of the section share a chunk
while they fit; prose too long for one is left to the text splitter, as in a section without a table.
A row too long for a chunk with its head is written as its "header: value" pairs, a line each.
"""

from __future__ import annotations

import re
from typing import Callable, NamedTuple

from jupyter_docchat.table_text import cells_of, find_tables, head_size, is_table_line, row_text
from jupyter_docchat.types import Section

INTRO_CHARS = 200  # a paragraph before a table is its introduction up to this length
# Markdown's link reference definitions ("[lzbench]: https://..."), which READMEs put between a paragraph and
# its table: addresses, not an introduction. Taken as one, they made zstd's benchmark table too long for a
# chunk with its head, and it was cut in four.
LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S")


class Piece(NamedTuple):
    """A chunk's text and where it stands: ``line`` is the file line of its first line after the
    ``repeated`` ones, which repeat lines from above (a table's head) or from the same line (a row
    written as pairs)."""
    section: Section
    text: str
    line: int
    repeated: int = 0
    # A row written as pairs (_wide_row): every line stands at ``line``, the first (the row's first pair) leading each
    # piece of the row. Not lines repeated from above: halved, neither half is a head alone to leave out.
    one_row: bool = False

    @property
    def end_line(self) -> int:
        return self.line + self.text.count("\n") - self.repeated


# The prose splitter of chunking: (section, text, file line of its first line) -> pieces.
SplitProse = Callable[[Section, str, int], list[Piece]]


def holds_table(text: str) -> bool:
    return ("\n|" in text or text.lstrip().startswith("|")) and bool(find_tables(text.split("\n")))


def table_pieces(section: Section, size: int, split_prose: SplitProse) -> list[Piece]:
    """The pieces of a section holding one table or more, each within ``size`` characters."""
    lines = section.text.split("\n")
    # (first, end, table start or -1): runs of prose, and tables with their introduction
    parts: list[tuple[int, int, int]] = []
    done = 0
    for start, end in find_tables(lines):
        first = _introduction(lines, done, start)
        if first > done:
            parts.append((done, first, -1))
        parts.append((first, end, start))
        done = end
    if done < len(lines):
        parts.append((done, len(lines), -1))
    pieces: list[Piece] = []
    group: list[tuple[int, int, int]] = []

    def flush() -> None:
        if not group:
            return
        first, end = group[0][0], group[-1][1]
        text = "\n".join(lines[first:end])
        if len(text) <= size:
            pieces.append(_piece(section, lines, first, end))
        elif group[-1][2] < 0:
            pieces.extend(split_prose(section, text, section.start_line + first))
        else:  # a table too long for a chunk, perhaps with a few lines above it
            pieces.extend(_rows(section, lines, first, group[-1], size, split_prose))
        group.clear()

    def length(first: int, end: int) -> int:
        return len("\n".join(lines[first:end]))

    for part in parts:
        if group and length(group[0][0], part[1]) > size:
            if (part[2] >= 0 and length(part[0], part[1]) > size and len(group) == 1 and group[0][2] < 0
                    and length(*group[0][:2]) <= size // 4):
                group.append(part)  # a few lines above a long table (its heading) open its first piece
                flush()
                continue
            flush()
        group.append(part)
    flush()
    return [p for p in pieces if p.text.strip()]


def _introduction(lines: list[str], done: int, start: int) -> int:
    """Where a table's introduction starts: the short paragraph right before it, if any."""
    last = start
    while last > done and not lines[last - 1].strip():
        last -= 1
    first = last
    while first > done and lines[first - 1].strip() and not is_table_line(lines[first - 1]):
        first -= 1
    if first < last and len("\n".join(lines[first:last])) <= INTRO_CHARS:
        if not all(LINK_DEFINITION.match(line) for line in lines[first:last]):
            return first
    return start


def _piece(section: Section, lines: list[str], first: int, end: int) -> Piece:
    while first < end and not lines[first].strip():
        first += 1
    return Piece(section, "\n".join(lines[first:end]).strip("\n"), section.start_line + first)


def _rows(section: Section, lines: list[str], first: int, part: tuple[int, int, int], size: int,
          split_prose: SplitProse) -> list[Piece]:
    """A table too long for one chunk (and the lines from ``first`` above it), cut at its rows; each
    piece after the first repeats the table's head: its introduction and header."""
    introduced, end, start = part
    rows_from = start + head_size(lines[start:end])
    header = tuple(cells_of(lines[start])) if rows_from > start else ()
    head = lines[introduced:rows_from]
    if len("\n".join(head)) > size // 2:
        head = lines[start:rows_from]
    if len("\n".join(head)) > size // 2:
        head = []  # a header too wide to repeat: its rows are too wide to share a chunk anyway
    pieces: list[Piece] = []
    # The first piece holds the lines above the rows at their own places.
    lead: list[str] = []
    taken, taken_from, rows = lines[first:rows_from], first, 0

    def flush() -> None:
        if rows:
            pieces.append(Piece(section, "\n".join(lead + taken), section.start_line + taken_from, len(lead)))
            return
        above = list(taken)  # no row joined the lines above: they stand alone, without the header
        while above and (is_table_line(above[-1]) or not above[-1].strip()):
            above.pop()
        if above:
            pieces.append(_piece(section, lines, taken_from, taken_from + len(above)))

    for n in range(rows_from, end):
        row = lines[n]
        if len("\n".join(lead + taken + [row])) <= size:
            taken.append(row)
            rows += 1
            continue
        flush()
        lead, taken, taken_from, rows = head, [], n, 0
        if len("\n".join(lead + [row])) <= size:
            taken.append(row)
            rows = 1
            continue
        # A row too long even alone with its head: its own pieces.
        pieces.extend(_wide_row(section, header, tuple(cells_of(row)), row, section.start_line + n, size, split_prose))
        taken_from = n + 1
    flush()
    return pieces


def _wide_row(section: Section, header: tuple[str, ...], cells: tuple[str, ...], row: str, line: int, size: int,
              split_prose: SplitProse) -> list[Piece]:
    """A row longer than a chunk: with a header, its "header: value" pairs a line each (every value keeps
    its column's name), cut between pairs, each piece led by the row's first pair (what the row is about);
    without one, cut as text."""
    if not header:
        return split_prose(section, row, line)
    pairs = [row_text(header[n:n + 1], cells[n:n + 1]) for n in range(min(len(header), len(cells)))]
    pairs = [p for p in pairs + [row_text((), cells[len(header):])] if p]  # cells beyond the header too
    if not pairs:
        return []
    lead = pairs[0]
    pieces: list[Piece] = []
    taken = [lead]

    def flush() -> None:
        text = "\n".join(taken)
        pieces.append(Piece(section, text, line, text.count("\n"), one_row=True))  # every line of it is the row's line

    for pair in pairs[1:]:
        if len("\n".join(taken + [pair])) <= size:
            taken.append(pair)
            continue
        if len(taken) > 1:
            flush()
            taken = [lead]
        if len(f"{lead}\n{pair}") <= size:
            taken.append(pair)
            continue
        # One value longer than a chunk: cut as text, the row's first pair before it.
        pieces.extend(Piece(section, p.text, line, p.text.count("\n"), one_row=True)
                      for p in split_prose(section, f"{lead}\n{pair}", line))
    if len(taken) > 1 or not pieces:
        flush()
    return pieces


def halve_rows(piece: Piece) -> tuple[Piece, Piece] | None:
    """A piece too long for the model's window halved between two rows of its longest table, the second
    half led by the table's head; None when it holds no table of two rows or more."""
    lines = piece.text.split("\n")
    tables = [(start, end, start + head_size(lines[start:end])) for start, end in find_tables(lines)]
    tables = [t for t in tables if t[1] - t[2] >= 2]
    if not tables:
        return None
    start, end, rows_from = max(tables, key=lambda t: t[1] - t[2])
    middle = (rows_from + end) // 2
    first = _introduction(lines, 0, start)
    head = lines[first:rows_from] if len("\n".join(lines[first:rows_from])) <= INTRO_CHARS * 2 else lines[start:rows_from]
    left = Piece(piece.section, "\n".join(lines[:middle]), piece.line, min(piece.repeated, middle - 1))
    right = Piece(piece.section, "\n".join(head + lines[middle:]), piece.line + max(middle - piece.repeated, 0),
                  len(head) + max(piece.repeated - middle, 0))
    return left, right
