"""Probe 7: ``%%ask --with df`` on frames a notebook really holds.

A DataFrame thousands of columns wide (a pivot, one-hot features) was summarised column by column until
the 3 s budget ran out, and was then described by its type alone ("DataFrame", no shape, no columns).
A column name holding a line break split its line of the column list in two, so the model read a
column that does not exist."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
from conftest import ask
from hypothesis import given, settings, strategies as st

from jupyter_docchat.qa.variables import described


def test_a_frame_twenty_thousand_columns_wide_is_described_by_its_shape_and_first_columns() -> None:
    frame = pd.DataFrame(np.zeros((10, 20_000)))
    started = time.perf_counter()
    label, text = described({"wide": frame}, "wide")
    assert time.perf_counter() - started < 1.5
    assert label == "DataFrame 10 × 20,000"
    assert "  0: float64 (0 null)" in text and "  ... and 19,900 more columns" in text
    assert len(text) <= 4000


def test_the_magic_describes_a_wide_frame_with_its_shape(ip) -> None:
    ip.user_ns["features"] = pd.DataFrame(np.ones((5, 20_000)))
    ask(ip, "How many columns has features?", "--with features")
    [source] = [s for s in ip.user_ns["docchat_history"][-1]["sources"] if s["origin"] == "variable"]
    assert source["heading"] == "DataFrame 5 × 20,000"


NAMES = st.one_of(st.text(max_size=12), st.integers(), st.tuples(st.text(max_size=4), st.text(max_size=4)))


@settings(max_examples=100, deadline=None)
@given(names=st.lists(NAMES, min_size=1, max_size=6, unique_by=repr))
def test_every_column_is_one_line_of_the_column_list(names) -> None:
    frame = pd.DataFrame([list(range(len(names)))], columns=pd.Index(names, tupleize_cols=False))
    _, text = described({"df": frame}, "df")
    listing = text.split("columns (dtype, nulls):\n", 1)[1].split("\nfirst rows:", 1)[0]
    lines = [line for line in listing.split("\n") if not line.startswith("(values not shown")]
    assert len(lines) == len(names)


def test_a_dict_entry_whose_name_looks_secret_is_not_described(ip, fake) -> None:
    """``--with settings`` (or ``--with os.environ``) sent every value, passwords and tokens included: only
    the configured key was looked for. A variable with such a name is refused; such an entry is now held back."""
    ip.user_ns["settings"] = {"host": "db.internal", "db_password": "hunter2-not-configured", "GITHUB_TOKEN": "ghp_abcdef123456"}
    ip.run_line_magic("config", f"DocChat.base_url = {fake.url!r}")
    ip.run_line_magic("config", "DocChat.api_key = 'sk-test-KEY-12345'")
    ip.run_line_magic("config", "DocChat.model = 'm'")
    fake.mode, fake.answer = "ok", "The host is db.internal [1]."
    ask(ip, "Which host do the settings name?", "--with settings --no-stream")
    sent = b"".join(fake.bodies)
    assert b"db.internal" in sent and b"hunter2" not in sent and b"ghp_abcdef" not in sent
    [source] = [s for s in ip.user_ns["docchat_history"][-1]["sources"] if s["origin"] == "variable"]
    assert "(not shown: its name has 'password')" in source["text"] and "(not shown: its name has 'token')" in source["text"]


def test_a_column_or_series_whose_name_looks_secret_shows_no_values() -> None:
    users = pd.DataFrame({"user": ["ann", "bob"], "password_hash": ["pbkdf2-XYZ", "pbkdf2-ABC"], "age": [3, 4],
                          "api_token": [918273, 564738]})
    _, text = described({"users": users}, "users")
    assert "password_hash: str" in text and "api_token: int64" in text  # listed, with their dtype
    assert "pbkdf2" not in text and "918273" not in text and "ann" in text
    _, text = described({"hashes": users["password_hash"]}, "hashes")
    assert "pbkdf2" not in text and "values not shown" in text
