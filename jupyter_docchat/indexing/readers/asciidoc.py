"""AsciiDoc (Asciidoctor, Antora, Spring's and Fedora's docs) read as the rendered page shows it, in sections at its
titles, each line cited at its own line.

A line-based reader, not a library's parser: of the permissive ones on PyPI, asciidoctrine (Apache-2.0, a Lark Earley
grammar) took 14 CPU-s for a 5 kB page and cites a paragraph from the attribute line above it; pyasciidoc is
pre-alpha and reads the page with CommonMark's block rules. (AsciiDoc's own Python tool is GPL-2.0.)

Each line of the file becomes the lines it shows (asciidoc_blocks.py): a title "## Install" (the Markdown reader's
form, so the chunker and the answer's units read it as they read a .md page), a listing or literal block fenced as
code, a table a row a line under its header, prose with its marks read (asciidoc_inline.py). A line that shows
nothing (an attribute entry, a comment) is kept empty, so paragraphs stay apart where they were; only a table's blank
lines between rows are dropped, and each section's line map says which file line each of its lines is."""

from __future__ import annotations

from pathlib import Path

from jupyter_docchat.indexing.readers.asciidoc_blocks import shown_page
from jupyter_docchat.indexing.readers.base import HeadingStack, decode
from jupyter_docchat.types import Section

ASCIIDOC_KIND = "markdown"  # its text is written in the Markdown reader's forms (fences, pipe tables, "#" titles)


def read_asciidoc(path: Path, data: bytes) -> list[Section]:
    """One section per title, holding the title's line and what the page shows up to the next one."""
    lines = decode(data).splitlines()
    page = shown_page(lines)
    trail = HeadingStack()
    bounds = [0] + [head.line for head in page.heads] + [len(lines)]
    headings = [trail.text] + [trail.enter(head.level, head.title) for head in page.heads]
    sections: list[Section] = []
    for (start, end), heading in zip(zip(bounds, bounds[1:]), headings):
        texts: list[str] = []
        numbers: list[int] = []
        for number in range(start, end):
            shown = page.lines[number]
            texts.extend(shown)
            numbers.extend([number + 1] * len(shown))
        body = "\n".join(texts)
        if not body.strip():
            continue
        in_place = numbers == list(range(numbers[0], numbers[0] + len(numbers)))
        sections.append(Section(body, numbers[0], heading, kind=ASCIIDOC_KIND,
                                line_map=None if in_place else tuple(numbers)))
    return sections
