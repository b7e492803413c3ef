"""Issue 22, item 14: the chat box with real threads. Its worker and the notebook's thread share state
only under a lock, a clear never loses to an older picture, a streamed token redraws only the answer's
bubble, and closing waits for the worker before the magics close the index it uses.

Where a race needs a particular interleaving, the test holds the worker at that point with events
(never with sleeps), and lets it go when the notebook's side has done its part."""

from __future__ import annotations

import re
import sys
import threading
from pathlib import Path

import pytest
from conftest import run_cell

from jupyter_docchat.index import DocIndex
from jupyter_docchat.notebook import chat_widget
from jupyter_docchat.qa.conversation import Turn

LONG = 60.0  # the most any event below is waited for: only a broken box ever waits that long


def wait_until(predicate, what: str) -> None:
    done = threading.Event()
    for _ in range(int(LONG / 0.01)):
        if predicate():
            return
        done.wait(0.01)
    raise AssertionError(f"timed out waiting until {what}")


def shown_questions(html: str) -> list[str]:
    return re.findall(r'<div class="dc-row dc-user[^"]*">.*?<div class="dc-body"><p>(.*?)</p>', html)


def clear_from_another_thread(box, ip, go: threading.Event) -> None:
    """Clear on a thread of its own; once the history is empty, let the held worker ``go``; wait for both."""
    clearing = threading.Thread(target=box.clear)
    clearing.start()
    wait_until(lambda: ip.user_ns["docchat_history"] == [], "the history is cleared")
    go.set()
    clearing.join(LONG)
    assert not clearing.is_alive()
    box.wait()


def open_box(ip, corpus: Path, fake):
    """A chat box on the example documents, answering from the scripted model server."""
    fake.mode, fake.answer = "ok", "Depositors ran [1]."
    ip.run_line_magic("docchat_index", f"{corpus} --quiet")
    ip.run_line_magic("config", f"DocChat.base_url = {fake.url!r}")
    ip.run_line_magic("config", "DocChat.api_key = 'sk-test'")
    return ip.run_line_magic("docchat_chat", "")


@pytest.fixture
def box(ip, corpus: Path, fake):
    chat = open_box(ip, corpus, fake)
    yield chat
    chat.close()  # once closed, closing again does nothing


def hold_the_first_search(monkeypatch, on_close) -> threading.Event:
    """The first search waits until an index is closed (then ``on_close()`` has said what it found),
    or for 3 s when none is: the set event says the search has begun."""
    searching, closed = threading.Event(), threading.Event()
    real_search, real_close = DocIndex.search, DocIndex.close

    def search(self, *args, **kwargs):
        if not searching.is_set():  # the box's question (LangChain runs it on a thread of its own)
            searching.set()
            closed.wait(3.0)  # the index is closed under it now, or (as it should be) this runs out
        return real_search(self, *args, **kwargs)

    def close(self):
        on_close()
        closed.set()
        return real_close(self)

    monkeypatch.setattr(DocIndex, "search", search)
    monkeypatch.setattr(DocIndex, "close", close)
    return searching


def old_turns(n: int) -> list[dict]:
    return [Turn(f"old question number {i}?", answer=f"Old answer {i} [1].", model="m",
                 sources=[{"n": 1, "source": "notes.md", "location": "lines 1-2", "text": f"old text {i}"}]).to_dict()
            for i in range(n)]


def test_a_streamed_answer_redraws_only_its_own_bubble(ip, corpus: Path, fake, monkeypatch) -> None:
    """Each token used to render the whole history again (ten times a second): a long chat slowed
    down with every turn, and a source the reader had opened closed again."""
    ip.user_ns["docchat_history"][:] = old_turns(5)
    rendered: list[str] = []

    class CountingView(chat_widget.AnswerView):
        def html_fragment(self) -> str:
            rendered.append(self.turn.question)
            return super().html_fragment()

    monkeypatch.setattr(chat_widget, "AnswerView", CountingView)
    monkeypatch.setattr(chat_widget, "REDRAW_INTERVAL", 0.0)  # a redraw for every token
    chat = open_box(ip, corpus, fake)
    fake.answer = " ".join(f"word{i}" for i in range(50))
    try:
        first = list(chat.log.children)
        chat.submit("What caused the collapse of Silicon Valley Bank?")
        chat.wait()
        assert "word49" in chat.transcript_html()
        for i in range(5):
            assert rendered.count(f"old question number {i}?") == 1  # once, when the box opened
        assert rendered.count("What caused the collapse of Silicon Valley Bank?") >= 50  # the live bubble, per token
        assert list(chat.log.children)[:5] == first  # the same widgets: nothing the reader opened is replaced
    finally:
        chat.close()


