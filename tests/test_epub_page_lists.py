"""A print edition's page numbers in an EPUB (issue 23, leftovers 40): EPUB 3's <nav epub:type="page-list"> and EPUB
2's NCX <pageList> map them to places, and a page's break is marked in its text (<span epub:type="pagebreak">7</span>,
role="doc-pagebreak"). A chunk's ``page`` is a page's place in the reading order, a number, and a printed page
("xii", "42") has no place in the store's chunks without a change of its format: the numbers are kept out of the
text instead (a marker's "7" read "rock.7 They grow"), and a page list is never a book's contents."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bookgen import epub_bytes, xhtml

from jupyter_docchat.indexing.readers import read_sections

LICHENS = xhtml('<h1>Lichens</h1><p>Crustose lichens grow on rock.<span epub:type="pagebreak" role="doc-pagebreak" '
                'id="p7" title="7">7</span> They grow slowly.</p><p>Foliose lichens<span epub:type="pagebreak" '
                'id="p8" title="8"/> are leafy.</p>')
MOSSES = xhtml('<h1>Mosses</h1><p>Mosses hold water.</p><div role="doc-pagebreak" aria-label="ix">ix</div>'
               '<p>Peat moss makes peat.</p>')
PRINTED = {"ch1.xhtml#p7": "7", "ch1.xhtml#p8": "8", "ch2.xhtml": "ix"}


def _book(version: int) -> bytes:
    return epub_bytes("Field guide", [("ch1.xhtml", LICHENS), ("ch2.xhtml", MOSSES)], version=version,
                      toc={"ch1.xhtml": "Lichens", "ch2.xhtml": "Mosses"}, page_list=PRINTED)


@pytest.mark.parametrize("version", [2, 3])
def test_a_page_breaks_number_is_no_part_of_the_text(version: int) -> None:
    sections = read_sections(Path("guide.epub"), _book(version))
    texts = {section.heading: section.text for section in sections}
    assert texts["Field guide > Lichens"] == ("Lichens\n\nCrustose lichens grow on rock. They grow slowly.\n\n"
                                              "Foliose lichens are leafy.")
    assert texts["Field guide > Mosses"] == "Mosses\n\nMosses hold water.\n\nPeat moss makes peat."
    assert [section.page for section in sections] == [1, 2]


def _retyped(data: bytes, old: str, new: str) -> bytes:
    """The book with its nav page's ``old`` written ``new``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as book, zipfile.ZipFile(out, "w") as copy:
        for item in book.infolist():
            part = book.read(item)
            if item.filename.endswith("nav.xhtml"):
                part = part.replace(old.encode(), new.encode())
            copy.writestr(item, part)
    return out.getvalue()


def test_a_page_list_before_an_untyped_contents_names_no_chapter() -> None:
    """A nav page whose contents' <nav> has no epub:type: its first <nav> was taken for the contents, and the page list
    named the chapters "7" and "ix"."""
    data = _retyped(_book(3), '<nav epub:type="toc">', "<nav>")
    headings = [section.heading for section in read_sections(Path("guide.epub"), data)]
    assert headings == ["Field guide > Lichens", "Field guide > Mosses"]


@settings(max_examples=100, deadline=None)
@given(st.from_regex(r"[ivxlc]{1,6}|[1-9][0-9]{0,3}", fullmatch=True),
       st.sampled_from(['<span epub:type="pagebreak" title="{n}">{n}</span>', '<span role="doc-pagebreak">{n}</span>',
                        '<a epub:type="pagebreak" id="p{n}">{n}</a>',
                        '<span epub:type="pagebreak" aria-label="{n}"/>']))
def test_any_page_break_leaves_the_sentence_as_written(label: str, marker: str) -> None:
    page = xhtml(f"<h1>Ferns</h1><p>Ferns spread by spores.{marker.format(n=label)} Bracken is a fern.</p>")
    data = epub_bytes("Ferns", [("ferns.xhtml", page)], toc={"ferns.xhtml": "Ferns"})
    (section,) = read_sections(Path("ferns.epub"), data)
    assert section.text == "Ferns\n\nFerns spread by spores. Bracken is a fern."


def test_a_page_list_the_spine_reads_as_a_page_is_no_page_of_numbers() -> None:
    """An EPUB 2 book has no nav: a converter writes its page list as a page of the spine, every number a link."""
    listed = xhtml('<h1>Pages</h1><ol>' + "".join(f'<li><a href="{link}">{label}</a></li>'
                                                  for link, label in PRINTED.items()) +
                   '<li><a href="ch2.xhtml#p10">10</a></li><li><a href="ch2.xhtml#p11">11</a></li></ol>')
    data = epub_bytes("Field guide", [("ch1.xhtml", LICHENS), ("ch2.xhtml", MOSSES), ("pages.xhtml", listed)],
                      version=2, toc={"ch1.xhtml": "Lichens", "ch2.xhtml": "Mosses"})
    sections = read_sections(Path("guide.epub"), data)
    assert [section.heading for section in sections] == ["Field guide > Lichens", "Field guide > Mosses"]
