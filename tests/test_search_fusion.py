"""The fusion steps of hybrid search on hand-made rankings (the whole path is tested on real stores)."""

from __future__ import annotations

from jupyter_docchat.retrieval.fusion import SHIPPED, Fusion, cap_per_file, file_evidence, fuse, ranked_ids, unanimous_first
from jupyter_docchat.retrieval.search import hybrid_search

from fixed_rankings import FixedRankings

SOURCES = {"a1": "A", "a2": "A", "a3": "A", "a4": "A", "b1": "B"}


def test_file_evidence_adds_the_best_other_chunks_of_the_same_file() -> None:
    scores = {"a1": 0.030, "a2": 0.020, "a3": 0.010, "a4": 0.005, "b1": 0.035}
    boosted = file_evidence(scores, SOURCES, weight=0.5, top=2)
    assert boosted["b1"] == 0.035  # alone in its file
    assert abs(boosted["a1"] - (0.030 + 0.5 * (0.020 + 0.010))) < 1e-12
    assert abs(boosted["a4"] - (0.005 + 0.5 * (0.030 + 0.020))) < 1e-12  # only the best two others count
    assert file_evidence(scores, SOURCES, weight=0.0) == scores


def test_cap_per_file_lets_other_files_into_the_first_k() -> None:
    ranked = ["a1", "a2", "a3", "a4", "b1"]
    assert cap_per_file(ranked, SOURCES, per_file=2, k=5) == ["a1", "a2", "b1", "a3", "a4"]
    assert cap_per_file(ranked, SOURCES, per_file=0, k=5) == ranked


def long_file_case() -> tuple[list[tuple[str, float]], list[tuple[str, float]], dict[str, str]]:
    """Both inputs put B's one passage first; a long page A matches a little everywhere after it."""
    a = [f"a{n}" for n in range(1, 12)]
    dense = [("b1", 0.9)] + [(i, 0.8 - n / 100) for n, i in enumerate(a)]
    lexical = [("b1", 9.0)] + [(i, 8.0 - n / 10) for n, i in enumerate(a)]
    return dense, lexical, {**{i: "A" for i in a}, "b1": "B"}


def test_file_evidence_cannot_push_a_passage_both_inputs_rank_first_below_its_inputs() -> None:
    dense, lexical, source_of = long_file_case()
    for weight in (SHIPPED.file_weight, 0.5, 1.0):
        fusion = SHIPPED.but(file_weight=weight)
        fused = fuse([dense], [lexical], [1.0], fusion)
        misled = ranked_ids(fused, 5, fusion, source_of)  # without the guard, A's breadth wins
        guarded = ranked_ids(fused, 5, fusion, source_of, unanimous_first([dense, lexical]))
        assert guarded[0] == "b1"  # as good as either input at rank 1
        assert "b1" in misled[:5]  # and the per-file cap alone keeps it in the sources
    assert unanimous_first([dense, [("a1", 1.0)]]) is None and unanimous_first([dense, []]) is None


def _HalfFilled(dense: list, lexical: list, source_of: dict[str, str]) -> FixedRankings:
    """Half the chunks have a vector."""
    return FixedRankings(dense, lexical, file_of=source_of.__getitem__, filled=0.5)


def test_a_half_filled_collection_ranks_no_worse_than_lexical_only() -> None:
    # The dense side sees only the filled half: here a wrong chunk c1 leads it.
    dense = [("c1", 0.9), ("a1", 0.8)]
    lexical = [("b1", 9.0), ("a1", 8.0), ("c1", 1.0)]
    index = _HalfFilled(dense, lexical, {"a1": "A", "b1": "B", "c1": "C"})
    hybrid = [h.id for h in hybrid_search(index, [("q", 1.0)], 3, "hybrid")]
    lexical_only = [h.id for h in hybrid_search(index, [("q", 1.0)], 3, "lexical")]
    assert hybrid == lexical_only == ["b1", "a1", "c1"]
    blended = [h.id for h in hybrid_search(index, [("q", 1.0)], 3, "hybrid", fusion=SHIPPED.but(min_filled=0.0))]
    assert blended[0] != "b1"  # what min_filled prevents: the partial dense side overrules words


def test_convex_fusion_normalises_each_ranking() -> None:
    fused = fuse([[("x", 0.9), ("y", 0.5)]], [[("y", 20.0), ("x", 10.0)]], [1.0], Fusion(method="convex"))
    assert fused == {"x": 1.0, "y": 1.0}


