"""Probe 17: the splitter, the token counts and the LaTeX sections of readers 21, attacked from outside."""

from __future__ import annotations

import random
import re
import time
from pathlib import Path

from hypothesis import given, settings, strategies as st
from tokenizers import Tokenizer

from jupyter_docchat import DocIndex
from jupyter_docchat.indexing.readers.latex import read_latex
from jupyter_docchat.store.token_counts import TOKENIZER_DIR
from jupyter_docchat.types import embed_text

_REFERENCE = Tokenizer.from_file(str(TOKENIZER_DIR / "tokenizer.json"))
_REFERENCE.no_truncation()
_REFERENCE.no_padding()


def _pieces(text: str) -> int:
    return len(_REFERENCE.encode(text).ids)


def test_a_chunk_under_its_file_name_fits_the_window(tmp_path):
    # A chunk with no heading is embedded under its file's name (types.embed_text); the chunker counted it without,
    # so a chunk of numbers in a file with a long name overflowed 256 word pieces and its end was never embedded.
    folder = tmp_path / "field"
    folder.mkdir()
    rng = random.Random(3)
    name = "white_stork_migration_routes_over_gibraltar_2019_2020_2021_final_revised"
    for ext in (".txt", ".py"):  # each its own numbers: a copy of another file is not indexed again
        rows = (" ".join(f"{rng.randint(0, 99)}.{rng.randint(0, 9)}" for _ in range(rng.randint(3, 30)))
                for _ in range(200))
        (folder / f"{name}{ext}").write_text("\n".join(rows))
    index = DocIndex(tmp_path / "store")
    try:
        report = index.update(folder)
        assert not report.skipped, report
        for ext in (".txt", ".py"):
            hits = index.file_chunks(f"{name}{ext}")
            assert len(hits) > 50
            counts = [_pieces(embed_text(h.heading, h.source, h.text)) for h in hits]
            assert max(counts) <= 256, (ext, max(counts))
    finally:
        index.close()


def _headings(text: str) -> list[tuple[int, str]]:
    return [(s.start_line, s.heading) for s in read_latex(Path("x.tex"), text.encode())]


def test_a_title_left_open_ends_at_its_paragraph():
    # TeX ends a title at a blank line ("Paragraph ended before \@sect was complete"): a file cut off in a title, or
    # a brace forgotten, headed every chunk of the section with the paragraph below it.
    text = "\\section{Results\n\nMost birds crossed at Gibraltar.\n\\section{Discussion}\nIt was windy.\n"
    assert _headings(text) == [(1, "Results"), (4, "Discussion")]
    # A line of comment is no blank line to TeX (its "%" takes the line's end too): the title goes on under it.
    assert _headings("\\section{Results % rename?\n% and\n and discussion}\nText.\n") == [(1, "Results and discussion")]


def test_a_title_left_open_on_a_long_line_is_read_in_linear_time():
    # A .tex file of one line (generated, or its line breaks lost) with a title left open: the title was the whole
    # line, and cleaning it was quadratic in "\left[" (each read on to the end for its "]"): 1 MB took minutes.
    times = []
    for n in (4_000, 16_000):
        text = "\\section{Intervals " + "$\\left[0,1\\right)$ and \\a[" * n
        start = time.process_time()
        [(line, heading)] = _headings(text)
        times.append(time.process_time() - start)
        assert line == 1 and heading.startswith("Intervals $[0,1)$") and len(heading) <= 121
    assert times[1] < 8 * times[0] + 0.5, times


MANUAL = r"""\documentclass{article}
\newcommand{\chapterhead}[1]{%
  \section{#1}%
  \label{sec:#1}}
\begin{document}
\section{Writing a paper}
A paper names itself in its preamble:
\begin{verbatim}
\title{My first paper}
\end{verbatim}
Then \verb|\maketitle| prints it with the author under it.
\chapterhead{Compiling}
Run pdflatex twice so that the references settle.
"""


def test_a_title_in_a_verbatim_block_or_a_definition_heads_nothing(tmp_path):
    # A manual's example "\title{My first paper}" headed every passage of the manual ("My first paper > Writing a
    # paper"), and a \section inside a \newcommand headed the preamble "#1".
    assert _headings(MANUAL) == [(1, ""), (6, "Writing a paper")]
    assert _headings("\\section{Issue \\#1}\nFixed.") == [(1, "Issue #1")]  # printed, no parameter
    folder = tmp_path / "manual"
    folder.mkdir()
    (folder / "guide.tex").write_text(MANUAL)
    index = DocIndex(tmp_path / "store")
    try:
        index.update(folder)
        hits = index.file_chunks("guide.tex")
        assert {h.heading for h in hits} <= {"", "Writing a paper"}
        assert not any("#1" in h.heading or "My first paper" in h.heading for h in hits)
    finally:
        index.close()


