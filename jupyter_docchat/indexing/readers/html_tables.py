"""HTML tables: a table of data becomes a pipe table (jupyter_docchat.table_text), one line a row under its
header; a table that lays out the page is left to the page's reader, which reads its cells as blocks.

Many older manuals (SQLite's among them) put prose, code and whole pages in tables, and docutils writes
footnotes and field lists as tables: a table is data only when it has two rows and two columns with text
(columns empty in every row, such as spacers and callout images, do not count) and no cell holds page
structure (a heading, a code block, a quotation, a definition list or another table).
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from jupyter_docchat.table_text import escape_cell, table_lines

_STRUCTURE = ("table", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "dl")
_LAYOUT_CLASSES = {"footnote", "citation", "field-list", "highlighttable", "docinfo", "layout"}
_LAYOUT_ROLES = {"presentation", "none"}
_CELLS = ("td", "th")
_ROW_GROUPS = ("thead", "tbody", "tfoot")
_CELL_BLOCKS = {"p", "div", "br", "ul", "ol", "li", "dt", "dd", "section", "tr"}
_ITEM_END = "\x01"
MAX_SPAN = 64  # a colspan or rowspan above this is broken markup, not a table that wide or long


def text_content(element: Any) -> str:
    """Every text inside an element, as lxml.html's ``text_content`` gives it, for plain lxml.etree elements."""
    return etree.tostring(element, method="text", encoding=str, with_tail=False)


def table_text(table: Any) -> str | None:
    """The table as pipe-table lines, or None when it lays out the page rather than holding data."""
    if table.get("role", "").lower() in _LAYOUT_ROLES or _LAYOUT_CLASSES & set(table.get("class", "").split()):
        return None
    # Walked, not an XPath union ("./tr | ./tbody/tr", ".//pre | .//dl"): libxml2 merges a union's sets in time of
    # the product of their sizes, and a table of 7,000 rows in its head and 7,000 in its body, or a cell of 17,000
    # code blocks and quotes, took seconds for a megabyte, quadratic (probe 19).
    rows = [row for part in table for row in (part if part.tag in _ROW_GROUPS else (part,)) if row.tag == "tr"]
    if len(rows) < 2 or any(next(row.iter(*_STRUCTURE), None) is not None for row in rows):
        return None
    header_rows, grid = _grid(rows)
    grid = [row for n, row in enumerate(grid) if n < header_rows or any(row)]  # spacer rows
    if not grid:  # no text in any cell: images laid out in rows (Doxygen's graphical class hierarchy, probe 32)
        return None
    width = max(len(row) for row in grid)
    grid = [row + [""] * (width - len(row)) for row in grid]
    body = grid[header_rows:]
    keep = [n for n in range(width) if any(row[n] for row in body)]
    if len(keep) < 2 or not body:
        return None
    grid = [[row[n] for n in keep] for row in grid]
    header = _header(grid[:header_rows])
    caption = table.find("caption")
    lines = table_lines(header, grid[header_rows:])
    if caption is not None and text_content(caption).strip():
        lines.insert(0, " ".join(text_content(caption).split()) + "\n")
    return "\n".join(lines)


def _grid(rows: list[Any]) -> tuple[int, list[list[str]]]:
    """Each row's cells, spans filled in: a header cell spanning columns names each of them; a body cell
    spanning columns stands in the first (the others are empty); a cell spanning rows stands in each, so
    a row read alone keeps it. Also how many rows at the top are header rows (in thead, or all th)."""
    grid: list[list[str]] = []
    header_rows = 0
    spans: dict[int, list[Any]] = {}  # column -> [rows still to fill, text]
    for number, row in enumerate(rows):
        cells = [c for c in row if isinstance(c.tag, str) and c.tag in _CELLS]
        heading = header_rows == number and any(text_content(c).strip() for c in cells) and (
            row.getparent().tag == "thead" or all(c.tag == "th" for c in cells)
            or (number == 0 and _bold_row(row, cells) and not (len(rows) > 1 and _bold_row(rows[1], None))))
        out: list[str] = []

        def take_spans() -> None:
            while len(out) in spans:
                column = len(out)
                left, text = spans[column]
                out.append(text)
                if left <= 1:
                    del spans[column]
                else:
                    spans[column][0] = left - 1

        for cell in cells:
            take_spans()
            text = cell_text(cell)
            columns, down = _span(cell.get("colspan")), _span(cell.get("rowspan"))
            for k in range(columns):
                value = text if k == 0 or heading else ""
                if down > 1:
                    spans[len(out)] = [down - 1, value]
                out.append(value)
        take_spans()
        grid.append(out)
        if heading:
            header_rows += 1
    return header_rows, grid


def _bold_row(row: Any, cells: list[Any] | None) -> bool:
    """A row of td cells each all in bold: the header of a table written without th (older manuals)."""
    cells = cells if cells is not None else [c for c in row if isinstance(c.tag, str) and c.tag in _CELLS]
    texts = [(" ".join(text_content(c).split()), c) for c in cells]
    texts = [(text, c) for text, c in texts if text]
    return bool(texts) and all(text == " ".join(" ".join(text_content(b) for b in _bold_in(c)).split())
                               for text, c in texts)


_BOLD = ("b", "strong")


def _bold_in(cell: Any) -> list[Any]:
    """The outermost b and strong elements in ``cell`` (none when the cell stands in one). Walked: the XPath union
    ".//b[not(ancestor::b or ancestor::strong)] | .//strong[...]" took quadratic time, a cell of 32,000 of them
    2.6 s (probe 19)."""
    if any(above.tag in _BOLD for above in cell.iterancestors()):
        return []
    found = []
    walker = etree.iterwalk(cell, events=("start",))
    for _, element in walker:
        if element is not cell and element.tag in _BOLD:
            found.append(element)
            walker.skip_subtree()
    return found


def _span(value: str | None) -> int:
    try:
        return min(max(int(value or 1), 1), MAX_SPAN)
    except ValueError:
        return 1


def _header(rows: list[list[str]]) -> list[str]:
    """One header line from header rows: a column's labels top to bottom ("Size" over "min": "Size min")."""
    if not rows:
        return []
    names = []
    for column in zip(*rows):
        labels: list[str] = []
        for label in column:
            if label and label not in labels:
                labels.append(label)
        names.append(" ".join(labels))
    return names


def cell_text(cell: Any) -> str:
    """A cell's text on one line: its paragraphs run on, its list items apart by "; "."""
    pieces: list[str] = []
    for event, element in etree.iterwalk(cell, events=("start", "end")):
        name = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if name in _CELL_BLOCKS:
                pieces.append(" ")
            if element.text:
                pieces.append(element.text)
        else:
            if name == "li":
                pieces.append(_ITEM_END)
            elif name in _CELL_BLOCKS:
                pieces.append(" ")
            if element.tail and element is not cell:
                pieces.append(element.tail)
    text = ""
    for item in " ".join("".join(pieces).split()).split(_ITEM_END):
        item = item.strip()
        if item:  # items apart by "; ", or by a space after an item that ends in punctuation of its own
            text += (" " if text[-1] in ".;:,!?" else "; ") + item if text else item
    return escape_cell(text)
