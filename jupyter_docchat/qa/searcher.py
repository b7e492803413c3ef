"""What the conversation needs of an index, as a protocol: ``DocIndex`` is one, and so the question
answering sits below the façade that offers ``DocIndex.ask`` instead of importing it."""

from __future__ import annotations

from typing import Any, Protocol

from jupyter_docchat.indexing.report import IndexReport
from jupyter_docchat.types import Hit


class Searcher(Protocol):
    def ensure_ready(self) -> str:
        """The indexed folder; raises NoIndexError when there is nothing to search yet."""

    def refresh(self) -> IndexReport | None:
        """Re-index what changed in the folder since the last update (None when nothing did)."""

    def search(self, query: str | list[tuple[str, float]], k: int = 5, *, explain: bool = False) -> list[Hit]:
        """The ``k`` best chunks for ``query``, or for (query, weight) pairs whose rankings are fused."""

    def file_chunks(self, source: str) -> list[Hit]:
        """Every chunk of one indexed file, in the file's order."""

    def vectors_waiting(self) -> int:
        """Chunks searchable by words whose vector is not computed yet."""

    def filling(self) -> bool:
        """Whether a vector pass is computing them now."""

    def embedder(self) -> Any:
        """The collection's embedding model (a LangChain ``Embeddings``), to embed answer units and cells."""
