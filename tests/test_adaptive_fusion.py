"""Fusion that adapts to the query (issue 24): the lexical side weighted by how much of the question its
best chunk holds, and the chunks holding an identifier the question names as written. Properties on
hand-made rankings, then the whole path on a real store."""

from __future__ import annotations

import textwrap
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from jupyter_docchat import DocIndex
from jupyter_docchat.retrieval.fusion import ADAPTIVE, Fusion, confidence, fuse, side_weights
from jupyter_docchat.retrieval.search import hybrid_search
from fixed_rankings import IDS, RANKINGS, FixedRankings

_FUSIONS = st.builds(lambda a, how, cov, iw: ADAPTIVE.but(adapt=a, confidence=how, lexical_coverage=cov, identifier_weight=iw),
                     st.floats(0, 1), st.sampled_from(["gap", "z"]), st.sampled_from([0.0, 1.0, 2.0]),
                     st.sampled_from([0.0, 1.0]))


@given(RANKINGS, RANKINGS, _FUSIONS)
def test_side_weights_are_shares_and_confidence_is_bounded(dense, lexical, fusion: Fusion) -> None:
    wd, wl = side_weights(dense, lexical, fusion)
    assert 0.0 <= wd <= 1.0 and 0.0 <= wl <= 1.0 and abs(wd + wl - 1.0) < 1e-9
    for pairs in (dense, lexical):
        assert 0.0 <= confidence(pairs, fusion.confidence_depth, fusion.confidence) <= 1.0
    assert side_weights(dense, lexical, fusion) == (wd, wl)  # identical inputs, identical output


@given(RANKINGS, _FUSIONS, st.floats(0, 1))
def test_two_sides_that_agree_give_their_own_order(ranking, fusion: Fusion, coverage: float) -> None:
    fused = fuse([ranking], [ranking], [1.0], fusion, 1.0, [coverage])
    assert sorted(fused, key=lambda i: -fused[i]) == [i for i, _ in ranking]
    assert fuse([ranking], [ranking], [1.0], fusion, 1.0, [coverage]) == fused


class _Fixed(FixedRankings):
    """One file per chunk, with the keyword-index extras."""

    def __init__(self, dense: list, lexical: list, coverage: float, holders: list[str]) -> None:
        super().__init__(dense, lexical, text_of=lambda i: f"text of {i} with --port" if i in holders else f"text of {i}")
        self._coverage, self._holders = coverage, holders

    def term_coverage(self, query: str, ids: list[str]) -> dict[str, float]:
        return {i: self._coverage for i in ids}

    def phrase_matches(self, words: list[str], query: str, limit: int) -> list[tuple[str, float, str]]:
        return [(i, 1.0, self.rows([i])[i][0]) for i in self._holders][:limit]


@given(RANKINGS, RANKINGS, st.floats(0, 1), st.lists(IDS, max_size=5, unique=True), IDS, _FUSIONS)
def test_a_chunk_both_sides_rank_first_stays_first(dense, lexical, coverage, holders, first, fusion) -> None:
    dense = [(first, 1e7)] + [p for p in dense if p[0] != first]
    lexical = [(first, 1e7)] + [p for p in lexical if p[0] != first]
    store = _Fixed(dense, lexical, coverage, [h for h in holders if h != first])  # others hold the identifier
    hits = hybrid_search(store, [("What does --port do?", 1.0)], 5, "hybrid", fusion=fusion)
    assert hits[0].id == first


