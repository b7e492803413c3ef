"""Probe 10: the folder deleted or moved while its first update runs. Every file failed to read "(No such file or
directory)" and the update reported success ("0 added, ... 3 unreadable"), leaving an empty collection; an update
of an indexed folder said it was gone. The first update says so too."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import write_tree

from jupyter_docchat import DocIndex
from jupyter_docchat.errors import FolderGoneError, NoIndexError

DOCS = {"bank.md": "# Bank\n\nThe bank failed after depositors withdrew their money in one day.\n",
        "rates.md": "# Rates\n\nInterest rates rose quickly, and bond prices fell.\n",
        "notes/plan.md": "# Plan\n\nThe regulators sold the bank to another bank.\n"}


def move_after_scan(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    real = DocIndex._scan

    def scan(self, where, options):  # type: ignore[no-untyped-def]
        found = real(self, where, options)
        shutil.move(str(folder), str(folder.with_name("moved-away")))
        return found

    monkeypatch.setattr(DocIndex, "_scan", scan)


def test_a_first_update_whose_folder_goes_mid_pass_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    docs = write_tree(tmp_path / "docs", DOCS)
    with DocIndex(tmp_path / "store") as index:
        move_after_scan(monkeypatch, docs)
        with pytest.raises(FolderGoneError, match="was deleted or moved while it was indexed") as caught:
            index.update(docs)
        assert "\n" not in str(caught.value) and "3 files" in str(caught.value)
        with pytest.raises(NoIndexError):
            index.search("regulators", mode="lexical")
        monkeypatch.undo()
        shutil.move(str(tmp_path / "moved-away"), str(docs))  # back: the next update indexes it whole
        report = index.update(docs)
        assert (report.added, report.skipped_files) == (3, [])
        assert [h.source for h in index.search("regulators sold", k=1, mode="lexical")] == ["notes/plan.md"]
