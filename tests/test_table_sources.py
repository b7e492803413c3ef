"""The rest of a table a source holds a piece of or names, read offline (issue 23: table questions quoted whole):
a long table's pieces beside a retrieved one, a row named by the question, and a PDF's table under its caption
in another chunk than the sentence naming it."""

from __future__ import annotations

from pathlib import Path

from conftest import write_tree
from pdfgen import write_pdf

from jupyter_docchat import DocIndex
from jupyter_docchat.qa.answer_levers import SHIPPED
from jupyter_docchat.qa.answer_units import split_units
from jupyter_docchat.qa.extractive import extractive_answer, rank_units
from jupyter_docchat.qa.table_pieces import with_named_tables, with_table_neighbours

# An alphabetical list of plugins, too long for one chunk: "tool-x" stands just before the names it is a prefix of.
NAMES = [f"tool-{c}{d}" for c in "abcdefgh" for d in "mnop"] + ["tool-x", "tool-x-forked", "tool-x-tracker"] \
    + [f"tool-z{d}" for d in "mnopqrstuv"]
SUMMARY = {"tool-x": "distributed testing across many processes", "tool-x-forked": "forked from tool-x, released yearly",
           "tool-x-tracker": "tool-x helper that reproduces failures of one node"}
ROWS = "".join(f"| {name} | {SUMMARY.get(name, 'does ' + name[5:] + ' things, released yearly')} | Dec {n % 28 + 1:02d}, 2021 "
               f"| pytest (>={n % 7}.{n % 3}.0) |\n" for n, name in enumerate(NAMES))
PLUGINS = "# Plugins\n\nThis list contains the plugins.\n\n| name | summary | last release | requires |\n|---|---|---|---|\n" + ROWS


def _pieces(index: DocIndex, source: str) -> list:
    return [h for h in index.file_chunks(source) if "| name |" in h.text]


def test_a_piece_of_a_long_table_is_read_with_the_pieces_on_either_side(tmp_path: Path) -> None:
    folder = write_tree(tmp_path / "docs", {"plugins.md": PLUGINS})
    index = DocIndex(tmp_path / "store", collection="docs")
    index.update(folder)
    pieces = _pieces(index, "plugins.md")
    assert len(pieces) >= 3
    middle = pieces[1]
    joined = with_table_neighbours([middle], index.file_chunks)[0]
    rows = [line for line in joined.text.splitlines() if line.startswith("| tool-")]
    expected = [line for p in pieces[:3] for line in p.text.splitlines() if line.startswith("| tool-")]
    assert rows == expected  # the three pieces' rows, in the file's order, each once
    assert joined.text.count("| name | summary |") == 1  # one table under one header
    assert (joined.start_line, joined.end_line) == (pieces[0].start_line, pieces[2].end_line)
    # A piece already among the sources is not read twice, and what is withheld stays out.
    both = with_table_neighbours([middle, pieces[2]], index.file_chunks)
    assert both[0].text.count("| name | summary |") == 1 and pieces[2].text.splitlines()[-1] not in both[0].text
    alone = with_table_neighbours([middle], index.file_chunks, withheld=lambda c: True)[0]
    assert alone.text == middle.text
    index.close()


def test_the_row_a_question_names_leads_over_rows_that_only_mention_it(tmp_path: Path) -> None:
    folder = write_tree(tmp_path / "docs", {"plugins.md": PLUGINS})
    index = DocIndex(tmp_path / "store", collection="docs")
    index.update(folder)
    question = "Which pytest version does the tool-x plugin require, and when was it last released?"
    # The pieces a search for it finds first hold "tool-x-forked" and "tool-x-tracker"; "tool-x" may end the one before.
    holding = next(p for p in _pieces(index, "plugins.md") if "| tool-x-forked |" in p.text)
    hits = with_table_neighbours([holding], index.file_chunks)
    assert "| tool-x |" in hits[0].text
    best = rank_units(question, hits, levers=SHIPPED)[0]
    assert best.unit.cells[0] == "tool-x", best.unit.text
    without = rank_units(question, hits, levers=SHIPPED.but(row_named=0.0))[0]
    assert without.unit.cells[0] == "tool-x-forked"  # "forked from tool-x" holds the name too, and shares a word more
    index.close()


# A PDF's table as its text comes: a caption line, then the rows as lines, the cells a space apart.
TABLE_PAGE = ["Table 1: base units of the kit.", "Unit Command Symbol", "ampere \\ampere A", "candela \\candela cd",
              "kelvin \\kelvin K", "kilogram \\kilogram kg", "metre \\metre m", "mole \\mole mol", "second \\second s"]
PROSE = ("The kit defines its units with macro names and typesets each of them with the spacing its symbol needs "
         "in running text and in displayed formulas alike, so that a document reads the same wherever it is set.")


def test_a_pdf_table_under_its_caption_is_one_block_and_a_caption_alone_is_text() -> None:
    text = "\n".join(["2 Units", *TABLE_PAGE, PROSE[:90], PROSE[90:]])
    units = split_units(text, captions=True)
    table = [u for u in units if u.kind == "code"]
    assert len(table) == 1 and table[0].intro == "Table 1: base units of the kit."
    assert table[0].text.splitlines() == TABLE_PAGE[1:]
    assert not [u for u in split_units(text) if u.kind == "code" and "\\mole" in u.text]  # without: glued as text
    lone = split_units("Table 2: derived units.\n" + PROSE[:90] + "\n" + PROSE[90:], captions=True)
    assert not [u for u in lone if u.kind == "code"]  # a caption whose table is elsewhere: text as before


def test_a_sentence_naming_a_table_brings_the_table_from_the_chunk_where_it_stands(tmp_path: Path) -> None:
    pages = [["3 The unit macros", *TABLE_PAGE, *[PROSE[:95], PROSE[95:]] * 3],
             ["The seven base units are always defined (Table 1).", "In addition, the macro \\meter is an alias.",
              *[PROSE[:95], PROSE[95:]] * 4]]
    folder = tmp_path / "docs"
    folder.mkdir()
    write_pdf(folder / "kit.pdf", pages)
    write_tree(folder, {"notes.md": "# Notes\n\nThe kit is typeset with care.\n"})
    index = DocIndex(tmp_path / "store", collection="docs")
    index.update(folder)
    chunks = index.file_chunks("kit.pdf")
    naming = next(c for c in chunks if "(Table 1)" in c.text)
    assert "\\candela" not in naming.text  # the table is in another chunk
    joined = with_named_tables([naming], index.file_chunks)[0]
    assert "\\candela" in joined.text and joined.text.index("Table 1:") < joined.text.index("(Table 1)")
    question = "Which macros does the kit provide for the base units?"
    answer = extractive_answer(question, [joined], levers=SHIPPED)
    assert "Table 1: base units of the kit.\n\n```\nUnit Command Symbol\nampere \\ampere A" in answer
    assert all(m in answer for m in ("\\candela", "\\kelvin", "\\mole"))
    # Asked through the index, offline: the same table, cited.
    asked = index.ask(question, model="extractive")
    assert "\\candela" in asked.text and "\\mole" in asked.text
    index.close()


def test_a_sentence_names_a_table_and_a_caption_does_not() -> None:
    from jupyter_docchat.qa.table_pieces import _named

    text = ("The seven base units are always defined (Table 1). The others are listed in Table 2.\n"
            "Table 3: derived units.\nTable 4. Prefixes\nTable 5 presents the accepted units.")
    assert _named(text) == ["1", "2", "5"]
