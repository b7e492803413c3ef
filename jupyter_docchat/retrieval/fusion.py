"""How a dense and a lexical ranking become one: reciprocal-rank or convex fusion, and the file levers.

Every lever is a field of :class:`Fusion`, so ``bench/retrieval.py`` can switch each one on and off
per corpus; ``SHIPPED`` is the set that was kept. A lever is kept only if it lowers R@5 on no
development corpus and raises the mean (the rule and the figures are in the README).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True)
class Fusion:
    """How the two rankings become one."""

    method: str = "rrf"  # "rrf": reciprocal rank; "convex": weighted sum of min-max normalised scores
    # How deep each ranking is read for up to ``capped_hits`` hits (beyond, four times the hits asked for). A search
    # of five read 30 deep and one of ten 40: %%ask's five sources were not the first five of `docchat search`'s ten
    # (8 of 12 questions of a walk over Celery's manual), nor those of bench/retrieval.py's figures. 40 for all
    # lost 3 answers on the tuning halves of sdist and handbook.
    candidates: int = 30
    # The cap and the other file levers rank the first this many hits, whatever k: a search of 50 lists the
    # third chunk of a page after them, where the cap over all 50 hid it (a walk over Black's manual).
    capped_hits: int = 10
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
    # The cap counts a paged document (a PDF) by its pages: a 300-page manual is many pages, not one page of
    # a site, and the cap of two let two chunks of its wrong pages shut out the right one. Off: more chunks of
    # one PDF pushed other expected files out (R@5 latex .875 -> .781 on its tuning half; bench/README.md).
    cap_pages: bool = False
    # A chunk that both sides rank among their first ``cap_spares`` is shown whatever the cap says (a manual's third
    # chunk, dense 2 and lexical 5, gave way to chunks neither ranking put in its first ten). Off: 5 was the same by
    # file on every tuning half but lost one at R@5 on mixed's test half (m44; bench/README.md, "Tables offline").
    cap_spares: int = 0
    # A chunk the cap moves up must score at least this share of the one it holds back (0: any): the cap filled a
    # manual's five sources with its changelog's chunks at a fifth of the held-back ones' scores (walk 25).
    cap_floor: float = 0.0
    # A chunk whose text a better-ranked chunk already holds goes to the end, looked for among this many
    # of the first (0: off).
    dedupe: int = 0
    # Among those, a chunk that much of whose runs of three words (this share or more) a better-ranked chunk
    # already holds counts as a repeat too: a page and its twin that differ in a title or a type name (a
    # function and its large-count variant, a manual and its printable copy) (0: exact repeats only).
    near_repeat: float = 0.0
    # ... counted as a share of the smaller of the two chunks' triples, the words compared in lower case without
    # punctuation or TeX commands: the same passage in a manual's HTML pages and in its PDF is cut at other
    # places (a PDF chunk shares 0.5-0.8 of its triples with its page's), and a chunk's text is then mostly the
    # other's or the other mostly its.
    near_smaller: bool = False
    # ... and shared by at least this share of the later chunk's own triples too (0: any), the bigger one's where the
    # earlier is smaller: a page that holds a one-sentence page and goes on with the steps after it says more than it,
    # and was moved below unrelated chunks (probe 14). A sentence below the page it was copied from still repeats it.
    near_bigger: float = 0.0
    # Per query, move this share of the weight to the side whose first scores stand out from the rest of
    # its first ``confidence_depth`` (0: the fixed weights alone). See side_weights.
    adapt: float = 0.0
    confidence_depth: int = 10
    confidence: str = "gap"  # how a side's confidence is read from its scores: "gap" or "z"
    # Per query, the lexical weight times c ** lexical_coverage, c being the share of the query's words
    # (by rarity) that the lexical side's first chunk holds: words alone are trusted as far as their best
    # match holds what was asked, not when it shares one common word with a paraphrase (0: off).
    lexical_coverage: float = 0.0
    # A ranking of the chunks that hold an identifier of the question as written (``--port``,
    # ``SECRET_KEY``), fused with this weight shared among the question's identifiers (0: off).
    identifier_weight: float = 0.0
    # The lexical side's weight times ``rare_lexical`` for a query naming an identifier as written (``SECRET_KEY``,
    # ``--port``) that at most ``rare_identifier`` chunks hold: the words then point at the few chunks that document
    # it, where meaning sees a paraphrase of many (0: off).
    rare_identifier: int = 0
    rare_lexical: float = 1.0
    # The lexical side's first chunk, when it holds at least this share of the question's words (by
    # rarity), is shown among the first ``sure_at`` whatever the other rankings say (0: off).
    sure_lexical: float = 0.0
    sure_at: int = 2
    # The dense side's first chunk is shown among the first ``dense_first_at`` (0: off).
    dense_first_at: int = 0
    # A side's first chunk goes first when the other side ranks a chunk of its file among its first
    # ``confirmed_depth`` (0: off); ``confirmed_sides`` says whose first is checked, in order.
    confirmed_depth: int = 0
    confirmed_sides: str = "dense"  # "dense", "lexical", "dense,lexical" or "lexical,dense"
    # A chunk of release notes (CHANGES, changelog, NEWS, releases/...: release_notes.py) loses this share of
    # its fused score, unless the question asks about a release or a change (0: off).
    release_notes: float = 0.0
    # The lexical side also looks for the question's words in a row written as one, where a chunk writes that join
    # as a name (``stores true``: ``storeTrue``; ``add subparsers``: ``addSubparsers``): one more term of the OR.
    # Off (branch camel38): on the tuning halves the hybrid moved one question (pyfai R@5 +1) and words alone four
    # (django R@1 +1, pyfai R@5 +1, sphinx R@1 -1, sdist R@1 -1 and R@5 -1: a rare join such as "parametertype"
    # outweighs the question's other words); walk 36's sources kept their first file and one offline answer got
    # worse (an ArgumentParser's factory answered with addArgumentGroup).
    joined_words: bool = False
    # The chunks holding such a join as a name of its own, as written in any case (``Arguments.storeTrue()``, not
    # ``StoreTrueArgumentAction``), are a ranking fused with this weight shared among the query's joins (0: off).
    # Off: at 2 it put walk 36's storeTrue pages first and answered newArgumentParser, but lost R@1 on sphinx (1),
    # sdist (1) and pyfai (2) of the tuning halves; at 1 it lost sdist's and pyfai's R@1 and pyfai's R@5, and gained none.
    joined_weight: float = 0.0

    def but(self, **changes: Any) -> "Fusion":
        return replace(self, **changes)


# Kept by bench/retrieval.py's rule on sqlite, handbook, django and latex (git held out): a cap of two
# chunks per file, the dense side counted twice, RRF k=20, a little file evidence; words alone
# below 90 % of vectors; a text a better-ranked source already shows is not shown twice (latex R@5 +1).
# Reading each ranking 60 deep loses one on latex's R@5 and offline answers on django: not kept. Near repeats
# (0.8 of word triples): no tuning half's R@1 or R@5 moved (0.6-0.9), five first-five lists did; offline
# answers on the tuning halves of those corpora the same but git +1. Counted against the smaller chunk in plain
# words (near_smaller): no tuning half moved either; on Asymptote's manual (HTML pages beside asymptote.pdf)
# 150 questions made of its headings had a passage twice in 15 first-five lists, 8 with it. The shared triples
# also 0.3 of the bigger chunk's (near_bigger): no tuning half moved, Asymptote's lists 9 (0.5: 13).
# A chunk the cap moves up scores at least 0.35 of the one it holds back (cap_floor): no tuning half moved at 0.2, 0.35
# or 0.5 (0.7 lost handbook's R@5, 0.9 git's and sphinx's too); over bzip2's manual as HTML and PDF beside its
# changelogs, the changelogs' chunks at a fifth of the manual's no longer fill the five (walk 25).
SHIPPED = Fusion(rrf_k=20, dense_weight=2.0, per_file=2, file_weight=0.2, min_filled=0.9, weight_by_fill=True, dedupe=30,
                 release_notes=0.5, near_repeat=0.8, near_smaller=True, near_bigger=0.3, cap_floor=0.35)

# Issue 24's levers that read the question, as chosen on the tuning halves: the lexical side weighs
# 2 x c ** 3, c the share of the question's words (by rarity) its first chunk holds (as much as the
# dense side when that chunk holds them all, next to nothing when it shares one common word with a
# paraphrase); that chunk goes first when c >= 0.9; the chunks holding an identifier the question
# names as written are a third ranking. On the tuning halves of six corpora it won 17 first sources
# and lost 3; on the test halves it won 7 and lost 21 (bench/README.md), so it is not shipped.
ADAPTIVE = SHIPPED.but(lexical_weight=2.0, lexical_coverage=3.0, sure_lexical=0.9, sure_at=1, identifier_weight=1.0)

# Agreement between the lists (branch fusion2): the dense side's first chunk goes first when words rank a
# chunk of its file among their first three. On the tuning halves of the eight corpora it raised R@1 from
# .642 to .668 (no corpus lost, R@5 the same) but left issue 24's rule broken on handbook's R@1 and git's
# R@5. Run once on the test halves as a gate: mean .696/.866 against the shipped .695/.866 (bench/README.md).
CONFIRMED = SHIPPED.but(confirmed_depth=3)
# The same agreement chosen by leaving one corpus out (branch fusion4, bench/fusion_loo.py): the first chunk of the dense
# side, else of the lexical side, goes first when the other side ranks a chunk of its file among its first five. It
# was the setting chosen without each of sqlite, handbook, sdist and pyfai but one (dense side only), and never broke
# issue 24's rule on the tuning half left out; on the test halves it lost sqlite's R@1 (.676 -> .618) and pyfai's
# (.429 -> .381) and won none, so it is not shipped.
AGREED = SHIPPED.but(confirmed_depth=5, confirmed_sides="dense,lexical")


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


def cap_units(source_of: dict[str, str], page_of: dict[str, int]) -> dict[str, str]:
    """What the cap counts each chunk as: its file, or its file's page when it has one (Fusion.cap_pages)."""
    return {i: f"{source}\x00{page_of[i]}" if i in page_of else source for i, source in source_of.items()}


