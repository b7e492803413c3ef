"""Model server faults: 401, 429, 500, refused, stalled and dropped streams. One line, no key, history intact."""

from __future__ import annotations

import json

import pytest
from conftest import ask, run_cell
from IPython.core.error import UsageError


@pytest.mark.parametrize("mode,expected", [
    ("401", "the API key was rejected"),
    ("429", "rate limited"),
    ("500", "failed (500) after 2 retries"),
])
def test_http_errors_are_clear_and_keep_history(online, fake, mode, expected) -> None:
    ask(online, "What caused the collapse of Silicon Valley Bank?")
    before = json.dumps(online.user_ns["docchat_history"])
    fake.mode, fake.requests[:] = mode, []
    _, error = run_cell(online, "%ask What is the deposit insurance limit?")
    assert isinstance(error, UsageError) and expected in str(error) and "\n" not in str(error)
    assert "sk-test-KEY-12345" not in str(error) and "KEY-12345" not in str(error)
    assert fake.url in str(error)
    assert json.dumps(online.user_ns["docchat_history"]) == before
    assert len(fake.requests) == (1 if mode == "401" else 3)  # 429 and 5xx are retried twice, with backoff


def test_connection_refused_names_the_base_url(online) -> None:
    from jupyter_docchat.qa.llm import free_port

    url = f"http://127.0.0.1:{free_port()}/v1"
    online.run_line_magic("config", f"DocChat.base_url = {url!r}")
    online.run_line_magic("config", "DocChat.max_retries = 0")
    _, error = run_cell(online, "%ask What is the deposit insurance limit?")
    assert isinstance(error, UsageError) and f"could not connect to the model server at {url}" in str(error)
    assert online.user_ns["docchat_history"] == []


def test_stalled_stream_times_out_and_dropped_stream_keeps_history(online, fake) -> None:
    online.run_line_magic("config", "DocChat.timeout = 1.0")
    online.run_line_magic("config", "DocChat.max_retries = 0")
    fake.mode, fake.stall = "slow", 3.0
    _, error = run_cell(online, "%ask What is the deposit insurance limit?")
    assert isinstance(error, UsageError) and "did not answer within 1 s" in str(error)
    fake.mode = "drop"
    _, error = run_cell(online, "%ask What is the deposit insurance limit?")
    assert isinstance(error, UsageError) and "dropped" in str(error)
    assert online.user_ns["docchat_history"] == []
    fake.mode = "ok"
    assert ask(online, "What is the deposit insurance limit?").turn.status == "ok"
