"""Probe 5: the command line's hint for a query that starts with a dash, and what else its errors repeat.

The hint ("text that starts with '-' goes after --") named the first argument that was not one of the
parser's option strings as written: an option argparse had taken whole in another spelling (``--js`` for
``--json``, ``-k=3``, ``--server=URL``) or the value of one (``-k -1``) was named instead, and a
``--server=http://user:TOKEN@host`` was printed with its token. ``docchat search ""`` listed five chunks
for nothing at all, where ``docchat ask ""`` says the question is empty.
"""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from jupyter_docchat import DocIndex
from jupyter_docchat.cli import main
from jupyter_docchat.errors import DocChatError

TOKEN = "s3cretTOKEN"
HINT = "goes last, after --, the options before it"


def run(argv: list[str]) -> tuple[int, str]:
    """``docchat argv`` in this process: its exit code and what it wrote to standard error."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse's errors, and --help
            code = exc.code if isinstance(exc.code, int) else 1
    return code, err.getvalue()


@pytest.fixture(autouse=True)
def empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every command runs in an empty folder: no store, nothing to index by accident."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("argv", [
    ["search", "--js"],  # --json, abbreviated as argparse allows
    ["search", "-k", "-1"],  # -1 is -k's value
    ["search", "-k=3"],
    ["search", f"--server=http://me:{TOKEN}@chroma.example:8000"],
    [f"--server=http://me:{TOKEN}@chroma.example:8000", "ask"],  # before the subcommand
    ["ask", "--collection=docs", "-k3"],
])
def test_the_hint_never_names_an_option_argparse_took(argv: list[str]) -> None:
    code, err = run(argv)
    last = err.splitlines()[-1]
    assert code == 2 and "the following arguments are required" in last, err
    assert HINT not in last and TOKEN not in err


@pytest.mark.parametrize("argv, named", [
    (["search", "--js", "--port"], "--port"),
    (["search", "-k", "2", "--max-age"], "--max-age"),
    (["ask", "--collection=docs", "-x"], "-x"),
    (["index", "-drafts"], "-drafts"),  # a folder may start with a dash too
    (["eval", "--quiet"], "--quiet"),  # an option of another command
])
def test_the_hint_names_the_argument_that_was_taken_for_an_option(argv: list[str], named: str) -> None:
    code, err = run(argv)
    assert code == 2 and err.splitlines()[-1].endswith(f"{HINT}: docchat {argv[0]} -- {named})"), err


def test_no_hint_where_no_text_was_missing() -> None:
    code, err = run(["-x"])  # the command is missing: it never starts with a dash
    assert code == 2 and err.splitlines()[-1] == "docchat: error: the following arguments are required: COMMAND (see docchat --help)"
    code, err = run(["index", "--", "-drafts"])  # the hint's own way: then the folder is looked for
    assert (code, err) == (1, "docchat: folder not found: -drafts\n")


@pytest.mark.parametrize("argv", [
    ["search", "deposit", f"--serverr=http://me:{TOKEN}@chroma.example:8000"],  # argparse repeats what it does not know
    ["search", "-\x1b[2J\x1b]0;pwned\x07x"],
    ["search", "deposit", "--bogus\x1b[31m"],
    ["search", "deposit", "pasted\nquestion"],
    ["index", "index", "\r0"],  # a carriage return would print the rest over the error
    ["ask", "-x\ny"],
])
def test_argparse_errors_repeat_no_password_and_no_escape(argv: list[str]) -> None:
    code, err = run(argv)
    error = err[err.index(" error: "):]  # after the usage: one line (splitlines breaks at \r too)
    assert code == 2 and len(error.splitlines()) == 1 and error.endswith("\n"), err
    assert TOKEN not in err and "\x1b" not in err and "\x07" not in err


@pytest.mark.parametrize("query", ["", "   ", "\x1b[0m", "\u200b", "\ufeff \u2060"])  # the last two: zero-width
def test_an_empty_query_is_refused_in_one_line(query: str, tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "jupyter_docchat.cli", "search", query], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stderr, done.stdout) == (1, "docchat: the query is empty: give the words to search for\n", "")
    with pytest.raises(DocChatError, match="^the query is empty: give the words to search for$"):
        DocIndex(tmp_path / "store").search(query, mode="lexical")
    with pytest.raises(DocChatError, match="^the question is empty$"):
        DocIndex(tmp_path / "store").ask(query, model="extractive")


def test_an_empty_questions_file_name_is_said_so(empty_folder: Path) -> None:
    """It said "cannot read .: Is a directory": a name the user never gave."""
    code, err = run(["eval", " "])
    assert (code, err) == (1, "docchat: no questions file given: name a JSONL file of questions\n")


# What a user types, and what they mistype: options of every command, dashes of every kind, values.
_WORDS = ["index", "search", "ask", "eval", "status", "--store", "--collection", "-k", "--mode", "--json", "--glob",
          "--exclude", "--include", "--all", "--chunk-size", "--chunk-overlap", "--rebuild", "--quiet",
          "--follow-links", "--", "-", "-x", "--port", "--js", "--co", "-k=3", "-k3", "-1", "0", "dense", "x y",
          "\u2014port", "\u2013x", "-\u2013x", "--=x", "---", "two\nlines", "\r0", "-a\r\nb", f"--server=http://me:{TOKEN}@h:1"]
# No "." or "/": a value must not name this folder (docchat index . would index it), nor NUL (no argv holds one).
_TEXT = st.text(st.characters(blacklist_characters="./\\~\x00", blacklist_categories=("Cs",)), max_size=8)
_ARGV = st.lists(st.one_of(st.sampled_from(_WORDS), _TEXT), max_size=6)
_ARGPARSE_ERROR = re.compile(r"^docchat(?: (?:index|search|ask|eval|status))?: error: ")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(argv=_ARGV)
def test_any_command_line_ends_in_a_result_or_one_error_line(argv: list[str]) -> None:
    code, err = run(argv)
    assert "Traceback" not in err and "\x1b" not in err and TOKEN not in err, err
    if code == 2:  # argparse: its usage, then one line that says what is wrong
        errors = [line for line in err.splitlines() if _ARGPARSE_ERROR.match(line)]
        assert len(errors) == 1 and err.splitlines()[-1] == errors[0], err
    else:
        assert code in (0, 1), (code, err)
        assert err == "" if code == 0 else err.startswith("docchat: ") and len(err.splitlines()) == 1, err
