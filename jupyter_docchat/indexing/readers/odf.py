"""OpenDocument text (.odt) and presentations (.odp), LibreOffice's files, and their flat XML twins (.fodt, .fodp).

A text is read as readers/docx.py reads Word's: its blocks in document order, in sections at its headings, each under
the trail of the headings above it by their outline levels ("Field notes > Methods > Sampling"), lists with their
markers and levels, tables as pipe tables (office_tables.py, as the .docx reader writes them), text boxes where they
stand, a note's mark in the text ("[1]"); then page headers and footers, footnotes, endnotes and comments, each under a
heading that says so. Lines count on through the document. A presentation is read as readers/pptx.py reads a deck: a
slide a section, cited "slide N", its title first, its speaker notes last.

Read with lxml on content.xml (and styles.xml, meta.xml), not odfdo: the walk in document order needs the XML itself
(a library's text of a paragraph leaves out note marks and text boxes, as python-docx's did), lxml is a dependency
already, and a zip's parts are checked against office_package's limits before any is parsed (odfdo opens the zip
itself and reads its parts whole).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from jupyter_docchat.indexing.readers.base import ODP_EXTS, HeadingStack, UnreadableFile, short_heading
from jupyter_docchat.indexing.readers.document_lines import DocumentLines
from jupyter_docchat.indexing.readers.docx import list_number
from jupyter_docchat.indexing.readers.office_package import open_checked
from jupyter_docchat.indexing.readers.office_tables import grid_lines
from jupyter_docchat.indexing.readers.package_xml import parse_xml, part_xml
from jupyter_docchat.indexing.readers.pptx import NOTES_LABEL
from jupyter_docchat.types import Section

OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
PRES = "{urn:oasis:names:tc:opendocument:xmlns:presentation:1.0}"
SVG = "{urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0}"
DC = "{http://purl.org/dc/elements/1.1/}"
_MANIFEST = "{urn:oasis:names:tc:opendocument:xmlns:manifest:1.0}"
# Generated lists a text holds (its table of contents, indexes): its headings, or its words, again.
_GENERATED = {f"{TEXT}{name}" for name in ("table-of-content", "alphabetical-index", "illustration-index",
                                          "object-index", "table-index", "user-index", "bibliography")}
# Not the text: tracked deletions (text:tracked-changes holds what was deleted), declarations, forms, a frame's
# image and its caption's alternatives, an annotation's end mark, a page's number (a footer of one was a section).
_NOT_TEXT = {f"{TEXT}tracked-changes", f"{TEXT}sequence-decls", f"{TEXT}variable-decls", f"{TEXT}user-field-decls",
             f"{OFFICE}forms", f"{OFFICE}annotation-end", f"{TEXT}bookmark-start", f"{TEXT}bookmark-end",
             f"{TEXT}soft-page-break", f"{TEXT}ruby-text", f"{TEXT}page-number", f"{TEXT}page-count", *_GENERATED}
# A slide's fields a master fills in (its number, the date, a footer's text), not what the slide says.
_FIELD_CLASSES = {"page-number", "date-time", "footer", "header"}
_NUMBER_FORMATS = {"1": "decimal", "a": "lowerLetter", "A": "upperLetter", "i": "lowerRoman", "I": "upperRoman"}


def read_odf(path: Path, data: bytes) -> list[Section]:
    suffix = path.suffix.lower().lstrip(".")
    try:
        return _read_odf(path, data, suffix)
    except RecursionError:
        # The walk follows the XML's nesting (lists in lists, sections in sections): LibreOffice nests lists ten
        # levels deep at most, a file nested a thousand deep is made so (was "reader failed (RecursionError)").
        raise UnreadableFile(f"unreadable .{suffix} (its lists or sections are nested too deep to read)") from None


def _read_odf(path: Path, data: bytes, suffix: str) -> list[Section]:
    flat = path.suffix.lower().startswith(".f")
    if flat:
        root = parse_xml(data)
        if root is None:
            raise UnreadableFile(f"unreadable .{suffix} (not XML)")
        content = styles = meta = root
    else:
        with open_checked(data, suffix) as package:
            manifest = part_xml(package, "META-INF/manifest.xml")
            if manifest is not None and next(manifest.iter(f"{_MANIFEST}encryption-data"), None) is not None:
                raise UnreadableFile(f"password-protected .{suffix} (encrypted): save it without a password to index it")
            content, styles, meta = (part_xml(package, name) for name in ("content.xml", "styles.xml", "meta.xml"))
        if content is None:
            raise UnreadableFile(f"unreadable .{suffix} (no content.xml)")
    body = content.find(f"{OFFICE}body")
    if body is None:
        raise UnreadableFile(f"unreadable .{suffix} (no document body)")
    title = short_heading(_meta_title(meta))
    # What the file holds, whatever its name: a presentation named .odt is read as the slides it is.
    presentation, text = body.find(f"{OFFICE}presentation"), body.find(f"{OFFICE}text")
    lists = _ListStyles.of(content, styles)
    if presentation is not None:
        return _Slides(lists, "odp" if path.suffix.lower() in ODP_EXTS else suffix).read(presentation, title)
    if text is not None:
        walk = _TextWalk(lists, _paragraph_styles(content, styles), "odt", title)
        walk.read(text, styles)
        return walk.sections
    kinds = ", ".join(etree_name(child) for child in body if isinstance(child.tag, str)) or "nothing"
    raise UnreadableFile(f"an OpenDocument file holding {kinds}, named .{suffix}")


def etree_name(element: Any) -> str:
    return element.tag.rsplit("}", 1)[-1]


def _meta_title(meta: Any) -> str:
    found = next(meta.iter(f"{DC}title"), None) if meta is not None else None
    return " ".join((found.text or "").split()) if found is not None else ""


@dataclass
class _ListStyles:
    """Each list style's marker kind by level: "bullet", a number format ("decimal", "lowerLetter"...) or ""."""
    levels: dict[str, dict[int, str]] = field(default_factory=dict)

    @classmethod
    def of(cls, *roots: Any) -> "_ListStyles":
        out: dict[str, dict[int, str]] = {}
        for root in roots:
            for style in root.iter(f"{TEXT}list-style") if root is not None else ():
                kinds: dict[int, str] = {}
                for level in style:
                    name = etree_name(level) if isinstance(level.tag, str) else ""
                    number = _int(level.get(f"{TEXT}level"), 1)
                    if name in ("list-level-style-bullet", "list-level-style-image"):
                        kinds[number] = "bullet"
                    elif name == "list-level-style-number":
                        kinds[number] = _NUMBER_FORMATS.get(level.get(f"{STYLE}num-format") or "", "")
                out.setdefault(style.get(f"{STYLE}name") or "", kinds)
        return cls(out)

    def kind(self, style: str | None, level: int) -> str:
        """The marker of a list item ``level`` deep (1 outermost) under the list style ``style``: its level's, else its
        first level's (pandoc names a nested list's own style, defined at level 1 only); a bullet without a style."""
        kinds = self.levels.get(style or "")
        if kinds is None:
            return "bullet"
        return kinds.get(level, kinds.get(min(kinds), "bullet") if kinds else "bullet")


