"""Probe 3: the command line in a pipeline. ``docchat search ... | head`` ended with a BrokenPipeError
traceback once ``head`` had what it wanted; ``docchat index ""`` (an unset shell variable) indexed the
working directory into the collection."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from jupyter_docchat import DocIndex


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    import shutil

    from conftest import EXAMPLE_DOCS

    root = tmp_path_factory.mktemp("cli3")
    shutil.copytree(EXAMPLE_DOCS, root / "docs")
    DocIndex(root / "store").update(root / "docs")
    return root


@pytest.mark.parametrize("argv", [["search", "deposit insurance", "--json"], ["search", "deposit insurance"],
                                  ["ask", "What is the standard deposit insurance amount?"], ["status"]])
def test_a_reader_that_stops_reading_ends_it_quietly(root: Path, argv: list[str]) -> None:
    read, write = os.pipe()
    os.close(read)  # as `| head` does once it has its lines: every write now fails with EPIPE
    try:
        done = subprocess.run([sys.executable, "-m", "jupyter_docchat.cli", "--store", "store", *argv], cwd=root,
                              stdout=write, stderr=subprocess.PIPE, text=True, timeout=600)
    finally:
        os.close(write)
    assert "Traceback" not in done.stderr and "BrokenPipeError" not in done.stderr, done.stderr
    assert done.returncode == 1


def test_an_empty_folder_argument_is_refused(root: Path) -> None:
    (root / "stray.md").write_text("# Stray\nNot to be indexed.\n")
    done = subprocess.run([sys.executable, "-m", "jupyter_docchat.cli", "--store", "store", "index", ""], cwd=root,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 1 and done.stderr.count("\n") == 1 and "no folder given" in done.stderr, done.stderr
    assert DocIndex(root / "store").status()[0].files == 6


def test_a_streamed_answer_into_a_closed_pipe_ends_quietly(root: Path, fake) -> None:
    """Streamed, each word is printed as it comes: the closed pipe surfaced inside the model's stream and
    was said as "the connection to ... dropped in the middle of the answer"."""
    read, write = os.pipe()
    os.close(read)
    env = {**os.environ, "OPENAI_API_KEY": "sk-cli", "OPENAI_BASE_URL": fake.url, "DOCCHAT_MODEL": "m"}
    try:
        done = subprocess.run([sys.executable, "-m", "jupyter_docchat.cli", "--store", "store", "ask",
                               "What is the standard deposit insurance amount?"], cwd=root, stdout=write,
                              stderr=subprocess.PIPE, text=True, timeout=600, env=env)
    finally:
        os.close(write)
    assert done.stderr == "" and done.returncode == 1, done.stderr
    assert fake.chat_requests("answer")  # it did stream from the model