def test_a_clear_is_never_painted_over_by_an_older_picture(box, ip, fake, monkeypatch) -> None:
    """The worker used to render the transcript while the notebook's thread cleared it; the worker's
    older picture then landed after the clear's, and the cleared turns came back on the screen."""
    box.submit("What caused the collapse of Silicon Valley Bank?")
    box.wait()
    cleared_question = "What caused the collapse of Silicon Valley Bank?"
    paintings: list[str] = []
    box.log.observe(lambda change: paintings.append(box.transcript_html()), names="children")

    hold, held, go = threading.Event(), threading.Event(), threading.Event()

    class HeldView(chat_widget.AnswerView):
        def html_fragment(self) -> str:  # the worker is in the middle of a redraw here
            if self.pending and threading.current_thread() is box._worker and hold.is_set() and not held.is_set():
                held.set()
                go.wait(LONG)
            return super().html_fragment()

    monkeypatch.setattr(chat_widget, "AnswerView", HeldView)
    fake.delay, fake.answer = 0.02, " ".join(f"w{i}" for i in range(60))
    box.submit("And how did the regulators respond?")
    wait_until(lambda: box.pending is not None and box.pending_text, "the answer streams")
    hold.set()
    assert held.wait(LONG), "the worker never redrew"
    clear_from_another_thread(box, ip, go)
    shown = [shown_questions(p) for p in paintings]
    after_clear = next(n for n, questions in enumerate(shown) if cleared_question not in questions)
    assert all(cleared_question not in q for q in shown[after_clear:]), "an older picture was painted over the clear"
    assert shown_questions(box.transcript_html()) == ["And how did the regulators respond?"]
    assert "w59" in box.transcript_html()


def test_an_error_and_a_clear_at_once_leave_no_error_after_a_later_turn(box, ip, fake, monkeypatch) -> None:
    """The worker placed an error after the turn count it had read before a clear emptied the history
    (``extra`` changed from two threads without the lock): the error then showed after later turns."""
    box.submit("What caused the collapse of Silicon Valley Bank?")
    box.wait()
    counted, go = threading.Event(), threading.Event()
    real_turns = chat_widget.turns

    def slow_turns(history):  # the worker has read the turn count and not yet placed its error
        result = real_turns(history)
        placing_error = sys._getframe(1).f_code.co_name == "_add_error"
        if threading.current_thread() is box._worker and placing_error and not counted.is_set():
            counted.set()
            go.wait(3.0)  # with the lock held the clear cannot come in between: this wait then runs out
        return result

    monkeypatch.setattr(chat_widget, "turns", slow_turns)
    fake.mode = "401"
    box.submit("What is the deposit insurance limit?")
    assert counted.wait(LONG), "the error was never placed"
    clear_from_another_thread(box, ip, go)
    fake.mode = "ok"
    box.submit("And how did the regulators respond?")
    box.wait()
    html = box.transcript_html()
    assert "regulators respond" in html
    assert "dc-error" not in html.split("regulators respond", 1)[1], "an error from before shows after a later turn"


def test_closing_waits_for_the_worker_before_the_index_is_closed(box, ip, monkeypatch) -> None:
    """Unloading the extension closed the boxes without waiting for their worker, then the indexes
    the worker was still searching."""
    worker_alive_at_close: list[bool] = []
    searching = hold_the_first_search(monkeypatch, lambda: worker_alive_at_close.append(box._worker.is_alive()))
    box.submit("What caused the collapse of Silicon Valley Bank?")
    assert searching.wait(LONG)
    ip.magics_manager.registry["DocChat"].close_all()  # what %unload_ext does
    assert worker_alive_at_close and not any(worker_alive_at_close)
    assert not box._worker.is_alive() and box.submit("anything?") is False


def test_rebuilding_an_index_a_box_answers_from_waits_for_its_answer(box, ip, corpus: Path, monkeypatch) -> None:
    asking, answering_at_close = threading.Event(), []
    real_ask = box.conversation.ask

    def ask(*args, **kwargs):
        asking.set()
        try:
            return real_ask(*args, **kwargs)
        finally:
            asking.clear()

    box.conversation.ask = ask
    searching = hold_the_first_search(monkeypatch, lambda: answering_at_close.append(asking.is_set()))
    box.submit("What caused the collapse of Silicon Valley Bank?")
    assert searching.wait(LONG)
    _, error = run_cell(ip, f"%docchat_index {corpus} --rebuild --quiet")
    assert error is None
    assert answering_at_close == [False]
    box.wait()
    assert "dc-error" not in box.transcript_html() and len(ip.user_ns["docchat_history"]) == 1


def test_many_clears_sends_and_errors_from_two_threads_leave_a_consistent_box(box, ip, fake) -> None:
    """No interleaving planned: the notebook's thread clears and asks while the worker streams and
    fails; afterwards the box shows exactly what a new box shows for the same history and errors."""
    fake.delay = 0.002
    fake.answer = " ".join(f"t{i}" for i in range(30))
    for round_ in range(6):
        fake.mode = "401" if round_ % 3 == 2 else "ok"
        for n in range(3):
            box.submit(f"question {round_}.{n} about the bank run?")
        for _ in range(20):
            box.clear()
            box.redraw()
        box.wait()
    fake.mode = "ok"
    box.submit("the last question about deposits?")
    box.wait()
    assert box._worker.is_alive() and not box.busy
    history = [t["question"] for t in ip.user_ns["docchat_history"]]
    assert history[-1] == "the last question about deposits?"
    fresh = chat_widget.ChatBox(box.conversation, box._history, commands=box.commands)
    try:
        with box._lock:
            fresh.extra = list(box.extra)
        fresh.redraw()
        assert shown_questions(box.transcript_html()) == shown_questions(fresh.transcript_html()) == history
        assert box.transcript_html().count("dc-error") == fresh.transcript_html().count("dc-error")
    finally:
        fresh.close()
