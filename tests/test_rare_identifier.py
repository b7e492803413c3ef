"""The lexical side weighed more for a question naming an identifier that few chunks hold as written
(``Fusion.rare_identifier``, ``rare_lexical``; branch fusion4). On fixed rankings, then on a real store."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from jupyter_docchat import DocIndex
from jupyter_docchat.index import _StoreRankings
from jupyter_docchat.retrieval.fusion import SHIPPED, fuse
from jupyter_docchat.retrieval.search import _rare_identifier_times, hybrid_search
from fixed_rankings import IDS, RANKINGS, FixedRankings


class _Holders(FixedRankings):
    """Fixed rankings whose keyword index finds ``--port`` in ``holders`` (as written) and in ``prose`` (as words)."""

    def __init__(self, dense: list, lexical: list, holders: list[str], prose: list[str]) -> None:
        super().__init__(dense, lexical, text_of=lambda i: f"{i} takes --port" if i in holders else f"{i}: the port")
        self._found = holders + [p for p in prose if p not in holders]

    def phrase_matches(self, words: list[str], query: str, limit: int) -> list[tuple[str, float, str]]:
        return [(i, 1.0, self.rows([i])[i][0]) for i in self._found][:limit]


@given(RANKINGS, RANKINGS, st.lists(IDS, max_size=8, unique=True), st.lists(IDS, max_size=8, unique=True),
       st.sampled_from([1, 3, 5]), st.sampled_from([1.5, 3.0]))
def test_the_lexical_weight_is_multiplied_only_when_few_chunks_hold_the_identifier(dense, lexical, holders, prose, n, m) -> None:
    store = _Holders(dense, lexical, holders, prose)
    fusion = SHIPPED.but(rare_identifier=n, rare_lexical=m)
    rare = 1 <= len(holders) <= n  # chunks holding the words but not as written do not count
    assert _rare_identifier_times(store, [("What does --port do?", 1.0)], fusion) == [m if rare else 1.0]
    assert _rare_identifier_times(store, [("Which port does it use?", 1.0)], fusion) == [1.0]  # names no identifier
    assert _rare_identifier_times(store, [("What does --port do?", 1.0)], SHIPPED) is None  # off
    expected = fuse([dense], [lexical], [1.0], fusion.but(lexical_weight=m if rare else 1.0))
    assert fuse([dense], [lexical], [1.0], fusion, lexical_times=[m if rare else 1.0]) == expected
    hits = hybrid_search(store, [("What does --port do?", 1.0)], 5, "hybrid", fusion=fusion)
    plain = hybrid_search(store, [("What does --port do?", 1.0)], 5, "hybrid", fusion=fusion.but(rare_identifier=0))
    if not rare:
        assert [h.id for h in hits] == [h.id for h in plain]


def test_a_store_counts_the_chunks_holding_an_identifier_as_written(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "cli.md").write_text("# Options\n\nThe `--port` option sets the number the server listens on.\n")
    for n in range(6):  # every page names --verbose, and speaks of a port in words
        (docs / f"page{n}.md").write_text(f"# Page {n}\n\nRun with `--verbose` to see more. The port of page {n} is free.\n")
    index = DocIndex(tmp_path / "store")
    index.update(docs)
    store = _StoreRankings(index)
    fusion = SHIPPED.but(rare_identifier=3, rare_lexical=2.0)
    queries = [("What does --port do?", 1.0), ("What does --verbose do?", 1.0), ("What is a port?", 1.0),
               ("What does --nothing-like-it do?", 1.0)]
    assert _rare_identifier_times(store, queries, fusion) == [2.0, 1.0, 1.0, 1.0]
    assert _rare_identifier_times(store, queries, fusion.but(rare_identifier=10)) == [2.0, 2.0, 1.0, 1.0]
    hits = index.search("What does --port do?", k=3, fusion=fusion)
    assert hits[0].source == "cli.md"
    index.close()
