"""Word 97-2003 .doc and PowerPoint 97-2003 .ppt: OLE compound files (olefile, in the docx and pptx extras) whose
streams word97 and powerpoint97 read. A .doc's main text is in sections at its heading paragraphs (word97_styles),
under the trail of the headings above them, its Title paragraph (or its summary's title) the root, as a .docx's; then
each of its other stories under its own heading (footnotes, comments...); lines counted through the document. A
.ppt's is a slide a section as a .pptx's, cited "slide N" under "Deck title > Slide title", its speaker notes after
"Speaker notes:".

A password-protected file is named as a .docx's is. What else a file named .doc holds is read as what it is: a .docx
saved under the old name, a text file (an old README.doc); an RTF document is named.
"""

from __future__ import annotations

import dataclasses
import io
import re
import struct
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jupyter_docchat.indexing.readers.base import HeadingStack, UnreadableFile, looks_binary, short_heading
from jupyter_docchat.indexing.readers.office_package import ole_file
from jupyter_docchat.indexing.readers.ole_summary import summary_title
from jupyter_docchat.indexing.readers.pptx import NOTES_LABEL
from jupyter_docchat.types import Section

if TYPE_CHECKING:
    from jupyter_docchat.indexing.readers.word97 import WordText
    from jupyter_docchat.indexing.readers.word97_rows import TableMarks

_WORD_STREAM, _PPT_STREAM, _CURRENT_USER = "WordDocument", "PowerPoint Document", "Current User"
_SUMMARY = "\x05SummaryInformation"
_ENCRYPTED_SUMMARY = "EncryptedSummary"  # PowerPoint's stream beside an encrypted deck's
_ZIP, _RTF = b"PK\x03\x04", b"{\\rtf"
_WORD_95 = 105  # FibBase.nFib of Word 6 and Word 95 (101-105): a FIB of another layout, no piece table to read
_WORD = re.compile(r"\w+")
_TITLE_LEVEL = 1  # word97_styles' level of the Title style


def _protected(suffix: str) -> UnreadableFile:
    return UnreadableFile(f"password-protected .{suffix} (encrypted): save it without a password to index it")


def _open(data: bytes, suffix: str, extra: str) -> Any:
    try:
        import olefile  # in the docx and pptx extras (and sheets: an .xls's errors)
    except ImportError as exc:
        raise UnreadableFile(f"needs the {extra} extra: pip install 'jupyter-docchat[{extra}]'") from exc
    try:
        return olefile.OleFileIO(io.BytesIO(data))
    except Exception as exc:  # olefile's own errors and Python's on a broken compound file
        raise UnreadableFile(f"unreadable .{suffix} ({type(exc).__name__})") from None


def _stream(ole: Any, name: str, suffix: str) -> bytes:
    try:
        return bytes(ole.openstream(name).read())
    except Exception as exc:
        raise UnreadableFile(f"unreadable .{suffix} ({type(exc).__name__})") from None


def _title(ole: Any) -> str:
    """The document's title as its summary information holds it ("" when it holds none or does not read)."""
    if not ole.exists(_SUMMARY):
        return ""
    try:
        stream = bytes(ole.openstream(_SUMMARY).read())
    except Exception:
        return ""
    return short_heading(summary_title(stream))


