"""Main text of an HTML page, split at its headings, without script/style/nav."""

from __future__ import annotations

import re
import unicodedata
from itertools import chain
from pathlib import Path
from typing import Any

from lxml import etree

from jupyter_docchat.indexing.readers.base import HeadingStack, clean_heading, decode, only_marks, short_heading
from jupyter_docchat.indexing.readers.doxygen import is_doxygen, is_member_heading, tidy_doxygen
from jupyter_docchat.indexing.readers.html_tables import table_text, text_content
from jupyter_docchat.indexing.readers.mkdocs import is_mkdocs, tidy_mkdocs
from jupyter_docchat.indexing.readers.xpath import has_class, xpath
from jupyter_docchat.safe_text import has_words
from jupyter_docchat.types import Section

_DROP = ("script", "style", "nav", "noscript", "template", "iframe", "svg", "form", "header", "footer", "aside")
_DROP_ROLES = ("navigation", "banner", "contentinfo")
# ARIA's roles for what is never the page's text: a dialog (a theme's search box, hidden until a key opens it: MkDocs'
# themes write "Search" or "Documentation search", "Close", over every page), the search landmark, and a complementary
# sidebar (what <aside> marks up, left out above). Not HTML's "hidden" or aria-hidden: sphinx-tabs hides every tab but
# the first, and KaTeX the math it draws, by them; nor a class ("modal"): a modal's role is dialog (ARIA's aria-modal
# stands on such an element). Only where the element holds none of the page's main content.
_DIALOG_ROLES = ("dialog", "alertdialog", "search", "complementary")
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_CELLS = {"td", "th"}
_MARK = "\x00H"
_BLOCKS = {"p", "div", "li", "pre", "tr", "br", "dt", "dd", "blockquote", "table", "section", "article", "ul", "ol"}
# Every element of the page: "//*" is "/descendant-or-self::node()/child::*", a step to each node's children whose
# results libxml2 then merges; with a test after it, this one step finds the same elements sooner (a sixth less time
# over mpich's and handbook's 1,093 pages).
_ALL = "/descendant::*"
# One pass over the page for both (the elements with a role first: libxml2 tests that cheaply, and the comparisons then
# run on the few elements holding one).
_ROLES_LEFT_OUT = f"{_ALL}[@role][" + " or ".join(f"@role='{role}'" for role in _DROP_ROLES + _DIALOG_ROLES) + "]"


def html_sections(markup: str, name: str = "") -> list[Section]:
    """Sections of a page. libxml2 parses in linear time (bs4's tree building was quadratic on deeply
    nested or very long pages), and the walk is iterative, so nesting depth costs no recursion."""
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
    doxygen = is_doxygen(doc)
    if doxygen:
        title = tidy_doxygen(doc, _drop_tree) or title
    elif is_mkdocs(doc):
        tidy_mkdocs(doc, _drop_tree)
    _close_open_svgs(doc)
    etree.strip_elements(doc, *_DROP, with_tail=False)
    # Each "[@name]" first: libxml2 tests that cheaply, and the comparisons then run on the few elements holding the
    # attribute, not on every element (the same elements; a third of the time over the bench corpora's pages). And
    # "/descendant::*" for "//*": the same elements, without a step to every node's children first (_ALL).
    dialogs = []
    for tag in xpath(doc, _ROLES_LEFT_OUT):
        if tag.get("role") in _DIALOG_ROLES:
            dialogs.append(tag)
        elif tag.getparent() is not None:
            _drop_tree(tag)
    for tag in xpath(doc, _NAV_BARS):
        if tag.getparent() is not None:
            _drop_tree(tag)
    _drop_dialogs(dialogs)
    _drop_link_bars(doc, name)
    _drop_permalinks(doc)
    _drop_line_numbers(doc)
    _drop_source_links(doc)
    root = _main_root(doc)
    _drop_contents_above(root)
    pieces, lines, apart = _walk(root, doxygen)
    return _split_marked(pieces.text(), lines, title, pieces.line_sources(), apart)


def _walk(root: Any, doxygen: bool = False) -> tuple[_Pieces, list[int], set[int]]:
    """The text under ``root`` as the walk writes it, headings marked (_MARK), the file line of each heading's mark,
    and the numbers of the headings whose sections are units of their own (a Doxygen page's members, ``doxygen``).
    Iterative: nesting depth costs no recursion."""
    pieces = _Pieces()
    lines: list[int] = []
    apart: set[int] = set()  # the headings of sections that are units of their own (Section.apart)
    boxes: dict[Any, bool] = {}
    # A block's line break and a text without one are most of a page's pieces: added here without the call (what
    # _Pieces.add does with them), and an element's line asked only where a piece is added at it.
    parts, sources, add = pieces.parts, pieces.sources, pieces.add
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, tag in walker:
        name = tag.tag
        if not isinstance(name, str):
            name = ""
        if event == "start":
            at = tag.sourceline or 1
            if at >= _LAST_LINE_KNOWN:  # from here on, lines are counted on from the text read so far
                at = max(at, pieces.end)
            if name in _HEADINGS:
                if _in_admonition(tag, boxes):
                    # DocBook's <div class="note"><h3 class="title">Note</h3>: the box's label, at its section's own
                    # heading level. As a heading it took the section's place in the trail for the rest of it.
                    add(f"\n{clean_heading(' '.join(_broken_text(tag)))}\n", at)
                else:
                    text = clean_heading(" ".join(_broken_text(tag)))  # <h1>Release<br>notes</h1>: two words
                    add(f"\n{_MARK}{len(lines)}:{name[1]}:{text}\n", at)
                    if doxygen and is_member_heading(tag):
                        apart.add(len(lines))
                    lines.append(at)
                walker.skip_subtree()
                continue
            if name == "pre":
                # Code keeps its line breaks and indentation, which _BLANK_RUNS and _tidy_lines collapse elsewhere.
                add("\n", at)
                line = at
                for n, part in enumerate(_broken_text(tag)):
                    if n:
                        add("\n", line)  # a <br>'s line break: one of the text, not of the file
                    add(_blank_lines_kept(_spaces_kept(part)), line, 1)
                    line += part.count("\n")
                add("\n", at)
                walker.skip_subtree()  # its end still comes, with its tail
                continue
            if name == "table":
                table = table_text(tag)
                if table is not None:  # a table of data, one line a row; a layout table is read as blocks
                    rows = [row.sourceline or at for row in tag.iter("tr")] or [at]
                    if rows[-1] >= _LAST_LINE_KNOWN:
                        rows = [at + n for n in range(len(rows))]  # a row a line, as tables mostly are
                    pieces.add_table(table, rows)
                    walker.skip_subtree()
                    continue
            if name in _BLOCKS:
                parts.append("\n")
                sources.append(None)
                if at > pieces.end:
                    pieces.end = at
            elif name in _CELLS:
                add(" ", at)  # the cells of a layout table's row: apart, not glued ("NoteThe text")
            text = tag.text
            if text:
                if "\n" in text:
                    add(text, at, 1)
                else:
                    parts.append(text)
                    if sources[-1] is None and text.strip():
                        sources[-1] = at
                    if at > pieces.end:
                        pieces.end = at
        else:
            if name in _BLOCKS or name in _CELLS:
                at = tag.sourceline or 1
                if at >= _LAST_LINE_KNOWN:
                    at = max(at, pieces.end)
                if name in _BLOCKS:
                    parts.append("\n")
                    sources.append(None)
                    if at > pieces.end:
                        pieces.end = at
                else:
                    add(" ", at)
            tail = tag.tail
            if tail and tag is not root:
                add(tail, _tail_line(tag, pieces.end) if tail.strip() else pieces.end, 1)
    return pieces, lines, apart


