"""Hybrid retrieval: dense (Chroma) and lexical (FTS5) ranks fused by reciprocal rank, then
each chunk credited with the evidence for its file (see ``file_evidence``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .hits import Hit

if TYPE_CHECKING:
    from .index import DocIndex

RRF_K = 60
DENSE_WEIGHT = 1.0
LEXICAL_WEIGHT = 1.0
CANDIDATES = 30
# Measured on bench/questions.jsonl and checked on the held-out bench/heldout.jsonl (bench/retrieval.py).
FILE_WEIGHT = 0.5
FILE_TOP = 2


def rrf(rankings: list[tuple[list[str], float]], k: int | None = None) -> dict[str, float]:
    """Reciprocal rank fusion of several best-first id lists, each with a weight."""
    k = RRF_K if k is None else k
    scores: dict[str, float] = {}
    for ids, weight in rankings:
        for rank, chunk_id in enumerate(ids):
            scores[chunk_id] = scores.get(chunk_id, 0.0) + weight / (k + rank + 1)
    return scores


def file_evidence(scores: dict[str, float], source_of: dict[str, str], weight: float | None = None,
                  top: int | None = None) -> dict[str, float]:
    """Each chunk's score plus ``weight`` times the best ``top`` scores of other chunks of its file.

    A file that matches the question in several places is more likely the one it is about than a
    file with one lucky passage; capping at ``top`` keeps long files from winning by size alone.
    """
    weight = FILE_WEIGHT if weight is None else weight
    top = FILE_TOP if top is None else top
    by_file: dict[str, list[float]] = {}
    for chunk_id, score in scores.items():
        by_file.setdefault(source_of.get(chunk_id, chunk_id), []).append(score)
    for values in by_file.values():
        values.sort(reverse=True)
    boosted = {}
    for chunk_id, score in scores.items():
        others = by_file[source_of.get(chunk_id, chunk_id)][: top + 1]
        if score in others:
            others.remove(score)  # this chunk's own score, once
        boosted[chunk_id] = score + weight * sum(others[:top])
    return boosted


def spread(ranked: list[str], source_of: dict[str, str], k: int) -> list[str]:
    """``ranked`` with at most about half of the first ``k`` from any one file.

    File evidence lifts every chunk of a strong file; without a cap, a small folder's answer could
    see one file only and miss the single best passage elsewhere.
    """
    cap = max(2, (k + 1) // 2)
    taken: dict[str, int] = {}
    first, later = [], []
    for chunk_id in ranked:
        source = source_of.get(chunk_id, chunk_id)
        if taken.get(source, 0) < cap:
            taken[source] = taken.get(source, 0) + 1
            first.append(chunk_id)
        else:
            later.append(chunk_id)
    return first + later


def keep_best_passage(ranked: list[str], best: str, k: int) -> list[str]:
    """The passage the fusion alone ranked first keeps a place among the first ``k``, last if need be."""
    if best in ranked[:k]:
        return ranked
    rest = [i for i in ranked if i != best]
    return rest[: k - 1] + [best] + rest[k - 1 :]


def hybrid_search(index: "DocIndex", queries: list[tuple[str, float]], k: int, mode: str = "hybrid",
                  root: str = "") -> list[Hit]:
    """Fuse the dense and lexical rankings of one or more weighted queries."""
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
    ranked = sorted(fused, key=lambda i: -fused[i])
    if mode == "hybrid" and FILE_WEIGHT and ranked:
        source_of = index.catalog.sources_of(list(fused))
        # Several chunks of one file among the candidates say something only when the candidates are a
        # small part of the collection; in a small folder they are nearly all of it.
        coverage = len(fused) / max(index.catalog.chunk_count(index.collection), 1)
        fused = file_evidence(fused, source_of, FILE_WEIGHT * max(0.0, 1.0 - coverage))
        ranked = keep_best_passage(spread(sorted(fused, key=lambda i: -fused[i]), source_of, k), ranked[0], k)
    best = ranked[:k]
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
