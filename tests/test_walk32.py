"""A folder of Office documents as students and researchers keep them: .docx reports and .pptx lecture slides (walk 32:
Python-Markdown's documentation as pandoc writes it to both, and python-docx's and python-pptx's own odd test files).

Before: every .pptx was "unsupported type"; a .docx was read paragraph by paragraph only, so its tables, page headers,
footers, comments and list markers were lost ("What is the default value of smart_angled_quotes?" was answered from
another page: the table saying "False" was not in the index), every section was cited from line 1, and a "Heading 2"
stood alone in the trail, not under its "Heading 1". The files here are made by python-docx and python-pptx in the test.
"""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import docx
import pptx
import pytest
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE
from pptx.util import Inches

from conftest import ask
from pdfgen import pdf_bytes
from test_reading_properties import chunker, storable

from jupyter_docchat import DocIndex
from jupyter_docchat.indexing.readers import UnreadableFile, read_sections
from jupyter_docchat.table_text import escape_cell
from jupyter_docchat.types import Hit

_V = 'xmlns:v="urn:schemas-microsoft-com:vml"'
_MC = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'


def check_lines(chunks, text: list[str]) -> None:
    """Each chunk's lines are the document's from its start line on; a table's head repeated over a piece of its rows
    (table_chunks.py) is the one line that stands above its place."""
    for chunk in chunks:
        assert storable(chunk.text) and storable(chunk.heading)
        assert 1 <= chunk.start_line <= chunk.end_line <= len(text)
        lines = chunk.text.split("\n")
        repeated = chunk.text.count("\n") - (chunk.end_line - chunk.start_line)
        assert lines[repeated:] == text[chunk.start_line - 1:chunk.end_line], (chunk, text)


