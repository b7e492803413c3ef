"""Probe 3: a model server that misbehaves, through the real openai client over HTTP (tests/fake_openai.py).
A server that ignores ``max_tokens`` and streams forever held ``DocIndex.ask`` (and a script, a CLI
run, a cell) for ever: no read ever times out when words keep coming. A 200 whose body is not JSON
said "the model failed: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)";
a base URL with a broken port blamed the store."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from jupyter_docchat import DocIndex
from jupyter_docchat.errors import DocChatError, ModelError, SettingError, StoreError
from jupyter_docchat.qa.conversation import STREAM_SLACK
from jupyter_docchat.settings import check_url

QUESTION = "What is the standard deposit insurance amount?"
KEY = "sk-probe3-SECRET"


@pytest.fixture
def index(corpus: Path, tmp_path: Path, fake):
    DocIndex(tmp_path / "store").update(corpus)
    index = DocIndex(tmp_path / "store", api_key=KEY, base_url=fake.url)
    yield index
    index.close()


def test_a_stream_that_never_ends_is_stopped_after_the_tokens_asked_for(index: DocIndex, fake) -> None:
    fake.mode = "forever"
    shown: list[str] = []
    with pytest.raises(ModelError) as error:
        index.ask(QUESTION, model="m", on_token=shown.append)
    message = str(error.value)
    assert "kept streaming past the 1024 tokens asked for" in message and "\n" not in message and KEY not in message
    sent = fake.requests[-1]
    assert sent.get("max_completion_tokens", sent.get("max_tokens")) == 1024  # what it was asked for, and ignored
    assert 1000 < len(shown) <= 1024 + STREAM_SLACK + 1  # its words were shown as they came, up to the cap


def test_a_stream_that_never_ends_in_a_cell_leaves_the_history_as_it_was(online, fake) -> None:
    from conftest import run_cell

    before = list(online.user_ns["docchat_history"])
    fake.mode = "forever"
    _, error = run_cell(online, "%%ask --no-stream\nWhy did SVB fail?")
    assert error is not None and "kept streaming" in str(error) and "\n" not in str(error)
    assert online.user_ns["docchat_history"] == before


def test_a_reply_that_is_not_json_says_so(index: DocIndex, fake) -> None:
    fake.mode = "garbage"
    with pytest.raises(ModelError) as streamed:
        index.ask(QUESTION, model="m")
    first = index.ask(QUESTION, model="extractive")
    with pytest.raises(ModelError) as whole:  # a follow-up's rewrite is asked for without streaming
        index.ask("And who pays for it?", history=[first], model="m")
    for error in (streamed, whole):
        message = str(error.value)
        assert "is not JSON" in message and fake.url in message and "\n" not in message, message


@pytest.mark.parametrize("url", ["http://[::1/v1", "http://127.0.0.1:99999/v1", "http://host:port/v1"])
def test_a_base_url_with_a_broken_host_or_port_is_a_setting_error(corpus: Path, tmp_path: Path, url: str) -> None:
    DocIndex(tmp_path / "store").update(corpus)
    with pytest.raises(SettingError) as error:
        DocIndex(tmp_path / "store", api_key=KEY, base_url=url).ask(QUESTION, model="m")
    assert not isinstance(error.value, StoreError) and "base_url" in str(error.value)


@settings(max_examples=200, deadline=None)
@given(st.builds("{}://{}{}{}".format, st.sampled_from(["http", "https", "HTTP", "ftp"]),
                 st.text(st.sampled_from("ab1:@[]."), max_size=8), st.sampled_from(["", ":", ":80", ":x", ":70000", ":-1"]),
                 st.sampled_from(["", "/", "/v1", "?q", "#f"])))
def test_a_url_is_either_refused_in_one_line_or_usable_by_the_client(url: str) -> None:
    """What check_url accepts, the HTTP client can parse: its host and port are there to be read."""
    from urllib.parse import urlsplit

    try:
        check_url("base_url", url)
    except SettingError as error:
        after_scheme = url.split("://", 1)[1]
        assert "\n" not in str(error) and (len(after_scheme) < 4 or after_scheme not in str(error))  # it may hold a key
        return
    parts = urlsplit(url)
    assert parts.hostname and (parts.port is None or 0 <= parts.port <= 65535)


def test_the_callers_own_on_token_error_is_named_as_theirs(index: DocIndex, fake) -> None:
    """A failing ``on_token`` was reported as "the model failed: ..." (or, for a BrokenPipeError, as the
    model server's connection dropping): the caller looked at the server for their own bug."""
    def broken(token: str) -> None:
        raise ValueError("my callback broke")

    for callback, said in ((broken, "on_token raised ValueError: my callback broke"),
                           (5, "on_token must be a function of one string, not int")):
        with pytest.raises(DocChatError) as error:
            index.ask(QUESTION, model="m", on_token=callback)
        assert str(error.value) == said and not isinstance(error.value, (ModelError, StoreError))