# DocBook XSL's Prev / Next / Home bars above and below every page (and a site's "Last updated" line in one),
# marked by class, not by <nav> or a role. The raw class holding the word is tested first, cheaply: a class holding it
# as a word holds it (the same elements, 0.06 -> 0.04 CPU-s over mpich's pages).
_NAV_BARS = (f"{_ALL}[@class][contains(@class, 'navheader') or contains(@class, 'navfooter')]"
             f"[{has_class('navheader')} or {has_class('navfooter')}]")
# The ids older themes give what HTML5 writes as <aside> and <footer> (both left out above): a site's sidebar
# ("Last update: Nov 11, 2026" under the menu of every page of a Django-style build) and its footer ("Last updated
# 2024-05-31", asciidoc). Not "header": asciidoc's div#header holds a man page's title and NAME.
_CHROME_IDS = ("sidebar", "footer")
# What stands between the links of a bar ("Home | Contents | Index", "« previous | up | next »").
_BAR_SEPARATORS = frozenset("|·•‹›«»←→↑↓⇐⇒<>/:-–—[]()")


def _drop_link_bars(doc: Any, name: str = "") -> None:
    """Leave out a theme's bars of links and its sidebar, and read a site title as a line, not a heading.

    A bar is an element whose children are two or more links apart only by separators; a list of links apart
    by nothing but white space (a table of contents) is content and stays. Each element is looked at by its own
    children: linear in the page."""
    chrome = xpath(doc, _CHROME_BY_ID)
    holders = _holders_of_content(doc) if chrome else set()
    for tag in chrome:
        if (tag.getparent() is not None and tag.tag not in _HEADINGS and tag not in holders
                and not _titled_by_its_id(tag)):
            _drop_tree(tag)
    # One walk over the links: an XPath test of every element of the page ("//*[count(a) >= 2]", one for headings)
    # made the reading of a DocBook build 14 % slower.
    counts: dict[Any, int] = {}
    for link in list(doc.iter("a")):
        parent = link.getparent()
        if parent is None or link.get("href") is None:
            continue
        counts[parent] = counts.get(parent, 0) + 1
        if len(link):
            heading = _only_child(link)
            if heading is not None and heading.tag in _HEADINGS and _to_the_site(link, name):
                heading.tag = "p"  # <a href="intro.html"><h2>SQLite C Interface</h2></a>, over 238 pages
        if parent.tag in _HEADINGS and _only_child(parent) is link and _to_the_site(link, name):
            parent.tag = "p"
    inside: dict[Any, bool] = {}
    for parent, links in counts.items():
        if (links >= 2 and parent.getparent() is not None and parent.tag not in _HEADINGS and _is_link_bar(parent)
                and not _in_text_of(parent, inside) and not _in_sentence(parent) and not _under_a_heading(parent)):
            _drop_tree(parent)


def _drop_dialogs(dialogs: list[Any]) -> None:
    """Leave out the elements of _DIALOG_ROLES, unless one holds the page's title or main content (a sidebar left
    unclosed, as libxml2 mends it, holds the rest of the page). Each is looked into on its own, by libxml2: most
    pages have none, and the marks of all the page's content (_holders_of_content) cost a pass over every page
    that has a search box (a Sphinx sidebar's, dropped with it already)."""
    for tag in dialogs:
        if tag.getparent() is not None and next(tag.iter("h1", "main", "article"), None) is None \
                and not xpath(tag, "descendant::*[@role][@role='main']"):
            _drop_tree(tag)


# What holds a table of contents: a list, or a box of boxes of links (sqlite.org's pages write their contents as
# <div id="toc_sub"><div class="fancy-toc1"><a href="#intro">1. Introduction</a></div>..., under the site's menu: the
# first chunk of 72 of sqlite3-doc's pages was menu and contents).
_CONTENTS_HOLDERS = frozenset(("ul", "ol", "div"))


