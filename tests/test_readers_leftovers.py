"""What earlier hostile probes left in the readers (readers 12).

LaTeX's ``\\iffalse ... \\fi`` (a draft taken out) was indexed; a ``comment`` environment begun and ended on one
line blanked the rest of the file. A CSV's second table, below a gap, was shown under the first table's
header, and Excel's ``sep=;`` line was read as a row. An HTML ``<pre>``'s runs of blank lines became one. A
heading holding " > " was split into two levels of the trail. A PDF table's caption block took in the short
sentence after its rows.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from test_csv_gaps import cited_rows, words_only
from test_reading_properties import check_lines, chunker

from jupyter_docchat import DocIndex
from jupyter_docchat.indexing.chunking import Chunker
from jupyter_docchat.indexing.readers import read_sections
from jupyter_docchat.qa.answer_units import split_units
from jupyter_docchat.table_text import is_delimiter
from jupyter_docchat.types import HeadingTrail

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _lines(name: str, text: str) -> list[str]:
    return "\n".join(section.text for section in read_sections(Path(name), text.encode())).split("\n")


# --- 1, 2: LaTeX -------------------------------------------------------------------------------------------------

IFFALSE = r"""\section{Results}
The rate was ten.
\iffalse
The rate was eleven, a draft.
\ifx\a\b nested \fi still the draft
\fi
Kept after.
Before \iffalse gone \fi after on one line.
\iffalse taken out \else typeset \fi
"""


def test_an_iffalse_block_is_blanked_where_it_stands() -> None:
    assert _lines("paper.tex", IFFALSE) == [
        r"\section{Results}", "The rate was ten.", "", "", "", "", "Kept after.",
        "Before  after on one line.", r" typeset \fi", ""]  # a command, as \section is


def test_an_iffalse_without_its_fi_is_left_as_written() -> None:
    """TeX would not compile it: a \\fi the reading missed must not blank the rest of the paper."""
    text = "Intro.\n\\iffalse\nNever closed.\nLast line.\n"
    assert _lines("paper.tex", text) == text.split("\n")


def test_iffalse_in_a_comment_or_verbatim_opens_nothing() -> None:
    text = "% \\iffalse\nkept one\n\\begin{verbatim}\n\\iffalse\n\\end{verbatim}\nkept two \\verb|\\iffalse|\n\\fi\n"
    assert _lines("paper.tex", text) == ["", "kept one", "\\begin{verbatim}", "\\iffalse", "\\end{verbatim}",
                                         "kept two \\verb|\\iffalse|", "\\fi", ""]


def test_macros_named_if_with_arguments_do_not_nest_in_an_iffalse() -> None:
    """etoolbox's \\ifdef{..}{..}{..} and ifthen's \\ifthenelse take arguments and no \\fi; \\iff is a symbol."""
    text = "\\iffalse\n\\ifthenelse{\\x}{a}{b} \\iftoggle{t}{a}{b} $A \\iff B$\n\\fi\nKept.\n"
    assert _lines("paper.tex", text) == ["", "", "", "Kept.", ""]


def test_a_comment_environment_on_one_line_blanks_only_itself() -> None:
    text = "\\begin{comment}gone\\end{comment} kept % not this\nstill here\n\\begin{comment}\nall gone\n" \
           "\\end{comment}\nhere too\n"
    assert _lines("paper.tex", text) == [" kept", "still here", "", "", "", "here too", ""]


_TEX_LINE = st.sampled_from([
    "Typeset words.", "\\iffalse", "\\fi", "\\else", "\\iffalse draft \\fi kept", "\\ifx\\a\\b", "% \\fi comment",
    "\\begin{comment}", "\\end{comment}", "\\begin{comment}x\\end{comment} after", "\\begin{verbatim}",
    "\\end{verbatim}", "50\\% \\verb|\\fi|", "", "\\section{Rates}", "\\ifthenelse{a}{b}{c}", "word \\fi word"])


@SETTINGS
@given(st.lists(_TEX_LINE, min_size=1, max_size=30), st.sampled_from([60, 100, 200]))
def test_any_placement_of_iffalse_and_comments_keeps_every_line_at_its_number(lines: list[str], size: int) -> None:
    source = "\n".join(lines)
    sections = read_sections(Path("paper.tex"), source.encode())
    read = "\n".join(s.text for s in sections).split("\n")
    assert len(read) == len(lines)
    check_lines(chunker(size).chunk("paper.tex", "hash", sections), lines)
    event(f"blocks blanked: {'Typeset' in source and 'Typeset' not in ' '.join(read)}")


# A LaTeX source TeX compiles: each \\iffalse closed, nested \\if ... \\fi inside, comments and verbatim around.
_OUTSIDE = st.sampled_from(["Typeset words.", "\\iffalse draft \\fi kept", "% \\iffalse comment", "", "\\fi stray",
                            "\\begin{comment}draft\\end{comment} after", "\\section{Rates}", "50\\% \\verb|\\iffalse|"])
_INSIDE = st.sampled_from(["The draft text.", "\\ifx\\a\\b draft \\fi", "% \\fi draft comment", "",
                           "\\ifthenelse{a}{draft}{c}", "\\begin{verbatim} draft", "\\end{verbatim}"])
_BLOCK = st.one_of(
    _OUTSIDE.map(lambda line: [line]),
    st.lists(_INSIDE, max_size=4).map(lambda body: ["\\iffalse", *body, "\\fi"]),
    st.lists(_INSIDE, max_size=3).map(lambda body: ["\\begin{comment}", *body, "\\end{comment}"]),
    st.lists(st.sampled_from(["x = 50% % kept", "\\fi printed", ""]), max_size=3).map(
        lambda body: ["\\begin{verbatim}", *body, "\\end{verbatim}"]))


@SETTINGS
@given(st.lists(_BLOCK, min_size=1, max_size=10).map(lambda blocks: [line for block in blocks for line in block]))
def test_every_iffalse_block_of_a_source_that_compiles_is_blanked(lines: list[str]) -> None:
    source = "\n".join(lines)
    sections = read_sections(Path("paper.tex"), source.encode())
    read = "\n".join(s.text for s in sections).split("\n")
    assert len(read) == len(lines) and "draft" not in " ".join(read)
    assert read.count("\\fi printed") == lines.count("\\fi printed")  # a verbatim \\fi closes nothing
    check_lines(chunker(100).chunk("paper.tex", "hash", sections), lines)


# --- 3: CSV ------------------------------------------------------------------------------------------------------

def _tables(name: str, text: str) -> list[str]:
    return [section.text for section in read_sections(Path(name), text.encode())]


def test_a_second_table_below_a_gap_has_its_own_header() -> None:
    text = "city,rate\noslo,4.1\nbergen,3.9\n\n\n\nname,age,town\nann,31,alta\nbo,40,vik\n"
    tables = _tables("two.csv", text)
    assert tables == ["| city | rate |\n|---|---|\n| oslo | 4.1 |\n| bergen | 3.9 |",
                      "| name | age | town |\n|---|---|---|\n| ann | 31 | alta |\n| bo | 40 | vik |"]
    chunks = [(c.text, c.start_line, c.end_line) for c in Chunker(60, 10).chunk(
        "two.csv", "h", read_sections(Path("two.csv"), text.encode()))]
    assert cited_rows(chunks)[("ann", "31", "alta")] == [8]


def test_a_second_table_one_blank_line_below_has_its_own_header(tmp_path: Path) -> None:
    """A sheet's tables a row apart: the second's rows were read under the first's names, and the offline answer
    to "What is the population of Rome?" was "fruit: Rome; qty: Italy; 2800000" (probe 14)."""
    text = "fruit,qty\napple,2\npear,3\n\ncity,country,population\nParis,France,2100000\nRome,Italy,2800000\n"
    assert _tables("sheet.csv", text) == [
        "| fruit | qty |\n|---|---|\n| apple | 2 |\n| pear | 3 |",
        "| city | country | population |\n|---|---|---|\n| Paris | France | 2100000 |\n| Rome | Italy | 2800000 |"]
    chunks = [(c.text, c.start_line, c.end_line) for c in Chunker(800, 10).chunk(
        "sheet.csv", "h", read_sections(Path("sheet.csv"), text.encode()))]
    assert cited_rows(chunks)[("Rome", "Italy", "2800000")] == [7] and cited_rows(chunks)[("pear", "3")] == [3]
    # a short row, or one with an empty cell, below a blank line is still a row of the table
    assert len(_tables("t.csv", "a,b,c\n1,2,3\n\n4,5\n")) == len(_tables("t.csv", "a,b,c\n1,2,3\n\nx,\n")) == 1
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "sheet.csv").write_text(text)
    with DocIndex(tmp_path / "store") as index:
        index.update(folder)
        answer = index.ask("What is the population of Rome?", model="extractive").text
    assert "population: 2800000" in answer and "fruit: Rome" not in answer


def test_a_note_below_a_table_is_not_a_row_of_it() -> None:
    text = "city,rate\noslo,4.1\n\n\n\nSource: the bureau\n"
    assert _tables("t.csv", text)[-1] == "| Source: the bureau |\n|---|"


def test_excel_sep_line_names_the_delimiter_and_is_no_row() -> None:
    text = "sep=;\ncity;rate\noslo;4,1\nbergen;3,9\n"
    sections = read_sections(Path("t.csv"), text.encode())
    assert [s.text for s in sections] == ["| city | rate |\n|---|---|\n| oslo | 4,1 |\n| bergen | 3,9 |"]
    chunks = [(c.text, c.start_line, c.end_line) for c in Chunker(800, 10).chunk("t.csv", "h", sections)]
    assert cited_rows(chunks) == {("oslo", "4,1"): [3], ("bergen", "3,9"): [4]}
    assert _tables("q.csv", '"sep=|"\na|b\n1|2\n') == ["| a | b |\n|---|---|\n| 1 | 2 |"]


CELL = st.text(st.sampled_from("abcxyz019 ."), min_size=1, max_size=8).map(lambda c: " ".join(c.split())).filter(bool)


@SETTINGS
@given(data=st.data(), sep=st.sampled_from(["", ",", ";", "\t"]), chunk_size=st.sampled_from([120, 300, 800]))
def test_any_csv_of_tables_with_gaps_and_a_sep_line_cites_each_row_at_its_line(data, sep: str,
                                                                                chunk_size: int) -> None:
    """Tables of different widths, the rows of each a few blank lines apart or more: each row is cited at its
    own line, each table's header heads it (never a row of the table above), and a ``sep=`` line is no row."""
    delimiter = sep or ","
    widths = data.draw(st.lists(st.integers(1, 4), min_size=1, max_size=3).filter(
        lambda ws: all(a != b for a, b in zip(ws, ws[1:]))))
    out = io.StringIO()
    if sep:
        out.write(f"sep={sep}\n")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    rows_at: dict[tuple[str, ...], int] = {}
    headers: list[tuple[str, ...]] = []
    for t, width in enumerate(widths):
        if t:  # one blank line is enough: a header of names, of another width (probe 14)
            out.write("\n" * data.draw(st.integers(1, 6)))
        header = tuple(f"h{t}{k}{cell}" for k, cell in enumerate(data.draw(st.lists(CELL, min_size=width,
                                                                                       max_size=width))))
        writer.writerow(header)
        headers.append(header)
        for r in range(data.draw(st.integers(1, 8))):
            row = tuple(f"r{t}{r}{cell}" if k == 0 else cell
                        for k, cell in enumerate(data.draw(st.lists(CELL, min_size=width, max_size=width))))
            # no gap over a row of words alone: it may head a table of its own (test_leftovers7_csv)
            out.write("\n" * data.draw(st.sampled_from([0, 0, 1, 2] if words_only(row) else [0, 0, 1, 2, 4])))
            writer.writerow(row)
            rows_at[row] = out.getvalue().count("\n")
    text = out.getvalue()
    name = "t.tsv" if delimiter == "\t" else "t.csv"
    sections = read_sections(Path(name), text.encode())
    if not all(s.text.startswith("|") for s in sections):
        assert not sep  # a sep= line says the dialect: only a sniffed file is read as text when it fits none
        event("read as text")
        return
    chunks = [(c.text, c.start_line, c.end_line) for c in Chunker(chunk_size, 40).chunk(name, "h", sections)]
    cited = cited_rows(chunks)
    for row, line in rows_at.items():
        assert set(cited.get(row, [])) == {line}, (row, line, cited, chunks)
    heads = {tuple(c.strip() for c in lines[i].strip("|").split("|"))
             for text_, _, _ in chunks for lines in [text_.split("\n")]
             for i in range(len(lines) - 1) if is_delimiter(lines[i + 1])}
    assert set(headers) <= heads and "sep=" not in " ".join(t for t, _, _ in chunks)
    event(f"tables: {len(widths)}, sep line: {bool(sep)}")


