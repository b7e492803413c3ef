"""The cap of two chunks a file does not fill the first five with chunks scoring far below the ones it holds back
(Fusion.cap_floor): over bzip2's manual as HTML and PDF beside its changelogs, the changelogs' chunks at a fifth of
the manual's took the last places (walk 25). The cap alone, a Hypothesis property, then a real store."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings, strategies as st

from jupyter_docchat import DocIndex
from jupyter_docchat.retrieval.fusion import SHIPPED, cap_per_file


def test_a_filler_far_below_the_held_back_chunk_does_not_take_its_place() -> None:
    ranked = ["m1", "m2", "m3", "m4", "c1", "c2"]
    source = {"m1": "manual", "m2": "manual", "m3": "manual", "m4": "manual", "c1": "changelog", "c2": "changelog"}
    scores = {"m1": 0.13, "m2": 0.12, "m3": 0.11, "m4": 0.10, "c1": 0.02, "c2": 0.019}
    assert cap_per_file(ranked, source, 2, 4)[:4] == ["m1", "m2", "c1", "c2"]  # the cap alone
    assert cap_per_file(ranked, source, 2, 4, scores=scores, floor=0.35)[:4] == ["m1", "m2", "m3", "m4"]
    near = {**scores, "c1": 0.09, "c2": 0.085}  # near the held-back ones: the cap holds
    assert cap_per_file(ranked, source, 2, 4, scores=near, floor=0.35)[:4] == ["m1", "m2", "c1", "c2"]


def _capped_before(ranked: list[str], source: dict[str, str], per_file: int, k: int) -> list[str]:
    """The cap as it was before the floor (b06e8a2's cap_per_file)."""
    taken: dict[str, int] = {}
    first, later = [], []
    for i in ranked:
        if len(first) < k and taken.get(source[i], 0) < per_file:
            taken[source[i]] = taken.get(source[i], 0) + 1
            first.append(i)
        else:
            later.append(i)
    return first + later


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abc"), st.floats(0.001, 1.0)), min_size=1, max_size=15),
       st.integers(1, 3), st.integers(1, 8), st.sampled_from([0.0, 0.35, 0.9]))
def test_no_chunk_is_lost_and_without_a_floor_the_cap_is_as_it_was(items, per_file, k, floor) -> None:
    ranked = sorted((f"{f}{n}" for n, (f, _) in enumerate(items)), key=lambda i: -items[int(i[1:])][1])
    source = {i: i[0] for i in ranked}
    scores = {i: items[int(i[1:])][1] for i in ranked}
    out = cap_per_file(ranked, source, per_file, k, scores=scores, floor=floor)
    assert sorted(out) == sorted(ranked)
    before = _capped_before(ranked, source, per_file, k)
    if floor == 0.0:
        assert out == before
    else:  # the floor only trades a chunk the cap moved up for a better one it held back
        assert sum(scores[i] for i in out[:k]) >= sum(scores[i] for i in before[:k]) - 1e-12


def test_a_search_over_a_manual_and_its_changelog_keeps_the_manual(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    sections = [f"## Option -{c}\n\nThe -{c} option of the walrus compressor sets the tusk block size to {n}00k when "
                f"it compresses walrus archives. " + "It keeps the archive's other settings as they were. " * 10 + "\n"
                for n, c in enumerate("abcdefgh", 1)]
    (docs / "manual.md").write_text("# Walrus compressor manual\n\n" + "\n".join(sections))
    (docs / "changelog.txt").write_text("Version 1.0.8: fixed a crash in the installer script.\n\n"
                                       "Version 1.0.7: translations updated.\n")
    with DocIndex(tmp_path / "store") as index:
        index.update(docs)
        assert SHIPPED.cap_floor > 0
        assert index.catalog.chunk_count(index.collection) >= 8
        hits = index.search("walrus compressor tusk block size option", k=5)
    assert [h.source for h in hits].count("manual.md") >= 3 and "changelog.txt" not in [h.source for h in hits]
