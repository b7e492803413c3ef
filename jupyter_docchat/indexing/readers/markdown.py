"""Markdown: sections at headings (ATX and setext, never inside code), found on markdown-it-py's tokens,
whose line map says where each block starts. Pipe tables are written out cell by cell in one form
(jupyter_docchat.table_text), a line still a line, and headings lose their permalink marks."""

from __future__ import annotations

import gc
import re
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

from jupyter_docchat.indexing.readers.base import (LEADING_MARKS, PERMALINK_TITLE, HeadingStack, clean_heading, decode,
                                                   without_trailing_marks)
from jupyter_docchat.indexing.readers.directives import holds_directives, show_directives
from jupyter_docchat.indexing.readers.excalidraw import DRAWING_TITLE, drawing_lines, is_drawing
from jupyter_docchat.indexing.readers.note_markup import (as_shown, box_bodies, comment_blocks, ends_a_block,
                                                          holds_note_markup, org_code)
from jupyter_docchat.table_text import cells_of, table_lines
from jupyter_docchat.types import Section

# A heading's link to itself: "[¶](#install)", "<a id="install"></a>", "<a href="#x" class="anchor">#</a>"
# (its attribute list, "{#install}", is without_attributes'). No part runs over the start of another (an anchor
# stops at a "[", a tag at a "<") and no two runs of spaces take turns: a heading of "[](#" repeated took seconds
# for 80 kB, minutes for 1 MB.
_SELF_LINK = re.compile(r"\[\s*(?:[¶§#🔗⚓]\s*)?\]\(#[^)\s\[\]]*\)|<a\b[^<>]*>\s*(?:[¶§#🔗⚓]\s*)?</a>")


def read_markdown(path: Path, data: bytes) -> list[Section]:
    """One section per heading, holding the heading line and everything up to the next one."""
    with collection_paused():  # the page's tokens are alive to the end
        return _read_markdown(decode(data))


def _read_markdown(text: str) -> list[Section]:
    lines = text.splitlines()
    env: dict[str, Any] = {}  # the link reference definitions the page makes: "## Usage [guide][1]" reads "Usage guide"
    tokens = parse_blocks(text, env)
    if "%%" in text and (blocks := comment_blocks(lines, _verbatim_lines(lines, tokens))):
        for first, last in blocks:  # left out, each line still a line (a heading inside one heads no section)
            lines[first:last + 1] = [""] * (last + 1 - first)
        text = "\n".join(lines)
        env = {}
        tokens = parse_blocks(text, env)
    # YAML front matter (Jekyll, Hugo, MkDocs, R Markdown, Quarto) is its own section, and its title heads the
    # page's trail, as an HTML page's <title> does: read as Markdown, its closing "---" made it a setext heading.
    matter = next((tok for tok in tokens if tok.type == "front_matter" and tok.map), None)
    drawing = matter is not None and bool(matter.map) and is_drawing(matter.content)
    if drawing and matter is not None:
        drawing_lines(lines, matter.map[1])  # an Excalidraw drawing: its words are the page, not the plugin's keys
        text = "\n".join(lines)
        env = {}
        tokens = parse_blocks(text, env)
        matter = next((tok for tok in tokens if tok.type == "front_matter" and tok.map), None)
    page_title = _matter_title(matter.content) if matter is not None else ""
    page_title = page_title or (DRAWING_TITLE if drawing else "")
    heads = top_headings(tokens)
    held = _markup_held(text)
    _show_markup(lines, tokens, held)
    if held.notes:
        heads = [(first, level, as_shown(content), size) for first, level, content, size in heads]
    for tok in tokens:
        if tok.type == "table_open" and tok.level == 0 and tok.map:
            start, end = tok.map
            lines[start:end] = _table(lines[start:end])
    for first, level, content, size in heads:
        title = _title(content)
        if title != content.strip():  # the text says what the trail says, a line still a line
            if lines[first].lstrip().startswith("#"):
                lines[first] = f"{'#' * level} {title}"
            elif size == 2:  # a setext title of one line over its underline
                lines[first] = title
    sections: list[Section] = []
    trail = HeadingStack(page_title)
    start = matter.map[1] if matter is not None and matter.map else 0
    if start:
        sections.append(Section("\n".join(lines[:start]), 1, trail.text, kind="markdown"))
    bounds = [start] + [head[0] for head in heads] + [len(lines)]
    # Each title is read once: a page's titles repeat ("## Example" under every function), its definitions are one.
    read: dict[str, str] = {}
    headings = [trail.text] + [
        trail.enter(level, read[content] if content in read else read.setdefault(content, heading_text(content, env)),
                    cleaned=True)
        for _, level, content, _ in heads]
    for (start, end), heading in zip(zip(bounds, bounds[1:]), headings):
        body = "\n".join(lines[start:end])
        if body.strip():
            sections.append(Section(body, start + 1, heading, kind="markdown"))
    return sections


