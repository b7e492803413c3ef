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


def rrf(rankings: list[tuple[list[str], float]], k: int | None = None) -> dict[str, float]:
    """Reciprocal rank fusion of several best-first id lists, each with a weight."""
    k = RRF_K if k is None else k
    scores: dict[str, float] = {}
    for ids, weight in rankings:
        for rank, chunk_id in enumerate(ids):
            scores[chunk_id] = scores.get(chunk_id, 0.0) + weight / (k + rank + 1)
    return scores


def hybrid_search(index: "DocIndex", queries: list[tuple[str, float]], k: int, mode: str = "hybrid",
                  root: str = "") -> list[Hit]:
    """Fuse the dense and lexical rankings of one or more weighted queries."""
    if mode not in ("hybrid", "dense", "lexical"):
        raise ValueError(f"unknown search mode {mode!r}")
    pool = max(CANDIDATES, k * 4)
    rankings: list[tuple[list[str], float]] = []
    dense_by: dict[str, float] = {}
    lexical_by: dict[str, float] = {}
    for query, weight in queries:
        if mode in ("hybrid", "dense"):
            dense = index.vectors().query(index.embedder().embed_query(query), pool)
            rankings.append(([i for i, _ in dense], DENSE_WEIGHT * weight))
            dense_by = {**dict(dense), **dense_by}
        if mode in ("hybrid", "lexical"):
            lexical = index.catalog.lexical(index.collection, query, pool)
            rankings.append(([i for i, _ in lexical], LEXICAL_WEIGHT * weight))
            lexical_by = {**dict(lexical), **lexical_by}
    fused = rrf(rankings)
    best = sorted(fused, key=lambda i: -fused[i])[:k]
    rows = index.catalog.chunk_rows(best)
    missing = [i for i in best if i not in rows]
    if missing and index.server:
        rows.update(index.vectors().rows(missing))  # written by another machine since our last sync
    hits = []
    for chunk_id in best:
        if chunk_id not in rows:
            continue  # a vector whose row a concurrent update just replaced
        text, meta = rows[chunk_id]
        hit = Hit.from_row(chunk_id, text, meta, root)
        hit.score, hit.dense, hit.lexical = fused[chunk_id], dense_by.get(chunk_id), lexical_by.get(chunk_id)
        hits.append(hit)
    return hits
