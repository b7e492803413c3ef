"""Probe 7: the folder deleted or moved while an update of it runs (rm -r in a terminal, a checkout
switching branches, a sync tool replacing the folder). Every file then failed to read "(No such file or
directory)" and the update removed them all: the collection was emptied, and the next question said
"nothing indexed". Now the update stops with a one-line error and removes nothing; the check before a
question answers from the index as it was."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from conftest import ask, run_cell, write_tree
from IPython.core.error import UsageError

from jupyter_docchat import DocIndex
from jupyter_docchat.errors import FolderError

DOCS = {"bank.md": "# Bank\n\nThe bank failed after depositors withdrew their money in one day.\n",
        "rates.md": "# Rates\n\nInterest rates rose quickly, and bond prices fell.\n",
        "notes/plan.md": "# Plan\n\nThe regulators sold the bank to another bank.\n"}


def delete_after_scan(monkeypatch, folder: Path, scans_before: int = 0) -> None:
    """The folder goes right after the update's scan (the ``scans_before`` first scans are left alone)."""
    real = DocIndex._scan
    seen = []

    def scan(self, where, options):
        found = real(self, where, options)
        seen.append(where)
        if len(seen) > scans_before:
            shutil.move(str(folder), str(folder.with_name("moved-away")))
        return found

    monkeypatch.setattr(DocIndex, "_scan", scan)


def test_an_update_whose_folder_goes_mid_pass_removes_nothing(tmp_path: Path, monkeypatch) -> None:
    docs = write_tree(tmp_path / "docs", DOCS)
    index = DocIndex(tmp_path / "store")
    index.update(docs)
    (docs / "bank.md").write_text("# Bank\n\nThe bank failed, and its shareholders lost everything.\n")
    delete_after_scan(monkeypatch, docs)
    with pytest.raises(FolderError, match="was deleted or moved while it was indexed: nothing was removed") as caught:
        index.update(docs)
    assert "\n" not in str(caught.value)
    [info] = index.status()
    assert (info.files, info.folder_gone) == (3, True)
    assert [h.source for h in index.search("regulators sold", k=1, mode="lexical")] == ["notes/plan.md"]
    monkeypatch.undo()
    shutil.move(str(tmp_path / "moved-away"), str(docs))  # back: the next update takes up the edit
    report = index.update(docs)
    assert (report.updated, report.removed, report.unchanged) == (1, 0, 2)
    index.close()


def test_the_magic_says_so_in_one_line_and_keeps_the_index(ip, tmp_path: Path, monkeypatch) -> None:
    docs = write_tree(tmp_path / "docs", DOCS)
    ip.run_line_magic("docchat_index", f"{docs} --quiet")
    (docs / "extra.md").write_text("# Extra\n\nA new page.\n")
    delete_after_scan(monkeypatch, docs)
    _, error = run_cell(ip, f"%docchat_index {docs} --quiet")
    assert isinstance(error, UsageError) and "nothing was removed" in str(error)
    assert "\n" not in str(error)
    assert DocIndex(ip.magics_manager.registry["DocChat"].store).status()[0].files == 3


def test_a_question_whose_check_finds_the_folder_going_answers_from_the_index(ip, tmp_path: Path, monkeypatch) -> None:
    docs = write_tree(tmp_path / "docs", DOCS)
    ip.run_line_magic("docchat_index", f"{docs} --quiet")
    (docs / "rates.md").write_text("# Rates\n\nRates rose, and bond prices fell by a fifth.\n")
    delete_after_scan(monkeypatch, docs, scans_before=1)  # the check scans first, then its update scans
    turn = ask(ip, "Who did the regulators sell the bank to?")
    assert turn is not None
    history = ip.user_ns["docchat_history"]
    assert history and "notes/plan.md" in {s["source"] for s in history[-1]["sources"]}
    assert DocIndex(ip.magics_manager.registry["DocChat"].store).status()[0].files == 3


def test_indexing_another_collection_while_this_process_fills_vectors_says_whose_pass_it_waits_for(
        tmp_path: Path, monkeypatch) -> None:
    """It said "another process is updating the store" after 30 s: it was this kernel's own background pass. It says
    so at once (the lock's wait is no use: this process holds it until its pass ends)."""
    import threading

    from jupyter_docchat.errors import StoreLockedError
    from jupyter_docchat.indexing import fill

    big = write_tree(tmp_path / "big", DOCS)
    small = write_tree(tmp_path / "small", {"a.md": "# A\n\nA small file.\n"})
    go = threading.Event()
    real_run = fill.VectorFill.run

    def held_run(self, *args, **kwargs):
        go.wait(30)
        return real_run(self, *args, **kwargs)

    monkeypatch.setattr(fill.VectorFill, "run", held_run)
    first = DocIndex(tmp_path / "store", collection="big")
    other = DocIndex(tmp_path / "store", collection="small", lock_timeout=30)
    try:
        assert first.update(big, background=True).background
        started = time.monotonic()
        with pytest.raises(StoreLockedError, match="this process is computing the vectors of collection 'big' in the "
                                                   r"background \(0 of 3 done\); try again when it finishes"):
            other.update(small)
        assert time.monotonic() - started < 10  # not the lock's 30 s
    finally:
        go.set()
        first.job.join(30)
    assert other.update(small).added == 1
    first.close()
    other.close()
