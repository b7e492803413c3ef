"""A user's code (a ``repr``, a property, a summary) run with a time budget, so one that never returns
cannot hang a question.

The call runs on a daemon thread the caller waits for at most ``seconds``. A thread cannot be killed:
one that overruns is asked to stop (an exception raised in it at its next Python instruction, which
ends a loop in Python code) and left to end on its own; one blocked in C cannot take even that, so
while ``MAX_STUCK`` such threads live, no new one is started and every call is refused at once: a
kernel never gathers more than that many, whatever its objects do.
"""

from __future__ import annotations

import ctypes
import threading
from typing import Callable, TypeVar

T = TypeVar("T")
MAX_STUCK = 4
_STUCK: set[threading.Thread] = set()
_LOCK = threading.Lock()


class OutOfTime(Exception):
    """The call did not return within its budget (or too many earlier ones are still running)."""


class _Stop(BaseException):
    """Raised inside an overrunning call: a BaseException, so the user's ``except Exception`` lets it through."""


def within(seconds: float, call: Callable[[], T]) -> T:
    """``call()``'s result, or its exception, if it returns within ``seconds``; else OutOfTime."""
    with _LOCK:
        _STUCK.difference_update([t for t in _STUCK if not t.is_alive()])
        if len(_STUCK) >= MAX_STUCK:
            raise OutOfTime(f"{len(_STUCK)} earlier calls are still running")
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["value"] = call()
        except _Stop:
            pass
        except BaseException as exc:  # handed to the caller, who decides
            outcome["error"] = exc

    thread = threading.Thread(target=run, name="docchat-time-budget", daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        _ask_to_stop(thread)
        thread.join(0.2)
        if thread.is_alive():
            with _LOCK:
                _STUCK.add(thread)
        raise OutOfTime(f"it did not finish within {seconds:g} s")
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]


def stuck() -> int:
    """How many overrunning calls are still running."""
    with _LOCK:
        return sum(t.is_alive() for t in _STUCK)


def _ask_to_stop(thread: threading.Thread) -> None:
    try:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread.ident or 0), ctypes.py_object(_Stop))
    except (AttributeError, OSError):  # not CPython: the thread is left to end on its own
        pass
