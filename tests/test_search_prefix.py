"""A search's first hits do not depend on how many are asked for: %%ask's five sources are the first five of
`docchat search`'s ten (and of bench/retrieval.py's figures, which search for ten).

Each ranking was read 30 deep for five hits and 40 for ten, and the file levers ranked for k: on a walk over
Celery's manual, 8 of 12 questions were answered from other sources than the search listed first."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jupyter_docchat import DocIndex

from conftest import EXAMPLE_DOCS
from fixed_rankings import FixedRankings

TOPICS = ["worker", "queue", "retry", "broker", "task", "memory", "prefetch", "schedule", "result", "backend"]


def _page(n: int) -> str:
    """A page of many sections on shared topics: files with more chunks than the cap, passages repeated."""
    parts = [f"# Page {n}\n"]
    for s in range(12):
        a, b, c = TOPICS[(n + s) % 10], TOPICS[(n * 3 + s) % 10], TOPICS[(s * 7) % 10]
        parts.append(f"## {a.title()} and {b} {s}\n\nThe {a} sends each {b} to a {c}; set the {a}_{b} option to "
                     f"change how many a {c} takes at a time. " * 3 + "\n")
        if s % 4 == 0:
            parts.append("## Shared notice\n\nEvery worker reads the broker URL from the configuration file.\n")
    return "\n".join(parts)


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("prefix")
    docs = root / "docs"
    shutil.copytree(EXAMPLE_DOCS, docs)
    for n in range(6):
        (docs / f"guide{n}.md").write_text(_page(n), encoding="utf-8")
    shutil.copy(docs / "guide0.md", docs / "guide0-copy.txt")  # a twin under another format
    with DocIndex(root / "store") as built:
        built.update(docs)
        yield built


@settings(max_examples=40, deadline=None)
@given(words=st.lists(st.sampled_from(TOPICS + ["deposit", "insurance", "bank", "how", "many", "default"]),
                      min_size=1, max_size=6),
       k=st.integers(1, 9))
def test_the_first_k_hits_are_the_first_of_a_search_of_ten(index: DocIndex, words: list[str], k: int) -> None:
    query = " ".join(words)
    ten = [(h.source, h.location) for h in index.search(query, k=10)]
    assert [(h.source, h.location) for h in index.search(query, k=k)] == ten[:k]


def test_an_answer_s_sources_are_the_first_five_of_a_search(index: DocIndex) -> None:
    question = "How many tasks does a worker prefetch from the queue at a time?"
    answer = index.ask(question)
    assert [(s.file, s.location) for s in answer.sources] == [(h.source, h.location) for h in index.search(question, k=10)][:5]


def test_a_search_of_more_than_ten_lists_a_page_s_third_chunk_after_the_first_ten(index: DocIndex) -> None:
    """The cap of two chunks a file keeps the first ten varied; past them the rest follow in their fused order (a search
    of 50 never listed the third chunk of a page whose sections all matched)."""
    query = "worker queue retry broker"
    many = [h.source for h in index.search(query, k=40)]
    first = many[:10]
    assert all(first.count(source) <= 2 for source in first)
    assert any(many[:20].count(source) > 2 for source in set(many))  # a page's third chunk, soon after the first ten


@pytest.mark.parametrize("query", ["prefetch memory bank queue", "queue task result bank",
                                   "backend worker insurance memory", "backend prefetch retry bank"])
def test_the_eleventh_hit_is_the_eleventh_of_fifty(index: DocIndex, query: str) -> None:
    # Probe 22: each search past ten was read 4 k deep, and these four queries (of 150 tried) listed another
    # eleventh hit at k 11 than at k 50.
    fifty = [(h.source, h.location) for h in index.search(query, k=50)]
    assert [(h.source, h.location) for h in index.search(query, k=11)] == fifty[:11]


class _Depths(FixedRankings):
    """One chunk on each side, recording how deep the dense side is read."""

    def __init__(self) -> None:
        super().__init__([("c1", 0.9)], [("c1", 3.0)])
        self.depths: list[int] = []

    def dense(self, query: str, limit: int) -> list:
        self.depths.append(limit)
        return super().dense(query, limit)


@pytest.mark.parametrize("most", [50, 60])
def test_a_search_past_ten_reads_as_deep_as_the_largest_k_allowed(monkeypatch: pytest.MonkeyPatch, most: int) -> None:
    """Left 24: the search read 4 x 50 deep past ten hits by a twin of k's limit (MOST_HITS = 50), kept equal to
    it by a test alone: a limit raised without it, a search of eleven was no longer the start of one of the
    largest. The depth follows the limit."""
    from dataclasses import replace

    from jupyter_docchat.retrieval.fusion import SHIPPED
    from jupyter_docchat.retrieval.search import hybrid_search
    from jupyter_docchat.settings import LIMITS

    monkeypatch.setitem(LIMITS, "k", replace(LIMITS["k"], high=most))
    store = _Depths()
    assert [h.id for h in hybrid_search(store, [("q", 1.0)], 11)] == ["c1"]
    assert store.depths == [max(SHIPPED.candidates, SHIPPED.capped_hits), max(SHIPPED.candidates, 4 * most)]


@settings(max_examples=25, deadline=None)
@given(words=st.lists(st.sampled_from(TOPICS + ["deposit", "insurance", "bank"]), min_size=1, max_size=4),
       k=st.integers(11, 49))
def test_a_search_of_more_than_ten_is_the_start_of_a_search_of_fifty(index: DocIndex, words: list[str], k: int) -> None:
    # Probe 22: the eleventh hit of a search of eleven was the twelfth of a search of twelve and of fifty.
    query = " ".join(words)
    fifty = [(h.source, h.location) for h in index.search(query, k=50)]
    assert [(h.source, h.location) for h in index.search(query, k=k)] == fifty[:k]
