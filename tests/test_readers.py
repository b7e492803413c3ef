from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jupyter_docchat.indexing.readers import UnreadableFile, read_sections
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


def test_rst_sibling_titles_after_a_skipped_level_do_not_nest() -> None:
    # '-' is learnt as the second level, then a section goes from '=' straight to '~' (third).
    text = "A\n===\n\nB\n---\n\nC\n===\n\nD\n~~~\n\nd.\n\nE\n~~~\n\ne.\n"
    got = sections("a.rst", text)
    assert [s.heading for s in got] == ["A", "A > B", "C", "C > D", "C > E"]


def test_html_keeps_main_text_and_headings_drops_script_style_nav() -> None:
    page = ("<html><head><title>T</title><style>.x{}</style><script>var secret=1</script></head><body>"
            "<nav>Home | Menu</nav><main><h1>Intro</h1><p>First para.</p>\n<h2>Part</h2><p>Second para.</p></main>"
            "<footer>foot</footer></body></html>")
    got = sections("a.html", page)
    text = "\n".join(s.text for s in got)
    assert "First para." in text and "Second para." in text
    assert "secret" not in text and "Menu" not in text and ".x{}" not in text and "foot" not in text
    assert [s.heading for s in got] == ["T > Intro", "T > Intro > Part"]


def test_markdown_trail_survives_skipped_levels() -> None:
    got = sections("a.md", "## A\n\none\n\n### A1\n\ntwo\n\n### A2\n\nthree\n\n## B\n\nfour\n")
    assert [s.heading for s in got] == ["A", "A > A1", "A > A2", "B"]


def test_html_title_heads_the_trail_unless_the_first_heading_repeats_it() -> None:
    page = ("<html><head><title>Foreign Keys</title></head><body><h2>2. Enabling</h2><p>Use the pragma.</p>"
            "<h3>2.1 Details</h3><p>More text.</p><h3>2.2 Caveats</h3><p>Even more.</p></body></html>")
    assert [s.heading for s in sections("a.html", page)] == [
        "Foreign Keys > 2. Enabling", "Foreign Keys > 2. Enabling > 2.1 Details", "Foreign Keys > 2. Enabling > 2.2 Caveats"]
    page = "<html><head><title>6.2. apt-get</title></head><body><h2>6.2. apt-get</h2><p>APT is vast.</p></body></html>"
    assert [s.heading for s in sections("a.html", page)] == ["6.2. apt-get"]


def test_html_drops_sentence_free_site_chrome_before_the_first_heading() -> None:
    chrome = "<div>Small. Fast. Reliable.</div><ul><li><a href=a>Home</a><li><a href=b>Download</a></ul>"
    page = f"<html><head><title>T</title></head><body>{chrome}<h1>Intro</h1><p>The real text is here.</p></body></html>"
    got = sections("a.html", page)
    assert len(got) == 1 and "Download" not in got[0].text
    prose = "<p>This preamble is a real sentence that says something about the page.</p>"
    got = sections("a.html", f"<html><body>{prose}<h1>Intro</h1><p>Body.</p></body></html>")
    assert "real sentence" in got[0].text


def test_a_runaway_heading_is_cut_short_in_the_trail_but_kept_in_the_text() -> None:
    words = " ".join(f"word{i}" for i in range(400))
    got = sections("a.html", f"<html><body><h1>{words}<p>unclosed heading swallowed the page</p></body></html>")
    assert len(got[0].heading) <= 121 and got[0].heading.endswith("…")
    assert "word399" in got[0].text


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


def test_a_notebook_without_its_format_version_keeps_its_code_cells() -> None:
    """{"cells": [...]} as a script writes it, without "nbformat": nbformat took it for version 3, whose code
    cells hold "input", and every code cell read empty: a notebook of code cells gave no text (probe 14)."""
    import json

    cells = [{"cell_type": "code", "source": "frame = load_ledger('2024.csv')", "outputs": []},
             {"cell_type": "code", "source": ["total = frame.amount", ".sum()"], "outputs": [],
              "metadata": {}, "execution_count": None}]
    for notebook in ({"cells": cells}, {"cells": cells, "metadata": {}}, {"cells": [{"cell_type": "markdown",
                                                                                   "source": "# Load"}, *cells]}):
        got = sections("n.ipynb", json.dumps(notebook))
        assert [(s.kind, s.text) for s in got][-2:] == [
            ("code", "```\nframe = load_ledger('2024.csv')\n```"), ("code", "```\ntotal = frame.amount.sum()\n```")]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["code", "markdown", "raw"]), st.text(min_size=1, max_size=40)), max_size=6),
       st.sampled_from([{}, {"metadata": {}}, {"metadata": {}, "nbformat_minor": 4}]))
def test_every_cell_is_read_whatever_the_notebook_says_of_its_version(cells: list[tuple[str, str]], extra: dict) -> None:
    import json

    notebook = {"cells": [{"cell_type": kind, "source": source, "outputs": [], "metadata": {}} if kind == "code"
                          else {"cell_type": kind, "source": source, "metadata": {}} for kind, source in cells], **extra}
    got = sections("n.ipynb", json.dumps(notebook))
    assert [(s.cell, s.kind) for s in got] == [(n, kind) for n, (kind, source) in enumerate(cells, 1)
                                               if kind != "raw" and source.strip()]


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


def test_html_code_keeps_its_indentation() -> None:
    from jupyter_docchat.indexing.readers.html import html_sections

    page = "<h1>Views</h1><p>Like  this:</p><pre>def view(request):\n    if ok:\n\treturn 1</pre><p>Done  now.</p>"
    text = html_sections(page)[0].text
    assert "Like this:\n\ndef view(request):\n    if ok:\n    return 1\n\nDone now." in text
