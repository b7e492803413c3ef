"""Issue 22, item 8: a lone surrogate in a question, a history entry, a notebook or a variable never breaks
search, ``--notebook`` or any later ``%ask`` (offline, and through the real openai client)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from conftest import ask, run_cell

from jupyter_docchat.cli import main
from jupyter_docchat.index import DocIndex

LONE = "\ud800"
ESCAPED = "\udcff"  # what Python makes of a byte that is not UTF-8 in argv or a file name


def test_search_takes_a_query_with_lone_surrogates(indexed, tmp_path: Path, capsys) -> None:
    index = DocIndex(tmp_path / "store")
    for mode in ("hybrid", "dense", "lexical"):
        hits = index.search(f"{LONE}deposit {ESCAPED}insurance{LONE}", k=3, mode=mode)
        assert hits and all(h.text.encode("utf-8") for h in hits)
    assert main(["--store", str(tmp_path / "store"), "search", f"deposit {ESCAPED}insurance"]) == 0
    assert main(["--store", str(tmp_path / "store"), "ask", f"What does deposit insurance cover{ESCAPED}?"]) == 0
    assert "deposit" in capsys.readouterr().out.lower()


def test_a_history_entry_with_lone_surrogates_breaks_no_later_question(online, fake, tmp_path: Path) -> None:
    history = online.user_ns["docchat_history"]
    history.append({"question": f"Why did SVB fail{LONE}?", "standalone": f"SVB {ESCAPED}",
                    "answer": f"Depositors ran{LONE} [1].", "sources": [{"source": f"a{LONE}.md", "text": LONE}]})
    fake.condensed = "Why did depositors run on SVB?"
    for options in ("--no-stream", "--no-stream --model extractive", ""):
        ask(online, "And what did they do then?", options)  # a follow-up: the past entry is sent or searched
    assert all(body.decode("utf-8") for body in fake.bodies)
    assert LONE not in json.dumps(fake.requests, ensure_ascii=False).encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    assert len(history) == 4
    for name in ("h.md", "h.json"):
        result, error = run_cell(online, f"%docchat_history --save {tmp_path / name}")
        assert error is None
        (tmp_path / name).read_text(encoding="utf-8")
    assert "Why did SVB fail" in str(online.run_line_magic("docchat_history", ""))


def test_notebook_cells_and_variables_with_lone_surrogates_are_sources(ip, tmp_path: Path) -> None:
    path = tmp_path / "odd.ipynb"
    path.write_text(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Deposit outflow\n", f"Outflows rose {LONE} sharply."]}]}))
    ip.run_cell("odd_text = 'deposit outflow \\ud800'", store_history=True)
    ip.run_cell("odd_text", store_history=True)
    ip.user_ns["frame"] = pd.DataFrame({f"outflow{LONE}": [1.0, 2.0]})
    ip.user_ns["__session__"] = str(path)
    try:
        for _ in range(2):
            view = ask(ip, f"How did the deposit outflow {LONE}change?", "--no-stream --notebook --with frame,odd_text")
    finally:
        del ip.user_ns["__session__"]
    turn = ip.user_ns["docchat_history"][-1]
    assert {s["origin"] for s in turn["sources"]} == {"cell", "variable"}
    assert json.dumps(turn, ensure_ascii=False).encode("utf-8")
    assert str(view).encode("utf-8") and view._repr_mimebundle_()["text/html"].encode("utf-8")
