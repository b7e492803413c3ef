"""Streaming an answer into a notebook output: one display, updated as tokens arrive."""

from __future__ import annotations

import time
from typing import Any, Mapping

from jupyter_docchat.views.answer import AnswerView

# Seconds between two redraws of a streaming answer (here and in the chat box): about ten a second reads
# as live, and a redraw per token would send the whole answer's HTML to the browser for every token.
REDRAW_INTERVAL = 0.1


class LiveAnswer:
    """Shows the question at once, then updates the same output with each batch of tokens."""

    def __init__(self, commands: Mapping[str, str] | None = None) -> None:
        self.commands = commands
        self.handle: Any = None
        self.turn: Any = None
        self.buffer: list[str] = []
        self._last = 0.0

    def start(self, turn: Any) -> None:
        from IPython.display import display

        self.turn = turn
        self.handle = display(AnswerView(turn, pending=True), display_id=True)

    def token(self, text: str) -> None:
        self.buffer.append(text)
        now = time.monotonic()
        if self.handle is not None and now - self._last >= REDRAW_INTERVAL:
            self._last = now
            self.turn.answer = "".join(self.buffer)
            self.handle.update(AnswerView(self.turn, pending=True))

    def finish(self, turn: Any, error: str = "") -> None:
        view = AnswerView(turn, error=error, commands=self.commands)
        if self.handle is not None:
            self.handle.update(view)
        else:
            from IPython.display import display

            display(view)