def _folder(root: Path) -> Path:
    """Six pages about ports in prose, and a terse option list that alone holds ``--port`` as written."""
    docs = root / "docs"
    docs.mkdir()
    pages = {
        "serving.md": "# Running the development server\n\nThe development server listens on port 5000 of the local machine by "
                      "default. When another program already uses that port, the server cannot start and reports that the "
                      "address is in use. Choose a free port and start the server again; the browser then connects to the new port.",
        "ports.md": "# Ports and firewalls\n\nA port is a number that tells the operating system which program receives a network "
                    "connection. Ports below 1024 need administrator rights. A firewall may block a port; open it to let other "
                    "machines reach the server running on it.",
        "deploying.md": "# Deploying behind a proxy\n\nIn production a reverse proxy receives requests on port 80 or 443 and "
                        "forwards them to the application server on an internal port. The proxy and the server must agree on that port.",
        "tunnels.md": "# SSH tunnels\n\nAn SSH tunnel forwards a local port to a port on a remote machine, so a server that listens "
                      "only on the remote loopback becomes reachable from your own browser through the forwarded port.",
        "containers.md": "# Containers\n\nA container publishes a port of the server inside it on a port of the host. Map the "
                         "container's port to a free host port when several servers run side by side.",
        "testing.md": "# Testing the server\n\nThe test client never opens a port: requests go straight to the application, so "
                      "tests run without a server listening on any port of the machine.",
        "cli.md": textwrap.dedent("""\
            # Command reference

            Options of `app run`:

            - `--host TEXT`: interface to bind, 127.0.0.1.
            - `--port INTEGER`: listen number, 5000.
            - `--reload / --no-reload`: restart on code changes.
            - `--cert PATH`: TLS certificate file.
            - `--extra-files PATH`: more files to watch.
            """),
    }
    for name, text in pages.items():
        (docs / name).write_text(text)
    return docs


def test_an_identifier_question_finds_the_chunk_holding_it_though_dense_ranks_it_low(tmp_path: Path) -> None:
    index = DocIndex(tmp_path / "store")
    index.update(_folder(tmp_path))
    question = "What does --port do?"
    sources = {mode: [h.source for h in index.search(question, k=7, mode=mode)] for mode in ("dense", "lexical")}
    assert sources["dense"].index("cli.md") >= 3 and sources["lexical"].index("cli.md") >= 3  # both sides miss it
    fixed = [h.source for h in index.search(question, k=7, fusion=ADAPTIVE.but(identifier_weight=0.0, lexical_coverage=0.0))]
    assert "cli.md" not in fixed[:3]
    hits = index.search(question, k=3, fusion=ADAPTIVE, explain=True)
    assert "cli.md" in [h.source for h in hits[:2]]  # second only to the page both sides rank first
    assert "holds --port as written" in next(h for h in hits if h.source == "cli.md").explain["levers"]
    index.close()


def test_term_coverage_counts_rare_words_more_on_a_real_catalog(tmp_path: Path) -> None:
    index = DocIndex(tmp_path / "store")
    index.update(_folder(tmp_path))
    ids = {h.source: h.id for h in index.search("reverse proxy internal port", k=7, mode="lexical")}
    coverage = index.catalog.term_coverage(index.collection, "reverse proxy internal port", list(ids.values()))
    assert abs(coverage[ids["deploying.md"]] - 1.0) < 1e-9  # holds every word
    assert 0.0 < coverage[ids["ports.md"]] < 0.2  # only "port", which every page holds
    assert all(0.0 <= c <= 1.0 for c in coverage.values())
    assert index.catalog.term_coverage(index.collection, "the of and", list(ids.values())) == dict.fromkeys(ids.values(), 0.0)
    index.close()


@given(RANKINGS, RANKINGS, st.floats(0, 1), IDS)
def test_a_lexical_first_that_holds_the_question_goes_first_and_one_that_does_not_is_only_weighed(
        dense, lexical, coverage, first) -> None:
    lexical = [(first, 1e7)] + [p for p in lexical if p[0] != first]
    store = _Fixed(dense, lexical, coverage, [])
    hits = hybrid_search(store, [("How is it done?", 1.0)], 5, "hybrid", fusion=ADAPTIVE)
    if coverage >= ADAPTIVE.sure_lexical:
        assert hits[0].id == first
    fused = fuse([dense], [lexical], [1.0], ADAPTIVE, 1.0, [coverage])
    alone = fuse([dense], [lexical], [1.0], ADAPTIVE.but(lexical_coverage=0.0), 1.0)
    for chunk_id, value in fused.items():  # the lexical side never weighs more than its fixed weight
        assert value <= alone[chunk_id] + 1e-12
