"""A reading worker: ``python -m jupyter_docchat.indexing.read_worker``, fed pickled requests on stdin.

Workers are plain child processes started by module name, not multiprocessing's
spawn: spawn re-runs the parent's ``__main__``, so a user's script without an
``if __name__ == "__main__":`` guard would index again inside every worker. A
worker reads ``(rel, path, spec, checks)`` requests from its stdin and answers each with
``read_progress.Progress`` ticks, then a ``ReadResult``, on its stdout (each pickled, after its length); when the parent goes away (even by
``kill -9``) its end of the pipe closes, the next read sees end of file, and the
worker exits: nothing is left behind.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import time
from typing import Callable

READY = b"R"
PARENT_VARIABLE = "DOCCHAT_READER_PARENT"  # the parent's pid, so a worker whose parent is gone at start exits
FORMATS_VARIABLE = "DOCCHAT_READER_FORMATS"  # the suffixes it will read, comma-separated (unset: every format)


def main() -> None:
    _die_with_parent()
    # Ctrl-C is the parent's to handle: it stops the update and closes our stdin.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Anything a library prints must not corrupt the answers: keep fd 1 for them, point print() at stderr.
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    requests = sys.stdin.buffer
    from jupyter_docchat.indexing.read_progress import MIN_INTERVAL, Progress, listening
    from jupyter_docchat.indexing.readers import load_all
    from jupyter_docchat.indexing.read_file import read_one
    from jupyter_docchat.store.chroma_import import iri_grammars_deferred

    import jupyter_docchat.store.token_counts  # noqa: F401  (the chunker's, built at the first request)

    with iri_grammars_deferred():  # nbformat's jsonschema: its IRI grammars were most of a worker's start
        formats = os.environ.get(FORMATS_VARIABLE)
        load_all(None if formats is None else formats.split(","))  # so no file's time limit pays for an import
    answers.write(READY)  # imports done: the parent's time limit per file starts counting from here
    answers.flush()
    while True:
        try:
            rel, path, spec, checks = pickle.load(requests)
        except (EOFError, pickle.UnpicklingError, OSError):
            return
        try:
            with listening(_ticks_to(answers, Progress, MIN_INTERVAL)):
                reply: object = read_one(rel, path, spec, checks)
        except _ParentGone:
            return
        except Exception as exc:  # a reader bug: the parent names the file and goes on
            reply = exc if _picklable(exc) else RuntimeError(f"{type(exc).__name__}: {exc}")
        try:
            _send(answers, reply)
        except (BrokenPipeError, OSError):
            return


def _die_with_parent() -> None:
    """On Linux, be killed the moment the parent dies, even in the imports (ten seconds on a busy machine)
    or inside a long file, rather than when stdin's end of file is next read."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass  # then stdin's end of file stops us, as elsewhere
    if os.environ.get(PARENT_VARIABLE) not in (None, str(os.getppid())):
        os._exit(0)  # the parent died before the call above took effect


class _ParentGone(Exception):
    """A tick could not be sent: the parent closed its end."""


def _ticks_to(answers: object, progress: type, interval: float) -> Callable[[int, int, str], None]:
    """What sends a file's ticks to the parent: one at most each ``interval`` from the file's start. A file read
    sooner sends none, its reply follows at once: mpich's 966 small pages sent two ticks each (the first of a file
    and its last), two thirds of the messages the parent took and unpickled."""
    last = [time.monotonic()]

    def send(done: int, total: int, unit: str) -> None:
        now = time.monotonic()
        if now - last[0] < interval:
            return
        last[0] = now
        try:
            _send(answers, progress(done, total, unit))
        except OSError as exc:
            raise _ParentGone from exc

    return send


def _send(answers: object, message: object) -> None:
    """One message, framed as the parent reads it (reading._Messages): 8 bytes of length, then the pickle."""
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    answers.write(len(payload).to_bytes(8, "big") + payload)  # type: ignore[attr-defined]
    answers.flush()  # type: ignore[attr-defined]


def _picklable(obj: object) -> bool:
    try:
        pickle.loads(pickle.dumps(obj))
        return True
    except Exception:
        return False


if __name__ == "__main__":
    main()
