"""Probe 6: a ``$DOCCHAT_...`` number outside its limits is named by its variable.

``DOCCHAT_MAX_TOKENS=5`` (or ``DOCCHAT_CHUNK_SIZE=10``) said "max tokens must be a whole number between 16 and
32768, not 5": a setting the user never typed by that name, from ``docchat status``, ``DocIndex.ask`` or
``%load_ext``, with nothing saying where the 5 came from; ``DOCCHAT_CHUNK_SIZE=60`` blamed the chunk overlap,
which the user never set. A value that is no number was already named.
"""

from __future__ import annotations

import contextlib
import io

import pytest
from conftest import run_cell
from hypothesis import given, settings, strategies as st
from IPython.core.error import UsageError

from jupyter_docchat.cli import main
from jupyter_docchat.errors import SettingError
from jupyter_docchat.settings import LIMITS, Settings

VARIABLES = {"DOCCHAT_MAX_TOKENS": "max_tokens", "DOCCHAT_CHUNK_SIZE": "chunk_size", "DOCCHAT_CHUNK_OVERLAP": "chunk_overlap"}


@pytest.mark.parametrize("variable, value, message", [
    ("DOCCHAT_MAX_TOKENS", "5", "max tokens must be a whole number between 16 and 32768, not 5 (from $DOCCHAT_MAX_TOKENS)"),
    ("DOCCHAT_MAX_TOKENS", "-1", "max tokens must be a whole number between 16 and 32768, not -1 (from $DOCCHAT_MAX_TOKENS)"),
    ("DOCCHAT_CHUNK_SIZE", "10", "chunk size must be a whole number of at least 50 characters, not 10 (from $DOCCHAT_CHUNK_SIZE)"),
    ("DOCCHAT_CHUNK_OVERLAP", "-3",
     "chunk overlap must be a whole number of at least 0 characters, not -3 (from $DOCCHAT_CHUNK_OVERLAP)"),
    # the size alone was set: the overlap's default (100) reaches it, and the message blamed the overlap alone
    ("DOCCHAT_CHUNK_SIZE", "60", "chunk overlap must be below the chunk size (60), not 100 ($DOCCHAT_CHUNK_SIZE is 60)"),
])
def test_an_environment_number_out_of_limits_names_its_variable(monkeypatch, tmp_path, variable, value, message) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingError) as raised:
        Settings()
    assert str(raised.value) == message
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["--store", str(tmp_path / "store"), "status"])
    assert (code, err.getvalue()) == (1, f"docchat: {message}\n")


def test_the_magics_name_the_variable_and_keep_the_history(ip, monkeypatch) -> None:
    ip.user_ns["docchat_history"] = [{"question": "kept?", "answer": "yes"}]
    monkeypatch.setenv("DOCCHAT_MAX_TOKENS", "8")
    ip.run_line_magic("config", "DocChat.max_tokens = 64")  # a bad variable is named, not ignored, even so
    _, error = run_cell(ip, "%ask what is kept?")
    assert isinstance(error, UsageError) and str(error).endswith("not 8 (from $DOCCHAT_MAX_TOKENS)"), error
    assert ip.user_ns["docchat_history"] == [{"question": "kept?", "answer": "yes"}]


@settings(max_examples=200, deadline=None)
@given(variable=st.sampled_from(sorted(VARIABLES)), value=st.integers(-10**12, 10**12))
def test_any_whole_number_is_taken_within_limits_or_refused_naming_the_variable(variable: str, value: int) -> None:
    with pytest.MonkeyPatch.context() as env:
        env.setenv(variable, f" {value} ")
        limit = LIMITS[VARIABLES[variable]]
        within = value >= limit.low and (limit.high is None or value <= limit.high)
        try:
            taken = getattr(Settings(), VARIABLES[variable])
        except SettingError as exc:
            message = str(exc)
            assert "\n" not in message and (f"(from ${variable})" in message if not within else
                                             message.endswith(f"(${variable} is {value})"))
            assert not within or "overlap must be below the chunk size" in message  # the other one's default
        else:
            assert within and taken == value