def cap_per_file(ranked: list[str], source_of: dict[str, str], per_file: int, k: int,
                 spared: frozenset[str] = frozenset(), scores: dict[str, float] | None = None,
                 floor: float = 0.0) -> list[str]:
    """``ranked`` with at most ``per_file`` chunks of one file among the first ``k`` (but for those ``spared``);
    order kept otherwise. With ``floor`` (and ``scores``), a chunk the cap would move up in place of one it holds
    back must score at least ``floor`` times that one, else the held-back chunk keeps its place (Fusion.cap_floor)."""
    if per_file <= 0:
        return ranked
    taken: dict[str, int] = {}
    first: list[str] = []
    held: list[str] = []  # over the cap, in order
    score = scores or {}
    for chunk_id in ranked:
        if len(first) >= k:
            break
        source = source_of.get(chunk_id, chunk_id)
        if taken.get(source, 0) >= per_file and chunk_id not in spared:
            held.append(chunk_id)
            continue
        while floor and held and len(first) < k and score.get(chunk_id, 0.0) < floor * score.get(held[0], 0.0):
            first.append(held.pop(0))
        if len(first) < k:
            taken[source] = taken.get(source, 0) + 1
            first.append(chunk_id)
    chosen = set(first)
    return first + [i for i in ranked if i not in chosen]


