"""Property tests: random text and bytes into every reader and into chunking.

Whatever a file holds, a reader returns sections or raises UnreadableFile (the named skip), never
anything else; every chunk can be stored (no surrogate, no NUL or other control character); and a
chunk's lines are the file's lines from its start line on (lines counted at \\n, \\r\\n and \\r).
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pdfgen import pdf_bytes

from jupyter_docchat import DocIndex
from jupyter_docchat.indexing import chunking
from jupyter_docchat.indexing.chunking import Chunker
from jupyter_docchat.indexing.readers import UnreadableFile, decode, looks_binary, read_sections
from jupyter_docchat.indexing.readers.clean import shorten_runs
from jupyter_docchat.safe_text import SOFT_HYPHEN
from jupyter_docchat.types import Section

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FORMATS = ("txt", "md", "rst", "html", "py", "ipynb", "pdf", "docx", "pptx", "xlsx", "ods", "log", "csv", "tsv", "tex", "rmd",
           "yaml", "README", "epub", "odt", "odp", "fodt", "eml", "mbox", "vtt", "srt")
LINE_FORMATS = ("txt", "md", "rst", "py", "log", "tex", "rmd", "yaml", "README")  # a chunk's lines are the file's

ANY_CHAR = st.characters(codec=None, exclude_categories=())  # surrogates, controls, unassigned: all of them
MARKUP = st.sampled_from(["# Title", "## Sub", "Title", "=====", "-----", "```", "::", "    code", "* item", "",
                          "---", "...", "title: A page", "title: 'Quoted: title'", "\\section{Methods}",
                          "<h2>Head</h2>", "<p>", "</p>", "<pre>", "</pre>", "\r", "\r\n", "\x0c", "\u2028", "\x00"])
LINE = st.one_of(MARKUP, st.text(ANY_CHAR, max_size=120), st.text(st.sampled_from("ab \t.,"), max_size=300))
DOCUMENT = st.lists(LINE, max_size=60).map("\n".join)


def chunker(size: int = 200) -> Chunker:
    return Chunker(size, size // 5, lambda texts: [len(t) // 3 for t in texts], 60)


def storable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return not any(ord(c) < 32 and c not in "\t\n" for c in text)


def read_and_chunk(name: str, data: bytes, size: int = 200):
    """(sections, chunks), or None for a file named as unreadable."""
    try:
        sections = read_sections(Path(name), data)
    except UnreadableFile as exc:
        assert exc.reason and "\n" not in exc.reason
        return None
    return sections, chunker(size).chunk(name, "hash", sections)


def check_lines(chunks, lines: list[str]) -> None:
    for chunk in chunks:
        assert storable(chunk.text) and storable(chunk.heading)
        assert chunk.end_line == chunk.start_line + chunk.text.count("\n")
        for offset, line in enumerate(chunk.text.split("\n")):  # a long run without a space is cut short when read
            # Soft hyphens are left out as read (readers 33): "0\xad0" is read "00".
            expected = shorten_runs(lines[chunk.start_line - 1 + offset]).replace(SOFT_HYPHEN, "")
            assert line.strip() in expected, (chunk.start_line + offset, line)


def file_name(fmt: str) -> str:
    return fmt if fmt.isupper() else f"f.{fmt}"  # README: a name read as text without a suffix


def document_bytes(fmt: str, text: str) -> bytes:
    """A file of the format holding ``text`` (as it would be written, broken characters and all)."""
    if fmt in ("txt", "md", "rst", "py", "log", "csv", "tsv", "tex", "rmd", "yaml", "README"):
        return text.encode("utf-8", "surrogatepass")
    if fmt == "html":
        return f"<html><body><h1>T</h1><p>{text}</p><pre>{text}</pre></body></html>".encode("utf-8", "surrogatepass")
    if fmt == "ipynb":
        cells = [{"cell_type": kind, "metadata": {}, "source": part, **({"outputs": [], "execution_count": None}
                                                                         if kind == "code" else {})}
                 for kind, part in zip(("markdown", "code") * 50, text.split("\n\n"))]
        return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 4}).encode()
    if fmt == "pdf":
        printable = "".join(c for c in text if 32 <= ord(c) < 127 or c == "\n")
        return pdf_bytes([printable.split("\n")[:40], ["second page"]])
    if fmt in ("xlsx", "ods"):  # a row a line, its cells apart by tabs
        from sheetgen import marked, ods_bytes, xlsx_bytes

        grid = [line.split("\t") for line in text.split("\n")[:200]]
        if fmt == "ods":  # XML 1.0 holds no control character or lone surrogate, and OpenDocument has no escape for them
            return ods_bytes({"S": [["".join(c for c in cell if c.isprintable() and not 0xD800 <= ord(c) <= 0xDFFF)
                                     for cell in row] for row in grid]})

        def build(book) -> None:
            sheet = book.add_worksheet("S")
            for r, row in enumerate(grid):
                for c, cell in enumerate(row[:50]):
                    sheet.write_string(r, c, marked(cell))

        return xlsx_bytes(build)
    if fmt in ("epub", "odt", "odp", "fodt"):
        return book_bytes(fmt, text)
    if fmt in ("eml", "mbox", "vtt", "srt"):  # a message's body, a cue's text (walk 35)
        head = {"eml": "From: a@example.org\nSubject: S\n\n", "mbox": "From a@example.org Mon Jan  1 00:00:00 2001\n"
                "Subject: S\n\n", "vtt": "WEBVTT\n\n00:01.000 --> 00:02.000\n", "srt": "1\n00:00:01,000 --> 00:00:02,000\n"}
        return (head[fmt] + text).encode("utf-8", "surrogatepass")
    if fmt == "pptx":
        import pptx
        from pptx.util import Inches

        deck = pptx.Presentation()
        for part in text.split("\n\n")[:20]:  # a slide a paragraph of text, its lines a text box's paragraphs
            frame = deck.slides.add_slide(deck.slide_layouts[6]).shapes.add_textbox(0, 0, Inches(4), Inches(1)).text_frame
            frame.text = "".join(c for c in part if c == "\n" or (c.isprintable() and not 0xD800 <= ord(c) <= 0xDFFF))
        out = io.BytesIO()
        deck.save(out)
        return out.getvalue()
    import docx

    document = docx.Document()
    for part in text.split("\n"):
        document.add_paragraph("".join(c for c in part if c.isprintable() and not 0xD800 <= ord(c) <= 0xDFFF))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def book_bytes(fmt: str, text: str) -> bytes:
    """A book a page a paragraph of ``text``, or an OpenDocument file a paragraph a line, the text written into the XML
    as it is (markup, broken characters and all: the readers' parser recovers what it can)."""
    from bookgen import epub_bytes, odf_bytes, xhtml

    if fmt == "epub":
        pages = [(f"p{n}.xhtml", xhtml(f"<h1>Page {n}</h1><p>{part}</p>")) for n, part in enumerate(text.split("\n\n")[:20])]
        xml = epub_bytes("Random", pages, cover=False)
    elif fmt == "odp":
        xml = odf_bytes("presentation", "".join(f'<draw:page><draw:frame><draw:text-box><text:p>{part}</text:p>'
                                                f'</draw:text-box></draw:frame></draw:page>' for part in text.split("\n\n")))
    else:
        xml = odf_bytes("text", "".join(f"<text:p>{line}</text:p>" for line in text.split("\n")), flat=fmt == "fodt")
    return xml


@SETTINGS
@given(fmt=st.sampled_from(FORMATS), data=st.binary(max_size=3000))
def test_random_bytes_are_read_or_named_never_an_error(fmt: str, data: bytes) -> None:
    got = read_and_chunk(file_name(fmt), data)
    if got is not None and fmt in LINE_FORMATS:
        check_lines(got[1], decode(data).split("\n"))


@SETTINGS
@given(fmt=st.sampled_from(FORMATS), text=DOCUMENT)
@example(fmt="ipynb", text="# Title\nTitle\n# Title")  # a cell's two parts joined after a blank line: cited a line past it
@example(fmt="ipynb", text="# Title\n\n# Title")  # a chunk of two cells: its lines are counted across them
def test_random_text_is_read_storable_and_lines_stay_right(fmt: str, text: str) -> None:
    data = document_bytes(fmt, text)
    got = read_and_chunk(file_name(fmt), data)
    if got is None:
        assert fmt not in ("pdf", "docx", "pptx", "xlsx", "ods", "ipynb", "epub", "odt", "odp") and looks_binary(data)  # a NUL says binary
        return
    sections, chunks = got
    for chunk in chunks:
        assert storable(chunk.text) and storable(chunk.heading)
    if fmt in LINE_FORMATS:
        check_lines(chunks, decode(data).split("\n"))
    if fmt == "ipynb":  # lines within the cell, for a chunk of one cell (one of several cells is cited by its cells)
        for chunk in chunks:
            if chunk.last_cell is not None:
                continue
            # A Markdown cell is cut at its headings (readers 39): the cell's last line is its last section's.
            last = max(s.start_line + s.text.count("\n") for s in sections if s.cell == chunk.cell)
            assert chunk.start_line >= 1 and chunk.end_line <= last
    if fmt == "pdf":
        assert {chunk.page for chunk in chunks} <= {1, 2}


@SETTINGS
@given(texts=st.lists(DOCUMENT, min_size=1, max_size=4), starts=st.lists(st.integers(1, 500), min_size=4, max_size=4),
       size=st.integers(50, 400), window=st.sampled_from([chunking.WINDOW, 300, 1000]))
def test_chunking_any_sections_keeps_lines_relative_to_each_section(texts: list[str], starts: list[int],
                                                                   size: int, window: int) -> None:
    from jupyter_docchat.indexing.readers.clean import clean_text

    sections = [Section(clean_text(t), start, f"h{n}", kind="text", cell=n) for n, (t, start) in
                enumerate(zip(texts, starts))]
    shipped, chunking.WINDOW = chunking.WINDOW, window  # large sections go to the splitter in pieces
    try:
        chunks = chunker(size).chunk("f.txt", "hash", sections)
    finally:
        chunking.WINDOW = shipped
    for chunk in chunks:
        section = sections[chunk.cell]
        lines = section.text.split("\n")
        for offset, line in enumerate(chunk.text.split("\n")):
            assert line.strip() in lines[chunk.start_line - section.start_line + offset]
        assert "".join(chunk.text.split()) in "".join(section.text.split())  # a piece of its section, whole


def test_a_notebook_cell_holding_a_lone_surrogate_or_a_nul_is_indexed_not_the_end_of_the_index(tmp_path: Path) -> None:
    folder = tmp_path / "notebooks"
    folder.mkdir()
    cells = [{"cell_type": "markdown", "metadata": {}, "source": "# Reserves \ud800 note\n\nThe vault ratio\x00 is ten."},
             {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": "x = '\udfff'"}]
    (folder / "broken.ipynb").write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 4}))
    (folder / "control.html").write_bytes(b"<html><body><h1>Ledger</h1><p>The ledger\x01 balances\x0b daily.</p></body></html>")
    index = DocIndex(tmp_path / "store", collection="docs")
    report = index.update(folder)
    assert report.added == 2 and not report.skipped_files, report.summary()
    hits = index.search("vault ratio", k=2, mode="lexical")
    assert hits and hits[0].source == "broken.ipynb" and "\ufffd" in hits[0].text
    assert any("balances" in hit.text for hit in index.search("ledger balances", k=2, mode="lexical"))
    index.close()
