"""A reading worker: ``python -m jupyter_docchat.indexing.read_worker``, fed pickled requests on stdin.

Workers are plain child processes started by module name, not multiprocessing's
spawn: spawn re-runs the parent's ``__main__``, so a user's script without an
``if __name__ == "__main__":`` guard would index again inside every worker. A
worker reads ``(rel, path, spec)`` requests from its stdin and answers each with
a pickled ``ReadResult`` on its stdout; when the parent goes away (even by
``kill -9``) its end of the pipe closes, the next read sees end of file, and the
worker exits: nothing is left behind.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys

READY = b"R"


def main() -> None:
    # Ctrl-C is the parent's to handle: it stops the update and closes our stdin.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Anything a library prints must not corrupt the answers: keep fd 1 for them, point print() at stderr.
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    requests = sys.stdin.buffer
    from jupyter_docchat.indexing.readers import load_all
    from jupyter_docchat.indexing.reading import read_one
    from jupyter_docchat.store.chroma_import import iri_grammars_deferred

    import jupyter_docchat.store.token_counts  # noqa: F401  (the chunker's, built at the first request)

    with iri_grammars_deferred():  # nbformat's jsonschema: its IRI grammars were most of a worker's start
        load_all()  # every format's reader, so no file's time limit pays for an import
    answers.write(READY)  # imports done: the parent's time limit per file starts counting from here
    answers.flush()
    while True:
        try:
            rel, path, spec = pickle.load(requests)
        except (EOFError, pickle.UnpicklingError, OSError):
            return
        try:
            reply: object = read_one(rel, path, spec)
        except Exception as exc:  # a reader bug: the parent names the file and goes on
            reply = exc if _picklable(exc) else RuntimeError(f"{type(exc).__name__}: {exc}")
        try:
            pickle.dump(reply, answers, protocol=pickle.HIGHEST_PROTOCOL)
            answers.flush()
        except (BrokenPipeError, OSError):
            return


def _picklable(obj: object) -> bool:
    try:
        pickle.loads(pickle.dumps(obj))
        return True
    except Exception:
        return False


if __name__ == "__main__":
    main()