def read_doc(path: Path, data: bytes) -> list[Section]:
    if not ole_file(data):
        return _not_ole(path, data)
    from jupyter_docchat.indexing.readers import word97, word97_marks, word97_revisions, word97_rows, word97_styles

    with _open(data, "doc", "docx") as ole:
        if not ole.exists(_WORD_STREAM):
            raise UnreadableFile("unreadable .doc (no Word document in it)")
        word = _stream(ole, _WORD_STREAM, "doc")
        if word97.encrypted(word) or ole.exists("EncryptedPackage"):
            raise _protected("doc")
        if len(word) >= 4 and int.from_bytes(word[2:4], "little") <= _WORD_95:
            raise UnreadableFile("a Word 6 or Word 95 document (.doc): save it as .docx to index it")
        name = word97.table_stream_name(word)
        if not ole.exists(name):
            raise UnreadableFile("unreadable .doc (no table stream)")
        table = _stream(ole, name, "doc")
        text = word97.word_text(word, table)
        title = _title(ole)
    try:  # headings are a help: a style sheet or property page that does not read leaves the paragraphs plain
        marks = word97_styles.heading_marks(word, table, text.pieces, word97_styles.heading_levels(word, table))
    except (struct.error, ValueError, IndexError):
        marks = {}
    try:  # so is where rows end (else an empty cell's mark is taken for its row's) and what changes deleted
        tables = word97_rows.table_marks(word, table, text.pieces)
        deleted = word97_revisions.deleted_spans(word, table, text.pieces)
    except (struct.error, ValueError, IndexError):
        tables, deleted = word97_rows.TableMarks(set(), set()), []
    text = _marked(text, tables, deleted)
    parts = _parts(text.text, text.main, marks)
    first = word97_marks.text_lines(text.text[parts[0][1]:parts[0][2]])
    # The document's Title paragraph names it, as a .docx's does (readers/docx.py): the root of every trail, and
    # a "heading 1" that repeats it no level of its own.
    if parts[0][0] == _TITLE_LEVEL and any(t.strip() for t in first):
        title = short_heading(next(t for t in first if t.strip()))
    stack = HeadingStack(title)
    sections, line = [], 1
    for n, (level, start, end) in enumerate(parts):
        lines = word97_marks.text_lines(text.text[start:end])
        heading = stack.text
        if level and not (n == 0 and level == _TITLE_LEVEL):
            heading = stack.enter(level, next((t for t in lines if t.strip()), ""))
        sections.append(Section("\n".join(lines), line, heading, kind="doc"))
        line += len(lines)
    for story, start, end in text.stories:
        story_lines = word97_marks.text_lines(text.text[start:end])
        heading = f"{title} > {story.capitalize()}" if title else story.capitalize()
        sections.append(Section("\n".join(story_lines), line, heading, kind="doc", apart=True))
        line += len(story_lines)
    return [s for s in sections if s.text.strip()]


def _marked(text: WordText, tables: TableMarks, deleted: list[tuple[int, int]]) -> WordText:
    """``text`` with each row's own "\x07" mark turned to word97_marks.ROW_END, each "\r" of a cell's paragraph to
    word97_marks.CELL_PARAGRAPH and each deleted character to word97_marks.DELETED: as many characters as before, so
    every position read from the file still holds."""
    from jupyter_docchat.indexing.readers.word97_marks import CELL_PARAGRAPH, DELETED, ROW_END

    if not tables.rows and not deleted:
        return text  # no table's rows known: a cell's paragraphs are told as before, by the cells read
    chars = text.text
    edits = [(at, at + 1, new) for marks, old, new in ((tables.rows, "\x07", ROW_END),
                                                        (tables.cell_paragraphs, "\r", CELL_PARAGRAPH))
             for at in marks if at < len(chars) and chars[at] == old]
    edits += [(start, min(end, len(chars)), "") for start, end in deleted if start < min(end, len(chars))]
    parts, done = [], 0
    # A deleted span over a mark, or from it: the span's DELETED characters win (sorted before a mark it starts at).
    for start, end, new in sorted(edits, key=lambda edit: (edit[0], edit[2] != "")):
        start = max(start, done)
        if start >= end:
            continue
        parts += [chars[done:start], new or DELETED * (end - start)]
        done = end
    parts.append(chars[done:])
    return dataclasses.replace(text, text="".join(parts))


