"""Walk 23 (glpk-doc's PDF manuals): what reading them showed."""

from __future__ import annotations

from pathlib import Path

from pdfgen import pdf_bytes

from jupyter_docchat.indexing.readers import read_sections


def _text(pages: list[list[str]]) -> str:
    return "\n".join(section.text for section in read_sections(Path("manual.pdf"), pdf_bytes(pages)))


def test_a_compound_s_own_hyphen_at_a_line_s_end_is_kept() -> None:
    """PDFium marks every hyphen ending a line as a break it may join (U+FFFE), a compound's own too: glpk.pdf's
    "interior-point" and "non-basic", written so dozens of times, became "interiorpoint" and "nonbasic" where a
    line broke them, words no search for "interior point" finds. A word the document writes hyphenated, and never
    joined, keeps its hyphen; a word TeX hyphenated ("envi-ronment") is joined as before."""
    text = _text([["The interior-point method and non-basic variables.", "An interior-",
                   "point solver keeps non-", "basic variables; its envi-", "ronment is set."]])
    assert "interior-point solver" in text
    assert "non-basic variables;" in text
    assert "environment is set" in text


def test_a_word_the_document_also_writes_joined_is_joined() -> None:
    """Where a document writes the word joined as well ("nonzero" and "non-zero"), the one it writes more wins;
    a tie is joined, as every break was before."""
    text = _text([["A nonzero value, a nonzero row and a non-zero column.", "Each non-", "zero entry counts."]])
    assert "Each nonzero entry" in text


def test_a_page_s_number_on_its_last_line_is_left_out() -> None:
    """glpk.pdf ends each of its 177 pages with its number alone on a line: "16" closed the page's last chunk
    and was quoted as part of its last sentence ("... gap is set to DBL_MAX. 127"). Where most pages end with
    their own number, that line is left out; a number that ends a page otherwise is text and stays."""
    got = read_sections(Path("manual.pdf"), pdf_bytes([["Intro text.", "1"], ["Rows are ordered.", "2"],
                                                      ["The answer is", "42"], ["Columns too.", "4"]]))
    assert [section.text.splitlines()[-1] for section in got] == ["Intro text.", "Rows are ordered.", "42",
                                                                 "Columns too."]
    assert [section.page for section in got] == [1, 2, 3, 4]


def test_a_single_page_keeps_its_last_number() -> None:
    got = read_sections(Path("note.pdf"), pdf_bytes([["Total items:", "1"]]))
    assert got[0].text.splitlines()[-1] == "1"


def test_a_skipped_file_gone_before_a_question_is_no_re_indexed_note(tmp_path) -> None:
    # Walk 23: an unreadable PDF, indexed (skipped), then deleted: the next answer said "[re-indexed 0 changed files]".
    from jupyter_docchat import DocIndex

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "notes.txt").write_text("The walrus ferry sails hourly from nine to five.")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 not really a pdf at all")
    index = DocIndex(tmp_path / "store")
    try:
        report = index.update(folder)
        assert report.skipped_files and report.skipped_files[0][0] == "broken.pdf"
        (folder / "broken.pdf").unlink()
        answer = index.ask("When does the walrus ferry sail?")
        assert answer.refreshed == "" and "ferry" in answer.text
        (folder / "more.txt").write_text("Tickets are sold on board.")
        assert index.ask("Where are tickets sold?").refreshed == "re-indexed 1 changed file (1 added)"
    finally:
        index.close()


def test_debian_s_notes_beside_a_package_s_documentation_are_read(tmp_path) -> None:
    # Walk 23: changelog.Debian.gz and NEWS.Debian.gz were "unsupported type" in every /usr/share/doc folder.
    import gzip

    from jupyter_docchat import DocIndex

    folder = tmp_path / "glpk-doc"
    folder.mkdir()
    (folder / "README.Debian").write_text("The examples are installed in /usr/share/doc/glpk-doc/examples.\n")
    (folder / "changelog.Debian.gz").write_bytes(gzip.compress(
        b"glpk (5.0-1) unstable; urgency=medium\n\n  * New upstream release.\n  * Build the walrus solver too.\n\n"
        b" -- A Maintainer <a@example.org>  Sun, 06 Dec 2026 10:00:00 +0000\n"))
    (folder / "NEWS.Debian.gz").write_bytes(gzip.compress(b"glpk (5.0-1) unstable\n\n  The glpsol binary moved.\n"))
    (folder / "notes.Debian.bin").write_bytes(b"\x00\x01")  # another name with Debian's suffix is no text file
    with DocIndex(tmp_path / "store") as index:
        report = index.update(folder)
        assert {s for s, _ in report.skipped_files} == {"notes.Debian.bin"}
        assert index.search("walrus solver", k=1, mode="lexical")[0].source == "changelog.Debian.gz"
        assert index.search("examples installed", k=1, mode="lexical")[0].source == "README.Debian"
        assert index.search("glpsol binary moved", k=1, mode="lexical")[0].source == "NEWS.Debian.gz"
