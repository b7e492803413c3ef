"""Issue 22, item 13: the command line takes its options before or after the subcommand, names its own
commands in its messages (never a magic), explains every option in --help, and shows a progress bar
on a terminal, even one that reports no size."""

from __future__ import annotations

import argparse
import os
import pty
import selectors
import subprocess
import sys
from pathlib import Path

import pytest

from jupyter_docchat.cli import _parser


def docchat(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "jupyter_docchat.cli", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=600, env=env)


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    """A store with the example documents in collection 'alpha' only."""
    import shutil

    from conftest import EXAMPLE_DOCS

    root = tmp_path_factory.mktemp("cli")
    shutil.copytree(EXAMPLE_DOCS, root / "docs")
    done = docchat("index", "docs", "--store", "st a b", "--collection", "alpha", "--quiet", cwd=root)
    assert done.returncode == 0, done.stderr
    return root


@pytest.mark.parametrize("argv", [
    ["search", "deposit insurance", "--store", "st a b", "--collection", "alpha"],
    ["--store", "st a b", "search", "deposit insurance", "--collection", "alpha"],
    ["--store", "st a b", "--collection", "alpha", "search", "deposit insurance"],
    ["--collection", "docs", "search", "deposit insurance", "--collection", "alpha", "--store", "st a b"],  # last wins
])
def test_options_before_or_after_the_subcommand(store: Path, argv: list[str], monkeypatch, capsys) -> None:
    # The command's own main in this process: what is tested is where argparse finds each option, and a process per
    # order was four cold starts (Chroma, the model) for it. The commands below run as processes.
    from jupyter_docchat.cli import main

    monkeypatch.chdir(store)
    assert main([*argv, "-k", "2", "--json"]) == 0
    shown = capsys.readouterr()
    assert '"source": "deposit_insurance.pdf"' in shown.out, shown.err


def test_status_and_ask_take_the_options_after_too(store: Path) -> None:
    status = docchat("status", "--store", "st a b", cwd=store)
    assert status.returncode == 0 and "alpha: 6 files" in status.stdout
    answer = docchat("ask", "What is the standard deposit insurance amount?", "--store", "st a b",
                     "--collection", "alpha", "-k", "3", cwd=store)
    assert answer.returncode == 0 and "250,000" in answer.stdout


def test_messages_name_cli_commands_not_magics(tmp_path: Path, store: Path) -> None:
    for argv, expected in [(["search", "x"], "index a folder first (run docchat index <folder>)"),
                           (["ask", "what?"], "index a folder first (run docchat index <folder>)"),
                           (["ask", "   ", "--store", str(store / "st a b"), "--collection", "alpha"],
                            'the question is empty (docchat ask "QUESTION")'),
                           (["search", "x", "--store", str(store / "st a b"), "--collection", "nothing"],
                            "nothing indexed in collection 'nothing' yet: index a folder first (run docchat index <folder>)")]:
        done = docchat(*argv, cwd=tmp_path)
        assert done.returncode == 1 and expected in done.stderr, (argv, done.stderr)
        assert done.stderr.count("\n") == 1 and "%" not in done.stderr
    answer = docchat("ask", "What is the standard deposit insurance amount?", "--store", str(store / "st a b"),
                     "--collection", "alpha", cwd=tmp_path)  # the offline answer's own how-to as well
    assert answer.returncode == 0 and "Extractive answer" in answer.stdout
    assert "%config" not in answer.stdout and "%docchat" not in answer.stdout and "DocChat." not in answer.stdout
    status = docchat("status", cwd=tmp_path)  # no store in tmp_path: said as ask and search say it (walk 23)
    assert status.returncode == 0 and "no store at" in status.stdout
    assert "yet; index a folder first (run docchat index <folder>)" in status.stdout
    # a store that exists but holds no collection says so
    (tmp_path / "empty store").mkdir()
    status = docchat("status", "--store", str(tmp_path / "empty store"), cwd=tmp_path)
    assert "store " in status.stdout and "no collections yet; index a folder first" in status.stdout


def test_bad_values_are_one_line_errors_with_the_same_limits(store: Path) -> None:
    for argv, expected in [(["search", "x", "-k", "0"], "k must be a whole number between 1 and 50, not 0"),
                           (["ask", "x?", "-k", "99"], "k must be a whole number between 1 and 50, not 99"),
                           (["index", "docs", "--chunk-size", "10"], "chunk size must be a whole number of at least 50 characters, not 10")]:
        done = docchat(*argv, "--store", "st a b", "--collection", "alpha", cwd=store)
        assert done.returncode == 1 and done.stderr == f"docchat: {expected}\n", (argv, done.stderr)
    env = {**os.environ, "DOCCHAT_CHUNK_SIZE": "big"}
    done = docchat("status", cwd=store, env=env)
    assert done.returncode == 1 and done.stderr == "docchat: $DOCCHAT_CHUNK_SIZE must be a whole number, not 'big'\n"


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_help_explains_every_option_of_every_command(tmp_path: Path) -> None:
    parser = _parser()
    for name, sub in {"docchat": parser, **_subcommands(parser)}.items():
        for action in sub._actions:
            if not isinstance(action, argparse._SubParsersAction):
                assert action.help, f"docchat {name}: {action.option_strings or action.dest} has no help"
    shown = docchat("ask", "--help", cwd=tmp_path).stdout
    for words in ("the question", "chat model", "how many sources", "store folder", "collection name", "Chroma server"):
        assert words in shown, words


