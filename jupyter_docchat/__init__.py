"""jupyter-docchat: ask questions about your own documents from a notebook."""

from __future__ import annotations

from typing import Any

from .errors import DocChatError
from .hits import Hit
from .index import DocIndex
from .report import IndexReport
from .settings import Settings

__version__ = "0.1.0"
__all__ = ["DocChatError", "DocIndex", "Hit", "IndexReport", "Settings", "load_ipython_extension",
           "unload_ipython_extension", "__version__"]


def load_ipython_extension(ipython: Any) -> None:
    from .magics import load

    load(ipython)


def unload_ipython_extension(ipython: Any) -> None:
    from .magics import unload

    unload(ipython)