def confidence(pairs: list[tuple[str, float]], depth: int = 10, how: str = "gap") -> float:
    """How clearly a ranking's first scores stand out from the rest of its first ``depth``, in [0, 1].

    "gap": the share of the spread between the first and the ``depth``-th score that lies between the
    first and the mean of the others: 1 when the first stands alone, near 0 when all are alike.
    "z": how many standard deviations the first is above the others' mean, over 1 + that (so in [0, 1)).
    Scale-free, so a cosine similarity and a BM25 score compare. Fewer than three scores: 0 (no evidence).
    """
    values = [s for _, s in pairs[:depth]]
    if len(values) < 3:
        return 0.0
    top, rest = values[0], values[1:]
    mean = statistics.fmean(rest)
    if how == "z":
        spread = statistics.pstdev(rest)
        z = (top - mean) / spread if spread > 0 else 0.0
        return max(z, 0.0) / (1.0 + max(z, 0.0))
    span = top - min(values)
    return min(max((top - mean) / span, 0.0), 1.0) if span > 0 else 0.0


def side_weights(dense: list[tuple[str, float]], lexical: list[tuple[str, float]], fusion: Fusion) -> tuple[float, float]:
    """The dense and lexical weights of one query, each in [0, 1] and summing to 1: the fixed weights'
    shares, with ``fusion.adapt`` of the total moved to each side by its share of the confidence.
    A side without results gets nothing; both without evidence keep the fixed shares."""
    total = fusion.dense_weight + fusion.lexical_weight
    prior = fusion.dense_weight / total if total > 0 else 0.5
    if not dense or not lexical:
        return (1.0, 0.0) if dense else (0.0, 1.0) if lexical else (prior, 1.0 - prior)
    if fusion.adapt <= 0:
        return prior, 1.0 - prior
    conf_d = confidence(dense, fusion.confidence_depth, fusion.confidence)
    conf_l = confidence(lexical, fusion.confidence_depth, fusion.confidence)
    share = conf_d / (conf_d + conf_l) if conf_d + conf_l > 0 else prior
    weight = (1.0 - fusion.adapt) * prior + fusion.adapt * share
    return weight, 1.0 - weight


