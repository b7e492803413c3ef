"""Jupyter notebooks: one section per Markdown or code cell, under the last Markdown heading above it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from jupyter_docchat.indexing.readers.base import UnreadableFile, decode
from jupyter_docchat.indexing.readers.markdown import heading_text, parse_blocks, top_headings
from jupyter_docchat.types import HeadingTrail, Section

# The lines that can make a titled heading outside a list or a quote: an ATX line with text, a setext underline.
# markdown-it says which of them are headings; a cell with none of them is not parsed at all, and a parse stops
# not far below them. (A cell of "\n# " repeated, empty headings, took markdown-it 6 s a megabyte.)
# A title is any character but white space further on the line: markdown-it reads "# \u00a0Results" and
# "# \u3000結果" (a no-break or ideographic space pasted after the "# ") as headings, which "[ \t]+\S" missed
# (probe 19). One space, then a look ahead: the line is scanned once, however long its run of spaces.
_MAY_HEAD = re.compile(r"^ {0,3}(?:#{1,6}[ \t](?=[^\n]*?\S)|(?:=+|-+)[ \t]*$)", re.MULTILINE)
# A line that may start a link reference definition ("[guide]: https://..."), whose title may run over lines.
_MAY_DEFINE = re.compile(r"^ {0,3}\[", re.MULTILINE)
_BLANK = re.compile(r"^[ \t]*$", re.MULTILINE)


def read_notebook(path: Path, data: bytes) -> list[Section]:
    import warnings

    import nbformat

    text = decode(data)
    try:
        with warnings.catch_warnings():  # cells without ids and the like: the notebook reads all the same
            warnings.simplefilter("ignore")
            notebook = nbformat.reads(text, as_version=4)
    except Exception as exc:
        cells = _cells_as_written(text, exc)
    else:
        # Without its "nbformat" version nbformat takes a file for version 3, whose code cells hold "input":
        # every code cell of {"cells": [...]} as a script writes it was read empty (probe 14).
        cells = ([(cell.get("cell_type"), cell.get("source", "")) for cell in notebook.cells]
                 if '"nbformat"' in text else _cells_as_written(text, None))
    sections = []
    heading = ""
    for number, (cell_type, source) in enumerate(cells, 1):
        if cell_type == "markdown":
            title, env = _first_title(source)
            if title:
                heading = str(HeadingTrail((heading_text(title, env),)))  # one level, whatever ">" it holds
        if cell_type in ("markdown", "code") and source.strip():
            sections.append(Section(source, 1, heading, cell=number, kind=cell_type))
    return sections


def _first_title(source: str) -> tuple[str, dict[str, Any]]:
    """The first heading with a title in a Markdown cell, as markdown-it reads it in a .md file (never a fenced
    block's or an HTML block's line, a setext title too), as written, and the link reference definitions it may use.

    The cell is parsed from its start down to its first possible heading, then twice as far each time until the
    first heading there is settled, one that no line below can undo: an ATX heading always is (it ends any
    paragraph, table or link reference definition above it), a setext one unless it may be part of a definition's
    title left open ('[a]: /u "t' over '===' is a heading until a closing quote comes). A cell costs at most about
    twice the parse of its lines down to where its title is settled: of the whole cell when lines that may be
    headings are none (in a list, a fenced block, a definition), markdown-it's time for a .md file of it."""
    text = source.replace("\r\n", "\n").replace("\r", "\n")  # markdown-it's lines
    found = _MAY_HEAD.search(text)
    if found is None:
        return "", {}
    lines = text.split("\n")
    read = text.count("\n", 0, found.start()) + 1
    while True:
        whole = read >= len(lines)
        rest = sum(len(line) + 1 for line in lines[:read])  # where the lines not parsed start
        env: dict[str, Any] = {}
        heads = [head for head in top_headings(parse_blocks("\n".join(lines[:read]), env, front_matter=False))
                 if head[2].strip()]
        if heads:
            first, _, title, size = heads[0]
            if whole or size == 1 or _settled(text, lines, first + size, read):
                # The title's reference links may use a definition further down, whose label ends "]:".
                if not whole and "[" in title and text.find("]:", rest) >= 0:
                    parse_blocks(text, env, front_matter=False)
                return title, env
        elif whole:
            return "", env
        else:
            found = _MAY_HEAD.search(text, rest)
            if found is None:
                return "", env
            read = text.count("\n", 0, found.start()) + 1
        read = min(2 * read, len(lines))


def _settled(text: str, lines: list[str], end: int, read: int) -> bool:
    """Whether the setext heading whose underline is line ``end - 1`` stays one whatever lies below line ``read``:
    it does unless a link reference definition may hold it, which takes a "[" starting a line above it, with no
    blank line between, and a "]:" below that "[" before the next blank line (a label may run over lines)."""
    if any(not line.strip(" \t") for line in lines[end:read]):
        return True
    top = None
    for number in range(end - 1, -1, -1):
        if not lines[number].strip(" \t"):
            break
        if _MAY_DEFINE.match(lines[number]):
            top = number
    if top is None:
        return True
    start = sum(len(line) + 1 for line in lines[:top])
    blank = _BLANK.search(text, start)
    return text.find("]:", start, blank.start() if blank else len(text)) < 0


def _cells_as_written(text: str, refused: Exception | None) -> list[tuple[object, str]]:
    """(type, source) of each cell of a notebook nbformat refuses for its schema (a cell without metadata,
    an output of an unknown type: what tools other than Jupyter write) or that says no format version, read from
    the JSON as it is."""
    import json

    try:
        nb = json.loads(text)
    except (ValueError, RecursionError):
        raise UnreadableFile(f"unreadable notebook ({type(refused).__name__})") from refused
    cells = nb.get("cells") if isinstance(nb, dict) else None
    if cells is None and isinstance(nb, dict) and isinstance(nb.get("worksheets"), list) and nb["worksheets"]:
        sheet = nb["worksheets"][0]  # nbformat 3
        cells = sheet.get("cells") if isinstance(sheet, dict) else None
    if not isinstance(cells, list):
        raise UnreadableFile("not a notebook (no list of cells)") from refused
    read = []
    for cell in cells:
        cell = cell if isinstance(cell, dict) else {}
        source = cell.get("source", cell.get("input", ""))  # nbformat 3 calls a code cell's source "input"
        if isinstance(source, list):
            source = "".join(part for part in source if isinstance(part, str))
        read.append((cell.get("cell_type"), source if isinstance(source, str) else ""))
    return read