# --- 4: HTML <pre> -----------------------------------------------------------------------------------------------

def test_blank_lines_in_a_pre_are_kept_at_their_lines() -> None:
    page = "<html><body>\n<h1>Code</h1>\n<pre>def a():\n    pass\n\n\ndef b():\n\n\n\n    return 2\n</pre>\n" \
           "<p>After   it.</p>\n</body></html>\n"
    (section,) = read_sections(Path("p.html"), page.encode())
    assert "def a():\n    pass\n\n\ndef b():\n\n\n\n    return 2" in section.text
    file_lines = page.split("\n")
    for n, line in enumerate(section.text.split("\n")):
        if line.strip():
            at = section.file_line(section.start_line + n)
            assert line.split()[0] in file_lines[at - 1], (line, at)
    assert "After it." in section.text  # outside <pre> white space still collapses


# --- 5: the heading trail ----------------------------------------------------------------------------------------

def test_a_heading_holding_the_trails_separator_is_one_level() -> None:
    md = read_sections(Path("a.md"), b"# Use a > b\n\ntext\n\n## Sub\n\nmore\n")
    assert [HeadingTrail.of(s.heading).parts for s in md] == [("Use a \u203a b",), ("Use a \u203a b", "Sub")]
    html = read_sections(Path("a.html"), b"<html><body><h1>Next &gt;</h1><h2>Sub</h2><p>x y z</p></body></html>")
    assert HeadingTrail.of(html[-1].heading).parts == ("Next \u203a", "Sub")
    cells = [{"cell_type": "markdown", "metadata": {}, "source": "# In > out"},
             {"cell_type": "code", "metadata": {}, "source": "x = 1", "outputs": [], "execution_count": None}]
    notebook = json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 4}).encode()
    assert {HeadingTrail.of(s.heading).parts for s in read_sections(Path("n.ipynb"), notebook)} == {("In \u203a out",)}


