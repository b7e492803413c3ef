"""Issue 23's user paths on odd folders: whatever a folder holds, each file left out is named with its
reason, and no file stops the whole index."""

from __future__ import annotations

from pathlib import Path

from pdfgen import pdf_bytes

from jupyter_docchat import DocIndex


def test_a_file_with_no_text_is_named_not_counted_as_indexed(tmp_path: Path) -> None:
    folder = tmp_path / "downloads"
    folder.mkdir()
    (folder / "scan.pdf").write_bytes(pdf_bytes([[], []]))  # pages, but no text on them: a scan
    (folder / "blank.md").write_text("\n   \n\t\n")
    (folder / "report.pdf").write_bytes(pdf_bytes([["The vault ratio is ten percent."]]))
    index = DocIndex(tmp_path / "store")
    report = index.update(folder)
    assert report.added == 1 and set(index.catalog.files(index.collection)) == {"report.pdf"}
    assert ("scan.pdf", "no text (scanned pages? docchat does not read text in images)") in report.skipped_files
    assert ("blank.md", "no text") in report.skipped_files
    assert "scan.pdf (no text (scanned pages?" in report.summary()
    (folder / "blank.md").write_text("# Blank no more\n\nThe vault opens at nine.\n")
    again = index.update(folder)  # once it holds text it is indexed like any file
    assert again.added == 1 and again.unchanged == 1 and [s for s, _ in again.skipped_files] == ["scan.pdf"]
    (folder / "report.pdf").write_bytes(pdf_bytes([[]]))  # an indexed file that loses its text leaves the index
    last = index.update(folder)
    assert last.removed == 1 and set(index.catalog.files(index.collection)) == {"blank.md"}
    assert not index.search("vault ratio ten percent", k=3, mode="lexical") or all(
        h.source == "blank.md" for h in index.search("vault ratio ten percent", k=3, mode="lexical"))
    index.close()
