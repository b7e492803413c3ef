"""Walk 26 (PARI/GP's manuals as Debian's pari-doc installs them): a PDF manual's contents and index pages are lines
of dot leaders; libpari.pdf's made one in three of its chunks, each a handful of entries. (The walk's other finding,
every PDF chunk headed "page N", is tests/test_pdf_outline.py.)"""

from __future__ import annotations

from pathlib import Path

from jupyter_docchat import DocIndex
from jupyter_docchat.qa.extractive import _LEADERS


def _contents_page(names: list[str]) -> list[str]:
    return [f"{name} " + ". " * 40 + f"{n + 3}" for n, name in enumerate(names)]


def test_dot_leaders_are_cut_short_and_still_read_as_leaders(tmp_path: Path) -> None:
    from pdfgen import pdf_bytes

    from jupyter_docchat.indexing.readers.pdf import read_pdf

    names = [f"widget_{n}_resize" for n in range(30)]
    sections = read_pdf(tmp_path / "manual.pdf", pdf_bytes([_contents_page(names)]))
    lines = sections[0].text.splitlines()
    assert len(lines) == 30 and all(len(line) < 40 for line in lines), lines[:2]
    assert lines[0].startswith("widget_0_resize ") and lines[0].endswith(" 3")
    assert all(_LEADERS.search(line) for line in lines)


def test_an_index_page_is_a_few_chunks_not_one_for_every_few_entries(tmp_path: Path) -> None:
    from pdfgen import write_pdf

    docs = tmp_path / "docs"
    docs.mkdir()
    names = [f"gadget_{n}_frob" for n in range(40)]
    write_pdf(docs / "manual.pdf", [["Frobbing gadgets", "Call gadget_7_frob to frob the seventh gadget."],
                                    _contents_page(names)])
    with DocIndex(tmp_path / "store") as index:
        report = index.update(docs)
        assert report.chunks_total <= 6, report  # 14 with the leaders whole: a chunk of every three entries
        hits = index.search("gadget_7_frob", k=2)
    assert hits[0].page == 1


def test_a_short_run_of_dots_is_kept() -> None:
    from jupyter_docchat.indexing.readers.pdf import _short_leaders

    text = "Wait... then see x.py ...... [100%] and 1. 2. 3."
    assert _short_leaders(text) == text
