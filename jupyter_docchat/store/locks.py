"""Waiting out another process's write lock where SQLite (ours, or Chroma's inside it) fails at once instead of
waiting: its busy handler is not called where waiting could deadlock (a write asked for inside a read)."""

from __future__ import annotations

import time
from typing import Callable, TypeVar

T = TypeVar("T")

# Seconds a connection waits for another process's write before it fails: an update of another kernel
# holds the write lock per batch, well under a second; 30 s covers a busy disk (no bench figure).
BUSY_TIMEOUT = 30


def busy(exc: BaseException) -> bool:
    """Whether SQLite says another connection holds the lock it needs (Chroma passes its message on: "Database
    error: error returned from database: (code: 5) database is locked")."""
    name = getattr(exc, "sqlite_errorname", "")
    return name.startswith("SQLITE_BUSY") or "database is locked" in str(exc)


def while_locked(action: Callable[[], T], timeout: float | None = None) -> T:
    """``action()``, tried again with a growing pause while another process holds the lock, ``timeout`` seconds at
    most (BUSY_TIMEOUT): then its error is raised."""
    deadline = time.monotonic() + (BUSY_TIMEOUT if timeout is None else timeout)
    pause = 0.01
    while True:
        try:
            return action()
        except Exception as exc:
            if not busy(exc) or time.monotonic() + pause > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.5)