def _paragraph_styles(*roots: Any) -> dict[str, tuple[str, str]]:
    """A paragraph style's name -> (its display name lower case, the style it is based on)."""
    out: dict[str, tuple[str, str]] = {}
    for root in roots:
        for style in root.iter(f"{STYLE}style") if root is not None else ():
            if style.get(f"{STYLE}family") == "paragraph":
                name = style.get(f"{STYLE}name") or ""
                shown = (style.get(f"{STYLE}display-name") or name.replace("_20_", " ")).lower()
                out.setdefault(name, (shown, style.get(f"{STYLE}parent-style-name") or ""))
    return out


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


@dataclass
class _Notes:
    """Notes and comments met in the text, in order; each note's mark as the document shows it ("[1]")."""
    footnotes: list[str] = field(default_factory=list)
    endnotes: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


class _Text:
    """A paragraph's text (its runs, spaces, tabs and breaks), a note's body kept aside and its mark left in place, a
    text box or an image's description kept for after the paragraph."""

    def __init__(self, notes: _Notes) -> None:
        self.notes = notes

    def of(self, element: Any, boxes: list[Any] | None = None) -> str:
        out: list[str] = [element.text or ""]
        self._runs(element, out, boxes if boxes is not None else [])
        return "".join(out)

    def _runs(self, element: Any, out: list[str], boxes: list[Any]) -> None:
        for child in element:
            tag = child.tag
            if isinstance(tag, str) and tag not in _NOT_TEXT:
                if tag == f"{TEXT}s":
                    out.append(" " * max(1, min(_int(child.get(f"{TEXT}c"), 1), 64)))
                elif tag == f"{TEXT}tab":
                    out.append("\t")
                elif tag == f"{TEXT}line-break":
                    out.append("\n")
                elif tag == f"{TEXT}note":
                    out.append(self._note(child))
                elif tag == f"{OFFICE}annotation":
                    self._comment(child)
                elif tag in (f"{DRAW}frame", f"{DRAW}custom-shape", f"{DRAW}g", f"{DRAW}rect", f"{DRAW}text-box"):
                    boxes.append(child)  # its text after the paragraph, as a block of its own
                else:
                    out.append(child.text or "")
                    self._runs(child, out, boxes)
            out.append(child.tail or "")

    def _note(self, note: Any) -> str:
        citation = note.find(f"{TEXT}note-citation")
        endnote = note.get(f"{TEXT}note-class") == "endnote"
        found = self.notes.endnotes if endnote else self.notes.footnotes
        number = " ".join((citation.text or "").split()) if citation is not None and citation.text else str(len(found) + 1)
        mark = f"[endnote {number}]" if endnote else f"[{number}]"
        body = note.find(f"{TEXT}note-body")
        text = " ".join(" ".join(self.of(p).split()) for p in _paragraphs(body)) if body is not None else ""
        if text.strip():
            found.append(f"{mark} {text.strip()}")
        return mark

    def _comment(self, annotation: Any) -> None:
        author = annotation.find(f"{DC}creator")
        text = " ".join(" ".join(self.of(p).split()) for p in _paragraphs(annotation)).strip()
        name = " ".join((author.text or "").split()) if author is not None else ""
        if text:
            self.notes.comments.append(f"{name}: {text}" if name else text)