def _drop_contents_above(root: Any) -> None:
    """Leave out a table of the page's own contents that stands before its first heading: a theme's sidebar (a
    bootstrap theme's, in no <nav> or role) listing the page's headings as links to them, read as a passage of
    their names over every page, often too long for the short-preamble rule (_is_chrome). A list (or a <div>) only of
    links into the page ("#usage"), two or more, with no word of text beside them. Not a list of links to other pages: a page's
    own text may open on one ("these pages replace it: ..."); nor anything after the first heading, the page's own.

    One walk up to the first heading, each list judged when it ends from what its own items and inner lists held:
    judged each by a walk of its own, lists nested thousands deep with a word at the bottom took the square."""
    first = next(root.iter(*_HEADINGS), None)
    # Most pages have no link into the page above their first heading: libxml2 says so without the walk below.
    if first is None or not xpath(first, "preceding::a[@href][starts-with(normalize-space(@href), '#')][1]"):
        return
    # For each open list: [the list, links into the page, whether anything else stood in it, the lists found in it].
    open_lists: list[list[Any]] = []
    found: list[Any] = []
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, tag in walker:
        if tag is first:
            break
        name = tag.tag if isinstance(tag.tag, str) else ""
        if event == "start":
            if name in _CONTENTS_HOLDERS:
                open_lists.append([tag, 0, bool((tag.text or "").strip()), []])
            elif open_lists:
                state = open_lists[-1]
                if name == "a" and tag.get("href") is not None:
                    state[1] += 1
                    state[2] = state[2] or not tag.get("href", "").strip().startswith("#")
                    walker.skip_subtree()  # its end still comes, with its tail
                elif (tag.text or "").strip():
                    state[2] = True
            continue
        if name in _CONTENTS_HOLDERS and open_lists and open_lists[-1][0] is tag:
            _, links, other, inner = open_lists.pop()
            contents = not other and links >= 2
            if open_lists:
                outer = open_lists[-1]
                outer[1] += links
                outer[2] = outer[2] or other or bool((tag.tail or "").strip())
                outer[3].extend([tag] if contents else inner)
            else:
                found.extend([tag] if contents else inner)
        elif open_lists and (tag.tail or "").strip():
            open_lists[-1][2] = True
    for state in open_lists:  # the lists that hold the first heading: not the page's contents, what they held may be
        found.extend(state[3])
    for contents in found:
        _drop_tree(contents)


def _in_text_of(element: Any, inside: dict[Any, bool]) -> bool:
    """Whether ``element`` is or stands in one of _NEVER_BARS. ``inside`` remembers each element's answer, so that
    the bars of a page nested 2,000 deep cost a walk up each once, not once a bar (8 s a megabyte)."""
    path = []
    tag = element
    while tag is not None and tag not in inside:
        if tag.tag in _NEVER_BARS:
            break
        path.append(tag)
        tag = tag.getparent()
    found = tag is not None and (tag.tag in _NEVER_BARS or inside[tag])
    for walked in path:
        inside[walked] = found
    return found


# Where links apart by marks are the page's text, never a theme's bar: a table's cell ("tar.gz | zip" under
# "Files": dropped, the row's later cells moved one column left, under the wrong header), code ("int | None",
# "list[str]" with each type linked, as API docs write them: "Returns  when done."), a definition's text.
_NEVER_BARS = {"td", "th", "code", "pre", "kbd", "samp", "tt", "var", "dt", "dd"}


def _holders_of_content(doc: Any) -> set[Any]:
    """The elements that hold the page's title (an h1) or its main content (main, article, role="main"): never a
    sidebar or a footer. A sidebar's <div id="sidebar"> left unclosed holds the whole page as libxml2 mends it, and
    the page was read empty (probe 19). Each element is marked on the way up once: linear in the page."""
    holders: set[Any] = set()
    # Not a union ("//h1 | //article"): libxml2 merges a union's sets in time of the product of their sizes. The names
    # by libxml2's walk, which tests a name without XPath's node sets, the role by XPath: a set, so in any order.
    for marker in chain(doc.iter("h1", "main", "article"), xpath(doc, f"{_ALL}[@role][@role='main']")):
        tag = marker.getparent()
        while tag is not None and tag not in holders:
            holders.add(tag)
            tag = tag.getparent()
    return holders


def _titled_by_its_id(element: Any) -> bool:
    """Whether an element with a chrome id is a section of the document titled by the word: docutils, Sphinx and
    Pandoc give a section titled "Sidebar" or "Footer" (a theme's manual) the id "sidebar" or "footer"
    (<section id="footer"><h2>Footer</h2>), and it was left out with every section under it (probe 19)."""
    first = next((child for child in element if isinstance(child.tag, str)), None)
    if first is None or first.tag not in _HEADINGS or (element.text or "").strip():
        return False
    return "".join(c for c in text_content(first).casefold() if c.isalnum()) == element.get("id")


# The elements themselves, not their ids' parents: libxml2 keeps a step's results unique by comparing each new one with
# all found so far, and "//@id[...]/.." was quadratic in the elements so named (40,000 of them took 1.8 s, 160,000
# 32 s; probe 19).
_CHROME_BY_ID = f"{_ALL}[@id][" + " or ".join(f"@id='{name}'" for name in _CHROME_IDS) + "]"


# The labels a bar may set before its links, each with a colon: Texinfo's "Next: <a>Rounding</a>, Previous: <a>Nomenclature
# and Types</a>, Up: <a>MPFR Basics</a> &nbsp; [<a>Index</a>]" over (and under) every node of every GNU manual split
# per node (makeinfo's div.header, nav-panel in Texinfo 7). Long link texts give the line 8 words and more, so it was
# read as a sentence (_is_chrome), a chunk of its own at each page's top and the end of its last (walk 30, MPFR).
_BAR_LABELS = frozenset({"next", "previous", "prev", "up", "top", "home", "contents", "index"})
_LABEL_WORDS = re.compile(r"[^\W\d_]+", re.UNICODE)


def _is_link_bar(element: Any) -> bool:
    links = elsewhere = 0
    between = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str):
            if child.tag == "a" and child.get("href") is not None:
                links += 1
                elsewhere += _off_site(child.get("href"))
            elif child.tag != "br":
                return False
        between.append(child.tail or "")
    if links < 2 or 2 * elsewhere > links:
        # A theme's bar goes to the site's own pages; links mostly to other sites ("ftp.de.debian.org | ftp.us.debian.org
        # | ...", a mirrors page; "Related: numpy | pandas") are the page's text: a mirrors page was read as empty (probe 31).
        return False
    marks = "".join("".join(between).split())  # str.split() takes no-break spaces as white space too
    if marks and all(mark in _BAR_SEPARATORS for mark in marks):
        return True
    return _labelled_bar(between)


# Elements that stand in a line of text, not on their own.
_INLINE = {"span", "em", "strong", "b", "i", "u", "s", "small", "big", "mark", "q", "cite", "abbr", "sup", "sub", "font",
           "label", "nobr"}


