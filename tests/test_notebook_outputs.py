"""A code cell's output is read with it (walk 28: on executed tutorials the accuracy, the timing, the error a question
asked for stood only in an output, and no source held it). Real reading and chunking; a real store and DocIndex.ask."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_notebook_cells_joined import chunks_of

from jupyter_docchat import DocIndex
from jupyter_docchat.indexing.readers.notebook_outputs import HEAD_LINES, MAX_CHARS, MAX_LINES, TAIL_LINES, data_cell, outputs_text
from jupyter_docchat.qa.answer_levers import SHIPPED
from jupyter_docchat.qa.extractive import extract
from jupyter_docchat.types import OUTPUT_LABEL, Hit



def stream(text: str, name: str = "stdout") -> dict:
    return {"output_type": "stream", "name": name, "text": text}


def result(plain: str, **more: str) -> dict:
    return {"output_type": "execute_result", "execution_count": 1, "metadata": {},
            "data": {"text/plain": plain, **more}}


def notebook(*cells: tuple[str, str, list]) -> str:
    return json.dumps({"cells": [{"cell_type": kind, "metadata": {}, "source": source,
                                  **({"outputs": outputs, "execution_count": 1} if kind == "code" else {})}
                                 for kind, source, outputs in cells], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


BAYES = notebook(
    ("markdown", "# Naive Bayes\n\n## Different distributions on different features", []),
    ("markdown", "We model the mean as a normal distribution, the duration as an exponential one.", []),
    ("code", 'model = NaiveBayes.from_samples([NormalDistribution, ExponentialDistribution], X_train, y_train)\n'
             'print("Heterogeneous Naive Bayes: ", (model.predict(X_test) == y_test).mean())',
     [stream("Heterogeneous Naive "), stream("Bayes:  0.822\n"),
      stream("/home/u/.venv/lib/python3.11/site-packages/pomegranate/base.py:42: DeprecationWarning: old API\n"
             "  warnings.warn(\nINFO - fit finished | best cost: 0.0041\n", "stderr")]),
    ("code", "plt.plot(x, y)", [{"output_type": "display_data", "metadata": {},
                                 "data": {"image/png": "iVBORw0KGgo=", "text/plain": "<Figure size 640x480 with 1 Axes>"}},
                                result("[<matplotlib.lines.Line2D at 0x7f3a2c1d5e50>]")]),
    ("markdown", "## Missing columns", []),
    ("code", "frame['price']", [{"output_type": "error", "ename": "KeyError", "evalue": "'price'",
                                 "traceback": ["\x1b[0;31m---------\x1b[0m", "KeyError: 'price'"]}]),
)


def test_what_a_cell_printed_is_read_under_its_code_and_what_says_nothing_is_not(tmp_path: Path) -> None:
    chunks = chunks_of(tmp_path, BAYES, "bayes.ipynb")
    bayes = next(c for c in chunks if "Heterogeneous" in c.text)
    # The two pieces of one print are one line.
    # Standard error's warning is left out, with its source line; a log line there is read.
    assert (f"```\n\n{OUTPUT_LABEL}\n\n```\nHeterogeneous Naive Bayes:  0.822\nINFO - fit finished | best cost: 0.0041\n```"
            in bayes.text), bayes.text
    assert not any(word in c.text for c in chunks for word in ("DeprecationWarning", "warnings.warn", "/home/u"))
    # A plot's figure and the artists it returned say nothing a question asks: the cell is its code alone.
    assert not any("Figure size" in c.text or "Line2D" in c.text for c in chunks)
    assert bayes.text.endswith("0.0041\n```\n\n```\nplt.plot(x, y)\n```")
    missing = next(c for c in chunks if "frame['price']" in c.text)
    assert f"{OUTPUT_LABEL}\n\n```\nKeyError: 'price'\n```" in missing.text, missing.text
    assert "---------" not in missing.text  # the traceback's frames are not read


def test_the_answer_quotes_the_output_with_the_code_that_printed_it_and_cites_the_cell(tmp_path: Path) -> None:
    folder = tmp_path / "tutorials"
    folder.mkdir()
    (folder / "bayes.ipynb").write_text(BAYES, encoding="utf-8")
    index = DocIndex(tmp_path / "store")
    try:
        index.update(folder)
        answer = index.ask("What accuracy did the heterogeneous naive Bayes model reach?")
        quoted = answer.text.split("Sources:")[0]
        assert "Heterogeneous Naive Bayes:  0.822" in quoted, answer.text
        # The code first, then its output under the label: the number alone did not say what it measured.
        assert quoted.index("NaiveBayes.from_samples") < quoted.index(OUTPUT_LABEL) < quoted.index("0.822"), quoted
        assert (answer.sources[0].file, answer.sources[0].location) == ("bayes.ipynb", "cells 1-4"), answer.sources
    finally:
        index.close()


def hit(text: str) -> Hit:
    return Hit(id="c4", text=text, source="run.ipynb", heading="Training", score=1.0, cell=4)


CELL = f"```\nfit(model, epochs=10)\n```\n\n{OUTPUT_LABEL}\n\n```\nvalidation loss: 0.031\n```"


def test_code_found_first_is_quoted_with_its_output_and_the_lever_turns_it_off() -> None:
    question = "How do I fit the model for ten epochs with fit?"
    groups = extract(question, [hit(CELL)])
    assert [c.unit.text for c in groups[0]] == ["fit(model, epochs=10)", "validation loss: 0.031"]
    alone = extract(question, [hit(CELL)], levers=replace(SHIPPED, cell_output=False))
    assert [c.unit.text for c in alone[0]] == ["fit(model, epochs=10)"]


def test_an_output_found_first_is_quoted_after_the_code_that_printed_it() -> None:
    groups = extract("What validation loss did training reach?", [hit(CELL)])
    assert [c.unit.text for c in groups[0]] == ["fit(model, epochs=10)", "validation loss: 0.031"]


def test_a_progress_bar_keeps_its_last_state_and_terminal_colours_are_dropped() -> None:
    bar = "".join(f"\r{p:3d}%|{'#' * (p // 10)}|" for p in range(0, 101, 10))
    text = outputs_text([stream(bar + "\n"), stream("\x1b[32mdone\x1b[0m in 3.2 s\r\n")])
    assert text == "100%|##########|\ndone in 3.2 s"


def test_a_long_output_keeps_its_first_and_last_lines_and_says_how_many_are_left_out() -> None:
    text = outputs_text([stream("".join(f"epoch {n}: loss {1 / n:.4f}\n" for n in range(1, 201)))])
    lines = text.split("\n")
    assert lines[:2] == ["epoch 1: loss 1.0000", "epoch 2: loss 0.5000"] and lines[-1] == "epoch 200: loss 0.0050"
    assert len(lines) == HEAD_LINES + 1 + TAIL_LINES and lines[HEAD_LINES] == f"… ({200 - HEAD_LINES - TAIL_LINES} lines left out)"
    one_line = outputs_text([result("[" + ", ".join(["0.5"] * 2000) + "]")])
    assert len(one_line) <= MAX_CHARS and one_line.startswith("[0.5, ") and one_line.endswith(" …")
    short = "\n".join(f"row {n}" for n in range(MAX_LINES))
    assert outputs_text([stream(short)]) == short  # what fits is read whole


def test_a_cell_and_its_long_output_stay_one_chunk_with_the_result_logged_last(tmp_path: Path) -> None:
    code = ("options = {'c1': 0.5, 'c2': 0.3, 'w': 0.9}\noptimizer = ps.single.LocalBestPSO(n_particles=10, "
            "dimensions=2, options=options)\ncost, pos = optimizer.optimize(fx.sphere, iters=1000)")
    log = "".join(f"2019-05-18 15:39:{n % 60:02d},476 - pyswarms.single.local_best - INFO - iteration {n}\n"
                  for n in range(60)) + "2019-05-18 15:39:37,110 - INFO - Optimization finished | best cost: 3.27e-41\n"
    chunks = chunks_of(tmp_path, notebook(("code", code, [stream(log, "stderr")])), "pso.ipynb")
    assert len(chunks) == 1, [c.text for c in chunks]
    assert "optimizer.optimize(fx.sphere" in chunks[0].text and "best cost: 3.27e-41" in chunks[0].text
    assert "lines left out)" in chunks[0].text


def test_markdown_results_widgets_and_outputs_as_other_tools_write_them() -> None:
    assert outputs_text([result("<IPython.core.display.Markdown object>", **{"text/markdown": "**Total**: 42"})]) \
        == "**Total**: 42"
    widget = {"output_type": "display_data", "data": {"application/vnd.jupyter.widget-view+json": {"model_id": "a"},
                                                      "text/plain": "HBox(children=(IntProgress(value=0, max=5),))"}}
    assert outputs_text([widget]) == ""
    # nbformat 3's result and lists of lines; junk of every type is passed over.
    assert outputs_text([{"output_type": "pyout", "text": ["0.5\n", "0.25"]}, None, 3, {"output_type": 7},
                         {"output_type": "stream", "text": ["a", 5, "b\n"]}]) == "0.5\n0.25\nab"
    assert outputs_text("not a list") == outputs_text(None) == ""


def test_a_notebook_that_nbformat_refuses_still_has_its_outputs_read(tmp_path: Path) -> None:
    # No metadata on the cell and an output of a type nbformat does not know: read from the JSON as written.
    raw = json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "code", "source": "print(total)", "outputs": [
            {"output_type": "custom"}, {"output_type": "stream", "name": "stdout", "text": "total: 1,284\n"}]}]})
    chunks = chunks_of(tmp_path, raw, "odd.ipynb")
    assert [c.text for c in chunks] == [f"```\nprint(total)\n```\n\n{OUTPUT_LABEL}\n\n```\ntotal: 1,284\n```"]


def test_a_cell_of_typed_in_numbers_is_cut_to_its_first_lines_and_code_is_not(tmp_path: Path) -> None:
    co2 = "co2 = [\n" + "".join(f"    {315 + n / 100:.2f},\n" for n in range(350)) + "]"
    code = "def fit(series):\n" + "".join(f"    s{n} = series.dropna()  # 2020-01-01 to 2024-12-31, 1,826 days\n"
                                         for n in range(60))
    assert data_cell(co2) and not data_cell(code) and not data_cell("x = [1, 2, 3]")
    chunks = chunks_of(tmp_path, notebook(("markdown", "# CO2", []), ("code", co2, []), ("code", code, [])), "co2.ipynb")
    data = [c for c in chunks if "315.00" in c.text]
    assert len(data) == 1 and f"\n… ({352 - HEAD_LINES - TAIL_LINES} lines left out)\n" in data[0].text, data
    assert data[0].text.endswith("    318.49,\n]\n```")
    assert all(any(f"s{n} = series" in c.text for c in chunks) for n in range(60))  # code is read whole


_OUTPUT = st.one_of(
    st.builds(stream, st.text(max_size=300), st.sampled_from(["stdout", "stderr"])),
    st.builds(result, st.text(max_size=300)),
    st.fixed_dictionaries({"output_type": st.just("error"), "ename": st.text(max_size=20),
                           "evalue": st.text(max_size=80)}),
    st.dictionaries(st.text(max_size=8), st.text(max_size=20), max_size=2),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_OUTPUT, max_size=8))
def test_any_outputs_give_clean_capped_text(outputs: list) -> None:
    text = outputs_text(outputs)
    assert len(text.split("\n")) <= MAX_LINES + 1
    assert len(text) <= MAX_CHARS + MAX_LINES + 40  # the lines' breaks and the note of what is left out
    assert not any(ch in text for ch in "\r\x1b\x00") and not any("\ud800" <= ch <= "\udfff" for ch in text)
    assert text == text.strip("\n")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["markdown", "code"]), st.text(min_size=1, max_size=60),
                          st.lists(_OUTPUT, max_size=3)), min_size=1, max_size=6))
def test_a_random_executed_notebook_reads_every_cell_with_its_outputs_in_order(tmp_path: Path, cells: list) -> None:
    chunks = chunks_of(tmp_path, notebook(*cells), "random.ipynb")
    cited = [n for c in chunks for n in range(c.cell, (c.last_cell or c.cell) + 1)]
    assert cited == sorted(cited) and all(1 <= n <= len(cells) for n in cited)
    for c in chunks:
        if OUTPUT_LABEL in c.text and c.text.count("```") >= 4:
            # The output stays a block of its own: the label on a line alone, between the code's fence and its own.
            assert f"```\n\n{OUTPUT_LABEL}\n\n`" in c.text
