"""LaTeX sources: the text as written, less what LaTeX itself never typesets. A comment (``%`` to the end of
its line, unless escaped as ``\\%``) and a ``comment`` environment hold drafts, notes to co-authors and
paragraphs taken out: indexed, they answered questions from text the paper no longer says. Each is blanked
where it stands, so every other line keeps its number (the chunker splits at sectioning commands: chunking.py).

A ``%`` that LaTeX prints is kept: in a verbatim environment or a listing (``50% of the time``), in ``\\verb|%|``
or ``\\lstinline``, in a URL (``\\url{http://x.org/a%20b}``). Blanked as comments, they cut the line there."""

from __future__ import annotations

import re
from pathlib import Path

from jupyter_docchat.indexing.readers.base import decode
from jupyter_docchat.types import Section

_BEGIN, _END = re.compile(r"^\s*\\begin\{comment\}"), re.compile(r"^\s*\\end\{comment\}")
# Environments whose lines LaTeX prints as written (no comments in them).
_VERBATIM = r"verbatim\*?|Verbatim\*?|BVerbatim|LVerbatim|lstlisting|minted"
# What a line is read as, left to right: text printed as written (\verb's delimited text, a URL, an inline
# listing), the start of a verbatim environment, an escaped character (\%, and \\, after which "%" starts a
# comment), or the "%" that starts a comment.
_SCAN = re.compile(
    r"\\verb\*?([^\sA-Za-z*])(?:.*?\1|.*)"
    r"|\\(?:url|nolinkurl|path|href)\s*\{[^{}\n]*\}"
    r"|\\lstinline(?:\[[^\]\n]*\])?(?:\{[^{}\n]*\}|([^\s\[{])(?:.*?\2|.*))"
    rf"|\\begin\{{({_VERBATIM})\}}"
    r"|\\."
    r"|%")


def _uncommented(line: str) -> tuple[str, str | None]:
    """The line less its comment, and the verbatim environment it leaves open (None if it leaves none)."""
    for match in _SCAN.finditer(line):
        if match[0] == "%":
            return line[:match.start()], None
        env = match[3]
        if env:
            rest = line[match.end():]
            end = re.search(rf"\\end\{{{re.escape(env)}\}}", rest)
            if end is None:
                return line, env
            tail, still = _uncommented(rest[end.end():])
            return line[:match.end() + end.end()] + tail, still
    return line, None


def read_latex(path: Path, data: bytes) -> list[Section]:
    lines = decode(data).split("\n")
    inside = False  # a comment environment
    verbatim: str | None = None  # the verbatim environment the line is in
    for n, line in enumerate(lines):
        if verbatim is not None:
            end = re.search(rf"\\end\{{{re.escape(verbatim)}\}}", line)
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
