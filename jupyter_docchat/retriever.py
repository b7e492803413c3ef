"""A LangChain retriever made from a store path alone (``DocIndexRetriever(store=..., collection=...)``),
for code that configures retrievers by parameters; ``DocIndex.as_retriever()`` is the usual way."""

from __future__ import annotations

import weakref
from typing import Any

from pydantic import PrivateAttr

from jupyter_docchat.errors import DocChatError
from jupyter_docchat.index import DocIndex, Withheld
from jupyter_docchat.retrieval.langchain_retriever import SearchRetriever


class DocIndexRetriever(SearchRetriever):
    """Search of the docchat store at ``store`` (collection ``collection``) as LangChain Documents."""

    store: str = ".docchat"
    collection: str = "docs"
    _index: DocIndex | None = PrivateAttr(default=None)

    def get_searcher(self) -> Any:
        if self.searcher is None and self._index is None:
            self._index = DocIndex(self.store, self.collection)
            weakref.finalize(self, _close, self._index)  # its catalog and Chroma client go with the retriever
        if self.searcher is not None or self._index is None:
            return self.searcher
        return Withheld(self._index)  # no hit holding a configured key goes to a model

    def close(self) -> None:
        """Let go of the store now (a later search opens it again)."""
        if self._index is not None:
            self._index.close()
            self._index = None


def _close(index: DocIndex) -> None:
    try:
        index.close()
    except DocChatError:
        pass  # collected or at exit: nobody is there to be told, and the store stays consistent
