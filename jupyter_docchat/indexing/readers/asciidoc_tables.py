"""An AsciiDoc table (``|===`` ... ``|===``, ``,===`` of CSV, ``:===`` of DSV) as pipe-table lines, a row a line at
the file line where the row starts, under its header (jupyter_docchat.table_text writes them, as it does the Markdown
reader's and a CSV's tables).

A row's cells may stand on one line or one a line; the column count comes from the ``cols`` attribute or, as
Asciidoctor counts it, from the cells of the table's first line. A cell's specifier ("2+|", "a|", "^.^|") says how it
is laid out and is left out; a cell spanning columns is followed by empty ones, so the columns stay in line."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass

from jupyter_docchat.indexing.readers.asciidoc_inline import shown
from jupyter_docchat.table_text import escape_cell, table_lines

_SPEC = re.compile(r"(?:^|(?<=\s))(?:(?P<cols>\d+)?(?:\.(?P<rows>\d+))?\+|(?P<dup>\d+)\*)?(?:[<^>])?(?:\.[<^>])?"
                   r"[adehlmsv]?$")


@dataclass(frozen=True)
class TableAttributes:
    """What a table's attribute line says: how many columns (0: count the first line's cells) and whether its
    first row is a header (None: a header when a blank line follows the first line, as Asciidoctor reads it)."""

    columns: int = 0
    header: bool | None = None


def table_attributes(attributes: str) -> TableAttributes:
    """The ``TableAttributes`` of a block attribute line's text (``cols="1,2a,3"``, ``%header``, ``options=header``)."""
    columns = 0
    found = re.search(r"""cols\s*=\s*(?:"([^"]*)"|'([^']*)'|([^,\s\]]+))""", attributes)
    if found:
        value = found[1] if found[1] is not None else found[2] if found[2] is not None else found[3]
        for item in value.replace(";", ",").split(","):
            times = re.match(r"\s*(\d+)\*", item)
            columns += int(times[1]) if times else 1 if item.strip() or "," in value else 0
        if value.strip().isdigit():
            columns = int(value.strip())
    header: bool | None = None
    if re.search(r"%header|options\s*=\s*\"?[^\"\]]*header", attributes):
        header = True
    elif re.search(r"%noheader|options\s*=\s*\"?[^\"\]]*noheader", attributes):
        header = False
    return TableAttributes(columns, header)


def table_shown(lines: list[str], separator: str, attributes: TableAttributes,
                values: dict[str, str]) -> list[list[str]]:
    """What each of a table's ``lines`` (between its delimiters) shows: a row's line at the line its row starts on
    (the header's followed by the rule under it), nothing at the others."""
    rows = _csv_rows(lines, separator) if separator in ",:" else _psv_rows(lines, separator, attributes.columns)
    out: list[list[str]] = [[] for _ in lines]
    if not rows:
        return out
    first_line, first_cells = rows[0]
    header = attributes.header
    if header is None:
        header = first_line + 1 < len(lines) and not lines[first_line + 1].strip() and \
            not any(n == first_line + 1 for n, _ in rows)
    cells = [[shown(cell, values) for cell in row] for _, row in rows]
    cells = [[escape_cell(cell) for cell in row] for row in cells]
    written = table_lines(cells[0], cells[1:]) if header else table_lines([], cells)
    if header:
        out[first_line] = written[:2]
        written = written[2:]
        rows = rows[1:]
    for (number, _), line in zip(rows, written):
        out[number] = out[number] + [line]
    return out


def _psv_rows(lines: list[str], separator: str, columns: int) -> list[tuple[int, list[str]]]:
    """(line index, cells) of each row of a table of cells each opened by ``separator``. A cell spanning rows (".3+|")
    is repeated in the rows below it, at its column, so each row reads whole; one spanning columns ("2+|") is
    followed by empty cells; one duplicated ("3*|") is there that many times."""
    split = re.compile(rf"(?<!\\){re.escape(separator)}")
    rows: list[tuple[int, list[str]]] = []
    row: list[str] = []
    start = -1
    spans: dict[int, tuple[int, str]] = {}  # column -> (rows still spanned, counting the one read, its text)

    def carried() -> None:  # the cells spanned from rows above, where the row has come to them
        while len(row) in spans and len(row) < columns:
            row.append(spans[len(row)][1])

    def ended() -> None:
        nonlocal row
        rows.append((start, row))
        row = []
        for column, (left, text) in list(spans.items()):
            if left > 1:
                spans[column] = (left - 1, text)
            else:
                del spans[column]

    for number, line in enumerate(lines):
        if not line.strip():
            continue
        parts = split.split(line)
        if len(parts) == 1:  # a cell's text going on
            if row:
                row[-1] = f"{row[-1]} {line.strip()}"
            continue
        lead = parts[0]
        if lead.strip() and row and not _spec(lead.lstrip()):
            row[-1] = f"{row[-1]} {lead.strip()}"  # text before the line's first separator ends the cell above
        if not columns:
            columns = len(parts) - 1
        for index, part in enumerate(parts[1:], 1):
            found = None if index == len(parts) - 1 else _spec(part)
            text = (part[:found.start()] if found else part).strip().replace(f"\\{separator}", separator)
            spec = _spec(parts[index - 1])
            wide = int(spec["cols"]) if spec and spec["cols"] else 1
            tall = int(spec["rows"]) if spec and spec["rows"] else 1
            times = min(int(spec["dup"]), columns) if spec and spec["dup"] else 1
            for _ in range(times):
                if not row:
                    start = number
                carried()
                if tall > 1:
                    spans[len(row)] = (tall, text)  # this row and the ones below
                row.append(text)
                row.extend([""] * (min(wide, columns) - 1))
                carried()
                if len(row) >= columns:
                    ended()
    if row:
        rows.append((start, row))
    return rows


def _spec(part: str) -> re.Match[str] | None:
    """The specifier ending ``part`` (written right before the separator that opens the next cell), if any."""
    found = _SPEC.search(part)
    return found if found and found.group(0) else None


def _csv_rows(lines: list[str], separator: str) -> list[tuple[int, list[str]]]:
    rows = []
    for number, line in enumerate(lines):
        if line.strip():
            cells = next(csv.reader([line], delimiter=separator)) if separator == "," else line.split(separator)
            rows.append((number, [cell.strip() for cell in cells]))
    return rows