def test_a_title_reads_as_it_is_printed():
    # Each heading as the paper prints it: hyperref's \texorpdfstring has a plain text for just this, an escaped
    # "\&" is an ampersand, an accent sits on its letter, and labels, citation keys, references and footnotes are no
    # words of the title (they read "ResultsJoint work with Bob", "Theorem thm:main", "The $$ functionbeta function").
    text = "\n".join([
        r"\title{On \texorpdfstring{$\alpha$}{alpha}-decay}",
        r"\section{The \texorpdfstring{$\beta$ function}{beta function} in \LaTeX}",
        r"\section{Q\&A: 50\% of \$5 in file\_name}",
        r"\section{Schr\"odinger, Erd\H{o}s, Poincar\'{e} and na\"{\i}ve G\"odel}",
        r"\section{Results\footnote{Joint work with Bob.}\label{sec:results}}",
        r"\section{Proof of Theorem~\ref{thm:main}, as in \cite[p.~3]{smith2020}}",
        r"\section{See \href{https://example.org/a}{the site}}",
        "Text.",
    ])
    root = "On alpha-decay"
    assert [h for _, h in _headings(text)][1:] == [
        f"{root} > The beta function in LaTeX", f"{root} > Q&A: 50% of $5 in file_name",
        f"{root} > Schrödinger, Erdős, Poincaré and naïve Gödel", f"{root} > Results",
        f"{root} > Proof of Theorem, as in", f"{root} > See the site"]


_MARKUP = st.sampled_from([
    "Word", " ", "~", r"\\", r"\&", r"\%", r"\_", r"\{", r"\}", "{", "}", r"\emph{", r"\texorpdfstring{", r"\href{",
    r"\label{", r"\cite[p.~3]{", r"\ref{", r"\footnote{", r"\"o", r"\'{e}", r"\H{o}", r"\c c", r"\v{", r"\LaTeX",
    "$x^2$", r"\left[", "]", "[", r"\#1", "#1", r"\i", "%", "\n", "\n\n", r"\\section{", "é", "\u200b",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(_MARKUP, max_size=30).map("".join))
def test_any_title_reads_as_text_on_one_line(title):
    text = f"\\section{{{title}}}\nBody.\n\\section{{Next}}\nMore."
    sections = read_latex(Path("x.tex"), text.encode())
    assert sum(s.text.count("\n") + 1 for s in sections) == text.count("\n") + 1
    for section in sections:
        assert "\n" not in section.heading and len(section.heading) <= 2 * 121
        assert not re.search(r"\\[A-Za-z]", section.heading), section.heading  # no command's name is left


def test_a_heading_that_fills_the_window_is_cut_not_the_text(tmp_path):
    # Eight levels of titles written in math (each kept to 120 characters) took more than the whole window: every
    # piece was halved down to 40 characters, 40 kB of text made 2,047 chunks, and each still overflowed the window.
    levels = ["title", "part", "chapter", "section", "subsection", "subsubsection", "paragraph", "subparagraph"]
    lines = [f"\\{level}{{{'$a_1+b_2=c_3$, ' * 10}}}" for level in levels]
    lines += ["White storks ringed at Strasbourg winter in the Sahel and return in March. " * 3 for _ in range(30)]
    folder = tmp_path / "deep"
    folder.mkdir()
    (folder / "deep.tex").write_text("\n".join(lines))
    index = DocIndex(tmp_path / "store")
    try:
        index.update(folder)
        hits = index.file_chunks("deep.tex")
        assert len(hits) < 40, len(hits)  # 6,800 characters of text
        assert max(_pieces(embed_text(h.heading, h.source, h.text)) for h in hits) <= 256
        assert sum(h.text.count("Strasbourg") for h in hits) >= 90  # no text lost
    finally:
        index.close()


def test_a_title_printed_inline_heads_nothing():
    # "\verb|\title{...}|" and "\lstinline" print a \title as written, as a verbatim block does.
    text = "\\section{Titles}\nWrite \\verb|\\title{My paper}| or \\lstinline|\\title{Mine}| first.\n\\title{Real}\n"
    assert _headings(text) == [(1, "Real > Titles")]
