"""Errors that were swallowed or masked, and objects kept alive or open after their use."""

from __future__ import annotations

import gc
import sqlite3
import weakref
from pathlib import Path

import pytest
from chroma_server import ChromaServer

from jupyter_docchat import DocIndex, IndexOptions
from jupyter_docchat.errors import StoreError
from jupyter_docchat.store.catalog import Catalog


def test_a_drop_that_fails_is_an_error_and_the_catalog_keeps_the_collection(corpus: Path, tmp_path: Path) -> None:
    server = ChromaServer(tmp_path / "chroma").start()
    try:
        index = DocIndex(tmp_path / "store", "dropped", server=server.url)
        first = index.update(corpus, IndexOptions(rebuild=True))  # dropping a collection the server never had is no error
        assert first.added == 6
    finally:
        server.stop()
    with pytest.raises(StoreError, match="cannot drop collection 'dropped' in the Chroma server at"):
        index.update(corpus, IndexOptions(rebuild=True))
    assert index.catalog.chunk_count("dropped") == first.chunks_total  # not emptied while the vectors stayed
    assert len(index.catalog.files("dropped")) == 6


def test_a_failed_commit_is_rolled_back_and_the_connection_stays_usable(tmp_path: Path) -> None:
    catalog = Catalog(tmp_path / "docchat.sqlite")
    db = catalog.db
    db.execute("PRAGMA foreign_keys = ON")  # a deferred constraint: checked, and failing, at COMMIT
    db.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
    db.execute("CREATE TABLE child (parent INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)")
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        with catalog.transaction():
            catalog.set_collection("lost", "minilm", "/documents")
            db.execute("INSERT INTO child VALUES (42)")
    assert not db.connection.in_transaction
    assert catalog.collection("lost") is None  # not committed later by whoever wrote next
    with catalog.transaction():
        catalog.set_collection("kept", "minilm", "/documents")
    catalog.close()
    assert Catalog(tmp_path / "docchat.sqlite").collection("kept") == ("minilm", "/documents")


def test_cached_vectors_do_not_keep_their_embedder_alive(fake) -> None:
    from jupyter_docchat.qa import vector_cache
    from jupyter_docchat.store.embeddings import OpenAIEmbeddingsAdapter

    embedder = OpenAIEmbeddingsAdapter("test-embed", api_key="sk-test", base_url=fake.url)
    first = vector_cache.vectors(["a unit of text", "another one"], embedder.embed_documents)
    assert vector_cache.vectors(["a unit of text"], embedder.embed_documents) == first[:1]  # a hit: not embedded again
    assert fake.embedded == 2
    gone = weakref.ref(embedder)
    del embedder
    gc.collect()
    assert gone() is None
    later = OpenAIEmbeddingsAdapter("test-embed", api_key="sk-test", base_url=fake.url)
    vector_cache.vectors(["a unit of text"], later.embed_documents)  # another object: its own vectors
    assert fake.embedded == 3


def test_the_cells_index_is_closed_after_each_question(monkeypatch) -> None:
    from jupyter_docchat.qa import cells

    made: list[cells.CellRetriever] = []
    real_init = cells.CellRetriever.__init__

    def recording_init(self, *args, **kwargs):
        real_init(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(cells.CellRetriever, "__init__", recording_init)
    found = cells.cell_hits([cells.Cell("cell [1]", "rate = 0.05  # the interest rate", 1)],
                            [("interest rate", 1.0)], lambda texts: [[1.0, float(len(t))] for t in texts])
    assert [h.heading for h in found] == ["cell [1]"]
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        made[0]._db.execute("SELECT 1")


def test_a_retriever_made_from_a_path_closes_its_index(corpus: Path, tmp_path: Path) -> None:
    from jupyter_docchat.retriever import DocIndexRetriever

    DocIndex(tmp_path / "store").update(corpus)
    retriever = DocIndexRetriever(store=str(tmp_path / "store"))
    assert retriever.invoke("deposit insurance")[0].metadata["source"] == "deposit_insurance.pdf"
    connection = retriever.get_searcher().catalog.db.connection
    retriever.close()
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        connection.execute("SELECT 1")
    assert retriever.invoke("deposit insurance")  # opened again when used again
    connection = retriever.get_searcher().catalog.db.connection
    del retriever
    gc.collect()
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        connection.execute("SELECT 1")
