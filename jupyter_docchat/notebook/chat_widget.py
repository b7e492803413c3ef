"""``%docchat_chat``: an ipywidgets 8 chat box on the same conversation as ``%%ask``.

Questions are answered on a worker thread so the notebook stays responsive;
questions sent while one is being answered wait in a visible queue. The
transcript is plain HTML and CSS (no custom front-end), so it renders in
JupyterLab, Notebook 7 and VS Code alike.
"""

from __future__ import annotations

import contextlib
import functools
import queue
import threading
import time
from typing import Any, Callable, Iterator, Mapping

import ipywidgets as widgets

from jupyter_docchat.qa.conversation import Conversation, Turn
from jupyter_docchat.qa.key_guard import KeyGuard
from jupyter_docchat.safe_text import for_terminal
from jupyter_docchat.qa.llm import shown_model
from jupyter_docchat.errors import DocChatError, with_command
from jupyter_docchat.notebook.live import REDRAW_INTERVAL
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


class _Closed(Exception):
    """Raised from the token callback once the box is closed: the answer being streamed stops there."""


class ChatBox:
    """The chat box. One worker thread answers the questions in turn; the notebook's thread submits,
    clears and closes. Every piece of state both threads touch is read and written under ``_lock``;
    drawing happens under ``_draw_lock``, so a redraw never lays an older picture over a newer one.

    Each bubble is its own HTML widget: a finished turn is rendered once and kept, and while an answer
    streams only its bubble (``live``) is redrawn, so a long history costs nothing per token and the
    sources a reader has opened stay open.
    """

    def __init__(self, conversation: Conversation, history: Callable[[], list], *, model: str | None = None,
                 k: int | None = None, commands: Mapping[str, str] | None = None,
                 follow: Callable[[Callable[[str], None]], Conversation] | None = None) -> None:
        self.conversation, self._history, self.model, self.k = conversation, history, model, k
        self.commands = commands
        # Where each question is asked, taken when it is sent (on the notebook's thread, as %%ask takes it): a box
        # opened before %docchat_index --store B went on asking the store it was opened on, and one whose store was
        # rebuilt or deleted and opened again asked the closed one.
        self._follow = follow
        self._said: list[str] = []
        # A <style> applies wherever it sits, even in a hidden element.
        self.style = widgets.HTML(CSS + TRANSCRIPT_CSS, layout=widgets.Layout(display="none"))
        self.live = widgets.HTML(layout=widgets.Layout(width="100%"))  # the answer being given
        self.queued = widgets.HTML(layout=widgets.Layout(width="100%"))
        self.empty = widgets.HTML('<div class="docchat-empty">Ask a question about your indexed documents.</div>')
        self.log = widgets.VBox(layout=widgets.Layout(width="100%"))
        # column-reverse keeps the scroll position pinned to the newest message without any JavaScript.
        self.transcript = widgets.VBox([self.log], layout=widgets.Layout(
            width="100%", max_height="480px", overflow_y="auto", flex_flow="column-reverse"))
        self.transcript.add_class("docchat")
        self.transcript.add_class("docchat-transcript")
        self.input = widgets.Text(placeholder="Ask about your documents, then press Enter", continuous_update=False,
                                  layout=widgets.Layout(flex="1 1 auto"))
        self.send_button = widgets.Button(description="Send", button_style="primary", icon="paper-plane",
                                          layout=widgets.Layout(width="90px"))
        self.clear_button = widgets.Button(description="Clear", icon="trash", layout=widgets.Layout(width="90px"))
        self.spinner = widgets.HTML(layout=widgets.Layout(width="28px"))
        self.note = widgets.HTML()
        self.widget = widgets.VBox(
            [self.style, self.transcript, widgets.HBox([self.input, self.spinner, self.send_button, self.clear_button]),
             self.note],
            layout=widgets.Layout(width="100%", max_width="900px"),
        )
        self.widget.add_class("docchat-chat")
        # Shared by the two threads: only under _lock.
        self.extra: list[tuple[int, str]] = []  # error bubbles, placed after the turn count they followed
        self.pending: Turn | None = None
        self.pending_text: list[str] = []
        self._waiting: list[str] = []
        self._unfinished = 0  # questions submitted and not yet answered and drawn
        self._last_draw = 0.0
        self._closed = False
        self._lock = threading.Lock()
        self._draw_lock = threading.RLock()
        self._answering = threading.Lock()  # held by the worker while it answers; paused() takes it
        self._bubbles: dict[tuple, widgets.HTML] = {}  # finished turns and errors, by what they show
        self._queue: queue.Queue[tuple[str, Conversation] | None] = queue.Queue()
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
        """Queue a question; an empty one (or any, once closed) sends nothing. Returns whether it was queued."""
        question = (text or "").strip()
        if self.input.value:
            self.input.value = ""
        with self._lock:
            if not question or self._closed:
                return False
        conversation = self.conversation
        if self._follow is not None:
            try:
                conversation = self._follow(self._say)  # "opened again" in the box, not a log console
            except DocChatError as exc:  # a store that cannot be opened now: said in the box, nothing queued
                self._add_error(with_command(str(exc), exc.remedy, self.commands or {}))
                self.redraw()
                return False
        with self._lock:
            if self._closed:
                return False
            busy = self._unfinished > 0
            self._waiting.append(question)
            self._unfinished += 1
        if busy:  # without direction controls: "\u202e" in a question reversed the rest of the note (probe 27)
            self._set_note(f"Queued: {for_terminal(question)} (answering the previous question first)")
        self._queue.put((question, conversation))
        if busy:
            self.redraw()  # the queued bubble
        return True

    def clear(self) -> None:
        """Empty the transcript and the shared history. A question being answered is still answered,
        and its turn follows the clear; queued questions stay queued."""
        with self._lock:
            self._history().clear()
            self.extra.clear()
        self._set_note("History cleared.")
        self.redraw()

    def close(self) -> None:
        """Stop: queued questions are dropped, an answer being streamed stops at its next token, and
        this returns once the worker has ended, so nothing uses the index after it (the magics close
        the indexes next). Then the widgets close."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        while True:  # the queued questions will not be asked
            try:
                self._queue.get_nowait()
            except queue.Empty:
                break
        self._queue.put(None)
        if threading.current_thread() is not self._worker:
            self._worker.join()
        with self._draw_lock:
            for widget in [self.widget, *self.widget.children, self.transcript, self.log, self.live, self.queued,
                           self.empty, *self._bubbles.values(), self.input, self.spinner, self.send_button,
                           self.clear_button]:
                widget.close()
            self._bubbles.clear()

    @contextlib.contextmanager
    def paused(self) -> Iterator[None]:
        """Within this, no question is being answered (one under way is finished first): the magics
        close an index here that this box's conversation may be using."""
        with self._answering:
            yield

    @property
    def closed(self) -> bool:
        with self._lock:
            return self._closed

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
            item = self._queue.get()
            if item is None:
                return
            question, conversation = item
            try:
                with self._answering:
                    if not self.closed:
                        self.conversation = conversation  # under _answering: forget_index finds the box by it
                        self._answer(question)
            finally:
                with self._lock:
                    self._waiting.remove(question)
                    self.pending = None
                    closed = self._closed
                if not closed:
                    self.spinner.value = ""
                    self.redraw()
                with self._lock:
                    self._unfinished -= 1

    def _say(self, line: str) -> None:
        """A line for the user about where the box asks, shown in its note while the question it came with is answered."""
        with self._lock:
            self._said.append(line)

    def _answer(self, question: str) -> None:
        self.spinner.value = '<span class="dc-spinner" title="answering"></span>' + CSS
        with self._lock:
            said, self._said = self._said, []
        self._set_note(" ".join(said))
        with self._lock:
            self.pending = Turn(question, model=shown_model(self.model, self.conversation.settings) if self.model else "")
            self.pending_text = []
        self.redraw()
        try:
            history = self._history()
            turn = self.conversation.ask(question, history, model=self.model, k=self.k,
                                         on_token=self._on_token, on_sources=self._on_sources)
            with self._lock:
                current = self._history()
                if current is not history:  # replaced while it answered (docchat_history = []): the turn follows,
                    current.append(turn.to_dict())  # as it follows a clear
        except DocChatError as exc:  # AnswerFailed too
            self._add_error(with_command(str(exc), exc.remedy, self.commands or {}))
        except Exception as exc:  # the box must keep working whatever happens in a worker
            self._add_error(f"unexpected error: {type(exc).__name__}: {exc}")

    def _on_sources(self, turn: Turn) -> None:
        with self._lock:
            self.pending = turn
        self._draw_live()

    def _on_token(self, text: str) -> None:
        with self._lock:
            if self._closed:
                raise _Closed("the chat box was closed")
            self.pending_text.append(text)
            now = time.monotonic()
            due = now - self._last_draw >= REDRAW_INTERVAL
            if due:
                self._last_draw = now
        if due:
            self._draw_live()

    def _add_error(self, message: str) -> None:
        message = KeyGuard.of(self.conversation.settings).masked(message)  # a path holding the key, a server's echo
        # As %%ask's error prints it, without direction controls: a folder named "docs\u202ex" in the message reversed
        # the rest of the bubble (probe 26).
        message = for_terminal(message)
        with self._lock:
            if self._closed:
                return
            self.extra.append((len(turns(self._history())), bubble("assistant", "!", "docchat error",
                                                                   f"<p>{esc(message)}</p>", "dc-error")))

    def _set_note(self, text: str) -> None:
        self.note.value = f'<span class="docchat-note">{esc(text)}</span>' if text else ""

    # drawing
    def redraw(self) -> None:
        """Bring the transcript in line with the history, the errors, the answer being given and the
        queue. Bubbles drawn before are reused as they are; only new ones are rendered."""
        with self._draw_lock:
            with self._lock:
                history = list(self._history() or [])
                errors = sorted(self.extra)
                pending = self.pending
                queued = self._waiting[1:] if pending is not None else list(self._waiting)
            children: list[widgets.Widget] = []
            done = turns(history)
            for index, turn in enumerate(done):
                children += [self._bubble(("error", n, html), html) for n, (at, html) in enumerate(errors) if at == index]
                children.append(self._bubble(("turn", index, repr(turn)), functools.partial(self._turn_html, turn)))
            children += [self._bubble(("error", n, html), html) for n, (at, html) in enumerate(errors) if at >= len(done)]
            self._draw_live()
            if pending is not None:
                children.append(self.live)
            self.queued.value = "".join(bubble("user", "You", "queued", f"<p>{esc(q)}</p>") for q in queued)
            if queued:
                children.append(self.queued)
            keep = set(map(id, children))
            for key in [key for key, widget in self._bubbles.items() if id(widget) not in keep]:
                self._bubbles.pop(key).close()  # a cleared turn's widget is closed, not left to leak
            self.log.children = tuple(children) or (self.empty,)

    def _bubble(self, key: tuple, html: str | Callable[[], str]) -> widgets.HTML:
        if key not in self._bubbles:
            self._bubbles[key] = widgets.HTML(html if isinstance(html, str) else html(),
                                              layout=widgets.Layout(width="100%"))
        return self._bubbles[key]

    def _turn_html(self, turn: Turn) -> str:
        # A turn holding the configured key (asked before it was set, put in the list by hand) is not drawn, as
        # %docchat_history neither shows nor saves it: the widget's state is saved with the notebook.
        if KeyGuard.of(self.conversation.settings).holds_record(turn.to_dict()):
            return bubble("assistant", "!", "docchat", "<p>(a turn holding the configured API key or server token, "
                          "not shown)</p>")
        return AnswerView(turn, commands=self.commands).html_fragment()

    def _draw_live(self) -> None:
        """Render the bubble of the answer being given, and nothing else."""
        with self._draw_lock:
            with self._lock:
                pending = self.pending
                if pending is not None:
                    pending.answer = "".join(self.pending_text)
            self.live.value = AnswerView(pending, pending=True).html_fragment() if pending is not None else ""

    def transcript_html(self) -> str:
        """What the transcript shows now, as one HTML string (for tests and scripts; takes no lock, so
        it can be read while a redraw is under way)."""
        return "".join(getattr(child, "value", "") for child in self.log.children)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)