def docx_bytes(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def append_block(document, xml: str) -> None:
    """A block written as Word writes it, where python-docx has no API for it, before the body's section properties."""
    body = document.element.body
    body.insert(len(body) - 1, parse_xml(xml))


def add_part(document, name: str, content_type: str, relation: str, xml: str) -> None:
    """A part as Word writes it (footnotes), which python-docx writes no API for, related to the document."""
    part = Part(PackURI(name), content_type, xml.encode(), document.part.package)
    document.part.relate_to(part, relation)


def text_box(words: str) -> str:
    return (f'<w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>{words}</w:t></w:r></w:p></w:txbxContent>'
            '</v:textbox></v:shape></w:pict>')


def report() -> bytes:
    document = docx.Document()
    document.add_paragraph("Field Season Report", style="Title")
    document.add_heading("Methods", level=1)
    document.add_paragraph("We sampled three lakes.")
    document.add_heading("Sampling", level=2)
    document.add_paragraph("Water was taken at dawn.")
    table = document.add_table(rows=3, cols=3)
    for row, cells in zip(table.rows, [("Lake", "Depth", "Samples"), ("Ohrid", "288 m", "41"), ("Prespa", "54 m", "17")]):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    document.add_paragraph("The table lists each lake.")
    document.add_paragraph("Label every bottle", style="List Bullet")
    document.add_paragraph("Freeze the filters", style="List Bullet")
    document.add_paragraph("Weigh", style="List Number")
    document.add_paragraph("Dry", style="List Number")
    note = document.add_paragraph("Nets were checked daily.")
    document.add_comment(note.runs, text="Which nets?", author="Ana")
    document.add_heading("Results", level=1)
    append_block(document, f'<w:sdt {nsdecls("w")}><w:sdtContent><w:p><w:r><w:t>Inside a content control</w:t></w:r></w:p>'
                           '</w:sdtContent></w:sdt>')
    append_block(document, f'<w:p {nsdecls("w")}><w:ins w:id="7" w:author="Ana"><w:r><w:t>Tracked insertion here</w:t>'
                           '</w:r></w:ins><w:del w:id="8" w:author="Ana"><w:r><w:delText>deleted words</w:delText></w:r>'
                           '</w:del></w:p>')
    box = text_box("Boxed caption words")
    append_block(document, f'<w:p {nsdecls("w")} {_V} {_MC}><w:r><w:t>Figure 1.</w:t></w:r><w:r><mc:AlternateContent>'
                           f'<mc:Choice Requires="wps">{box}</mc:Choice><mc:Fallback>{box}</mc:Fallback>'
                           '</mc:AlternateContent></w:r></w:p>')
    append_block(document, f'<w:p {nsdecls("w")}><w:r><w:t>The lake froze early</w:t></w:r><w:r><w:footnoteReference '
                           'w:id="2"/></w:r><w:r><w:t>.</w:t></w:r></w:p>')
    append_block(document, f'<w:p {nsdecls("w", "m")}><w:r><w:t>Energy: </w:t></w:r><m:oMath><m:r><m:t>E=m</m:t></m:r>'
                           '<m:sSup><m:e><m:r><m:t>c</m:t></m:r></m:e><m:sup><m:r><m:t>2</m:t></m:r></m:sup></m:sSup>'
                           '</m:oMath></w:p>')
    add_part(document, "/word/footnotes.xml", CT.WML_FOOTNOTES, RT.FOOTNOTES,
             f'<w:footnotes {nsdecls("w")}><w:footnote w:type="separator" w:id="0"><w:p><w:r><w:separator/></w:r>'
             '</w:p></w:footnote><w:footnote w:id="2"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t> In November, two weeks '
             'before the mean.</w:t></w:r></w:p></w:footnote></w:footnotes>')
    document.sections[0].header.paragraphs[0].text = "Limnology Lab - internal"
    document.sections[0].footer.paragraphs[0].text = "Printed for the field team"
    return docx_bytes(document)


def test_a_report_reads_whole_in_document_order_under_its_heading_levels() -> None:
    sections = read_sections(Path("report.docx"), report())
    by_heading = {s.heading: s.text for s in sections}
    assert list(by_heading) == ["Field Season Report > Methods",
                                "Field Season Report > Methods > Sampling", "Field Season Report > Results",
                                "Field Season Report > Page headers", "Field Season Report > Page footers",
                                "Field Season Report > Footnotes", "Field Season Report > Comments"]
    # The Title heads the section under the first heading: alone, it was a chunk of one line.
    assert by_heading["Field Season Report > Methods"].startswith("Field Season Report\nMethods\nWe sampled")
    sampling = by_heading["Field Season Report > Methods > Sampling"].split("\n")
    # The table in its place, between the paragraphs, a row a line under its header; then the lists' markers.
    assert sampling[sampling.index("Water was taken at dawn.") + 2:][:5] == [
        "| Lake | Depth | Samples |", "|---|---|---|", "| Ohrid | 288 m | 41 |", "| Prespa | 54 m | 17 |", ""]
    assert sampling.index("The table lists each lake.") > sampling.index("| Prespa | 54 m | 17 |")
    assert ["- Label every bottle", "- Freeze the filters", "1. Weigh", "2. Dry"] == [
        line for line in sampling if line[:2] in ("- ", "1.", "2.")]
    results = by_heading["Field Season Report > Results"]
    assert "Inside a content control" in results and "Tracked insertion here" in results
    assert "deleted words" not in results
    assert results.count("Boxed caption words") == 1  # the box's older copy (mc:Fallback) is not read again
    assert by_heading["Field Season Report > Page headers"] == "Limnology Lab - internal"
    assert by_heading["Field Season Report > Page footers"] == "Printed for the field team"
    assert by_heading["Field Season Report > Comments"] == "Ana: Which nets?"
    # A note's mark stays where the text has it, and the note is read under its number.
    assert "The lake froze early[1]." in results and "Energy: E=mc2" in results  # an equation's text read
    assert by_heading["Field Season Report > Footnotes"] == "[1] In November, two weeks before the mean."


def test_a_reports_lines_count_on_through_the_document() -> None:
    sections = read_sections(Path("report.docx"), report())
    lines: dict[int, str] = {}
    for section in sections:
        for n, line in enumerate(section.text.split("\n"), section.start_line):
            assert lines.setdefault(n, line) == line  # no two sections claim a line
    assert [s.start_line for s in sections] == sorted(s.start_line for s in sections)
    text = [lines.get(n, "") for n in range(1, max(lines) + 1)]
    assert text.index("Water was taken at dawn.") + 1 > sections[1].start_line > 1
    check_lines(chunker(200).chunk("report.docx", "hash", sections), text)


def deck() -> bytes:
    deck = pptx.Presentation()
    title = deck.slides.add_slide(deck.slide_layouts[0])
    title.shapes.title.text = "Soil Physics"
    title.placeholders[1].text = "Lecture 3"
    bullets = deck.slides.add_slide(deck.slide_layouts[1])
    bullets.shapes.title.text = "Infiltration"
    frame = bullets.placeholders[1].text_frame
    frame.text = "Water enters the soil"
    deeper = frame.add_paragraph()
    deeper.text, deeper.level = "fast in sand", 1
    bullets.notes_slide.notes_text_frame.text = "Ask who has seen a ponded field."
    table_slide = deck.slides.add_slide(deck.slide_layouts[5])
    table_slide.shapes.title.text = "Hydraulic conductivity"
    table = table_slide.shapes.add_table(3, 2, Inches(1), Inches(2), Inches(6), Inches(2)).table
    for r, cells in enumerate([("Soil", "K (cm/h)"), ("Sand", "21"), ("Clay", "0.06")]):
        for c, text in enumerate(cells):
            table.cell(r, c).text = text
    group_slide = deck.slides.add_slide(deck.slide_layouts[6])  # blank: no title
    group = group_slide.shapes.add_group_shape()
    for n, words in enumerate(("Pores fill first", "then the matrix")):
        group.shapes.add_textbox(Inches(1), Inches(1 + n), Inches(4), Inches(1)).text_frame.text = words
    steps = group_slide.shapes.add_textbox(Inches(1), Inches(4), Inches(4), Inches(1)).text_frame
    steps.text = "Wet the sample"
    steps.add_paragraph().text = "Weigh it"
    for paragraph in steps.paragraphs:  # numbered in the slide's own XML, as PowerPoint writes a numbered list
        paragraph._p.get_or_add_pPr().append(parse_xml('<a:buAutoNum xmlns:a="http://schemas.openxmlformats.org/'
                                                       'drawingml/2006/main" type="arabicPeriod"/>'))
    data = CategoryChartData()
    data.categories = ["Sand", "Clay"]
    data.add_series("Porosity", (0.35, 0.5))
    chart_slide = deck.slides.add_slide(deck.slide_layouts[5])
    chart_slide.shapes.title.text = "Porosity"
    chart_slide.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, Inches(1), Inches(2), Inches(6), Inches(4), data)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def test_a_deck_is_a_slide_a_section_under_deck_and_slide_title() -> None:
    sections = read_sections(Path("lecture.pptx"), deck())
    assert [(s.page, s.heading) for s in sections] == [
        (1, "Soil Physics"), (2, "Soil Physics > Infiltration"), (3, "Soil Physics > Hydraulic conductivity"),
        (4, "Soil Physics"), (5, "Soil Physics > Porosity")]
    text = {s.page: s.text.split("\n") for s in sections}
    assert text[1] == ["Soil Physics", "Lecture 3"]
    # A content placeholder's items are bulleted by the master, a level two spaces deeper.
    assert text[2] == ["Infiltration", "- Water enters the soil", "  - fast in sand", "Speaker notes:",
                       "Ask who has seen a ponded field."]
    assert text[3][:1] + text[3][2:6] == ["Hydraulic conductivity", "| Soil | K (cm/h) |", "|---|---|", "| Sand | 21 |",
                                          "| Clay | 0.06 |"]
    assert text[4] == ["Pores fill first", "then the matrix", "1. Wet the sample", "2. Weigh it"]  # a group walked
    assert "| Sand | 0.35 |" in text[5] and "| | Porosity |" in text[5]