def _paragraphs(element: Any) -> Iterator[Any]:
    """The paragraphs and headings inside ``element``, in order, not those of a note inside one of them."""
    for child in element:
        if child.tag in (f"{TEXT}p", f"{TEXT}h"):
            yield child
        elif isinstance(child.tag, str) and child.tag not in _NOT_TEXT and child.tag != f"{TEXT}note":
            yield from _paragraphs(child)


class _Blocks:
    """What a text and a slide share: blocks (paragraphs, lists, tables, sections, frames) as lines."""

    def __init__(self, lists: _ListStyles) -> None:
        self.lists = lists
        self.notes = _Notes()
        self.text = _Text(self.notes)
        self.lines: list[str] = []

    def blocks(self, container: Any, list_style: str | None = None, depth: int = 0) -> None:
        for child in container:
            tag = child.tag
            if not isinstance(tag, str) or tag in _NOT_TEXT:
                continue
            if tag in (f"{TEXT}p", f"{TEXT}h"):
                self.paragraph(child)
            elif tag == f"{TEXT}list":
                self.list(child, list_style, depth)
            elif tag == f"{TABLE}table":
                self.table(child)
            elif tag == f"{DRAW}frame" and child.find(f"{TABLE}table") is not None:
                self.blocks(child)
            elif tag.startswith(DRAW):
                self.shape(child)
            else:  # a section, a change's wrapper: blocks as if they stood in its place
                self.blocks(child, list_style, depth)

    def paragraph(self, p: Any, marker: str = "") -> None:
        boxes: list[Any] = []
        lines = self.text.of(p, boxes).split("\n")
        if marker:
            indent = " " * len(marker)
            lines = [marker + lines[0], *(indent + line if line.strip() else line for line in lines[1:])]
        self.lines.extend(lines)
        for box in boxes:
            self.shape(box)

    def list(self, element: Any, outer_style: str | None, depth: int) -> None:
        """A list's items a line each, led by "- " or "3. ", two spaces a level deeper."""
        style = element.get(f"{TEXT}style-name") or outer_style
        count = _int(element.get(f"{TEXT}start-value"), 1) - 1
        for item in element:
            if item.tag not in (f"{TEXT}list-item", f"{TEXT}list-header"):
                continue
            kind = self.lists.kind(style, depth + 1) if item.tag == f"{TEXT}list-item" else ""  # a header has none
            if kind:
                count = _int(item.get(f"{TEXT}start-value"), count + 1)
            marker = "  " * depth + ("- " if kind == "bullet" else f"{list_number(kind, count)}. " if kind else "")
            first = True
            for child in item:
                if child.tag in (f"{TEXT}p", f"{TEXT}h") and first:
                    self.paragraph(child, marker)
                    first = False
                elif child.tag == f"{TEXT}list":
                    self.list(child, style, depth + 1)
                elif child.tag in (f"{TEXT}p", f"{TEXT}h"):  # an item's next paragraph, indented under its first
                    self.paragraph(child, "  " * (depth + 1))
                elif isinstance(child.tag, str):  # a table in an item: a table as anywhere
                    self.blocks([child], style, depth + 1)

    def shape(self, shape: Any) -> None:
        """A frame's or a drawing's text, in order: a text box's blocks, a table, a group's shapes, an image's
        description (which says in words what it shows)."""
        for child in shape:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if tag == f"{DRAW}text-box":
                self.blocks(child)
            elif tag in (f"{TEXT}p", f"{TEXT}h", f"{TEXT}list", f"{TABLE}table"):
                self.blocks([child])
            elif tag.startswith(DRAW):
                self.shape(child)
        alt = " ".join(" ".join((shape.findtext(f"{SVG}{name}") or "").split()) for name in ("title", "desc")).strip()
        if alt:
            self.lines.append(alt)

    def table(self, table: Any) -> None:
        rows, header_rows = _rows(table)
        if any(True for cell in table.iter(f"{TABLE}table-cell") for _ in cell.iter(f"{TABLE}table")):
            for row in rows:  # a table holding tables lays out the page: its cells read as blocks
                for cell in row:
                    if cell.tag == f"{TABLE}table-cell":
                        self.blocks(cell)
            return
        grid: list[list[str]] = []
        for number, row in enumerate(rows):
            out: list[str] = []
            across = 0  # covered cells left of a cell merged across them: already counted in ``out``
            for cell in row:
                repeat = max(1, min(_int(cell.get(f"{TABLE}number-columns-repeated"), 1), 64))
                if cell.tag != f"{TABLE}table-cell":
                    for _ in range(repeat):
                        if across:
                            across -= 1
                        else:  # under a cell merged down: its text stands in each row, so a row read alone keeps it
                            out.append(grid[-1][len(out)] if grid and len(out) < len(grid[-1]) else "")
                    continue
                text = " ".join(self.text.of(p) for p in _paragraphs(cell))
                span = max(1, min(_int(cell.get(f"{TABLE}number-columns-spanned"), 1), 64))
                for _ in range(repeat):
                    # A header merged across names each column it spans (as the .docx reader's); a body's, its first.
                    out.extend([text] + [text if number < max(header_rows, 1) else ""] * (span - 1))
                across = span - 1
            while out and not out[-1]:  # LibreOffice repeats an empty cell to the page's edge
                out.pop()
            grid.append(out)
        if self.lines and self.lines[-1].strip():
            self.lines.append("")
        self.lines.extend(grid_lines(header_rows, grid))
        self.lines.append("")