def _in_sentence(element: Any) -> bool:
    """Whether ``element`` is inline and has words of the line it stands in right beside it: "Shortcuts: <span><a>Ctrl-X</a>
    / <a>Ctrl-C</a></span> cut and copy." lost its links as a bar, the sentence left as "Shortcuts: cut and copy."
    (probe 35). Only its neighbours are looked at: a line of many such elements costs one look each."""
    if element.tag not in _INLINE:
        return False
    before = element.getprevious()  # an element or a comment: its tail is the text just before ``element``
    text_before = before.tail if before is not None else element.getparent().text
    return bool(_LABEL_WORDS.search(text_before or "") or _LABEL_WORDS.search(element.tail or ""))


_SECTION_HEADINGS = ("h2", "h3", "h4", "h5", "h6")


def _under_a_heading(element: Any) -> bool:
    """Whether ``element`` comes right after a section's heading, nothing but white space between: what the heading
    holds ("See also" over "<a>sin</a> | <a>cos</a> | <a>tan</a>", "Older releases" over "1.0 · 1.1 · 1.2"). Dropped
    as a bar, the heading was left over nothing (probe 35). A theme's bar stands above a page's title or below its
    text, not under a section's heading: no bar of the bench's 2,626 HTML pages stands so."""
    before = element.getprevious()
    return (before is not None and before.tag in _SECTION_HEADINGS and not (before.tail or "").strip())


def _off_site(href: str) -> bool:
    """Whether a link goes to another site or an address: a scheme (https:, ftp:, mailto:) or a host (//host/)."""
    href = href.strip()
    return href.startswith("//") or _SCHEME.match(href) is not None


# A URL's scheme: a letter, then letters, digits, "+", "-" or ".", then ":", before any "/", "?" or "#". A colon after
# them is the page's own: "ch2.html#sec:intro" (LaTeX's labels as pandoc writes them), "search.html?q=tag:a" went
# to another site, and a bar of such links was read as the page's text (probe 35).
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def _labelled_bar(between: list[str]) -> bool:
    """Whether the text between a bar's links is only _BAR_LABELS, each before its link with a colon, commas and
    _BAR_SEPARATORS. Any other word is the page's text ("See also: <a>x</a>, <a>y</a>")."""
    labelled = False
    for n, text in enumerate(between):
        words = _LABEL_WORDS.findall(text)
        if any(word.casefold() not in _BAR_LABELS for word in words):
            return False
        if not words and "," in text and 0 < n < len(between) - 1:
            # Links after one label with commas between them are a list the label introduces ("Contents: <a>Installing
            # the pump</a>, <a>Replacing the valve</a>"), the page's text: a bar labels each of its links (probe 31).
            return False
        if words:
            if not text.rstrip().endswith(":"):  # "Next:" before its link; "Next" alone is a word of a sentence
                return False
            labelled = True
        rest = _LABEL_WORDS.sub("", text)
        if any(not mark.isspace() and mark not in _BAR_SEPARATORS and mark != "," for mark in rest):
            return False
    return labelled


def _only_child(element: Any) -> Any:
    """The one element ``element`` holds when it holds no text of its own around it, else None.

    It stops at a second element: asked for a heading once for each link in it, listing all its children each
    time was quadratic (a heading of 7,000 links took 23 s, of 1 MB of them minutes; probe 19)."""
    if (element.text or "").strip():
        return None
    found = None
    for child in element:
        if isinstance(child.tag, str):
            if found is not None:
                return None
            found = child
    if found is None or (found.tail or "").strip():
        return None
    return found


def _to_the_site(link: Any, name: str = "") -> bool:
    """Whether a link goes to another page of the site: not to a place in this page, not to another site or an
    address (git's "Reporting bugs" lists its mailing lists as headings, each a mailto: link).

    A heading that is all such a link, or inside one, is the site's or the section's name over every page
    (<h1><a href="../../index.html">Django 3.2.25 documentation</a></h1>), which headed the page's first
    passage: it is read as a line of text, and the trail and the text of a section are the page's own."""
    href = link.get("href", "").strip()  # browsers take an address without the white space around it
    if name and href.split("#", 1)[0].split("?", 1)[0] in (name, f"./{name}"):
        # The page itself (a post's title linked to its own address, "storks.html"): its title, not the site's. Read
        # as a line, the post lost its title, and the short lines under it (before its first h2) as chrome (probe
        # 19). Only a name without a folder: "../index.html" on an index.html is another page.
        return False
    return bool(href) and not href.startswith("#") and not _off_site(href)


# The classes of a note, tip or warning box (DocBook, Sphinx, MkDocs, AsciiDoc).
_ADMONITIONS = {"note", "tip", "hint", "warning", "caution", "important", "attention", "danger", "admonition",
                "admonitionblock"}


def _in_admonition(heading: Any, boxes: dict[Any, bool]) -> bool:
    """Whether a heading is the label of a note, tip or warning box: the box is its parent or the parent's, and
    holds no other heading of its own (a box's boxes label themselves). ``boxes`` remembers each box's answer.
    A page whose whole content stood in a <div class="note">, its h1 and h2s, was read as one section without
    a heading."""
    for holder in (heading.getparent(), heading.getparent().getparent() if heading.getparent() is not None else None):
        if holder is not None and _is_box(holder):
            if holder not in boxes:
                boxes[holder] = sum(1 for h in holder.iter(*_HEADINGS) if _box_of(h, holder) is holder) <= 1
            return boxes[holder]
    return False


def _is_box(tag: Any) -> bool:
    return bool(_ADMONITIONS & set(str(tag.get("class", "")).split()))


def _box_of(heading: Any, outer: Any) -> Any:
    """The innermost box holding ``heading``, ``outer`` at most."""
    tag = heading.getparent()
    while tag is not None and tag is not outer and not _is_box(tag):
        tag = tag.getparent()
    return tag


# libxml2 counts lines up to 65535 and gives that for every line after it.
_LAST_LINE_KNOWN = 65535