@given(st.lists(st.text(st.sampled_from("a >"), min_size=1, max_size=6).map(str.strip).filter(bool), max_size=5))
def test_any_trail_reads_back_with_as_many_levels(parts: list[str]) -> None:
    trail = HeadingTrail(tuple(parts))
    assert HeadingTrail.of(str(trail)) == trail and len(trail.parts) == len(parts)
    assert all(a == b or (" > " in a or a.endswith(" >")) for a, b in zip(parts, trail.parts))


# --- 6: a PDF table's caption block ------------------------------------------------------------------------------

def test_a_short_sentence_after_a_captioned_tables_rows_ends_the_block() -> None:
    text = "\n".join(["Table 2: derived units.", "hertz Hz", "newton N", "pascal Pa",
                      "These are the derived units.", "Each has a special name."])
    units = split_units(text, captions=True)
    (table,) = [u for u in units if u.kind == "code"]
    assert table.text.splitlines() == ["hertz Hz", "newton N", "pascal Pa"]
    assert [u.text for u in units if u.kind == "sentence"] == ["These are the derived units.",
                                                               "Each has a special name."]


def test_a_table_whose_rows_are_sentences_stays_one_block() -> None:
    text = "\n".join(["Table 3: the rules.", "Keep the rate under ten.", "Write every row down.",
                      "Check the totals twice."])
    (table,) = [u for u in split_units(text, captions=True) if u.kind == "code"]
    assert len(table.text.splitlines()) == 3
