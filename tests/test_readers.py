from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from jupyter_docchat.readers import UnreadableFile, read_sections
from pdfgen import pdf_bytes


def sections(name: str, data: bytes | str):
    data = data.encode() if isinstance(data, str) else data
    return read_sections(Path(name), data)


def test_markdown_splits_at_headings_with_trail_and_lines() -> None:
    text = "intro line\n\n# Title\n\nbody one\n\n```\n# not a heading\n```\n\n## Sub\n\nbody two\n"
    got = sections("a.md", text)
    assert [s.heading for s in got] == ["", "Title", "Title > Sub"]
    assert [s.start_line for s in got] == [1, 3, 11]
    assert "# not a heading" in got[1].text


def test_rst_titles_become_headings() -> None:
    text = "Guide\n=====\n\nIntro.\n\nInstall\n-------\n\nRun pip.\n"
    got = sections("a.rst", text)
    assert [s.heading for s in got] == ["Guide", "Guide > Install"]
    assert got[1].start_line == 6


def test_html_keeps_main_text_and_headings_drops_script_style_nav() -> None:
    page = ("<html><head><title>T</title><style>.x{}</style><script>var secret=1</script></head><body>"
            "<nav>Home | Menu</nav><main><h1>Intro</h1><p>First para.</p>\n<h2>Part</h2><p>Second para.</p></main>"
            "<footer>foot</footer></body></html>")
    got = sections("a.html", page)
    text = "\n".join(s.text for s in got)
    assert "First para." in text and "Second para." in text
    assert "secret" not in text and "Menu" not in text and ".x{}" not in text and "foot" not in text
    assert [s.heading for s in got] == ["Intro", "Intro > Part"]


def test_pdf_pages_are_numbered() -> None:
    got = sections("a.pdf", pdf_bytes([["first page text"], ["second page text"]]))
    assert [(s.page, s.text.strip()) for s in got] == [(1, "first page text"), (2, "second page text")]


def test_corrupt_and_encrypted_pdf_raise_unreadable() -> None:
    with pytest.raises(UnreadableFile, match="PDF"):
        sections("bad.pdf", b"%PDF-1.4\nthis is not really a pdf")
    from io import BytesIO

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(BytesIO(pdf_bytes([["secret"]]))))
    writer.encrypt("password")
    out = BytesIO()
    writer.write(out)
    with pytest.raises(UnreadableFile, match="encrypted"):
        sections("locked.pdf", out.getvalue())


def test_notebook_cells_keep_numbers_and_kinds() -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Analysis\ntext"), nbformat.v4.new_code_cell("x = 1"),
                nbformat.v4.new_raw_cell("raw"), nbformat.v4.new_code_cell("y = 2")]
    got = sections("n.ipynb", nbformat.writes(nb))
    assert [(s.cell, s.kind) for s in got] == [(1, "markdown"), (2, "code"), (4, "code")]
    assert got[1].heading == "Analysis"


def test_bad_encoding_is_decoded_not_fatal_and_binary_is_refused() -> None:
    got = sections("latin.txt", "caf\xe9 cr\xe8me".encode("cp1252"))
    assert got[0].text == "café crème"
    with pytest.raises(UnreadableFile, match="binary"):
        sections("blob.txt", b"abc\x00\x01\x02")
    with pytest.raises(UnreadableFile, match="unsupported"):
        sections("image.png", b"\x89PNG")


def test_docx_headings(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_heading("Budget", level=1)
    document.add_paragraph("The budget grew by 4 percent.")
    path = tmp_path / "a.docx"
    document.save(path)
    got = read_sections(path, path.read_bytes())
    assert got[0].heading == "Budget" and "grew by 4 percent" in got[0].text