# An HTML block that is one heading element on its line ('<h1 align="center">Survey</h1>', as notebooks write a centred
# title): a browser, Jupyter and GitHub show a heading. Read as a paragraph, the sections under it were cited under the
# heading before, and a Markdown cell holding it was no piece of its own (probe 31). Its title is read by heading_text,
# whose inline parse gives raw HTML nothing of its own ("Survey").
_HTML_HEADING = re.compile(r"[ ]{0,3}<[hH]([1-6])(?:\s[^<>\n]*)?>(?:(?!</?[hH][1-6]\b)[^\n])*</[hH]\1\s*>[ \t]*\n?")


# Blocks whose lines are shown as written: code, raw HTML and front matter hold no note markup.
_VERBATIM = frozenset({"fence", "code_block", "html_block", "front_matter"})


def shown_markdown(text: str) -> str:
    """A Markdown cell's ``text`` as Jupyter Book and a notes app show it (_show_markup), each line in its place."""
    held = _markup_held(text)
    if not held.directives and not held.notes:
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    _show_markup(lines, _body_blocks(text), held)
    return "\n".join(lines)


@dataclass(frozen=True)
class _Held:
    """What markup a page may hold, each searched for once (the searches run over the whole page)."""

    directives: bool
    notes: bool


def _markup_held(text: str) -> _Held:
    return _Held(holds_directives(text), holds_note_markup(text))


def _show_markup(lines: list[str], tokens: list[Any], held: _Held) -> None:
    """``lines`` (parsed to ``tokens``; ``held``: what markup the page may hold) with directives' boxes
    (directives.py) and note markup (note_markup.py) read as shown, each line in its place; code, raw HTML and front
    matter as written."""
    if not held.directives and not held.notes:
        return
    verbatim = _verbatim_lines(lines, tokens)
    if held.directives:
        for number in show_directives(lines, tokens, verbatim, _body_blocks):
            verbatim[number] = False
    if held.notes:
        verbatim = org_code(lines, box_bodies(lines, verbatim))
        for number, line in enumerate(lines):
            if not verbatim[number]:
                lines[number] = as_shown(line, "^" not in line or ends_a_block(lines, number))


def _body_blocks(text: str) -> list[Any]:
    return parse_blocks(text, {}, front_matter=False)


def _verbatim_lines(lines: list[str], tokens: list[Any]) -> list[bool]:
    """Which of ``lines`` are shown as written (code, raw HTML, front matter): no note markup is read there."""
    verbatim = [False] * len(lines)
    for tok in tokens:
        if tok.type in _VERBATIM and tok.map:
            start, end = tok.map
            verbatim[start:end] = [True] * (min(end, len(lines)) - start)
    return verbatim


def top_headings(tokens: list[Any]) -> list[tuple[int, int, str, int]]:
    """(first line, level, title as written, lines) of each top-level heading of ``_block_parser``'s tokens:
    list items and quotes hold no headings that split a page in practice, and a heading's own line map covers
    its setext underline too; an HTML block that is one heading (_HTML_HEADING) is one. The notebook reader takes a
    Markdown cell's headings from here, so that a cell and a .md file of the same lines have the same headings."""
    heads = []
    for n, tok in enumerate(tokens):
        if tok.level != 0 or not tok.map:
            continue
        if tok.type == "heading_open":
            heads.append((tok.map[0], int(tok.tag[1]), tokens[n + 1].content, tok.map[1] - tok.map[0]))
        elif tok.type == "html_block" and (found := _HTML_HEADING.fullmatch(tok.content)):
            heads.append((tok.map[0], int(found[1]), tok.content.strip(), tok.map[1] - tok.map[0]))
    return heads


def parse_blocks(text: str, env: dict[str, Any], front_matter: bool = True) -> list[Any]:
    """``text``'s block tokens (``env`` gets its link reference definitions). ``front_matter``: whether a first
    "---" may open YAML front matter, as it does in a page; Jupyter reads none in a notebook's Markdown cell."""
    with collection_paused():
        return _block_parser(front_matter).parse(text, env)