def _run_on_a_terminal(argv: list[str], cwd: Path, size: tuple[int, int] | None) -> str:
    """What ``docchat argv`` shows on a pseudo-terminal (sized ``size``, or reporting no size at all)."""
    import fcntl
    import struct
    import termios

    leader, follower = pty.openpty()
    if size:
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    proc = subprocess.Popen([sys.executable, "-m", "jupyter_docchat.cli", *argv], cwd=cwd, stdin=follower,
                            stdout=follower, stderr=follower, env=env, close_fds=True)
    os.close(follower)
    shown = bytearray()
    # A selector, not select.select: deep in the suite this process holds over 1,024 descriptors (each store a
    # test opens keeps Chroma's in its process cache), past what select() can watch.
    watch = selectors.DefaultSelector()
    watch.register(leader, selectors.EVENT_READ)
    while True:
        if watch.select(timeout=1.0):
            try:
                data = os.read(leader, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            shown += data
        elif proc.poll() is not None:
            break
    proc.wait(timeout=600)
    watch.close()
    os.close(leader)
    assert proc.returncode == 0, shown.decode(errors="replace")
    return shown.decode(errors="replace")


@pytest.mark.parametrize("size", [None, (100, 30)], ids=["unsized terminal", "sized terminal"])
def test_indexing_shows_a_progress_bar_on_a_terminal_and_none_in_a_pipe(tmp_path: Path, size) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for n in range(40):
        (docs / f"note{n}.md").write_text(f"# Note {n}\n\nNote {n} says the reserve ratio was {n} percent.\n")
    shown = _run_on_a_terminal(["index", "docs"], tmp_path, size)
    assert "checking files:" in shown and "%|" in shown and "40 added" in shown
    piped = docchat("index", "docs", "--rebuild", cwd=tmp_path)
    assert piped.returncode == 0 and "%|" not in piped.stderr + piped.stdout and "40 added" in piped.stdout


@pytest.mark.parametrize("argv, query", [(["search", "--port"], "--port"), (["ask", "-k", "2", "--max-age"], "--max-age")])
def test_a_query_that_starts_with_a_dash_is_shown_how(store: Path, argv: list[str], query: str) -> None:
    """argparse takes ``--port`` for an option and only says the query is missing: the error says to put it
    after ``--``, and that way works."""
    refused = docchat(*argv, cwd=store)
    assert refused.returncode == 2 and f"after --, the options before it: docchat {argv[0]} -- {query}" in refused.stderr.splitlines()[-1]
    done = docchat(argv[0], "--store", "st a b", "--collection", "alpha", "--", query, cwd=store)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("argv, help_of", [
    (["search", "--frobnicate", "x"], "docchat search"),  # reported by the main parser, named for the command
    (["frob"], "docchat"),
    (["ask"], "docchat ask"),
    (["search", "-k", "many", "x"], "docchat search"),
])
def test_argument_errors_are_one_line_without_the_usage_block(tmp_path: Path, argv: list[str], help_of: str) -> None:
    """argparse printed its usage (three lines and more) above the error: the line that says what was wrong
    was the last of a screen of syntax. Now that line alone, naming the --help to read."""
    done = docchat(*argv, cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    assert len(done.stderr.splitlines()) == 1 and "usage:" not in done.stderr, done.stderr
    assert done.stderr.startswith(f"docchat") and done.stderr.rstrip().endswith(f"(see {help_of} --help)"), done.stderr


def test_a_search_says_when_the_indexed_folder_is_gone(tmp_path: Path, monkeypatch, capsys) -> None:
    """ask said it (a walk over Black's manual); search listed hits from files no longer there without a word."""
    import shutil

    from conftest import EXAMPLE_DOCS
    from jupyter_docchat.cli import main

    shutil.copytree(EXAMPLE_DOCS, tmp_path / "docs")
    assert docchat("index", "docs", "--store", "st", "--quiet", cwd=tmp_path).returncode == 0
    # The searches run the command's main in this process (two cold starts fewer); the index above is a process.
    monkeypatch.chdir(tmp_path)
    assert main(["search", "deposit insurance", "--store", "st"]) == 0
    assert "gone" not in capsys.readouterr().err
    (tmp_path / "docs").rename(tmp_path / "moved")
    assert main(["search", "deposit insurance", "--store", "st", "--json"]) == 0
    gone = capsys.readouterr()
    assert '"source": "deposit_insurance.pdf"' in gone.out  # still JSON on stdout
    assert gone.err.count("\n") == 1 and "is gone: the hits come from the index as it was" in gone.err, gone.err
