"""A notebook's Markdown cell is headed as markdown-it reads the same lines in a .md file: no heading from an HTML
block's or a fenced block's "#" line, a setext title, attributes and reference links read; and a cell of hostile
Markdown costs linear time."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from jupyter_docchat.indexing.readers import read_sections
from jupyter_docchat.indexing.readers.markdown import parse_blocks, top_headings
from jupyter_docchat.indexing.readers.notebook import _first_title, read_notebook
from jupyter_docchat.safe_text import fenced, fences_closed
from jupyter_docchat.types import HeadingTrail

from conftest import least_seconds


def notebook(*cells: tuple[str, str]) -> bytes:
    return json.dumps({"cells": [{"cell_type": kind, "metadata": {}, "source": source,
                                  **({"outputs": [], "execution_count": None} if kind == "code" else {})}
                                 for kind, source in cells], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}).encode()


def headings(*cells: tuple[str, str]) -> list[str]:
    return [s.heading for s in read_sections(Path("n.ipynb"), notebook(*cells))]


def test_a_hash_line_in_an_html_block_or_a_fenced_block_heads_nothing() -> None:
    html = "<div class=\"note\">\n# not a heading\n</div>"
    assert headings(("markdown", html), ("code", "x = 1")) == ["", ""]
    assert headings(("markdown", "# Setup"), ("markdown", html), ("code", "x = 1")) == ["Setup"] * 3
    for fence in ("```", "~~~", "````"):
        # the lines above the cell's heading stay under the heading before the cell (none here)
        assert headings(("markdown", f"Run:\n\n{fence}bash\n# install the tools\n{fence}\n\n## After")) == ["", "After"]
    # An unclosed fence runs to the cell's end: its lines are code.
    assert headings(("markdown", "```\n# one\n\n# two")) == [""]


def test_a_heading_s_attributes_and_reference_links_are_read_as_in_a_markdown_file() -> None:
    source = "## Results {#sec-results .unnumbered}\n\nText."
    assert headings(("markdown", source)) == ["Results"]
    md = read_sections(Path("a.md"), source.encode())
    assert [s.heading for s in md] == ["Results"]
    cell = "## See the [field guide][guide]\n\nMore text.\n\n[guide]: https://example.org/guide"
    assert headings(("markdown", cell)) == ["See the field guide"]
    # A definition far below the heading, past what is parsed to find it, is still read.
    far = "## See [the guide][g]\n" + "line\n" * 5000 + "\n[g]: https://example.org"
    assert headings(("markdown", far)) == ["See the guide"]


def test_a_setext_title_heads_its_cell_and_the_cells_below() -> None:
    got = headings(("markdown", "Results\n======="), ("code", "x = 1"), ("markdown", "Intro.\n\nPart two\n--------\nmore"),
                   ("code", "y = 2"))
    assert got == ["Results", "Results", "Results", "Part two", "Part two"]  # "Intro." is under Results
    assert headings(("markdown", "Windows line ends\r\n=====\r\n")) == ["Windows line ends"]


def test_a_heading_in_a_list_or_a_quote_is_not_the_cell_s_as_in_a_markdown_file() -> None:
    assert headings(("markdown", "- step one\n  # inside the item\n\n> # quoted\n\n# Top")) == ["", "Top"]


def test_cell_and_heading_lines_stay_those_of_the_cell() -> None:
    read = read_notebook(Path("n.ipynb"), notebook(("markdown", "intro\n\n# Title\ntext"), ("code", "a = 1\nb = 2")))
    # A code cell is fenced: its line 0 is the opening fence, so that its first line is the cell's line 1.
    assert [(s.cell, s.start_line, s.kind, s.heading) for s in read] == [
        (1, 1, "markdown", ""), (1, 3, "markdown", "Title"), (2, 0, "code", "Title")]
    assert read[2].text.splitlines()[1:3] == ["a = 1", "b = 2"]


# "[\n=\n" and "\n# [a]": a setext title under a "[" and a title with a "[" were read again with the whole cell.
HOSTILE = ("\n# ", "\n# a", "\n=", "\n- a", "a\n", "[\n=\n", "\n# [a]")


def _best_of_3(data: bytes) -> float:
    return least_seconds(lambda: read_notebook(Path("n.ipynb"), data))


def test_a_cell_of_hostile_markdown_is_read_in_linear_time() -> None:
    """markdown-it took 6 s a megabyte for "\\n# " repeated (empty headings); a cell of it was read in no time
    by the patterns the reader had, and must stay so. A quarter and a half of a megabyte: a quadratic reading shows
    its 4 times there as well, and 1 and 2 MB made this the suite's slowest test (124 s of a 15-minute budget)."""
    for unit in HOSTILE:
        one, two = (_best_of_3(notebook(("markdown", unit * (kb * 1_000 // len(unit))))) for kb in (250, 500))
        assert two < 3 * one + 0.05, (unit, one, two)  # linear 2, quadratic 4; + 0.05 s: a timer's noise
        assert two < 5, (unit, two)  # about 0.6 s for the slowest unit here: a slow machine has room


PIECES = st.sampled_from([
    "# Title", "## Sub {#id .cls}", "#", "# ", "#no", "  # indented", "    # code", "\t# tab", "Title", "=====", "---",
    "```", "~~~", "<div>", "</div>", "<!--", "-->", "- item", "1. item", "> quote", "[a]: /u", '[a]: /u "t', '"t',
    'x"', "## See [a]", "a | b", "-|-", "", "  ", "text [b]", "\\# escaped", "###### six", "####### seven"])
# Few pieces, so that a definition's title left open over a setext underline and closed below comes often.
OPEN_TITLES = st.sampled_from(["[a]: /u", '[a]: /u "t', '"t', "Title", "=====", "---", 'x"', "", "# Real", "[b]"])
CELL = st.one_of(st.lists(PIECES, max_size=25), st.lists(OPEN_TITLES, max_size=12)).flatmap(
    lambda lines: st.sampled_from(["\n", "\r\n"]).map(lambda nl: nl.join(lines)))


def _full_parse_title(source: str) -> str:
    text = source.replace("\r\n", "\n").replace("\r", "\n")
    return next((title for _, _, title, _ in top_headings(parse_blocks(text, {}, front_matter=False)) if title.strip()), "")


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(["markdown", "code", "raw"]), CELL), max_size=6))
def test_random_markdown_cells_read_without_error_their_lines_within_the_cells(cells: list[tuple[str, str]]) -> None:
    read = read_notebook(Path("n.ipynb"), notebook(*cells))
    for section in read:
        kind, source = cells[section.cell - 1]
        # a Markdown cell's fenced block left open is closed with it, as Jupyter renders it (probe 28)
        assert section.kind == kind
        if kind == "markdown":
            # a piece of the cell cut at a heading: its lines are the cell's from its first line on
            lines = source.replace("\r\n", "\n").split("\n")
            piece = section.text.split("\n")
            shown = section.text == fences_closed(source) or piece == lines[section.start_line - 1:][:len(piece)]
            closed = fences_closed("\n".join(lines[section.start_line - 1:])) == section.text
            assert shown or closed, (section.start_line, section.text, lines)
        else:
            assert section.text == fenced(source.rstrip())
        assert (1 if kind == "markdown" else 0) <= section.start_line <= len(source.splitlines())
        assert len(HeadingTrail.of(section.heading).parts) <= 1


@settings(max_examples=600, deadline=None)
@given(CELL)
@example('[a]: /u\n"t\n===\nx"')  # a heading of the lines parsed first, a definition's title in the whole cell
@example('[a]: /u "t\n---\nmore\nx"\n\n# Real')
def test_a_cell_s_title_read_in_parts_is_the_title_of_the_whole_cell(source: str) -> None:
    """The reader parses a cell down to its first heading only, twice as far each time: the title it gets is
    the one a parse of the whole cell gives."""
    assert _first_title(source)[0] == _full_parse_title(source)


def test_a_cell_is_cut_at_its_headings_the_text_above_under_the_heading_before() -> None:
    """Probe 28's leftover: a cell's text above its own heading was cited under that heading, and the cells below a
    cell of two headings under its first."""
    read = read_notebook(Path("n.ipynb"), notebook(
        ("markdown", "# Intro\nThe notebook."),
        ("markdown", "Text above, about the intro.\n\n## Setup\nInstall things.\n\n## Fit\nFitting now."),
        ("code", "model.fit(x)")))
    assert [(s.cell, s.start_line, s.heading, s.text.split("\n")[0]) for s in read] == [
        (1, 1, "Intro", "# Intro"), (2, 1, "Intro", "Text above, about the intro."), (2, 3, "Setup", "## Setup"),
        (2, 6, "Fit", "## Fit"), (3, 0, "Fit", "```")]
    # A title with nothing under it in its cell opens the next piece and takes that piece's title: no chunk of a
    # title alone, and the cells below join it.
    read = read_notebook(Path("n.ipynb"), notebook(("markdown", "# Naive Bayes\n\n## Mixed features"),
                                                    ("markdown", "We model the mean."), ("code", "fit()")))
    assert [(s.start_line, s.heading) for s in read] == [(1, "Mixed features")] * 2 + [(0, "Mixed features")]
    assert read[0].text == "# Naive Bayes\n\n## Mixed features"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CELL)
def test_a_cell_cut_at_its_headings_loses_no_line_and_keeps_their_order(source: str) -> None:
    read = read_notebook(Path("n.ipynb"), notebook(("markdown", source)))
    lines = source.replace("\r\n", "\n").split("\n")
    kept = [n for n, line in enumerate(lines) if line.strip()]
    seen = []
    for section in read:
        for offset, line in enumerate(section.text.replace("\r\n", "\n").split("\n")):
            at = section.start_line - 1 + offset
            if at < len(lines) and line.strip():
                assert line == lines[at], (section.start_line, offset, line, lines)
                seen.append(at)
    assert seen == kept
