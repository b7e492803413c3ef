"""Probe 13: built twins whose source gives no text. An empty, blank or binary paper.tex left paper.pdf out as
"built from paper.tex" and then was skipped itself: the folder's text was lost, nothing indexed."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pdfgen import write_pdf

from jupyter_docchat import DocIndex
from jupyter_docchat.indexing.scan import scan_folder

FINDING = "The lattice reduction converged after eleven rounds on every benchmark curve we tried."


@pytest.mark.parametrize("content", [b"", b"  \n\n\t\n", b"\x00\x01\x02\xff" * 100])
def test_a_source_with_no_text_leaves_its_pdf_indexed(tmp_path: Path, content: bytes) -> None:
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "paper.tex").write_bytes(content)
    write_pdf(folder / "paper.pdf", [["Results", FINDING]])
    with DocIndex(tmp_path / "store") as index:
        report = index.update(folder)
        assert "paper.pdf" in set(index.catalog.files(index.collection))
        assert ("paper.pdf", "built from paper.tex") not in report.skipped_files
        assert "paper.pdf" in [hit.source for hit in index.search("lattice reduction eleven rounds", k=3)]


def test_the_pdf_goes_when_the_empty_source_gets_text(tmp_path: Path) -> None:
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "paper.tex").write_text("")
    write_pdf(folder / "paper.pdf", [["Results", FINDING]])
    with DocIndex(tmp_path / "store") as index:
        index.update(folder)
        assert "paper.pdf" in set(index.catalog.files(index.collection))
        (folder / "paper.tex").write_text("\\section{Results}\n" + FINDING + "\n")
        report = index.update(folder)
        assert set(index.catalog.files(index.collection)) == {"paper.tex"}
        assert ("paper.pdf", "built from paper.tex") in report.skipped_files


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=64))
def test_a_build_is_left_out_only_beside_a_source_that_may_give_text(tmp_path_factory: pytest.TempPathFactory,
                                                                     content: bytes) -> None:
    folder = tmp_path_factory.mktemp("f")
    (folder / "notes.md").write_bytes(content)
    (folder / "notes.html").write_text("<p>The audit balanced.</p>")
    scan = scan_folder(folder, [], [])
    left_out = ("notes.html", "built from notes.md") in [(rel, scan.details.get(rel)) for rel, _ in scan.skipped]
    assert left_out == (bool(content.strip()) and b"\x00" not in content)
    assert left_out != ("notes.html" in dict(scan.files))
