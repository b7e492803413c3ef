"""Kernel variables (--with) and this notebook's cells (--notebook) as cited sources, in a real shell,
answered by the real openai client against the local server and by the extractive answer."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from conftest import ask, run_cell

from jupyter_docchat.qa.cells import notebook_markdown_cells, notebook_path, session_cells
from jupyter_docchat.qa.variables import VariableError, describe, parse_names


def cell(ip, code: str):
    """Run a cell as the notebook would (recorded in In/Out)."""
    result = ip.run_cell(code, store_history=True)
    assert result.error_in_exec is None and result.error_before_exec is None, result
    return result


def sent_prompt(fake) -> str:
    return json.dumps(fake.chat_requests("answer")[-1]["messages"], ensure_ascii=False)


def test_a_dataframe_and_a_cell_are_cited_beside_the_documents(online, fake) -> None:
    cell(online, "import pandas as pd\n"
                 "withdrawals = pd.DataFrame({'bank': ['SVB', 'Signature', 'First Republic'],\n"
                 "                            'outflow_bn': [42.0, 10.0, 70.0]})")
    cell(online, "svb_outflow_share = 42.0 / 175.0 * 100  # the March 9 deposit outflow as a share of SVB's deposits\n"
                 "svb_outflow_share")
    ask(online, "How much did depositors withdraw from SVB on March 9, and what share of deposits was it?",
        "--no-stream --with withdrawals --notebook")
    turn = online.user_ns["docchat_history"][-1]
    origins = {s["origin"] for s in turn["sources"]}
    assert origins == {"document", "cell", "variable"}, turn["sources"]
    frame = next(s for s in turn["sources"] if s["origin"] == "variable")
    assert frame["source"] == "withdrawals" and frame["location"] == "DataFrame 3 × 2"
    assert "outflow_bn: float64 (0 null)" in frame["text"] and "First Republic" in frame["text"]
    cells = [s for s in turn["sources"] if s["origin"] == "cell"]
    assert any(s["location"].startswith("cell [") and "svb_outflow_share" in s["text"] and "24.0" in s["text"]
               for s in cells), cells
    # The model saw all three, numbered as they are cited.
    prompt = sent_prompt(fake)
    assert "withdrawals, DataFrame 3 × 2" in prompt and "svb_outflow_share" in prompt
    assert "sk-test-KEY-12345" not in prompt
    numbers = [s["n"] for s in turn["sources"]]
    assert numbers == list(range(1, len(numbers) + 1))
    # The asking cell itself is not a source.
    assert not any("%%ask" in s["text"] or "run_cell_magic" in s["text"] for s in cells)


def test_variables_and_cells_answer_without_a_model_and_without_documents(ip) -> None:
    cell(ip, "rates = {'fed_funds': 4.75, 'discount': 4.75, 'btfp_term_years': 1}")
    cell(ip, "def haircut(value, share=0.0):\n    '''Collateral value after the BTFP's haircut (none: valued at par).'''\n"
             "    return value * (1 - share)")
    view = ask(ip, "What haircut does the BTFP apply to collateral?", "--no-stream --with rates,haircut --notebook")
    turn = ip.user_ns["docchat_history"][-1]
    assert turn["note"] == "extractive"
    assert [s["origin"] for s in turn["sources"]].count("variable") == 2
    described = {s["source"]: s for s in turn["sources"] if s["origin"] == "variable"}
    assert described["rates"]["location"] == "dict of 3 items" and "'fed_funds': 4.75" in described["rates"]["text"]
    assert described["haircut"]["location"].startswith("function haircut(value, share=0.0)")
    assert "valued at par" in turn["answer"]  # quoted from the docstring: no index was needed
    assert not (ip.magics_manager.registry["DocChat"].settings().store / "docchat.sqlite").exists()
    assert "function haircut" in view._repr_mimebundle_()["text/html"]


@pytest.mark.parametrize("name", ["api_key", "OPENAI_TOKEN", "db_password", "client_secret"])
def test_secret_looking_names_are_refused_in_one_line(ip, name: str) -> None:
    cell(ip, f"{name} = 'hunter2'")
    _, error = run_cell(ip, f"%ask --with {name} what is it?")
    assert error is not None and "never sent" in str(error) and "\n" not in str(error)
    assert ip.user_ns["docchat_history"] == []


def test_the_configured_key_is_never_sent_inside_another_variable(online, fake) -> None:
    cell(online, "settings_copy = {'service': 'openai', 'k': 'sk-test-KEY-12345'}")
    before = len(fake.requests)
    _, error = run_cell(online, "%ask --no-stream --with settings_copy what service is configured?")
    assert error is not None and "API key" in str(error)
    assert len(fake.requests) == before and online.user_ns["docchat_history"] == []


def test_a_missing_or_malformed_name_is_a_one_line_error(ip) -> None:
    for options, expected in [("--with nothere", "no variable named 'nothere'"), ("--with 'a b'", "not one"),
                              ("--with os._exit", "no variable named 'os'")]:
        _, error = run_cell(ip, f"%ask {options} anything?")
        assert error is not None and expected in str(error), (options, error)
    cell(ip, "import os")
    _, error = run_cell(ip, "%ask --with os._exit anything?")
    assert error is not None and "private" in str(error)


def test_descriptions_are_capped_and_cover_each_kind() -> None:
    frame = pd.DataFrame({"x": range(1000), "y": [None] * 500 + list(range(500)), "name": ["n"] * 1000})
    label, text = describe("df", frame)
    assert label == "DataFrame 1,000 × 3"
    assert "y: float64 (500 null)" in text and "numeric summary" in text and "mean" in text
    label, text = describe("s", frame["x"])
    assert label.startswith("Series 1,000 (int64)") and "summary" in text
    label, text = describe("a", np.arange(12, dtype=float).reshape(3, 4))
    assert label == "array 3 × 4 (float64)" and "max 11" in text
    label, text = describe("big", list(range(100_000)))
    assert label == "list of 100,000 items" and "and 99,990 more" in text and len(text) < 400
    label, text = describe("blob", "z" * 100_000)
    assert label == "str of 100,000 characters" and len(text) <= 4000 and "98,000 more characters" in text
    label, text = describe("config", object())
    assert label == "object" and text.startswith("config: object\n<object object at")

    class Angry:
        def __repr__(self) -> str:
            raise RuntimeError("no")

    assert "<Angry instance at" in describe("angry", Angry())[1]  # a raising __repr__ does not fail the question
    with pytest.raises(VariableError):
        parse_names(" , ")


def test_session_cells_keep_results_and_skip_docchat_cells(tmp_path) -> None:
    inputs = ["", "x = 1", "get_ipython().run_cell_magic('ask', '', 'what?')", "x + 1", "   "]
    cells = session_cells(inputs, {3: 2}, skip=None)
    assert [c.label for c in cells] == ["cell [1]", "cell [3]"]
    assert cells[1].text.endswith("# result:\n2")
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Method\nWe compare outflows."),
                                         nbformat.v4.new_code_cell("1 + 1")])
    path = tmp_path / "my analysis.ipynb"
    nbformat.write(nb, str(path))
    assert [c.label for c in notebook_markdown_cells(path)] == ["markdown cell 1"]
    assert notebook_path({"__session__": str(path)}, {}, tmp_path) == path
    assert notebook_path({}, {"JPY_SESSION_NAME": "my analysis.ipynb"}, tmp_path) == path
    assert notebook_path({}, {"JPY_SESSION_NAME": "gone.ipynb"}, tmp_path) is None
    assert notebook_markdown_cells(tmp_path / "gone.ipynb") == []


def test_unicode_names_and_huge_results_cost_little(ip) -> None:
    import time

    cell(ip, "données = {'taux': 4.75}")
    cell(ip, "list(range(5_000_000))")  # a cell whose result is huge: its source shows the first items
    started = time.perf_counter()
    ask(ip, "What is the taux?", "--no-stream --with données --notebook")
    assert time.perf_counter() - started < 120  # a repr of the whole list would be far slower; generous on a busy machine
    turn = ip.user_ns["docchat_history"][-1]
    assert [s["source"] for s in turn["sources"] if s["origin"] == "variable"] == ["données"]
    results = [s["text"] for s in turn["sources"] if s["origin"] == "cell" and "range(5_000_000)" in s["text"]]
    assert all(len(text) < 600 and "..." in text for text in results)


def test_a_frame_that_cannot_be_summarised_is_described_by_its_repr(monkeypatch) -> None:
    def refuse(self):
        raise TypeError("this dtype has no nulls")

    monkeypatch.setattr(pd.DataFrame, "isna", refuse)
    label, text = describe("odd", pd.DataFrame({"x": [1, 2]}))
    assert label == "DataFrame" and "x" in text  # not an error: the question still goes through


def test_an_offline_notebook_answer_quotes_the_matching_cell_instead_of_nothing(ip) -> None:
    # No word of the question is in the cell: only the search's meaning finds it. The answer quotes it and cites it.
    cell(ip, "dep = 175.0\nout = 42.0\nratio = out / dep * 100\nratio")
    ask(ip, "Which fraction of the money left the bank?", "--no-stream --notebook")
    turn = ip.user_ns["docchat_history"][-1]
    first = next(s for s in turn["sources"] if s["origin"] == "cell")  # the shell's earlier tests' cells compete
    assert "nothing that matches" not in turn["answer"]
    assert first["text"].splitlines()[0] in turn["answer"] and f"[{first['n']}]" in turn["answer"]


def test_an_offline_answer_with_a_frame_quotes_the_part_of_its_description_that_answers(ip) -> None:
    cell(ip, "import pandas as pd\n"
             "withdrawals = pd.DataFrame({'bank': ['SVB', 'Signature', 'First Republic'],\n"
             "                            'outflow_bn': [42.0, 10.0, 70.0], 'deposits_bn': [175, 88, 176]})")
    ask(ip, "How much was the outflow of Signature?", "--no-stream --with withdrawals")
    answer = ip.user_ns["docchat_history"][-1]["answer"]
    assert "first rows:" in answer and "Signature        10.0" in answer and "[1]" in answer
    assert "numeric summary" not in answer and "dtype, nulls" not in answer  # not the whole description


def test_what_a_cell_printed_in_the_saved_notebook_is_a_source_with_its_code(ip, tmp_path) -> None:
    """IPython keeps a cell's result, not what it printed: a loss a training loop printed was only in the saved
    notebook, and ``--notebook`` answered without it. A secret printed there stays hidden."""
    import nbformat

    training = "for epoch in range(3):\n    loss = 0.5 / (epoch + 1)\nprint(f'final validation loss {loss:.4f}')"
    leak = "api_key = 'sk-live-abcdef1234567890XYZ'\nprint('using', api_key)"
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell(training, outputs=[nbformat.v4.new_output("stream", name="stdout",
                                                                             text="final validation loss 0.1667\n")]),
        nbformat.v4.new_code_cell(leak, outputs=[nbformat.v4.new_output(
            "stream", name="stdout", text="using sk-live-abcdef1234567890XYZ\n")]),
        nbformat.v4.new_code_cell("stale = 1", outputs=[nbformat.v4.new_output("stream", name="stdout", text="old\n")])])
    path = tmp_path / "train run.ipynb"
    nbformat.write(nb, str(path))
    ip.user_ns["__session__"] = str(path)
    cell(ip, training)
    cell(ip, leak)
    cell(ip, "stale = 2")  # edited since the save: the saved output is not its
    ask(ip, "What was the final validation loss?", "--no-stream --notebook")
    turn = ip.user_ns["docchat_history"][-1]
    sources = [s for s in turn["sources"] if s["origin"] == "cell"]
    printed = next(s for s in sources if "final validation loss 0.1667" in s["text"])
    assert printed["text"].index("print(f'final validation loss") < printed["text"].index("# printed:")
    assert "0.1667" in turn["answer"], turn["answer"]
    everything = json.dumps(ip.user_ns["docchat_history"])
    assert "sk-live-abcdef1234567890XYZ" not in everything
    from jupyter_docchat.qa.cells import saved_printed, session_cells

    cells = session_cells(["", training, leak, "stale = 2"], {}, printed=saved_printed(path))
    assert [c.text.count("# printed:") for c in cells] == [1, 1, 0]
    assert "sk-live" not in cells[1].text


def test_a_broken_cell_s_source_is_read_as_nothing_not_its_repr(tmp_path) -> None:
    """A saved notebook another tool broke (a cell's source a number, None, or a list holding one) is read as the
    indexer reads it: the broken part is nothing; "None" or "[3]" was quoted as a Markdown cell's text."""
    path = tmp_path / "broken.ipynb"
    cells = [{"cell_type": "markdown", "metadata": {}, "source": None},
             {"cell_type": "markdown", "metadata": {}, "source": 12345},
             {"cell_type": "markdown", "metadata": {}, "source": ["Kept ", 7, "words"]}]
    path.write_text(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells}))
    assert [cell.text for cell in notebook_markdown_cells(path)] == ["Kept words"]
