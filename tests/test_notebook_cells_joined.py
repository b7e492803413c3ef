"""A notebook's cells under one heading share a chunk while they fit one (walk 27: a folder of 77 statsmodels
notebooks was 2,884 chunks, 1,056 of them under 100 characters, and the code a question asked for stood in a
chunk of its own, apart from the Markdown saying what it does). Real reading and chunking; a real store."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jupyter_docchat import DocIndex
from jupyter_docchat.indexing import reading
from jupyter_docchat.types import Section

SPEC = reading.ChunkerSpec(800, 100, "minilm")


def notebook(*cells: tuple[str, str]) -> str:
    return json.dumps({"cells": [{"cell_type": kind, "metadata": {}, "source": source,
                                  **({"outputs": [], "execution_count": None} if kind == "code" else {})}
                                 for kind, source in cells], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


STL_NOTEBOOK = notebook(
    ("markdown", "# Seasonal decomposition\n\nThis notebook splits a monthly series into trend, season and rest."),
    ("markdown", "## Decomposing the CO2 series\n\nThe decomposition needs the data series; pass `period` when "
                 "the series has no frequency, and an odd `seasonal` window:"),
    ("code", "from statsmodels.tsa.seasonal import STL\n\nstl = STL(co2, seasonal=13)\nres = stl.fit()"),
    ("code", "fig = res.plot()"),
    ("markdown", "## Robust fitting\n\nSetting `robust` weights down the outliers of the financial crisis."),
    ("code", "res_robust = STL(elec_equip, period=12, robust=True).fit()"),
)


def chunks_of(tmp_path: Path, text: str, name: str = "stl.ipynb") -> list:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return reading.read_one(name, path, SPEC).chunks


def test_a_markdown_cell_and_the_code_under_it_are_one_chunk_cited_by_both_cells(tmp_path: Path) -> None:
    chunks = chunks_of(tmp_path, STL_NOTEBOOK)
    located = [(c.cell, c.last_cell, c.heading) for c in chunks]
    assert located == [(1, None, "Seasonal decomposition"), (2, 4, "Decomposing the CO2 series"),
                       (5, 6, "Robust fitting")], located
    joined = chunks[1]
    assert joined.metadata()["last_cell"] == 4 and "last_cell" not in chunks[0].metadata()
    # The code is a fenced block under its introduction, not more of the paragraph.
    assert "odd `seasonal` window:\n\n```\nfrom statsmodels.tsa.seasonal import STL" in joined.text
    assert joined.text.endswith("```\nfig = res.plot()\n```")


def test_cells_that_do_not_fit_one_chunk_stay_apart(tmp_path: Path) -> None:
    long_markdown = "## Data\n\n" + "The series comes from the monthly survey of retail sales. " * 12
    chunks = chunks_of(tmp_path, notebook(("markdown", long_markdown), ("code", "sales = load('retail.csv')\n" * 8)))
    assert [(c.cell, c.last_cell) for c in chunks] == [(1, None), (2, None)]


def test_a_code_cell_with_backtick_fences_in_it_gets_a_longer_fence(tmp_path: Path) -> None:
    code = 'doc = """\n```\nnot the end\n```\n"""'
    chunks = chunks_of(tmp_path, notebook(("code", code)))
    assert chunks[0].text == f"````\n{code}\n````"


def test_a_piece_of_joined_cells_is_cited_by_the_cells_it_holds() -> None:
    section = Section("a\n\nb\nb\n\nc", 1, "", cell=3, cell_lines=((1, 3), (3, 4), (6, 5)))
    assert section.cells(1, 1) == (3, 3)
    assert section.cells(3, 4) == (4, 4)
    assert section.cells(4, 6) == (4, 5)
    assert Section("x", 1, "", cell=7).cells(1, 9) == (7, None)


def test_ask_quotes_the_code_and_cites_the_cells(tmp_path: Path) -> None:
    folder = tmp_path / "notebooks"
    folder.mkdir()
    (folder / "stl.ipynb").write_text(STL_NOTEBOOK, encoding="utf-8")
    (folder / "notes.md").write_text("# Notes\n\nMeeting notes about the quarterly budget and travel.\n", encoding="utf-8")
    index = DocIndex(tmp_path / "store")
    try:
        index.update(folder)
        answer = index.ask("How do I decompose the CO2 series into trend and season?")
        first = answer.sources[0]
        assert (first.file, first.location) == ("stl.ipynb", "cells 2-4"), answer.sources
        assert "STL(co2, seasonal=13)" in answer.text.split("Sources:")[0], answer.text
        hits = index.search("decompose the CO2 series", k=3)
        assert hits[0].location == "cells 2-4" and hits[0].last_cell == 4
    finally:
        index.close()


WORDS = st.text(alphabet="abcdefghij", min_size=1, max_size=8)
CELLS = st.lists(st.tuples(st.sampled_from(["markdown", "code"]),
                           st.lists(WORDS, min_size=1, max_size=60).map(" ".join),
                           st.booleans()), min_size=1, max_size=12)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(CELLS)
def test_every_cell_is_in_a_chunk_whose_cells_include_it(tmp_path: Path, cells: list[tuple[str, str, bool]]) -> None:
    """Whatever the cells and headings: each cell's words stand in a chunk cited by a range holding that cell,
    and every range lies within the notebook, first cell before last."""
    written = [(kind, (f"# T{n}\n\n{text}" if kind == "markdown" and titled else text) + f" cellmark{n}x")
               for n, (kind, text, titled) in enumerate(cells, 1)]
    chunks = chunks_of(tmp_path, notebook(*written), "p.ipynb")
    for c in chunks:
        assert 1 <= c.cell <= (c.last_cell or c.cell) <= len(cells), (c.cell, c.last_cell)
    for n in range(1, len(cells) + 1):
        holding = [c for c in chunks if f"cellmark{n}x" in c.text]
        assert holding and all(c.cell <= n <= (c.last_cell or c.cell) for c in holding), (n, [(c.cell, c.last_cell) for c in holding])


def test_a_quoted_block_under_also_is_a_paragraph_apart_from_the_bullets() -> None:
    from jupyter_docchat.qa.extractive import _also_lines

    block = "Supposing we have a series, we split it:\n\n```\ny = mu + eta\n```\n[5]"
    assert _also_lines(["- MSTL uses STL. [3]", block, "- Another. [2]"]) == \
        f"- MSTL uses STL. [3]\n\n{block}\n\n- Another. [2]"
    assert _also_lines([block]) == f"\n{block}"  # under "Also:\n": a blank line, not more of "Also:"
    assert _also_lines(["- a [1]", "- b [2]"]) == "- a [1]\n- b [2]"


@given(st.lists(st.one_of(st.from_regex(r"- [a-z ]{1,20} \[[1-5]\]", fullmatch=True),
                          st.from_regex(r"[A-Z][a-z ]{1,20}:\n\n```\n[a-z =]{1,20}\n```\n\[[1-5]\]", fullmatch=True)),
                min_size=1, max_size=6))
def test_no_line_of_a_block_follows_a_bullet_line(lines: list[str]) -> None:
    from jupyter_docchat.qa.extractive import ALSO, _also_lines

    shown = (ALSO + _also_lines(lines)).split("\n")
    for above, line in zip(shown, shown[1:]):
        if above.startswith("- ") or above == "Also:":
            assert line == "" or line.startswith("- "), shown
    assert [line for line in shown if line.startswith("- ")] == [line for line in lines if line.startswith("- ")]


def test_a_whole_section_of_a_notebook_is_cited_by_all_its_cells() -> None:
    """The section a question names, merged from its chunks, is cited from its first cell to its last: ``replace``
    kept the best chunk's own last cell, and a section of cells 2-9 read "cells 2-4"."""
    from jupyter_docchat.qa.sections import AskedSection
    from jupyter_docchat.types import Hit

    chunks = [Hit("a", "intro", "n.ipynb", "Fitting", cell=2, last_cell=4),
              Hit("b", "more", "n.ipynb", "Fitting", cell=5, last_cell=None),
              Hit("c", "end", "n.ipynb", "Fitting", cell=6, last_cell=9)]
    merged = AskedSection("Fitting", chunks).merged(chunks[0])
    assert (merged.cell, merged.last_cell, merged.location) == (2, 9, "cells 2-9")
    page = AskedSection("Intro", [Hit("p", "text", "a.pdf", "Intro", page=3)]).merged(Hit("p", "text", "a.pdf", page=3))
    assert page.last_cell is None and page.location == "p. 3"
