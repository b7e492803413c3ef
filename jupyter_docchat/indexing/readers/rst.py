"""reStructuredText: sections at titles (a line underlined by punctuation), with the heading trail."""

from __future__ import annotations

import re
from pathlib import Path

from jupyter_docchat.indexing.readers.base import HeadingStack, decode
from jupyter_docchat.types import Section

_RST_UNDERLINE = re.compile(r"^([=\-~^\"'`#*+<>:._])\1{2,}\s*$")


def read_rst(path: Path, data: bytes) -> list[Section]:
    """Split at reST section titles (a line underlined, or over- and underlined, by punctuation)."""
    lines = decode(data).splitlines()
    sections: list[Section] = []
    levels: list[str] = []  # title styles in the order the document first uses them
    trail = HeadingStack()
    heading, start, buf = "", 1, list[str]()
    number = 0
    while number < len(lines):
        title = title_at(lines, number)
        if title:
            style, text, taken = title
            if "".join(buf).strip():
                sections.append(Section("\n".join(buf), start, heading, kind="rst"))
            if style not in levels:
                levels.append(style)
            heading = trail.enter(levels.index(style) + 1, text)
            start, buf = number + 1, lines[number:number + taken]
            number += taken
            continue
        buf.append(lines[number])
        number += 1
    if "".join(buf).strip():
        sections.append(Section("\n".join(buf), start, heading, kind="rst"))
    return sections


def title_at(lines: list[str], number: int) -> tuple[str, str, int] | None:
    """(style, title, lines it takes) of a section title starting at line ``number``, else None.

    An over- and underlined title is a style of its own, as docutils reads it: Python's documentation
    puts "====" over and under the page's title and under its sections alone. Read as an underline
    alone, the overline was a section without a heading and the page's sections the title's siblings
    (probe 16)."""
    line = lines[number]
    nxt = lines[number + 1] if number + 1 < len(lines) else ""
    # An underline shorter than its title is still one from four characters on, as docutils reads it (with a
    # warning): "Installation guide" over "=====" headed nothing, its section left in the one above (probe 19).
    if (line.strip() and not _RST_UNDERLINE.match(line) and _RST_UNDERLINE.match(nxt)
            and (len(nxt.strip()) >= len(line.strip()) or (len(nxt.strip()) >= 4 and not line[:1].isspace()))):
        return nxt.strip()[0], line.strip(), 2
    under = lines[number + 2] if number + 2 < len(lines) else ""
    if (_RST_UNDERLINE.match(line) and nxt.strip() and not _RST_UNDERLINE.match(nxt) and _RST_UNDERLINE.match(under)
            and line.strip() == under.strip() and len(line.strip()) >= len(nxt.strip())):
        return line.strip()[0] * 2, nxt.strip(), 3
    return None
