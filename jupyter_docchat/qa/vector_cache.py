"""Vectors of short texts (answer units, notebook cells, questions) made on the fly, kept across questions.

One cache for the extractive answer and the notebook's cells: both embed with the same callable (the
query session), and a unit or cell that comes back costs nothing. Keys name the embedding callable too
(by a number given to the object it belongs to, which they do not keep alive), so vectors of one model
are never compared with another's. Least recently used entries go first.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import threading
import weakref
from collections import OrderedDict
from typing import Any, Callable, Hashable

Embed = Callable[[list[str]], list[list[float]]]
SIZE = 4096

_VECTORS: "OrderedDict[tuple[Hashable, str], list[float]]" = OrderedDict()
_LOCK = threading.Lock()  # the chat box answers on its own thread while a cell may ask too
_OWNERS: "weakref.WeakKeyDictionary[Any, int]" = weakref.WeakKeyDictionary()
_NUMBERS = itertools.count()


def _name(embed: Embed) -> Hashable:
    """``embed`` as a cache key: its object's number (never reused, so a later object never meets an
    earlier one's vectors) and the method's name; the callable itself only if it cannot be weakly referenced."""
    owner = getattr(embed, "__self__", embed)
    try:
        with _LOCK:
            if owner not in _OWNERS:
                _OWNERS[owner] = next(_NUMBERS)
            return (_OWNERS[owner], getattr(embed, "__name__", ""))
    except TypeError:
        return embed


def vectors(texts: list[str], embed: Embed) -> list[list[float]]:
    """The vector of each text, embedding only those not seen with this ``embed`` (one call for all)."""
    name = _name(embed)
    keys = [(name, hashlib.sha1(t.encode("utf-8", "surrogatepass")).hexdigest()) for t in texts]
    with _LOCK:
        known = {k: _VECTORS[k] for k in keys if k in _VECTORS}
    missing = {k: t for k, t in zip(keys, texts) if k not in known}
    if missing:
        known.update(zip(missing, embed(list(missing.values()))))
    with _LOCK:
        for key in keys:
            _VECTORS[key] = known[key]
            _VECTORS.move_to_end(key)
        while len(_VECTORS) > SIZE:
            _VECTORS.popitem(last=False)
    return [known[k] for k in keys]


def cosine(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0
