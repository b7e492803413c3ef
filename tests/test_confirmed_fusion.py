"""A side's first chunk goes first when the other side ranks its file among its first few (``Fusion.confirmed_depth``,
measured on the tuning halves and not shipped: bench/README.md). Properties on hand-made rankings whose files hold
several chunks, a hand-made case where the shipped order differs, then the whole path on a real store."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from jupyter_docchat import DocIndex
from jupyter_docchat.retrieval.fusion import SHIPPED, confirmed_first
from jupyter_docchat.retrieval.search import hybrid_search

from fixed_rankings import IDS, RANKINGS, FixedRankings

_SIDES = st.sampled_from(["dense", "lexical", "dense,lexical", "lexical,dense"])


def _file(chunk_id: str) -> str:
    return f"f{int(chunk_id[1:]) % 4}.md"  # three chunks a file: file evidence and the per-file cap matter


def _Fixed(dense: list, lexical: list) -> FixedRankings:
    """Chunk ``cN`` is in file ``f(N mod 4).md``."""
    return FixedRankings(dense, lexical, file_of=_file, text_of=lambda i: f"text of {i}")


@given(RANKINGS, RANKINGS, st.integers(0, 6), _SIDES)
def test_the_confirmed_chunk_is_a_first_whose_file_the_other_side_ranks_high(dense, lexical, depth, sides) -> None:
    source_of = {i: _file(i) for i, _ in dense + lexical}
    first = confirmed_first(dense, lexical, source_of, depth, sides)
    assert confirmed_first(dense, lexical, source_of, depth, sides) == first  # identical inputs, identical output
    if first is None:
        return
    assert depth > 0

    def confirmed(mine: list, other: list) -> bool:
        return first == mine[0][0] and _file(first) in {_file(i) for i, _ in other[:depth]}

    assert confirmed(dense, lexical) or confirmed(lexical, dense)
    tried = sides.split(",")[0]  # the side tried first wins when both are confirmed
    if confirmed(*((dense, lexical) if tried == "dense" else (lexical, dense))):
        assert first == (dense if tried == "dense" else lexical)[0][0]


@given(RANKINGS, RANKINGS, IDS, st.integers(1, 6), _SIDES)
def test_a_chunk_both_sides_rank_first_is_confirmed_and_stays_first(dense, lexical, top, depth, sides) -> None:
    dense = [(top, 1e7)] + [p for p in dense if p[0] != top]
    lexical = [(top, 1e7)] + [p for p in lexical if p[0] != top]
    assert confirmed_first(dense, lexical, {i: _file(i) for i, _ in dense + lexical}, depth, sides) == top
    hits = hybrid_search(_Fixed(dense, lexical), [("q", 1.0)], 5, fusion=SHIPPED.but(confirmed_depth=depth, confirmed_sides=sides))
    assert hits[0].id == top


@given(RANKINGS, RANKINGS, st.integers(1, 6), _SIDES)
def test_the_confirmed_chunk_goes_first_and_nothing_moves_without_one(dense, lexical, depth, sides) -> None:
    fusion = SHIPPED.but(confirmed_depth=depth, confirmed_sides=sides)
    store = _Fixed(dense, lexical)
    hits = [h.id for h in hybrid_search(store, [("q", 1.0)], 5, fusion=fusion)]
    shipped = [h.id for h in hybrid_search(store, [("q", 1.0)], 5, fusion=SHIPPED)]
    first = confirmed_first(dense, lexical, {i: _file(i) for i, _ in dense + lexical}, depth, sides)
    if first is None:
        assert hits == shipped
    else:
        assert hits[0] == first


def test_the_dense_first_confirmed_by_words_overtakes_a_file_the_shipped_order_puts_first() -> None:
    # c1 (f1.md) is dense's first and lexical's third; c2 (f2.md) is second on both sides and its file's
    # other chunks, c6 and c10, match too: the shipped order puts c2 first (file evidence).
    dense = [("c1", 0.9), ("c2", 0.8), ("c6", 0.7), ("c10", 0.6), ("c3", 0.5)]
    lexical = [("c6", 9.0), ("c2", 8.0), ("c1", 7.0), ("c10", 6.0), ("c3", 5.0)]
    store = _Fixed(dense, lexical)
    assert hybrid_search(store, [("q", 1.0)], 5, fusion=SHIPPED)[0].id != "c1"
    hits = hybrid_search(store, [("q", 1.0)], 5, fusion=SHIPPED.but(confirmed_depth=3), explain=True)
    assert hits[0].id == "c1"
    assert any(note.startswith("moved up to 1") for note in hits[0].explain["levers"])
    assert hybrid_search(store, [("q", 1.0)], 5, fusion=SHIPPED.but(confirmed_depth=2))[0].id != "c1"  # c1 is third: too deep


def test_on_a_real_store_the_confirmed_first_leads_and_off_is_the_shipped_order(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    pages = {
        "install.md": "# Installing\n\nInstall the package with pip, then check the version it prints.",
        "backup.md": "# Backups\n\nCopy the store folder while no update runs; restore it by copying it back.",
        "proxy.md": "# Proxies\n\nSet HTTPS_PROXY before the first download so the installer reaches the registry.",
        "themes.md": "# Themes\n\nA dark theme follows the notebook's own; a light one is the default.",
    }
    for name, text in pages.items():
        (docs / name).write_text(text)
    index = DocIndex(tmp_path / "store")
    index.update(docs)
    fusion = SHIPPED.but(confirmed_depth=3)
    for question in ("How do I restore a backup?", "Which theme is the default?", "How do I install behind a proxy?"):
        dense = [(h.id, h.score) for h in index.search(question, k=4, mode="dense")]
        lexical = [(h.id, h.score) for h in index.search(question, k=4, mode="lexical")]
        source_of = {h.id: h.source for h in index.search(question, k=4, mode="dense") + index.search(question, k=4, mode="lexical")}
        first = confirmed_first(dense, lexical, source_of, 3, "dense")
        assert first is not None  # on four small pages both sides find the page that answers
        hits = index.search(question, k=3, fusion=fusion, explain=True)
        assert hits[0].id == first and hits[0].source == source_of[first]
    index.close()
