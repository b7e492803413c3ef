"""A Doxygen page's text as its reader means it: its chrome left out, its title a heading, its declarations and
code as lines. Only for a page Doxygen wrote (its ``<meta name="generator" content="Doxygen ...">``): the ids
and classes below are Doxygen's own names, every version since 1.8, and another site's may mean other things."""

from __future__ import annotations

import re
from typing import Any

from jupyter_docchat.indexing.readers.html_tables import text_content
from jupyter_docchat.indexing.readers.xpath import xpath

# The title area (project name, number, brief and logo, or a custom HTML_HEADER's), the menu tabs and the search
# box: all in div#top, on every page. The navigation tree beside the page, the trail of its place in the
# namespaces and folders ("Json > StreamWriterBuilder"), and the footer ("Generated on ... by doxygen 1.9.1").
_CHROME_IDS = ("top", "titlearea", "main-nav", "side-nav", "nav-tree", "nav-path", "MSearchBox",
               "MSearchSelectWindow", "MSearchResultsWindow")
# navpath: the trail; footer: hr.footer, address.footer and the trail's li.footer; summary: the links to the
# page's sections ("Public Member Functions | ... | List of all members"); ttc: a code block's tooltips, the
# declaration and brief of every name it links, hidden until the pointer is over it; permalink: the "◆"
# before each member's heading; reference, referencedby: who a function calls and who calls it, lists of links.
# dynheader, dyncontent: a diagram's caption ("Inheritance diagram for X:", "Include dependency graph for x.h:")
# and its image; ingroups: the groups a group page is in, glued to its title ("DeserializerMessagePack C"). In the
# lists of classes, files and namespaces: levels, the "[detail level 123]" selector; arrow and icona, each
# entry's fold mark and letter, glued to its name ("▼NJson", "CFeatures").
_CHROME_CLASSES = ("navpath", "footer", "summary", "ttc", "permalink", "reference", "referencedby", "dynheader",
                   "dyncontent", "ingroups", "levels", "arrow", "icona")
_LABEL_SEPARATORS = re.compile(r"\s*([(),])\s*")


def _lists_files(items: Any) -> bool:
    """Whether a list's every item is one file's name or path (no space in it)."""
    names = [" ".join(text_content(item).split()) for item in items if isinstance(item.tag, str)]
    return bool(names) and all(name and " " not in name for name in names)


def is_doxygen(doc: Any) -> bool:
    """Whether the page's generator is Doxygen."""
    return any(str(content).lstrip().lower().startswith("doxygen")
               for content in xpath(doc, "//meta[@name='generator']/@content"))


