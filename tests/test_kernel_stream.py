"""Streaming and Ctrl-C in a real ipykernel: tokens arrive as display updates; an interrupt keeps the partial answer."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from jupyter_client.manager import start_new_kernel


@pytest.fixture(scope="module")
def kernel():
    km, kc = start_new_kernel(kernel_name="python3")
    yield km, kc
    kc.stop_channels()
    km.shutdown_kernel(now=True)



def execute(kc, code: str, timeout: float = 600, others: list | None = None) -> list[dict]:
    """Run code; return its iopub messages up to idle.

    Other cells' messages, and every display update (a background thread's update carries the
    header of whichever cell runs when it is sent), also go to ``others`` when given.
    """
    msg_id = kc.execute(code)
    messages = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        msg = kc.get_iopub_msg(timeout=timeout)
        mine = msg["parent_header"].get("msg_id") == msg_id
        if others is not None and (not mine or msg["msg_type"] == "update_display_data"):
            others.append(msg)
        if not mine:
            continue
        messages.append(msg)
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return messages
    raise TimeoutError(code)


def value(kc, expr: str, others: list | None = None) -> str:
    for msg in execute(kc, expr, others=others):
        if msg["msg_type"] == "execute_result":
            return msg["content"]["data"]["text/plain"]
    raise AssertionError(f"no result for {expr}")


def setup_kernel(kc, corpus: Path, tmp_path: Path, fake) -> None:
    out = execute(kc, "\n".join([
        "%load_ext docchat",
        f"%config DocChat.store = {str(tmp_path / 'store')!r}",
        f"%config DocChat.base_url = {fake.url!r}",
        "%config DocChat.api_key = 'sk-test'",
        "%config DocChat.model = 'test-model'",
        f"%docchat_index {corpus} --quiet",
        "docchat_history = []",
    ]))
    assert not [m for m in out if m["msg_type"] == "error"], out


def test_answer_streams_as_display_updates(kernel, fake, corpus: Path, tmp_path: Path) -> None:
    km, kc = kernel
    fake.mode, fake.delay = "ok", 0.03
    fake.answer = " ".join(["The run on SVB drained $42 billion in a day [1]."] * 6)
    setup_kernel(kc, corpus, tmp_path, fake)
    execute(kc, "import jupyter_docchat.notebook.live as live; live.REDRAW_INTERVAL = 0")  # an update a token, however slow
    messages = execute(kc, "%%ask\nWhat caused the collapse of Silicon Valley Bank?")
    kinds = [m["msg_type"] for m in messages]
    assert "error" not in kinds
    updates = [m for m in messages if m["msg_type"] == "update_display_data"]
    assert kinds.count("display_data") == 1 and len(updates) >= 4
    shown = [m["content"]["data"]["text/plain"] for m in updates]
    assert len(shown[0]) < len(shown[-1])  # the answer grows
    final = updates[-1]["content"]["data"]
    assert fake.answer in final["text/plain"] and "dc-sources" in final["text/html"] and "tokens: 42 in" in final["text/html"]
    assert value(kc, "docchat_history[-1]['status']") == "'ok'"


def interrupt_once_streaming(km, fake, timeout: float = 600.0) -> None:
    """Ctrl-C in the middle of the stream: once the server has sent twenty of its sixty words (what the
    kernel has read by then is its partial answer), whatever the time that takes."""
    deadline = time.monotonic() + timeout
    while fake.sent < 20 and time.monotonic() < deadline:
        time.sleep(0.05)
    km.interrupt_kernel()


def test_ctrl_c_keeps_the_partial_answer_marked_interrupted(kernel, fake, corpus: Path, tmp_path: Path) -> None:
    km, kc = kernel
    setup_kernel(kc, corpus, tmp_path, fake)
    fake.mode, fake.delay = "ok", 0.2
    fake.answer = " ".join(f"word{i}" for i in range(60))
    threading.Thread(target=interrupt_once_streaming, args=(km, fake), daemon=True).start()
    messages = execute(kc, "%ask What caused the collapse of Silicon Valley Bank?")
    assert "error" not in [m["msg_type"] for m in messages]
    final = [m for m in messages if m["msg_type"] == "update_display_data"][-1]["content"]["data"]["text/plain"]
    assert "interrupted" in final and "word1" in final and "word59" not in final
    assert value(kc, "docchat_history[-1]['status']") == "'interrupted'"
    assert value(kc, "len(docchat_history[-1]['answer']) > 0") == "True"
    # The kernel is still usable, and the next question works.
    fake.delay = 0.0
    fake.answer = "Deposits up to $250,000 are insured [1]."
    execute(kc, "%ask What is the deposit insurance limit?")
    assert value(kc, "docchat_history[-1]['answer']") == repr(fake.answer)
