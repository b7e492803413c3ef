"""LaTeX sources: the text as written, less what LaTeX itself never typesets. A comment (``%`` to the end of
its line, unless escaped as ``\\%``) and a ``comment`` environment hold drafts, notes to co-authors and
paragraphs taken out: indexed, they answered questions from text the paper no longer says. Each is blanked
where it stands, so every other line keeps its number (the chunker splits at sectioning commands: chunking.py).

A ``%`` that LaTeX prints is kept: in a verbatim environment or a listing (``50% of the time``), in ``\\verb|%|``
or ``\\lstinline``, in a URL (``\\url{http://x.org/a%20b}``). Blanked as comments, they cut the line there."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from jupyter_docchat.indexing.readers.base import decode
from jupyter_docchat.types import Section

_BEGIN, _END = re.compile(r"^\s*\\begin\{comment\}"), re.compile(r"^\s*\\end\{comment\}")
# Environments whose lines LaTeX prints as written (no comments in them).
_VERBATIM = r"verbatim\*?|Verbatim\*?|BVerbatim|LVerbatim|lstlisting|minted"
# What a line is read as, left to right: text printed as written (\verb's delimited text, a URL, an inline
# listing), the start of a verbatim environment, an escaped character (\%, and \\, after which "%" starts a
# comment), or the "%" that starts a comment. No part may run over another start of its own (a listing's
# options stop at a "["): a line of "\lstinline[" repeated took minutes, each one read to the line's end.
_SCAN = re.compile(
    r"\\verb\*?([^\sA-Za-z*])(?:.*?\1|.*)"
    r"|\\(?:url|nolinkurl|path|href)\s*\{[^{}\n]*\}"
    r"|\\lstinline(?:\[[^\]\[\n]{0,256}\])?(?:\{[^{}\n]*\}|([^\s\[{])(?:.*?\2|.*))"
    rf"|\\begin\{{({_VERBATIM})\}}"
    r"|\\."
    r"|%")


def _uncommented(line: str) -> tuple[str, str | None]:
    """The line less its comment, and the verbatim environment it leaves open (None if it leaves none)."""
    at = 0  # where the reading goes on, past a verbatim environment begun and ended on this line
    while True:
        for match in _SCAN.finditer(line, at):
            if match[0] == "%":
                return line[:match.start()], None
            if match[3]:
                end = _end_of(match[3]).search(line, match.end())
                if end is None:
                    return line, match[3]
                at = end.end()
                break
        else:
            return line, None


@lru_cache(maxsize=None)
def _end_of(env: str) -> re.Pattern[str]:
    return re.compile(rf"\\end\{{{re.escape(env)}\}}")


def read_latex(path: Path, data: bytes) -> list[Section]:
    lines = decode(data).split("\n")
    inside = False  # a comment environment
    verbatim: str | None = None  # the verbatim environment the line is in
    for n, line in enumerate(lines):
        if verbatim is not None:
            end = _end_of(verbatim).search(line)
            if end is not None:
                tail, verbatim = _uncommented(line[end.end():])
                lines[n] = line[:end.end()] + tail
            continue
        if not inside and _BEGIN.match(line):
            inside = True
        if inside:
            lines[n] = ""
            inside = not _END.match(line)
        else:
            lines[n], verbatim = _uncommented(line)
    return [Section("\n".join(line.rstrip() for line in lines))]
