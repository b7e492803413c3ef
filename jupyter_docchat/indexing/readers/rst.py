"""reStructuredText: sections at titles (a line underlined by punctuation), with the heading trail."""

from __future__ import annotations

import re
from pathlib import Path

from jupyter_docchat.indexing.readers.base import HeadingStack, decode
from jupyter_docchat.types import Section

_RST_UNDERLINE = re.compile(r"^([=\-~^\"'`#*+<>:._])\1{2,}\s*$")


def read_rst(path: Path, data: bytes) -> list[Section]:
    """Split at reST section titles (a line underlined by punctuation)."""
    lines = decode(data).splitlines()
    sections: list[Section] = []
    levels: list[str] = []  # underline characters in the order the document first uses them
    trail = HeadingStack()
    heading, start, buf = "", 1, list[str]()
    number = 0
    while number < len(lines):
        line = lines[number]
        nxt = lines[number + 1] if number + 1 < len(lines) else ""
        if line.strip() and not _RST_UNDERLINE.match(line) and _RST_UNDERLINE.match(nxt) and len(nxt.strip()) >= len(line.strip()):
            if "".join(buf).strip():
                sections.append(Section("\n".join(buf), start, heading, kind="rst"))
            char = nxt.strip()[0]
            if char not in levels:
                levels.append(char)
            heading = trail.enter(levels.index(char) + 1, line.strip())
            start, buf = number + 1, [line, nxt]
            number += 2
            continue
        buf.append(line)
        number += 1
    if "".join(buf).strip():
        sections.append(Section("\n".join(buf), start, heading, kind="rst"))
    return sections


