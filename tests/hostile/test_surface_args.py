"""Issue 22, item 11 and the property tests of magic arguments: every magic splits its line as a shell
would (quotes group, ``$VAR`` expands outside single quotes), ``%ask`` and ``%%ask`` too, and the
question stays verbatim."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from conftest import run_cell
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from IPython.core.error import UsageError

from jupyter_docchat.notebook.ask_args import parse_ask
from jupyter_docchat.notebook.magics import DocChat, _parse

VAR = "DOCCHAT_SURFACE_VAR"
# Any text a path or name may hold but NUL; the environment variable's name is mixed in, so a quoted
# "$DOCCHAT_SURFACE_VAR" is seen (and must stay as written inside single quotes).
PATHS = st.text(st.characters(exclude_characters="\x00"), max_size=40) | st.builds(
    lambda a, b: f"{a}${VAR}{b}", st.text(max_size=5), st.text(max_size=5))
# A question is any text whose first word does not look like an option.
QUESTIONS = st.text(st.characters(exclude_characters="\x00"), max_size=60).filter(
    lambda q: not q.strip().startswith("-"))
HYPOTHESIS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def double_quoted(text: str) -> str:
    """``text`` inside double quotes, as a shell user would write it."""
    return '"' + "".join("\\" + c if c in '\\"$`' else c for c in text) + '"'


QUOTINGS = [shlex.quote, double_quoted]


@pytest.fixture(autouse=True)
def variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(VAR, "EXPANDED")


@HYPOTHESIS
@given(path=PATHS, other=PATHS, quoting=st.sampled_from(QUOTINGS))
@example(path="st a b", other="my docs", quoting=double_quoted)
@example(path="it's here", other="$HOME", quoting=shlex.quote)
def test_any_quoted_path_round_trips_through_every_magic(path: str, other: str, quoting) -> None:
    p, o = quoting(path), quoting(other)
    index = _parse(DocChat.docchat_index, f"--quiet --store={o} --collection={p} --glob={p} -- {p}")
    assert (index.folder, index.store, index.collection, index.glob, index.quiet) == (path, other, path, [path], True)
    evaluate = _parse(DocChat.docchat_eval, f"--server={o} -- {p}")
    assert (evaluate.questions, evaluate.server) == (path, other)
    assert _parse(DocChat.docchat_status, f"--store={p}").store == path
    assert _parse(DocChat.docchat_history, f"--save={p}").save == path
    chat = _parse(DocChat.docchat_chat, f"--model={p} --store={o}")
    assert (chat.model, chat.store) == (path, other)


@HYPOTHESIS
@given(path=PATHS, other=PATHS, question=QUESTIONS, quoting=st.sampled_from(QUOTINGS), equals=st.booleans())
@example(path="st a b", other="c", question="what's up with \"quotes\" and {braces} $HOME?", quoting=double_quoted,
         equals=False)
def test_ask_options_split_as_the_other_magics_and_the_question_stays_verbatim(
        path: str, other: str, question: str, quoting, equals: bool) -> None:
    sep = "=" if equals else " "
    options = f"--store{sep}{quoting(path)} --no-stream --collection{sep}{quoting(other)} --k{sep}3"
    opts, asked = parse_ask(f"{options} {question}", None)
    assert opts == {"store": path, "no_stream": True, "collection": other, "k": 3}
    assert asked == question.strip()
    opts, asked = parse_ask(options, question)  # %%ask: the question is the cell
    assert opts["store"] == path and opts["collection"] == other and asked == question.strip()
    _, asked = parse_ask(f"--store={quoting(path)} -- --{question}", None)  # "--" ends the options
    assert asked == f"--{question}".strip()


@HYPOTHESIS
@given(path=PATHS)
def test_the_environment_is_expanded_outside_single_quotes_only(path: str) -> None:
    assert _parse(DocChat.docchat_status, f"--store=${VAR}/{shlex.quote(path)}").store == f"EXPANDED/{path}"
    assert _parse(DocChat.docchat_status, f"--store='${VAR}'").store == f"${VAR}"
    assert parse_ask(f'--store="${VAR}" what is ${VAR}?', None) == ({"store": "EXPANDED"}, f"what is ${VAR}?")


@pytest.mark.parametrize("line, message", [
    ("--store 'unclosed what?", "could not parse the options: no closing quotation"),
    ("--store", "--store needs a value"),
    ("--explain=yes why?", "--explain takes no value"),
    ("--k 0 why?", "between 1 and 50"),
    ("--k three why?", "k must be a whole number"),
])
def test_bad_ask_options_are_one_line_usage_errors(ip, line: str, message: str) -> None:
    for cell in (f"%ask {line}", f"%%ask {line}\nwhy?"):
        _, error = run_cell(ip, cell)
        assert isinstance(error, UsageError) and message in str(error) and "\n" not in str(error), (cell, error)
    assert ip.user_ns["docchat_history"] == []


def test_a_store_with_spaces_is_asked_from_ask_and_the_cell_magic(ip, corpus: Path, tmp_path: Path) -> None:
    store = tmp_path / "st a b"
    _, error = run_cell(ip, f'%docchat_index "{corpus}" --store "{store}" --quiet')
    assert error is None and (store / "docchat.sqlite").exists()
    result, error = run_cell(ip, f'%ask --store "{store}" What is the standard deposit insurance amount?')
    assert error is None, error
    assert result.result.turn.question == "What is the standard deposit insurance amount?"
    assert "250,000" in result.result.turn.answer
    result, error = run_cell(ip, f"%%ask --store '{store}' --k 2\nWhat is the standard deposit insurance amount?")
    assert error is None, error
    assert "250,000" in result.result.turn.answer and len(result.result.turn.sources) <= 2
    assert not (tmp_path / '"st').exists() and not Path('"st').exists()
