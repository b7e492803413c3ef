"""The text form of a table, written by the readers and read by chunking and the offline answer.

A table is a run of lines that start and end with ``|``: GitHub-flavoured Markdown's pipe table, which
Markdown files hold already, models read well, and the keyword index and the embedding see as words.
When the table has a header, its first line holds the header cells and its second is a delimiter
(``|---|---|``); every other line is one row. A ``|`` inside a cell is written ``\\|``; a cell holds no
line break. Each row of a table has as many cells as its header (or, without one, as its widest row),
empty cells included, so a value stays under its column.

A row read alone keeps its header: ``row_text`` gives "header: value; header: value", which is how an
answer quotes one row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DELIMITER_CELL = re.compile(r"^\s*:?-+:?\s*$")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]  # () when the table has no header row
    rows: tuple[tuple[str, ...], ...]


def escape_cell(text: str) -> str:
    """A cell's text fit for a pipe table: one line, its ``|`` escaped."""
    return " ".join(text.replace("\\|", "|").replace("|", "\\|").split())


def unescape_cell(text: str) -> str:
    return text.replace("\\|", "|")


def table_lines(header: list[str] | tuple[str, ...], rows: list[list[str]] | list[tuple[str, ...]]) -> list[str]:
    """The lines of a table (cells already escaped); rows are padded to one width, empty cells kept."""
    width = max([len(header), *(len(row) for row in rows)], default=0)

    def line(cells: list[str] | tuple[str, ...]) -> str:
        padded = list(cells) + [""] * (width - len(cells))
        return "|" + "|".join(f" {cell} " if cell else " " for cell in padded) + "|"

    lines = [line(header), "|" + "---|" * width] if header else []
    return lines + [line(row) for row in rows]


def is_table_line(line: str) -> bool:
    stripped = line.strip()
    return len(stripped) >= 2 and stripped[0] == "|" and stripped[-1] == "|" and not stripped.endswith("\\|")


def cells_of(line: str) -> list[str]:
    """The cells of one table line, stripped, in order (escaped pipes stay escaped)."""
    inner = line.strip()[1:-1]
    return [cell.strip() for cell in _UNESCAPED_PIPE.split(inner)]


def is_delimiter(line: str) -> bool:
    return is_table_line(line) and all(_DELIMITER_CELL.match(cell) for cell in cells_of(line))


def find_tables(lines: list[str]) -> list[tuple[int, int]]:
    """(first, end) indexes of each table in ``lines``: runs of two or more table lines."""
    found: list[tuple[int, int]] = []
    start = None
    for n, line in enumerate([*lines, ""]):
        if is_table_line(line):
            if start is None:
                start = n
            continue
        if start is not None and n - start >= 2:
            found.append((start, n))
        start = None
    return found


def head_size(lines: list[str]) -> int:
    """How many of a table's lines are its header (the header line and the delimiter): 2 or 0. As in
    GitHub's Markdown, the second line decides: a header of cells such as "-" is still a header."""
    return 2 if len(lines) >= 2 and is_delimiter(lines[1]) else 0


def parse_table(lines: list[str]) -> Table:
    """A table from its lines (as ``find_tables`` finds them)."""
    head = head_size(lines)
    header = tuple(cells_of(lines[0])) if head else ()
    rows = tuple(tuple(cells_of(line)) for line in lines[head:])  # a row of "-" cells is a row
    return Table(header, rows)


def row_text(header: tuple[str, ...], cells: tuple[str, ...]) -> str:
    """One row as it reads on its own: "header: value; header: value" (empty cells left out); without a
    header, its first cell names the row: "first: second; third"."""
    values = [unescape_cell(c) for c in cells]
    if header:
        names = [_name(h) for h in header] + [""] * max(len(values) - len(header), 0)
        pairs = [f"{name}: {value}" if name else value for name, value in zip(names, values) if value]
        return "; ".join(pairs)
    values = [v for v in values if v]
    if len(values) < 2:
        return "".join(values)
    return f"{_name(values[0])}: {'; '.join(values[1:])}"


def _name(cell: str) -> str:
    """A header or first cell as the name of a value ("Parameters:" reads "Parameters: ...", not "::")."""
    return unescape_cell(cell).rstrip(":").rstrip()
