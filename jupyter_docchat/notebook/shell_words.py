"""A magic's line split into words as a POSIX shell would, one word at a time.

Quotes group (a path may hold spaces), a backslash escapes the next character outside single
quotes, and ``$VAR`` or ``${VAR}`` takes the environment's value outside single quotes (left as
written when unset). ``shlex`` does the same splitting but cannot say which part of a word was
quoted, nor where a word ends in the line: ``%ask`` needs both, to keep its question verbatim.
"""

from __future__ import annotations

import os
import re
from typing import Iterator

_POSIX = os.name != "nt"  # on Windows a backslash is a path separator, never an escape
_SPACE = re.compile(r"\s*")
_SEGMENT = re.compile(
    r"""'(?P<single>[^']*)'|"(?P<double>(?:[^"\\]|\\.)*)"|\\(?P<escaped>.)|(?P<bare>[^\s'"\\]+)""" if _POSIX
    else r"""'(?P<single>[^']*)'|"(?P<double>[^"]*)"|(?P<bare>[^\s'"]+)""", re.S)
# Inside double quotes a backslash escapes only these (POSIX); other backslashes stay.
_DOUBLE_PIECE = re.compile(r'\\(?P<escaped>[$`"\\\n])|(?P<var>\$(?:\w+|\{[^}]*\}))' if _POSIX
                           else r"(?P<var>\$(?:\w+|\{[^}]*\}))")


def _double(text: str) -> str:
    return _DOUBLE_PIECE.sub(lambda m: m.group("escaped") if m.group("escaped") is not None
                             else os.path.expandvars(m.group("var")), text)


def words(line: str, start: int = 0) -> Iterator[tuple[str, int]]:
    """Each word of ``line`` from ``start`` with the offset just after it; ValueError on an unclosed quote."""
    pos = _space_end(line, start)
    while pos < len(line):
        parts: list[str] = []
        while pos < len(line) and not line[pos].isspace():
            match = _SEGMENT.match(line, pos)
            if match is None:
                raise ValueError("a backslash ends the line" if line[pos] == "\\"
                                 else f"no closing quotation ({line[pos]})")
            kind = match.lastgroup or ""  # every alternative is a named group: never ""
            value = match.group(kind)
            parts.append(value if kind in ("single", "escaped") else
                         _double(value) if kind == "double" else os.path.expandvars(value))
            pos = match.end()
        yield "".join(parts), pos
        pos = _space_end(line, pos)


def split(line: str) -> list[str]:
    """Every word of ``line``."""
    return [word for word, _ in words(line or "")]


def next_word_at(line: str, pos: int) -> int:
    """Where the next word starts (``len(line)`` when none does)."""
    return _space_end(line, pos)


def _space_end(line: str, pos: int) -> int:
    match = _SPACE.match(line, pos)  # \s* matches anywhere, if only the empty string
    return match.end() if match else pos
