"""A Doxygen page's text as its reader means it: its chrome left out, its title a heading, its declarations and
code as lines. Only for a page Doxygen wrote (its ``<meta name="generator" content="Doxygen ...">``): the ids
and classes below are Doxygen's own names, every version since 1.8, and another site's may mean other things."""

from __future__ import annotations

import re
from typing import Any

from jupyter_docchat.indexing.readers.html_tables import text_content
from jupyter_docchat.indexing.readers.xpath import has_class, xpath

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
# entry's fold mark and letter, glued to its name ("▼NJson", "CFeatures"). definition: "Definition at line 40 of file
# gauge.h.", under each member with the source browser on (386 of libjsoncpp-doc's passages), a link into the source
# listings, which are not read; the page's title and trail name the file or class the member is in.
_CHROME_CLASSES = ("navpath", "footer", "summary", "ttc", "permalink", "reference", "referencedby", "dynheader",
                   "dyncontent", "ingroups", "levels", "arrow", "icona", "definition")
_WORD = re.compile(r"\w*[^\W\d]\w*")  # a word holding a letter: a pure virtual's "= 0" says nothing the label does not
_LABEL_SEPARATORS = re.compile(r"\s*([(),])\s*")
_VALUE_GAP = "\u00a0" * 3
_KEPT_SPACE = "\x00"  # no white space to the separators above, and never in a page's text (the reader's own mark)


def _lists_files(items: Any) -> bool:
    """Whether a list's every item is one file's name or path (no space in it)."""
    names = [" ".join(text_content(item).split()) for item in items if isinstance(item.tag, str)]
    return bool(names) and all(name and " " not in name for name in names)


def is_doxygen(doc: Any) -> bool:
    """Whether the page's generator is Doxygen."""
    return any(str(content).lstrip().lower().startswith("doxygen")
               for content in xpath(doc, "//meta[@name='generator']/@content"))


def is_member_heading(heading: Any) -> bool:
    """Whether a heading of a Doxygen page is a member's (its function, macro, type or variable's name, over its
    declaration and documentation)."""
    return _of_class(heading, "memtitle")


def tidy_doxygen(doc: Any, drop: Any) -> str:
    """Rewrite a Doxygen page in place for reading: ``drop`` removes an element (its tail kept). Returns the
    page's title as its heading reads ("" when it has none): the <title>'s is the project's name and it
    ("Widgets: wdg::Gauge Class Reference"), which headed every passage above the heading that repeats it."""
    from lxml import etree

    ids = " or ".join(f"@id='{name}'" for name in _CHROME_IDS)
    classes = " or ".join(has_class(name) for name in _CHROME_CLASSES)
    for tag in xpath(doc, f"//*[{ids} or {classes}]"):
        if tag.getparent() is not None:
            drop(tag)
    _drop_repeated_brief(doc, drop)
    # "More..." after a brief, a link to the same words under Detailed Description
    for link in xpath(doc, "//a[normalize-space(.)='More...']"):
        if link.getparent() is not None:
            drop(link)
    _drop_obfuscation(doc, drop)
    _drop_documented_summaries(doc, drop)
    _drop_labels_over_members(doc, drop)
    _parameters_as_lines(doc)
    # In the lists of files and classes, an entry without documentation is in bold ("<b>lmdb.h</b>"); as the list's
    # first row, with no description beside it, it was taken for the table's header (a row all in bold), over the rest.
    for bold in xpath(doc, f"//table[{has_class('directory')}]"
                           f"//td[{has_class('entry')}]//b"):
        bold.tag = "span"
    heading = ""
    # A file page's "Go to the source code of this file.": a link to the file's listing, a paragraph of its own
    for link in xpath(doc, "//a[substring(@href, string-length(@href) - 11) = '_source.html']"):
        holder = link.getparent()
        if holder is not None and holder.getparent() is not None and len(holder) == 1 \
                and not (holder.text or "").strip() and not (link.tail or "").strip():
            drop(holder)
    # The end of a class's page: a rule, "The documentation for this class was generated from the following files:"
    # and a list of them, the same sentence on every class and struct page (the page says what to #include).
    for rule in xpath(doc, f"//div[{has_class('contents')}]/hr[not(@class)]"):
        files = rule.getnext()
        # Only a sentence ending in ":" over a list of file names (Doxygen's, in any language): a page's own rule
        # over a closing paragraph and list is content (a \page's "---" is an <hr>).
        if files is not None and files.tag == "ul" and files.getnext() is None \
                and (rule.tail or "").strip().endswith(":") and _lists_files(files):
            rule.tail = None
            drop(files)
            drop(rule)
    # The page's title is a div, not a heading: "Json::Value Class Reference" headed none of the page's passages.
    for title in xpath(doc, f"//div[{has_class('headertitle')}]"
                            f"/div[{has_class('title')}]"):
        title.tag = "h1"
        # its labels ("abstract", "final", "template") were glued to it: "Json::CharReader Class Referenceabstract"
        for labels in xpath(title, f".//*[{has_class('mlabels')}]"):
            words = [" ".join(text_content(label).split()) for label in xpath(labels,
                f".//*[{has_class('mlabel')}]")]
            labels.tail = f" [{', '.join(word for word in words if word)}]{labels.tail or ''}"
            for child in list(labels):
                labels.remove(child)
            labels.text = None
        heading = heading or " ".join(text_content(title).split())
    # A member's declaration is a table of its return type and name, "(", each parameter's type and name a row,
    # ")" and its qualifiers, and its labels (static, inline, override) beside: one line of C++.
    for proto in xpath(doc, f"//div[{has_class('memproto')}]"):
        template = " ".join(" ".join(text_content(t).split()) for t in xpath(proto,
            f".//div[{has_class('memtemplate')}]"))
        # A macro's name and its value are three no-break spaces apart ("#define MDB_KEYEXIST&#160;&#160;&#160;(-30799)"),
        # kept apart: the value in brackets was glued to the name as a function-like macro's parameters.
        cells = [" ".join(text_content(cell).replace(_VALUE_GAP, f" {_KEPT_SPACE} ").split())
                 for table in xpath(proto, ".//table[@class='memname']") for cell in table.iter("td")]
        if not cells:
            continue
        declaration = _LABEL_SEPARATORS.sub(lambda m: m.group(1) if m.group(1) != "," else ", ",
                                            " ".join(cell for cell in cells if cell)).replace(")const", ") const")
        declaration = " ".join(re.sub(r"\)(?=\w)", ") ", declaration).replace(_KEPT_SPACE, " ").split())
        labels = [" ".join(text_content(label).split()) for label in xpath(proto,
            f".//*[{has_class('mlabel')}]")]
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
    for table in xpath(doc, f"//table[{has_class('fieldtable')}]"):
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
    for fragment in xpath(doc, f"//div[{has_class('fragment')}]"):
        for number in xpath(fragment, f".//*[{has_class('lineno')}]"):
            if number.tail and number.tail[0] == "\u00a0":  # the space Doxygen up to 1.9.4 put after the number
                number.tail = number.tail[1:]
            drop(number)
        lines = [text_content(line).replace("\u00a0", " ").rstrip() for line in xpath(fragment,
            f".//div[{has_class('line')}]")]
        if not lines:
            continue
        code = etree.Element("pre")
        code.text, code.sourceline = "\n".join(lines), fragment.sourceline
        code.tail = fragment.tail
        fragment.getparent().replace(fragment, code)
    return heading


