"""Probe 8: what the readers of version 9 read wrong (readers 10).

A log's ESC 7/ESC 8 (save and restore the cursor), ESC = and ``ESC ( B`` (what ``tput sgr0`` writes) lost
only their ESC: "7saved8" and "(B" were glued to the words. LaTeX's "%" in a verbatim environment, in
``\\verb|%|`` or in a URL was taken for a comment and the rest of the line blanked. A front matter title kept
YAML's quoting ("it''s", "\\"") and comment ("# draft") in every heading trail.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st
from test_reading_properties import check_lines, chunker

from jupyter_docchat.indexing.readers import read_sections
from jupyter_docchat.safe_text import as_typed, for_terminal


def _text(name: str, data: bytes) -> str:
    return "\n".join(section.text for section in read_sections(Path(name), data))


@pytest.mark.parametrize("escape", ["\x1b7", "\x1b8", "\x1b=", "\x1b>", "\x1bc", "\x1b(B", "\x1b)0", "\x1b#8", "\x1b%G"])
def test_a_terminal_escape_leaves_nothing_in_the_text(escape: str) -> None:
    log = f"ERROR {escape}saved{escape} cursor\nnext {escape}line\n".encode()
    assert _text("app.log.1", log).split("\n") == ["ERROR saved cursor", "next line", ""]
    assert for_terminal(f"a{escape}b") == "ab" and as_typed(f"zebra{escape}stripes") == "zebrastripes"


ESCAPES = ["\x1b7", "\x1b8", "\x1b(B", "\x1b[31m", "\x1b]0;t\x07", "\x1b=", "\x1bM"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["word", " ", "\n", "(", "7", "B", *ESCAPES]), max_size=30))
def test_escapes_leave_nothing_and_never_move_a_line(tokens: list[str]) -> None:
    text = "".join(tokens)
    assert _text("a.log", text.encode()) == "".join(t for t in tokens if t not in ESCAPES)


LATEX = r"""\section{Method}
% a note to a co-author
The rate was 50\% here. % and this is a comment
\begin{verbatim}
print("50% of the time")  % printed too
\end{verbatim} % a comment again
See \url{http://example.org/a%20b} and \verb|100%| or \verb*+x%y+ and \lstinline{a%b}.
\begin{lstlisting}[language=Python]
ratio = 3 % 2
\end{lstlisting}
Line break \\% a comment after it
\begin{comment}
% \begin{verbatim} in a comment does not open one
\end{comment}
After the comment % gone
"""


def test_latex_keeps_the_percent_signs_it_prints_and_blanks_its_comments() -> None:
    lines = _text("paper.tex", LATEX.encode()).split("\n")
    assert lines == [
        r"\section{Method}", "", r"The rate was 50\% here.", r"\begin{verbatim}",
        'print("50% of the time")  % printed too', r"\end{verbatim}",
        r"See \url{http://example.org/a%20b} and \verb|100%| or \verb*+x%y+ and \lstinline{a%b}.",
        r"\begin{lstlisting}[language=Python]", "ratio = 3 % 2", r"\end{lstlisting}", r"Line break \\",
        "", "", "", "After the comment", ""]


@pytest.mark.parametrize(("line", "title"), [
    ("title: 'it''s a rate'", "it's a rate"), ('title: "a \\"quoted\\" rate"', 'a "quoted" rate'),
    ("title: Deposit rates # draft", "Deposit rates"), ("title: C# for banks", "C# for banks"),
    ("title: 'a # in quotes'", "a # in quotes"), ("title: # only a comment", "")])
def test_a_front_matter_title_is_read_as_yaml_reads_it(line: str, title: str) -> None:
    sections = read_sections(Path("page.md"), f"---\n{line}\n---\n\n# Limits\n\nThe limit is ten.\n".encode())
    assert sections[-1].heading == (f"{title} > Limits" if title else "Limits")


# Lines of a LaTeX source, and whether each is inside a verbatim environment (printed as written).
_PLAIN = st.sampled_from(["Text of the paper.", "50\\% of it", "a % comment", "\\\\% after a line break", "",
                          "\\section{Rates}", "\\verb|%| kept", "\\url{http://x.org/%7E}", "% whole line"])
_VERBATIM = st.lists(st.sampled_from(["x = 3 % 2", "50% printed", "% printed too", "\\begin{comment}", ""]),
                     max_size=4)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.one_of(_PLAIN.map(lambda line: [(line, False)]),
                          _VERBATIM.map(lambda body: [("\\begin{verbatim}", False), *((b, True) for b in body),
                                                      ("\\end{verbatim}", False)])), min_size=1, max_size=12))
def test_latex_keeps_every_verbatim_line_and_no_comment(blocks: list) -> None:
    lines = [pair for block in blocks for pair in block]
    source = "\n".join(line for line, _ in lines)
    sections = read_sections(Path("paper.tex"), source.encode())
    read = "\n".join(s.text for s in sections).split("\n")
    assert len(read) == len(lines)  # every line keeps its number
    for (line, verbatim), got in zip(lines, read):
        if verbatim:
            assert got == line
        elif line.startswith(("a %", "% whole")) or "\\\\%" in line:
            assert "comment" not in got and "whole" not in got and "after" not in got
    check_lines(chunker(60).chunk("paper.tex", "hash", sections), source.split("\n"))


CHINESE = "存款保险制度是一种金融保障制度，当银行倒闭时，存款人的存款可以得到一定程度的保障。" * 8
JAPANESE = "預金保険制度は、金融機関が破綻した場合に預金者を保護するための制度です。" * 10
THAI = "ระบบประกันเงินฝากคุ้มครองผู้ฝากเงินเมื่อธนาคารล้ม" * 8


@pytest.mark.parametrize(("name", "paragraph"), [("guide.md", CHINESE), ("notes.txt", JAPANESE), ("page.rst", THAI)])
def test_a_paragraph_of_a_script_without_spaces_is_read_whole(name: str, paragraph: str) -> None:
    assert len(paragraph) > 256
    text = _text(name, f"Title line\n\n{paragraph}\n\nlast line\n".encode())
    assert paragraph in text and "characters left out" not in text  # it kept the first 40 characters
    assert text.split("\n")[2] == paragraph
    blob = "iVBORw0KGgo" * 40  # base64 beside it is still cut short
    assert "characters left out" in _text(name, f"{paragraph}\n{blob}\n".encode())


def test_a_blob_with_a_few_such_characters_is_still_cut() -> None:
    blob = "iVBORw0KGgo" * 40 + "存款"  # base64 glued to a word of Chinese
    assert "characters left out" in _text("notes.txt", f"{blob}\n".encode())


def test_latex_lines_built_to_make_the_reading_slow_or_deep_are_read_at_once() -> None:
    import time

    for line in ("\\lstinline[" * 18_000, "\\begin{verbatim}50% \\end{verbatim}" * 5_000, "\\verb|" * 30_000):
        started = time.perf_counter()
        read_sections(Path("paper.tex"), f"{line}\nafter % gone\n".encode())  # minutes, or a RecursionError
        assert time.perf_counter() - started < 3


def test_a_front_matter_title_line_of_spaces_is_read_at_once() -> None:
    import time

    started = time.perf_counter()
    sections = read_sections(Path("page.md"), b"---\ntitle: a" + b" " * 60_000 + b"b\n---\n\n# Limits\n\nText.\n")
    assert time.perf_counter() - started < 2  # 8 s; minutes for a megabyte of spaces
    assert sections[-1].heading.startswith("a b") and sections[-1].heading.endswith("> Limits")


@pytest.mark.parametrize(("name", "page"), [
    ("page.md", "# " + "[](#" * 20_000 + "\n\nText.\n"),  # a heading's self-link pattern: 11 s
    ("page.md", "# a" + " <a :" * 40_000 + "\n\nText.\n"),
    ("page.html", "<html><body><h1>a" + " #" * 12_000 + " x</h1><p>Text.</p></body></html>"),  # trailing marks: 20 s
    ("guide.html", "<html><body><h2>b" + " ¶" * 12_000 + " y</h2><p>Text.</p></body></html>")])
def test_a_heading_built_to_make_its_cleaning_slow_is_read_at_once(name: str, page: str) -> None:
    import time

    started = time.perf_counter()
    sections = read_sections(Path(name), page.encode())
    assert time.perf_counter() - started < 3 and any("Text." in s.text for s in sections)


_MARK_TEXT = st.lists(st.sampled_from([" ", "  ", "\t", "#", "§", "∞", "¶", "🔗", "\u200b", "a", "C", "x#", "⚓"]),
                      max_size=12).map("".join)


@settings(max_examples=300, deadline=None)
@given(_MARK_TEXT)
def test_trailing_marks_go_as_the_pattern_took_them(text: str) -> None:
    import re

    from jupyter_docchat.indexing.readers.base import _MARKS, without_trailing_marks

    assert without_trailing_marks(text) == re.sub(rf"(?:\s*[{_MARKS}]|\s+[#§∞]+)+\s*$", "", text)