def _Texts(ranking: list[str], source_of: dict[str, str], texts: dict[str, str]) -> FixedRankings:
    """Fixed rankings over chunks with texts, every chunk with a vector."""
    pairs = [(i, 1.0 - n / 100) for n, i in enumerate(ranking)]
    return FixedRankings(pairs, pairs, file_of=source_of.__getitem__, text_of=texts.__getitem__)


def test_a_text_two_files_hold_is_shown_once_and_its_slot_goes_to_another_file() -> None:
    # newsletters.pdf compiles the newsletters: its pages repeat newsletter31.pdf's word for word.
    ranking = ["all1", "n31a", "all2", "n31b", "guide"]
    source_of = {"all1": "newsletters.pdf", "all2": "newsletters.pdf", "n31a": "newsletter31.pdf", "n31b": "newsletter31.pdf", "guide": "guide.pdf"}
    texts = {"all1": "Bold series  changed.", "n31a": "Bold series changed.", "all2": "Shapes\nchanged.",
             "n31b": "Shapes changed.", "guide": "Use \\fontseries{b}\\selectfont for bold."}
    store = _Texts(ranking, source_of, texts)
    shown = [h.id for h in hybrid_search(store, [("q", 1.0)], 3, "hybrid")]
    assert shown == ["all1", "all2", "guide"]
    kept = [h.id for h in hybrid_search(store, [("q", 1.0)], 3, "hybrid", fusion=SHIPPED.but(dedupe=0))]
    assert "guide" not in kept
    explained = hybrid_search(store, [("q", 1.0)], 3, "hybrid", explain=True)
    assert any("repeated" in lever for lever in explained[2].explain["levers"])


def test_the_cap_counts_a_paged_document_by_its_pages_when_asked() -> None:
    """Two chunks of manual.pdf's pages 3 and 4 rank above the right one, on page 9: the cap of two per file
    shut it out of the first five; counted by pages it stays, and a site's pages are capped as before."""
    dense = [(i, 1.0 - n / 10) for n, i in enumerate(["m3", "m4", "m9", "w1", "w2", "w3", "x1"])]
    store = FixedRankings(dense, dense, file_of=lambda i: {"m": "manual.pdf", "w": "web.html"}.get(i[0], i),
                          page_of=lambda i: int(i[1:]) if i.startswith("m") else None)
    plain = SHIPPED.but(file_weight=0.0, dedupe=0, cap_spares=0)  # both rankings agree here: no chunk spared
    by_file = [h.id for h in hybrid_search(store, [("q", 1.0)], k=5, fusion=plain)]
    by_page = [h.id for h in hybrid_search(store, [("q", 1.0)], k=5, fusion=plain.but(cap_pages=True))]
    assert "m9" not in by_file and by_file[:2] == ["m3", "m4"]
    assert by_page[:3] == ["m3", "m4", "m9"] and by_page.count("w1") + by_page.count("w2") + by_page.count("w3") == 2


def test_the_cap_spares_a_chunk_both_rankings_put_among_their_first_when_asked() -> None:
    """manual.pdf's third chunk is second by meaning and fifth by words: the cap of two per file let chunks that
    neither ranking put near the top take its place; with cap_spares (a lever, off) it is shown past the cap."""
    dense = [(i, 1.0 - n / 10) for n, i in enumerate(["m1", "m3", "m2", "w1", "x1", "y1", "z1"])]
    lexical = [(i, 1.0 - n / 10) for n, i in enumerate(["m2", "m1", "w1", "q1", "m3", "r1", "s1"])]
    store = FixedRankings(dense, lexical, file_of=lambda i: "manual.pdf" if i.startswith("m") else i)
    plain = SHIPPED.but(file_weight=0.0, dedupe=0)
    capped = [h.id for h in hybrid_search(store, [("q", 1.0)], k=5, fusion=plain.but(cap_spares=0))]
    spared = hybrid_search(store, [("q", 1.0)], k=5, fusion=plain.but(cap_spares=5), explain=True)
    assert "m3" not in capped
    assert "m3" in [h.id for h in spared] and sum(h.source == "manual.pdf" for h in spared) == 3
    assert any("past the cap" in lever for h in spared if h.id == "m3" for lever in h.explain["levers"])
    # Among the first three of both, it is not: the cap holds as before.
    assert [h.id for h in hybrid_search(store, [("q", 1.0)], k=5, fusion=plain.but(cap_spares=3))] == capped
