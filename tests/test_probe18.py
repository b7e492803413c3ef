"""Probe 18: LaTeX and Markdown headings, the splitter, questions and folders, attacked from outside."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from hypothesis import given, settings, strategies as st
from tokenizers import Tokenizer

from jupyter_docchat import DocIndex
from jupyter_docchat.cli import main as cli_main
from jupyter_docchat.errors import DocChatError
from jupyter_docchat.indexing.chunking import Chunker
from jupyter_docchat.indexing.readers import read_sections
from jupyter_docchat.indexing.readers.latex import _title_text, read_latex
from jupyter_docchat.indexing.readers.markdown import read_markdown, without_attributes
from jupyter_docchat.store.token_counts import TOKENIZER_DIR, MiniLMTokenCounter
from jupyter_docchat.types import embed_text

from conftest import grows_linearly, least_seconds, run_cell


def _headings(text: str) -> list[tuple[int, str]]:
    return [(s.start_line, s.heading) for s in read_latex(Path("x.tex"), text.encode())]


def _grows_linearly(make, sizes=(20_000, 80_000)) -> list[float]:
    return grows_linearly(_headings, make, sizes)


def test_a_sectioning_command_before_a_long_run_of_spaces_is_read_in_linear_time():
    # "\section" then spaces and no brace: the two runs of spaces around the optional short title were shared out in
    # every way before the match failed, 0.4 s for 20 kB and 40 s for 200 kB of one line; "\title" the same.
    _grows_linearly(lambda n: "\\section" + " " * n + "x\n")
    _grows_linearly(lambda n: "Text \\title" + " " * n + "x\n")
    _grows_linearly(lambda n: ("\\section" + " " * 999 + "x\n") * (n // 1000))
    # \title is looked for anywhere on a line: on a line of "\title[" repeated, each one's short title was read on to
    # the line's end.
    _grows_linearly(lambda n: "\\title[ " * (n // 8) + "\n")


def test_a_title_of_spaced_ties_is_cleaned_in_linear_time():
    # Before a \label or \cite its spaces and ties are taken off, tried at each one of a run: a title of " ~"
    # repeated was quadratic (48 ms a title of 5,000 characters; 1 MB of such sections took 48 s).
    times = []
    for n in (2_000, 8_000):
        title = " ~" * n + " x"
        assert _title_text(title) == "x"
        times.append(least_seconds(lambda t=title: _title_text(t)))
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


def _trail(text: str) -> str:
    return read_markdown(Path("report.qmd"), text.encode())[-1].heading


def test_a_heading_with_key_values_left_open_is_read_at_once():
    # 'width="50%" ' repeated with no closing brace: each value read as quoted and as unquoted in turn, 26 of them
    # took 33 s (twice the time for each one more); a heading of "{a=" repeated, each value read on to the line's
    # end, was quadratic (60 kB: 44 s).
    start = time.process_time()  # CPU time: another test's process on the other core takes none of it
    assert _trail("# Storks {" + 'width="50%" ' * 40 + "\n").startswith('Storks {width="50%" width=')
    assert time.process_time() - start < 2
    times = []
    for n in (5_000, 20_000):
        start = time.process_time()
        assert _trail("# Storks " + "{a=" * n + "\n").startswith("Storks")
        times.append(time.process_time() - start)
    assert times[1] < 8 * times[0] + 0.5, times


_NAME = st.from_regex(r"[A-Za-z][\w-]{0,6}", fullmatch=True)
_ATTRIBUTE = st.one_of(
    _NAME.map("#{}".format), _NAME.map(".{}".format), st.just("-"),
    st.tuples(_NAME, st.from_regex(r"[^\s{}\"']+", fullmatch=True)).map("=".join),
    st.tuples(_NAME, st.from_regex(r"[^\"\n]*", fullmatch=True)).map(lambda kv: f'{kv[0]}="{kv[1]}"'),
    st.tuples(_NAME, st.from_regex(r"[^'\n]*", fullmatch=True)).map(lambda kv: f"{kv[0]}='{kv[1]}'"))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["Results", "Data and methods", "A set {x, y}"]), st.sampled_from(["{", "{:", "{: "]),
       st.lists(_ATTRIBUTE, min_size=1, max_size=8), st.sampled_from(["", " "]))
def test_attributes_as_pandoc_writes_them_leave_the_title(title, opening, attributes, inside):
    assert without_attributes(f"{title} {opening}{' '.join(attributes)}{inside}}}") == title


def test_a_file_with_a_long_name_of_marks_is_cut_as_any_other():
    # A chunk with no heading is embedded under its file's name: a name of 250 marks is a word piece each, it took
    # the whole window of 256, and every chunk of the file was halved down to slivers (310 chunks of 20 to 40
    # characters where a file of the same text under another name had 19).
    reference = Tokenizer.from_file(str(TOKENIZER_DIR / "tokenizer.json"))
    reference.no_truncation()
    text = "\n\n".join(" ".join(f"Stork {n}.{m} winters in Africa and breeds in Europe." for m in range(6))
                         for n in range(6))  # no two paragraphs alike: a repeat is indexed once
    chunker = Chunker(800, 0, MiniLMTokenCounter(), MiniLMTokenCounter.max_tokens)  # no overlap: the text once
    sizes = {}
    for name in ("storks.txt", "!" * 250 + ".txt", "-." * 125 + ".txt"):
        chunks = chunker.chunk(name, "h", read_sections(Path(name), text.encode()))
        counts = [len(reference.encode(embed_text(c.heading, c.source, c.text)).ids) for c in chunks]
        assert max(counts) <= 256, (name[:10], counts)
        assert "".join("".join(c.text.split()) for c in chunks) == "".join(text.split())
        sizes[name] = len(chunks)
    assert max(sizes.values()) <= 2 * sizes["storks.txt"], sizes


def test_an_escaped_brace_in_a_title_neither_opens_nor_closes_it():
    # "\{" and "\}" print braces: counted as a group's, "\section{The \{ operator}" was headed by the paragraph
    # below it and "\section{The \} operator}" by "The \".
    body = "Sets are written between braces.\nThey hold no element twice.\n"
    assert _headings("\\section{The \\{ operator}\n" + body) == [(1, "The { operator")]
    assert _headings("\\section{The \\} operator}\n" + body) == [(1, "The } operator")]
    assert _headings("\\section{Sets $\\{x\\}$ and \\emph{bags}}\n" + body) == [(1, "Sets ${x}$ and bags")]
    assert _headings("\\section{A line\\\\}\n" + body) == [(1, "A line")]  # "\\" is a line break: the "}" closes


_TITLE_PART = st.sampled_from(["Sets", " ", "\\{", "\\}", "\\\\", "\\&", "{x}", "\\emph{y}", "$\\{a\\}$", "\\%", "~"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_TITLE_PART, min_size=1, max_size=12).map("".join))
def test_a_title_ends_at_its_closing_brace_whatever_it_escapes(title):
    sections = read_latex(Path("x.tex"), f"\\section{{{title}}}\nBodyline follows.\n".encode())
    assert [s.start_line for s in sections] == [1]
    assert "Bodyline" not in sections[0].heading


def test_a_title_left_open_ends_before_the_next_section():
    # TeX refuses a sectioning command in a title: a title left open ran on over the next section's, so the first
    # section was headed "Methods Forty storks were tagged. Results Most crossed at Gibraltar.".
    text = "\\section{Methods\nForty storks were tagged.\n\\section{Results}\nMost crossed at Gibraltar.\n"
    assert _headings(text) == [(1, "Methods Forty storks were tagged."), (3, "Results")]
    assert _headings("\\title{Storks\n\\section*{Results}\nText.\n") == [(1, ""), (2, "Storks > Results")]


def test_a_comment_environment_left_open_loses_no_section():
    # A comment environment's end is a line of its own: "Old draft. \end{comment}" left it open, and every section
    # below it was blanked without a word, as an \iffalse with no \fi was before it was read without conditionals.
    text = ("\\section{Intro}\nStorks migrate.\n\\begin{comment}\nOld draft. \\end{comment}\n"
            "\\section{Methods}\nWe tagged forty storks.\n\\iffalse\nA draft.\n\\fi\n\\section{Results}\nMost crossed.\n")
    sections = read_latex(Path("x.tex"), text.encode())
    assert [(s.start_line, s.heading) for s in sections] == [(1, "Intro"), (5, "Methods"), (10, "Results")]
    assert "forty storks" in sections[1].text and "Most crossed" in sections[2].text
    assert "A draft" not in sections[1].text  # the \iffalse, closed, still leaves out what it holds
    closed = text.replace("Old draft. \\end{comment}", "Old draft.\n\\end{comment}")
    assert "Old draft" not in "".join(s.text for s in read_latex(Path("x.tex"), closed.encode()))


def test_an_escaped_brace_after_a_heading_is_its_text_not_attributes():
    # Markdown's "\{" is a brace written as text: taken off as attributes, "# Sets \{#x}" was headed "Sets \".
    assert _trail("# Sets \\{#x}\n\nText.\n") == "Sets {#x}"
    assert _trail("# Sets {#x}\n\nText.\n") == "Sets"


PASTED = "sk-proj-Qz7Rt5Wm3Kp9Lx2Nc8Vb4Hd6Jf1Gs0A"  # a key pasted where the model's name goes, none configured
PASTED_BLOCK = "Wm3Kp9Lx2Nc8"


def test_a_key_given_as_the_model_is_refused_not_shown_or_kept(indexed, capsys, monkeypatch) -> None:
    # With no key configured, "--model sk-proj-..." answered from the sources and said "model 'sk-proj-...' needs an
    # API key", in the cell and in the history kept (and saved) with the answer.
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    history = indexed.user_ns["docchat_history"]
    result, error = run_cell(indexed, f"%%ask --model {PASTED}\nWhat caused the collapse of Silicon Valley Bank?")
    shown = capsys.readouterr()
    assert PASTED_BLOCK not in shown.out + shown.err + repr(result.result)
    assert "API key" in shown.out + shown.err + str(error)
    assert history == [] and PASTED_BLOCK not in json.dumps(indexed.user_ns["docchat_history"])
    store = indexed.magics_manager.registry["DocChat"].settings().store
    with DocIndex(store) as index:
        with pytest.raises(DocChatError) as raised:
            index.ask("What caused the collapse of Silicon Valley Bank?", model=f" {PASTED} ")
        assert PASTED_BLOCK not in str(raised.value) and "API key" in str(raised.value)
        # A GGUF file's path is no key, whatever it is named.
        with pytest.raises(DocChatError, match="GGUF file not found"):
            index.ask("What caused it?", model=f"gguf:/models/{PASTED}.gguf")
    monkeypatch.chdir(store.parent)
    assert cli_main(["--store", str(store), "ask", "What caused it?", "--model", PASTED]) == 1
    shown = capsys.readouterr()
    assert PASTED_BLOCK not in shown.out + shown.err and "API key" in shown.err