def _rows(table: Any) -> tuple[list[list[Any]], int]:
    """A table's rows (each its cells and covered cells) and how many head it; repeated rows once each, up to 64."""
    rows: list[list[Any]] = []
    header = 0

    def walk(container: Any, in_header: bool) -> None:
        nonlocal header
        for child in container:
            if child.tag == f"{TABLE}table-row":
                cells = [c for c in child if c.tag in (f"{TABLE}table-cell", f"{TABLE}covered-table-cell")]
                empty = not any(" ".join(c.itertext()).strip() for c in cells)
                repeat = max(1, min(_int(child.get(f"{TABLE}number-rows-repeated"), 1), 1 if empty else 64))
                rows.extend([cells] * repeat)
                header += repeat if in_header else 0
            elif child.tag in (f"{TABLE}table-header-rows", f"{TABLE}table-rows", f"{TABLE}table-row-group"):
                walk(child, in_header or child.tag == f"{TABLE}table-header-rows")

    walk(table, False)
    if not header and table.get(f"{TABLE}use-first-row-styles") == "true":  # Impress's "Header row" box
        header = 1
    return rows, header


class _TextWalk(_Blocks, DocumentLines):
    """A text's lines as it is walked, cut into sections at its headings (readers/docx.py's _Walk)."""

    def __init__(self, lists: _ListStyles, styles: dict[str, tuple[str, str]], kind: str, title: str) -> None:
        super().__init__(lists)
        self.styles, self.kind, self.title = styles, kind, title
        self.stack = HeadingStack(title)
        self.sections: list[Section] = []
        self.start, self.heading = 0, self.stack.text
        self.title_only = True

    def read(self, text: Any, styles: Any) -> None:
        # The Title paragraph heads the trail when no document title is set (pandoc's, LibreOffice's "Title" style).
        if not self.title:
            first = next((p for n, p in zip(range(20), text.iter(f"{TEXT}p")) if self._styled(p, ("title",))), None)
            if first is not None:
                self.title = short_heading(_Text(_Notes()).of(first))
                self.stack = HeadingStack(self.title)
                self.heading = self.stack.text
        self.blocks(text)
        self.flush()
        self._outside(styles)

    def _styled(self, p: Any, names: tuple[str, ...]) -> bool:
        name, seen = p.get(f"{TEXT}style-name") or "", set()
        while name and name not in seen:
            seen.add(name)
            # A style the file does not define is one of LibreOffice's own, by its name (pandoc's "Title").
            shown, name = self.styles.get(name, (name.replace("_20_", " ").lower(), ""))
            if shown in names:
                return True
        return False

    def paragraph(self, p: Any, marker: str = "") -> None:
        if p.tag == f"{TEXT}h" and not marker:
            text = self.text.of(p)
            if text.strip():
                if not self.title_only:
                    self.flush()
                level = max(1, min(_int(p.get(f"{TEXT}outline-level"), 1), 9))
                self.heading = self.stack.enter(level, text)
                self.title_only = False
        elif self.title_only and "".join(p.itertext()).strip() and not self._styled(p, ("title", "subtitle")):
            self.title_only = False
        super().paragraph(p, marker)

    def table(self, table: Any) -> None:
        self.title_only = False
        super().table(table)

    def _outside(self, styles: Any) -> None:
        """Page headers and footers (styles.xml's master pages), then notes and comments, each a section apart."""
        for kind, heading in (("header", "Page headers"), ("footer", "Page footers")):
            found: list[str] = []
            for part in styles.iter(f"{STYLE}{kind}", f"{STYLE}{kind}-left", f"{STYLE}{kind}-first") \
                    if styles is not None else ():
                walk = _Blocks(self.lists)
                walk.blocks([p for p in part if not _page_number_only(p)])
                text = "\n".join(line for line in walk.lines if line.strip())
                if text and text not in found:
                    found.append(text)
            self.part_section(heading, found)
        self.part_section("Footnotes", self.notes.footnotes)
        self.part_section("Endnotes", self.notes.endnotes)
        self.part_section("Comments", self.notes.comments)


