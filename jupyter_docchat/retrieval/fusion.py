"""How a dense and a lexical ranking become one: reciprocal-rank or convex fusion, and the file levers.

Every lever is a field of :class:`Fusion`, so ``bench/retrieval.py`` can switch each one on and off
per corpus; ``SHIPPED`` is the set that was kept. A lever is kept only if it lowers R@5 on no
development corpus and raises the mean (the rule and the figures are in the README).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True)
class Fusion:
    """How the two rankings become one."""

    method: str = "rrf"  # "rrf": reciprocal rank; "convex": weighted sum of min-max normalised scores
    candidates: int = 30  # how deep each ranking is read (at least four times the hits asked for)
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
    # A chunk whose text a better-ranked chunk already holds goes to the end, looked for among this many
    # of the first (0: off).
    dedupe: int = 0

    def but(self, **changes: Any) -> "Fusion":
        return replace(self, **changes)


# Kept by bench/retrieval.py's rule on sqlite, handbook, django and latex (git held out): a cap of two
# chunks per file, the dense side counted twice, RRF k=20, a little file evidence; words alone
# below 90 % of vectors; a text a better-ranked source already shows is not shown twice (latex R@5 +1).
# Reading each ranking 60 deep loses one on latex's R@5 and offline answers on django: not kept.
SHIPPED = Fusion(rrf_k=20, dense_weight=2.0, per_file=2, file_weight=0.2, min_filled=0.9, weight_by_fill=True, dedupe=30)


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
    first: list[str] = []
    later: list[str] = []
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