def tidy_doxygen(doc: Any, drop: Any) -> str:
    """Rewrite a Doxygen page in place for reading: ``drop`` removes an element (its tail kept). Returns the
    page's title as its heading reads ("" when it has none): the <title>'s is the project's name and it
    ("Widgets: wdg::Gauge Class Reference"), which headed every passage above the heading that repeats it."""
    from lxml import etree

    ids = " or ".join(f"@id='{name}'" for name in _CHROME_IDS)
    classes = " or ".join(f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')" for name in _CHROME_CLASSES)
    for tag in xpath(doc, f"//*[{ids} or {classes}]"):
        if tag.getparent() is not None:
            drop(tag)
    # "More..." after a brief, a link to the same words under Detailed Description
    for link in xpath(doc, "//a[normalize-space(.)='More...']"):
        if link.getparent() is not None:
            drop(link)
    heading = ""
    # A file page's "Go to the source code of this file.": a link to the file's listing, a paragraph of its own
    for link in xpath(doc, "//a[substring(@href, string-length(@href) - 11) = '_source.html']"):
        holder = link.getparent()
        if holder is not None and holder.getparent() is not None and len(holder) == 1 \
                and not (holder.text or "").strip() and not (link.tail or "").strip():
            drop(holder)
    # The end of a class's page: a rule, "The documentation for this class was generated from the following files:"
    # and a list of them, the same sentence on every class and struct page (the page says what to #include).
    for rule in xpath(doc, "//div[contains(concat(' ', normalize-space(@class), ' '), ' contents ')]/hr[not(@class)]"):
        files = rule.getnext()
        # Only a sentence ending in ":" over a list of file names (Doxygen's, in any language): a page's own rule
        # over a closing paragraph and list is content (a \page's "---" is an <hr>).
        if files is not None and files.tag == "ul" and files.getnext() is None \
                and (rule.tail or "").strip().endswith(":") and _lists_files(files):
            rule.tail = None
            drop(files)
            drop(rule)
    # The page's title is a div, not a heading: "Json::Value Class Reference" headed none of the page's passages.
    for title in xpath(doc, "//div[contains(concat(' ', normalize-space(@class), ' '), ' headertitle ')]"
                            "/div[contains(concat(' ', normalize-space(@class), ' '), ' title ')]"):
        title.tag = "h1"
        # its labels ("abstract", "final", "template") were glued to it: "Json::CharReader Class Referenceabstract"
        for labels in xpath(title, ".//*[contains(concat(' ', normalize-space(@class), ' '), ' mlabels ')]"):
            words = [" ".join(text_content(label).split()) for label in xpath(labels,
                ".//*[contains(concat(' ', normalize-space(@class), ' '), ' mlabel ')]")]
            labels.tail = f" [{', '.join(word for word in words if word)}]{labels.tail or ''}"
            for child in list(labels):
                labels.remove(child)
            labels.text = None
        heading = heading or " ".join(text_content(title).split())
    # A member's declaration is a table of its return type and name, "(", each parameter's type and name a row,
    # ")" and its qualifiers, and its labels (static, inline, override) beside: one line of C++.
    for proto in xpath(doc, "//div[contains(concat(' ', normalize-space(@class), ' '), ' memproto ')]"):
        template = " ".join(" ".join(text_content(t).split()) for t in xpath(proto,
            ".//div[contains(concat(' ', normalize-space(@class), ' '), ' memtemplate ')]"))
        cells = [" ".join(text_content(cell).split()) for table in xpath(proto, ".//table[@class='memname']")
                 for cell in table.iter("td")]
        if not cells:
            continue
        declaration = _LABEL_SEPARATORS.sub(lambda m: m.group(1) if m.group(1) != "," else ", ",
                                            " ".join(cell for cell in cells if cell)).replace(")const", ") const")
        declaration = re.sub(r"\)(?=\w)", ") ", declaration)
        labels = [" ".join(text_content(label).split()) for label in xpath(proto,
            ".//*[contains(concat(' ', normalize-space(@class), ' '), ' mlabel ')]")]
        line = " ".join(part for part in (template, declaration) if part)
        if labels:
            line += f" [{', '.join(label for label in labels if label)}]"
        for child in list(proto):
            proto.remove(child)
        proto.text = None
        code = etree.SubElement(proto, "pre")
        code.text, code.sourceline = line, proto.sourceline
    # An enum's values, a struct's fields: a table under one cell spanning it ("Enumerator"), which was read as the
    # header of every column ("| Enumerator | Enumerator |"). It is the table's caption.
    for table in xpath(doc, "//table[contains(concat(' ', normalize-space(@class), ' '), ' fieldtable ')]"):
        first = xpath(table, "(./tr | ./tbody/tr)[1]")
        spanning = [cell for cell in first[0] if isinstance(cell.tag, str)] if first else []
        if len(spanning) == 1 and spanning[0].tag == "th" and spanning[0].get("colspan", "1") != "1":
            caption = etree.Element("caption")
            caption.text, caption.sourceline = " ".join(text_content(spanning[0]).split()), first[0].sourceline
            first[0].getparent().remove(first[0])
            table.insert(0, caption)
    # A code block is a div of divs, one a line, their spaces kept by the stylesheet: read as <pre>, its
    # indentation and its lines are the code's (a string of three spaces was read as one), without the line
    # numbers of a source listing.
    for fragment in xpath(doc, "//div[contains(concat(' ', normalize-space(@class), ' '), ' fragment ')]"):
        for number in xpath(fragment, ".//*[contains(concat(' ', normalize-space(@class), ' '), ' lineno ')]"):
            if number.tail and number.tail[0] == "\u00a0":  # the space Doxygen up to 1.9.4 put after the number
                number.tail = number.tail[1:]
            drop(number)
        lines = [text_content(line).replace("\u00a0", " ").rstrip() for line in xpath(fragment,
            ".//div[contains(concat(' ', normalize-space(@class), ' '), ' line ')]")]
        if not lines:
            continue
        code = etree.Element("pre")
        code.text, code.sourceline = "\n".join(lines), fragment.sourceline
        code.tail = fragment.tail
        fragment.getparent().replace(fragment, code)
    return heading