def _page_number_only(p: Any) -> bool:
    """A header's or footer's line that only numbers the page ("Page 3", "3 of 10", "Seite 3 von 10"): a section of it
    in every document was a chunk of "Page"."""
    fields = any(True for _ in p.iter(f"{TEXT}page-number", f"{TEXT}page-count"))
    return fields and len(" ".join(p.itertext()).split()) <= 4


class _Slides:
    """A presentation's slides, a section each, cited by their number (Hit.location's "slide N")."""

    def __init__(self, lists: _ListStyles, kind: str) -> None:
        self.lists, self.kind = lists, kind

    def read(self, presentation: Any, title: str) -> list[Section]:
        pages = [page for page in presentation.iterchildren(f"{DRAW}page")]
        titles = [_slide_title(page) for page in pages]
        # The first slide's title names the deck, as in readers/pptx.py; the document's own title where it has none.
        stack = HeadingStack(titles[0] if titles and titles[0] else title)
        sections = []
        for number, (page, slide_title) in enumerate(zip(pages, titles), 1):
            heading = stack.enter(1, slide_title) if slide_title else stack.root
            walk = _Blocks(self.lists)
            shapes = [s for s in page if isinstance(s.tag, str) and s.tag.startswith(DRAW)
                      and s.get(f"{PRES}class") not in _FIELD_CLASSES]
            for shape in sorted(shapes, key=lambda s: s.get(f"{PRES}class") != "title"):  # the title first
                walk.shape(shape)
            notes = page.find(f"{PRES}notes")
            if notes is not None:
                walk_notes = _Blocks(self.lists)
                for frame in notes.iter(f"{DRAW}frame"):
                    if frame.get(f"{PRES}class") == "notes":
                        walk_notes.shape(frame)
                if any(line.strip() for line in walk_notes.lines):
                    walk.lines += [NOTES_LABEL, *walk_notes.lines]
            text = "\n".join(walk.lines)
            if text.strip():
                sections.append(Section(text, 1, heading, page=number, kind=self.kind))
        return sections


def _slide_title(page: Any) -> str:
    frame = next((f for f in page if f.get(f"{PRES}class") == "title"), None)
    if frame is None:
        return ""
    return short_heading(" ".join(_Text(_Notes()).of(p) for p in _paragraphs(frame)))