@contextmanager
def collection_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while markdown-it builds its tokens: a page of small blocks is
    millions of them, all alive to the end of the parse and none in a cycle, and each full collection walked them
    all again (40 % of the parse of a page of "\n# " repeated). Back on after, unless it was off before."""
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


@lru_cache(maxsize=2)
def _block_parser(front_matter: bool = True) -> Any:
    """CommonMark with pipe tables, block rules only: the reader needs the blocks' line maps and a heading's
    text, which the block rules give; parsing inside every paragraph was a third of the reader's time."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    parser = MarkdownIt("commonmark")
    return (parser.use(front_matter_plugin) if front_matter else parser).enable("table").disable("inline")


# The line of the title; what it holds is read in _matter_title. (One pattern for both, its lazy title before
# the closing quote and the spaces to the end, took minutes on a title line of a million spaces.)
_MATTER_TITLE = re.compile(r"^title:(?P<rest>.*)$", re.MULTILINE)


def _matter_title(matter: str) -> str:
    """The ``title:`` of YAML front matter, when it is on one line, as YAML reads it: a single-quoted title's
    "''" is a quote, a double-quoted one's backslash escapes a character, and a plain one ends at a comment
    (its "it''s", "\\"", "# draft" were kept in the heading trail as written)."""
    match = _MATTER_TITLE.search(matter)
    title = match["rest"].strip(" \t") if match else ""
    quote = title[0] if len(title) > 1 and title[0] in "'\"" and title[-1] == title[0] else ""
    if quote:
        title = title[1:-1]
    elif title[:1] in (">", "|"):  # a folded or literal block runs over the next lines, and is left out
        return ""
    if quote == "'":
        title = title.replace("''", "'")
    elif quote == '"':
        title = _YAML_ESCAPE.sub(_unescaped, title)
    else:
        title = re.sub(r"(?:^|\s)#.*", "", title)
    return clean_heading(title)


# A double-quoted YAML string's escapes: "\n" is a line break, "\u00e9" an "é" (they read "Storksnand herons",
# "u00e9"; probe 19); any other escaped character is itself.
_YAML_ESCAPE = re.compile(r"\\(?:x([0-9A-Fa-f]{2})|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_YAML_CHARACTERS = {"n": "\n", "t": "\t", "r": "\r", "0": "", "a": "", "b": "", "e": "", "f": " ", "v": " ",
                    "N": " ", "_": "\u00a0", "L": "\n", "P": "\n", "\t": "\t"}


def _unescaped(match: re.Match[str]) -> str:
    code = match[1] or match[2] or match[3]
    if code:
        number = int(code, 16)
        return chr(number) if number <= 0x10FFFF else ""
    return _YAML_CHARACTERS.get(match[4], match[4])


def _title(text: str) -> str:
    return clean_heading(_SELF_LINK.sub(" ", without_attributes(text)))


# A heading's attributes at its end, as Pandoc, Quarto, R Markdown, MkDocs (attr_list) and kramdown write them:
# "## Results {#sec-results .unnumbered}", "# Install {: #install }", "## Draft {-}". They are no part of its title
# (the trail read "Report > B {.unnumbered}"; probe 16).
# A value unquoted starts with no quote and holds no brace, so an item is read one way only: read as quoted or not,
# 'a="b" ' repeated took exponential time (26 items: 33 s), and "{a=" repeated, each value read on to the line's end,
# quadratic (60 kB: 44 s).
_ITEM = r"(?:[#.][\w:.-]+|[\w-]+=(?:\"[^\"]*\"|'[^']*'|[^\s{}\"'][^\s{}]*)|-)"
# Items apart by white space, as Pandoc writes them, so a text splits into items one way only: ".a.a.a" read as one
# item or as three took exponential time.
# The match starts at its brace, the spaces before it taken off after: a run of spaces before a brace tried at
# each of its spaces was quadratic.
# An escaped brace ("\{#x}") is the title's text: taken off, it left "Title \" (probe 18).
_ATTRIBUTES = re.compile(rf"(?<!\\)\{{:?[ \t]*{_ITEM}(?:[ \t]+{_ITEM})*[ \t]*\}}[ \t]*$")


