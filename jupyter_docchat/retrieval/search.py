"""Hybrid retrieval: the dense and lexical rankings of a :class:`Retriever` fused into one list of hits.

The store side is behind the small ``Retriever`` protocol (``DocIndex`` provides one), so this module
knows nothing of SQLite, Chroma or the embedder; how rankings are fused is ``fusion``'s job.
"""

from __future__ import annotations

import re
from typing import Protocol

from jupyter_docchat.retrieval.fusion import (SHIPPED, Fusion, cap_per_file, cap_units, confirmed_first, file_evidence, fuse, ranked_ids,
                                              spared_by_both, unanimous_first)
from jupyter_docchat.retrieval.identifiers import holds, identifiers, words_of
from jupyter_docchat.retrieval.release_notes import asks_about_changes, is_release_notes
from jupyter_docchat.safe_text import searchable
from jupyter_docchat.settings import LIMITS
from jupyter_docchat.store.records import ChunkRow
from jupyter_docchat.types import Hit, SearchMode


class Retriever(Protocol):
    """What hybrid search needs of a store: two rankings, which file each chunk is from, and the chunks.

    A store with a keyword index may also offer ``term_coverage(query, ids)`` (the share of the query's
    words, by rarity, each chunk holds) and ``phrase_matches(words, query, limit)`` ((id, score, text)
    of the chunks holding those words in a row) and ``joined_terms(query)`` (the query's words in a row
    written as one that its keyword index holds); without them those levers are off.
    """

    def filled_share(self) -> float:
        """The share of chunks that have a vector (1.0 once indexing is done)."""

    def dense(self, query: str, limit: int) -> list[tuple[str, float]]:
        """(chunk id, similarity) best first, by meaning. A search of more than ``capped_hits`` asks twice for
        the same query (deeper the second time): a store that embeds it should do so once."""

    def lexical(self, query: str, limit: int) -> list[tuple[str, float]]:
        """(chunk id, score) best first, by words."""

    def sources_of(self, ids: list[str]) -> dict[str, str]:
        """Each chunk's file."""

    def pages_of(self, ids: list[str]) -> dict[str, int]:
        """The page of each chunk that has one (a PDF's)."""

    def rows(self, ids: list[str]) -> dict[str, ChunkRow]:
        """Each chunk's text and metadata (a chunk replaced since it was ranked is absent)."""


def _most_hits() -> int:
    """The largest search a user may ask for: k's limit, read from the one table of limits (a twin of it here
    was kept equal by a test alone). Without one, a search is read as deep as its own k needs."""
    return int(LIMITS["k"].high or 0)


def hybrid_search(store: Retriever, queries: list[tuple[str, float]], k: int, mode: SearchMode = "hybrid",
                  root: str = "", fusion: Fusion | None = None, explain: bool = False) -> list[Hit]:
    """The ``k`` best chunks for one or more weighted queries; ``mode`` 'hybrid', 'dense' or 'lexical'.

    With ``explain`` each hit carries its dense and lexical rank, fused score and the levers that moved it.
    """
    fusion = fusion or SHIPPED
    first = _hits(store, queries, min(k, fusion.capped_hits), mode, root, fusion, explain)
    if k <= fusion.capped_hits:
        return first
    # A search of more than ``capped_hits`` begins with the search of that many: read deeper for more hits, the
    # fused scores and the file levers changed the first ten (probe 21: a page's four chunks among them).
    shown = {hit.id for hit in first}
    rest = [hit for hit in _hits(store, queries, k, mode, root, fusion, explain) if hit.id not in shown]
    return first + rest[:k - len(first)]


