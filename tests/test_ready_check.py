"""ensure_ready's check (is there a collection with chunks, built with the asked-for embeddings?) runs once
per question, not once more for the search and for every section read, and is redone when the store changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from jupyter_docchat import DocIndex
from jupyter_docchat.errors import EmbeddingMismatchError, NoIndexError
from jupyter_docchat.store.catalog import Catalog


def full_checks_during(index: DocIndex, monkeypatch: pytest.MonkeyPatch, action) -> int:
    """How many times ``action`` made the index count its collection's chunks (the check's costly part)."""
    counted = []
    count = Catalog.chunk_count

    def spy(self: Catalog, collection: str) -> int:
        counted.append(collection)
        return count(self, collection)

    monkeypatch.setattr(Catalog, "chunk_count", spy)
    action()
    monkeypatch.setattr(Catalog, "chunk_count", count)
    return len(counted)


def test_a_question_checks_the_store_at_most_once(corpus: Path, tmp_path: Path, monkeypatch) -> None:
    index = DocIndex(tmp_path / "store")
    index.update(corpus)
    question = "What does the Deposit Insurance section say?"
    assert full_checks_during(index, monkeypatch, lambda: index.ask(question)) <= 1
    assert full_checks_during(index, monkeypatch, lambda: index.ask(question)) == 0  # nothing changed since
    assert full_checks_during(index, monkeypatch, lambda: index.search("deposit insurance")) == 0
    index.close()


def test_the_check_is_redone_when_another_process_or_this_one_changes_the_store(corpus: Path, tmp_path: Path) -> None:
    index = DocIndex(tmp_path / "store")
    index.update(corpus)
    assert index.search("deposit insurance")
    other = DocIndex(tmp_path / "store")  # its own SQLite connection, as another process has
    other.catalog.drop_collection("docs")
    other.close()
    with pytest.raises(NoIndexError):
        index.search("deposit insurance")
    index.update(corpus)
    assert index.search("deposit insurance")
    index.request_embeddings("openai:text-embedding-3-small")
    with pytest.raises(EmbeddingMismatchError):
        index.search("deposit insurance")
    index.close()
