"""Probe 10: ``with DocIndex(...) as index:`` leaves with the block's own outcome: closing has nothing to say
about a store it never opened, and never hides the exception the block raised."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import write_tree

from jupyter_docchat import DocIndex
from jupyter_docchat.errors import StoreError


def test_closing_an_index_whose_store_is_a_file_says_nothing(tmp_path: Path) -> None:
    # close() went through the public methods' check and raised "the store ... is a file": a with block that
    # did nothing failed on leaving, and close() could not be called to clean up after the error it reported.
    path = tmp_path / "notes.txt"
    path.write_text("not a store\n")
    index = DocIndex(path)
    with pytest.raises(StoreError, match="is a file"):
        index.search("anything")
    index.close()
    index.close()
    with DocIndex(path):
        pass


def test_the_blocks_own_exception_leaves_the_with_block(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not a store\n")
    with pytest.raises(ValueError, match="mine"):  # was StoreError "... is a file", raised by __exit__'s close
        with DocIndex(path):
            raise ValueError("mine")


def test_a_store_replaced_by_a_file_inside_the_block_keeps_the_blocks_exception(tmp_path: Path) -> None:
    docs = write_tree(tmp_path / "docs", {"rates.md": "# Rates\n\nThe deposit rate is four percent.\n"})
    store = tmp_path / "store"
    with DocIndex(store) as index:
        index.update(docs)
    with pytest.raises(KeyError, match="mine"):
        with DocIndex(store) as index:
            assert index.search("deposit rate", k=1, mode="lexical")[0].source == "rates.md"
            shutil.rmtree(store)
            store.write_text("someone's file\n")
            raise KeyError("mine")
    assert store.read_text() == "someone's file\n"  # nothing made or removed on the way out


def test_a_close_that_fails_after_the_block_raised_goes_with_the_blocks_exception(tmp_path: Path,
                                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    docs = write_tree(tmp_path / "docs", {"rates.md": "# Rates\n\nThe deposit rate is four percent.\n"})
    with DocIndex(tmp_path / "store") as index:
        index.update(docs)

    def broken() -> None:
        raise sqlite3.OperationalError("disk I/O error")

    with pytest.raises(ValueError, match="mine") as raised:
        with DocIndex(tmp_path / "store") as index:
            index.search("deposit rate", k=1, mode="lexical")
            monkeypatch.setattr(index.catalog, "close", broken)
            raise ValueError("mine")
    assert "closing the index failed" in "".join(getattr(raised.value, "__notes__", [""]))
    with pytest.raises(StoreError, match="disk I/O error"):  # with nothing raised in the block, close's error leaves
        with DocIndex(tmp_path / "store") as index:
            index.search("deposit rate", k=1, mode="lexical")
            monkeypatch.setattr(index.catalog, "close", broken)
