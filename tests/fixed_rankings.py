"""One stand-in for ``search.Retriever`` over fixed rankings, for unit tests of the fusion layer alone
(each fusion path also has a test through a real store)."""

from __future__ import annotations

from typing import Callable

from hypothesis import strategies as st

from jupyter_docchat.store.records import ChunkRow


class FixedRankings:
    """Dense and lexical rankings given up front; ``file_of`` names each chunk's file, ``text_of`` its text,
    ``page_of`` its page (None: a file without pages)."""

    def __init__(self, dense: list, lexical: list, file_of: Callable[[str], str] = lambda i: i,
                 text_of: Callable[[str], str] = lambda i: i, filled: float = 1.0,
                 page_of: Callable[[str], int | None] = lambda i: None) -> None:
        self._dense, self._lexical = dense, lexical
        self._file_of, self._text_of, self._filled, self._page_of = file_of, text_of, filled, page_of

    def filled_share(self) -> float:
        return self._filled

    def dense(self, query: str, limit: int) -> list:
        return self._dense[:limit]

    def lexical(self, query: str, limit: int) -> list:
        return self._lexical[:limit]

    def sources_of(self, ids: list[str]) -> dict[str, str]:
        return {i: self._file_of(i) for i in ids}

    def pages_of(self, ids: list[str]) -> dict[str, int]:
        return {i: page for i in ids if (page := self._page_of(i)) is not None}

    def rows(self, ids: list[str]) -> dict[str, ChunkRow]:
        return {i: ChunkRow(self._text_of(i), {"source": self._file_of(i)}) for i in ids}


def _ranking(pairs: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """Best first, each id once (as a store returns them)."""
    seen: dict[str, float] = {}
    for chunk_id, value in pairs:
        seen.setdefault(chunk_id, value)
    return sorted(seen.items(), key=lambda p: -p[1])


# Twelve chunk ids with any finite scores, up to 15 drawn: ties, repeats and empty sides included.
IDS = st.sampled_from([f"c{n}" for n in range(12)])
RANKINGS = st.lists(st.tuples(IDS,
                   st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)), max_size=15).map(_ranking)
