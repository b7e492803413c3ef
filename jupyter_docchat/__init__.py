"""jupyter-docchat: ask questions about your own documents from a notebook."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jupyter_docchat.errors import DocChatError
    from jupyter_docchat.index import DocIndex
    from jupyter_docchat.indexing.index_options import IndexOptions
    from jupyter_docchat.indexing.report import IndexReport
    from jupyter_docchat.qa.answer_record import Answer, Source
    from jupyter_docchat.settings import Settings
    from jupyter_docchat.types import Hit

__version__ = "0.1.0"
__all__ = ["Answer", "DocChatError", "DocIndex", "Hit", "IndexOptions", "IndexReport", "Settings", "Source", "load_ipython_extension",
           "unload_ipython_extension", "__version__"]

# Where each name of the API lives, imported on first use: a reading worker imports this package too, and
# needs none of them (DocIndex brings in the answer layer: about a third of a worker's start).
_API = {"Answer": "qa.answer_record", "DocChatError": "errors", "DocIndex": "index", "Hit": "types",
        "IndexOptions": "indexing.index_options", "IndexReport": "indexing.report", "Settings": "settings",
        "Source": "qa.answer_record"}


def __getattr__(name: str) -> Any:
    if name not in _API:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_API[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_API))


def load_ipython_extension(ipython: Any) -> None:
    from jupyter_docchat.notebook.magics import load

    load(ipython)


def unload_ipython_extension(ipython: Any) -> None:
    from jupyter_docchat.notebook.magics import unload

    unload(ipython)
