"""A LaTeX source's chunks are headed by the titles of the sections they stand in, as a Markdown file's are."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings, strategies as st

from jupyter_docchat import DocIndex
from jupyter_docchat.indexing.readers.latex import read_latex

from conftest import write_tree

PAPER = r"""\documentclass{article}
\title{Storks \emph{on the move}:\\ a tracking study}
\begin{document}
\maketitle
\section{Introduction}
White storks winter in Africa and breed in Europe.
% \section{A draft section the paper no longer has}
\section{Methods}
\subsection[Data]{Data from \textbf{GPS} loggers}
Forty storks were tagged with GPS loggers in the spring of 2019 near Strasbourg.
\begin{verbatim}
\section{Not a heading: an example printed as written}
\end{verbatim}
\section*{Acknowledgments}
We thank the ringers of the Alsace stork centre.
\section{Results
 over two lines}
Most birds crossed at Gibraltar.
\end{document}
"""


def test_sections_are_headed_by_their_titles():
    sections = read_latex(Path("paper.tex"), PAPER.encode())
    lines = PAPER.split("\n")
    got = [(s.heading, s.start_line) for s in sections]
    root = "Storks on the move: a tracking study"
    assert got == [("", 1), (f"{root} > Introduction", 5), (f"{root} > Methods", 8),
                   (f"{root} > Methods > Data from GPS loggers", 9), (f"{root} > Acknowledgments", 14),
                   (f"{root} > Results over two lines", 16)]
    for section in sections:  # each section starts at its own line of the file
        assert lines[section.start_line - 1] == section.text.split("\n")[0]
    assert "draft section" not in "\n".join(s.text for s in sections)  # the comment is still blanked


def test_a_paper_in_a_store_is_cited_with_its_trail(tmp_path):
    with DocIndex(tmp_path / "store") as index:
        index.update(write_tree(tmp_path / "thesis", {"paper.tex": PAPER}))
        hit = index.search("When were the storks tagged with loggers?", k=1)[0]
    assert hit.source == "paper.tex" and "Strasbourg" in hit.text
    # Under the paper's title and its section (the short sections below are joined into the same chunk).
    assert hit.heading.startswith("Storks on the move: a tracking study > Methods")
    assert PAPER.split("\n")[hit.start_line - 1].startswith(hit.text.split("\n")[0])


_LINES = st.sampled_from([
    "Text of a paragraph.", "", "% a comment", r"\section{One}", r"\subsection*{Two \emph{x}}", r"\chapter[S]{Three",
    "}", r"\paragraph{Four}", r"\begin{verbatim}", r"\end{verbatim}", r"\iffalse", r"\fi", r"\title{T}", "{", "}}",
    r"\section{", r"\section", r"\begin{comment}", r"\end{comment}", "50\\% of it",
])


@settings(max_examples=200, deadline=None)
@given(st.lists(_LINES, max_size=40))
def test_no_line_is_lost_and_every_section_starts_at_its_line(lines):
    text = "\n".join(lines)
    sections = read_latex(Path("x.tex"), text.encode())
    assert sections and sections[0].start_line == 1
    assert sum(s.text.count("\n") + 1 for s in sections) == len(lines) or (not lines and len(sections) == 1)
    for before, after in zip(sections, sections[1:]):
        assert after.start_line == before.start_line + before.text.count("\n") + 1
    for section in sections[1:]:  # a section starts at its sectioning command, never inside a verbatim block
        assert section.text.lstrip().startswith("\\")
