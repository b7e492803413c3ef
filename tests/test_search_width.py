"""Chroma's HNSW graph explores SEARCH_EF candidates a query, in a new store and in one made before: the dense side's
first chunks are the nearest ones, not the first the graph happened on."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from jupyter_docchat import DocIndex
from jupyter_docchat.store.vectors import SEARCH_EF

from conftest import write_tree

DOCS = {"a.md": "# Alpha\n\nThe alpha page explains how sessions keep a visitor's basket between requests.\n",
        "b.md": "# Beta\n\nThe beta page lists the cache backends and their settings.\n"}


def _ef(index: DocIndex) -> int:
    return index.vectors().collection.configuration["hnsw"]["ef_search"]


def test_a_new_store_searches_wide(tmp_path: Path) -> None:
    with DocIndex(tmp_path / "store") as index:
        index.update(write_tree(tmp_path / "docs", DOCS))
        assert _ef(index) == SEARCH_EF > 100


def test_a_store_made_with_chromas_default_searches_wide_once_opened(tmp_path: Path) -> None:
    with DocIndex(tmp_path / "store") as index:
        index.update(write_tree(tmp_path / "docs", DOCS))
        collection = index.vectors().collection
        collection.modify(configuration={"hnsw": {"ef_search": 100}})  # as stores before SEARCH_EF were made
        metadata = dict(collection.metadata)
    with DocIndex(tmp_path / "store") as index:
        assert _ef(index) == SEARCH_EF
        assert index.vectors().collection.metadata == metadata  # the revision and the model's name stay
        assert [h.source for h in index.search("Where is a visitor's basket kept?", k=1, mode="dense")] == ["a.md"]



def test_the_wider_search_waits_out_chromas_locked_database() -> None:
    """Chroma's SQLite fails at once with "database is locked" while another client writes: the setting was left at
    100 until the store was next opened (CI saw it when a vector pass was closing). Here Chroma's own error, twice."""
    from jupyter_docchat.store.vectors import VectorStore

    class Collection:
        configuration = {"hnsw": {"ef_search": 100}}
        refusals = 2

        def modify(self, configuration: dict) -> None:
            if self.refusals:
                self.refusals -= 1
                raise RuntimeError("Database error: error returned from database: (code: 5) database is locked")
            self.configuration = configuration

    store = VectorStore.__new__(VectorStore)
    store.collection = Collection()
    store._search_wide()
    assert store.collection.configuration["hnsw"]["ef_search"] == SEARCH_EF


def test_a_lock_that_is_no_lock_is_not_waited_for() -> None:
    from jupyter_docchat.store.locks import busy, while_locked

    calls = []

    def refuse() -> None:
        calls.append(1)
        raise ValueError("no such collection")

    with pytest.raises(ValueError):
        while_locked(refuse)
    assert calls == [1] and busy(sqlite3.OperationalError("database is locked"))
