"""Jupyter notebooks: one section per Markdown or code cell, under the last Markdown heading above it."""

from __future__ import annotations

import re
from pathlib import Path

from jupyter_docchat.indexing.readers.base import UnreadableFile, decode
from jupyter_docchat.indexing.readers.markdown import heading_text
from jupyter_docchat.types import HeadingTrail, Section

# A closing run of "#" counts only apart from the heading's text (CommonMark): "## Learning C#" read "Learning C".
_ATX = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
# A fenced block's lines are code: its "# install the tools" was taken for the cell's heading (probe 13).
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# A Setext heading: a paragraph's line underlined by "=" or "-", as a Markdown file's is read (probe 16: a cell of
# "Results\n=======" headed nothing). A list item or a quote over "---" is over a rule, not a heading.
_SETEXT = re.compile(r"^ {0,3}(=+|-+)\s*$")
_NOT_A_TITLE = re.compile(r"^\s*(?:[-*+>]|\d+[.)])(?:\s|$)|^ {4}")


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
            fence = ""
            lines = source.splitlines()
            for number_in_cell, line in enumerate(lines):
                opened = _FENCE.match(line)
                if opened and (not fence or opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence)):
                    fence = "" if fence else opened.group(1)
                    continue
                match = None if fence else _ATX.match(line)
                title = match.group(2) if match else _setext_title(lines, number_in_cell) if not fence else ""
                if title:
                    heading = str(HeadingTrail((heading_text(title),)))  # one level, whatever ">" it holds
                    break
        if cell_type in ("markdown", "code") and source.strip():
            sections.append(Section(source, 1, heading, cell=number, kind=cell_type))
    return sections


def _setext_title(lines: list[str], number: int) -> str:
    """The title line ``number`` is when the next line underlines it and it starts a paragraph, else ""."""
    line = lines[number]
    below = lines[number + 1] if number + 1 < len(lines) else ""
    starts = number == 0 or not lines[number - 1].strip()
    if starts and line.strip() and not _NOT_A_TITLE.match(line) and not _SETEXT.match(line) and _SETEXT.match(below):
        return line.strip()
    return ""


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


