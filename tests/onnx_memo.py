"""The MiniLM session's outputs remembered per exact input, for the tests of one process.

Most of the suite's in-process indexing embeds the same example documents in the same batches (a store built from
``examples/documents`` in over a hundred tests), and the ONNX run was most of each build's time. Only the model's
run is remembered: tokenizing, truncation, batching by length, pooling and every count around them run as before, and
an input first seen is run by the real model. The outputs are the model's own for that input (the run is
deterministic), so nothing a test reads changes but the time.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from typing import Any

# An output is the hidden states of a whole batch (up to 16 x 256 x 384 floats, 6 MB): the latest outputs are kept
# up to 96 MB, the least recently used let go first, so a worker's memory stays bounded.
KEPT_BYTES = 96 << 20
_LOCK = threading.Lock()
_KEPT: OrderedDict[tuple, Any] = OrderedDict()
_BYTES = [0]
STATS = {"runs": 0, "remembered": 0, "seconds_saved": 0.0}  # CPU seconds of the runs answered from memory


class RememberingSession:
    """An onnxruntime InferenceSession whose ``run`` answers an input it has run before from memory."""

    def __init__(self, session: Any, config: tuple) -> None:
        self._session = session
        self._config = config  # the session's options: two sessions of other options do not share outputs

    def __getattr__(self, name: str) -> Any:
        return getattr(self._session, name)

    def run(self, output_names: Any, feeds: dict[str, Any], *args: Any) -> Any:
        digest = hashlib.blake2b()
        for name in sorted(feeds):
            array = feeds[name]
            digest.update(f"{name}{array.shape}{array.dtype}".encode())
            digest.update(array.tobytes())
        key = (self._config, repr(output_names), repr(args), digest.hexdigest())
        with _LOCK:
            if key in _KEPT:
                _KEPT.move_to_end(key)
                seconds, outputs = _KEPT[key]
                STATS["remembered"] += 1
                STATS["seconds_saved"] += seconds
                return [out.copy() for out in outputs]
        start = time.thread_time()
        outputs = self._session.run(output_names, feeds, *args)
        seconds = time.thread_time() - start  # the calling thread's share: onnxruntime's own threads add more
        with _LOCK:
            STATS["runs"] += 1
            kept = [out.copy() for out in outputs]
            size = sum(out.nbytes for out in kept)
            if key not in _KEPT and size <= KEPT_BYTES:
                _KEPT[key] = (seconds, kept)
                _BYTES[0] += size
                while _BYTES[0] > KEPT_BYTES:
                    _, (_, gone) = _KEPT.popitem(last=False)
                    _BYTES[0] -= sum(out.nbytes for out in gone)
        return outputs


def install(monkeypatch: Any) -> None:
    """Sessions made from now on (by ``embeddings._session``) remember their outputs; the shared model made before
    keeps its sessions, so the first build runs the real model as a user's does."""
    from jupyter_docchat.store import embeddings

    real = embeddings._session

    def remembering(threads: int, spin: bool = True) -> Any:
        return RememberingSession(real(threads, spin=spin), (threads, spin))

    monkeypatch.setattr(embeddings, "_session", remembering)
