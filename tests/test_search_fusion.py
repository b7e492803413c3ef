"""The fusion steps of hybrid search, one layer at a time (the whole path is tested on real stores)."""

from __future__ import annotations

from jupyter_docchat.search import file_evidence, keep_best_passage, spread

SOURCES = {"a1": "A", "a2": "A", "a3": "A", "a4": "A", "b1": "B"}


def test_file_evidence_adds_the_best_other_chunks_of_the_same_file() -> None:
    scores = {"a1": 0.030, "a2": 0.020, "a3": 0.010, "a4": 0.005, "b1": 0.035}
    boosted = file_evidence(scores, SOURCES, weight=0.5, top=2)
    assert boosted["b1"] == 0.035  # alone in its file
    assert abs(boosted["a1"] - (0.030 + 0.5 * (0.020 + 0.010))) < 1e-12
    assert abs(boosted["a4"] - (0.005 + 0.5 * (0.030 + 0.020))) < 1e-12  # only the best two others count
    assert file_evidence(scores, SOURCES, weight=0.0) == scores


def test_spread_keeps_about_half_of_the_sources_for_other_files() -> None:
    ranked = ["a1", "a2", "a3", "a4", "b1"]
    assert spread(ranked, SOURCES, k=5)[:5] == ["a1", "a2", "a3", "b1", "a4"]
    assert spread(ranked, SOURCES, k=3)[:3] == ["a1", "a2", "b1"]


def test_the_best_fused_passage_keeps_a_place() -> None:
    assert keep_best_passage(["a1", "a2", "a3", "b1"], "b1", k=3) == ["a1", "a2", "b1", "a3"]
    assert keep_best_passage(["b1", "a1"], "b1", k=1) == ["b1", "a1"]
