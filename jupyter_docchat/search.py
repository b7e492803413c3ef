"""Hybrid retrieval: the dense (Chroma) and lexical (FTS5) rankings fused into one.

Every lever is a field of :class:`Fusion`, so ``bench/retrieval.py`` can switch each one on and off
per corpus; ``SHIPPED`` is the set that was kept. A lever is kept only if it lowers R@5 on no
development corpus and raises the mean (the rule and the figures are in the README).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from .hits import Hit

if TYPE_CHECKING:
    from .index import DocIndex

CANDIDATES = 30


@dataclass(frozen=True)
class Fusion:
    """How the two rankings become one."""

    method: str = "rrf"  # "rrf": reciprocal rank; "convex": weighted sum of min-max normalised scores
    rrf_k: int = 60
    dense_weight: float = 1.0
    lexical_weight: float = 1.0
    # While vectors are still being computed the dense ranking sees only part of the collection: below
    # min_filled (the share of chunks with a vector) rank exactly as lexical-only; above, weight_by_fill
    # scales the dense weight by that share.
    min_filled: float = 0.0
    weight_by_fill: bool = False
    # Credit each chunk with the best other scores of its file (0 turns it off).
    file_weight: float = 0.0
    file_top: int = 2
    # At most this many chunks of one file among the first k (0: no cap); the rest follow.
    per_file: int = 0

    def but(self, **changes: object) -> "Fusion":
        return replace(self, **changes)


# Kept by bench/retrieval.py's rule on sqlite, handbook, django and latex (git held out): a cap of two
# chunks per file, the dense side counted twice, RRF k=20, a little file evidence; words alone
# below 90 % of vectors.
SHIPPED = Fusion(rrf_k=20, dense_weight=2.0, per_file=2, file_weight=0.2, min_filled=0.9, weight_by_fill=True)


def rrf(rankings: list[tuple[list[str], float]], k: int = 60) -> dict[str, float]:
    """Reciprocal rank fusion of several best-first id lists, each with a weight."""
    scores: dict[str, float] = {}
    for ids, weight in rankings:
        for rank, chunk_id in enumerate(ids):
            scores[chunk_id] = scores.get(chunk_id, 0.0) + weight / (k + rank + 1)
    return scores


def convex(scored: list[tuple[list[tuple[str, float]], float]]) -> dict[str, float]:
    """Weighted sum of each ranking's scores, min-max normalised within the ranking (absent: 0)."""
    fused: dict[str, float] = {}
    for pairs, weight in scored:
        if not pairs:
            continue
        values = [s for _, s in pairs]
        low, high = min(values), max(values)
        span = (high - low) or 1.0
        for chunk_id, value in pairs:
            fused[chunk_id] = fused.get(chunk_id, 0.0) + weight * (value - low) / span
    return fused


def file_evidence(scores: dict[str, float], source_of: dict[str, str], weight: float, top: int = 2) -> dict[str, float]:
    """Each chunk's score plus ``weight`` times the best ``top`` scores of other chunks of its file."""
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


def cap_per_file(ranked: list[str], source_of: dict[str, str], per_file: int, k: int) -> list[str]:
    """``ranked`` with at most ``per_file`` chunks of one file among the first ``k``; order kept otherwise."""
    if per_file <= 0:
        return ranked
    taken: dict[str, int] = {}
    first, later = [], []
    for chunk_id in ranked:
        source = source_of.get(chunk_id, chunk_id)
        if len(first) < k and taken.get(source, 0) < per_file:
            taken[source] = taken.get(source, 0) + 1
            first.append(chunk_id)
        else:
            later.append(chunk_id)
    return first + later


def fuse(dense: list[list[tuple[str, float]]], lexical: list[list[tuple[str, float]]], weights: list[float],
         fusion: Fusion, filled: float = 1.0) -> dict[str, float]:
    """One score per chunk from the dense and lexical (id, score) lists of each weighted query.

    ``filled`` is the share of the collection's chunks that have a vector (1.0 once indexing is done).
    """
    dense_weight = fusion.dense_weight * (filled if fusion.weight_by_fill else 1.0)
    if fusion.method == "convex":
        parts = [(d, dense_weight * w) for d, w in zip(dense, weights)]
        parts += [(lx, fusion.lexical_weight * w) for lx, w in zip(lexical, weights)]
        return convex(parts)
    rankings = [([i for i, _ in d], dense_weight * w) for d, w in zip(dense, weights)]
    rankings += [([i for i, _ in lx], fusion.lexical_weight * w) for lx, w in zip(lexical, weights)]
    return rrf(rankings, fusion.rrf_k)


