"""Probe 6: %ask and %%ask as a user coming from the command line types them, and a history put back as a tuple.

``docchat ask -k 3`` is the command line's spelling; in a notebook ``%%ask -k 3`` said "%%ask takes the
question from the cell; unexpected text after the options: '-k 3'", and ``%ask -k 3 why?`` asked "-k 3 why?"
with five sources. Both now take ``-k`` as ``--k``, and any other dash word before a %%ask cell is an unknown
option, named. ``docchat_history = tuple(docchat_history)`` (or turns loaded as a tuple) was thrown away by the
next %ask or %docchat_history, which started a fresh list: the turns are now kept, in a list.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cell, write_tree
from hypothesis import given, settings, strategies as st
from IPython.core.error import UsageError

from jupyter_docchat.notebook.ask_args import parse_ask

TURN = {"question": "What is the zebra code?", "standalone": "What is the zebra code?",
        "answer": "The zebra code is 4417 [1].", "sources": [], "model": "extractive", "status": "ok"}


@pytest.fixture
def notes(ip, tmp_path: Path):
    folder = write_tree(tmp_path / "notes", {
        "zoo.md": "# Zoo\n\nThe zebra code is 4417.\n",
        "rose.md": "# Garden\n\nThe rose bed is watered at dawn.\n",
        "fern.md": "# Ferns\n\nFerns grow in the shade by the pond.\n",
    })
    ip.run_line_magic("docchat_index", f"{folder} --quiet")
    return ip


@pytest.mark.parametrize("cell", ["%%ask -k 1\nWhat is the zebra code?", "%%ask -k=1 --no-stream\nWhat is the zebra code?",
                                  "%ask -k 1 What is the zebra code?", "%ask --no-stream -k1 What is the zebra code?"])
def test_the_command_lines_k_is_taken(notes, cell: str) -> None:
    result, error = run_cell(notes, cell)
    assert error is None, error
    turn = notes.user_ns["docchat_history"][-1]
    assert turn["question"] == "What is the zebra code?" and len(turn["sources"]) == 1


@pytest.mark.parametrize("cell, message", [
    ("%%ask -x\nwhy?", "unknown option -x: use --k"),
    ("%%ask --no-stream -m gpt-4o\nwhy?", "unknown option -m: use --k"),
    ("%%ask -k 0\nwhy?", "k must be a whole number between 1 and 50, not 0"),
    ("%ask -k 99 why?", "k must be a whole number between 1 and 50, not 99"),
])
def test_a_dash_option_that_is_wrong_is_one_line_and_changes_nothing(ip, cell: str, message: str) -> None:
    ip.user_ns["docchat_history"] = [dict(TURN)]
    _, error = run_cell(ip, cell)
    assert isinstance(error, UsageError) and message in str(error) and "\n" not in str(error), error
    assert ip.user_ns["docchat_history"] == [TURN]


def test_a_question_that_only_starts_like_k_stays_a_question() -> None:
    assert parse_ask("-k8s cluster sizes?", None) == ({}, "-k8s cluster sizes?")
    assert parse_ask("-kubectl apply?", None) == ({}, "-kubectl apply?")
    assert parse_ask("-- -k 3 means what?", None) == ({}, "-k 3 means what?")


def test_a_history_put_back_as_a_tuple_keeps_its_turns(notes) -> None:
    notes.user_ns["docchat_history"] = (dict(TURN),)
    shown = notes.run_line_magic("docchat_history", "")
    assert "zebra code is 4417" in str(shown)
    _, error = run_cell(notes, "%ask --no-stream And where is it written?")
    assert error is None, error
    history = notes.user_ns["docchat_history"]
    assert isinstance(history, list) and history[0] == TURN and len(history) == 2
    assert "zebra" in history[1]["standalone"]  # the follow-up was completed by the tuple's turn


WORD = st.text("abcdefghijklmnopqrstuvwxyz?'\"-", min_size=1, max_size=8)


@settings(max_examples=300, deadline=None)
@given(k=st.integers(1, 50), spelling=st.sampled_from(["-k {}", "-k={}", "-k{}", "--k {}", "--k={}"]),
       words=st.lists(WORD, min_size=1, max_size=6).filter(lambda w: not w[0].startswith("-")))
def test_every_spelling_of_k_gives_k_and_the_question_verbatim(k: int, spelling: str, words: list[str]) -> None:
    question = " ".join(words)
    assert parse_ask(f"{spelling.format(k)} {question}", None) == ({"k": k}, question)
    assert parse_ask(f"--no-stream {spelling.format(k)}", question) == ({"no_stream": True, "k": k}, question)
