"""The chat box's logic without a browser: send, stream, queue, error, clear, shared history."""

from __future__ import annotations

import time

import pytest
from hostile import audit_html



@pytest.fixture
def chat(indexed, fake):
    """A chat box over the example documents (``indexed`` copies a store built once: each test built it anew)."""
    ip = indexed
    fake.mode, fake.delay, fake.answer = "ok", 0.0, "Depositors ran [1]."
    ip.run_line_magic("config", f"DocChat.base_url = {fake.url!r}")
    ip.run_line_magic("config", "DocChat.api_key = 'sk-test'")
    box = ip.run_line_magic("docchat_chat", "")
    yield box
    box.close()


def test_magic_returns_a_displayable_widget(chat) -> None:
    bundle = chat._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "Ask a question" in chat.transcript_html()


def test_enter_sends_and_empty_sends_nothing(chat, ip, fake) -> None:
    chat.input.value = "   "
    chat.wait()
    assert ip.user_ns["docchat_history"] == []
    chat.input.value = "What caused the collapse of Silicon Valley Bank?"  # what Enter does with continuous_update=False
    assert chat.input.value == ""
    chat.wait()
    history = ip.user_ns["docchat_history"]
    assert len(history) == 1 and history[0]["answer"] == fake.answer
    html = chat.transcript_html()
    assert "What caused the collapse" in html and "Depositors ran" in html and "dc-sources" in html
    assert "<details>" in html and chat.spinner.value == "" and not chat.busy


def test_tokens_stream_into_the_bubble(chat, fake, monkeypatch) -> None:
    from jupyter_docchat.notebook import chat_widget

    monkeypatch.setattr(chat_widget, "REDRAW_INTERVAL", 0.0)  # a redraw per token, however slow the machine
    fake.delay = 0.01
    fake.answer = " ".join(f"w{i}" for i in range(40))
    seen: list[str] = []
    chat.live.observe(lambda change: seen.append(change["new"]), names="value")  # only the answer's bubble is redrawn
    chat.submit("Why did the bank fail?")
    chat.wait()
    partial = [v for v in seen if 'class="dc-spinner"' in v and "w3" in v and "w39" not in v]
    assert len(partial) >= 2  # several redraws with a growing answer before the end
    final = chat.transcript_html()
    assert "w39" in final and 'class="dc-spinner"' not in final and seen[-1] == ""


def test_second_question_is_queued_visibly_and_answered(chat, ip, fake) -> None:
    fake.delay = 0.05
    fake.answer = " ".join(["slow answer [1]"] * 10)
    chat.submit("first question about the bank run?")
    deadline = time.monotonic() + 300
    while not (chat.pending is not None and chat.pending_text):  # the first answer is streaming now
        assert time.monotonic() < deadline, "the first question was never answered"
        time.sleep(0.01)
    chat.submit("second question about deposit insurance?")
    assert "Queued: second question" in chat.note.value
    assert "queued" in chat.transcript_html()
    chat.wait()
    assert [t["question"] for t in ip.user_ns["docchat_history"]] == [
        "first question about the bank run?", "second question about deposit insurance?"]


def test_error_shows_a_bubble_and_the_box_keeps_working(chat, ip, fake) -> None:
    fake.mode = "401"
    chat.submit("What is the deposit insurance limit?")
    chat.wait()
    assert "dc-error" in chat.transcript_html() and "API key was rejected" in chat.transcript_html()
    assert ip.user_ns["docchat_history"] == []
    fake.mode = "ok"
    chat.submit("What is the deposit insurance limit?")
    chat.wait()
    assert len(ip.user_ns["docchat_history"]) == 1


def test_clear_and_history_shared_with_ask(chat, ip, fake) -> None:
    result = ip.run_cell("%ask What caused the collapse of Silicon Valley Bank?")
    assert result.error_in_exec is None
    chat.redraw()
    assert "What caused the collapse" in chat.transcript_html()  # %ask's turn appears in the box
    chat.submit("And how did the regulators respond?")
    chat.wait()
    condense = fake.chat_requests("condense")[-1]["messages"][-1]["content"]
    assert "What caused the collapse of Silicon Valley Bank?" in condense  # the box used %ask's turn
    chat.clear()
    assert ip.user_ns["docchat_history"] == [] and "Ask a question" in chat.transcript_html()


def test_transcript_is_safe(chat, fake) -> None:
    from hostile import HOSTILE_ANSWER

    fake.answer = HOSTILE_ANSWER
    chat.submit("What does deposit insurance cover?")
    chat.wait()
    assert "__docchat_pwned" in chat.transcript_html() and audit_html(chat.transcript_html()) == []


def test_sending_does_not_block_the_kernel(chat, ip, fake) -> None:
    fake.delay = 0.05
    fake.answer = " ".join(["a slow streamed answer [1]"] * 8)
    started = time.monotonic()
    chat.submit("What caused the collapse of Silicon Valley Bank?")
    # The server takes at least 40 x 0.05 s to stream this answer: had submit() waited for it, the
    # history would hold it now.
    assert chat.busy and ip.user_ns["docchat_history"] == []
    result = ip.run_cell("1 + 1")  # another cell runs while the box is answering
    assert result.result == 2
    chat.wait()
    assert len(ip.user_ns["docchat_history"]) == 1 and time.monotonic() - started > 1.0