def _parts(text: str, main: int, marks: dict[int, int]) -> list[tuple[int, int, int]]:
    """The main text cut where its heading paragraphs start: (level, start, end), each heading with the text under
    it, level 0 for the text above the first. A heading's mark is a paragraph's ("\r"); its paragraph starts after
    the mark before it, a paragraph's, a cell's or a row's: a heading right after a table (whose paragraphs end at
    their cells' marks) was cut from the last "\r" above it, inside the table, whose rows above were lost to the
    section before and the rest headed by a row (probe 40)."""
    from jupyter_docchat.indexing.readers.word97_marks import ROW_END

    starts = sorted({max(text.rfind(end, 0, mark) for end in ("\r", "\x07", ROW_END)) + 1: marks[mark]
                     for mark in marks if mark < main and text[mark] == "\r"}.items())
    cuts: list[tuple[int, int, int]] = []
    at, level = 0, 0
    for start, next_level in starts:
        if start > at:
            cuts.append((level, at, start))
        at, level = start, next_level
    cuts.append((level, at, main))
    return cuts


def _not_ole(path: Path, data: bytes) -> list[Section]:
    """A file named .doc that is no Word 97-2003 document: a .docx renamed, an old text README, or RTF (named)."""
    if data.startswith(_ZIP):
        from jupyter_docchat.indexing.readers.docx import read_docx
        from jupyter_docchat.indexing.readers.office_package import package_kind

        if package_kind(data, "docx") == "docx":
            return read_docx(path, data)
        raise UnreadableFile("a PowerPoint deck named .doc: save it as .pptx")
    if data.lstrip().startswith(_RTF):
        raise UnreadableFile("an RTF document named .doc: save it as .docx to index it")
    if data.strip() and not looks_binary(data):
        from jupyter_docchat.indexing.readers.text import read_text

        return read_text(path, data)
    raise UnreadableFile("unreadable .doc (not a Word 97-2003 document)")


def read_ppt(path: Path, data: bytes) -> list[Section]:
    suffix = path.suffix.lower().lstrip(".") or "ppt"
    if not ole_file(data):
        raise UnreadableFile(f"unreadable .{suffix} (not a PowerPoint 97-2003 deck)")
    from jupyter_docchat.indexing.readers import powerpoint97

    with _open(data, suffix, "pptx") as ole:
        if ole.exists(_ENCRYPTED_SUMMARY) or ole.exists("EncryptedPackage"):
            raise _protected(suffix)
        if not ole.exists(_PPT_STREAM):
            raise UnreadableFile(f"unreadable .{suffix} (no PowerPoint deck in it)")
        stream = _stream(ole, _PPT_STREAM, suffix)
        current = _stream(ole, _CURRENT_USER, suffix) if ole.exists(_CURRENT_USER) else b""
        title = _title(ole)
    if powerpoint97.encrypted(stream):
        raise _protected(suffix)
    edit = powerpoint97.document_edit(current)
    offsets = powerpoint97.persist_offsets(stream, edit) if edit is not None else {}
    if any(kind == powerpoint97.CRYPT_SESSION for kind in powerpoint97.persist_kinds(stream, offsets)):
        raise _protected(suffix)
    slides = powerpoint97.slides(stream, offsets)
    return _slide_sections(slides, title)


def _slide_sections(slides: list[Any], core_title: str) -> list[Section]:
    """A slide a section under the deck's title (its first slide's, as readers/pptx.py takes it); a slide of the deck
    title's words alone (its cover) is no passage of its own where another slide's trail holds them."""
    stack = HeadingStack(slides[0].title if slides and slides[0].title else core_title)
    root = _words(stack.root)
    sections: list[Section] = []
    covers: list[Section] = []
    for slide in slides:
        heading = stack.enter(2, slide.title)
        lines = list(slide.lines)
        if slide.notes:
            lines += [NOTES_LABEL, *slide.notes]
        if not lines:
            continue
        section = Section("\n".join(lines), 1, heading, page=slide.number, kind="ppt")
        covered = len(slides) > 1 and not slide.notes and _words(section.text) <= root
        (covers if covered else sections).append(section)
    if not sections:
        sections = covers[:1]  # a deck of covers alone: its first
    return sections


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.casefold()))
