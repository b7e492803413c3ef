"""Any searcher with ``search(query, k=, mode=)`` as a LangChain ``BaseRetriever``."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict


class SearchRetriever(BaseRetriever):
    """Hybrid (or dense, or lexical) search as LangChain ``Document`` objects.

    Each document's metadata holds ``source``, ``page``, ``lines`` (first and last), ``heading``,
    ``score``, ``path`` and the chunk ``id``. ``invoke(query, k=3)`` overrides ``k`` for one call.
    """

    searcher: Any = None  # a DocIndex, or anything with the same search()
    k: int = 5
    mode: str = "hybrid"
    model_config = ConfigDict(arbitrary_types_allowed=True)

    def get_searcher(self) -> Any:
        return self.searcher

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun,
                                **kwargs: Any) -> list[Document]:
        hits = self.get_searcher().search(query, k=int(kwargs.get("k", self.k)), mode=self.mode)
        return [Document(page_content=h.text, id=h.id, metadata={
            "source": h.source, "page": h.page, "lines": [h.start_line, h.end_line], "heading": h.heading,
            "score": h.score, "path": h.path, "id": h.id}) for h in hits]
