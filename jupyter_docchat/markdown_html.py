"""Markdown from a model, rendered to HTML that cannot carry live markup.

Raw HTML is disabled (so ``<script>`` arrives as text), images are off (no
``onerror`` or tracking pixels), and links must be http(s), mailto, a fragment
or a relative path: ``javascript:``/``data:``/``vbscript:`` links stay plain text.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import Any
from urllib.parse import urlparse

_ALLOWED_SCHEMES = {"http", "https", "mailto", ""}
_CITE = re.compile(r"\[([1-9]\d{0,2})\]")  # "[01]" and "[0]" are no source's number: never linked


def safe_link(url: str) -> bool:
    cleaned = re.sub(r"[\x00-\x20\x7f]+", "", html.unescape(url)).lower()
    scheme = urlparse(cleaned).scheme
    return scheme in _ALLOWED_SCHEMES and not cleaned.startswith("//")


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")  # an offline answer quotes a document's table as a pipe table (and models write them)
    md.disable("image")
    md.validateLink = safe_link
    # Before text_join, which would merge an escaped "\[" back into the text around it.
    md.core.ruler.before("text_join", "docchat_citations", _citations_rule)
    md.core.ruler.push("docchat_bidi", _bidi_rule)
    return md


def render_markdown(text: str, citations: int = 0, anchor: str = "") -> str:
    """HTML of ``text``; with ``citations``, each ``[n]`` for an existing source n becomes a link to it.

    Citations are found among the parsed text tokens, so a ``[1]`` in code, in a link's text or
    title, or in an autolink stays as written, and so does an escaped ``\\[1]`` (a quoted document's own).
    """
    return _parser().render(text or "", {"docchat_citations": (citations, anchor)})


def _citations_rule(state: Any) -> None:
    count, anchor = state.env.get("docchat_citations", (0, ""))
    if not count:
        return
    for block in state.tokens:
        if block.type == "inline" and block.children:
            block.children = _link_citations(block.children, count, anchor)


_OPENS_EMBEDDING, _OPENS_ISOLATE = frozenset("\u202a\u202b\u202d\u202e"), frozenset("\u2066\u2067\u2068")
_POP_EMBEDDING, _POP_ISOLATE = "\u202c", "\u2069"


def bidi_closed(text: str) -> str:
    """``text`` with every direction override, embedding or isolate it leaves open closed at its end, as the Unicode
    bidirectional algorithm pairs them: a document's "\u202etxt.exe" went on reversing the rest of the answer's
    paragraph, the citation after it too (probe 24). Balanced ones, as right-to-left text writes them, are kept."""
    if not any("\u202a" <= ch <= "\u202e" or "\u2066" <= ch <= "\u2069" for ch in text):
        return text
    open_: list[str] = []
    isolates = 0  # how many of open_ are isolates: "in open_" made 100,000 embeddings then as many PDIs take minutes
    for ch in text:
        if ch in _OPENS_EMBEDDING:
            open_.append(_POP_EMBEDDING)
        elif ch in _OPENS_ISOLATE:
            open_.append(_POP_ISOLATE)
            isolates += 1
        elif ch == _POP_EMBEDDING and open_ and open_[-1] == _POP_EMBEDDING:
            open_.pop()
        elif ch == _POP_ISOLATE and isolates:
            isolates -= 1
            while open_.pop() != _POP_ISOLATE:  # closes the embeddings opened inside the isolate too
                pass
    return text + "".join(reversed(open_))


def _bidi_rule(state: Any) -> None:
    """Each piece of text closes the direction overrides it opens (bidi_closed): a document's or a
    model's right-to-left override reversed the rest of its paragraph, a citation after it too."""
    for block in state.tokens:
        block.content = bidi_closed(block.content)
        for child in block.children or []:
            child.content = bidi_closed(child.content)


def _link_citations(children: list, count: int, anchor: str) -> list:
    from markdown_it.token import Token

    out: list = []
    in_link = 0
    for token in children:
        if token.type == "link_open":
            in_link += 1
        elif token.type == "link_close":
            in_link -= 1
        if token.type != "text" or in_link:
            out.append(token)
            continue
        last = 0
        for match in _CITE.finditer(token.content):
            n = int(match.group(1))
            if not 1 <= n <= count:
                continue
            if match.start() > last:
                out.append(Token("text", "", 0, content=token.content[last:match.start()]))
            out.append(Token("html_inline", "", 0,
                             content=f'<a class="docchat-cite" href="#{html.escape(anchor)}-src-{n}">[{n}]</a>'))
            last = match.end()
        out.append(token if last == 0 else Token("text", "", 0, content=token.content[last:]))
    return out
