"""A LangChain retriever made from a store path alone (``DocIndexRetriever(store=..., collection=...)``),
for code that configures retrievers by parameters; ``DocIndex.as_retriever()`` is the usual way."""

from __future__ import annotations

from typing import Any

from pydantic import PrivateAttr

from jupyter_docchat.index import DocIndex
from jupyter_docchat.retrieval.langchain_retriever import SearchRetriever


class DocIndexRetriever(SearchRetriever):
    """Search of the docchat store at ``store`` (collection ``collection``) as LangChain Documents."""

    store: str = ".docchat"
    collection: str = "docs"
    _index: DocIndex | None = PrivateAttr(default=None)

    def get_searcher(self) -> Any:
        if self.searcher is None and self._index is None:
            self._index = DocIndex(self.store, self.collection)
        return self.searcher or self._index
