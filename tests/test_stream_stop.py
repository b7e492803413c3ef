"""A model's stream stops before the token that would show a configured key, however long the answer, at a cost
that grows with the answer, not with its square."""

from __future__ import annotations

import time

from hypothesis import given, settings, strategies as st

from jupyter_docchat.qa.conversation import _stopping_at_secret
from jupyter_docchat.qa.key_guard import KeyGuard

KEY = "sk-test-9f8e7d6c5b4a39281706f5e4d3c2b1a0"


def streamed(tokens: list[str]) -> str:
    shown: list[str] = []
    deliver = _stopping_at_secret(shown.append, KeyGuard([KEY]))
    for token in tokens:
        deliver(token)
    return "".join(shown)


def test_a_key_at_the_end_of_a_long_answer_is_not_shown():
    tokens = ["word "] * 3_000 + [KEY[:9], KEY[9:20], KEY[20:]] + [" after"]  # 15,000 characters: past the tail looked at
    shown = streamed(tokens)
    assert shown == "word " * 3_000 + KEY[:9]  # stopped at the token that makes a block of the key
    assert "9f8e7d6c5b4a" not in shown


def test_the_check_is_linear_in_the_answer():
    def seconds(n: int) -> float:
        started = time.perf_counter()
        streamed(["a few words of answer "] * n)
        return time.perf_counter() - started

    seconds(200)  # warm
    small, large = seconds(500), seconds(4_000)  # both longer than the tail looked at
    assert large < 8 * small * 2.5  # 8 x the tokens: quadratic would be 64 x


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=6), max_size=40), st.integers(1, 8), st.sampled_from(["", " ", "-", "\n"]))
def test_no_block_of_the_key_is_ever_shown(before, pieces, glue):
    size = len(KEY) // pieces + 1
    cut = [KEY[i:i + size] for i in range(0, len(KEY), size)]  # the key in tokens, glued by spaces or dashes
    shown = streamed([*before, *(glue + part for part in cut), " done"])
    assert not KeyGuard([KEY]).holds(shown)
