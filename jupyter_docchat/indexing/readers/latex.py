"""LaTeX sources: the text as written, less what LaTeX itself never typesets. A comment (``%`` to the end of
its line, unless escaped as ``\\%``) and a ``comment`` environment hold drafts, notes to co-authors and
paragraphs taken out: indexed, they answered questions from text the paper no longer says. Each is blanked
where it stands, so every other line keeps its number (the chunker splits at sectioning commands: chunking.py)."""

from __future__ import annotations

import re
from pathlib import Path

from jupyter_docchat.indexing.readers.base import decode
from jupyter_docchat.types import Section

# A "%" after an even number of backslashes (none, or "\\" which ends a line) starts a comment; "\%" is a percent sign.
_COMMENT = re.compile(r"(?<!\\)((?:\\\\)*)%.*$", re.MULTILINE)
_BEGIN, _END = re.compile(r"^\s*\\begin\{comment\}"), re.compile(r"^\s*\\end\{comment\}")


def read_latex(path: Path, data: bytes) -> list[Section]:
    lines = _COMMENT.sub(r"\1", decode(data)).split("\n")
    inside = False
    for n, line in enumerate(lines):
        if not inside and _BEGIN.match(line):
            inside = True
        if inside:
            lines[n] = ""
            inside = not _END.match(line)
    return [Section("\n".join(line.rstrip() for line in lines))]
