"""Word 97-2003's marks in a document's characters ([MS-DOC] 2.8.25, 2.16.28), read to lines of text: a paragraph ends
at "\\r", a line or page break ("\\x0b", "\\x0c", "\\x0e") starts a new line; a table's cell ends at "\\x07" and its
row at a "\\x07" alone after the last cell's (the row's own mark), read as a pipe table; a field ("\\x13" code "\\x14"
result "\\x15") keeps its result, what Word shows (a page reference's number, a link's text), fields nested within
fields too; the anchors of pictures, drawings, footnote and comment references ("\\x01", "\\x08", "\\x02", "\\x05")
are no text.
"""

from __future__ import annotations

from jupyter_docchat.indexing.readers.office_tables import grid_lines

_FIELD_BEGIN, _FIELD_SEPARATOR, _FIELD_END = "\x13", "\x14", "\x15"
_CELL = "\x07"
_BREAKS = "\r\x0b\x0c\x0e"
# Marks that stand for something that is not text, and Word's two special hyphens.
_SPECIAL = str.maketrans({"\x01": None, "\x02": None, "\x03": None, "\x04": None, "\x05": None, "\x08": None,
                          "\x1f": None, "\x1e": "-"})
_MAX_FIELD_DEPTH = 64  # Word nests fields a few deep; a hostile file's thousands of "\x13" stay a bounded stack


def field_results(text: str) -> str:
    """``text`` with each field's code left out and its result kept (a field without a separator is all code)."""
    out: list[str] = []
    # One entry a field open around the current character: whether its result has begun.
    stack: list[bool] = []
    start = 0
    for at, char in enumerate(text):
        if char not in (_FIELD_BEGIN, _FIELD_SEPARATOR, _FIELD_END):
            continue
        if not stack or stack[-1]:
            out.append(text[start:at])
        start = at + 1
        if char == _FIELD_BEGIN:
            if len(stack) < _MAX_FIELD_DEPTH:
                stack.append(False)
        elif char == _FIELD_SEPARATOR:
            if stack:
                stack[-1] = True
        elif stack:
            stack.pop()
    if not stack or stack[-1]:
        out.append(text[start:])
    return "".join(out)


def text_lines(text: str) -> list[str]:
    """The lines of a story's characters: its fields' results, a paragraph a line, each table as a pipe table."""
    text = field_results(text).translate(_SPECIAL)
    lines: list[str] = []
    rows: list[list[str]] = []  # the table being read
    cells: list[str] = []  # the row being read
    current: list[str] = []  # the paragraph (or cell) being read
    previous = ""
    for char in text:
        if char == _CELL:
            if previous == _CELL and not "".join(current).strip():
                rows.append(cells)  # the row's own mark
                cells = []
            else:
                cells.append(" ".join("".join(current).split()))
            current = []
        elif char in _BREAKS:
            if cells:  # a paragraph inside a cell: the cell goes on
                current.append(" ")
            else:
                if rows:
                    lines += _table(rows)
                    rows = []
                lines.append("".join(current).rstrip())
                current = []
        else:
            current.append(char)
        previous = char
    if cells:
        rows.append(cells)
    if rows:
        lines += _table(rows)
    if current:
        lines.append("".join(current).rstrip())
    return lines


def _table(rows: list[list[str]]) -> list[str]:
    """A table's rows as a pipe table under its first row, apart from the text around it by blank lines."""
    return ["", *grid_lines(1, rows), ""]