def sectioned_deck(cover_subtitle: str = "") -> bytes:
    """A deck as pandoc and PowerPoint users make them: a cover, then section header slides over content slides."""
    deck = pptx.Presentation()
    cover = deck.slides.add_slide(deck.slide_layouts[0])
    cover.shapes.title.text = "Soil Physics"
    cover.placeholders[1].text = cover_subtitle
    for section, slides in (("Water", ("Infiltration", "Drainage")), ("Heat", ("Conduction",))):
        header = deck.slides.add_slide(deck.slide_layouts[2])
        header.shapes.title.text = section
        for title in slides:
            slide = deck.slides.add_slide(deck.slide_layouts[1])
            slide.shapes.title.text = title
            slide.placeholders[1].text_frame.text = f"{title} of water and heat in soil"
    for layout in deck.slide_layouts:  # a layout's name is the Office language's: the file's kind of layout counts
        layout.name = "Abschnittsüberschrift" if layout.element.get("type") == "secHead" else "Folie"
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def test_section_headers_head_the_slides_after_them_and_are_no_passage_alone() -> None:
    sections = read_sections(Path("soil.pptx"), sectioned_deck())
    assert [(s.page, s.heading) for s in sections] == [
        (3, "Soil Physics > Water > Infiltration"), (4, "Soil Physics > Water > Drainage"),
        (6, "Soil Physics > Heat > Conduction")]
    # A cover with more than its title (a lecturer, a date) is a passage: "who gives this lecture?"
    with_subtitle = read_sections(Path("soil.pptx"), sectioned_deck("Lecture 3, Dr. Ana Reyes"))
    assert (with_subtitle[0].page, with_subtitle[0].text) == (1, "Soil Physics\nLecture 3, Dr. Ana Reyes")