def _of_class(element: Any, name: str) -> bool:
    return name in (element.get("class") or "").split()


def _drop_repeated_brief(doc: Any, drop: Any) -> None:
    """A page's brief over its summary, which its "Detailed Description" opens with again (Doxygen's REPEAT_BRIEF):
    the same sentence twice in the page's first passage ("BerkeleyDB uses -30800 to -30999, we'll go under them."
    over "Detailed Description" and it). Left out where the description does open with it, word for word."""
    for link in xpath(doc, "//a[@href='#details'][normalize-space(.)='More...']"):
        brief = link.getparent()
        if brief is None or brief.tag != "p" or brief.getparent() is None:
            continue
        said = " ".join(text_content(brief).split()).removesuffix("More...").rstrip()
        # the description: a textblock under the heading (a group's: its paragraphs, bare)
        text = next(iter(xpath(doc, "//a[@id='details' or @name='details']/following-sibling::*[1][self::h2]"
                                    "/following-sibling::*[1][self::div or self::p]")), None)
        if said and text is not None and " ".join(text_content(text).split()).startswith(said):
            drop(brief)


def _drop_obfuscation(doc: Any, drop: Any) -> None:
    """An e-mail address is written with a hidden ".nosp@m." between its pieces, which no browser shows: it was read
    as "marti.nosp@m.n@bz.nosp@m.ero.s.nosp@m.e"."""
    for span in xpath(doc, "//span[.='.nosp@m.']"):
        if span.getparent() is not None:
            drop(span)


def _documented_here(doc: Any) -> dict[str, set[str]]:
    """The anchors of the members this page documents, each with the words of its documentation: each member's
    documentation opens with its anchor, then its heading (1.8.13 on) and its box, or its box."""
    words: dict[str, set[str]] = {}
    for anchor in xpath(doc, "//a[@id or @name]"):
        after = anchor.getnext()
        if after is not None and after.tag == "h2" and _of_class(after, "memtitle"):
            box = after.getnext()
            said = _words(after) | (_words(box) if box is not None and _of_class(box, "memitem") else set())
        elif after is not None and after.tag == "div" and _of_class(after, "memitem"):
            said = _words(after)
        else:
            continue
        for name in (anchor.get("id"), anchor.get("name")):
            if name:
                words.setdefault(name, set()).update(said)
    return words


def _words(element: Any) -> set[str]:
    """The words of an element's text that hold a letter, case aside."""
    return set(_WORD.findall(" ".join(element.itertext()).casefold()))  # cells apart: not "EnumeratorMDB_FIRST"


