"""Markdown from a model, rendered to HTML that cannot carry live markup.

Raw HTML is disabled (so ``<script>`` arrives as text), images are off (no
``onerror`` or tracking pixels), and links must be http(s), mailto, a fragment
or a relative path: ``javascript:``/``data:``/``vbscript:`` links stay plain text.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from urllib.parse import urlparse

_ALLOWED_SCHEMES = {"http", "https", "mailto", ""}
_CITE = re.compile(r"\[(\d{1,3})\]")


def safe_link(url: str) -> bool:
    cleaned = re.sub(r"[\x00-\x20\x7f]+", "", html.unescape(url)).lower()
    scheme = urlparse(cleaned).scheme
    return scheme in _ALLOWED_SCHEMES and not cleaned.startswith("//")


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable("image")
    md.validateLink = safe_link
    return md


def render_markdown(text: str) -> str:
    return _parser().render(text or "")


def link_citations(rendered: str, count: int, anchor: str) -> str:
    """Turn [n] into links to source n, for the n that exist; text inside <code>/<pre> is left alone."""
    pieces = re.split(r"(<pre>.*?</pre>|<code>.*?</code>)", rendered, flags=re.S)

    def sub(match: re.Match) -> str:
        n = int(match.group(1))
        if 1 <= n <= count:
            return f'<a class="docchat-cite" href="#{anchor}-src-{n}">[{n}]</a>'
        return match.group(0)

    return "".join(p if p.startswith(("<pre>", "<code>")) else _CITE.sub(sub, p) for p in pieces)
