"""Probe 18: LaTeX and Markdown headings, the splitter, questions and folders, attacked from outside."""

from __future__ import annotations

import time
from pathlib import Path

from hypothesis import given, settings, strategies as st

from jupyter_docchat.indexing.readers.latex import _title_text, read_latex


def _headings(text: str) -> list[tuple[int, str]]:
    return [(s.start_line, s.heading) for s in read_latex(Path("x.tex"), text.encode())]


def _grows_linearly(make, sizes=(20_000, 80_000)) -> list[float]:
    times = []
    for n in sizes:
        text = make(n)
        start = time.perf_counter()
        _headings(text)
        times.append(time.perf_counter() - start)
    assert times[1] < 8 * times[0] + 0.5, times  # 4 times the text: 16 times the time when quadratic
    return times


def test_a_sectioning_command_before_a_long_run_of_spaces_is_read_in_linear_time():
    # "\section" then spaces and no brace: the two runs of spaces around the optional short title were shared out in
    # every way before the match failed, 0.4 s for 20 kB and 40 s for 200 kB of one line; "\title" the same.
    _grows_linearly(lambda n: "\\section" + " " * n + "x\n")
    _grows_linearly(lambda n: "Text \\title" + " " * n + "x\n")
    _grows_linearly(lambda n: ("\\section" + " " * 999 + "x\n") * (n // 1000))


def test_a_title_of_spaced_ties_is_cleaned_in_linear_time():
    # Before a \label or \cite its spaces and ties are taken off, tried at each one of a run: a title of " ~"
    # repeated was quadratic (48 ms a title of 5,000 characters; 1 MB of such sections took 48 s).
    times = []
    for n in (2_000, 8_000):
        title = " ~" * n + " x"
        start = time.perf_counter()
        assert _title_text(title) == "x"
        times.append(time.perf_counter() - start)
    assert times[1] < 8 * times[0] + 0.05, times
    assert _title_text("Results ~ \\label{sec:r}") == "Results"


_SPACE = st.sampled_from(["", " ", "  ", "\t"])


@settings(max_examples=200, deadline=None)
@given(_SPACE, st.sampled_from(["", "*"]), _SPACE, st.sampled_from(["", "[Short]", "[]"]), _SPACE,
       st.sampled_from(["Methods", "Data and models"]))
def test_a_sectioning_command_is_found_however_it_is_spaced(before, star, after_name, short, after_short, title):
    line = f"{before}\\subsection{star}{after_name}{short}{after_short}{{{title}}}"
    text = f"\\title {short}{after_short}{{Paper}}\nIntro.\n{line}\nText.\n"
    assert _headings(text) == [(1, ""), (3, f"Paper > {title}")]
