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
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from test_csv_gaps import cited_rows
from test_reading_properties import check_lines, chunker

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
