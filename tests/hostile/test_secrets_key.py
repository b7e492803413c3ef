"""Issue 22, item 2: no configured key reaches the model server, an answer or the history, whichever
cell, output, Markdown cell, variable or document holds it, whole or split; what is left out is named.

The real openai client talks to the test server over HTTP; every request body it received is read back.
"""

from __future__ import annotations

import json
import random
import string

import nbformat
import pytest
from conftest import ask, run_cell
from hypothesis import given, settings, strategies as st

from jupyter_docchat.qa.key_guard import KeyGuard, letters
from jupyter_docchat.views.history import to_markdown

KEY = "sk-test-KEY-12345"  # what the `online` fixture configures
PIECES = ("sk-test-K", "EY-12345", "sktestKEY12345")


def cell(ip, code: str) -> int:
    """Run a cell as the notebook would (recorded in In/Out); its number."""
    result = ip.run_cell(code, store_history=True)
    assert result.error_in_exec is None and result.error_before_exec is None, result
    return result.execution_count


def leaked(fake, *pieces: str) -> list[str]:
    """The pieces found in any request body, read as the server received it and with JSON's escapes undone."""
    found = []
    for raw in fake.bodies:
        text = raw.decode("utf-8")
        decoded = json.dumps(json.loads(text), ensure_ascii=False)
        plain = letters(json.dumps(json.loads(text)))
        found += [p for p in pieces if p in text or p in decoded or letters(p) in plain]
    return found


def test_cells_outputs_and_markdown_holding_the_key_are_left_out_and_named(online, fake, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    cell(online, "import os")
    cell(online, 'K = os.environ["OPENAI_API_KEY"]')
    shown = cell(online, "K")
    cell(online, "print(K)")
    split = cell(online, 'K[:9] + "\\n" + K[9:]')  # the key over two lines: a repr writes "\n"
    literal = cell(online, 'PARTS = ("sk-test-"\n         "KEY-12345")')
    share = cell(online, "svb_outflow_share = 42.0 / 175.0 * 100  # SVB's March 9 deposit outflow, % of deposits\n"
                         "svb_outflow_share")
    # The saved notebook: a Markdown cell with the key, one without, and code outputs with it.
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Setup\nMy key for the SVB deposit outflow analysis: `sk-test-KEY-12345`"),
        nbformat.v4.new_markdown_cell("# SVB deposit outflow\nDepositors withdrew $42 billion from SVB on March 9."),
        nbformat.v4.new_code_cell("print(K)", outputs=[nbformat.v4.new_output("stream", name="stdout", text=KEY + "\n")]),
    ])
    path = tmp_path / "analysis.ipynb"
    nbformat.write(nb, str(path))
    online.user_ns["__session__"] = str(path)
    try:
        view = ask(online, "How much did depositors withdraw from SVB on March 9, and what share of deposits was it?",
                   "--no-stream --notebook")
    finally:
        del online.user_ns["__session__"]
    assert fake.bodies, "the model was asked"
    assert leaked(fake, *PIECES) == []
    turn = online.user_ns["docchat_history"][-1]
    assert not any(p in json.dumps(turn, ensure_ascii=False) for p in PIECES[:2])
    # What was left out is named, in the turn and in both renderings.
    notice = next(n for n in turn["notices"] if "API key" in n)
    for label in (f"cell [{shown}]", f"cell [{split}]", f"cell [{literal}]", "markdown cell 1"):
        assert label in notice, (label, notice)
    assert "markdown cell 2" not in notice and f"cell [{share}]" not in notice
    assert notice in str(view) and notice in view._repr_mimebundle_()["text/html"]
    assert "left out of the sources" in to_markdown([turn])
    # The cells without the key still answer.
    cited = {s["location"] for s in turn["sources"] if s["origin"] == "cell"}
    assert f"cell [{share}]" in cited or "markdown cell 2" in cited, cited


def test_a_fragment_of_a_long_key_is_left_out_and_the_extractive_answer_shows_none(ip, monkeypatch) -> None:
    rng = random.Random(22)
    key = "sk-proj-" + "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(48))
    monkeypatch.setenv("OPENAI_API_KEY", key)  # no base URL: the answer is extractive, shown and kept in the history
    ip.run_line_magic("config", "DocChat.model = 'extractive'")
    cell(ip, 'K = os.environ["OPENAI_API_KEY"]' if "os" in ip.user_ns else 'import os; K = os.environ["OPENAI_API_KEY"]')
    # A bare slice's repr reads as a key by itself and is hidden in place (keys34); with words around it, only the
    # configured key's blocks find it, and the cell is left out.
    cell(ip, "# the bare middle of the token\nK[12:40]")
    middle = cell(ip, "# the middle of the token\nK[12:40] + ' is its middle'")
    length = cell(ip, "# the token length\nlen(K)")
    view = ask(ip, "What is the middle of the token, and the token length?", "--no-stream --notebook")
    turn = ip.user_ns["docchat_history"][-1]
    everything = json.dumps(turn) + str(view) + view._repr_mimebundle_()["text/html"]
    assert key[12:40] not in everything and key not in everything
    assert f"cell [{middle}]" in turn["notices"][0] and f"cell [{length}]" not in turn["notices"][0]
    assert any(s["location"] == f"cell [{length}]" for s in turn["sources"])