def _drop_documented_summaries(doc: Any, drop: Any) -> None:
    """A page's summary tables ("Functions", "Macros", a struct's "Data Fields") list each member's declaration over
    its brief, which the member's own documentation below opens with again: a second copy of every declaration and
    brief (60 functions of LMDB's API page, a sixth of its passages), the splitter cutting between a declaration and
    its brief. A member documented on this page (its anchor opens its documentation here) is left out of the summary
    when its row says no word its documentation does not, and a table left empty with it; the others stay, the
    declaration and brief one line: a member documented on another page (a file's functions, documented on their
    group's page; a struct's fields), an enum's row, which alone gives its values ("MDB_O_RDWR = O_RDWR|O_CREAT"), a
    declaration Doxygen's documentation got wrong ("Json::__declspec(noreturn) const &" for the summary's "void
    throwRuntimeError(String const &msg)"). Inherited members stay."""
    here = _documented_here(doc)
    for table in xpath(doc, f"//table[{has_class('memberdecls')}]"):
        groups: dict[str, list[Any]] = {}
        for row in (row for part in table for row in (part if part.tag == "tbody" else (part,)) if row.tag == "tr"):
            kinds = (row.get("class") or "").split()
            kind, _, key = (kinds[0] if kinds else "").partition(":")
            if key and kind in ("memitem", "memdesc", "separator") and "inherit" not in kinds:
                groups.setdefault(key, []).append(row)
        for key, group in groups.items():
            items = [row for row in group if row.get("class", "").startswith("memitem:")]
            if not items:
                continue
            if key in here and set().union(*(_words(row) for row in group)) <= here[key]:
                for row in group:
                    drop(row)
                continue
            _brief_beside(items[0], [row for row in group if row.get("class", "").startswith("memdesc:")], drop)
        if groups and table.getparent() is not None and not any(
                row.get("class", "").startswith("memitem:") for row in table.iter("tr")):
            drop(table)  # its heading ("Functions") over nothing


def _brief_beside(item: Any, briefs: list[Any], drop: Any) -> None:
    """A summary's row and the brief under it as one line, "int mdb_env_sync (MDB_env *env, int force): Flush the
    data buffers to disk.": apart, the splitter cut between them and the brief was cited without its function."""
    cells = [cell for cell in item if cell.tag == "td"]
    for brief in briefs:
        texts = [cell for cell in brief if cell.tag == "td" and _of_class(cell, "mdescRight")]
        if cells and texts and text_content(texts[0]).strip():
            cell = texts[0]
            cell.tag = "span"  # inline: the brief goes on the declaration's line
            for line_break in list(cell.iter("br")):
                drop(line_break)
            cell.text = ": " + (cell.text or "").lstrip()
            cells[-1].append(cell)
        drop(brief)


def _drop_labels_over_members(doc: Any, drop: Any) -> None:
    """"Function Documentation", "Macro Definition Documentation", a struct's "Field Documentation": a heading over the
    members' own headings with nothing of its own, each was a passage of its one line or ended the member's above;
    and a group's "Detailed Description" with none ("Detailed Description", a rule, "Data Structure Documentation").
    Left out where the next heading follows it with no text between (an anchor, a rule, an empty block); "Detailed
    Description" over its text stays."""
    for label in xpath(doc, "//*[self::h2 or self::h3 or self::h4]"
                            f"[{has_class('groupheader')}]"):
        after = label.getnext()
        while after is not None and after.tag not in _HEADINGS and not text_content(after).strip():
            after = after.getnext()  # an anchor, a rule, a description left empty ("Definition at line 266 ..." alone)
        if (after is not None and after.tag in _HEADINGS and not (label.tail or "").strip()
                and label.getparent() is not None):
            drop(label)


_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_PARAMETER_TABLES = ("params", "retval", "exception", "tparams")


def _parameters_as_lines(doc: Any) -> None:
    """A function's parameters, return values and exceptions are a table without a header, a row each: its direction,
    its name and what it is. Read as a table, a parameter whose description holds a list (mdb_env_open's flags, each
    flag a paragraph) was one line of 3,000 characters, cut mid-sentence into seven passages; and a table of one row
    was read as loose text ("[in] err The error code"). Each row is a line, "[in] env: An environment handle", its
    lists' items lines under it."""
    tests = " or ".join(has_class(name) for name in _PARAMETER_TABLES)
    for table in xpath(doc, f"//dl/dd/table[{tests}]"):
        table.tag = "div"
        for part in list(table):
            if part.tag in ("tbody", "thead", "tfoot"):
                part.tag = "div"
        for row in table.iter("tr"):
            row.tag = "div"
            cells = [cell for cell in row if cell.tag == "td"]
            if len(cells) < 2:
                for cell in cells:
                    cell.tag = "span"
                continue
            *labels, description = cells
            named = [cell for cell in labels if text_content(cell).strip()]
            for cell in labels:
                cell.tag, cell.tail = "span", None
            for cell in named:
                cell.tail = ": " if cell is named[-1] else " "  # "[in] env: ", and no colon where no name is
            description.tag = "span"
            first = description[0] if len(description) and not (description.text or "").strip() else None
            if first is not None and first.tag == "p":
                first.tag = "span"  # "[in] path: The directory", not the name alone on a line over it
