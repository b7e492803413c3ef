"""jupyter-docchat: ask questions about your own documents from a notebook."""

from __future__ import annotations

from typing import Any

from jupyter_docchat.errors import DocChatError
from jupyter_docchat.types import Hit
from jupyter_docchat.index import DocIndex
from jupyter_docchat.indexing.index_options import IndexOptions
from jupyter_docchat.indexing.report import IndexReport
from jupyter_docchat.qa.answer_record import Answer, Source
from jupyter_docchat.settings import Settings

__version__ = "0.1.0"
__all__ = ["Answer", "DocChatError", "DocIndex", "Hit", "IndexOptions", "IndexReport", "Settings", "Source", "load_ipython_extension",
           "unload_ipython_extension", "__version__"]


def load_ipython_extension(ipython: Any) -> None:
    from jupyter_docchat.notebook.magics import load

    load(ipython)


def unload_ipython_extension(ipython: Any) -> None:
    from jupyter_docchat.notebook.magics import unload

    unload(ipython)