class _Pieces:
    """The page's text as the walk writes it, and the file line of each line of it: the line of the first
    character on it that is not white space (a block's separators, a heading's mark or a table written out
    stand at their element's line; the page's own text runs on from where it starts)."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.sources: list[int | None] = [None]  # the file line of each text line, once something stands on it
        self.end = 1  # the file line where the text added last ends

    def add(self, text: str, line: int, step: int = 0) -> None:
        """``text`` starting at file ``line``; ``step`` 1 for the file's own text (its line breaks are the file's)."""
        self.parts.append(text)
        if text == "\n":  # a block's separator, the commonest piece: what the loop below does with it
            self.sources.append(None)
            if line + step > self.end:
                self.end = line + step
            return
        if "\n" not in text:
            if self.sources[-1] is None and text.strip():
                self.sources[-1] = line
            if line > self.end:
                self.end = line
            return
        segments = text.split("\n")
        sources = self.sources
        if sources[-1] is None and segments[0].strip():
            sources[-1] = line
        # Each line after the first is a new one of the text, at its own line of the file (step 1) or the element's.
        sources.extend([line + step * n if segment.strip() else None for n, segment in enumerate(segments[1:], 1)])
        self.end = max(self.end, line + step * (len(segments) - 1))

    def add_table(self, table: str, rows: list[int]) -> None:
        """A table written out a row a line (``rows``: the file line of each of its rows, in order). Its last
        lines are its rows after the first, one for one; the lines above (a caption, the header row and the
        delimiter) stand at the first row. When rows were merged or left out (a header of two rows, spacer
        rows), the lines are spread over the rows' lines in order."""
        written = table.split("\n")
        above = len(written) - len(rows)
        self.add("\n\n", rows[0])
        for n, line in enumerate(written):
            if n:
                self.add("\n", rows[0])
            if above >= 1:
                self.add(line, rows[max(n - above, 0)])
            else:
                self.add(line, rows[round(n * (len(rows) - 1) / max(len(written) - 1, 1))])
        self.add("\n\n", rows[-1])

    def text(self) -> str:
        return "".join(self.parts)

    def line_sources(self) -> list[int]:
        """The file line of every text line, never before the line above it; a blank one takes the line above."""
        known, lines = 1, []
        for line in self.sources:
            if line is not None and line > known:  # max(known, line or known), without the call
                known = line
            lines.append(known)
        return lines


def _tail_line(tag: Any, after: int) -> int:
    """The file line where the text after an element starts: it runs up to the next element, when there is one;
    it comes ``after`` the text the walk met last, the element's own."""
    following = tag.getnext()
    if following is not None and following.sourceline:
        return max(following.sourceline - tag.tail.count("\n"), after)
    return after


# A link to the element it stands in, shown as a mark: Sphinx's and MkDocs' "headerlink", GitHub's and
# Hugo's "anchor", Docusaurus' "hash-link"; its "¶" would end every heading and definition term.
_PERMALINK_CLASSES = {"headerlink", "anchor", "anchor-link", "anchorjs-link", "hash-link", "header-anchor",
                      "heading-anchor", "anchor-heading", "permalink", "doc-anchor", "headeranchor-link"}
_PERMALINK_TITLE = re.compile(r"permalink|permanent link|link to this|direct link", re.I)


# Pygments' line numbers, whoever runs it (Sphinx's :linenos:, pymdownx.highlight's linenums, a notebook exported with
# them): in its "table" style a cell of numbers beside the code's cell, in its "inline" style a span before each line.
# Read, they were a column of numbers above the code ("1\n2\n3\n\nimport os") or glued to each line ("1import os").
_LINE_NUMBERS = has_class("linenos")


def _drop_line_numbers(doc: Any) -> None:
    # Two steps, not a union: libxml2 merges a union's sets in time of the product of their sizes (probe 19). Only
    # beside or inside code: "linenos" is Pygments' class, but a page's own table may use the word.
    for number in xpath(doc, f"/descendant::table[contains(@class, 'highlighttable')]/descendant::td[{_LINE_NUMBERS}]"):
        if number.getparent() is not None:
            _drop_tree(number)
    # A span before each line is emptied where it stands, not dropped: dropping moves its tail onto the element before,
    # which grows by a line each time in a listing of plain text (no other spans), and a log of 20,000 numbered lines
    # took 11 s to read, 100,000 minutes (probe 20).
    for number in xpath(doc, f"//pre//span[{_LINE_NUMBERS}]"):
        number.clear(keep_tail=True)
    # Other highlighters draw the same gutter without Pygments' class: YARD's <pre class="lines"> (every Ruby gem's
    # "View source"), Rouge's "rouge-gutter" (Jekyll), a theme's own. Known by its shape: a cell holding only a <pre>
    # of numbers, beside a cell holding the code's <pre>. YARD's came out as "373 374 375 376" above each method's source.
    for cell in xpath(doc, "//tr/td[pre][following-sibling::td[1][.//pre] or preceding-sibling::td[1][.//pre]]"):
        if len(cell) == 1 and not (cell.text or "").strip() and not (cell[0].tail or "").strip() \
                and cell.getparent() is not None \
                and _counts_lines("".join(cell[0].itertext()), _listing_lines(xpath(cell, _BESIDE_LISTING))):
            _drop_tree(cell)


# The <pre> of the cell beside a gutter's: after it (YARD's, Rouge's), else before it
_BESIDE_LISTING = "(following-sibling::td[1][.//pre] | preceding-sibling::td[1][.//pre])[last()]/descendant::pre[1]"


def _listing_lines(pres: list[Any]) -> int:
    """The lines of the listing, its blank ones at the ends too (a gutter may number them)."""
    return max(("".join(pre.itertext()).count("\n") + 1 for pre in pres), default=0)


def _counts_lines(text: str, listing_lines: int) -> bool:
    """Two numbers or more, a line each, each one more than the one before and no more of them than the listing
    beside has lines: a gutter counts lines ("373 374 375"); a cell of values ("12 40 7") beside a listing is the
    page's, and so are years or counts in a row ("2019 2020 2021" on a line, "17" and "18" beside one command: both
    were dropped as a gutter; probe 38)."""
    lines = [line.strip() for line in text.strip("\n").split("\n") if line.strip()]
    return 2 <= len(lines) <= listing_lines and all(n.isdigit() for n in lines) and len(lines[0]) <= 9 \
        and all(int(b) == int(a) + 1 for a, b in zip(lines, lines[1:]))