def ranked_ids(fused: dict[str, float], k: int, fusion: Fusion, source_of: dict[str, str],
               unanimous: str | None = None, notes: dict[str, list[str]] | None = None) -> list[str]:
    """The fused ids best first, after the file levers that are on. ``unanimous``, the chunk every
    input ranking put first, stays first: a file's other matches must not outvote that agreement.
    ``notes``, when given, collects per id what each lever did to it (for ``explain``)."""
    ranked = sorted(fused, key=lambda i: -fused[i])
    if not ranked or not (fusion.file_weight or fusion.per_file):
        return ranked
    before = {i: n for n, i in enumerate(ranked)}
    if fusion.file_weight:
        boosted = file_evidence(fused, source_of, fusion.file_weight, fusion.file_top)
        ranked = sorted(boosted, key=lambda i: -boosted[i])
        if notes is not None:
            for i in ranked[:k]:
                if boosted[i] > fused[i]:
                    notes.setdefault(i, []).append(f"file evidence +{boosted[i] - fused[i]:.4f}")
    if unanimous in fused:
        ranked = [unanimous] + [i for i in ranked if i != unanimous]
        if notes is not None:
            notes.setdefault(unanimous, []).append("kept first: every ranking put it first")
    capped = cap_per_file(ranked, source_of, fusion.per_file, k)
    if notes is not None:
        for n, i in enumerate(capped[:k]):
            if n < before[i] and i in ranked[k:]:
                notes.setdefault(i, []).append(f"moved up by the cap of {fusion.per_file} chunks per file")
    return capped


def unanimous_first(rankings: list[list[tuple[str, float]]]) -> str | None:
    firsts = {pairs[0][0] for pairs in rankings if pairs}
    return firsts.pop() if len(firsts) == 1 and all(rankings) else None


def hybrid_search(index: "DocIndex", queries: list[tuple[str, float]], k: int, mode: str = "hybrid",
                  root: str = "", fusion: Fusion | None = None, explain: bool = False) -> list[Hit]:
    """The ``k`` best chunks for one or more weighted queries; ``mode`` 'hybrid', 'dense' or 'lexical'.

    With ``explain`` each hit carries its dense and lexical rank, fused score and the levers that moved it.
    """
    fusion = fusion or SHIPPED
    filled = index.filled_share() if mode == "hybrid" and (fusion.weight_by_fill or fusion.min_filled) else 1.0
    words_only = filled < fusion.min_filled
    if words_only:
        mode = "lexical"  # measured: a partial dense side ranks below words alone
    pool = max(CANDIDATES, k * 4)
    dense_lists: list[list[tuple[str, float]]] = []
    lexical_lists: list[list[tuple[str, float]]] = []
    for query, _ in queries:
        if mode in ("hybrid", "dense"):
            dense_lists.append(index.vectors().query(index.embedder().embed_query(query), pool))
        if mode in ("hybrid", "lexical"):
            lexical_lists.append(index.catalog.lexical(index.collection, query, pool))
    weights = [w for _, w in queries]
    fused = fuse(dense_lists, lexical_lists, weights, fusion, filled)
    notes: dict[str, list[str]] = {}
    if mode == "hybrid" and (fusion.file_weight or fusion.per_file):
        source_of = index.catalog.sources_of(list(fused))
        best = ranked_ids(fused, k, fusion, source_of, unanimous_first(dense_lists + lexical_lists),
                          notes if explain else None)[:k]
    else:
        best = sorted(fused, key=lambda i: -fused[i])[:k]
    dense_by = {i: s for pairs in reversed(dense_lists) for i, s in pairs}
    lexical_by = {i: s for pairs in reversed(lexical_lists) for i, s in pairs}
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
        if explain:
            levers = notes.get(chunk_id, [])
            if words_only:
                levers = [f"words only: {filled:.0%} of chunks have a vector"] + levers
            hit.explain = {"dense_rank": _best_rank(dense_lists, chunk_id), "lexical_rank": _best_rank(lexical_lists, chunk_id),
                           "fused": round(fused[chunk_id], 5), "levers": levers}
        hits.append(hit)
    return hits


def _best_rank(rankings: list[list[tuple[str, float]]], chunk_id: str) -> int | None:
    """The chunk's best 1-based rank over the queries' rankings, None where no ranking holds it."""
    ranks = [n for pairs in rankings for n, (i, _) in enumerate(pairs, 1) if i == chunk_id]
    return min(ranks) if ranks else None
