"""DocBook XSL's HTML pages (readers 17): a note's label is no heading, the Prev / Next bars are no text.

Found reading Network UPS Tools' manuals as Debian's nut-doc installs them (bench's third held-out set): a
``<div class="note"><h3 class="title">Note</h3>`` stands at its section's own heading level, so "Note" took the
section's place in the trail for the rest of it (538 of 5,234 chunks headed "... > Note"), and 189 chunks held the
"Prev | Next | Home" bars and the "Last updated" line of every page; git's user manual has three such notes.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from jupyter_docchat import DocIndex
from jupyter_docchat.indexing.readers.html import html_sections

from conftest import write_tree

BOXES = ("note", "tip", "warning", "caution", "important")
# Long enough that the chunker keeps the page's first section apart from the next (short ones are joined).
INTRO = "Source code, binary packages and Java packages each have their place, and each is described below. " * 5


def docbook_page(box: str = "note", after: str = "NUT is already available in many operating systems.") -> str:
    """A page as DocBook XSL writes it: navigation bars, a section title page, an admonition."""
    return (
        '<html><head><title>4. Download information</title></head><body>'
        '<div class="navheader"><table width="100%" summary="Navigation header"><tr><td><a href="a3.html">Prev</a>'
        '</td><th>4. Download information</th><td><a href="a5.html">Next</a></td></tr></table><hr /></div>'
        '<div class="section"><div class="titlepage"><div><div><h2 class="title">4. Download information</h2>'
        f'</div></div></div><p>This section presents the different methods to download NUT. {INTRO}</p>'
        '<div class="section"><div class="titlepage"><div><div><h3 class="title">4.2. Binary packages</h3>'
        f'</div></div></div><div class="{box}" style="margin-left: 0"><h3 class="title">{box.title()}</h3>'
        f'<p>The only official releases from this project are source code.</p></div><p>{after}</p></div></div>'
        '<div class="navfooter nut_footer"><hr />Last updated 2023-01-25 09:27:30 -- Network UPS Tools 2.8.0</div>'
        '<div class="navfooter"><hr /><table summary="Navigation footer"><tr><td><a href="a3.html">Prev</a></td>'
        '<td><a href="index.html">Home</a></td><td><a href="a5.html">Next</a></td></tr></table></div>'
        "</body></html>")


def test_a_note_s_label_is_text_of_its_section_and_the_bars_are_left_out() -> None:
    sections = html_sections(docbook_page())
    assert [s.heading for s in sections] == ["4. Download information", "4. Download information > 4.2. Binary packages"]
    body = sections[1].text
    assert body.startswith("4.2. Binary packages\n\nNote\n\nThe only official releases")
    assert body.endswith("NUT is already available in many operating systems.")
    text = "\n".join(s.text for s in sections)
    assert "Last updated" not in text and "Prev" not in text and "Home" not in text


@settings(max_examples=60, deadline=None)
@given(box=st.sampled_from(BOXES), after=st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
                                                  min_size=1, max_size=80).filter(lambda t: t.strip()))
def test_whatever_follows_a_box_stays_under_its_section(box: str, after: str) -> None:
    from html import escape

    sections = html_sections(docbook_page(box, escape(after)))
    headings = [s.heading for s in sections]
    assert not any(part in {b.title() for b in BOXES} for h in headings for part in h.split(" > "))
    assert headings[-1].endswith("4.2. Binary packages")


def test_a_sentence_after_a_note_is_found_under_its_section_in_a_real_store(tmp_path: Path) -> None:
    folder = write_tree(tmp_path / "docs", {"download.html": docbook_page(
        after="Binary packages of NUT are built for Debian, Fedora and FreeBSD by their own maintainers.")})
    with DocIndex(tmp_path / "store") as index:
        index.update(folder)
        hit = index.search("Who builds the binary packages for Debian?", k=1)[0]
        assert hit.heading == "4. Download information > 4.2. Binary packages"
        assert "Last updated" not in hit.text and "Next" not in hit.text