# HTML a browser ends an open <svg> at (HTML's "breakout" start tags in foreign content), outside a <foreignObject>.
# All of HTML's list: an unclosed <svg> before "<em>Note:</em> ..." or "<b>...</b>" lost them (probe 24).
_SVG_BREAKOUT = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "p", "div", "ul", "ol", "li", "dl", "dt", "dd", "pre",
                           "table", "blockquote", "br", "span", "code", "img", "hr", "b", "big", "center", "em", "embed",
                           "i", "listing", "menu", "nobr", "ruby", "s", "small", "strike", "strong", "sub", "sup", "tt",
                           "u", "var"})


# Where a drawing holds HTML of its own, which stays inside it (HTML's integration points): a <foreignObject>, and its
# <desc> and <title>, which no browser shows: "<desc><p>Internal chart notes</p></desc>" was read as the page's text
# (probe 26).
_SVG_HTML = frozenset({"foreignobject", "desc", "title"})


def _svg_breakouts(doc: Any) -> list[Any]:
    """The elements of _SVG_BREAKOUT inside an <svg> and in no <foreignObject>, in document order, by one walk. The
    XPath that found them ("//svg//*[...][not(ancestor::foreignobject)]") took 63 s for a page of 2,000 unclosed
    <svg> icons, each nested in the one before (probe 24)."""
    found, svgs, foreign = [], 0, 0
    for event, element in etree.iterwalk(doc, events=("start", "end")):
        tag = element.tag
        if event == "start":
            if svgs and not foreign and tag in _SVG_BREAKOUT:
                found.append(element)
            svgs, foreign = svgs + (tag == "svg"), foreign + (tag in _SVG_HTML)
        else:
            svgs, foreign = svgs - (tag == "svg"), foreign - (tag in _SVG_HTML)
    return found


def _close_open_svgs(doc: Any) -> None:
    """An <svg> left open (its "</svg>" forgotten) ends, as in a browser, at the first HTML block in it: libxml2 put the
    rest of the page inside, and the reader, which leaves inline icons out, lost all of it (probe 22)."""
    if next(doc.iter("svg"), None) is None:  # most pages: the walk looking for breakouts is Python's, this libxml2's
        return
    for first in _svg_breakouts(doc):
        svg = next((a for a in first.iterancestors() if a.tag == "svg"), None)
        if svg is None or svg.getparent() is None:
            continue  # moved out already, with an earlier one
        while (outer := next((a for a in svg.iterancestors() if a.tag == "svg"), None)) is not None:
            svg = outer  # an open <svg> in an open <svg>: the browser leaves both
        moved, node = [], first
        while node is not svg:  # the element, what follows it, then what follows each of its containers in the svg
            moved += ([node] if node is first else []) + list(node.itersiblings())
            node = node.getparent()
        anchor = svg
        for element in moved:
            anchor.addnext(element)
            anchor = element


def _drop_permalinks(doc: Any) -> None:
    # A mark is a character or two (an emoji, a zero-width space): libxml2 finds those links, not Python.
    for link in xpath(doc, "/descendant::a[string-length(normalize-space(.)) <= 2]"):
        text = text_content(link)
        marked = _PERMALINK_CLASSES & set(link.get("class", "").split()) or _PERMALINK_TITLE.search(
            f"{link.get('title', '')} {link.get('aria-label', '')}")
        if not only_marks(text) and not (marked and _icon_glyphs(text)):
            continue
        if marked or (text.strip() and link.get("href", "").startswith("#")):
            _drop_tree(link)


def _drop_source_links(doc: Any) -> None:
    """Leave out Sphinx's viewcode links: "[source]" after every API entry's signature (django's reference, 753
    chunks of the bench's), a word of no page's content that search and answers quoted with the signature."""
    for mark in xpath(doc, "/descendant::span[contains(@class, 'viewcode-link')]"
                           f"[{has_class('viewcode-link')}]"):
        link = mark.getparent()
        if link is not None and link.tag == "a" and not (link.text or "").strip() and len(link) == 1 \
                and not (mark.tail or "").strip() and link.getparent() is not None:
            _drop_tree(link)
        elif mark.getparent() is not None:
            _drop_tree(mark)


def _icon_glyphs(text: str) -> bool:
    """Whether ``text`` is an icon font's glyphs: characters of Unicode's private use area, which mean nothing but in
    the font (MkDocs' own theme marks its permalinks with Font Awesome's link icon, U+F0C1: every heading of its
    pages read "Installation\uf0c1", and their passages' trails with them)."""
    glyphs = "".join(text.split())
    return bool(glyphs) and all(unicodedata.category(c) == "Co" for c in glyphs)


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


# What a documentation generator adds to every page's <title>: Sphinx's "Tasks — Celery 5.2.6 documentation", a theme's
# "URL dispatcher | Django documentation". It headed the trail of every section of a page without an h1 (Black's
# manual: "Black classes — Black 23.1.0 documentation > Enums > Mode").
# The suffix holds no spaced separator of its own: Furo's "Client - Server setup - MyLib 1.0 documentation" was "Client".
# A title of the suffix alone (a page whose title is empty: " — Celery 5.2.6 documentation") heads nothing.
_SITE_SUFFIX = re.compile(r"(?:^|\s+)[—–|·-]\s+(?:(?!\s[—–|·-]\s)[^—–|·])*\bdocumentation(?:\s*\([^()]*\))?\s*$", re.I)
_SUFFIX_CHARS = 200  # the longest site suffix looked for
# Sphinx's title of a page that has none.
_NO_TITLE = "<no title>"


def _title_of(doc: Any) -> str:
    # Not an inline SVG icon's <title> ("Copy", "GitHub"): on a page without one of its own it headed every section.
    found = next(iter(xpath(doc, "(/descendant::title[not(ancestor::svg)])[1]")), None)
    title = text_content(found).strip() if found is not None else ""
    # Looked for in the title's end alone: over a whole title the pattern backtracked at every " - " (64 KB of them: 22 s).
    # Searched from there, "^" is still the title's own start only.
    suffix = _SITE_SUFFIX.search(title, max(len(title) - _SUFFIX_CHARS, 0))
    title = title[:suffix.start()] if suffix else _without_site_name(title, doc)
    if title.endswith(")") and _is_texinfo(doc):
        title = _without_manual_name(title)
    # Nor does one without a letter or digit: a broken build's ")" or "}" (Debian's Black manual, its MyST unconverted).
    return "" if title == _NO_TITLE or not has_words(title) else title


