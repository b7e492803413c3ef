"""Markdown: sections at headings (ATX and setext, never inside code), found on markdown-it-py's tokens,
whose line map says where each block starts."""

from __future__ import annotations

from pathlib import Path

from jupyter_docchat.indexing.readers.base import HeadingTrail, decode
from jupyter_docchat.types import Section


def read_markdown(path: Path, data: bytes) -> list[Section]:
    """One section per heading, holding the heading line and everything up to the next one."""
    from markdown_it import MarkdownIt

    text = decode(data)
    lines = text.splitlines()
    tokens = MarkdownIt("commonmark").parse(text)
    # (first line, level, title) of each top-level heading; list items and quotes hold no headings
    # that split a page in practice, and a heading's own line map covers its setext underline too.
    heads = [(tok.map[0], int(tok.tag[1]), tokens[n + 1].content)
             for n, tok in enumerate(tokens) if tok.type == "heading_open" and tok.level == 0 and tok.map]
    sections: list[Section] = []
    trail = HeadingTrail()
    bounds = [0] + [first for first, _, _ in heads] + [len(lines)]
    headings = [""] + [trail.enter(level, title) for _, level, title in heads]
    for (start, end), heading in zip(zip(bounds, bounds[1:]), headings):
        body = "\n".join(lines[start:end])
        if body.strip():
            sections.append(Section(body, start + 1, heading, kind="markdown"))
    return sections