def fuse(dense: list[list[tuple[str, float]]], lexical: list[list[tuple[str, float]]], weights: list[float],
         fusion: Fusion, filled: float = 1.0, coverage: list[float] | None = None,
         exact: list[tuple[list[str], float]] | None = None, lexical_times: list[float] | None = None) -> dict[str, float]:
    """One score per chunk from the dense and lexical (id, score) lists of each weighted query.

    ``filled`` is the share of the collection's chunks that have a vector (1.0 once indexing is done);
    ``coverage``, per query, the share of its words the lexical side's first chunk holds (``lexical_coverage``);
    ``exact``, more best-first id lists with their weights (the chunks holding an identifier);
    ``lexical_times``, per query, what the lexical weight is multiplied by (``rare_identifier``).
    """
    fill = filled if fusion.weight_by_fill else 1.0
    total = fusion.dense_weight + fusion.lexical_weight
    sides = []  # (dense pairs, lexical pairs, dense weight, lexical weight) per query
    for n, w in enumerate(weights):
        d = dense[n] if n < len(dense) else []
        lx = lexical[n] if n < len(lexical) else []
        if fusion.adapt > 0 and d and lx:
            wd, wl = side_weights(d, lx, fusion)
            sides.append((d, lx, total * wd * fill * w, total * wl * w))
        else:
            sides.append((d, lx, fusion.dense_weight * fill * w, fusion.lexical_weight * w))
        if fusion.lexical_coverage and coverage is not None and d and n < len(coverage):
            d_, lx_, wd_, wl_ = sides[-1]
            sides[-1] = (d_, lx_, wd_, wl_ * min(max(coverage[n], 0.0), 1.0) ** fusion.lexical_coverage)
        if lexical_times is not None and n < len(lexical_times):
            d_, lx_, wd_, wl_ = sides[-1]
            sides[-1] = (d_, lx_, wd_, wl_ * lexical_times[n])
    exact = exact or []
    if fusion.method == "convex":
        return convex([(d, wd) for d, _, wd, _ in sides] + [(lx, wl) for _, lx, _, wl in sides]
                      + [([(i, -float(n)) for n, i in enumerate(ids)], w) for ids, w in exact])
    rankings = [([i for i, _ in d], wd) for d, _, wd, _ in sides]
    rankings += [([i for i, _ in lx], wl) for _, lx, _, wl in sides]
    return rrf(rankings + exact, fusion.rrf_k)


