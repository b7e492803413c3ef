"""Progress inside the file being read: readers and the chunker tick, whoever reads the file listens.

A reading worker sends each tick to its parent, whose time limit counts from the last one: a
1,000-page PDF that keeps yielding pages is read however long it takes, a file that stops yielding
anything is skipped. Read in-process, the ticks move the progress bar. A context variable rather
than an argument through every reader: one file is read at a time in a thread.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Callable, Iterator

MIN_INTERVAL = 0.2  # seconds between the ticks passed on (a page can take a millisecond)

OnTick = Callable[[int, int, str], None]
_listener: ContextVar[OnTick | None] = ContextVar("docchat_read_listener", default=None)


@dataclass(frozen=True)
class Progress:
    """A tick as a worker sends it: ``done`` of ``total`` ``unit`` (pages, characters)."""

    done: int
    total: int
    unit: str


@contextmanager
def listening(on_tick: OnTick) -> Iterator[None]:
    """Pass the ticks of what runs inside to ``on_tick``, at most one each MIN_INTERVAL (and the last)."""
    last = [float("-inf")]

    def throttled(done: int, total: int, unit: str) -> None:
        now = time.monotonic()
        if now - last[0] >= MIN_INTERVAL or done >= total:
            last[0] = now
            on_tick(done, total, unit)

    token = _listener.set(throttled)
    try:
        yield
    finally:
        _listener.reset(token)


def tick(done: int, total: int, unit: str) -> None:
    listener = _listener.get()
    if listener is not None:
        listener(done, total, unit)
