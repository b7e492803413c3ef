"""Jupyter notebooks: one section per Markdown or code cell, under the last Markdown heading above it."""

from __future__ import annotations

import re
from pathlib import Path

from jupyter_docchat.indexing.readers.base import UnreadableFile, decode
from jupyter_docchat.types import Section

_ATX = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def read_notebook(path: Path, data: bytes) -> list[Section]:
    import warnings

    import nbformat

    try:
        with warnings.catch_warnings():  # cells without ids and the like: the notebook reads all the same
            warnings.simplefilter("ignore")
            nb = nbformat.reads(decode(data), as_version=4)
    except Exception as exc:
        raise UnreadableFile(f"unreadable notebook ({type(exc).__name__})") from exc
    sections = []
    heading = ""
    for number, cell in enumerate(nb.cells, 1):
        source = cell.get("source", "")
        if cell.cell_type == "markdown":
            for line in source.splitlines():
                match = _ATX.match(line)
                if match:
                    heading = match.group(2)
                    break
        if cell.cell_type in ("markdown", "code") and source.strip():
            sections.append(Section(source, 1, heading, cell=number, kind=cell.cell_type))
    return sections


