"""``%docchat_chat``: an ipywidgets 8 chat box on the same conversation as ``%%ask``.

Questions are answered on a worker thread so the notebook stays responsive;
questions sent while one is being answered wait in a visible queue. The
transcript is plain HTML and CSS (no custom front-end), so it renders in
JupyterLab, Notebook 7 and VS Code alike.
"""

from __future__ import annotations

import queue
import threading
import time
from typing import Any, Callable

import ipywidgets as widgets

from jupyter_docchat.qa.conversation import AnswerFailed, Conversation, Turn
from jupyter_docchat.errors import DocChatError
from jupyter_docchat.views.history import turns
from jupyter_docchat.views.answer import CSS, AnswerView, bubble, esc

# column-reverse keeps the scroll position pinned to the newest message without any JavaScript.
TRANSCRIPT_CSS = """
<style>
.docchat-transcript{display:flex;flex-direction:column-reverse;max-height:480px;overflow-y:auto;padding:4px 8px;
border:1px solid var(--jp-border-color2,#ddd);border-radius:8px;background:var(--jp-layout-color0,#fff)}
.docchat-empty{color:var(--jp-content-font-color2,#666);padding:12px}
</style>
"""
STREAM_INTERVAL = 0.1


class ChatBox:
    def __init__(self, conversation: Conversation, history: Callable[[], list], *, model: str | None = None,
                 k: int | None = None) -> None:
        self.conversation, self._history, self.model, self.k = conversation, history, model, k
        self.transcript = widgets.HTML(layout=widgets.Layout(width="100%"))
        self.input = widgets.Text(placeholder="Ask about your documents, then press Enter", continuous_update=False,
                                  layout=widgets.Layout(flex="1 1 auto"))
        self.send_button = widgets.Button(description="Send", button_style="primary", icon="paper-plane",
                                          layout=widgets.Layout(width="90px"))
        self.clear_button = widgets.Button(description="Clear", icon="trash", layout=widgets.Layout(width="90px"))
        self.spinner = widgets.HTML(layout=widgets.Layout(width="28px"))
        self.note = widgets.HTML()
        self.widget = widgets.VBox(
            [self.transcript, widgets.HBox([self.input, self.spinner, self.send_button, self.clear_button]), self.note],
            layout=widgets.Layout(width="100%", max_width="900px"),
        )
        self.widget.add_class("docchat-chat")
        self.extra: list[tuple[int, str]] = []  # error bubbles, placed after the turn count they followed
        self.pending: Turn | None = None
        self.pending_text: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._lock = threading.Lock()
        self._waiting: list[str] = []
        self._unfinished = 0  # questions submitted and not yet answered and drawn
        self._last_draw = 0.0
        self._worker = threading.Thread(target=self._work, name="docchat-chat", daemon=True)
        self.input.observe(self._on_value, names="value")
        self.send_button.on_click(lambda _: self.submit(self.input.value))
        self.clear_button.on_click(lambda _: self.clear())
        self._worker.start()
        self.redraw()

    # events
    def _on_value(self, change: dict) -> None:
        if change["new"].strip():
            self.submit(change["new"])

    def submit(self, text: str) -> bool:
        """Queue a question; an empty one sends nothing. Returns whether it was queued."""
        question = (text or "").strip()
        if self.input.value:
            self.input.value = ""
        if not question:
            return False
        with self._lock:
            busy = self._unfinished > 0
            self._waiting.append(question)
            self._unfinished += 1
        if busy:
            self._set_note(f"Queued: {question} (answering the previous question first)")
        self._queue.put(question)
        return True

    def clear(self) -> None:
        """Empty the transcript and the shared history."""
        self._history().clear()
        self.extra.clear()
        self._set_note("History cleared.")
        self.redraw()

    def close(self) -> None:
        self._queue.put(None)
        self.widget.close()

    @property
    def busy(self) -> bool:
        """Whether a question is being answered or waits in the queue."""
        with self._lock:
            return self._unfinished > 0

    def wait(self, timeout: float = 120.0) -> None:
        """Block until every queued question has been answered and drawn (for tests and scripts)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.busy:
                return
            time.sleep(0.02)
        raise TimeoutError("the chat box is still answering")

    # the worker
    def _work(self) -> None:
        while True:
            question = self._queue.get()
            if question is None:
                return
            try:
                self._answer(question)
            finally:
                with self._lock:
                    self._waiting.remove(question)
                    self.pending = None
                self.spinner.value = ""
                self.redraw()
                with self._lock:
                    self._unfinished -= 1

    def _answer(self, question: str) -> None:
        self.spinner.value = '<span class="dc-spinner" title="answering"></span>' + CSS
        self._set_note("")
        with self._lock:
            self.pending = Turn(question, model=self.model or "")
            self.pending_text = []
        self.redraw()
        try:
            self.conversation.ask(question, self._history(), model=self.model, k=self.k,
                                  on_token=self._on_token, on_sources=self._on_sources)
        except AnswerFailed as exc:
            self._add_error(str(exc))
        except DocChatError as exc:
            self._add_error(str(exc))
        except Exception as exc:  # the box must keep working whatever happens in a worker
            self._add_error(f"unexpected error: {type(exc).__name__}: {exc}")

    def _on_sources(self, turn: Turn) -> None:
        with self._lock:
            self.pending = turn
        self.redraw()

    def _on_token(self, text: str) -> None:
        self.pending_text.append(text)
        now = time.monotonic()
        if now - self._last_draw >= STREAM_INTERVAL:
            self._last_draw = now
            self.redraw()

    def _add_error(self, message: str) -> None:
        self.extra.append((len(turns(self._history())), bubble("assistant", "!", "docchat error", f"<p>{esc(message)}</p>", "dc-error")))

    def _set_note(self, text: str) -> None:
        self.note.value = f'<span class="docchat-note">{esc(text)}</span>' if text else ""

    # drawing
    def redraw(self) -> None:
        self.transcript.value = self.render()

    def render(self) -> str:
        done = turns(self._history())
        parts: list[str] = []
        errors = sorted(self.extra)
        for index, turn in enumerate(done):
            parts += [html for at, html in errors if at == index]
            parts.append(AnswerView(turn).html_fragment())
        parts += [html for at, html in errors if at >= len(done)]
        with self._lock:
            pending = self.pending
            if pending is not None:
                pending.answer = "".join(self.pending_text)
        if pending is not None:
            parts.append(AnswerView(pending, pending=True).html_fragment())
        with self._lock:
            queued = self._waiting[1:] if self.pending is not None else list(self._waiting)
        for question in queued:
            parts.append(bubble("user", "You", "queued", f"<p>{esc(question)}</p>"))
        if not parts:
            parts.append('<div class="docchat-empty">Ask a question about your indexed documents.</div>')
        return f'{CSS}{TRANSCRIPT_CSS}<div class="docchat docchat-transcript"><div>{"".join(parts)}</div></div>'

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)