def _hits(store: Retriever, queries: list[tuple[str, float]], k: int, mode: SearchMode, root: str, fusion: Fusion,
          explain: bool) -> list[Hit]:
    """hybrid_search's hits, the rankings read as deep as ``k`` needs."""
    # A lone surrogate encodes nowhere; a colour code pasted from a terminal, or a NUL, is no part of a word.
    queries = [(searchable(query), weight) for query, weight in queries]
    filled = store.filled_share() if mode == "hybrid" and (fusion.weight_by_fill or fusion.min_filled) else 1.0
    words_only = filled < fusion.min_filled
    requested = mode
    if words_only:
        mode = "lexical"  # measured: a partial dense side ranks below words alone
    # Up to ``fusion.capped_hits`` hits, the rankings are read as deep and the cap ranks as many whatever k: the
    # first five of an answer's sources are the first five of a search of ten (and of bench/retrieval.py's
    # figures), not a ranking of their own. Past them, a search of more lists the rest in fused order.
    shown_k = fusion.capped_hits
    # Never fewer than ``capped_hits`` deep: a Fusion(candidates=3) listed three hits of a search of ten.
    # Past them, as deep as the largest search needs, whatever k: the eleventh hit of a search of eleven was the
    # twelfth of one of twelve, each read 4 k deep (probe 22).
    pool = max(fusion.candidates, fusion.capped_hits) if k <= fusion.capped_hits \
        else max(fusion.candidates, 4 * max(k, _most_hits()))
    dense_lists: list[list[tuple[str, float]]] = []
    lexical_lists: list[list[tuple[str, float]]] = []
    joined = _joined(store, queries, fusion, mode)
    for (query, _), joins in zip(queries, joined):
        if mode in ("hybrid", "dense"):
            dense_lists.append(store.dense(query, pool))
        if mode in ("hybrid", "lexical"):
            # A join is one more word of the query: its terms are OR-ed, so it adds one term's weight.
            lexical_lists.append(store.lexical(" ".join([query, *joins]) if fusion.joined_words else query, pool))
    weights = [w for _, w in queries]
    coverage = None
    measure = getattr(store, "term_coverage", None)  # a store that cannot tell leaves the weights fixed
    if mode == "hybrid" and fusion.lexical_coverage and measure is not None:
        coverage = [measure(query, [lx[0][0]]).get(lx[0][0], 0.0) if lx else 0.0
                    for (query, _), lx in zip(queries, lexical_lists)]
    exact = _identifier_rankings(store, queries, pool, fusion) + _joined_rankings(store, queries, joined, pool, fusion) \
        if mode == "hybrid" else []
    lexical_times = _rare_identifier_times(store, queries, fusion) if mode == "hybrid" else None
    fused = fuse(dense_lists, lexical_lists, weights, fusion, filled, coverage, [(ids, w) for _, ids, w in exact],
                 lexical_times)
    notes: dict[str, list[str]] = {}
    source_of: dict[str, str] | None = None
    demoted: set[str] = set()
    if fusion.release_notes and requested == "hybrid" and fused and not asks_about_changes(queries[0][0]):
        source_of = store.sources_of(list(fused))
        for chunk_id in fused:
            if is_release_notes(source_of.get(chunk_id, "")):
                fused[chunk_id] *= 1.0 - fusion.release_notes
                demoted.add(chunk_id)
                if explain:
                    notes.setdefault(chunk_id, []).append(f"release notes: score x {1.0 - fusion.release_notes:g}")
    if explain:
        for name, ids, _ in exact:
            for chunk_id in ids:
                notes.setdefault(chunk_id, []).append(f"holds {name} as written")
    rows: dict[str, ChunkRow] = {}  # of the chunks whose text was already read
    shown = fused  # the score a hit shows: the one its order comes from
    if mode == "hybrid" and (fusion.file_weight or fusion.per_file):
        source_of = source_of or store.sources_of(list(fused))
        capped_by = cap_units(source_of, store.pages_of(list(fused))) if fusion.per_file and fusion.cap_pages else None
        if fusion.file_weight:  # the order counts a file's other matches: so does the score shown
            shown = file_evidence(fused, source_of, fusion.file_weight, fusion.file_top)
        promoted = []
        if fusion.dense_first_at and dense_lists and dense_lists[0]:
            promoted.append((dense_lists[0][0][0], fusion.dense_first_at))
        if fusion.sure_lexical and coverage and lexical_lists[0] and coverage[0] >= fusion.sure_lexical:
            promoted.append((lexical_lists[0][0][0], fusion.sure_at))
        if fusion.confirmed_depth and dense_lists and lexical_lists:
            first = confirmed_first(dense_lists[0], lexical_lists[0], source_of, fusion.confirmed_depth,
                                    fusion.confirmed_sides)
            if first:
                promoted.append((first, 1))
        unanimous = unanimous_first(dense_lists + lexical_lists)  # not kept first when release notes (above)
        spared = spared_by_both(dense_lists, lexical_lists, fusion.cap_spares)
        ranked = ranked_ids(fused, shown_k, fusion, source_of, None if unanimous in demoted else unanimous,
                            notes if explain else None, promoted, capped_by, spared)
        if fusion.dedupe:
            before = set(ranked[:k])
            ranked, rows = _without_repeats(store, ranked, fusion.dedupe, capped_by or source_of, fusion.per_file, shown_k, spared,
                                            fusion.near_repeat, fusion.near_smaller, fusion.near_bigger,
                                            shown, fusion.cap_floor)
            if explain:
                for chunk_id in ranked[:k]:
                    if chunk_id not in before:
                        notes.setdefault(chunk_id, []).append("moved up: a chunk above it repeated a better-ranked source's text")
        best = ranked[:k]
    else:
        best = sorted(fused, key=lambda i: -fused[i])[:k]
    dense_by = {i: s for pairs in reversed(dense_lists) for i, s in pairs}
    lexical_by = {i: s for pairs in reversed(lexical_lists) for i, s in pairs}
    missing = [i for i in best if i not in rows]
    if missing:
        rows.update(store.rows(missing))
    hits = []
    for chunk_id in best:
        if chunk_id not in rows:
            continue  # a vector whose row a concurrent update just replaced
        text, meta = rows[chunk_id]
        hit = Hit.from_row(chunk_id, text, meta, root)
        hit.score, hit.dense, hit.lexical = shown[chunk_id], dense_by.get(chunk_id), lexical_by.get(chunk_id)
        if explain:
            levers = notes.get(chunk_id, [])
            if words_only:
                levers = [f"words only: {filled:.0%} of chunks have a vector"] + levers
            hit.explain = {"dense_rank": _best_rank(dense_lists, chunk_id), "lexical_rank": _best_rank(lexical_lists, chunk_id),
                           "fused": round(fused[chunk_id], 5), "levers": levers}
        hits.append(hit)
    return hits


