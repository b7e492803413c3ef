"""Probe 27: failures found attacking the newest surfaces as an outside user would. Real parts: the IPython shell,
the Chroma store, the readers, the docchat command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jupyter_docchat import DocIndex
from jupyter_docchat.errors import NoIndexError


def test_an_emptied_collection_is_not_said_to_be_indexed_while_another_collection_is(tmp_path: Path) -> None:
    """The store's write lock names no collection: while a run indexed collection 'other', a search of the emptied
    collection 'docs' said "collection 'docs' is being indexed now ... try again when that run finishes", and no run
    would ever fill it. The run holding the lock writes which collection it indexes beside it."""
    from filelock import FileLock

    from jupyter_docchat.index import LOCK_FILE, LOCK_OWNER

    folder, store = tmp_path / "docs", tmp_path / "store"
    folder.mkdir()
    (folder / "a.txt").write_text("The warehouse opens at nine in the morning on weekdays.\n")
    with DocIndex(store=store) as index:
        index.update(folder)
        (folder / "a.txt").unlink()
        (folder / "b.txt").write_text("\u200b\u200b\n")  # a file that shows nothing: the folder gives no chunk
        index.update(folder)
    assert not (store / LOCK_OWNER).exists()  # the note goes with the lock
    lock = FileLock(str(store / LOCK_FILE), thread_local=False)
    with lock:
        DocIndex(store=store, collection="other")._name_lock_owner(lock.lock_file)  # as an update of 'other' does
        with DocIndex(store=store) as index:
            with pytest.raises(NoIndexError) as caught:
                index.search("warehouse")
        assert "being indexed now" not in str(caught.value) and "is empty" in str(caught.value), caught.value
        assert json.loads((store / LOCK_OWNER).read_text())["collection"] == "other"
        with DocIndex(store=store) as index:
            index._name_lock_owner(lock.lock_file)  # a run indexing 'docs' itself: it is being indexed
            with pytest.raises(NoIndexError, match="being indexed now"):
                index.search("warehouse")
            index._release(lock)
    assert not (store / LOCK_OWNER).exists()
