"""Import chromadb (and nbformat) without paying for jsonschema's optional IRI grammars up front.

Chroma imports jsonschema, and jsonschema imports ``rfc3987_syntax`` whenever it is installed (Jupyter
Server's ``jupyter-events`` installs it), which compiles 38 Lark grammars at import: about 0.7 s of a
first question's 1.2 s spent importing Chroma (jsonschema issue 1428 asks for exactly this laziness).
While Chroma imports, ``rfc3987_syntax`` is a stand-in module whose functions import the real one on
first call, so jsonschema's ``iri`` and ``iri-reference`` format checks work as before, only loaded
when first used. Nothing changes where the package is not installed or was imported already.
nbformat imports jsonschema too: a reading worker imports it the same way (``iri_grammars_deferred``),
or the grammars were most of every worker's start.
"""

from __future__ import annotations

import importlib
import importlib.util
import _thread
import sys
import types
from contextlib import contextmanager
from typing import Any, Iterator

_NAME = "rfc3987_syntax"
# threading.Lock itself, from the module Python starts with: a reading worker imports this one, and not threading.
_lock = _thread.allocate_lock()


class _Deferred(types.ModuleType):
    """``rfc3987_syntax`` until something uses it; then the real module, everywhere."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)

        def deferred(*args: Any, **kwargs: Any) -> Any:
            return getattr(_real(), name)(*args, **kwargs)

        deferred.__name__ = name
        return deferred


def _real() -> types.ModuleType:
    with _lock:
        if isinstance(sys.modules.get(_NAME), _Deferred):
            del sys.modules[_NAME]
        return importlib.import_module(_NAME)


def import_chromadb() -> Any:
    if "chromadb" in sys.modules:
        return sys.modules["chromadb"]
    with iri_grammars_deferred():
        try:
            import chromadb
        except BaseException:
            # Python drops a package whose import failed (a Ctrl-C in the second it takes) but keeps the
            # submodules it had loaded; importing it again would then leave ``chromadb.errors`` and its
            # siblings unset on the new package object. Dropped too, the next import starts clean.
            for name in [n for n in sys.modules if n == "chromadb" or n.startswith("chromadb.")]:
                del sys.modules[name]
            raise
    return chromadb


@contextmanager
def iri_grammars_deferred() -> Iterator[None]:
    """Imports made inside that bring in jsonschema give it the stand-in ``rfc3987_syntax``."""
    standin = None
    if _NAME not in sys.modules and "jsonschema" not in sys.modules and importlib.util.find_spec(_NAME) is not None:
        standin = sys.modules[_NAME] = _Deferred(_NAME)
    try:
        yield
    finally:
        if standin is not None and sys.modules.get(_NAME) is standin:
            del sys.modules[_NAME]  # later imports get the real module; jsonschema keeps its deferred functions
