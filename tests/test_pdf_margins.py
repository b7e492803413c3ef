"""A PDF's running heads and feet are left out of its pages (readers 17, readers/pdf_margins.py).

Found reading Network UPS Tools' manuals (nut-doc, the bench's third held-out set): 222 chunks held "Network UPS
Tools User Manual 26 / 123"; a beamer talk repeats its section bar on every slide, LaTeX News its "– 2 –".
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from jupyter_docchat import DocIndex
from jupyter_docchat.indexing.readers.pdf_margins import without_running_lines

from conftest import write_tree
from pdfgen import write_pdf

BODY = ["Upsmon watches the UPS and shuts the computer down when the battery runs low.",
        "The driver talks to the hardware; upsd serves its status to the network.",
        "Each client needs a user in upsd.users with the rights it uses.",
        "Notifications are sent by upssched when an event is configured for it.",
        "The ups.conf file names each UPS and the driver that talks to it."]


def test_a_title_over_each_page_and_its_number_are_left_out() -> None:
    pages = [f"User Manual {n} / 5\n{text}\n{text.upper()}\n{n}" for n, text in enumerate(BODY, 1)]
    assert without_running_lines(pages) == [f"{text}\n{text.upper()}" for text in BODY]


def test_a_chapter_s_own_head_and_a_short_document_stay() -> None:
    names = ["Installing", "Configuring", "Monitoring", "Shutting down"]
    nth = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"]
    chapters = [f"{names[n // 10]}\n{BODY[n % 5]} ({names[n // 10]}, {nth[n % 10]} page)\nThe {nth[n % 10]} page ends."
                for n in range(40)]
    assert without_running_lines(chapters) == chapters  # each head on 10 of 40 pages: under 30 %
    rows = [f"Report\n2021-03-{n:02d} 12 {n}.5\n2021-04-{n:02d} 7 1.{n}" for n in range(1, 13)]
    assert without_running_lines(rows) == [row.split("\n", 1)[1] for row in rows]  # a table's rows are no running line
    two = ["Report 1\nFirst page.", "Report 2\nSecond page."]
    assert without_running_lines(two) == two  # too few pages to tell a running head from a title


def test_lines_inside_a_page_stay_whatever_they_repeat() -> None:
    pages = [f"Head {n}\nfirst\nSee the manual.\nmiddle\nlast\nfoot" for n in range(6)]
    assert all("See the manual." in page for page in without_running_lines(pages))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20),
                         max_size=8).map("\n".join), max_size=12))
def test_only_edge_lines_go_and_every_page_stays_a_page(pages: list[str]) -> None:
    out = without_running_lines(pages)
    assert len(out) == len(pages)
    for before, after in zip(pages, out):
        lines = [line for line in before.replace("\r\n", "\n").replace("\r", "\n").split("\n") if line.strip()]
        kept = [line for line in after.replace("\r\n", "\n").replace("\r", "\n").split("\n") if line.strip()]
        assert len(lines) - len(kept) <= 4  # two lines at each end at most
        assert _within(kept, lines)  # the page's own lines, in order
        assert _within(lines[2:-2], kept)  # and all of its middle


def _within(short: list[str], long: list[str]) -> bool:
    rest = iter(long)
    return all(any(line == other for other in rest) for line in short)


def test_a_real_store_holds_no_running_head(tmp_path: Path) -> None:
    folder = write_tree(tmp_path / "docs", {"notes.md": "# Notes\n\nNothing about UPS here.\n"})
    write_pdf(folder / "manual.pdf", [[f"Network UPS Tools User Manual {n} / 5", text, str(n)]
                                      for n, text in enumerate(BODY, 1)])
    with DocIndex(tmp_path / "store") as index:
        index.update(folder)
        hits = index.search("Network UPS Tools User Manual", k=10)
        pages = [h for h in hits if h.source == "manual.pdf"]
        assert pages and all("User Manual" not in h.text for h in pages)
        assert any("upsd.users" in h.text for h in index.search("Which file holds the users of upsd?", k=3))