def test_a_deck_of_its_cover_alone_keeps_it() -> None:
    deck = pptx.Presentation()
    deck.slides.add_slide(deck.slide_layouts[0]).shapes.title.text = "Soil Physics"
    out = io.BytesIO()
    deck.save(out)
    assert [(s.page, s.text.strip()) for s in read_sections(Path("soil.pptx"), out.getvalue())] == [(1, "Soil Physics")]


def test_a_slide_is_cited_by_its_number_a_pdf_page_by_its_own() -> None:
    assert Hit("1", "t", "lectures/soil.pptx", page=4).location == "slide 4"
    assert Hit("1", "t", "papers/soil.pdf", page=4).location == "p. 4"


def test_without_the_extra_a_deck_is_named_with_the_install_line(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "pptx", None)  # as if python-pptx were not installed: its import fails
    with pytest.raises(UnreadableFile) as caught:
        read_sections(Path("lecture.pptx"), deck())
    assert caught.value.reason == "needs the pptx extra: pip install 'jupyter-docchat[pptx]'"


def test_an_office_owner_file_beside_an_open_document_is_a_lock_file() -> None:
    from jupyter_docchat.indexing.skips import LOCK_FILE, generated_file

    assert generated_file("~$report.docx") == generated_file("~$Lecture 3.PPTX") == LOCK_FILE
    assert generated_file("report.docx") == generated_file("~notes.docx") == ""


def test_a_deck_exported_to_pdf_beside_it_is_read_once_from_the_deck(tmp_path: Path) -> None:
    folder = tmp_path / "course"
    folder.mkdir()
    (folder / "lecture.pptx").write_bytes(deck())
    (folder / "lecture.pdf").write_bytes(pdf_bytes([["Soil Physics", "Lecture 3"], ["Infiltration"]]))
    (folder / "broken.pptx").write_bytes(b"PK\x03\x04 cut short")  # a deck no reader can open
    (folder / "broken.pdf").write_bytes(pdf_bytes([["Its export still reads"]]))
    with DocIndex(tmp_path / "store") as index:
        report = index.update(folder)
        assert ("lecture.pdf", "built from lecture.pptx") in report.skipped_files
        assert set(index.catalog.files(index.collection)) == {"lecture.pptx", "broken.pdf"}


def test_a_broken_deck_or_report_is_named_not_an_error() -> None:
    for name in ("a.pptx", "a.docx"):
        with pytest.raises(UnreadableFile, match=r"unreadable \.(pptx|docx) \(\w+\)"):
            read_sections(Path(name), b"PK\x03\x04 not a zip at all")


def test_a_student_asks_about_a_table_row_on_one_slide_in_the_shell(ip, tmp_path: Path) -> None:
    folder = tmp_path / "course"
    folder.mkdir()
    (folder / "lecture.pptx").write_bytes(deck())
    (folder / "report.docx").write_bytes(report())
    ip.run_line_magic("docchat_index", f'"{folder}" --quiet --wait')
    ask(ip, "What is the hydraulic conductivity of clay?", "--no-stream")
    turn = ip.user_ns["docchat_history"][-1]
    assert "0.06" in turn["answer"]
    assert any(s["source"] == "lecture.pptx" and s["location"] == "slide 3" for s in turn["sources"]), turn["sources"]
    ask(ip, "How deep is Ohrid?", "--no-stream")
    assert "288 m" in ip.user_ns["docchat_history"][-1]["answer"]


