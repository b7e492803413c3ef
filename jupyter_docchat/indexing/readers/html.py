"""Main text of an HTML page, split at its headings, without script/style/nav."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from jupyter_docchat.indexing.readers.base import HeadingStack, clean_heading, decode, only_marks, short_heading
from jupyter_docchat.indexing.readers.html_tables import table_text, text_content
from jupyter_docchat.types import Section

_DROP = ("script", "style", "nav", "noscript", "template", "iframe", "svg", "form", "header", "footer", "aside")
_DROP_ROLES = ("navigation", "banner", "contentinfo")
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_CELLS = {"td", "th"}
_MARK = "\x00H"
_BLOCKS = {"p", "div", "li", "pre", "tr", "br", "dt", "dd", "blockquote", "table", "section", "article", "ul", "ol"}


def html_sections(markup: str) -> list[Section]:
    """Sections of a page. libxml2 parses in linear time (bs4's tree building was quadratic on deeply
    nested or very long pages), and the walk is iterative, so nesting depth costs no recursion."""
    from lxml import etree

    # lxml.etree's parser rather than lxml.html's: the same tree, without a Python class lookup for every
    # element the walk touches (5% of reading a Sphinx build).
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True, encoding="utf-8")
    data = markup.encode("utf-8", "surrogatepass")
    try:
        doc = etree.fromstring(data, parser)
    except (etree.ParserError, ValueError):
        return []
    if doc is None:  # nothing but white space or comments
        return []
    if any(error.type_name == "ERR_RESOURCE_LIMIT" for error in parser.error_log):
        # Nested deeper than libxml2 builds a tree for: keep the text, without the structure.
        return _split_marked(_flat_text(markup), [], _title_of(doc))
    title = _title_of(doc)
    etree.strip_elements(doc, *_DROP, with_tail=False)
    for tag in doc.xpath("//*[@role=$a or @role=$b or @role=$c]", a=_DROP_ROLES[0], b=_DROP_ROLES[1], c=_DROP_ROLES[2]):
        if tag.getparent() is not None:
            _drop_tree(tag)
    _drop_permalinks(doc)
    root = _main_root(doc)
    pieces: list[str] = []
    lines: list[int] = []
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, tag in walker:
        name = tag.tag if isinstance(tag.tag, str) else ""
        if event == "start":
            if name in _HEADINGS:
                text = clean_heading(text_content(tag))
                pieces.append(f"\n{_MARK}{len(lines)}:{name[1]}:{text}\n")
                lines.append(tag.sourceline or 1)
                walker.skip_subtree()
                continue
            if name == "pre":
                # Code keeps its line breaks and indentation, which _tidy collapses everywhere else.
                pieces.append(f"\n{text_content(tag).translate(_KEEP_SPACES)}\n")
                walker.skip_subtree()  # its end still comes, with its tail
                continue
            if name == "table":
                table = table_text(tag)
                if table is not None:  # a table of data, one line a row; a layout table is read as blocks
                    pieces.append(f"\n\n{table}\n\n")
                    walker.skip_subtree()
                    continue
            if name in _BLOCKS:
                pieces.append("\n")
            elif name in _CELLS:
                pieces.append(" ")  # the cells of a layout table's row: apart, not glued ("NoteThe text")
            if tag.text:
                pieces.append(tag.text)
        else:
            if name in _BLOCKS:
                pieces.append("\n")
            elif name in _CELLS:
                pieces.append(" ")
            if tag.tail and tag is not root:
                pieces.append(tag.tail)
    return _split_marked("".join(pieces), lines, title)


# A link to the element it stands in, shown as a mark: Sphinx's and MkDocs' "headerlink", GitHub's and
# Hugo's "anchor", Docusaurus' "hash-link"; its "¶" would end every heading and definition term.
_PERMALINK_CLASSES = {"headerlink", "anchor", "anchor-link", "anchorjs-link", "hash-link", "header-anchor",
                      "heading-anchor", "anchor-heading", "permalink", "doc-anchor", "headeranchor-link"}
_PERMALINK_TITLE = re.compile(r"permalink|permanent link|link to this|direct link", re.I)


def _drop_permalinks(doc: Any) -> None:
    # A mark is a character or two (an emoji, a zero-width space): libxml2 finds those links, not Python.
    for link in doc.xpath("//a[string-length(normalize-space(.)) <= 2]"):
        text = text_content(link)
        if not only_marks(text):
            continue
        marked = _PERMALINK_CLASSES & set(link.get("class", "").split()) or _PERMALINK_TITLE.search(
            f"{link.get('title', '')} {link.get('aria-label', '')}")
        if marked or (text.strip() and link.get("href", "").startswith("#")):
            _drop_tree(link)


def _drop_tree(element: Any) -> None:
    """Remove an element and what it holds; its tail stays in the text (lxml.html's ``drop_tree``)."""
    parent = element.getparent()
    if element.tail:
        previous = element.getprevious()
        if previous is None:
            parent.text = (parent.text or "") + element.tail
        else:
            previous.tail = (previous.tail or "") + element.tail
    parent.remove(element)


def _title_of(doc: Any) -> str:
    found = doc.find(".//title")
    return text_content(found).strip() if found is not None else ""


def _flat_text(markup: str) -> str:
    """The page's text by a streaming parse (linear, no tree), blocks on lines of their own."""
    from html.parser import HTMLParser

    pieces: list[str] = []
    skipping: list[str] = []

    class _Text(HTMLParser):
        def handle_starttag(self, tag: str, attrs: Any) -> None:
            if tag in _DROP or tag == "title":
                skipping.append(tag)
            elif tag in _BLOCKS or tag in _HEADINGS:
                pieces.append("\n")

        def handle_endtag(self, tag: str) -> None:
            if skipping and skipping[-1] == tag:
                skipping.pop()
            elif tag in _BLOCKS or tag in _HEADINGS:
                pieces.append("\n")

        def handle_data(self, data: str) -> None:
            if not skipping:
                pieces.append(data)

    reader = _Text(convert_charrefs=True)
    reader.feed(markup)
    reader.close()
    return "".join(pieces)


def _main_root(doc: Any) -> Any:
    for xpath in ("//main", "//*[@role='main']", "//article", "//body"):
        found = doc.xpath(xpath)
        if found:
            return found[0]
    return doc


def _split_marked(text: str, lines: list[int], title: str) -> list[Section]:
    """Sections at the marked headings; the page title heads every trail it does not merely repeat."""
    sections: list[Section] = []
    trail = HeadingStack(title)
    heading, start, buf = short_heading(title), 1, list[str]()
    preamble = True

    def flush(chrome_possible: bool) -> None:
        body = _tidy("\n".join(buf))
        if body and not (preamble and chrome_possible and _is_chrome(body)):
            sections.append(Section(body, start, heading, kind="html"))

    for line in text.split("\n"):
        if line.startswith(_MARK):
            flush(chrome_possible=True)  # text before the first heading may be site chrome
            preamble = False
            number, level, head = line[len(_MARK):].split(":", 2)
            heading, start, buf = trail.enter(int(level), head), lines[int(number)], [head]
        else:
            buf.append(line)
    flush(chrome_possible=False)  # a page without headings is all content, however short
    return sections


def _is_chrome(preamble: str) -> bool:
    """Text before a page's first heading with no sentence in it is site chrome (menus, Prev/Next
    bars, taglines) repeated on every page; indexed, it matches every query a little."""
    lines = [line for line in preamble.splitlines() if line.strip()]
    return len(preamble) < 1500 and not any(len(line.split()) >= 8 for line in lines)


_KEEP_SPACES = str.maketrans({" ": "\x01", "\t": "\x02"})  # stand-ins _tidy leaves alone
_SPACES_KEPT = str.maketrans({"\x01": " ", "\x02": "    "})


def _tidy(text: str) -> str:
    text = re.sub(r"[ \t\r\f\v\u00a0]+", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip().translate(_SPACES_KEPT)


def read_html(path: Path, data: bytes) -> list[Section]:
    return html_sections(decode(data))
