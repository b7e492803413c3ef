"""Chroma's HNSW graph explores SEARCH_EF candidates a query, in a new store and in one made before: the dense side's
first chunks are the nearest ones, not the first the graph happened on."""

from __future__ import annotations

from pathlib import Path

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
