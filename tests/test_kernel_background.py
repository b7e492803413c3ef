"""In a real kernel, %docchat_index answers-ready first: keyword search at once, vectors behind, progress shown."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from jupyter_client.manager import start_new_kernel

from synthetic import make_corpus

from test_kernel_stream import execute as execute_collecting, value as value_collecting

OTHERS: list[dict] = []  # iopub messages of earlier cells, e.g. the progress updates of the index cell


def execute(kc, code: str) -> list[dict]:
    return execute_collecting(kc, code, others=OTHERS)


def value(kc, expr: str) -> str:
    return value_collecting(kc, expr, others=OTHERS)


@pytest.fixture
def kernel():
    km, kc = start_new_kernel(kernel_name="python3")
    yield km, kc
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def wait_for_update(kc, display_id: str, text: str, timeout: float = 300) -> dict:
    """The update of display ``display_id`` that shows ``text``, seen already or read from iopub."""
    deadline = time.monotonic() + timeout
    last = "no update seen"
    seen = []
    while time.monotonic() < deadline:
        try:
            msg = OTHERS.pop(0) if OTHERS else kc.get_iopub_msg(timeout=max(deadline - time.monotonic(), 0.1))
        except Exception:
            break
        content = msg["content"]
        if msg["msg_type"] == "update_display_data" and content.get("transient", {}).get("display_id") == display_id:
            last = content["data"]["text/plain"]
            seen.append(last[:40])
            if text in last:
                return content["data"]
    raise TimeoutError(f"waited for {text!r}; the display last showed: {last}; {len(seen)} updates: {seen[-5:]}")


def test_index_returns_with_keyword_search_ready_and_fills_vectors_behind(kernel, corpus: Path, tmp_path: Path) -> None:
    km, kc = kernel
    OTHERS.clear()
    make_corpus(corpus / "extra", files=80, paragraphs=5)  # about 400 chunks: several seconds of embedding
    out = execute(kc, "\n".join([
        "%load_ext docchat",
        f"%config DocChat.store = {str(tmp_path / 'store')!r}",
        f"%docchat_index {corpus} --quiet",
    ]))
    assert not [m for m in out if m["msg_type"] == "error"], out
    printed = "".join(m["content"]["text"] for m in out if m["msg_type"] == "stream")
    assert "86 added" in printed and "waiting for vectors (filling in the background)" in printed
    shown = [m for m in out if m["msg_type"] == "display_data"]
    assert len(shown) == 1 and "computing vectors" in shown[0]["content"]["data"]["text/plain"]
    assert "<progress" in shown[0]["content"]["data"]["text/html"]
    display_id = shown[0]["content"]["transient"]["display_id"]

    answer = execute(kc, "%ask --model extractive What is the standard deposit insurance amount?")
    assert not [m for m in answer if m["msg_type"] == "error"], answer
    assert int(value(kc, "docchat_history[-1]['vectors_waiting']")) > 0
    shown_answer = [m for m in answer if m["msg_type"] in ("display_data", "execute_result")]
    assert "keywords only" in shown_answer[-1]["content"]["data"]["text/html"]
    assert "$250,000" in value(kc, "docchat_history[-1]['answer']")

    job = "[(i.job.state, i.job.done, i.job.total, i.job.error) for i in get_ipython().magics_manager.registry['DocChat']._indexes.values()][0]"
    deadline = time.monotonic() + 900
    while "'done'" not in (state := value(kc, job)):
        assert time.monotonic() < deadline, f"the background pass did not finish: {state}"
        time.sleep(0.5)
    final = wait_for_update(kc, display_id, "search is complete", timeout=300)
    assert "vectors computed for all" in final["text/plain"] and "<progress" not in final["text/html"]
    execute(kc, "%ask --model extractive What is the standard deposit insurance amount?")
    assert value(kc, "docchat_history[-1]['vectors_waiting']") == "0"
    status = value(kc, "str(get_ipython().run_line_magic('docchat_status', ''))")
    assert "waiting" not in status and "86 files" in status