def test_a_variable_holding_the_key_split_is_refused(online, fake) -> None:
    cell(online, 'pieces = ["sk-test-", "KEY-12345"]')
    before = len(fake.bodies)
    _, error = run_cell(online, "%ask --no-stream --with pieces what are the pieces?")
    assert error is not None and "API key" in str(error) and "\n" not in str(error)
    assert len(fake.bodies) == before and online.user_ns["docchat_history"] == []


def test_an_indexed_document_holding_the_key_is_left_out_and_named(online, fake, corpus) -> None:
    (corpus / "deployment.md").write_text("# Deployment of the deposit outflow model\n\n"
                                          f"The deposit outflow model runs with OPENAI_API_KEY={KEY} in production.\n")
    ask(online, "Which key does the deposit outflow model run with in production?", "--no-stream")
    turn = online.user_ns["docchat_history"][-1]
    assert turn["refreshed"]  # the new file was indexed before the question
    assert leaked(fake, *PIECES) == []
    assert "deployment.md" in turn["notices"][0]


SECRET_CHARS = string.ascii_letters + string.digits


@settings(max_examples=200, deadline=None)
@given(key=st.text(SECRET_CHARS, min_size=24, max_size=80), start=st.integers(0, 80), size=st.integers(23, 80),
       cuts=st.lists(st.integers(1, 79), max_size=4), joiner=st.sampled_from(["\n", "' '", '"\n  "', "\\n", " + ", "-"]),
       before=st.text(max_size=30), after=st.text(max_size=30))
def test_any_long_run_of_a_long_key_is_found_however_it_is_split(key, start, size, cuts, joiner, before, after) -> None:
    start = min(start, len(key) - 23)
    run = key[start:start + size]
    pieces, last = [], 0
    for cut in sorted(c for c in set(cuts) if c < len(run)):
        pieces.append(run[last:cut])
        last = cut
    text = before + joiner.join(pieces + [run[last:]]) + after
    assert KeyGuard(["sk-proj-" + key]).holds(text)


@settings(max_examples=200, deadline=None)
@given(key=st.text(SECRET_CHARS, min_size=10, max_size=23), joiner=st.sampled_from(["\n", "' '", "\\n", " + "]),
       cut=st.integers(1, 22))
def test_a_shorter_key_is_found_whole_however_it_is_split(key, joiner, cut) -> None:
    assert KeyGuard([key]).holds(f"x = '{key[:cut]}{joiner}{key[cut:]}'")


def test_a_short_key_counts_only_written_whole_and_no_key_guards_nothing() -> None:
    guard = KeyGuard(["pw1234"])
    assert guard.holds("password='pw1234'") and guard.holds("pw1234") and not guard.holds("p w 1 2 3 4 set")
    assert not guard.holds("pw12345 and xpw1234")  # part of another token: not that secret
    assert not KeyGuard(["", ""]) and not KeyGuard([]).holds(KEY)


@pytest.mark.parametrize("placeholder", ["EMPTY", "none", "ollama", "lm-studio", "no_key"])
def test_a_short_word_for_a_key_is_a_placeholder_and_withholds_nothing(placeholder: str) -> None:
    guard = KeyGuard([placeholder])
    assert not guard and not guard.holds(f"Start {placeholder} first, then set api_key='{placeholder}'.")


@pytest.mark.parametrize("text", ["The deposit outflow was 42 billion dollars.", "sk-test-KEY-1234", "KEY-12345 sk-test"])
def test_text_without_the_key_passes(text: str) -> None:
    assert not KeyGuard([KEY]).holds(text)


@settings(max_examples=200, deadline=None)
@given(secret=st.from_regex(r"[a-z]{1,4}[0-9]{1,4}", fullmatch=True),
       left=st.sampled_from(["", " ", "='", "\n", "x", "9"]), right=st.sampled_from(["", " ", "'", "\n", "y", "7"]))
def test_a_short_secret_is_held_exactly_when_it_stands_as_a_token(secret: str, left: str, right: str) -> None:
    text = f"{left}{secret}{right}"
    standalone = not left[-1:].isalnum() and not right[:1].isalnum()
    assert KeyGuard([secret]).holds(text) == standalone
