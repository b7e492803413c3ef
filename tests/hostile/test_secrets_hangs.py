"""Issue 22, item 6: ``%%ask --with obj`` does not hang when ``repr(obj)`` (or a property) never returns,
nor ``--notebook`` on a cell result whose repr never returns; a notebook of 20,000 cells costs a bounded
number of embeddings per question, with a progress bar."""

from __future__ import annotations

import threading
import time

import nbformat
import pytest
from conftest import ask

from jupyter_docchat.qa import cells as cells_module, time_budget
from jupyter_docchat.qa.cells import DENSE_CELLS
from jupyter_docchat.qa.time_budget import OutOfTime, within
from jupyter_docchat.store.embeddings import MiniLMEmbeddings

HANGS = '''
import threading
release = threading.Event()

class Spinning:
    """A repr in an endless Python loop."""
    def __repr__(self):
        while not release.is_set():
            pass
        return "Spinning()"

class Blocking:
    """A repr blocked in C (a wait), which no exception can reach."""
    def __repr__(self):
        release.wait()
        return "Blocking()"

    @property
    def total(self):
        release.wait()
        return 0

class Later:
    """Shown fine once (when its cell ran), then its repr never returns."""
    shown = 0
    def __repr__(self):
        Later.shown += 1
        if Later.shown > 1:
            release.wait()
        return "Later()"

spinning, blocking = Spinning(), Blocking()
'''


def cell(ip, code: str) -> int:
    result = ip.run_cell(code, store_history=True)
    assert result.error_in_exec is None and result.error_before_exec is None, result
    return result.execution_count


def test_a_repr_or_property_that_never_returns_does_not_hang_the_question(ip) -> None:
    cell(ip, HANGS)
    shown = cell(ip, "Later()")
    try:
        later = [c for c in cells_module.session_cells(ip.user_ns["In"], ip.user_ns["Out"]) if c.number == shown]
        assert later and "<Later whose repr did not finish>" in later[0].text
        view = ask(ip, "What are spinning and blocking?", "--no-stream --with spinning,blocking,blocking.total --notebook")
        turn = ip.user_ns["docchat_history"][-1]
        described = {s["source"]: s for s in turn["sources"] if s["origin"] == "variable"}
        assert described["spinning"]["location"] == "Spinning"
        assert described["blocking"]["location"] == "Blocking"
        assert described["blocking.total"]["location"] == "attribute"
        assert all("described by its type alone" in s["text"] for s in described.values())
        assert "spinning" in str(view)
        # The spinning repr was stopped; the blocked ones wait, at most MAX_STUCK of them.
        assert time_budget.stuck() <= time_budget.MAX_STUCK
        ask(ip, "What is spinning?", "--no-stream --with spinning")  # the next question is not slowed by them
    finally:
        ip.user_ns["release"].set()


def test_the_budget_refuses_at_once_while_too_many_calls_are_stuck(monkeypatch) -> None:
    release = threading.Event()
    monkeypatch.setattr(time_budget, "MAX_STUCK", 2)
    try:
        for _ in range(2):
            with pytest.raises(OutOfTime):
                within(0.05, release.wait)
        assert time_budget.stuck() >= 2
        with pytest.raises(OutOfTime, match="still running"):
            within(60, lambda: 1)
    finally:
        release.set()
    deadline = time.monotonic() + 60
    while time_budget.stuck() and time.monotonic() < deadline:  # they end once released
        time.sleep(0.01)
    assert within(60, lambda: 2) == 2  # then calls run again
    with pytest.raises(ZeroDivisionError):
        within(60, lambda: 1 / 0)  # the call's own error is the caller's


def test_a_notebook_of_20000_cells_costs_a_bounded_number_of_embeddings(ip, tmp_path, monkeypatch, capsys) -> None:
    words = "deposit bank outflow rate loan bond yield capital liquidity run regulator insurance".split()
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell(f"# Note {n}\n" + " ".join(words[(n * 7 + i) % len(words)] for i in range(25)))
        if n % 2 else nbformat.v4.new_code_cell(f"x{n} = {n}") for n in range(20_000)])
    nb.cells[15_001] = nbformat.v4.new_markdown_cell("# Zebra\nThe zebra crossing memo sets the quorum at eleven.")
    path = tmp_path / "long.ipynb"
    nbformat.write(nb, str(path))
    inputs = ip.user_ns["In"]
    session = len(inputs)
    inputs.extend(f"y{n} = {n}" for n in range(20_000))  # a session of 20,000 cells too
    embedded: list[int] = []  # texts the query session embedded: the cells, the question, the answer's units
    real = MiniLMEmbeddings.embed_queries
    monkeypatch.setattr(MiniLMEmbeddings, "embed_queries", lambda self, texts: embedded.append(len(texts)) or real(self, texts))
    ip.run_line_magic("config", "DocChat.progress = True")
    ip.user_ns["__session__"] = str(path)
    try:
        ask(ip, "What quorum does the zebra crossing memo set?", "--no-stream --notebook")
    finally:
        del ip.user_ns["__session__"]
        del inputs[session:]  # the shell's own cells number on from here
    turn = ip.user_ns["docchat_history"][-1]
    assert any(s["location"] == "markdown cell 15002" for s in turn["sources"]), turn["sources"]
    assert "eleven" in turn["answer"]
    assert sum(embedded) < 2 * DENSE_CELLS  # not the 10,000 Markdown cells and 300 newest code cells
    assert "embedding this notebook's cells" in capsys.readouterr().err