_TEXT = st.text(st.sampled_from("abcxyzABC019 .,:;|-()é"), min_size=1, max_size=40).filter(lambda t: t.strip())
PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(blocks=st.lists(st.one_of(
    st.tuples(st.just("p"), st.lists(_TEXT, min_size=1, max_size=3)),
    st.tuples(st.sampled_from(["h1", "h2", "h3"]), st.lists(_TEXT, min_size=1, max_size=1)),
    st.tuples(st.just("table"), st.lists(st.lists(_TEXT, min_size=2, max_size=3), min_size=2, max_size=4))),
    min_size=1, max_size=8))
def test_random_runs_and_cells_come_back_on_their_lines(blocks) -> None:
    document = docx.Document()
    for kind, parts in blocks:
        if kind == "p":
            paragraph = document.add_paragraph()
            for run in parts:
                paragraph.add_run(run)
        elif kind == "table":
            width = max(len(row) for row in parts)
            table = document.add_table(rows=len(parts), cols=width)
            for row, cells in zip(table.rows, parts):
                for cell, text in zip(row.cells, cells):
                    cell.text = text
        else:
            document.add_heading(parts[0], level=int(kind[1]))
    sections = read_sections(Path("r.docx"), docx_bytes(document))
    lines: dict[int, str] = {}
    for section in sections:
        for n, line in enumerate(section.text.split("\n"), section.start_line):
            assert lines.setdefault(n, line) == line
    text = [lines.get(n, "") for n in range(1, max(lines, default=0) + 1)]
    whole = "\n".join(text)
    for kind, parts in blocks:
        if kind == "p":
            assert "".join(parts) in text  # a paragraph's runs, one line
        elif kind == "table":
            for row in parts:
                for cell in row:
                    assert escape_cell(cell) in whole
        else:
            assert " ".join(parts[0].split()) in " ".join(s.heading for s in sections)
    for chunk in chunker(120).chunk("r.docx", "hash", sections):
        assert storable(chunk.text)
    check_lines(chunker(120).chunk("r.docx", "hash", sections), text)


@PROPERTY
@given(slides=st.lists(st.tuples(st.one_of(st.none(), _TEXT), st.lists(_TEXT, max_size=3),
                                 st.one_of(st.none(), _TEXT)), min_size=1, max_size=5))
def test_random_slides_come_back_on_their_slide_numbers(slides) -> None:
    deck = pptx.Presentation()
    for title, body, notes in slides:
        slide = deck.slides.add_slide(deck.slide_layouts[5 if title is not None else 6])
        if title is not None:
            slide.shapes.title.text = title
        for n, words in enumerate(body):
            slide.shapes.add_textbox(Inches(1), Inches(1 + n), Inches(4), Inches(1)).text_frame.text = words
        if notes is not None:
            slide.notes_slide.notes_text_frame.text = notes
    out = io.BytesIO()
    deck.save(out)
    sections = {s.page: s for s in read_sections(Path("d.pptx"), out.getvalue())}
    for number, (title, body, notes) in enumerate(slides, 1):
        words = [t for t in (title, *body) if t is not None and t.strip()]
        if not words and not (notes or "").strip():
            assert number not in sections
            continue
        if number not in sections:
            # A cover that is its title alone heads the deck: no passage of its own, its words in every slide's trail.
            assert number == 1 and title is not None and not (notes or "").strip() and sections
            assert " ".join(" ".join([title, *body]).split()) == " ".join(title.split())
            words = set(re.findall(r"\w+", title.casefold()))
            assert any(words <= set(re.findall(r"\w+", s.heading.casefold())) for s in sections.values())
            continue
        lines = sections[number].text.split("\n")
        for line in words:
            assert line in lines
        if title is not None:
            assert sections[number].heading.endswith(" ".join(title.split()))
            assert lines[0] == title
        if notes is not None and notes.strip():
            assert lines[lines.index("Speaker notes:") + 1] == notes
