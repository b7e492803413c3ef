"""A table of a Word document or a slide as text: a pipe table (jupyter_docchat.table_text), a line a row under its
header, as the HTML reader writes a table of data; or, for a table that only lays out text (one column, one row), its
cells' text a line each, so no word is lost either way."""

from __future__ import annotations

from jupyter_docchat.table_text import escape_cell, table_lines


def grid_lines(header_rows: int, grid: list[list[str]]) -> list[str]:
    """The lines of a table given as rows of cell texts, its first ``header_rows`` rows its header.

    A table of data has a row of data and two columns holding text: a box around a paragraph (a 1x1 table, Word's
    usual way to frame a note) or a list in one column is text, read a line a cell."""
    width = max((len(row) for row in grid), default=0)
    grid = [[" ".join(cell.split()) for cell in row] + [""] * (width - len(row)) for row in grid]
    header_rows = min(header_rows, len(grid))
    body = [row for row in grid[header_rows:] if any(row)]
    if not body or sum(any(row[n] for row in body) for n in range(width)) < 2 or len(grid) < 2:
        return [cell for row in grid for cell in distinct_cells(row)]
    columns = [n for n in range(width) if any(row[n] for row in grid)]  # a header over an empty column stays
    header = [_header_cell([grid[r][n] for r in range(header_rows)]) for n in columns] if header_rows else []
    rows = [[escape_cell(row[n]) for n in columns] for row in body]
    if header and not any(header):
        header = []
    return table_lines([escape_cell(cell) for cell in header], rows)


def _header_cell(texts: list[str]) -> str:
    """A column's name from the header rows above it: their texts, each once ("Size" spanning "min" and "max"
    names both "Size min" and "Size max")."""
    return " ".join(distinct_cells(texts))


def distinct_cells(cells: list[str]) -> list[str]:
    """The non-empty cells, a run of the same text once (a merged cell python-docx gives in each column it spans, a
    title merged across a sheet's table in each of its cells)."""
    out: list[str] = []
    for cell in cells:
        if cell and (not out or out[-1] != cell):
            out.append(cell)
    return out
