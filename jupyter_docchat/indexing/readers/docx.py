"""Word .docx (python-docx, the optional "docx" extra): the body's paragraphs and tables in document order, in sections
at its headings, each under the trail of the headings above it by their levels ("Report > Methods > Sampling"); lists
with their markers and levels, tables as pipe tables (a row a line under its header), text boxes and content controls
where they stand; then what stands outside the body, each under a heading that says so: page headers and footers,
footnotes and endnotes (their marks kept in the text, "[1]"), comments.

python-docx opens the package and finds its parts; the text is walked in the XML itself, since python-docx's paragraphs
leave out tracked insertions, content controls, text boxes and note marks (walk 32: a header's words, every table and
each list's markers were lost).

A line of the text read is one line of the document: lines count on through the whole document, so a section starting
at its 40th line is cited "lines 40-52", not "lines 1-13" as every section was.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from jupyter_docchat.indexing.readers.base import HeadingStack, UnreadableFile, short_heading
from jupyter_docchat.indexing.readers.document_lines import DocumentLines
from jupyter_docchat.indexing.readers.office_tables import grid_lines
from jupyter_docchat.types import Section

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_MATH_TEXT = "{http://schemas.openxmlformats.org/officeDocument/2006/math}t"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
# Not read as text: the box's own paragraphs (read as blocks after the paragraph holding it), an older format's copy of
# what stands beside it (mc:Fallback repeats mc:Choice), deleted and moved-away text, a field's code ("PAGE \* MERGEFORMAT";
# its result is read), and properties.
_NOT_TEXT = {f"{W}txbxContent", f"{_MC}Fallback", f"{W}del", f"{W}moveFrom", f"{W}instrText", f"{W}delText", f"{W}pPr",
             f"{W}rPr", f"{W}sectPr", f"{W}tblPr", f"{W}trPr", f"{W}tcPr"}
# Wrappers whose children are blocks or runs as if they stood in their place: content controls, custom XML, tracked
# insertions and moves, smart tags.
_WRAPPERS = {f"{W}customXml", f"{W}ins", f"{W}moveTo", f"{W}smartTag", f"{_MC}AlternateContent", f"{_MC}Choice"}
_HEADING_STYLE = re.compile(r"heading ([1-9])")
_NOTE_TYPES = {"separator", "continuationSeparator", "continuationNotice"}


def read_docx(path: Path, data: bytes) -> list[Section]:
    try:
        import docx  # python-docx, the optional "docx" extra
    except ImportError as exc:
        raise UnreadableFile("needs the docx extra: pip install 'jupyter-docchat[docx]'") from exc
    try:
        document = _document(data)
        styles = _styles(document.styles.element)
        numbering = _numbering(document.part)
        title = document.core_properties.title or ""
    except Exception as exc:
        raise UnreadableFile(f"unreadable .docx ({type(exc).__name__})") from exc
    body = document.element.body
    reader = _Walk(styles, numbering, _title(body, styles) or short_heading(title))
    reader.blocks(body)
    reader.flush()
    reader.outside(document.part)
    return reader.sections


_MACRO_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"


def _document(data: bytes) -> Any:
    """The document python-docx opens: a .docx's, or a .docm's (Word's with macros), whose main part python-docx
    refuses by its content type alone ("is not a Word file"): its part is read as a .docx's, the macros not at all."""
    from docx.opc.constants import CONTENT_TYPE
    from docx.opc.part import PartFactory
    from docx.package import Package
    from docx.parts.document import DocumentPart

    PartFactory.part_type_for.setdefault(_MACRO_MAIN, DocumentPart)  # as python-docx maps a .docx's own
    part = Package.open(io.BytesIO(data)).main_document_part
    if part.content_type not in (CONTENT_TYPE.WML_DOCUMENT_MAIN, _MACRO_MAIN):  # docx.Document's own check
        raise ValueError(f"not a Word file, content type is {part.content_type!r}")
    return part.document


@dataclass(frozen=True)
class _Style:
    name: str
    based_on: str | None
    outline: int | None  # w:outlineLvl, 0 for a top heading
    numbering: tuple[str, int] | None  # (numId, ilvl) its paragraphs are numbered with


def _val(element: Any, tag: str) -> str | None:
    child = element.find(f"{W}{tag}") if element is not None else None
    return None if child is None else child.get(f"{W}val")


def _int(text: str | None, default: int = 0) -> int:
    return int(text) if text is not None and text.strip().lstrip("-").isdigit() else default


def _num_pr(p_pr: Any) -> tuple[str, int] | None:
    num_pr = p_pr.find(f"{W}numPr") if p_pr is not None else None
    if num_pr is None:
        return None
    return _val(num_pr, "numId") or "0", _int(_val(num_pr, "ilvl"))


def _styles(element: Any) -> dict[str, _Style]:
    out = {}
    for style in element.iterchildren(f"{W}style"):
        p_pr = style.find(f"{W}pPr")
        outline = _val(p_pr, "outlineLvl")
        out[style.get(f"{W}styleId") or ""] = _Style(
            (_val(style, "name") or "").lower(), _val(style, "basedOn"), None if outline is None else _int(outline),
            _num_pr(p_pr))
    return out


def _numbering(part: Any) -> dict[str, dict[int, str]]:
    """numId -> {level: number format ("bullet", "decimal", "lowerLetter", ...)}; {} without a numbering part."""
    try:
        root = part.numbering_part.element
    except Exception:  # python-docx raises NotImplementedError for a document without one
        return {}
    abstract = {}
    for definition in root.iterchildren(f"{W}abstractNum"):
        abstract[definition.get(f"{W}abstractNumId")] = {
            _int(level.get(f"{W}ilvl")): _val(level, "numFmt") or "decimal" for level in definition.iterchildren(f"{W}lvl")}
    return {num.get(f"{W}numId") or "": abstract.get(_val(num, "abstractNumId"), {})
            for num in root.iterchildren(f"{W}num")}


def _chain(styles: dict[str, _Style], style_id: str | None) -> Iterator[_Style]:
    """A style and the ones it is based on, nearest first (a loop of basedOn ends)."""
    seen: set[str] = set()
    while style_id and style_id not in seen and style_id in styles:
        seen.add(style_id)
        yield styles[style_id]
        style_id = styles[style_id].based_on


def _title(body: Any, styles: dict[str, _Style]) -> str:
    """The text of the document's first paragraph styled Title, among its first blocks: it heads the trail."""
    for n, p in enumerate(body.iterchildren(f"{W}p")):
        if n > 20:
            break
        if any(style.name == "title" for style in _chain(styles, _val(p.find(f"{W}pPr"), "pStyle"))):
            return short_heading(_text(p, _Notes()))
    return ""


@dataclass
class _Notes:
    """The footnotes' and endnotes' numbers as their marks appear in the text: Word numbers them in that order."""
    numbers: dict[tuple[str, str], int] = field(default_factory=dict)

    def mark(self, kind: str, note_id: str) -> str:
        key = (kind, note_id)
        if key not in self.numbers:
            self.numbers[key] = 1 + sum(k == kind for k, _ in self.numbers)
        number = self.numbers[key]
        return f"[{number}]" if kind == "footnote" else f"[endnote {number}]"


def _text(element: Any, notes: _Notes) -> str:
    out: list[str] = []
    _runs(element, out, notes)
    return "".join(out)


def _runs(element: Any, out: list[str], notes: _Notes) -> None:
    """The text of a paragraph's runs, in order, into ``out``: tabs and breaks as they show, a note's reference as its
    mark."""
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _NOT_TEXT:
            continue
        if tag == f"{W}t" or tag == _MATH_TEXT:  # an equation's (Office Math) text too: "E = mc2" was lost
            out.append(child.text or "")
        elif tag == f"{W}tab":
            out.append("\t")
        elif tag in (f"{W}br", f"{W}cr"):
            out.append("\n")
        elif tag == f"{W}noBreakHyphen":
            out.append("-")
        elif tag in (f"{W}footnoteReference", f"{W}endnoteReference"):
            out.append(notes.mark(tag[len(W):-len("Reference")], child.get(f"{W}id") or ""))
        else:
            _runs(child, out, notes)


def _text_boxes(p: Any) -> list[Any]:
    """The text boxes a paragraph holds (its drawings' txbxContent), not those inside another box or in a Fallback."""
    boxes = []
    for box in p.iter(f"{W}txbxContent"):
        above = box.getparent()
        while above is not None and above is not p and above.tag not in (f"{W}txbxContent", f"{_MC}Fallback"):
            above = above.getparent()
        if above is p:
            boxes.append(box)
    return boxes


_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"), (10, "x"),
          (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def list_number(fmt: str, n: int) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letters = _LETTERS[(n - 1) % 26] * ((n - 1) // 26 + 1)
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("lowerRoman", "upperRoman"):
        roman, left = "", n
        for value, digits in _ROMAN:
            while left >= value:
                roman, left = roman + digits, left - value
        return roman.upper() if fmt == "upperRoman" else roman
    return str(n)


class _Walk(DocumentLines):
    """The document's lines as it is walked, cut into sections at its headings."""

    def __init__(self, styles: dict[str, _Style], numbering: dict[str, dict[int, str]], title: str) -> None:
        self.styles, self.numbering, self.title, self.kind = styles, numbering, title, "docx"
        self.stack = HeadingStack(title)
        self.notes = _Notes()
        self.lines: list[str] = []
        self.sections: list[Section] = []
        self.start, self.heading = 0, self.stack.text
        self.counts: dict[str, dict[int, int]] = {}  # numId -> level -> the last item's number
        self.title_only = True  # whether the lines since the section's start are the Title's (and blank) at most

    def blocks(self, container: Any) -> None:
        for child in container:
            tag = child.tag
            if tag == f"{W}p":
                self.paragraph(child)
            elif tag == f"{W}tbl":
                self.table(child)
            elif tag == f"{W}sdt":
                content = child.find(f"{W}sdtContent")
                if content is not None:
                    self.blocks(content)
            elif tag in _WRAPPERS:
                self.blocks(child)

    def paragraph(self, p: Any) -> None:
        text = _text(p, self.notes)
        p_pr = p.find(f"{W}pPr")
        style_id = _val(p_pr, "pStyle")
        level = self._heading_level(p_pr, style_id)
        if level and text.strip():
            if not self.title_only:
                self.flush()
            self.heading = self.stack.enter(level, text)
            self.title_only = False
        elif text.strip():
            # The Title paragraph stays with the section under the first heading, as a title heads what follows: alone
            # it was a chunk of its one line ("SmartyPants") that a search naming the document found first.
            self.title_only = self.title_only and self._styled_title(style_id)
        marker = self._list_marker(p_pr, style_id)
        lines = text.split("\n")
        if marker:
            indent = " " * (len(marker) - len(marker.lstrip()) + len(marker.strip()) + 1)
            lines = [marker + lines[0], *(indent + line if line.strip() else line for line in lines[1:])]
        self.lines.extend(lines)
        for box in _text_boxes(p):
            self.blocks(box)

    def _styled_title(self, style_id: str | None) -> bool:
        return any(style.name in ("title", "subtitle") for style in _chain(self.styles, style_id))

    def _heading_level(self, p_pr: Any, style_id: str | None) -> int:
        """1-9 for a heading, 0 otherwise: its own outline level, else its style's ("Heading 2", or a style based on one,
        or one given an outline level)."""
        own = _val(p_pr, "outlineLvl")
        if own is not None:
            return _int(own) + 1 if 0 <= _int(own) < 9 else 0
        for style in _chain(self.styles, style_id):
            match = _HEADING_STYLE.fullmatch(style.name)
            if match:
                return int(match[1])
            if style.outline is not None:
                return style.outline + 1 if 0 <= style.outline < 9 else 0
        return 0

    def _list_marker(self, p_pr: Any, style_id: str | None) -> str:
        """"- ", "3. ", "  b. " for a list item (two spaces a level), "" for a paragraph outside a list."""
        numbered = _num_pr(p_pr) or next((s.numbering for s in _chain(self.styles, style_id) if s.numbering), None)
        if numbered is None or numbered[0] == "0":
            return ""
        num_id, level = numbered[0], max(0, min(numbered[1], 8))
        fmt = self.numbering.get(num_id, {}).get(level, "bullet")
        counts = self.counts.setdefault(num_id, {})
        counts[level] = counts.get(level, 0) + 1
        for deeper in [k for k in counts if k > level]:
            del counts[deeper]
        if fmt == "none":
            return "  " * level
        mark = "-" if fmt == "bullet" else f"{list_number(fmt, counts[level])}."
        return f"{'  ' * level}{mark} "

    def table(self, tbl: Any) -> None:
        rows = list(_children(tbl, "tr"))
        if any(True for tc in tbl.iter(f"{W}tc") for _ in tc.iter(f"{W}tbl")):
            # A table holding tables lays out the page: its cells are read as blocks, in order.
            for row in rows:
                for cell in _children(row, "tc"):
                    self.blocks(cell)
            return
        grid: list[list[str]] = []
        header_rows = 0
        for number, row in enumerate(rows):
            if row.find(f"{W}trPr/{W}tblHeader") is not None and header_rows == number:
                header_rows += 1
            out = [""] * _int(_val(row.find(f"{W}trPr"), "gridBefore"))
            for cell in _children(row, "tc"):
                tc_pr = cell.find(f"{W}tcPr")
                merge = tc_pr.find(f"{W}vMerge") if tc_pr is not None else None
                text = " ".join(_text(p, self.notes) for p in _cell_paragraphs(cell))
                if merge is not None and merge.get(f"{W}val") != "restart" and grid and len(out) < len(grid[-1]):
                    text = grid[-1][len(out)]  # a cell merged down stands in each row, so a row read alone keeps it
                span = max(1, min(_int(_val(tc_pr, "gridSpan"), 1), 64))
                out.extend([text] + [text if number < max(header_rows, 1) else ""] * (span - 1))
            grid.append(out)
        if not header_rows and _first_row_header(tbl):
            header_rows = 1
        if self.lines and self.lines[-1].strip():
            self.lines.append("")
        self.title_only = False
        self.lines.extend(grid_lines(header_rows, grid))
        self.lines.append("")  # a table right after it is another table

    def outside(self, part: Any) -> None:
        """What stands outside the body: page headers and footers, footnotes and endnotes, comments."""
        related = sorted(((rel.reltype.rsplit("/", 1)[-1], rel.target_part) for rel in part.rels.values()
                          if not rel.is_external and rel.reltype.startswith(_RELS)),
                         key=lambda kind_part: str(kind_part[1].partname))
        for kind, heading in (("header", "Page headers"), ("footer", "Page footers")):
            lines: list[str] = []
            for _, target in (r for r in related if r[0] == kind):
                walk = _Walk(self.styles, self.numbering, "")
                walk.notes = self.notes
                walk.blocks(_element(target))
                text = "\n".join(line for line in walk.lines if line.strip())
                if text and text not in lines:
                    lines.append(text)
            self.part_section(heading, lines)
        for kind, heading in (("footnotes", "Footnotes"), ("endnotes", "Endnotes")):
            target = next((t for k, t in related if k == kind), None)
            if target is not None:
                self.part_section(heading, self._notes(_element(target), kind[:-1]))
        target = next((t for k, t in related if k == "comments"), None)
        if target is not None:
            lines = []
            for comment in _element(target).iterchildren(f"{W}comment"):
                text = " ".join(_text(p, self.notes) for p in comment.iter(f"{W}p")).strip()
                author = comment.get(f"{W}author") or ""
                if text:
                    lines.append(f"{author}: {text}" if author else text)
            self.part_section("Comments", lines)

    def _notes(self, root: Any, kind: str) -> list[str]:
        """Each note a line (its paragraphs joined), led by its mark as the text shows it; in the marks' order."""
        found = []
        for note in root.iterchildren(f"{W}{kind}"):
            if note.get(f"{W}type") in _NOTE_TYPES:
                continue
            text = " ".join(" ".join(_text(p, self.notes).split()) for p in note.iter(f"{W}p")).strip()
            if text:
                mark = self.notes.mark(kind, note.get(f"{W}id") or "")
                found.append((self.notes.numbers[(kind, note.get(f"{W}id") or "")], f"{mark} {text}"))
        return [line for _, line in sorted(found)]


def _children(element: Any, tag: str) -> Iterator[Any]:
    """The ``tag`` children of a table or a row, also those a content control or custom XML wraps."""
    for child in element:
        if child.tag == f"{W}{tag}":
            yield child
        elif child.tag == f"{W}sdt":
            content = child.find(f"{W}sdtContent")
            if content is not None:
                yield from _children(content, tag)
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


def _cell_paragraphs(cell: Any) -> Iterator[Any]:
    """A cell's paragraphs, those of its text boxes too, not an older format's copy of them (mc:Fallback)."""
    for p in cell.iter(f"{W}p"):
        if not any(above.tag == f"{_MC}Fallback" for above in p.iterancestors()):
            yield p


def _first_row_header(tbl: Any) -> bool:
    """Whether the table's look sets its first row apart as a header (Word's "Header Row" box, on by default)."""
    look = tbl.find(f"{W}tblPr/{W}tblLook")
    if look is None:
        return False
    first = look.get(f"{W}firstRow")
    if first is not None:
        return first in ("1", "true", "on")
    value = look.get(f"{W}val") or ""
    try:
        return bool(int(value, 16) & 0x0020)
    except ValueError:
        return False


def _element(part: Any) -> Any:
    """A part's XML: python-docx's element for the parts it knows, else parsed by its own safe parser."""
    element = getattr(part, "element", None)
    if element is not None:
        return element
    from docx.oxml.parser import parse_xml

    return parse_xml(part.blob)