def _identifier_rankings(store: Retriever, queries: list[tuple[str, float]], pool: int,
                         fusion: Fusion) -> list[tuple[str, list[str], float]]:
    """Per identifier a query names, the chunks holding it as written, best for the query first, each
    ranking weighted by ``fusion.identifier_weight`` shared among the query's identifiers: (identifier,
    ids, weight)."""
    lookup = getattr(store, "phrase_matches", None)  # a store without a keyword index has none
    if not fusion.identifier_weight or lookup is None:
        return []
    out = []
    for query, weight in queries:
        names = identifiers(query)
        for name in names:
            ids = [i for i, _, text in lookup(words_of(name), query, pool * 4) if holds(text, name)]
            if ids:
                out.append((name, ids[:pool], fusion.identifier_weight * weight / len(names)))
    return out


def _joined(store: Retriever, queries: list[tuple[str, float]], fusion: Fusion, mode: SearchMode) -> list[list[str]]:
    """Per query, its words in a row written as one that the store's keyword index holds (none when both join
    levers are off, the search is by meaning alone, or the store has no keyword index)."""
    lookup = getattr(store, "joined_terms", None)
    wanted = fusion.joined_words and mode != "dense" or fusion.joined_weight and mode == "hybrid"
    if not wanted or lookup is None:
        return [[] for _ in queries]
    return [lookup(query) for query, _ in queries]


def _joined_rankings(store: Retriever, queries: list[tuple[str, float]], joined: list[list[str]], pool: int,
                     fusion: Fusion) -> list[tuple[str, list[str], float]]:
    """Per join of a query's words, the chunks holding it as a name of its own, best for the query first, weighted by
    ``fusion.joined_weight`` shared among the query's joins: (join, ids, weight)."""
    lookup = getattr(store, "phrase_matches", None)
    if not fusion.joined_weight or lookup is None:
        return []
    out = []
    for (query, weight), joins in zip(queries, joined):
        for name in joins:
            # Best for the query's words first; a terse list holding the name and none of them ranked by it alone.
            matches = lookup([name], query, pool * 4) or lookup([name], "", pool * 4)
            ids = [i for i, _, text in matches if holds(text, name)]
            if ids:
                out.append((name, ids[:pool], fusion.joined_weight * weight / len(joins)))
    return out