# Texinfo titles each node's page "Node (Manual)": "Rounding (GNU MPFR 4.2.0)". The manual's name headed the trail of every
# section of a page whose first heading is not the node's name in the same words ("Getting the Best Efficiency Out
# of MPFR (GNU MPFR 4.2.0) > 4.8 Getting the Best ...") where the others' were "4.4 Rounding" (walk 30).
_MANUAL_NAME = re.compile(r"\s+\(([^()]*)\)\s*$")
# The generator meta Texinfo writes ("makeinfo", "makeinfo 4.13", "texi2any"; texi2html's older "texi2html 1.82"), its
# name spelt "Generator" by Texinfo 6 and 7: lxml keeps an attribute's value as written.
_GENERATOR = "/descendant::meta[@name][translate(@name, 'GENRATO', 'genrato') = 'generator']/@content"


def _is_texinfo(doc: Any) -> bool:
    return any(str(content).strip().lower().startswith(("makeinfo", "texi2any", "texi2html"))
               for content in xpath(doc, _GENERATOR))


def _without_manual_name(title: str) -> str:
    """A Texinfo page's title without the manual's name; the Top node's page (the manual's first) is the manual's."""
    found = _MANUAL_NAME.search(title)
    if found is None or not has_words(title[:found.start()]):
        return title
    node = title[:found.start()].strip()
    return found.group(1).strip() if node.casefold() == "top" and has_words(found.group(1)) else node


# Where a title's last parts start: MkDocs' themes write "Routers - Django REST framework", others " | " or " — ".
_TITLE_PARTS = re.compile(r"\s+[—–|·-]\s+")
# The elements a site names itself by: a link to its home page (its text, or the title of a logo), and its meta tags.
# Two steps, not a union: libxml2 merges a union's sets in time of the product of their sizes (probe 19).
_NAMERS = ("/descendant::a[@href][string-length(@href) < 200]",
           "/descendant::meta[@property='og:site_name' or @name='application-name']")


def _without_site_name(title: str, doc: Any) -> str:
    """``title`` without the site's name after it: "Routers - Django REST framework" is "Routers" when the page links to
    its home page by the name "Django REST framework" (MkDocs' themes all do, from the header or the logo). The name
    headed every section under a page's second top-level heading ("Routers - Django REST framework > Custom Routers")
    where the first's were "Routers > ..."; a name that is not the site's, as the page shows it, stays."""
    tail = max(len(title) - _SUFFIX_CHARS, 0)
    cuts = list(_TITLE_PARTS.finditer(title, tail))
    if not cuts:
        return title
    names = _site_names(doc)
    for cut in cuts:  # the longest ending first: a site's name may hold " - " of its own
        if _name_key(title[cut.end():]) in names and has_words(title[:cut.start()]):
            return title[:cut.start()]
    return title


def _site_names(doc: Any) -> set[str]:
    names = set()
    for element in chain(*(xpath(doc, expression) for expression in _NAMERS)):
        if element.tag == "meta":
            names.add(_name_key(element.get("content", "")))
        elif _to_home(element.get("href", "")):
            names.update(_name_key(name) for name in (text_content(element), element.get("title", ""),
                                                      element.get("aria-label", "")))
    names.discard("")
    return names


def _name_key(name: str) -> str:
    """A name as compared, without white space: a header's "Stork<br>Framework" reads "StorkFramework"."""
    return "".join(name.split()).casefold()


def _to_home(href: str) -> bool:
    """Whether a link goes to the site's home page, as its header's name or logo does: up the tree to an index (".",
    "..", "../../index.html") or to the root of a site ("/", "https://example.org/")."""
    href = href.strip().split("#", 1)[0].split("?", 1)[0]
    if "://" in href:
        path = href.split("://", 1)[1].partition("/")[2]
        return path in ("", "index.html", "index.htm")
    if not href:
        return False  # this page itself
    parts = href.split("/")
    if parts[-1] in ("", "index.html", "index.htm"):
        parts.pop()
    if parts and parts[0] == "":  # from the root: "/" or "/index.html"
        parts.pop(0)
    return all(part in (".", "..") for part in parts)


def _flat_text(markup: str) -> str:
    """The page's text by a streaming parse (linear, no tree), blocks on lines of their own."""
    from html.parser import HTMLParser

    pieces: list[str] = []
    skipping: list[str] = []

    class _Text(HTMLParser):
        def handle_starttag(self, tag: str, attrs: Any) -> None:
            # An <svg> left open ends at the first HTML block in it, as in a browser and in the tree (_close_open_svgs):
            # here it dropped the rest of the page, nested too deep for the tree to hold it (probe 24).
            while skipping and skipping[-1] == "svg" and tag in _SVG_BREAKOUT:
                skipping.pop()
            if skipping and skipping[-1] == "svg" and tag in _SVG_HTML:
                skipping.append(tag)  # HTML in the drawing's own <foreignObject> or <desc> stays inside it
            elif tag in _DROP or tag == "title":
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
    """The page's main content: its <main>, else the element of role main, its <article>, its <body>, the first of each
    in document order. The names by libxml2's walk, which stops at the first (an XPath search went through every page
    whole, four times on a page of neither)."""
    found = next(doc.iter("main"), None)
    if found is None:
        found = next(iter(xpath(doc, f"{_ALL}[@role][@role='main']")), None)
    if found is None:
        found = next(doc.iter("article"), None)
    if found is None:
        found = next(doc.iter("body"), None)
    return doc if found is None else found


