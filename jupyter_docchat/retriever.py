"""The index as a LangChain retriever, for anyone's own LCEL chain or agent."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, PrivateAttr

from .index import DocIndex


class DocIndexRetriever(BaseRetriever):
    """Hybrid (or dense, or lexical) search of a docchat store as LangChain ``Document`` objects.

    Each document's metadata holds ``source``, ``page``, ``lines`` (first and last), ``heading``,
    ``score``, ``path`` and the chunk ``id``. ``invoke(query, k=3)`` overrides ``k`` for one call.
    """

    store: str = ".docchat"
    collection: str = "docs"
    k: int = 5
    mode: str = "hybrid"
    model_config = ConfigDict(arbitrary_types_allowed=True)
    _index: DocIndex | None = PrivateAttr(default=None)

    @classmethod
    def from_index(cls, index: DocIndex, k: int = 5, mode: str = "hybrid") -> "DocIndexRetriever":
        retriever = cls(store=str(index.store), collection=index.collection, k=k, mode=mode)
        retriever._index = index
        return retriever

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun,
                                **kwargs: Any) -> list[Document]:
        if self._index is None:
            self._index = DocIndex(self.store, self.collection)
        hits = self._index.search(query, k=int(kwargs.get("k", self.k)), mode=self.mode)
        return [Document(page_content=h.text, id=h.id, metadata={
            "source": h.source, "page": h.page, "lines": [h.start_line, h.end_line], "heading": h.heading,
            "score": h.score, "path": h.path, "id": h.id}) for h in hits]
