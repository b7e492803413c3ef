"""Word 97-2003's marks in a document's characters ([MS-DOC] 2.8.25, 2.16.28), read to lines of text: a paragraph ends
at "\\r", a line or page break ("\\x0b", "\\x0c", "\\x0e") starts a new line; a table's cell ends at "\\x07" and its
row at a "\\x07" of its own after the last cell's (ROW_END where word97_rows found it by its paragraph's
properties, else a "\\x07" alone after a cell's: an empty cell's is alike), read as a pipe table; a field ("\\x13"
code "\\x14" result "\\x15") keeps its result, what Word shows (a page reference's number, a link's text), fields
nested within fields too; the anchors of pictures, drawings, footnote and comment references ("\\x01", "\\x08", "\\x02", "\\x05")
are no text.
"""

from __future__ import annotations

import re

from jupyter_docchat.indexing.readers.office_tables import grid_lines

_FIELD_BEGIN, _FIELD_SEPARATOR, _FIELD_END = "\x13", "\x14", "\x15"
_CELL = "\x07"
# A row's own mark, told from an empty cell's by its properties (word97_rows): a noncharacter, never text a user wrote
# (one in a hostile file ends a row, as its "\x07" would).
ROW_END = "\uffff"
# A character tracked changes deleted (word97_revisions): kept in place until the lines are read, as positions in the
# text are the file's; then left out, as Word leaves it out once the changes are accepted.
DELETED = "\ufffe"
# A paragraph's mark in a table's cell (word97_rows): the cell goes on. Told by the characters alone, a first cell's
# second paragraph was the table's end.
CELL_PARAGRAPH = "\ufdd0"
_BREAKS = "\r\x0b\x0c\x0e"
# Marks that stand for something that is not text, and Word's optional hyphen; its non-breaking hyphen is a hyphen. A
# search, not str.translate: translate keeps a fast path for ASCII text alone, and took most of the time of a document
# of other letters (or of the marks word97_rows adds).
_SPECIAL = re.compile("[\x01\x02\x03\x04\x05\x08\x1f]")
_NON_BREAKING_HYPHEN = "\x1e"
_FIELD_MARK = re.compile("[\x13\x14\x15]")
_SEGMENT = re.compile("([^\x07\uffff\ufdd0\r\x0b\x0c\x0e]*)([\x07\uffff\ufdd0\r\x0b\x0c\x0e]|$)")  # a run of text and the mark ending it
_MAX_FIELD_DEPTH = 64  # Word nests fields a few deep; a hostile file's thousands of "\x13" stay a bounded stack


def field_results(text: str) -> str:
    """``text`` with each field's code left out and its result kept (a field without a separator is all code). A
    field inside another's code is code too: only what every open field shows as its result is kept."""
    out: list[str] = []
    # One entry a field open around the current character: whether its result has begun. Past _MAX_FIELD_DEPTH the
    # fields are counted, not kept (each ends one of them), and all of them are code.
    stack: list[bool] = []
    deeper = 0
    in_code = 0  # the open fields still in their code: the characters are shown when none is
    start = 0
    for match in _FIELD_MARK.finditer(text):
        at, char = match.start(), match.group()
        if not deeper and not in_code:
            out.append(text[start:at])
        start = at + 1
        if char == _FIELD_BEGIN:
            if len(stack) < _MAX_FIELD_DEPTH:
                stack.append(False)
                in_code += 1
            else:
                deeper += 1
        elif deeper:
            deeper -= char == _FIELD_END
        elif char == _FIELD_SEPARATOR:
            if stack and not stack[-1]:
                stack[-1] = True
                in_code -= 1
        elif stack:
            in_code -= not stack.pop()
    if not deeper and not in_code:
        out.append(text[start:])
    return "".join(out)


def text_lines(text: str) -> list[str]:
    """The lines of a story's characters: its fields' results, a paragraph a line, each table as a pipe table."""
    text = _SPECIAL.sub("", field_results(text.replace(DELETED, ""))).replace(_NON_BREAKING_HYPHEN, "-")
    lines: list[str] = []
    rows: list[list[str]] = []  # the table being read
    cells: list[str] = []  # the row being read
    current: list[str] = []  # the paragraph (or cell) being read
    after_cell = False
    rows_marked = ROW_END in text  # the row marks are known: every "\x07" ends a cell, empty or not
    for match in _SEGMENT.finditer(text):
        run, mark = match.group(1), match.group(2)
        if run:
            current.append(run)
        if mark == ROW_END:
            if current and "".join(current).strip():
                cells.append(" ".join("".join(current).split()))  # a row mark's own text: a cell's, never lost
            if cells:
                rows.append(cells)
            cells = []
            current = []
        elif mark == CELL_PARAGRAPH:
            current.append(" ")
        elif mark == _CELL:
            if after_cell and not run and not rows_marked:
                if cells:
                    rows.append(cells)  # the row's own mark
                cells = []
            else:
                cells.append(" ".join("".join(current).split()))
            current = []
        elif mark:
            if cells:  # a paragraph inside a cell: the cell goes on
                current.append(" ")
            else:
                if rows:
                    lines += _table(rows)
                    rows = []
                lines.append("".join(current).rstrip())
                current = []
        after_cell = mark == _CELL
        if not mark:
            break
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