def without_attributes(text: str) -> str:
    found = _ATTRIBUTES.search(text.rstrip())
    return text[:found.start()].rstrip(" \t") if found else text


# Longer "headings" are not titles (a paragraph after a "#"): read as written, not parsed.
TRAIL_MARKUP_CHARS = 1000
# Nor are titles of more brackets than this that may hold links: a README's title with a row of badges holds a
# dozen ("[![CI](...)](...)"), and each "[" costs the link rules up to 60 us (a title of 32, 2 ms).
TRAIL_LINK_BRACKETS = 32
# What an inline token of a heading gives its trail: its text and a code span's code, a break or raw HTML a
# space; links and emphasis nothing of their own (their text is a token of its own), an image (a logo, a badge) nothing.
_INLINE_TEXT = {"text", "code_inline"}


def heading_text(text: str, env: dict[str, Any] | None = None) -> str:
    """A heading as the heading trail shows it: its Markdown read (markdown-it-py's inline rules), so the trail
    says "Install with pip & run", not "Install with `pip` &amp; **run** [docs](https://...)". The text keeps the
    heading as written (``_title``): a code span's backticks there say it is code. ``env``: the page's parse, whose
    link reference definitions a heading's reference links use."""
    title = _SELF_LINK.sub(" ", without_attributes(text))
    # A link or an image needs a "](" in the title or a definition on the page ("[text][label]", "[label]"):
    # without either the inline parser runs without its link and image rules, which give the same tokens then.
    # Each "[" they try walks the rest of the title, nested up to 20 deep: a title of "![" repeated took 37 ms.
    links = "](" in title or bool((env or {}).get("references"))
    if len(title) > TRAIL_MARKUP_CHARS or (links and title.count("[") > TRAIL_LINK_BRACKETS):
        return clean_heading(title)
    parts, pictures = [], []
    # A title with no character that starts markup is one text token as written: parsed, the inline parser's
    # set-up was most of a heading's cost (a page of a million empty headings, "\n# " repeated, took it 3 s).
    children: list[Any] = []
    if _MARKUP_CHAR.search(title) is None:
        parts.append(title)
    else:
        children = _inline_parser(links).parseInline(title, dict(env or {}))[0].children or []
    for token in children:
        if token.type in _INLINE_TEXT:
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak", "html_inline"):
            parts.append(" ")
        elif token.type == "image":
            pictures.append(token.content)
    if not "".join(parts).strip():
        # A heading that is only a picture ("# ![Project logo](logo.png)", a README's banner) reads as what it
        # shows, its alt text; it headed its section with an empty trail. Beside words, a badge's alt text is not
        # the title ("Install ![PyPI](...)" is "Install").
        parts = [" ".join(pictures)]
    # Only marks written as marks are taken off: a "#" or "§" the markup gives (a code span's "`#` comments in
    # Python", an escaped "\# of rows", an entity's "&#35;") is the heading's text; they read "comments in
    # Python" and "of rows" (probe 13). A noncharacter (never in a document's text) stands at an end that
    # does not start or end with a mark as written while the marks are taken off.
    flat = " ".join(title.split())
    text = PERMALINK_TITLE.sub(" ", " ".join("".join(parts).split()))  # "... Permanent link" ends the text: first
    if not LEADING_MARKS.match(flat):
        text = _GUARD + text
    if without_trailing_marks(flat) == flat:
        text += _GUARD
    return clean_heading(text).replace(_GUARD, "").strip()


_GUARD = "\ufdd0"
# The characters that end a run of plain text for markdown-it's inline parser (its text rule's, CommonMark's),
# and those its normalizing replaces ("\r", NUL).
_MARKUP_CHAR = re.compile(r"[\n!#$%&*+\-:<=>@\[\\\]^_`{}~\r\x00]")


@lru_cache(maxsize=2)
def _inline_parser(links: bool = True) -> Any:
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark")
    return parser if links else parser.disable(["link", "image"])


def _table(lines: list[str]) -> list[str]:
    """A pipe table's lines in one form ("| a | b |"; outer pipes are optional in Markdown), every cell kept."""
    cells = [cells_of(_piped(line)) for line in lines]
    return table_lines(cells[0], cells[2:]) if len(cells) >= 2 else lines


def _piped(line: str) -> str:
    line = line.strip()
    if not line.startswith("|"):
        line = "|" + line
    if not line.endswith("|") or line.endswith("\\|"):
        line += "|"
    return line