def _rare_identifier_times(store: Retriever, queries: list[tuple[str, float]], fusion: Fusion) -> list[float] | None:
    """Per query, ``fusion.rare_lexical`` when it names an identifier that between one and ``fusion.rare_identifier``
    chunks hold as written, else 1 (None when the lever is off or the store has no keyword index)."""
    lookup = getattr(store, "phrase_matches", None)
    if not fusion.rare_identifier or lookup is None:
        return None
    # Read a few more phrase matches than the bound: a phrase's words in a row are not always the identifier as
    # written (``--port`` is also "the port"), and a common identifier must not look rare because the first
    # matches happened to be of the other kind.
    depth = 4 * fusion.rare_identifier + 20
    out = []
    for query, _ in queries:
        rare = False
        for name in identifiers(query):
            matches = lookup(words_of(name), "", depth)
            held = sum(holds(text, name) for _, _, text in matches)
            if 0 < held <= fusion.rare_identifier and len(matches) < depth:
                rare = True
                break
        out.append(fusion.rare_lexical if rare else 1.0)
    return out


def _best_rank(rankings: list[list[tuple[str, float]]], chunk_id: str) -> int | None:
    """The chunk's best 1-based rank over the queries' rankings, None where no ranking holds it."""
    ranks = [n for pairs in rankings for n, (i, _) in enumerate(pairs, 1) if i == chunk_id]
    return min(ranks) if ranks else None


_TEX_COMMAND = re.compile(r"\\[A-Za-z@]+\*?")
_PLAIN_WORD = re.compile(r"[^\W_]+")


def _plain_words(text: str) -> list[str]:
    """The words of a text as its renderings share them: a TeX source's ``\\kbd{pari\\_init}`` and its PDF's
    "pari init", a page's "Default: 300" and another's "default 300"."""
    return _PLAIN_WORD.findall(_TEX_COMMAND.sub(" ", text).lower())


# An earlier chunk shorter than this many word triples (a line: a one-line code sample, a table row, a heading)
# is not a passage another chunk repeats: counted against it, the longer chunk holding the line and the steps
# around it ("Run pip install walrus-ferry --upgrade in a terminal, then restart ...") was moved below unrelated
# chunks (probe 13). A passage cut at other places in a page and a PDF is longer than this.
_SMALLEST_PASSAGE = 12


def _measure(triples: set[tuple[str, str, str]], other: set[tuple[str, str, str]], smaller: bool) -> int:
    """How many of its word triples a chunk must share (times ``near``) with an earlier one to repeat it."""
    if smaller and _SMALLEST_PASSAGE <= len(other) < len(triples):
        return len(other)
    return len(triples)


def _repeats(shared: int, triples: set[tuple[str, str, str]], other: set[tuple[str, str, str]], near: float,
             smaller: bool, bigger: float) -> bool:
    """Whether a chunk sharing ``shared`` word triples with an earlier one repeats it (Fusion.near_repeat, near_smaller,
    near_bigger)."""
    if shared < near * _measure(triples, other, smaller):
        return False
    # The share of its own triples: a chunk below a bigger one that holds it all (a sentence copied from a page) still
    # repeats it; counted against the bigger one's, a page 3.3 times its size no longer hid the copy.
    return not (smaller and bigger) or shared >= bigger * len(triples)


def _without_repeats(store: Retriever, ranked: list[str], depth: int, source_of: dict[str, str],
                     per_file: int, k: int, spared: frozenset[str] = frozenset(),
                     near: float = 0.0, smaller: bool = False, bigger: float = 0.0,
                     scores: dict[str, float] | None = None, floor: float = 0.0) -> tuple[list[str], dict[str, ChunkRow]]:
    """``ranked`` with each chunk whose text (white space aside) an earlier chunk already holds moved to
    the end, among the first ``depth``: a folder holding a page twice (a copy, a compilation of
    newsletters and the newsletters) shows it once, and its slot goes to another file. With ``near``, a
    chunk that many of whose word triples one earlier chunk holds is a repeat too. Also the rows read to
    compare them."""
    head = ranked[:depth]
    rows = store.rows(head)
    seen: set[str] = set()
    kept_triples: list[set[tuple[str, str, str]]] = []
    kept: list[str] = []
    repeats: list[str] = []
    for chunk_id in head:
        words = rows[chunk_id].text.split() if chunk_id in rows else [chunk_id]
        text = " ".join(words)
        if near and smaller and chunk_id in rows:
            words = _plain_words(rows[chunk_id].text)
        triples = set(zip(words, words[1:], words[2:])) if near else set()
        repeat = text in seen or bool(triples) and any(
            _repeats(len(triples & other), triples, other, near, smaller, bigger) for other in kept_triples)
        (repeats if repeat else kept).append(chunk_id)
        seen.add(text)
        if not repeat and triples:
            kept_triples.append(triples)
    return cap_per_file(kept, source_of, per_file, k, spared, scores, floor) + repeats + ranked[depth:], rows
