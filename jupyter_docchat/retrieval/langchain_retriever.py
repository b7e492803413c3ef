"""Any searcher with ``search(query, k=, mode=)`` as a LangChain ``BaseRetriever``."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, field_validator

from jupyter_docchat.retrieval.evaluation import MODES
from jupyter_docchat.errors import DocChatError
from jupyter_docchat.settings import check_setting


class SearchRetriever(BaseRetriever):
    """Hybrid (or dense, or lexical) search as LangChain ``Document`` objects.

    Each document's metadata holds ``source``, ``page``, ``lines`` (first and last), ``heading``,
    ``score``, ``path`` and the chunk ``id``. ``invoke(query, k=3)`` overrides ``k`` for one call.
    ``k`` is checked where it is given (made, or passed to ``invoke``) and again at each search, as
    ``DocIndex.search`` checks it (settings.LIMITS): a bad one is a one-line SettingError.
    """

    searcher: Any = None  # a DocIndex, or anything with the same search()
    k: int = 5
    mode: str = "hybrid"
    model_config = ConfigDict(arbitrary_types_allowed=True)

    @field_validator("k", mode="before")
    @classmethod
    def _k_within_limits(cls, k: Any) -> Any:
        return check_setting("k", k)  # not a ValueError: pydantic lets it through as it is

    @field_validator("mode")
    @classmethod
    def _known_mode(cls, mode: str) -> str:
        if mode not in MODES:
            raise DocChatError(f"unknown search mode {mode!r}: use 'hybrid', 'dense' or 'lexical'")
        return mode

    def get_searcher(self) -> Any:
        return self.searcher

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun,
                                **kwargs: Any) -> list[Document]:
        k = check_setting("k", kwargs.get("k", self.k))  # an invoke(k=...) or a k set after the retriever was made
        hits = self.get_searcher().search(query, k=k, mode=self.mode)
        return [Document(page_content=h.text, id=h.id, metadata={
            "source": h.source, "page": h.page, "lines": [h.start_line, h.end_line], "heading": h.heading,
            "score": h.score, "path": h.path, "id": h.id}) for h in hits]
