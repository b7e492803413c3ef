"""Walk 34: books and LibreOffice's files. EPUB 2 and 3 read in the spine's order through the HTML reader, cited by
chapter; OpenDocument text read in document order like a .docx, a presentation a slide a section like a .pptx. Every
file is written here, zip and XML, as EPUB and OpenDocument lay them out (no pandoc nor LibreOffice needed)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ask
from bookgen import epub_bytes, odf_bytes, xhtml
from pdfgen import pdf_bytes
from test_reading_properties import chunker, storable

from jupyter_docchat import DocIndex
from jupyter_docchat.indexing.readers import UnreadableFile, read_sections
from jupyter_docchat.indexing.readers.clean import clean_text
from jupyter_docchat.indexing.readers.office_package import XML_LIMIT
from jupyter_docchat.safe_text import SOFT_HYPHEN
from jupyter_docchat.table_text import escape_cell
from jupyter_docchat.types import Hit

# --- EPUB -------------------------------------------------------------------------------------------------------

def field_guide(version: int = 3) -> bytes:
    notes = ('<p>Lichens grow slowly<a href="#fn1" epub:type="noteref" role="doc-noteref">1</a> on bare rock.</p>'
             '<aside id="fn1" epub:type="footnote" role="doc-footnote"><p>About a millimetre a year.</p></aside>')
    if version == 2:  # pandoc's EPUB 2: no epub:type, notes at the page's end
        notes = ('<p>Lichens grow slowly<a href="#fn1" class="footnote-ref" id="fnref1"><sup>1</sup></a> on bare '
                 'rock.</p><div class="footnotes footnotes-end-of-document"><hr/><ol><li id="fn1"><p>About a millimetre '
                 'a year.<a href="#fnref1" class="footnote-back">\u21a9</a></p></li></ol></div>')
    pages = [
        ("title.xhtml", xhtml('<h1 class="title">Field Guide to Lichens</h1><p>A. Botanist</p>')),
        ("ch1.xhtml", xhtml('<section><h1>Crustose lichens</h1><p>Crustose lichens form a crust on stone.</p>'
                            f'<h2>Growth</h2>{notes}</section>')),
        ("ch2.xhtml", xhtml('<h1>Foliose lichens</h1><p>Leaf-like lobes.</p><table><tr><th>Species</th><th>Lobe width'
                            '</th></tr><tr><td>Parmelia</td><td>4 mm</td></tr><tr><td>Xanthoria</td><td>2 mm</td></tr>'
                            '</table>')),
        ("ch2b.xhtml", xhtml('<p>Foliose lichens peel off the bark in wet weather.</p>')),  # a split chapter's rest
    ]
    return epub_bytes("Field Guide to Lichens", pages, version=version,
                      toc={"title.xhtml": "Field Guide to Lichens", "ch1.xhtml": "1. Crustose lichens",
                           "ch2.xhtml": "2. Foliose lichens"})


@pytest.mark.parametrize("version", [2, 3])
def test_a_book_reads_in_spine_order_under_book_and_chapter(version: int) -> None:
    sections = read_sections(Path("lichens.epub"), field_guide(version))
    assert [(s.page, s.heading) for s in sections] == [
        (1, "Field Guide to Lichens"),
        (2, "Field Guide to Lichens > 1. Crustose lichens"),
        (2, "Field Guide to Lichens > 1. Crustose lichens > Growth"),
        *([(2, "Field Guide to Lichens > 1. Crustose lichens > Notes")] if version == 2 else []),
        (3, "Field Guide to Lichens > 2. Foliose lichens"),
        (4, "Field Guide to Lichens > 2. Foliose lichens")]  # the page the contents do not name goes on its chapter
    text = "\n".join(s.text for s in sections)
    # Nor the nav (every chapter's name again), nor the cover; the note's mark not glued to its word, its text kept.
    assert "Contents" not in text and "cover" not in text
    assert "Lichens grow slowly[1] on bare rock." in text and "About a millimetre a year." in text
    assert "\u21a9" not in text
    assert "| Parmelia | 4 mm |" in text
    assert all(s.kind == "epub" for s in sections)


def test_a_book_is_cited_by_its_chapter() -> None:
    assert Hit("1", "t", "books/lichens.epub", heading="Lichens > 2. Foliose > Lobes", page=3).location == "2. Foliose"
    assert Hit("1", "t", "books/lichens.epub", heading="Lichens", page=1).location == "Lichens"  # the title page
    assert Hit("1", "t", "books/lichens.epub", heading="", page=5).location == "part 5"
    assert Hit("1", "t", "talks/lichens.odp", page=4).location == "slide 4"


def test_a_books_spine_not_its_manifest_orders_it() -> None:
    pages = [(f"p{n}.xhtml", xhtml(f"<h1>Part {n}</h1><p>Words of part {n}.</p>")) for n in range(3)]
    sections = read_sections(Path("b.epub"), epub_bytes("B", pages, spine=[2, 0, 1], cover=False))
    assert [s.text.split("\n")[0] for s in sections] == ["Part 2", "Part 0", "Part 1"]
    assert [s.page for s in sections] == [1, 2, 3]


def test_an_epub2_pages_named_entities_and_xhtml_breaks_read_as_html_reads_them() -> None:
    page = ('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.1//EN" '
            '"http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd">\n<html xmlns="http://www.w3.org/1999/xhtml"><head><title>t'
            '</title></head><body><h1>Caf&eacute;&nbsp;culture</h1><p>one<br/>two &amp; three</p></body></html>')
    sections = read_sections(Path("e.epub"), epub_bytes("E", [("a.xhtml", page)], version=2, cover=False))
    html = read_sections(Path("a.html"), "<h1>Café\u00a0culture</h1><p>one<br>two &amp; three</p>".encode())
    assert [s.text for s in sections] == [s.text for s in html] == ["Café culture\n\none\n\ntwo & three"]
    assert sections[0].heading == "E > Café culture"


def test_a_title_page_of_the_title_alone_is_left_out() -> None:
    pages = [("t.xhtml", xhtml('<section epub:type="titlepage"><h1 class="title">Lake Notes</h1></section>')),
             ("a.xhtml", xhtml("<h1>Lake Notes</h1><p>Ohrid is deep.</p>"))]
    sections = read_sections(Path("t.epub"), epub_bytes("Lake Notes", pages, cover=False))
    assert [(s.page, s.heading, s.text) for s in sections] == [(1, "Lake Notes", "Lake Notes\n\nOhrid is deep.")]


def test_a_book_in_a_folder_with_a_space_and_percent_encoded_links() -> None:
    pages = [("chapter one.xhtml", xhtml("<h1>One</h1><p>First words.</p>"))]
    book = epub_bytes("Spaces", pages, toc={"chapter%20one.xhtml": "Chapter One"}, folder="OPS dir")
    sections = read_sections(Path("s.epub"), book)
    assert [(s.heading, s.text) for s in sections] == [("Spaces > Chapter One", "One\n\nFirst words.")]


def test_a_contents_page_the_spine_reads_is_left_out() -> None:
    links = "".join(f'<p><a href="c{n}.xhtml">Chapter {n}</a></p>' for n in range(6))
    pages = [("toc.xhtml", xhtml(f"<h1>Table of Contents</h1>{links}")),
             *((f"c{n}.xhtml", xhtml(f"<h1>Chapter {n}</h1><p>Body of chapter {n}.</p>")) for n in range(6))]
    sections = read_sections(Path("c.epub"), epub_bytes("C", pages, version=2, cover=False))
    assert "Table of Contents" not in " ".join(s.heading + s.text for s in sections)
    assert len(sections) == 6 and sections[0].page == 1


def test_drm_is_named_font_obfuscation_is_not_drm() -> None:
    pages = [("a.xhtml", xhtml("<h1>A</h1><p>Readable words.</p>"))]
    enc = ('<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" '
           'xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData><enc:EncryptionMethod Algorithm="{}"/>'
           '<enc:CipherData><enc:CipherReference URI="{}"/></enc:CipherData></enc:EncryptedData></encryption>')
    fonts = enc.format("http://www.idpf.org/2008/embedding", "OEBPS/fonts/a.otf")
    assert read_sections(Path("f.epub"), epub_bytes("F", pages, extra={"META-INF/encryption.xml": fonts.encode()}))
    drm = enc.format("http://www.w3.org/2001/04/xmlenc#aes128-cbc", "OEBPS/text/a.xhtml")
    with pytest.raises(UnreadableFile) as caught:
        read_sections(Path("d.epub"), epub_bytes("D", pages, extra={"META-INF/encryption.xml": drm.encode()}))
    assert caught.value.reason.startswith("DRM-protected .epub") and "\n" not in caught.value.reason


@pytest.mark.parametrize("name", ["a.epub", "a.odt", "a.odp"])
def test_a_broken_or_bombed_package_is_named(name: str) -> None:
    with pytest.raises(UnreadableFile, match=r"unreadable \.(epub|odt|odp) \(BadZipFile\)"):
        read_sections(Path(name), b"PK\x03\x04 cut short")
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("content.xml", b" " * (XML_LIMIT + 1))
    with pytest.raises(UnreadableFile, match="zip bomb"):
        read_sections(Path(name), bomb.getvalue())


def test_a_part_whose_size_lies_is_named_before_it_is_read() -> None:
    book = bytearray(epub_bytes("L", [("a.xhtml", xhtml("<h1>A</h1><p>" + "words " * 2000 + "</p>"))], cover=False))
    name = b"OEBPS/text/a.xhtml"
    # The central directory's size of the page, set to 100 bytes: zipfile would unpack what a read asks for.
    at = book.rindex(b"PK\x01\x02", 0, book.rindex(name))
    book[at + 24:at + 28] = (100).to_bytes(4, "little")
    with pytest.raises(UnreadableFile, match=r"unreadable \.epub"):
        read_sections(Path("l.epub"), bytes(book))


# --- OpenDocument -------------------------------------------------------------------------------------------------

REPORT = (
    '<text:sequence-decls><text:sequence-decl text:name="Table"/></text:sequence-decls>'
    '<text:p text:style-name="Title">Lake Survey</text:p>'
    '<text:table-of-content><text:index-body><text:p>Methods 1</text:p></text:index-body></text:table-of-content>'
    '<text:h text:outline-level="1">Methods</text:h>'
    '<text:p>We sampled <text:span>ten</text:span>  lakes.<text:note text:id="n1" text:note-class="footnote">'
    '<text:note-citation>1</text:note-citation><text:note-body><text:p>By boat.</text:p></text:note-body></text:note>'
    '<text:s text:c="2"/>Twice<text:tab/>a year.<office:annotation><dc:creator>Ana</dc:creator><text:p>Check this'
    '</text:p></office:annotation></text:p>'
    '<text:h text:outline-level="2">Sites</text:h>'
    '<text:list text:style-name="L1"><text:list-item><text:p>north shore</text:p><text:list><text:list-item>'
    '<text:p>reed bed</text:p></text:list-item><text:list-item><text:p>jetty</text:p></text:list-item></text:list>'
    '</text:list-item></text:list>'
    '<text:list text:style-name="L2"><text:list-item><text:p>Fill the bottle</text:p></text:list-item>'
    '<text:list-item><text:p>Label it</text:p></text:list-item></text:list>'
    '<table:table><table:table-column table:number-columns-repeated="3"/><table:table-header-rows><table:table-row>'
    '<table:table-cell><text:p>Lake</text:p></table:table-cell>'
    '<table:table-cell table:number-columns-spanned="2"><text:p>Depth</text:p></table:table-cell>'
    '<table:covered-table-cell/></table:table-row></table:table-header-rows>'
    '<table:table-row><table:table-cell table:number-rows-spanned="2"><text:p>Ohrid</text:p></table:table-cell>'
    '<table:table-cell><text:p>288 m</text:p></table:table-cell><table:table-cell><text:p>max</text:p>'
    '</table:table-cell></table:table-row><table:table-row><table:covered-table-cell/><table:table-cell><text:p>'
    '164 m</text:p></table:table-cell><table:table-cell><text:p>mean</text:p></table:table-cell>'
    '<table:table-cell table:number-columns-repeated="1000"/></table:table-row>'
    '<table:table-row table:number-rows-repeated="100000"><table:table-cell/></table:table-row></table:table>'
    '<text:h text:outline-level="1">Results</text:h>'
    '<text:p>Clear water.<draw:frame><draw:text-box><text:p>Box: secchi 12 m</text:p></draw:text-box></draw:frame>'
    '</text:p><draw:frame><draw:image/><svg:title>Map of the lake</svg:title></draw:frame>'
    '<text:tracked-changes><text:changed-region><text:deletion><text:p>deleted words</text:p></text:deletion>'
    '</text:changed-region></text:tracked-changes>')
REPORT_STYLES = ('<style:master-page style:name="Standard"><style:header><text:p>Survey 2026</text:p></style:header>'
                 '<style:footer><text:p>Page <text:page-number>3</text:page-number></text:p></style:footer>'
                 '</style:master-page>')


@pytest.mark.parametrize("flat", [False, True])
def test_a_text_reads_in_document_order_under_its_heading_levels(flat: bool) -> None:
    sections = read_sections(Path("survey.fodt" if flat else "survey.odt"), odf_bytes("text", REPORT, REPORT_STYLES, flat=flat))
    assert [(s.heading, s.apart) for s in sections] == [
        ("Lake Survey > Methods", False), ("Lake Survey > Methods > Sites", False), ("Lake Survey > Results", False),
        ("Lake Survey > Page headers", True), ("Lake Survey > Footnotes", True), ("Lake Survey > Comments", True)]
    text = {s.heading.rsplit(" > ", 1)[-1]: s.text.split("\n") for s in sections}
    assert text["Methods"] == ["Lake Survey", "Methods", "We sampled ten  lakes.[1]  Twice\ta year."]
    assert text["Sites"][:6] == ["Sites", "- north shore", "  a. reed bed", "  b. jetty", "1. Fill the bottle",
                                 "2. Label it"]
    # A header merged across names both its columns; a cell merged down stands in each row; no empty row or column.
    assert text["Sites"][6:] == ["", "| Lake | Depth | Depth |", "|---|---|---|", "| Ohrid | 288 m | max |",
                                 "| Ohrid | 164 m | mean |", ""]
    assert text["Results"] == ["Results", "Clear water.", "Box: secchi 12 m", "Map of the lake"]
    assert text["Page headers"] == ["Survey 2026"] and text["Footnotes"] == ["[1] By boat."]
    assert text["Comments"] == ["Ana: Check this"]
    whole = "\n".join(s.text for s in sections)
    assert "deleted words" not in whole and "Methods 1" not in whole and "Page 3" not in whole


def test_a_texts_lines_count_on_through_the_document() -> None:
    sections = read_sections(Path("survey.odt"), odf_bytes("text", REPORT, REPORT_STYLES))
    lines: dict[int, str] = {}
    for section in sections:
        for n, line in enumerate(section.text.split("\n"), section.start_line):
            assert lines.setdefault(n, line) == line
    starts = [s.start_line for s in sections]
    assert starts == sorted(set(starts)) and max(lines) <= len(lines) + len(sections)  # at most a blank line between parts


DECK = (
    '<draw:page draw:name="page1"><draw:frame presentation:class="subtitle"><draw:text-box><text:p>Field course'
    '</text:p></draw:text-box></draw:frame><draw:frame presentation:class="title"><draw:text-box><text:p>Lake Ecology'
    '</text:p></draw:text-box></draw:frame></draw:page>'
    '<draw:page draw:name="page2"><draw:frame presentation:class="title"><draw:text-box><text:p>Oxygen</text:p>'
    '</draw:text-box></draw:frame><draw:frame presentation:class="outline"><draw:text-box><text:list><text:list-item>'
    '<text:p>falls with depth</text:p><text:list><text:list-item><text:p>fast in summer</text:p></text:list-item>'
    '</text:list></text:list-item></text:list></draw:text-box></draw:frame>'
    '<draw:frame presentation:class="page-number"><draw:text-box><text:p>2</text:p></draw:text-box></draw:frame>'
    '<presentation:notes><draw:page-thumbnail/><draw:frame presentation:class="notes"><draw:text-box><text:p>Ask about '
    'winter.</text:p></draw:text-box></draw:frame></presentation:notes></draw:page>'
    '<draw:page draw:name="page3"/>'
    '<draw:page draw:name="page4"><draw:frame presentation:class="title"><draw:text-box><text:p>Depths</text:p>'
    '</draw:text-box></draw:frame><draw:frame><table:table table:use-first-row-styles="true"><table:table-row><table:table-cell><text:p>Lake</text:p>'
    '</table:table-cell><table:table-cell><text:p>Max</text:p></table:table-cell></table:table-row><table:table-row>'
    '<table:table-cell><text:p>Prespa</text:p></table:table-cell><table:table-cell><text:p>54 m</text:p>'
    '</table:table-cell></table:table-row></table:table></draw:frame><draw:g><draw:custom-shape><text:p>grouped words'
    '</text:p></draw:custom-shape></draw:g></draw:page>')


@pytest.mark.parametrize("flat", [False, True])
def test_a_presentation_is_a_slide_a_section_cited_by_number(flat: bool) -> None:
    sections = read_sections(Path("ecology.fodp" if flat else "ecology.odp"), odf_bytes("presentation", DECK, flat=flat))
    assert [(s.page, s.heading, s.kind) for s in sections] == [
        (1, "Lake Ecology", "odp"), (2, "Lake Ecology > Oxygen", "odp"), (4, "Lake Ecology > Depths", "odp")]
    text = {s.page: s.text.split("\n") for s in sections}
    assert text[1] == ["Lake Ecology", "Field course"]  # the title first
    assert text[2] == ["Oxygen", "- falls with depth", "  - fast in summer", "Speaker notes:", "Ask about winter."]
    assert text[4] == ["Depths", "", "| Lake | Max |", "|---|---|", "| Prespa | 54 m |", "", "grouped words"]


def test_a_password_protected_or_other_opendocument_is_named() -> None:
    data = bytearray(odf_bytes("text", "<text:p>x</text:p>"))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            body = source.read(item)
            if item.filename == "META-INF/manifest.xml":
                body = body.replace(b'manifest:media-type="application/vnd.oasis.opendocument.text"/>',
                                    b'manifest:media-type="text/xml"><manifest:encryption-data/></manifest:file-entry>')
            target.writestr(item, body)
    with pytest.raises(UnreadableFile, match=r"password-protected \.odt"):
        read_sections(Path("secret.odt"), out.getvalue())
    with pytest.raises(UnreadableFile, match="holding spreadsheet"):
        read_sections(Path("sheet.odt"), odf_bytes("spreadsheet", "<table:table/>"))
    # A presentation named .odt is read as the slides it is.
    assert [s.page for s in read_sections(Path("deck.odt"), odf_bytes("presentation", DECK))] == [1, 2, 4]


# --- a folder, the shell ---------------------------------------------------------------------------------------


def test_a_pdf_exported_beside_its_book_or_text_is_read_once(tmp_path: Path) -> None:
    folder = tmp_path / "reading"
    folder.mkdir()
    (folder / "lichens.epub").write_bytes(field_guide())
    (folder / "lichens.pdf").write_bytes(pdf_bytes([["Field Guide to Lichens"]]))
    (folder / "survey.odt").write_bytes(odf_bytes("text", REPORT, REPORT_STYLES))
    (folder / "survey.pdf").write_bytes(pdf_bytes([["Lake Survey"]]))
    (folder / "ecology.odp").write_bytes(odf_bytes("presentation", DECK))
    with DocIndex(tmp_path / "store") as index:
        report = index.update(folder)
        assert ("lichens.pdf", "built from lichens.epub") in report.skipped_files
        assert ("survey.pdf", "built from survey.odt") in report.skipped_files
        assert set(index.catalog.files(index.collection)) == {"lichens.epub", "survey.odt", "ecology.odp"}


def test_a_student_asks_her_books_and_slides_in_the_shell(ip, tmp_path: Path) -> None:
    folder = tmp_path / "reading"
    folder.mkdir()
    (folder / "lichens.epub").write_bytes(field_guide())
    (folder / "survey.odt").write_bytes(odf_bytes("text", REPORT, REPORT_STYLES))
    (folder / "ecology.odp").write_bytes(odf_bytes("presentation", DECK))
    ip.run_line_magic("docchat_index", f'"{folder}" --quiet --wait')
    ask(ip, "What is the lobe width of Xanthoria?", "--no-stream")
    turn = ip.user_ns["docchat_history"][-1]
    assert "2 mm" in turn["answer"]
    assert any(s["source"] == "lichens.epub" and s["location"] == "2. Foliose lichens" for s in turn["sources"]), \
        turn["sources"]
    ask(ip, "How deep is Prespa?", "--no-stream")
    turn = ip.user_ns["docchat_history"][-1]
    assert "54 m" in turn["answer"]
    assert any(s["source"] == "ecology.odp" and s["location"] == "slide 4" for s in turn["sources"]), turn["sources"]


# --- properties ----------------------------------------------------------------------------------------------------

# Text as documents hold it, and worse: surrogates, NUL and other controls, which XML cannot hold (written as the
# characters a file may hold after them: the reader must lose none of the rest and store nothing it cannot).
_WORDS = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"), min_size=1, max_size=30)
_ODD = st.text(st.sampled_from("ab \x00\x01\x1f\ud800\udfff\t<>&é"), min_size=1, max_size=12)
PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _xml_text(text: str) -> str:
    """``text`` as an XML file can hold it: without the characters XML forbids (NUL, controls, lone surrogates)."""
    return "".join(c for c in text if c in "\t\n" or (" " <= c and not "\ud800" <= c <= "\udfff" and c not in "\ufffe\uffff"))


def _words_of(text: str) -> list[str]:
    """The words of ``text`` as every reader cleans them (clean_text: controls and soft hyphens dropped)."""
    cleaned = clean_text(_xml_text(text)).replace(SOFT_HYPHEN, "")
    return [w for w in cleaned.split() if any(c.isalnum() for c in w)]


@PROPERTY
@given(pages=st.lists(st.tuples(st.one_of(st.none(), _WORDS), st.lists(st.one_of(_WORDS, _ODD), min_size=1, max_size=3)),
                      min_size=1, max_size=5), data=st.data())
def test_random_books_keep_every_word_on_its_page_in_spine_order(pages, data) -> None:
    order = data.draw(st.permutations(range(len(pages))))
    # Each page ends with its own mark, so each is read and known by it.
    files = [(f"p{n}.xhtml", xhtml((f"<h1>{escape(_xml_text(heading))}</h1>" if heading else "")
                                   + "".join(f"<p>{escape(_xml_text(p))}</p>" for p in body) + f"<p>mark{n}</p>"))
             for n, (heading, body) in enumerate(pages)]
    sections = read_sections(Path("r.epub"), epub_bytes("Random", files, spine=list(order), cover=False))
    by_page: dict[int, str] = {}
    for section in sections:
        assert storable(section.text) and storable(section.heading)
        assert section.heading.split(" > ")[0] == "Random"
        by_page[section.page or 0] = by_page.get(section.page or 0, "") + "\n" + section.text + " " + section.heading
    assert sorted(by_page) == list(range(1, len(order) + 1))
    for number, n in enumerate(order, 1):  # each page's words on its own place in the reading order
        heading, body = pages[n]
        got = " ".join(by_page[number].split())
        assert f"mark{n}" in got
        for word in _words_of(" ".join([heading or "", *body])):
            assert word in got, (word, got)
    for chunk in chunker(120).chunk("r.epub", "hash", sections):
        assert storable(chunk.text) and storable(chunk.heading)


@PROPERTY
@given(blocks=st.lists(st.one_of(
    st.tuples(st.just("p"), st.lists(st.one_of(_WORDS, _ODD), min_size=1, max_size=3)),
    st.tuples(st.sampled_from(["1", "2", "3"]), st.lists(_WORDS, min_size=1, max_size=1)),
    st.tuples(st.just("table"), st.lists(st.lists(_WORDS, min_size=2, max_size=3), min_size=2, max_size=4))),
    min_size=1, max_size=8))
def test_random_texts_keep_every_word_on_its_line(blocks) -> None:
    body = ""
    for kind, parts in blocks:
        if kind == "p":
            body += "<text:p>" + "".join(f"<text:span>{escape(_xml_text(p))}</text:span>" for p in parts) + "</text:p>"
        elif kind == "table":
            body += "<table:table>" + "".join("<table:table-row>" + "".join(
                f"<table:table-cell><text:p>{escape(_xml_text(c))}</text:p></table:table-cell>" for c in row)
                + "</table:table-row>" for row in parts) + "</table:table>"
        else:
            body += f'<text:h text:outline-level="{kind}">{escape(_xml_text(parts[0]))}</text:h>'
    sections = read_sections(Path("r.odt"), odf_bytes("text", body))
    lines: dict[int, str] = {}
    for section in sections:
        assert storable(section.text) and storable(section.heading)
        for n, line in enumerate(section.text.split("\n"), section.start_line):
            assert lines.setdefault(n, line) == line
    whole = "\n".join(lines[n] for n in sorted(lines))
    headings = " ".join(s.heading for s in sections)
    for kind, parts in blocks:
        if kind == "p":
            for word in _words_of("".join(parts)):
                assert word in whole
        elif kind == "table":
            for row in parts:
                for cell in row:
                    assert all(word in whole for word in _words_of(escape_cell(cell)))
        else:
            assert all(word in headings for word in _words_of(parts[0]))
    for chunk in chunker(120).chunk("r.odt", "hash", sections):
        assert storable(chunk.text) and storable(chunk.heading)


def test_a_list_items_next_paragraph_stays_under_it_and_a_header_is_not_counted() -> None:
    body = ('<text:list text:style-name="L2"><text:list-header><text:p>Steps</text:p></text:list-header>'
            '<text:list-item><text:p>Fill the bottle</text:p><text:p>to the brim</text:p><text:h>not a heading</text:h>'
            '</text:list-item><text:list-item><text:p>Label it</text:p></text:list-item></text:list>')
    sections = read_sections(Path("l.odt"), odf_bytes("text", body))
    assert [s.text.split("\n") for s in sections] == [
        ["Steps", "1. Fill the bottle", "  to the brim", "  not a heading", "2. Label it"]]
