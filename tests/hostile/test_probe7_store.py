"""Probe 7: the store itself as a careless user leaves it.

A Chroma folder deleted while the catalog stays: the chunks were counted as having vectors for ever
(status said 0 waiting, updates embedded nothing, dense search found nothing). Now status says they
wait, and the next update computes them again. A damaged catalog (a cut copy, a file put in its place)
is a one-line error that names the file and says what to do, and the file is left as it was."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import run_cell, write_tree
from IPython.core.error import UsageError

from jupyter_docchat import DocIndex, IndexOptions
from jupyter_docchat.cli import main
from jupyter_docchat.errors import StoreError

DOCS = {"bank.md": "# Bank\n\nThe bank failed after depositors withdrew their money in one day.\n",
        "rates.md": "# Rates\n\nInterest rates rose quickly, and bond prices fell.\n"}


@pytest.fixture
def store(tmp_path: Path) -> Path:
    docs = write_tree(tmp_path / "docs", DOCS)
    index = DocIndex(tmp_path / "store")
    index.update(docs)
    index.close()
    return tmp_path / "store"


def test_a_deleted_chroma_folder_is_said_and_refilled_by_the_next_update(store: Path) -> None:
    shutil.rmtree(store / "chroma")
    index = DocIndex(store)
    assert [(c.chunks, c.waiting) for c in index.status()] == [(2, 2)]
    report = index.update(store.parent / "docs")
    assert report.embedded == 2
    assert index.vectors_waiting() == 0
    assert [h.source for h in index.search("depositors withdrew", k=1, mode="dense")] == ["bank.md"]
    index.close()


def test_a_deleted_chroma_collection_is_refilled_by_the_next_update(store: Path) -> None:
    index = DocIndex(store)
    index.client.delete_collection("docs")  # the folder stays, the collection's vectors go
    index._vectors = None
    index.update(store.parent / "docs")
    assert [h.source for h in index.search("bond prices", k=1, mode="dense")] == ["rates.md"]
    index.close()


def test_a_store_whose_vectors_are_whole_is_not_embedded_again(store: Path) -> None:
    index = DocIndex(store)
    assert index.update(store.parent / "docs").embedded == 0
    index.close()


@pytest.mark.parametrize("damage", ["garbage", "cut"])
def test_a_damaged_catalog_is_one_line_saying_what_to_do_and_stays_as_it_was(store: Path, ip, capsys, damage: str) -> None:
    catalog = store / "docchat.sqlite"
    with sqlite3.connect(catalog) as db:  # fold the write-ahead log in, so the file alone is the catalog
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    if damage == "garbage":
        catalog.write_bytes(b"not a database " * 100)
    else:
        data = bytearray(catalog.read_bytes())
        data[100:4000] = b"\xff" * 3900
        catalog.write_bytes(bytes(data))
    before = catalog.read_bytes()
    for call in (lambda i: i.status(), lambda i: i.ask("why did the bank fail?"), lambda i: i.update(store.parent / "docs")):
        with pytest.raises(StoreError) as caught:
            call(DocIndex(store))
        message = str(caught.value)
        assert "\n" not in message and str(catalog) in message and "is damaged" in message and "move it aside" in message
    ip.run_line_magic("config", f"DocChat.store = {str(store)!r}")
    _, error = run_cell(ip, "%docchat_status")
    assert isinstance(error, UsageError) and "run %docchat_index <folder>" in str(error)
    assert main(["--store", str(store), "status"]) == 1
    assert "is damaged" in capsys.readouterr().err
    assert catalog.read_bytes() == before


def test_a_file_in_place_of_the_chroma_folder_is_named_and_then_refilled(store: Path) -> None:
    shutil.rmtree(store / "chroma")
    (store / "chroma").write_text("a note the user saved here")
    for call in (lambda i: i.search("bank", k=1), lambda i: i.update(store.parent / "docs")):
        with pytest.raises(StoreError, match=r"chroma is not a folder, and the store keeps its vectors there: move it aside"):
            call(DocIndex(store))
    assert [(c.chunks, c.waiting) for c in DocIndex(store).status()] == [(2, 2)]
    assert (store / "chroma").read_text() == "a note the user saved here"
    (store / "chroma").rename(store / "note.txt")
    index = DocIndex(store)
    assert index.update(store.parent / "docs").embedded == 2
    index.close()


def test_a_collection_rebuilt_by_another_shell_is_searched_by_this_one(store: Path) -> None:
    """Every search and question of the first shell failed with "Collection [id] does not exist" once a
    second one (another kernel, ``docchat index --rebuild``) had made the collection anew."""
    first = DocIndex(store)
    assert [h.source for h in first.search("depositors withdrew", k=1, mode="dense")] == ["bank.md"]
    other = DocIndex(store)
    other.update(store.parent / "docs", IndexOptions(rebuild=True))
    other.close()
    assert [h.source for h in first.search("depositors withdrew", k=1, mode="dense")] == ["bank.md"]
    assert first.ask("Why did the bank fail?").sources
    first.close()


def test_a_collection_dropped_and_not_made_again_is_still_a_one_line_error(store: Path) -> None:
    first = DocIndex(store)
    first.search("bank", k=1)
    first.client.delete_collection("docs")
    with pytest.raises(StoreError, match="does not exist"):
        first.vectors().count()
    first.close()


def test_vectors_another_process_adds_are_searched_by_a_kernel_that_searched_before(store: Path) -> None:
    """Chroma's on-disk client keeps the vector index it loaded (chroma-core/chroma#3769): a kernel that had
    searched never found by meaning what another kernel or ``docchat index`` added since, until it restarted."""
    import subprocess
    import sys

    kernel = DocIndex(store)
    question = "zebras migrating across the savanna"
    assert "zebras.md" not in [h.source for h in kernel.search(question, k=2, mode="dense")]
    (store.parent / "docs" / "zebras.md").write_text("# Zebras\n\nZebras migrate across the Serengeti savanna in herds.\n")
    done = subprocess.run([sys.executable, "-m", "jupyter_docchat.cli", "--store", str(store), "index",
                           str(store.parent / "docs"), "--quiet"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert [h.source for h in kernel.search(question, k=1, mode="dense")] == ["zebras.md"]
    kernel.close()


def test_another_process_pass_reopens_when_settled_or_now_and_then_never_for_this_process(store: Path, monkeypatch) -> None:
    """Chroma keeps the memory of a client opened afresh (about 11 MB a reopen on a small store): during another
    process's long vector pass (a new mark every batch) a question reopens at most once in REOPEN_EVERY
    seconds, and at once when that process says it is done (a settled mark); never for this process's writes."""
    from jupyter_docchat import index as index_module
    from jupyter_docchat.store import vectors

    reopened = []
    real = vectors.reopen_client
    monkeypatch.setattr(index_module, "reopen_client", lambda where, *rest: reopened.append(where) or real(where, *rest))
    kernel = DocIndex(store)
    kernel.search("bank", k=1, mode="dense")
    mark = store / "chroma" / vectors.WRITER_FILE
    for batch in (1, 2, 3):  # another process's pass, batch after batch: not yet
        mark.write_text(f"4242-another {batch}")
        kernel.search("bank", k=1, mode="dense")
    assert reopened == []
    monkeypatch.setattr(index_module, "REOPEN_EVERY", 0.0)  # as if five minutes had passed
    kernel.search("bank", k=1, mode="dense")
    kernel.search("bank", k=1, mode="dense")  # nothing new since: no second reopen
    assert len(reopened) == 1
    monkeypatch.setattr(index_module, "REOPEN_EVERY", 3600.0)
    mark.write_text(f"4242-another 4 {vectors.SETTLED}")  # its pass is done
    kernel.search("bank", k=1, mode="dense")
    assert len(reopened) == 2
    marks = []
    for n in (1, 2):  # this process's own writes leave their marks, settled at the end of each update
        (store.parent / "docs" / f"new{n}.md").write_text(f"# New {n}\n\nA new page about savings, number {n}.\n")
        kernel.update(store.parent / "docs")
        marks.append(mark.read_text())
        kernel.search("bank", k=1, mode="dense")
    assert len(set(marks)) == 2 and all(vectors.settled(m) and not vectors.written_by_another(m) for m in marks)
    assert len(reopened) == 2
    kernel.close()
