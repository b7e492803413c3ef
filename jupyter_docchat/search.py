"""Hybrid retrieval: dense (Chroma) and lexical (FTS5) ranks fused by reciprocal rank."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .hits import Hit

if TYPE_CHECKING:
    from .index import DocIndex

RRF_K = 60
DENSE_WEIGHT = 1.0
LEXICAL_WEIGHT = 1.0
CANDIDATES = 30


def rrf(rankings: list[tuple[list[str], float]], k: int = RRF_K) -> dict[str, float]:
    """Reciprocal rank fusion of several best-first id lists, each with a weight."""
    scores: dict[str, float] = {}
    for ids, weight in rankings:
        for rank, chunk_id in enumerate(ids):
            scores[chunk_id] = scores.get(chunk_id, 0.0) + weight / (k + rank + 1)
    return scores


def hybrid_search(index: "DocIndex", query: str, k: int, mode: str = "hybrid", root: str = "") -> list[Hit]:
    if mode not in ("hybrid", "dense", "lexical"):
        raise ValueError(f"unknown search mode {mode!r}")
    pool = max(CANDIDATES, k * 4)
    dense: list[tuple[str, float]] = []
    lexical: list[tuple[str, float]] = []
    if mode in ("hybrid", "dense"):
        dense = index.vectors().query(index.embedder().embed_query(query), pool)
    if mode in ("hybrid", "lexical"):
        lexical = index.catalog.lexical(index.collection, query, pool)
    fused = rrf([([i for i, _ in dense], DENSE_WEIGHT), ([i for i, _ in lexical], LEXICAL_WEIGHT)])
    best = sorted(fused, key=lambda i: -fused[i])[:k]
    rows = index.catalog.chunk_rows(best)
    dense_by, lexical_by = dict(dense), dict(lexical)
    hits = []
    for chunk_id in best:
        if chunk_id not in rows:
            continue  # a vector whose row a concurrent update just replaced
        text, meta = rows[chunk_id]
        hit = Hit.from_row(chunk_id, text, meta, root)
        hit.score, hit.dense, hit.lexical = fused[chunk_id], dense_by.get(chunk_id), lexical_by.get(chunk_id)
        hits.append(hit)
    return hits