def spared_by_both(dense: list[list[tuple[str, float]]], lexical: list[list[tuple[str, float]]],
                   depth: int) -> frozenset[str]:
    """The chunks one query's dense and lexical rankings both put among their first ``depth`` (Fusion.cap_spares)."""
    if depth <= 0:
        return frozenset()
    out: set[str] = set()
    for d, lx in zip(dense, lexical):
        out |= {i for i, _ in d[:depth]} & {i for i, _ in lx[:depth]}
    return frozenset(out)


def ranked_ids(fused: dict[str, float], k: int, fusion: Fusion, source_of: dict[str, str],
               unanimous: str | None = None, notes: dict[str, list[str]] | None = None,
               promoted: list[tuple[str, int]] | None = None, capped_by: dict[str, str] | None = None,
               spared: frozenset[str] = frozenset()) -> list[str]:
    """The fused ids best first, after the file levers that are on. ``unanimous``, the chunk every
    input ranking put first, stays first: a file's other matches must not outvote that agreement.
    ``notes``, when given, collects per id what each lever did to it (for ``explain``). ``capped_by``:
    what the cap counts each chunk as (its file unless given: cap_units)."""
    ranked = sorted(fused, key=lambda i: -fused[i])
    if not ranked or not (fusion.file_weight or fusion.per_file):
        return ranked
    before = {i: n for n, i in enumerate(ranked)}
    boosted = fused  # the scores the order comes from, which the cap's floor compares
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
    for chunk_id, at in promoted or []:
        if chunk_id in fused and ranked.index(chunk_id) >= at:
            ranked.remove(chunk_id)
            ranked.insert(at - 1, chunk_id)
            if notes is not None:
                notes.setdefault(chunk_id, []).append(f"moved up to {at}: a ranking put it first with strong evidence")
    capped = cap_per_file(ranked, capped_by or source_of, fusion.per_file, k, spared, boosted, fusion.cap_floor)
    if notes is not None:
        for n, i in enumerate(capped[:k]):
            if n < before[i] and i in ranked[k:]:
                notes.setdefault(i, []).append(f"moved up by the cap of {fusion.per_file} chunks per file")
        for i in capped[:k]:
            if i in spared and sum(source_of.get(j) == source_of.get(i) for j in capped[:k]) > fusion.per_file:
                notes.setdefault(i, []).append(f"past the cap: both rankings put it among their first {fusion.cap_spares}")
    return capped


def unanimous_first(rankings: list[list[tuple[str, float]]]) -> str | None:
    firsts = {pairs[0][0] for pairs in rankings if pairs}
    return firsts.pop() if len(firsts) == 1 and all(rankings) else None


def confirmed_first(dense: list[tuple[str, float]], lexical: list[tuple[str, float]], source_of: dict[str, str],
                    depth: int, sides: str = "dense") -> str | None:
    """The first chunk of a side whose file the other side also ranks among its first ``depth`` chunks:
    the sides are tried in ``sides``' order ("dense", "lexical" or both, comma-separated); None when
    no side's first is confirmed so (or a side has no results)."""
    if not dense or not lexical or depth <= 0:
        return None
    lists = {"dense": (dense, lexical), "lexical": (lexical, dense)}
    for name in sides.split(","):
        mine, other = lists[name]
        file = source_of.get(mine[0][0], mine[0][0])
        if file in {source_of.get(i, i) for i, _ in other[:depth]}:
            return mine[0][0]
    return None