def _split_marked(text: str, lines: list[int], title: str, sources: list[int] | None = None,
                  apart: set[int] | None = None) -> list[Section]:
    """Sections at the marked headings; the page title heads every trail it does not merely repeat.
    ``sources``: the file line of each line of ``text``, when known; ``apart``: the numbers of the headings whose
    sections are units of their own."""
    sections: list[Section] = []
    trail = HeadingStack(title)
    heading, start = short_heading(title), 1
    preamble = True
    alone = False

    def flush(body_text: str, at: list[int], chrome_possible: bool) -> None:
        blanked = _BLANK_RUNS.sub(" ", body_text)  # once: the text and its line map are both made of it
        tidied = _tidy_lines(blanked)
        body = _spaces_put_back(tidied)
        if body and not (preamble and chrome_possible and _is_chrome(body)):
            line_map = _tidied_lines(blanked, at, tidied) if sources is not None else None
            sections.append(Section(body, start, heading, kind="html", line_map=line_map, apart=alone))
            trail.title_has_text = trail.title_has_text or preamble

    # A heading's mark always starts a line of its own (the walk writes a line break before it), and nothing else
    # holds a NUL: cut there, a section's text is one slice of the page's, not its lines looked at one by one.
    parts = text.split(f"\n{_MARK}")
    body_text, line = parts[0], parts[0].count("\n") + 1  # the text before the first heading, the lines it takes
    at = sources[:line] if sources is not None else []
    for part in parts[1:]:
        flush(body_text, at, chrome_possible=True)  # text before the first heading may be site chrome
        preamble = False
        count = part.count("\n") + 1
        at = sources[line:line + count] if sources is not None else []
        line += count
        number, level, body_text = part.split(":", 2)  # the heading's text, then the lines under it
        heading, start = trail.enter(int(level), body_text.split("\n", 1)[0]), lines[int(number)]
        alone = apart is not None and int(number) in apart
    flush(body_text, at, chrome_possible=False)  # a page without headings is all content, however short
    return sections


def _tidied_lines(blanked: str, sources: list[int], body: str) -> tuple[int, ...]:
    """The file line of each line of ``body``, which ``_tidy_lines`` made of ``blanked`` (its lines at
    ``sources``): it keeps their order and only drops blank ones and white space, so each of its lines is the
    next one of theirs that reads the same (found by ``list.index``, in C: most are the very next)."""
    tidied = list(map(str.strip, blanked.split("\n")))  # map: each line stripped in C, without a frame of Python's
    find = tidied.index
    last = len(sources) - 1
    whole = last >= len(tidied) - 1  # a line of theirs always has its source (so far, always: one a line of the text)
    mapped: list[int] = []
    keep = mapped.append
    n = 0
    for wanted in map(str.strip, body.split("\n")):
        try:
            n = find(wanted, n)
        except ValueError:  # none of theirs reads so: the line stands where the last one found left off
            keep(sources[min(n, last)])
            continue
        keep(sources[n] if whole else sources[min(n, last)])
        n += 1
    return tuple(mapped)


def _is_chrome(preamble: str) -> bool:
    """Text before a page's first heading with no sentence in it is site chrome (menus, Prev/Next
    bars, taglines) repeated on every page; indexed, it matches every query a little."""
    lines = [line for line in preamble.splitlines() if line.strip()]
    return len(preamble) < 1500 and not any(len(line.split()) >= 8 for line in lines)


def _broken_text(element: Any) -> list[str]:
    """An element's text (as ``text_content`` gives it) in the parts its <br> tags break it into. A heading's
    or a code block's text is taken whole, and the <br> in it was lost: <pre>ls -la<br>cd /srv</pre> was read
    "ls -lacd /srv", <h1>Release<br>notes</h1> "Releasenotes"."""
    # Each part's pieces are joined at the end: a string grown in a list is copied at every piece, and a code block of
    # many highlighted spans (20,000 lines) took seconds, four times as many lines ten times as long (probe 20).
    parts: list[list[str]] = [[]]
    for event, tag in etree.iterwalk(element, events=("start", "end")):
        if event == "start":
            if tag.tag == "br":
                parts.append([])
            elif tag.text and isinstance(tag.tag, str):
                parts[-1].append(tag.text)
        elif tag is not element and tag.tail:
            parts[-1].append(tag.tail)
    return ["".join(part) for part in parts]


_EMPTY_LINE = "\x03"  # a stand-in for a blank line of code, which _tidy_lines would collapse with the next


def _spaces_kept(code: str) -> str:
    """A code block's spaces and tabs as stand-ins that _BLANK_RUNS and _tidy_lines leave alone."""
    return code.replace(" ", "\x01").replace("\t", "\x02")


def _spaces_put_back(text: str) -> str:
    """The stand-ins of ``_spaces_kept`` and ``_blank_lines_kept`` as what they stand for. Replaced one by one: a
    ``str.translate`` that lengthens or deletes looks every character up in a dict, 20 times as slow."""
    return text.replace("\x01", " ").replace("\x02", "    ").replace(_EMPTY_LINE, "")
_BETWEEN_NEWLINES = re.compile(r"(?<=\n)(?=\n)")


def _blank_lines_kept(code: str) -> str:
    """A <pre>'s text with each blank line between its first and last lines of code marked, so that it stays:
    a code block's blank lines are part of it (two between functions), and each kept keeps the lines under it
    at their file lines. The line breaks around the code are a page's layout, collapsed as any."""
    first, last = len(code) - len(code.lstrip("\n")), len(code.rstrip("\n"))
    return code[:first] + _BETWEEN_NEWLINES.sub(_EMPTY_LINE, code[first:last]) + code[last:]


# A run of blanks but a single space, which stays as it is: the same text as every run replaced by a space, with a
# tenth of the replacements (most of a page's blanks are single spaces between words).
_BLANK_RUNS = re.compile(r" [ \t\r\f\v\u00a0]+|[\t\r\f\v\u00a0][ \t\r\f\v\u00a0]*")
# "\n{3,}" written with its first line breaks as letters: the regex engine then looks for them as a string, at a fifth
# of the time it took to try the repeat at every character (the same matches).
_NEWLINES = re.compile(r"\n\n\n+")


def _tidy_lines(blanked: str) -> str:
    """Text whose runs of blanks ``_BLANK_RUNS`` made single spaces, its lines stripped of them, at most one blank line
    in a row; code's kept spaces not yet put back (``_split_marked`` does). Line by line rather than by a pattern
    matching at every line break; the text's ends are stripped of all white space after."""
    if "  " in blanked:  # not as _BLANK_RUNS left it: line by line
        text = "\n".join([line.strip(" ") for line in blanked.split("\n")])
    else:
        # A line's blanks are one space at most at either end: two replacements strip every line, where a split, a
        # strip of each line and a join took three times as long.
        text = blanked.replace(" \n", "\n").replace("\n ", "\n")
    if "\n\n\n" in text:
        text = _NEWLINES.sub("\n\n", text)
    return text.strip()


def read_html(path: Path, data: bytes) -> list[Section]:
    return html_sections(decode(data), path.name)
